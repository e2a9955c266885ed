using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Plans;

/// <summary>
/// 导入 Excel 台账: upload → preview → confirm. The upload is kept on the server under a random token
/// (<see cref="ImportUploads"/>), the preview (GET, with the token and the chosen sheet) reads it again and writes
/// nothing, and 确认导入 commits it all or nothing (<see cref="IntakeCommitService"/>), then deletes it.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
[RequestSizeLimit(RequestLimit)]
public sealed class ImportModel(RectifyDbContext db, Caller caller, IntakeCommitService imports, ImportUploads uploads) : PageModel, IShowsRefusals
{
    /// <summary>The file's limit with room for the form around it.</summary>
    public const long RequestLimit = ImportUploads.MaxBytes + (1024 * 1024);

    /// <summary>How many measures the preview lists (the counts and problems are always whole).</summary>
    public const int ShownMeasures = 2000;

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    /// <summary>The token of the upload being previewed (never a path).</summary>
    [BindProperty(SupportsGet = true, Name = "upload")]
    public string? Upload { get; set; }

    [BindProperty(SupportsGet = true, Name = "sheet")]
    public string? Sheet { get; set; }

    public string? Reason { get; private set; }

    public string InspectionTitle { get; private set; } = string.Empty;

    public PlanState PlanState { get; private set; }

    public ImportPreview? Preview { get; private set; }

    public string? Error { get; private set; }

    public bool MayManage => caller.May(Permission.ManagePlan);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? await ShowAsync(cancellationToken) : NotFound();

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Upload = null;
        var stored = await uploads.SaveAsync(caller.Scope.UserId, Id, file?.FileName, file is null ? Stream.Null : file.OpenReadStream(), cancellationToken);
        try
        {
            // The whole-file refusals (.xls, encrypted, damaged…) are said now, beside the upload form.
            await using var stream = System.IO.File.OpenRead(stored.Path);
            _ = Intake.LedgerWorkbookReader.ListSheets(stream);
        }
        catch
        {
            uploads.Delete(stored);
            throw;
        }

        return Redirect($"/inspections/{Id}/import?upload={stored.Token}");
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? reason, CancellationToken cancellationToken)
    {
        Reason = reason;
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var stored = uploads.Open(caller.Scope.UserId, Id, Upload);
        BusinessRules.Check(new TheUploadIsStillThere(stored is not null));
        IntakeCommitResult? result;
        await using (var stream = System.IO.File.OpenRead(stored!.Path))
        {
            var preview = await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken);
            result = preview is null ? null : await imports.CommitAsync(Id, preview.Draft, reason, $"{stored.FileName}（{preview.Sheet}）", cancellationToken);
        }

        if (result is null)
        {
            return NotFound();
        }

        uploads.Delete(stored);
        TempData["message"] = result.Message;
        return Redirect($"/inspections/{Id}/plan");
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (uploads.Open(caller.Scope.UserId, Id, Upload) is { } stored)
        {
            uploads.Delete(stored);
        }

        return Redirect($"/inspections/{Id}/import");
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    /// <summary>The inspection, when the caller sees it (false: 404); the service refuses unless they may keep its plan (403).</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var target = await imports.TargetAsync(Id, cancellationToken);
        if (target is null)
        {
            return false;
        }

        InspectionTitle = target.Title;
        PlanState = target.PlanState;
        return true;
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (InspectionTitle.Length == 0)
        {
            // Refused before the inspection was named (who may see it but not keep its plan): named here for the page.
            var inspection = await db.VisibleInspections(caller.Scope).Where(i => i.Id == Id).Select(i => new { i.Title, i.PlanState }).SingleOrDefaultAsync(cancellationToken);
            if (inspection is null)
            {
                return NotFound();
            }

            InspectionTitle = inspection.Title;
            PlanState = inspection.PlanState;
        }

        // A refusal of the permission itself comes here too: the page says it, and nothing more.
        if (!MayManage)
        {
            return Page();
        }

        if (Upload is null)
        {
            return Page();
        }

        var stored = uploads.Open(caller.Scope.UserId, Id, Upload);
        if (stored is null)
        {
            Upload = null;
            Error ??= new TheUploadIsStillThere(false).Message;
            return Page();
        }

        try
        {
            await using var stream = System.IO.File.OpenRead(stored.Path);
            Preview = await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken);
        }
        catch (BusinessRuleViolationException e)
        {
            // The chosen sheet cannot be read (no header, too many rows…): said beside the sheet chooser.
            if (Error is null)
            {
                Error = e.Message;
                HttpContext.Response.StatusCode = Refusals.StatusCode(e.Refusal);
            }

            await using var stream = System.IO.File.OpenRead(stored.Path);
            SheetsOnly = Intake.LedgerWorkbookReader.ListSheets(stream);
        }

        return Page();
    }

    /// <summary>The workbook's sheets when the chosen one could not be read, so that another can be chosen.</summary>
    public IReadOnlyList<Intake.LedgerSheet> SheetsOnly { get; private set; } = [];

    public IReadOnlyList<Intake.LedgerSheet> Sheets => Preview?.Sheets ?? SheetsOnly;

    private sealed class TheUploadIsStillThere(bool there) : IBusinessRule
    {
        public bool IsBroken() => !there;

        public string Message => "上传的文件已不存在（超过 1 小时未确认会自动删除，或已经导入）。请重新上传。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
