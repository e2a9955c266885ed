using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Plans;

/// <summary>
/// 登记巡察: the office brings its own inspection in — who inspected whom, when, and what else the inspection reached;
/// or the inspection body registers one it carried out, of an organization it oversees (<see cref="PlanService.InspectableOrganizations"/>).
/// </summary>
[Authorize(Policy = nameof(Access.Permission.RegisterInspection))]
public sealed class NewInspectionModel(PlanService plans, Access.Caller caller, Data.RectifyDbContext db) : PageModel, IShowsRefusals
{
    /// <summary>Whether the caller registers as the inspection body (the team is its own organization or one under it).</summary>
    public bool AsInspectionBody => !caller.May(Access.Permission.ManagePlan);

    public IReadOnlyList<Choice> Organizations { get; private set; } = [];

    public string? Error { get; private set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public InspectionKind Kind { get; set; }

    [BindProperty]
    public string? Round { get; set; }

    [BindProperty]
    public string? Team { get; set; }

    [BindProperty]
    public int? InspectedOrganizationId { get; set; }

    [BindProperty]
    public string? ExtendedScope { get; set; }

    [BindProperty]
    public DateOnly? OnSiteFrom { get; set; }

    [BindProperty]
    public DateOnly? OnSiteTo { get; set; }

    [BindProperty]
    public DateOnly? FeedbackDate { get; set; }

    /// <summary>The teams the caller may mean, offered as the 巡察组 field's suggestions (any other name may still be typed).</summary>
    public IReadOnlyList<string> KnownTeams { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (AsInspectionBody && caller.Scope.OrganizationId is { } own)
        {
            Team = await db.Organizations.Where(o => o.Id == own).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken);
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await plans.CreateInspectionAsync(new InspectionInput(Title, Kind, Round, Team, InspectedOrganizationId, ExtendedScope, OnSiteFrom, OnSiteTo, FeedbackDate), cancellationToken);
        return this.DoneAt(result.Message, $"/inspections/{result.Id}/plan");
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Organizations = await plans.InspectableOrganizations().OrderBy(o => o.Path).Take(PlanQueries.MaxChoices).Select(o => new Choice(o.Id, o.Name)).ToListAsync(cancellationToken);
        KnownTeams = await plans.KnownTeamsAsync(cancellationToken);
        return Page();
    }
}
