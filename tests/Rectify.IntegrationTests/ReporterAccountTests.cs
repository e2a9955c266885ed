using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// A first day: most units have no reporter account yet, and the office reports for none of them. The plan page names the
/// lead units nobody can report for, each such measure's page says so, and the office is not offered a review of a report it
/// filed itself (it would be refused).
/// </summary>
public abstract class ReporterAccountTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_office_is_told_which_lead_units_have_nobody_to_report_for_them()
    {
        app.RequireAvailable();

        // In the demo only 纪检监察办 has a reporter account (the demo's "unit"); 党政综合办公室 and the others have none.
        var (without, withAccount) = await app.ReadAsync(async db => (
            await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.WithdrawnAtUtc == null && m.LeadUnit != null && m.LeadUnit.Name != "纪检监察办" && m.State != MeasureState.SignedOff)
                .OrderBy(m => m.Id).Select(m => new { m.Id, Unit = m.LeadUnit!.Name, m.State }).FirstAsync(Ct),
            app.UnitMeasuresInProgress[0]));

        using var office = await app.SignedInAsync("office");
        var plan = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/plan", UriKind.Relative), Ct));
        var note = plan.QuerySelector("#units-without-reporter")?.TextContent ?? string.Empty;
        Assert.Contains(without.Unit, note, StringComparison.Ordinal);
        Assert.DoesNotContain("纪检监察办", note, StringComparison.Ordinal);

        var page = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{without.Id}", UriKind.Relative), Ct));
        Assert.Contains($"牵头单位“{without.Unit}”还没有联络员账号", page.QuerySelector("#no-reporter")?.TextContent, StringComparison.Ordinal);
        page = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{withAccount}", UriKind.Relative), Ct));
        Assert.Null(page.QuerySelector("#no-reporter"));

        // 代报 is of a measure under way: on one not yet started, the note says to start it first (it is back under way after).
        Assert.NotEqual(MeasureState.Planned, without.State);
        var started = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{without.Id}", UriKind.Relative), Ct));
        Assert.DoesNotContain("尚未启动", started.QuerySelector("#no-reporter")!.TextContent, StringComparison.Ordinal);
        async Task SetStateAsync(MeasureState state) => await app.WriteAsync(async db =>
        {
            await db.Measures.Where(m => m.Id == without.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, state), Ct);
            await ContentVersion.BumpAsync(db, Ct);
            return state;
        });
        await SetStateAsync(MeasureState.Planned);
        try
        {
            page = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{without.Id}", UriKind.Relative), Ct));
            Assert.Contains("本措施尚未启动：先“启动整改”（见下方），再代报进展。", page.QuerySelector("#no-reporter")?.TextContent, StringComparison.Ordinal);
            Assert.Null(page.QuerySelector("#report-on-behalf"));
        }
        finally
        {
            await SetStateAsync(without.State);
        }

        // Only the office, which asks for accounts, is told: the first responsible person reads the same pages without it.
        using var secretary = await app.SignedInAsync("secretary");
        Assert.DoesNotContain("id=\"no-reporter\"", await secretary.GetStringAsync(new Uri($"/measures/{without.Id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"units-without-reporter\"", await secretary.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/plan", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_the_office_filed_itself_offers_it_no_review()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[^1];

        // A report filed by the office's own account (as when one person holds both roles).
        var reportId = await app.WriteAsync(async db =>
        {
            var officeId = await db.Users.Where(u => u.UserName == "office").Select(u => u.Id).SingleAsync(Ct);
            var m = await db.Measures.Include(x => x.Inspection).SingleAsync(x => x.Id == measure, Ct);
            var previous = await db.ProgressReports.Where(r => r.MeasureId == measure).OrderByDescending(r => r.Number).FirstOrDefaultAsync(Ct);
            var report = ProgressReport.File(m, previous, "整改办本人报送", 40, DateOnly.FromDateTime(DateTime.UtcNow), new Actor(officeId, "整改办（演示）"), TimeProvider.System);
            db.ProgressReports.Add(report);
            await db.SaveChangesAsync(Ct);
            return report.Id;
        });

        using var office = await app.SignedInAsync("office");
        var page = new HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct));
        var card = page.QuerySelector($".progress-report[data-report-id='{reportId}']");
        Assert.NotNull(card);
        Assert.Contains("这份报送由您本人提交", card.QuerySelector(".own-report")?.TextContent, StringComparison.Ordinal);
        Assert.Null(card.QuerySelector("form"));
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct)).StatusCode);
    }
}

public sealed class ReporterAccountTestsOnSqlite(SqliteApp app) : ReporterAccountTests(app), IClassFixture<SqliteApp>;

public sealed class ReporterAccountTestsOnPostgres(PostgresApp app) : ReporterAccountTests(app), IClassFixture<PostgresApp>;
