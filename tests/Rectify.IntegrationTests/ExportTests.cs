using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Intake;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The ledger export (.xlsx): the 台账 columns, the caller's scope, and the overview's figures recomputed from it.</summary>
public abstract class ExportTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The export's measure rows as column name → text, merged cells read as their first cell (as on paper), with
    /// 问题序号 (the first part of 序号) and 问题类别 in the overview's form "(一)…" added for the figures.
    /// </summary>
    private async Task<List<Dictionary<string, string>>> ExportAsync(HttpClient client, string query = "")
    {
        var sheet = Xlsx.ReadFirstSheet(await DownloadAsync(client, app.InspectionId, query), fillMerged: true);
        Assert.EndsWith("反馈问题整改台账", sheet[0][0], StringComparison.Ordinal);
        Assert.StartsWith("统计截至", sheet[1][0], StringComparison.Ordinal);
        var header = sheet[LedgerExport.HeaderRow - 1];
        Assert.Equal(LedgerExport.Columns, header);
        var rows = sheet.Skip(LedgerExport.HeaderRow)
            .Select(cells => header.Select((name, i) => (name, value: i < cells.Count ? cells[i] : string.Empty)).ToDictionary(c => c.name, c => c.value))
            .ToList();
        foreach (var r in rows)
        {
            r["问题序号"] = r["序号"].Split('.')[0];
            r["问题类别"] = OverviewCategory(r["问题类别"]);
        }

        return rows;
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, int inspection, string query = "")
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{inspection}/ledger.xlsx{query}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LedgerExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("整改台账", Path.GetFileNameWithoutExtension(response.Content.Headers.ContentDisposition!.FileNameStar)![..^8], StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>The export's category cell "一、…" as the overview names the category, "(一)…".</summary>
    internal static string OverviewCategory(string cell)
    {
        var m = System.Text.RegularExpressions.Regex.Match(cell, "^(?:(?<n>[一二三四五六七八九十]+)、|（(?<n>[一二三四五六七八九十]+)）)(?<t>.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(m.Success, $"the category cell “{cell}” does not start with its number");
        return $"({m.Groups["n"].Value}){m.Groups["t"].Value}";
    }

    [Fact]
    public async Task The_sheet_says_whose_measures_it_holds()
    {
        app.RequireAvailable();
        foreach (var (user, said) in new[] { ("office", "（全部措施"), ("unit", "（本单位牵头或配合的全部措施") })
        {
            using var client = await app.SignedInAsync(user);
            var sheet = Xlsx.ReadFirstSheet(await DownloadAsync(client, app.InspectionId, string.Empty), fillMerged: true);
            Assert.Contains(said, sheet[1][0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_overview_statistics_equal_those_computed_from_the_ledger_export()
    {
        app.RequireAvailable();
        foreach (var user in new[] { "office", "unit", "leader" })
        {
            using var client = await app.SignedInAsync(user);
            var rows = await ExportAsync(client);
            var overview = (await client.GetFromJsonAsync<InspectionOverview>($"/api/v1/inspections/{app.InspectionId}/overview", Http.Json, Ct))!;
            Assert.NotEmpty(rows);
            Assert.Equal(rows.Count, rows.Select(r => r["序号"]).Distinct().Count());

            static bool Late(Dictionary<string, string> r) => r["超期"] == LedgerExport.Yes;
            static bool Unreported(Dictionary<string, string> r) => r["逾期未报"] == LedgerExport.Yes;
            static bool Done(Dictionary<string, string> r) => r["完成情况"] is "已完成" or "持续整改";
            var findings = rows.GroupBy(r => r["问题序号"]).Select(g => (
                Number: int.Parse(g.Key, System.Globalization.CultureInfo.InvariantCulture),
                Category: g.First()["问题类别"],
                Signal: g.First()["问题红黄绿"],
                Completion: g.All(Done) ? (g.Any(r => r["完成情况"] == "持续整改") ? "持续整改" : "已完成") : "未完成",
                Measures: g.Count(),
                Late: g.Count(Late),
                Unreported: g.Count(Unreported))).ToList();

            // Totals.
            var t = overview.Totals;
            Assert.Equal(findings.Count, t.Findings);
            Assert.Equal(rows.Count, t.Measures);
            Assert.Equal(rows.Count(r => r["完成情况"] == "已完成"), t.CompletedMeasures);
            Assert.Equal(rows.Count(r => r["完成情况"] == "已完成"), rows.Count(r => r["状态"] == "已销号"));
            Assert.Equal(rows.Count(r => r["状态"] == "已销号"), rows.Count(r => r["销号日期"].Length > 0));
            Assert.Equal(rows.Count(r => r["完成情况"] == "持续整改"), t.SustainedMeasures);
            Assert.Equal(rows.Count(Late), t.PastDeadlineMeasures);
            Assert.Equal(rows.Count(Unreported), t.MissingReportMeasures);
            Assert.Equal(findings.Count(f => f.Completion == "已完成"), t.CompletedFindings);
            Assert.Equal(findings.Count(f => f.Completion == "持续整改"), t.SustainedFindings);
            Assert.Equal((findings.Count(f => f.Signal == "红"), findings.Count(f => f.Signal == "黄"), findings.Count(f => f.Signal == "绿")), (t.RedFindings, t.YellowFindings, t.GreenFindings));

            // 完成率 by lead unit and by kind (measures), by category (findings).
            (string, int, int, int, int, int) Rate(string name, IEnumerable<Dictionary<string, string>> measures)
            {
                var list = measures.ToList();
                return (name, list.Count, list.Count(r => r["完成情况"] == "已完成"), list.Count(r => r["完成情况"] == "持续整改"), list.Count(Late), list.Count(Unreported));
            }

            static (string, int, int, int, int, int) Line(RateRow r) => (r.Name, r.Total, r.Completed, r.Sustained, r.PastDeadline, r.MissingReport);
            Assert.Equal(
                rows.GroupBy(r => r["牵头单位"].Length == 0 ? "（未定）" : r["牵头单位"]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Rate(g.Key, g)),
                overview.ByUnit.Select(Line));
            Assert.Equal(
                rows.GroupBy(r => r["整改类型"]).Select(g => Rate(g.Key, g)).OrderBy(r => r.Item1, StringComparer.Ordinal),
                overview.ByKind.Select(Line).OrderBy(r => r.Item1, StringComparer.Ordinal));
            Assert.Equal(
                findings.GroupBy(f => f.Category).Select(g => (g.Key, g.Count(), g.Count(f => f.Completion == "已完成"), g.Count(f => f.Completion == "持续整改"), g.Count(f => f.Late > 0), g.Count(f => f.Unreported > 0))),
                overview.ByCategory.Select(Line));
            Assert.Equal(
                overview.ByCategory.Select(c => c.Rate),
                findings.GroupBy(f => f.Category).Select(g => Math.Round(100m * g.Count(f => f.Completion != "未完成") / g.Count(), 1)));

            // 红黄绿 per finding.
            Assert.Equal(
                findings.OrderBy(f => f.Number).Select(f => (f.Number, f.Late + f.Unreported > 0 ? "红" : f.Completion != "未完成" ? "绿" : "黄", f.Measures, f.Late, f.Unreported)),
                overview.Findings.Select(f => (f.Number, Terms.Of(f.Signal), f.Measures, f.PastDeadline, f.MissingReport)));
            Assert.All(findings, f => Assert.Equal(Terms.Of(overview.Findings.Single(o => o.Number == f.Number).Signal), f.Signal));
        }
    }

    [Fact]
    public async Task The_export_keeps_the_ledgers_columns_texts_filters_and_scope_and_is_audited()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var ledger = (await office.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        var rows = await ExportAsync(office);
        Assert.Equal(ledger.Rows.Select(r => r.Text), rows.Select(r => r["整改措施"]));
        Assert.Equal(ledger.Rows.Select(r => r.FindingTitle), rows.Select(r => r["反馈问题"]));
        Assert.Equal(ledger.Rows.Select(r => $"{r.FindingNumber}.{r.MeasureNumber}"), rows.Select(r => r["序号"]));
        Assert.Equal(ledger.Rows.Select(r => r.Deadline?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? Terms.Of(r.Kind)), rows.Select(r => r["完成时限"]));
        Assert.Equal(ledger.Rows.Select(r => Terms.Of(r.Kind)), rows.Select(r => r["整改类型"]));
        Assert.Equal(ledger.Rows.Select(r => r.ResponsibleLeader ?? string.Empty), rows.Select(r => r["责任领导"]));
        Assert.Equal(ledger.Rows.Select(r => Terms.Of(r.State)), rows.Select(r => r["状态"]));
        Assert.Equal(ledger.Rows.Select(r => string.Join("、", r.SupportingUnits)), rows.Select(r => r["配合单位"]));
        Assert.All(rows, r => Assert.NotEqual(string.Empty, r["待核实（来源未载明）"]));
        Assert.DoesNotContain(rows[0].Keys, k => k.Contains("演示", StringComparison.Ordinal));

        // The ledger's filters apply, and the overdue filter gives exactly the rows the export marks overdue.
        var overdue = await ExportAsync(office, "?overdue=true");
        Assert.Equal(rows.Where(r => r["超期"] == LedgerExport.Yes || r["逾期未报"] == LedgerExport.Yes).Select(r => r["序号"]), overdue.Select(r => r["序号"]));
        Assert.Equal(rows.Where(r => r["整改类型"] == "长期坚持").Select(r => r["序号"]), (await ExportAsync(office, "?kind=Ongoing")).Select(r => r["序号"]));

        // Another organization's inspection does not exist for the office; strangers are asked to sign in.
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/ledger.xlsx", UriKind.Relative), Ct)).StatusCode);
        using var stranger = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx?state=Finished", UriKind.Relative), Ct)).StatusCode);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.True(await db.AuditEntries.CountAsync(e => e.Action == "ledger.export", Ct) >= 3);
    }

    [Fact]
    public async Task The_export_is_the_printable_ledger_the_import_reads_with_what_became_of_each_measure()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var bytes = await DownloadAsync(office, app.InspectionId);
        var ledger = (await office.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;

        // A4 landscape, fit to one page wide, the header repeated on every page, the title and the as-of line across the
        // table, category and finding merged down (and the finding's state and 红黄绿 with the finding).
        using (var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false))
        {
            var workbook = document.WorkbookPart!;
            var first = workbook.Workbook.Sheets!.Elements<Sheet>().First();
            Assert.Equal(LedgerTemplate.LedgerSheetName, first.Name!.Value);
            var printTitles = workbook.Workbook.DefinedNames!.Elements<DefinedName>().Single();
            Assert.Equal(("_xlnm.Print_Titles", "'整改台账'!$3:$3", 0u), (printTitles.Name!.Value, printTitles.Text, printTitles.LocalSheetId!.Value));
            var sheet = ((WorksheetPart)workbook.GetPartById(first.Id!)).Worksheet;
            var setup = sheet.GetFirstChild<PageSetup>()!;
            Assert.Equal((9u, OrientationValues.Landscape, 1u, 0u), (setup.PaperSize!.Value, setup.Orientation!.Value, setup.FitToWidth!.Value, setup.FitToHeight!.Value));
            Assert.True(sheet.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);
            var merges = sheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();
            Assert.Contains("A1:V1", merges);
            Assert.Contains("A2:V2", merges);
            List<string> Ranges(char column) => [.. merges.Where(m => m[0] == column).Select(m => m.Replace(column.ToString(), string.Empty, StringComparison.Ordinal))];
            Assert.NotEmpty(Ranges('B'));
            Assert.NotEmpty(Ranges('C'));
            Assert.Equal(Ranges('C'), Ranges('N'));
            Assert.Equal(Ranges('C'), Ranges('O'));
            var fonts = workbook.WorkbookStylesPart!.Stylesheet.Fonts!.Elements<Font>().Select(f => f.GetFirstChild<FontName>()!.Val!.Value).Distinct();
            Assert.Equal(["仿宋"], fonts);
        }

        // The import's reader reads it as the ledger, without a single remark: the title, the as-of line and the output-only columns are skipped.
        var draft = LedgerWorkbookReader.Read(new MemoryStream(bytes));
        Assert.Empty(draft.Problems);
        Assert.Equal(ledger.TotalRows, draft.MeasureCount);
        Assert.EndsWith("反馈问题整改台账", draft.Inspection.Title, StringComparison.Ordinal);

        // 整改进展 is the latest accepted report's narrative, else the latest awaiting review (marked); 销号日期 only while signed off.
        var rows = await ExportAsync(office);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var ids = ledger.Rows.Select(r => r.MeasureId).ToList();
        var reports = await db.ProgressReports.AsNoTracking().Where(r => ids.Contains(r.MeasureId)).Select(r => new { r.MeasureId, r.Number, r.State, r.Narrative }).ToListAsync(Ct);
        string Progress(int measure)
        {
            var mine = reports.Where(r => r.MeasureId == measure).OrderByDescending(r => r.Number).ToList();
            return mine.FirstOrDefault(r => r.State == ProgressReportState.Accepted)?.Narrative
                ?? (mine.FirstOrDefault(r => r.State == ProgressReportState.Submitted) is { } pending ? LedgerExport.Pending + pending.Narrative : string.Empty);
        }

        Assert.Contains(reports, r => r.State == ProgressReportState.Accepted);
        Assert.Equal(ledger.Rows.Select(r => Progress(r.MeasureId)), rows.Select(r => r["整改进展"]));
        Assert.Equal(ledger.Rows.Select(r => r.State == MeasureState.SignedOff), rows.Select(r => r["销号日期"].Length > 0));
    }
}

public sealed class ExportTestsOnSqlite(SqliteApp app) : ExportTests(app), IClassFixture<SqliteApp>;

public sealed class ExportTestsOnPostgres(PostgresApp app) : ExportTests(app), IClassFixture<PostgresApp>;
