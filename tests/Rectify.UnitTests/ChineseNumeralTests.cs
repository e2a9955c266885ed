using Rectify.Documents;

namespace Rectify.UnitTests;

public sealed class ChineseNumeralTests
{
    [Theory]
    [InlineData("一", 1)]
    [InlineData("九", 9)]
    [InlineData("十", 10)]
    [InlineData("十一", 11)]
    [InlineData("二十", 20)]
    [InlineData("二十七", 27)]
    [InlineData("九十九", 99)]
    public void Reads_and_writes_the_numbers_notices_use(string text, int value)
    {
        Assert.True(ChineseNumerals.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
        Assert.Equal(text, ChineseNumerals.Format(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("〇")]
    [InlineData("十十")]
    [InlineData("一二")]
    [InlineData("百")]
    [InlineData("十〇")]
    public void Refuses_what_is_not_a_number(string text) => Assert.False(ChineseNumerals.TryParse(text, out _));
}
