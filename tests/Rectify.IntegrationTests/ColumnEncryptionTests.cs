using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Cli;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Registers;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 问题线索 at rest (issue #16, security.md F3; ADR 0025): a lead's texts and every earlier version of them are
/// AES-256-GCM ciphertext in the database and nowhere in clear (not in the audit trail either), yet read back exactly on
/// the page and the API; a ciphertext moved to another column does not open; after a key rotation the old rows still
/// read, `keys rotate-columns` puts them (and rows from before encryption) under the new key, and a server holding
/// only the wrong key refuses with a plain sentence, not the value, the key or a stack.
/// </summary>
public abstract class ColumnEncryptionTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Page => $"/inspections/{app.InspectionId}/registers";

    private string ApiPath => $"/api/v1/inspections/{app.InspectionId}/registers";

    private async Task<HttpClient> DisciplineApiAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("discipline", "加密测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<LeadView> LeadAsync(HttpClient api, int id)
    {
        var response = await api.GetAsync(new Uri(ApiPath, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return Assert.Single(JsonSerializer.Deserialize<RegistersView>(text, Http.Json)!.Leads!, l => l.Id == id);
    }

    private async Task<string> EveryTableAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await TableChecksum.TextOfEveryTableAsync(scope.ServiceProvider.GetRequiredService<RectifyDbContext>(), Ct);
    }

    /// <summary>Plain SQL on the application's database: the first column of each row (null as null).</summary>
    private async Task<List<string?>> SqlAsync(string sql)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        var values = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    /// <summary>A context on the same database with another column key configuration, as another installation's configuration would make it.</summary>
    private RectifyDbContext ContextWith(string keyFile, string? previousKeys = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ColumnKey.KeyFileSetting] = keyFile,
            [ColumnKey.PreviousKeysSetting] = previousKeys,
        }).Build();
        var cipher = new ColumnCipher(new ColumnKey(configuration, app.DataFolder));
        if (app.Provider == Provider.Sqlite)
        {
            var sqlite = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
            DatabaseProvider.ConfigureSqlite(sqlite, $"Data Source={Path.Combine(app.DataFolder, "rectify.db")}").UseColumnEncryption(cipher);
            return new SqliteRectifyDbContext(sqlite.Options);
        }

        var postgres = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(postgres, app.ConnectionString!).UseColumnEncryption(cipher);
        return new PostgresRectifyDbContext(postgres.Options);
    }

    /// <summary>A verb on this installation, with the column key configuration given (the fixture's replaced).</summary>
    private async Task<(int Code, string Out, string Err)> CliAsync(string keyFile, string? previousKeys, params string[] verb)
    {
        string[] args = [.. verb, .. app.CliArguments().Where(a => !a.StartsWith("--AtRest:", StringComparison.Ordinal)), $"--AtRest:ColumnKeyFile={keyFile}",
            .. previousKeys is null ? Array.Empty<string>() : [$"--AtRest:PreviousColumnKeys={previousKeys}"]];
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, input, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    private static string Marker() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_lead_reads_back_the_same_on_page_and_api_while_no_table_holds_its_texts_in_clear_not_even_after_a_correction()
    {
        app.RequireAvailable();
        var m = Marker();
        var (summary, disposition) = ($"反映某社区工程款支付问题的线索{m}", $"谈话提醒 2 人{m}");
        using var page = await app.SignedInAsync("discipline");
        var kept = await page.FollowedAsync(await page.PostFromPageAsync(Page, $"{Page}?handler=Lead", new Dictionary<string, string> { ["summary"] = summary, ["status"] = "UnderReview", ["disposition"] = disposition, ["findings"] = "13" }));
        Assert.Contains("已登记问题线索", await kept.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var api = await DisciplineApiAsync();
        var all = JsonSerializer.Deserialize<RegistersView>(await api.GetStringAsync(new Uri(ApiPath, UriKind.Relative), Ct), Http.Json)!;
        var lead = Assert.Single(all.Leads!, l => l.Summary == summary);
        Assert.Equal(disposition, lead.Disposition);
        var html = await page.GetStringAsync(new Uri(Page, UriKind.Relative), Ct);
        Assert.Contains(summary, html, StringComparison.Ordinal);
        Assert.Contains(disposition, html, StringComparison.Ordinal);

        // In the database: ciphertext under the current key, in both columns; the marker nowhere, in no table.
        var id = lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var currentId = app.Factory.Services.GetRequiredService<ColumnKey>().CurrentId;
        foreach (var stored in (await SqlAsync($"SELECT \"Summary\" FROM \"Leads\" WHERE \"Id\" = {id}")).Concat(await SqlAsync($"SELECT \"Disposition\" FROM \"Leads\" WHERE \"Id\" = {id}")))
        {
            Assert.StartsWith($"enc:v1:{currentId}:", stored, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(m, await EveryTableAsync(), StringComparison.Ordinal);

        // A correction: the earlier version is kept (encrypted), the audit record names the lead and its versions only.
        var (newSummary, newDisposition) = ($"核查后的线索摘要{m}", $"立案审查 1 人{m}");
        var corrected = await api.PostAsJsonAsync($"{ApiPath}/leads/{id}/corrections", new LeadCorrection(1, $"核查结论{m}", newSummary, LeadStatus.Closed, newDisposition, [13]), Ct);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var now = await LeadAsync(api, lead.Id);
        Assert.Equal((newSummary, newDisposition, 2), (now.Summary, now.Disposition, now.Version));
        var earlier = Assert.Single(now.EarlierVersions);
        Assert.Equal((summary, disposition), (earlier.Summary, earlier.Disposition));
        html = await page.GetStringAsync(new Uri(Page, UriKind.Relative), Ct);
        Assert.Contains(newSummary, html, StringComparison.Ordinal);
        Assert.Contains(summary, html, StringComparison.Ordinal);

        var everything = await EveryTableAsync();
        Assert.DoesNotContain(summary, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(newSummary, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(newDisposition, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(m, everything, StringComparison.Ordinal);
        var revision = Assert.Single(await SqlAsync($"SELECT \"Values\" FROM \"RegisterRevision\" WHERE \"LeadId\" = {id}"));
        Assert.StartsWith($"enc:v1:{currentId}:", revision, StringComparison.Ordinal);
        var audit = await SqlAsync($"SELECT COALESCE(\"Before\", '') || COALESCE(\"After\", '') FROM \"AuditEntries\" WHERE \"ObjectType\" = 'Lead' AND \"ObjectId\" = '{id}'");
        Assert.Equal(2, audit.Count);
        Assert.Contains(audit, a => a!.Contains("\"version\":2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_the_other_column_does_not_decrypt_and_the_page_and_api_say_so_plainly()
    {
        app.RequireAvailable();
        var m = Marker();
        using var api = await DisciplineApiAsync();
        var created = await api.PostAsJsonAsync(ApiPath + "/leads", new NewLead($"对调测试线索{m}", LeadStatus.HandedOver, $"对调测试处置{m}", []), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<WriteResult>(Http.Json, Ct))!.Id!.Value;
        var swap = $"UPDATE \"Leads\" SET \"Summary\" = \"Disposition\", \"Disposition\" = \"Summary\" WHERE \"Id\" = {id}";
        await SqlAsync(swap);
        try
        {
            using var page = await app.SignedInAsync("discipline");
            var answer = await page.GetAsync(new Uri(Page, UriKind.Relative), Ct);
            var body = await answer.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
            Assert.Contains(ColumnDecryptionException.ForThePerson, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("enc:v1", body, StringComparison.Ordinal);
            Assert.DoesNotContain(m, body, StringComparison.Ordinal);

            var problem = await api.GetAsync(new Uri(ApiPath, UriKind.Relative), Ct);
            var json = await problem.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, problem.StatusCode);
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
            Assert.Contains(ColumnDecryptionException.ForThePerson, json, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", json, StringComparison.Ordinal);
        }
        finally
        {
            await SqlAsync(swap);
        }

        var restored = await LeadAsync(api, id);
        Assert.Equal(($"对调测试线索{m}", $"对调测试处置{m}"), (restored.Summary, restored.Disposition));
    }

    [Fact]
    public async Task After_a_key_rotation_old_rows_read_rotate_columns_reencrypts_them_and_rows_from_before_encryption_and_a_wrong_key_refuses_clearly()
    {
        app.RequireAvailable();
        var m = Marker();
        using var api = await DisciplineApiAsync();
        var created = await api.PostAsJsonAsync(ApiPath + "/leads", new NewLead($"轮换测试线索{m}", LeadStatus.HandedOver, null, []), Ct);
        var id = (await created.Content.ReadFromJsonAsync<WriteResult>(Http.Json, Ct))!.Id!.Value;
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"{ApiPath}/leads/{id}/corrections", new LeadCorrection(1, "更正", $"轮换测试线索（更正）{m}", LeadStatus.UnderReview, null, []), Ct)).StatusCode);

        // A row from before encryption came: its disposition in clear, read as it is.
        await SqlAsync($"UPDATE \"Leads\" SET \"Disposition\" = '升级前的明文处置{m}' WHERE \"Id\" = {id}");
        Assert.Equal($"升级前的明文处置{m}", (await LeadAsync(api, id)).Disposition);

        var oldKeyFile = app.ColumnKeyFile;
        var oldKey = (await File.ReadAllTextAsync(oldKeyFile, Ct)).Trim();
        var oldId = ColumnKey.IdOf(Convert.FromBase64String(oldKey));
        var newKeyFile = Path.Combine(app.SecretsFolder, "column-next.key");
        var (code, output, error) = await CliAsync(oldKeyFile, null, "keys", "init-column-key", "--key-file", newKeyFile);
        Assert.True(code == 0, error);
        var newKey = (await File.ReadAllTextAsync(newKeyFile, Ct)).Trim();
        var newId = ColumnKey.IdOf(Convert.FromBase64String(newKey));
        Assert.Contains(newId, output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(newKeyFile));
        }
        try
        {
            // The new key current, the old one previous: the old rows still read.
            await using (var rotated = ContextWith(newKeyFile, oldKey))
            {
                var lead = await rotated.Leads.AsNoTracking().Include(l => l.Revisions).SingleAsync(l => l.Id == id, Ct);
                Assert.Equal(($"轮换测试线索（更正）{m}", $"升级前的明文处置{m}"), (lead.Summary, lead.Disposition));
                Assert.Contains($"轮换测试线索{m}", Assert.Single(lead.Revisions).Values, StringComparison.Ordinal);
            }

            (code, output, error) = await CliAsync(newKeyFile, oldKey, "keys", "rotate-columns");
            Assert.True(code == 0, $"{output}{error}");
            Assert.Contains(newId, output, StringComparison.Ordinal);

            // Every encrypted value of every row is now under the new key, the one from before encryption too.
            var stored = (await SqlAsync("SELECT \"Summary\" FROM \"Leads\""))
                .Concat(await SqlAsync("SELECT \"Disposition\" FROM \"Leads\" WHERE \"Disposition\" IS NOT NULL"))
                .Concat(await SqlAsync("SELECT \"Values\" FROM \"RegisterRevision\"")).ToList();
            Assert.NotEmpty(stored);

            // The reasons given for a correction are designated too (the correction above gave one).
            var reasons = (await SqlAsync("SELECT \"ChangeReason\" FROM \"Leads\" WHERE \"ChangeReason\" IS NOT NULL"))
                .Concat(await SqlAsync("SELECT \"ChangeReason\" FROM \"RegisterRevision\" WHERE \"ChangeReason\" IS NOT NULL")).ToList();
            Assert.NotEmpty(reasons);
            stored.AddRange(reasons);
            Assert.All(stored, s => Assert.StartsWith($"enc:v1:{newId}:", s, StringComparison.Ordinal));
            Assert.DoesNotContain(m, await EveryTableAsync(), StringComparison.Ordinal);
            var record = await SqlAsync($"SELECT \"After\" FROM \"AuditEntries\" WHERE \"Action\" = '{AuditActions.ColumnsReencrypted}' AND \"ObjectId\" = '{newId}'");
            Assert.Single(record);

            // The new key alone reads them.
            await using (var onlyNew = ContextWith(newKeyFile))
            {
                Assert.Equal($"升级前的明文处置{m}", await onlyNew.Leads.Where(l => l.Id == id).Select(l => l.Disposition).SingleAsync(Ct));
            }

            // The old key alone (the running server's) refuses, naming the key it lacks and what to do — never the value.
            await using (var onlyOld = ContextWith(oldKeyFile))
            {
                var refused = ColumnDecryptionException.Find(await Assert.ThrowsAnyAsync<Exception>(() => onlyOld.Leads.Where(l => l.Id == id).Select(l => l.Summary).SingleAsync(Ct)));
                Assert.NotNull(refused);
                Assert.Contains(newId, refused.Message, StringComparison.Ordinal);
                Assert.Contains(ColumnKey.PreviousKeysSetting, refused.Message, StringComparison.Ordinal);
            }

            using var page = await app.SignedInAsync("discipline");
            var answer = await page.GetAsync(new Uri(Page, UriKind.Relative), Ct);
            var body = await answer.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
            Assert.Contains(ColumnDecryptionException.ForThePerson, body, StringComparison.Ordinal);
            Assert.DoesNotContain(newId, body, StringComparison.Ordinal);
        }
        finally
        {
            // Back under the fixture's key, for the other tests of the class (and the same command proves the way back).
            (code, output, error) = await CliAsync(oldKeyFile, newKey, "keys", "rotate-columns");
            Assert.True(code == 0, $"{output}{error}");
        }

        Assert.All(await SqlAsync("SELECT \"Summary\" FROM \"Leads\""), s => Assert.StartsWith($"enc:v1:{oldId}:", s, StringComparison.Ordinal));
        var back = await LeadAsync(api, id);
        Assert.Equal(($"轮换测试线索（更正）{m}", $"升级前的明文处置{m}", $"轮换测试线索{m}"), (back.Summary, back.Disposition, Assert.Single(back.EarlierVersions).Summary));
    }
}

public sealed class ColumnEncryptionTestsOnSqlite(SqliteApp app) : ColumnEncryptionTests(app), IClassFixture<SqliteApp>;

public sealed class ColumnEncryptionTestsOnPostgres(PostgresApp app) : ColumnEncryptionTests(app), IClassFixture<PostgresApp>;
