namespace Rectify.Features.Common;

/// <summary>
/// An inspection's title followed by words of the rectification ("…整改台账", "…整改工作安排"): offices often name the
/// inspection by its rectification ("县委第三巡察组巡察松溪镇党委反馈意见整改"), and the title then already says 整改.
/// </summary>
public static class InspectionTitles
{
    private const string Rectification = "整改";

    /// <summary>
    /// <paramref name="title"/> and then <paramref name="words"/>, without saying 整改 twice: a title that ends in 整改 is
    /// followed by what comes after 整改 in the words ("…反馈意见整改" + "反馈问题整改台账" → "…反馈意见整改台账").
    /// </summary>
    public static string Then(string title, string words)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(words);
        var at = words.IndexOf(Rectification, StringComparison.Ordinal);
        return title.TrimEnd().EndsWith(Rectification, StringComparison.Ordinal) && at >= 0
            ? title.TrimEnd() + words[(at + Rectification.Length)..]
            : title + words;
    }
}
