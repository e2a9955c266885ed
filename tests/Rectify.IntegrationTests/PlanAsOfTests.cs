using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The ledger beside the plan as adopted, and the plan as it stood on a day: the demo's plan is adopted at seeding
/// (dated at the notice, 2025-10-16); the office then changes a measure's text and deadline and adds a measure, each
/// with a reason, today.
/// </summary>
public abstract partial class PlanAsOfTests(AppFixture app)
{
    private const string Adopted = "2026-01-01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Today => ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    [Fact]
    public async Task A_changed_deadline_and_text_and_an_added_measure_show_beside_the_adopted_plan_and_the_plan_on_a_day_shows_what_held_then()
    {
        app.RequireAvailable();
        var id = app.InspectionId;
        using var office = await app.SignedInAsync("office");

        // The first 限期整改 measure in ledger order, as adopted.
        var measure = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Kind == MeasureKind.TimeBound)
            .OrderBy(m => m.Finding.Category.Number).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number)
            .Select(m => new { m.Id, m.FindingId, m.Text, m.Deadline, m.ResponsibleLeaderId, m.LeadUnitId, Supporting = m.SupportingUnits.Select(s => s.OrganizationId).ToList() })
            .FirstAsync(Ct));
        var adoptedDeadline = Fmt(measure.Deadline!.Value);
        var adopted = await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct));

        // 调整: a new text and deadline, with a reason, through the measure's edit page.
        var edit = $"/measures/{measure.Id}/edit";
        var editPage = await office.GetStringAsync(new Uri(edit, UriKind.Relative), Ct);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("text", measure.Text + "（调整后）"),
            new("kind", "TimeBound"),
            new("deadline", "2027-06-30"),
            new("leaderId", $"{measure.ResponsibleLeaderId}"),
            new("leadUnitId", $"{measure.LeadUnitId}"),
            new("version", VersionRegex().Match(editPage).Groups[1].Value),
            new("reason", "上级部署调整，顺延时限"),
        };
        fields.AddRange(measure.Supporting.Select(s => new KeyValuePair<string, string>("supportingUnitIds", $"{s}")));
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFormAsync(edit, editPage, fields)).StatusCode);

        // 新增: a measure added to the same finding after adoption.
        var added = await office.PostFromPageAsync($"/inspections/{id}/plan", $"/inspections/{id}/plan?handler=Measure", new Dictionary<string, string>
        {
            ["findingId"] = $"{measure.FindingId}",
            ["text"] = "审定后补充的措施：建立月度通报制度",
            ["kind"] = "TimeBound",
            ["deadline"] = "2027-03-31",
            ["leadUnitId"] = $"{measure.LeadUnitId}",
            ["leaderId"] = $"{measure.ResponsibleLeaderId}",
            ["reason"] = "巡察组反馈后补充",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var addedId = await ReadAsync(db => db.Measures.Where(m => m.FindingId == measure.FindingId).OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct));

        // The page beside the adopted plan: the changed cells are marked with the adopted values under them, the new measure is marked.
        var compared = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/inspections/{id}?compare=approved", UriKind.Relative), Ct));
        Assert.Contains("id=\"plan-compare\"", compared, StringComparison.Ordinal);
        var row = Row(compared, measure.Id);
        Assert.Contains("data-changed=\"Text, Deadline\"", row, StringComparison.Ordinal);
        Assert.Contains("2027-06-30", row, StringComparison.Ordinal);
        Assert.Contains($"data-field=\"Deadline\"><span class=\"muted\">审定方案：</span>{adoptedDeadline}</div>", row, StringComparison.Ordinal);
        Assert.Contains($"data-field=\"Text\"><span class=\"muted\">审定方案：</span>{measure.Text}</div>", row, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(row, "class=\"[^\"]*\\bchanged\\b"));
        Assert.Contains("data-version=\"2\"", row, StringComparison.Ordinal);
        var addedRow = Row(compared, addedId);
        Assert.Contains("data-added=\"true\"", addedRow, StringComparison.Ordinal);
        Assert.Contains("审定后新增", addedRow, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field=", addedRow, StringComparison.Ordinal);

        // Every other measure on the page is as adopted: no marks.
        Assert.Equal(2, Regex.Count(compared, "class=\"approved-value\""));

        // The plan on a day before the change: the adopted text and deadline, version 1, and no added measure.
        var before = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/inspections/{id}?asOf={Adopted}", UriKind.Relative), Ct));
        Assert.Contains("id=\"plan-as-of\"", before, StringComparison.Ordinal);
        Assert.Contains("今日状态", before, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Adopted}\"", before, StringComparison.Ordinal);
        row = Row(before, measure.Id);
        Assert.Contains(adoptedDeadline, row, StringComparison.Ordinal);
        Assert.DoesNotContain("2027-06-30", row, StringComparison.Ordinal);
        Assert.DoesNotContain("（调整后）", row, StringComparison.Ordinal);
        Assert.Contains("data-version=\"1\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-measure-id=\"{addedId}\"", before, StringComparison.Ordinal);
        Assert.Contains($"共 {adopted} 条整改措施", before, StringComparison.Ordinal);

        // The pager keeps the day.
        Assert.Contains($"?page=2&amp;asOf={Adopted}\"", await office.GetStringAsync(new Uri($"/inspections/{id}?asOf={Adopted}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Today: the new values, version 2, and the added measure as 新增.
        var now = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/inspections/{id}?asOf={Today}", UriKind.Relative), Ct));
        row = Row(now, measure.Id);
        Assert.Contains("2027-06-30", row, StringComparison.Ordinal);
        Assert.Contains("（调整后）", row, StringComparison.Ordinal);
        Assert.Contains("data-version=\"2\"", row, StringComparison.Ordinal);
        Assert.Contains("新增", Row(now, addedId), StringComparison.Ordinal);
        Assert.Contains($"共 {adopted + 1} 条整改措施", now, StringComparison.Ordinal);

        // The API says the same, with the version of each row.
        var old = await LedgerAsync(office, $"asOf={Adopted}&pageSize=500");
        Assert.Equal(adopted, old.TotalRows);
        var oldRow = old.Rows.Single(r => r.MeasureId == measure.Id);
        Assert.Equal(measure.Deadline, oldRow.Deadline);
        Assert.Equal(measure.Text, oldRow.Text);
        Assert.Equal(new PlanVersionNumber(1, MeasureRevisionKind.Approved, new DateOnly(2025, 10, 16)), Number(oldRow.Version!));
        Assert.DoesNotContain(old.Rows, r => r.MeasureId == addedId);
        Assert.All(old.Rows, r => Assert.True(r.Version!.Date <= new DateOnly(2026, 1, 1)));

        var current = await LedgerAsync(office, $"asOf={Today}&pageSize=500");
        Assert.Equal(adopted + 1, current.TotalRows);
        var currentRow = current.Rows.Single(r => r.MeasureId == measure.Id);
        Assert.Equal(new DateOnly(2027, 6, 30), currentRow.Deadline);
        Assert.Equal(new PlanVersionNumber(2, MeasureRevisionKind.Amended, ChinaTime.Today(TimeProvider.System)), Number(currentRow.Version!));
        Assert.Equal("上级部署调整，顺延时限", currentRow.Version!.Reason);
        Assert.Equal(MeasureRevisionKind.Added, current.Rows.Single(r => r.MeasureId == addedId).Version!.Kind);

        // The export of the plan on that day: the row of the changed measure has the adopted text and deadline, the
        // added measure has no row; the export of today's has the new ones (read by content, whatever the layout).
        var exportThen = await ExportAsync(office, $"asOf={Adopted}");
        Assert.Contains(exportThen.Single(r => r.Contains(measure.Text)), c => c == adoptedDeadline);
        Assert.DoesNotContain(exportThen, r => r.Any(c => c.Contains("（调整后）", StringComparison.Ordinal) || c.Contains("建立月度通报制度", StringComparison.Ordinal)));
        Assert.Contains(exportThen.Take(5).SelectMany(r => r), c => c.Contains($"整改方案截至 {Adopted}", StringComparison.Ordinal));
        var exportNow = await ExportAsync(office, string.Empty);
        Assert.Contains(exportNow.Single(r => r.Contains(measure.Text + "（调整后）")), c => c == "2027-06-30");
        Assert.Single(exportNow, r => r.Contains("审定后补充的措施：建立月度通报制度"));
        var badExport = await office.GetAsync(new Uri($"/api/v1/inspections/{id}/ledger.xlsx?asOf=2025-10-15", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badExport.StatusCode);
        Assert.Contains("审定实施", await badExport.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains($"asOf={Adopted}", ExportLink(before), StringComparison.Ordinal);
        Assert.DoesNotContain("compare", ExportLink(compared), StringComparison.Ordinal);

        // The plain ledger has no versions; the plan on the day after today's changes is today's plan.
        var plain = await LedgerAsync(office, "pageSize=500");
        Assert.All(plain.Rows, r => Assert.Null(r.Version));
        Assert.Equal(plain.Rows.Select(r => (r.MeasureId, r.Text, r.Deadline, r.LeadUnit)), current.Rows.Select(r => (r.MeasureId, r.Text, r.Deadline, r.LeadUnit)));

        var side = await LedgerAsync(office, "compare=approved&pageSize=500");
        var sideRow = side.Rows.Single(r => r.MeasureId == measure.Id);
        Assert.Equal(PlanFields.Text | PlanFields.Deadline, sideRow.Comparison!.Changed);
        Assert.Equal(measure.Deadline, sideRow.Comparison.Approved!.Deadline);
        Assert.Equal(measure.Text, sideRow.Comparison.Approved.Text);
        Assert.True(side.Rows.Single(r => r.MeasureId == addedId).Comparison!.Added);
        Assert.Single(side.Rows, r => r.Comparison!.Changed != PlanFields.None);
        Assert.Single(side.Rows, r => r.Comparison!.Added);

        // Beside the adopted plan on the earlier day: nothing had changed yet.
        var sideThen = await LedgerAsync(office, $"compare=approved&asOf={Adopted}&pageSize=500");
        Assert.All(sideThen.Rows, r => Assert.Equal(PlanFields.None, r.Comparison!.Changed));

        // The filters read the plan of the day: by kind as the version says, by a supporting unit by its name then.
        var supported = await ReadAsync(db => db.MeasureSupportingUnits.Where(s => s.Measure.InspectionId == id).Select(s => new { s.MeasureId, s.OrganizationId }).FirstAsync(Ct));
        var byUnit = await LedgerAsync(office, $"asOf={Adopted}&unit={supported.OrganizationId}&pageSize=500");
        Assert.Contains(byUnit.Rows, r => r.MeasureId == supported.MeasureId);
        Assert.Equal(
            (await LedgerAsync(office, $"unit={supported.OrganizationId}&pageSize=500")).Rows.Select(r => r.MeasureId).Except([addedId]),
            byUnit.Rows.Select(r => r.MeasureId));
        var ongoing = await LedgerAsync(office, $"asOf={Adopted}&kind=Ongoing&pageSize=500");
        Assert.Equal(await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id && m.Kind == MeasureKind.Ongoing, Ct)), ongoing.TotalRows);

        // A unit reads the plan on a day within what it sees.
        using var unit = await app.SignedInAsync("unit");
        var unitsToday = (await LedgerAsync(unit, "pageSize=500")).Rows.Select(r => r.MeasureId).ToHashSet();
        var unitsThen = await LedgerAsync(unit, $"asOf={Adopted}&pageSize=500");
        Assert.NotEmpty(unitsThen.Rows);
        Assert.All(unitsThen.Rows, r => Assert.Contains(r.MeasureId, unitsToday));

        // 撤销: a measure whose latest version is its withdrawal is in the plan of the days before, not after, and
        // beside the adopted plan it is marked. Only the version the withdrawal writes is put here, as its own row.
        var withdrawn = old.Rows.Last(r => r.MeasureId != measure.Id).MeasureId;
        await ReadAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "MeasureRevisions" ("MeasureId", "Number", "Kind", "ActorUserId", "ActorName", "AtUtc", "Reason", "Text", "MeasureKind", "Deadline",
                "ResponsibleLeaderId", "ResponsibleLeaderName", "LeadUnitId", "LeadUnitName", "SupportingUnits")
            SELECT "MeasureId", "Number" + 1, {(int)MeasureRevisionKind.Withdrawn}, '', '整改办', {DateTime.UtcNow}, '并入其他措施', "Text", "MeasureKind", "Deadline",
                "ResponsibleLeaderId", "ResponsibleLeaderName", "LeadUnitId", "LeadUnitName", "SupportingUnits"
            FROM "MeasureRevisions" WHERE "MeasureId" = {withdrawn} AND "Number" = 1
            """, Ct));

        // Written around the product: the answers it keeps learn of it as they learn of any write (ContentVersion).
        await ReadAsync(async db =>
        {
            await ContentVersion.BumpAsync(db, Ct);
            return 0;
        });
        Assert.Contains((await LedgerAsync(office, $"asOf={Adopted}&pageSize=500")).Rows, r => r.MeasureId == withdrawn);
        Assert.DoesNotContain((await LedgerAsync(office, $"asOf={Today}&pageSize=500")).Rows, r => r.MeasureId == withdrawn);
        var withdrawnRow = (await LedgerAsync(office, "compare=approved&pageSize=500")).Rows.Single(r => r.MeasureId == withdrawn);
        Assert.True(withdrawnRow.Comparison!.Withdrawn);
        Assert.Equal((2, MeasureRevisionKind.Withdrawn, "并入其他措施"), (withdrawnRow.Version!.Number, withdrawnRow.Version.Kind, withdrawnRow.Version.Reason));
        // The pager's page 2 is page 2 (the page number reaches the page, not Razor's own route value "page").
        var lastPage = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/inspections/{id}?compare=approved&page=2", UriKind.Relative), Ct));
        Assert.Contains("data-withdrawn=\"true\"", Row(lastPage, withdrawn), StringComparison.Ordinal);
        Assert.Contains("已撤销", Row(lastPage, withdrawn), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_or_comparison_the_plan_cannot_answer_is_refused_with_its_reason_and_an_unseen_inspection_is_404_first()
    {
        app.RequireAvailable();
        var id = app.InspectionId;
        using var office = await app.SignedInAsync("office");

        async Task Refused(string query, string message)
        {
            var response = await office.GetAsync(new Uri($"/api/v1/inspections/{id}/ledger?{query}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

            // The page shows today's ledger, the reason beside the field.
            var page = await office.GetAsync(new Uri($"/inspections/{id}?{query}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));
            Assert.Contains(message, html[html.IndexOf("id=\"plan-view-error\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
            Assert.Contains("data-measure-id=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"plan-as-of\"", html, StringComparison.Ordinal);
        }

        await Refused("asOf=2025-02-30", "不是有效的日期");
        await Refused("asOf=%E6%98%A8%E5%A4%A9", "不是有效的日期");
        await Refused("asOf=2025-10-15", "于 2025-10-16 审定实施");
        await Refused("asOf=2999-01-01", "不能晚于今天");
        await Refused("compare=adopted", "只能与审定方案对照");

        // The day of adoption itself is the plan as adopted.
        var adoptionDay = await LedgerAsync(office, "asOf=2025-10-16&pageSize=500");
        Assert.All(adoptionDay.Rows, r => Assert.Equal(MeasureRevisionKind.Approved, r.Version!.Kind));

        // Not seen: 404 whatever the query says.
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/ledger?asOf=garbage", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/inspections/{app.OtherInspectionId}?asOf=garbage", UriKind.Relative), Ct)).StatusCode);

        // A plan still in draft has no adopted plan to read or compare.
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = "草拟中的巡察" + app.Provider,
            ["Kind"] = "Xuncha",
            ["Round"] = "十五届第八轮",
            ["Team"] = "测试巡察组",
            ["InspectedOrganizationId"] = app.InspectedOrganization,
            ["FeedbackDate"] = "2026-06-15",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var draft = int.Parse(PlanPathRegex().Match(created.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var query in new[] { "compare=approved", $"asOf={Today}" })
        {
            var response = await office.GetAsync(new Uri($"/api/v1/inspections/{draft}/ledger?{query}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("尚未审定实施", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    private async Task<LedgerPage> LedgerAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?{query}", UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<LedgerPage>(Http.Json, Ct))!;
    }

    private async Task<List<List<string>>> ExportAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx?{query}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Xlsx.ReadFirstSheet(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static string ExportLink(string html) => ExportLinkRegex().Match(html).Groups[1].Value;

    [GeneratedRegex(@"href=""([^""]*ledger\.xlsx[^""]*)""")]
    private static partial Regex ExportLinkRegex();

    /// <summary>The row of one measure in a ledger page.</summary>
    private static string Row(string html, int measureId)
    {
        var start = html.IndexOf($"data-measure-id=\"{measureId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"measure {measureId} is not on the page");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string Fmt(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static PlanVersionNumber Number(PlanVersion version) => new(version.Number, version.Kind, version.Date);

    private sealed record PlanVersionNumber(int Number, MeasureRevisionKind Kind, DateOnly Date);

    [GeneratedRegex(@"name=""version"" value=""(\d+)""")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"/inspections/(\d+)/plan")]
    private static partial Regex PlanPathRegex();
}

public sealed class PlanAsOfTestsOnSqlite(SqliteApp app) : PlanAsOfTests(app), IClassFixture<SqliteApp>;

public sealed class PlanAsOfTestsOnPostgres(PostgresApp app) : PlanAsOfTests(app), IClassFixture<PostgresApp>;
