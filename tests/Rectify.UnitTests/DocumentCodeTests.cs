using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>
/// 机关代字: the code a 督办单's 发文字号 starts with (机关代字〔年份〕序号, GB/T 9704). It is one clean line that cannot be
/// misread as part of the number, and without one the number is 督办〔年份〕序号.
/// </summary>
public sealed class DocumentCodeTests
{
    private static Organization Office() => new("中共万江街道工作委员会", OrganizationKind.PartyCommittee);

    [Fact]
    public void A_number_is_the_code_the_year_in_brackets_and_the_sequence()
    {
        Assert.Equal("督办〔2026〕3号", Organization.DocumentNumber(null, 2026, 3));
        Assert.Equal("万江整改督〔2026〕12号", Organization.DocumentNumber("万江整改督", 2026, 12));
    }

    [Theory]
    [InlineData("万江整改督", "万江整改督")]
    [InlineData("  万江整改督\u200F ", "万江整改督")]
    [InlineData("", null)]
    [InlineData("\u3164", null)]
    [InlineData(null, null)]
    public void A_code_is_kept_as_one_clean_line_and_nothing_typed_clears_it(string? typed, string? kept)
    {
        var office = Office();
        office.SetDocumentCode("旧代字");
        office.SetDocumentCode(typed);
        Assert.Equal(kept, office.DocumentCode);
    }

    [Theory]
    [InlineData("万江 整改督")]
    [InlineData("万江〔整改")]
    [InlineData("万江(督)")]
    [InlineData("万江督3")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一")]
    public void A_code_that_would_misread_is_refused_and_the_old_one_stays(string typed)
    {
        var office = Office();
        office.SetDocumentCode("万江整改督");
        var refused = Assert.Throws<BusinessRuleViolationException>(() => office.SetDocumentCode(typed));
        Assert.Equal((nameof(ADocumentCodeIsACode), Refusal.Invalid), (refused.RuleName, refused.Refusal));
        Assert.Equal("万江整改督", office.DocumentCode);
    }
}

/// <summary>A 督办单's title is made from its 事由 (关于……的督办单) without doubling words the 事由 already has.</summary>
public sealed class DubanTitleTests
{
    [Theory]
    [InlineData("整改进度滞后", "关于整改进度滞后的督办单")]
    [InlineData(" 整改进度滞后 ", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后督办", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后督办单", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后的督办单", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后的督办", "关于整改进度滞后的督办单")]
    [InlineData("关于整改进度滞后问题的督办通知", "关于整改进度滞后问题的督办通知")]
    [InlineData("重点督办事项落实情况", "关于重点督办事项落实情况的督办单")]
    [InlineData("督办", "督办单")]
    [InlineData("关于整改进度滞后", "关于整改进度滞后的督办单")]
    [InlineData("关于整改进度滞后的督办", "关于整改进度滞后的督办单")]
    [InlineData("关于整改进度滞后的督办单", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后督办。", "关于整改进度滞后的督办单")]
    [InlineData("整改进度滞后的督办通知", "关于整改进度滞后的督办通知")]
    [InlineData("关于", "督办单")]
    public void The_title_names_the_matter_once(string matter, string title) =>
        Assert.Equal(title, Rectify.Features.Supervision.DubanDocument.TitleOf(matter));
}
