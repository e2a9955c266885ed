using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Evidence;

namespace Rectify.Features.Measures;

public sealed record ReviewRequest(string? Decision, string? Reason);

public sealed record ScheduleLookBackRequest(DateOnly? DueDate);

/// <summary>Bulk look-backs: all signed-off measures not yet scheduled (no sample size) or a random sample of that size, optionally of one lead unit.</summary>
public sealed record ScheduleLookBacksRequest(int? SampleSize, int? UnitId, DateOnly? DueDate);

public sealed record CadenceRequest(Domain.ReportingCadence? Cadence);

public sealed record LookBackResultRequest(LookBackResult? Result, string? Finding);

public sealed record LookBackView(int Id, int MeasureId, DateOnly DueDate, string ScheduledByName, DateTime ScheduledAtUtc, LookBackResult? Result, string? Finding, string? ReviewedByName, DateTime? ReviewedAtUtc);

/// <summary>The answer to a write: what was done, in the user's language, and the id of what was made.</summary>
public sealed record WriteResult(string Message, int? Id = null);

/// <summary>
/// The workflow for other systems (JSON, OpenAPI): progress reports with evidence, their review, look-backs and
/// the registers. Reads take the session or a personal token; writes take a personal token only, so that no page
/// can be made to post to them (no CSRF). Every answer obeys the same scope and rules as the pages: 404 outside
/// scope, 403 for the wrong role, 400 for bad input, 409 when the state does not allow the step.
/// </summary>
public static class WorkflowApi
{
    public static void MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        var tokenOnly = new Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder>(p => p.AddAuthenticationSchemes(ApiTokenService.Scheme).RequireAuthenticatedUser());

        api.MapGet("/measures/{id:int}/reports", async Task<Results<Ok<IReadOnlyList<ProgressReportView>>, NotFound>> (RectifyDbContext db, ClaimsPrincipal user, int id, CancellationToken ct) =>
                await db.VisibleMeasures(AccessScope.From(user)).AnyAsync(m => m.Id == id, ct)
                    ? TypedResults.Ok(await MeasureQueries.ReportsAsync(db, id, ct))
                    : TypedResults.NotFound())
            .WithTags("Progress reports")
            .WithName("ListReports")
            .WithSummary("一条措施的全部进展报送（每个版本都保留，最新在前），含佐证材料；evidence 的下载地址为 /api/v1/reports/{reportId}/evidence/{evidenceId}");

        api.MapPost("/measures/{id:int}/reports", async Task<IResult> (ProgressReportService reports, ClaimsPrincipal user, HttpRequest request, int id, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return TypedResults.Problem("请以 multipart/form-data 提交：narrative（进展情况）、percent（完成百分比）、effectiveDate（生效日期，yyyy-MM-dd）和 files（佐证材料，可多个）。", statusCode: StatusCodes.Status400BadRequest);
                }

                var form = await request.ReadFormAsync(ct);
                int? percent = int.TryParse(form["percent"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;
                DateOnly? effective = DateOnly.TryParseExact(form["effectiveDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
                var files = form.Files.GetFiles("files").Select(f => new IncomingFile(f.FileName, f.OpenReadStream)).ToList();
                var result = await reports.FileAsync(AccessScope.From(user), AccessScope.ActorOf(user), id, form["narrative"], percent ?? -1, effective, files, ct);
                return Answer(result, created: $"/api/v1/measures/{id}/reports");
            })
            .RequireAuthorization(tokenOnly)
            .DisableAntiforgery()
            .WithTags("Progress reports")
            .WithName("FileReport")
            .WithSummary("牵头单位联络员报送进展（multipart/form-data：narrative、percent 0–100、effectiveDate、files 佐证材料 pdf/ofd/docx/xlsx/jpg/png，按内容识别类型）。仅接受个人 API 令牌。");

        api.MapPost("/reports/{id:int}/review", async Task<IResult> (ProgressReportService reports, ClaimsPrincipal user, int id, ReviewRequest? body, CancellationToken ct) =>
            {
                if (body?.Decision is not ("accept" or "return"))
                {
                    return TypedResults.Problem("decision 必须是 accept（采纳）或 return（退回，须附 reason 理由）。", statusCode: StatusCodes.Status400BadRequest);
                }

                var result = await reports.ReviewAsync(AccessScope.From(user), AccessScope.ActorOf(user), id, body.Decision == "accept", body.Reason, ct);
                return Answer(result, created: null);
            })
            .RequireAuthorization(tokenOnly)
            .WithTags("Progress reports")
            .WithName("ReviewReport")
            .WithSummary("整改办审核一份进展报送：decision = accept 采纳 / return 退回（须附 reason）。不能审核自己报送的。仅接受个人 API 令牌。");

        api.MapGet("/reports/{reportId:int}/evidence/{evidenceId:int}", async (ProgressReportService reports, ClaimsPrincipal user, int reportId, int evidenceId, CancellationToken ct) =>
            {
                var file = await reports.OpenForDownloadAsync(AccessScope.From(user), reportId, evidenceId, ct);
                return file is { } f && File.Exists(f.Path) ? Results.File(f.Path, f.ContentType, f.FileName) : Results.NotFound();
            })
            .WithTags("Progress reports")
            .WithName("DownloadEvidence")
            .WithSummary("下载一份佐证材料（与报送同样的权限范围；每次下载记入审计日志）");

        api.MapGet("/measures/{id:int}/lookbacks", async Task<Results<Ok<List<LookBackView>>, NotFound>> (RectifyDbContext db, ClaimsPrincipal user, int id, CancellationToken ct) =>
            {
                if (!await db.VisibleMeasures(AccessScope.From(user)).AnyAsync(m => m.Id == id, ct))
                {
                    return TypedResults.NotFound();
                }

                return TypedResults.Ok(await db.LookBacks.AsNoTracking().Where(l => l.MeasureId == id).OrderByDescending(l => l.Id)
                    .Select(l => new LookBackView(l.Id, l.MeasureId, l.DueDate, l.ScheduledByName, l.ScheduledAtUtc, l.Result, l.Finding, l.ReviewedByName, l.ReviewedAtUtc))
                    .ToListAsync(ct));
            })
            .WithTags("Look-backs")
            .WithName("ListLookBacks")
            .WithSummary("一条措施的回头看记录（最新在前）");

        api.MapPost("/measures/{id:int}/lookbacks", async Task<IResult> (LookBackService lookBacks, ClaimsPrincipal user, int id, ScheduleLookBackRequest? body, CancellationToken ct) =>
            {
                var result = await lookBacks.ScheduleAsync(AccessScope.From(user), AccessScope.ActorOf(user), id, body?.DueDate, ct);
                return Answer(result, created: $"/api/v1/measures/{id}/lookbacks");
            })
            .RequireAuthorization(tokenOnly)
            .WithTags("Look-backs")
            .WithName("ScheduleLookBack")
            .WithSummary("整改办为一条已销号措施安排回头看；dueDate 省略时为销号后六个月。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/cadence", async Task<IResult> (Inspections.ReportingCadenceService cadences, ClaimsPrincipal user, int id, CadenceRequest? body, CancellationToken ct) =>
                Answer(await cadences.SetAsync(AccessScope.From(user), id, body?.Cadence, ct), created: null))
            .RequireAuthorization(tokenOnly)
            .WithTags("Inspections")
            .WithName("SetReportingCadence")
            .WithSummary("整改办设置报送周期：cadence = Weekly 每周 / Monthly 每月 / Quarterly 每季度。长期坚持的措施上一周期没有报送即为逾期未报。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/lookbacks", async Task<IResult> (LookBackService lookBacks, ClaimsPrincipal user, int id, ScheduleLookBacksRequest? body, CancellationToken ct) =>
                Answer(await lookBacks.ScheduleManyAsync(AccessScope.From(user), AccessScope.ActorOf(user), id, body?.SampleSize is null ? LookBackSample.Everything : LookBackSample.Of(body.SampleSize), body?.UnitId, body?.DueDate, ct), created: $"/inspections/{id}/lookbacks"))
            .RequireAuthorization(tokenOnly)
            .WithTags("Look-backs")
            .WithName("ScheduleLookBacks")
            .WithSummary("整改办批量安排回头看：sampleSize 省略为全部未安排的已销号措施，填写则随机抽取该数量；unitId 限定牵头单位；dueDate 省略则各为销号后六个月。全部成功或全部不做。id 为安排的数量。仅接受个人 API 令牌。");

        api.MapPost("/lookbacks/{id:int}/result", async Task<IResult> (LookBackService lookBacks, ClaimsPrincipal user, int id, LookBackResultRequest? body, CancellationToken ct) =>
            {
                if (body?.Result is not { } r || !Enum.IsDefined(r))
                {
                    return TypedResults.Problem("result 必须是 Consolidated（巩固）或 Rebound（反弹，须附 finding 说明情况）。", statusCode: StatusCodes.Status400BadRequest);
                }

                return Answer(await lookBacks.RecordAsync(AccessScope.From(user), AccessScope.ActorOf(user), id, r, body.Finding, ct), created: null);
            })
            .RequireAuthorization(tokenOnly)
            .WithTags("Look-backs")
            .WithName("RecordLookBack")
            .WithSummary("记录回头看结果：Consolidated 巩固 / Rebound 反弹（须说明情况，措施随即重新打开）。仅接受个人 API 令牌。");

        api.MapGet("/inspections/{id:int}/registers", async Task<Results<Ok<RegistersView>, NotFound>> (RegisterService registers, ClaimsPrincipal user, int id, CancellationToken ct) =>
                await registers.ReadAsync(AccessScope.From(user), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithTags("Registers")
            .WithName("GetRegisters")
            .WithSummary("建章立制、整改成效（看得到这次巡察的人都可读）；问题线索仅纪检监察人员可见，其他人得到 leads = null");

        api.MapPost("/inspections/{id:int}/registers/institutions", async Task<IResult> (RegisterService registers, ClaimsPrincipal user, int id, NewInstitution? body, CancellationToken ct) =>
                Answer(await registers.AddInstitutionAsync(AccessScope.From(user), id, body ?? new NewInstitution(null, null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireAuthorization(tokenOnly)
            .WithTags("Registers")
            .WithName("AddInstitution")
            .WithSummary("整改办登记建章立制：name 制度名称、issuer 制定单位、documentNumber 文号、issuedOn 印发日期、findings 对应问题序号。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/outcomes", async Task<IResult> (RegisterService registers, ClaimsPrincipal user, int id, NewOutcome? body, CancellationToken ct) =>
                Answer(await registers.AddOutcomeAsync(AccessScope.From(user), id, body ?? new NewOutcome(null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireAuthorization(tokenOnly)
            .WithTags("Registers")
            .WithName("AddOutcome")
            .WithSummary("整改办登记整改成效：kind（MoneyRecovered 挽回经济损失（万元）/ PeopleHandled 处理人数 / MeetingsHeld 召开会议（次））、amount、note、findings。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/registers/leads", async Task<IResult> (RegisterService registers, ClaimsPrincipal user, int id, NewLead? body, CancellationToken ct) =>
                Answer(await registers.AddLeadAsync(AccessScope.From(user), id, body ?? new NewLead(null, null, null, null), ct), created: $"/api/v1/inspections/{id}/registers"))
            .RequireAuthorization(tokenOnly)
            .WithTags("Registers")
            .WithName("AddLead")
            .WithSummary("纪检监察人员登记问题线索：summary、status（HandedOver 已移交 / UnderReview 核查中 / Closed 已办结）、disposition、findings。仅接受个人 API 令牌。");
    }

    /// <summary>201 with where to read it for something made, 200 for a step taken, else the problem.</summary>
    private static IResult Answer(WorkflowResult result, string? created)
    {
        if (result.Outcome != WorkflowOutcome.Done)
        {
            return Problem(result);
        }

        var body = new WriteResult(result.Message ?? string.Empty, result.Id);
        return created is null ? TypedResults.Ok(body) : TypedResults.Created(created, body);
    }

    private static IResult Problem(WorkflowResult result) =>
        result.Outcome == WorkflowOutcome.NotFound ? TypedResults.NotFound() : TypedResults.Problem(result.Message, statusCode: result.StatusCode);
}
