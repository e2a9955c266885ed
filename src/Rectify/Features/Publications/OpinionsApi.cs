using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Publications;

/// <summary>交办: to a problem of the inspection, to a unit the caller sees, or both; the opinion's version as read.</summary>
public sealed record OpinionAssignRequest(int? Version, int? FindingId, int? UnitId);

/// <summary>
/// 答复: the reply to the sender; publishable replies are shown under the notice, after the first responsible person
/// agrees, with the 来信摘要 (publicSummary) above them instead of the sender's own words.
/// </summary>
public sealed record OpinionReplyRequest(int? Version, string? Reply, bool? Publishable, string? PublicSummary);

/// <summary>A step that takes nothing but the opinion's version as read (同意公开答复, 办结).</summary>
public sealed record OpinionStepRequest(int? Version);

/// <summary>办理情况: what the unit the opinion was handed to did about it.</summary>
public sealed record OpinionResponseRequest(int? Version, string? Response);

/// <summary>
/// 意见建议 through the API: the office's inbox of an inspection and its steps (交办, 答复, 办结), the first responsible
/// person's consent to a publishable reply, and a unit's opinions handed to it with its 办理情况. The same service,
/// scope and rules as the pages; a sender's contact is masked for whoever may not read contacts.
/// </summary>
public static class OpinionsApi
{
    /// <summary>An opinion's step without the version it was read at would overwrite whatever happened since: refused.</summary>
    private const string VersionRequired = "version 必填：先读取这条意见建议（GET …/opinions），把它的 version 原样带上，以免覆盖他人刚做的处理。";

    public static void MapOpinionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/inspections/{id:int}/opinions", async Task<Results<Ok<PagedResult<OpinionRow>>, NotFound>> (
                OpinionService opinions, int id, OpinionState? state, int? page, int? pageSize, CancellationToken ct) =>
            {
                BusinessRules.Check(new AStateIsAState(state));
                return await opinions.InboxPageAsync(id, state, Paging.Checked(page), Paging.CheckedSize(pageSize, OpinionService.PageSize, MaxPageSize), ct) is { } inbox
                    ? TypedResults.Ok(inbox)
                    : TypedResults.NotFound();
            })
            .WithTags("Opinions")
            .WithName("ListOpinions")
            .WithSummary("一次巡察收到的意见建议（整改办和第一责任人；最新在前，分页；可按 state 筛选：Received 已收到 / Assigned 办理中 / Replied 已答复 / Closed 已办结）")
            .WithDescription($"page 从 1 起，超过末页时 items 为空；pageSize 默认 {OpinionService.PageSize}，1 到 {MaxPageSize}。无权查看联系方式的调用者看到的 contact 已打码。其他角色或看不到这次巡察：404。");

        api.MapPost("/inspections/{id:int}/opinions/{opinionId:int}/assignment", (OpinionService opinions, int id, int opinionId, OpinionAssignRequest? body, CancellationToken ct) =>
                Step(body?.Version, version => opinions.AssignAsync(id, opinionId, version, body!.FindingId, body.UnitId, ct)))
            .RequireToken()
            .WithTags("Opinions")
            .WithName("AssignOpinion")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办交办一条意见建议：findingId 关联本次巡察的问题，unitId 交办给调用者范围内的单位（其联络员收到通知并报送办理情况），version 为读取时的版本。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/opinions/{opinionId:int}/reply", (OpinionService opinions, int id, int opinionId, OpinionReplyRequest? body, CancellationToken ct) =>
                Step(body?.Version, version => opinions.ReplyAsync(id, opinionId, version, body!.Reply, body.Publishable ?? false, body.PublicSummary, ct)))
            .RequireToken()
            .WithTags("Opinions")
            .WithName("ReplyOpinion")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办答复一条意见建议：reply 答复内容；publishable 为 true 时须附 publicSummary 来信摘要，经第一责任人同意后在公告下公开；version 为读取时的版本。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/opinions/{opinionId:int}/reply-approval", (OpinionService opinions, int id, int opinionId, OpinionStepRequest? body, CancellationToken ct) =>
                Step(body?.Version, version => opinions.ApproveReplyAsync(id, opinionId, version, ct)))
            .RequireToken()
            .WithTags("Opinions")
            .WithName("ApproveOpinionReply")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("第一责任人同意公开一条可公开的答复：version 为读取时的版本。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/opinions/{opinionId:int}/close", (OpinionService opinions, int id, int opinionId, OpinionStepRequest? body, CancellationToken ct) =>
                Step(body?.Version, version => opinions.CloseAsync(id, opinionId, version, ct)))
            .RequireToken()
            .WithTags("Opinions")
            .WithName("CloseOpinion")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办办结一条意见建议：version 为读取时的版本。仅接受个人 API 令牌。");

        api.MapGet("/opinions/assigned", async Task<Ok<PagedResult<AssignedOpinion>>> (OpinionService opinions, int? page, int? pageSize, CancellationToken ct) =>
                TypedResults.Ok(await opinions.AssignedPageAsync(Paging.Checked(page), Paging.CheckedSize(pageSize, OpinionService.PageSize, MaxPageSize), ct)))
            .WithTags("Opinions")
            .WithName("ListAssignedOpinions")
            .WithSummary("交办给调用者单位（或其下级单位）的意见建议（责任单位联络员；未办结、未报送办理情况的在前）：来信内容和关联问题，不含来信人的联系方式和查询码；其他角色为空")
            .WithDescription($"page 从 1 起，超过末页时 items 为空；pageSize 默认 {OpinionService.PageSize}，1 到 {MaxPageSize}。");

        api.MapPost("/opinions/{id:int}/response", (OpinionService opinions, int id, OpinionResponseRequest? body, CancellationToken ct) =>
                Step(body?.Version, version => opinions.RespondAsUnitAsync(id, version, body!.Response, ct)))
            .RequireToken()
            .WithTags("Opinions")
            .WithName("RespondToOpinion")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("受交办单位的联络员报送办理情况：response 办理情况，version 为读取时的版本；整改办收到通知后答复来信人。仅接受个人 API 令牌。");
    }

    /// <summary>The largest page an opinions list answers.</summary>
    public const int MaxPageSize = 500;

    private static async Task<IResult> Step(int? version, Func<int, Task<WorkflowResult>> step) =>
        version is { } v ? Api.Answer(await step(v), created: null) : Api.BadRequest(VersionRequired);

    /// <summary>A state filter names a state (a number that is none, bound from the query, would list nothing and say nothing).</summary>
    private sealed class AStateIsAState(OpinionState? state) : IBusinessRule
    {
        public bool IsBroken() => state is { } s && !Enum.IsDefined(s);

        public string Message => $"state 应为 {string.Join(" / ", Enum.GetNames<OpinionState>())} 之一（收到 {state}）。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
