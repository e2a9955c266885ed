using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

public sealed class DetailModel(RectifyDbContext db, TimeProvider clock) : PageModel
{
    public MeasureDetail? Measure { get; private set; }

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Measure = await MeasureQueries.LoadAsync(db, AccessScope.From(User), id, Today, cancellationToken);
        return Measure is null ? NotFound() : Page();
    }
}
