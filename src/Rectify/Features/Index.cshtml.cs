using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Inspections;

namespace Rectify.Features;

public sealed class IndexModel(RectifyDbContext db, Caller caller) : PageModel
{
    private const int PageSize = 50;

    public IReadOnlyList<InspectionSummary> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public bool CanRegister => caller.May(Permission.RegisterInspection);

    /// <summary>Whether the caller reads rectification content at all (the 三员 do not): else the page says where their work is.</summary>
    public bool ReadsRectification => caller.Scope.ReadsRectification;

    public bool MayViewAccounts => caller.May(Permission.ViewAccounts);

    public bool MayManageNotifications => caller.May(Permission.ManageNotifications);

    public bool MayReadAuditLog => caller.May(Permission.ReadAuditLog);

    public async Task OnGetAsync(int? page, CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, page ?? 1);
        var scope = caller.Scope;
        if (!scope.ReadsRectification)
        {
            return;
        }

        Total = await db.VisibleInspections(scope).CountAsync(cancellationToken);
        Items = await LedgerQueries.PageOfSummariesAsync(db, scope, PageNumber, PageSize, cancellationToken);
    }
}
