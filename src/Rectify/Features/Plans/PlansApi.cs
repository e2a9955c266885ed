using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>登记巡察 through the API: the fields of the 登记巡察 page; <c>extendedScope</c> names the 下延单位 (found in the organization's tree, or added there).</summary>
public sealed record NewInspectionRequest(
    string? Title,
    [property: JsonConverter(typeof(NamesOnly<InspectionKind>))] InspectionKind? Kind,
    string? Round,
    string? Team,
    int? InspectedOrganizationId,
    IReadOnlyList<string>? ExtendedScope,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate);

/// <summary>The inspection's description in full (what is left out is cleared); <c>extendedScope</c> adds 下延单位, those already there stay.</summary>
public sealed record InspectionDescriptionRequest(
    string? Title,
    [property: JsonConverter(typeof(NamesOnly<InspectionKind>))] InspectionKind? Kind,
    string? Round,
    IReadOnlyList<string>? ExtendedScope,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate,
    string? Team = null,
    IReadOnlyList<string>? RemovedExtendedScope = null);

/// <summary>A 问题类别; <c>number</c> (序号) left out is the next one.</summary>
public sealed record NewCategoryRequest(int? Number, string? Title);

/// <summary>An import as the API takes it (multipart/form-data), for the OpenAPI document; the endpoint reads the form itself.</summary>
public sealed record ImportForm(
    [property: System.ComponentModel.Description(".xlsx 整改台账，或 .docx / .txt 的公布文本、整改方案，不超过 20 MB")] IFormFile File,
    [property: System.ComponentModel.Description("工作表名（可不填）")] string? Sheet = null,
    [property: System.ComponentModel.Description("调整理由（方案已审定、且文件有新增或修改时必填）")] string? Reason = null,
    [property: System.ComponentModel.Description("预览调整，JSON 数组（可不填）")] string? Edits = null,
    [property: System.ComponentModel.Description("record：把综合情况通报的统计数字记录为本轮巡察统计（可不填）")] string? Round = null);

/// <summary>A 反馈问题 under one of the inspection's categories; <c>number</c> (序号, across the inspection) left out is the next one.</summary>
public sealed record NewFindingRequest(int? CategoryId, int? Number, string? Title, string? ProblemStatement);

/// <summary>
/// What the plan says about a measure. The leader and units are chosen by id (<c>leaderId</c>, <c>leadUnitId</c>,
/// <c>supportingUnitIds</c>, from the inspected organization's tree) or named (<c>leader</c> "张三（副书记）",
/// <c>leadUnit</c>, <c>supportingUnits</c>): a name is the person or unit of that name in the tree, or a new one added there.
/// <c>reason</c> is required once the plan is in force (the change is a new version of the plan).
/// </summary>
public sealed record NewMeasureRequest(
    string? Text,
    [property: JsonConverter(typeof(NamesOnly<MeasureKind>))] MeasureKind? Kind,
    DateOnly? Deadline,
    int? LeaderId,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    IReadOnlyList<int>? SupportingUnitIds,
    IReadOnlyList<string>? SupportingUnits,
    string? Reason,
    int? DeadlineWorkingDays = null,
    DateOnly? DeadlineFrom = null);

/// <summary>
/// A measure's plan in full, on the <c>version</c> read (GET …/plan or GET /api/v1/measures/{id}): text and kind left out
/// stay; deadline, leader, lead unit and supporting units left out are cleared. Chosen and named as for a new measure.
/// </summary>
public sealed record MeasureAmendmentRequest(
    int? Version,
    string? Text,
    [property: JsonConverter(typeof(NamesOnly<MeasureKind>))] MeasureKind? Kind,
    DateOnly? Deadline,
    int? LeaderId,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    IReadOnlyList<int>? SupportingUnitIds,
    IReadOnlyList<string>? SupportingUnits,
    string? Reason,
    int? DeadlineWorkingDays = null,
    DateOnly? DeadlineFrom = null);

/// <summary>The same leader, lead unit, deadline or kind for several measures of one inspection: only what is given changes.</summary>
public sealed record BulkAmendmentRequest(
    IReadOnlyList<int>? MeasureIds,
    int? LeaderId,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    DateOnly? Deadline,
    [property: JsonConverter(typeof(NamesOnly<MeasureKind>))] MeasureKind? Kind,
    string? Reason);

/// <summary>A step of the plan's life: <c>reason</c> (for 退回), <c>meetingName</c> and <c>meetingDate</c> (the 党委会 that adopted it, for 审定).</summary>
public sealed record PlanStepRequest(string? Reason, string? MeetingName, DateOnly? MeetingDate);

/// <summary>An enum in a request by its name only ("TimeBound"): a number would reach the database as a value no name stands for.</summary>
public sealed class NamesOnly<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>
/// The plan's services and its API: the inspection, its categories, findings and measures, bulk changes and the plan's
/// life (报审 → 审定) — the operations of the plan pages, through <see cref="PlanService"/> with its rules — the plan read
/// page by page, the import template download and the import.
/// </summary>
public static class PlansApi
{
    public const string TemplateFileName = "整改台账导入模板.xlsx";

    private static readonly System.Text.Json.JsonSerializerOptions EditsJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static IServiceCollection AddPlans(this IServiceCollection services, string dataFolder)
    {
        services.AddScoped<PlanService>();
        services.AddScoped<IntakeCommitService>();
        services.AddHostedService<IntakeWarmUp>();
        services.AddScoped<RoundStatisticsService>();
        return services.AddSingleton(sp => new ImportUploads(Path.Combine(dataFolder, "imports"), sp.GetRequiredService<TimeProvider>()));
    }

    public static void MapPlansApi(this IEndpointRouteBuilder app)
    {
        // The blank ledger with its 填写说明 sheet, for anyone signed in (it holds nothing but column names).
        app.MapGet("/inspections/template.xlsx", () =>
            {
                using var stream = new MemoryStream();
                LedgerTemplate.Write(stream, null, []);
                return Results.File(stream.ToArray(), LedgerTemplate.ContentType, TemplateFileName);
            })
            .ExcludeFromDescription();

        var api = app.MapApiGroup();
        MapPlan(api);
        api.MapPost("/inspections/{id:int}/import", ImportAsync)
            .WithMetadata(new Common.MultipartBodyAttribute(typeof(ImportForm)))
            .RequireToken()
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportModel.RequestLimit))
            .WithFormOptions(multipartBodyLengthLimit: ImportModel.RequestLimit)
            .Produces<ImportPreviewView>(StatusCodes.Status200OK)
            .Produces<ImportResultView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Inspections")
            .WithName("ImportLedger")
            .WithSummary("整改办导入 Excel 整改台账，或整改进展情况公布、整改方案全文（multipart/form-data：file 为 .xlsx、.docx 或 .txt，不超过 20 MB，按内容识别；sheet 工作表名（可不填）；reason 调整理由（方案已审定时必填）；"
                + "edits 预览调整（可不填，JSON 数组，按顺序执行，如 [{\"kind\":\"Demote\",\"finding\":3}]：Demote 问题降为上一问题的措施、Promote 措施升为问题、Merge 与下一条措施合并、Split 在 at 字符处拆分措施、Renumber 重新编号、RenameCategory 命名类别）；"
                + "round=record 把综合情况通报的统计数字记录为本轮巡察统计）。"
                + "preview=true（默认）只读取并预览：读取的类别、问题、措施及各自将新增/更新/不变，以及按工作表、行、列（或段落）列出的全部问题和文中的统计数字，不写入任何内容；"
                + "preview=false 导入：按序号新增或更新，全部成功或全部不写入；有错误时返回 problem+json，其 problems 列出全部问题。综合情况通报从不作为问题导入。仅接受个人 API 令牌。");
    }

    private static void MapPlan(RouteGroupBuilder api)
    {
        api.MapPost("/inspections", async Task<IResult> (PlanService plans, NewInspectionRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new NewInspectionRequest(null, null, null, null, null, null, null, null, null);
                var result = await plans.CreateInspectionAsync(new InspectionInput(b.Title, b.Kind, b.Round, b.Team, b.InspectedOrganizationId, Names(b.ExtendedScope), b.OnSiteFrom, b.OnSiteTo, b.FeedbackDate), ct);
                return Api.Answer(result, $"/api/v1/inspections/{result.Id}/plan");
            })
            .RequireToken()
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithTags("Plans")
            .WithName("CreateInspection")
            .WithSummary("整改办登记巡察：title 巡察名称、kind（Xuncha 巡察 / Xunshi 巡视）、round 届次轮次、team 巡察组（按名称，只对应管辖被巡察党组织的巡察机构，没有则新建）、inspectedOrganizationId 被巡察党组织、"
                + "extendedScope 下延单位名称、onSiteFrom/onSiteTo 进驻期间、feedbackDate 反馈日期。id 为新巡察，Location 为其整改方案。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/description", async Task<IResult> (PlanService plans, int id, InspectionDescriptionRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new InspectionDescriptionRequest(null, null, null, null, null, null, null);
                return Api.Answer(await plans.DescribeAsync(id, new InspectionInput(b.Title, b.Kind, b.Round, b.Team, null, Names(b.ExtendedScope), b.OnSiteFrom, b.OnSiteTo, b.FeedbackDate) { RemovedScope = b.RemovedExtendedScope ?? [] }, ct), created: null);
            })
            .RequireToken()
            .Produces<WriteResult>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithTags("Plans")
            .WithName("DescribeInspection")
            .WithSummary("整改办修改巡察信息：title、kind、round、onSiteFrom、onSiteTo、feedbackDate 为修改后的全部内容（不填即清空）；extendedScope 增加下延单位（已有的保留），removedExtendedScope 按名称移除下延单位；team 更正巡察组（按名称，只对应管辖被巡察党组织的巡察机构，没有则新建；不填则不变）。仅接受个人 API 令牌。");

        api.MapGet("/inspections/{id:int}/plan", async Task<Results<Ok<PlanApiPage>, NotFound>> (RectifyDbContext db, Caller caller, int id, int? page, int? pageSize, CancellationToken ct) =>
                await PlanApiQueries.PageAsync(db, caller.Scope, id, page, pageSize, ct) is { } plan ? TypedResults.Ok(plan) : TypedResults.NotFound())
            .WithTags("Plans")
            .WithName("GetPlan")
            .WithSummary($"整改方案（分页，按问题）：巡察信息与方案状态（Drafting 草拟 / Submitted 报审 / InForce 审定实施）、报审审定记录、全部问题类别，及本页的问题（按序号，每页 pageSize 个，默认 {PlanApiQueries.DefaultPageSize}，1 到 {PlanApiQueries.MaxPageSize}，超出范围 400）及其全部措施："
                + "整改类型、整改时限、责任领导、牵头单位、配合单位（均有 id 和名称）、assumed 来源未载明、由系统推定的字段（待核实；演示数据中为演示假设）、version（修改时回传）、planVersion 方案版本（草拟时为 0，审定为 1，此后每次调整加 1）。findingCount、measureCount 为全部。责任单位只看到本单位的措施。");

        api.MapPost("/inspections/{id:int}/categories", async Task<IResult> (PlanService plans, int id, NewCategoryRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.AddCategoryAsync(id, body?.Number, body?.Title, ct), $"/api/v1/inspections/{id}/plan"))
            .RequireToken()
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("AddCategory")
            .WithSummary("整改办添加问题类别：title（不超过 1000 字）、number 序号（不填为下一个）。方案报审后不能添加（409）。id 为新类别。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/findings", async Task<IResult> (PlanService plans, int id, NewFindingRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.AddFindingAsync(id, body?.CategoryId, body?.Number, body?.Title, body?.ProblemStatement, ct), $"/api/v1/inspections/{id}/plan"))
            .RequireToken()
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("AddFinding")
            .WithSummary("整改办添加反馈问题：categoryId 问题类别、title（不超过 1000 字）、problemStatement 反馈原文（可不填）、number 序号（全巡察统一编号，不填为下一个）。id 为新问题。仅接受个人 API 令牌。");

        api.MapPost("/findings/{id:int}/measures", async Task<IResult> (PlanService plans, CalendarStore calendars, TimeProvider clock, int id, NewMeasureRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new NewMeasureRequest(null, null, null, null, null, null, null, null, null, null);
                var deadline = await WorkingDayDeadline.ResolveAsync(calendars, b.Deadline, b.DeadlineWorkingDays, b.DeadlineFrom, ChinaTime.Today(clock), ct);
                var result = await plans.AddMeasureAsync(id, Input(b.Text, b.Kind, deadline, b.LeaderId, b.Leader, b.LeadUnitId, b.LeadUnit, b.SupportingUnitIds, b.SupportingUnits), b.Reason, ct);
                return Api.Answer(result, $"/api/v1/measures/{result.Id}");
            })
            .RequireToken()
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("AddMeasure")
            .WithSummary("整改办为一个问题添加整改措施：text、kind（Immediate 立行立改 / TimeBound 限期整改，须有 deadline / Ongoing 长期坚持）、deadline（或 deadlineWorkingDays：自 deadlineFrom 起第 N 个工作日，不填 deadlineFrom 为今天，按法定节假日和调休计算）、"
                + "责任领导 leaderId 或 leader（姓名，可带职务“张三（副书记）”）、牵头单位 leadUnitId 或 leadUnit、配合单位 supportingUnitIds 和/或 supportingUnits（名称）；按名称找不到的人员、单位在被巡察党组织下新建。"
                + "方案审定后须填 reason，新增的措施为方案的新版本。id 为新措施。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/measures/policy-deadlines", async Task<IResult> (PolicyDeadlineService service, int id, PlanStepRequest? body, CancellationToken ct) =>
                Api.Answer(await service.FillAsync(id, body?.Reason, ct), created: null))
            .RequireToken()
            .WithTags("Plans")
            .WithName("FillPolicyDeadlines")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办按巡察的整改时限政策，为没有整改时限的立行立改、限期整改措施填写时限（立行立改：反馈之日起 N 个工作日；限期整改：集中整改期为反馈之日起 N 个月）。方案审定后须填 reason，每条成为措施的新版本。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/renumbering", async Task<IResult> (PlanService plans, int id, PlanStepRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.RenumberInOrderAsync(id, body?.Reason, ct), created: null))
            .RequireToken()
            .WithTags("Plans")
            .WithName("RenumberPlan")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("整改办按类别顺序重新编号：问题类别依次编为 1、2、3……，问题按类别顺序跨类别依次编为 1、2、3……，措施在所属问题内的序号不变（序号已连续时拒绝）。"
                + "方案审定后须填 reason；改动的序号记入审计日志。仅接受个人 API 令牌。");

        api.MapPost("/measures/{id:int}/amendments", async Task<IResult> (PlanService plans, CalendarStore calendars, TimeProvider clock, int id, MeasureAmendmentRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new MeasureAmendmentRequest(null, null, null, null, null, null, null, null, null, null, null);
                var deadline = await WorkingDayDeadline.ResolveAsync(calendars, b.Deadline, b.DeadlineWorkingDays, b.DeadlineFrom, ChinaTime.Today(clock), ct);
                var input = Input(b.Text, b.Kind, deadline, b.LeaderId, b.Leader, b.LeadUnitId, b.LeadUnit, b.SupportingUnitIds ?? [], b.SupportingUnits);
                return Api.Answer(await plans.AmendMeasureAsync(id, input, b.Version, b.Reason, ct), created: null);
            })
            .RequireToken()
            .Produces<WriteResult>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("AmendMeasure")
            .WithSummary("整改办修改一条措施的方案内容：version 为读取时的版本（必填；已被他人修改时回答 409），其余同添加措施（整改时限也可用 deadlineWorkingDays、deadlineFrom 按工作日给出），为修改后的全部内容：text、kind 不填则不变，"
                + "deadline、责任领导、牵头单位、配合单位不填即清空。方案审定后须填 reason，修改成为方案的新版本（与审定时的版本并列可查）；报审期间不能修改（409）。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/measures/bulk", async Task<IResult> (PlanService plans, int id, BulkAmendmentRequest? body, CancellationToken ct) =>
            {
                var b = body ?? new BulkAmendmentRequest(null, null, null, null, null, null, null, null);
                return Api.Answer(await plans.AmendManyAsync(id, b.MeasureIds ?? [], new BulkChange(b.LeaderId, b.Leader, b.LeadUnitId, b.LeadUnit, b.Deadline, b.Kind), b.Reason, ct), created: null);
            })
            .RequireToken()
            .Produces<WriteResult>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("AmendMeasures")
            .WithSummary("整改办批量修改措施：measureIds（本巡察的措施，一次最多 2000 条），统一设置 leaderId 或 leader、leadUnitId 或 leadUnit、deadline、kind 中给出的各项，其余不变；"
                + "方案审定后须填 reason。全部成功或全部不改。仅接受个人 API 令牌。");

        api.MapPost("/inspections/{id:int}/plan/{action}", async Task<IResult> (PlanService plans, int id, string action, PlanStepRequest? body, CancellationToken ct) =>
                Api.Answer(await plans.ActOnPlanAsync(id, Step(action), body?.Reason, body?.MeetingName, body?.MeetingDate, ct), created: null))
            .RequireToken()
            .Produces<WriteResult>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Plans")
            .WithName("ActOnPlan")
            .WithSummary("整改方案的一步：submit 报审（整改办；各措施须有牵头单位、责任领导和整改时限）、return 退回修改（第一责任人，reason）、"
                + "approve 审定（第一责任人，meetingName 审定会议与 meetingDate 会议日期；审定后方案实施，责任单位可见其措施）。报审人不能审定自己报审的方案。仅接受个人 API 令牌。");
    }

    /// <summary>The step named in the path (submit, return, approve); anything else is no step, which the service refuses after 404 and 403.</summary>
    private static PlanAction? Step(string action) => action.ToUpperInvariant() switch
    {
        "SUBMIT" => PlanAction.Submit,
        "RETURN" => PlanAction.Return,
        "APPROVE" => PlanAction.Approve,
        _ => null,
    };

    /// <summary>Names given as a list, as the service reads them typed in one field (one a line).</summary>
    private static string? Names(IReadOnlyList<string>? names) => names is null ? null : string.Join('\n', names);

    private static MeasureInput Input(string? text, MeasureKind? kind, DateOnly? deadline, int? leaderId, string? leader, int? leadUnitId, string? leadUnit, IReadOnlyList<int>? supportingUnitIds, IReadOnlyList<string>? supportingUnits) =>
        new(text, kind, deadline, leaderId, leader, leadUnitId, leadUnit, supportingUnitIds, Names(supportingUnits));

    private static async Task<IResult> ImportAsync(IntakeCommitService imports, RoundStatisticsService rounds, ImportUploads uploads, Caller caller, HttpRequest request, int id, bool? preview, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return Api.BadRequest("请以 multipart/form-data 提交：file（Excel 台账 .xlsx，或整改方案 .docx、.txt）、sheet（工作表名，可不填）、edits（预览调整，可不填）、reason（调整理由，方案已审定时必填）。");
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file)
        {
            return Api.BadRequest("请在 file 中上传 Excel 台账（.xlsx），或整改进展情况公布、整改方案（.docx、.txt）。");
        }

        List<IntakeEdit>? edits = null;
        if (form["edits"].FirstOrDefault() is { Length: > 0 } editsJson)
        {
            try
            {
                edits = System.Text.Json.JsonSerializer.Deserialize<List<IntakeEdit>>(editsJson, EditsJson);
            }
            catch (System.Text.Json.JsonException)
            {
                return Api.BadRequest("edits 应是 JSON 数组，如 [{\"kind\":\"Merge\",\"finding\":2,\"measure\":1}]。");
            }
        }

        // Who may not import here is told so before anything of the file is kept or read.
        if (await imports.TargetAsync(id, ct) is null)
        {
            return TypedResults.NotFound();
        }

        var stored = await uploads.SaveAsync(caller.Scope.UserId, id, file.FileName, file.OpenReadStream(), ct);
        try
        {
            ImportPreview? read;
            await using (var stream = File.OpenRead(stored.Path))
            {
                read = await imports.PreviewAsync(id, stream, stored.FileName, form["sheet"].FirstOrDefault(), ct, edits);
            }

            if (read is null)
            {
                return TypedResults.NotFound();
            }

            if (form["round"].FirstOrDefault() == "record")
            {
                // A round summary's figures, recorded against the round; never findings.
                var recorded = await rounds.RecordAsync(id, read.Draft, stored.FileName, ct);
                return recorded is null ? TypedResults.NotFound() : TypedResults.Created($"/inspections/{id}#round-statistics", recorded);
            }

            if (preview ?? true)
            {
                return TypedResults.Ok(ImportPreviewView.Of(read));
            }

            if (read.ErrorCount > 0)
            {
                // Every problem at once, so that the file can be corrected in one go; nothing was written.
                var view = ImportPreviewView.Of(read);
                var title = $"文件中有 {read.ErrorCount} 处错误，改正后才能导入（未导入任何内容）。";
                return TypedResults.Problem(
                    title: title,
                    detail: title,
                    statusCode: read.Draft.Errors.Any() ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["problems"] = view.Problems.Where(p => p.Severity == IntakeSeverity.Error).ToList() });
            }

            var result = await imports.CommitAsync(id, read.Draft, form["reason"].FirstOrDefault(), read.SourceName, ct);
            return result is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/inspections/{id}/ledger", ImportResultView.Of(result));
        }
        finally
        {
            uploads.Delete(stored);
        }
    }
}
