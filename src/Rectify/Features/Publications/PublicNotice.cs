using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rectify.Documents;
using Rectify.Documents.Gongwen;
using Rectify.Domain;

namespace Rectify.Features.Publications;

/// <summary>A paragraph that starts with its heading: "（一）提高思想认识，增强行动自觉。" and then its text.</summary>
public sealed record PublicParagraph(string Heading, string Text);

public sealed record PublicCategory(int Number, string Title, IReadOnlyList<PublicFinding> Findings);

/// <summary>A finding as the public reads it: its number, its public title and each measure's public progress text.</summary>
public sealed record PublicFinding(int Number, string Title, IReadOnlyList<string> Measures);

/// <summary>
/// The public-only read model: everything a public output (page, .txt, HTML fragment, .docx) is made from, and nothing
/// else. It holds strings the office wrote for publication and the ledger's public titles — never a report's narrative,
/// a reason, a lead, a person's name, an evidence file or the audit trail — and is frozen as a version's snapshot when
/// it is submitted, so that what was approved is what is published.
/// </summary>
public sealed record PublicNotice(
    string Title,
    string Intro,
    string ResponsibilityHeading,
    IReadOnlyList<PublicParagraph> Responsibility,
    string TasksHeading,
    IReadOnlyList<PublicCategory> Categories,
    string? Statistics,
    string NextStepsHeading,
    IReadOnlyList<PublicParagraph> NextSteps,
    string Disclosure,
    DateOnly DisclosureFrom,
    DateOnly DisclosureTo,
    string Issuer,
    DateOnly Date)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PublicNotice FromJson(string json) => JsonSerializer.Deserialize<PublicNotice>(json, Json) ?? throw new InvalidOperationException("公布稿快照为空。");

    /// <summary>The findings by number, for the opinion form's choice.</summary>
    public IEnumerable<PublicFinding> Findings => Categories.SelectMany(c => c.Findings);

    /// <summary>
    /// Whether the findings read 1, 2, 3… in the order the notice prints them, as the genre numbers them, under categories
    /// in their order (a category without findings is not printed, so the categories' numbers need only rise).
    /// </summary>
    public bool NumberedInOrder =>
        Categories.Zip(Categories.Skip(1)).All(p => p.First.Number < p.Second.Number) && Findings.Select(f => f.Number).RunFromOne();
}

/// <summary>The notice laid out as paragraphs with levels, once, for every output: page, text, fragment and 公文.</summary>
public static class PublicNoticeLayout
{
    public static IReadOnlyList<GongwenParagraph> Paragraphs(PublicNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var body = new List<GongwenParagraph> { GongwenParagraph.Body(notice.Intro) };
        var part = 0;
        if (notice.Responsibility.Count > 0)
        {
            body.Add(new GongwenParagraph(GongwenLevel.First, Part(++part) + notice.ResponsibilityHeading));
            body.AddRange(notice.Responsibility.Select((p, i) => Sub(i + 1, p)));
        }

        body.Add(new GongwenParagraph(GongwenLevel.First, Part(++part) + notice.TasksHeading));
        foreach (var category in notice.Categories)
        {
            body.Add(new GongwenParagraph(GongwenLevel.Second, $"（{ChineseNumerals.Format(category.Number)}）{category.Title}"));
            foreach (var finding in category.Findings)
            {
                body.Add(new GongwenParagraph(GongwenLevel.Third, $"{finding.Number.ToString(CultureInfo.InvariantCulture)}.{finding.Title}"));

                // Several measures are counted 一是、二是…; a single one stands as a paragraph of its own.
                body.AddRange(finding.Measures.Select((m, i) =>
                    GongwenParagraph.Body(finding.Measures.Count > 1 ? ChineseNumerals.Format(i + 1) + "是" + m : m)));
            }
        }

        if (notice.Statistics is { Length: > 0 } statistics)
        {
            body.Add(GongwenParagraph.Body(statistics));
        }

        if (notice.NextSteps.Count > 0)
        {
            body.Add(new GongwenParagraph(GongwenLevel.First, Part(++part) + notice.NextStepsHeading));
            body.AddRange(notice.NextSteps.Select((p, i) => Sub(i + 1, p)));
        }

        body.Add(GongwenParagraph.Body(notice.Disclosure));
        return body;

        static string Part(int n) => ChineseNumerals.Format(n) + "、";

        static GongwenParagraph Sub(int n, PublicParagraph p) =>
            p.Heading.Length == 0
                ? GongwenParagraph.Body(p.Text)
                : new GongwenParagraph(GongwenLevel.Second, $"（{ChineseNumerals.Format(n)}）{EndSentence(p.Heading)}", p.Text);
    }

    /// <summary>A heading that runs on into its text ends with 。 (unless it already ends a sentence).</summary>
    private static string EndSentence(string heading) =>
        heading.Length > 0 && "。！？；：.!?;:".Contains(heading[^1], StringComparison.Ordinal) ? heading : heading + "。";

    /// <summary>.txt: UTF-8 with a byte order mark (Notepad opens it right), one paragraph a line, CRLF.</summary>
    public static string Text(PublicNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var text = new StringBuilder();
        text.Append(notice.Title).Append("\r\n\r\n");
        foreach (var p in Paragraphs(notice))
        {
            text.Append(p.Heading).Append(p.Text).Append("\r\n");
        }

        text.Append("\r\n").Append(notice.Issuer).Append("\r\n").Append(GongwenWriter.FormatDate(notice.Date)).Append("\r\n");
        return text.ToString();
    }

    public static byte[] TextFile(PublicNotice notice) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text(notice))];

    /// <summary>
    /// A copy-ready HTML fragment for a government website's CMS: plain elements with inline styles only (a CMS keeps
    /// no stylesheet of ours), every text HTML-encoded.
    /// </summary>
    public static string Fragment(PublicNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var e = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        var html = new StringBuilder();
        html.Append("<div class=\"zhenggai-gongbu\" style=\"font-family:FangSong,'仿宋_GB2312',serif;font-size:16pt;line-height:1.8;\">\n");
        html.Append("<h1 style=\"text-align:center;font-family:'方正小标宋简体',SimSun,serif;font-size:22pt;font-weight:normal;\">").Append(e.Encode(notice.Title)).Append("</h1>\n");
        foreach (var p in Paragraphs(notice))
        {
            html.Append("<p style=\"text-indent:2em;margin:0;\">");
            if (!string.IsNullOrEmpty(p.Heading))
            {
                var font = p.Level switch
                {
                    GongwenLevel.First => "font-family:SimHei,'黑体',sans-serif;",
                    GongwenLevel.Second => "font-family:KaiTi,'楷体_GB2312',serif;",
                    _ => string.Empty,
                };
                html.Append(font.Length > 0 ? $"<span style=\"{font}\">{e.Encode(p.Heading)}</span>" : e.Encode(p.Heading));
            }

            html.Append(e.Encode(p.Text ?? string.Empty)).Append("</p>\n");
        }

        html.Append("<p style=\"text-align:right;margin:1.8em 2em 0 0;\">").Append(e.Encode(notice.Issuer)).Append("</p>\n");
        html.Append("<p style=\"text-align:right;margin:0 2em 0 0;\">").Append(e.Encode(GongwenWriter.FormatDate(notice.Date))).Append("</p>\n");
        html.Append("</div>\n");
        return html.ToString();
    }

    /// <summary>.docx in the 公文 layout (GB/T 9704) through the one 公文 writer.</summary>
    public static byte[] Docx(PublicNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return GongwenWriter.Write(new GongwenDocument(notice.Title, Paragraphs(notice), notice.Issuer, notice.Date));
    }
}
