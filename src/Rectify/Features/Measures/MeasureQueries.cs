using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

public sealed record MeasureTransitionView(MeasureAction Action, MeasureState FromState, MeasureState ToState, string ActorName, DateTime AtUtc, string? Reason);

public sealed record MeasureDetail(
    int Id,
    int InspectionId,
    string InspectionTitle,
    int FindingId,
    int FindingNumber,
    string FindingTitle,
    int Number,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    string? Leader,
    string? LeadUnit,
    IReadOnlyList<string> SupportingUnits,
    MeasureState State,
    OverdueReason OverdueReason,
    AssumedFields Assumed,
    int Version,
    IReadOnlyList<MeasureAction> AllowedActions,
    IReadOnlyList<MeasureTransitionView> History,
    ReportingCadence Cadence,
    DateTime? LastReportAtUtc)
{
    public bool Overdue => OverdueReason != OverdueReason.None;
}

public sealed record EvidenceView(int Id, string OriginalName, long Length, bool AlsoOnOtherMeasures);

public sealed record ProgressReportView(
    int Id,
    int Number,
    int? RevisionOfId,
    string Narrative,
    int PercentComplete,
    DateOnly EffectiveDate,
    Evidence.ProgressReportState State,
    string SubmittedByName,
    DateTime SubmittedAtUtc,
    string? ReviewedByName,
    string? ReturnReason,
    IReadOnlyList<EvidenceView> Evidence);

/// <summary>One measure with its history, as the caller may see it: the page and the API read the same thing.</summary>
public static class MeasureQueries
{
    public static async Task<MeasureDetail?> LoadAsync(RectifyDbContext db, AccessScope scope, int id, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var m = await db.VisibleMeasures(scope).AsNoTracking().Where(m => m.Id == id)
            .Select(m => new
            {
                m.Id,
                m.InspectionId,
                InspectionTitle = m.Inspection.Title,
                m.FindingId,
                FindingNumber = m.Finding.Number,
                FindingTitle = m.Finding.Title,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                Leader = m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name + "（" + m.ResponsibleLeader.Position + "）",
                LeadUnit = m.LeadUnit == null ? null : m.LeadUnit.Name,
                Supporting = m.SupportingUnits.OrderBy(s => s.Organization.Name).Select(s => s.Organization.Name).ToList(),
                m.State,
                m.AssumedFields,
                m.Version,
                Facts = new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc),
                LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path,
                History = m.Transitions.OrderBy(t => t.AtUtc).ThenBy(t => t.Id)
                    .Select(t => new MeasureTransitionView(t.Action, t.FromState, t.ToState, t.ActorName, t.AtUtc, t.Reason)).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return m is null ? null : new MeasureDetail(
            m.Id, m.InspectionId, m.InspectionTitle, m.FindingId, m.FindingNumber, m.FindingTitle, m.Number, m.Text, m.Kind, m.Deadline,
            m.Leader, m.LeadUnit, m.Supporting, m.State, Measure.OverdueReasonAt(m.Facts, today), m.AssumedFields, m.Version,
            MeasureWorkflow.Allowed(scope, m.State, m.Kind, MeasureWorkflow.LeadUnitIsCallers(scope, m.LeadUnitPath)), m.History,
            m.Facts.Cadence ?? ReportingCadences.Default, m.Facts.LastReportAtUtc);
    }

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

    public static void MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/measures/{id:int}", async Task<Results<Ok<MeasureDetail>, NotFound>> (RectifyDbContext db, TimeProvider clock, System.Security.Claims.ClaimsPrincipal user, int id, CancellationToken ct) =>
            {
                var measure = await LoadAsync(db, AccessScope.From(user), id, ChinaTime.Today(clock), ct);
                return measure is null ? TypedResults.NotFound() : TypedResults.Ok(measure);
            })
            .WithTags("Measures")
            .WithName("GetMeasure")
            .WithSummary("一条整改措施及其办理记录（超出权限范围的与不存在的一样回答 404）");

        // Writes take a personal token only: a cookie-authenticated POST from a browser page cannot reach them (no CSRF).
        app.MapPost("/api/v1/measures/{id:int}/actions/{action}", async Task<IResult> (
                MeasureWorkflow workflow,
                RectifyDbContext db,
                TimeProvider clock,
                System.Security.Claims.ClaimsPrincipal user,
                int id,
                string action,
                MeasureActionRequest? body,
                CancellationToken ct) =>
            {
                var scope = AccessScope.From(user);
                var result = await workflow.ActAsync(scope, AccessScope.ActorOf(user), id, action, body?.Reason, body?.Version, ct);
                return result.Outcome switch
                {
                    WorkflowOutcome.Done => TypedResults.Ok(await LoadAsync(db, scope, id, ChinaTime.Today(clock), ct)),
                    WorkflowOutcome.NotFound => TypedResults.NotFound(),
                    _ => TypedResults.Problem(result.Message, statusCode: result.StatusCode),
                };
            })
            .RequireAuthorization(p => p.AddAuthenticationSchemes(ApiTokenService.Scheme).RequireAuthenticatedUser())
            .WithTags("Measures")
            .WithName("ActOnMeasure")
            .WithSummary("对整改措施办理一步：Start 启动、ApplyForSignOff 申请销号、AcceptApplication 整改办审核通过、ReturnApplication 退回、Approve 领导审批销号、Reopen 重新打开。version 为读取时的版本，已被他人处理时回答 409。仅接受个人 API 令牌。");
    }
}

/// <summary>The body of a workflow step: the reason (required to return or reopen) and the version the caller last read.</summary>
public sealed record MeasureActionRequest(string? Reason, int? Version);
