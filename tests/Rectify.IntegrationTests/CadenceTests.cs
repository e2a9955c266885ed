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
