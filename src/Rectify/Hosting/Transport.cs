using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Net.Http.Headers;
using Rectify.Access;

namespace Rectify.Hosting;

/// <summary>
/// What the application trusts of the connection and what it asks of the browser about it (docs/operations.md, ADR 0021):
/// <list type="bullet">
/// <item>X-Forwarded-For and X-Forwarded-Proto only from the addresses in <c>Security:KnownProxies</c> (none by default:
/// then no forwarded header is believed, whoever sends it);</item>
/// <item>on an HTTPS request (direct, or from a known TLS proxy): Strict-Transport-Security, and every cookie set is
/// <c>Secure</c>, <c>Path=/</c>, without a domain, and named <c>__Host-…</c> — a cookie without the prefix is not even
/// read, so a cookie planted over plain HTTP or from a sibling host cannot stand in for one of ours; plain HTTP (the
/// README's local run) keeps the plain names;</item>
/// <item><c>Cache-Control: no-store</c> on every API answer, every download (Content-Disposition) and every page of a signed-in user.</item>
/// </list>
/// The allowed host names are ASP.NET Core's <c>AllowedHosts</c> (host filtering answers 400 to any other Host), and
/// the application's own redirects are relative: no Location header carries the request's Host.
/// </summary>
internal static class Transport
{
    public const string HostPrefix = "__Host-";

    public static IServiceCollection AddRectifyTransport(this IServiceCollection services, SecurityPolicyOptions policy)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // ASP.NET Core believes loopback by default; here only the proxies the operator names.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in policy.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline: the forwarded headers (when proxies are named), then the HTTPS cookie names, HSTS and no-store.</summary>
    public static void UseRectifyTransport(this WebApplication app, SecurityPolicyOptions policy)
    {
        if (policy.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        var hsts = policy.HstsDays > 0 ? "max-age=" + (policy.HstsDays * 86_400L).ToString(CultureInfo.InvariantCulture) + "; includeSubDomains" : null;
        app.Use((context, next) =>
        {
            if (context.Request.IsHttps)
            {
                ReadHostCookies(context.Request);
            }

            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (context.Request.IsHttps)
                {
                    if (hsts is not null)
                    {
                        response.Headers.StrictTransportSecurity = hsts;
                    }

                    WriteHostCookies(response);
                }

                // Static files are served before sign-in is read, so they stay cacheable; a signed-in page is not stored.
                if (ApiErrors.IsApi(context.Request) || response.Headers.ContentDisposition.Count > 0 || context.User.Identity?.IsAuthenticated == true)
                {
                    response.Headers.CacheControl = "no-store";
                    response.Headers.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });
            return next();
        });
    }

    /// <summary>Over HTTPS only the <c>__Host-</c> cookies count; the rest of the application reads them by their plain names.</summary>
    private static void ReadHostCookies(HttpRequest request)
    {
        var raw = request.Headers.Cookie;
        if (raw.Count == 0)
        {
            return;
        }

        var kept = CookieHeaderValue.TryParseList(raw, out var cookies)
            ? cookies.Where(c => c.Name.StartsWith(HostPrefix, StringComparison.Ordinal)).Select(c => c.Name.Value![HostPrefix.Length..] + "=" + c.Value.Value)
            : [];
        request.Headers.Cookie = string.Join("; ", kept);
    }

    private static void WriteHostCookies(HttpResponse response)
    {
        var set = response.Headers.SetCookie;
        if (set.Count == 0)
        {
            return;
        }

        var rewritten = new string?[set.Count];
        for (var i = 0; i < set.Count; i++)
        {
            if (SetCookieHeaderValue.TryParse(set[i], out var cookie))
            {
                if (!cookie.Name.StartsWith(HostPrefix, StringComparison.Ordinal))
                {
                    cookie.Name = HostPrefix + cookie.Name.Value;
                }

                cookie.Secure = true;
                cookie.Path = "/";
                cookie.Domain = null;
                rewritten[i] = cookie.ToString();
            }
            else
            {
                rewritten[i] = set[i];
            }
        }

        response.Headers.SetCookie = rewritten;
    }
}
