using Rectify.Features.Common;

namespace Rectify.Features.Plans;

/// <summary>上移/下移: "Up" or "Down".</summary>
public sealed record MoveRequest(MoveDirection? Direction);

/// <summary>A category's corrected number and heading; the reason is required once the plan is in force.</summary>
public sealed record CategoryEditRequest(int? Number, string? Title, string? Reason);

/// <summary>A finding's corrected number, public title, internal problem statement and category; the reason is required once the plan is in force.</summary>
public sealed record FindingEditRequest(int? CategoryId, int? Number, string? Title, string? ProblemStatement, string? Reason);

/// <summary>Why the measure is withdrawn (required), and the measure's version the caller last read.</summary>
public sealed record WithdrawalRequest(string? Reason, int? Version);

/// <summary>
/// The plan's structure through the API, on the same <see cref="PlanService"/> operations as the plan page: reorder
/// categories, findings and measures; correct a category or a finding; delete a draft measure or withdraw (撤销) one of a
/// plan in force. Writes take a personal token only.
/// </summary>
public static class PlanStructureApi
{
    public static void MapPlanStructureApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapPost("/categories/{id:int}/move", async (PlanService plans, int id, MoveRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.MoveCategoryAsync(id, body?.Direction, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("MoveCategory")
            .WithSummary("问题类别上移或下移一位（direction：Up 或 Down），各类别按新顺序使用原有序号；问题序号不变。仅接受个人 API 令牌。");

        api.MapPost("/findings/{id:int}/move", async (PlanService plans, int id, MoveRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.MoveFindingAsync(id, body?.Direction, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("MoveFinding")
            .WithSummary("问题在所属类别内上移或下移一位（与相邻问题交换序号）。仅接受个人 API 令牌。");

        api.MapPost("/measures/{id:int}/move", async (PlanService plans, int id, MoveRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.MoveMeasureAsync(id, body?.Direction, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("MoveMeasure")
            .WithSummary("措施在所属问题内上移或下移一位（与相邻措施交换序号）；方案审定后也不作为措施的新版本，记入审计日志。仅接受个人 API 令牌。");

        api.MapPut("/categories/{id:int}", async (PlanService plans, int id, CategoryEditRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.EditCategoryAsync(id, body?.Number, body?.Title, body?.Reason, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("EditCategory")
            .WithSummary("修改问题类别的序号和标题（序号不能与其他类别重复）；方案审定后须填写 reason，理由与修改前后的内容记入审计日志。仅接受个人 API 令牌。");

        api.MapPut("/findings/{id:int}", async (PlanService plans, int id, FindingEditRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.EditFindingAsync(id, body?.CategoryId, body?.Number, body?.Title, body?.ProblemStatement, body?.Reason, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("EditFinding")
            .WithSummary("修改问题的序号、公开标题、反馈原文（内部）和所属类别（本次巡察的类别）；序号不能与其他问题重复；方案审定后须填写 reason，理由与修改前后的内容记入审计日志。仅接受个人 API 令牌。");

        api.MapPost("/measures/{id:int}/withdrawal", async (PlanService plans, int id, WithdrawalRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.WithdrawMeasureAsync(id, body?.Version, body?.Reason, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("WithdrawMeasure")
            .WithSummary("撤销已审定实施方案中的一条措施（reason 必填，version 为读取时的版本）：写入“撤销”版本；此后措施不再计入台账、统计、待办和导出，GET /measures/{id} 仍可读取。已销号的措施不能撤销。仅接受个人 API 令牌。");

        api.MapDelete("/measures/{id:int}", async (PlanService plans, int id, int? version, CancellationToken ct) =>
                Api.Answer(await plans.DeleteMeasureAsync(id, version, ct), null))
            .RequireToken()
            .Produces<WriteResult>()
            .WithTags("Plans")
            .WithName("DeleteMeasure")
            .WithSummary("删除草拟中方案的一条措施（尚无办理记录、进展报送或回头看）；其后的措施序号依次前移。方案审定后只能撤销。?version= 为读取时的版本（可不填）。仅接受个人 API 令牌。");
    }
}
