using Scalar.AspNetCore;

namespace Rectify.Features.Common;

/// <summary>
/// The API's reference for people (issue #17): Scalar renders the live OpenAPI document at /api/docs, for a signed-in
/// person only (the document itself needs a sign-in). Everything it loads comes from this server: the script is the
/// package's embedded copy, no web fonts, no proxy, no telemetry, so it works on an office network with no way out.
/// </summary>
public static class ApiReference
{
    /// <summary>Where the reference lives.</summary>
    public const string Path = "/api/docs";

    /// <summary>
    /// The page's content security policy. Scalar writes its configuration into an inline script, marked with a nonce
    /// made for each request (only that script runs), and styles itself inline, so this one path allows inline style;
    /// everything else (fonts, fetches, frames) stays on this server, and no page may frame it.
    /// </summary>
    public static string ContentSecurityPolicy(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nonce = context.Items[ScalarOptions.NonceHttpContextItemKey] as string;
        var script = string.IsNullOrEmpty(nonce) ? "'self'" : $"'self' 'nonce-{nonce}'";
        return $"default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src {script}; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    }

    /// <summary>True for the reference's page and its assets (answered as pages, not as the JSON API).</summary>
    /// <remarks>
    /// The page needs a sign-in (the application's fallback policy). The package maps its script (scalar.js, its
    /// configuration loader) and icon open to anyone: they are the package's published files, carry no data of the
    /// installation, and are on AccessMatrixTests' explicit list of anonymous endpoints.
    /// </remarks>
    public static bool Serves(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);
    }

    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        var reference = app.MapScalarApiReference(Path, o =>
        {
            o.Title = "巡察整改管理系统 接口文档";
            o.OpenApiRoutePattern = "/openapi/{documentName}.json";
            o.AddDocument("v1", "接口 v1");
            o.DefaultFonts = false;
            o.HideClientButton = true;
            o.Telemetry = false;
            o.PersistentAuthentication = false;
            o.DynamicNonce = true;
            o.Agent = new ScalarAgentOptions { Disabled = true };
            o.Mcp = new ScalarMcpOptions { Disabled = true };
            o.Localization = new ScalarLocalizationOptions { Locale = "zh" };
            o.ShowDeveloperTools = DeveloperToolsVisibility.Never;
        });

        return reference;
    }
}
