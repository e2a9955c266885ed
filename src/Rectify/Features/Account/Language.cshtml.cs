using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Features.Common;

namespace Rectify.Features.Account;

/// <summary>Remembers the interface language in a cookie. Allowed before sign-in so that the sign-in page can switch too.</summary>
[AllowAnonymous]
public sealed class LanguageModel(TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        var chosen = culture == "en" ? "en" : "zh-CN";
        Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, Secure = Request.IsHttps });
        return LocalRedirect(Url.LocalOrHome(returnUrl, accountPagesAllowed: true));
    }
}
