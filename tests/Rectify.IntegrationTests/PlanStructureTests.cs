using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The plan's structure: measures withdrawn (撤销) after adoption leave every working view but keep their page; draft
/// measures are deleted; categories, findings and measures move up and down; categories and findings are corrected
/// (with a reason once the plan is in force); the inspection body registers its own inspections.
/// </summary>
public abstract class PlanStructureTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync() => ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables, Ct));

    /// <summary>The plan's tables without the audit trail, for requests with a token (each use of a token is audited).</summary>
    private Task<IReadOnlyDictionary<string, string>> PlanChecksumAsync() =>
        ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables.Where(t => t != typeof(Data.AuditEntry) && t != typeof(Data.AuditHead)), Ct));

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "接口测试", 1, Ct);
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private static Task<HttpResponseMessage> PostPlanAsync(HttpClient client, int inspectionId, string handler, Dictionary<string, string> form) =>
        client.PostFromPageAsync($"/inspections/{inspectionId}/plan", $"/inspections/{inspectionId}/plan?handler={handler}", form);

    private async Task<(int Measures, List<int> Ids)> LedgerAsync(HttpClient client)
    {
        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        return (ledger.Totals.Measures, [.. ledger.Rows.Select(r => r.MeasureId)]);
    }

    private async Task<int> ExportedRowsAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sheet = Xlsx.ReadFirstSheet(await response.Content.ReadAsByteArrayAsync(Ct));
        return sheet.Skip(LedgerExport.HeaderRow).Count();
    }

    [Fact]
    public async Task A_plan_pages_form_acts_only_on_its_own_inspections_items_and_a_done_form_answers_with_a_redirect_whose_news_shows_once()
    {
        app.RequireAvailable();
        var other = await app.NewInspectionAsync();
        var row = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == other && m.WithdrawnAtUtc == null)
            .OrderBy(m => m.Id).Select(m => new { m.FindingId, m.Finding.CategoryId, m.Id, m.Version }).FirstAsync(Ct));
        var (finding, category, measure, version) = (row.FindingId, row.CategoryId, row.Id, row.Version);
        var before = await PlanChecksumAsync();
        using var office = await app.SignedInAsync("office");
        string Id(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The office may act on both plans, but a form of this inspection's page naming the other's items does nothing.
        var here = app.InspectionId;
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "Withdraw", new() { ["measureId"] = Id(measure), ["version"] = Id(version), ["reason"] = "张冠李戴" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "Delete", new() { ["measureId"] = Id(measure), ["version"] = Id(version) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "EditFinding", new() { ["findingId"] = Id(finding), ["title"] = "张冠李戴", ["reason"] = "张冠李戴" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "EditCategory", new() { ["categoryId"] = Id(category), ["title"] = "张冠李戴", ["reason"] = "张冠李戴" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "Move", new() { ["what"] = "category", ["itemId"] = Id(category), ["direction"] = "Down" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostPlanAsync(office, here, "Measure", new() { ["findingId"] = Id(finding), ["text"] = "张冠李戴的措施", ["reason"] = "张冠李戴" })).StatusCode);
        Assert.Equal(before, await PlanChecksumAsync());

        // On its own page a form is done: 302 back to the plan, whose next reading tells the news, once.
        var done = await PostPlanAsync(office, other, "Measure", new() { ["findingId"] = Id(finding), ["text"] = "在本方案页面新增的措施", ["kind"] = "Ongoing" });
        Assert.True(done.StatusCode == HttpStatusCode.Redirect, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await BodyAsync(done)).QuerySelector(".error-box")?.TextContent);
        Assert.Equal($"/inspections/{other}/plan#finding-{finding}", done.Headers.Location!.OriginalString);
        // The news is where the browser lands (the finding's card), not at the top of a long page, out of view.
        var landed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await (await office.FollowedAsync(done)).Content.ReadAsStringAsync(Ct));
        Assert.Contains("已添加措施", landed.QuerySelector($"#finding-{finding} [role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Single(landed.QuerySelectorAll("[role=status]"), e => e.TextContent.Contains("已添加措施", StringComparison.Ordinal));
        Assert.DoesNotContain("已添加措施", await office.GetStringAsync(new Uri($"/inspections/{other}/plan", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(1, await ReadAsync(db => db.Measures.CountAsync(m => m.FindingId == finding && m.Text == "在本方案页面新增的措施", Ct)));
    }

    [Fact]
    public async Task A_measure_withdrawn_after_adoption_says_why_leaves_the_ledger_figures_export_and_todo_but_keeps_its_page()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        using var unit = await app.SignedInAsync("unit");
        var id = app.UnitMeasuresInProgress[0];
        var link = $"href=\"/measures/{id}\"";

        var before = await LedgerAsync(office);
        Assert.Contains(id, before.Ids);
        var overviewBefore = (await office.GetFromJsonAsync<InspectionOverview>($"/api/v1/inspections/{app.InspectionId}/overview", Http.Json, Ct))!;
        var exportedBefore = await ExportedRowsAsync(office);
        var unitLedgerBefore = await LedgerAsync(unit);
        Assert.Contains(link, await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
        var version = await ReadAsync(db => db.Measures.Where(m => m.Id == id).Select(m => m.Version).SingleAsync(Ct));

        // Without a reason: 400, and nothing is written.
        var checksum = await ChecksumAsync();
        var noReason = await PostPlanAsync(office, app.InspectionId, "Withdraw", new() { ["measureId"] = $"{id}", ["version"] = $"{version}", ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("撤销措施须说明理由", await BodyAsync(noReason), StringComparison.Ordinal);
        Assert.Equal(checksum, await ChecksumAsync());

        // Units do not withdraw measures. The plan is untouched; the denial itself may be audited (once a minute per
        // person and address, so the audit tables are left out of this comparison).
        Assert.Equal(HttpStatusCode.Forbidden, (await PostPlanAsync(unit, app.InspectionId, "Withdraw", new() { ["measureId"] = $"{id}", ["reason"] = "不需要了" })).StatusCode);
        static Dictionary<string, string> PlanOnly(IReadOnlyDictionary<string, string> tables) =>
            tables.Where(t => t.Key is not ("AuditEntries" or "AuditHeads")).ToDictionary();
        Assert.Equal(PlanOnly(checksum), PlanOnly(await ChecksumAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, app.InspectionId, "Withdraw", new() { ["measureId"] = $"{id}", ["version"] = $"{version}", ["reason"] = "党委会决定并入其他措施" })).StatusCode);
        var last = await ReadAsync(db => db.MeasureRevisions.Where(r => r.MeasureId == id).OrderByDescending(r => r.Number).FirstAsync(Ct));
        Assert.Equal((MeasureRevisionKind.Withdrawn, "党委会决定并入其他措施"), (last.Kind, last.Reason));
        Assert.NotNull(await ReadAsync(db => db.Measures.Where(m => m.Id == id).Select(m => m.WithdrawnAtUtc).SingleAsync(Ct)));
        Assert.True(await ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.MeasureWithdrawn && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));

        // The lead unit's reporters are told, with the reason in the inbox (not in the email), so they stop reporting on it.
        var unitUser = await ReadAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.Id).SingleAsync(Ct));
        var told = await ReadAsync(db => db.Notifications.Where(n => n.RecipientUserId == unitUser && n.MeasureId == id && n.Kind == "MeasureWithdrawn")
            .Select(n => new { n.Channel, n.Body }).ToListAsync(Ct));
        Assert.Contains("党委会决定并入其他措施", Assert.Single(told, n => n.Channel == NotificationChannel.InApp).Body, StringComparison.Ordinal);
        Assert.All(told.Where(n => n.Channel != NotificationChannel.InApp), n => Assert.DoesNotContain("党委会决定", n.Body, StringComparison.Ordinal));

        // Gone from the ledger and its totals, the overview, the export and the unit's 待办 and ledger.
        var after = await LedgerAsync(office);
        Assert.DoesNotContain(id, after.Ids);
        Assert.Equal(before.Measures - 1, after.Measures);
        var overviewAfter = (await office.GetFromJsonAsync<InspectionOverview>($"/api/v1/inspections/{app.InspectionId}/overview", Http.Json, Ct))!;
        Assert.Equal(overviewBefore.Totals.Measures - 1, overviewAfter.Totals.Measures);
        Assert.Equal(exportedBefore - 1, await ExportedRowsAsync(office));
        Assert.DoesNotContain(link, await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(unitLedgerBefore.Measures - 1, (await LedgerAsync(unit)).Measures);

        // Its page still opens, for the office and the unit, saying so with the reason and the versions; it takes no step.
        foreach (var client in new[] { office, unit })
        {
            var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct));
            Assert.Contains("id=\"withdrawn\"", page, StringComparison.Ordinal);
            Assert.Contains("党委会决定并入其他措施", page, StringComparison.Ordinal);
            Assert.DoesNotContain("name=\"measureAction\"", page, StringComparison.Ordinal);
            Assert.Equal("已撤销", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector("h1 .badge")?.TextContent); // its heading too, not the state it stopped in
        }

        using var api = await TokenClientAsync("unit");
        using var detail = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/measures/{id}", UriKind.Relative), Ct));
        Assert.Equal("党委会决定并入其他措施", detail.RootElement.GetProperty("withdrawalReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/v1/measures/{id}/actions/ApplyForSignOff", new { }, Ct)).StatusCode);

        // The plan lists it greyed under its finding; withdrawing it again is refused.
        var plan = await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/plan", UriKind.Relative), Ct);
        Assert.Contains($"data-measure-id=\"{id}\" class=\"withdrawn muted\" data-withdrawn=\"true\"", plan, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostPlanAsync(office, app.InspectionId, "Withdraw", new() { ["measureId"] = $"{id}", ["reason"] = "再撤一次" })).StatusCode);

        // A signed-off measure is done and stays; a measure of a plan in force is not deleted.
        var signedOff = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == app.InspectionId && m.State == MeasureState.SignedOff).Select(m => m.Id).FirstAsync(Ct));
        var refused = await PostPlanAsync(office, app.InspectionId, "Withdraw", new() { ["measureId"] = $"{signedOff}", ["reason"] = "已完成" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("已销号", await BodyAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostPlanAsync(office, app.InspectionId, "Delete", new() { ["measureId"] = $"{app.UnitMeasuresInProgress[1]}" })).StatusCode);
    }

    [Fact]
    public async Task In_a_draft_the_office_reorders_categories_findings_and_measures_and_deletes_a_measure_numbers_stay_consecutive()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = "排序测试巡察",
            ["Kind"] = "Xuncha",
            ["Team"] = "排序测试巡察组",
            ["InspectedOrganizationId"] = app.InspectedOrganization,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = await ReadAsync(db => db.Inspections.Where(i => i.Title == "排序测试巡察").Select(i => i.Id).SingleAsync(Ct));
        foreach (var title in new[] { "类别甲", "类别乙" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Category", new() { ["title"] = title })).StatusCode);
        }

        var categories = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Id).ToListAsync(Ct));
        foreach (var (category, title) in new[] { (categories[0], "问题一"), (categories[0], "问题二"), (categories[1], "问题三") })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Finding", new() { ["categoryId"] = $"{category}", ["title"] = title })).StatusCode);
        }

        var first = await ReadAsync(db => db.Findings.Where(f => f.InspectionId == id && f.Number == 1).Select(f => f.Id).SingleAsync(Ct));
        foreach (var text in new[] { "措施甲", "措施乙", "措施丙" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Measure", new() { ["findingId"] = $"{first}", ["text"] = text, ["kind"] = "Immediate" })).StatusCode);
        }

        Task<List<string>> MeasuresAsync() => ReadAsync(db => db.Measures.Where(m => m.FindingId == first).OrderBy(m => m.Number).Select(m => m.Number + m.Text).ToListAsync(Ct));
        Task<int> MeasureIdAsync(string text) => ReadAsync(db => db.Measures.Where(m => m.FindingId == first && m.Text == text).Select(m => m.Id).SingleAsync(Ct));

        // 措施丙 up: it and 措施乙 swap numbers; the first one cannot go further up.
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Move", new() { ["what"] = "measure", ["itemId"] = $"{await MeasureIdAsync("措施丙")}", ["direction"] = "Up" })).StatusCode);
        Assert.Equal(["1措施甲", "2措施丙", "3措施乙"], await MeasuresAsync());
        var checksum = await ChecksumAsync();
        var edge = await PostPlanAsync(office, id, "Move", new() { ["what"] = "measure", ["itemId"] = $"{await MeasureIdAsync("措施甲")}", ["direction"] = "Up" });
        Assert.Equal(HttpStatusCode.Conflict, edge.StatusCode);
        Assert.Contains("已经排在最前", await BodyAsync(edge), StringComparison.Ordinal);
        Assert.Equal(checksum, await ChecksumAsync());

        // 类别乙 up; 问题二 up within 类别甲: the ledger's order follows the numbers.
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Move", new() { ["what"] = "category", ["itemId"] = $"{categories[1]}", ["direction"] = "Up" })).StatusCode);
        Assert.Equal(["1类别乙", "2类别甲"], await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Number + c.Title).ToListAsync(Ct)));
        var second = await ReadAsync(db => db.Findings.Where(f => f.InspectionId == id && f.Title == "问题二").Select(f => f.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Move", new() { ["what"] = "finding", ["itemId"] = $"{second}", ["direction"] = "Up" })).StatusCode);
        Assert.Equal(["1问题二", "2问题一", "3问题三"], await ReadAsync(db => db.Findings.Where(f => f.InspectionId == id).OrderBy(f => f.Number).Select(f => f.Number + f.Title).ToListAsync(Ct)));
        var inspectionKey = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var findingKey = second.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Audit.AuditActions.CategoryMoved && e.ObjectId == inspectionKey, Ct)));
        Assert.Equal(1, await ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Audit.AuditActions.FindingMoved && e.ObjectId == findingKey, Ct)));

        // Deleting 措施甲 closes the gap; a started measure is not deleted.
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Delete", new() { ["measureId"] = $"{await MeasureIdAsync("措施甲")}" })).StatusCode);
        Assert.Equal(["1措施丙", "2措施乙"], await MeasuresAsync());
        using var api = await TokenClientAsync("office");
        // A measure of a draft is not started (409); one started before that rule (an older installation's) is not deleted.
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/measures/{await MeasureIdAsync("措施乙")}/actions/Start", new { }, Ct)).StatusCode);
        var started = await MeasureIdAsync("措施乙");
        await ReadAsync(db => db.Measures.Where(m => m.Id == started).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, Domain.MeasureState.InProgress), Ct));
        checksum = await PlanChecksumAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync(new Uri($"/api/v1/measures/{await MeasureIdAsync("措施乙")}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(checksum, await PlanChecksumAsync());

        // The same through the API: 措施乙 back up, then delete 措施丙 (now second).
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/measures/{await MeasureIdAsync("措施乙")}/move", new { direction = "Up" }, Ct)).StatusCode);
        Assert.Equal(["1措施乙", "2措施丙"], await MeasuresAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync(new Uri($"/api/v1/measures/{await MeasureIdAsync("措施丙")}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(["1措施乙"], await MeasuresAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/findings/{first}/move", new { }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Numbers_out_of_category_order_are_pointed_out_on_the_plan_and_the_notice_preview_and_renumbered_in_one_step_with_a_reason()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();

        // The plan in force, as after 审定 (its corrections say why).
        await ReadAsync(async db =>
        {
            await db.Inspections.Where(i => i.Id == id).ExecuteUpdateAsync(u => u.SetProperty(i => i.PlanState, PlanState.InForce), Ct);
            await ContentVersion.BumpAsync(db, Ct);
            return 0;
        });
        using var office = await app.SignedInAsync("office");
        using var api = await TokenClientAsync("office");
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        async Task<AngleSharp.Dom.IDocument> PageAsync(string path) => parser.ParseDocument(await office.GetStringAsync(new Uri(path, UriKind.Relative), Ct));
        Task<List<string>> OrderAsync() => ReadAsync(db => db.Findings.Where(f => f.InspectionId == id).OrderBy(f => f.Category.Number).ThenBy(f => f.Number)
            .Select(f => f.Category.Number + "/" + f.Number + "/" + f.Title).ToListAsync(Ct));
        var before = await OrderAsync();
        Assert.True(before.Count > 3, "the seed notice has findings in several categories");

        // In order: nothing to point out, and renumbering is refused (after the reason the plan in force asks for).
        Assert.Null((await PageAsync($"/inspections/{id}/plan")).QuerySelector("#renumber"));
        var checksum = await PlanChecksumAsync();
        var noReason = await api.PostAsJsonAsync($"/api/v1/inspections/{id}/renumbering", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("调整须说明理由", await noReason.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var inOrder = await api.PostAsJsonAsync($"/api/v1/inspections/{id}/renumbering", new { reason = "试一试" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, inOrder.StatusCode);
        Assert.Contains("无需重新编号", await inOrder.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(checksum, await PlanChecksumAsync());

        // The first category moved down: its findings keep their numbers, so the plan now lists them out of order.
        var first = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/categories/{first}/move", new { direction = "Down" }, Ct)).StatusCode);
        var moved = await OrderAsync();
        Assert.NotEqual("1", moved[0].Split('/')[1]);
        var plan = await PageAsync($"/inspections/{id}/plan");
        var note = plan.QuerySelector("#renumber [role=note]")?.TextContent;
        Assert.Contains(string.Join("、", moved.Take(3).Select(f => f.Split('/')[1])), note, StringComparison.Ordinal);
        Assert.NotNull(plan.QuerySelector("#renumber input[name=reason]"));

        // The notice's preview says so too, before anything is published.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);
        var preview = await PageAsync($"/inspections/{id}/publication");
        Assert.Contains("没有按顺序连续编号", preview.QuerySelector("#numbers-out-of-order")?.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/inspections/{id}/plan#renumber", preview.QuerySelector("#numbers-out-of-order a")?.GetAttribute("href"));

        // Without a reason the form is refused beside itself; with one, the categories and findings run 1, 2, 3… in the
        // order shown, each keeping its title, and the audit record names every number that changed.
        checksum = await PlanChecksumAsync();
        var refused = await PostPlanAsync(office, id, "Renumber", new() { ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("调整须说明理由", parser.ParseDocument(await BodyAsync(refused)).QuerySelector("#renumber .error-box")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(checksum, await PlanChecksumAsync());
        var done = await PostPlanAsync(office, id, "Renumber", new() { ["reason"] = "类别调整后按顺序编号" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var landed = parser.ParseDocument(await (await office.FollowedAsync(done)).Content.ReadAsStringAsync(Ct));
        Assert.Contains("已按类别顺序重新编号", landed.QuerySelector("#categories [role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(landed.QuerySelector("#renumber"));
        var after = await OrderAsync();
        Assert.Equal(moved.Select(f => f.Split('/')[2]), after.Select(f => f.Split('/')[2]));
        Assert.Equal(Enumerable.Range(1, after.Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), after.Select(f => f.Split('/')[1]));
        Assert.Null((await PageAsync($"/inspections/{id}/publication")).QuerySelector("#numbers-out-of-order"));
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var entry = await ReadAsync(db => db.AuditEntries.SingleAsync(e => e.Action == Audit.AuditActions.PlanRenumbered && e.ObjectId == key, Ct));
        Assert.Contains("类别调整后按顺序编号", entry.After, StringComparison.Ordinal);
        Assert.Contains($"{moved[0].Split('/')[1]}→1", entry.After, StringComparison.Ordinal);

        // The audit administrator, who reads no rectification content, reads the numbers (they are no wording).
        using (var auditor = await app.SignedInAsync("auditadmin"))
        {
            var log = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri($"/audit?action={Audit.AuditActions.PlanRenumbered}", UriKind.Relative), Ct));
            Assert.Contains("按类别顺序重新编号", log, StringComparison.Ordinal);
            Assert.Contains($"{moved[0].Split('/')[1]}→1", log, StringComparison.Ordinal);
            Assert.DoesNotContain("类别调整后按顺序编号", log, StringComparison.Ordinal);
        }

        // A unit does not renumber the plan.
        using var unitApi = await TokenClientAsync("unit");
        Assert.Equal(HttpStatusCode.Forbidden, (await unitApi.PostAsJsonAsync($"/api/v1/inspections/{app.InspectionId}/renumbering", new { reason = "试试" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task After_adoption_a_finding_or_category_is_corrected_only_with_a_reason_and_a_measure_moves_without_a_new_version()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var finding = await ReadAsync(db => db.Findings.Where(f => f.InspectionId == app.InspectionId).OrderBy(f => f.Number).Select(f => new { f.Id, f.Number, f.Title, f.CategoryId }).FirstAsync(Ct));
        var form = new Dictionary<string, string> { ["findingId"] = $"{finding.Id}", ["categoryId"] = $"{finding.CategoryId}", ["number"] = $"{finding.Number}", ["title"] = finding.Title + "（修订）", ["problemStatement"] = "内部原文" };

        var checksum = await ChecksumAsync();
        var noReason = await PostPlanAsync(office, app.InspectionId, "EditFinding", form);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var page = await BodyAsync(noReason);
        Assert.Contains("调整须说明理由", page[page.IndexOf($"id=\"finding-{finding.Id}\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(checksum, await ChecksumAsync());

        // A number another finding holds is refused with that number named.
        var taken = await PostPlanAsync(office, app.InspectionId, "EditFinding", new(form) { ["number"] = $"{finding.Number + 1}", ["reason"] = "更正" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains($"序号为 {finding.Number + 1} 的问题已存在", await BodyAsync(taken), StringComparison.Ordinal);
        Assert.Equal(checksum, await ChecksumAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, app.InspectionId, "EditFinding", new(form) { ["reason"] = "按党委会意见更正表述" })).StatusCode);
        Assert.Equal(finding.Title + "（修订）", await ReadAsync(db => db.Findings.Where(f => f.Id == finding.Id).Select(f => f.Title).SingleAsync(Ct)));
        var entry = await ReadAsync(db => db.AuditEntries.Where(e => e.Action == Audit.AuditActions.FindingEdited && e.ObjectId == finding.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderByDescending(e => e.Sequence).FirstAsync(Ct));
        Assert.Contains("按党委会意见更正表述", entry.After, StringComparison.Ordinal);
        Assert.Contains(finding.Title, entry.Before, StringComparison.Ordinal);

        // A category, through the API: no reason 400, then saved.
        using var api = await TokenClientAsync("office");
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"/api/v1/categories/{finding.CategoryId}", new { title = "新的类别标题" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/categories/{finding.CategoryId}", new { title = "新的类别标题", reason = "更正" }, Ct)).StatusCode);
        Assert.Equal("新的类别标题", await ReadAsync(db => db.FindingCategories.Where(c => c.Id == finding.CategoryId).Select(c => c.Title).SingleAsync(Ct)));
        using var unitApi = await TokenClientAsync("unit");
        var unitFinding = await ReadAsync(db => db.Measures.Where(m => m.Id == app.UnitMeasuresInProgress[1]).Select(m => m.FindingId).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, (await unitApi.PutAsJsonAsync($"/api/v1/findings/{unitFinding}", new { title = "不该改", reason = "试试" }, Ct)).StatusCode);

        // Moving a measure of the plan in force renumbers it, and is no version.
        var measures = await ReadAsync(db => db.Measures.Where(m => m.FindingId == finding.Id).OrderBy(m => m.Number).Select(m => new { m.Id, m.Number }).ToListAsync(Ct));
        Assert.True(measures.Count > 1, "the seed's first finding has several measures");
        var versions = await ReadAsync(db => db.MeasureRevisions.CountAsync(r => r.Measure.FindingId == finding.Id, Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, app.InspectionId, "Move", new() { ["what"] = "measure", ["itemId"] = $"{measures[1].Id}", ["direction"] = "Up" })).StatusCode);
        Assert.Equal([measures[1].Id, measures[0].Id], await ReadAsync(db => db.Measures.Where(m => m.FindingId == finding.Id).OrderBy(m => m.Number).Select(m => m.Id).Take(2).ToListAsync(Ct)));
        Assert.Equal(versions, await ReadAsync(db => db.MeasureRevisions.CountAsync(r => r.Measure.FindingId == finding.Id, Ct)));
    }

    [Fact]
    public async Task The_inspection_body_registers_an_inspection_of_an_organization_it_oversees_and_only_those()
    {
        app.RequireAvailable();
        using var inspector = await app.SignedInAsync("inspector");
        var form = await inspector.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct);
        Assert.Contains("value=\"市委第七巡察组\"", form, StringComparison.Ordinal);
        var other = await ReadAsync(db => db.Inspections.Where(i => i.Id == app.OtherInspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct));
        Dictionary<string, string> Fields(string title, string organization) => new()
        {
            ["Title"] = title,
            ["Kind"] = "Xuncha",
            ["Team"] = "市委第七巡察组",
            ["InspectedOrganizationId"] = organization,
            ["FeedbackDate"] = "2026-06-15",
        };

        // Not an organization it oversees: refused, nothing written.
        using var office = await app.SignedInAsync("office");
        using var unit = await app.SignedInAsync("unit");
        var checksum = await ChecksumAsync();
        var refused = await inspector.PostFromPageAsync("/inspections/new", "/inspections/new", Fields("越界巡察", $"{other}"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("请从列表中选择被巡察党组织", await BodyAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostFromPageAsync("/inspections/new", "/inspections/new", Fields("他人巡察", $"{other}"))).StatusCode);
        Assert.Equal(checksum, await ChecksumAsync());

        // Other roles do not register inspections at all.
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri("/inspections/new", UriKind.Relative), Ct)).StatusCode);

        // Its own organization is the team: no organization is added.
        var organizations = await ReadAsync(db => db.Organizations.CountAsync(Ct));
        var created = await inspector.PostFromPageAsync("/inspections/new", "/inspections/new", Fields("巡察机构登记的巡察", app.InspectedOrganization));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var inspection = await ReadAsync(db => db.Inspections.Where(i => i.Title == "巡察机构登记的巡察").Select(i => new { i.Id, Body = i.InspectingBody.Name, i.InspectedOrganizationId }).SingleAsync(Ct));
        Assert.Equal(("市委第七巡察组", app.InspectedOrganization), (inspection.Body, inspection.InspectedOrganizationId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(organizations, await ReadAsync(db => db.Organizations.CountAsync(Ct)));

        // The body reads it but does not keep its plan; the inspected organization's office does.
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync(new Uri($"/inspections/{inspection.Id}/plan", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostPlanAsync(inspector, inspection.Id, "Category", new() { ["title"] = "巡察机构不能录入" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, inspection.Id, "Category", new() { ["title"] = "整改办录入的类别" })).StatusCode);
    }

    [Fact]
    public async Task A_title_typed_with_its_number_in_front_keeps_the_number_as_its_order_and_the_title_without_it()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = "序号前缀测试巡察" + app.Provider,
            ["Kind"] = "Xuncha",
            ["Team"] = "序号前缀测试巡察组",
            ["InspectedOrganizationId"] = app.InspectedOrganization,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = await ReadAsync(db => db.Inspections.Where(i => i.Title == "序号前缀测试巡察" + app.Provider).Select(i => i.Id).SingleAsync(Ct));

        // Copied from a Word document: "（三）…" and "一、…" are the 3rd and 1st categories, titled without their numbers;
        // a number already taken ("一、" again) only loses its prefix and goes last; "1.5万元…" is not a number in front.
        foreach (var title in new[] { "（三）作风建设方面", "一、落实全面从严治党主体责任方面", "一、又一个类别", "1.5万元专项资金方面" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Category", new() { ["title"] = title })).StatusCode);
        }

        var categories = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Number + "|" + c.Title).ToListAsync(Ct));
        Assert.Equal(["1|落实全面从严治党主体责任方面", "3|作风建设方面", "4|又一个类别", "5|1.5万元专项资金方面"], categories);

        var third = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id && c.Number == 3).Select(c => c.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "Finding", new() { ["categoryId"] = $"{third}", ["title"] = "2.公务接待不规范" })).StatusCode);
        Assert.Equal("2|公务接待不规范", await ReadAsync(db => db.Findings.Where(f => f.CategoryId == third).Select(f => f.Number + "|" + f.Title).SingleAsync(Ct)));

        // Correcting a title typed so: the number in front is dropped, the category keeps its place.
        Assert.Equal(HttpStatusCode.Redirect, (await PostPlanAsync(office, id, "EditCategory", new() { ["categoryId"] = $"{third}", ["title"] = "三、作风建设和纪律方面" })).StatusCode);
        Assert.Equal("3|作风建设和纪律方面", await ReadAsync(db => db.FindingCategories.Where(c => c.Id == third).Select(c => c.Number + "|" + c.Title).SingleAsync(Ct)));
    }
}

public sealed class PlanStructureTestsOnSqlite(SqliteApp app) : PlanStructureTests(app), IClassFixture<SqliteApp>;

public sealed class PlanStructureTestsOnPostgres(PostgresApp app) : PlanStructureTests(app), IClassFixture<PostgresApp>;
