using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

public sealed record CadenceRequest(ReportingCadence? Cadence);


public static class InspectionsApi
{
    public static void MapInspectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/inspections").WithTags("Inspections").AddEndpointFilter<RefusalEndpointFilter>();

        api.MapPost("/{id:int}/cadence", async Task<IResult> (ReportingCadenceService cadences, int id, CadenceRequest? body, CancellationToken ct) =>
                Api.Answer(await cadences.SetAsync(id, body?.Cadence, ct), created: null))
            .RequireToken()
            .WithName("SetReportingCadence")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办设置报送周期：cadence = Weekly 每周 / Monthly 每月 / Quarterly 每季度。长期坚持的措施上一周期没有报送即为逾期未报。仅接受个人 API 令牌。");

        api.MapPost("/{id:int}/signal-rules", async Task<IResult> (SignalRulesService signals, int id, SignalRulesRequest? body, CancellationToken ct) =>
                Api.Answer(await signals.SetAsync(id, body, ct), created: null))
            .RequireToken()
            .WithName("SetSignalRules")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办（或巡察机构，对其巡察的单位）设置这次巡察的红黄绿规则：redWhenUnderDuban 督办单未办结的措施所在问题为红；warnWithinWorkingDays 措施的整改时限（延期后的时限）在 N 个工作日内（按官方节假日日历，0–60，0 为不预警）为黄；warnWhenReportReturned 措施最近一次进展报送被退回为黄；greenWhenOnTrack 其余整改中的问题为绿（否则为黄）。超期、逾期未报始终为红，已完成、持续整改为绿。全部不填即默认规则。仅接受个人 API 令牌。")
            .WithDescription("规则在 …/ledger 和 …/overview 的 signalRules 中返回，findings[].signal、rows[].findingSignal 和 totals 的红黄绿按规则计算。工作日数为负或大于 60：400 problem+json，不作任何修改。");

        api.MapGet("/", async Task<Ok<PagedResult<InspectionSummary>>> (RectifyDbContext db, Caller caller, int? page, int? pageSize, string? q, int? year, CancellationToken ct) =>
            {
                var scope = caller.Scope;
                var size = Paging.CheckedSize(pageSize, LedgerFilter.DefaultPageSize, LedgerFilter.MaxPageSize);
                var p = Paging.Checked(page);
                var filter = new InspectionListFilter(q, year).Checked();
                return TypedResults.Ok(await filter.Apply(db.VisibleInspections(scope).AsNoTracking()).ToPagedResultAsync(p, size, inspections => LedgerQueries.Summaries(db, scope, inspections), ct));
            })
            .WithName("ListInspections")
            .WithSummary("巡察列表（分页）")
            .WithDescription($"按反馈日期从新到旧（没有反馈日期的在后）。q：关键词，巡察名称、轮次、被巡察党组织或巡察机构含有它的（至多 {InspectionListFilter.MaxQueryLength} 字）；year：反馈日期在该年度的。page 从 1 起；pageSize 每页条数，默认 {LedgerFilter.DefaultPageSize}，1 到 {LedgerFilter.MaxPageSize}；超出范围：400 problem+json。");

        api.MapGet("/figures", async Task<Ok<PagedResult<InspectionFigures>>> (RectifyDbContext db, AnswerCache answers, TimeProvider clock, Caller caller, int? page, int? pageSize, string? q, int? year, CancellationToken ct) =>
            {
                var scope = caller.Scope;
                var size = Paging.CheckedSize(pageSize, InspectionList.PageSize, InspectionList.PageSize);
                var p = Paging.Checked(page);
                var filter = new InspectionListFilter(q, year).Checked();

                // Past the end: no rows (as every list of the API), counted first and nothing computed or kept for it.
                var total = await InspectionList.CountAsync(db, scope, filter, ct);
                if (total == 0 || p > Paging.PageCount(total, size))
                {
                    return TypedResults.Ok(new PagedResult<InspectionFigures>([], total, p, size));
                }

                var kept = await answers.KeptInspectionListAsync(db, scope, filter, p, total, size, ChinaTime.Today(clock), ct);
                return TypedResults.Ok(new PagedResult<InspectionFigures>(kept.Value.Page.Rows, kept.Value.Page.Total, p, size));
            })
            .WithName("ListInspectionFigures")
            .WithSummary("巡察整改情况汇总（分页）：调用者可见的各巡察及其整改情况 totals（完成率、未完成、超期、逾期未报、红黄绿，与各自整改概况同一口径）；首页的巡察列表即此")
            .WithDescription($"q、year 同巡察列表。page 从 1 起；pageSize 每页条数，默认 {InspectionList.PageSize}，1 到 {InspectionList.PageSize}；超出范围：400 problem+json。");

        api.MapGet("/figures.xlsx", async Task<Results<EmptyHttpResult, NotFound>> (RectifyDbContext db, AuditLog audit, TimeProvider clock, HttpContext http, Caller caller, string? q, int? year, CancellationToken ct) =>
            {
                // Those who read no rectification content (the 三员) have no list to send on.
                var scope = caller.Scope;
                if (!scope.ReadsRectification)
                {
                    return TypedResults.NotFound();
                }

                var filter = new InspectionListFilter(q, year).Checked();
                var today = ChinaTime.Today(clock);
                await audit.RecordAsync(new AuditEvent(AuditActions.InspectionListExported, ObjectType: "Inspection", After: new { Query = filter.Query, filter.Year }), cancellationToken: ct);
                http.Response.ContentType = LedgerExport.ContentType;
                http.Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
                {
                    FileNameStar = InspectionListExport.FileName(today),
                    FileName = "inspections.xlsx",
                }.ToString();
                await InspectionListExport.WriteAsync(http.Response.Body, InspectionList.AllAsync(db, scope, filter, today, ct), filter, today, ct);
                return TypedResults.Empty;
            })
            .RequireRateLimiting(ExportLimit.Name)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ExportInspectionFigures")
            .WithSummary("导出巡察整改情况汇总表（Excel .xlsx）：与汇总同样的 q、year 和口径，每个巡察一行")
            .WithMetadata(new Common.FileAnswerAttribute(LedgerExport.ContentType));

        api.MapGet("/{id:int}/ledger", async Task<Results<Ok<LedgerPage>, KeptJson, NotFound>> (
                RectifyDbContext db,
                AnswerCache answers,
                IOptions<JsonOptions> json,
                TimeProvider clock,
                Caller caller,
                int id,
                int? unit,
                MeasureState? state,
                MeasureKind? kind,
                bool? overdue,
                bool? ledgerDone,
                int? page,
                int? pageSize,
                string? asOf,
                string? compare,
                CancellationToken ct) =>
            {
                var scope = caller.Scope;
                var filter = await CheckedQueryAsync(db, scope, id, () => (new LedgerFilter(unit, state, kind, overdue ?? false, Paging.Checked(page), Paging.CheckedSize(pageSize, LedgerFilter.DefaultPageSize, LedgerFilter.MaxPageSize)) { LedgerDone = ledgerDone ?? false }).WithPlanView(asOf, compare), ct);
                return filter is null ? TypedResults.NotFound() : Answer(await answers.KeptLedgerAsync(db, scope, id, filter, ChinaTime.Today(clock), ct), json.Value);
            })
            .WithName("GetLedger")
            .WithSummary("巡察整改台账：问题类别、问题、整改措施及其状态（可按单位、状态、类型、是否超期或逾期未报、是否原台账已完成而未销号（ledgerDone=true）筛选，分页；完成率等口径与网页“整改概况”相同；ledgerSaysDone 为原台账称已完成、尚未销号的措施数）")
            .WithDescription("""
                asOf=2025-03-01：整改方案截至该日（北京时间当日结束）的样子——每条措施取当日以前最后的版本（rows[].version：版本号、审定/调整/新增、日期），此后新增的措施不列出，已撤销的不列出；整改类型、责任单位筛选按当日方案，状态、超期筛选和 totals 是今天的情况。
                compare=approved：每行附审定方案（rows[].comparison：approved 为审定时的内容，changed 为与之不同的字段，added 为审定后新增，withdrawn 为已撤销）；当前方案对照时已撤销的措施也列出。两者可同时使用（当日方案对照审定方案）。
                日期格式不对、compare 不是 approved、方案尚未审定实施、日期早于方案审定或晚于今天：400 problem+json，说明原因。
                分页：page 从 1 起；pageSize 每页条数，默认 50，1 到 500；超出范围：400 problem+json（不再按默认值处理）。
                """);

        api.MapGet("/{id:int}/ledger.xlsx", async Task<Results<EmptyHttpResult, NotFound>> (
                RectifyDbContext db,
                AuditLog audit,
                TimeProvider clock,
                HttpContext http,
                Caller caller,
                ILoggerFactory logs,
                int id,
                int? unit,
                MeasureState? state,
                MeasureKind? kind,
                bool? overdue,
                bool? ledgerDone,
                string? asOf,
                CancellationToken ct) =>
            {
                // Every refusal comes before the first byte, as problem+json: the inspection the caller does not see (404),
                // a plan view that cannot be had (400).
                var scope = caller.Scope;
                var inspection = await LedgerQueries.HeadAsync(db, scope, id, ct);
                if (inspection is null)
                {
                    return TypedResults.NotFound();
                }

                var filter = (new LedgerFilter(unit, state, kind, overdue ?? false) { LedgerDone = ledgerDone ?? false }).WithPlanView(asOf, compare: null);
                var today = ChinaTime.Today(clock);
                await LedgerQueries.CheckPlanViewAsync(db, id, filter, today, ct);

                // The audit record is the intent, committed (its own transaction) before any row leaves: a download that
                // fails part way has still shown what it sent, and the audit head is not held while the rows stream.
                await audit.RecordAsync(new AuditEvent(AuditActions.LedgerExported, ObjectType: "Inspection", ObjectId: id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { filter.Unit, filter.State, filter.Kind, filter.Overdue, filter.LedgerDone, filter.AsOf }), cancellationToken: ct);
                http.Response.ContentType = LedgerExport.ContentType;
                http.Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
                {
                    FileNameStar = LedgerExport.FileName(inspection.Title, today),
                    FileName = $"ledger-{id}.xlsx",
                }.ToString();

                // Streamed into the response as the rows are read (no Content-Length: chunked). A failure before the first
                // byte is an ordinary error answer; after it, the connection is aborted, so that the download fails
                // where it is instead of ending as a shorter workbook that looks whole.
                try
                {
                    await LedgerExport.WriteAsync(http.Response.Body, db, scope, inspection, filter, today, ct);
                }
                catch (Exception e) when (http.Response.HasStarted)
                {
                    var log = logs.CreateLogger(typeof(LedgerExport).FullName!);
                    if (ct.IsCancellationRequested)
                    {
                        // The browser went away (the user cancelled the download): not a fault of ours.
                        if (log.IsEnabled(LogLevel.Information))
                        {
                            log.LogInformation("台账导出在发送中被下载方中止（巡察 {Inspection}）。", id);
                        }
                    }
                    else
                    {
                        log.LogError(e, "台账导出在发送中失败，连接已中断（巡察 {Inspection}）。", id);
                    }

                    http.Abort();
                }

                return TypedResults.Empty;
            })
            .RequireRateLimiting(ExportLimit.Name)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ExportLedger")
            .WithSummary("导出整改台账（Excel .xlsx，与台账同样的筛选条件和口径，逐行写出；asOf=2025-03-01 导出该日的整改方案，状态为今日）")
            .WithMetadata(new Common.FileAnswerAttribute(LedgerExport.ContentType));

        api.MapGet("/{id:int}/overview", async Task<Results<Ok<InspectionOverview>, KeptJson, NotFound>> (RectifyDbContext db, AnswerCache answers, IOptions<JsonOptions> json, TimeProvider clock, Caller caller, int id, string? signal, int? page, int? pageSize, CancellationToken ct) =>
            {
                var scope = caller.Scope;
                var query = await CheckedQueryAsync(db, scope, id, () =>
                {
                    BusinessRules.Check(new ASignalIsNamed(signal));
                    return Tuple.Create(Paging.Checked(page), Paging.CheckedSize(pageSize, LedgerFilter.DefaultPageSize, LedgerFilter.MaxPageSize));
                }, ct);
                return query is null ? TypedResults.NotFound() : Answer(await answers.KeptOverviewPageAsync(db, scope, id, ASignalIsNamed.Parse(signal), query.Item1, query.Item2, ChinaTime.Today(clock), ct), json.Value);
            })
            .WithName("GetOverview")
            .WithSummary("整改概况：完成率（按问题类别、牵头单位、整改类型）、超期与逾期未报（分别计数）和问题红黄绿（分页），与台账同一口径")
            .WithDescription($"""
                findings 为问题红黄绿的一页（按问题序号），findingsPaging 说明是哪一页：total 为符合条件的问题数，page、pageSize、signal 同请求。
                signal=Red / Yellow / Green：只列该颜色的问题（不分大小写；totals 和各完成率表不受影响）。
                分页：page 从 1 起；pageSize 每页问题数，默认 {LedgerFilter.DefaultPageSize}，1 到 {LedgerFilter.MaxPageSize}。signal 不是这三个之一、page 或 pageSize 超出范围：400 problem+json。
                """);

        api.MapGet("/{id:int}/other-rounds", async Task<Results<Ok<OtherRoundList>, NotFound>> (RectifyDbContext db, AnswerCache answers, TimeProvider clock, Caller caller, int id, CancellationToken ct) =>
                await answers.KeptOtherRoundsAsync(db, caller.Scope, id, ChinaTime.Today(clock), ct) is { } rounds ? TypedResults.Ok(rounds.Value) : TypedResults.NotFound())
            .WithName("GetOtherRounds")
            .WithSummary("同一被巡察党组织的其他巡察轮次（调用者可见的，按反馈日期从新到旧，至多 10 轮；total 为可见的轮次总数）：各轮的 totals（与该轮整改概况同一口径）、unfinishedMeasures（既未完成也非持续整改的措施）、rebounds（回头看发现反弹的次数）；earlier 为本轮之前的轮次，否则为此后的。整改概况页“同一党组织的其他轮次”即此。");
    }

    /// <summary>
    /// The request's query as <paramref name="check"/> reads it; its refusal (400) only for an inspection the caller sees:
    /// null (404) for one they do not, whatever the query, so that a caller learns nothing of it. The inspection is looked
    /// up first only when the query is refused (the answer's own load says null for one not seen).
    /// </summary>
    private static async Task<T?> CheckedQueryAsync<T>(RectifyDbContext db, AccessScope scope, int inspectionId, Func<T> check, CancellationToken ct)
        where T : class
    {
        try
        {
            return check();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            if (await LedgerQueries.HeadAsync(db, scope, inspectionId, ct) is null)
            {
                return null;
            }

            throw;
        }
    }

    /// <summary>404 for an answer the caller may not see; a kept answer as its JSON written once; any other streamed as before.</summary>
    private static Results<Ok<T>, KeptJson, NotFound> Answer<T>(Kept<T>? answer, JsonOptions json)
        where T : class =>
        answer is null ? TypedResults.NotFound() : answer.Stored ? new KeptJson(answer.Bytes(json.SerializerOptions)) : TypedResults.Ok(answer.Value);
}
