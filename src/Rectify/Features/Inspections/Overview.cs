using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

/// <summary>红黄绿: red when any of a finding's measures is overdue (超期, or 逾期未报 for 长期坚持), green when it is done (已完成 or 长期坚持), yellow otherwise.</summary>
public enum Signal
{
    Green,
    Yellow,
    Red,
}

public sealed record RateRow(string Name, int Total, int SignedOff, int Ongoing, int Overdue)
{
    /// <summary>完成率: signed off or under long-term persistence, of all.</summary>
    public decimal Rate => Total == 0 ? 0 : Math.Round(100m * (SignedOff + Ongoing) / Total, 1);
}

public sealed record FindingSignal(int FindingId, int Number, string Title, FindingState State, Signal Signal, int Measures, int Overdue);

public sealed record InspectionOverview(
    InspectionSummary Inspection,
    LedgerTotals Totals,
    IReadOnlyList<RateRow> ByUnit,
    IReadOnlyList<RateRow> ByCategory,
    IReadOnlyList<RateRow> ByKind,
    IReadOnlyList<FindingSignal> Findings);

/// <summary>The inspection's statistics, computed from the same rows and the same derivations as the ledger.</summary>
public static class OverviewQueries
{
    public static async Task<InspectionOverview?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inspection = await LedgerQueries.HeadAsync(db, scope, inspectionId, cancellationToken);
        if (inspection is null)
        {
            return null;
        }

        var rows = await db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId)
            .Select(m => new
            {
                m.FindingId,
                FindingNumber = m.Finding.Number,
                FindingTitle = m.Finding.Title,
                CategoryNumber = m.Finding.Category.Number,
                CategoryTitle = m.Finding.Category.Title,
                m.Kind,
                m.State,
                m.Deadline,
                LeadUnit = m.LeadUnit == null ? "（未定）" : m.LeadUnit.Name,
                Facts = new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc),
            })
            .ToListAsync(cancellationToken);
        var measures = rows.Select(r => (Row: r, Overdue: Measure.IsOverdueAt(r.Facts, today))).ToList();

        static RateRow Rate(string name, IEnumerable<MeasureState> states, int overdue)
        {
            var list = states.ToList();
            return new RateRow(name, list.Count, list.Count(s => s == MeasureState.SignedOff), list.Count(s => s == MeasureState.Ongoing), overdue);
        }

        var findings = measures.GroupBy(m => m.Row.FindingId)
            .Select(g =>
            {
                var first = g.First().Row;
                var state = FindingStates.Derive(g.Select(m => m.Row.State));
                var overdue = g.Count(m => m.Overdue);
                var signal = overdue > 0 ? Signal.Red : state is FindingState.Completed or FindingState.Ongoing ? Signal.Green : Signal.Yellow;
                return (first.CategoryNumber, first.CategoryTitle, Signal: new FindingSignal(g.Key, first.FindingNumber, first.FindingTitle, state, signal, g.Count(), overdue));
            })
            .OrderBy(f => f.Signal.Number)
            .ToList();

        var byCategory = findings.GroupBy(f => (f.CategoryNumber, f.CategoryTitle)).OrderBy(g => g.Key.CategoryNumber)
            .Select(g => new RateRow(
                $"({Documents.ChineseNumerals.Format(g.Key.CategoryNumber)}){g.Key.CategoryTitle}",
                g.Count(),
                g.Count(f => f.Signal.State == FindingState.Completed),
                g.Count(f => f.Signal.State == FindingState.Ongoing),
                g.Count(f => f.Signal.Overdue > 0)))
            .ToList();
        var byUnit = measures.GroupBy(m => m.Row.LeadUnit).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Rate(g.Key, g.Select(m => m.Row.State), g.Count(m => m.Overdue))).ToList();
        var byKind = measures.GroupBy(m => m.Row.Kind).OrderBy(g => g.Key)
            .Select(g => Rate(Terms.Of(g.Key), g.Select(m => m.Row.State), g.Count(m => m.Overdue))).ToList();
        var totals = new LedgerTotals(
            findings.Count,
            measures.Count,
            measures.Count(m => m.Row.State == MeasureState.SignedOff),
            measures.Count(m => m.Row.State == MeasureState.Ongoing),
            measures.Count(m => m.Overdue),
            findings.Count(f => f.Signal.State == FindingState.Completed),
            findings.Count(f => f.Signal.State == FindingState.Ongoing));
        return new InspectionOverview(
            inspection with { Findings = totals.Findings, Measures = totals.Measures, SignedOffMeasures = totals.SignedOffMeasures },
            totals, byUnit, byCategory, byKind, findings.Select(f => f.Signal).ToList());
    }
}
