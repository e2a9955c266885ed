using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Reports;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #13's evidence items (security.md E2–E5): hostile file names land under the store with server names, the store
/// has no static route, downloads carry their safety headers and encode any name, another organization gets 404, a
/// person's daily quota, and a scanner that times out refuses the upload (fail closed) while an infected file is audited.
/// </summary>
public abstract class EvidenceSafetyTests(AppFixture app)
{
    private const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Pdf(string text) => Encoding.UTF8.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static Task<HttpClient> WithTokenAsync(IServiceProvider services, HttpClient client, string userName) => client.WithTokenAsync(services, userName, "佐证安全测试");

    private static Task<HttpResponseMessage> ReportAsync(HttpClient unit, int measure, string name, byte[] bytes, bool star = false) => unit.ReportWithFileAsync(measure, name, bytes, star);

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private static int IdOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt32();

    private string EvidenceRoot => Path.GetFullPath(Path.Combine(app.DataFolder, "evidence"));

    private IReadOnlyList<string> FilesOutsideTheDatabase() =>
        [.. Directory.EnumerateFiles(app.DataFolder, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(EvidenceRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))];

    [Fact]
    public async Task Two_steps_taking_the_same_new_file_at_once_share_its_row_and_both_commit()
    {
        app.RequireAvailable();
        var sha = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var staged = new StagedFile("(not read)", sha, 1234, Domain.EvidenceType.Pdf, "同一份附件.pdf");
        await using var first = app.Factory.Services.CreateAsyncScope();
        await using var second = app.Factory.Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var b = second.ServiceProvider.GetRequiredService<RectifyDbContext>();

        // The first step holds the new row, not yet committed, while the second looks for it and inserts its own (on
        // PostgreSQL the insert waits on the unique index; on SQLite the second transaction waits for the writer).
        await using var firstStep = await a.Database.BeginTransactionAsync(Ct);
        var firstRow = await AttachmentIntake.RowAsync(a, staged, DateTime.UtcNow, Ct);
        var secondStep = Task.Run(async () =>
        {
            await using var transaction = await b.Database.BeginTransactionAsync(Ct);
            var row = await AttachmentIntake.RowAsync(b, staged, DateTime.UtcNow, Ct);

            // The step's transaction goes on after the lost insert: its next statement and its commit succeed.
            var rows = await b.EvidenceFiles.CountAsync(e => e.Sha256 == sha, Ct);
            await transaction.CommitAsync(Ct);
            return (row.Id, rows);
        }, Ct);
        await Task.Delay(500, Ct);
        await firstStep.CommitAsync(Ct);

        var (secondId, seen) = await secondStep;
        Assert.Equal(firstRow.Id, secondId);
        Assert.Equal(1, seen);
        Assert.Equal(1, await ReadAsync(db => db.EvidenceFiles.CountAsync(e => e.Sha256 == sha, Ct)));
    }

    [Fact]
    public async Task Hostile_file_names_land_under_the_store_with_server_names_and_the_store_has_no_route()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[0];
        using var unit = await WithTokenAsync(app.Factory.Services, app.Client(), "unit");
        var outsideBefore = FilesOutsideTheDatabase();
        var longName = string.Concat(Enumerable.Repeat("整改佐证材料关于巡察反馈问题的说明", 19))[..300] + ".pdf";
        var cases = new (string Sent, string Shown)[]
        {
            ("../../x.pdf", "x.pdf"),
            ("..\\..\\web.config.pdf", "web.config.pdf"),
            ("CON.pdf", "CON.pdf"),
            ("/etc/passwd.pdf", "passwd.pdf"),
            (longName, longName[..(EvidenceStore.MaxDisplayName - 4)] + ".pdf"),
        };
        var stored = new List<string>();
        foreach (var (sent, shown) in cases)
        {
            var pdf = Pdf($"name {sent.Length} {Guid.NewGuid()}");
            var response = await ReportAsync(unit, measure, sent, pdf);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{sent}: {(int)response.StatusCode} {body}");
            var reportId = IdOf(body);
            var kept = await ReadAsync(db => db.ProgressReportEvidence.Where(e => e.ProgressReportId == reportId).Select(e => new { e.OriginalName, e.EvidenceFile.Sha256 }).SingleAsync(Ct));

            // The name is metadata only, without its folders and bounded; the file is where its digest says.
            Assert.Equal(shown, kept.OriginalName);
            var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
            Assert.Equal(sha, kept.Sha256);
            var path = Path.Combine(EvidenceRoot, sha[..2], sha[2..4], sha);
            Assert.Equal(pdf, await File.ReadAllBytesAsync(path, Ct));
            stored.Add(path);
        }

        // A NUL (sent as filename*, which a client can encode) is refused, nothing kept.
        var reports = await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct));
        var nul = await ReportAsync(unit, measure, "报告\0.exe.pdf", Pdf("nul"), star: true);
        var nulText = await nul.Content.ReadAsStringAsync(Ct);
        Assert.True(nul.StatusCode == HttpStatusCode.BadRequest, $"NUL: {(int)nul.StatusCode} {nulText}");
        Assert.Contains("控制字符", nulText, StringComparison.Ordinal);
        Assert.Equal(reports, await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct)));

        // Every file the uploads made is under the store, named by its digest; nothing appeared anywhere else in the data
        // folder or next to it, and nothing named after what was sent exists anywhere.
        Assert.Equal(outsideBefore, FilesOutsideTheDatabase());
        var inStore = Directory.EnumerateFiles(EvidenceRoot, "*", SearchOption.AllDirectories).ToList();
        Assert.All(stored, p => Assert.Contains(p, inStore));
        Assert.All(inStore, p => Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(p)));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(app.DataFolder)!, "x.pdf", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(app.DataFolder)!, "*web.config*", SearchOption.AllDirectories));

        // No static route to the store: its paths answer 404 to a signed-in user.
        using var cookie = await app.SignedInAsync("unit");
        var one = Path.GetRelativePath(app.DataFolder, stored[0]).Replace(Path.DirectorySeparatorChar, '/');
        foreach (var probe in new[] { "/" + one, "/" + one["evidence/".Length..], "/" + Path.GetFileName(stored[0]), "/data/" + one, "/evidence/tmp" })
        {
            using var response = await cookie.GetAsync(new Uri(probe, UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{probe}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_download_is_an_attachment_with_its_stored_type_sandboxed_any_name_is_encoded_and_another_organization_gets_404()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[1];
        using var unit = await WithTokenAsync(app.Factory.Services, app.Client(), "unit");
        var pdf = Pdf("headers " + Guid.NewGuid());
        var created = await ReportAsync(unit, measure, "整改报告.pdf", pdf);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reportId = IdOf(await created.Content.ReadAsStringAsync(Ct));
        // The report's one file is its first; the store's id of the file names nothing outside.
        Assert.Equal(1, await ReadAsync(db => db.ProgressReportEvidence.CountAsync(e => e.ProgressReportId == reportId, Ct)));
        const int evidenceId = 1;
        var link = new Uri($"/evidence/{reportId}/{evidenceId}", UriKind.Relative);
        var api = new Uri($"/api/v1/reports/{reportId}/evidence/{evidenceId}", UriKind.Relative);

        // Sent as a PDF named .pdf, served as the stored type whatever the request asked for.
        using var cookie = await app.SignedInAsync("unit");
        foreach (var (client, uri) in new[] { (cookie, link), (unit, api) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.StartsWith("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            var disposition = response.Content.Headers.GetValues("Content-Disposition").Single();
            Assert.StartsWith("attachment;", disposition, StringComparison.Ordinal);
            Assert.Contains("filename*=UTF-8''" + Uri.EscapeDataString("整改报告.pdf"), disposition, StringComparison.Ordinal);
            Assert.Equal("整改报告.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync(Ct));
        }

        // A name with a quote, CR/LF and a header after it (the upload refuses control characters; this one is put in the
        // database directly, as a name from an older version or an import might be) is encoded, never a second header.
        const string Hostile = "报告\"\r\nSet-Cookie: stolen=1\r\nX-Injected: yes.pdf";
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var changed = await db.ProgressReportEvidence.Where(e => e.ProgressReportId == reportId).ExecuteUpdateAsync(s => s.SetProperty(e => e.OriginalName, Hostile), Ct);
            Assert.Equal(1, changed);
        }

        using (var response = await cookie.GetAsync(link, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Injected"));
            Assert.DoesNotContain(response.Headers, h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) && h.Value.Any(v => v.Contains("stolen", StringComparison.Ordinal)));
            var raw = response.Content.Headers.GetValues("Content-Disposition").Single();
            Assert.DoesNotContain('\r', raw);
            Assert.DoesNotContain('\n', raw);
            Assert.Contains("filename*=UTF-8''", raw, StringComparison.Ordinal);
            Assert.Equal(Hostile, response.Content.Headers.ContentDisposition?.FileNameStar);
        }

        // An office of another organization (the other city's) sees nothing of it: 404, as for something that is not there.
        var otherOrganization = await ReadAsync(db => db.Inspections.Where(i => i.Id == app.OtherInspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct));
        var name = "other-office-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(
                name, "外市整改办", otherOrganization.ToString(System.Globalization.CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        }

        using var stranger = await app.SignedInAsync(name);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(link, Ct)).StatusCode);
        using var strangerApi = await WithTokenAsync(app.Factory.Services, app.Client(), name);
        var problem = await strangerApi.GetAsync(api, Ct);
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.DoesNotContain("%PDF", await problem.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_the_daily_quota_an_upload_is_refused_413_in_chinese_and_nothing_is_kept()
    {
        app.RequireAvailable();
        await using var limited = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Configure<EvidenceOptions>(o => o.DailyQuotaMegabytes = 1)));
        var measure = app.UnitMeasuresInProgress[2];

        // Another person's uploads do not count towards this one's quota: a reporter of its own.
        var name = "quota-" + Guid.NewGuid().ToString("N")[..8];
        var unitOrganization = await ReadAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.LeadUnitId!.Value).SingleAsync(Ct));
        await using (var scope = limited.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(
                name, "配额测试联络员", unitOrganization.ToString(System.Globalization.CultureInfo.InvariantCulture), [Roles.UnitReporter], app.Password, Ct, initialPassword: false);
        }

        using var unit = await WithTokenAsync(limited.Services, limited.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), name);
        static byte[] Sized(int bytes)
        {
            var head = Pdf(Guid.NewGuid().ToString());
            var pdf = new byte[bytes];
            head.CopyTo(pdf, 0);
            RandomNumberGenerator.Fill(pdf.AsSpan(head.Length));
            return pdf;
        }

        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(unit, measure, "第一份.pdf", Sized(600 * 1024))).StatusCode);
        var reports = await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct));
        var evidence = await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct));
        var stored = Directory.EnumerateFiles(EvidenceRoot, "*", SearchOption.AllDirectories).Count();

        var refused = await ReportAsync(unit, measure, "第二份.pdf", Sized(600 * 1024));
        var text = await refused.Content.ReadAsStringAsync(Ct);
        Assert.True(refused.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)refused.StatusCode}: {text}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("每人每天 1 MB 的上限", text, StringComparison.Ordinal);
        Assert.Equal(reports, await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct)));
        Assert.Equal(evidence, await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct)));
        Assert.Equal(stored, Directory.EnumerateFiles(EvidenceRoot, "*", SearchOption.AllDirectories).Count());

        // The demo reporter's own quota is untouched by this person's.
        using var other = await WithTokenAsync(limited.Services, limited.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "unit");
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(other, measure, "另一人.pdf", Sized(100 * 1024))).StatusCode);
    }

    [Fact]
    public async Task A_scanner_that_times_out_refuses_the_upload_503_keeping_nothing_and_an_infected_file_is_audited_and_never_kept()
    {
        app.RequireAvailable();
        using var clamd = new SlowOrEicarClamd();
        await using var scanned = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton(new ClamdScanner(clamd.Endpoint, TimeSpan.FromSeconds(2)));
            s.Configure<EvidenceOptions>(o => o.Clamd = clamd.Endpoint);
        }));
        using var unit = await WithTokenAsync(scanned.Services, scanned.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "unit");
        var measure = app.UnitMeasuresInProgress[3];
        var reports = await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct));
        var evidence = await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct));
        var stored = Directory.Exists(EvidenceRoot) ? Directory.EnumerateFiles(EvidenceRoot, "*", SearchOption.AllDirectories).Count() : 0;

        // The scanner takes the file and never answers: after its timeout the upload is refused, 503, nothing kept.
        clamd.Hang = true;
        var started = TimeProvider.System.GetTimestamp();
        var slow = await ReportAsync(unit, measure, "待扫描.pdf", Pdf("slow " + Guid.NewGuid()));
        var slowText = await slow.Content.ReadAsStringAsync(Ct);
        Assert.True(slow.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)slow.StatusCode}: {slowText}");
        Assert.Equal("application/problem+json", slow.Content.Headers.ContentType?.MediaType);
        Assert.Contains("2 秒内没有给出结果", slowText, StringComparison.Ordinal);
        Assert.Contains("暂时无法上传", slowText, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(2), "refused before the scanner's timeout");
        Assert.Equal(1, clamd.Connections);
        Assert.Equal(reports, await ReadAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct)));
        Assert.Equal(evidence, await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct)));
        Assert.Equal(stored, Directory.EnumerateFiles(EvidenceRoot, "*", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(EvidenceRoot, "tmp")));

        // The page says that uploads are scanned; infected is refused, never kept, and recorded in the audit trail.
        using var page = scanned.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await page.SignInAsync("unit", app.Password)).StatusCode);
        Assert.Contains("上传的文件经 ClamAV 病毒扫描。", await page.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct), StringComparison.Ordinal);
        clamd.Hang = false;
        var infected = Encoding.ASCII.GetBytes("%PDF-1.4\n% " + Eicar + "\n%%EOF\n");
        var refused = await ReportAsync(unit, measure, "通知.pdf", infected);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Eicar-Test-Signature", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(EvidenceRoot, Convert.ToHexStringLower(SHA256.HashData(infected))[..2], Convert.ToHexStringLower(SHA256.HashData(infected))[2..4], Convert.ToHexStringLower(SHA256.HashData(infected)))));
        Assert.Equal(evidence, await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(EvidenceRoot, "tmp")));
        var audit = await ReadAsync(db => db.AuditEntries.Where(e => e.Action == "evidence.infected" && e.ObjectId == measure.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToListAsync(Ct));
        var record = Assert.Single(audit);
        Assert.False(record.Succeeded);
        Assert.Contains("Eicar-Test-Signature", record.After, StringComparison.Ordinal);
        Assert.Contains("通知.pdf", record.After, StringComparison.Ordinal);

        // An extension request's 附件 is scanned as evidence is: refused, never kept, recorded; no request is made.
        var extensions = await ReadAsync(db => db.DeadlineExtensions.CountAsync(Ct));
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent(DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "requestedDeadline");
            form.Add(new StringContent("需协调上级部门。"), "reason");
            var file = new ByteArrayContent(infected);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "延期说明.pdf");
            var extension = await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/extensions", UriKind.Relative), form, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, extension.StatusCode);
            Assert.Contains("Eicar-Test-Signature", await extension.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(extensions, await ReadAsync(db => db.DeadlineExtensions.CountAsync(Ct)));
        Assert.Equal(evidence, await ReadAsync(db => db.EvidenceFiles.CountAsync(Ct)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(EvidenceRoot, "tmp")));
        Assert.Equal(2, await ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == "evidence.infected" && e.ObjectId == measure.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));

        // Without a scanner the same page says plainly that nothing is scanned.
        using var plain = await app.SignedInAsync("unit");
        Assert.Contains("上传的文件不经病毒扫描，请先用杀毒软件检查。", await plain.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    /// <summary>A stand-in clamd: reads INSTREAM and answers like ClamAV, or (<see cref="Hang"/>) reads it all and never answers.</summary>
    private sealed class SlowOrEicarClamd : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private int connections;
        private volatile bool hang;

        public SlowOrEicarClamd()
        {
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public bool Hang
        {
            get => hang;
            set => hang = value;
        }

        public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref connections);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }

        private async Task ServeAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref connections);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var command = new byte[10];
                            await stream.ReadExactlyAsync(command, stop.Token);
                            using var data = new MemoryStream();
                            var length = new byte[4];
                            while (true)
                            {
                                await stream.ReadExactlyAsync(length, stop.Token);
                                var n = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(length);
                                if (n == 0)
                                {
                                    break;
                                }

                                var chunk = new byte[n];
                                await stream.ReadExactlyAsync(chunk, stop.Token);
                                data.Write(chunk);
                            }

                            if (Hang)
                            {
                                await Task.Delay(Timeout.Infinite, stop.Token);
                            }

                            var found = Encoding.ASCII.GetString(data.ToArray()).Contains(Eicar, StringComparison.Ordinal);
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(found ? "stream: Eicar-Test-Signature FOUND\0" : "stream: OK\0"), stop.Token);
                        }
                        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
                        {
                            // The scanner is stopped, or the application gave up on it.
                        }
                    }
                });
            }
        }
    }
}

public sealed class EvidenceSafetyTestsOnSqlite(SqliteApp app) : EvidenceSafetyTests(app), IClassFixture<SqliteApp>;

public sealed class EvidenceSafetyTestsOnPostgres(PostgresApp app) : EvidenceSafetyTests(app), IClassFixture<PostgresApp>;
