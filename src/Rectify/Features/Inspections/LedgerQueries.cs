using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

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
}

public sealed record LedgerFilter(int? Unit = null, MeasureState? State = null, MeasureKind? Kind = null, bool Overdue = false, int Page = 1, int PageSize = LedgerFilter.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public LedgerFilter Normalized() => this with
    {
        Page = Math.Max(1, Page),
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
    /// <summary>超期 or 逾期未报 (see <see cref="Measure.OverdueReasonAt"/>).</summary>
    public bool Overdue => OverdueReason != OverdueReason.None;
}

/// <summary>An inspection's figures as the caller may see them; each is defined in docs/rules.md.</summary>
/// <param name="Findings">反馈问题.</param>
/// <param name="Measures">整改措施.</param>
/// <param name="CompletedMeasures">已完成 measures: signed off.</param>
/// <param name="SustainedMeasures">持续整改 measures: 长期坚持, under way and not 逾期未报.</param>
/// <param name="PastDeadlineMeasures">超期 measures.</param>
/// <param name="MissingReportMeasures">逾期未报 measures.</param>
/// <param name="CompletedFindings">已完成 findings: every measure signed off.</param>
/// <param name="SustainedFindings">持续整改 findings: every measure 已完成 or 持续整改, one at least 持续整改.</param>
/// <param name="RedFindings">红: a measure 超期 or 逾期未报.</param>
/// <param name="GreenFindings">绿: done (已完成 or 持续整改).</param>
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
    /// <summary>黄: every other finding (整改中, nothing late).</summary>
    public int YellowFindings => Findings - RedFindings - GreenFindings;

    /// <summary>完成率 of findings: 已完成 or 持续整改, of all findings — the figure the notices report.</summary>
    public decimal FindingCompletionRate => Figures.Rate(CompletedFindings + SustainedFindings, Findings);

    /// <summary>完成率 of measures: 已完成 or 持续整改, of all measures.</summary>
    public decimal MeasureCompletionRate => Figures.Rate(CompletedMeasures + SustainedMeasures, Measures);

    /// <summary>The totals of <paramref name="findings"/> findings from their measures' tallies, one per finding that has measures.</summary>
    public static LedgerTotals From(int findings, IReadOnlyCollection<MeasureTally> findingTallies)
    {
        ArgumentNullException.ThrowIfNull(findingTallies);
        var all = findingTallies.Aggregate(default(MeasureTally), MeasureTally.Add);
        return new LedgerTotals(
            findings,
            all.Total,
            all.Completed,
            all.Sustained,
            all.PastDeadline,
            all.MissingReport,
            findingTallies.Count(f => f.FindingCompletion == Completion.Completed),
            findingTallies.Count(f => f.FindingCompletion == Completion.Sustained),
            findingTallies.Count(f => f.FindingSignal == Signal.Red),
            findingTallies.Count(f => f.FindingSignal == Signal.Green));
    }
}

public sealed record UnitOption(int Id, string Name);

public sealed record LedgerPage(InspectionSummary Inspection, LedgerFilter Filter, int TotalRows, IReadOnlyList<LedgerRow> Rows, LedgerTotals Totals, IReadOnlyList<UnitOption> Units)
{
    public int PageCount => Math.Max(1, (TotalRows + Filter.PageSize - 1) / Filter.PageSize);
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
    OverdueFacts Facts);

/// <summary>The ledger (台账): one query shape for the page, the API and the export.</summary>
public static class LedgerQueries
{
    /// <summary>The ledger's projection of a measure, shared by the page, the API and the export.</summary>
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
        m.SupportingUnits.OrderBy(s => s.Organization.Name).Select(s => s.Organization.Name).ToList(),
        m.State,
        m.AssumedFields,
        new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc));

    /// <summary>超期, in the database: the SQL twin of <see cref="Measure.IsPastDeadlineAt"/> (OverdueQueryTests holds the two equal).</summary>
    public static Expression<Func<Measure, bool>> IsPastDeadlineOn(DateOnly today) => m =>
        m.Kind != MeasureKind.Ongoing
        && m.Deadline != null && m.Deadline < today
        && m.State != MeasureState.SignedOff && m.State != MeasureState.Ongoing;

    /// <summary>逾期未报, in the database: the SQL twin of <see cref="Measure.IsMissingCadenceReportAt"/> (OverdueQueryTests holds the two equal).</summary>
    public static Expression<Func<Measure, bool>> IsMissingCadenceReportOn(DateOnly today)
    {
        // The start of the last closed period for each cadence, computed here and passed as parameters; the
        // inspection's cadence picks one in SQL (null is the default, monthly).
        var weekly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Weekly, today);
        var monthly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Monthly, today);
        var quarterly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Quarterly, today);
        return m => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing && m.OngoingSinceUtc != null
            && m.OngoingSinceUtc <= (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly)
            && (m.LastReportAtUtc == null
                || m.LastReportAtUtc < (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly));
    }

    /// <summary>超期 or 逾期未报: the database form of <see cref="Measure.IsOverdueAt"/>, made of the two facts above.</summary>
    public static Expression<Func<Measure, bool>> IsOverdueOn(DateOnly today) => Either(IsPastDeadlineOn(today), IsMissingCadenceReportOn(today));

    /// <summary>本期待报送, in the database: the SQL twin of <see cref="Measure.IsCadenceReportDueAt"/>.</summary>
    public static Expression<Func<Measure, bool>> CadenceReportDueOn(DateOnly today)
    {
        var weekly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Weekly, today);
        var monthly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Monthly, today);
        var quarterly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Quarterly, today);
        return m => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing
            && (m.LastReportAtUtc == null
                || m.LastReportAtUtc < (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly));
    }

    private static Expression<Func<Measure, bool>> Either(Expression<Func<Measure, bool>> a, Expression<Func<Measure, bool>> b) =>
        Expression.Lambda<Func<Measure, bool>>(
            Expression.OrElse(a.Body, ReplacingExpressionVisitor.Replace(b.Parameters[0], a.Parameters[0], b.Body)),
            a.Parameters[0]);

    /// <summary>A page of inspections, newest feedback first.</summary>
    public static Task<List<InspectionSummary>> PageOfSummariesAsync(RectifyDbContext db, AccessScope scope, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inspections = db.VisibleInspections(scope).AsNoTracking()
            .OrderByDescending(i => i.FeedbackDate).ThenByDescending(i => i.Id)
            .Skip((page - 1) * pageSize).Take(pageSize);
        return Summaries(db, scope, inspections).ToListAsync(cancellationToken);
    }

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
                i.ReportingCadence));
    }

    /// <summary>A page of the ledger as the caller may see it; null when the inspection does not exist for them.</summary>
    public static async Task<LedgerPage?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        filter = filter.Normalized();
        var head = await HeadAsync(db, scope, inspectionId, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var visible = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);
        var measures = Filtered(visible, filter, today);
        var total = await measures.CountAsync(cancellationToken);
        var page = await InLedgerOrder(measures)
            .Skip((filter.Page - 1) * filter.PageSize)
            .Take(filter.PageSize)
            .Select(AsLedgerMeasure)
            .ToListAsync(cancellationToken);

        // Every visible finding's tally, counted once: the totals add them up and the page's finding rows read theirs.
        var tallies = await FindingTalliesAsync(visible, today, cancellationToken);
        var totals = LedgerTotals.From(await db.VisibleFindings(scope).CountAsync(f => f.InspectionId == inspectionId, cancellationToken), tallies.Values);

        var rows = page.Select(r => new LedgerRow(
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
            tallies.GetValueOrDefault(r.FindingId).FindingSignal,
            r.AssumedFields)).ToList();

        var units = await UnitsAsync(db, visible, cancellationToken);

        // The summary's counts are the totals' (counted once).
        var inspection = head with { Findings = totals.Findings, Measures = totals.Measures, SignedOffMeasures = totals.CompletedMeasures };
        return new LedgerPage(inspection, filter, total, rows, totals, units);
    }

    /// <summary>The inspection's facts without its counts (zero), for pages that count it themselves; null outside the caller's scope.</summary>
    public static Task<InspectionSummary?> HeadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new InspectionSummary(
                i.Id, i.Title, i.InspectingBody.Name, i.InspectedOrganization.Name, i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate, 0, 0, 0, i.ReportingCadence))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The ledger's filters (unit, state, kind, overdue), the same for the page, the API and the export.</summary>
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

        return filter.Overdue ? measures.Where(IsOverdueOn(today)) : measures;
    }

    /// <summary>The ledger's order: category, finding, measure.</summary>
    public static IOrderedQueryable<Measure> InLedgerOrder(IQueryable<Measure> measures) =>
        measures.OrderBy(m => m.Finding.Category.Number).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number);

    /// <summary>
    /// Each finding's <see cref="MeasureTally"/> over <paramref name="measures"/>, counted by the database with the
    /// named facts' SQL twins: one grouped query by state, one for 超期 and one for 逾期未报, whatever the number of measures.
    /// </summary>
    public static async Task<Dictionary<int, MeasureTally>> FindingTalliesAsync(IQueryable<Measure> measures, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var counts = await measures
            .GroupBy(m => m.FindingId)
            .Select(g => new
            {
                g.Key,
                Total = g.Count(),
                SignedOff = g.Count(m => m.State == MeasureState.SignedOff),
                Ongoing = g.Count(m => m.State == MeasureState.Ongoing),
            })
            .ToListAsync(cancellationToken);
        var pastDeadline = await CountByFindingAsync(measures.Where(IsPastDeadlineOn(today)), cancellationToken);
        var missingReport = await CountByFindingAsync(measures.Where(IsMissingCadenceReportOn(today)), cancellationToken);
        return counts.ToDictionary(
            c => c.Key,
            c => new MeasureTally(c.Total, c.SignedOff, c.Ongoing, pastDeadline.GetValueOrDefault(c.Key), missingReport.GetValueOrDefault(c.Key)));
    }

    private static Task<Dictionary<int, int>> CountByFindingAsync(IQueryable<Measure> measures, CancellationToken cancellationToken) =>
        measures.GroupBy(m => m.FindingId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    /// <summary>The inspection's figures as the caller may see them: the finding tallies (three queries) and the count of findings.</summary>
    public static async Task<LedgerTotals> TotalsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var measures = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);
        var tallies = await FindingTalliesAsync(measures, today, cancellationToken);
        var findings = await db.VisibleFindings(scope).CountAsync(f => f.InspectionId == inspectionId, cancellationToken);
        return LedgerTotals.From(findings, tallies.Values);
    }

    /// <summary>The units that lead or support one of these measures, for the unit filter.</summary>
    public static Task<List<UnitOption>> UnitsAsync(RectifyDbContext db, IQueryable<Measure> measures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = measures.Where(m => m.LeadUnitId != null).Select(m => m.LeadUnitId!.Value)
            .Union(db.MeasureSupportingUnits.Where(s => measures.Any(m => m.Id == s.MeasureId)).Select(s => s.OrganizationId));
        return db.Organizations.AsNoTracking()
            .Where(o => ids.Contains(o.Id))
            .OrderBy(o => o.Name)
            .Select(o => new UnitOption(o.Id, o.Name))
            .ToListAsync(cancellationToken);
    }
}
