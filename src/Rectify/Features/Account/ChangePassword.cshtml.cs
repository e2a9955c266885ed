using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Hosting;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>The user changes their own password: required after an initial or expired one, possible at any time.</summary>
public sealed class ChangePasswordModel(
    RectifyUserManager users,
    SignInManager<RectifyUser> signIn,
    RectifyDbContext db,
    AuditLog audit,
    IOptions<SecurityPolicyOptions> policy,
    SignInLimits limits,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public string? Reason => User.FindFirstValue(RectifyClaimsFactory.PasswordChangeClaim);

    public List<string> Errors { get; } = [];

    public string ReturnUrl { get; private set; } = "/";

    public string PolicyText
    {
        get
        {
            var p = policy.Value.Password;
            return string.Format(
                System.Globalization.CultureInfo.CurrentCulture,
                l["密码至少 {0} 个字符，包含小写字母、大写字母、数字、其他字符中的至少 {1} 类，不能包含用户名，不能与最近 {2} 次的密码相同。"],
                p.MinimumLength,
                p.RequiredCharacterClasses,
                p.History);
        }
    }

    public void OnGet(string? returnUrl) => ReturnUrl = Url.LocalOrHome(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var currentPassword = await Request.FormFieldAsync("currentPassword");
        var newPassword = await Request.FormFieldAsync("newPassword");
        var confirmPassword = await Request.FormFieldAsync("confirmPassword");
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword))
        {
            Errors.Add(l["请填写当前密码和新密码。"]);
            return Page();
        }

        if (newPassword != confirmPassword)
        {
            Errors.Add(l["两次输入的新密码不一致。"]);
            return Page();
        }

        // A session alone (left open, or taken) must not be a way to guess the password. As at sign-in: the address's and
        // the account's attempts are limited (so parallel posts gain nothing), a wrong current password counts towards
        // the lockout and is audited, and a locked account is refused here until the lock ends. The account is read again
        // inside the transaction, so that a failure is counted on the row as it stands.
        if (limits.Refusal(HttpContext, user.NormalizedUserName ?? user.Id, l, signIn: false) is { } refusal)
        {
            Errors.Add(refusal);
            return Page();
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        if (await CurrentPassword.RefusalAsync(users, db, audit, transaction, user, currentPassword, AuditActions.PasswordChanged, l, CancellationToken.None) is { } wrong)
        {
            Errors.Add(wrong);
            return Page();
        }

        var result = await users.ChangeCheckedPasswordAsync(user, newPassword);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync();
            Errors.AddRange(result.Errors.Select(e => e.Description));
            return Page();
        }

        user.MustChangePassword = false;
        if (!(await users.UpdateAsync(user)).Succeeded || !(await users.ResetAccessFailedCountAsync(user)).Succeeded)
        {
            await transaction.RollbackAsync();
            Errors.Add(l["请稍后再试。"]);
            return Page();
        }

        await audit.RecordAsync(new AuditEvent(AuditActions.PasswordChanged, ObjectType: "User", ObjectId: user.Id));
        await transaction.CommitAsync();

        // A new cookie without the "must change" mark; other sessions of this user end within a minute.
        await signIn.RefreshSignInAsync(user);
        return LocalRedirect(ReturnUrl);
    }
}
