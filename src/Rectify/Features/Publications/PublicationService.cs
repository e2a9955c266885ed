using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;
using Rectify.Features.Inspections;

namespace Rectify.Features.Publications;

/// <summary>
/// The life of an inspection's progress notice: the office starts a draft from the inspection's metadata, edits it and
/// the measures' public progress texts, and submits it (the notice is composed from the ledger then and frozen); the
/// first responsible person approves or returns it; a correction is a new version. Scope (404), permission (403), the
/// notice's rules (409/400); each step one transaction with its audit record.
/// </summary>
public sealed partial class PublicationService(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    private const string LostRace = "公布稿刚刚已被他人修改，请刷新页面后再操作。";

    /// <summary>The office starts the first draft from the inspection's metadata.</summary>
    public async Task<WorkflowResult> StartAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var facts = await FactsAsync(inspectionId, cancellationToken);
        if (facts is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePublication);
        if (await db.Publications.AnyAsync(p => p.InspectionId == inspectionId, cancellationToken))
        {
            throw BusinessRules.Refuse(new ANoticeIsStartedOnce());
        }

        var draft = PublicationDraft.ForInspection(facts, ChinaTime.Today(clock));
        var publication = Publication.Start(inspectionId, NewPublicKey(), draft.ToJson(), null, null, caller.Actor, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Publications.Add(publication);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.PublicationStarted, ObjectType: "Publication", ObjectId: Id(publication.Id), After: new { inspectionId, publication.Number }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done("已生成公布稿草稿。", publication.Id);
    }

    /// <summary>The office saves the draft's parts, on the version it saw.</summary>
    public async Task<WorkflowResult> SaveAsync(int inspectionId, int? version, PublicationDraft draft, string? correctionNote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var publication = await LatestAsync(inspectionId, cancellationToken);
        if (publication is null)
        {
            return WorkflowResult.NotFound;
        }

        // Kept as typed text is kept everywhere: the notice is the one text the public reads.
        draft = draft.Cleaned();
        caller.Require(Permission.ManagePublication);
        CheckVersion(publication, version);
        BusinessRules.Check(new Publication.OnlyADraftIsEdited(publication.State));
        BusinessRules.Check(new ADraftIsComplete(draft));
        publication.Edit(draft.ToJson(), draft.DisclosureFrom, draft.DisclosureTo, correctionNote);
        await CommitAsync(publication, AuditActions.PublicationEdited, new { publication.Number, draft.DisclosureFrom, draft.DisclosureTo }, cancellationToken);
        return WorkflowResult.Done("已保存公布稿。", publication.Id);
    }

    /// <summary>The office writes the measures' public progress texts (measure id → text; empty clears).</summary>
    public async Task<WorkflowResult> WriteProgressAsync(int inspectionId, IReadOnlyDictionary<int, string?> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePublication);
        var ids = texts.Keys.ToList();
        var measures = await db.Measures.Where(m => m.InspectionId == inspectionId && ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var changed = new List<int>();
        foreach (var measure in measures)
        {
            var before = measure.PublicProgress;
            measure.WritePublicProgress(texts[measure.Id]);
            if (before != measure.PublicProgress)
            {
                changed.Add(measure.Id);
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.PublicProgressWritten, ObjectType: "Inspection", ObjectId: Id(inspectionId), After: new { Measures = changed }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(string.Create(CultureInfo.InvariantCulture, $"已保存 {changed.Count} 条措施的公开进展。"));
    }

    /// <summary>送审: the notice is composed from the ledger now and frozen in the version.</summary>
    public async Task<WorkflowResult> SubmitAsync(int inspectionId, int? version, CancellationToken cancellationToken)
    {
        var publication = await LatestAsync(inspectionId, cancellationToken);
        if (publication is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePublication);
        CheckVersion(publication, version);
        var draft = PublicationDraft.FromJson(publication.Content);
        BusinessRules.Check(new ADraftIsComplete(draft));
        BusinessRules.Check(new Publication.ANoticeHasItsDisclosurePeriod(publication.DisclosureFrom, publication.DisclosureTo));
        var notice = await PublicationComposer.ComposeAsync(db, caller.Scope, inspectionId, draft, ChinaTime.Today(clock), cancellationToken);
        publication.Submit(notice.ToJson(), caller.Actor, clock);
        await CommitAsync(publication, AuditActions.PublicationSubmitted, new { publication.Number }, cancellationToken);
        return WorkflowResult.Done("已送审，等待第一责任人审定。", publication.Id);
    }

    public async Task<WorkflowResult> ReturnAsync(int inspectionId, int? version, string? reason, CancellationToken cancellationToken)
    {
        var publication = await LatestAsync(inspectionId, cancellationToken);
        if (publication is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ApprovePublication);
        CheckVersion(publication, version);
        publication.Return(reason);
        await CommitAsync(publication, AuditActions.PublicationReturned, new { publication.Number, reason }, cancellationToken, reason);
        return WorkflowResult.Done("已退回整改办修改。", publication.Id);
    }

    /// <summary>审定: published on its start date; the version it corrects is superseded.</summary>
    public async Task<WorkflowResult> ApproveAsync(int inspectionId, int? version, CancellationToken cancellationToken)
    {
        var publication = await LatestAsync(inspectionId, cancellationToken);
        if (publication is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ApprovePublication);
        CheckVersion(publication, version);
        var corrected = await db.Publications
            .Where(p => p.InspectionId == inspectionId && p.State == PublicationState.Approved && p.Number < publication.Number)
            .OrderByDescending(p => p.Number).FirstOrDefaultAsync(cancellationToken);
        publication.Approve(corrected, caller.Actor, clock);
        await CommitAsync(publication, AuditActions.PublicationApproved, new { publication.Number, publication.DisclosureFrom, publication.DisclosureTo, Supersedes = corrected?.Number }, cancellationToken);
        var standing = Publication.StandingOn(publication.DisclosureFrom, publication.DisclosureTo, ChinaTime.Today(clock));
        return WorkflowResult.Done(standing == PublicationStanding.Scheduled ? $"已审定，将于 {publication.DisclosureFrom:yyyy-MM-dd} 公布。" : "已审定并公布。", publication.Id);
    }

    /// <summary>更正: a new draft version after the approved one, with a note the public will read.</summary>
    public async Task<WorkflowResult> CorrectAsync(int inspectionId, string? note, CancellationToken cancellationToken)
    {
        var latest = await LatestAsync(inspectionId, cancellationToken);
        if (latest is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePublication);
        var correction = Publication.Correct(latest, note, caller.Actor, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Publications.Add(correction);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(new AuditEvent(AuditActions.PublicationCorrected, ObjectType: "Publication", ObjectId: Id(correction.Id), After: new { correction.Number, note }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(string.Create(CultureInfo.InvariantCulture, $"已新建第 {correction.Number} 版（更正），请修改后送审。"), correction.Id);
    }

    /// <summary>The inspection's metadata, when the caller sees it.</summary>
    public Task<InspectionFacts?> FactsAsync(int inspectionId, CancellationToken cancellationToken) =>
        db.VisibleInspections(caller.Scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new InspectionFacts(i.Kind, i.InspectingBody.Name, i.InspectedOrganization.Name, i.InspectedOrganization.ShortName, i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>A new public key: 16 characters of a cryptographic random, lower-case letters and digits (never guessed from an id).</summary>
    public static string NewPublicKey() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);

    private async Task<Publication?> LatestAsync(int inspectionId, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return null;
        }

        return await db.Publications.Where(p => p.InspectionId == inspectionId).OrderByDescending(p => p.Number).FirstOrDefaultAsync(cancellationToken);
    }

    private static void CheckVersion(Publication publication, int? version)
    {
        if (version != publication.Version)
        {
            throw BusinessRules.Refuse(new Refusals.SomeoneElseWasFirst(LostRace));
        }
    }

    private async Task CommitAsync(Publication publication, string action, object after, CancellationToken cancellationToken, string? reason = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken);
        if (action is AuditActions.PublicationSubmitted or AuditActions.PublicationReturned or AuditActions.PublicationApproved)
        {
            await handOffs.PublicationStepAsync(publication.InspectionId, action == AuditActions.PublicationReturned ? PublicationState.Draft : publication.State, reason, cancellationToken);
        }

        await audit.RecordAsync(new AuditEvent(action, ObjectType: "Publication", ObjectId: Id(publication.Id), After: after), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    public sealed class ANoticeIsStartedOnce() : Refused("这次巡察已有公布稿；如需修改已审定的版本，请新建更正版本。");

    /// <summary>
    /// A notice needs its title, intro, issuer and date, no part longer than a notice would be, and contact details a
    /// reader can use: an e-mail address that is one, a telephone number of digits, a postcode of six digits. The message
    /// names every field at fault at once, so that one refusal is enough to mend the whole form.
    /// </summary>
    public sealed partial class ADraftIsComplete(PublicationDraft draft) : IBusinessRule
    {
        private const int MaxPart = 20000;

        public bool IsBroken() => Problems().Any();

        public string Message => string.Concat(Problems());

        public Refusal Refusal => Refusal.Invalid;

        private IEnumerable<string> Problems()
        {
            var missing = new[] { ("标题", draft.Title), ("开头", draft.Intro), ("发文机关", draft.Issuer), ("成文日期", draft.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) }
                .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
            {
                yield return $"请填写公布稿的{string.Join("、", missing)}。";
            }

            var tooLong = new (string Name, string? Value, int Most)[] { ("标题", draft.Title, 200), ("开头", draft.Intro, MaxPart), ("发文机关", draft.Issuer, 200), ("联系电话", draft.Phone, 200), ("电子邮箱", draft.Email, 200), ("通信地址", draft.PostalAddress, 200), ("邮政编码", draft.Postcode, 200) }
                .Concat(draft.Responsibility.Concat(draft.NextSteps).SelectMany(p => new (string Name, string? Value, int Most)[] { ("部分标题“" + Short(p.Heading) + "”", p.Heading, 500), ("“" + Short(p.Heading) + "”的正文", p.Text, MaxPart) }))
                .Where(f => f.Value is { } v && v.Length > f.Most)
                .ToList();
            foreach (var (name, value, most) in tooLong)
            {
                yield return $"{name}不超过 {most} 字（现为 {value!.Length} 字）。";
            }

            // A contact already named as too long is not named again for its shape.
            bool Shaped(string name, string? value) => !string.IsNullOrWhiteSpace(value) && !tooLong.Exists(f => f.Name == name);
            if (Shaped("电子邮箱", draft.Email) && !EmailShape().IsMatch(draft.Email!.Trim()))
            {
                yield return $"电子邮箱“{Short(draft.Email)}”不是有效的邮箱地址（如 jubao@example.gov.cn）。";
            }

            if (Shaped("联系电话", draft.Phone) && (!PhoneShape().IsMatch(draft.Phone!.Trim()) || draft.Phone.Count(char.IsDigit) < 5))
            {
                yield return $"联系电话“{Short(draft.Phone)}”不是有效的电话号码（应以号码或区号开头，如 0769-22221234、12388）。";
            }

            if (Shaped("邮政编码", draft.Postcode) && !PostcodeShape().IsMatch(draft.Postcode!.Trim()))
            {
                yield return $"邮政编码“{Short(draft.Postcode)}”应为 6 位数字。";
            }
        }

        private static string Short(string text) => text.Length <= 30 ? text : text[..30] + "…";

        [System.Text.RegularExpressions.GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$")]
        private static partial System.Text.RegularExpressions.Regex EmailShape();

        // A number first (or its area code in brackets, or +86); what follows may say more, as notices do: 0769-22221234（工作日）.
        [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9０-９(（+＋]")]
        private static partial System.Text.RegularExpressions.Regex PhoneShape();

        [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]{6}$")]
        private static partial System.Text.RegularExpressions.Regex PostcodeShape();
    }
}

/// <summary>Composes the public notice from a draft and the ledger's public parts: categories, findings' public titles, measures' public progress.</summary>
public static class PublicationComposer
{
    public static async Task<PublicNotice> ComposeAsync(RectifyDbContext db, AccessScope scope, int inspectionId, PublicationDraft draft, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        var findings = await db.Findings.AsNoTracking().Where(f => f.InspectionId == inspectionId)
            .OrderBy(f => f.Category.Number).ThenBy(f => f.Number)
            .Select(f => new { f.Id, CategoryNumber = f.Category.Number, CategoryTitle = f.Category.Title, f.Number, f.Title })
            .ToListAsync(cancellationToken);

        // The public progress text after the measure's own first sentence, or, where the office has written none, the
        // measure as the plan states it (a plan's measures are public in the genre) — never a report's narrative.
        var measures = (await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId && m.WithdrawnAtUtc == null)
            .OrderBy(m => m.Number)
            .Select(m => new { m.FindingId, m.PublicProgress, m.Text })
            .ToListAsync(cancellationToken))
            .ToLookup(m => m.FindingId, m => MeasureLine(m.Text, m.PublicProgress));
        var categories = findings.GroupBy(f => (f.CategoryNumber, f.CategoryTitle))
            .Select(g => new PublicCategory(g.Key.CategoryNumber, g.Key.CategoryTitle, [.. g.Select(f => new PublicFinding(f.Number, f.Title, [.. measures[f.Id]]))]))
            .ToList();
        var statistics = draft.Statistics.Any ? await StatisticsAsync(db, scope, inspectionId, draft.Statistics, draft.StatisticsAsOf ?? today, cancellationToken) : null;
        return new PublicNotice(
            draft.Title.Trim(),
            draft.Intro.Trim(),
            draft.ResponsibilityHeading.Trim(),
            draft.Responsibility,
            draft.TasksHeading.Trim(),
            categories,
            statistics,
            draft.NextStepsHeading.Trim(),
            draft.NextSteps,
            draft.DisclosureParagraph(),
            draft.DisclosureFrom ?? today,
            draft.DisclosureTo ?? today,
            draft.Issuer.Trim(),
            draft.Date ?? today);
    }

    /// <summary>
    /// A measure as the notice states it: "一是" + its first sentence as the plan words it, then what was done — "规范“三会一课”
    /// 制度。已对全街道42个党支部逐一检查…" — as every notice of the genre does. Progress that already begins with that
    /// sentence is taken as it is; without progress, the measure's whole text.
    /// </summary>
    public static string MeasureLine(string text, string? progress)
    {
        ArgumentNullException.ThrowIfNull(text);
        var measure = text.Trim();
        if (string.IsNullOrWhiteSpace(progress))
        {
            return measure;
        }

        var done = progress.Trim();
        var stop = measure.IndexOfAny(['。', '；', ';', '\n']);
        var heading = (stop < 0 ? measure : measure[..stop]).TrimEnd('，', ',', '：', ':', ' ');
        if (heading.Length == 0 || done.StartsWith(heading, StringComparison.Ordinal))
        {
            return done;
        }

        return heading + "。" + done;
    }

    /// <summary>
    /// The figures as offices word them — "截至2025年10月16日，27个问题已完成整改19个，完成率70.4%，建立完善制度12项，
    /// 挽回经济损失35.6万元，处理5人。" — each only when ticked; the problems and their completion by the rules of
    /// docs/rules.md (the overview's figures, as of <paramref name="asOf"/>).
    /// </summary>
    public static async Task<string?> StatisticsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, StatisticsChoice choice, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(choice);
        var parts = new List<string>();
        if (choice.Problems || choice.Completed || choice.Rate)
        {
            var overview = await OverviewQueries.LoadAsync(db, scope, inspectionId, asOf, cancellationToken);
            var findings = overview?.Findings ?? [];
            var total = findings.Count;
            var done = findings.Count(f => f.Completion is Completion.Completed or Completion.Sustained);
            var problems = (choice.Problems, choice.Completed) switch
            {
                // "3个问题已完成整改0个" is not how a notice says it: none done yet, or all done, in words.
                (true, true) when total > 0 && done == 0 => $"{total}个问题正在整改",
                (true, true) when total > 0 && done == total => $"{total}个问题已全部完成整改",
                (true, true) => $"{total}个问题已完成整改{done}个",
                (true, false) => $"反馈问题{total}个",
                (false, true) when done == 0 => "反馈问题正在整改",
                (false, true) => $"已完成整改问题{done}个",
                _ => null,
            };
            if (problems is not null)
            {
                parts.Add(problems);
            }

            if (choice.Rate)
            {
                parts.Add("完成率" + Figures.Rate(done, total).ToString("0.#", CultureInfo.InvariantCulture) + "%");
            }
        }

        if (choice.RulesMade)
        {
            var rules = await db.Institutions.CountAsync(i => i.InspectionId == inspectionId && !i.Withdrawn, cancellationToken);
            parts.Add($"建立完善制度{rules}项");
        }

        if (choice.MoneyRecovered || choice.PeopleHandled)
        {
            // Summed here: SQLite does not aggregate decimals, and an inspection has few outcome entries.
            var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.InspectionId == inspectionId && !o.Withdrawn)
                .Select(o => new { o.Kind, o.Amount }).ToListAsync(cancellationToken);
            if (choice.MoneyRecovered)
            {
                var money = outcomes.Where(o => o.Kind == OutcomeKind.MoneyRecovered).Sum(o => o.Amount);
                parts.Add("挽回经济损失" + money.ToString("0.##", CultureInfo.InvariantCulture) + "万元");
            }

            if (choice.PeopleHandled)
            {
                var people = outcomes.Where(o => o.Kind == OutcomeKind.PeopleHandled).Sum(o => o.Amount);
                parts.Add("处理" + people.ToString("0", CultureInfo.InvariantCulture) + "人");
            }
        }

        return parts.Count == 0 ? null : $"截至{asOf.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}，{string.Join('，', parts)}。";
    }
}
