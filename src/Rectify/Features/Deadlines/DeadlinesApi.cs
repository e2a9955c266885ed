using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Reports;

namespace Rectify.Features.Deadlines;

/// <summary>An extension request as the API takes it (multipart/form-data), for the OpenAPI document.</summary>
public sealed record ExtensionForm(
    [property: System.ComponentModel.Description("申请的新整改时限（yyyy-MM-dd）")] DateOnly RequestedDeadline,
    [property: System.ComponentModel.Description("延期理由")] string Reason,
    [property: System.ComponentModel.Description("附件（可选），类型与佐证材料相同")] IFormFile? File = null);

/// <summary>The office's or the leader's decision on an extension request: decision and an optional note (required to return or refuse).</summary>
public sealed record ExtensionDecisionRequest(string? Decision, string? Note);

/// <summary>整改时限政策: 立行立改 within immediateWorkingDays working days of the feedback; 集中整改 ending timeBoundMonths months after it (either may be null).</summary>
public sealed record DeadlinePolicyRequest(int? ImmediateWorkingDays, int? TimeBoundMonths);

/// <summary>The calendar as the API shows it: the years with data (others count Monday–Friday) and, when asked, working days.</summary>
public sealed record CalendarAnswer(IReadOnlyList<CalendarYearInfo> Years, DateOnly? From, int? WorkingDays, DateOnly? Deadline, bool? FromIsWorkingDay, IReadOnlyList<int> YearsWithoutData);

/// <summary>The working-day calendar, deadline policies and extension requests (申请延期) through the API.</summary>
public static class DeadlinesApi
{
    public static void MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/calendar", async Task<Ok<CalendarAnswer>> (CalendarStore calendars, TimeProvider clock, DateOnly? from, int? workingDays, CancellationToken ct) =>
            {
                var calendar = await calendars.LoadAsync(ct);
                var start = from ?? ChinaTime.Today(clock);
                DateOnly? deadline = workingDays is { } n ? await WorkingDayDeadline.ResolveAsync(calendars, null, n, start, start, ct) : null;
                return TypedResults.Ok(new CalendarAnswer(
                    await calendars.YearsAsync(ct), start, workingDays, deadline, calendar.IsWorkingDay(start),
                    calendar.YearsWithoutData(deadline is { } d ? new[] { start, d } : [start])));
            })
            .WithTags("Calendar")
            .WithName("GetCalendar")
            .WithSummary("工作日日历：有节假日数据的年份（来源、放假天数、调休上班天数）；给出 from 和 workingDays 时计算 from 之后第 N 个工作日。没有数据的年份按周一至周五计算（yearsWithoutData 列出涉及的这类年份）。");

        api.MapPost("/inspections/{id:int}/deadline-policy", async Task<IResult> (DeadlinePolicyService policies, int id, DeadlinePolicyRequest? body, CancellationToken ct) =>
                Api.Answer(await policies.SetAsync(id, body?.ImmediateWorkingDays, body?.TimeBoundMonths, ct), created: null))
            .RequireToken()
            .WithTags("Calendar")
            .WithName("SetDeadlinePolicy")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办设置巡察的整改时限政策：immediateWorkingDays 立行立改自反馈之日起 N 个工作日内完成（1–250）；timeBoundMonths 限期整改的集中整改期，自反馈之日起 N 个月（1–60）。不填即取消。仅接受个人 API 令牌。");

        api.MapGet("/measures/{id:int}/extensions", async Task<Results<Ok<List<ExtensionView>>, NotFound>> (RectifyDbContext db, Caller caller, ExtensionService extensions, int id, CancellationToken ct) =>
                await db.VisibleMeasuresIncludingWithdrawn(caller.Scope).AnyAsync(m => m.Id == id, ct) ? TypedResults.Ok(await extensions.ListAsync(id, ct)) : TypedResults.NotFound())
            .WithTags("Extensions")
            .WithName("ListExtensions")
            .WithSummary("一条措施的延期申请（最新在前）：申请时的时限 currentDeadline、申请的新时限 requestedDeadline、理由、审核和审批；附件下载地址为 /api/v1/extensions/{id}/attachment");

        api.MapPost("/measures/{id:int}/extensions", async Task<IResult> (ExtensionService extensions, HttpRequest request, int id, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return Api.BadRequest("请以 multipart/form-data 提交：requestedDeadline（申请延期到的日期，yyyy-MM-dd）、reason（理由）和可选的 file（附件）。");
                }

                var form = await request.ReadFormAsync(ct);
                // A date sent that cannot be read is said to be so, not taken as "no date" (ADR 0041).
                string? typed = form["requestedDeadline"];
                DateOnly? date = null;
                if (!string.IsNullOrWhiteSpace(typed))
                {
                    if (!Common.TypedDateBinder.Read(typed, out var d, out var problem))
                    {
                        return Api.BadRequest(problem);
                    }

                    date = d;
                }

                var file = IncomingFile.Of(form.Files.GetFile("file"));
                return Api.Answer(await extensions.RequestAsync(id, date, form["reason"], file, ct), created: $"/api/v1/measures/{id}/extensions");
            })
            .WithMetadata(new Common.MultipartBodyAttribute(typeof(ExtensionForm)))
            .RequireToken()
            .DisableAntiforgery()
            .WithTags("Extensions")
            .WithName("RequestExtension")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("牵头单位联络员申请延期（multipart/form-data：requestedDeadline 新时限、reason 理由、file 可选附件，类型与佐证材料相同）。同一措施同时只能有一份在办的申请。仅接受个人 API 令牌。");

        api.MapPost("/extensions/{id:int}/review", (ExtensionService extensions, int id, ExtensionDecisionRequest? body, CancellationToken ct) =>
                Api.DecideAsync(body?.Decision, "forward", "return", decision => extensions.ReviewAsync(id, decision, body?.Note, ct)))
            .RequireToken()
            .WithTags("Extensions")
            .WithName("ReviewExtension")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办审核延期申请：decision = forward 转呈责任领导 / return 退回（须附 note）。仅接受个人 API 令牌。");

        api.MapPost("/extensions/{id:int}/decision", (ExtensionService extensions, int id, ExtensionDecisionRequest? body, CancellationToken ct) =>
                Api.DecideAsync(body?.Decision, "approve", "refuse", decision => extensions.DecideAsync(id, decision, body?.Note, ct)))
            .RequireToken()
            .WithTags("Extensions")
            .WithName("DecideExtension")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("措施的责任领导或第一责任人审批延期申请：decision = approve 批准（措施形成新版本，整改时限改为申请的日期，原时限保留）/ refuse 不予批准（须附 note）。申请人和审核人不能审批。仅接受个人 API 令牌。");

        api.MapPost("/extensions/{id:int}/withdrawal", async (ExtensionService extensions, int id, CancellationToken ct) =>
                Api.Answer(await extensions.WithdrawAsync(id, ct), created: null))
            .RequireToken()
            .WithTags("Extensions")
            .WithName("WithdrawExtension")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("牵头单位联络员撤回尚未经整改办审核的延期申请（状态变为 Withdrawn 已撤回）；已转呈领导的不能撤回。仅接受个人 API 令牌。");

        api.MapGet("/extensions/{id:int}/attachment", AttachmentAsync)
            .WithTags("Extensions")
            .WithName("DownloadExtensionAttachment")
            .WithMetadata(new Common.FileAnswerAttribute())
            .WithSummary("下载延期申请的附件（与措施同样的权限范围；每次下载记入审计日志）");

        app.MapGet("/extensions/{id:int}/attachment", AttachmentAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> AttachmentAsync(ExtensionService extensions, HttpContext http, int id, CancellationToken ct)
    {
        var file = await extensions.OpenAttachmentAsync(id, ct);
        // Last-Modified is the request's time.
        return file is { } f ? AttachmentIntake.Serve(http, f) : Results.NotFound();
    }
}
