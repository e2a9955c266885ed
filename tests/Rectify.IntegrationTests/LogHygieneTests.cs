using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The full sign-in policy (two factors), with 整改办 and 第一责任人 relaxed so that the shared notice steps can publish.</summary>
public abstract class LogApp(Provider provider) : AppFixture(provider, demoMode: false, extraSettings: new Dictionary<string, string?>
{
    ["Security:SecondFactor:NotRequiredFor:0"] = "RectificationOffice",
    ["Security:SecondFactor:NotRequiredFor:1"] = "FirstResponsible",
});

public sealed class LogSqliteApp() : LogApp(Provider.Sqlite);

public sealed class LogPostgresApp() : LogApp(Provider.Postgres);

/// <summary>
/// No secret reaches a log, and typed input cannot forge a log line (security.md C5): every category captured at Trace
/// while a person signs in with a password and an authenticator code, again with a recovery code, sets a new password
/// through a link, calls the API and uploads evidence with a token, and the public sends an opinion with a phone number.
/// </summary>
public abstract class LogHygieneTests(LogApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "newPassword", "confirmPassword", "currentPassword", "code", "__RequestVerificationToken",
    };

    /// <summary>Every secret a client sent or was given: form fields, bearer tokens, cookies both ways.</summary>
    private sealed class SecretRecorder(ConcurrentBag<(string Where, string Value)> secrets) : DelegatingHandler
    {
        public ConcurrentBag<(string Where, string Value)> Secrets => secrets;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization?.Parameter is { } bearer)
            {
                Secrets.Add(("Authorization", bearer));
            }

            if (request.Headers.TryGetValues("Cookie", out var cookies))
            {
                foreach (var pair in cookies.SelectMany(c => c.Split(';')))
                {
                    Secrets.Add(("Cookie " + pair.Split('=')[0].Trim(), pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim()));
                }
            }

            if (request.Content is FormUrlEncodedContent form)
            {
                foreach (var field in (await form.ReadAsStringAsync(cancellationToken)).Split('&'))
                {
                    var name = WebUtility.UrlDecode(field.Split('=')[0]);
                    if (SecretFields.Contains(name))
                    {
                        Secrets.Add(("form " + name, WebUtility.UrlDecode(field[(field.IndexOf('=', StringComparison.Ordinal) + 1)..])));
                    }
                }
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var cookie in set)
                {
                    var pair = cookie.Split(';')[0];
                    Secrets.Add(("Set-Cookie " + pair.Split('=')[0], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]));
                }
            }

            return response;
        }
    }

    [Fact]
    public async Task No_password_code_token_cookie_or_phone_number_reaches_any_log_and_a_typed_line_break_forges_no_line()
    {
        app.RequireAvailable();

        // The setup (a published notice) happens outside the captured host.
        var (_, key) = await app.PublishedAsync();
        var measure = app.UnitMeasuresInProgress[0];
        var capture = new LogCapture();
        await using var host = app.Factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        var sent = new ConcurrentBag<(string Where, string Value)>();
        HttpClient NewClient() => host.CreateDefaultClient(new CookieContainerHandler(new CookieContainer()), new SecretRecorder(sent));
        var secrets = new List<(string Where, string Value)> { ("password", app.Password) };

        // A unit reporter with an authenticator.
        var name = "logs-" + Guid.NewGuid().ToString("N")[..8];
        string authenticator;
        RectifyUser user;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var unitOrganization = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Where(m => m.Id == measure).Select(m => m.LeadUnitId!.Value).SingleAsync(Ct);
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(
                name, "日志测试联络员", unitOrganization.ToString(System.Globalization.CultureInfo.InvariantCulture), [Roles.UnitReporter], app.Password, Ct, initialPassword: false);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            user = (await users.FindByNameAsync(name))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            authenticator = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        secrets.Add(("authenticator key", authenticator));

        // 1. Password, then the authenticator's code.
        using (var client = NewClient())
        {
            var first = await client.SignInAsync(name, app.Password);
            Assert.StartsWith("/Account/SignInCode", first.Headers.Location?.OriginalString, StringComparison.Ordinal);
            var code = Totp.Code(authenticator, DateTimeOffset.UtcNow);
            secrets.Add(("one-time code", code));
            var second = await client.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = code });
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct)).StatusCode);
        }

        // 2. The API with a personal token: a read and an evidence upload.
        string apiToken;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            apiToken = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(name, "日志测试", 1, Ct)).Token;
        }

        secrets.Add(("api token", apiToken));
        using (var api = NewClient())
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), Ct)).StatusCode);
            using var form = new MultipartFormDataContent
            {
                { new StringContent("已整改，联系电话 13912345678。"), "narrative" },
                { new StringContent("70"), "percent" },
                { new StringContent("2025-03-01"), "effectiveDate" },
            };
            var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes($"%PDF-1.4\n% log hygiene {Guid.NewGuid()}\n%%EOF\n"));
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, "files", "整改说明.pdf");
            var uploaded = await api.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, Ct);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        // 3. A recovery code in place of the authenticator's code.
        IReadOnlyList<string> recoveryCodes;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            recoveryCodes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByNameAsync(name))!, 10))!];
        }

        secrets.AddRange(recoveryCodes.Select(c => ("recovery code", c)));
        using (var client = NewClient())
        {
            Assert.StartsWith("/Account/SignInCode", (await client.SignInAsync(name, app.Password)).Headers.Location?.OriginalString, StringComparison.Ordinal);
            var recovered = await client.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = recoveryCodes[0] });
            Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        }

        // 4. A password reset through the one-time link.
        string linkToken;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            linkToken = await scope.ServiceProvider.GetRequiredService<UserAdministration>().IssuePasswordLinkAsync((await users.FindByNameAsync(name))!, Ct);
        }

        const string NewPassword = "Copper-Lantern-Orchard-57";
        secrets.Add(("new password", NewPassword));
        using (var client = NewClient())
        {
            var path = UserAdministration.PasswordLinkPath(user, linkToken);
            var set = await client.PostFromPageAsync(path, "/Account/SetPassword", new Dictionary<string, string>
            {
                ["user"] = user.Id,
                ["token"] = linkToken,
                ["newPassword"] = NewPassword,
                ["confirmPassword"] = NewPassword,
            });
            Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
            Assert.StartsWith("/Account/SignInCode", (await client.SignInAsync(name, NewPassword)).Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        // 5. The public sends an opinion with a phone number.
        const string Phone = "13912345678";
        secrets.Add(("phone number", Phone));
        using (var visitor = NewClient())
        {
            var (response, _) = await NoticeSteps.SendOpinionAsync(visitor, key, $"第2项整改不到位，请回电 {Phone}。", contact: Phone);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 6. A name typed with a line break and a fake log line after it.
        const string Forged = "mallory\r\nINFO fake: admin signed in";
        using (var client = NewClient())
        {
            var refused = await client.SignInAsync(Forged, "Wrong-Password-Sentinel-8841");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        secrets.Add(("wrong password", "Wrong-Password-Sentinel-8841"));
        secrets.AddRange(sent.Where(s => s.Value.Length >= 6));
        var records = capture.Records;

        // The capture saw the framework's categories at their lowest levels and the application's own.
        Assert.Contains(records, r => r.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && r.Level <= LogLevel.Debug);
        Assert.Contains(records, r => r.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && r.Level == LogLevel.Trace);
        Assert.Contains(sent, s => s.Where.StartsWith("form __RequestVerificationToken", StringComparison.Ordinal));
        Assert.Contains(sent, s => s.Where.StartsWith("Set-Cookie", StringComparison.Ordinal));

        var leaks = (from s in secrets.Distinct()
                     from r in records
                     where r.AllText.Contains(s.Value, StringComparison.Ordinal)
                     select $"{s.Where} in {r.Category} ({r.Level}): {r.Message}").Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} secrets in the logs:\n" + string.Join("\n", leaks.Take(20)));

        // The one-time link's token is in the URL, which only the hosting's request line (Information) writes down; the
        // shipped configuration keeps Microsoft.AspNetCore at Warning, so no production sink receives it.
        var linkLeaks = records.Where(r => r.AllText.Contains(linkToken, StringComparison.Ordinal)).Select(r => r.Category).Distinct().ToList();
        Assert.All(linkLeaks, c => Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", c));
        var rules = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.Contains(rules, r => r.ProviderName is null && r.CategoryName == "Microsoft.AspNetCore" && r.LogLevel >= LogLevel.Warning);

        // The forged line: one record, its text on one line, the break written as an escape.
        var forged = records.Where(r => r.AllText.Contains("INFO fake", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(forged);
        Assert.DoesNotContain('\r', only.Message);
        Assert.DoesNotContain('\n', only.Message);
        Assert.All(only.State, s => Assert.False(s.Contains('\r', StringComparison.Ordinal) || s.Contains('\n', StringComparison.Ordinal), s));
        Assert.Contains("mallory\\r\\nINFO fake", only.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, only.Level);
    }
}

public sealed class LogHygieneTestsOnSqlite(LogSqliteApp app) : LogHygieneTests(app), IClassFixture<LogSqliteApp>;

public sealed class LogHygieneTestsOnPostgres(LogPostgresApp app) : LogHygieneTests(app), IClassFixture<LogPostgresApp>;
