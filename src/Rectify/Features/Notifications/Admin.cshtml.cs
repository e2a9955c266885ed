using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Features.Common;

namespace Rectify.Features.Notifications;

/// <summary>通知渠道 for the system administrator: which channels are set up (never a secret) and the dead-letter list with 重新发送.</summary>
[Authorize(Policy = nameof(Permission.ManageNotifications))]
public sealed class AdminModel(NotificationAdministration administration, IOptions<NotificationOptions> options) : PageModel, IShowsRefusals
{
    public NotificationOptions Settings => options.Value;

    public ListPage<DeadLetter> DeadLetters { get; private set; } = new([], 0, 1, NotificationAdministration.PageSize);

    [TempData]
    public int? Resent { get; set; }

    public string? Refusal { get; private set; }

    public async Task OnGetAsync(int? page, CancellationToken cancellationToken)
    {
        DeadLetters = await administration.DeadLettersAsync(Paging.Clamped(page), cancellationToken);
    }

    public async Task<IActionResult> OnPostResendAsync(long? id, CancellationToken cancellationToken)
    {
        Resent = await administration.ResendAsync(id is { } one ? [one] : [], cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Refusal = message;
        await OnGetAsync(1, cancellationToken);
        return Page();
    }
}
