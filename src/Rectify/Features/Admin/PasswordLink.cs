using QRCoder;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Admin;

/// <summary>
/// A one-time link for setting a password, as the system administrator sees it once: the address and its QR code, to
/// print and hand over sealed (or to send through a channel only the user reads). The address starts with
/// <c>Notifications:BaseUrl</c> when it is set, else with the host this page was asked for (host filtering admits only
/// the AllowedHosts).
/// </summary>
public sealed record PasswordLink(string UserName, string Url, string QrCodeDataUri, int Hours)
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
        return new PasswordLink(user.UserName ?? string.Empty, url, "data:image/png;base64," + Convert.ToBase64String(png), hours);
    }
}
