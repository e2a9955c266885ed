using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Admin;

/// <summary>
/// One account: the system administrator sets its organization, issues a password link (never a password), disables or
/// enables it; the security administrator grants roles and resets the second factor. Nobody changes their own account here.
/// </summary>
[Authorize(Policy = nameof(Permission.ViewAccounts))]
public sealed class UserDetailModel(
    RectifyDbContext db,
    UserManager<RectifyUser> users,
    UserAdministration administration,
    Caller caller,
    TimeProvider clock,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<SecurityPolicyOptions> policy) : PageModel
{
    public sealed record View(string Id, string UserName, string DisplayName, int? OrganizationId, string? Organization, IReadOnlyList<string> Roles, string State, bool TwoFactor);

    public View? Account { get; private set; }

    /// <summary>The person this account belongs to (a responsible leader approves their own measures with it), if any.</summary>
    public string? LinkedPerson { get; private set; }

    public IReadOnlyList<NewUserModel.OrganizationOption> Organizations { get; private set; } = [];

    /// <summary>The people (责任领导, 第一责任人) the account may belong to, with the one it belongs to now.</summary>
    public sealed record PersonOption(int Id, string Text, bool Linked);

    public IReadOnlyList<PersonOption> People { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>The password link just issued: shown in this response only.</summary>
    public PasswordLink? Link { get; private set; }

    public string? Error { get; private set; }

    /// <summary>
    /// The account holds the 整改办 role where no party organization is (its unit and those under it hold no 党委, 党组
    /// or 党工委): it sees no inspection and registers none. Said on the page, so that the administrator moves it to the
    /// party organization it works for.
    /// </summary>
    public bool OfficeWithoutCommittee { get; private set; }

    public bool CanManageAccounts => caller.May(Permission.ManageAccounts);

    public bool CanGrantRoles => caller.May(Permission.GrantRoles);

    public bool CanResetSecondFactor => caller.May(Permission.ResetSecondFactor);

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(id, cancellationToken);
    }

    public Task<IActionResult> OnPostOrganizationAsync(string id, int? organizationId, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            if (organizationId is not { } chosen || !await db.Organizations.AnyAsync(o => o.Id == chosen, cancellationToken))
            {
                throw new UserAdministrationException("请从列表中选择该账号所属的单位。");
            }

            await administration.SetOrganizationAsync(user, chosen);
            Message = "已设置单位。";
        }, cancellationToken);

    /// <summary>The account belongs to a person (or to nobody): as that person's account it approves the sign-off of the measures they answer for.</summary>
    public Task<IActionResult> OnPostPersonAsync(string id, int? personId, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            await administration.LinkPersonAsync(user, personId, cancellationToken);
            Message = personId is null ? "已取消对应人员。" : "已设置对应人员；该账号可审批此人作为责任领导的措施。";
        }, cancellationToken);

    /// <summary>A leader's account on the first day: a person named as the account, in its organization, linked to it (the plan finds them later by name).</summary>
    public Task<IActionResult> OnPostNewPersonAsync(string id, string? position, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            var name = await administration.LinkNewPersonAsync(user, position, cancellationToken);
            Message = $"已将账号对应到人员“{name}”；整改方案中填写的同名责任领导或第一责任人即此人。";
        }, cancellationToken);

    /// <summary>The current password stops working and the user sets a new one through a one-time link; the second factor stays.</summary>
    public Task<IActionResult> OnPostResetPasswordAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            var token = await administration.IssuePasswordLinkAsync(user, cancellationToken);
            Message = "已重置密码：原密码已失效，该用户的会话已结束。第二因素未改变。";
            Link = PasswordLink.For(Request, configuration, user, token, policy.Value.Password.InitialPasswordHours);
        }, cancellationToken);

    /// <summary>The security administrator's step (三员): the authenticator and recovery codes are cleared; the user enrols again at the next sign-in.</summary>
    public Task<IActionResult> OnPostResetSecondFactorAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, CanResetSecondFactor, async user =>
        {
            await administration.ResetSecondFactorAsync(user, cancellationToken);
            Message = "已重置第二因素：该用户的会话已结束，下次登录时须重新绑定身份验证器。密码未改变。";
        }, cancellationToken);

    /// <summary>停用, once the box saying so is ticked: the person's sessions end at once (a slip of the mouse must not lock someone out).</summary>
    public Task<IActionResult> OnPostDisableAsync(string id, bool confirmed, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            if (!confirmed)
            {
                throw new UserAdministrationException("请先勾选“确认停用”：停用后该用户的会话立即结束，不能再登录，直到再次启用。");
            }

            await administration.DisableAsync(user.UserName!);
            Message = "已停用；该用户已登录的会话将在一分钟内失效。";
        }, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(id, CanManageAccounts, async user =>
        {
            await administration.EnableAsync(user.UserName!);
            Message = "已启用。";
        }, cancellationToken);

    public Task<IActionResult> OnPostRolesAsync(string id, string[]? roles, CancellationToken cancellationToken) =>
        ActAsync(id, CanGrantRoles, async user =>
        {
            await administration.SetRolesAsync(user.UserName!, roles ?? []);
            Message = "已保存角色；该用户的会话将在一分钟内按新角色生效。";
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(string id, bool allowed, Func<RectifyUser, Task> act, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (!allowed || user is null)
        {
            return NotFound();
        }

        if (user.Id == users.GetUserId(User))
        {
            Error = "不能在这里修改自己的账号。";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return await ShowAsync(id, cancellationToken);
        }

        try
        {
            await act(user);
        }
        catch (UserAdministrationException e)
        {
            (Error, Message, Link) = (e.Message, null, null);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ShowAsync(id, cancellationToken);
        }

        // The one-time password link is shown in this answer only (never kept for a later reading); every other step
        // sends the browser back to the account, so that a reload does not take it again.
        return Link is null ? this.Done(Message) : await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var row = await UsersModel.Rows(db, db.Users.AsNoTracking().Where(u => u.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        Account = new View(row.Id, row.UserName!, row.DisplayName, row.OrganizationId, row.Organization, row.Roles, UsersModel.StateOf(row.LockoutEnd, row.MustChangePassword, row.HasPassword, now), row.TwoFactorEnabled);
        if (row.Roles.Contains(Roles.RectificationOffice))
        {
            var at = await db.Organizations.Where(o => o.Id == row.OrganizationId).Select(o => o.Path).SingleOrDefaultAsync(cancellationToken);
            // A query (EF Core translates StartsWith to a prefix match on the path, AccessQueries), never run in memory.
#pragma warning disable CA1310
            OfficeWithoutCommittee = at is null || !await db.Organizations.AnyAsync(o => o.Path.StartsWith(at) && o.Kind == Domain.OrganizationKind.PartyCommittee, cancellationToken);
#pragma warning restore CA1310
        }

        LinkedPerson = await db.People.AsNoTracking().Where(p => p.UserId == id).Select(p => p.Position == string.Empty ? p.Name : p.Name + "（" + p.Position + "）").FirstOrDefaultAsync(cancellationToken);
        if (CanManageAccounts)
        {
            Organizations = await NewUserModel.LoadOrganizationsAsync(db, cancellationToken);
            // The people of the account's organization and the units under it (a leader's account sits where they work).
            var path = await db.Organizations.Where(o => o.Id == row.OrganizationId).Select(o => o.Path).SingleOrDefaultAsync(cancellationToken) ?? "/";
            People = await db.People.AsNoTracking().Where(p => p.Organization.Path.StartsWith(path) || p.UserId == id).OrderBy(p => p.Organization.Path).ThenBy(p => p.Name)
                .Select(p => new PersonOption(p.Id, p.Name + "（" + (p.Position == string.Empty ? p.Organization.Name : p.Position + "，" + p.Organization.Name) + "）", p.UserId == id))
                .Take(500).ToListAsync(cancellationToken);
        }

        return Page();
    }
}
