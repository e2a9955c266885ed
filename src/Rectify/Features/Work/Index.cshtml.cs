using Microsoft.AspNetCore.Mvc.RazorPages;

// EF Core translates string.StartsWith(string) to a prefix match on the organization path (see AccessQueries).
#pragma warning disable CA1310
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Supervision;

namespace Rectify.Features.Work;

/// <summary>待办: what needs the signed-in person now, by role, within their scope.</summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, AnswerCache answers, Publications.OpinionService opinions, TimeProvider clock) : PageModel
{
    private const int Shown = 50;

    /// <summary>
    /// The most a list counts: past it the count says "more than 1,000" (<see cref="Tally.More"/>). An office that sees a
    /// province has hundreds of thousands of measures past their deadline; counting them all took seconds a list and told it
    /// no more than the ledger's figures do, while a count that stops reads as many rows as it names (issue #12, ADR 0035).
    /// </summary>
    public const int Counted = 1000;

    /// <param name="MeasureId">The measure.</param>
    /// <param name="FindingNumber">Its finding's number.</param>
    /// <param name="MeasureNumber">Its number in the finding.</param>
    /// <param name="Text">What it says.</param>
    /// <param name="LeadUnit">牵头单位.</param>
    /// <param name="Date">整改时限 (a look-back's own date in the look-back sections); none for 长期坚持.</param>
    /// <param name="Note">The inspection.</param>
    /// <param name="Cadence">报送情况 of a 长期坚持 measure (<see cref="Measure.CadenceStandingAt"/>).</param>
    /// <param name="LatestReport">The state of the measure's latest progress report (待审核, 已退回, 已采纳); none before the first.</param>
    /// <param name="ReportsEvery">
    /// A 长期坚持 measure's 报送周期 when it has no deadline: its 整改时限 column reads "每月报送" (as the ledger does), not "—".
    /// Null on a look-back's row, whose date is the look-back's.
    /// </param>
    public sealed record Item(int MeasureId, int FindingNumber, int MeasureNumber, string Text, string? LeadUnit, DateOnly? Date, string? Note, CadenceStanding Cadence, ProgressReportState? LatestReport = null, ReportingCadence? ReportsEvery = null)
    {
        /// <summary>The office's own 台账 called the measure 已完成 when imported, and it is still to be signed off (原台账：已完成).</summary>
        public bool LedgerSaysDone { get; init; }
    }

    /// <summary>How many are in a list, counted no further than <see cref="Counted"/>.</summary>
    /// <param name="Total">How many, at most <see cref="Counted"/>.</param>
    /// <param name="More">More than <see cref="Counted"/> are in it.</param>
    public sealed record Tally(int Total, bool More)
    {
        public static readonly Tally None = new(0, false);

        /// <summary>What the list's badge says: the number, or "1000+" past the bound.</summary>
        public string Badge => Total.ToString(System.Globalization.CultureInfo.InvariantCulture) + (More ? "+" : string.Empty);
    }

    /// <param name="Key">The list's anchor.</param>
    /// <param name="Title">Its heading.</param>
    /// <param name="Count">How many are in it.</param>
    /// <param name="Items">The first <see cref="Shown"/>.</param>
    public sealed record Section(string Key, string Title, Tally Count, IReadOnlyList<Item> Items);

    public IReadOnlyList<Section> Sections { get; private set; } = [];

    /// <summary>
    /// The one inspection every listed measure belongs to, or none when they belong to several (or none are listed). Most
    /// people work on one inspection at a time: the page then names it once above the lists instead of in a column that
    /// repeats the same long title on every row.
    /// </summary>
    public string? OneInspection
    {
        get
        {
            var notes = Sections.SelectMany(s => s.Items).Select(i => i.Note).Distinct().Take(2).ToList();
            return notes is [{ } only] ? only : null;
        }
    }

    /// <summary>督办单 waiting for the caller: to reply to (the unit), to close or chase (the office, the inspection body).</summary>
    public sealed record NoticeSection(string Key, string Title, Tally Count, IReadOnlyList<NoticeRow> Items);

    public IReadOnlyList<NoticeSection> NoticeSections { get; private set; } = [];

    /// <param name="InspectionId">The inspection.</param>
    /// <param name="Inspection">Its title.</param>
    /// <param name="What">What waits (待审定的整改方案, 待审定的公布稿, 待同意公开的答复).</param>
    /// <param name="Count">How many of it (a plan or a notice is one; replies are counted).</param>
    /// <param name="Link">Where it is decided.</param>
    public sealed record Approval(int InspectionId, string Inspection, string What, int Count, string Link);

    /// <summary>
    /// What waits for the 第一责任人's decision on an inspection as a whole: a plan submitted for 审定, a progress notice
    /// submitted for approval, replies to the public proposed for publication. Null for a caller who decides none of them.
    /// </summary>
    public IReadOnlyList<Approval>? Approvals { get; private set; }

    /// <summary>The public's 意见建议 waiting for the office, per inspection (null for anyone who does not handle them).</summary>
    public IReadOnlyList<Approval>? Opinions { get; private set; }

    public DateOnly Today { get; private set; }

    /// <summary>交办的意见建议 of a unit's reporter: how many were handed to the unit, and how many wait for its 办理情况 (null for anyone else).</summary>
    public (int Total, int Waiting)? AssignedOpinions { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var scope = caller.Scope;
        var today = ChinaTime.Today(clock);
        Today = today;

        // The lists depend on rectification content, the day and who asks: kept per content version like the ledger
        // (AnswerCache, ADR 0031), so that the office's 待办 asked again is not counted again over the whole installation.
        var lists = await answers.KeptAsync(
            db,
            ("work", AnswerCache.ScopeKey(scope, withUser: true), today),
            (d, ct) => ListsAsync(d, scope, today, ct),
            l => l.Sections.Sum(x => x.Items.Count) + l.Notices.Sum(x => x.Items.Count) + 1,
            cancellationToken);
        var sections = lists!.Value.Sections.ToList();
        if (scope.IsUnitReporter && await opinions.AssignedCountsAsync(cancellationToken) is { Total: > 0 } assigned)
        {
            AssignedOpinions = assigned;
        }

        NoticeSections = lists.Value.Notices;
        Approvals = lists.Value.Approvals;
        Opinions = lists.Value.Opinions;

        if (Permissions.HoldsRoleFor(scope, Permission.ReviewReport))
        {
            // Evidence whose stored file failed its SHA-256 check on a download (AuditActions.EvidenceIntegrityFailed): the
            // audit trail is not content, so this one is read every time, and shown before the reports to review.
            var measures = db.VisibleMeasures(scope).AsNoTracking();
            var damaged = (await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.EvidenceIntegrityFailed && a.ObjectType == "Measure")
                    .Select(a => a.ObjectId).Distinct().ToListAsync(cancellationToken))
                .Select(id => int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0).Where(n => n > 0).ToList();
            const string Key = "evidence-integrity", Title = "佐证材料校验不符（存储文件已被改动或损坏）";
            var at = sections.FindIndex(x => x.Key == "reports");
            sections.Insert(at < 0 ? sections.Count : at, damaged.Count == 0 ? new Section(Key, Title, Tally.None, []) : await SectionAsync(db, Key, Title, measures.Where(m => damaged.Contains(m.Id)), today, cancellationToken, fromShortList: true));
        }

        Sections = sections;
    }

    /// <summary>Every list of 待办 but the evidence check's, by role, within the caller's scope.</summary>
    private static async Task<WorkLists?> ListsAsync(RectifyDbContext db, AccessScope scope, DateOnly today, CancellationToken cancellationToken)
    {
        var soon = today.AddDays(30);
        var measures = db.VisibleMeasures(scope).AsNoTracking();
        var sections = new List<Section>();
        var office = Permissions.HoldsRoleFor(scope, Permission.ReviewReport);
        var leader = Permissions.HoldsRoleFor(scope, Permission.ApproveSignOff);
        var reporter = Permissions.HoldsRoleFor(scope, Permission.FileReport) && scope.OrganizationPath is not null;
        var path = scope.OrganizationPath ?? "\u0000";
        var ownUnit = Permissions.Actionable(measures, scope, Permission.FileReport);

        // What a leader decides: a 责任领导 the measures they answer for, a 第一责任人 every measure they see (the permission table's rule).
        var leadersOwn = Permissions.Actionable(measures, scope, Permission.ApproveSignOff);

        var notices = db.VisibleNotices(scope).AsNoTracking().Where(n => n.Kind == SupervisionKind.Duban);
        var noticeSections = new List<NoticeSection>();
        if (reporter)
        {
            noticeSections.Add(await NoticeSectionAsync(db, "duban-reply", "待回复的督办单", notices.Where(n => n.State == SupervisionState.Open && n.Unit.Path.StartsWith(path)), cancellationToken));
        }

        if (Permissions.HoldsRoleFor(scope, Permission.Supervise))
        {
            noticeSections.Add(await NoticeSectionAsync(db, "duban-close", "已回复、待办结的督办单", notices.Where(n => n.State == SupervisionState.Replied), cancellationToken));
            noticeSections.Add(await NoticeSectionAsync(db, "duban-late", "逾期未回复的督办单", notices.Where(n => n.State == SupervisionState.Open && n.ReplyDue != null && n.ReplyDue < today), cancellationToken));
        }

        // Extension requests (申请延期) wait for the office's review, then for the measure's own leader (or the first responsible person).
        // Each waiting list is read once, by its state's index, and the caller's measures are looked up by id from it
        // (m.Id IN (…)): asked per measure instead, a root office's 待办 probed the whole table for each of 120,000 measures.
        var extensions = db.DeadlineExtensions.AsNoTracking();
        if (Permissions.HoldsRoleFor(scope, Permission.ReviewExtension))
        {
            var requested = extensions.Where(e => e.State == ExtensionState.Requested).Select(e => e.MeasureId);
            sections.Add(await SectionAsync(db, "extensions-review", "待审核的延期申请", measures.Where(m => requested.Contains(m.Id)), today, cancellationToken, fromShortList: true));
        }

        if (Permissions.HoldsRoleFor(scope, Permission.DecideExtension))
        {
            var forwarded = extensions.Where(e => e.State == ExtensionState.Forwarded).Select(e => e.MeasureId);
            sections.Add(await SectionAsync(db, "extensions-decide", "待审批的延期申请", Permissions.Actionable(measures, scope, Permission.DecideExtension).Where(m => forwarded.Contains(m.Id)), today, cancellationToken, fromShortList: true));
        }

        if (reporter)
        {
            sections.Add(await SectionAsync(db, "extensions-returned", "被退回的延期申请", ownUnit.Where(m => extensions.Where(e => e.MeasureId == m.Id).OrderByDescending(e => e.Number).Select(e => (ExtensionState?)e.State).FirstOrDefault() == ExtensionState.Returned && m.State != MeasureState.SignedOff), today, cancellationToken));
        }

        if (office)
        {
            // Measure.ReportsAwaitingReview, kept with the reports: read by its own index, not by hashing every report waiting.
            sections.Add(await SectionAsync(db, "reports", "待审核的进展报送", measures.Where(m => m.ReportsAwaitingReview > 0), today, cancellationToken));
            sections.Add(await SectionAsync(db, "review", "待整改办审核的销号申请", measures.Where(m => m.State == MeasureState.AwaitingReview), today, cancellationToken));
            // Look-backs by their own date: those falling due within 30 days, and those already past it, apart.
            var open = db.LookBacks.AsNoTracking().Where(l => l.Result == null && measures.Any(m => m.Id == l.MeasureId));
            sections.Add(await LookBackSectionAsync(db, "lookbacks", "到期的回头看（30 天内）", open.Where(l => l.DueDate >= today && l.DueDate <= soon), today, cancellationToken));
            sections.Add(await LookBackSectionAsync(db, "lookbacks-late", "已过期未进行的回头看", open.Where(l => l.DueDate < today), today, cancellationToken));
        }

        if (leader)
        {
            sections.Add(await SectionAsync(db, "approve", "待领导审批的销号申请", leadersOwn.Where(m => m.State == MeasureState.AwaitingApproval), today, cancellationToken));
        }

        if (reporter)
        {
            // A plan just adopted hands the unit its measures: each waits for the unit to start it (启动), whatever its kind.
            sections.Add(await SectionAsync(db, "planned", "待启动的措施", ownUnit.Where(m => m.State == MeasureState.Planned), today, cancellationToken));
            var returned = ownUnit.Where(m => db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Number).Select(r => r.State).FirstOrDefault() == ProgressReportState.Returned);
            sections.Add(await SectionAsync(db, "returned", "被退回、需要重新报送的进展", returned, today, cancellationToken));

            // A 回头看 found the problem back (反弹) and reopened the measure: the unit owes a report made after that finding.
            var rebounded = ownUnit.Where(m => m.State == MeasureState.InProgress
                && db.LookBacks.Any(l => l.MeasureId == m.Id && l.Result == LookBackResult.Rebound && (m.LastReportAtUtc == null || m.LastReportAtUtc < l.ReviewedAtUtc)));
            sections.Add(await SectionAsync(db, "rebound", "回头看发现反弹、需要重新整改的措施", rebounded, today, cancellationToken));
            sections.Add(await SectionAsync(db, "cadence", "本周期应报送进展的长期坚持措施", ownUnit.Where(LedgerQueries.CadenceReportDueOn(today)), today, cancellationToken));
            sections.Add(await SectionAsync(db, "due", "30 天内到期的措施", ownUnit.Where(m => m.Deadline != null && m.Deadline >= today && m.Deadline <= soon && m.State != MeasureState.SignedOff && m.Kind != MeasureKind.Ongoing), today, cancellationToken));

            // As a 配合单位: the measures under way it supports and owes the lead unit its part (配合情况) on: none handed in
            // yet, or, on a 长期坚持 measure, none this period (SupportReport.PartCountsFromUtc).
            var ours = Permissions.UnitsOfCaller(db.Organizations, scope).Select(o => o.Id);
            var supported = Permissions.Actionable(measures, scope, Permission.ReportSupport)
                .Where(m => (m.State == MeasureState.InProgress || m.State == MeasureState.Ongoing) && m.Inspection.PlanState == PlanState.InForce)
                .Where(LedgerQueries.SupportPartOwedOn(today, db.SupportReports.Where(r => ours.Contains(r.OrganizationId))));
            sections.Add(await SectionAsync(db, "support", "待报送配合情况的措施", supported, today, cancellationToken));
        }

        if (scope.ReadsRectification)
        {
            // Late to finish and late to report are two things, counted apart (docs/rules.md). Only in a plan in force
            // (审定实施): a draft's deadlines are proposals, and nothing of it is late before the 党组织 adopts it.
            // Each sees what is theirs to act on: a unit its own measures, a 责任领导 those they answer for.
            // One who is both (a unit's reporter who is also a 责任领导) sees both theirs, not everything; the office and
            // those who oversee (巡察机构, 纪检监察) everything they see.
            var mine = (!office && (leader || reporter) ? Permissions.Actionable(measures, scope, Permission.ApproveSignOff, Permission.FileReport) : measures)
                .Where(m => m.Inspection.PlanState == PlanState.InForce);
            sections.Add(await SectionAsync(db, "overdue", "超期的措施", mine.Where(LedgerQueries.IsPastDeadlineOn(today)), today, cancellationToken));
            sections.Add(await SectionAsync(db, "unreported", "逾期未报的长期坚持措施", mine.Where(LedgerQueries.IsMissingCadenceReportOn(today)), today, cancellationToken));
        }

        return new WorkLists(sections, noticeSections, await ApprovalsAsync(db, scope, cancellationToken), await OpinionsAsync(db, scope, cancellationToken));
    }

    /// <summary>The lists as kept: the measure sections, the 督办单 sections and what waits for the 第一责任人.</summary>
    private sealed record WorkLists(IReadOnlyList<Section> Sections, IReadOnlyList<NoticeSection> Notices, IReadOnlyList<Approval>? Approvals, IReadOnlyList<Approval>? Opinions);

    /// <summary>
    /// The 意见建议 the office is to act on, per inspection it sees: those newly received (to hand to a unit, answer or
    /// close) and those whose unit has reported its 办理情况 (to answer). A notice's disclosure period is short, so they
    /// are here, not only in 消息. Grouped counts by the opinions' (inspection, state) index, at most <see cref="Shown"/>
    /// inspections each.
    /// </summary>
    private static async Task<IReadOnlyList<Approval>?> OpinionsAsync(RectifyDbContext db, AccessScope scope, CancellationToken cancellationToken)
    {
        if (!Permissions.HoldsRoleFor(scope, Permission.TriageOpinions))
        {
            return null;
        }

        var inspections = db.VisibleInspections(scope).AsNoTracking();
        var opinions = db.PublicOpinions.AsNoTracking().Where(o => inspections.Any(i => i.Id == o.InspectionId));
        return [
            .. await PerInspectionAsync(opinions.Where(o => o.State == OpinionState.Received), inspections, "新收到、待处理的意见建议", "?state=Received", cancellationToken),
            .. await PerInspectionAsync(opinions.Where(o => o.State == OpinionState.Assigned && o.UnitRespondedAtUtc != null), inspections, "单位已报送办理情况、待答复的意见建议", "?state=Assigned", cancellationToken),
        ];
    }

    /// <summary>The opinions counted per inspection, at most <see cref="Shown"/> inspections, each row with its inspection's title and a link to its inbox.</summary>
    private static async Task<List<Approval>> PerInspectionAsync(IQueryable<PublicOpinion> opinions, IQueryable<Inspection> inspections, string what, string query, CancellationToken cancellationToken)
    {
        var counts = await opinions.GroupBy(o => o.InspectionId).Select(g => new { InspectionId = g.Key, Count = g.Count() })
            .OrderBy(g => g.InspectionId).Take(Shown).ToListAsync(cancellationToken);
        if (counts.Count == 0)
        {
            return [];
        }

        var ids = counts.Select(c => c.InspectionId).ToList();
        var titles = await inspections.Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.Title }).ToDictionaryAsync(i => i.Id, i => i.Title, cancellationToken);
        return [.. counts.Select(c => new Approval(c.InspectionId, titles.GetValueOrDefault(c.InspectionId, string.Empty), what, c.Count, "/inspections/" + c.InspectionId + "/opinions" + query))];
    }

    /// <summary>
    /// Plans submitted for 审定, notices submitted for approval and replies proposed for publication, of the inspections the
    /// caller sees: three small queries, each by its state, at most <see cref="Shown"/> rows.
    /// </summary>
    private static async Task<IReadOnlyList<Approval>?> ApprovalsAsync(RectifyDbContext db, AccessScope scope, CancellationToken cancellationToken)
    {
        var plans = Permissions.HoldsRoleFor(scope, Permission.AdoptPlan);
        var notices = Permissions.HoldsRoleFor(scope, Permission.ApprovePublication);
        if (!plans && !notices)
        {
            return null;
        }

        var inspections = db.VisibleInspections(scope).AsNoTracking();
        var approvals = new List<Approval>();
        if (plans)
        {
            approvals.AddRange(await inspections.Where(i => i.PlanState == PlanState.Submitted).OrderBy(i => i.Id).Take(Shown)
                .Select(i => new Approval(i.Id, i.Title, "待审定的整改方案", 1, "/inspections/" + i.Id + "/plan")).ToListAsync(cancellationToken));
        }

        if (notices)
        {
            approvals.AddRange(await (
                    from p in db.Publications.AsNoTracking()
                    join i in inspections on p.InspectionId equals i.Id
                    where p.State == PublicationState.Submitted
                    orderby p.InspectionId
                    select new Approval(p.InspectionId, i.Title, "待审定的公布稿", 1, "/inspections/" + p.InspectionId + "/publication"))
                .Take(Shown).ToListAsync(cancellationToken));
            approvals.AddRange(await PerInspectionAsync(
                db.PublicOpinions.AsNoTracking().Where(o => o.ReplyIsPublishable && o.Reply != null && o.ReplyApprovedByName == null && inspections.Any(i => i.Id == o.InspectionId)),
                inspections,
                "待同意公开的答复",
                string.Empty,
                cancellationToken));
        }

        return approvals;
    }

    /// <summary>督办单, the earliest reply deadline first: one count query and one page query.</summary>
    private static async Task<NoticeSection> NoticeSectionAsync(RectifyDbContext db, string key, string title, IQueryable<SupervisionNotice> notices, CancellationToken cancellationToken)
    {
        var ordered = notices.OrderBy(n => n.ReplyDue).ThenBy(n => n.Id);
        return new(key, title, await CountAsync(ordered, cancellationToken), await ordered.Take(Shown).Select(SupervisionQueries.AsRow(db)).ToListAsync(cancellationToken));
    }

    /// <summary>
    /// How many, counting no further than <see cref="Counted"/>: the statement stops at the row after it. The rows come in
    /// the list's own order, the one its page is read in: which 1,001 rows are counted does not matter, but a limit needs an
    /// order (EF Core warns of one without), and this one is the order the list's indexes serve (ADR 0035), so the count
    /// walks what the page walks. The primary key's order would walk every measure by id, or sort every match, to stop at 1,001.
    /// </summary>
    private static async Task<Tally> CountAsync<T>(IOrderedQueryable<T> rows, CancellationToken cancellationToken)
    {
        var counted = await rows.Take(Counted + 1).CountAsync(cancellationToken);
        return new(Math.Min(counted, Counted), counted > Counted);
    }

    /// <summary>Open look-backs with their own dates, earliest first: one count query and one page query.</summary>
    private static async Task<Section> LookBackSectionAsync(RectifyDbContext db, string key, string title, IQueryable<LookBack> lookBacks, DateOnly today, CancellationToken cancellationToken)
    {
        var ordered = lookBacks.OrderBy(l => l.DueDate).ThenBy(l => l.Id);
        var count = await CountAsync(ordered, cancellationToken);
        var rows = await ordered.Take(Shown)
            .Join(db.Measures, l => l.MeasureId, m => m.Id, (l, m) => new Row(
                m.Id, m.Finding.Number, m.Number, m.Text, m.LeadUnit == null ? null : m.LeadUnit.Name, l.DueDate, m.Inspection.Title,
                new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc),
                db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Number).Select(r => (ProgressReportState?)r.State).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new Section(key, title, count, [.. rows.Select(r => r.ToItem(today, lookBack: true))]);
    }

    /// <summary>A count and the first rows, earliest deadline first: one count query and one page query per section.</summary>
    /// <param name="db">The database (each row's latest report is read with it).</param>
    /// <param name="key">The list's anchor.</param>
    /// <param name="title">Its heading.</param>
    /// <param name="measures">The measures in it.</param>
    /// <param name="today">The day its 报送情况 is judged on.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="fromShortList">
    /// The measures are those named by a short list of another table's rows (the extension requests waiting, evidence that
    /// failed its check): they are read by id and sorted, never found by walking every measure in deadline order
    /// (IX_Measures_Standing_Deadline_Id), which the database would otherwise try when it cannot tell that the named ones
    /// lie late in that order (a province's 2,400 waiting requests, on measures whose deadlines were extended: 0.4 s).
    /// The order by an expression is what keeps the walk out; it also puts measures without a deadline last on SQLite, as on PostgreSQL.
    /// </param>
    private static async Task<Section> SectionAsync(RectifyDbContext db, string key, string title, IQueryable<Measure> measures, DateOnly today, CancellationToken cancellationToken, bool fromShortList = false)
    {
        var ordered = (fromShortList ? measures.OrderBy(m => m.Deadline ?? DateOnly.MaxValue) : measures.OrderBy(m => m.Deadline)).ThenBy(m => m.Id);
        var count = await CountAsync(ordered, cancellationToken);
        // The latest report's state: one indexed look-up for each of the few rows shown (IX on MeasureId, Number).
        var rows = await ordered.Take(Shown)
            .Select(m => new Row(
                m.Id, m.Finding.Number, m.Number, m.Text, m.LeadUnit == null ? null : m.LeadUnit.Name, m.Deadline, m.Inspection.Title,
                new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc),
                db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Number).Select(r => (ProgressReportState?)r.State).FirstOrDefault())
            { LedgerStanding = m.LedgerStanding })
            .ToListAsync(cancellationToken);
        return new Section(key, title, count, [.. rows.Select(r => r.ToItem(today))]);
    }

    /// <summary>An item as read, with the facts its 报送情况 is judged on.</summary>
    private sealed record Row(int MeasureId, int FindingNumber, int MeasureNumber, string Text, string? LeadUnit, DateOnly? Date, string? Note, OverdueFacts Facts, ProgressReportState? LatestReport)
    {
        /// <summary>原台账状态 (Measure.LedgerStanding).</summary>
        public LedgerStanding? LedgerStanding { get; init; }

        public Item ToItem(DateOnly today, bool lookBack = false) => new(
            MeasureId, FindingNumber, MeasureNumber, Text, LeadUnit, Date, Note, Measure.CadenceStandingAt(Facts, today), LatestReport,
            !lookBack && Facts.Kind == MeasureKind.Ongoing && Facts.Deadline is null ? Facts.Cadence ?? ReportingCadences.Default : null)
        {
            LedgerSaysDone = !lookBack && Measure.LedgerSaysDoneAndOwed(LedgerStanding, Facts.State, withdrawnAtUtc: null), // the lists hold no withdrawn measure
        };
    }
}
