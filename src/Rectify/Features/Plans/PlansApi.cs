using Microsoft.AspNetCore.Mvc;
using Rectify.Access;
using Rectify.Features.Common;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>The plan's services, the import template download and the import through the API.</summary>
public static class PlansApi
{
    public const string TemplateFileName = "整改台账导入模板.xlsx";

    public static IServiceCollection AddPlans(this IServiceCollection services, string dataFolder)
    {
        services.AddScoped<PlanService>();
        services.AddScoped<IntakeCommitService>();
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
        api.MapPost("/inspections/{id:int}/import", ImportAsync)
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
            .WithSummary("整改办导入 Excel 整改台账（multipart/form-data：file .xlsx 不超过 20 MB，sheet 工作表名（可不填），reason 调整理由（方案已审定时必填））。"
                + "preview=true（默认）只读取并预览：读取的类别、问题、措施及各自将新增/更新/不变，以及按工作表、行、列列出的全部问题，不写入任何内容；"
                + "preview=false 导入：按序号新增或更新，全部成功或全部不写入；有错误时返回 problem+json，其 problems 列出全部问题。仅接受个人 API 令牌。");
    }

    private static async Task<IResult> ImportAsync(IntakeCommitService imports, ImportUploads uploads, Caller caller, HttpRequest request, int id, bool? preview, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return Api.BadRequest("请以 multipart/form-data 提交：file（Excel 台账 .xlsx）、sheet（工作表名，可不填）、reason（调整理由，方案已审定时必填）。");
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file)
        {
            return Api.BadRequest("请在 file 中上传 Excel 台账（.xlsx）。");
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
                read = await imports.PreviewAsync(id, stream, stored.FileName, form["sheet"].FirstOrDefault(), ct);
            }

            if (read is null)
            {
                return TypedResults.NotFound();
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

            var result = await imports.CommitAsync(id, read.Draft, form["reason"].FirstOrDefault(), $"{stored.FileName}（{read.Sheet}）", ct);
            return result is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/inspections/{id}/ledger", ImportResultView.Of(result));
        }
        finally
        {
            uploads.Delete(stored);
        }
    }
}
