using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

public sealed class OverviewModel(RectifyDbContext db, TimeProvider clock) : PageModel
{
    public InspectionOverview? Overview { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Overview = await OverviewQueries.LoadAsync(db, AccessScope.From(User), id, ChinaTime.Today(clock), cancellationToken);
        return Overview is null ? NotFound() : Page();
    }
}
