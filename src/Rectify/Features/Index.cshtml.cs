using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;

namespace Rectify.Features;

public sealed class IndexModel(RectifyDbContext db, Caller caller, AnswerCache answers, TimeProvider clock) : PageModel
{
    /// <summary>The page of inspections shown, newest feedback first, each with its figures.</summary>
    public ListPage<InspectionFigures> Inspections { get; private set; } = new([], 0, 1, InspectionList.PageSize);

    /// <summary>The feedback years of the inspections the caller sees, newest first (the 年度 choice).</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    /// <summary>What the list is narrowed to (关键词, 年度), as asked and normalized.</summary>
    public InspectionListFilter Filter { get; private set; } = new();

    /// <summary>The list's export (Excel) with the same filter.</summary>
    public string ExportUrl => "/api/v1/inspections/figures.xlsx" + Query(page: null);

    /// <summary>The list's query string with the filter, and a page when given.</summary>
    public string Query(int? page) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(string.Empty, new Dictionary<string, string?>
    {
        ["q"] = Filter.Query,
        ["year"] = Filter.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["page"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null));

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

    /// <summary>News a change left for this page (a registration deleted), or null.</summary>
    public string? Message { get; private set; }

    public async Task OnGetAsync(int? page, string? q, int? year, CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        var scope = caller.Scope;
        Filter = new InspectionListFilter(q, year).Normalized();
        if (!scope.ReadsRectification)
        {
            return;
        }

        // The page shown is within the list (the last when asked past it), counted first: one kept answer a page shown.
        var total = await InspectionList.CountAsync(db, scope, Filter, cancellationToken);
        var shown = Paging.Within(Paging.Clamped(page), total, InspectionList.PageSize);
        var kept = await answers.KeptInspectionListAsync(db, scope, Filter, shown, total, InspectionList.PageSize, ChinaTime.Today(clock), cancellationToken);
        (Inspections, Years) = (kept.Value.Page, kept.Value.Years);
        if (Inspections.Total == 0 && Filter.IsUnfiltered && scope.IsInspectionBody && !scope.SeesWholeOrganization)
        {
            InspectionBody = await db.Organizations.Where(o => o.Id == scope.OrganizationId).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken);
        }
    }

    /// <summary>
    /// An inspection body's own unit, when it sees no inspection yet: the page says what it sees (what the unit and the
    /// teams under it carried out) instead of only inviting it to register one, which a team placed beside the unit would
    /// make a second registration of an inspection the office already has.
    /// </summary>
    public string? InspectionBody { get; private set; }
}
