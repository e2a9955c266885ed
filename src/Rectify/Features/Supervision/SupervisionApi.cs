using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Microsoft.AspNetCore.Mvc;
using Rectify.Features.Common;
using Rectify.Features.Reports;

namespace Rectify.Features.Supervision;

/// <summary>A step of the 督办 ladder: kind by name: Duban, Talk, Circular, Accountability.</summary>
public sealed record NoticeRequest(
    [property: JsonConverter(typeof(JsonStringEnumConverter<SupervisionKind>))] SupervisionKind? Kind,
    int? UnitId,
    IReadOnlyList<int>? MeasureIds,
    string? Title,
    string? Content,
    string? Requirement,
    DateOnly? ReplyDue,
    DateOnly? HeldOn,
    string? ByWhom,
    string? People,
    string? Outcome,
    int? LeadId,
    int? OutcomeId);

/// <summary>A reply to a 督办单 as JSON: its text.</summary>
public sealed record NoticeReplyRequest(string? Text);

/// <summary>A reply to a 督办单 as multipart/form-data (for the OpenAPI document): its text and an optional attachment.</summary>
public sealed record NoticeReplyForm(
    [property: System.ComponentModel.Description("回复内容")] string Text,
    [property: System.ComponentModel.Description("附件（可选），类型与佐证材料相同")] IFormFile? File = null);

public sealed record NoticeCloseRequest(string? Decision, string? Note);

/// <summary>The 督办 ladder through the API.</summary>
public static class SupervisionApi
{
    public static void MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/inspections/{id:int}/supervision", async Task<Results<Ok<List<NoticeRow>>, NotFound>> (RectifyDbContext db, Caller caller, int id, CancellationToken ct) =>
                await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == id, ct)
                    ? TypedResults.Ok(await SupervisionQueries.ListAsync(db, db.VisibleNotices(caller.Scope).Where(n => n.InspectionId == id), 500, ct))
                    : TypedResults.NotFound())
            .WithTags("Supervision")
            .WithName("ListSupervision")
            .WithSummary("一次巡察的督办记录（督办单、约谈、通报、问责，最新在前，最多 500 条），按调用者的权限范围（责任单位只看到发给本单位的）");

        api.MapGet("/supervision/{id:int}", async Task<Results<Ok<NoticeDetail>, NotFound>> (RectifyDbContext db, Caller caller, int id, CancellationToken ct) =>
                await SupervisionQueries.LoadAsync(db, caller.Scope, id, ct) is { } notice ? TypedResults.Ok(notice) : TypedResults.NotFound())
            .WithTags("Supervision")
            .WithName("GetSupervision")
            .WithSummary("一条督办记录及其措施、回复和办结情况");

        api.MapPost("/inspections/{id:int}/supervision", async Task<IResult> (SupervisionService service, int id, NoticeRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new NoticeRequest(null, null, null, null, null, null, null, null, null, null, null, null, null);
                var result = await service.IssueAsync(id, new NoticeInput(b.Kind, b.UnitId, b.MeasureIds, b.Title, b.Content, b.Requirement, b.ReplyDue, b.HeldOn, b.ByWhom, b.People, b.Outcome, b.LeadId, b.OutcomeId), ct);
                return Api.Answer(result, $"/api/v1/supervision/{result.Id}");
            })
            .RequireToken()
            .WithTags("Supervision")
            .WithName("IssueSupervision")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("整改办或巡察机构督办：kind = Duban 督办单（title 事由、content 督办事项、requirement 办理要求、replyDue 回复期限，自动编号“督办〔年〕N号”）/ Talk 约谈（heldOn、byWhom 约谈人、people 被约谈人、content 谈话要点、outcome 表态承诺）/ "
                + "Circular 通报、Accountability 问责（byWhom 决定机关、people 处理对象、outcome 处理方式，可关联 leadId 问题线索、outcomeId 整改成效）；unitId 被督办单位，measureIds 该单位牵头的措施。仅接受个人 API 令牌。");

        api.MapPost("/supervision/{id:int}/reply", async Task<IResult> (SupervisionService service, HttpRequest request, int id, CancellationToken ct) =>
            {
                if (request.HasFormContentType)
                {
                    var form = await request.ReadFormAsync(ct);
                    var file = IncomingFile.Of(form.Files.GetFile("file"));
                    return Api.Answer(await service.ReplyAsync(id, form["text"], ct, file), created: null);
                }

                NoticeReplyRequest? body = null;
                try
                {
                    body = request.HasJsonContentType() ? await request.ReadFromJsonAsync<NoticeReplyRequest>(ct) : null;
                }
                catch (System.Text.Json.JsonException)
                {
                    // Read by hand (the body may be a form instead): a body that is not the JSON described is the sender's mistake.
                }

                return body is null
                    ? Api.BadRequest("请以 JSON（{\"text\": \"回复内容\"}）或 multipart/form-data（text 回复内容、可选的 file 附件）提交。")
                    : Api.Answer(await service.ReplyAsync(id, body.Text, ct), created: null);
            })
            .WithMetadata(new MultipartBodyAttribute(typeof(NoticeReplyForm), typeof(NoticeReplyRequest)))
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = 64L * 1024 * 1024 }, new RequestSizeLimitAttribute(64L * 1024 * 1024))
            .RequireToken()
            .DisableAntiforgery()
            .WithTags("Supervision")
            .WithName("ReplySupervision")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("被督办单位的联络员回复督办单：JSON 的 text 回复内容；或 multipart/form-data 的 text 和可选的 file 附件（如整改情况报告，类型同佐证材料，经病毒扫描）。再次回复（退回后）替换上一次的回复和附件。仅接受个人 API 令牌。");

        api.MapGet("/supervision/{id:int}/reply-file", ReplyFileAsync)
            .WithTags("Supervision")
            .WithName("DownloadSupervisionReplyFile")
            .WithMetadata(new FileAnswerAttribute())
            .WithSummary("下载督办单回复的附件（看得到这份督办单的人；每次下载记入审计日志）");

        app.MapGet("/supervision/{id:int}/reply-file", ReplyFileAsync).ExcludeFromDescription();

        api.MapPost("/supervision/{id:int}/close", (SupervisionService service, int id, NoticeCloseRequest? body, CancellationToken ct) =>
                Api.DecideAsync(body?.Decision, "close", "return", decision => service.CloseAsync(id, decision, body?.Note, ct)))
            .RequireToken()
            .WithTags("Supervision")
            .WithName("CloseSupervision")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办或巡察机构办结已回复的督办单（decision = close），或退回回复（return，须附 note）。仅接受个人 API 令牌。");
    }

    private static async Task<IResult> ReplyFileAsync(SupervisionService service, HttpContext http, int id, CancellationToken ct)
    {
        var file = await service.OpenReplyFileAsync(id, ct);
        // Last-Modified is the reply's time.
        return file is { } f ? AttachmentIntake.Serve(http, f) : Results.NotFound();
    }
}
