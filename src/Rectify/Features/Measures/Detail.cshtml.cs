using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
[RequestSizeLimit(MaxUpload)]
public sealed class DetailModel(RectifyDbContext db, MeasureWorkflow workflow, Evidence.ProgressReportService reports, Evidence.LookBackService lookBacks, TimeProvider clock) : PageModel
{
    /// <summary>The most a report's form may carry; each file is held to the configured per-file limit with a clear message.</summary>
    private const long MaxUpload = 256L * 1024 * 1024;

    public IReadOnlyList<ProgressReportView> Reports { get; private set; } = [];

    public bool CanReport { get; private set; }

    public bool CanReview => User.IsInRole(Roles.RectificationOffice);

    public IReadOnlyList<Evidence.LookBack> LookBacks { get; private set; } = [];

    /// <summary>The office schedules a look-back (回头看) of a signed-off measure: on the date given, or six months after sign-off.</summary>
    public async Task<IActionResult> OnPostScheduleLookBackAsync(int id, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        return await RespondAsync(id, await lookBacks.ScheduleAsync(scope, AccessScope.ActorOf(User), id, dueDate, cancellationToken), cancellationToken);
    }

    /// <summary>The office records what the look-back found: 巩固, or 反弹 with what was found (which reopens the measure).</summary>
    public async Task<IActionResult> OnPostLookBackAsync(int id, int lookBackId, string? result, string? finding, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        if (!Enum.TryParse<Evidence.LookBackResult>(result, out var parsed))
        {
            return await RespondAsync(id, new WorkflowResult(WorkflowOutcome.BadRequest, "请选择“巩固”或“反弹”。"), cancellationToken);
        }

        return await RespondAsync(id, await lookBacks.RecordAsync(scope, AccessScope.ActorOf(User), lookBackId, parsed, finding, cancellationToken), cancellationToken);
    }

    /// <summary>A unit reporter files progress (narrative, percent, effective date, evidence files).</summary>
    public async Task<IActionResult> OnPostReportAsync(int id, string? narrative, int? percent, DateOnly? effectiveDate, List<IFormFile>? files, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var actor = AccessScope.ActorOf(User);
        var incoming = (files ?? []).Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).Select(f => new Evidence.IncomingFile(f.FileName, f.OpenReadStream)).ToList();
        return await RespondAsync(id, await reports.FileAsync(scope, actor, id, narrative, percent ?? -1, effectiveDate, incoming, cancellationToken), cancellationToken);
    }

    /// <summary>The office accepts a report or returns it with a reason.</summary>
    public async Task<IActionResult> OnPostReviewAsync(int id, int reportId, string? decision, string? reason, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var actor = AccessScope.ActorOf(User);
        return await RespondAsync(id, await reports.ReviewAsync(scope, actor, reportId, decision == "accept", reason, cancellationToken), cancellationToken);
    }

    public MeasureDetail? Measure { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>One step of the measure's life, from the buttons on this page.</summary>
    public async Task<IActionResult> OnPostActAsync(int id, string? action, string? reason, int? version, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var actor = AccessScope.ActorOf(User);
        return await RespondAsync(id, await workflow.ActAsync(scope, actor, id, action, reason, version, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> RespondAsync(int id, WorkflowResult result, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        if (result.Outcome == WorkflowOutcome.NotFound)
        {
            return NotFound();
        }

        if (result.Outcome == WorkflowOutcome.Done)
        {
            TempData["message"] = result.Message;
            return RedirectToPage(new { id });
        }

        Response.StatusCode = result.StatusCode;
        Error = result.Message;
        db.ChangeTracker.Clear();
        Today = ChinaTime.Today(clock);
        Measure = await MeasureQueries.LoadAsync(db, scope, id, Today, cancellationToken);
        if (Measure is null)
        {
            return NotFound();
        }

        await LoadReportsAsync(scope, cancellationToken);
        return Page();
    }

    private async Task LoadReportsAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        if (Measure is null)
        {
            return;
        }

        Reports = await MeasureQueries.ReportsAsync(db, Measure.Id, cancellationToken);
        LookBacks = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.LookBacks.Where(l => l.MeasureId == Measure.Id).OrderByDescending(l => l.Id)), cancellationToken);
        var leadPath = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Measures.Where(m => m.Id == Measure.Id).Select(m => m.LeadUnit == null ? null : m.LeadUnit.Path), cancellationToken);
        CanReport = scope.Roles.Contains(Roles.UnitReporter) && MeasureWorkflow.LeadUnitIsCallers(scope, leadPath)
            && Measure.State is MeasureState.InProgress or MeasureState.Ongoing;
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        var scope = AccessScope.From(User);
        Measure = await MeasureQueries.LoadAsync(db, scope, id, Today, cancellationToken);
        Message = TempData["message"] as string;
        await LoadReportsAsync(scope, cancellationToken);
        return Measure is null ? NotFound() : Page();
    }
}
