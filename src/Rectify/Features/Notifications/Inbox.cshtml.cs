using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rectify.Features.Notifications;

/// <summary>消息: the person's in-app messages, newest first, with read and unread.</summary>
public sealed class InboxModel(Inbox inbox) : PageModel
{
    public IReadOnlyList<InboxMessage> Messages { get; private set; } = [];

    public int Total { get; private set; }

    public int Unread { get; private set; }

    public bool UnreadOnly { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount => Math.Max(1, (Total + Inbox.PageSize - 1) / Inbox.PageSize);

    public async Task OnGetAsync(bool unread, [FromQuery(Name = "page")] int? page, CancellationToken cancellationToken)
    {
        UnreadOnly = unread;
        PageNumber = Math.Max(1, page ?? 1);
        (Messages, Total, Unread) = await inbox.PageAsync(unread, PageNumber, cancellationToken);
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
