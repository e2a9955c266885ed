using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Rectify.Features.Common;

/// <summary>
/// Post/Redirect/Get for the pages: a change made from a form sends the browser back to GET the same page (its filters
/// and page kept, at the part it acted on), with the news kept for one reading (TempData). A reload then shows the page
/// again; it never posts the form a second time. A refusal is not redirected: the page answers the POST with the message
/// beside what was typed (<see cref="RefusalPageFilter"/>).
/// </summary>
public static class AfterPost
{
    private const string MessageKey = "message";
    private const string MessageAtKey = "messageAt";

    /// <summary>
    /// The answer to a form that was acted on: 404 when there was nothing to act on, else the news kept and the page's
    /// own path asked again with <paramref name="query"/> (written invariantly, null values left out) and <paramref name="anchor"/> ("#…").
    /// </summary>
    public static IActionResult Done(this PageModel page, WorkflowResult result, string? anchor = null, params (string Name, object? Value)[] query)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(result);
        return result.Found ? page.Done(result.Message, anchor, query) : page.NotFound();
    }

    /// <summary>The same, for news the page itself words.</summary>
    public static IActionResult Done(this PageModel page, string? message, string? anchor = null, params (string Name, object? Value)[] query)
    {
        ArgumentNullException.ThrowIfNull(page);
        Keep(page, message, IsAnchor(anchor) ? anchor![1..] : null);
        return page.LocalRedirect(Url(page.Request.PathBase + page.Request.Path, anchor, query));
    }

    /// <summary>The same, sending the browser on to another of our pages (<paramref name="localUrl"/>: a path of this site).</summary>
    /// <remarks><paramref name="messageAt"/> names the part of that page its news is shown at (as <see cref="Done(PageModel, string?, string?, ValueTuple{string, object?}[])"/>'s anchor does).</remarks>
    public static IActionResult DoneAt(this PageModel page, string? message, string localUrl, string? messageAt = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        Keep(page, message, messageAt);
        return page.LocalRedirect(localUrl);
    }

    /// <summary>The news a redirect after a change left for this reading of the page, or null.</summary>
    public static string? TakeMessage(this PageModel page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.TempData[MessageKey] as string;
    }

    /// <summary>
    /// The part of the page (an element's id, without "#") the redirect landed at, or null: a long page shows the news
    /// there, where the browser is, rather than at its top, out of view.
    /// </summary>
    public static string? TakeMessageAt(this PageModel page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.TempData[MessageAtKey] as string;
    }

    /// <summary>A local path with the given query and anchor; the anchor is kept only when it is a plain "#name".</summary>
    public static string Url(string path, string? anchor, params (string Name, object? Value)[] query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var url = path;
        foreach (var (name, value) in query)
        {
            if (Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } text)
            {
                url = QueryHelpers.AddQueryString(url, name, text);
            }
        }

        return IsAnchor(anchor) ? url + anchor : url;
    }

    private static void Keep(PageModel page, string? message, string? at)
    {
        page.TempData[MessageKey] = message;
        if (at is null)
        {
            page.TempData.Remove(MessageAtKey);
        }
        else
        {
            page.TempData[MessageAtKey] = at;
        }
    }

    private static bool IsAnchor(string? anchor) =>
        anchor is { Length: > 1 } && anchor[0] == '#' && anchor.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
