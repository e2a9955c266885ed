using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Outside demo mode with the default second-factor policy, low sign-in limits, a known proxy (127.0.0.1, the test
/// client) and an AllowedHosts list: Kestrel, so that the remote address is real.
/// </summary>
public abstract class HardeningApp(Provider provider) : AppFixture(provider, kestrel: true, demoMode: false, extraSettings: new Dictionary<string, string?>
{
    ["Security:SignInLimits:PerAddress:PermitLimit"] = "12",
    ["Security:SignInLimits:PerAddress:WindowSeconds"] = "600",
    ["Security:SignInLimits:PerAccount:PermitLimit"] = "10",
    ["Security:SignInLimits:PerAccount:WindowSeconds"] = "600",
    ["Security:KnownProxies:0"] = "127.0.0.1",
    ["AllowedHosts"] = "localhost;127.0.0.1;rectify.example",
});

public sealed class HardeningSqliteApp() : HardeningApp(Provider.Sqlite);

public sealed class HardeningPostgresApp() : HardeningApp(Provider.Postgres);

/// <summary>
/// Issue #13's sign-in and transport attacks, through the real server: no limit per address or account, business users
/// with a password alone, an administrator who resets a password and becomes the user, the second factor reset by the
/// system administrator, cookies that are never Secure behind a TLS proxy, a forged Host echoed in a redirect.
/// </summary>
public abstract partial class SignInHardeningTests(HardeningApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int nextAddress;

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();

    [GeneratedRegex("id=\"shared-key\">([^<]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("id=\"password-link\" href=\"([^\"]+)\"")]
    private static partial Regex PasswordLinkHref();

    /// <summary>A client behind the known proxy, as a visitor of its own address (so that one test's attempts do not use up another's).</summary>
    private HttpClient Client(string? address = null, bool cookies = true, IPAddress? from = null) =>
        Http.BehindProxy(app.ServerAddress, address ?? $"10.13.{Interlocked.Increment(ref nextAddress) / 250}.{(nextAddress % 250) + 1}", from, cookies);

    private async Task<(string Name, string? Key)> UserAsync(string prefix, string role, bool enrolled)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, prefix, Roles.Administrators.Contains(role) ? null : app.InspectedOrganization, [role], app.Password, Ct, initialPassword: false);
        if (!enrolled)
        {
            return (name, null);
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
        var user = (await users.FindByNameAsync(name))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (name, await users.GetAuthenticatorKeyAsync(user));
    }

    private async Task<HttpClient> SignedInWithCodeAsync(string name, string key)
    {
        var client = Client();
        var first = await client.SignInAsync(name, app.Password);
        Assert.StartsWith("/Account/SignInCode", first.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var second = await client.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        return client;
    }

    private static async Task<string?> HomeRedirect(HttpClient client) => (await client.GetAsync(new Uri("/", UriKind.Relative), Ct)).Headers.Location?.OriginalString;

    [Fact]
    public async Task Every_role_needs_a_second_factor_outside_demo_mode_and_only_business_roles_can_be_relaxed()
    {
        app.RequireAvailable();
        foreach (var role in new[] { Roles.RectificationOffice, Roles.UnitReporter, Roles.InspectionBody, Roles.SystemAdministrator })
        {
            var (name, _) = await UserAsync("mfa", role, enrolled: false);
            using var client = Client();
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
            Assert.StartsWith("/Account/TwoFactor", await HomeRedirect(client), StringComparison.Ordinal);
        }

        // The per-role setting: business roles may be relaxed, the 三员 never, and a name that is not a role is refused.
        Assert.True(new SecondFactorPolicy().RequiredFor([Roles.RectificationOffice]));
        Assert.False(new SecondFactorPolicy { NotRequiredFor = [Roles.InspectionBody] }.RequiredFor([Roles.InspectionBody]));
        Assert.True(new SecondFactorPolicy { NotRequiredFor = [Roles.InspectionBody] }.RequiredFor([Roles.InspectionBody, Roles.RectificationOffice]));
        Assert.False(new SecondFactorPolicy().RequiredFor([]));
        Assert.Contains("三员", new SecurityPolicyOptions { SecondFactor = { NotRequiredFor = [Roles.SystemAdministrator] } }.Problem(), StringComparison.Ordinal);
        Assert.Contains("不是角色", new SecurityPolicyOptions { SecondFactor = { NotRequiredFor = ["Everybody"] } }.Problem(), StringComparison.Ordinal);
        Assert.Contains("“10.0.0.0/33”不是网络", new SecurityPolicyOptions { AdminNetworks = ["10.0.0.0/8", "10.0.0.0/33"] }.Problem(), StringComparison.Ordinal);
        Assert.Null(new SecurityPolicyOptions { AdminNetworks = ["10.0.0.0/8", "192.0.2.7", "fd00::/8"] }.Problem());
    }

    [Fact]
    public async Task Recovery_codes_are_shown_once_kept_as_digests_each_signs_in_once_and_a_new_set_voids_the_old()
    {
        app.RequireAvailable();
        var (name, _) = await UserAsync("recover", Roles.RectificationOffice, enrolled: false);

        // Enrolment through the pages: the key, a code, and the ten recovery codes shown once.
        using var owner = Client();
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(name, app.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFromPageAsync("/Account/TwoFactor", "/Account/TwoFactor?handler=Key", [])).StatusCode);
        var page = await owner.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        var key = SharedKey().Match(page).Groups[1].Value;
        var enrolled = await owner.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var shown = await enrolled.Content.ReadAsStringAsync(Ct);
        var codes = RecoveryCode().Matches(shown).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        var again = await owner.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        Assert.DoesNotContain(codes[0], again, StringComparison.Ordinal);
        Assert.Contains("10", again, StringComparison.Ordinal);

        // The database keeps digests only.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var id = await db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync(Ct);
            var stored = await db.UserTokens.Where(t => t.UserId == id && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync(Ct);
            Assert.DoesNotContain(codes[0], stored!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(codes[0].Replace("-", string.Empty, StringComparison.Ordinal), stored!, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(RectifyUserStore.RecoveryCodeDigest(id, codes[0]), stored!, StringComparison.Ordinal);
        }

        // A recovery code in place of the authenticator's code (typed in lower case without the dash): once.
        using (var phoneLost = Client())
        {
            Assert.StartsWith("/Account/SignInCode", (await phoneLost.SignInAsync(name, app.Password)).Headers.Location?.OriginalString, StringComparison.Ordinal);
            var used = await phoneLost.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = codes[0].Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant() });
            Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await phoneLost.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode);
        }

        using (var replay = Client())
        {
            await replay.SignInAsync(name, app.Password);
            var refused = await replay.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = codes[0] });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("验证码不正确", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // A new set (with the authenticator's next code: the one of enrolment is used): the old unused codes stop working, a new one works.
        var renewed = await owner.PostFromPageAsync("/Account/TwoFactor", "/Account/TwoFactor?handler=RecoveryCodes", new Dictionary<string, string> { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        var fresh = RecoveryCode().Matches(await renewed.Content.ReadAsStringAsync(Ct)).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(codes));
        using var later = Client();
        await later.SignInAsync(name, app.Password);
        var old = await later.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = codes[1] });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        var newer = await later.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = fresh[0] });
        Assert.Equal(HttpStatusCode.Redirect, newer.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_recovery_codes_lock_the_account_like_five_wrong_passwords()
    {
        app.RequireAvailable();
        var (name, _) = await UserAsync("guess", Roles.RectificationOffice, enrolled: true);
        using var attacker = Client();
        Assert.StartsWith("/Account/SignInCode", (await attacker.SignInAsync(name, app.Password)).Headers.Location?.OriginalString, StringComparison.Ordinal);
        var form = await attacker.GetStringAsync(new Uri("/Account/SignInCode", UriKind.Relative), Ct);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await attacker.PostFormAsync("/Account/SignInCode", form, new Dictionary<string, string> { ["code"] = $"ABCDE-FGH{i}J" });
        }

        // The fifth wrong code locks: the answer is the sign-in page's, and the right password no longer opens anything.
        Assert.Equal("/Account/SignIn?locked=True", last!.Headers.Location?.OriginalString);
        using var owner = Client();
        Assert.Contains("用户名或密码错误", await (await owner.SignInAsync(name, app.Password)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_reset_is_a_one_time_link_the_administrator_cannot_use_to_become_the_user_and_only_the_security_administrator_resets_the_second_factor()
    {
        app.RequireAvailable();
        var (target, targetKey) = await UserAsync("target", Roles.RectificationOffice, enrolled: true);
        var (sysName, sysKey) = await UserAsync("sys", Roles.SystemAdministrator, enrolled: true);
        var (secName, secKey) = await UserAsync("sec", Roles.SecurityAdministrator, enrolled: true);
        string targetId;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            targetId = (await scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>().FindByNameAsync(target))!.Id;
        }

        // The system administrator resets the password: a link, no password, and the old password stops working.
        using var sys = await SignedInWithCodeAsync(sysName, sysKey!);
        var reset = await sys.PostFromPageAsync($"/admin/users/{targetId}", $"/admin/users/{targetId}?handler=ResetPassword", []);
        var html = await reset.Content.ReadAsStringAsync(Ct);
        Assert.Contains("第二因素未改变", html, StringComparison.Ordinal);
        Assert.DoesNotContain("initial-password", html, StringComparison.Ordinal);
        var link = new Uri(WebUtility.HtmlDecode(PasswordLinkHref().Match(html).Groups[1].Value));
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        using (var old = Client())
        {
            Assert.Contains("用户名或密码错误", await (await old.SignInAsync(target, app.Password)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Nothing the administrator can read back: the token is kept only as a digest, and the page does not show it again.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            Assert.False(await db.UserTokens.AnyAsync(t => t.Value != null && t.Value.Contains(token.Substring(0, 20)), Ct));
        }

        Assert.DoesNotContain("password-link", await sys.GetStringAsync(new Uri($"/admin/users/{targetId}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The administrator who sets a password through the link still meets the user's second factor: no way in.
        const string Chosen = "Quiet-Harbour-Lamp-93";
        using (var admin = Client())
        {
            var form = await admin.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative), Ct);
            var set = await admin.PostFormAsync(link.PathAndQuery, form, new Dictionary<string, string> { ["user"] = targetId, ["token"] = token, ["newPassword"] = Chosen, ["confirmPassword"] = Chosen });
            Assert.Equal("/Account/SignIn?passwordSet=True", set.Headers.Location?.OriginalString);
            Assert.StartsWith("/Account/SignInCode", (await admin.SignInAsync(target, Chosen)).Headers.Location?.OriginalString, StringComparison.Ordinal);
            Assert.StartsWith("/Account/SignIn", await HomeRedirect(admin), StringComparison.Ordinal);

            // The link is good once.
            Assert.Contains("链接无效或已过期", await admin.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative), Ct), StringComparison.Ordinal);
            var twice = await admin.PostFormAsync(link.PathAndQuery, form, new Dictionary<string, string> { ["user"] = targetId, ["token"] = token, ["newPassword"] = Chosen + "x", ["confirmPassword"] = Chosen + "x" });
            Assert.Contains("链接无效或已过期", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The user, with their authenticator, gets in.
        using (var user = Client())
        {
            await user.SignInAsync(target, Chosen);
            var code = await user.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = Totp.Code(targetKey!, DateTimeOffset.UtcNow) });
            Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await user.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode);
        }

        // Resetting the second factor is not the system administrator's step; it is the security administrator's.
        Assert.Equal(HttpStatusCode.NotFound, (await sys.PostFromPageAsync($"/admin/users/{targetId}", $"/admin/users/{targetId}?handler=ResetSecondFactor", [])).StatusCode);
        using var sec = await SignedInWithCodeAsync(secName, secKey!);
        var detail = await sec.GetStringAsync(new Uri($"/admin/users/{targetId}", UriKind.Relative), Ct);
        Assert.DoesNotContain("handler=ResetPassword", detail, StringComparison.Ordinal);
        var cleared = await sec.FollowedAsync(await sec.PostFormAsync($"/admin/users/{targetId}?handler=ResetSecondFactor", detail, []));
        Assert.Contains("已重置第二因素", await cleared.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            var user = (await users.FindByIdAsync(targetId))!;
            Assert.False(user.TwoFactorEnabled);
            Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
            Assert.True(await users.CheckPasswordAsync(user, Chosen));
        }

        // The password is unchanged, and the next sign-in enrols afresh.
        using var next = Client();
        Assert.Equal(HttpStatusCode.Redirect, (await next.SignInAsync(target, Chosen)).StatusCode);
        Assert.StartsWith("/Account/TwoFactor", await HomeRedirect(next), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_or_an_address_over_its_sign_in_limit_gets_429_with_retry_after_and_the_users_api_token_still_works()
    {
        app.RequireAvailable();
        var (victim, _) = await UserAsync("victim", Roles.RectificationOffice, enrolled: true);
        string token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(victim, "ledger sync", 30, Ct)).Token;
        }

        // Per account: ten attempts from ten addresses are answered (locked after five, with the same words); the eleventh is 429.
        for (var i = 1; i <= 10; i++)
        {
            using var attacker = Client($"198.51.100.{i}");
            var answer = await attacker.SignInAsync(victim, "Wrong-Passw0rd-" + i);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("用户名或密码错误", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var eleventh = Client("198.51.100.11"))
        {
            var limited = await eleventh.SignInAsync(victim, app.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            var wait = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(wait, 1, 600);
            Assert.Contains("登录尝试过于频繁", await limited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Neither the lockout nor the limit touches the user's API token.
        using (var api = Client())
        {
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var inspections = await api.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, inspections.StatusCode);
            Assert.True(inspections.Headers.CacheControl?.NoStore, "API JSON must not be stored");
            var ledger = await api.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, ledger.StatusCode);
            Assert.True(ledger.Headers.CacheControl?.NoStore, "a download must not be stored");
        }

        // Per address: twelve attempts at twelve names are answered; the thirteenth, at a fresh name, is 429.
        for (var i = 1; i <= 12; i++)
        {
            using var sprayer = Client("203.0.113.77");
            Assert.Equal(HttpStatusCode.OK, (await sprayer.SignInAsync($"nobody-{i}", "Summer-2026-Passw0rd")).StatusCode);
        }

        using (var thirteenth = Client("203.0.113.77"))
        {
            var limited = await thirteenth.SignInAsync("nobody-13", "Summer-2026-Passw0rd");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.True(limited.Headers.Contains("Retry-After"));
        }

        // The second-factor step counts against the same account: its code guesses meet the limit too.
        var (coder, _) = await UserAsync("coder", Roles.RectificationOffice, enrolled: true);
        using var guesser = Client();
        Assert.StartsWith("/Account/SignInCode", (await guesser.SignInAsync(coder, app.Password)).Headers.Location?.OriginalString, StringComparison.Ordinal);
        var form = await guesser.GetStringAsync(new Uri("/Account/SignInCode", UriKind.Relative), Ct);
        for (var i = 2; i <= 10; i++)
        {
            // Wrong codes count towards the lockout too (after five the answer is the sign-in page's); none is 429 yet.
            var guess = await guesser.PostFormAsync("/Account/SignInCode", form, new Dictionary<string, string> { ["code"] = (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            Assert.NotEqual(HttpStatusCode.TooManyRequests, guess.StatusCode);
        }

        var over = await guesser.PostFormAsync("/Account/SignInCode", form, new Dictionary<string, string> { ["code"] = "123456" });
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Contains("登录尝试过于频繁", await over.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_host_is_refused_and_never_echoed_and_https_from_a_known_proxy_gets_hsts_and_host_prefixed_secure_cookies()
    {
        app.RequireAvailable();

        // A Host outside AllowedHosts: 400. An allowed one: the redirect to sign in is relative, carrying no host.
        using (var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(app.ServerAddress!, "/inspections")))
        {
            forged.Headers.Host = "evil.example";
            using var client = Client();
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(forged, Ct)).StatusCode);
        }

        using (var allowed = new HttpRequestMessage(HttpMethod.Get, new Uri(app.ServerAddress!, "/inspections")))
        {
            allowed.Headers.Host = "rectify.example";
            using var client = Client();
            var answer = await client.SendAsync(allowed, Ct);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.False(answer.Headers.Location!.IsAbsoluteUri, answer.Headers.Location.ToString());
            Assert.StartsWith("/Account/SignIn?ReturnUrl=", answer.Headers.Location.OriginalString, StringComparison.Ordinal);
        }

        // Plain HTTP (the README's local run): plain cookie names, no HSTS.
        using (var plain = Client())
        {
            var page = await plain.GetAsync(new Uri("/Account/SignIn", UriKind.Relative), Ct);
            Assert.False(page.Headers.Contains("Strict-Transport-Security"));
            Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("rectify.af=", StringComparison.Ordinal));
        }

        // HTTPS at the known proxy: HSTS, and every cookie __Host-, Secure, Path=/; only such cookies are read.
        var (name, key) = await UserAsync("tls", Roles.RectificationOffice, enrolled: true);
        var jar = new Dictionary<string, string>();
        using var tls = Client(cookies: false);
        var signIn = await SendAsync(tls, jar, HttpMethod.Get, "/Account/SignIn");
        Assert.StartsWith("max-age=", signIn.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var cookies = signIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c =>
        {
            Assert.StartsWith("__Host-", c, StringComparison.Ordinal);
            Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; path=/", c, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("domain=", c, StringComparison.OrdinalIgnoreCase);
        });
        var html = await signIn.Content.ReadAsStringAsync(Ct);
        var password = await SendAsync(tls, jar, HttpMethod.Post, "/Account/SignIn", new() { ["userName"] = name, ["password"] = app.Password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = Http.AntiforgeryToken(html) });
        Assert.Equal("/Account/SignInCode?returnUrl=%2F", password.Headers.Location?.OriginalString);
        var codePage = await SendAsync(tls, jar, HttpMethod.Get, "/Account/SignInCode");
        var code = await SendAsync(tls, jar, HttpMethod.Post, "/Account/SignInCode", new() { ["code"] = Totp.Code(key!, DateTimeOffset.UtcNow), ["returnUrl"] = "/", ["__RequestVerificationToken"] = Http.AntiforgeryToken(await codePage.Content.ReadAsStringAsync(Ct)) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Contains("__Host-rectify.auth", jar.Keys);
        var home = await SendAsync(tls, jar, HttpMethod.Get, "/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.True(home.Headers.CacheControl?.NoStore, "a signed-in page must not be stored");

        // The same session cookie without its prefix (planted over HTTP, or by a sibling host) is not read over HTTPS.
        var stripped = jar.ToDictionary(kv => kv.Key.Replace("__Host-", string.Empty, StringComparison.Ordinal), kv => kv.Value);
        var planted = await SendAsync(tls, stripped, HttpMethod.Get, "/");
        Assert.StartsWith("/Account/SignIn", planted.Headers.Location?.OriginalString, StringComparison.Ordinal);

        // A client that is not a known proxy cannot claim HTTPS (or another address) with forwarded headers.
        using var stranger = Client(from: IPAddress.Parse("127.0.0.2"));
        using var claim = new HttpRequestMessage(HttpMethod.Get, new Uri(app.ServerAddress!, "/Account/SignIn"));
        claim.Headers.Add("X-Forwarded-Proto", "https");
        var ignored = await stranger.SendAsync(claim, Ct);
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.False(ignored.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(ignored.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-", StringComparison.Ordinal));
    }

    /// <summary>A request as it reaches the application from the TLS proxy (X-Forwarded-Proto: https), with a hand-kept cookie jar.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Dictionary<string, string> jar, HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(app.ServerAddress!, path));
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(kv => kv.Key + "=" + kv.Value)));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        var response = await client.SendAsync(request, Ct);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = set.Split(';')[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (cookie, value) = (pair[..eq], pair[(eq + 1)..]);
            if (value.Length == 0 || set.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                jar.Remove(cookie);
            }
            else
            {
                jar[cookie] = value;
            }
        }

        return response;
    }
}

public sealed class SignInHardeningTestsOnSqlite(HardeningSqliteApp app) : SignInHardeningTests(app), IClassFixture<HardeningSqliteApp>;

public sealed class SignInHardeningTestsOnPostgres(HardeningPostgresApp app) : SignInHardeningTests(app), IClassFixture<HardeningPostgresApp>;

/// <summary>Enrolment and a recovery code in a real browser, outside demo mode: the codes are shown once, and one of them stands in for the phone.</summary>
public sealed class SecondFactorBrowserTests(HardeningSqliteApp app) : IClassFixture<HardeningSqliteApp>
{
    [Fact]
    public async Task A_user_enrols_an_authenticator_keeps_the_recovery_codes_and_signs_in_with_one_when_the_phone_is_away()
    {
        app.RequireAvailable();
        var name = $"browser-{Guid.NewGuid():N}"[..20];
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(name, "浏览器用户", app.InspectedOrganization, [Roles.RectificationOffice], app.Password, TestContext.Current.CancellationToken, initialPassword: false);
        }

        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        var context = await browser.NewContextAsync(new Microsoft.Playwright.BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        async Task SignInAsync()
        {
            await page.GotoAsync(baseUrl + "/Account/SignIn");
            await page.FillAsync("#userName", name);
            await page.FillAsync("#password", app.Password);
            await page.ClickAsync(".signin button[type=submit]");

            // The sign-in answers with a redirect; wait for the page it leads to (network idle once hung a CI run for a minute).
            await page.ArrivedAtAsync(u => new Uri(u).AbsolutePath != "/Account/SignIn");
        }

        // The first sign-in leads to enrolment: key, code, and the ten recovery codes, once.
        await SignInAsync();
        await page.GotoAsync(baseUrl + "/");
        Assert.Contains("/Account/TwoFactor", page.Url, StringComparison.Ordinal);
        await page.ClickAsync("button[type=submit]:has-text('生成密钥和二维码')");
        var key = await page.Locator("#shared-key").InnerTextAsync();
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]:has-text('启用')");
        var codes = await page.Locator("#recovery-codes li code").AllInnerTextsAsync();
        Assert.Equal(10, codes.Count);
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        await page.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "recovery-codes.png"), FullPage = true });
        await page.ClickAsync("#continue");
        await page.ArrivedAtAsync(u => !u.Contains("/Account/", StringComparison.Ordinal));
        await page.Locator("form[action='/Account/SignOut'] button").ClickAsync();
        await page.ArrivedAtAsync(u => u.Contains("/Account/SignIn", StringComparison.Ordinal));

        // Without the phone: a recovery code in place of the authenticator's code.
        await SignInAsync();
        Assert.Contains("/Account/SignInCode", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#code", codes[3]);
        await page.ClickAsync("button[type=submit]:has-text('验证')");
        await page.ArrivedAtAsync(u => !u.Contains("/Account/", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("form[action='/Account/SignOut']").CountAsync());
        await page.GotoAsync(baseUrl + "/Account/TwoFactor");
        Assert.Contains("9", await page.Locator(".signin").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#recovery-codes").CountAsync());
    }
}
