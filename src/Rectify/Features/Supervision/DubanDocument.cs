using System.Globalization;
using Rectify.Documents;
using Rectify.Documents.Gongwen;
using Rectify.Domain;

namespace Rectify.Features.Supervision;

/// <summary>
/// The 督办单 as a 公文 (.docx, GB/T 9704 through <see cref="GongwenWriter"/>): its number (督办〔2026〕3号), a title
/// naming the matter, the unit as addressee, then 一、督办事项 (the office's words), 二、涉及的整改措施 (each measure by
/// its number, text and deadline), 三、办理要求 and 四、回复期限, signed by the issuing organization on the day of issue.
/// The words around the office's own are the system's; the office's are kept as typed, a paragraph per line.
/// </summary>
public static class DubanDocument
{
    public static GongwenDocument Compose(NoticeDetail notice, string issuer)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Kind != SupervisionKind.Duban)
        {
            throw new ArgumentException("只有督办单有文书。", nameof(notice));
        }

        var body = new List<GongwenParagraph>
        {
            GongwenParagraph.Body($"根据{Common.InspectionTitles.Then(notice.InspectionTitle, "整改工作安排")}，现就以下事项进行督办，请认真研究办理，并按期回复。"),
            new(GongwenLevel.First, "一、督办事项"),
        };
        body.AddRange(Lines(notice.Content).Select(GongwenParagraph.Body));

        var number = 2;
        if (notice.Measures.Count > 0)
        {
            body.Add(new(GongwenLevel.First, ChineseNumerals.Format(number++) + "、涉及的整改措施"));
            var item = 1;
            foreach (var m in notice.Measures)
            {
                var deadline = m.Deadline is { } d ? $"（整改时限：{GongwenWriter.FormatDate(d)}）" : string.Empty;
                body.Add(new(GongwenLevel.Third, string.Create(CultureInfo.InvariantCulture, $"{item++}."), $"措施{m.FindingNumber}.{m.Number}：{m.Text.Trim()}{deadline}"));
            }
        }

        if (!string.IsNullOrWhiteSpace(notice.Requirement))
        {
            body.Add(new(GongwenLevel.First, ChineseNumerals.Format(number++) + "、办理要求"));
            body.AddRange(Lines(notice.Requirement).Select(GongwenParagraph.Body));
        }

        body.Add(new(GongwenLevel.First, ChineseNumerals.Format(number) + "、回复期限"));
        body.Add(GongwenParagraph.Body(notice.ReplyDue is { } due
            ? $"请于{GongwenWriter.FormatDate(due)}前在巡察整改管理系统中回复办理情况，逾期未回复的将按规定进一步督办。"
            : "请在巡察整改管理系统中及时回复办理情况。"));

        return new GongwenDocument(
            TitleOf(notice.Title),
            body,
            issuer,
            ChinaTime.DayOf(notice.CreatedAtUtc),
            Addressee: notice.Unit,
            DocumentNumber: notice.DocumentNumber);
    }

    /// <summary>
    /// The document's title from the 事由 as typed: "整改进度滞后" reads "关于整改进度滞后的督办单". Words the title adds are
    /// not doubled: a leading 关于, a closing 督办 or 督办单 ("整改进度滞后督办" reads "关于整改进度滞后的督办单"), end
    /// punctuation; a 事由 already naming its document (…的督办通知, …的函) keeps it ("关于…的督办通知").
    /// </summary>
    public static string TitleOf(string matter)
    {
        ArgumentNullException.ThrowIfNull(matter);
        var core = matter.Trim().TrimEnd('。', '.', '；', ';', '，', ',', '！', '!', '、', ' ').TrimEnd();
        if (core.StartsWith("关于", StringComparison.Ordinal))
        {
            core = core[2..].TrimStart();
        }

        if (DubanEndings.FirstOrDefault(e => core.EndsWith(e, StringComparison.Ordinal)) is { } ending)
        {
            core = core[..^ending.Length].TrimEnd();
        }
        else if (DocumentEndings.Any(e => core.EndsWith(e, StringComparison.Ordinal)))
        {
            return $"关于{core}";
        }

        return core.Length == 0 ? "督办单" : $"关于{core}的督办单";
    }

    /// <summary>What a 事由 may already end with that the title adds itself, longest first.</summary>
    private static readonly string[] DubanEndings = ["的督办单", "的督办", "督办单", "督办"];

    /// <summary>Endings that already name a document of another kind: the title keeps them.</summary>
    private static readonly string[] DocumentEndings = ["通知", "函"];

    public static string FileName(NoticeDetail notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return (notice.DocumentNumber ?? "督办单") + ".docx";
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
