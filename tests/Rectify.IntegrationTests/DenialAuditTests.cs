using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.LookBacks;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Refusals are security events too (#13): an authorization failure on a page (404) and on the API (403), a post
/// without its anti-forgery token, a refused role change and a rejected API token each leave a record — and a scanner
/// repeating one refusal leaves one record a minute, not one per request.
/// </summary>
public abstract class DenialAuditTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_outside_the_callers_role_answers_404_and_is_recorded_as_an_access_refusal()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("office");
        var since = await LastSequenceAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/audit", UriKind.Relative), Ct)).StatusCode);

        var denied = await AwaitEntryAsync(since, AuditActions.AccessDenied, e => e.After!.Contains("\"/audit\"", StringComparison.Ordinal));
        Assert.False(denied.Succeeded);
        Assert.Equal("整改办（演示）", denied.ActorName);
        Assert.Contains("\"method\":\"GET\"", denied.After, StringComparison.Ordinal);
        Assert.Contains("authorization", denied.After, StringComparison.Ordinal);

        // The audit administrator reads it in words: the address asked for, and the role it needed by its name.
        var changes = Read(denied);
        Assert.Equal("/audit", changes["访问地址"]);
        Assert.Equal("权限不足（要求：角色为审计管理员之一）", changes["理由"]);
    }

    [Fact]
    public async Task An_api_step_outside_the_callers_role_answers_403_and_is_recorded_as_an_access_refusal()
    {
        app.RequireAvailable();
        using var unit = await TokenClientAsync("unit");
        var measure = app.UnitMeasuresInProgress[0];
        var since = await LastSequenceAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/v1/measures/{measure}/lookbacks", new ScheduleLookBackRequest(null), Ct)).StatusCode);

        var denied = await AwaitEntryAsync(since, AuditActions.AccessDenied, e => e.After!.Contains($"/api/v1/measures/{measure}/lookbacks", StringComparison.Ordinal));
        Assert.Contains("\"status\":403", denied.After, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"POST\"", denied.After, StringComparison.Ordinal);
        Assert.NotNull(denied.ActorUserId);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_answers_400_and_is_recorded()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("auditadmin");
        var since = await LastSequenceAsync();
        using var form = new FormUrlEncodedContent([new("action", string.Empty)]);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/audit?handler=Export", UriKind.Relative), form, Ct)).StatusCode);

        var rejected = await AwaitEntryAsync(since, AuditActions.AntiforgeryRejected, _ => true);
        Assert.False(rejected.Succeeded);
        Assert.Contains("antiforgery", rejected.After, StringComparison.Ordinal);
        Assert.Contains("\"status\":400", rejected.After, StringComparison.Ordinal);
        Assert.NotNull(rejected.ActorUserId);
        Assert.DoesNotContain(await EntriesSinceAsync(since), e => e.Action == AuditActions.AuditExported);
    }

    [Fact]
    public async Task A_role_change_the_rules_refuse_is_recorded_with_the_roles_asked_for_and_why()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("secadmin");
        string target;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            target = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Users.Where(u => u.UserName == "inspector").Select(u => u.Id).SingleAsync(Ct);
        }

        var since = await LastSequenceAsync();
        var response = await client.PostFromPageAsync($"/admin/users/{target}", $"/admin/users/{target}?handler=Roles",
            [new("roles", Roles.SystemAdministrator), new("roles", Roles.RectificationOffice)]);
        Assert.Contains("不能同时担任业务角色", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var refused = await AwaitEntryAsync(since, AuditActions.UserRolesRefused, e => e.ObjectId == target);
        Assert.False(refused.Succeeded);
        Assert.Equal("User", refused.ObjectType);
        Assert.Contains(Roles.SystemAdministrator, refused.After, StringComparison.Ordinal);
        Assert.Equal("安全管理员（演示）", refused.ActorName);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<RectifyUser>>();
            Assert.Equal([Roles.InspectionBody], await users.GetRolesAsync((await users.FindByIdAsync(target))!));
        }
    }

    [Fact]
    public async Task A_rejected_token_is_recorded_by_its_id_never_its_secret_and_a_scanners_repeats_in_the_minute_are_not()
    {
        app.RequireAvailable();
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            token = await tokens.CreateAsync("unit", "已吊销", 1, Ct);
            await tokens.RevokeAsync(token.Id, Ct);
        }

        var since = await LastSequenceAsync();
        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);

        var rejected = await AwaitEntryAsync(since, AuditActions.TokenRejected, _ => true);
        Assert.Equal("ApiToken", rejected.ObjectType);
        Assert.Equal(token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), rejected.ObjectId);
        Assert.Contains("revoked", rejected.After, StringComparison.Ordinal);
        Assert.Equal("令牌已撤销", Read(rejected)["理由"]);
        var secret = token.Token.Split('_')[2];

        // The same scanner, forty more times within the minute, with that token and with made-up ones.
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/inspections", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", i % 2 == 0 ? token.Token : $"rfy_{i:D8}_{secret}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request, Ct)).StatusCode);
        }

        // One more refusal of another kind, recorded after the scan: the scan's requests are all done by then.
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync(new Uri("/audit?probe=after-scan", UriKind.Relative), Ct)).StatusCode);
        await AwaitEntryAsync(since, AuditActions.AccessDenied, _ => true);

        var entries = await EntriesSinceAsync(since);
        Assert.Single(entries, e => e.Action == AuditActions.TokenRejected);
        Assert.DoesNotContain(entries, e => (e.After ?? string.Empty).Contains(secret, StringComparison.Ordinal) || (e.ObjectId ?? string.Empty).Contains(secret, StringComparison.Ordinal));
    }

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "拒绝审计测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    // An entry's changes as the audit log's page shows them (field → value), in Chinese.
    private Dictionary<string, string> Read(AuditEntry entry)
    {
        var l = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        return Rectify.Features.Audit.AuditPresentation.Changes(l, entry).ToDictionary(c => c.Field, c => c.Full ?? c.New);
    }

    private async Task<long> LastSequenceAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.MaxAsync(e => (long?)e.Sequence, Ct) ?? 0;
    }

    private async Task<List<AuditEntry>> EntriesSinceAsync(long since)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.AsNoTracking().Where(e => e.Sequence > since).OrderBy(e => e.Sequence).ToListAsync(Ct);
    }

    /// <summary>
    /// A refusal is written when its request has finished, which can be a moment after the client has the answer:
    /// the record is looked for until it is there (or ten seconds have passed, and the test fails).
    /// </summary>
    private async Task<AuditEntry> AwaitEntryAsync(long since, string action, Func<AuditEntry, bool> matches)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await EntriesSinceAsync(since)).FirstOrDefault(e => e.Action == action && matches(e)) is { } found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"no {action} record after sequence {since}");
        return null!;
    }
}

public sealed class DenialAuditTestsOnSqlite(SqliteApp app) : DenialAuditTests(app), IClassFixture<SqliteApp>;

public sealed class DenialAuditTestsOnPostgres(PostgresApp app) : DenialAuditTests(app), IClassFixture<PostgresApp>;

/// <summary>The coalescing rule by itself, on a clock the test moves.</summary>
public sealed class DenialThrottleTests
{
    [Fact]
    public void The_first_refusal_of_a_minute_is_recorded_the_rest_are_counted_and_the_next_record_carries_the_count()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var throttle = new DenialThrottle(clock);

        Assert.Equal(0, throttle.Admit(AuditActions.TokenRejected, "10.0.0.9|anonymous"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(throttle.Admit(AuditActions.TokenRejected, "10.0.0.9|anonymous"));
        }

        // Another source, or another kind of refusal from the same one, is its own.
        Assert.Equal(0, throttle.Admit(AuditActions.TokenRejected, "10.0.0.10|anonymous"));
        Assert.Equal(0, throttle.Admit(AuditActions.AccessDenied, "10.0.0.9|anonymous"));

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(throttle.Admit(AuditActions.TokenRejected, "10.0.0.9|anonymous"));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(6, throttle.Admit(AuditActions.TokenRejected, "10.0.0.9|anonymous"));
        Assert.Null(throttle.Admit(AuditActions.TokenRejected, "10.0.0.9|anonymous"));
    }

    [Fact]
    public void Past_the_key_limit_new_sources_share_one_key_so_memory_stays_bounded()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var throttle = new DenialThrottle(clock);
        for (var i = 0; i < DenialThrottle.MaxKeys; i++)
        {
            Assert.Equal(0, throttle.Admit(AuditActions.TokenRejected, "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // A spoofed-address flood in the same minute: the first one past the limit is recorded, every later one only counted.
        Assert.Equal(0, throttle.Admit(AuditActions.TokenRejected, "flood-1"));
        Assert.Null(throttle.Admit(AuditActions.TokenRejected, "flood-2"));
        Assert.Null(throttle.Admit(AuditActions.TokenRejected, "flood-3"));
    }
}
