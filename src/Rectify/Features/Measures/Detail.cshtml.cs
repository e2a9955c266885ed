using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

public sealed class DetailModel(RectifyDbContext db, MeasureWorkflow workflow, TimeProvider clock) : PageModel
{
    public MeasureDetail? Measure { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>One step of the measure's life, from the buttons on this page.</summary>
    public async Task<IActionResult> OnPostActAsync(int id, string? action, string? reason, int? version, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var actor = new Actor(scope.UserId, User.FindFirst("display_name")?.Value ?? User.Identity?.Name ?? scope.UserId);
        var result = await workflow.ActAsync(scope, actor, id, action, reason, version, cancellationToken);
        if (result.Outcome == WorkflowOutcome.NotFound)
        {
            return NotFound();
        }

        if (result.Outcome == WorkflowOutcome.Done)
        {
            TempData["message"] = result.Message;
            return RedirectToPage(new { id });
        }

        Response.StatusCode = result.Outcome switch
        {
            WorkflowOutcome.Forbidden => StatusCodes.Status403Forbidden,
            WorkflowOutcome.BadRequest => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        };
        Error = result.Message;
        db.ChangeTracker.Clear();
        Today = ChinaTime.Today(clock);
        Measure = await MeasureQueries.LoadAsync(db, scope, id, Today, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Measure = await MeasureQueries.LoadAsync(db, AccessScope.From(User), id, Today, cancellationToken);
        Message = TempData["message"] as string;
        return Measure is null ? NotFound() : Page();
    }
}
