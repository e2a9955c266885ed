using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Hosting;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>
/// Enrolling an authenticator app (RFC 6238 TOTP): shows the shared key and its QR code, and enables the factor once a
/// code checks out; then shows the recovery codes once (kept only as digests), and makes a new set on request.
/// </summary>
public sealed class TwoFactorModel(
    UserManager<RectifyUser> users,
    SignInManager<RectifyUser> signIn,
    RectifyDbContext db,
    AuditLog audit,
    Microsoft.Extensions.Options.IOptions<Access.SecurityPolicyOptions> policy,
    Access.SignInLimits limits,
    IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>The recovery codes just made: shown in this response only, never again.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    /// <summary>How many unused recovery codes the user has left.</summary>
    public int RecoveryCodesLeft { get; private set; }

    public bool Enabled { get; private set; }

    public bool Required => User.FindFirstValue(RectifyClaimsFactory.SecondFactorEnrolmentClaim) is not null;

    public string SharedKey { get; private set; } = string.Empty;

    public string QrCodeDataUri { get; private set; } = string.Empty;

    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        await LoadAsync(user);
        return Page();
    }

    /// <summary>Makes the shared key. A POST, because it changes the account; the cookie is re-issued since the security stamp changes with it.</summary>
    public async Task<IActionResult> OnPostKeyAsync(string? returnUrl)
    {
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
        }

        return RedirectToPage("/Account/TwoFactor", new { returnUrl = ReturnUrl });
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var code = await Request.FormFieldAsync("code");
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        // Enrolment enables the factor once. With it enabled this form does nothing: new recovery codes are made only by
        // their own form (which asks for the code and counts wrong ones), so that a session cannot guess codes here.
        // Before it is enabled a wrong code is not counted: the same page shows the key, so guessing gains nothing, and a
        // phone whose clock is off must not lock its owner out of signing in.
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return await RefuseAsync(user, l["第二因素认证已经启用，无需再次验证。需要新的恢复码时，请在“生成新的恢复码”处输入验证码。"]);
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal)))
        {
            return await RefuseAsync(user, l["验证码不正确：请确认手机时间准确，并输入当前显示的验证码。"]);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await users.SetTwoFactorEnabledAsync(user, true);
            RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, policy.Value.SecondFactor.RecoveryCodes) ?? []];
            await audit.RecordAsync(new AuditEvent(AuditActions.SecondFactorEnabled, ObjectType: "User", ObjectId: user.Id, After: new { RecoveryCodes = RecoveryCodes.Count }));
            await transaction.CommitAsync();
        }

        await signIn.RefreshSignInAsync(user);
        await LoadAsync(user);
        return Page();
    }

    /// <summary>
    /// A new set of recovery codes; the old set stops working. Only with a second factor enabled, and only with the
    /// authenticator's current code typed in the same form: a session alone (left open, or taken) must not be enough to
    /// mint ten codes that pass the second factor for good. A wrong code counts towards the lockout, as at sign-in, so
    /// the form cannot be used to guess codes; a refusal changes nothing and the old codes keep working.
    /// </summary>
    public async Task<IActionResult> OnPostRecoveryCodesAsync(string? returnUrl)
    {
        var code = (await Request.FormFieldAsync("code") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        ReturnUrl = Url.LocalOrHome(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return LocalRedirect("/Account/SignIn");
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return await RefuseAsync(user, l["请先启用第二因素认证，再生成恢复码。"]);
        }

        if (code.Length == 0)
        {
            return await RefuseAsync(user, l["请输入身份验证器当前显示的 6 位验证码，确认是您本人后才能生成新的恢复码。原有恢复码仍然有效。"]);
        }

        // As at sign-in: the address's and the account's tries are limited, so that parallel posts gain nothing; the
        // account is read again inside the transaction, so that a wrong code is counted on the row as it stands.
        if (limits.Refusal(HttpContext, user.NormalizedUserName ?? user.Id, l, signIn: false) is { } refusal)
        {
            return await RefuseAsync(user, refusal);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Entry(user).ReloadAsync();
            if (await users.IsLockedOutAsync(user))
            {
                return await RefuseAsync(user, l["输入错误的次数过多，账号已暂时锁定，请稍后再试。原有恢复码仍然有效。"]);
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                await users.AccessFailedAsync(user);
                await audit.RecordAsync(new AuditEvent(AuditActions.RecoveryCodesRenewed, Succeeded: false, ObjectType: "User", ObjectId: user.Id));
                await transaction.CommitAsync();
                return await RefuseAsync(user, l["验证码不正确，没有生成新的恢复码，原有恢复码仍然有效。请确认手机时间准确，并输入当前显示的验证码。"]);
            }

            await users.ResetAccessFailedCountAsync(user);
            RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, policy.Value.SecondFactor.RecoveryCodes) ?? []];
            await audit.RecordAsync(new AuditEvent(AuditActions.RecoveryCodesRenewed, ObjectType: "User", ObjectId: user.Id, After: new { RecoveryCodes = RecoveryCodes.Count }));
            await transaction.CommitAsync();
        }

        await LoadAsync(user);
        return Page();
    }

    /// <summary>The page again with why (200, as a wrong code at enrolment answers), the codes unchanged.</summary>
    private async Task<IActionResult> RefuseAsync(RectifyUser user, string error)
    {
        Error = error;
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(RectifyUser user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Nothing changes on GET: the page offers to make a key instead.
            return;
        }

        SharedKey = Group(key!);
        var label = Uri.EscapeDataString($"Rectify:{user.UserName}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer=Rectify&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png);
    }

    private static string Group(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return sb.ToString().TrimEnd().ToLowerInvariant();
    }
}
