using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Reports;

/// <summary>Another measure whose report carries the same file, as the caller may see it: 问题序号.措施序号 and a link.</summary>
public sealed record EvidenceUse(int MeasureId, int FindingNumber, int MeasureNumber);

/// <summary>
/// One file of a report. <see cref="AlsoOnOtherMeasures"/> and <see cref="OtherMeasures"/> name the other measures
/// (among those the caller sees) whose reports carry the same file; <see cref="ResentUnchanged"/> says that an earlier
/// report of this measure already carried it — both common signs of paper-only rectification.
/// </summary>
/// <summary>A file of a report as pages and the API list it; <paramref name="Id"/> is its place in the report (1, 2, …), which names it in the download's address, never the store's id of the file.</summary>
public sealed record EvidenceView(int Id, string OriginalName, long Length, bool AlsoOnOtherMeasures, IReadOnlyList<EvidenceUse> OtherMeasures, bool ResentUnchanged);

public sealed record ProgressReportView(
    int Id,
    int Number,
    int? RevisionOfId,
    string Narrative,
    int PercentComplete,
    DateOnly EffectiveDate,
    ProgressReportState State,
    string SubmittedByName,
    DateTime SubmittedAtUtc,
    string? ReviewedByName,
    DateTime? ReviewedAtUtc,
    string? ReturnReason,
    IReadOnlyList<EvidenceView> Evidence,
    string? OnBehalfBasis)
{
    /// <summary>The caller filed this report: the page offers no review of it (one's own report is not one's to accept). Not in the API's answer.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool FiledByCaller { get; init; }
}

/// <summary>A measure's progress reports as the page and the API show them (the caller has already been shown the measure).</summary>
public static class ReportQueries
{
    /// <summary>The most other measures named per file; the flag still counts them all.</summary>
    private const int OtherUsesShown = 10;

    /// <summary>The measure's progress reports, newest first, each with its evidence and the signs of reused files; three queries whatever the number of reports.</summary>
    public static async Task<IReadOnlyList<ProgressReportView>> ReportsAsync(RectifyDbContext db, AccessScope scope, int measureId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Split: the evidence is read by the reports' ids, not joined to a subquery over every report's evidence.
        var rows = await db.ProgressReports.AsNoTracking().AsSplitQuery().Where(r => r.MeasureId == measureId).OrderByDescending(r => r.Number)
            .Select(r => new
            {
                r.Id,
                r.Number,
                r.RevisionOfId,
                r.Narrative,
                r.PercentComplete,
                r.EffectiveDate,
                r.State,
                r.SubmittedByName,
                r.SubmittedAtUtc,
                r.ReviewedByName,
                r.ReviewedAtUtc,
                r.ReturnReason,
                r.OnBehalfBasis,
                FiledByCaller = r.SubmittedByUserId == scope.UserId,
                Evidence = r.Evidence.OrderBy(e => e.OriginalName).ThenBy(e => e.EvidenceFileId).Select(e => new { e.EvidenceFileId, e.OriginalName, e.EvidenceFile.Length }).ToList(),
            })
            .ToListAsync(cancellationToken);

        // Other measures carrying the same files, only among those the caller sees (nobody learns of another organization's file).
        var files = rows.SelectMany(r => r.Evidence).Select(e => e.EvidenceFileId).Distinct().ToList();
        var visible = db.VisibleMeasures(scope);
        var uses = files.Count == 0 ? [] : await db.ProgressReportEvidence.AsNoTracking()
            .Where(e => files.Contains(e.EvidenceFileId))
            .Join(db.ProgressReports, e => e.ProgressReportId, r => r.Id, (e, r) => new { e.EvidenceFileId, r.MeasureId })
            .Where(u => u.MeasureId != measureId && visible.Any(m => m.Id == u.MeasureId))
            .Join(db.Measures, u => u.MeasureId, m => m.Id, (u, m) => new { u.EvidenceFileId, Use = new EvidenceUse(m.Id, m.Finding.Number, m.Number) })
            .Distinct()
            .ToListAsync(cancellationToken);
        var usesByFile = uses.GroupBy(u => u.EvidenceFileId).ToDictionary(g => g.Key, g => g.Select(u => u.Use).OrderBy(u => u.FindingNumber).ThenBy(u => u.MeasureNumber).ToList());

        return rows.Select(r => new ProgressReportView(
            r.Id, r.Number, r.RevisionOfId, r.Narrative, r.PercentComplete, r.EffectiveDate, r.State, r.SubmittedByName, r.SubmittedAtUtc, r.ReviewedByName, r.ReviewedAtUtc, r.ReturnReason,
            r.Evidence.Select((e, index) =>
            {
                var others = usesByFile.GetValueOrDefault(e.EvidenceFileId) ?? [];
                var resent = rows.Any(earlier => earlier.Number < r.Number && earlier.Evidence.Any(x => x.EvidenceFileId == e.EvidenceFileId));
                return new EvidenceView(index + 1, e.OriginalName, e.Length, others.Count > 0, others.Take(OtherUsesShown).ToList(), resent);
            }).ToList(), r.OnBehalfBasis) { FiledByCaller = r.FiledByCaller }).ToList();
    }
}
