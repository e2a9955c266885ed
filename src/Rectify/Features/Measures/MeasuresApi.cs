using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Measures;

/// <summary>The body of a workflow step: the reason (required to return or reopen) and the version the caller last read.</summary>
/// <param name="Reason">The step's reason or note (required to return or reopen).</param>
/// <param name="Version">The measure's version as read; a step on another answers 409.</param>
/// <param name="OnBehalfBasis">代为申请依据: with ApplyForSignOff, the office applies on the lead unit's behalf (整改办 only); empty or absent, the caller applies as itself.</param>
public sealed record MeasureActionRequest(string? Reason, int? Version, string? OnBehalfBasis = null);

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
            {
                var onBehalf = !string.IsNullOrEmpty(body?.OnBehalfBasis);
                BusinessRules.Check(new OnlyASignOffApplicationIsMadeOnBehalf(action, onBehalf));
                var result = onBehalf
                    ? await workflow.ApplyOnBehalfAsync(id, body!.OnBehalfBasis, body.Version, ct)
                    : await workflow.ActAsync(id, action, body?.Reason, body?.Version, ct);
                return result.Found ? TypedResults.Ok(await MeasureQueries.LoadAsync(db, caller.Scope, id, ChinaTime.Today(clock), ct)) : TypedResults.NotFound();
            })
            .RequireToken()
            .WithTags("Measures")
            .WithName("ActOnMeasure")
            .Produces<MeasureDetail>()
            .WithMetadata(new Common.PathValuesAttribute("action", typeof(MeasureAction)))
            .WithSummary("对整改措施办理一步：Start 启动、ApplyForSignOff 申请销号、AcceptApplication 整改办审核通过、ReturnApplication 退回、Approve 领导审批销号、Reopen 重新打开。version 为读取时的版本，已被他人处理时回答 409。仅接受个人 API 令牌。")
            .WithDescription("ApplyForSignOff 附 onBehalfBasis（代为申请依据，不超过 500 字）时，由整改办代牵头单位申请销号：仅整改办可用（其他角色 403），须由代为申请人以外的整改办人员审核；其他操作附 onBehalfBasis 回答 400。");
    }
}

/// <summary>Only 申请销号 is made on the unit's behalf (代为申请); a basis sent with another step is a mistake, not ignored.</summary>
public sealed class OnlyASignOffApplicationIsMadeOnBehalf(string action, bool onBehalf) : IBusinessRule
{
    public bool IsBroken() => onBehalf && action != nameof(MeasureAction.ApplyForSignOff);

    public string Message => "只有“申请销号”可以由整改办代为办理（onBehalfBasis）；其他操作请不要附代为申请依据。";

    public Refusal Refusal => Refusal.Invalid;
}
