using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Reports;

public sealed record EvidenceView(int Id, string OriginalName, long Length, bool AlsoOnOtherMeasures);

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
    string? ReturnReason,
    IReadOnlyList<EvidenceView> Evidence);

/// <summary>A measure's progress reports as the page and the API show them (the caller has already been shown the measure).</summary>
public static class ReportQueries
{
    /// <summary>The measure's progress reports, newest first, each with its evidence; a file that also backs another measure is flagged (a common sign of paper-only rectification).</summary>
    public static async Task<IReadOnlyList<ProgressReportView>> ReportsAsync(RectifyDbContext db, int measureId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ProgressReports.AsNoTracking().Where(r => r.MeasureId == measureId).OrderByDescending(r => r.Number)
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
                r.ReturnReason,
                Evidence = r.Evidence.Select(e => new
                {
                    e.EvidenceFileId,
                    e.OriginalName,
                    e.EvidenceFile.Length,
                    Elsewhere = db.ProgressReportEvidence.Any(o => o.EvidenceFileId == e.EvidenceFileId
                        && db.ProgressReports.Any(p => p.Id == o.ProgressReportId && p.MeasureId != measureId)),
                }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ProgressReportView(
            r.Id, r.Number, r.RevisionOfId, r.Narrative, r.PercentComplete, r.EffectiveDate, r.State, r.SubmittedByName, r.SubmittedAtUtc, r.ReviewedByName, r.ReturnReason,
            r.Evidence.Select(e => new EvidenceView(e.EvidenceFileId, e.OriginalName, e.Length, e.Elsewhere)).ToList())).ToList();
    }
}
