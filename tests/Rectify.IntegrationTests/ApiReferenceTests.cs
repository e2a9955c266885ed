using System.Net;
using Microsoft.Playwright;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #17: the API's reference for people (Scalar at /api/docs) needs a sign-in, renders the live document in
/// Chromium with nothing fetched from outside the server (an office network has no way out), and runs no script but
/// its own (the page's content security policy allows only the inline script marked with this response's nonce).
/// </summary>
public sealed class ApiReferenceTests(AccessibilityApp app) : IClassFixture<AccessibilityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stranger_is_sent_to_the_sign_in_and_never_sees_the_reference()
    {
        app.RequireAvailable();
        using var stranger = app.Client();
        using var answer = await stranger.GetAsync(new Uri("/api/docs/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Contains("/Account/SignIn", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_person_reads_the_live_document_with_nothing_fetched_from_outside_and_no_foreign_script()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var origin = app.ServerAddress!.GetLeftPart(UriPartial.Authority);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
        var outside = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal) || route.Request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (outside)
                {
                    outside.Add(route.Request.Url);
                }

                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (refused)
                {
                    refused.Add(message.Text);
                }
            }
        };

        await page.GotoAsync(origin + "/Account/SignIn");
        await page.FillAsync("#userName", "office");
        await page.FillAsync("#password", app.Password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.AddressedAsync(origin + "/");

        var answer = await page.GotoAsync(origin + "/api/docs/");
        Assert.Equal(200, answer!.Status);
        var policy = await answer.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", policy!.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The document's own words, rendered: an operation's summary and the document's description.
        await page.GetByText("巡察列表（分页）").First.WaitForAsync();
        await page.GetByText("巡察整改管理系统接口", new PageGetByTextOptions { Exact = false }).First.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "rectify-api-docs.png") });

        Assert.True(outside.Count == 0, "fetched from outside the server: " + string.Join(", ", outside.Distinct()));
        Assert.True(refused.Count == 0, "refused by the content security policy: " + string.Join(" | ", refused));
    }
}
