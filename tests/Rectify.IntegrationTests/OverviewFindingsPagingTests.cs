using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The overview's 红黄绿 findings come a page at a time, of all findings or of one colour (issue #12: 2,500 findings were
/// 600 KB in every answer), in number order, through the API and on the page alike; the totals and rate tables stay whole,
/// and a bad query is refused with a reason, after the inspection is known to be the caller's to see.
/// </summary>
public abstract class OverviewFindingsPagingTests(AppFixture app)
{
    private const int Findings = 120;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_api_answers_a_page_of_the_findings_of_all_colours_or_of_one_and_the_pages_make_up_the_whole()
    {
        var (office, id) = await InspectionWithFindingsAsync();
        using (office)
        {
            var first = await OverviewAsync(office, id, "");
            Assert.Equal(new FindingsPaging(Findings, 1, LedgerFilter.DefaultPageSize, null), first.FindingsPaging);
            Assert.Equal(Enumerable.Range(1, 50), first.Findings.Select(f => f.Number));
            Assert.Equal(Findings, first.Totals.Findings);
            Assert.Equal(Findings / 2, first.Totals.RedFindings);
            Assert.Equal(Findings, first.ByCategory.Sum(c => c.Total));

            var last = await OverviewAsync(office, id, "?page=3");
            Assert.Equal(Enumerable.Range(101, 20), last.Findings.Select(f => f.Number));
            Assert.Empty((await OverviewAsync(office, id, "?page=4")).Findings);

            // One colour, named in any case: the odd findings are past their deadline (红), the even ones under way (黄).
            var red = await OverviewAsync(office, id, "?signal=red&pageSize=25&page=2");
            Assert.Equal(new FindingsPaging(Findings / 2, 2, 25, Signal.Red), red.FindingsPaging);
            Assert.Equal(Enumerable.Range(26, 25).Select(i => (2 * i) - 1), red.Findings.Select(f => f.Number));
            Assert.All(red.Findings, f => Assert.Equal(Signal.Red, f.Signal));
            Assert.Equal(Findings / 2, red.Totals.RedFindings);
            Assert.Equal(0, (await OverviewAsync(office, id, "?signal=Green")).FindingsPaging!.Total);

            // The pages of every colour together are the whole list, each finding once.
            var whole = await OverviewAsync(office, id, "?pageSize=500");
            var colours = new List<FindingSignal>();
            foreach (var signal in new[] { "Red", "Yellow", "Green" })
            {
                for (var page = 1; ; page++)
                {
                    var part = await OverviewAsync(office, id, $"?signal={signal}&pageSize=7&page={page}");
                    colours.AddRange(part.Findings);
                    if (part.Findings.Count < 7)
                    {
                        break;
                    }
                }
            }

            Assert.Equal(Findings, whole.Findings.Count);
            Assert.Equal(whole.Findings.OrderBy(f => f.Number), colours.OrderBy(f => f.Number));
        }
    }

    [Theory]
    [InlineData("?signal=Purple", "signal")]
    [InlineData("?signal=2", "signal")]
    [InlineData("?signal=-1", "signal")]
    [InlineData("?page=0", "page")]
    [InlineData("?pageSize=501", "pageSize")]
    public async Task A_bad_query_is_refused_with_its_reason_and_an_inspection_not_seen_is_not_found_first(string query, string named)
    {
        var (office, id) = await InspectionWithFindingsAsync();
        using (office)
        {
            using var refused = await office.GetAsync(new Uri($"/api/v1/inspections/{id}/overview{query}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Contains(named, problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);

            // The seed inspection is another organization's: 404, whatever the query.
            using var unseen = await office.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/overview{query}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, unseen.StatusCode);
        }
    }

    [Fact]
    public async Task The_page_shows_the_findings_a_page_at_a_time_with_the_colours_to_choose_from()
    {
        var (office, id) = await InspectionWithFindingsAsync();
        using (office)
        {
            var parser = new HtmlParser();
            using var all = parser.ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/overview", UriKind.Relative), Ct));
            Assert.Equal(Enumerable.Range(1, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.QuerySelectorAll("tr.finding-signal").Select(r => r.GetAttribute("data-finding-number")));
            Assert.Equal("全部 120", all.QuerySelector("[data-signal-filter=All][aria-current]")?.TextContent.Trim());
            Assert.Equal($"/inspections/{id}/overview?signal=Red#finding-signals", all.QuerySelector("a[data-signal-filter=Red]")?.GetAttribute("href"));
            Assert.Contains("第 1 / 3 页", all.QuerySelector("[data-findings-pager]")?.TextContent, StringComparison.Ordinal);

            using var red = parser.ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/overview?signal=Red&page=2", UriKind.Relative), Ct));
            var rows = red.QuerySelectorAll("tr.finding-signal");
            Assert.Equal(10, rows.Length);
            Assert.All(rows, r => Assert.Equal("Red", r.GetAttribute("data-signal")));
            Assert.Equal("红 60", red.QuerySelector("[data-signal-filter=Red][aria-current]")?.TextContent.Trim());
            Assert.Equal($"/inspections/{id}/overview?signal=Red#finding-signals", red.QuerySelector("[data-findings-pager] a")?.GetAttribute("href"));

            // Past the last page: the last page; a colour not named: all; none of a colour: said so.
            using var past = parser.ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/overview?page=99&signal=x", UriKind.Relative), Ct));
            Assert.Equal(20, past.QuerySelectorAll("tr.finding-signal").Length);
            Assert.Contains("第 3 / 3 页", past.QuerySelector("[data-findings-pager]")?.TextContent, StringComparison.Ordinal);
            using var green = parser.ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/overview?signal=Green", UriKind.Relative), Ct));
            Assert.Empty(green.QuerySelectorAll("tr.finding-signal"));
            Assert.NotNull(green.QuerySelector("[data-findings-empty]"));
        }
    }

    private static async Task<InspectionOverview> OverviewAsync(HttpClient client, int id, string query) =>
        (await client.GetFromJsonAsync<InspectionOverview>(new Uri($"/api/v1/inspections/{id}/overview{query}", UriKind.Relative), Http.Json, Ct))!;

    // An office of its own whose inspection has 120 findings of one measure each: odd ones past their deadline, even ones not yet due.
    private async Task<(HttpClient Office, int InspectionId)> InspectionWithFindingsAsync()
    {
        app.RequireAvailable();
        var today = ChinaTime.Today(TimeProvider.System);
        var (inspectionId, userName) = await OwnOffice.CreateAsync(app, "概况分页核对", "ofp", inspection =>
        {
            var category = new FindingCategory(inspection, 1, "方面");
            return Enumerable.Range(1, Findings).Select(i =>
            {
                var finding = new Finding(category, i, $"问题{i}");
                finding.AddMeasure(1, $"措施{i}", MeasureKind.TimeBound).Plan(MeasureKind.TimeBound, today.AddDays(i % 2 == 1 ? -10 : 30), null, null);
                return finding;
            }).ToList();
        }, Ct);
        return (await app.SignedInAsync(userName), inspectionId);
    }
}

public sealed class OverviewFindingsPagingTestsOnSqlite(SqliteApp app) : OverviewFindingsPagingTests(app), IClassFixture<SqliteApp>;

public sealed class OverviewFindingsPagingTestsOnPostgres(PostgresApp app) : OverviewFindingsPagingTests(app), IClassFixture<PostgresApp>;
