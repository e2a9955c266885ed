using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rectify.Cli;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Publications;
using Rectify.IntegrationTests.Infrastructure;
using Rectify.Tools;

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

    /// <summary>The product's context over the database, as the application opens it (no column key: nothing here reads a lead).</summary>
    protected abstract RectifyDbContext Context(string database);

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
            """SELECT COUNT(*), SUM(LENGTH("Name")), SUM(LENGTH("Issuer")) FROM "Institutions" """,
            """SELECT "Kind", COUNT(*), SUM(CAST(ROUND("Amount" * 100) AS INTEGER)) FROM "Outcomes" GROUP BY "Kind" ORDER BY "Kind" """,
            """SELECT "Status", COUNT(*), SUM(LENGTH("Summary")), COUNT("Disposition") FROM "Leads" GROUP BY "Status" ORDER BY "Status" """,
            """SELECT COUNT(*), SUM("FindingId"), COUNT("InstitutionId"), COUNT("OutcomeId"), COUNT("LeadId") FROM "RegisterFinding" """,
            """SELECT "State", COUNT(*), SUM(LENGTH("Content")), SUM(LENGTH("Snapshot")), SUM("Version") FROM "Publications" GROUP BY "State" ORDER BY "State" """,
            """SELECT "State", COUNT(*), SUM(LENGTH("Text")), COUNT("Reply"), COUNT("ReplyApprovedByName"), SUM("Version") FROM "PublicOpinions" GROUP BY "State" ORDER BY "State" """,
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
        foreach (var table in new[] { "Organizations", "Inspections", "Findings", "Measures", "MeasureSupportingUnits", "MeasureTransitions", "MeasureRevisions", "ProgressReports", "ProgressReportEvidence", "LookBacks", "DeadlineExtensions", "SupervisionNotices", "SupervisionNoticeMeasures", "Institutions", "Outcomes", "Leads", "RegisterFinding", "Publications", "PublicOpinions" })
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

        // Each measure's mark of reports waiting for review (待办) is the number of its reports waiting for review (待审核, state 0), and some wait.
        Assert.Empty(await ReadAsync(database, """
            SELECT m."Id" FROM "Measures" m
            WHERE m."ReportsAwaitingReview" <> (SELECT COUNT(*) FROM "ProgressReports" p WHERE p."MeasureId" = m."Id" AND p."State" = 0)
            """));
        Assert.NotEmpty(await ReadAsync(database, """SELECT "Id" FROM "Measures" WHERE "ReportsAwaitingReview" > 0"""));

        // 销号 stood on an accepted report, and three different people applied, accepted and approved.
        Assert.Empty(await ReadAsync(database, """SELECT "Id" FROM "Measures" WHERE "State" IN (2, 3, 4) AND "EvidenceAcceptedAtUtc" IS NULL"""));
        Assert.Empty(await ReadAsync(database, """
            SELECT a."MeasureId" FROM "MeasureTransitions" a
            JOIN "MeasureTransitions" b ON b."MeasureId" = a."MeasureId" AND b."Action" = 2
            JOIN "MeasureTransitions" c ON c."MeasureId" = a."MeasureId" AND c."Action" = 4
            WHERE a."Action" = 1 AND (a."ActorUserId" = b."ActorUserId" OR b."ActorUserId" = c."ActorUserId" OR a."ActorUserId" = c."ActorUserId")
            """));

        await AssertRegistersAndNoticesAsync(database);

        // A database with data is refused, and nothing is added to it.
        var before = await FingerprintAsync(database);
        var again = await SeedAsync(database, seed: 13);
        Assert.Equal(CommandLine.BadInput, again.Code);
        Assert.Contains("已有数据", again.Err, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(database));
    }

    /// <summary>
    /// The registers answer findings of their own inspection, on plans in force; every version past the draft carries
    /// what 送审 and 审定 set; opinions were sent on a published version within its period; and each published notice
    /// is found by the public page's own query (<see cref="PublicNoticeQueries"/>) with the inspection's findings in it.
    /// </summary>
    private async Task AssertRegistersAndNoticesAsync(string database)
    {
        Assert.Empty(await ReadAsync(database, """
            SELECT r."Id" FROM "RegisterFinding" r
            JOIN "Findings" f ON f."Id" = r."FindingId"
            LEFT JOIN "Institutions" i ON i."Id" = r."InstitutionId"
            LEFT JOIN "Outcomes" o ON o."Id" = r."OutcomeId"
            LEFT JOIN "Leads" l ON l."Id" = r."LeadId"
            WHERE COALESCE(i."InspectionId", o."InspectionId", l."InspectionId", -1) <> f."InspectionId"
               OR (CASE WHEN r."InstitutionId" IS NULL THEN 0 ELSE 1 END) + (CASE WHEN r."OutcomeId" IS NULL THEN 0 ELSE 1 END) + (CASE WHEN r."LeadId" IS NULL THEN 0 ELSE 1 END) <> 1
            """));
        Assert.Empty(await ReadAsync(database, """
            SELECT "InspectionId" FROM "Institutions" UNION SELECT "InspectionId" FROM "Outcomes" UNION SELECT "InspectionId" FROM "Leads"
            EXCEPT SELECT "Id" FROM "Inspections" WHERE "PlanState" = 2
            """));
        Assert.Empty(await ReadAsync(database, """SELECT "Id" FROM "Outcomes" WHERE "Kind" <> 0 AND "Amount" <> ROUND("Amount") """));

        // Submitted, approved and superseded versions carry their snapshot, period and submitter; approved ones their approver; one key per inspection.
        Assert.Empty(await ReadAsync(database, """
            SELECT "Id" FROM "Publications"
            WHERE ("State" <> 0 AND ("Snapshot" IS NULL OR "DisclosureFrom" IS NULL OR "DisclosureTo" IS NULL OR "SubmittedByUserId" IS NULL OR "SubmittedAtUtc" IS NULL))
               OR ("State" IN (2, 3) AND ("ApprovedByName" IS NULL OR "ApprovedAtUtc" IS NULL))
               OR ("State" = 3) <> ("SupersededAtUtc" IS NOT NULL)
               OR ("State" = 0 AND "Snapshot" IS NOT NULL)
               OR ("Number" > 1) <> ("CorrectionNote" IS NOT NULL)
            """));
        Assert.Empty(await ReadAsync(database, """SELECT "InspectionId" FROM "Publications" GROUP BY "InspectionId" HAVING COUNT(DISTINCT "PublicKey") <> 1"""));

        // Opinions belong to a published version of the same inspection; their findings and units exist.
        Assert.Empty(await ReadAsync(database, """
            SELECT o."Id" FROM "PublicOpinions" o JOIN "Publications" p ON p."Id" = o."PublicationId"
            WHERE p."State" NOT IN (2, 3) OR p."InspectionId" <> o."InspectionId"
               OR (o."State" <> 0 AND o."AssignedFindingId" IS NULL AND o."AssignedUnitId" IS NULL)
               OR (o."State" IN (2, 3)) <> (o."Reply" IS NOT NULL)
               OR (o."State" = 3) <> (o."ClosedAtUtc" IS NOT NULL)
               OR (o."ReplyApprovedByName" IS NOT NULL AND o."ReplyIsPublishable" = FALSE)
               OR o."AssignedFindingId" NOT IN (SELECT f."Id" FROM "Findings" f WHERE f."InspectionId" = o."InspectionId")
               OR (o."AssignedUnitId" IS NULL) <> (o."AssignedAtUtc" IS NULL)
               OR (o."UnitResponse" IS NOT NULL AND o."AssignedUnitId" IS NULL)
               OR (o."ReplyIsPublishable" = TRUE AND o."PublicSummary" IS NULL)
            """));
        Assert.NotEmpty(await ReadAsync(database, """SELECT o."Id" FROM "PublicOpinions" o WHERE o."UnitResponse" IS NOT NULL"""));

        // Some reports the office filed for the unit (代报), with their basis; nobody reviewed a report they filed.
        Assert.NotEmpty(await ReadAsync(database, """SELECT r."Id" FROM "ProgressReports" r WHERE r."OnBehalfBasis" IS NOT NULL"""));
        Assert.Empty(await ReadAsync(database, """SELECT r."Id" FROM "ProgressReports" r WHERE r."ReviewedByName" = r."SubmittedByName" """));

        // Some sign-offs the office applied for on the unit's behalf (代为申请销号), with their basis (the separated duties above hold for them too).
        Assert.NotEmpty(await ReadAsync(database, """SELECT t."Id" FROM "MeasureTransitions" t WHERE t."Action" = 1 AND t."Reason" LIKE '整改办代为申请销号。依据：%' """));

        await using var db = Context(database);
        var opinions = await db.PublicOpinions.AsNoTracking().Join(db.Publications, o => o.PublicationId, p => p.Id, (o, p) => new { o.ReceivedAtUtc, p.DisclosureFrom, p.DisclosureTo }).ToListAsync(Ct);
        Assert.NotEmpty(opinions);
        Assert.All(opinions, o => Assert.InRange(DateOnly.FromDateTime(o.ReceivedAtUtc.AddHours(8)), o.DisclosureFrom!.Value, o.DisclosureTo!.Value));

        var published = await db.Publications.AsNoTracking().Where(p => p.State == PublicationState.Approved).Select(p => new { p.InspectionId, p.PublicKey, p.Number, p.Content, p.DisclosureFrom }).ToListAsync(Ct);
        Assert.Contains(published, p => p.DisclosureFrom <= BenchGenerator.AsOf);
        var stated = false;
        foreach (var notice in published.Where(p => p.DisclosureFrom <= BenchGenerator.AsOf))
        {
            var view = await PublicNoticeQueries.FindAsync(db, notice.PublicKey, BenchGenerator.AsOf, Ct);
            Assert.NotNull(view);
            Assert.Equal(notice.Number, view.Number);
            Assert.Equal(PublicationDraft.FromJson(notice.Content).Title, view.Notice.Title);
            var titles = await db.Findings.Where(f => f.InspectionId == notice.InspectionId).OrderBy(f => f.Category.Number).ThenBy(f => f.Number).Select(f => f.Title).ToListAsync(Ct);
            Assert.Equal(titles, view.Notice.Findings.Select(f => f.Title));
            Assert.All(view.Notice.Findings, f => Assert.NotEmpty(f.Measures));
            var text = PublicNoticeLayout.Text(view.Notice);
            Assert.Contains(view.Notice.Intro, text, StringComparison.Ordinal);
            Assert.Contains(titles[0], text, StringComparison.Ordinal);
            stated |= view.Notice.Statistics is { Length: > 0 };
        }

        // The figures ticked are stated as the product words them.
        Assert.True(stated, "no published notice states its figures");

        // The replies the first responsible person approved appear under their notice.
        var replied = await db.PublicOpinions.AsNoTracking().Where(o => o.ReplyApprovedByName != null).Select(o => new { o.Reply, Key = db.Publications.Where(p => p.Id == o.PublicationId).Select(p => p.PublicKey).First() }).FirstOrDefaultAsync(Ct);
        if (replied is not null)
        {
            var view = await PublicNoticeQueries.FindAsync(db, replied.Key, BenchGenerator.AsOf, Ct);
            Assert.Contains(view!.Replies, r => r.Reply == replied.Reply);
        }
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

    protected override RectifyDbContext Context(string database)
    {
        var options = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
        DatabaseProvider.ConfigureSqlite(options, new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        return new SqliteRectifyDbContext(options.Options);
    }

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

    protected override RectifyDbContext Context(string database)
    {
        var options = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(options, database);
        return new PostgresRectifyDbContext(options.Options);
    }

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
