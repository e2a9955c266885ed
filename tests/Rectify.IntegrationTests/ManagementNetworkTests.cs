using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Audit;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The demo behind a known proxy (127.0.0.1, the test client), the 三员 confined to 10.99.0.0/16 and 192.0.2.7: Kestrel, so the remote address is real.</summary>
public abstract class ManagementNetworkApp(Provider provider) : AppFixture(provider, kestrel: true, extraSettings: new Dictionary<string, string?>
{
    ["Security:KnownProxies:0"] = "127.0.0.1",
    ["Security:AdminNetworks:0"] = "10.99.0.0/16",
    ["Security:AdminNetworks:1"] = "192.0.2.7",
});

public sealed class ManagementNetworkSqliteApp() : ManagementNetworkApp(Provider.Sqlite);

public sealed class ManagementNetworkPostgresApp() : ManagementNetworkApp(Provider.Postgres);

/// <summary>B7 of docs/security.md: the system, security and audit administrators work only from the management networks.</summary>
public abstract class ManagementNetworkTests(ManagementNetworkApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client as seen from <paramref name="address"/> through the known proxy; or, with <paramref name="from"/>, connecting from another loopback address that is no proxy.</summary>
    private HttpClient Client(string address, IPAddress? from = null) => Http.BehindProxy(app.ServerAddress, address, from);

    private async Task<HttpClient> SignedInAsync(string user, string address, IPAddress? from = null)
    {
        var client = Client(address, from);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(user, app.Password)).StatusCode);
        return client;
    }

    private async Task<int> RefusalsAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await db.AuditEntries.CountAsync(e => e.Action == AuditActions.AccessDenied && e.After!.Contains("management"), Ct);
    }

    [Fact]
    public async Task An_administrator_outside_the_management_networks_is_refused_and_audited_and_inside_works()
    {
        app.RequireAvailable();
        foreach (var (user, page) in new[] { ("admin", "/admin/users"), ("secadmin", "/admin/users"), ("auditadmin", "/audit") })
        {
            using var inside = await SignedInAsync(user, "10.99.3.4");
            Assert.Equal(HttpStatusCode.OK, (await inside.GetAsync(new Uri(page, UriKind.Relative), Ct)).StatusCode);
            using var single = await SignedInAsync(user, "192.0.2.7");
            Assert.Equal(HttpStatusCode.OK, (await single.GetAsync(new Uri(page, UriKind.Relative), Ct)).StatusCode);

            var before = await RefusalsAsync();
            using var outside = await SignedInAsync(user, "203.0.113.9");
            var refused = await outside.GetAsync(new Uri(page, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("只能从管理网络访问", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await outside.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode);

            // The API answers a problem in the same words.
            var api = await outside.GetAsync(new Uri("/api/v1/calendar", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
            Assert.Contains("outside_management_network", await api.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            // The refusal is written when its request is over, which the client may see first.
            for (var i = 0; i < 50 && await RefusalsAsync() <= before; i++)
            {
                await Task.Delay(100, Ct);
            }

            Assert.True(await RefusalsAsync() > before, $"{user}'s refusal is not in the audit trail");

            // A session opened inside does not travel: the same session from outside is refused.
            inside.DefaultRequestHeaders.Remove("X-Forwarded-For");
            inside.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
            Assert.Equal(HttpStatusCode.Forbidden, (await inside.GetAsync(new Uri(page, UriKind.Relative), Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task A_forwarded_address_from_a_client_that_is_not_a_known_proxy_is_ignored()
    {
        app.RequireAvailable();

        // 127.0.0.2 is no proxy: its X-Forwarded-For naming a management address is not believed.
        using var spoofing = await SignedInAsync("admin", "10.99.3.4", from: IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.Forbidden, (await spoofing.GetAsync(new Uri("/admin/users", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Business_users_are_not_confined_to_the_management_networks()
    {
        app.RequireAvailable();
        using var office = await SignedInAsync("office", "203.0.113.9");
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri("/api/v1/calendar", UriKind.Relative), Ct)).StatusCode);

        // Working days counted from the end of the calendar are refused, not a failure.
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync(new Uri("/api/v1/calendar?from=9999-12-01&workingDays=500", UriKind.Relative), Ct)).StatusCode);
    }
}

public sealed class ManagementNetworkTestsOnSqlite(ManagementNetworkSqliteApp app) : ManagementNetworkTests(app), IClassFixture<ManagementNetworkSqliteApp>;

public sealed class ManagementNetworkTestsOnPostgres(ManagementNetworkPostgresApp app) : ManagementNetworkTests(app), IClassFixture<ManagementNetworkPostgresApp>;
