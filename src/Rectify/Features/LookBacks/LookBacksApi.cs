using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.LookBacks;

public sealed record ScheduleLookBackRequest(DateOnly? DueDate);

/// <summary>Bulk look-backs: all signed-off measures not yet scheduled (no sample size) or a random sample of that size, optionally of one lead unit.</summary>
public sealed record ScheduleLookBacksRequest(int? SampleSize, int? UnitId, DateOnly? DueDate);

/// <summary>The result of a look-back; <c>finding</c> is what it found (情况说明, required for a rebound).</summary>
public sealed record LookBackResultRequest(LookBackResult? Result, [property: JsonPropertyName("finding")] string? Observation);

/// <summary>A look-back as the API shows it; <c>finding</c> is what it found (情况说明).</summary>
public sealed record LookBackView(
    int Id,
    int MeasureId,
    DateOnly DueDate,
    string ScheduledByName,
    DateTime ScheduledAtUtc,
    LookBackResult? Result,
    [property: JsonPropertyName("finding")] string? Observation,
    string? ReviewedByName,
    DateTime? ReviewedAtUtc);

/// <summary>Look-backs (回头看) through the API: a measure's list, scheduling one or many, recording the result.</summary>
public static class LookBacksApi
{
    public static void MapLookBacksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/measures/{id:int}/lookbacks", async Task<Results<Ok<List<LookBackView>>, NotFound>> (RectifyDbContext db, Caller caller, int id, CancellationToken ct) =>
                await db.VisibleMeasures(caller.Scope).AnyAsync(m => m.Id == id, ct)
                    ? TypedResults.Ok(await db.LookBacks.AsNoTracking().Where(l => l.MeasureId == id).OrderByDescending(l => l.Id)
                        .Select(l => new LookBackView(l.Id, l.MeasureId, l.DueDate, l.ScheduledByName, l.ScheduledAtUtc, l.Result, l.Observation, l.ReviewedByName, l.ReviewedAtUtc))
                        .ToListAsync(ct))
                    : TypedResults.NotFound())
            .WithTags("Look-backs")
            .WithName("ListLookBacks")
            .WithSummary("一条措施的回头看记录（最新在前）");

        api.MapPost("/measures/{id:int}/lookbacks", async Task<IResult> (LookBackService lookBacks, int id, ScheduleLookBackRequest? body, CancellationToken ct) =>
                Api.Answer(await lookBacks.ScheduleAsync(id, body?.DueDate, ct), created: $"/api/v1/measures/{id}/lookbacks"))
            .RequireToken()
            .WithTags("Look-backs")
            .WithName("ScheduleLookBack")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("整改办为一条已销号措施安排回头看；dueDate 省略时为销号后六个月。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/lookbacks", async Task<IResult> (LookBackService lookBacks, int id, ScheduleLookBacksRequest? body, CancellationToken ct) =>
                Api.Answer(await lookBacks.ScheduleManyAsync(id, body?.SampleSize is null ? LookBackSample.Everything : LookBackSample.Of(body.SampleSize), body?.UnitId, body?.DueDate, ct), created: $"/inspections/{id}/lookbacks"))
            .RequireToken()
            .WithTags("Look-backs")
            .WithName("ScheduleLookBacks")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("整改办批量安排回头看：sampleSize 省略为全部未安排的已销号措施，填写则随机抽取该数量；unitId 限定牵头单位；dueDate 省略则各为销号后六个月。全部成功或全部不做。id 为安排的数量。仅接受个人 API 令牌。");

        api.MapPost("/lookbacks/{id:int}/result", async Task<IResult> (LookBackService lookBacks, int id, LookBackResultRequest? body, CancellationToken ct) =>
                body?.Result is not { } r || !Enum.IsDefined(r)
                    ? Api.BadRequest("result 必须是 Consolidated（巩固）或 Rebound（反弹，须附 finding 说明情况）。")
                    : Api.Answer(await lookBacks.RecordAsync(id, r, body.Observation, ct), created: null))
            .RequireToken()
            .WithTags("Look-backs")
            .WithName("RecordLookBack")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("记录回头看结果：Consolidated 巩固 / Rebound 反弹（须说明情况，措施随即重新打开）。仅接受个人 API 令牌。");
    }
}
