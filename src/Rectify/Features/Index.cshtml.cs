using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Common;
using Rectify.Features.Inspections;

namespace Rectify.Features;

public sealed class IndexModel(RectifyDbContext db, Caller caller) : PageModel
{
    private const int PageSize = 50;

    /// <summary>The page of inspections shown, newest feedback first.</summary>
    public ListPage<InspectionSummary> Inspections { get; private set; } = new([], 0, 1, PageSize);

    public bool CanRegister => caller.May(Permission.RegisterInspection);

    /// <summary>Whether the caller reads rectification content at all (the 三员 do not): else the page says where their work is.</summary>
    public bool ReadsRectification => caller.Scope.ReadsRectification;

    /// <summary>
    /// Why a caller who reads no rectification content sees none, in the words the home page says it: an account not yet
    /// granted a role (the usual first day: the system administrator made it, the security administrator has not granted
    /// yet), or one of the 三员, who never read it. (A business role always comes with an organization: UserAdministration
    /// refuses one without.)
    /// </summary>
    public string NoContentReason => caller.Scope switch
    {
        { Roles.Count: 0 } => "您的账号还没有分配角色，暂时看不到整改内容。请联系安全管理员授予角色，授予后重新登录即可。",
        _ => "三员（系统管理员、安全管理员、审计管理员）不查看整改内容，这里不列出巡察。",
    };

    public bool MayViewAccounts => caller.May(Permission.ViewAccounts);

    public bool MayManageNotifications => caller.May(Permission.ManageNotifications);

    public bool MayReadAuditLog => caller.May(Permission.ReadAuditLog);

    public async Task OnGetAsync(int? page, CancellationToken cancellationToken)
    {
        var scope = caller.Scope;
        if (!scope.ReadsRectification)
        {
            return;
        }

        Inspections = await LedgerQueries.InspectionsInOrder(db, scope)
            .ToListPageAsync(Paging.Clamped(page), PageSize, inspections => LedgerQueries.Summaries(db, scope, inspections), cancellationToken);
    }
}
