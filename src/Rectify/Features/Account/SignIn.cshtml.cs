using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Rectify.Data;

namespace Rectify.Features.Account;

public sealed class SignInModel(SignInManager<RectifyUser> signIn, IConfiguration configuration, IStringLocalizer<SharedResource> l) : PageModel
{
    public bool DemoMode => configuration.GetValue<bool>("Rectify:Demo");

    public string? Error { get; private set; }

    public string? UserName { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = LocalOrHome(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl)
    {
        ReturnUrl = LocalOrHome(returnUrl);
        UserName = userName;
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            Error = l["请输入用户名和密码。"];
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(ReturnUrl);
        }

        // One answer for a wrong name, a wrong password and a locked account: nothing to learn from it.
        Error = l["用户名或密码错误。"];
        return Page();
    }

    private string LocalOrHome(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}
