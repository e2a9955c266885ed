using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Features.Common;

namespace Rectify.Features.Notifications;

/// <summary>消息: the person's in-app messages, newest first, with read and unread.</summary>
public sealed class InboxModel(Inbox inbox) : PageModel
{
    public ListPage<InboxMessage> Messages { get; private set; } = new([], 0, 1, Inbox.PageSize);

    public int Unread { get; private set; }

    public bool UnreadOnly { get; private set; }

    public async Task OnGetAsync(bool unread, int? page, CancellationToken cancellationToken)
    {
        UnreadOnly = unread;
        (Messages, Unread) = await inbox.PageAsync(unread, Paging.Clamped(page), cancellationToken);
    }

    /// <summary>Marks one message read and comes back to the list as it was shown (the filter and the page; the last page if that one emptied).</summary>
    public async Task<IActionResult> OnPostReadAsync(long? id, bool unread, int? page, CancellationToken cancellationToken)
    {
        if (id is not null)
        {
            await inbox.MarkReadAsync(id, cancellationToken);
        }

        // Built by hand: to RedirectToPage, a route value named "page" is the page to go to, not the list's page number.
        var query = new Dictionary<string, string?>
        {
            ["unread"] = unread ? "true" : null,
            ["page"] = page is > 1 ? Paging.Clamped(page).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        return LocalRedirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/inbox", query.Where(kv => kv.Value is not null)));
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await inbox.MarkReadAsync(null, cancellationToken);
        return RedirectToPage();
    }
}
