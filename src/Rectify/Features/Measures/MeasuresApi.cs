using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Measures;

/// <summary>The body of a workflow step: the reason (required to return or reopen) and the version the caller last read.</summary>
public sealed record MeasureActionRequest(string? Reason, int? Version);

/// <summary>A measure and the steps of its life through the API.</summary>
public static class MeasuresApi
{
    public static void MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/measures/{id:int}", async Task<Results<Ok<MeasureDetail>, NotFound>> (RectifyDbContext db, TimeProvider clock, Caller caller, int id, CancellationToken ct) =>
                await MeasureQueries.LoadAsync(db, caller.Scope, id, ChinaTime.Today(clock), ct) is { } measure ? TypedResults.Ok(measure) : TypedResults.NotFound())
            .WithTags("Measures")
            .WithName("GetMeasure")
            .WithSummary("一条整改措施及其办理记录（超出权限范围的与不存在的一样回答 404）");

        api.MapPost("/measures/{id:int}/actions/{action}", async Task<IResult> (MeasureWorkflow workflow, RectifyDbContext db, TimeProvider clock, Caller caller, int id, string action, MeasureActionRequest? body, CancellationToken ct) =>
                (await workflow.ActAsync(id, action, body?.Reason, body?.Version, ct)).Found
                    ? TypedResults.Ok(await MeasureQueries.LoadAsync(db, caller.Scope, id, ChinaTime.Today(clock), ct))
                    : TypedResults.NotFound())
            .RequireToken()
            .WithTags("Measures")
            .WithName("ActOnMeasure")
            .Produces<MeasureDetail>()
            .WithMetadata(new Common.PathValuesAttribute("action", typeof(MeasureAction)))
            .WithSummary("对整改措施办理一步：Start 启动、ApplyForSignOff 申请销号、AcceptApplication 整改办审核通过、ReturnApplication 退回、Approve 领导审批销号、Reopen 重新打开。version 为读取时的版本，已被他人处理时回答 409。仅接受个人 API 令牌。");
    }
}
