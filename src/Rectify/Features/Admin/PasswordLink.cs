using QRCoder;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Admin;

/// <summary>
/// A one-time link for setting a password, as the system administrator sees it once: the address and its QR code, to
/// print and hand over sealed (or to send through a channel only the user reads). The address starts with
/// <c>Notifications:BaseUrl</c> when it is set, else with the host this page was asked for (host filtering admits only
/// the AllowedHosts; where those are "*", the page says the address came from the request and asks for it to be checked).
/// </summary>
/// <param name="UserName">Whose link it is.</param>
/// <param name="Url">The link.</param>
/// <param name="QrCodeDataUri">The link as a QR code.</param>
/// <param name="Hours">How long it is valid.</param>
/// <param name="UnvouchedHost">
/// The host the link starts with when nothing configured vouches for it (no BaseUrl, AllowedHosts "*"): it is whatever the
/// request said, so the page asks the administrator to check it before handing the link over.
/// </param>
public sealed record PasswordLink(string UserName, string Url, string QrCodeDataUri, int Hours, string? UnvouchedHost = null)
{
    public static PasswordLink For(HttpRequest request, IConfiguration configuration, RectifyUser user, string token, int hours)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(user);
        var configured = configuration["Notifications:BaseUrl"];
        var origin = string.IsNullOrWhiteSpace(configured) ? request.Scheme + "://" + request.Host.ToUriComponent() : configured.TrimEnd('/');
        var url = origin + UserAdministration.PasswordLinkPath(user, token);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(4);
        var hosts = configuration["AllowedHosts"];
        var unvouched = string.IsNullOrWhiteSpace(configured) && (string.IsNullOrWhiteSpace(hosts) || hosts.Trim() == "*") ? request.Host.ToUriComponent() : null;
        return new PasswordLink(user.UserName ?? string.Empty, url, "data:image/png;base64," + Convert.ToBase64String(png), hours, unvouched);
    }
}
