using Microsoft.AspNetCore.Mvc;

namespace Rectify.Features.Common;

/// <summary>The one safe "go back to where you were": a local URL only (never another site), else the home page.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// <paramref name="url"/> when it is local, else "/". The sign-in pages never send a person back into the
    /// account pages (a loop); only the language switch may return there (switching on the sign-in page).
    /// </summary>
    public static string LocalOrHome(this IUrlHelper helper, string? url, bool accountPagesAllowed = false)
    {
        ArgumentNullException.ThrowIfNull(helper);
        return !string.IsNullOrEmpty(url) && helper.IsLocalUrl(url) && (accountPagesAllowed || !url.StartsWith("/Account/", StringComparison.OrdinalIgnoreCase)) ? url : "/";
    }
}
