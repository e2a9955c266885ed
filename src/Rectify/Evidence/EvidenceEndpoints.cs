using System.Security.Claims;
using Rectify.Access;

namespace Rectify.Evidence;

public static class EvidenceEndpoints
{
    /// <summary>Evidence is served only through the same scope as its report, as an attachment, and every download is audited.</summary>
    public static void MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/evidence/{reportId:int}/{evidenceId:int}", async (ProgressReportService reports, ClaimsPrincipal user, int reportId, int evidenceId, CancellationToken ct) =>
            {
                var file = await reports.OpenForDownloadAsync(AccessScope.From(user), reportId, evidenceId, ct);
                return file is { } f && File.Exists(f.Path)
                    ? Results.File(f.Path, f.ContentType, f.FileName)
                    : Results.NotFound();
            })
            .ExcludeFromDescription();
    }
}
