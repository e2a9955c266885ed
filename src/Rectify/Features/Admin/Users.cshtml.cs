using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Admin;

/// <summary>The accounts, for the system administrator (who manages them) and the security administrator (who grants roles).</summary>
[Authorize(Policy = nameof(Permission.ViewAccounts))]
public sealed class UsersModel(RectifyDbContext db, Caller caller, TimeProvider clock) : PageModel
{
    private const int PageSize = 50;

    public sealed record Row(string Id, string UserName, string DisplayName, string? Organization, IReadOnlyList<string> Roles, string State, bool TwoFactor);

    /// <summary>The page of accounts shown, by user name.</summary>
    public ListPage<Row> Users { get; private set; } = new([], 0, 1, PageSize);

    public string? Query { get; private set; }

    public bool CanManageAccounts => caller.May(Permission.ManageAccounts);

    public async Task OnGetAsync(string? q, int? page, CancellationToken cancellationToken)
    {
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        var users = db.Users.AsNoTracking();
        if (Query is { } text)
        {
            users = users.Where(u => u.UserName!.Contains(text) || u.DisplayName.Contains(text));
        }

        var now = clock.GetUtcNow();
        Users = (await users.OrderBy(u => u.UserName).ToListPageAsync(Paging.Clamped(page), PageSize, accounts => Rows(db, accounts), cancellationToken))
            .Select(u => new Row(u.Id, u.UserName!, u.DisplayName, u.Organization, u.Roles, StateOf(u.LockoutEnd, u.MustChangePassword, u.HasPassword, now), u.TwoFactorEnabled));
    }

    internal sealed record UserRow(string Id, string? UserName, string DisplayName, int? OrganizationId, string? Organization, List<string> Roles, DateTimeOffset? LockoutEnd, bool MustChangePassword, bool TwoFactorEnabled, bool HasPassword);

    /// <summary>One projection of an account for both administration pages: its organization's name and its roles in the same query.</summary>
    internal static IQueryable<UserRow> Rows(RectifyDbContext db, IQueryable<RectifyUser> users) =>
        users.Select(u => new UserRow(
            u.Id,
            u.UserName,
            u.DisplayName,
            u.OrganizationId,
            db.Organizations.Where(o => o.Id == u.OrganizationId).Select(o => o.Name).FirstOrDefault(),
            db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            u.LockoutEnd,
            u.MustChangePassword,
            u.TwoFactorEnabled,
            u.PasswordHash != null));

    /// <summary>
    /// An account's state in words. One made on the page has no password until its one-time link is used: it is waiting
    /// for its owner, not 正常, and the administrator can see who has not set one yet.
    /// </summary>
    internal static string StateOf(DateTimeOffset? lockoutEnd, bool mustChange, bool hasPassword, DateTimeOffset now) =>
        lockoutEnd == DateTimeOffset.MaxValue ? "已停用"
        : lockoutEnd is { } end && end > now ? "已锁定"
        : !hasPassword ? "待设置密码（链接未使用）"
        : mustChange ? "待修改初始密码"
        : "正常";
}
