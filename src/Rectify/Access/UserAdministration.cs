using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Access;

/// <summary>A request about a user that cannot be done; the message says why, in the user's language.</summary>
public sealed class UserAdministrationException : Exception
{
    public UserAdministrationException(string message)
        : base(message)
    {
    }

    public UserAdministrationException()
    {
    }

    public UserAdministrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Creating, disabling and resetting users, for the command line and the administration pages alike.</summary>
public sealed class UserAdministration(
    RectifyDbContext db,
    UserManager<RectifyUser> users,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    TimeProvider clock,
    DenialAudit denials,
    IHttpContextAccessor http,
    Microsoft.Extensions.Options.IOptions<SecurityPolicyOptions> policy)
{
    /// <summary>Creates a user with roles at an organization, audited in the same transaction.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <param name="displayName">The name shown in pages and history.</param>
    /// <param name="organization">The organization's id or name; required for business roles.</param>
    /// <param name="roleNames">Code names or Chinese labels of the roles.</param>
    /// <param name="password">The password, checked against the policy; null for none (the user sets their own through a <see cref="IssuePasswordLinkAsync">one-time link</see>).</param>
    /// <param name="cancellationToken">Cancels before anything is committed.</param>
    /// <param name="initialPassword">True (the default) when an administrator chose the password: the user must change it at the first sign-in.</param>
    public async Task<RectifyUser> CreateAsync(string userName, string? displayName, string? organization, IReadOnlyCollection<string> roleNames, string? password, CancellationToken cancellationToken, bool initialPassword = true)
    {
        ArgumentNullException.ThrowIfNull(roleNames);
        var parsed = roleNames.Select(r => Roles.Parse(r) ?? throw new UserAdministrationException(
            $"未知角色“{r}”。可选：{string.Join("、", Roles.All.Select(x => $"{x}（{Roles.Label(x)}）"))}。")).Distinct().ToList();
        if (Roles.CombinationProblem(parsed) is { } problem)
        {
            throw new UserAdministrationException(problem);
        }

        int? organizationId = null;
        if (!string.IsNullOrWhiteSpace(organization))
        {
            organizationId = await FindOrganizationAsync(organization, cancellationToken);
        }
        else if (parsed.Count > 0 && parsed.Any(r => !Roles.Administrators.Contains(r)))
        {
            throw new UserAdministrationException("业务角色在其所属单位范围内有效：请用 --org 指定单位（编号或名称）。");
        }

        // Part of the caller's transaction when there is one (the demo's import); else one of its own.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var user = new RectifyUser
        {
            UserName = userName,
            DisplayName = Rectify.Domain.PlainText.Line(displayName) ?? userName,
            OrganizationId = organizationId,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            MustChangePassword = initialPassword && password is not null,
        };
        Check(password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password), "无法创建用户");
        foreach (var role in parsed)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), "无法创建角色");
            }
        }

        if (parsed.Count > 0)
        {
            Check(await users.AddToRolesAsync(user, parsed), "无法分配角色");
        }

        await audit.RecordAsync(
            new AuditEvent(AuditActions.UserCreated, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName, user.DisplayName, user.OrganizationId, Roles = parsed }),
            cancellationToken: cancellationToken);

        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>A disabled account is locked without end (<see cref="DisableAsync"/>); a lockout after wrong passwords ends after minutes.</summary>
    public static bool IsDisabled(RectifyUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsDisabled(user.LockoutEnd);
    }

    /// <inheritdoc cref="IsDisabled(RectifyUser)"/>
    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { Year: >= 9999 };

    /// <summary>Disables sign-in for good and ends the user's sessions within a minute (the security stamp changes).</summary>
    public async Task DisableAsync(string userName)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"用户“{userName}”不存在。");
        await using var transaction = await db.Database.BeginTransactionAsync();
        await KeepAnAdministratorAsync(transaction, user, await users.GetRolesAsync(user), "停用", AuditActions.UserDisableRefused);
        Check(await users.SetLockoutEnabledAsync(user, true), "无法停用用户");
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "无法停用用户");
        Check(await users.UpdateSecurityStampAsync(user), "无法停用用户");
        await audit.RecordAsync(new AuditEvent(AuditActions.UserDisabled, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName }));
        await transaction.CommitAsync();
    }

    /// <summary>Sets a new password and ends the user's sessions within a minute.</summary>
    public async Task ResetPasswordAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"用户“{userName}”不存在。");
        await using var transaction = await db.Database.BeginTransactionAsync();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        user.MustChangePassword = true;
        Check(await users.ResetPasswordAsync(user, token, password), "无法重置密码");
        await audit.RecordAsync(new AuditEvent(AuditActions.PasswordReset, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName }));
        await transaction.CommitAsync();
    }

    /// <summary>
    /// A password reset that no administrator can read back: the current password stops working at once (and the user's
    /// sessions end), and a one-time link lets the user set their own. The link's token is 256 random bits; only its
    /// SHA-256 digest and its expiry (<see cref="PasswordPolicy.InitialPasswordHours"/>) are kept, in the user's tokens.
    /// It is void once used or once another link is issued; a role or organization change in between does not void it.
    /// The second factor is left as it is: whoever holds the link still needs the user's authenticator.
    /// </summary>
    /// <returns>The token for <see cref="PasswordLinkPath"/>; shown once to the administrator, to hand over sealed.</returns>
    public async Task<string> IssuePasswordLinkAsync(RectifyUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);

        // Part of the caller's transaction when there is one (a new account and its link); else one of its own.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (await users.HasPasswordAsync(user))
        {
            // Removing the password changes the security stamp: every open session ends.
            Check(await users.RemovePasswordAsync(user), "无法重置密码");
        }

        user.MustChangePassword = false;
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow().AddHours(policy.Value.Password.InitialPasswordHours);
        Check(await users.SetAuthenticationTokenAsync(user, LinkProvider, LinkName, Digest(user.Id, token) + "|" + expires.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)), "无法重置密码");
        await audit.RecordAsync(new AuditEvent(AuditActions.PasswordLinkIssued, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName, ExpiresAtUtc = expires.UtcDateTime }), cancellationToken: cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return token;
    }

    /// <summary>The path of the page where the user sets their password with a link's token.</summary>
    public static string PasswordLinkPath(RectifyUser user, string token)
    {
        ArgumentNullException.ThrowIfNull(user);
        return "/Account/SetPassword?user=" + Uri.EscapeDataString(user.Id) + "&token=" + Uri.EscapeDataString(token);
    }

    /// <summary>Whether the token is the user's current, unexpired, unused link (and the account is not disabled).</summary>
    public async Task<bool> PasswordLinkIsValidAsync(RectifyUser user, string token)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(token) || token.Length > 100 || IsDisabled(user))
        {
            return false;
        }

        var stored = (await users.GetAuthenticationTokenAsync(user, LinkProvider, LinkName))?.Split('|');
        return stored is [var digest, var ticks]
            && long.TryParse(ticks, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().UtcTicks < expires
            && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(digest), System.Text.Encoding.ASCII.GetBytes(Digest(user.Id, token)));
    }

    /// <summary>Sets the user's own password with a link's token; refused (nothing written) when the token is spent, stale or forged, or the password breaks the policy.</summary>
    public async Task SetPasswordByLinkAsync(string userId, string token, string password, CancellationToken cancellationToken)
    {
        const string Invalid = "链接无效或已过期，请联系系统管理员重新签发。";
        var user = await users.FindByIdAsync(userId) ?? throw new UserAdministrationException(Invalid);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await PasswordLinkIsValidAsync(user, token))
        {
            throw new UserAdministrationException(Invalid);
        }

        if (await users.HasPasswordAsync(user))
        {
            Check(await users.RemovePasswordAsync(user), "无法设置密码");
        }

        var result = await users.AddPasswordAsync(user, password);
        if (!result.Succeeded)
        {
            throw new UserAdministrationException(string.Join("；", result.Errors.Select(e => e.Description)));
        }

        // Good once: the link goes with its use, and the new stamp ends any session opened before.
        Check(await users.RemoveAuthenticationTokenAsync(user, LinkProvider, LinkName), "无法设置密码");
        Check(await users.UpdateSecurityStampAsync(user), "无法设置密码");
        Check(await users.ResetAccessFailedCountAsync(user), "无法设置密码");
        await audit.RecordAsync(new AuditEvent(AuditActions.PasswordSetByLink, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName }), new AuditActor(user.Id, user.DisplayName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private const string LinkProvider = "[Rectify]";
    private const string LinkName = "PasswordLink";

    private static string Digest(string userId, string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("rectify-password-link:" + userId + ":" + token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The security administrator's step (三员: not the system administrator's): the user's authenticator, its key and
    /// the recovery codes are cleared, every session ends, and the user enrols afresh at the next sign-in. The password
    /// is left as it is.
    /// </summary>
    public async Task ResetSecondFactorAsync(RectifyUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var had = user.TwoFactorEnabled;
        user.LastOneTimeCodeStep = null;
        Check(await users.SetTwoFactorEnabledAsync(user, false), "无法重置第二因素");
        Check(await users.ResetAuthenticatorKeyAsync(user), "无法重置第二因素");
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        Check(await users.UpdateSecurityStampAsync(user), "无法重置第二因素");
        await audit.RecordAsync(new AuditEvent(AuditActions.SecondFactorReset, ObjectType: "User", ObjectId: user.Id, Before: new { TwoFactor = had }, After: new { user.UserName, TwoFactor = false }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Lets a disabled user sign in again.</summary>
    public async Task EnableAsync(string userName)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"用户“{userName}”不存在。");
        await using var transaction = await db.Database.BeginTransactionAsync();
        Check(await users.SetLockoutEndDateAsync(user, null), "无法启用用户");
        Check(await users.ResetAccessFailedCountAsync(user), "无法启用用户");
        await audit.RecordAsync(new AuditEvent(AuditActions.UserEnabled, ObjectType: "User", ObjectId: user.Id, After: new { user.UserName }));
        await transaction.CommitAsync();
    }

    /// <summary>Replaces the user's roles; their sessions pick the change up within a minute.</summary>
    public async Task SetRolesAsync(string userName, IReadOnlyCollection<string> roleNames)
    {
        ArgumentNullException.ThrowIfNull(roleNames);
        var user = await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"用户“{userName}”不存在。");
        var refusal = roleNames.FirstOrDefault(r => Roles.Parse(r) is null) is { } unknown ? $"未知角色“{unknown}”。" : null;
        var wanted = roleNames.Select(Roles.Parse).OfType<string>().Distinct().ToList();
        refusal ??= Roles.CombinationProblem(wanted)
            ?? (user.OrganizationId is null && wanted.Any(r => !Roles.Administrators.Contains(r)) ? "业务角色在其所属单位范围内有效：请先为该用户设置单位。" : null);
        if (refusal is not null)
        {
            // A refused role change is itself a security event: recorded (no transaction is open yet), then refused.
            await denials.WriteAsync(http.HttpContext, new Denial(AuditActions.UserRolesRefused, $"{string.Join(",", roleNames.Order(StringComparer.Ordinal))}: {refusal}", "User", user.Id));
            throw new UserAdministrationException(refusal);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var current = await users.GetRolesAsync(user);
        await KeepAnAdministratorAsync(transaction, user, current.Except(wanted), "移除这一角色", AuditActions.UserRolesRefused);
        foreach (var role in wanted.Where(r => !current.Contains(r)))
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), "无法创建角色");
            }
        }

        Check(await users.RemoveFromRolesAsync(user, current.Except(wanted)), "无法移除角色");
        Check(await users.AddToRolesAsync(user, wanted.Except(current)), "无法分配角色");
        Check(await users.UpdateSecurityStampAsync(user), "无法分配角色");
        await audit.RecordAsync(new AuditEvent(AuditActions.UserRolesChanged, ObjectType: "User", ObjectId: user.Id, Before: new { Roles = current.Order() }, After: new { Roles = wanted.Order() }));
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Refuses (audited as <paramref name="refusedAs"/>: a refused role change or a refused 停用) to take the last account in use (not disabled, its password set) of a 三员 role out of it — by
    /// removing the role or disabling the account — since only the server's command line could then give it back. Read
    /// inside the caller's transaction, under a lock on the 三员 roles (SQLite's transaction holds the writer; PostgreSQL
    /// takes an advisory lock), so that two such steps — one account's role removed while the other is disabled — cannot
    /// both pass; the refusal is recorded after that transaction is rolled back, in one of its own.
    /// </summary>
    private async Task KeepAnAdministratorAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, RectifyUser user, IEnumerable<string> losing, string step, string refusedAs)
    {
        var administrative = losing.Where(Roles.Administrators.Contains).ToList();
        if (administrative.Count > 0)
        {
            await TransactionLocks.HoldAsync(db, TransactionLocks.Kind.AdministratorRoles, 0, CancellationToken.None);
        }

        foreach (var role in administrative)
        {
            var holders = await users.GetUsersInRoleAsync(role);
            // Another holder counts when it can sign in: not disabled, and with a password (an account made on the page has
            // none until its owner uses the one-time link, which may never happen).
            if (!holders.Any(u => u.Id != user.Id && !IsDisabled(u) && u.PasswordHash is not null))
            {
                var refusal = $"“{user.UserName}”是唯一在用的{Roles.Label(role)}，不能{step}：须先由安全管理员把{Roles.Label(role)}角色授予另一个在用的账号（已设置密码、未停用）。";
                await transaction.RollbackAsync();
                await denials.WriteAsync(http.HttpContext, new Denial(refusedAs, refusal, "User", user.Id));
                throw new UserAdministrationException(refusal);
            }
        }
    }

    public async Task SetOrganizationAsync(RectifyUser user, int organizationId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var before = user.OrganizationId;
        user.OrganizationId = organizationId;
        Check(await users.UpdateAsync(user), "无法设置单位");
        Check(await users.UpdateSecurityStampAsync(user), "无法设置单位");
        await audit.RecordAsync(new AuditEvent(
            AuditActions.UserOrganizationChanged, ObjectType: "User", ObjectId: user.Id, Before: new { OrganizationId = before }, After: new { user.OrganizationId }));
    }

    /// <summary>
    /// Makes the account the person's (a responsible leader approves their own measures' sign-off with it), or
    /// nobody's with a null person. One account is one person: a link elsewhere moves. One transaction, audited.
    /// </summary>
    public async Task LinkPersonAsync(RectifyUser user, int? personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (personId is not null)
        {
            await RefuseAPersonToAnAdministratorAsync(user);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var linked = await db.People.Where(p => p.UserId == user.Id).ToListAsync(cancellationToken);
        // Only a person of the account's own organization or a unit under it (the people the page offers): another tree's
        // person would send that tree's approvals and notices to this account.
        var path = user.OrganizationId is { } organizationId ? await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Path).SingleAsync(cancellationToken) : null;
        var person = personId is { } id
            ? await db.People.Include(p => p.Organization).SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } found && (found.UserId == user.Id || (path is not null && found.Organization.Path.StartsWith(path, StringComparison.Ordinal)))
                ? found
                : throw new UserAdministrationException($"人员编号 {id} 不存在，或不在该账号的单位及其下属单位中。")
            : null;
        if (person is { UserId: { } other } && other != user.Id)
        {
            throw new UserAdministrationException($"“{person.Name}”已对应另一个账号，请先在那个账号上取消对应。");
        }

        foreach (var p in linked.Where(p => p.Id != person?.Id))
        {
            p.LinkAccount(null);
        }

        person?.LinkAccount(user.Id);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.UserPersonLinked, ObjectType: "User", ObjectId: user.Id, Before: new { People = linked.Select(p => p.Id) }, After: new { PersonId = person?.Id, person?.Name }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A 三员 account is nobody's in the plan: as a person's account it would approve that person's sign-offs, a business
    /// step the 三员 never take (their roles exclude every business role).
    /// </summary>
    private async Task RefuseAPersonToAnAdministratorAsync(RectifyUser user)
    {
        if ((await users.GetRolesAsync(user)).FirstOrDefault(Roles.Administrators.Contains) is { } role)
        {
            throw new UserAdministrationException($"“{user.UserName}”是{Roles.Label(role)}账号：三员账号不对应责任领导或第一责任人等人员。");
        }
    }

    /// <summary>
    /// A person named as the account (its display name) in the account's organization, linked to it: a leader's account
    /// is set up on the first day, before any plan names its holder. The plan, naming that leader later, finds this person
    /// by name in the inspected organization's tree (<c>PlanService.PersonAsync</c>) and makes no second one. A person of
    /// that name already in the organization is linked instead of a new one. Returns the person's name.
    /// </summary>
    public async Task<string> LinkNewPersonAsync(RectifyUser user, string? position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await RefuseAPersonToAnAdministratorAsync(user);
        if (user.OrganizationId is not { } organizationId)
        {
            throw new UserAdministrationException("请先为账号设置单位，再新建对应人员。");
        }

        var name = user.DisplayName.Trim();
        position = string.IsNullOrWhiteSpace(position) ? string.Empty : position.Trim();
        if (position.Length > 100)
        {
            throw new UserAdministrationException("职务不超过 100 字。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var person = await db.People.Where(p => p.Name == name && p.OrganizationId == organizationId).OrderBy(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (person is { UserId: { } other } && other != user.Id)
        {
            throw new UserAdministrationException($"本单位的“{person.Name}”已对应另一个账号，请先在那个账号上取消对应。");
        }

        var created = person is null;
        if (person is null)
        {
            person = new Person(name, position, await db.Organizations.SingleAsync(o => o.Id == organizationId, cancellationToken));
            db.People.Add(person);
        }

        foreach (var p in await db.People.Where(p => p.UserId == user.Id && p.Id != person.Id).ToListAsync(cancellationToken))
        {
            p.LinkAccount(null);
        }

        person.LinkAccount(user.Id);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.UserPersonLinked, ObjectType: "User", ObjectId: user.Id, After: new { PersonId = person.Id, person.Name, Created = created }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return person.Name;
    }

    private async Task<int> FindOrganizationAsync(string organization, CancellationToken cancellationToken)
    {
        if (int.TryParse(organization, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return await db.Organizations.AnyAsync(o => o.Id == id, cancellationToken) ? id : throw new UserAdministrationException($"单位编号 {id} 不存在。{NoSuchOrganization}");
        }

        var matches = await db.Organizations.Where(o => o.Name == organization || o.ShortName == organization).OrderBy(o => o.Id).Select(o => new { o.Id, o.Path }).Take(3).ToListAsync(cancellationToken);
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new UserAdministrationException($"没有名为“{organization}”的单位。{NoSuchOrganization}"),
            _ => throw new UserAdministrationException($"有多个名为“{organization}”的单位，请改用编号：{string.Join("、", matches.Select(m => m.Id))}。"),
        };
    }

    /// <summary>What to do when the unit named is not there (a new installation has none until its tree is built).</summary>
    private const string NoSuchOrganization = "单位须先建立：系统管理员登录后在“组织机构”页面建立本单位及其下属单位（或不带 --org 建立账号，建好后在“用户管理”中指定所属单位）。";

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new UserAdministrationException($"{what}：{string.Join("；", result.Errors.Select(e => e.Description))}");
        }
    }
}
