using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>The second step of signing in: the authenticator's code. Open to whoever passed the password step (Identity's two-factor cookie says who).</summary>
[AllowAnonymous]
public sealed class SignInCodeModel(SignInManager<RectifyUser> signIn, RectifyDbContext db, AuditLog audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? LocalRedirect("/Account/SignIn") : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        var actor = new AuditActor(user.Id, user.DisplayName);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await signIn.TwoFactorAuthenticatorSignInAsync((code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignInSucceeded, ObjectType: "User", ObjectId: user.Id, After: new { SecondFactor = "totp" }), actor);
            await transaction.CommitAsync();
            return LocalRedirect(ReturnUrl);
        }

        await audit.RecordAsync(
            new AuditEvent(result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { SecondFactor = "totp" }),
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
