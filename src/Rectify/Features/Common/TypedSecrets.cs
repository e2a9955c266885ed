using Microsoft.Extensions.Primitives;

namespace Rectify.Features.Common;

/// <summary>
/// What a person types that must never reach a log — passwords, one-time and recovery codes, a password link's token,
/// the public's contact details, a typed user name (which may carry line breaks) — read from the request, never taken as
/// a page handler's parameter: MVC writes every handler argument into its Trace log ("Executing handler method … with
/// arguments (…)"), so a parameter is one logging setting away from a log file. An empty field reads as null, as binding does.
/// </summary>
public static class TypedSecrets
{
    public static async Task<string?> FormFieldAsync(this HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return null;
        }

        var value = (await request.ReadFormAsync(request.HttpContext.RequestAborted))[name];
        return StringValues.IsNullOrEmpty(value) ? null : value.ToString();
    }

    public static string? QueryField(this HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Query[name];
        return StringValues.IsNullOrEmpty(value) ? null : value.ToString();
    }
}
