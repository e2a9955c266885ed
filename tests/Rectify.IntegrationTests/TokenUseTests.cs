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

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

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

    [Fact]
    public async Task An_account_makes_its_own_token_on_its_page_with_its_password_uses_it_and_only_it_revokes_it()
    {
        app.RequireAvailable();
        const string page = "/Account/Tokens";
        using var office = await app.SignedInAsync("office");
        Dictionary<string, string> Form(string password, string days = "30") => new() { ["name"] = "单位业务系统报送进展", ["days"] = days, ["currentPassword"] = password };
        async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Task<int> TokensAsync() => ReadAsync(db => db.ApiTokens.CountAsync(t => db.Users.Any(u => u.Id == t.UserId && u.UserName == "office"), Ct));
        var before = await TokensAsync();

        // A wrong password makes nothing, says so and is audited; so does a lifetime outside 1–365 days.
        var wrong = await office.PostFromPageAsync(page, page, Form("not-the-password"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("当前密码不正确。", await TextAsync(wrong), StringComparison.Ordinal);
        var tooLong = await office.PostFromPageAsync(page, page, Form(app.Password, "366"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("有效期应为 1 到 365 天之间的整数。", await TextAsync(tooLong), StringComparison.Ordinal);
        Assert.Equal(before, await TokensAsync());
        Assert.True(await ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.TokenCreated && !e.Succeeded, Ct)));

        // The right password: the token is shown once, works at once, and the list shows its prefix, never its secret.
        var made = await office.PostFromPageAsync(page, page, Form(app.Password));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var token = System.Text.RegularExpressions.Regex.Match(await TextAsync(made), "<code class=\"token\" id=\"token\">(rfy_[a-z2-7]{8}_[a-z2-7]{32})</code>").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.Equal(before + 1, await TokensAsync());
        using var api = app.Client();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var inspections = new Uri("/api/v1/inspections", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(inspections, Ct)).StatusCode);
        var listed = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
        Assert.Contains("单位业务系统报送进展", listed, StringComparison.Ordinal);
        Assert.Contains(token[..12] + "_…", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);

        // 撤销 asks first, without a script: the summary opens the confirmation, whose button sends the revocation.
        var row = listed[listed.IndexOf("单位业务系统报送进展", StringComparison.Ordinal)..];
        Assert.Matches("<details class=\"revoke-token\">\\s*<summary>撤销</summary>\\s*<form method=\"post\" action=\"[^\"]*handler=Revoke", row);
        Assert.Contains("确认撤销</button>", row, StringComparison.Ordinal);

        // Another account cannot revoke it by its id; the owner can, and the token stops at once.
        var id = await ReadAsync(db => db.ApiTokens.Where(t => t.Prefix == token.Substring(4, 8)).Select(t => t.Id).SingleAsync(Ct));
        var revoke = new Dictionary<string, string> { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using (var unit = await app.SignedInAsync("unit"))
        {
            var refused = await unit.PostFromPageAsync(page, page + "?handler=Revoke", revoke);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("这个令牌不存在或已撤销。", await TextAsync(refused), StringComparison.Ordinal);
        }

        Assert.True(await ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.TokenRevoked && !e.Succeeded && e.ObjectId == revoke["id"], Ct)), "the refused revocation is audited");

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(inspections, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(page, page + "?handler=Revoke", revoke)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(inspections, Ct)).StatusCode);
        Assert.Contains("已撤销", WebUtility.HtmlDecode(await office.GetStringAsync(new Uri(page, UriKind.Relative), Ct)), StringComparison.Ordinal);

        // A 三员 account makes none.
        using var admin = await app.SignedInAsync("admin");
        var administrator = await admin.PostFromPageAsync(page, page, Form(app.Password));
        Assert.Equal(HttpStatusCode.BadRequest, administrator.StatusCode);
        Assert.Contains("三员账号不使用接口令牌。", await TextAsync(administrator), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_token_with_any_character_of_its_secret_changed_or_its_secret_cut_lengthened_or_upper_cased_is_refused()
    {
        app.RequireAvailable();

        // The token as the other API tests make it; each request below presents its own version of it.
        using var client = await app.Client().WithTokenAsync(app.Factory.Services, "office", "改动密钥");
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        client.DefaultRequestHeaders.Authorization = null;
        var uri = new Uri("/api/v1/inspections", UriKind.Relative);
        async Task<HttpStatusCode> AskAsync(string presented)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + presented);
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await AskAsync(token));
        var secretStarts = token.LastIndexOf('_') + 1;
        foreach (var at in new[] { secretStarts, secretStarts + 7, token.Length - 1 })
        {
            var changed = token[..at] + (token[at] == 'a' ? 'b' : 'a') + token[(at + 1)..];
            Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(changed));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(token[..^1]));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(token + "a"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(token[..secretStarts] + token[secretStarts..].ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(token + new string('a', 2000)));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(token));
    }

    [Fact]
    public async Task A_tokens_claims_are_kept_only_while_its_user_is_unchanged_a_role_taken_away_or_an_account_disabled_acts_on_the_next_request()
    {
        app.RequireAvailable();
        var (userName, token) = await OfficeUserWithTokenAsync("token-claims-", "令牌声明", "声明缓存");

        using var client = await ReadingLedgerAsync(token.Token);
        var ledger = Ledger;

        // The role that let the user read the inspection is taken away: the very next request is refused (a kept claim would still let it through).
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetRolesAsync(userName, [Roles.SystemAdministrator]);
        }

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync(ledger, Ct)).StatusCode);

        // Given back, it reads again at once; disabled, the token stops at once.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetRolesAsync(userName, [Roles.RectificationOffice]);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ledger, Ct)).StatusCode);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(userName);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ledger, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_revocation_or_a_disabled_account_written_by_another_process_acts_on_the_next_request()
    {
        app.RequireAvailable();
        var (userName, token) = await OfficeUserWithTokenAsync("token-around-", "另一进程", "另一进程吊销");

        // Read several times (the token's row is read again only after a commit, DatabaseChanges).
        using var client = await ReadingLedgerAsync(token.Token);
        var ledger = Ledger;

        // The account disabled by another process (the command line, on its own connection): refused at once; enabled again, accepted.
        var info = app.Factory.Services.GetRequiredService<DatabaseInfo>();
        Assert.Equal(1, await OtherProcess.WriteAsync(info, $"""UPDATE "AspNetUsers" SET "LockoutEnd" = '9999-12-31 23:59:59+00:00' WHERE "UserName" = '{userName}'"""));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ledger, Ct)).StatusCode);
        Assert.Equal(1, await OtherProcess.WriteAsync(info, $"""UPDATE "AspNetUsers" SET "LockoutEnd" = NULL WHERE "UserName" = '{userName}'"""));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ledger, Ct)).StatusCode);

        // The token revoked by another process: refused at once.
        Assert.Equal(1, await OtherProcess.WriteAsync(info, $"""UPDATE "ApiTokens" SET "RevokedAtUtc" = '2026-01-01 00:00:00' WHERE "Id" = {token.Id}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ledger, Ct)).StatusCode);
    }

    [Fact]
    public async Task On_SQLite_a_revocation_written_by_a_real_other_process_acts_on_the_next_request()
    {
        // The mark is read from the WAL index's header in SQLite's mapping of it (ADR 0039): a commit by another process,
        // through its own mapping of the same file, must move it. Here that process is SQLite's own command line.
        app.RequireAvailable();
        if (app.Provider != Provider.Sqlite)
        {
            return; // PostgreSQL's mark is the server's snapshot (the test above).
        }

        if (!File.Exists("/usr/bin/sqlite3"))
        {
            Requirements.Unavailable("the sqlite3 command line is not installed (Debian: apt-get install sqlite3)");
        }

        var (userName, token) = await OfficeUserWithTokenAsync("token-process-", "真的另一进程", "另一进程吊销");
        using var client = await ReadingLedgerAsync(token.Token);
        var ledger = Ledger;

        Assert.True(app.Factory.Services.GetRequiredService<DatabaseChanges>().WatchesWalIndex);
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.Factory.Services.GetRequiredService<DatabaseInfo>().ConnectionString).DataSource;
        async Task SqliteCommandLineAsync(string sql)
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/sqlite3", ["-bail", "-cmd", ".timeout 5000", file, sql]) { RedirectStandardError = true })!;
            var error = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            Assert.True(process.ExitCode == 0, "sqlite3: " + error);
        }

        // Disabled, then enabled again, then the token revoked: each acts on the very next request.
        await SqliteCommandLineAsync($"""UPDATE "AspNetUsers" SET "LockoutEnd" = '9999-12-31 23:59:59+00:00' WHERE "UserName" = '{userName}';""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ledger, Ct)).StatusCode);
        await SqliteCommandLineAsync($"""UPDATE "AspNetUsers" SET "LockoutEnd" = NULL WHERE "UserName" = '{userName}';""");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ledger, Ct)).StatusCode);
        await SqliteCommandLineAsync($"""UPDATE "ApiTokens" SET "RevokedAtUtc" = '2026-01-01 00:00:00' WHERE "Id" = {token.Id};""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ledger, Ct)).StatusCode);
    }

    // The ledger the token tests read; a client with the token that has read it three times, each answered.
    private Uri Ledger => new($"/api/v1/inspections/{app.InspectionId}/ledger", UriKind.Relative);

    private async Task<HttpClient> ReadingLedgerAsync(string token)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Ledger, Ct)).StatusCode);
        }

        return client;
    }

    /// <summary>A new 整改办 user of the inspected organization (its password already its own) and a one-day token of theirs.</summary>
    private async Task<(string UserName, ApiTokenService.Created Token)> OfficeUserWithTokenAsync(string namePrefix, string displayName, string tokenName)
    {
        var userName = namePrefix + Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var org = await db.Inspections.AsNoTracking().Where(i => i.Id == app.InspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct);
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(userName, displayName, org.ToString(System.Globalization.CultureInfo.InvariantCulture), [Roles.RectificationOffice], "Tk-" + Guid.NewGuid().ToString("N")[..12] + "#", Ct, initialPassword: false);
        return (userName, await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, tokenName, 1, Ct));
    }
}

public sealed class TokenUseTestsOnSqlite(TokenUseSqliteApp app) : TokenUseTests(app), IClassFixture<TokenUseSqliteApp>;

public sealed class TokenUseTestsOnPostgres(TokenUsePostgresApp app) : TokenUseTests(app), IClassFixture<TokenUsePostgresApp>;
