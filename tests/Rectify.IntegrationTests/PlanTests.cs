using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>An office brings its own inspection in through the pages: registers it, enters the plan, submits it; the first responsible person adopts it; later changes are versions.</summary>
public abstract partial class PlanTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    [Fact]
    public async Task The_office_enters_a_plan_the_first_responsible_person_adopts_it_units_then_see_it_and_a_later_change_is_a_version()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var suffix = app.Provider.ToString();
        Assert.Contains("href=\"/inspections/new\"", await office.GetStringAsync(new Uri("/", UriKind.Relative), Ct), StringComparison.Ordinal);

        // An empty registration names every field it lacks at once.
        var empty = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string> { ["Title"] = string.Empty, ["Team"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("请填写巡察名称、巡察组、被巡察党组织。", await BodyAsync(empty), StringComparison.Ordinal);

        // A refused registration keeps what was typed, with the message inside the form.
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "测试巡察" + suffix,
            ["Kind"] = "Xuncha",
            ["Round"] = "十五届第七轮",
            ["Team"] = string.Empty,
            ["InspectedOrganizationId"] = app.InspectedOrganization,
            ["ExtendedScope"] = "测试社区乙、测试社区丙",
            ["OnSiteFrom"] = "2026-03-01",
            ["OnSiteTo"] = "2026-04-30",
            ["FeedbackDate"] = "2026-06-15",
        };
        var refused = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedPage = await BodyAsync(refused);
        Assert.Contains("请填写巡察组", refusedPage[refusedPage.IndexOf("<form", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("value=\"十五届第七轮\"", refusedPage, StringComparison.Ordinal);

        // A feedback date after today (2099 typed for 2025) is refused, before anything is written.
        fields["Team"] = "测试巡察组" + suffix;
        var today = ChinaTime.Today((TimeProvider?)app.Clock ?? TimeProvider.System);
        fields["FeedbackDate"] = today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var ahead = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.BadRequest, ahead.StatusCode);
        Assert.Contains($"反馈日期（{fields["FeedbackDate"]}）不能晚于今天（{today:yyyy-MM-dd}）", await BodyAsync(ahead), StringComparison.Ordinal);
        Assert.False(await ReadAsync(db => db.Inspections.AnyAsync(i => i.Title == "测试巡察" + suffix, Ct)));

        fields["FeedbackDate"] = "2026-06-15";
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var plan = created.Headers.Location!.OriginalString;
        var id = int.Parse(PlanPathRegex().Match(plan).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var page = await office.GetStringAsync(new Uri(plan, UriKind.Relative), Ct);
        Assert.Contains("测试社区乙、测试社区丙", page, StringComparison.Ordinal); // in the order typed, not sorted
        Assert.Contains("data-plan-state=\"Drafting\"", page, StringComparison.Ordinal);

        Task<HttpResponseMessage> Post(HttpClient client, string handler, Dictionary<string, string> form) =>
            client.PostFromPageAsync($"/inspections/{id}/plan", $"/inspections/{id}/plan?handler={handler}", form);

        var tooLong = await Post(office, "Category", new() { ["title"] = new string('长', 1001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("不能超过 1000 个字", await BodyAsync(tooLong), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Category", new() { ["title"] = "落实主体责任方面" })).StatusCode);
        var categoryId = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).Select(c => c.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Finding", new() { ["categoryId"] = $"{categoryId}", ["title"] = "议事规则执行不严" })).StatusCode);
        var findingId = await ReadAsync(db => db.Findings.Where(f => f.InspectionId == id).Select(f => f.Id).SingleAsync(Ct));

        // A 限期整改 measure without a deadline is refused, the typed text kept in its own form.
        var noDeadline = await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["newLeadUnit"] = "纪检监察办" });
        Assert.Equal(HttpStatusCode.BadRequest, noDeadline.StatusCode);
        var noDeadlinePage = await BodyAsync(noDeadline);
        var form = noDeadlinePage[noDeadlinePage.IndexOf($"id=\"finding-{findingId}\"", StringComparison.Ordinal)..];
        Assert.Contains("限期整改类措施必须有整改时限", form, StringComparison.Ordinal);
        Assert.Contains("修订议事规则</textarea>", form, StringComparison.Ordinal);

        // One lead unit: two names typed there are refused before either is added to the tree.
        var twoLeads = await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["deadline"] = "2026-12-31", ["newLeadUnit"] = "双牵头甲办、双牵头乙办" });
        Assert.Equal(HttpStatusCode.BadRequest, twoLeads.StatusCode);
        Assert.Contains("牵头单位只填一个", await BodyAsync(twoLeads), StringComparison.Ordinal);
        Assert.False(await ReadAsync(db => db.Organizations.AnyAsync(o => o.Name.StartsWith("双牵头"), Ct)));

        // A day that does not exist is refused as such, not taken as "no deadline"; a date typed the Chinese way is read.
        var noSuchDay = await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["deadline"] = "2026-02-30", ["newLeadUnit"] = "纪检监察办" });
        Assert.Equal(HttpStatusCode.BadRequest, noSuchDay.StatusCode);
        var noSuchDayPage = await BodyAsync(noSuchDay);
        var noSuchDayForm = noSuchDayPage[noSuchDayPage.IndexOf($"id=\"finding-{findingId}\"", StringComparison.Ordinal)..];
        Assert.Contains("日期“2026-02-30”不存在：2026 年 2 月只有 28 天。", noSuchDayForm, StringComparison.Ordinal); // beside its form,
        Assert.Contains("修订议事规则</textarea>", noSuchDayForm, StringComparison.Ordinal); // with what was typed,
        var typedDay = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(noSuchDayPage).QuerySelector($"#finding-{findingId} input[name=deadline][value='2026-02-30']");
        Assert.Equal(("text", "true"), (typedDay?.GetAttribute("type"), typedDay?.GetAttribute("aria-invalid"))); // the day too, in view
        Assert.DoesNotContain("限期整改类措施必须有整改时限", noSuchDayPage, StringComparison.Ordinal);
        Assert.False(await ReadAsync(db => db.Measures.AnyAsync(m => m.InspectionId == id, Ct)));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["deadline"] = "2026年12月31日", ["newLeadUnit"] = "纪检监察办", ["newLeader"] = "测试领导（副书记）", ["newSupportingUnits"] = "测试配合办" })).StatusCode);
        Assert.Equal(new DateOnly(2026, 12, 31), await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).Select(m => m.Deadline).SingleAsync(Ct)));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "定期开展学习", ["kind"] = "Ongoing", ["newLeadUnit"] = "纪检监察办" })).StatusCode);
        var measures = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Number).Select(m => new { m.Id, m.Number, Lead = m.LeadUnit!.Name, m.ResponsibleLeaderId }).ToListAsync(Ct));
        Assert.Equal(2, measures.Count);
        Assert.All(measures, m => Assert.Equal("纪检监察办", m.Lead));

        // A unit sees nothing of a draft.
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/measures/{measures[0].Id}", UriKind.Relative), Ct)).StatusCode);

        // The office sees a draft's measure as a draft: no step, no 督办, never 超期; a step sent anyway is refused (409).
        var draftPage = await office.GetStringAsync(new Uri($"/measures/{measures[0].Id}", UriKind.Relative), Ct);
        Assert.Contains("id=\"plan-not-in-force\"", draftPage, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"action\"", draftPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/supervision?measure=", draftPage, StringComparison.Ordinal);
        var early = await office.PostFormAsync($"/measures/{measures[0].Id}?handler=Act", draftPage, new Dictionary<string, string>
        {
            ["action"] = nameof(MeasureAction.Start),
            ["reason"] = string.Empty,
            ["version"] = Regex.Match(draftPage, @"name=""version"" value=""(\d+)""").Groups[1].Value is { Length: > 0 } v ? v : "1",
        });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("整改方案尚未审定实施", await BodyAsync(early), StringComparison.Ordinal);
        Assert.Equal(MeasureState.Planned, await ReadAsync(db => db.Measures.Where(m => m.Id == measures[0].Id).Select(m => m.State).SingleAsync(Ct)));

        // Submitting names what is missing; a bulk setting fills it.
        var incomplete = await Post(office, "Plan", new() { ["planAction"] = "Submit" });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("缺少牵头单位、责任领导或整改时限，不能报审：1.2（缺责任领导）", await BodyAsync(incomplete), StringComparison.Ordinal);
        var leaderId = await ReadAsync(db => db.People.Where(p => p.Name == "测试领导").Select(p => p.Id).FirstAsync(Ct));
        var bulk = new List<KeyValuePair<string, string>> { new("leaderId", $"{leaderId}") };
        bulk.AddRange(measures.Select(m => new KeyValuePair<string, string>("measureIds", $"{m.Id}")));
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync($"/inspections/{id}/plan", $"/inspections/{id}/plan?handler=Bulk", bulk)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Plan", new() { ["planAction"] = "Submit" })).StatusCode);
        Assert.Equal(PlanState.Submitted, await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.PlanState).SingleAsync(Ct)));
        Assert.Equal(HttpStatusCode.Conflict, (await Post(office, "Measure", new() { ["findingId"] = $"{findingId}", ["text"] = "迟到的措施", ["kind"] = "Immediate", ["deadline"] = "2026-12-31" })).StatusCode);

        // Only the first responsible person adopts it, naming the meeting; their 待办 lists it, the office's does not.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(office, "Plan", new() { ["planAction"] = "Approve", ["meetingName"] = "党委会", ["meetingDate"] = "2026-07-01" })).StatusCode);
        using var secretary = await app.SignedInAsync("secretary");
        static async Task<List<string>> ApprovalsAsync(HttpClient client) =>
            [.. new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri("/work", UriKind.Relative), Ct))
                .QuerySelectorAll("table[data-section=approvals] a.row-link").Select(a => a.GetAttribute("href")!)];
        Assert.Contains($"/inspections/{id}/plan", await ApprovalsAsync(secretary));
        Assert.Empty(await ApprovalsAsync(office));
        var noMeeting = await Post(secretary, "Plan", new() { ["planAction"] = "Approve" });
        Assert.Equal(HttpStatusCode.BadRequest, noMeeting.StatusCode);
        Assert.Contains("审定会议", await BodyAsync(noMeeting), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(secretary, "Plan", new() { ["planAction"] = "Approve", ["meetingName"] = "党委会（第 12 次）", ["meetingDate"] = "2026-07-01" })).StatusCode);
        Assert.Equal(PlanState.InForce, await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.PlanState).SingleAsync(Ct)));
        Assert.DoesNotContain($"/inspections/{id}/plan", await ApprovalsAsync(secretary));
        Assert.Equal(2, await ReadAsync(db => db.MeasureRevisions.CountAsync(r => measures.Select(m => m.Id).Contains(r.MeasureId) && r.Kind == MeasureRevisionKind.Approved, Ct)));

        // In force: the unit sees its measures.
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync(new Uri($"/measures/{measures[0].Id}", UriKind.Relative), Ct)).StatusCode);

        // A change now needs a reason and is kept as a version beside the adopted one.
        var edit = $"/measures/{measures[0].Id}/edit";
        var editPage = await office.GetStringAsync(new Uri(edit, UriKind.Relative), Ct);
        var version = VersionRegex().Match(editPage).Groups[1].Value;
        var change = new Dictionary<string, string> { ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["deadline"] = "2027-03-31", ["leaderId"] = $"{leaderId}", ["version"] = version, ["reason"] = string.Empty };
        var noReason = await office.PostFormAsync(edit, editPage, change);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("2027-03-31", await BodyAsync(noReason), StringComparison.Ordinal);
        change["reason"] = "配合上级部署顺延";

        // A deadline that does not exist comes back as typed, in a text field marked invalid, never empty (saving again
        // would clear it): sent again unchanged, it is refused again.
        var editRefused = await office.PostFormAsync(edit, editPage, new Dictionary<string, string>(change) { ["deadline"] = "2027-02-30" });
        Assert.Equal(HttpStatusCode.BadRequest, editRefused.StatusCode);
        var editRefusedForm = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await BodyAsync(editRefused));
        var typedDeadline = editRefusedForm.QuerySelector("input[name=deadline]");
        Assert.Equal(("2027-02-30", "text", "true"), (typedDeadline?.GetAttribute("value"), typedDeadline?.GetAttribute("type"), typedDeadline?.GetAttribute("aria-invalid")));
        Assert.Null(typedDeadline?.GetAttribute("typed-date"));
        Assert.Equal("date", editRefusedForm.QuerySelector("input[name=deadlineFrom]")?.GetAttribute("type"));
        Assert.Contains("2027 年 2 月只有 28 天", editRefusedForm.QuerySelector(".error-box")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFormAsync(edit, editPage, change)).StatusCode);
        var measurePage = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri($"/measures/{measures[0].Id}", UriKind.Relative), Ct));
        var versions = measurePage[measurePage.IndexOf("plan-versions", StringComparison.Ordinal)..];
        Assert.Contains("2026-12-31", versions, StringComparison.Ordinal);
        Assert.Contains("2027-03-31", versions, StringComparison.Ordinal);
        Assert.Contains("配合上级部署顺延", versions, StringComparison.Ordinal);
        Assert.Contains("class=\"nowrap changed\"", versions, StringComparison.Ordinal);

        // The second post from the same (now stale) page is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostFormAsync(edit, editPage, change)).StatusCode);

        var actions = await ReadAsync(db => db.AuditEntries.Where(e => e.ObjectType == "Inspection" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.Action).ToListAsync(Ct));
        Assert.Contains("inspection.create", actions);
        Assert.Contains("plan.submit", actions);
        Assert.Contains("plan.approve", actions);
    }

    [Fact]
    public async Task An_inspection_registered_twice_is_refused_and_an_empty_registration_made_by_mistake_is_deleted_while_one_with_content_is_kept()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var fields = new Dictionary<string, string>
        {
            ["Title"] = "重复登记测试巡察" + suffix,
            ["Kind"] = "Xuncha",
            ["Round"] = "十五届第十轮",
            ["Team"] = "测试巡察组" + suffix,
            ["InspectedOrganizationId"] = app.InspectedOrganization,
            ["FeedbackDate"] = "2026-06-15",
        };
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = int.Parse(PlanPathRegex().Match(created.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The same 党组织, name and round again: refused, naming the first; another round of the same name is another inspection.
        var twice = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains($"已登记过巡察“重复登记测试巡察{suffix}”（十五届第十轮），在“巡察”列表中可以找到它。", await BodyAsync(twice), StringComparison.Ordinal);
        Assert.Equal(1, await ReadAsync(db => db.Inspections.CountAsync(i => i.Title == "重复登记测试巡察" + suffix, Ct)));
        fields["Round"] = "十五届第十一轮";
        var other = await office.PostFromPageAsync("/inspections/new", "/inspections/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        var otherId = int.Parse(PlanPathRegex().Match(other.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // One with a category in it is kept, saying why; the plan page offers no deletion there.
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync($"/inspections/{otherId}/plan", $"/inspections/{otherId}/plan?handler=Category", new Dictionary<string, string> { ["title"] = "落实主体责任方面" })).StatusCode);
        var kept = await office.PostFromPageAsync($"/inspections/{id}/plan", $"/inspections/{otherId}/plan?handler=DeleteRegistration", []);
        Assert.Equal(HttpStatusCode.Conflict, kept.StatusCode);
        Assert.Contains("这次巡察已有问题类别，不能删除", await BodyAsync(kept), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"delete-inspection\"", await office.GetStringAsync(new Uri($"/inspections/{otherId}/plan", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.True(await ReadAsync(db => db.Inspections.AnyAsync(i => i.Id == otherId, Ct)));

        // A unit may not delete; the empty one is deleted by the office, back on the list with the news, and audited.
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.PostFromPageAsync("/work", $"/inspections/{id}/plan?handler=DeleteRegistration", [])).StatusCode);
        Assert.Contains("id=\"delete-inspection\"", await office.GetStringAsync(new Uri($"/inspections/{id}/plan", UriKind.Relative), Ct), StringComparison.Ordinal);
        var deleted = await office.PostFromPageAsync($"/inspections/{id}/plan", $"/inspections/{id}/plan?handler=DeleteRegistration", []);
        Assert.Equal((HttpStatusCode.Redirect, "/#news"), (deleted.StatusCode, deleted.Headers.Location?.OriginalString));
        Assert.Contains($"已删除巡察登记“重复登记测试巡察{suffix}”。", await office.GetStringAsync(new Uri("/", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.False(await ReadAsync(db => db.Inspections.AnyAsync(i => i.Id == id, Ct)));
        Assert.True(await ReadAsync(db => db.AuditEntries.AnyAsync(a => a.Action == Rectify.Audit.AuditActions.InspectionDeleted && a.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/inspections/{id}/plan", UriKind.Relative), Ct)).StatusCode);
    }

    [GeneratedRegex(@"/inspections/(\d+)/plan")]
    private static partial Regex PlanPathRegex();

    [GeneratedRegex(@"name=""version"" value=""(\d+)""")]
    private static partial Regex VersionRegex();
}

public sealed class PlanTestsOnSqlite(SqliteApp app) : PlanTests(app), IClassFixture<SqliteApp>;

public sealed class PlanTestsOnPostgres(PostgresApp app) : PlanTests(app), IClassFixture<PostgresApp>;
