using Rectify.Features;

namespace Rectify.UnitTests;

/// <summary>How pages write what the ledger also shows: a figure column's heading, a measure's name.</summary>
public sealed class FmtTests
{
    [Theory]
    [InlineData("总数", "总数")]
    [InlineData("已完成", "已完成")]
    [InlineData("持续整改", "持续<wbr>整改")]
    [InlineData("逾期未报", "逾期<wbr>未报")]
    [InlineData("督办未办结", "督办<wbr>未办结")]
    [InlineData("Missing report", "Missing report")]
    [InlineData("<b>超期</b>", "&lt;b&gt;超期&lt;/b&gt;")]
    [InlineData("未报<b>", "未报&lt;b&gt;")]
    public void A_Chinese_heading_of_four_or_more_characters_may_break_in_its_middle_and_nothing_else_is_changed_but_encoded(string text, string html) =>
        Assert.Equal(html, Fmt.Heading(text).ToString());

    [Theory]
    [InlineData("已修订议事规则", 10, "已修订议事规则")]
    [InlineData("已修订议事规则并印发", 4, "已修订议…")]
    [InlineData("甲乙😀丙丁", 3, "甲乙…")]
    [InlineData("甲乙😀丙丁", 4, "甲乙😀…")]
    [InlineData("甲乙𠀀丙", 3, "甲乙…")]
    public void A_text_is_clipped_to_at_most_so_many_characters_and_never_in_the_middle_of_one(string text, int most, string clipped) =>
        Assert.Equal(clipped, Fmt.Clip(text, most));

    [Theory]
    [InlineData("zh-CN", "措施", 3, 1, "措施 3.1")]
    [InlineData("zh-CN", "措施", 12, 10, "措施 12.10")]
    [InlineData("en", "Measure", 3, 1, "Measure 3.1")]
    public void A_measure_is_named_by_its_finding_and_its_own_number_as_the_ledgers_序号_in_either_language(string culture, string label, int finding, int measure, string name)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try
        {
            Assert.Equal(name, Fmt.MeasureName(label, finding, measure));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
