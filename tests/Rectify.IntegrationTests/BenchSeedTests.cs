using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rectify.Cli;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// `rectify bench seed` (docs/adr/0030) at small scale, on each provider: it fills a new database through the product's
/// migrations, the data keeps the product's rules, it is the same for the same seed (on both providers), and a database
/// that holds data is refused without a row written.
/// </summary>
public abstract class BenchSeedTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty database: its --database argument.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    protected abstract DbConnection Connect(string database);

    protected static async Task<(int Code, string Out, string Err)> SeedAsync(string database, int seed = 12)
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(["bench", "seed", "--scale", "small", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--database", database], input, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    protected Task<List<string>> ReadAsync(string database, string sql) => ReadAsync(() => Connect(database), sql);

    private static async Task<List<string>> ReadAsync(Func<DbConnection> connect, string sql)
    {
        await using var connection = connect();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>What the data is, independent of the provider: counts, states, text lengths, the tree and the life of each measure.</summary>
    protected Task<string> FingerprintAsync(string database) => FingerprintAsync(() => Connect(database));

    private static async Task<string> FingerprintAsync(Func<DbConnection> connect)
    {
        string[] queries =
        [
            """SELECT COUNT(*), SUM("ParentId"), SUM(LENGTH("Name")), SUM(LENGTH("Path")) FROM "Organizations" """,
            """SELECT "State", "Kind", COUNT(*), SUM(LENGTH("Text")), SUM("LeadUnitId"), SUM("ExtensionCount") FROM "Measures" GROUP BY "State", "Kind" ORDER BY "State", "Kind" """,
            """SELECT COUNT(*), SUM("OrganizationId") FROM "MeasureSupportingUnits" """,
            """SELECT "Action", COUNT(*), SUM("MeasureId") FROM "MeasureTransitions" GROUP BY "Action" ORDER BY "Action" """,
            """SELECT "State", COUNT(*), SUM(LENGTH("Narrative")), SUM("PercentComplete"), COUNT("RevisionOfId") FROM "ProgressReports" GROUP BY "State" ORDER BY "State" """,
            """SELECT COUNT(*), COUNT("Result") FROM "LookBacks" """,
            """SELECT "State", COUNT(*) FROM "DeadlineExtensions" GROUP BY "State" ORDER BY "State" """,
            """SELECT COUNT(*), SUM(LENGTH("Content")) FROM "SupervisionNotices" """,
            """SELECT COUNT(*) FROM "ProgressReportEvidence" """,
            """SELECT COUNT(*) FROM "Publications" """,
        ];
        var parts = new List<string>();
        foreach (var query in queries)
        {
            parts.AddRange(await ReadAsync(connect, query));
        }

        return string.Join("\n", parts);
    }

    [Fact]
    public async Task It_fills_a_new_database_with_data_that_keeps_the_products_rules_and_refuses_one_that_holds_data()
    {
        var database = await NewDatabaseAsync();
        var (code, output, error) = await SeedAsync(database);
        Assert.True(code == 0, error);
        Assert.Contains("ProgressReports", output, StringComparison.Ordinal);
        Assert.Contains("用时", output, StringComparison.Ordinal);

        // Every part of the shape is there.
        foreach (var table in new[] { "Organizations", "Inspections", "Findings", "Measures", "MeasureSupportingUnits", "MeasureTransitions", "MeasureRevisions", "ProgressReports", "ProgressReportEvidence", "LookBacks", "DeadlineExtensions", "SupervisionNotices", "SupervisionNoticeMeasures", "Publications" })
        {
            Assert.True(long.Parse((await ReadAsync(database, $"SELECT COUNT(*) FROM \"{table}\""))[0], System.Globalization.CultureInfo.InvariantCulture) > 0, table);
        }

        // About ten reports a started measure; the last transition of every measure leads to its state.
        var perMeasure = double.Parse((await ReadAsync(database, """SELECT CAST(COUNT(*) AS REAL) / (SELECT COUNT(*) FROM "Measures" WHERE "State" <> 0) FROM "ProgressReports" """))[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(perMeasure, 8, 13);
        Assert.Empty(await ReadAsync(database, """
            SELECT m."Id" FROM "Measures" m
            WHERE m."State" <> (SELECT t."ToState" FROM "MeasureTransitions" t WHERE t."MeasureId" = m."Id" ORDER BY t."AtUtc" DESC, t."Id" DESC LIMIT 1)
               OR (m."State" <> 0 AND NOT EXISTS (SELECT 1 FROM "MeasureTransitions" t WHERE t."MeasureId" = m."Id"))
            """));

        // 销号 stood on an accepted report, and three different people applied, accepted and approved.
        Assert.Empty(await ReadAsync(database, """SELECT "Id" FROM "Measures" WHERE "State" IN (2, 3, 4) AND "EvidenceAcceptedAtUtc" IS NULL"""));
        Assert.Empty(await ReadAsync(database, """
            SELECT a."MeasureId" FROM "MeasureTransitions" a
            JOIN "MeasureTransitions" b ON b."MeasureId" = a."MeasureId" AND b."Action" = 2
            JOIN "MeasureTransitions" c ON c."MeasureId" = a."MeasureId" AND c."Action" = 4
            WHERE a."Action" = 1 AND (a."ActorUserId" = b."ActorUserId" OR b."ActorUserId" = c."ActorUserId" OR a."ActorUserId" = c."ActorUserId")
            """));

        // A database with data is refused, and nothing is added to it.
        var before = await FingerprintAsync(database);
        var again = await SeedAsync(database, seed: 13);
        Assert.Equal(CommandLine.BadInput, again.Code);
        Assert.Contains("已有数据", again.Err, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(database));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_data_on_either_provider_and_another_seed_other_data()
    {
        var here = await NewDatabaseAsync();
        Assert.Equal(0, (await SeedAsync(here)).Code);

        var sqlite = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + ".db");
        Assert.Equal(0, (await SeedAsync(sqlite)).Code);
        var other = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + ".db");
        Assert.Equal(0, (await SeedAsync(other, seed: 99)).Code);
        try
        {
            var reference = await FingerprintAsync(() => BenchSeedTestsOnSqlite.Open(sqlite));
            Assert.Equal(reference, await FingerprintAsync(here));
            Assert.NotEqual(reference, await FingerprintAsync(() => BenchSeedTestsOnSqlite.Open(other)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sqlite);
            File.Delete(other);
        }
    }
}

public sealed class BenchSeedTestsOnSqlite : BenchSeedTests, IDisposable
{
    private readonly List<string> files = [];

    protected override Task<string> NewDatabaseAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N"), "bench.db");
        files.Add(file);
        return Task.FromResult(file);
    }

    protected override DbConnection Connect(string database) => Open(database);

    internal static SqliteConnection Open(string file) => new(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in files.Where(File.Exists))
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}

public sealed class BenchSeedTestsOnPostgres : BenchSeedTests, IAsyncDisposable
{
    private readonly List<string> databases = [];

    protected override async Task<string> NewDatabaseAsync()
    {
        if (Requirements.PostgresAdminConnectionString is not { } admin)
        {
            Requirements.Unavailable($"PostgreSQL is not configured (set {Requirements.PostgresVariable} to an admin connection string)");
            throw new InvalidOperationException();
        }

        var name = "rectify_bench_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(Ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(Ct);
        databases.Add(name);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    protected override DbConnection Connect(string database) => new NpgsqlConnection(database);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Requirements.PostgresAdminConnectionString is { } admin)
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            foreach (var name in databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        GC.SuppressFinalize(this);
    }
}
