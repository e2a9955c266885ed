using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Access;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Bench;

// Scale figures for the ledger at the size DESIGN.md plans for one machine (about 10^5 measures): import time,
// query latency for the ledger page with and without filters, the inspection list, the Excel export, and memory.
// On SQLite by default; with RECTIFY_BENCH_POSTGRES set to an admin connection string, on a new PostgreSQL
// database that is dropped afterwards.
// Usage: dotnet run -c Release --project bench/Rectify.Bench -- [inspections=1400] [bigFindings=1000] [queries]
// With `queries` it stops after the ledger, overview and list queries (no export, reminder scan or intake).
if (args is ["export", .. var exportArgs]) { await ExportBench.RunAsync(exportArgs); return; } // `bench/run.sh export [rows]`: the ledger export over HTTP against raw reader → SpreadCheetah (ExportBench).
var inspections = args.Length > 0 && args[0] is not ("intake" or "import" or "roundtrip") ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1400;
var bigFindings = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var queriesOnly = args.Contains("queries");
var folder = Path.Combine(Path.GetTempPath(), "rectify-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);

// `bench/run.sh intake` times only the Excel intake (no database).
if (args.Length > 0 && args[0] == "intake")
{
    try
    {
        IntakeBench.Run(folder);
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; GC heap now: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
        if (Directory.Exists(folder + "-secrets"))
        {
            Directory.Delete(folder + "-secrets", recursive: true);
        }
    }

    return;
}
// `bench/run.sh import` times the whole Excel import (preview and commit) through the application's services, on SQLite.
if (args.Length > 0 && args[0] == "import")
{
    try
    {
        await ImportBench.RunAsync(folder, null);
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; GC heap now: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        if (Directory.Exists(folder + "-secrets"))
        {
            Directory.Delete(folder + "-secrets", recursive: true);
        }
    }

    return;
}

// `bench/run.sh roundtrip` exports a 10,000-measure plan and imports it into a new inspection, on SQLite.
if (args.Length > 0 && args[0] == "roundtrip")
{
    try
    {
        await RoundTripBench.RunAsync(folder, null);
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; GC heap now: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        if (Directory.Exists(folder + "-secrets"))
        {
            Directory.Delete(folder + "-secrets", recursive: true);
        }
    }

    return;
}

var postgresAdmin = Environment.GetEnvironmentVariable("RECTIFY_BENCH_POSTGRES");
var postgres = !string.IsNullOrWhiteSpace(postgresAdmin);
var postgresDatabase = "rectify_bench_" + Guid.NewGuid().ToString("N");
var connection = postgres
    ? new Npgsql.NpgsqlConnectionStringBuilder(postgresAdmin) { Database = postgresDatabase }.ToString()
    : $"Data Source={Path.Combine(folder, "bench.db")}";
if (postgres)
{
    await using var admin = new Npgsql.NpgsqlConnection(postgresAdmin);
    await admin.OpenAsync();
    await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{postgresDatabase}\"", admin);
    await create.ExecuteNonQueryAsync();
}

Console.WriteLine(postgres ? $"database: PostgreSQL ({postgresDatabase})" : "database: SQLite");

RectifyDbContext NewContext()
{
    if (postgres)
    {
        var pg = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(pg, connection);
        return new PostgresRectifyDbContext(pg.Options);
    }

    var options = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
    DatabaseProvider.ConfigureSqlite(options, connection);
    return new SqliteRectifyDbContext(options.Options);
}

try
{
    var seed = DemoSeeder.ReadSeedNotice();
    var notice = NoticeParser.Parse(seed);

    var parse = Stopwatch.StartNew();
    const int parses = 200;
    for (var i = 0; i < parses; i++)
    {
        NoticeParser.Parse(seed);
    }

    parse.Stop();
    Console.WriteLine($"parse seed notice ({seed.Length:N0} chars): {parse.Elapsed.TotalMilliseconds / parses:F2} ms each");

    var big = SyntheticNotice(bigFindings);
    var bigParse = Stopwatch.StartNew();
    var bigNotice = NoticeParser.Parse(big);
    bigParse.Stop();
    Console.WriteLine($"parse synthetic notice ({big.Length:N0} chars, {bigNotice.FindingCount:N0} findings, {bigNotice.MeasureCount:N0} measures): {bigParse.Elapsed.TotalMilliseconds:F0} ms");

    await using (var db = NewContext())
    {
        await db.Database.MigrateAsync();
    }

    var import = Stopwatch.StartNew();
    for (var i = 0; i < inspections; i++)
    {
        await ImportAsync(notice, $"区委{i:D4}");
    }

    var bigId = await ImportAsync(bigNotice, "市委");
    import.Stop();

    await using (var db = NewContext())
    {
        // Plan every measure: kinds, deadlines, 40 units and states spread like a real office's ledger.
        var units = Enumerable.Range(0, 40).Select(i => new Organization($"部门{i:D2}", OrganizationKind.Department)).ToList();
        db.Organizations.AddRange(units);
        await db.SaveChangesAsync();
        var first = units[0].Id;
        if (postgres)
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE \"Measures\" SET \"Kind\" = \"Id\" % 3, \"Deadline\" = CASE WHEN \"Id\" % 3 = 2 THEN NULL ELSE DATE '2025-01-01' + (\"Id\" % 700) END, \"LeadUnitId\" = {first} + (\"Id\" % 40), \"State\" = CASE \"Id\" % 6 WHEN 0 THEN 4 WHEN 1 THEN 0 ELSE 1 END");
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE Measures SET Kind = Id % 3, Deadline = CASE WHEN Id % 3 = 2 THEN NULL ELSE date('2025-01-01', '+' || (Id % 700) || ' days') END, LeadUnitId = {first} + (Id % 40), State = CASE Id % 6 WHEN 0 THEN 4 WHEN 1 THEN 0 ELSE 1 END");
        }

        // 长期坚持 measures under way since 2025; every second one reported in December 2025, so the cadence rule has both kinds to find.
        var since = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var reported = new DateTime(2025, 12, 20, 0, 0, 0, DateTimeKind.Utc);
        await db.Measures.Where(m => m.Kind == MeasureKind.Ongoing && m.State != MeasureState.Planned)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.State, MeasureState.Ongoing).SetProperty(m => m.OngoingSinceUtc, since));
        await db.Measures.Where(m => m.State == MeasureState.Ongoing && m.Id % 2 == 0).ExecuteUpdateAsync(u => u.SetProperty(m => m.LastReportAtUtc, reported));
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }

    long measures, findings;
    await using (var db = NewContext())
    {
        measures = await db.Measures.LongCountAsync();
        findings = await db.Findings.LongCountAsync();
    }

    Console.WriteLine($"import: {inspections + 1:N0} inspections, {findings:N0} findings, {measures:N0} measures in {import.Elapsed.TotalSeconds:F1} s ({measures / import.Elapsed.TotalSeconds:N0} measures/s)");
    if (!postgres)
    {
        Console.WriteLine($"database file: {new FileInfo(Path.Combine(folder, "bench.db")).Length / 1024.0 / 1024.0:F1} MiB");
    }

    var today = new DateOnly(2026, 1, 1);

    // Queries run as a rectification office at the root of the tree: the scoped shape every page uses, seeing everything.
    var office = new Rectify.Access.AccessScope("bench", null, "/", new HashSet<string> { Rectify.Access.Roles.RectificationOffice });
    var someUnit = 0;
    await using (var db = NewContext())
    {
        someUnit = await db.Organizations.Where(o => o.Name == "部门07").Select(o => o.Id).SingleAsync();
    }

    await Measure("ledger page 1, small inspection (72 measures)", db => LedgerQueries.LoadAsync(db, office, inspections / 2, new LedgerFilter(), today, default));
    await Measure($"ledger page 1, big inspection ({bigNotice.MeasureCount:N0} measures)", db => LedgerQueries.LoadAsync(db, office, bigId, new LedgerFilter(), today, default));
    await Measure("ledger last page, big inspection", db => LedgerQueries.LoadAsync(db, office, bigId, new LedgerFilter(Page: bigNotice.MeasureCount / LedgerFilter.DefaultPageSize), today, default));
    await Measure("ledger, big inspection, unit + overdue filter", db => LedgerQueries.LoadAsync(db, office, bigId, new LedgerFilter(Unit: someUnit, Overdue: true), today, default));
    await Measure("ledger, big inspection, state + kind filter", db => LedgerQueries.LoadAsync(db, office, bigId, new LedgerFilter(State: MeasureState.InProgress, Kind: MeasureKind.TimeBound), today, default));
    await Measure("  part: totals, big inspection", db => LedgerQueries.TotalsAsync(db, office, bigId, today, default));
    await Measure("overview, small inspection (72 measures)", db => OverviewQueries.LoadAsync(db, office, inspections / 2, today, default));
    await Measure($"overview, big inspection ({bigNotice.MeasureCount:N0} measures)", db => OverviewQueries.LoadAsync(db, office, bigId, today, default));
    await Measure("  part: unit list, big inspection", db => LedgerQueries.UnitsAsync(db, db.VisibleMeasures(office).Where(m => m.InspectionId == bigId), default));
    await Measure("  part: count, big inspection", db => db.VisibleMeasures(office).Where(m => m.InspectionId == bigId).CountAsync());
    await Measure($"inspection list with figures, page 1 (of {inspections + 1:N0})", async db => await InspectionList.PageAsync(db, office, new InspectionListFilter(), 1, await InspectionList.CountAsync(db, office, new InspectionListFilter(), default), 50, today, default));
    await Measure("inspection list with figures, page 20", async db => await InspectionList.PageAsync(db, office, new InspectionListFilter(), 20, await InspectionList.CountAsync(db, office, new InspectionListFilter(), default), 50, today, default));
    if (queriesOnly)
    {
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB");
        return;
    }

    // The Excel export of the big inspection, written to a file as the endpoint does; memory is the GC's allocation count for one run.
    await using (var db = NewContext())
    {
        var summary = (await LedgerQueries.Summaries(db, office, db.Inspections.Where(i => i.Id == bigId)).SingleAsync())!;
        var path = Path.Combine(folder, "export.xlsx");
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetTotalAllocatedBytes(true);
            var sw = Stopwatch.StartNew();
            await using (var file = File.Create(path))
            {
                await LedgerExport.WriteAsync(file, db, office, summary, new LedgerFilter(), today, default);
            }

            sw.Stop();
            Console.WriteLine($"ledger export, big inspection ({bigNotice.MeasureCount:N0} rows): {sw.Elapsed.TotalMilliseconds:F0} ms, file {new FileInfo(path).Length / 1024.0:F0} KiB, allocated {(GC.GetTotalAllocatedBytes(true) - before) / 1024.0 / 1024.0:F1} MiB (run {run + 1})");
        }
    }

    // The day's reminder scan over every measure (plans adopted, so every measure stands): the first run writes what has
    // fallen due (the outbox starts empty), the second run on the same day finds it all written and sends nothing twice.
    await using (var db = NewContext())
    {
        await db.Inspections.ExecuteUpdateAsync(u => u.SetProperty(i => i.PlanState, PlanState.InForce));
    }

    for (var run = 0; run < 3; run++)
    {
        await using var db = NewContext();
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 5, 1, 0, 0, TimeSpan.Zero));
        // No accounts in this database: one webhook (a 政务 IM group) receives every reminder, so each is written once.
        var settings = new Rectify.Features.Notifications.NotificationOptions();
        settings.Webhooks.Add(new Rectify.Features.Notifications.WebhookOptions { Name = "group", Url = "https://im.example.gov.cn/hook" });
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        var recipients = new Rectify.Features.Notifications.ReminderRecipients(db);
        var calendars = new Rectify.Features.Deadlines.CalendarStore(db);
        var scan = new Rectify.Features.Notifications.ReminderScan(
            db,
            [
                new Rectify.Features.Notifications.DeadlineReminderSource(db, calendars, options, recipients),
                new Rectify.Features.Notifications.ReportMissingReminderSource(db, recipients),
                new Rectify.Features.Notifications.LookBackReminderSource(db, calendars, options, recipients),
            ],
            options,
            clock);
        var before = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        var result = await scan.RunAsync(null, default);
        sw.Stop();
        Console.WriteLine($"reminder scan over {measures:N0} measures: {sw.Elapsed.TotalMilliseconds:F0} ms, {result.Due:N0} due, {result.New:N0} new, {result.Deliveries:N0} deliveries written, allocated {(GC.GetTotalAllocatedBytes(true) - before) / 1024.0 / 1024.0:F1} MiB (run {run + 1})");
    }

    IntakeBench.Run(folder);

    Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; GC heap now: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
    if (postgres)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(postgresAdmin);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

async Task<int> ImportAsync(NoticeDocument n, string parentName)
{
    await using var db = NewContext();
    await using var tx = await db.Database.BeginTransactionAsync();
    var parent = new Organization(parentName, OrganizationKind.PartyCommittee);
    db.Organizations.Add(parent);
    await db.SaveChangesAsync();
    parent.AssignPath();
    var result = await new NoticeImporter(db).ImportAsync(n, parent, default);
    await tx.CommitAsync();
    return result.Inspection.Id;
}

async Task Measure<T>(string name, Func<RectifyDbContext, Task<T>> query)
{
    const int runs = 30;
    var times = new List<double>(runs);
    for (var i = 0; i < runs + 3; i++)
    {
        await using var db = NewContext();
        var sw = Stopwatch.StartNew();
        var result = await query(db);
        sw.Stop();
        if (result is null)
        {
            throw new InvalidOperationException(name + " found nothing");
        }

        if (i >= 3)
        {
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    Console.WriteLine($"{name}: median {times[runs / 2]:F1} ms, p95 {times[(int)(runs * 0.95)]:F1} ms");
}

static string SyntheticNotice(int findings)
{
    var sb = new StringBuilder();
    sb.AppendLine("根据市委巡察工作统一安排,2025年3月1日至4月30日,市委第一巡察组对中共某某区委员会开展了巡察。6月1日,市委巡察组向某某区委反馈了巡察意见。");
    sb.AppendLine("一、履行巡察整改主体责任情况");
    sb.AppendLine("(一)加强组织领导。区委高度重视。");
    sb.AppendLine("二、巡察整改任务落实情况");
    var n = 0;
    for (var c = 1; c <= 10; c++)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"({ChineseNumerals.Format(c)})关于第{c}方面问题的整改方面");
        for (var f = 0; f < findings / 10; f++)
        {
            n++;
            sb.AppendLine(CultureInfo.InvariantCulture, $"{n}.整改任务{n}");
            for (var m = 1; m <= 10; m++)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{ChineseNumerals.Format(m)}是落实第{n}项问题的第{m}条措施，建立台账，逐项销号。");
            }
        }
    }

    sb.AppendLine("三、下一步工作打算");
    sb.AppendLine("(一)持续抓好整改。巩固成果。");
    sb.AppendLine("欢迎广大干部群众对巡察整改落实情况进行监督。公开期限:2025年10月1日至10月31日。联系电话12345678。");
    sb.AppendLine("中共某某区委员会");
    sb.AppendLine("2025年10月1日");
    return sb.ToString();
}

/// <summary>A clock stopped at one moment, for the reminder scan's day.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
