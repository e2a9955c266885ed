using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The list of inspections (the home page, <c>/api/v1/inspections/figures</c> and its Excel export): each inspection the
/// caller sees with its figures as its own overview counts them, found by a keyword or a feedback year.
/// </summary>
public abstract class InspectionListTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<IDocument> HomeAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync(new Uri("/" + query, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));
    }

    private static string? Figure(IElement row, string name) => row.QuerySelector($"[data-figure={name}]")?.TextContent.Trim();

    /// <summary>A party committee of its own at the top of the tree with two units under it (names made unique per database).</summary>
    private async Task<(Rectify.Domain.Organization First, Rectify.Domain.Organization Second)> CommitteeWithAsync(RectifyDbContext db, string name, (string Name, Rectify.Domain.OrganizationKind Kind) first, (string Name, Rectify.Domain.OrganizationKind Kind) second)
    {
        var committee = new Rectify.Domain.Organization(name + app.Provider, Rectify.Domain.OrganizationKind.PartyCommittee);
        db.Organizations.Add(committee);
        await db.SaveChangesAsync(Ct);
        committee.AssignPath();
        var units = new[] { first, second }.Select(u => new Rectify.Domain.Organization(u.Name + app.Provider, u.Kind, committee)).ToList();
        db.Organizations.AddRange(units);
        await db.SaveChangesAsync(Ct);
        units.ForEach(u => u.AssignPath());
        await db.SaveChangesAsync(Ct);
        return (units[0], units[1]);
    }

    private static string Int(JsonElement totals, string name) => totals.GetProperty(name).GetInt32().ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("office")]
    [InlineData("unit")]
    [InlineData("inspector")]
    public async Task Each_inspection_is_listed_with_its_overviews_figures_as_the_caller_sees_them(string user)
    {
        app.RequireAvailable();
        var id = app.InspectionId;
        using var page = await app.SignedInAsync(user);
        using var api = await app.Client().WithTokenAsync(app.Factory.Services, user, "巡察列表测试");
        using var overview = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/inspections/{id}/overview", UriKind.Relative), Ct));
        var totals = overview.RootElement.GetProperty("totals");

        // The home page's row: the same figures as the inspection's overview for this caller.
        var row = (await HomeAsync(page)).QuerySelector($"table.inspections tr[data-inspection='{id}']");
        Assert.NotNull(row);
        Assert.Equal(Int(totals, "findings"), Figure(row, "Findings"));
        Assert.Equal(Int(totals, "measures"), Figure(row, "Measures"));
        Assert.Equal(totals.GetProperty("findingCompletionRate").GetDecimal().ToString("0.0", CultureInfo.InvariantCulture) + "%", Figure(row, "FindingCompletionRate"));
        Assert.Equal(Int(totals, "pastDeadlineMeasures"), Figure(row, "PastDeadlineMeasures"));
        Assert.Equal(Int(totals, "missingReportMeasures"), Figure(row, "MissingReportMeasures"));
        Assert.Equal(Int(totals, "redFindings"), Figure(row, "RedFindings"));
        Assert.Equal(Int(totals, "yellowFindings"), Figure(row, "YellowFindings"));
        Assert.Equal(Int(totals, "greenFindings"), Figure(row, "GreenFindings"));
        var unfinished = totals.GetProperty("measures").GetInt32() - totals.GetProperty("completedMeasures").GetInt32() - totals.GetProperty("sustainedMeasures").GetInt32();
        Assert.Equal(unfinished.ToString(CultureInfo.InvariantCulture), Figure(row, "UnfinishedMeasures"));

        // The API's list: the same totals.
        using var listed = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/inspections/figures?pageSize=50", UriKind.Relative), Ct));
        var item = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("inspection").GetProperty("id").GetInt32() == id);
        Assert.Equal(totals.GetRawText(), item.GetProperty("totals").GetRawText());
        Assert.Equal(unfinished, item.GetProperty("totals").GetProperty("unfinishedMeasures").GetInt32());
    }

    [Fact]
    public async Task An_inspection_is_found_by_a_keyword_or_its_feedback_year_and_bad_input_is_refused_by_the_api()
    {
        app.RequireAvailable();
        var id = app.InspectionId;
        var facts = await app.ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => new { Organization = i.InspectedOrganization.Name, Body = i.InspectingBody.Name, i.FeedbackDate }).SingleAsync(Ct));
        var year = facts.FeedbackDate!.Value.Year;
        using var office = await app.SignedInAsync("office");

        bool Listed(IDocument home) => home.QuerySelector($"table.inspections tr[data-inspection='{id}']") is not null;

        // By a part of the inspected organization's name, of the inspecting body's, by the year; the form keeps what was asked.
        var found = await HomeAsync(office, "?q=" + Uri.EscapeDataString(facts.Organization[^4..]));
        Assert.True(Listed(found));
        Assert.Equal(facts.Organization[^4..], found.QuerySelector("#inspection-filters input[name=q]")?.GetAttribute("value"));
        Assert.True(Listed(await HomeAsync(office, "?q=" + Uri.EscapeDataString(facts.Body))));
        var byYear = await HomeAsync(office, "?year=" + year.ToString(CultureInfo.InvariantCulture));
        Assert.True(Listed(byYear));
        Assert.NotNull(byYear.QuerySelector($"#inspection-filters option[value='{year}'][selected]"));

        // Nothing matches: said, with the way back; a wildcard is a character, not a pattern.
        var none = await HomeAsync(office, "?q=" + Uri.EscapeDataString("没有这个单位%_"));
        Assert.False(Listed(none));
        Assert.NotNull(none.QuerySelector("[data-no-match]"));
        Assert.False(Listed(await HomeAsync(office, "?q=%25")));
        Assert.False(Listed(await HomeAsync(office, "?year=" + (year - 30).ToString(CultureInfo.InvariantCulture))));

        // A typed address with a year no date has, or an overlong keyword, still shows the page (the year ignored, the keyword cut).
        Assert.True(Listed(await HomeAsync(office, "?year=99999")));

        // The API refuses them instead, saying which.
        using var api = await app.Client().WithTokenAsync(app.Factory.Services, "office", "巡察列表测试");
        foreach (var bad in new[] { "?year=1800", "?q=" + new string('单', InspectionListFilter.MaxQueryLength + 1), "?pageSize=51", "?page=0" })
        {
            using var refused = await api.GetAsync(new Uri("/api/v1/inspections/figures" + bad, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var refused = await api.GetAsync(new Uri("/api/v1/inspections?year=1800", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("反馈年度", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The plain list takes the same filter; past the end of the figures: no rows.
        using (var plain = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/inspections?q=" + Uri.EscapeDataString(facts.Organization), UriKind.Relative), Ct)))
        {
            Assert.Contains(plain.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == id);
        }

        using (var past = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/inspections/figures?page=999", UriKind.Relative), Ct)))
        {
            Assert.Empty(past.RootElement.GetProperty("items").EnumerateArray());
            Assert.True(past.RootElement.GetProperty("total").GetInt32() >= 1);
        }
    }

    [Fact]
    public async Task The_list_exports_as_a_workbook_with_the_same_figures_and_the_export_is_audited()
    {
        app.RequireAvailable();
        var id = app.InspectionId;
        var title = await app.ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.Title).SingleAsync(Ct));
        using var office = await app.SignedInAsync("office");
        var home = await HomeAsync(office);
        var link = home.QuerySelector("#export-inspections")?.GetAttribute("href");
        Assert.Equal("/api/v1/inspections/figures.xlsx", link);
        var before = await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Rectify.Audit.AuditActions.InspectionListExported, Ct));

        using var response = await office.GetAsync(new Uri(link + "?q=" + Uri.EscapeDataString(title), UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LedgerExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("巡察整改情况汇总表", response.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        await using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var workbook = SpreadsheetDocument.Open(file, false);
        var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        string Cell(Row r, int column) => r.Elements<Cell>().ElementAt(column) is var c && c.DataType?.Value == CellValues.InlineString ? c.InnerText : c.CellValue?.Text ?? string.Empty;
        Assert.Contains("关键词", Cell(rows[1], 0), StringComparison.Ordinal);
        Assert.Equal(InspectionListExport.Columns, rows[InspectionListExport.HeaderRow - 1].Elements<Cell>().Select(c => c.InnerText));
        var data = Assert.Single(rows.Skip(InspectionListExport.HeaderRow));
        Assert.Equal(title, Cell(data, 1));

        var row = home.QuerySelector($"table.inspections tr[data-inspection='{id}']")!;
        Assert.Equal(Figure(row, "Findings"), Cell(data, 6));
        Assert.Equal(Figure(row, "Measures"), Cell(data, 10));
        Assert.Equal(Figure(row, "PastDeadlineMeasures"), Cell(data, 15));
        Assert.Equal(Figure(row, "FindingCompletionRate"), (decimal.Parse(Cell(data, 9), CultureInfo.InvariantCulture) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
        Assert.Equal(before + 1, await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Rectify.Audit.AuditActions.InspectionListExported, Ct)));
    }

    [Fact]
    public async Task Another_organizations_inspection_stays_out_of_the_list_its_years_its_search_and_its_export_and_the_figures_follow_a_write()
    {
        app.RequireAvailable();
        var id = app.InspectionId;

        // An inspection of another committee's, fed back in a year nobody else's was.
        var other = await app.ReadAsync(async db =>
        {
            var (inspected, team) = await CommitteeWithAsync(db, "中共他县委员会", ("他县某局党组", Rectify.Domain.OrganizationKind.PartyCommittee), ("他县委第三巡察组", Rectify.Domain.OrganizationKind.InspectionTeam));
            var inspection = new Rectify.Domain.Inspection("他县委第三巡察组对某局党组的巡察" + app.Provider, Rectify.Domain.InspectionKind.Xuncha, team, inspected, null, null, new DateOnly(2011, 5, 1));
            db.Inspections.Add(inspection);
            await db.SaveChangesAsync(Ct);
            return inspection.Id;
        });

        foreach (var user in new[] { "office", "unit", "inspector" })
        {
            using var page = await app.SignedInAsync(user);
            var home = await HomeAsync(page);
            Assert.Null(home.QuerySelector($"table.inspections tr[data-inspection='{other}']"));
            Assert.Null(home.QuerySelector("#inspection-filters option[value='2011']"));
            Assert.NotNull((await HomeAsync(page, "?q=" + Uri.EscapeDataString("他县委第三巡察组"))).QuerySelector("[data-no-match]"));
            using var api = await app.Client().WithTokenAsync(app.Factory.Services, user, "巡察列表测试");
            using var listed = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/v1/inspections/figures?q=" + Uri.EscapeDataString("巡察"), UriKind.Relative), Ct));
            Assert.DoesNotContain(listed.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("inspection").GetProperty("id").GetInt32() == other);
            using var file = new MemoryStream(await page.GetByteArrayAsync(new Uri("/api/v1/inspections/figures.xlsx?year=2011", UriKind.Relative), Ct));
            using var workbook = SpreadsheetDocument.Open(file, false);
            Assert.Equal(InspectionListExport.HeaderRow, workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().Count());
        }

        // A write moves the figures (the kept page is not given again): a measure signed off counts as 已完成.
        using var office = await app.SignedInAsync("office");
        string Completed(IDocument home) => home.QuerySelector($"table.inspections tr[data-inspection='{id}'] [data-figure=SignedOffMeasures]")!.TextContent.Trim();
        var before = int.Parse(Completed(await HomeAsync(office)), CultureInfo.InvariantCulture);
        var measure = await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.State == Rectify.Domain.MeasureState.InProgress).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        async Task SetAsync(Rectify.Domain.MeasureState state) => await app.ReadAsync(async db =>
        {
            await db.Measures.Where(m => m.Id == measure).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, state), Ct);
            await Rectify.Data.ContentVersion.BumpAsync(db, Ct);
            return 0;
        });
        await SetAsync(Rectify.Domain.MeasureState.SignedOff);
        try
        {
            Assert.Equal(before + 1, int.Parse(Completed(await HomeAsync(office)), CultureInfo.InvariantCulture));
        }
        finally
        {
            await SetAsync(Rectify.Domain.MeasureState.InProgress);
        }
    }

    [Fact]
    public async Task The_export_holds_every_matching_inspection_in_the_lists_order_past_one_page()
    {
        app.RequireAvailable();

        // More inspections than a page, without a feedback date (they come after those with one, newest registered first).
        var organization = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture);
        var made = await app.ReadAsync(async db =>
        {
            var inspected = await db.Organizations.SingleAsync(o => o.Id == organization, Ct);
            var team = await db.Inspections.Where(i => i.Id == app.InspectionId).Select(i => i.InspectingBody).SingleAsync(Ct);
            var batch = Enumerable.Range(1, InspectionList.PageSize + 3)
                .Select(n => new Rectify.Domain.Inspection($"批量登记巡察{n:D2}号" + app.Provider, Rectify.Domain.InspectionKind.Xuncha, team, inspected, null, null, null)).ToList();
            db.Inspections.AddRange(batch);
            await db.SaveChangesAsync(Ct);
            await Rectify.Data.ContentVersion.BumpAsync(db, Ct);
            return batch.Select(i => i.Id).ToList();
        });

        using var office = await app.SignedInAsync("office");
        using var file = new MemoryStream(await office.GetByteArrayAsync(new Uri("/api/v1/inspections/figures.xlsx?q=" + Uri.EscapeDataString("批量登记巡察"), UriKind.Relative), Ct));
        using var workbook = SpreadsheetDocument.Open(file, false);
        var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().Skip(InspectionListExport.HeaderRow).ToList();
        var titles = rows.Select(r => r.Elements<Cell>().ElementAt(1).InnerText).ToList();
        Assert.Equal([.. made.OrderByDescending(i => i).Select(i => made.IndexOf(i) + 1).Select(n => $"批量登记巡察{n:D2}号" + app.Provider)], titles);
        Assert.Equal([.. Enumerable.Range(1, made.Count).Select(n => n.ToString(CultureInfo.InvariantCulture))], rows.Select(r => r.Elements<Cell>().First().InnerText));

        // The home page's second page holds the rest of them, the pager keeping the keyword.
        var second = await HomeAsync(office, "?q=" + Uri.EscapeDataString("批量登记巡察") + "&page=2");
        Assert.Equal(3, second.QuerySelectorAll("table.inspections tbody tr").Length);
        Assert.Contains(second.QuerySelectorAll(".pager a"), a => a.GetAttribute("href")?.Contains("q=", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_team_placed_beside_the_inspection_office_is_pointed_out_to_the_administrator_and_the_office_account_is_told_what_it_sees()
    {
        app.RequireAvailable();

        // A committee of its own, with its 巡察办 and a 巡察组 side by side under it (as a county first builds it), and a body
        // account on the 巡察办: it sees no inspection of that team.
        var (office, team) = await app.ReadAsync(async db =>
        {
            var (body, beside) = await CommitteeWithAsync(db, "中共并列县委员会", ("并列县委巡察办", Rectify.Domain.OrganizationKind.InspectionOffice), ("并列县委第一巡察组", Rectify.Domain.OrganizationKind.InspectionTeam));
            return (body, beside);
        });
        var account = "beside-body-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Rectify.Access.UserAdministration>().CreateAsync(account, "巡察办干部", office.Id.ToString(CultureInfo.InvariantCulture), [Rectify.Access.Roles.InspectionBody], app.Password, Ct, initialPassword: false);
        }

        using var admin = await app.SignedInAsync("admin");
        var tree = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct));
        var warning = tree.QuerySelector($"[data-teams-beside='{office.Name}']");
        Assert.NotNull(warning);
        Assert.Contains(team.Name, warning.TextContent, StringComparison.Ordinal);

        using var body = await app.SignedInAsync(account);
        var home = await HomeAsync(body);
        Assert.Contains(office.Name, home.QuerySelector("[data-body-sees-none]")?.TextContent, StringComparison.Ordinal);

        // Moved under the 巡察办, the team is no longer pointed out.
        await app.ReadAsync(async db =>
        {
            var moved = await db.Organizations.SingleAsync(o => o.Id == team.Id, Ct);
            var under = await db.Organizations.SingleAsync(o => o.Id == office.Id, Ct);
            moved.MoveUnder(under);
            await db.SaveChangesAsync(Ct);
            return 0;
        });
        tree = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct));
        Assert.Null(tree.QuerySelector($"[data-teams-beside='{office.Name}']"));
    }
}

public sealed class InspectionListTestsOnSqlite(SqliteApp app) : InspectionListTests(app), IClassFixture<SqliteApp>;

public sealed class InspectionListTestsOnPostgres(PostgresApp app) : InspectionListTests(app), IClassFixture<PostgresApp>;
