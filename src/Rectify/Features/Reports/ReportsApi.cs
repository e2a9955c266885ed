using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Reports;

public sealed record ReviewRequest(string? Decision, string? Reason);

/// <summary>A progress report as the unit files it (multipart/form-data): what was done, how far, as of which day, and the evidence.</summary>
public sealed record ReportForm(
    [property: System.ComponentModel.Description("进展情况")] string Narrative,
    [property: System.ComponentModel.Description("完成进度，0–100")] int Percent,
    [property: System.ComponentModel.Description("截至日期（yyyy-MM-dd）")] DateOnly EffectiveDate,
    [property: System.ComponentModel.Description("佐证材料：pdf、ofd、docx、xlsx、jpg、png，按内容识别类型")] IReadOnlyList<IFormFile>? Files = null,
    [property: System.ComponentModel.Description("代报依据：整改办代牵头单位报送（代报）时必填，写明单位以何种方式、何时报送了哪些材料；单位联络员本人报送时不填")] string? OnBehalfBasis = null);

/// <summary>A 配合情况 as a supporting unit hands it in (multipart/form-data).</summary>
public sealed record SupportReportForm(
    [property: System.ComponentModel.Description("配合情况：本单位按分工做了哪些工作")] string Narrative,
    [property: System.ComponentModel.Description("以哪个配合单位报送（所在单位下有这条措施的多个配合单位时必填）")] int? OrganizationId = null,
    [property: System.ComponentModel.Description("附件（可选）：pdf、ofd、docx、xlsx、jpg、png，按内容识别类型")] IFormFile? File = null);

/// <summary>Progress reports and their evidence through the API, and the evidence download the pages link to.</summary>
public static class ReportsApi
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        // Checked here, before the host starts, so that a wrong value is one plain line from the command, not a stack trace.
        var evidence = configuration.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>() ?? new EvidenceOptions();
        if (!evidence.DigestIsKnown)
        {
            throw new RectifyConfigurationException($"未知的佐证材料摘要算法 Evidence:Digest = “{evidence.Digest}”。可选：SHA256（默认）或 SM3。");
        }

        if (evidence.MaxFileBytes <= 0 || evidence.MaxFilesPerReport <= 0 || evidence.ClamdTimeoutSeconds <= 0 || evidence.DailyQuotaMegabytes < 0)
        {
            throw new RectifyConfigurationException("Evidence:MaxFileBytes、Evidence:MaxFilesPerReport 和 Evidence:ClamdTimeoutSeconds 必须大于 0，Evidence:DailyQuotaMegabytes 不能小于 0（0 表示不限）。");
        }

        services.Configure<EvidenceOptions>(configuration.GetSection(EvidenceOptions.Section));
        if (!string.IsNullOrWhiteSpace(evidence.Clamd)
            && !(Uri.TryCreate(evidence.Clamd, UriKind.Absolute, out var clamd) && (clamd.Scheme == "unix" || (clamd.Scheme == "tcp" && clamd.Port > 0))))
        {
            throw new RectifyConfigurationException($"Evidence:Clamd 应为 tcp://主机:端口（如 tcp://127.0.0.1:3310）或 unix:///路径（如 unix:///run/clamav/clamd.ctl），而不是“{evidence.Clamd}”。");
        }

        services.AddSingleton(new EvidenceStore(Path.Combine(dataFolder, "evidence")));
        services.AddSingleton(new ClamdScanner(evidence.Clamd, TimeSpan.FromSeconds(evidence.ClamdTimeoutSeconds)));
        services.AddScoped<AttachmentIntake>();
        services.AddScoped<SupportReportService>();
        return services.AddScoped<ProgressReportService>();
    }

    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/measures/{id:int}/reports", async Task<Results<Ok<IReadOnlyList<ProgressReportView>>, NotFound>> (RectifyDbContext db, Caller caller, int id, CancellationToken ct) =>
                await db.VisibleMeasures(caller.Scope).AnyAsync(m => m.Id == id, ct)
                    ? TypedResults.Ok(await ReportQueries.ReportsAsync(db, caller.Scope, id, ct))
                    : TypedResults.NotFound())
            .WithTags("Progress reports")
            .WithName("ListReports")
            .WithSummary("一条措施的全部进展报送（每个版本都保留，最新在前），含佐证材料；evidence 的下载地址为 /api/v1/reports/{reportId}/evidence/{evidenceId}，evidenceId 为该份报送中的第几份材料（1、2……，按列出的顺序）");

        api.MapPost("/measures/{id:int}/reports", async Task<IResult> (ProgressReportService reports, HttpRequest request, int id, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return Api.BadRequest("请以 multipart/form-data 提交：narrative（进展情况）、percent（完成百分比）、effectiveDate（报送截至日期，yyyy-MM-dd）和 files（佐证材料，可多个）。");
                }

                var form = await request.ReadFormAsync(ct);

                // A part named files without a file name is read as text, not as a file: refused, not filed without it.
                if (form.TryGetValue("files", out var texts) && texts.Any(t => !string.IsNullOrEmpty(t)))
                {
                    return Api.BadRequest("files 中有一项不是文件（没有文件名）：每份佐证材料须作为文件上传，并带文件名。未报送。");
                }

                int? percent = int.TryParse(form["percent"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;
                DateOnly? effective = DateOnly.TryParseExact(form["effectiveDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
                var files = form.Files.GetFiles("files").Select(IncomingFile.Of).OfType<IncomingFile>().ToList();
                // Present means 代报 (the office files for the unit, and must say on what basis), but for an empty field
                // from the unit's own client, which is the unit's own report (ProgressReportService.FileAsync).
                string? onBehalf = form.TryGetValue("onBehalfBasis", out var basis) ? basis.ToString() : null;
                return Api.Answer(await reports.FileAsync(id, form["narrative"], percent ?? -1, effective, files, ct, onBehalf), created: $"/api/v1/measures/{id}/reports");
            })
            .WithMetadata(new Common.MultipartBodyAttribute(typeof(ReportForm)))
            .RequireToken()
            .DisableAntiforgery()
            .WithTags("Progress reports")
            .WithName("FileReport")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("牵头单位联络员报送进展（multipart/form-data：narrative、percent 0–100、effectiveDate、files 佐证材料 pdf/ofd/docx/xlsx/jpg/png，按内容识别类型）；整改办代报时另填 onBehalfBasis（代报依据），由整改办其他人员审核。仅接受个人 API 令牌。");

        api.MapPost("/reports/{id:int}/review", (ProgressReportService reports, int id, ReviewRequest? body, CancellationToken ct) =>
                Api.DecideAsync(body?.Decision, "accept", "return", decision => reports.ReviewAsync(id, decision, body?.Reason, ct)))
            .RequireToken()
            .WithTags("Progress reports")
            .WithName("ReviewReport")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("整改办审核一份进展报送：decision = accept 采纳 / return 退回（须附 reason）。不能审核自己报送的。仅接受个人 API 令牌。");

        api.MapPost("/reports/{id:int}/withdrawal", async (ProgressReportService reports, int id, CancellationToken ct) => Api.Answer(await reports.WithdrawAsync(id, ct), created: null))
            .RequireToken()
            .WithTags("Progress reports")
            .WithName("WithdrawReport")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("撤回一份待审核的进展报送（状态变为 Withdrawn 已撤回）：单位报送的由牵头单位联络员撤回，代报的由整改办撤回；已采纳或已退回的不能撤回。撤回后不再审核、不计为已报送，原文和佐证材料保留，可修改后重新报送。仅接受个人 API 令牌。");

        api.MapGet("/measures/{id:int}/support-reports", async Task<Results<Ok<IReadOnlyList<SupportReportView>>, NotFound>> (RectifyDbContext db, Caller caller, SupportReportService support, int id, CancellationToken ct) =>
                await db.VisibleMeasuresIncludingWithdrawn(caller.Scope).AnyAsync(m => m.Id == id, ct) ? TypedResults.Ok(await support.ListAsync(id, ct)) : TypedResults.NotFound())
            .WithTags("Progress reports")
            .WithName("ListSupportReports")
            .WithSummary("一条措施的配合单位报送的配合情况（最新在前，至多 200 条）；附件下载地址为 /api/v1/support-reports/{id}/attachment");

        api.MapPost("/measures/{id:int}/support-reports", async Task<IResult> (SupportReportService support, HttpRequest request, int id, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return Api.BadRequest("请以 multipart/form-data 提交：narrative（配合情况）、可选的 organizationId（以哪个配合单位报送）和 file（附件）。");
                }

                var form = await request.ReadFormAsync(ct);
                int? unit = null;
                if (!string.IsNullOrEmpty(form["organizationId"]))
                {
                    if (!int.TryParse(form["organizationId"], NumberStyles.None, CultureInfo.InvariantCulture, out var u))
                    {
                        return Api.BadRequest("organizationId 应为配合单位的编号。");
                    }

                    unit = u;
                }

                return Api.Answer(await support.FileAsync(id, unit, form["narrative"], IncomingFile.Of(form.Files.GetFile("file")), ct), created: $"/api/v1/measures/{id}/support-reports");
            })
            .WithMetadata(new Common.MultipartBodyAttribute(typeof(SupportReportForm)))
            .RequireToken()
            .DisableAntiforgery()
            .WithTags("Progress reports")
            .WithName("FileSupportReport")
            .Produces<WriteResult>(StatusCodes.Status201Created)
            .WithSummary("配合单位联络员报送配合情况（multipart/form-data：narrative、可选 organizationId、可选 file 附件）：交牵头单位汇总，不经整改办审核。仅接受个人 API 令牌。");

        api.MapPost("/support-reports/{id:int}/withdrawal", async (SupportReportService support, int id, CancellationToken ct) => Api.Answer(await support.WithdrawAsync(id, ct), created: null))
            .RequireToken()
            .WithTags("Progress reports")
            .WithName("WithdrawSupportReport")
            .Produces<WriteResult>(StatusCodes.Status200OK)
            .WithSummary("配合单位联络员撤回本单位报送的一份配合情况（措施整改中或长期坚持时）：撤回后不再计为已报送，原文和附件保留，列表中带 withdrawnAtUtc；牵头单位联络员收到通知。仅接受个人 API 令牌。");

        api.MapGet("/support-reports/{id:int}/attachment", SupportAttachmentAsync)
            .WithTags("Progress reports")
            .WithName("DownloadSupportAttachment")
            .WithMetadata(new Common.FileAnswerAttribute())
            .WithSummary("下载配合情况的附件（与措施同样的权限范围；每次下载记入审计日志）");

        app.MapGet("/support-reports/{id:int}/attachment", SupportAttachmentAsync).ExcludeFromDescription();

        api.MapGet("/reports/{reportId:int}/evidence/{evidenceId:int}", DownloadAsync)
            .WithTags("Progress reports")
            .WithName("DownloadEvidence")
            .WithMetadata(new Common.FileAnswerAttribute())
            .WithSummary("下载一份佐证材料（与报送同样的权限范围；每次下载记入审计日志）");

        // The pages' link to the same file: served only through the same scope as its report, as an attachment, audited.
        app.MapGet("/evidence/{reportId:int}/{evidenceId:int}", DownloadAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> SupportAttachmentAsync(SupportReportService support, HttpContext http, int id, CancellationToken ct) =>
        await support.OpenAttachmentAsync(id, ct) is { } f && File.Exists(f.Path) ? AttachmentIntake.Serve(http, f) : Results.NotFound();

    private static async Task<IResult> DownloadAsync(ProgressReportService reports, HttpContext http, int reportId, int evidenceId, CancellationToken ct)
    {
        // evidenceId is the file's place in the report (1, 2, …), not the store's id of the file.
        var file = await reports.OpenForDownloadAsync(reportId, evidenceId, ct);
        if (file is not { } f || !File.Exists(f.Path))
        {
            return Results.NotFound();
        }

        // Last-Modified is the report's time.
        return AttachmentIntake.Serve(http, f);
    }
}
