using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Rectify.Features.Common;

namespace Rectify.Hosting;

/// <summary>
/// A request that declares a body longer than its endpoint accepts is answered 413 before anything reads it. Left to
/// the endpoint, a page's upload over its [RequestSizeLimit] failed inside the anti-forgery check (which reads the form
/// first) and the person saw the generic 400 page; now the API answers a 413 problem naming the limit and a page the
/// /Error page's 413, which names the size sent and the limit (<see cref="BodyTooLarge"/>). A chunked body declares no length:
/// it is refused while it is read, by <see cref="ClientFaults"/>.
/// </summary>
public static class DeclaredBodyLimit
{
    /// <summary>After routing, so that the endpoint's own limit (its <see cref="IRequestSizeLimitMetadata"/>) is known.</summary>
    public static IApplicationBuilder UseDeclaredBodyLimit(this IApplicationBuilder app) => app.Use(RefuseAsync);

    private static Task RefuseAsync(HttpContext context, RequestDelegate next)
    {
        // Only where the server enforces a limit (Kestrel; the test host reads any body), before anything was read, and
        // not again when the error page is re-executed for the refusal.
        var server = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (context.Request.ContentLength is not { } declared || server is null || server.IsReadOnly || context.Items.ContainsKey(BodyTooLarge.Item))
        {
            return next(context);
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } endpoint ? endpoint.MaxRequestBodySize : server.MaxRequestBodySize;
        if (limit is not { } max || declared <= max)
        {
            return next(context);
        }

        // Whatever runs after this (the error page included) cannot read the body: Kestrel refuses the first read at once.
        server.MaxRequestBodySize = max;
        // The page's own words for its limit where it states one (the file's 20 MB, not the request's 21).
        var stated = context.GetEndpoint()?.Metadata.GetMetadata<StatedUploadLimitAttribute>()?.Bytes ?? max;
        context.Items[BodyTooLarge.Item] = new BodyTooLarge(declared, stated);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return ApiErrors.IsApi(context.Request) && !PageNavigation.Is(context.Request)
            ? ApiErrors.WriteAsync(context, ClientFaults.TooLarge(max))
            : Task.CompletedTask; // The status code pages re-execute /Error, which says it in words.
    }
}
