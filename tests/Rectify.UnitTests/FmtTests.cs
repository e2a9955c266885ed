using Rectify.Features;

namespace Rectify.UnitTests;

/// <summary>How a figure column's heading may wrap on a phone (Fmt.Heading): at its word boundary, never inside a word.</summary>
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
}
