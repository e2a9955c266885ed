using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Features.Common;

namespace Rectify.Features.Publications;

/// <summary>
/// 交办的意见建议: the opinions the office handed to the caller's unit (or a unit under it), for its reporter to look
/// into and say what was done (办理情况). The office then replies to the public; the unit never sees the sender's contact.
/// </summary>
public sealed class AssignedModel(Caller caller, OpinionService opinions) : PageModel, IShowsRefusals
{
    /// <summary>The page shown: the one asked for (<see cref="PageAsked"/>), or the last.</summary>
    public ListPage<AssignedOpinion> Opinions { get; private set; } = new([], 0, 1, OpinionService.PageSize);

    /// <summary>The opinions handed to the unit in all, even when <see cref="Only"/> shows one.</summary>
    public int All { get; private set; }

    public int Waiting { get; private set; }

    /// <summary>The page asked for, kept through the page's own forms (a posted "page" first, else the query's); clamped when shown.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageAsked { get; set; }

    /// <summary>Only this opinion (the hand-off notice's link names it).</summary>
    [BindProperty(SupportsGet = true, Name = "only")]
    public int? Only { get; set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    /// <summary>The 办理情况 just posted, by opinion, shown again when it was refused so nothing typed is lost.</summary>
    public (int Opinion, string? Response)? Typed { get; private set; }

    public async Task<IActionResult> OnPostRespondAsync(int opinion, int? version, string? response, CancellationToken cancellationToken)
    {
        Typed = (opinion, response);
        var result = await opinions.RespondAsUnitAsync(opinion, version, response, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        return this.Done(result, null, ("only", Only), ("page", PageAsked is > 1 ? PageAsked : null));
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        // Only a unit's reporter has opinions handed to it; anyone else is not shown the page.
        if (!caller.Scope.IsUnitReporter)
        {
            return NotFound();
        }

        (Opinions, All, Waiting) = await opinions.AssignedToUnitAsync(Paging.Clamped(PageAsked), cancellationToken, Only);
        return Page();
    }
}
