using System.Globalization;
using Rectify.Domain;

namespace Rectify.Features;

/// <summary>How dates and domain values are shown: dates as yyyy-MM-dd, times in Asia/Shanghai.</summary>
public static class Fmt
{
    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>At most the first <paramref name="most"/> characters and "…", never cutting a character in two (an emoji, a rare hanzi).</summary>
    public static string Clip(string text, int most)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= most)
        {
            return text;
        }

        var info = new StringInfo(text);
        var kept = 0;
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var next = StringInfo.GetNextTextElementLength(text.AsSpan(kept));
            if (kept + next > most)
            {
                break;
            }

            kept += next;
        }

        return text[..kept] + "…";
    }

    /// <summary>A date as an &lt;input type="date"&gt; takes it (yyyy-MM-dd), or nothing.</summary>
    public static string? InputDate(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The type of a date field that shows <paramref name="typed"/> (what a refused form sent back): "date" for nothing or
    /// a day as a date field takes it, else "text", so that a typo such as 2026-02-30 stays in view instead of the field
    /// coming back empty (ADR 0041; the pages' single date fields do this with <c>typed-date</c>).
    /// </summary>
    public static string DateFieldType(string? typed) => IsDay(typed, out _) ? "date" : "text";

    /// <summary>What a date field shows of <paramref name="typed"/>: a day read in any way the forms read one, as yyyy-MM-dd; otherwise as typed.</summary>
    public static string? DateFieldValue(string? typed) => IsDay(typed, out var day) ? InputDate(day) : typed;

    /// <summary>"true" for a date field whose typed value is not a day (<see cref="DateFieldType"/>), else nothing (no attribute).</summary>
    public static string? DateFieldInvalid(string? typed) => IsDay(typed, out _) ? null : "true";

    private static bool IsDay(string? typed, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(typed))
        {
            return true;
        }

        var read = Common.TypedDateBinder.Read(typed, out var d, out _);
        day = read ? d : null;
        return read;
    }

    /// <summary>The 演示假设 mark after a value the source did not state (nothing when a person stated it), with its explanation as a tooltip.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Assumed(AssumedFields assumed, AssumedFields field, string label, string? explanation = null) =>
        assumed.HasFlag(field)
            ? new Microsoft.AspNetCore.Html.HtmlString(
                $" <span class=\"badge assume\"{(explanation is null ? string.Empty : $" title=\"{System.Net.WebUtility.HtmlEncode(explanation)}\"")}>{System.Net.WebUtility.HtmlEncode(label)}</span>")
            : Microsoft.AspNetCore.Html.HtmlString.Empty;

    public static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// "措施 3.1" (in English "Measure 3.1"): the finding's number and the measure's, as the 台账's 序号, the import's preview
    /// and every message name it, so that a page can be matched to its ledger row. "措施一" would repeat in every finding.
    /// </summary>
    public static string MeasureName(string label, int findingNumber, int measureNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"{label.TrimEnd()} {findingNumber}.{measureNumber}");

    /// <summary>
    /// A figure column's heading that may wrap on a phone at its word boundary only: a Chinese heading of four or more
    /// characters gets a break opportunity (&lt;wbr&gt;) in its middle (持续/整改, 督办/未办结), the rest none; the table's CSS
    /// (<c>word-break: keep-all</c>) keeps it from breaking anywhere else. Other languages break at their spaces.
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Heading(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 4 || !text.All(c => c is >= '\u4e00' and <= '\u9fff'))
        {
            return new Microsoft.AspNetCore.Html.HtmlString(System.Net.WebUtility.HtmlEncode(text));
        }

        var half = text.Length / 2;
        return new Microsoft.AspNetCore.Html.HtmlString(System.Net.WebUtility.HtmlEncode(text[..half]) + "<wbr>" + System.Net.WebUtility.HtmlEncode(text[half..]));
    }

    /// <summary>A 完成率 with one decimal: 66.7%.</summary>
    public static string Percent(decimal rate) => rate.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Badge(Signal signal) => signal switch
    {
        Signal.Red => "red",
        Signal.Green => "green",
        _ => "yellow",
    };

    public static string Badge(FindingState state) => state switch
    {
        FindingState.Completed => "green",
        FindingState.Ongoing => "green",
        _ => "yellow",
    };

    public static string Badge(MeasureState state, bool overdue) => overdue ? "red" : state switch
    {
        MeasureState.SignedOff or MeasureState.Ongoing => "green",
        MeasureState.Planned => string.Empty,
        _ => "yellow",
    };
}
