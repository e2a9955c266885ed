using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #13's "sign-out ends nothing on the server": a sign-in cookie captured before sign-out (or before the
/// password, the account or the roles changed) is replayed, and refused at once — no minute's grace.
/// </summary>
public abstract class ServerSessionTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewUserAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, prefix, app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        return name;
    }

    /// <summary>Signs in and returns the sign-in cookie as the browser would send it back.</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string name)
    {
        var client = app.Client();
        var response = await client.SignInAsync(name, app.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("rectify.auth=", StringComparison.Ordinal));
        return (client, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
    }

    /// <summary>A request made with nothing but the captured cookie, as an attacker holding it would.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string path = "/")
    {
        using var attacker = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await attacker.SendAsync(request, Ct);
    }

    private static bool SentToSignIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/Account/SignIn", StringComparison.Ordinal) == true;

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused_and_sign_out_clears_the_site_data()
    {
        app.RequireAvailable();
        var name = await NewUserAsync("signout");
        var (client, cookie) = await SignInAsync(name);
        using var _ = client;
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(cookie)).StatusCode);

        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        var signOut = await client.PostFormAsync("/Account/SignOut", page, []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("\"cache\", \"cookies\", \"storage\"", string.Join(", ", signOut.Headers.GetValues("Clear-Site-Data")));

        Assert.True(SentToSignIn(await ReplayAsync(cookie)), "the cookie captured before sign-out still opens the home page");
        Assert.Equal(HttpStatusCode.Unauthorized, (await ReplayAsync(cookie, "/api/v1/inspections")).StatusCode);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var userId = await db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync(Ct);
        var session = await db.Sessions.AsNoTracking().Where(s => s.UserId == userId).SingleAsync(Ct);
        Assert.Equal(Sessions.Reasons.SignedOut, session.EndReason);
    }

    [Fact]
    public async Task A_new_password_a_disabled_account_and_a_changed_role_end_every_session_at_once()
    {
        app.RequireAvailable();
        var reset = await NewUserAsync("reset");
        var disabled = await NewUserAsync("disable");
        var role = await NewUserAsync("role");
        var (a, resetCookie) = await SignInAsync(reset);
        var (b, disabledCookie) = await SignInAsync(disabled);
        var (c, roleCookie) = await SignInAsync(role);
        using var _ = a;
        using var __ = b;
        using var ___ = c;
        foreach (var cookie in new[] { resetCookie, disabledCookie, roleCookie })
        {
            Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(cookie)).StatusCode);
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            // The administrator's reset: the password stops working and a one-time link is issued (the admin never sees a password).
            await admin.IssuePasswordLinkAsync((await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rectify.Data.RectifyUser>>().FindByNameAsync(reset))!, Ct);
            await admin.DisableAsync(disabled);
            await admin.SetRolesAsync(role, [Roles.ResponsibleLeader]);
        }

        // No clock moves: the very next request is refused.
        Assert.True(SentToSignIn(await ReplayAsync(resetCookie)), "a password reset left the session open");
        Assert.True(SentToSignIn(await ReplayAsync(disabledCookie)), "disabling the account left the session open");
        Assert.True(SentToSignIn(await ReplayAsync(roleCookie)), "a role change left the session open");
    }

    [Fact]
    public async Task Changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one()
    {
        app.RequireAvailable();
        var name = await NewUserAsync("own");
        var (here, _) = await SignInAsync(name);
        var (elsewhere, otherCookie) = await SignInAsync(name);
        using var h = here;
        using var e = elsewhere;
        var changed = await here.PostFromPageAsync("/Account/ChangePassword", "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["currentPassword"] = app.Password,
            ["newPassword"] = "Changed-Passw0rd-" + app.Provider,
            ["confirmPassword"] = "Changed-Passw0rd-" + app.Provider,
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode);
        Assert.True(SentToSignIn(await ReplayAsync(otherCookie)), "the other browser's session survived the password change");
    }
}

public sealed class ServerSessionTestsOnSqlite(SqliteApp app) : ServerSessionTests(app), IClassFixture<SqliteApp>;

public sealed class ServerSessionTestsOnPostgres(PostgresApp app) : ServerSessionTests(app), IClassFixture<PostgresApp>;

public sealed class SessionBrowserApp() : AppFixture(Provider.Sqlite, kestrel: true);

/// <summary>The same replay from a real browser: the cookie Chromium held before signing out, put back into a fresh browser, opens nothing.</summary>
public sealed class SessionBrowserTests(SessionBrowserApp app) : IClassFixture<SessionBrowserApp>
{
    [Fact]
    public async Task A_cookie_replayed_in_the_browser_after_sign_out_is_refused()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');

        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/Account/SignIn");
        await page.FillAsync("input[name=userName]", "office");
        await page.FillAsync("input[name=password]", app.Password);
        await page.ClickAsync(".signin button[type=submit]");
        await page.ArrivedAtAsync(u => !u.Contains("/Account/SignIn", StringComparison.Ordinal));
        var captured = (await context.CookiesAsync()).Where(c => c.Name == "rectify.auth").ToList();
        Assert.Single(captured);

        await page.Locator("form[action='/Account/SignOut'] button").ClickAsync();
        await page.ArrivedAtAsync(u => u.Contains("/Account/SignIn", StringComparison.Ordinal));
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "rectify.auth");

        // Another browser gets the captured cookie and asks for the home page: it lands on the sign-in page.
        var replay = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        await replay.AddCookiesAsync(captured.Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, SameSite = c.SameSite }));
        var replayed = await replay.NewPageAsync();
        await replayed.GotoAsync(baseUrl + "/");
        Assert.Contains("/Account/SignIn", replayed.Url, StringComparison.Ordinal);
        Assert.Equal(0, await replayed.Locator("form[action='/Account/SignOut']").CountAsync());
    }
}
