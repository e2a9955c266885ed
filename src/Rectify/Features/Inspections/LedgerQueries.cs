using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
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
    AssumedFields Assumed)
{
    /// <summary>超期 or 逾期未报 (see <see cref="Measure.OverdueReasonAt"/>).</summary>
    public bool Overdue => OverdueReason != OverdueReason.None;
}

public sealed record LedgerTotals(int Findings, int Measures, int SignedOffMeasures, int OngoingMeasures, int OverdueMeasures, int CompletedFindings, int OngoingFindings)
{
    /// <summary>完成率: findings completed or under long-term persistence, of all findings — the derivation the notices report.</summary>
    public decimal FindingCompletionRate => Findings == 0 ? 0 : Math.Round(100m * (CompletedFindings + OngoingFindings) / Findings, 1);
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

    /// <summary>The database form of <see cref="Measure.OverdueReasonAt"/>; a unit test holds the two together.</summary>
    public static Expression<Func<Measure, bool>> IsOverdueOn(DateOnly today)
    {
        // The start of the last closed period for each cadence, computed here and passed as parameters; the
        // inspection's cadence picks one in SQL (null is the default, monthly).
        var weekly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Weekly, today);
        var monthly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Monthly, today);
        var quarterly = ReportingCadences.LastClosedPeriodStartUtc(ReportingCadence.Quarterly, today);
        return m =>
            (m.Kind != MeasureKind.Ongoing
                && m.Deadline != null && m.Deadline < today
                && m.State != MeasureState.SignedOff && m.State != MeasureState.Ongoing)
            || (m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing && m.OngoingSinceUtc != null
                && m.OngoingSinceUtc <= (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly)
                && (m.LastReportAtUtc == null
                    || m.LastReportAtUtc < (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly)));
    }

    /// <summary>A 长期坚持 measure under way with nothing filed yet in the current period: its report is due now.</summary>
    public static Expression<Func<Measure, bool>> CadenceReportDueOn(DateOnly today)
    {
        var weekly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Weekly, today);
        var monthly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Monthly, today);
        var quarterly = ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Quarterly, today);
        return m => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing
            && (m.LastReportAtUtc == null
                || m.LastReportAtUtc < (m.Inspection.ReportingCadence == ReportingCadence.Weekly ? weekly : m.Inspection.ReportingCadence == ReportingCadence.Quarterly ? quarterly : monthly));
    }

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

        var findingIds = page.Select(r => r.FindingId).Distinct().ToList();
        var findingStates = await FindingStatesAsync(db.VisibleMeasures(scope).Where(m => findingIds.Contains(m.FindingId)), cancellationToken);

        var rows = page.Select(r => new LedgerRow(
            r.Id,
            r.CategoryNumber,
            r.CategoryTitle,
            r.FindingId,
            r.FindingNumber,
            r.FindingTitle,
            findingStates.GetValueOrDefault(r.FindingId),
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
            r.AssumedFields)).ToList();

        var totals = await TotalsAsync(db, scope, inspectionId, today, cancellationToken);
        var units = await UnitsAsync(db, visible, cancellationToken);

        // The summary's counts are the totals' (counted once).
        var inspection = head with { Findings = totals.Findings, Measures = totals.Measures, SignedOffMeasures = totals.SignedOffMeasures };
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

    public static async Task<Dictionary<int, FindingState>> FindingStatesAsync(IQueryable<Measure> measures, CancellationToken cancellationToken)
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
        return counts.ToDictionary(c => c.Key, c => FindingStates.Derive(c.Total, c.SignedOff, c.Ongoing));
    }

    public static async Task<LedgerTotals> TotalsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var measures = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);
        var byState = await measures.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var overdue = await measures.CountAsync(IsOverdueOn(today), cancellationToken);
        var findingStates = await FindingStatesAsync(measures, cancellationToken);
        var findings = await db.VisibleFindings(scope).CountAsync(f => f.InspectionId == inspectionId, cancellationToken);
        return new LedgerTotals(
            findings,
            byState.Sum(s => s.Count),
            byState.Where(s => s.Key == MeasureState.SignedOff).Sum(s => s.Count),
            byState.Where(s => s.Key == MeasureState.Ongoing).Sum(s => s.Count),
            overdue,
            findingStates.Values.Count(s => s == FindingState.Completed),
            findingStates.Values.Count(s => s == FindingState.Ongoing));
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
