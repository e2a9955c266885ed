using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// Waiting in a browser test for the page a click led to (a form sent, a link followed).
/// </summary>
/// <remarks>
/// Playwright's <c>WaitForURLAsync</c> waits by default for the new document's load event. With Debian's Chromium on a
/// loaded CI machine that event was, now and then, never reported to Playwright although the page had loaded: the
/// screenshot taken when the 60 s ran out showed the whole page (a 整改方案 page after 登记, once; the home page after
/// signing in, once). These wait instead for the address to commit, then for the layout's footer, the last element of
/// every signed-in and sign-in page (the document has been parsed to its end), then for its style sheets to have loaded,
/// so that what the steps after measure or photograph is the page as styled. The sheets are asked for by evaluation in
/// a loop, not by a function waiting in the page, which a context without JavaScript would never run.
/// </remarks>
internal static class PageArrival
{
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    /// <summary>Waits until the page shows <paramref name="url"/>, parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, string url)
    {
        await page.WaitForURLAsync(url, Committed);
        await ParsedAsync(page);
    }

    /// <summary>Waits until the page's address matches <paramref name="url"/> and the page is parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, Regex url)
    {
        await page.WaitForURLAsync(url, Committed);
        await ParsedAsync(page);
    }

    /// <summary>Waits until <paramref name="url"/> holds for the page's address and the page is parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, Func<string, bool> url)
    {
        await page.WaitForURLAsync(url, Committed);
        await ParsedAsync(page);
    }

    /// <summary>Signs <paramref name="user"/> in on the sign-in page of <paramref name="baseUrl"/> and waits for the home page.</summary>
    public static async Task SignInAsync(this IPage page, string baseUrl, string user, string password)
    {
        await page.GotoAsync(baseUrl + "/Account/SignIn");
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.ArrivedAtAsync(baseUrl + "/");
    }

    private static async Task ParsedAsync(IPage page)
    {
        await page.Locator("body > footer").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await page.EvaluateAsync<bool>("() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).every(l => l.sheet !== null)"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the style sheets of {page.Url} did not load within 60 s");
            }

            await Task.Delay(50);
        }
    }
}
