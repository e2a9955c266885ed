using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.Features.Publications;

/// <summary>Which figures the statistics paragraph states; each appears only when ticked.</summary>
public sealed record StatisticsChoice(
    bool Problems = false,
    bool Completed = false,
    bool Rate = false,
    bool RulesMade = false,
    bool MoneyRecovered = false,
    bool PeopleHandled = false)
{
    public bool Any => Problems || Completed || Rate || RulesMade || MoneyRecovered || PeopleHandled;
}

/// <summary>
/// What the office writes of a notice (a version's <see cref="Publication.Content"/>): the title, the intro formula, the
/// responsibility paragraphs, the headings, the ticked figures, the next steps, the disclosure paragraph's facts, issuer
/// and date. The 二、 part is not here: it is composed from the ledger's public titles and public progress texts.
/// </summary>
public sealed record PublicationDraft(
    string Title,
    string Intro,
    string ResponsibilityHeading,
    IReadOnlyList<PublicParagraph> Responsibility,
    string TasksHeading,
    StatisticsChoice Statistics,
    DateOnly? StatisticsAsOf,
    string NextStepsHeading,
    IReadOnlyList<PublicParagraph> NextSteps,
    string Invitation,
    DateOnly? DisclosureFrom,
    DateOnly? DisclosureTo,
    string? Phone,
    string? Email,
    string? PostalAddress,
    string? Postcode,
    string Issuer,
    DateOnly? Date)
{
    public const string DefaultInvitation = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The draft as it is kept (<see cref="PlainText"/>): the title, headings, issuer and contacts one line each, the
    /// paragraphs without control, format or blank characters; a part with nothing visible left is empty.
    /// </summary>
    public PublicationDraft Cleaned()
    {
        static string Line(string? text) => PlainText.Line(text) ?? string.Empty;
        static string Text(string? text) => PlainText.Clean(text) ?? string.Empty;
        static IReadOnlyList<PublicParagraph> Paragraphs(IReadOnlyList<PublicParagraph>? paragraphs) =>
            [.. (paragraphs ?? []).Select(p => new PublicParagraph(Line(p.Heading), Text(p.Text))).Where(p => p.Heading.Length > 0 || p.Text.Length > 0)];
        return this with
        {
            Title = Line(Title),
            Intro = Text(Intro),
            ResponsibilityHeading = Line(ResponsibilityHeading),
            Responsibility = Paragraphs(Responsibility),
            TasksHeading = Line(TasksHeading),
            NextStepsHeading = Line(NextStepsHeading),
            NextSteps = Paragraphs(NextSteps),
            Invitation = Text(Invitation),
            Phone = PlainText.Line(Phone),
            Email = PlainText.Line(Email),
            PostalAddress = PlainText.Line(PostalAddress),
            Postcode = PlainText.Line(Postcode),
            Issuer = Line(Issuer),
        };
    }

    public static PublicationDraft FromJson(string json) => JsonSerializer.Deserialize<PublicationDraft>(json, Json) ?? throw new InvalidOperationException("公布稿内容为空。");

    /// <summary>
    /// The disclosure paragraph in the words offices use: the invitation, then 公开期限 (the year left out of the end date
    /// when it is the same), 联系电话, 电子邮箱, 邮政信箱 and 邮政编码 — each only when given.
    /// </summary>
    public string DisclosureParagraph()
    {
        var text = new System.Text.StringBuilder(Invitation.Trim());
        if (DisclosureFrom is { } from && DisclosureTo is { } to)
        {
            var end = to.Year == from.Year ? to.ToString("M月d日", CultureInfo.InvariantCulture) : to.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
            text.Append("公开期限：").Append(from.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)).Append('至').Append(end).Append('。');
        }

        var contacts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Phone))
        {
            contacts.Add("联系电话：" + Phone.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Email))
        {
            contacts.Add("电子邮箱：" + Email.Trim());
        }

        if (!string.IsNullOrWhiteSpace(PostalAddress))
        {
            contacts.Add("邮政信箱：" + PostalAddress.Trim() + (string.IsNullOrWhiteSpace(Postcode) ? string.Empty : "，邮政编码：" + Postcode.Trim()));
        }
        else if (!string.IsNullOrWhiteSpace(Postcode))
        {
            contacts.Add("邮政编码：" + Postcode.Trim());
        }

        if (contacts.Count > 0)
        {
            text.Append(string.Join('；', contacts)).Append('。');
        }

        return text.ToString();
    }

    /// <summary>
    /// A first draft from the inspection's metadata: the intro formula ("根据…巡察工作统一安排，…开展了巡察。…反馈了巡察意见。
    /// 根据巡察工作有关要求，现将巡察整改进展情况予以公布。"), the usual headings, the inspected organization as issuer.
    /// </summary>
    public static PublicationDraft ForInspection(InspectionFacts facts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var word = facts.Kind == InspectionKind.Xunshi ? "巡视" : "巡察";
        var named = facts.TargetShortName is { Length: > 0 } s && s != facts.Target ? $"{facts.Target}（以下简称“{s}”）" : facts.Target;
        var shortName = facts.TargetShortName ?? facts.Target;
        var committee = Committee(facts.Team);
        var intro = new System.Text.StringBuilder();
        intro.Append("根据").Append(committee).Append(word).Append("工作统一安排，");
        if (facts.OnSiteFrom is { } from)
        {
            intro.Append(from.ToString("yyyy年M月d日", CultureInfo.InvariantCulture));
            if (facts.OnSiteTo is { } to)
            {
                intro.Append('至').Append(to.ToString(to.Year == from.Year ? "M月d日" : "yyyy年M月d日", CultureInfo.InvariantCulture));
            }

            intro.Append('，');
        }

        intro.Append(facts.Team).Append('对').Append(named).Append("开展了").Append(word).Append('。');
        if (facts.FeedbackDate is { } feedback)
        {
            intro.Append(feedback.ToString(facts.OnSiteFrom?.Year == feedback.Year ? "M月d日" : "yyyy年M月d日", CultureInfo.InvariantCulture))
                .Append('，').Append(facts.Team).Append('向').Append(shortName).Append("反馈了").Append(word).Append("意见。");
        }

        intro.Append("根据").Append(word).Append("工作有关要求，现将").Append(word).Append("整改进展情况予以公布。");
        return new PublicationDraft(
            Title: $"{facts.Target}关于{word}整改进展情况的通报",
            Intro: intro.ToString(),
            ResponsibilityHeading: $"{Body(facts.TargetShortName ?? facts.Target)}履行{word}整改主体责任情况",
            Responsibility: [],
            TasksHeading: $"{word}整改任务落实情况",
            Statistics: new StatisticsChoice(),
            StatisticsAsOf: null,
            NextStepsHeading: "下一步工作打算",
            NextSteps: [],
            Invitation: DefaultInvitation.Replace("巡察", word, StringComparison.Ordinal),
            DisclosureFrom: null,
            DisclosureTo: null,
            Phone: null,
            Email: null,
            PostalAddress: null,
            Postcode: null,
            Issuer: facts.Target,
            Date: today);
    }

    /// <summary>
    /// A draft that carries an imported notice's own words: its intro, responsibility paragraphs, next steps,
    /// disclosure facts, issuer and date (the measures' public progress texts were filled on import).
    /// </summary>
    public PublicationDraft WithNotice(NoticeDocument notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var d = notice.Disclosure;
        return this with
        {
            Intro = notice.Inspection.Text.Length > 0 ? notice.Inspection.Text : Intro,
            Responsibility = [.. notice.Responsibility.Select(p => new PublicParagraph(p.Heading, p.Text))],
            NextSteps = [.. notice.NextSteps.Select(p => new PublicParagraph(p.Heading, p.Text))],
            DisclosureFrom = d?.From ?? DisclosureFrom,
            DisclosureTo = d?.To ?? DisclosureTo,
            Phone = d?.Phone ?? Phone,
            Email = d?.Email ?? Email,
            PostalAddress = d?.PostalAddress ?? PostalAddress,
            Postcode = d?.Postcode ?? Postcode,
            Issuer = notice.Issuer ?? Issuer,
            Date = notice.Date ?? Date,
        };
    }

    /// <summary>The committee that sent the team: "市委第七巡察组" → "市委"; otherwise "上级党组织".</summary>
    private static string Committee(string team)
    {
        var at = team.IndexOf('第', StringComparison.Ordinal);
        return at > 0 ? team[..at] : "上级党组织";
    }

    /// <summary>The governing body's word in the short name: "万江街道党工委" → "党工委"; otherwise "党委".</summary>
    private static string Body(string name)
    {
        string[] bodies = ["党工委", "党委", "党组", "党总支", "党支部"];
        return bodies.FirstOrDefault(b => name.EndsWith(b, StringComparison.Ordinal)) ?? "党委";
    }
}

/// <summary>The inspection's metadata a first draft is made from.</summary>
public sealed record InspectionFacts(InspectionKind Kind, string Team, string Target, string? TargetShortName, DateOnly? OnSiteFrom, DateOnly? OnSiteTo, DateOnly? FeedbackDate);
