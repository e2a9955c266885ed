using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The seed inspection as a live ledger, through the real HTTP pipeline, on each database.</summary>
public abstract class LedgerTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_answers_without_signing_in_when_the_database_is_reachable()
    {
        app.RequireAvailable();
        using var client = app.Client();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/organizations")]
    [InlineData("/inspections/1")]
    [InlineData("/findings/1")]
    [InlineData("/measures/1")]
    public async Task Every_page_sends_a_stranger_to_sign_in(string path)
    {
        app.RequireAvailable();
        using var client = app.Client();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Relative: the Host a client sent never comes back in a Location header (issue #13).
        Assert.False(response.Headers.Location!.IsAbsoluteUri, response.Headers.Location.ToString());
        Assert.StartsWith("/Account/SignIn", response.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/inspections")]
    [InlineData("/api/v1/inspections/1/ledger")]
    [InlineData("/openapi/v1.json")]
    public async Task The_api_answers_401_to_a_stranger(string path)
    {
        app.RequireAvailable();
        using var client = app.Client();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_gets_one_plain_answer_and_five_lock_the_account_with_the_same_answer()
    {
        app.RequireAvailable();
        using var client = app.Client();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.SignInAsync("leader", "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("用户名或密码错误。", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Locked now: even the right password gets the same answer, and nothing tells a guesser so.
        var locked = await client.SignInAsync("leader", app.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("用户名或密码错误。", await locked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var unknown = await client.SignInAsync("nobody", app.Password);
        Assert.Contains("用户名或密码错误。", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_without_the_anti_forgery_token_is_refused()
    {
        app.RequireAvailable();
        using var client = app.Client();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "office", ["password"] = app.Password });
        var response = await client.PostAsync(new Uri("/Account/SignIn", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_seed_ledger_holds_27_findings_and_72_measures_with_the_notice_texts_verbatim()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var raw = await client.GetStringAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct);
        Assert.Contains("市委第七巡察组", raw, StringComparison.Ordinal);
        var inspections = JsonSerializer.Deserialize<PagedResult<InspectionSummary>>(raw, Http.Json);
        var summary = Assert.Single(inspections!.Items);
        Assert.Equal("市委第七巡察组对万江街道党工委的巡察", summary.Title);
        Assert.Equal("中共万江街道工作委员会", summary.InspectedOrganization);
        Assert.Equal(27, summary.Findings);
        Assert.Equal(72, summary.Measures);

        var ledger = await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{summary.Id}/ledger?pageSize=500", Http.Json, Ct);
        Assert.Equal(72, ledger!.TotalRows);
        Assert.Equal(27, ledger.Totals.Findings);
        Assert.Equal(27, ledger.Rows.Select(r => r.FindingId).Distinct().Count());

        var notice = NoticeParser.Parse(DemoSeeder.ReadSeedNotice());
        var expected = notice.Categories.SelectMany(c => c.Findings.SelectMany(f => f.Measures.Select(m => (c.Title, f.Number, f.Title, m.Number, m.Text)))).ToList();
        Assert.Equal(expected, ledger.Rows.Select(r => (r.CategoryTitle, r.FindingNumber, r.FindingTitle, r.MeasureNumber, r.Text)).ToList());
        Assert.All(ledger.Rows, r => Assert.Contains(r.Text, DemoSeeder.ReadSeedNotice(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_ledger_pages_in_order_without_gaps_or_repeats()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var seen = new List<int>();
        for (var page = 1; page <= 4; page++)
        {
            var ledger = await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=20&page={page}", Http.Json, Ct);
            Assert.Equal(4, ledger!.PageCount);
            seen.AddRange(ledger.Rows.Select(r => r.MeasureId));
        }

        Assert.Equal(72, seen.Count);
        Assert.Equal(72, seen.Distinct().Count());
    }

    [Fact]
    public async Task Filters_by_unit_state_kind_and_overdue_agree_with_the_whole_ledger()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var all = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        var unit = all.Units.Single(u => u.Name == "财审中心");

        async Task<List<int>> Ids(string query) =>
            (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500&{query}", Http.Json, Ct))!.Rows.Select(r => r.MeasureId).ToList();

        var byUnit = await Ids($"unit={unit.Id}");
        Assert.NotEmpty(byUnit);
        Assert.Equal(all.Rows.Where(r => r.LeadUnitId == unit.Id || r.SupportingUnits.Contains("财审中心")).Select(r => r.MeasureId), byUnit);

        Assert.Equal(all.Rows.Where(r => r.State == MeasureState.SignedOff).Select(r => r.MeasureId), await Ids("state=SignedOff"));
        Assert.Equal(all.Rows.Where(r => r.Kind == MeasureKind.Ongoing).Select(r => r.MeasureId), await Ids("kind=Ongoing"));
        var overdue = await Ids("overdue=true");
        Assert.Equal(all.Rows.Where(r => r.Overdue).Select(r => r.MeasureId), overdue);
        Assert.Equal(all.Totals.PastDeadlineMeasures + all.Totals.MissingReportMeasures, overdue.Count);
        // 长期坚持 measures are overdue only for a missing cadence report, never for a deadline.
        var ongoingOverdue = await Ids("kind=Ongoing&overdue=true");
        Assert.Equal(all.Rows.Where(r => r.Kind == MeasureKind.Ongoing && r.Overdue).Select(r => r.MeasureId), ongoingOverdue);
        Assert.All(all.Rows.Where(r => r.Kind == MeasureKind.Ongoing && r.Overdue), r => Assert.Equal(OverdueReason.MissingCadenceReport, r.OverdueReason));
        Assert.All(all.Rows.Where(r => r.Kind != MeasureKind.Ongoing && r.Overdue), r => Assert.Equal(OverdueReason.PastDeadline, r.OverdueReason));

        // Totals are derived the same way as each row's state.
        Assert.Equal(all.Rows.Count(r => r.State == MeasureState.SignedOff), all.Totals.CompletedMeasures);
        var findingStates = all.Rows.GroupBy(r => r.FindingId).Select(g => FindingStates.Derive(g.Select(r => r.State))).ToList();
        Assert.Equal(findingStates.Count(s => s == FindingState.Completed), all.Totals.CompletedFindings);
        Assert.All(all.Rows, r => Assert.Equal(findingStates[all.Rows.Select(x => x.FindingId).Distinct().ToList().IndexOf(r.FindingId)], r.FindingState));
    }

    [Fact]
    public async Task The_overview_statistics_equal_those_computed_from_the_ledger()
    {
        app.RequireAvailable();
        foreach (var user in new[] { "office", "unit" })
        {
            using var client = await app.SignedInAsync(user);
            var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
            var overview = (await client.GetFromJsonAsync<InspectionOverview>($"/api/v1/inspections/{app.InspectionId}/overview", Http.Json, Ct))!;
            var rows = ledger.Rows;

            Assert.Equal(ledger.Totals, overview.Totals);
            Assert.Equal(rows.Count, overview.ByUnit.Sum(u => u.Total));
            foreach (var unit in overview.ByUnit)
            {
                var mine = rows.Where(r => (r.LeadUnit ?? "（未定）") == unit.Name).ToList();
                Assert.Equal(
                    (mine.Count, mine.Count(r => r.Completion == Completion.Completed), mine.Count(r => r.Completion == Completion.Sustained), mine.Count(r => r.OverdueReason == OverdueReason.PastDeadline), mine.Count(r => r.OverdueReason == OverdueReason.MissingCadenceReport)),
                    (unit.Total, unit.Completed, unit.Sustained, unit.PastDeadline, unit.MissingReport));
            }

            foreach (var kind in overview.ByKind)
            {
                Assert.Equal(rows.Count(r => Terms.Of(r.Kind) == kind.Name), kind.Total);
            }

            var findings = rows.GroupBy(r => r.FindingId).ToDictionary(g => g.Key, g => (State: g.First().FindingState, Signal: g.First().FindingSignal, Done: g.All(r => r.Completion != Completion.Open), Overdue: g.Count(r => r.Overdue)));
            Assert.Equal(findings.Count, overview.Findings.Count);
            foreach (var f in overview.Findings)
            {
                Assert.Equal(findings[f.FindingId].State, f.State);
                var expected = findings[f.FindingId].Overdue > 0 ? Signal.Red : findings[f.FindingId].Done ? Signal.Green : Signal.Yellow;
                Assert.Equal(expected, f.Signal);
                Assert.Equal(expected, findings[f.FindingId].Signal);
            }

            Assert.Equal(overview.Findings.Count, overview.ByCategory.Sum(c => c.Total));
            Assert.Contains($">{overview.Totals.FindingCompletionRate.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%<", await client.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_ledger_page_filtered_by_a_unit_shows_only_that_units_measures()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var all = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        var unit = all.Units.Single(u => u.Name == "规划管理所");
        var html = await client.GetStringAsync(new Uri($"/inspections/{app.InspectionId}?unit={unit.Id}", UriKind.Relative), Ct);

        var expected = all.Rows.Where(r => r.LeadUnitId == unit.Id || r.SupportingUnits.Contains(unit.Name)).ToList();
        Assert.Contains($"共 {expected.Count} 条整改措施", html, StringComparison.Ordinal);
        var shown = System.Text.RegularExpressions.Regex.Matches(html, @"data-measure-id=""(\d+)""").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Select(r => r.MeasureId), shown);
        Assert.Contains("演示假设", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding_and_measure_pages_show_texts_and_history()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var all = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        var row = all.Rows.First(r => r.FindingNumber == 27);

        var finding = await client.GetStringAsync(new Uri($"/findings/{row.FindingId}", UriKind.Relative), Ct);
        Assert.Contains("推动审计整改成果转化", finding, StringComparison.Ordinal);
        Assert.Contains("对巡察整改所提及的线索悉数开展核查工作", finding, StringComparison.Ordinal);

        var measure = await client.GetStringAsync(new Uri($"/measures/{row.MeasureId}", UriKind.Relative), Ct);
        Assert.Contains("纪检监察办", measure, StringComparison.Ordinal);
        Assert.Contains("财审中心", measure, StringComparison.Ordinal);
        Assert.Contains("启动整改", measure, StringComparison.Ordinal);

        // The measure is named by its 台账 序号 (27.n), on its page, in its title, on its finding's page and in the ledger's link, never "措施一".
        var name = $"措施 {row.FindingNumber}.{row.MeasureNumber}";
        Assert.Matches($@"<h1>{System.Text.RegularExpressions.Regex.Escape(name)} <span", measure);
        Assert.Contains($"<title>{name} · ", measure, StringComparison.Ordinal);
        Assert.Contains($@"<a href=""/measures/{row.MeasureId}"">{name}</a>", finding, StringComparison.Ordinal);
        var ledger = await client.GetStringAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct);
        var top = all.Rows[0];
        Assert.Contains($@"<a href=""/measures/{top.MeasureId}"" class=""measure-link"">措施 {top.FindingNumber}.{top.MeasureNumber}</a>", ledger, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/inspections/999999")]
    [InlineData("/findings/999999")]
    [InlineData("/measures/999999")]
    [InlineData("/api/v1/inspections/999999/ledger")]
    public async Task What_does_not_exist_answers_404(string path)
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_organization_tree_shows_the_inspected_committee_its_communities_and_groups()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("admin");
        var html = await client.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct);
        foreach (var name in new[] { "市委第七巡察组", "中共万江街道工作委员会", "拔蛟窝社区", "石美社区石美小组", "坝头社区下坝小组", "纪检监察办", "工程建设中心" })
        {
            Assert.Contains(name, html, StringComparison.Ordinal);
        }

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var inspected = await db.Organizations.SingleAsync(o => o.Id == int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture), Ct);
        var shimei = await db.Organizations.SingleAsync(o => o.Name == "石美社区" && o.ParentId == inspected.Id, Ct);
        var group = await db.Organizations.SingleAsync(o => o.Name == "石美社区石美小组" && o.ParentId == shimei.Id, Ct);
        Assert.Equal(shimei.Id, group.ParentId);

        // Units the notice names are data, not assumptions; the ones the demo made up are marked.
        foreach (var named in DemoSeeder.NamedUnits)
        {
            Assert.False((await db.Organizations.SingleAsync(o => o.Name == named && o.ParentId == inspected.Id, Ct)).IsAssumption, named);
        }

        Assert.True((await db.Organizations.SingleAsync(o => o.Name == "党政办公室" && o.ParentId == inspected.Id, Ct)).IsAssumption);
        Assert.StartsWith(shimei.Path, group.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_ledger_api()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        var doc = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        Assert.Contains("/api/v1/inspections", doc, StringComparison.Ordinal);
        Assert.Contains("/api/v1/inspections/{id}/ledger", doc, StringComparison.Ordinal);

        // The workflow for other systems is described too, each operation by its name.
        foreach (var operation in new[]
        {
            "ExportLedger", "GetOverview", "GetMeasure", "ActOnMeasure", "ListReports", "FileReport", "ReviewReport", "DownloadEvidence",
            "ListLookBacks", "ScheduleLookBack", "ScheduleLookBacks", "RecordLookBack", "GetRegisters", "AddInstitution", "AddOutcome", "AddLead", "SetReportingCadence",
        })
        {
            Assert.Contains($"\"operationId\": \"{operation}\"", doc, StringComparison.Ordinal);
        }

        // A generated client can sign in and send the uploads: both schemes declared, every operation naming its own
        // (writes the token only), and the multipart uploads typed, their files as binary.
        var root = System.Text.Json.JsonDocument.Parse(doc).RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var names = operation.Value.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order().ToList();
                Assert.Equal(operation.Name == "get" ? ["bearer", "cookie"] : ["bearer"], names);
            }
        }

        foreach (var (path, fields) in new[] { ("/api/v1/measures/{id}/reports", "narrative percent effectiveDate files onBehalfBasis"), ("/api/v1/measures/{id}/extensions", "requestedDeadline reason file"), ("/api/v1/inspections/{id}/import", "file sheet reason edits round") })
        {
            var schema = root.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
            Assert.Equal(fields.Split(' '), schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        }

        // What a report must carry: not its files (a report may have none) nor a 代报依据 (the unit's own has none).
        var reportForm = root.GetProperty("paths").GetProperty("/api/v1/measures/{id}/reports").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal(["effectiveDate", "narrative", "percent"], reportForm.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));

        Assert.Contains("\"format\": \"binary\"", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_interface_speaks_chinese_by_default_and_english_when_asked()
    {
        app.RequireAvailable();
        using var client = app.Client();
        var chinese = await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative), Ct);
        Assert.Contains("<h1>登录</h1>", chinese, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-CN\"", chinese, StringComparison.Ordinal);

        var english = await client.GetStringAsync(new Uri("/Account/SignIn?culture=en", UriKind.Relative), Ct);
        Assert.Contains("<h1>Sign in</h1>", english, StringComparison.Ordinal);
        Assert.Contains("Inspection Rectification", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        app.RequireAvailable();
        using var client = app.Client();
        var response = await client.GetAsync(new Uri("/Account/SignIn", UriKind.Relative), Ct);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_demo_on_the_demo_database_changes_nothing_and_any_other_non_empty_database_is_refused()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var before = (await db.Measures.CountAsync(Ct), await db.Organizations.CountAsync(Ct), await db.Users.CountAsync(Ct));

        var again = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(DemoSeeder.NewPassword(), Ct);
        Assert.False(again.Imported);
        Assert.Equal(before, (await db.Measures.CountAsync(Ct), await db.Organizations.CountAsync(Ct), await db.Users.CountAsync(Ct)));

        // Signing in with the first password still works: the demo accounts were not touched.
        using var client = await app.SignedInAsync("unit");
    }

    [Fact]
    public async Task Two_people_acting_on_the_same_measure_at_once_give_one_success_and_one_conflict()
    {
        app.RequireAvailable();
        await using var s1 = app.Factory.Services.CreateAsyncScope();
        await using var s2 = app.Factory.Services.CreateAsyncScope();
        var db1 = s1.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var db2 = s2.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var id = await db1.Measures.Where(m => m.InspectionId == app.InspectionId && m.State == MeasureState.InProgress).Select(m => m.Id).FirstAsync(Ct);
        var m1 = await db1.Measures.SingleAsync(m => m.Id == id, Ct);
        var m2 = await db2.Measures.SingleAsync(m => m.Id == id, Ct);

        // Both see a measure with an accepted report (销号 stands on one).
        m1.NoteReportAccepted(DateTime.UtcNow);
        m2.NoteReportAccepted(DateTime.UtcNow);
        m1.ApplyForSignOff(new Actor("a", "甲"), TimeProvider.System);
        m2.ApplyForSignOff(new Actor("b", "乙"), TimeProvider.System);
        await db1.SaveChangesAsync(Ct);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db2.SaveChangesAsync(Ct));

        await using var s3 = app.Factory.Services.CreateAsyncScope();
        var fresh = await s3.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Include(m => m.Transitions).SingleAsync(m => m.Id == id, Ct);
        Assert.Equal(MeasureState.AwaitingReview, fresh.State);
        Assert.Equal("a", fresh.Transitions[^1].ActorUserId);
        Assert.Single(fresh.Transitions, t => t.Action == MeasureAction.ApplyForSignOff);
    }
}

public sealed class LedgerTestsOnSqlite(SqliteApp app) : LedgerTests(app), IClassFixture<SqliteApp>;

public sealed class LedgerTestsOnPostgres(PostgresApp app) : LedgerTests(app), IClassFixture<PostgresApp>;
