using System.Globalization;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>The words and numbers of single cells, one by one.</summary>
public sealed class LedgerValuesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("已修订制度", "已修订制度")]
    [InlineData("无", "")]
    [InlineData(" 暂 无 ", "")]
    [InlineData("／", "")]
    [InlineData("——", "")]
    [InlineData("无异议，已办结", "无异议，已办结")]
    public void A_progress_cell_saying_there_is_none_is_empty_and_an_empty_cell_says_nothing(string? cell, string? progress) =>
        Assert.Equal(progress, LedgerValues.Progress(cell));

    [Theory]
    [InlineData("2024年12月31日", "2024-12-31", null)]
    [InlineData("2024年1月5日前", "2024-01-05", null)]
    [InlineData("2024.12.31", "2024-12-31", null)]
    [InlineData("2024/2/29", "2024-02-29", null)]
    [InlineData("2024-12-31", "2024-12-31", null)]
    [InlineData("20241231", "2024-12-31", null)]
    [InlineData("2024年12月底", "2024-12-31", null)]
    [InlineData("2024年2月底前完成", "2024-02-29", null)]
    [InlineData("2025年2月", "2025-02-28", null)]
    [InlineData("2025.6", "2025-06-30", null)]
    [InlineData("2024年底", "2024-12-31", null)]
    [InlineData("２０２４年１２月３１日", "2024-12-31", null)]
    [InlineData(" 2024 年 12 月 31 日 之前 ", "2024-12-31", null)]
    [InlineData("长期坚持", null, MeasureKind.Ongoing)]
    [InlineData("立行立改", null, MeasureKind.Immediate)]
    [InlineData("立行立改，2024年9月底前", "2024-09-30", MeasureKind.Immediate)]
    [InlineData("长期坚持（每季度报送）", null, MeasureKind.Ongoing)]
    [InlineData("", null, null)]
    public void A_deadline_reads(string text, string? date, MeasureKind? kind)
    {
        Assert.True(LedgerValues.TryDeadline(text, out var d, out var k));
        Assert.Equal(date, d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(kind, k);
    }

    [Theory]
    [InlineData("明年")]
    [InlineData("2024年13月")]
    [InlineData("2023年2月29日")]
    [InlineData("2024-12-31至2025-01-31")]
    [InlineData("12/31")]
    [InlineData("随时")]
    public void A_deadline_does_not_read(string text) => Assert.False(LedgerValues.TryDeadline(text, out _, out _));

    [Theory]
    [InlineData("立行立改", MeasureKind.Immediate)]
    [InlineData(" 限期整改 ", MeasureKind.TimeBound)]
    [InlineData("限期", MeasureKind.TimeBound)]
    [InlineData("长期坚持", MeasureKind.Ongoing)]
    [InlineData("长 期 坚 持", MeasureKind.Ongoing)]
    [InlineData("尽快", null)]
    public void A_kind_word_reads(string text, MeasureKind? kind) => Assert.Equal(kind, LedgerValues.Kind(text));

    [Theory]
    [InlineData("3", "Whole -/3/-")]
    [InlineData("３", "Whole -/3/-")]
    [InlineData("3.2", "Dotted -/3/2")]
    [InlineData("3-2", "Dotted -/3/2")]
    [InlineData("3．2", "Dotted -/3/2")]
    [InlineData("1.3.2", "Dotted 1/3/2")]
    [InlineData("一", "Chinese 1/-/-")]
    [InlineData("十二、", "Chinese 12/-/-")]
    [InlineData("（三）", "Chinese 3/-/-")]
    [InlineData("(三)", "Chinese 3/-/-")]
    [InlineData("", "None -/-/-")]
    [InlineData("0", "Unreadable -/-/-")]
    [InlineData("A1", "Unreadable -/-/-")]
    [InlineData("3.2.1.1", "Unreadable -/-/-")]
    public void A_number_cell_reads(string text, string expected)
    {
        var n = LedgerValues.Number(text);
        Assert.Equal(expected, $"{n.Shape} {n.Category?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{n.Finding?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{n.Measure?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
    }

    [Theory]
    [InlineData("3.加强学习", false, 3, "加强学习")]
    [InlineData("3、加强学习", false, 3, "加强学习")]
    [InlineData("（3）加强学习", false, 3, "加强学习")]
    [InlineData("１２．加强学习", false, 12, "加强学习")]
    [InlineData("1.5亿元资金未及时拨付", false, null, "1.5亿元资金未及时拨付")]
    [InlineData("2024年以来学习不够", false, null, "2024年以来学习不够")]
    [InlineData("一、党的建设方面", true, 1, "党的建设方面")]
    [InlineData("（十一）作风方面", true, 11, "作风方面")]
    [InlineData("一些问题", true, null, "一些问题")]
    [InlineData("3.", false, null, "3.")]
    public void A_number_before_a_title_is_taken_off(string text, bool chinese, int? number, string rest)
    {
        Assert.Equal(number, LedgerValues.LeadingNumber(text, chinese, out var title));
        Assert.Equal(rest, title);
    }

    [Fact]
    public void Units_split_on_every_separator_and_repeat_once()
    {
        Assert.Equal(["党政办", "组织办", "宣传办", "财政办", "纪工委", "综治办"], LedgerValues.Units("党政办、组织办，宣传办,财政办/纪工委；综治办;党政办"));
        Assert.Equal(["党政办", "组织办", "宣传办"], LedgerValues.Units(" 党政办 \n组织办\r\n宣传办／"));
        Assert.Empty(LedgerValues.Units("  "));
    }

    [Theory]
    [InlineData(45657, false, "2024-12-31")]
    [InlineData(44196, true, "2025-01-01")]
    [InlineData(45657.75, false, "2024-12-31")]
    [InlineData(61, false, "1900-03-01")]
    public void A_day_serial_is_a_date_in_the_workbooks_date_system(double serial, bool date1904, string date) =>
        Assert.Equal(date, LedgerValues.FromSerial(serial, date1904)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_letters_go_both_ways(int column, string letters)
    {
        Assert.Equal(letters, LedgerColumns.Letter(column));
        Assert.Equal(column, LedgerColumns.ColumnOf(letters + "12"));
    }
}
