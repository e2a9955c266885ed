using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Rectify.Cli;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.IntegrationTests;

/// <summary>
/// Crash safety (issue #16): the built executable serves a SQLite file in a temporary folder as a child process;
/// three API clients (two units filing reports with evidence files, the discipline officer registering 问题线索)
/// write as fast as they are answered, and the child is killed with SIGKILL at a random moment, then started again —
/// RECTIFY_CRASH_TRIALS times (10 by default, 30 in CI). Afterwards every acknowledged write (201) is in the
/// database, <c>PRAGMA integrity_check</c> says ok, the audit chain verifies, and the evidence store holds exactly the
/// files its rows name: what a kill left half done is swept at start-up.
/// </summary>
[Collection(nameof(CommandLineTests))]
public sealed class CrashTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rectify-crash", Guid.NewGuid().ToString("N"));

    public CrashTests() => Directory.CreateDirectory(folder);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        if (Directory.Exists(Secrets(folder)))
        {
            Directory.Delete(Secrets(folder), recursive: true);
        }
    }

    /// <summary>The demo's audit key is made outside the data folder: here, a folder of its own beside it.</summary>
    private static string Secrets(string dataFolder) => dataFolder + "-secrets";

    [Fact]
    public async Task Every_acknowledged_write_survives_sigkill_and_the_database_the_audit_chain_and_the_evidence_store_stay_whole()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("SIGKILL and the Unix file modes are what this test is about");
        }

        var trials = int.TryParse(Environment.GetEnvironmentVariable("RECTIFY_CRASH_TRIALS"), CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 10;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RECTIFY_CRASH_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        var port = FreePort();
        var server = new Child(folder, port);

        // The first start loads the demo; the clients' tokens are made beside the running server, as an operator would.
        await server.StartAsync();
        string[] users = ["unit", "unit", "discipline"];
        var tokens = new Dictionary<string, string>();
        foreach (var user in users.Distinct())
        {
            tokens[user] = await CreateTokenAsync(user);
        }

        int inspection;
        List<int> measures;
        await using (var db = Open())
        {
            inspection = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync(Ct);
            measures = await db.Measures.Where(m => m.InspectionId == inspection && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(2).ToListAsync(Ct);
        }

        Assert.Equal(2, measures.Count);
        var acknowledged = new ConcurrentBag<Write>();
        var refused = new ConcurrentBag<string>();
        var attempted = 0;
        for (var trial = 1; trial <= trials; trial++)
        {
            if (trial > 1)
            {
                await server.StartAsync();
            }

            using var stop = new CancellationTokenSource();
            var clients = users.Select((user, i) => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[user]);
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var tag = $"崩溃测试 {trial}-{i}-{n}";
                    Interlocked.Increment(ref attempted);
                    try
                    {
                        var (response, write) = user == "discipline"
                            ? (await http.PostAsJsonAsync(new Uri($"/api/v1/inspections/{inspection}/registers/leads", UriKind.Relative),
                                new { summary = tag, status = "UnderReview", disposition = (string?)null, findings = Array.Empty<int>() }, CancellationToken.None), new Write(tag, null))
                            : await FileReportAsync(http, measures[i], tag);
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(write);
                        }
                        else
                        {
                            refused.Add($"{tag}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // The server died under the request: unacknowledged, so it may or may not have been kept.
                        return;
                    }
                }
            }, CancellationToken.None)).ToList();

            // The kill falls at a random moment once the clients are under way (the first answer of a cold server is slow).
            var before = acknowledged.Count;
            for (var waited = 0; acknowledged.Count == before && waited < 600; waited++)
            {
                await Task.Delay(50, Ct);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1000)), Ct);
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        // The start after the last kill sweeps what that kill left; then a last kill, and the files are read at rest.
        await server.StartAsync();
        server.Kill();

        Assert.True(refused.IsEmpty, "refused: " + string.Join("; ", refused.Take(5)));
        var lost = new List<string>();
        await using (var db = Open())
        {
            await using (var check = db.Database.GetDbConnection().CreateCommand())
            {
                await db.Database.OpenConnectionAsync(Ct);
                check.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", (string?)await check.ExecuteScalarAsync(Ct));
            }

            var leads = (await db.Leads.Select(l => l.Summary).ToListAsync(Ct)).ToHashSet(StringComparer.Ordinal);
            var reports = (await db.ProgressReports.Select(r => r.Narrative).ToListAsync(Ct)).ToHashSet(StringComparer.Ordinal);
            var rows = await db.EvidenceFiles.Select(e => e.Sha256).ToListAsync(Ct);
            foreach (var w in acknowledged)
            {
                if (!(w.Sha256 is null ? leads.Contains(w.Tag) : reports.Contains(w.Tag) && rows.Contains(w.Sha256)))
                {
                    lost.Add(w.Tag);
                }
            }

            var key = new Audit.AuditKey(
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rectify:Demo"] = "true", [Audit.AuditKey.SecretsFolderSetting] = Secrets(folder) }).Build(),
                folder);
            var audit = await Audit.AuditVerifier.VerifyAsync(db, key, null, Ct);
            Assert.True(audit.Intact, string.Join("; ", audit.Findings.DefaultIfEmpty(audit.Message)));

            // No orphan: the store holds exactly the files the rows name, each with its recorded hash, and nothing staged.
            var store = Path.Combine(folder, "evidence");
            var files = (Directory.Exists(store) ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories) : []).Where(f => !Path.GetRelativePath(store, f).StartsWith("tmp", StringComparison.Ordinal)).ToList();
            Assert.Equal(rows.Order(StringComparer.Ordinal), files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(files, f => Assert.Equal(Path.GetFileName(f), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))));
            Assert.Empty(Directory.Exists(Path.Combine(store, "tmp")) ? Directory.EnumerateFiles(Path.Combine(store, "tmp")) : []);
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"crash test: {trials} trials (SIGKILL), {attempted} writes attempted, {acknowledged.Count} acknowledged, {lost.Count} lost, {server.SweptFiles} orphan files and {server.SweptUploads} staged uploads swept at start-up, seed {seed}");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("RECTIFY_CRASH_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, summary + "\n", Ct);
        }

        Assert.True(lost.Count == 0, $"{summary}; lost: {string.Join(", ", lost.Take(10))}");
        Assert.True(acknowledged.Count >= trials, summary);
    }

    private sealed record Write(string Tag, string? Sha256);

    private static async Task<(HttpResponseMessage, Write)> FileReportAsync(HttpClient http, int measure, string tag)
    {
        var bytes = Encoding.UTF8.GetBytes($"%PDF-1.4\n% {tag} {Guid.NewGuid()}\n%%EOF\n");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(tag), "narrative" },
            { new StringContent("50"), "percent" },
            { new StringContent(ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "effectiveDate" },
        };
        var pdf = new ByteArrayContent(bytes);
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", "证明材料.pdf");
        var response = await http.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, CancellationToken.None);
        return (response, new Write(tag, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    private async Task<string> CreateTokenAsync(string user)
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(["token", "create", "--user", user, "--name", "崩溃测试", "--days", "1", "--data", folder, "--Audit:KeyFile=" + Path.Combine(Secrets(folder), "audit.key")], input, output, error, TimeProvider.System);
        Assert.True(code == 0, error.ToString());
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    private SqliteRectifyDbContext Open()
    {
        var options = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
        // The leads are encrypted at rest with the demo column key the server made beside its audit key.
        var columnKey = new ColumnKey(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rectify:Demo"] = "true", [Audit.AuditKey.SecretsFolderSetting] = Secrets(folder) }).Build(),
            folder);
        DatabaseProvider.ConfigureSqlite(options, $"Data Source={Path.Combine(folder, "rectify.db")};Pooling=False").UseColumnEncryption(new ColumnCipher(columnKey));
        return new SqliteRectifyDbContext(options.Options);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The built executable (rectify.dll beside the tests) serving the folder's SQLite file on a port of its own.</summary>
    private sealed class Child(string dataFolder, int port)
    {
        private Process? process;

        public int SweptFiles { get; private set; }

        public int SweptUploads { get; private set; }

        public async Task StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "rectify.dll"), "serve", "--demo", "--data", dataFolder, "--urls", $"http://127.0.0.1:{port}", "--Audit:SecretsFolder=" + Secrets(dataFolder),
                "--Evidence:OrphanGraceMinutes=0", "--Notifications:Background=false", "--Logging:Console:LogLevel:Default=Warning"])
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    return;
                }

                lock (output)
                {
                    output.AppendLine(line);
                }

                // 佐证材料目录：已清理上次异常退出遗留的文件——无记录的文件 N 个、未完成的上传 M 个。
                var m = System.Text.RegularExpressions.Regex.Match(line, @"无记录的文件 (\d+) 个、未完成的上传 (\d+) 个");
                if (m.Success)
                {
                    SweptFiles += int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    SweptUploads += int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    break;
                }

                try
                {
                    if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), Ct)).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
                {
                }

                await Task.Delay(100, Ct);
            }

            Kill();
            lock (output)
            {
                Assert.Fail("the server did not start:\n" + output);
            }
        }

        /// <summary>SIGKILL: no shutdown, no flush, no finally.</summary>
        public void Kill()
        {
            if (process is null)
            {
                return;
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
            process = null;
        }
    }
}
