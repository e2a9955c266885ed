using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>长期坚持 measures are reported on the inspection's cadence; a missing report shows as 逾期未报 everywhere overdue shows.</summary>
public abstract class CadenceTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<LedgerPage> LedgerAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<LedgerPage>(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", UriKind.Relative), Http.Json, Ct);
        return page!;
    }

    [Fact]
    public async Task A_missing_cadence_report_is_overdue_a_report_settles_it_and_a_returned_one_does_not()
    {
        app.RequireAvailable();
        int measure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            // The demo's 长期坚持 measures have been under way since the notice (2025); none has a report yet.
            measure = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures
                .Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.Ongoing)
                .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        }

        using var office = await app.SignedInAsync("office");
        var before = await LedgerAsync(office);
        var row = before.Rows.Single(r => r.MeasureId == measure);
        Assert.Equal(OverdueReason.MissingCadenceReport, row.OverdueReason);
        Assert.True(row.Overdue);
        Assert.Contains(before.Rows.Where(r => r.Overdue), r => r.MeasureId == measure);
        var overdueOnly = await office.GetFromJsonAsync<LedgerPage>(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500&overdue=true", UriKind.Relative), Http.Json, Ct);
        Assert.Equal(before.Rows.Where(r => r.Overdue).Select(r => r.MeasureId), overdueOnly!.Rows.Select(r => r.MeasureId));
        Assert.Equal(before.Totals.PastDeadlineMeasures + before.Totals.MissingReportMeasures, overdueOnly.TotalRows);

        using var unit = await app.SignedInAsync("unit");
        var work = await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        Assert.Contains("本周期应报送进展的长期坚持措施", work, StringComparison.Ordinal);
        Assert.Contains($"/measures/{measure}\"", work, StringComparison.Ordinal);
        Assert.Contains("逾期未报", await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The unit reports: the period is settled, on the ledger, in its totals and on the overview.
        var report = await app.FileReportAsync(unit, measure);
        var after = await LedgerAsync(office);
        Assert.Equal(OverdueReason.None, after.Rows.Single(r => r.MeasureId == measure).OverdueReason);
        Assert.Equal(before.Totals.MissingReportMeasures - 1, after.Totals.MissingReportMeasures);
        Assert.Equal(before.Totals.PastDeadlineMeasures, after.Totals.PastDeadlineMeasures);
        var overview = await office.GetFromJsonAsync<InspectionOverview>(new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative), Http.Json, Ct);
        Assert.Equal(after.Totals.MissingReportMeasures, overview!.Totals.MissingReportMeasures);
        Assert.DoesNotContain($"/measures/{measure}\"", await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The office returns the report: it no longer counts, and the measure is 逾期未报 again.
        var returned = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", new Dictionary<string, string>
        {
            ["reportId"] = report.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["decision"] = "return",
            ["reason"] = "会议纪要未附签到表",
        });
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal(OverdueReason.MissingCadenceReport, (await LedgerAsync(office)).Rows.Single(r => r.MeasureId == measure).OverdueReason);

        // The unit's next report starts from the one sent back, with the office's reason beside it.
        var narrative = await app.ReadAsync(db => db.ProgressReports.Where(r => r.Id == report).Select(r => r.Narrative).SingleAsync(Ct));
        var form = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct));
        Assert.Equal(narrative, form.QuerySelector("#report-form textarea[name=narrative]")!.TextContent);
        Assert.Contains("会议纪要未附签到表", form.QuerySelector("#from-returned")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_taken_back_before_review_no_longer_waits_or_counts_and_the_next_one_revises_it()
    {
        app.RequireAvailable();
        // Another of the demo's 长期坚持 measures than the test above takes (its reports are this test's alone).
        var measure = await app.ReadAsync(db => db.Measures
            .Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.Ongoing)
            .OrderBy(m => m.Id).Select(m => m.Id).Skip(1).FirstAsync(Ct));
        var page = $"/measures/{measure}";
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        var report = await app.FileReportAsync(unit, measure);
        Assert.Equal(OverdueReason.None, (await LedgerAsync(office)).Rows.Single(r => r.MeasureId == measure).OverdueReason);
        Assert.Equal(1, await app.ReadAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.ReportsAwaitingReview).SingleAsync(Ct)));
        var take = new Dictionary<string, string> { ["reportId"] = report.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        // The office may review the unit's report, not take it back; the unit is offered the step.
        Assert.DoesNotContain("撤回这份报送", await office.GetStringAsync(new Uri(page, UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostFromPageAsync(page, page + "?handler=WithdrawReport", take)).StatusCode);
        Assert.Contains("撤回这份报送", await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct), StringComparison.Ordinal);
        var notices = await app.ReadAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;

        var taken = await unit.FollowedAsync(await unit.PostFromPageAsync(page, page + "?handler=WithdrawReport", take));
        Assert.Contains("已撤回第 1 次报送", await taken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var stored = await app.ReadAsync(db => db.ProgressReports.Where(r => r.Id == report).Select(r => new { r.State, r.ReviewedByName, r.ReviewedAtUtc, Files = r.Evidence.Count }).SingleAsync(Ct));
        Assert.Equal(ProgressReportState.Withdrawn, stored.State);
        Assert.NotNull(stored.ReviewedByName);
        Assert.NotNull(stored.ReviewedAtUtc);
        Assert.Equal(1, stored.Files);

        // It waits for nobody's review and counts as no report: 逾期未报 again; the office is told; audited.
        Assert.Equal(0, await app.ReadAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.ReportsAwaitingReview).SingleAsync(Ct)));
        Assert.Equal(OverdueReason.MissingCadenceReport, (await LedgerAsync(office)).Rows.Single(r => r.MeasureId == measure).OverdueReason);
        var officeId = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "office").Select(u => u.Id).SingleAsync(Ct));
        Assert.Contains("ReportWithdrawn", await app.ReadAsync(db => db.Notifications.Where(n => n.Id > notices && n.RecipientUserId == officeId).Select(n => n.Kind).ToListAsync(Ct)));
        Assert.Equal(1, await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == "report.withdraw" && e.ObjectId == report.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));

        // Neither taken back twice nor reviewed after.
        Assert.Equal(HttpStatusCode.Conflict, (await unit.PostFromPageAsync(page, page + "?handler=WithdrawReport", take)).StatusCode);
        var review = await office.PostFromPageAsync(page, page + "?handler=Review", new Dictionary<string, string> { ["reportId"] = take["reportId"], ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, review.StatusCode);
        Assert.Contains("已被撤回", await review.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The unit's next report starts from it, and revises it.
        var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
        Assert.Equal("制度已印发，附印发文件。", shown.QuerySelector("#report-form textarea[name=narrative]")!.TextContent);
        Assert.NotNull(shown.QuerySelector("#from-withdrawn"));
        Assert.Contains("已撤回", shown.QuerySelector($"[data-report-id='{report}'] .badge")!.TextContent, StringComparison.Ordinal);
        var next = await app.FileReportAsync(unit, measure, percent: 60);
        Assert.Equal(report, await app.ReadAsync(db => db.ProgressReports.Where(r => r.Id == next).Select(r => r.RevisionOfId).SingleAsync(Ct)));

        // Through the API, by the unit's own token; an answered report stays as answered.
        using var api = await app.Client().WithTokenAsync(app.Factory.Services, "unit", "撤回测试");
        await Reports.AcceptReportAsync(office, measure, next);
        var late = await api.PostAsync(new Uri($"/api/v1/reports/{next}/withdrawal", UriKind.Relative), null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("已采纳，不能撤回", await late.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var third = await app.FileReportAsync(unit, measure, percent: 80);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(new Uri($"/api/v1/reports/{third}/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(new Uri("/api/v1/reports/999999/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(0, await app.ReadAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.ReportsAwaitingReview).SingleAsync(Ct)));
    }

    [Fact]
    public async Task The_office_sets_the_cadence_others_may_not_and_a_wrong_value_is_refused()
    {
        app.RequireAvailable();
        var path = $"/inspections/{app.InspectionId}/overview";
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostFromPageAsync(path, path + "?handler=Cadence", new Dictionary<string, string> { ["cadence"] = "Weekly" })).StatusCode);

        using var office = await app.SignedInAsync("office");
        var refused = await office.PostFromPageAsync(path, path + "?handler=Cadence", new Dictionary<string, string> { ["cadence"] = "Yearly" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("请选择报送周期", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("（默认，整改办尚未设置）", await office.GetStringAsync(new Uri(path, UriKind.Relative), Ct), StringComparison.Ordinal);

        var set = await office.FollowedAsync(await office.PostFromPageAsync(path, path + "?handler=Cadence", new Dictionary<string, string> { ["cadence"] = "Quarterly" }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("报送周期已设为“每季度”", await set.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.Equal(ReportingCadence.Quarterly, await db.Inspections.Where(i => i.Id == app.InspectionId).Select(i => i.ReportingCadence).SingleAsync(Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "inspection.cadence", Ct));

        // The ledger now judges 长期坚持 measures by quarters, and the overdue filter agrees with the rows.
        var ledger = await LedgerAsync(office);
        Assert.Equal(ReportingCadence.Quarterly, ledger.Inspection.Cadence);
        Assert.Equal(ledger.Rows.Count(r => r.OverdueReason == OverdueReason.MissingCadenceReport), ledger.Totals.MissingReportMeasures);
        Assert.Equal(ledger.Rows.Count(r => r.OverdueReason == OverdueReason.PastDeadline), ledger.Totals.PastDeadlineMeasures);

        await db.Database.ExecuteSqlRawAsync("UPDATE \"Inspections\" SET \"ReportingCadence\" = NULL", Ct);
        await ContentVersion.BumpAsync(db, Ct);
    }
}

public sealed class CadenceTestsOnSqlite(SqliteApp app) : CadenceTests(app), IClassFixture<SqliteApp>;

public sealed class CadenceTestsOnPostgres(PostgresApp app) : CadenceTests(app), IClassFixture<PostgresApp>;
