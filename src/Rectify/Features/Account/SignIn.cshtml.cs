using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>A hash of a random password, verified when there is no real one to verify, so that every answer costs one PBKDF2.</summary>
internal static class DummyHash
{
    private static readonly Lazy<string> Hash = new(() => new PasswordHasher<RectifyUser>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = Hosting.RectifyApp.PasswordIterations }))
        .HashPassword(new RectifyUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public static void Burn(IPasswordHasher<RectifyUser> hasher, string password) =>
        hasher.VerifyHashedPassword(new RectifyUser(), Hash.Value, password);
}

public sealed class SignInModel(
    SignInManager<RectifyUser> signIn,
    RectifyDbContext db,
    AuditLog audit,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<Access.SecurityPolicyOptions> policy,
    TimeProvider clock,
    Access.SignInLimits limits,
    ILogger<SignInModel> logger,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public bool DemoMode => Data.DemoMode.IsOn(configuration);

    public string? Error { get; private set; }

    public string? UserName { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    /// <summary>Shown after the user set their own password through a link.</summary>
    public bool PasswordSet { get; private set; }

    /// <summary>The browser came with a session that had ended (idle too long, or closed): the page says so.</summary>
    public bool Expired { get; private set; }

    /// <summary>A form sent with the ended session kept its words (UnsentForms): the page says where they will be.</summary>
    public bool Unsent { get; private set; }

    public void OnGet(string? returnUrl, bool? locked, bool? passwordSet, bool? expired, bool? unsent)
    {
        Unsent = unsent == true;
        ReturnUrl = Url.LocalOrHome(returnUrl);
        PasswordSet = passwordSet == true;
        Expired = expired == true;
        if (locked == true)
        {
            Error = l["用户名或密码错误。"];
        }
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var userName = await Request.FormFieldAsync("userName");
        var password = await Request.FormFieldAsync("password");
        ReturnUrl = Url.LocalOrHome(returnUrl);
        UserName = userName;
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            Error = l["请输入用户名和密码。"];
            return Page();
        }

        var name = userName.Trim();

        // Before any hashing: one attempt from this address and one at this account (known or not), else 429.
        if (limits.Refusal(HttpContext, signIn.UserManager.NormalizeName(name), l) is { } refusal)
        {
            Error = refusal;
            return Page();
        }

        // Identity's own writes (failure count, lockout) and the audit record commit together.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await signIn.UserManager.FindByNameAsync(name);
        if (user is null || user.PasswordHash is null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            // An unknown name or a locked account costs the same hashing as a wrong password: the time taken tells nothing.
            DummyHash.Burn(signIn.UserManager.PasswordHasher, password);
        }

        var result = await signIn.PasswordSignInAsync(name, password, isPersistent: false, lockoutOnFailure: true);
        var actor = new AuditActor(user?.Id, user?.DisplayName ?? (name.Length > 100 ? name[..100] : name));
        if (result.Succeeded && user is { MustChangePassword: true, PasswordChangedAtUtc: { } setAt }
            && clock.GetUtcNow().UtcDateTime > setAt.AddHours(policy.Value.Password.InitialPasswordHours))
        {
            // An initial password is for a prompt first use; after its hours it no longer opens anything.
            await signIn.SignOutAsync();
            await audit.RecordAsync(new AuditEvent(AuditActions.SignInFailed, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { Reason = "initial-password-expired" }), actor);
            await transaction.CommitAsync();
            Error = l["初始密码已过期，请联系管理员重置密码。"];
            return Page();
        }

        if (result.Succeeded)
        {
            await audit.RecordAsync(new AuditEvent(AuditActions.SignInSucceeded, ObjectType: "User", ObjectId: user?.Id), actor);
            await transaction.CommitAsync();
            return LocalRedirect(ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            await transaction.CommitAsync();
            // The password was right; the session starts only after the second factor (SignInCode).
            return RedirectToPage("/Account/SignInCode", new { returnUrl = ReturnUrl });
        }

        await audit.RecordAsync(
            new AuditEvent(result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, Succeeded: false, ObjectType: "User", ObjectId: user?.Id, After: new { UserName = actor.Name, Known = user is not null }),
            actor);
        await transaction.CommitAsync();

        // For the operations log (fail2ban, the SIEM) too; the typed name is escaped, so it can never start a line of its own.
        logger.LogWarning(
            "登录失败（{Outcome}）：用户名 {UserName}，来源 {Source}",
            result.IsLockedOut ? "locked" : user is null ? "unknown-user" : "wrong-password",
            LogText.Escape(name),
            HttpContext.Connection.RemoteIpAddress?.ToString());

        // One answer for a wrong name, a wrong password and a locked account: nothing to learn from it.
        Error = l["用户名或密码错误。"];
        return Page();
    }
}
