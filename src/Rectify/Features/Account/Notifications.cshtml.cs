using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Features.Common;
using Rectify.Features.Notifications;

namespace Rectify.Features.Account;

/// <summary>通知设置 on the account: email on or off and its address, each reminder or a daily digest, quiet hours.</summary>
public sealed class NotificationsModel(PreferenceService preferences) : PageModel, IShowsRefusals
{
    public PreferenceView Current { get; private set; } = null!;

    public string? Refusal { get; private set; }

    [TempData]
    public bool Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Current = await preferences.GetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(bool emailEnabled, string? emailAddress, string? mode, string? quietFrom, string? quietUntil, CancellationToken cancellationToken)
    {
        await preferences.SetAsync(emailEnabled, emailAddress, mode == "digest", quietFrom, quietUntil, cancellationToken);
        Saved = true;
        return RedirectToPage();
    }

    public async Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Refusal = message;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
