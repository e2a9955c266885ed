using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Registers;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Correcting and withdrawing register entries: a reason each time, a new version each time with the earlier ones
/// kept, withdrawn entries kept but counted nowhere, the stale version refused with 409, every change audited and
/// readable, each entry with its versions on its finding's page, and nothing of it for another organization.
/// </summary>
public abstract class RegisterCorrectionTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Page => $"/inspections/{app.InspectionId}/registers";

    private string ApiPath => $"/api/v1/inspections/{app.InspectionId}/registers";

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "更正测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields) =>
        await client.FollowedAsync(await client.PostFromPageAsync(Page, $"{Page}?handler={handler}", fields));

    private async Task<int> FindingIdAsync(int number)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Findings
            .Where(f => f.InspectionId == app.InspectionId && f.Number == number).Select(f => f.Id).SingleAsync(Ct);
    }

    private async Task<T> InDatabaseAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Http.Json)!;
    }

    /// <summary>The HTML of the form with this id, from its opening tag to its end.</summary>
    private static string Form(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no form {id}");
        return html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task A_correction_needs_a_reason_is_a_new_version_keeps_the_old_one_and_both_show_on_the_findings_page()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var registered = await PostAsync(office, "Outcome", new() { ["kind"] = "MoneyRecovered", ["amount"] = "12.5", ["note"] = "追回多付工程款（更正测试）", ["findings"] = "21" });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var id = await InDatabaseAsync(db => db.Outcomes.Where(o => o.Note == "追回多付工程款（更正测试）").Select(o => o.Id).SingleAsync(Ct));
        var form = $"correct-outcome-{id}";

        // No reason: refused inside the entry's correction form, with what was typed kept; nothing changed.
        var refused = await PostAsync(office, "CorrectOutcome", new() { ["entryId"] = $"{id}", ["version"] = "1", ["kind"] = "MoneyRecovered", ["amount"] = "15", ["note"] = "追回多付工程款（更正测试）", ["findings"] = "21、23", ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
        var inForm = Form(html, form);
        Assert.Contains("更正或撤销登记必须说明理由", inForm, StringComparison.Ordinal);
        Assert.Contains("value=\"15\"", inForm, StringComparison.Ordinal);
        Assert.Contains("value=\"21、23\"", inForm, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("必须说明理由", StringSplitOptions.None).Length - 1);
        var unchanged = await InDatabaseAsync(db => db.Outcomes.Where(o => o.Id == id).Select(o => new { o.Version, o.Amount }).SingleAsync(Ct));
        Assert.Equal((1, 12.5m), (unchanged.Version, unchanged.Amount));

        // A correction that changes nothing is no new version either.
        var same = await PostAsync(office, "CorrectOutcome", new() { ["entryId"] = $"{id}", ["version"] = "1", ["kind"] = "MoneyRecovered", ["amount"] = "12.50", ["note"] = "追回多付工程款（更正测试）", ["findings"] = "21", ["reason"] = "核对" });
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Contains("与第 1 版相同", await same.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var corrected = await PostAsync(office, "CorrectOutcome", new() { ["entryId"] = $"{id}", ["version"] = "1", ["kind"] = "MoneyRecovered", ["amount"] = "15", ["note"] = "追回多付工程款（更正测试）", ["findings"] = "21、23", ["reason"] = "审计复核后金额更正" });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Contains("现为第 2 版", await corrected.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The entry is at version 2; version 1 is kept as it stood, with who made it.
        var (version, amount, kept) = await InDatabaseAsync(async db =>
        {
            var entry = await db.Outcomes.Include(o => o.Revisions).SingleAsync(o => o.Id == id, Ct);
            return (entry.Version, entry.Amount, entry.Revisions.ToList());
        });
        Assert.Equal((2, 15m), (version, amount));
        var first = Assert.Single(kept);
        Assert.Equal(1, first.Version);
        Assert.Equal(12.5m, RegisterRevision.Read<OutcomeFacts>(first.Values).Amount);
        Assert.Equal("整改办（演示）", first.RecordedByName);

        // Each finding it answers shows it with its versions: the reason, and the old amount under the earlier versions.
        foreach (var number in new[] { 21, 23 })
        {
            var page = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/findings/{await FindingIdAsync(number)}", UriKind.Relative), Ct));
            var card = page[page.IndexOf($"id=\"outcome-{id}\"", StringComparison.Ordinal)..];
            Assert.Contains("挽回经济损失（万元） 15", card, StringComparison.Ordinal);
            Assert.Contains("第 2 版", card, StringComparison.Ordinal);
            Assert.Contains("审计复核后金额更正", card, StringComparison.Ordinal);
            Assert.Contains("此前的版本（1）", card, StringComparison.Ordinal);
            Assert.Contains("挽回经济损失（万元） 12.5", card, StringComparison.Ordinal);
        }

        // The audit log has it, in words: the version, the amount before and after, the findings, that a reason was given.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var record = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries
                .Where(e => e.Action == AuditActions.RegisterEntryCorrected && e.ObjectType == "Outcome" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).SingleAsync(Ct);
            Assert.Contains("\"amount\":12.5", record.Before, StringComparison.Ordinal);
            Assert.Contains("\"amount\":15", record.After, StringComparison.Ordinal);
        }

        using var auditor = await app.SignedInAsync("auditadmin");
        var log = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/audit?action=" + AuditActions.RegisterEntryCorrected, UriKind.Relative), Ct));
        Assert.Contains(">更正登记</td>", log, StringComparison.Ordinal);
        Assert.Contains("整改成效：挽回经济损失（万元）", log, StringComparison.Ordinal);
        Assert.Contains("版本: 1 → 2", log, StringComparison.Ordinal);
        Assert.Contains("数量: 12.5 → 15", log, StringComparison.Ordinal);
        Assert.Contains("对应问题: 21 → 21、23", log, StringComparison.Ordinal);
        // The reason is the office's words: the audit administrator (三员) reads that there is one, not what it says.
        Assert.Contains("理由: " + Rectify.Features.Audit.AuditContent.Hidden, log, StringComparison.Ordinal);
        Assert.DoesNotContain("审计复核后金额更正", log, StringComparison.Ordinal);
        var home = await auditor.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, (await auditor.PostFormAsync("/Account/Language", home, new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/audit" })).StatusCode);
        log = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/audit?action=" + AuditActions.RegisterEntryCorrected, UriKind.Relative), Ct));
        Assert.Contains(">Register entry corrected</td>", log, StringComparison.Ordinal);
        Assert.Contains("Version: 1 → 2", log, StringComparison.Ordinal);
        Assert.Contains("Amount: 12.5 → 15", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withdrawn_entry_is_kept_and_marked_counted_nowhere_and_changed_no_more()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var before = (await office.GetFromJsonAsync<RegistersView>(ApiPath, Http.Json, Ct))!;
        var kept = await ReadAsync<WriteResult>(await office.PostAsJsonAsync(ApiPath + "/outcomes", new NewOutcome(OutcomeKind.PeopleHandled, 4, "处理人员（撤销测试，保留）", [13]), Ct), HttpStatusCode.Created);
        var wrong = await ReadAsync<WriteResult>(await office.PostAsJsonAsync(ApiPath + "/outcomes", new NewOutcome(OutcomeKind.PeopleHandled, 3, "处理人员（撤销测试，重复登记）", [13]), Ct), HttpStatusCode.Created);
        var rule = await ReadAsync<WriteResult>(await office.PostAsJsonAsync(ApiPath + "/institutions", new NewInstitution("重复登记的制度（撤销测试）", "万江街道党工委", null, new DateOnly(2025, 3, 1), [13]), Ct), HttpStatusCode.Created);
        decimal People(RegistersView v) => v.Totals.Outcomes.Single(t => t.Kind == OutcomeKind.PeopleHandled).Amount;
        var both = (await office.GetFromJsonAsync<RegistersView>(ApiPath, Http.Json, Ct))!;
        Assert.Equal(People(before) + 7, People(both));
        Assert.Equal(before.Totals.Institutions + 1, both.Totals.Institutions);

        // Withdrawing needs the version and a reason.
        var withdraw = $"{ApiPath}/outcomes/{wrong.Id}/withdrawal";
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(withdraw, new Withdrawal(1, ""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(withdraw, new Withdrawal(null, "重复登记"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"{ApiPath}/rules/{wrong.Id}/withdrawal", new Withdrawal(1, "重复登记"), Ct)).StatusCode);
        var done = await ReadAsync<WriteResult>(await office.PostAsJsonAsync(withdraw, new Withdrawal(1, "与另一条重复登记"), Ct), HttpStatusCode.OK);
        Assert.Contains("不再计入合计", done.Message, StringComparison.Ordinal);
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"{ApiPath}/institutions/{rule.Id}/withdrawal", new Withdrawal(1, "制度登记重复"), Ct), HttpStatusCode.OK);

        // Kept apart, marked, with its versions; the totals count only what is in force.
        var after = (await office.GetFromJsonAsync<RegistersView>(ApiPath, Http.Json, Ct))!;
        Assert.Equal(People(before) + 4, People(after));
        Assert.Equal(before.Totals.Institutions, after.Totals.Institutions);
        Assert.DoesNotContain(after.Outcomes, o => o.Id == wrong.Id);
        Assert.Contains(after.Outcomes, o => o.Id == kept.Id);
        var gone = Assert.Single(after.Withdrawn.Outcomes, o => o.Id == wrong.Id);
        Assert.True(gone.Withdrawn);
        Assert.Equal((2, "与另一条重复登记", 3m), (gone.Version, gone.Reason, gone.Amount));
        Assert.Equal(1, Assert.Single(gone.EarlierVersions).Version);
        Assert.Contains(after.Withdrawn.Institutions, i => i.Id == rule.Id);

        // A withdrawn entry is changed no more.
        var again = await office.PostAsJsonAsync($"{ApiPath}/outcomes/{wrong.Id}/corrections", new OutcomeCorrection(2, "恢复", OutcomeKind.PeopleHandled, 3, null, [13]), Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已撤销", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync(withdraw, new Withdrawal(2, "再撤销"), Ct)).StatusCode);

        // The page shows it among the withdrawn, without forms to change it; the finding's page marks it.
        using var leader = await app.SignedInAsync("leader");
        var page = WebUtility.HtmlDecode(await leader.GetStringAsync(new Uri(Page, UriKind.Relative), Ct));
        var withdrawn = page[page.IndexOf("data-register=\"withdrawn\"", StringComparison.Ordinal)..];
        Assert.Contains("处理人员（撤销测试，重复登记）", withdrawn, StringComparison.Ordinal);
        Assert.Contains("重复登记的制度（撤销测试）", withdrawn, StringComparison.Ordinal);
        Assert.DoesNotContain("处理人员（撤销测试，保留）", withdrawn, StringComparison.Ordinal);
        var totals = page[page.IndexOf("id=\"register-totals\"", StringComparison.Ordinal)..];
        Assert.Contains($"处理人数 {People(after).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}", totals[..totals.IndexOf("</p>", StringComparison.Ordinal)], StringComparison.Ordinal);
        using var officePage = await app.SignedInAsync("office");
        Assert.DoesNotContain($"correct-outcome-{wrong.Id}", await officePage.GetStringAsync(new Uri(Page, UriKind.Relative), Ct), StringComparison.Ordinal);
        var finding = WebUtility.HtmlDecode(await leader.GetStringAsync(new Uri($"/findings/{await FindingIdAsync(13)}", UriKind.Relative), Ct));
        var card = finding[finding.IndexOf($"id=\"outcome-{wrong.Id}\"", StringComparison.Ordinal)..];
        Assert.Contains("已撤销", card[..card.IndexOf("</div>", StringComparison.Ordinal)], StringComparison.Ordinal);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var record = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries
            .Where(e => e.Action == AuditActions.RegisterEntryWithdrawn && e.ObjectType == "Outcome" && e.ObjectId == wrong.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).SingleAsync(Ct);
        Assert.Contains("与另一条重复登记", record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_people_correcting_the_same_entry_at_once_one_wins_and_the_other_is_told_with_409()
    {
        app.RequireAvailable();
        using var first = await TokenClientAsync("office");
        using var second = await TokenClientAsync("office");
        var entry = await ReadAsync<WriteResult>(
            await first.PostAsJsonAsync(ApiPath + "/institutions", new NewInstitution("工程变更管理办法（并发测试）", "万江街道党工委", "万江党工委〔2025〕20号", new DateOnly(2025, 4, 1), [22]), Ct), HttpStatusCode.Created);
        var path = $"{ApiPath}/institutions/{entry.Id}/corrections";

        var answers = await Task.WhenAll(
            first.PostAsJsonAsync(path, new InstitutionCorrection(1, "文号有误", "工程变更管理办法（并发测试）", "万江街道党工委", "万江党工委〔2025〕21号", new DateOnly(2025, 4, 1), [22]), Ct),
            second.PostAsJsonAsync(path, new InstitutionCorrection(1, "日期有误", "工程变更管理办法（并发测试）", "万江街道党工委", "万江党工委〔2025〕20号", new DateOnly(2025, 4, 2), [22]), Ct));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);
        Assert.Contains("他人更正或撤销", await loser.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Exactly one new version; the loser's values are nowhere.
        var (version, revisions) = await InDatabaseAsync(async db =>
        {
            var row = await db.Institutions.Include(i => i.Revisions).SingleAsync(i => i.Id == entry.Id, Ct);
            return (row.Version, row.Revisions.Count);
        });
        Assert.Equal((2, 1), (version, revisions));

        // On the page, the stale version is refused inside that entry's form, with what was typed kept.
        using var office = await app.SignedInAsync("office");
        var stale = await PostAsync(office, "CorrectInstitution", new()
        {
            ["entryId"] = $"{entry.Id}", ["version"] = "1", ["name"] = "工程变更管理办法（并发测试）", ["issuer"] = "万江街道党工委", ["documentNumber"] = "万江党工委〔2025〕22号", ["issuedOn"] = "2025-04-03", ["findings"] = "22", ["reason"] = "又一处更正",
        });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var form = Form(WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync(Ct)), $"correct-institution-{entry.Id}");
        Assert.Contains("现为第 2 版，您看到的是第 1 版", form, StringComparison.Ordinal);
        Assert.Contains("value=\"万江党工委〔2025〕22号\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"2025-04-03\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"又一处更正\"", form, StringComparison.Ordinal);
        Assert.Equal(2, await InDatabaseAsync(db => db.Institutions.Where(i => i.Id == entry.Id).Select(i => i.Version).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Only_the_keeper_of_a_register_corrects_it_and_another_organization_does_not_learn_the_entry_exists()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var entry = await ReadAsync<WriteResult>(
            await office.PostAsJsonAsync(ApiPath + "/outcomes", new NewOutcome(OutcomeKind.MeetingsHeld, 2, "专题会议（范围测试）", [22]), Ct), HttpStatusCode.Created);
        var correction = new OutcomeCorrection(1, "次数有误", OutcomeKind.MeetingsHeld, 3, "专题会议（范围测试）", [22]);

        // The leader reads it but may not correct it; the discipline officer may keep leads only.
        using var leader = await TokenClientAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"{ApiPath}/outcomes/{entry.Id}/corrections", correction, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"{ApiPath}/outcomes/{entry.Id}/withdrawal", new Withdrawal(1, "x"), Ct)).StatusCode);
        using var leaderPage = await app.SignedInAsync("leader");
        var read = await leaderPage.GetStringAsync(new Uri(Page, UriKind.Relative), Ct);
        Assert.Contains("专题会议（范围测试）", read, StringComparison.Ordinal);
        Assert.DoesNotContain($"correct-outcome-{entry.Id}", read, StringComparison.Ordinal);

        // The office of another city: the entry, its inspection and its finding are not there for it.
        var stranger = "other-office-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var otherOrganization = await db.Inspections.Where(i => i.Id == app.OtherInspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct);
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(stranger, "另一市整改办", otherOrganization.ToString(System.Globalization.CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        }

        using var other = await TokenClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"{ApiPath}/outcomes/{entry.Id}/corrections", correction, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"{ApiPath}/outcomes/{entry.Id}/withdrawal", new Withdrawal(1, "x"), Ct)).StatusCode);

        // Nor through its own inspection's address: an entry answers only under the inspection it belongs to.
        var ownPath = $"/api/v1/inspections/{app.OtherInspectionId}/registers";
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"{ownPath}/outcomes/{entry.Id}/corrections", correction, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"{ownPath}/outcomes/{entry.Id}/corrections", correction, Ct)).StatusCode);
        using var otherPage = await app.SignedInAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await otherPage.GetAsync(new Uri($"/findings/{await FindingIdAsync(22)}", UriKind.Relative), Ct)).StatusCode);
        var page = await otherPage.GetStringAsync(new Uri($"/inspections/{app.OtherInspectionId}/registers", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await otherPage.PostFormAsync($"{Page}?handler=CorrectOutcome", page, new Dictionary<string, string>
        {
            ["entryId"] = $"{entry.Id}", ["version"] = "1", ["kind"] = "MeetingsHeld", ["amount"] = "3", ["findings"] = "22", ["reason"] = "越权",
        })).StatusCode);
        Assert.Equal(1, await InDatabaseAsync(db => db.Outcomes.Where(o => o.Id == entry.Id).Select(o => o.Version).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Leads_are_corrected_by_the_discipline_officer_only_and_their_audit_record_keeps_the_content_out()
    {
        app.RequireAvailable();
        var officerName = "jjjc-fix-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(officerName, "纪检监察（更正）", app.InspectedOrganization, [Roles.DisciplineOfficer], app.Password, Ct, initialPassword: false);
        }

        using var officer = await TokenClientAsync(officerName);
        var lead = await ReadAsync<WriteResult>(await officer.PostAsJsonAsync(ApiPath + "/leads", new NewLead("某工程款支付线索（更正测试）", LeadStatus.HandedOver, null, [13]), Ct), HttpStatusCode.Created);
        var correction = new LeadCorrection(1, "核查后立案审查", "某工程款支付线索（更正测试）", LeadStatus.UnderReview, "立案审查 1 人", [13]);
        using var office = await TokenClientAsync("office");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"{ApiPath}/leads/{lead.Id}/corrections", correction, Ct)).StatusCode);
        await ReadAsync<WriteResult>(await officer.PostAsJsonAsync($"{ApiPath}/leads/{lead.Id}/corrections", correction, Ct), HttpStatusCode.OK);

        var view = (await officer.GetFromJsonAsync<RegistersView>(ApiPath, Http.Json, Ct))!;
        var current = Assert.Single(view.Leads!, l => l.Id == lead.Id);
        Assert.Equal((2, LeadStatus.UnderReview, LeadStatus.HandedOver), (current.Version, current.Status, Assert.Single(current.EarlierVersions).Status));

        // Others never see the lead or its versions, on the finding's page or anywhere.
        using var officePage = await app.SignedInAsync("office");
        var finding = await officePage.GetStringAsync(new Uri($"/findings/{await FindingIdAsync(13)}", UriKind.Relative), Ct);
        Assert.DoesNotContain("某工程款支付线索", finding, StringComparison.Ordinal);
        Assert.DoesNotContain($"lead-{lead.Id}", finding, StringComparison.Ordinal);
        using var officerPage = await app.SignedInAsync(officerName);
        Assert.Contains("某工程款支付线索（更正测试）", await officerPage.GetStringAsync(new Uri($"/findings/{await FindingIdAsync(13)}", UriKind.Relative), Ct), StringComparison.Ordinal);

        await using var scope2 = app.Factory.Services.CreateAsyncScope();
        var record = await scope2.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries
            .Where(e => e.Action == AuditActions.RegisterEntryCorrected && e.ObjectType == "Lead" && e.ObjectId == lead.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).SingleAsync(Ct);
        Assert.DoesNotContain("某工程款", record.Before + record.After, StringComparison.Ordinal);
        Assert.DoesNotContain("立案审查", record.Before + record.After, StringComparison.Ordinal);
        Assert.Contains("\"version\":2", record.After, StringComparison.Ordinal);
    }
}

public sealed class RegisterCorrectionTestsOnSqlite(SqliteApp app) : RegisterCorrectionTests(app), IClassFixture<SqliteApp>;

public sealed class RegisterCorrectionTestsOnPostgres(PostgresApp app) : RegisterCorrectionTests(app), IClassFixture<PostgresApp>;
