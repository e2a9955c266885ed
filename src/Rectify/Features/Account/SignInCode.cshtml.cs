using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>
/// The second step of signing in: the authenticator's code, or one of the recovery codes in its place. Open to whoever
/// passed the password step (Identity's two-factor cookie says who); rate-limited per address and per account.
/// </summary>
[AllowAnonymous]
public sealed class SignInCodeModel(SignInManager<RectifyUser> signIn, RectifyDbContext db, AuditLog audit, Access.SignInLimits limits, IStringLocalizer<SharedResource> l) : PageModel
{
    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? LocalRedirect("/Account/SignIn") : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var code = await Request.FormFieldAsync("code");
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        if (limits.Refusal(HttpContext, user.NormalizedUserName ?? user.Id, l) is { } refusal)
        {
            Error = refusal;
            return Page();
        }

        var typed = (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);

        // Six digits are the authenticator's code; anything else is tried as a recovery code (each good once).
        var factor = typed.Length == 6 && typed.All(char.IsAsciiDigit) ? "totp" : "recovery-code";
        var actor = new AuditActor(user.Id, user.DisplayName);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = factor == "totp"
            ? await signIn.TwoFactorAuthenticatorSignInAsync(typed, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(typed);
        if (factor == "recovery-code" && !result.Succeeded && !result.IsLockedOut)
        {
            // Identity does not count a wrong recovery code; here it counts towards the lockout like a wrong code or password.
            await signIn.UserManager.AccessFailedAsync(user);
            if (await signIn.UserManager.IsLockedOutAsync(user))
            {
                result = Microsoft.AspNetCore.Identity.SignInResult.LockedOut;
            }
        }

        if (result.Succeeded)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignInSucceeded, ObjectType: "User", ObjectId: user.Id, After: new { SecondFactor = factor }), actor);
            await transaction.CommitAsync();
            return LocalRedirect(ReturnUrl);
        }

        await audit.RecordAsync(
            new AuditEvent(result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { SecondFactor = factor }),
            actor);
        await transaction.CommitAsync();
        if (result.IsLockedOut)
        {
            // Same words as a wrong password: a locked account tells nothing.
            return RedirectToPage("/Account/SignIn", new { locked = true });
        }

        Error = l["验证码不正确，请重试。"];
        return Page();
    }
}
