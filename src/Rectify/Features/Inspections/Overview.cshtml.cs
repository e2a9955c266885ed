using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

public sealed class OverviewModel(RectifyDbContext db, ReportingCadenceService cadences, TimeProvider clock) : PageModel
{
    public InspectionOverview? Overview { get; private set; }

    /// <summary>The office sets the inspection's 报送周期.</summary>
    public bool CanSetCadence => User.IsInRole(Roles.RectificationOffice);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Overview = await OverviewQueries.LoadAsync(db, AccessScope.From(User), id, ChinaTime.Today(clock), cancellationToken);
        return Overview is null ? NotFound() : Page();
    }

    /// <summary>The office sets the 报送周期 (see <see cref="ReportingCadenceService"/>).</summary>
    public async Task<IActionResult> OnPostCadenceAsync(int id, ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var result = await cadences.SetAsync(scope, id, cadence, cancellationToken);
        if (result.Outcome == Measures.WorkflowOutcome.NotFound)
        {
            return NotFound();
        }

        Response.StatusCode = result.StatusCode;
        (Message, Error) = (result.Notice, result.Problem);
        Overview = await OverviewQueries.LoadAsync(db, scope, id, ChinaTime.Today(clock), cancellationToken);
        return Page();
    }
}
