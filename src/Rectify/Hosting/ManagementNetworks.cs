using System.Net;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Hosting;

/// <summary>
/// The 三员 work only from the management networks (等保 CES1-19; docs/security.md B7): when
/// <c>Security:AdminNetworks</c> names networks, every request of a signed-in system, security or audit administrator
/// (page, API or download, with a cookie or a token) from an address outside them answers 403, and the refusal is
/// audited. The address is the connection's, or the one a known proxy forwarded (<c>Security:KnownProxies</c>); an
/// X-Forwarded-For from anyone else is ignored. Empty (the default) restricts nothing; docs/operations.md says to set it.
/// </summary>
internal static class ManagementNetworks
{
    /// <summary>What an administrator outside may still reach: the error page that says why, signing out, the styles.</summary>
    private static readonly string[] Always = ["/Error", "/Account/SignOut", "/css"];

    public static void UseManagementNetworks(this WebApplication app, SecurityPolicyOptions policy)
    {
        var networks = policy.AdminNetworks.Select(Parse).ToList();
        if (networks.Count == 0)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true
                && !Always.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
                && Roles.Administrators.Any(context.User.IsInRole)
                && !Within(networks, context.Connection.RemoteIpAddress))
            {
                context.Items[SecurityPolicyOptions.OutsideManagementNetworksItem] = true;
                Audit.DenialAudit.Mark(context, new Audit.Denial(Audit.AuditActions.AccessDenied, "outside the management networks"));
                const string message = "三员账号只能从管理网络访问系统。请在管理终端上操作。";
                if (ApiErrors.IsApi(context.Request))
                {
                    await Results.Problem(title: message, statusCode: StatusCodes.Status403Forbidden, type: "outside_management_network").ExecuteAsync(context);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return;
            }

            await next();
        });
    }

    private static IPNetwork Parse(string text) => SecurityPolicyOptions.TryParseNetwork(text) ?? throw new RectifyConfigurationException($"Security:AdminNetworks 中的“{text}”不是网络（CIDR）或 IP 地址。");

    public static bool Within(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }
}
