using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>
/// 导入: upload → preview → (edits) → confirm, for an Excel 台账 and for a notice or plan (.docx, .txt) alike. The upload
/// is kept on the server under a random token (<see cref="ImportUploads"/>), the preview (GET, with the token and the
/// chosen sheet) reads it again, applies the edits kept with it (<see cref="IntakeEdits"/>) and writes nothing; each
/// edit is a form post that keeps it with the upload and shows the preview again; 确认导入 commits the edited draft all
/// or nothing (<see cref="IntakeCommitService"/>), then deletes the upload. A round summary is never imported: its
/// figures can be recorded against the inspection's round (<see cref="RoundStatisticsService"/>).
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
[RequestSizeLimit(RequestLimit)]
[StatedUploadLimit(ImportUploads.MaxBytes)]
public sealed class ImportModel(RectifyDbContext db, Caller caller, IntakeCommitService imports, ImportUploads uploads, RoundStatisticsService rounds) : PageModel, IShowsRefusals
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
            _ = IntakeSources.Check(stream, stored.FileName);
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
            var preview = await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken, stored.Edits);
            result = preview is null ? null : await imports.CommitAsync(Id, preview.Draft, reason, preview.SourceName, cancellationToken);
        }

        if (result is null)
        {
            return NotFound();
        }

        uploads.Delete(stored);

        // A corrected ledger that adds a finding under an earlier category leaves the numbers out of the order they are
        // listed and published in: the office is told where to put them right.
        return await PlanQueries.NumberedInOrderAsync(db, Id, cancellationToken)
            ? this.DoneAt(result.Message, $"/inspections/{Id}/plan")
            : this.DoneAt(result.Message + " 问题类别或问题的序号没有按顺序连续编号，可以在“问题与措施”下按类别顺序重新编号。", $"/inspections/{Id}/plan#categories", "categories");
    }

    /// <summary>
    /// One edit of the preview (see <see cref="IntakeEdits"/>), kept with the upload once it fits; the preview is shown
    /// again. The button says what: <paramref name="op"/> is "Demote", "Promote:2", "Merge:2", "Split:2" (with the
    /// chosen <paramref name="split"/> "2:15" of that measure), "Renumber" or "RenameCategory" (with <paramref name="title"/>).
    /// </summary>
    public async Task<IActionResult> OnPostEditAsync(string? op, int finding, string[]? split, string? title, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var stored = uploads.Open(caller.Scope.UserId, Id, Upload);
        BusinessRules.Check(new TheUploadIsStillThere(stored is not null));
        var edit = EditOf(op, finding, split, title);
        var kind = edit.Kind;
        var edits = stored!.Edits.Append(edit).ToList();

        // Applied to the file's draft first: an edit that does not fit is refused beside the preview and not kept.
        await using (var stream = System.IO.File.OpenRead(stored.Path))
        {
            if (await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken, edits) is null)
            {
                return NotFound();
            }
        }

        await uploads.SaveEditsAsync(stored, edits, cancellationToken);
        return Redirect(PreviewUrl(kind is IntakeEditKind.Renumber or IntakeEditKind.RenameCategory ? "structure" : $"f{(kind == IntakeEditKind.Demote ? Math.Max(1, finding - 1) : finding)}"));
    }

    /// <summary>Takes back the last edit, or all of them.</summary>
    public async Task<IActionResult> OnPostUndoAsync(bool all, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var stored = uploads.Open(caller.Scope.UserId, Id, Upload);
        BusinessRules.Check(new TheUploadIsStillThere(stored is not null));
        await uploads.SaveEditsAsync(stored!, all ? [] : [.. stored!.Edits.Take(Math.Max(0, stored.Edits.Count - 1))], cancellationToken);
        return Redirect(PreviewUrl("structure"));
    }

    /// <summary>A round summary's figures recorded against the inspection's round; the upload is then done with.</summary>
    public async Task<IActionResult> OnPostRecordRoundAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var stored = uploads.Open(caller.Scope.UserId, Id, Upload);
        BusinessRules.Check(new TheUploadIsStillThere(stored is not null));
        RoundStatisticsView? recorded;
        await using (var stream = System.IO.File.OpenRead(stored!.Path))
        {
            var preview = await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken);
            recorded = preview is null ? null : await rounds.RecordAsync(Id, preview.Draft, stored.FileName, cancellationToken);
        }

        if (recorded is null)
        {
            return NotFound();
        }

        uploads.Delete(stored);
        return this.DoneAt("已记录本轮巡察的统计数字（未导入任何问题）。", $"/inspections/{Id}#round-statistics");
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
            Preview = await imports.PreviewAsync(Id, stream, stored.FileName, Sheet, cancellationToken, stored.Edits);
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
            SheetsOnly = IntakeSources.Check(stream, stored.FileName);
        }

        return Page();
    }

    /// <summary>The edit a button names; refused (400) when it names none, or a split without a chosen place.</summary>
    private static IntakeEdit EditOf(string? op, int finding, string[]? split, string? title)
    {
        var parts = (op ?? string.Empty).Split(':', 2);
        var measure = parts.Length == 2 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (!Enum.TryParse<IntakeEditKind>(parts[0], ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || char.IsDigit(parts[0][0]))
        {
            throw BusinessRules.Refuse(new AnEditMustBeChosen("请选择要做的调整。"));
        }

        var at = 0;
        if (kind == IntakeEditKind.Split)
        {
            var chosen = (split ?? []).Select(v => v.Split(':', 2)).FirstOrDefault(v => v.Length == 2 && v[0] == measure.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (chosen is null || !int.TryParse(chosen[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out at))
            {
                throw BusinessRules.Refuse(new AnEditMustBeChosen($"请先在措施 {finding}.{measure} 的“拆分位置”中选择从哪里拆分。"));
            }
        }

        return new IntakeEdit(kind, finding, measure, at, title);
    }

    private sealed class AnEditMustBeChosen(string message) : Refused(message, Refusal.Invalid);

    private string PreviewUrl(string anchor) =>
        $"/inspections/{Id}/import?upload={Upload}" + (string.IsNullOrEmpty(Sheet) ? string.Empty : "&sheet=" + Uri.EscapeDataString(Sheet)) + "#" + anchor;

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
