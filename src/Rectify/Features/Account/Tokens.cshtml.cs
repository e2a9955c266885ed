using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>
/// 接口令牌: the account's own personal API tokens (Authorization: Bearer rfy_…), made here instead of asking whoever runs
/// the server's command line. A token acts as the account, so making one asks for the password again (counted towards
/// the lockout, as 修改密码 does): a session left open is not enough to take a key that outlives it. A token is shown
/// once, stored hashed, and revoked here at once. Not for the 三员, whose work is on pages within the management networks.
/// </summary>
public sealed class TokensModel(
    RectifyUserManager users,
    ApiTokenService tokens,
    RectifyDbContext db,
    AuditLog audit,
    SignInLimits limits,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Tokens in force one account may hold.</summary>
    public const int MostInForce = 10;

    public const int DefaultDays = 90;

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    public bool IsAdministrator { get; private set; }

    /// <summary>The token just made: shown in this response only, never again.</summary>
    public ApiTokenService.Created? Made { get; private set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    /// <summary>What was typed, after a refusal (never the password).</summary>
    public string? TypedName { get; private set; }

    public int TypedDays { get; private set; } = DefaultDays;

    public DateTime Now { get; private set; }

    /// <summary>The account's tokens in force (the list shows the latest 50 of all).</summary>
    public int InForce { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        Message = this.TakeMessage();
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? days, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        var password = await Request.FormFieldAsync("currentPassword");
        TypedName = name;
        await LoadAsync(user, cancellationToken);
        if (IsAdministrator)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.TokenCreated, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { Reason = "三员账号不使用接口令牌" }), cancellationToken: cancellationToken);
            return Refuse(l["三员账号不使用接口令牌。"]);
        }

        var label = PlainText.Line(name);
        if (label is null)
        {
            return Refuse(l["请填写令牌用途，例如“某单位业务系统报送进展”。"]);
        }

        if (label.Length > 100)
        {
            return Refuse(string.Format(System.Globalization.CultureInfo.CurrentCulture, l["令牌用途不能超过 100 字（现有 {0} 字）。"], label.Length));
        }

        if (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) || lifetime is < 1 or > ApiTokenService.MostDays)
        {
            return Refuse(string.Format(System.Globalization.CultureInfo.CurrentCulture, l["有效期应为 1 到 {0} 天之间的整数。"], ApiTokenService.MostDays));
        }

        TypedDays = lifetime;
        if (InForce >= MostInForce)
        {
            return Refuse(string.Format(System.Globalization.CultureInfo.CurrentCulture, l["每个账号至多 {0} 个有效令牌，请先撤销不再使用的令牌。"], MostInForce));
        }

        if (string.IsNullOrEmpty(password))
        {
            return Refuse(l["请输入当前密码。"]);
        }

        // As 修改密码: the address's and the account's tries are limited, then the password is checked (CurrentPassword).
        if (limits.Refusal(HttpContext, user.NormalizedUserName ?? user.Id, l, signIn: false) is { } refusal)
        {
            return Refuse(refusal);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await CurrentPassword.RefusalAsync(users, db, audit, transaction, user, password, AuditActions.TokenCreated, l, cancellationToken) is { } wrong)
            {
                return Refuse(wrong);
            }

            await users.ResetAccessFailedCountAsync(user);
            await transaction.CommitAsync(cancellationToken);
        }

        Made = await tokens.CreateAsync(user.UserName!, label, lifetime, cancellationToken);
        TypedName = null;
        TypedDays = DefaultDays;
        await LoadAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        if (!await tokens.RevokeOwnAsync(user.Id, id, cancellationToken))
        {
            await LoadAsync(user, cancellationToken);
            return Refuse(l["这个令牌不存在或已撤销。"]);
        }

        return this.Done(l["令牌已撤销，使用它的程序将立即无法访问。"]);
    }

    private async Task LoadAsync(RectifyUser user, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        IsAdministrator = (await users.GetRolesAsync(user)).Any(Roles.Administrators.Contains);
        var own = db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id);
        InForce = await own.CountAsync(t => t.RevokedAtUtc == null && t.ExpiresAtUtc > Now, cancellationToken);
        Tokens = await own
            .OrderByDescending(t => t.RevokedAtUtc == null && t.ExpiresAtUtc > Now).ThenByDescending(t => t.Id).Take(50).ToListAsync(cancellationToken);
    }

    /// <summary>The page again with why (400), what was typed kept but the password.</summary>
    private PageResult Refuse(string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
