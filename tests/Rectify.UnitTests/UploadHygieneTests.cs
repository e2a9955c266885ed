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

    [Theory]
    [InlineData("../../../../tmp/x.sh", "路径异常")]
    [InlineData("/etc/cron.d/x", "路径异常")]
    [InlineData("word\\..\\..\\x.xml", "路径异常")]
    [InlineData("C:/Windows/x.xml", "路径异常")]
    [InlineData("word/./document.xml", "路径异常")]
    [InlineData("word/media/payload.exe", "夹带了程序文件“word/media/payload.exe”")]
    [InlineData("docProps/run.JS. ", "夹带了程序文件")]
    public void A_package_with_a_part_outside_it_or_a_program_inside_is_refused(string entry, string said)
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var document = zip.CreateEntry("word/document.xml").Open())
            {
                document.Write("<w:document/>"u8);
            }

            using var odd = zip.CreateEntry(entry).Open();
            odd.Write("x"u8);
        }

        stream.Position = 0;
        Assert.Contains(said, FileTypes.ZipOverLimits(stream), StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_of_ordinary_parts_is_within_the_limits()
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/media/image1.png", "xl/printerSettings/printerSettings1.bin", "word/embeddings/oleObject1.bin" })
            {
                using var part = zip.CreateEntry(name).Open();
                part.Write("x"u8);
            }
        }

        stream.Position = 0;
        Assert.Null(FileTypes.ZipOverLimits(stream));
    }

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
