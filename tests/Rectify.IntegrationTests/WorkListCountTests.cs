using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Work;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 待办 counts a list no further than <see cref="IndexModel.Counted"/> (issue #12, ADR 0035): at the bound it says the
/// number, one past it "1000+" and "以上", and either way it lists the earliest deadlines first. The measures whose reports
/// wait for review are found by their mark (<see cref="Measure.ReportsAwaitingReview"/>), which must agree with the reports.
/// </summary>
public abstract partial class WorkListCountTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_list_longer_than_the_bound_says_more_than_the_bound_and_still_lists_the_earliest_deadlines_first()
    {
        app.RequireAvailable();
        var today = ChinaTime.Today(TimeProvider.System);

        // An office of its own, whose only inspection has exactly as many measures past their deadline as are counted.
        var (inspectionId, userName) = await OwnOffice.CreateAsync(app, "待办计数核对", "wc", inspection =>
        {
            var finding = new Finding(new FindingCategory(inspection, 1, "方面"), 1, "问题");
            for (var i = 1; i <= IndexModel.Counted; i++)
            {
                // Deadlines from yesterday back, 300 days round: the earliest are spread through the insertion order.
                finding.AddMeasure(i, $"超期措施{i}", MeasureKind.TimeBound).Plan(MeasureKind.TimeBound, today.AddDays(-1 - (i * 7 % 300)), null, null);
            }

            // Nothing is late before the plan is adopted (审定): this one is in force.
            Adopt(inspection, finding);
            return [finding];
        }, Ct);

        using var office = await app.SignedInAsync(userName);
        var (badge, note, dates) = await OverdueAsync(office);
        Assert.Equal($"{IndexModel.Counted}", badge);
        Assert.Equal($"只显示前 50 条，共 {IndexModel.Counted} 条；请在台账中筛选查看全部。", note);
        Assert.Equal(50, dates.Count);
        Assert.Equal(dates.Order().ToList(), dates);
        Assert.Equal(today.AddDays(-300).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), dates[0]);

        // One more, the earliest of all: the count stops past the bound, and the new one is listed first.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var finding = await db.Findings.Include(f => f.Measures).Include(f => f.Inspection).SingleAsync(f => f.InspectionId == inspectionId, Ct);
            finding.AddMeasure(IndexModel.Counted + 1, "最早超期的措施", MeasureKind.TimeBound).Plan(MeasureKind.TimeBound, today.AddDays(-400), null, null);
            await db.SaveChangesAsync(Ct);
        }

        (badge, note, dates) = await OverdueAsync(office);
        Assert.Equal($"{IndexModel.Counted}+", badge);
        Assert.Equal($"只显示前 50 条，共 {IndexModel.Counted} 条以上；请在台账中筛选查看全部。", note);
        Assert.Equal(today.AddDays(-400).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), dates[0]);
        Assert.Equal(dates.Order().ToList(), dates);

        // Every listed measure is of the one inspection: the page names it once, and the lists have no 巡察 column.
        var (one, columns) = await InspectionShownAsync(office);
        Assert.Equal("巡察：待办计数核对", one);
        Assert.DoesNotContain("巡察", columns);

        // A second inspection of the same office with a measure past its deadline: now each row says which it is.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var first = await db.Inspections.Include(i => i.InspectingBody).Include(i => i.InspectedOrganization).SingleAsync(i => i.Id == inspectionId, Ct);
            var second = new Inspection("待办计数核对（第二轮）", InspectionKind.Xuncha, first.InspectingBody, first.InspectedOrganization, null, null, null);
            var finding = new Finding(new FindingCategory(second, 1, "方面"), 1, "问题");
            finding.AddMeasure(1, "第二轮的超期措施", MeasureKind.TimeBound).Plan(MeasureKind.TimeBound, today.AddDays(-500), null, null);
            Adopt(second, finding);
            db.Add(finding);
            await db.SaveChangesAsync(Ct);
        }

        (one, columns) = await InspectionShownAsync(office);
        Assert.Null(one);
        Assert.Equal("巡察", columns[^1]);
    }

    /// <summary>Puts the inspection's plan in force, as its 第一责任人 would (报审, then 审定).</summary>
    private static void Adopt(Inspection inspection, Finding finding)
    {
        inspection.SubmitPlan(finding.Measures.Count, [], new Actor("work-count-office", "整改办"), TimeProvider.System);
        inspection.ApprovePlan("测试：党委会审定", DateOnly.FromDateTime(DateTime.UtcNow), finding.Measures, new Actor("work-count-secretary", "第一责任人"), TimeProvider.System);
    }

    /// <summary>The line naming the one inspection (none when there are several), and the 超期 list's column headings.</summary>
    private static async Task<(string? One, List<string> Columns)> InspectionShownAsync(HttpClient office)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), Ct);
        return (
            page.QuerySelector("[data-one-inspection]")?.TextContent.Trim(),
            [.. page.QuerySelectorAll("table[data-section=overdue] th").Select(th => th.TextContent.Trim())]);
    }

    [Fact]
    public async Task A_measure_waits_for_review_while_any_of_its_reports_does_and_the_mark_agrees_with_the_reports()
    {
        app.RequireAvailable();
        int measure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            measure = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress && m.ReportsAwaitingReview == 0)
                .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        }

        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        Assert.DoesNotContain(measure, await WaitingAsync(office));

        // Two reports wait; the office accepts one, the other still waits; it returns that one, and none waits.
        var first = await app.FileReportAsync(unit, measure, percent: 40);
        Assert.Contains(measure, await WaitingAsync(office));
        var second = await app.FileReportAsync(unit, measure, percent: 60);
        Assert.Equal(2, await MarkAsync(measure));
        await Reports.AcceptReportAsync(office, measure, first);
        Assert.Equal(1, await MarkAsync(measure));
        Assert.Contains(measure, await WaitingAsync(office));
        var returned = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", new Dictionary<string, string>
        {
            ["reportId"] = second.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["decision"] = "return",
            ["reason"] = "佐证材料不全",
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal(0, await MarkAsync(measure));
        Assert.DoesNotContain(measure, await WaitingAsync(office));

        // Across the whole database (the demo's reports, filed and accepted, among them): the mark is the reports' count.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var disagreeing = await db.Measures
                .Where(m => m.ReportsAwaitingReview != db.ProgressReports.Count(r => r.MeasureId == m.Id && r.State == ProgressReportState.Submitted))
                .Select(m => m.Id).ToListAsync(Ct);
            Assert.Empty(disagreeing);
        }
    }

    /// <summary>
    /// No query of 待办 limits rows without an order (EF Core's warning "uses a row limiting operation (Skip/Take) without
    /// OrderBy", logged each time a statement is compiled): each role's page is read with its queries compiled afresh.
    /// </summary>
    [Fact]
    public async Task No_query_of_any_roles_work_page_takes_rows_without_an_order()
    {
        app.RequireAvailable();
        var capture = new LogCapture();
        await using var host = app.Factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        foreach (var role in new[] { "office", "unit", "leader", "inspector", "secretary", "admin" })
        {
            // EF Core warns when it compiles a statement; a statement compiled before (by another test) would stay silent.
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var cache = scope.ServiceProvider.GetRequiredService<RectifyDbContext>().GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>();
                ((Microsoft.Extensions.Caching.Memory.MemoryCache)cache).Compact(1.0);
            }

            using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.SignInAsync(role, app.Password)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/work", UriKind.Relative), Ct)).StatusCode);
        }

        var unordered = capture.Records.Where(r => r.EventId.Id == CoreEventId.RowLimitingOperationWithoutOrderByWarning.Id).Select(r => r.Message).ToList();
        Assert.True(capture.Records.Any(r => r.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), "no EF Core log was captured");
        Assert.True(unordered.Count == 0, string.Join("\n", unordered));
    }

    private async Task<int> MarkAsync(int measure)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Where(m => m.Id == measure).Select(m => m.ReportsAwaitingReview).SingleAsync(Ct);
    }

    /// <summary>The measures 待办 lists under 待审核的进展报送.</summary>
    private static async Task<List<int>> WaitingAsync(HttpClient office)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), Ct);
        return [.. page.QuerySelectorAll("table[data-section=reports] a.row-link")
            .Select(a => int.Parse(a.GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>The 超期 list as shown: its badge, the note under it and its dates.</summary>
    private static async Task<(string Badge, string? Note, List<string> Dates)> OverdueAsync(HttpClient office)
    {
        var html = await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        var page = await new HtmlParser().ParseDocumentAsync(html, Ct);
        var heading = page.GetElementById("overdue") ?? throw new Xunit.Sdk.XunitException("no 超期 list on 待办");
        var table = page.QuerySelector("table[data-section=overdue]") ?? throw new Xunit.Sdk.XunitException("the 超期 list has no rows");
        var note = table.ParentElement?.NextElementSibling;
        return (
            heading.QuerySelector(".badge")!.TextContent.Trim(),
            note is { LocalName: "p" } ? Whitespace().Replace(note.TextContent.Trim(), " ") : null,
            [.. table.QuerySelectorAll("td[data-column=date]").Select(td => td.TextContent.Trim())]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

public sealed class WorkListCountTestsOnSqlite(SqliteApp app) : WorkListCountTests(app), IClassFixture<SqliteApp>;

public sealed class WorkListCountTestsOnPostgres(PostgresApp app) : WorkListCountTests(app), IClassFixture<PostgresApp>;
