using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Lockout, idle timeout, absolute lifetime, revocation and password expiry, on a clock the test moves.</summary>
public sealed class SessionTests(ClockApp app) : IClassFixture<ClockApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeClock Clock => app.Clock!;

    private async Task<string> NewUserAsync(string prefix, bool initialPassword = false, string role = Roles.RectificationOffice)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, prefix, app.InspectedOrganization, [role], app.Password, Ct, initialPassword);
        return name;
    }

    private static async Task<HttpStatusCode> Home(HttpClient client) => (await client.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode;

    private static async Task<string?> HomeRedirect(HttpClient client) => Where((await client.GetAsync(new Uri("/", UriKind.Relative), Ct)).Headers.Location);

    private static string? Where(Uri? location) => location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        var name = await NewUserAsync("lock");
        using var client = app.Client();
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync(name, "Wrong-password-123");
        }

        Clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        var stillLocked = await client.SignInAsync(name, app.Password);
        Assert.Equal(HttpStatusCode.OK, stillLocked.StatusCode);
        Assert.Contains("用户名或密码错误。", await stillLocked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Home(client));
    }

    [Fact]
    public async Task A_session_ends_after_fifteen_idle_minutes()
    {
        var name = await NewUserAsync("idle");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);

        Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, await Home(client));

        Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_sent_after_the_session_ended_keeps_its_words_for_its_person_to_copy_once_after_signing_in_again()
    {
        var name = await NewUserAsync("unsent");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        var form = await client.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct);

        // Twenty minutes over the form, then 登记: the sign-in page, saying why, and back to the page, not to its handler.
        Clock.Advance(TimeSpan.FromMinutes(20));
        var typed = "超时前填写的巡察名称" + name[^6..];
        var sent = await client.PostFormAsync("/inspections/new?handler=Register", form, new Dictionary<string, string> { ["Title"] = typed, ["Round"] = "十五届第九轮", ["OnSiteFrom"] = "2026-01-05" });
        var signIn = Where(sent.Headers.Location);
        Assert.Equal("/Account/SignIn?ReturnUrl=%2Finspections%2Fnew&expired=true&unsent=true", signIn);
        Assert.Contains("登录已超时", await client.GetStringAsync(new Uri(signIn!, UriKind.Relative), Ct), StringComparison.Ordinal);

        // Another person signing in on that browser reads nothing of it.
        var other = await NewUserAsync("unsent");
        using (var someoneElse = app.Client())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await someoneElse.SignInAsync(other, app.Password)).StatusCode);
            Assert.DoesNotContain(typed, await someoneElse.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct), StringComparison.Ordinal);
        }

        // The person, signed in again, reads the words once, above the page; not the date, not the form's token.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct));
        var kept = page.QuerySelectorAll("#unsent-form textarea").Select(t => t.TextContent).ToList();
        Assert.Equal([typed, "十五届第九轮"], kept);
        Assert.DoesNotContain(typed, await client.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct), StringComparison.Ordinal);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>().Inspections.AnyAsync(i => i.Title == typed, Ct));
    }

    [Fact]
    public async Task A_session_ends_eight_hours_after_sign_in_however_active()
    {
        var name = await NewUserAsync("absolute");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        for (var minutes = 10; minutes < 8 * 60; minutes += 10)
        {
            Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.True(await Home(client) == HttpStatusCode.OK, $"still signed in at +{minutes} min");
        }

        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabling_a_user_or_resetting_their_password_ends_their_sessions_within_a_minute()
    {
        var disabled = await NewUserAsync("disable");
        var reset = await NewUserAsync("reset");
        using var a = app.Client();
        using var b = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await a.SignInAsync(disabled, app.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await b.SignInAsync(reset, app.Password)).StatusCode);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.DisableAsync(disabled);
            // The administrator's reset: the password stops working and a one-time link is issued (the admin never sees a password).
            await admin.IssuePasswordLinkAsync((await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rectify.Data.RectifyUser>>().FindByNameAsync(reset))!, Ct);
        }

        Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(a), StringComparison.Ordinal);
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(b), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_link_works_once_and_not_after_its_day()
    {
        var late = await NewUserAsync("late");
        var once = await NewUserAsync("once");
        string lateToken, onceToken, onceId;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rectify.Data.RectifyUser>>();
            lateToken = await admin.IssuePasswordLinkAsync((await users.FindByNameAsync(late))!, Ct);
            var onceUser = (await users.FindByNameAsync(once))!;
            onceId = onceUser.Id;
            var superseded = await admin.IssuePasswordLinkAsync(onceUser, Ct);
            onceToken = await admin.IssuePasswordLinkAsync(onceUser, Ct);
            Assert.False(await admin.PasswordLinkIsValidAsync(onceUser, superseded));

            // A role change between the link and its use (the security administrator granting roles) does not void it.
            await admin.SetRolesAsync(once, [Roles.ResponsibleLeader]);
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.SetPasswordByLinkAsync(onceId, onceToken, "Moss-Lantern-Cedar-41", Ct);
            var again = await Assert.ThrowsAsync<UserAdministrationException>(() => admin.SetPasswordByLinkAsync(onceId, onceToken, "Moss-Lantern-Cedar-42", Ct));
            Assert.Contains("链接无效或已过期", again.Message, StringComparison.Ordinal);
        }

        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(once, "Moss-Lantern-Cedar-41")).StatusCode);

        // A day and an hour later the other link opens nothing.
        Clock.Advance(TimeSpan.FromHours(25));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var lateId = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rectify.Data.RectifyUser>>().FindByNameAsync(late))!.Id;
            Assert.Contains("链接无效或已过期", await client.GetStringAsync(new Uri($"/Account/SetPassword?user={lateId}&token={lateToken}", UriKind.Relative), Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_changed_role_ends_the_users_sessions_within_a_minute()
    {
        var name = await NewUserAsync("role");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        var ledger = new Uri($"/inspections/{app.InspectionId}", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ledger, Ct)).StatusCode);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetRolesAsync(name, []);
        }

        // The session ends; signed in again, the user has the new roles (none) and the ledger is gone.
        Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.StartsWith("/Account/SignIn", Where((await client.GetAsync(ledger, Ct)).Headers.Location), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(ledger, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_password_expires_after_ninety_days_and_then_only_a_change_is_allowed()
    {
        var name = await NewUserAsync("expiry");
        Clock.Advance(TimeSpan.FromDays(89));
        using (var early = app.Client())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await early.SignInAsync(name, app.Password)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, await Home(early));
        }

        Clock.Advance(TimeSpan.FromDays(2));
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        Assert.StartsWith("/Account/ChangePassword", await HomeRedirect(client), StringComparison.Ordinal);
        var api = await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("password_expired", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(client, app.Password, "New-Passw0rd-after-90")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Home(client));
    }

    [Fact]
    public async Task An_initial_password_must_be_changed_first_may_not_be_reused_and_expires_after_a_day()
    {
        var name = await NewUserAsync("initial", initialPassword: true);
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        foreach (var path in new[] { "/", $"/inspections/{app.InspectionId}", "/organizations" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.StartsWith("/Account/ChangePassword", Where(response.Headers.Location), StringComparison.Ordinal);
        }

        var same = await ChangeAsync(client, app.Password, app.Password);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Contains("不能使用当前密码或最近 5 次用过的密码", await same.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var weak = await ChangeAsync(client, app.Password, "alllowercaseletters");
        Assert.Contains("至少 3 类", await weak.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(client, app.Password, "Second-Passw0rd-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Home(client));

        // The history holds the passwords before the current one.
        var back = await ChangeAsync(client, "Second-Passw0rd-1", app.Password);
        Assert.Contains("不能使用当前密码或最近 5 次用过的密码", await back.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var longPassphrase = "工作落实要件件有着落、事事有回音，Ledger-2026! " + new string('长', 40);
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(client, "Second-Passw0rd-1", longPassphrase)).StatusCode);
        using (var again = app.Client())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(name, longPassphrase)).StatusCode);
        }

        // Another user's initial password goes unused for a day and stops working.
        var late = await NewUserAsync("late", initialPassword: true);
        Clock.Advance(TimeSpan.FromHours(25));
        using var lateClient = app.Client();
        var refused = await lateClient.SignInAsync(late, app.Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("初始密码已过期", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(lateClient), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_must_enrol_a_second_factor_and_then_signs_in_with_it()
    {
        var name = await NewUserAsync("sysadmin", role: Roles.SystemAdministrator);
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        Assert.StartsWith("/Account/TwoFactor", await HomeRedirect(client), StringComparison.Ordinal);
        var api = await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("second_factor_required", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var start = await client.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        Assert.DoesNotContain("shared-key", start, StringComparison.Ordinal);

        // Until enrolled the bar offers nothing the gate would send back here: who, 退出 and the language only.
        Assert.DoesNotContain("href=\"/organizations\"", start, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/inbox\"", start, StringComparison.Ordinal);
        Assert.Contains("退出", start, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Account/TwoFactor?handler=Key", start, [])).StatusCode);

        // Scanning takes a while: the session survives the key's new security stamp.
        Clock.Advance(TimeSpan.FromMinutes(3));
        var page = await client.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        var key = System.Text.RegularExpressions.Regex.Match(page, @"id=""shared-key"">([a-z0-9 ]+)<").Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal);

        var wrong = await client.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = "000000" });
        Assert.Contains("验证码不正确", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var enrolled = await client.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = Totp.Code(key, Clock.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(await enrolled.Content.ReadAsStringAsync(Ct), "<li><code>"));
        Assert.Equal(HttpStatusCode.OK, await Home(client));
        Assert.Contains("href=\"/organizations\"", await client.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Next time (in a later 30-second step: a code is good once) the password alone is not enough.
        Clock.Advance(TimeSpan.FromSeconds(30));
        using var next = app.Client();
        var first = await next.SignInAsync(name, app.Password);
        Assert.StartsWith("/Account/SignInCode", Where(first.Headers.Location), StringComparison.Ordinal);
        Assert.StartsWith("/Account/SignIn", await HomeRedirect(next), StringComparison.Ordinal);
        var codePage = await next.GetStringAsync(new Uri("/Account/SignInCode", UriKind.Relative), Ct);
        var bad = await next.PostFormAsync("/Account/SignInCode", codePage, new Dictionary<string, string> { ["code"] = "123456" });
        Assert.Contains("验证码不正确", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var good = await next.PostFormAsync("/Account/SignInCode", codePage, new Dictionary<string, string> { ["code"] = Totp.Code(key, Clock.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Home(next));
    }

    [Fact]
    public async Task An_api_token_stops_working_when_it_expires()
    {
        var name = await NewUserAsync("token");
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(name, null, 7, Ct);
        }

        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);
        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next) =>
        client.PostFromPageAsync("/Account/ChangePassword", "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["currentPassword"] = current,
            ["newPassword"] = next,
            ["confirmPassword"] = next,
        });
}
