using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// Waiting in a browser test for the page a click led to (a form sent, a link followed).
/// </summary>
/// <remarks>
/// Playwright's <c>WaitForURLAsync</c> waits for the document's load event. With Debian's Chromium on a loaded CI
/// machine that event was, now and then, missed although the page had loaded (<see
/// cref="AddressedAsync(IPage,Func{string,bool})"/> says why): the screenshot taken when the 60 s ran out showed the
/// whole page (a 整改方案 page after 登记, once; the home page after signing in, once). These wait instead for the address to
/// commit, then for the layout's footer, the last element of every signed-in and sign-in page (the document has been
/// parsed to its end), then for its style sheets to have loaded, so that what the steps after measure or photograph is
/// the page as styled. The sheets are asked for by evaluation in a loop, not by a function waiting in the page, which a
/// context without JavaScript would never run.
/// </remarks>
internal static class PageArrival
{
    /// <summary>Waits until the page shows <paramref name="url"/> (the whole address), parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, string url)
    {
        await page.AddressedAsync(url);
        await ParsedAsync(page);
    }

    /// <summary>Waits until the page's address matches <paramref name="url"/> and the page is parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, Regex url)
    {
        await page.AddressedAsync(url.IsMatch);
        await ParsedAsync(page);
    }

    /// <summary>Waits until <paramref name="url"/> holds for the page's address and the page is parsed to its footer.</summary>
    public static async Task ArrivedAtAsync(this IPage page, Func<string, bool> url)
    {
        await page.AddressedAsync(url);
        await ParsedAsync(page);
    }

    /// <summary>Waits until the page's address is <paramref name="url"/> (committed), and nothing more.</summary>
    public static Task AddressedAsync(this IPage page, string url) =>
        page.AddressedAsync(address => string.Equals(address, url, StringComparison.Ordinal));

    /// <summary>
    /// Waits until <paramref name="url"/> holds for the page's address, asked every 50 ms for 60 s. Not Playwright's
    /// <c>WaitForURLAsync</c>: when the address already matches as it is called (the click's navigation committed
    /// first, likelier the busier the machine), Playwright 1.64's .NET client waits for the document's load event
    /// whatever <c>WaitUntil</c> says, and does so by checking the events seen so far and then subscribing to the next
    /// ones, so a load event that arrives between the two is missed and the wait runs out (the CI log of such a failure:
    /// "NetworkIdle event fired", after the page had loaded).
    /// </summary>
    public static async Task AddressedAsync(this IPage page, Func<string, bool> url)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(url);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!url(page.Url))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the page did not reach the expected address within 60 s: it is at {page.Url}");
            }

            await Task.Delay(50);
        }
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
