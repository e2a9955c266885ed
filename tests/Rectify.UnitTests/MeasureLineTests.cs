using Rectify.Features.Publications;

namespace Rectify.UnitTests;

/// <summary>A measure as the public notice states it: its first sentence as planned, then the public progress.</summary>
public sealed class MeasureLineTests
{
    [Theory]
    [InlineData("规范“三会一课”制度，建立问题清单。", "已对全街道42个党支部逐一检查，整改问题15个。", "规范“三会一课”制度，建立问题清单。已对全街道42个党支部逐一检查，整改问题15个。")]
    [InlineData("规范“三会一课”制度。建立问题清单，逐项销号。", "已对全街道42个党支部逐一检查。", "规范“三会一课”制度。已对全街道42个党支部逐一检查。")]
    [InlineData("规范“三会一课”制度。建立问题清单。", "规范“三会一课”制度。已检查42个党支部。", "规范“三会一课”制度。已检查42个党支部。")]
    [InlineData("开展专项清理", "已清理往来款项86笔。", "开展专项清理。已清理往来款项86笔。")]
    [InlineData("开展专项清理。", null, "开展专项清理。")]
    [InlineData("开展专项清理。", "  ", "开展专项清理。")]
    public void The_progress_follows_the_measures_first_sentence_once(string text, string? progress, string expected) =>
        Assert.Equal(expected, PublicationComposer.MeasureLine(text, progress));
}
