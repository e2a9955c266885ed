using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

/// <summary>
/// Another round of inspection of the same 被巡察党组织, with the state of its rectification as the caller may see it: a
/// new round looks first at what the last one left (未完成, 超期, 反弹回潮), and a later round is where an old one's
/// problems are checked again.
/// </summary>
/// <param name="Inspection">The round (its title, inspecting body, dates, plan state).</param>
/// <param name="Totals">Its figures, counted as its own overview counts them.</param>
/// <param name="Rebounds">回头看 that found 反弹 on its measures (each reopened a measure).</param>
/// <param name="Earlier">Fed back before this inspection (or, without dates, made before it).</param>
public sealed record OtherRound(InspectionSummary Inspection, LedgerTotals Totals, int Rebounds, bool Earlier)
{
    /// <summary>Measures neither 已完成 nor 持续整改 (as the totals give it; kept here for the API's clients since 2026-12-07).</summary>
    public int UnfinishedMeasures => Totals.UnfinishedMeasures;
}

/// <summary>The other rounds the caller may see, newest first, at most <see cref="OtherRounds.Shown"/> of <paramref name="Total"/>.</summary>
public sealed record OtherRoundList(int Total, IReadOnlyList<OtherRound> Rounds);

public static class OtherRounds
{
    /// <summary>Rounds shown with their figures; an organization is inspected once in a few years, so this is all of them in practice.</summary>
    public const int Shown = 10;

    /// <summary>
    /// The other inspections of <paramref name="inspectionId"/>'s 被巡察党组织 that the caller may see, newest feedback first,
    /// each with its figures (counted as its overview counts them, for all rounds at once: <see cref="LedgerQueries.TotalsByInspectionAsync"/>)
    /// and its rebounds (one grouped statement for all); null when the inspection itself is not seen.
    /// </summary>
    public static async Task<OtherRoundList?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var self = await db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new { i.InspectedOrganizationId, i.FeedbackDate })
            .SingleOrDefaultAsync(cancellationToken);
        if (self is null)
        {
            return null;
        }

        var others = LedgerQueries.InspectionsInOrder(db, scope).Where(i => i.InspectedOrganizationId == self.InspectedOrganizationId && i.Id != inspectionId);
        var total = await others.CountAsync(cancellationToken);
        if (total == 0)
        {
            return new OtherRoundList(0, []);
        }

        var summaries = await LedgerQueries.Summaries(db, scope, others.Take(Shown)).ToListAsync(cancellationToken);
        var ids = summaries.Select(s => s.Id).ToList();
        var rebounds = await db.LookBacks.AsNoTracking()
            .Where(l => l.Result == LookBackResult.Rebound)
            .Join(db.VisibleMeasures(scope).Where(m => ids.Contains(m.InspectionId)), l => l.MeasureId, m => m.Id, (l, m) => m.InspectionId)
            .GroupBy(i => i)
            .Select(g => new { Inspection = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Inspection, g => g.Count, cancellationToken);

        var totals = await LedgerQueries.TotalsByInspectionAsync(db, scope, ids, today, cancellationToken);
        var rounds = new List<OtherRound>(summaries.Count);
        foreach (var s in summaries)
        {
            var earlier = (s.FeedbackDate, self.FeedbackDate) is ({ } theirs, { } ours) ? theirs < ours : s.Id < inspectionId;
            rounds.Add(new OtherRound(s, totals[s.Id], rebounds.GetValueOrDefault(s.Id), earlier));
        }

        return new OtherRoundList(total, rounds);
    }
}
