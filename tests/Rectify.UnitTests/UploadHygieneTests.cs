using Rectify.Features.Reports;

namespace Rectify.UnitTests;

public sealed class UploadHygieneTests
{
    [Theory]
    [InlineData("a.exe.pdf")]
    [InlineData("整改报告.SCR.pdf")]
    [InlineData("invoice.js.docx")]
    [InlineData("照片.bat .jpg")]
    public void A_name_with_an_executable_extension_before_the_last_is_misleading(string name) =>
        Assert.Contains("双重扩展名", FileTypes.MisleadingName(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("报告\u202Efdp.exe")]
    [InlineData("a\u0000.pdf")]
    [InlineData("a\u2066b.pdf")]
    [InlineData("报告\u061Cfdp.pdf")]
    [InlineData("报告\u2060.pdf")]
    [InlineData("报告\u00AD.pdf")]
    public void A_name_with_a_control_or_direction_character_is_misleading(string name) =>
        Assert.Contains("控制字符", FileTypes.MisleadingName(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("整改报告.pdf")]
    [InlineData("2025.03.01 会议纪要.docx")]
    [InlineData("v1.2.xlsx")]
    [InlineData("executive.summary.pdf")]
    [InlineData("合影👨\u200D👩\u200D👧.jpg")]
    public void An_ordinary_name_is_not(string name) => Assert.Null(FileTypes.MisleadingName(name));

    [Fact]
    public void Clamd_answers_are_read_as_clamd_writes_them()
    {
        Assert.Null(ClamdScanner.Interpret("stream: OK\0"));
        Assert.Equal("Eicar-Test-Signature", ClamdScanner.Interpret("stream: Eicar-Test-Signature FOUND\0"));
        Assert.Throws<ScannerUnavailableException>(() => ClamdScanner.Interpret("INSTREAM size limit exceeded. ERROR\0"));
        Assert.Throws<ScannerUnavailableException>(() => ClamdScanner.Interpret(string.Empty));
    }

    [Fact]
    public async Task No_scanner_configured_means_no_scan()
    {
        var scanner = new ClamdScanner(null);
        Assert.False(scanner.IsConfigured);
        Assert.Null(await scanner.ScanAsync("/nonexistent", TestContext.Current.CancellationToken));
    }
}
