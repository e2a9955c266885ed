using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Inspections;
using Rectify.Features.Intake;
using SpreadCheetah;

namespace Rectify.Bench;

/// <summary>
/// `bench/run.sh export [rows=120000]` (issue #12): the ledger export of one big inspection over HTTP, as a browser
/// downloads it, next to a raw data reader → SpreadCheetah endpoint for the same rows, in the same run, on SQLite.
/// The data: the 10,000-measure plan of the round-trip bench imported from the template (配合单位 on every measure),
/// then copied in SQL into the same inspection until it has <c>rows</c> measures (new finding numbers, the same
/// categories), with states spread as a real ledger's, four progress reports a measure (three accepted, one awaiting
/// review), the transitions to each state and a look-back on every signed-off measure. No ANALYZE (the product never
/// runs it). Each path: one warm-up, then three runs; time to the first byte of the body, the whole download, bytes
/// allocated in the process (server and client), and the peak working set sampled during the run.
/// </summary>
internal static class ExportBench
{
    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 120_000;
        if (rows < 10_000 || rows % 10_000 != 0)
        {
            throw new ArgumentException("rows: a multiple of 10,000");
        }

        var folder = Path.Combine(Path.GetTempPath(), "rectify-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync(folder, rows);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(folder + "-secrets"))
            {
                Directory.Delete(folder + "-secrets", recursive: true);
            }
        }
    }

    private static async Task RunAsync(string folder, int rows)
    {
        var (host, organizationId) = await OfficeHost.StartAsync(folder, null);
        await using var app = host;
        var setup = Stopwatch.StartNew();
        var source = Path.Combine(folder, "source.xlsx");
        using (var file = File.Create(source))
        {
            LedgerTemplate.Write(file, "某某市委巡察反馈问题整改台账", IntakeBench.Rows(1000, 10));
        }

        var inspection = await RoundTripBench.NewInspectionAsync(app, organizationId, "导出基准");
        await RoundTripBench.ImportAsync(app, inspection, source);
        var database = Path.Combine(folder, "rectify.db");
        await FillAsync(database, inspection, rows / 10_000);
        setup.Stop();
        var count = await CountAsync(database, inspection);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {count:N0} measures in the inspection, built in {setup.Elapsed.TotalSeconds:F0} s; database {new FileInfo(database).Length / 1048576.0:F0} MiB"));

        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Outside demo mode an account without a second factor may only enrol one: the bench account has one, as an office's would.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            await users.SetTwoFactorEnabledAsync((await users.FindByNameAsync(OfficeHost.UserName))!, true);
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(OfficeHost.UserName, "导出基准", 1, CancellationToken.None)).Token;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var export = new Uri($"/api/v1/inspections/{inspection}/ledger.xlsx", UriKind.Relative);

        // The export's own row statement, caught as it runs, is what the raw endpoint reads.
        using var catcher = new StatementCatcher(LedgerExport.QueryTag);
        using (DiagnosticListener.AllListeners.Subscribe(catcher))
        {
            var warm = await DownloadAsync(client, export);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up export: {warm.TotalMs:F0} ms, {warm.Bytes / 1024.0:F0} KiB"));
        }

        var (sql, parameters) = catcher.Statement ?? throw new InvalidOperationException("the export's row statement was not seen");
        await using var raw = await RawEndpointAsync(database, sql, parameters);
        var rawAddress = raw.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var rawClient = new HttpClient { BaseAddress = new Uri(rawAddress), Timeout = TimeSpan.FromMinutes(10) };
        var rawWarm = await DownloadAsync(rawClient, new Uri("/raw.xlsx", UriKind.Relative));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up raw reader → SpreadCheetah: {rawWarm.TotalMs:F0} ms, {rawWarm.Bytes / 1024.0:F0} KiB"));

        var exports = new List<Run>();
        var raws = new List<Run>();
        for (var run = 1; run <= 3; run++)
        {
            var e = await DownloadAsync(client, export);
            var r = await DownloadAsync(rawClient, new Uri("/raw.xlsx", UriKind.Relative));
            exports.Add(e);
            raws.Add(r);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: export {e}; raw reader → SpreadCheetah {r}; ratio {e.TotalMs / r.TotalMs:F2}"));
        }

        var median = (Func<List<Run>, Func<Run, double>, double>)((list, f) => list.Select(f).Order().ElementAt(list.Count / 2));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows:N0} rows, median of 3 | export | raw reader → SpreadCheetah |"));
        Console.WriteLine("| --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole download | {median(exports, x => x.TotalMs):F0} ms | {median(raws, x => x.TotalMs):F0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| CPU time of the process (server + client) | {median(exports, x => x.CpuMs):F0} ms | {median(raws, x => x.CpuMs):F0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first byte of the body | {median(exports, x => x.FirstByteMs):F0} ms | {median(raws, x => x.FirstByteMs):F0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| allocated (server + client) | {median(exports, x => x.AllocatedMiB):F1} MiB ({median(exports, x => x.AllocatedMiB) * 1048576 / rows:F0} B a row) | {median(raws, x => x.AllocatedMiB):F1} MiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| peak working set during the run (before it) | {median(exports, x => x.PeakMiB):F0} MiB ({median(exports, x => x.BeforeMiB):F0}) | {median(raws, x => x.PeakMiB):F0} MiB ({median(raws, x => x.BeforeMiB):F0}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| file | {exports[0].Bytes / 1024.0:F0} KiB | {raws[0].Bytes / 1024.0:F0} KiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio export / raw (median of the runs' ratios): {exports.Zip(raws, (e, r) => e.TotalMs / r.TotalMs).Order().ElementAt(1):F2} in time, {exports.Zip(raws, (e, r) => e.CpuMs / r.CpuMs).Order().ElementAt(1):F2} in CPU time"));
        Console.WriteLine($"load average (1, 5, 15 min) at the end: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores");
    }

    /// <summary>One download: milliseconds to the first byte of the body and to the end, bytes, allocation and working set.</summary>
    private sealed record Run(double FirstByteMs, double TotalMs, long Bytes, double AllocatedMiB, double PeakMiB, double BeforeMiB, double CpuMs)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TotalMs:F0} ms (first byte {FirstByteMs:F0} ms, CPU {CpuMs:F0} ms), {AllocatedMiB:F1} MiB allocated, peak working set {PeakMiB:F0} MiB");
    }

    private static async Task<Run> DownloadAsync(HttpClient client, Uri uri)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var peak = before;
        var sampling = true;
        var sampler = new Thread(() =>
        {
            using var self = Process.GetCurrentProcess();
            while (Volatile.Read(ref sampling))
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();

        var allocated = GC.GetTotalAllocatedBytes(true);
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is not null)
        {
            throw new InvalidOperationException("the export was sent with a Content-Length: it is not streamed");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var read = await body.ReadAsync(buffer);
        var first = watch.Elapsed.TotalMilliseconds;
        long bytes = read;
        while (read > 0)
        {
            read = await body.ReadAsync(buffer);
            bytes += read;
        }

        watch.Stop();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var allocatedMiB = (GC.GetTotalAllocatedBytes(true) - allocated) / 1048576.0;
        Volatile.Write(ref sampling, false);
        sampler.Join();
        return new Run(first, watch.Elapsed.TotalMilliseconds, bytes, allocatedMiB, peak / 1048576.0, before / 1048576.0, cpuMs);
    }

    /// <summary>
    /// The baseline: a bare Kestrel endpoint that runs the export's row statement with a plain data reader and writes
    /// each row's values as cells with SpreadCheetah, straight into the response.
    /// </summary>
    private static async Task<WebApplication> RawEndpointAsync(string database, string sql, List<(string Name, object? Value)> parameters)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var raw = builder.Build();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString();
        raw.MapGet("/raw.xlsx", async (HttpContext http, CancellationToken ct) =>
        {
            try
            {
                await RawAsync(http, ct);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("the raw endpoint failed: " + e);
                throw;
            }
        });
        await raw.StartAsync();
        return raw;

        async Task RawAsync(HttpContext http, CancellationToken ct)
        {
            // SpreadCheetah 1.28 writes its rows asynchronously, but on .NET 10 the zip closes each entry with a
            // synchronous write (the data descriptor), which Kestrel refuses unless allowed.
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            http.Response.ContentType = LedgerExport.ContentType;
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            await using var sheet = await Spreadsheet.CreateNewAsync(http.Response.Body, cancellationToken: ct);
            await sheet.StartWorksheetAsync("整改台账", token: ct);
            var cells = new DataCell[reader.FieldCount];
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = reader.IsDBNull(i) ? default
                        : reader.GetFieldType(i) == typeof(string) ? new DataCell(reader.GetString(i))
                        : reader.GetFieldType(i) == typeof(double) ? new DataCell(reader.GetDouble(i))
                        : new DataCell(reader.GetInt64(i));
                }

                await sheet.AddRowAsync(cells, ct);
            }

            await sheet.FinishAsync(ct);
        }
    }

    private static async Task<long> CountAsync(string database, int inspection)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Measures WHERE InspectionId = $i";
        command.Parameters.AddWithValue("$i", inspection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The imported 1,000 findings and 10,000 measures copied <paramref name="times"/> − 1 times into the same
    /// inspection (finding numbers 1,001 up; every column copied as it is, read from the table's own definition), then
    /// states, reports, transitions and look-backs as an inspection a year in has them.
    /// </summary>
    private static async Task FillAsync(string database, int inspection, int times)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        async Task<List<string>> ColumnsAsync(string table)
        {
            var columns = new List<string>();
            await using var info = connection.CreateCommand();
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }

            return columns;
        }

        async Task ExecuteAsync(string sql, DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandText = sql;
            command.CommandTimeout = 600;
            command.Parameters.AddWithValue("$i", inspection);
            await command.ExecuteNonQueryAsync();
        }

        var findingColumns = (await ColumnsAsync("Findings")).Where(c => c != "Id").ToList();
        var measureColumns = (await ColumnsAsync("Measures")).Where(c => c != "Id").ToList();
        string Quote(string c) => $"\"{c}\"";
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var user = "(SELECT Id FROM AspNetUsers WHERE UserName = '" + OfficeHost.UserName + "')";
            for (var copy = 1; copy < times; copy++)
            {
                var offset = copy * 1000;
                await ExecuteAsync(
                    $"INSERT INTO Findings ({string.Join(", ", findingColumns.Select(Quote))}) SELECT {string.Join(", ", findingColumns.Select(c => c == "Number" ? $"\"Number\" + {offset}" : Quote(c)))} FROM Findings WHERE InspectionId = $i AND Number <= 1000",
                    transaction);
                await ExecuteAsync(
                    $"INSERT INTO Measures ({string.Join(", ", measureColumns.Select(Quote))}) SELECT {string.Join(", ", measureColumns.Select(c => c == "FindingId" ? $"(SELECT n.Id FROM Findings n WHERE n.InspectionId = $i AND n.Number = f.Number + {offset})" : "m." + Quote(c)))} FROM Measures m JOIN Findings f ON f.Id = m.FindingId WHERE m.InspectionId = $i AND f.Number <= 1000",
                    transaction);
                await ExecuteAsync(
                    $"INSERT INTO MeasureSupportingUnits (MeasureId, OrganizationId) SELECT n.Id, s.OrganizationId FROM MeasureSupportingUnits s JOIN Measures m ON m.Id = s.MeasureId JOIN Findings f ON f.Id = m.FindingId JOIN Findings nf ON nf.InspectionId = $i AND nf.Number = f.Number + {offset} JOIN Measures n ON n.FindingId = nf.Id AND n.Number = m.Number WHERE m.InspectionId = $i AND f.Number <= 1000",
                    transaction);
            }

            // States: a sixth signed off, a sixth planned, the 长期坚持 ones under way since 2025, the rest in progress.
            await ExecuteAsync("UPDATE Measures SET State = CASE WHEN Kind = 2 AND Id % 6 <> 1 THEN 5 ELSE CASE Id % 6 WHEN 0 THEN 4 WHEN 1 THEN 0 ELSE 1 END END, OngoingSinceUtc = CASE WHEN Kind = 2 AND Id % 6 <> 1 THEN '2025-01-01 00:00:00' END, LastReportAtUtc = CASE WHEN Id % 6 <> 1 THEN datetime('2025-03-01', '+' || (Id % 280) || ' days') END WHERE InspectionId = $i", transaction);
            await ExecuteAsync(
                $"INSERT INTO ProgressReports (MeasureId, Number, Narrative, PercentComplete, State, SubmittedAtUtc, SubmittedByName, SubmittedByUserId, EffectiveDate, ReviewedAtUtc, ReviewedByName) SELECT m.Id, k.n, '第' || k.n || '次报送：已完成阶段性整改任务，建立健全长效机制，相关台账资料已整理归档，下一步将继续巩固整改成果。', k.n * 20, CASE WHEN k.n < 4 THEN 1 ELSE 0 END, datetime('2025-01-01', '+' || (m.Id % 200 + k.n * 20) || ' days'), '部门联络员', {user}, date('2025-01-01', '+' || (m.Id % 200 + k.n * 20) || ' days'), CASE WHEN k.n < 4 THEN datetime('2025-01-02', '+' || (m.Id % 200 + k.n * 20) || ' days') END, CASE WHEN k.n < 4 THEN '整改办' END FROM Measures m, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k WHERE m.InspectionId = $i AND m.State <> 0",
                transaction);
            await ExecuteAsync(
                $"INSERT INTO MeasureTransitions (MeasureId, Action, ActorName, ActorUserId, AtUtc, FromState, ToState) SELECT Id, 0, '整改办', {user}, '2025-01-05 02:00:00', 0, 1 FROM Measures WHERE InspectionId = $i AND State <> 0",
                transaction);
            await ExecuteAsync(
                $"INSERT INTO MeasureTransitions (MeasureId, Action, ActorName, ActorUserId, AtUtc, FromState, ToState) SELECT Id, 4, '整改办', {user}, datetime('2025-06-01', '+' || (Id % 150) || ' days'), 3, 4 FROM Measures WHERE InspectionId = $i AND State = 4",
                transaction);
            await ExecuteAsync(
                "INSERT INTO LookBacks (MeasureId, DueDate, Result, ReviewedAtUtc, ReviewedByName, ScheduledAtUtc, ScheduledByName) SELECT Id, date('2026-01-01', '+' || (Id % 90) || ' days'), CASE WHEN Id % 4 = 0 THEN 0 END, CASE WHEN Id % 4 = 0 THEN '2026-01-20 03:00:00' END, CASE WHEN Id % 4 = 0 THEN '整改办' END, '2025-12-01 02:00:00', '整改办' FROM Measures WHERE InspectionId = $i AND State = 4",
                transaction);
            await transaction.CommitAsync();
        }
    }

    /// <summary>Catches the SQL and parameters of the first statement that carries a tag.</summary>
    private sealed class StatementCatcher(string tag) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> subscriptions = [];

        public (string Sql, List<(string Name, object? Value)> Parameters)? Statement { get; private set; }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Statement is null && value.Value is CommandEventData data && value.Key == RelationalEventId.CommandExecuting.Name && data.Command.CommandText.Contains("-- " + tag, StringComparison.Ordinal))
            {
                Statement = (data.Command.CommandText, [.. data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
