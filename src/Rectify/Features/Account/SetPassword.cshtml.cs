using Rectify.Features.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Account;

/// <summary>
/// Where a user sets their own password with the one-time link the system administrator handed over (a new account, or
/// a reset): the administrator never sees a password. Open without signing in; the link's token is the key.
/// </summary>
[AllowAnonymous]
public sealed class SetPasswordModel(UserManager<RectifyUser> users, UserAdministration administration, IOptions<SecurityPolicyOptions> policy, IStringLocalizer<SharedResource> l) : PageModel
{
    public bool Valid { get; private set; }

    public string UserId { get; private set; } = string.Empty;

    public string Token { get; private set; } = string.Empty;

    public string? UserName { get; private set; }

    public string? Error { get; private set; }

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

    public async Task OnGetAsync() => await LoadAsync(Request.QueryField("user"), Request.QueryField("token"));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await Request.FormFieldAsync("user");
        var token = await Request.FormFieldAsync("token");
        var newPassword = await Request.FormFieldAsync("newPassword");
        var confirmPassword = await Request.FormFieldAsync("confirmPassword");
        if (!await LoadAsync(user, token))
        {
            return Page();
        }

        if (string.IsNullOrEmpty(newPassword) || newPassword != confirmPassword)
        {
            Error = l["两次输入的新密码不一致。"];
            return Page();
        }

        try
        {
            await administration.SetPasswordByLinkAsync(UserId, Token, newPassword, cancellationToken);
        }
        catch (UserAdministrationException e)
        {
            Error = e.Message;
            return Page();
        }

        return RedirectToPage("/Account/SignIn", new { passwordSet = true });
    }

    private async Task<bool> LoadAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || userId.Length > 64 || token.Length > 2000)
        {
            return false;
        }

        var user = await users.FindByIdAsync(userId);
        Valid = user is not null && await administration.PasswordLinkIsValidAsync(user, token);
        if (Valid)
        {
            (UserId, Token, UserName) = (userId, token, user!.UserName);
        }

        return Valid;
    }
}
