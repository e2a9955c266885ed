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

    public async Task<IActionResult> OnPostReadAsync(long? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return RedirectToPage();
        }

        await inbox.MarkReadAsync(id, cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await inbox.MarkReadAsync(null, cancellationToken);
        return RedirectToPage();
    }
}
