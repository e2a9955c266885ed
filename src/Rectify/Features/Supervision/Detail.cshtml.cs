using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Supervision;

/// <summary>One step of the ladder: a 督办单 with its items, reply and closing, or the record of a 约谈, 通报 or 问责.</summary>
public sealed class DetailModel(RectifyDbContext db, Caller caller, SupervisionService service, TimeProvider clock) : PageModel, IShowsRefusals
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public NoticeDetail? Notice { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public string? Typed { get; private set; }

    public bool CanReply => Notice is { Kind: SupervisionKind.Duban, State: SupervisionState.Open } n && caller.May(Permission.ReplyToSupervision, new MeasureParties(n.UnitPath));

    public bool CanClose => Notice is { Kind: SupervisionKind.Duban, State: SupervisionState.Replied } && caller.May(Permission.Supervise);

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = TempData["message"] as string;
        return ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostReplyAsync(string? reply, CancellationToken cancellationToken)
    {
        Typed = reply;
        return Done(await service.ReplyAsync(Id, reply, cancellationToken));
    }

    public async Task<IActionResult> OnPostCloseAsync(string? decision, string? note, CancellationToken cancellationToken) =>
        Done(await service.CloseAsync(Id, decision != "return", note, cancellationToken));

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private IActionResult Done(WorkflowResult result)
    {
        if (!result.Found)
        {
            return NotFound();
        }

        TempData["message"] = result.Message;
        return RedirectToPage(new { id = Id });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Notice = await SupervisionQueries.LoadAsync(db, caller.Scope, Id, cancellationToken);
        return Notice is null ? NotFound() : Page();
    }
}
