using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

public sealed class OverviewModel(RectifyDbContext db, Caller caller, ReportingCadenceService cadences, TimeProvider clock) : PageModel, IShowsRefusals
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public InspectionOverview? Overview { get; private set; }

    /// <summary>Public opinions on the inspection's notice: all of them, and those not yet replied to or closed.</summary>
    public (int Total, int Open) Opinions { get; private set; }

    /// <summary>The office sets the inspection's 报送周期.</summary>
    public bool CanSetCadence => caller.May(Permission.SetReportingCadence);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    /// <summary>The office sets the 报送周期 (see <see cref="ReportingCadenceService"/>).</summary>
    public async Task<IActionResult> OnPostCadenceAsync(ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        var result = await cadences.SetAsync(Id, cadence, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        Message = result.Message;
        return await ShowAsync(cancellationToken);
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Overview = await OverviewQueries.LoadAsync(db, caller.Scope, Id, ChinaTime.Today(clock), cancellationToken);
        if (Overview is null)
        {
            return NotFound();
        }

        // 意见建议 on the public notice: how many came in and how many still wait for the office.
        var opinions = await db.PublicOpinions.Where(o => o.InspectionId == Id).GroupBy(o => o.State == OpinionState.Received || o.State == OpinionState.Assigned)
            .Select(g => new { Open = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        Opinions = (opinions.Sum(o => o.Count), opinions.Where(o => o.Open).Sum(o => o.Count));
        return Page();
    }
}
