using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

public sealed record InspectionSummary(
    int Id,
    string Title,
    string InspectingBody,
    string InspectedOrganization,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate,
    int Findings,
    int Measures,
    int SignedOffMeasures,
    ReportingCadence? ReportingCadence)
{
    /// <summary>报送周期 in force: the office's choice, else the default.</summary>
    public ReportingCadence Cadence => ReportingCadence ?? ReportingCadences.Default;

    /// <summary>The plan's state: until it is InForce (审定), its deadlines, 超期 and red are provisional.</summary>
    public PlanState PlanState { get; init; } = PlanState.InForce;
}

public sealed record LedgerFilter(int? Unit = null, MeasureState? State = null, MeasureKind? Kind = null, bool Overdue = false, int Page = 1, int PageSize = LedgerFilter.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>方案截至日期: the adopted plan as it stood at the end of this day (China time) instead of today's; progress stays today's.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>审定方案 beside each row: the measure as adopted, the fields that differ, and the measures added or withdrawn since.</summary>
    public bool CompareApproved { get; init; }

    /// <summary>Only the measures an imported 台账 called 已完成 that are 整改中, their sign-off still owed (原台账已完成、未销号; ledgerDone=true).</summary>
    public bool LedgerDone { get; init; }

    /// <summary>No filter narrows the rows: every measure the caller sees, as the totals count them.</summary>
    public bool IsUnfiltered => Unit is null && State is null && Kind is null && !Overdue && !LedgerDone;

    public LedgerFilter Normalized() => this with
    {
        Page = Paging.Clamped(Page),
        PageSize = PageSize is < 1 or > MaxPageSize ? DefaultPageSize : PageSize,
    };
}

public sealed record LedgerRow(
    int MeasureId,
    int CategoryNumber,
    string CategoryTitle,
    int FindingId,
    int FindingNumber,
    string FindingTitle,
    FindingState FindingState,
    int MeasureNumber,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    string? ResponsibleLeader,
    int? LeadUnitId,
    string? LeadUnit,
    IReadOnlyList<string> SupportingUnits,
    MeasureState State,
    OverdueReason OverdueReason,
    Completion Completion,
    Signal FindingSignal,
    AssumedFields Assumed)
{
    /// <summary>Why the measure counts as overdue today: 超期 (past its deadline) or 逾期未报 (a progress report missing for its 报送周期); None when it is not.</summary>
    public bool Overdue => OverdueReason != OverdueReason.None;

    /// <summary>The version of the adopted plan the row shows: the one in force on the day asked for, or (compared) the latest; null on the plain ledger.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlanVersion? Version { get; init; }

    /// <summary>The measure as adopted beside the row, when asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ApprovedComparison? Comparison { get; init; }

    /// <summary>原整改时限: the deadline before the first approved extension (<see cref="Deadline"/> is the revised one); null when never extended.</summary>
    public DateOnly? OriginalDeadline { get; init; }

    /// <summary>延期次数: approved extensions.</summary>
    public int ExtensionCount { get; init; }

    /// <summary>
    /// 原台账状态: where the office's own 台账 said the measure stood when it was imported (Measure.LedgerStanding); null
    /// when no ledger said. A measure the ledger called 已完成 is still to be reported on with evidence and signed off.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LedgerStanding? LedgerStanding { get; init; }

    /// <summary>原台账已完成、未销号 (<see cref="Measure.LedgerSaysDoneAndOwed"/>); a row withdrawn since adoption (compared) is not.</summary>
    [JsonIgnore]
    public bool LedgerSaysDone => Measure.LedgerSaysDoneAndOwed(LedgerStanding, State, Comparison is { Withdrawn: true } ? DateTime.MinValue : null);

    /// <summary>What the row says, as one value to compare with a version.</summary>
    [JsonIgnore]
    public MeasureContent Content => new(Text, Kind, Deadline, ResponsibleLeader, LeadUnit, SupportingUnits);
}

/// <summary>One version of a measure in the adopted plan (第 n 版): how it came about, when (UTC, and the day in China time), who and why.</summary>
public sealed record PlanVersion(int Number, MeasureRevisionKind Kind, DateTime AtUtc, string ActorName, string? Reason)
{
    public DateOnly Date => ChinaTime.DayOf(AtUtc);
}

/// <summary>
/// A row beside the plan as adopted (审定方案): the measure's adopted content (null when it was added after adoption),
/// the fields in which the row says something else, and whether it was added or withdrawn (撤销) since.
/// </summary>
public sealed record ApprovedComparison(MeasureContent? Approved, PlanFields Changed, bool Added, bool Withdrawn);

/// <summary>An inspection's figures as the caller may see them; counted as the overview page counts them.</summary>
/// <param name="Findings">反馈问题.</param>
/// <param name="Measures">整改措施.</param>
/// <param name="CompletedMeasures">已完成 measures: signed off.</param>
/// <param name="SustainedMeasures">持续整改 measures: 长期坚持, under way and not 逾期未报.</param>
/// <param name="PastDeadlineMeasures">超期 measures.</param>
/// <param name="MissingReportMeasures">逾期未报 measures.</param>
/// <param name="CompletedFindings">已完成 findings: every measure signed off.</param>
/// <param name="SustainedFindings">持续整改 findings: every measure 已完成 or 持续整改, one at least 持续整改.</param>
/// <param name="RedFindings">红 by the inspection's <see cref="SignalRules"/> (by default: a measure 超期 or 逾期未报).</param>
/// <param name="GreenFindings">绿 by the inspection's <see cref="SignalRules"/> (by default: done, 已完成 or 持续整改).</param>
public sealed record LedgerTotals(
    int Findings,
    int Measures,
    int CompletedMeasures,
    int SustainedMeasures,
    int PastDeadlineMeasures,
    int MissingReportMeasures,
    int CompletedFindings,
    int SustainedFindings,
    int RedFindings,
    int GreenFindings)
{
    /// <summary>黄: every other finding (by default: 整改中, nothing late).</summary>
    public int YellowFindings => Findings - RedFindings - GreenFindings;

    /// <summary>完成率 of findings: 已完成 or 持续整改, of all findings — the figure the notices report.</summary>
    public decimal FindingCompletionRate => Figures.Rate(CompletedFindings + SustainedFindings, Findings);

    /// <summary>Measures neither 已完成 nor 持续整改 (未完成).</summary>
    public int UnfinishedMeasures => Measures - CompletedMeasures - SustainedMeasures;

    /// <summary>完成率 of measures: 已完成 or 持续整改, of all measures.</summary>
    public decimal MeasureCompletionRate => Figures.Rate(CompletedMeasures + SustainedMeasures, Measures);

    /// <summary>The totals of <paramref name="findings"/> findings from their measures' tallies, one per finding that has measures, with 红黄绿 by <paramref name="rules"/>.</summary>
    public static LedgerTotals From(int findings, IReadOnlyCollection<MeasureTally> findingTallies, SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(findingTallies);
        return From(findings, findingTallies.Select(t => (1, t)), rules);
    }

    /// <summary>
    /// The totals of <paramref name="findings"/> findings from groups of findings that have measures: each group's number
    /// of findings and the sum of their tallies. Every finding of a group agrees with the others on each fact that
    /// <see cref="MeasureTally.FindingCompletion"/> and <see cref="SignalRules.Of"/> read (done or not, one 持续整改 or not,
    /// one 超期 / 逾期未报 / 督办未办结 / 临期 / 报送被退回 or not), so the sum is classified as each of them is
    /// (<see cref="LedgerQueries.TotalsAsync(RectifyDbContext, IQueryable{Measure}, int, SignalDay, CancellationToken)"/> groups so in the database; a single finding is a group of one).
    /// </summary>
    public static LedgerTotals From(int findings, IEnumerable<(int Findings, MeasureTally Sum)> groups, SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(rules);
        var list = groups as IReadOnlyCollection<(int Findings, MeasureTally Sum)> ?? [.. groups];
        var all = list.Select(g => g.Sum).Aggregate(default(MeasureTally), MeasureTally.Add);
        int Counted(Func<MeasureTally, bool> which) => list.Where(g => which(g.Sum)).Sum(g => g.Findings);
        return new LedgerTotals(
            findings,
            all.Total,
            all.Completed,
            all.Sustained,
            all.PastDeadline,
            all.MissingReport,
            Counted(f => f.FindingCompletion == Completion.Completed),
            Counted(f => f.FindingCompletion == Completion.Sustained),
            Counted(f => rules.Of(f) == Signal.Red),
            Counted(f => rules.Of(f) == Signal.Green)

                // A visible finding without a measure has no tally: not done, nothing late or warned — the on-track colour.
                + (rules.Of(default) == Signal.Green ? Math.Max(0, findings - list.Sum(g => g.Findings)) : 0));
    }
}

public sealed record UnitOption(int Id, string Name);

public sealed record LedgerPage(InspectionSummary Inspection, LedgerFilter Filter, int TotalRows, IReadOnlyList<LedgerRow> Rows, LedgerTotals Totals, IReadOnlyList<UnitOption> Units)
{
    /// <summary>红黄绿规则 in force for the inspection (rows[].findingSignal and the totals follow them).</summary>
    public SignalRules SignalRules { get; init; } = SignalRules.Default;

    /// <summary>
    /// How many of the measures the caller sees an imported 台账 called 已完成 while they are 整改中, their report with
    /// evidence and 销号 still owed (<see cref="Measure.LedgerSaysDoneAndOwed"/>; <see cref="LedgerFilter.LedgerDone"/> lists them).
    /// </summary>
    public int LedgerSaysDone { get; init; }

    public int PageCount => Paging.PageCount(TotalRows, Filter.PageSize);
}

/// <summary>A measure with what the ledger shows of it, read in one query (the finding's state is joined in afterwards).</summary>
public sealed record LedgerMeasure(
    int Id,
    int CategoryNumber,
    string CategoryTitle,
    int FindingId,
    int FindingNumber,
    string FindingTitle,
    int Number,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    List<string> Supporting,
    MeasureState State,
    AssumedFields AssumedFields,
    OverdueFacts Facts)
{
    /// <summary>The plan's version the values come from, when read as on a day (<see cref="LedgerQueries.PlanOnADayAsync"/>).</summary>
    public PlanVersion? Version { get; init; }

    /// <summary>原整改时限: the deadline before the first approved extension; null when never extended.</summary>
    public DateOnly? OriginalDeadline { get; init; }

    /// <summary>延期次数.</summary>
    public int ExtensionCount { get; init; }

    /// <summary>原台账状态 (Measure.LedgerStanding).</summary>
    public LedgerStanding? LedgerStanding { get; init; }
}

/// <summary>A measure beside its version in force on a day, for composing the plan on a day in SQL.</summary>
public sealed class MeasureOnADay
{
    public Measure Measure { get; init; } = null!;

    public MeasureRevision Version { get; init; } = null!;
}

/// <summary>A measure as the plan said it on a day, read in one query: the version's values, the measure's place and today's progress.</summary>
internal sealed record LedgerMeasureOnADay(
    int Id,
    int CategoryNumber,
    string CategoryTitle,
    int FindingId,
    int FindingNumber,
    string FindingTitle,
    int Number,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    string Supporting,
    MeasureState State,
    AssumedFields AssumedFields,
    OverdueFacts Facts,
    int VersionNumber,
    MeasureRevisionKind VersionKind,
    DateTime VersionAtUtc,
    string VersionActor,
    string? VersionReason,
    DateOnly? CurrentDeadline,
    string? CurrentLeader,
    string? CurrentLeadUnit)
{
    /// <summary>
    /// The ledger's measure with the version's values. A 演示假设 mark is today's: it stays on a field whose value is
    /// still the same, and a value since replaced is shown without one (what was assumed then is not recorded).
    /// </summary>
    /// <summary>原台账状态 (Measure.LedgerStanding): today's, as the state is.</summary>
    public LedgerStanding? LedgerStanding { get; init; }

    public LedgerMeasure ToLedgerMeasure()
    {
        var assumed = AssumedFields;
        if (Kind != Facts.Kind)
        {
            assumed &= ~AssumedFields.Kind;
        }

        if (Deadline != CurrentDeadline)
        {
            assumed &= ~AssumedFields.Deadline;
        }

        if (Leader != CurrentLeader)
        {
            assumed &= ~AssumedFields.ResponsibleLeader;
        }

        if (LeadUnit != CurrentLeadUnit)
        {
            assumed &= ~AssumedFields.LeadUnit;
        }

        return new LedgerMeasure(
            Id, CategoryNumber, CategoryTitle, FindingId, FindingNumber, FindingTitle, Number, Text, Kind, Deadline, Leader, LeadUnitId, LeadUnit,
            [.. MeasureContent.SplitUnits(Supporting)], State, assumed, Facts)
        {
            Version = new PlanVersion(VersionNumber, VersionKind, VersionAtUtc, VersionActor, VersionReason),
            LedgerStanding = LedgerStanding,
        };
    }
}

/// <summary>The ledger (台账): one query shape for the page, the API and the export.</summary>
public static class LedgerQueries
{
    /// <summary>
    /// The ledger's projection of a measure, shared by the page, the API and the export. Its 配合单位 come empty and are
    /// filled by <see cref="FillSupportingUnitsAsync"/>: inside the projection the database joined every measure to a
    /// subquery over all the installation's supporting-unit links (issue #12).
    /// </summary>
    public static readonly Expression<Func<Measure, LedgerMeasure>> AsLedgerMeasure = m => new LedgerMeasure(
        m.Id,
        m.Finding.Category.Number,
        m.Finding.Category.Title,
        m.FindingId,
        m.Finding.Number,
        m.Finding.Title,
        m.Number,
        m.Text,
        m.Kind,
        m.Deadline,
        m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name,
        m.LeadUnitId,
        m.LeadUnit == null ? null : m.LeadUnit.Name,
        new List<string>(),
        m.State,
        m.AssumedFields,
        new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc))
    {
        OriginalDeadline = m.OriginalDeadline,
        ExtensionCount = m.ExtensionCount,
        LedgerStanding = m.LedgerStanding,
    };

    /// <summary>超期, in the database: the SQL twin of <see cref="Measure.IsPastDeadlineAt"/> (OverdueQueryTests holds the two equal).</summary>
    /// <remarks>
    /// Not 已销号 and not 长期坚持 is written as the four states that remain, so that the database can read the measures by
    /// state and deadline (IX_Measures_State_Deadline) instead of scanning them all; OverdueQueryTests, which runs every
    /// state against the C# rule, fails if a state is added and left out here.
    /// </remarks>
    public static Expression<Func<Measure, bool>> IsPastDeadlineOn(DateOnly today) => m =>
        m.Kind != MeasureKind.Ongoing
        && m.Deadline != null && m.Deadline < today
        && (m.State == MeasureState.Planned || m.State == MeasureState.InProgress || m.State == MeasureState.AwaitingReview || m.State == MeasureState.AwaitingApproval);

    /// <summary>逾期未报, in the database: the SQL twin of <see cref="Measure.IsMissingCadenceReportAt"/> (OverdueQueryTests holds the two equal).</summary>
    public static Expression<Func<Measure, bool>> IsMissingCadenceReportOn(DateOnly today) => WithPeriodStart(
        (m, lastClosed) => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing && m.OngoingSinceUtc != null
            && m.OngoingSinceUtc <= lastClosed
            && (m.LastReportAtUtc == null || m.LastReportAtUtc < lastClosed),
        PeriodStartByCadence(ReportingCadences.LastClosedPeriodStartUtc, today));

    /// <summary>超期 or 逾期未报: the database form of <see cref="Measure.IsOverdueAt"/>, made of the two facts above.</summary>
    public static Expression<Func<Measure, bool>> IsOverdueOn(DateOnly today) => Either(IsPastDeadlineOn(today), IsMissingCadenceReportOn(today));

    /// <summary>本期待报送, in the database: the SQL twin of <see cref="Measure.IsCadenceReportDueAt"/>.</summary>
    public static Expression<Func<Measure, bool>> CadenceReportDueOn(DateOnly today) => WithPeriodStart(
        (m, current) => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing
            && (m.LastReportAtUtc == null || m.LastReportAtUtc < current),
        PeriodStartByCadence(ReportingCadences.CurrentPeriodStartUtc, today));

    /// <summary>
    /// A supporting unit owes its part (配合情况) on the measure: none of <paramref name="handedIn"/> (the 配合情况 of the
    /// units in question; one taken back, 撤回, never) counts for now — the SQL twin of <see cref="SupportReport.PartCountsFromUtc"/>: for a 长期坚持
    /// measure in its ongoing state, none since the current period began; for any other, none at all.
    /// </summary>
    public static Expression<Func<Measure, bool>> SupportPartOwedOn(DateOnly today, IQueryable<SupportReport> handedIn) => WithPeriodStart(
        (m, current) => !handedIn.Any(r => r.MeasureId == m.Id && r.WithdrawnAtUtc == null
            && (m.Kind != MeasureKind.Ongoing || m.State != MeasureState.Ongoing || r.SubmittedAtUtc >= current)),
        PeriodStartByCadence(ReportingCadences.CurrentPeriodStartUtc, today));

    /// <summary>
    /// A period's start for the measure's inspection, in SQL: the start for each cadence computed here and passed as
    /// parameters, the inspection's cadence picking one (null is the default, monthly).
    /// </summary>
    private static Expression<Func<Measure, DateTime>> PeriodStartByCadence(Func<ReportingCadence, DateOnly, DateTime> start, DateOnly today)
    {
        var weekly = start(ReportingCadence.Weekly, today);
        var monthly = start(ReportingCadence.Monthly, today);
        var quarterly = start(ReportingCadence.Quarterly, today);
        return m => m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly;
    }

    /// <summary>A rule of a measure and a period's start, with the start written in place (SQL cannot take a lambda).</summary>
    private static Expression<Func<Measure, bool>> WithPeriodStart(Expression<Func<Measure, DateTime, bool>> rule, Expression<Func<Measure, DateTime>> periodStart) =>
        Expression.Lambda<Func<Measure, bool>>(
            ReplacingExpressionVisitor.Replace(rule.Parameters[1], ReplacingExpressionVisitor.Replace(periodStart.Parameters[0], rule.Parameters[0], periodStart.Body), rule.Body),
            rule.Parameters[0]);

    private static Expression<Func<Measure, bool>> Either(Expression<Func<Measure, bool>> a, Expression<Func<Measure, bool>> b) =>
        Expression.Lambda<Func<Measure, bool>>(
            Expression.OrElse(a.Body, ReplacingExpressionVisitor.Replace(b.Parameters[0], a.Parameters[0], b.Body)),
            a.Parameters[0]);

    /// <summary>The inspections the caller sees in the order every list of them shows: newest feedback first.</summary>
    public static IOrderedQueryable<Inspection> InspectionsInOrder(RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        return InOrder(db.VisibleInspections(scope).AsNoTracking());
    }

    /// <summary>Newest feedback first, an inspection without a feedback date last (on both databases), then newest registered.</summary>
    public static IOrderedQueryable<Inspection> InOrder(IQueryable<Inspection> inspections) =>
        inspections.OrderBy(i => i.FeedbackDate == null).ThenByDescending(i => i.FeedbackDate).ThenByDescending(i => i.Id);

    /// <param name="db">The context.</param>
    /// <param name="scope">Counts only what the caller may see.</param>
    /// <param name="inspections">Filtered, ordered and paged before the projection: a projected record cannot be filtered or sorted in SQL.</param>
    public static IQueryable<InspectionSummary> Summaries(RectifyDbContext db, AccessScope scope, IQueryable<Inspection> inspections)
    {
        ArgumentNullException.ThrowIfNull(db);
        var findings = db.VisibleFindings(scope);
        var measures = db.VisibleMeasures(scope);
        return inspections
            .Select(i => new InspectionSummary(
                i.Id,
                i.Title,
                i.InspectingBody.Name,
                i.InspectedOrganization.Name,
                i.OnSiteFrom,
                i.OnSiteTo,
                i.FeedbackDate,
                findings.Count(f => f.InspectionId == i.Id),
                measures.Count(m => m.InspectionId == i.Id),
                measures.Count(m => m.InspectionId == i.Id && m.State == MeasureState.SignedOff),
                i.ReportingCadence) { PlanState = i.PlanState });
    }

    /// <summary>A page of the ledger as the caller may see it; null when the inspection does not exist for them.</summary>
    /// <remarks>
    /// With <see cref="LedgerFilter.AsOf"/> the rows are the adopted plan as it stood on that day (one query joins each
    /// measure to its version in force then); with <see cref="LedgerFilter.CompareApproved"/> each row has the plan as
    /// adopted beside it (one more query for the page's measures). Both refuse (400) a plan that is not in force, and
    /// the day one outside its time in force. Progress, the figures and the unit list are today's.
    /// </remarks>
    public static async Task<LedgerPage?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        filter = filter.Normalized();
        await using var connection = await db.HoldConnectionAsync(cancellationToken);

        // The inspection, its signal rules and the count of its visible findings, in one statement.
        var findingsOf = db.VisibleFindings(scope);
        var measuresOf = db.VisibleMeasures(scope);
        var found = await db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new
            {
                Head = new InspectionSummary(i.Id, i.Title, i.InspectingBody.Name, i.InspectedOrganization.Name, i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate, 0, 0, 0, i.ReportingCadence) { PlanState = i.PlanState },
                Findings = findingsOf.Count(f => f.InspectionId == i.Id),
                LedgerSaysDone = measuresOf.Where(m => m.InspectionId == i.Id).Count(LedgerSaysDone),
                Rules = new SignalRules(i.SignalRules.RedWhenUnderDuban, i.SignalRules.WarnWithinWorkingDays, i.SignalRules.WarnWhenReportReturned, i.SignalRules.GreenWhenOnTrack),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        await CheckPlanViewAsync(db, inspectionId, filter, today, cancellationToken);
        var visible = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);

        // The figures in one aggregate statement under the inspection's signal rules.
        var signals = await SignalQueries.DayAsync(db, found.Rules, today, cancellationToken);
        var totals = await TotalsAsync(db, visible, found.Findings, signals, cancellationToken);
        int total;
        List<LedgerMeasure> page;
        if (filter.AsOf is { } day)
        {
            var onTheDay = await PlanOnADayQueryAsync(db, scope, inspectionId, filter, day, today, cancellationToken);
            total = await onTheDay.CountAsync(cancellationToken);
            page = [.. (await onTheDay.Skip(Paging.Skip(filter.Page, filter.PageSize)).Take(filter.PageSize).ToListAsync(cancellationToken)).Select(r => r.ToLedgerMeasure())];
        }
        else
        {
            // Beside the adopted plan the measures withdrawn since are rows too, marked.
            var measures = Filtered(filter.CompareApproved ? PlanMeasures(db, scope, inspectionId) : visible, filter, today);

            // Unfiltered, the rows are the visible measures the totals counted.
            var unfiltered = !filter.CompareApproved && filter.IsUnfiltered;
            total = unfiltered ? totals.Measures : await measures.CountAsync(cancellationToken);
            page = await InLedgerOrder(measures)
                .Skip(Paging.Skip(filter.Page, filter.PageSize))
                .Take(filter.PageSize)
                .Select(AsLedgerMeasure)
                .ToListAsync(cancellationToken);
            var ids = page.Select(r => r.Id).ToList();
            await FillSupportingUnitsAsync(page, db.Measures.Where(m => ids.Contains(m.Id)), cancellationToken);
        }

        var versions = filter.CompareApproved ? await AdoptedAndLatestVersionsAsync(db, [.. page.Select(r => r.Id)], cancellationToken) : null;

        // The state and 红黄绿 of the page's findings only: their tallies over every visible measure of theirs, one statement.
        var pageFindings = page.Select(r => r.FindingId).Distinct().ToList();
        var tallies = pageFindings.Count == 0
            ? []
            : await SignalQueries.FindingTalliesAsync(db, visible.Where(m => pageFindings.Contains(m.FindingId)), signals, cancellationToken);

        var rows = page.Select(r => (Measure: r, Row: new LedgerRow(
            r.Id,
            r.CategoryNumber,
            r.CategoryTitle,
            r.FindingId,
            r.FindingNumber,
            r.FindingTitle,
            tallies.GetValueOrDefault(r.FindingId).FindingState,
            r.Number,
            r.Text,
            r.Kind,
            r.Deadline,
            r.Leader,
            r.LeadUnitId,
            r.LeadUnit,
            r.Supporting,
            r.State,
            Measure.OverdueReasonAt(r.Facts, today),
            Measure.CompletionAt(r.Facts, today),
            signals.Rules.Of(tallies.GetValueOrDefault(r.FindingId)),
            r.AssumedFields) { OriginalDeadline = r.OriginalDeadline, ExtensionCount = r.ExtensionCount, LedgerStanding = r.LedgerStanding }))
            .Select(r => versions is null ? r.Row with { Version = r.Measure.Version } : Compared(r.Row, r.Measure.Version, versions))
            .ToList();

        var units = await UnitsAsync(db, visible, cancellationToken);

        // The summary's counts are the totals' (counted once).
        var inspection = found.Head with { Findings = totals.Findings, Measures = totals.Measures, SignedOffMeasures = totals.CompletedMeasures };
        return new LedgerPage(inspection, filter, total, rows, totals, units) { SignalRules = signals.Rules, LedgerSaysDone = found.LedgerSaysDone };
    }

    /// <summary>
    /// The measures of an inspection the caller may see, those withdrawn (撤销) from the plan included: the plan on a
    /// past day still holds a measure withdrawn after it, and the comparison shows it withdrawn. The plain ledger and
    /// every figure start from <see cref="AccessQueries.VisibleMeasures"/> instead.
    /// </summary>
    public static IQueryable<Measure> PlanMeasures(RectifyDbContext db, AccessScope scope, int inspectionId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Measures.AsNoTracking().Where(AccessQueries.SeesMeasure(scope)).Where(m => m.InspectionId == inspectionId);
    }

    /// <summary>
    /// The plan on a day, in SQL: each measure joined to its latest version made before <paramref name="endUtc"/>
    /// (a correlated MAX over the (MeasureId, AtUtc) index), left out when it has none yet or that version is its
    /// withdrawal — the database form of <see cref="PlanOnADay.VersionInForceOn"/>.
    /// </summary>
    public static IQueryable<MeasureOnADay> VersionsInForce(RectifyDbContext db, IQueryable<Measure> measures, DateTime endUtc)
    {
        ArgumentNullException.ThrowIfNull(db);
        var versions = db.MeasureRevisions.AsNoTracking();
        return from m in measures
               join v in versions on m.Id equals v.MeasureId
               where v.Number == versions.Where(x => x.MeasureId == m.Id && x.AtUtc < endUtc).Max(x => (int?)x.Number)
                   && v.Kind != MeasureRevisionKind.Withdrawn
               select new MeasureOnADay { Measure = m, Version = v };
    }

    /// <summary>
    /// The visible, filtered ledger as the adopted plan stood on <paramref name="day"/>, in ledger order, row by row (the
    /// export's source for 方案截至日期). The day is checked as the page checks it.
    /// </summary>
    public static async IAsyncEnumerable<LedgerMeasure> PlanOnADayAsync(
        RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly day, DateOnly today, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = await PlanOnADayQueryAsync(db, scope, inspectionId, filter, day, today, cancellationToken);
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row.ToLedgerMeasure();
        }
    }

    /// <summary>
    /// The plan on a day with the ledger's filters: 整改类型 and 责任单位 as the plan said them that day (the lead unit, or
    /// a supporting unit by the name the version keeps), 状态 and 超期 as they are today.
    /// </summary>
    private static async Task<IQueryable<LedgerMeasureOnADay>> PlanOnADayQueryAsync(
        RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly day, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var byProgress = Filtered(PlanMeasures(db, scope, inspectionId), filter with { Unit = null, Kind = null }, today);
        var rows = VersionsInForce(db, byProgress, PlanOnADay.EndUtc(day));
        if (filter.Kind is { } kind)
        {
            rows = rows.Where(x => x.Version.MeasureKind == kind);
        }

        if (filter.Unit is { } unit)
        {
            var name = await db.Organizations.Where(o => o.Id == unit).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
            var listed = MeasureContent.UnitSeparator + name + MeasureContent.UnitSeparator;
            rows = name is null
                ? rows.Where(x => x.Version.LeadUnitId == unit)
                : rows.Where(x => x.Version.LeadUnitId == unit || (MeasureContent.UnitSeparator + x.Version.SupportingUnits + MeasureContent.UnitSeparator).Contains(listed));
        }

        return rows
            .OrderBy(x => x.Measure.Finding.Category.Number).ThenBy(x => x.Measure.Finding.Number).ThenBy(x => x.Measure.Number)
            .Select(x => new LedgerMeasureOnADay(
                x.Measure.Id,
                x.Measure.Finding.Category.Number,
                x.Measure.Finding.Category.Title,
                x.Measure.FindingId,
                x.Measure.Finding.Number,
                x.Measure.Finding.Title,
                x.Measure.Number,
                x.Version.Text,
                x.Version.MeasureKind,
                x.Version.Deadline,
                x.Version.ResponsibleLeaderName,
                x.Version.LeadUnitId,
                x.Version.LeadUnitName,
                x.Version.SupportingUnits,
                x.Measure.State,
                x.Measure.AssumedFields,
                new OverdueFacts(x.Measure.Kind, x.Measure.State, x.Measure.Deadline, x.Measure.Inspection.ReportingCadence, x.Measure.OngoingSinceUtc, x.Measure.LastReportAtUtc),
                x.Version.Number,
                x.Version.Kind,
                x.Version.AtUtc,
                x.Version.ActorName,
                x.Version.Reason,
                x.Measure.Deadline,
                x.Measure.ResponsibleLeader == null ? null : x.Measure.ResponsibleLeader.Name,
                x.Measure.LeadUnit == null ? null : x.Measure.LeadUnit.Name)
            {
                LedgerStanding = x.Measure.LedgerStanding,
            });
    }

    /// <summary>
    /// Refuses (400) what the plan cannot answer: the plan on a day outside its time in force (before its adoption,
    /// after today) or while it is not in force, and a comparison with an adopted plan that does not exist yet.
    /// </summary>
    public static async Task CheckPlanViewAsync(RectifyDbContext db, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.AsOf is null && !filter.CompareApproved)
        {
            return;
        }

        // A plan in force since before it had a life (the upgrade) has no adoption time: its first versions date it.
        var plan = await db.Inspections.AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new
            {
                i.PlanState,
                AdoptedAtUtc = i.PlanAdoptedAtUtc ?? db.MeasureRevisions.Where(r => r.Measure.InspectionId == i.Id).Min(r => (DateTime?)r.AtUtc),
            })
            .SingleAsync(cancellationToken);
        if (filter.CompareApproved)
        {
            BusinessRules.Check(new TheAdoptedPlanIsComparedOnceAdopted(plan.PlanState));
        }

        if (filter.AsOf is { } day)
        {
            BusinessRules.Check(new ThePlanIsReadOnADayItWasInForce(plan.PlanState, plan.AdoptedAtUtc is { } at ? ChinaTime.DayOf(at) : null, day, today));
        }
    }

    /// <summary>
    /// Reads 方案截至日期 and the comparison as typed into a page or an API query, refusing (400) what is not a date or not
    /// a known comparison; null or empty means today's plan, without comparison.
    /// </summary>
    public static LedgerFilter WithPlanView(this LedgerFilter filter, string? asOf, string? compare)
    {
        ArgumentNullException.ThrowIfNull(filter);
        DateOnly? day = null;
        if (!string.IsNullOrWhiteSpace(asOf))
        {
            BusinessRules.Check(new APlanDayIsADate(asOf));
            day = APlanDayIsADate.Parse(asOf);
        }

        if (!string.IsNullOrWhiteSpace(compare))
        {
            BusinessRules.Check(new TheComparisonIsWithTheAdoptedPlan(compare));
        }

        return filter with { AsOf = day, CompareApproved = !string.IsNullOrWhiteSpace(compare) };
    }

    /// <summary>The adopted (审定) and the latest version of each of these measures, in one query.</summary>
    private static async Task<Dictionary<int, (MeasureRevision? Adopted, MeasureRevision Latest)>> AdoptedAndLatestVersionsAsync(RectifyDbContext db, List<int> measureIds, CancellationToken cancellationToken)
    {
        if (measureIds.Count == 0)
        {
            return [];
        }

        var all = db.MeasureRevisions.AsNoTracking();
        var versions = await all
            .Where(r => measureIds.Contains(r.MeasureId)
                && (r.Kind == MeasureRevisionKind.Approved || r.Number == all.Where(x => x.MeasureId == r.MeasureId).Max(x => x.Number)))
            .ToListAsync(cancellationToken);
        return versions.GroupBy(r => r.MeasureId).ToDictionary(
            g => g.Key,
            g => (g.Where(r => r.Kind == MeasureRevisionKind.Approved).MinBy(r => r.Number), g.MaxBy(r => r.Number)!));
    }

    /// <summary>A row beside its adopted version: a row of the plan on a day keeps its version, a row of today's plan gets its latest.</summary>
    private static LedgerRow Compared(LedgerRow row, PlanVersion? onTheDay, Dictionary<int, (MeasureRevision? Adopted, MeasureRevision Latest)> versions)
    {
        if (!versions.TryGetValue(row.MeasureId, out var v))
        {
            // Not in the adopted plan at all (a plan in force has a version of every measure; kept safe for data from before).
            return row with { Comparison = new ApprovedComparison(null, PlanFields.None, Added: true, Withdrawn: false) };
        }

        var latest = new PlanVersion(v.Latest.Number, v.Latest.Kind, v.Latest.AtUtc, v.Latest.ActorName, v.Latest.Reason);
        var adopted = v.Adopted is null ? null : MeasureContent.Of(v.Adopted);
        return row with
        {
            Version = onTheDay ?? latest,
            Comparison = new ApprovedComparison(
                adopted,
                adopted?.DiffersFrom(row.Content) ?? PlanFields.None,
                Added: adopted is null,
                Withdrawn: onTheDay is null && v.Latest.Kind == MeasureRevisionKind.Withdrawn),
        };
    }

    /// <summary>The inspection's facts without its counts (zero), for pages that count it themselves; null outside the caller's scope.</summary>
    public static Task<InspectionSummary?> HeadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new InspectionSummary(
                i.Id, i.Title, i.InspectingBody.Name, i.InspectedOrganization.Name, i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate, 0, 0, 0, i.ReportingCadence) { PlanState = i.PlanState })
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The ledger's filters (unit, state, kind, overdue, ledger done), the same for the page, the API and the export.</summary>
    public static IQueryable<Measure> Filtered(IQueryable<Measure> measures, LedgerFilter filter, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Unit is { } unit)
        {
            measures = measures.Where(m => m.LeadUnitId == unit || m.SupportingUnits.Any(s => s.OrganizationId == unit));
        }

        if (filter.State is { } state)
        {
            measures = measures.Where(m => m.State == state);
        }

        if (filter.Kind is { } kind)
        {
            measures = measures.Where(m => m.Kind == kind);
        }

        if (filter.LedgerDone)
        {
            measures = measures.Where(LedgerSaysDone);
        }

        return filter.Overdue ? measures.Where(IsOverdueOn(today)) : measures;
    }

    /// <summary>原台账已完成、未销号, in the database: the SQL twin of <see cref="Measure.LedgerSaysDoneAndOwed"/>.</summary>
    public static readonly Expression<Func<Measure, bool>> LedgerSaysDone =
        m => m.LedgerStanding == LedgerStanding.Completed && m.State == MeasureState.InProgress && m.WithdrawnAtUtc == null;

    /// <summary>The ledger's order: category, finding, measure.</summary>
    public static IOrderedQueryable<Measure> InLedgerOrder(IQueryable<Measure> measures) =>
        measures.OrderBy(m => m.Finding.Category.Number).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number);

    /// <summary>
    /// Each finding's <see cref="MeasureTally"/> over <paramref name="measures"/> under the default rules, counted by the
    /// database with the named facts' SQL twins in one grouped statement, whatever the number of measures.
    /// </summary>
    public static Task<Dictionary<int, MeasureTally>> FindingTalliesAsync(RectifyDbContext db, IQueryable<Measure> measures, DateOnly today, CancellationToken cancellationToken) =>
        SignalQueries.FindingTalliesAsync(db, measures, SignalDay.Default(today), cancellationToken);

    /// <summary>The inspection's figures as the caller may see them, under its signal rules: the rules, the count of findings and one aggregate statement.</summary>
    public static async Task<LedgerTotals> TotalsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var measures = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);
        var signals = await SignalQueries.DayAsync(db, inspectionId, today, cancellationToken);
        var findings = await db.VisibleFindings(scope).CountAsync(f => f.InspectionId == inspectionId, cancellationToken);
        return await TotalsAsync(db, measures, findings, signals, cancellationToken);
    }

    /// <summary>
    /// The figures of each of <paramref name="inspectionIds"/> as the caller may see them, each under its own 红黄绿规则, as
    /// <see cref="TotalsAsync(RectifyDbContext, AccessScope, int, DateOnly, CancellationToken)"/> gives them one by one but
    /// in a few statements for all: the rules, the findings counted by inspection, the calendar once (when any rules warn
    /// of deadlines), and one aggregate statement for each distinct set of rules (most inspections keep the default).
    /// An inspection the caller does not see, or without measures, has zero figures.
    /// </summary>
    public static async Task<Dictionary<int, LedgerTotals>> TotalsByInspectionAsync(RectifyDbContext db, AccessScope scope, IReadOnlyCollection<int> inspectionIds, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(inspectionIds);
        if (inspectionIds.Count == 0)
        {
            return [];
        }

        var ids = inspectionIds.Distinct().ToList();
        var rules = await db.Inspections.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, Rules = new SignalRules(i.SignalRules.RedWhenUnderDuban, i.SignalRules.WarnWithinWorkingDays, i.SignalRules.WarnWhenReportReturned, i.SignalRules.GreenWhenOnTrack) })
            .ToListAsync(cancellationToken);
        var findings = await db.VisibleFindings(scope).Where(f => ids.Contains(f.InspectionId))
            .GroupBy(f => f.InspectionId).Select(g => new { Inspection = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Inspection, g => g.Count, cancellationToken);
        var calendar = rules.Any(r => r.Rules.WarnsOfDeadlines) ? await new Deadlines.CalendarStore(db).LoadAsync(cancellationToken) : null;

        var totals = new Dictionary<int, LedgerTotals>();
        foreach (var group in rules.GroupBy(r => r.Rules))
        {
            var day = calendar is not null && group.Key.WarnsOfDeadlines ? SignalDay.On(group.Key, today, calendar) : new SignalDay(group.Key, today, null);
            var groupIds = group.Select(r => r.Id).ToList();
            var measures = db.VisibleMeasures(scope).AsNoTracking().Where(m => groupIds.Contains(m.InspectionId));

            // Each finding's counts, its inspection beside it, grouped again by inspection and the facts the rules read.
            var rows = await measures.TalliesBy(db, day, m => m.FindingId)
                .Join(db.Findings, t => t.Key, f => f.Id, (t, f) => new { f.InspectionId, Tally = t })
                .GroupBy(x => new
                {
                    x.InspectionId,
                    Done = x.Tally.SignedOff + x.Tally.Ongoing - x.Tally.MissingReport == x.Tally.Total,
                    Sustained = x.Tally.Ongoing > x.Tally.MissingReport,
                    PastDeadline = x.Tally.PastDeadline > 0,
                    MissingReport = x.Tally.MissingReport > 0,
                    UnderDuban = x.Tally.UnderDuban > 0,
                    DueSoon = x.Tally.DueSoon > 0,
                    ReportReturned = x.Tally.ReportReturned > 0,
                })
                .Select(g => new
                {
                    g.Key.InspectionId,
                    Findings = g.Count(),
                    Total = g.Sum(x => x.Tally.Total),
                    SignedOff = g.Sum(x => x.Tally.SignedOff),
                    Ongoing = g.Sum(x => x.Tally.Ongoing),
                    PastDeadline = g.Sum(x => x.Tally.PastDeadline),
                    MissingReport = g.Sum(x => x.Tally.MissingReport),
                    UnderDuban = g.Sum(x => x.Tally.UnderDuban),
                    DueSoon = g.Sum(x => x.Tally.DueSoon),
                    ReportReturned = g.Sum(x => x.Tally.ReportReturned),
                })
                .ToListAsync(cancellationToken);
            var byInspection = rows.ToLookup(r => r.InspectionId);
            foreach (var id in groupIds)
            {
                totals[id] = LedgerTotals.From(
                    findings.GetValueOrDefault(id),
                    byInspection[id].Select(g => (g.Findings, new MeasureTally(g.Total, g.SignedOff, g.Ongoing, g.PastDeadline, g.MissingReport)
                    {
                        UnderDuban = g.UnderDuban,
                        DueSoon = g.DueSoon,
                        ReportReturned = g.ReportReturned,
                    })),
                    group.Key);
            }
        }

        return totals;
    }

    /// <summary>
    /// The totals of <paramref name="findings"/> findings over <paramref name="measures"/> under <paramref name="day"/>'s
    /// rules, in one statement: each finding's counts (<see cref="SignalQueries.TalliesBy"/>), grouped again by the facts
    /// the rules read of a finding, so that a handful of rows come back whatever the size of the inspection; the rules
    /// themselves (完成, 红黄绿) are applied here, in C#, to each group (<see cref="LedgerTotals.From(int, IEnumerable{ValueTuple{int, MeasureTally}}, SignalRules)"/>).
    /// </summary>
    public static async Task<LedgerTotals> TotalsAsync(RectifyDbContext db, IQueryable<Measure> measures, int findings, SignalDay day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(day);
        var groups = await measures.TalliesBy(db, day, m => m.FindingId)
            .GroupBy(f => new
            {
                Done = f.SignedOff + f.Ongoing - f.MissingReport == f.Total,
                Sustained = f.Ongoing > f.MissingReport,
                PastDeadline = f.PastDeadline > 0,
                MissingReport = f.MissingReport > 0,
                UnderDuban = f.UnderDuban > 0,
                DueSoon = f.DueSoon > 0,
                ReportReturned = f.ReportReturned > 0,
            })
            .Select(g => new
            {
                Findings = g.Count(),
                Total = g.Sum(f => f.Total),
                SignedOff = g.Sum(f => f.SignedOff),
                Ongoing = g.Sum(f => f.Ongoing),
                PastDeadline = g.Sum(f => f.PastDeadline),
                MissingReport = g.Sum(f => f.MissingReport),
                UnderDuban = g.Sum(f => f.UnderDuban),
                DueSoon = g.Sum(f => f.DueSoon),
                ReportReturned = g.Sum(f => f.ReportReturned),
            })
            .ToListAsync(cancellationToken);
        return LedgerTotals.From(
            findings,
            groups.Select(g => (g.Findings, new MeasureTally(g.Total, g.SignedOff, g.Ongoing, g.PastDeadline, g.MissingReport)
            {
                UnderDuban = g.UnderDuban,
                DueSoon = g.DueSoon,
                ReportReturned = g.ReportReturned,
            })),
            day.Rules);
    }

    /// <summary>
    /// 配合单位 of these measures, by measure, each list by name: a join from the measures to their links, so the
    /// database seeks each measure's links by its id.
    /// </summary>
    public static async Task<Dictionary<int, List<string>>> SupportingUnitsAsync(IQueryable<Measure> measures, CancellationToken cancellationToken)
    {
        var links = await measures.SelectMany(m => m.SupportingUnits, (m, s) => new { MeasureId = m.Id, s.Organization.Name })
            .OrderBy(l => l.MeasureId).ThenBy(l => l.Name)
            .ToListAsync(cancellationToken);
        return links.GroupBy(l => l.MeasureId).ToDictionary(g => g.Key, g => g.Select(l => l.Name).ToList());
    }

    /// <summary>Fills the rows' 配合单位 (<see cref="AsLedgerMeasure"/> leaves them empty) from the measures given.</summary>
    public static async Task FillSupportingUnitsAsync(IReadOnlyCollection<LedgerMeasure> rows, IQueryable<Measure> measures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var units = await SupportingUnitsAsync(measures, cancellationToken);
        foreach (var row in rows)
        {
            if (units.TryGetValue(row.Id, out var names))
            {
                row.Supporting.AddRange(names);
            }
        }
    }

    /// <summary>The units that lead or support one of these measures, for the unit filter.</summary>
    public static Task<List<UnitOption>> UnitsAsync(RectifyDbContext db, IQueryable<Measure> measures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = measures.Where(m => m.LeadUnitId != null).Select(m => m.LeadUnitId!.Value)
            .Union(measures.SelectMany(m => m.SupportingUnits, (m, s) => s.OrganizationId));
        return db.Organizations.AsNoTracking()
            .Where(o => ids.Contains(o.Id))
            .OrderBy(o => o.Name)
            .Select(o => new UnitOption(o.Id, o.Name))
            .ToListAsync(cancellationToken);
    }
}
