using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Reports;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Progress reports with evidence (佐证材料): checked by content, stored once, reviewed, downloaded only in scope.</summary>
public abstract class EvidenceTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A small valid PDF whose bytes differ by the text, so that each test has files of its own.</summary>
    private static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    private Task<int> MeasureAsync(int skip)
    {
        Assert.True(skip < app.UnitMeasuresInProgress.Count, $"the seed has only {app.UnitMeasuresInProgress.Count} measures of 纪检监察办 in progress");
        return Task.FromResult(app.UnitMeasuresInProgress[skip]);
    }

    private static async Task<HttpResponseMessage> ReportAsync(HttpClient client, int measure, string narrative, params (string Name, byte[] Bytes)[] files)
    {
        var page = await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(narrative), "narrative" },
            { new StringContent("60"), "percent" },
            { new StringContent("2025-03-01"), "effectiveDate" },
        };
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "files", name);
        }

        return await client.PostAsync(new Uri($"/measures/{measure}?handler=Report", UriKind.Relative), form, Ct);
    }

    private static async Task<HttpResponseMessage> ReviewAsync(HttpClient client, int measure, int report, string decision, string? reason = null)
    {
        return await client.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", new Dictionary<string, string>
        {
            ["reportId"] = report.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["decision"] = decision,
            ["reason"] = reason ?? string.Empty,
        });
    }

    private async Task<(int Reports, int Files, bool Stored)> CountAsync(int measure, byte[] bytes)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var store = app.Factory.Services.GetRequiredService<EvidenceStore>();
        return (await db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct), await db.EvidenceFiles.CountAsync(f => f.Sha256 == sha, Ct), File.Exists(store.PathOf(sha)));
    }

    [Fact]
    public async Task A_unit_reports_with_evidence_the_office_returns_the_unit_reports_again_and_every_version_is_kept()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(0);
        var pdf = Pdf("first " + app.Provider);
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "已完成制度修订初稿。", ("制度修订稿.pdf", pdf), ("现场照片.png", Png))).StatusCode);
        Assert.Equal((1, 1, true), await CountAsync(measure, pdf));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
            var recorded = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().EvidenceFiles.Where(f => f.Sha256 == sha).Select(f => f.Sm3).SingleAsync(Ct);
            var sm3 = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
            sm3.BlockUpdate(pdf, 0, pdf.Length);
            var expected = new byte[sm3.GetDigestSize()];
            sm3.DoFinal(expected, 0);
            Assert.Equal(app.Provider == Provider.Postgres ? Convert.ToHexStringLower(expected) : null, recorded);
        }

        using var office = await app.SignedInAsync("office");
        int first;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().ProgressReports.Where(r => r.MeasureId == measure).Select(r => r.Id).SingleAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await ReviewAsync(office, measure, first, "return")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewAsync(office, measure, first, "return", "缺少印发文号")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReviewAsync(office, measure, first, "accept")).StatusCode);

        var revised = Pdf("second " + app.Provider);
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "补充印发文号：万江党工委〔2025〕12号。", ("印发稿.pdf", revised))).StatusCode);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var reports = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().ProgressReports.Where(r => r.MeasureId == measure).OrderBy(r => r.Number).ToListAsync(Ct);
            Assert.Equal(2, reports.Count);
            Assert.Equal(ProgressReportState.Returned, reports[0].State);
            Assert.Equal("缺少印发文号", reports[0].ReturnReason);
            Assert.Equal(first, reports[1].RevisionOfId);
            Assert.Equal(HttpStatusCode.Redirect, (await ReviewAsync(office, measure, reports[1].Id, "accept")).StatusCode);
        }

        var page = await office.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        Assert.Contains("第 1 次报送", page, StringComparison.Ordinal);
        Assert.Contains("第 2 次报送", page, StringComparison.Ordinal);
        Assert.Contains("已采纳", page, StringComparison.Ordinal);
        Assert.Contains("制度修订稿.pdf", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exe_renamed_pdf_a_misnamed_file_and_a_file_over_the_limit_are_refused_and_nothing_is_kept()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(1);
        using var unit = await app.SignedInAsync("unit");
        var good = Pdf("kept? " + app.Provider);
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];

        var refused = await ReportAsync(unit, measure, "附可执行文件", ("整改报告.pdf", exe), ("好文件.pdf", good));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("不是可接受的佐证材料", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal((0, 0, false), await CountAsync(measure, good));

        var misnamed = await ReportAsync(unit, measure, "扩展名不符", ("照片.jpg", good));
        Assert.Contains("扩展名与内容不符", await misnamed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var big = new byte[1_100_000];
        Pdf("big").CopyTo(big, 0);
        var tooBig = await ReportAsync(unit, measure, "超大文件", ("大文件.pdf", big));
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("超过了单个文件 1 MB 的上限", await tooBig.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal((0, 0, false), await CountAsync(measure, big));
        Assert.Empty(Directory.Exists(Path.Combine(app.Factory.Services.GetRequiredService<EvidenceStore>().Root, "tmp"))
            ? Directory.GetFiles(Path.Combine(app.Factory.Services.GetRequiredService<EvidenceStore>().Root, "tmp")) : []);
    }

    [Fact]
    public async Task A_request_that_fails_half_way_leaves_no_file_and_no_row()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(2);
        var pdf = Pdf("half-way " + app.Provider);
        using var unit = await app.SignedInAsync("unit");
        AuditHead saved;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            // The audit trail cannot be appended to: the report's transaction fails after its files were placed.
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            saved = await db.AuditHeads.AsNoTracking().SingleAsync(Ct);
            await db.AuditHeads.ExecuteDeleteAsync(Ct);
        }

        try
        {
            var failed = await ReportAsync(unit, measure, "中途失败", ("佐证.pdf", pdf));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal((0, 0, false), await CountAsync(measure, pdf));
        }
        finally
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            db.AuditHeads.Add(saved);
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "再次报送", ("佐证.pdf", pdf))).StatusCode);
        Assert.Equal((1, 1, true), await CountAsync(measure, pdf));
    }

    [Fact]
    public async Task Two_reports_sending_the_same_new_file_at_the_same_moment_both_succeed_and_store_it_once()
    {
        app.RequireAvailable();
        var (a, b) = (await MeasureAsync(6), await MeasureAsync(7));
        var pdf = Pdf("simultaneous " + app.Provider + " " + Guid.NewGuid());
        using var first = await app.SignedInAsync("unit");
        using var second = await app.SignedInAsync("unit");
        var both = await Task.WhenAll(
            ReportAsync(first, a, "同时报送甲", ("通知.pdf", pdf)),
            ReportAsync(second, b, "同时报送乙", ("通知.pdf", pdf)));
        Assert.All(both, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal((1, 1, true), await CountAsync(a, pdf));
        Assert.Equal((1, 1, true), await CountAsync(b, pdf));
    }

    [Fact]
    public async Task An_old_office_file_is_refused_with_what_to_convert_it_to_and_what_was_typed_stays_beside_the_form()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(8);
        using var unit = await app.SignedInAsync("unit");
        var before = await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        Assert.Contains("每个文件不超过 1 MB，一次最多 10 个", before, StringComparison.Ordinal); // the fixture sets 1 MB

        // An OLE2 compound file (what Word 97–2003, Excel 97–2003 and WPS write), named .doc.
        byte[] doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0, 0x3E, 0, 3, 0];
        var refused = await ReportAsync(unit, measure, "保留这段进展文字", ("整改报告.doc", doc));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("另存为 .docx、.xlsx 或 PDF", page, StringComparison.Ordinal);

        // The message stands inside the report form, and the form keeps the narrative, the percentage and the date.
        var form = page[page.IndexOf("report-form", StringComparison.Ordinal)..page.IndexOf("</form>", page.IndexOf("report-form", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Contains("另存为 .docx", form, StringComparison.Ordinal);
        Assert.Contains(">保留这段进展文字</textarea>", form, StringComparison.Ordinal);
        Assert.Contains("value=\"60\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"2025-03-01\"", form, StringComparison.Ordinal);
        Assert.Equal(0, (await CountAsync(measure, doc)).Reports);
    }

    [Fact]
    public async Task The_same_file_on_two_measures_is_stored_once_and_flagged_to_the_office()
    {
        app.RequireAvailable();
        var (a, b) = (await MeasureAsync(3), await MeasureAsync(4));
        var pdf = Pdf("shared " + app.Provider);
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, a, "甲措施", ("会议纪要.pdf", pdf))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, b, "乙措施", ("会议纪要（副本）.pdf", pdf))).StatusCode);
        Assert.Equal(1, (await CountAsync(a, pdf)).Files);

        using var office = await app.SignedInAsync("office");
        var officePage = await office.GetStringAsync(new Uri($"/measures/{a}", UriKind.Relative), Ct);
        Assert.Contains("同一文件也用于其他措施", officePage, StringComparison.Ordinal);

        // The flag names the other measure, as a link the office can follow.
        var badge = officePage[officePage.IndexOf("shared-evidence", StringComparison.Ordinal)..];
        Assert.Contains($"<a href=\"/measures/{b}\">", badge[..badge.IndexOf("</span>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain("同一文件也用于其他措施", await unit.GetStringAsync(new Uri($"/measures/{a}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The same file sent again, unchanged, with the measure's next report: flagged to the office as such.
        Assert.DoesNotContain("与此前报送的文件相同", officePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, a, "甲措施（补充）", ("会议纪要-修订.pdf", pdf))).StatusCode);
        Assert.Contains("与此前报送的文件相同，未作修改", await office.GetStringAsync(new Uri($"/measures/{a}", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_file_on_another_organizations_measure_is_never_flagged()
    {
        app.RequireAvailable();
        var mine = await MeasureAsync(9);
        var pdf = Pdf("across organizations " + app.Provider);
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, mine, "本单位措施", ("通报.pdf", pdf))).StatusCode);

        // Another city's unit files the very same bytes on a measure of its own inspection (no demo user sees it).
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var theirs = await db.Measures.Include(m => m.Inspection)
                .Where(m => m.InspectionId == app.OtherInspectionId && (m.State == MeasureState.Planned || m.State == MeasureState.InProgress))
                .OrderByDescending(m => m.State).ThenBy(m => m.Id).FirstAsync(Ct);
            var file = await db.EvidenceFiles.SingleAsync(f => f.Sha256 == sha, Ct);
            var actor = new Actor("other-city-unit", "另一市某单位");
            if (theirs.State == MeasureState.Planned)
            {
                theirs.Start(actor, TimeProvider.System);
            }

            var report = ProgressReport.File(theirs, null, "另一市的进展", 50, new DateOnly(2025, 3, 1), actor, TimeProvider.System);
            report.Attach(file, "另一市通报.pdf", actor);
            db.ProgressReports.Add(report);
            await db.SaveChangesAsync(Ct);
        }

        // The office of this organization sees no sign of the other organization's use: not the flag, not the measure.
        using var office = await app.SignedInAsync("office");
        var page = await office.GetStringAsync(new Uri($"/measures/{mine}", UriKind.Relative), Ct);
        Assert.Contains("通报.pdf", page, StringComparison.Ordinal);
        Assert.DoesNotContain("同一文件也用于其他措施", page, StringComparison.Ordinal);
        Assert.DoesNotContain("shared-evidence", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_is_named_by_its_place_in_its_report_so_an_upload_does_not_tell_whether_its_bytes_were_stored_before()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(10);
        var (w, x, y) = (Pdf("place w " + Guid.NewGuid()), Pdf("place x " + Guid.NewGuid()), Pdf("place y " + Guid.NewGuid()));
        using var unit = await app.SignedInAsync("unit");

        // X is stored first (after W), Y is new when the second report brings both: the store's ids would tell them apart.
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "第一次", ("w.pdf", w), ("x.pdf", x))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "第二次", ("b.pdf", y), ("a.pdf", x))).StatusCode);

        // Listed and linked by name, 1 and 2 in the report, whatever was stored before; each link gives its own file.
        var reports = await app.ReadAsync(db => db.ProgressReports.Where(r => r.MeasureId == measure).OrderByDescending(r => r.Number).Select(r => r.Id).Take(2).ToListAsync(Ct));
        var page = await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        Assert.Equal(
            [$"/evidence/{reports[0]}/1", $"/evidence/{reports[0]}/2"],
            System.Text.RegularExpressions.Regex.Matches(page, $"href=\"(/evidence/{reports[0]}/\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(x, await unit.GetByteArrayAsync(new Uri($"/evidence/{reports[0]}/1", UriKind.Relative), Ct));
        Assert.Equal(y, await unit.GetByteArrayAsync(new Uri($"/evidence/{reports[0]}/2", UriKind.Relative), Ct));
        Assert.Equal(x, await unit.GetByteArrayAsync(new Uri($"/evidence/{reports[1]}/2", UriKind.Relative), Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/evidence/{reports[0]}/3", UriKind.Relative), Ct)).StatusCode);

        // Nor does its time: Last-Modified is the second report's, not when X was first stored (the file's own time, set far back here).
        File.SetLastWriteTimeUtc(app.Factory.Services.GetRequiredService<EvidenceStore>().PathOf(Convert.ToHexStringLower(SHA256.HashData(x))), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var sent = await app.ReadAsync(db => db.ProgressReports.Where(r => r.Id == reports[0]).Select(r => r.SubmittedAtUtc).SingleAsync(Ct));
        using var again = await unit.GetAsync(new Uri($"/evidence/{reports[0]}/1", UriKind.Relative), Ct);
        Assert.Equal(new DateTimeOffset(sent.Ticks - (sent.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero), again.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/evidence/{reports[0]}/0", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Evidence_downloads_only_within_scope_and_every_download_is_audited()
    {
        app.RequireAvailable();
        var measure = await MeasureAsync(5);
        var pdf = Pdf("download " + app.Provider);
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.Redirect, (await ReportAsync(unit, measure, "可下载", ("整改通知.pdf", pdf))).StatusCode);
        var page = await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/evidence/\\d+/\\d+)\"").Groups[1].Value;

        var download = await unit.GetAsync(new Uri(link, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);

        using var admin = await app.SignedInAsync("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri(link, UriKind.Relative), Ct)).StatusCode);
        using var stranger = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync(new Uri(link, UriKind.Relative), Ct)).StatusCode);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "evidence.download" && e.After!.Contains("整改通知.pdf"), Ct));
    }
}

public sealed class EvidenceTestsOnSqlite(SqliteApp app) : EvidenceTests(app), IClassFixture<SqliteApp>;

public sealed class EvidenceTestsOnPostgres(PostgresApp app) : EvidenceTests(app), IClassFixture<PostgresApp>;
