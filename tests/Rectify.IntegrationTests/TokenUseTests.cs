using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The demo with token use flushed by its own service every second (ApiTokens:UseFlushSeconds), as a server does every minute.</summary>
public abstract class TokenUseApp(Provider provider) : AppFixture(provider, extraSettings: new Dictionary<string, string?>
{
    ["ApiTokens:Background"] = "true",
    ["ApiTokens:UseFlushSeconds"] = "1",
});

public sealed class TokenUseSqliteApp() : TokenUseApp(Provider.Sqlite);

public sealed class TokenUsePostgresApp() : TokenUseApp(Provider.Postgres);

/// <summary>Issue #12: a read through the API writes nothing on the request path; its use is written in the background, aggregated, and revocation still acts at once.</summary>
public abstract class TokenUseTests(TokenUseApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Many_reads_with_a_token_become_one_record_written_in_the_background_and_a_revoked_token_stops_at_once()
    {
        app.RequireAvailable();
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "批量读取", 1, Ct);
        }

        // The service's first rounds may pass while the requests go on; wait for one with nothing left, then count.
        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct)).StatusCode);
        }

        var tokenId = token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var requests = 0;
        for (var wait = 0; wait < 100 && requests < 25; wait++)
        {
            await Task.Delay(100, Ct);
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var records = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.AsNoTracking()
                .Where(e => e.Action == Audit.AuditActions.TokenUsed && e.ObjectId == tokenId).Select(e => e.After!).ToListAsync(Ct);
            requests = records.Sum(r => System.Text.Json.JsonDocument.Parse(r).RootElement.GetProperty("requests").GetInt32());
            Assert.True(records.Count <= 25, "one record per request");
        }

        Assert.Equal(25, requests);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            Assert.NotNull((await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == token.Id, Ct)).LastUsedAtUtc);
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(token.Id, Ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct)).StatusCode);
    }
}

public sealed class TokenUseTestsOnSqlite(TokenUseSqliteApp app) : TokenUseTests(app), IClassFixture<TokenUseSqliteApp>;

public sealed class TokenUseTestsOnPostgres(TokenUsePostgresApp app) : TokenUseTests(app), IClassFixture<TokenUsePostgresApp>;
