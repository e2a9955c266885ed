using Rectify.Features.Common;

namespace Rectify.UnitTests;

public sealed class InspectionTitlesTests
{
    [Theory]
    [InlineData("十五届市委第七轮巡察", "整改台账", "十五届市委第七轮巡察整改台账")]
    [InlineData("县委第三巡察组巡察松溪镇党委反馈意见整改", "整改台账", "县委第三巡察组巡察松溪镇党委反馈意见整改台账")]
    [InlineData("县委第三巡察组巡察松溪镇党委反馈意见整改", "反馈问题整改台账", "县委第三巡察组巡察松溪镇党委反馈意见整改台账")]
    [InlineData("县委第三巡察组巡察松溪镇党委反馈意见整改 ", "整改工作安排", "县委第三巡察组巡察松溪镇党委反馈意见整改工作安排")]
    [InlineData("市委巡察反馈问题整改", "整改工作安排", "市委巡察反馈问题整改工作安排")]
    [InlineData("关于整改的巡察", "整改台账", "关于整改的巡察整改台账")]
    [InlineData("巡察整改", "的报告", "巡察整改的报告")]
    public void A_title_is_followed_by_the_words_without_saying_整改_twice(string title, string words, string expected) =>
        Assert.Equal(expected, InspectionTitles.Then(title, words));
}

public sealed class TypedDateTests
{
    [Theory]
    [InlineData("2026-03-31")]
    [InlineData("2026/3/31")]
    [InlineData("2026.3.31")]
    [InlineData(" 2026年3月31日 ")]
    [InlineData("2026年03月31")]
    [InlineData("20260331")]
    [InlineData("２０２６－０３－３１")]
    [InlineData("２０２６年３月３１日")]
    public void A_date_typed_any_common_way_is_read(string typed)
    {
        Assert.True(Rectify.Features.Common.TypedDateBinder.Read(typed, out var day, out _));
        Assert.Equal(new DateOnly(2026, 3, 31), day);
    }

    [Theory]
    [InlineData("2026-02-30", "2026 年 2 月只有 28 天")]
    [InlineData("2028-02-30", "2028 年 2 月只有 29 天")]
    [InlineData("2026-13-01", "月份应为 1 至 12")]
    [InlineData("2026-04-31", "2026 年 4 月只有 30 天")]
    [InlineData("明天", "无法识别")]
    [InlineData("2026-3", "无法识别")]
    [InlineData("31/03/2026", "无法识别")]
    [InlineData("٢٠٢٦-03-31", "无法识别")]
    [InlineData("0000-01-01", "年份应在 1900 至 2199 之间")]
    [InlineData("9999-12-31", "年份应在 1900 至 2199 之间")]
    [InlineData("99999999", "年份应在 1900 至 2199 之间")]
    public void A_date_that_cannot_be_read_or_does_not_exist_says_so(string typed, string said)
    {
        Assert.False(Rectify.Features.Common.TypedDateBinder.Read(typed, out _, out var problem));
        Assert.StartsWith(Rectify.Features.Common.TypedDateBinder.Marker + typed, problem, StringComparison.Ordinal);
        Assert.Contains(said, problem, StringComparison.Ordinal);
    }
}
