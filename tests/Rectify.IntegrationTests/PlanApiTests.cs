using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Measures;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The plan through the API, as another system (or a script) brings its own inspection in with personal tokens:
/// the same operations and rules as the plan pages, answered as JSON and problem+json.
/// </summary>
public abstract class PlanApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "方案接口测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    /// <summary>An organization saved with its path (the id comes first, then the path built from it).</summary>
    private static async Task<Organization> AddOrganizationAsync(RectifyDbContext db, string name, OrganizationKind kind, Organization? parent)
    {
        var organization = new Organization(name, kind, parent);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(Ct);
        organization.AssignPath();
        await db.SaveChangesAsync(Ct);
        return organization;
    }

    /// <summary>The plan's tables (each request with a token is itself audited, so the audit trail is left out).</summary>
    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync() =>
        ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables.Except([typeof(AuditEntry), typeof(AuditHead)]).Append(typeof(PlanTransition)), Ct));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body) =>
        client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, Http.Json, Ct);

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string json)
    {
        var content = new StringContent(json, Encoding.UTF8, "application/json");
        return client.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    private static async Task<WriteResult> WrittenAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.RequestUri}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<WriteResult>(Http.Json, Ct))!;
    }

    /// <summary>A refusal: its status, as problem+json, with the words that say why.</summary>
    private static async Task RefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string? says = null)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (says is not null)
        {
            using var problem = JsonDocument.Parse(body);
            Assert.Contains(says, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<PlanApiPage> PlanAsync(HttpClient client, int inspection, string query = "")
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{inspection}/plan{query}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PlanApiPage>(Http.Json, Ct))!;
    }

    private static IEnumerable<PlanApiMeasure> Measures(PlanApiPage plan) => plan.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures);

    [Fact]
    public async Task An_office_names_only_a_team_that_oversees_it_and_can_correct_the_team_it_typed()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var suffix = app.Provider.ToString();
        var inspected = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture);

        // An inspection office of another city's tree, and the demo's own team (it hangs under the city committee above
        // the inspected organization, so it oversees it).
        var foreign = await ReadAsync(async db =>
        {
            var committee = await AddOrganizationAsync(db, "外市委员会" + suffix, OrganizationKind.PartyCommittee, null);
            return (await AddOrganizationAsync(db, "外市巡察办" + suffix, OrganizationKind.InspectionOffice, committee)).Id;
        });
        var (ownTeam, ownTeamName, parent) = await ReadAsync(async db =>
        {
            var i = await db.Inspections.Include(x => x.InspectingBody).Include(x => x.InspectedOrganization).Where(x => x.InspectedOrganizationId == inspected).OrderBy(x => x.Id).FirstAsync(Ct);
            return (i.InspectingBodyId, i.InspectingBody.Name, i.InspectedOrganization.ParentId);
        });

        var told = new List<string?>();
        async Task<(int Id, int Body, int? BodyParent)> RegisterAsync(string title, string team)
        {
            var written = await WrittenAsync(await PostAsync(office, "/api/v1/inspections", new { title = title + suffix, team, inspectedOrganizationId = inspected }), HttpStatusCode.Created);
            told.Add(written.Message);
            var id = written.Id!.Value;
            return await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => new ValueTuple<int, int, int?>(i.Id, i.InspectingBodyId, i.InspectingBody.ParentId)).SingleAsync(Ct));
        }

        // Another tree's body is not handed the inspection by its name: a new team of that name is added beside the
        // inspected organization instead.
        var typedForeign = await RegisterAsync("点名外市巡察办", "外市巡察办" + suffix);
        Assert.NotEqual(foreign, typedForeign.Body);
        Assert.Equal(parent, typedForeign.BodyParent);

        // Named again, the team added then is the one named: not a second of the same name for each registration.
        var typedAgain = await RegisterAsync("再次点名外市巡察办", "外市巡察办" + suffix);
        Assert.Equal(typedForeign.Body, typedAgain.Body);
        Assert.DoesNotContain("已新增这个巡察组", told[^1], StringComparison.Ordinal);
        told.RemoveAt(told.Count - 1);

        // The team that oversees it is found by its name, and no second one is made.
        var typedOwn = await RegisterAsync("点名本市巡察组", ownTeamName);
        Assert.Equal(ownTeam, typedOwn.Body);

        // The office is told when a team was added, and what the administrator does if it meant an existing one; it learns
        // nothing of the other tree.
        Assert.Contains("已新增这个巡察组", told[0], StringComparison.Ordinal);
        Assert.DoesNotContain("外市委员会", told[0], StringComparison.Ordinal);
        Assert.DoesNotContain("已新增这个巡察组", told[1], StringComparison.Ordinal);
        var teams = await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == ownTeamName, Ct));

        // A team is found by its 简称 too (an office types the short form); another tree's body still is not.
        var shortName = "本市简称组" + suffix;
        await ReadAsync(async db =>
        {
            var team = await db.Organizations.SingleAsync(o => o.Id == ownTeam, Ct);
            team.Rename(team.Name, shortName);
            var other = await db.Organizations.SingleAsync(o => o.Id == foreign, Ct);
            other.Rename(other.Name, "外市简称办" + suffix);
            return await db.SaveChangesAsync(Ct);
        });
        var byShortName = await RegisterAsync("简称点名本市巡察组", shortName);
        Assert.Equal(ownTeam, byShortName.Body);
        Assert.DoesNotContain("已新增这个巡察组", told[^1], StringComparison.Ordinal);
        Assert.NotEqual(foreign, (await RegisterAsync("简称点名外市巡察办", "外市简称办" + suffix)).Body);

        // 登记巡察 suggests the teams that oversee what the office may register, and none of another tree.
        await ReadAsync(async db => (await AddOrganizationAsync(db, "外市第一巡察组" + suffix, OrganizationKind.InspectionTeam, await db.Organizations.SingleAsync(o => o.Id == foreign, Ct))).Id);
        using (var page = await app.SignedInAsync("office"))
        {
            var form = await page.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct);
            var suggested = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(form).QuerySelectorAll("datalist#known-teams option").Select(o => o.GetAttribute("value")).ToList();
            Assert.Contains(ownTeamName, suggested);
            Assert.DoesNotContain("外市第一巡察组" + suffix, suggested);
        }

        // A team typed wrongly is corrected on the description, by the same rule; leaving it out keeps it.
        await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{typedForeign.Id}/description", new { title = "点名外市巡察办" + suffix, team = ownTeamName }), HttpStatusCode.OK);
        Assert.Equal(ownTeamName, (await PlanAsync(office, typedForeign.Id)).Inspection.Team);
        Assert.Equal(ownTeam, await ReadAsync(db => db.Inspections.Where(i => i.Id == typedForeign.Id).Select(i => i.InspectingBodyId).SingleAsync(Ct)));
        await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{typedForeign.Id}/description", new { title = "点名外市巡察办" + suffix }), HttpStatusCode.OK);
        Assert.Equal(ownTeamName, (await PlanAsync(office, typedForeign.Id)).Inspection.Team);
        Assert.Equal(teams, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == ownTeamName, Ct)));
        var described = await ReadAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.InspectionDescribed && e.ObjectId == typedForeign.Id.ToString(CultureInfo.InvariantCulture)).CountAsync(Ct));
        Assert.Equal(2, described);

        // Now the demo's inspector reads it: the office cannot take it away by renaming the team (attack F1), nor type
        // a name that reads as another (a bidi override).
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{typedForeign.Id}/description", new { title = "点名外市巡察办" + suffix, team = "另起的巡察组" + suffix }), HttpStatusCode.BadRequest, "已有账号查看本次巡察");
        Assert.Equal(ownTeam, await ReadAsync(db => db.Inspections.Where(i => i.Id == typedForeign.Id).Select(i => i.InspectingBodyId).SingleAsync(Ct)));
        await RefusedAsync(await PostAsync(office, "/api/v1/inspections", new { title = "控制字符" + suffix, team = "县委第一巡察组\u202e3", inspectedOrganizationId = inspected }), HttpStatusCode.BadRequest, "不可见的控制字符");

        // Two overseeing teams of one name: the one an inspection body's account reads through wins over an older one that
        // nobody does (a decoy an office added first does not capture later inspections).
        var (decoy, real) = await ReadAsync(async db =>
        {
            var committee = await db.Organizations.SingleAsync(o => o.Id == parent, Ct);
            var first = await AddOrganizationAsync(db, "同名巡察组" + suffix, OrganizationKind.InspectionTeam, committee);
            var office = await AddOrganizationAsync(db, "同名巡察办" + suffix, OrganizationKind.InspectionOffice, committee);
            var second = await AddOrganizationAsync(db, "同名巡察组" + suffix, OrganizationKind.InspectionTeam, office);
            return (first.Id, second.Id);
        });
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("same-name-body-" + suffix, "同名巡察组组长", real.ToString(CultureInfo.InvariantCulture), [Roles.InspectionBody], app.Password, Ct, initialPassword: false);
        }

        var named = await RegisterAsync("点名同名巡察组", "同名巡察组" + suffix);
        Assert.Equal(real, named.Body);
        Assert.NotEqual(decoy, named.Body);
    }

    [Fact]
    public async Task A_draft_plans_past_deadline_is_not_yet_overdue_on_the_work_list_and_the_overview_says_its_red_is_provisional()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var suffix = app.Provider.ToString();
        var id = (await WrittenAsync(await PostAsync(office, "/api/v1/inspections", new { title = "草拟中的方案" + suffix, team = "草拟巡察组" + suffix, inspectedOrganizationId = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture) }), HttpStatusCode.Created)).Id!.Value;
        var category = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/categories", new { title = "草拟类别" }), HttpStatusCode.Created)).Id!.Value;
        var finding = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/findings", new { categoryId = category, title = "草拟问题" }), HttpStatusCode.Created)).Id!.Value;
        var measure = (await WrittenAsync(await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "时限已过的草拟措施", kind = "TimeBound", deadline = Today.AddDays(-10), leadUnit = "纪检监察办" }), HttpStatusCode.Created)).Id!.Value;

        using var page = await app.SignedInAsync("office");
        var work = await page.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        var overdue = System.Text.RegularExpressions.Regex.Match(work, "data-section=\"overdue\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotContain($"href=\"/measures/{measure}\"", overdue, StringComparison.Ordinal);

        var overview = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await page.GetStringAsync(new Uri($"/inspections/{id}/overview", UriKind.Relative), Ct));
        Assert.StartsWith("整改方案尚未审定", overview.QuerySelector("#plan-not-in-force")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("plan-not-in-force", await page.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The ledger says so too, and not for a plan in force.
        var ledger = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await page.GetStringAsync(new Uri($"/inspections/{id}", UriKind.Relative), Ct));
        Assert.StartsWith("整改方案尚未审定", ledger.QuerySelector("#plan-not-in-force")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("plan-not-in-force", await page.GetStringAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The API's overview says the same by the plan's state.
        Assert.Equal(PlanState.Drafting, (await office.GetFromJsonAsync<Rectify.Features.Inspections.InspectionOverview>(new Uri($"/api/v1/inspections/{id}/overview", UriKind.Relative), Http.Json, Ct))!.Inspection.PlanState);
        Assert.Equal(PlanState.InForce, (await office.GetFromJsonAsync<Rectify.Features.Inspections.InspectionOverview>(new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative), Http.Json, Ct))!.Inspection.PlanState);
    }

    [Fact]
    public async Task A_measure_added_without_a_kind_is_time_bound_and_marked_as_assumed_until_someone_states_it()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var suffix = app.Provider.ToString();
        var id = (await WrittenAsync(await PostAsync(office, "/api/v1/inspections", new { title = "未写类型的措施" + suffix, team = "类型巡察组" + suffix, inspectedOrganizationId = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture) }), HttpStatusCode.Created)).Id!.Value;
        var category = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/categories", new { title = "类型类别" }), HttpStatusCode.Created)).Id!.Value;
        var finding = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/findings", new { categoryId = category, title = "类型问题" }), HttpStatusCode.Created)).Id!.Value;
        await WrittenAsync(await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "没有写整改类型的措施", deadline = Today.AddDays(30), leadUnit = "纪检监察办" }), HttpStatusCode.Created);
        await WrittenAsync(await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "写明长期坚持的措施", kind = "Ongoing", leadUnit = "纪检监察办" }), HttpStatusCode.Created);

        var measures = Measures(await PlanAsync(office, id)).ToList();
        Assert.Equal((MeasureKind.TimeBound, AssumedFields.Kind), (measures[0].Kind, measures[0].Assumed));
        Assert.Equal((MeasureKind.Ongoing, AssumedFields.None), (measures[1].Kind, measures[1].Assumed));
    }

    [Fact]
    public async Task An_office_brings_its_own_inspection_in_through_the_api_the_first_responsible_person_adopts_it_and_a_later_change_is_a_version()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        using var secretary = await TokenClientAsync("secretary");
        var suffix = app.Provider.ToString();
        var feedback = Today.AddDays(-60);
        var inspection = new Dictionary<string, object?>
        {
            ["title"] = "接口巡察" + suffix,
            ["kind"] = "Xuncha",
            ["round"] = "十五届第八轮",
            ["inspectedOrganizationId"] = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture),
            ["extendedScope"] = new[] { "接口社区甲" + suffix, "接口社区乙" + suffix },
            ["onSiteFrom"] = feedback.AddDays(-90),
            ["onSiteTo"] = feedback.AddDays(-30),
            ["feedbackDate"] = feedback,
        };

        // Without a team nothing is registered.
        var before = await ChecksumAsync();
        await RefusedAsync(await PostAsync(office, "/api/v1/inspections", inspection), HttpStatusCode.BadRequest, "请填写巡察组");
        Assert.Equal(before, await ChecksumAsync());

        inspection["team"] = "接口巡察组" + suffix;
        var createdResponse = await PostAsync(office, "/api/v1/inspections", inspection);
        var created = await WrittenAsync(createdResponse, HttpStatusCode.Created);
        var id = created.Id!.Value;

        // The 下延单位 the tree did not have are added, and the office is told which, where and as what.
        Assert.Contains($"组织机构中没有的下延单位已新增", created.Message, StringComparison.Ordinal);
        Assert.Contains($"接口社区甲{suffix}、接口社区乙{suffix}", created.Message, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/inspections/{id}/plan", createdResponse.Headers.Location!.OriginalString);
        var plan = await PlanAsync(office, id);
        Assert.Equal(("十五届第八轮", "接口巡察组" + suffix, feedback, PlanState.Drafting), (plan.Inspection.Round, plan.Inspection.Team, plan.Inspection.FeedbackDate, plan.Inspection.PlanState));
        Assert.Equal(["接口社区甲" + suffix, "接口社区乙" + suffix], plan.Inspection.ExtendedScope.Order(StringComparer.Ordinal).Reverse());
        Assert.Empty(plan.Categories);

        // The description is changed in full; a third community is added beside the two.
        var described = await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/description", new { title = "接口巡察（修改）" + suffix, kind = "Xuncha", round = "十五届第八轮", extendedScope = new[] { "接口社区丙" + suffix, "接口社区甲" + suffix }, feedbackDate = feedback }), HttpStatusCode.OK);
        Assert.Contains($"已新增在", described.Message, StringComparison.Ordinal);
        Assert.Contains($"接口社区丙{suffix}。", described.Message, StringComparison.Ordinal);
        plan = await PlanAsync(office, id);
        Assert.Equal("接口巡察（修改）" + suffix, plan.Inspection.Title);
        Assert.Equal(3, plan.Inspection.ExtendedScope.Count);

        // A 下延单位 entered by mistake comes off again by name (the unit stays in the tree).
        await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/description", new { title = "接口巡察（修改）" + suffix, kind = "Xuncha", round = "十五届第八轮", feedbackDate = feedback, removedExtendedScope = new[] { "接口社区甲" + suffix } }), HttpStatusCode.OK);
        Assert.Equal(["接口社区丙" + suffix, "接口社区乙" + suffix], (await PlanAsync(office, id)).Inspection.ExtendedScope.Order(StringComparer.Ordinal));
        Assert.True(await ReadAsync(db => db.Organizations.AnyAsync(o => o.Name == "接口社区甲" + suffix, Ct)));
        Assert.Null(plan.Inspection.OnSiteFrom);

        // Categories, findings and measures, with the leader and units named as the office knows them.
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{id}/categories", new { title = new string('长', 1001) }), HttpStatusCode.BadRequest, "不能超过 1000 个字");
        var category = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/categories", new { title = "落实主体责任方面" }), HttpStatusCode.Created)).Id!.Value;
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{id}/findings", new { title = "没有类别的问题" }), HttpStatusCode.BadRequest, "问题类别");
        var finding = (await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/findings", new { categoryId = category, title = "议事规则执行不严", problemStatement = "反馈原文" }), HttpStatusCode.Created)).Id!.Value;

        // A 限期整改 measure without a deadline is refused, and the unit it named is not left behind.
        before = await ChecksumAsync();
        await RefusedAsync(
            await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "修订议事规则", kind = "TimeBound", leadUnit = "接口新单位" + suffix }),
            HttpStatusCode.BadRequest,
            "限期整改类措施必须有整改时限");
        Assert.Equal(before, await ChecksumAsync());

        var firstResponse = await PostAsync(office, $"/api/v1/findings/{finding}/measures", new
        {
            text = "修订议事规则",
            kind = "TimeBound",
            deadline = Today.AddDays(30),
            leader = "接口领导" + suffix + "（副书记）",
            leadUnit = "纪检监察办",
            supportingUnits = new[] { "接口配合办" + suffix },
        });
        var first = (await WrittenAsync(firstResponse, HttpStatusCode.Created)).Id!.Value;
        Assert.Equal($"/api/v1/measures/{first}", firstResponse.Headers.Location!.OriginalString);
        var second = (await WrittenAsync(await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "定期开展学习", kind = "Ongoing", leadUnit = "纪检监察办" }), HttpStatusCode.Created)).Id!.Value;

        plan = await PlanAsync(office, id);
        var measures = Measures(plan).ToList();
        Assert.Equal([first, second], measures.Select(m => m.Id));
        Assert.Equal(("接口领导" + suffix, "纪检监察办", MeasureKind.TimeBound, 0), (measures[0].Leader, measures[0].LeadUnit, measures[0].Kind, measures[0].PlanVersion));
        Assert.Equal(["接口配合办" + suffix], measures[0].SupportingUnits.Select(u => u.Name));
        Assert.Equal(AssumedFields.None, measures[0].Assumed);
        Assert.Null(measures[1].Leader);
        Assert.Equal((1, 2), (plan.FindingCount, plan.MeasureCount));

        // A unit sees nothing of a draft.
        using var unit = await TokenClientAsync("unit");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/api/v1/inspections/{id}/plan", UriKind.Relative), Ct)).StatusCode);

        // 报审 names what is missing; setting the leader and deadline in bulk fills it.
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{id}/plan/submit", new { }), HttpStatusCode.BadRequest, "1.2");
        var leaderId = measures[0].LeaderId!.Value;
        var deadline = Today.AddDays(90);
        await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/measures/bulk", new { measureIds = new[] { first, second }, leaderId, deadline }), HttpStatusCode.OK);
        measures = [.. Measures(await PlanAsync(office, id))];
        Assert.All(measures, m => Assert.Equal(leaderId, m.LeaderId));
        Assert.Equal([deadline, null], measures.Select(m => m.Deadline));

        await WrittenAsync(await PostAsync(office, $"/api/v1/inspections/{id}/plan/submit", null), HttpStatusCode.OK);
        Assert.Equal(PlanState.Submitted, (await PlanAsync(office, id)).Inspection.PlanState);
        await RefusedAsync(await PostAsync(office, $"/api/v1/findings/{finding}/measures", new { text = "迟到的措施", kind = "Immediate", deadline }), HttpStatusCode.Conflict, "已报审");

        // Only the first responsible person adopts it, naming the meeting.
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{id}/plan/approve", new { meetingName = "党委会", meetingDate = Today.AddDays(-1) }), HttpStatusCode.Forbidden);
        await RefusedAsync(await PostAsync(secretary, $"/api/v1/inspections/{id}/plan/approve", new { }), HttpStatusCode.BadRequest, "审定会议");
        await RefusedAsync(await PostAsync(secretary, $"/api/v1/inspections/{id}/plan/adopt", new { }), HttpStatusCode.BadRequest, "请选择要进行的操作");
        await WrittenAsync(await PostAsync(secretary, $"/api/v1/inspections/{id}/plan/approve", new { meetingName = "党委会（第 12 次）", meetingDate = Today.AddDays(-1) }), HttpStatusCode.OK);
        plan = await PlanAsync(secretary, id);
        Assert.Equal((PlanState.InForce, "党委会（第 12 次）"), (plan.Inspection.PlanState, plan.Inspection.MeetingName));
        Assert.Equal([PlanAction.Submit, PlanAction.Approve], plan.History.Select(h => h.Action));
        Assert.All(Measures(plan), m => Assert.Equal(1, m.PlanVersion));

        // In force: the unit sees its measures.
        Assert.Equal(2, Measures(await PlanAsync(unit, id)).Count());

        // A change now is made on the version read, with a reason, and becomes version 2 beside the adopted one.
        var read = Measures(plan).First(m => m.Id == first);
        var newDeadline = Today.AddDays(180);
        var change = new Dictionary<string, object?>
        {
            ["version"] = read.Version,
            ["text"] = "修订议事规则",
            ["kind"] = "TimeBound",
            ["deadline"] = newDeadline,
            ["leaderId"] = read.LeaderId,
            ["leadUnitId"] = read.LeadUnitId,
            ["supportingUnitIds"] = read.SupportingUnits.Select(u => u.Id).ToArray(),
        };
        before = await ChecksumAsync();
        await RefusedAsync(await PostAsync(office, $"/api/v1/measures/{first}/amendments", change), HttpStatusCode.BadRequest, "说明理由");
        change["reason"] = "配合上级部署顺延";
        change["version"] = read.Version - 1;
        await RefusedAsync(await PostAsync(office, $"/api/v1/measures/{first}/amendments", change), HttpStatusCode.Conflict, "已被他人修改");
        change.Remove("version");
        await RefusedAsync(await PostAsync(office, $"/api/v1/measures/{first}/amendments", change), HttpStatusCode.BadRequest, "version");
        Assert.Equal(before, await ChecksumAsync());

        change["version"] = read.Version;
        await WrittenAsync(await PostAsync(office, $"/api/v1/measures/{first}/amendments", change), HttpStatusCode.OK);
        var amended = Measures(await PlanAsync(office, id)).First(m => m.Id == first);
        Assert.Equal((2, newDeadline, read.Version + 1), (amended.PlanVersion, amended.Deadline, amended.Version));
        Assert.Equal(read.SupportingUnits, amended.SupportingUnits);
        var detail = (await office.GetFromJsonAsync<MeasureDetail>(new Uri($"/api/v1/measures/{first}", UriKind.Relative), Http.Json, Ct))!;
        Assert.Equal(amended.Version, detail.Version);
        Assert.Equal(2, detail.Revisions.Count);
        Assert.Contains(detail.Revisions, r => r.Deadline == deadline);
        Assert.Contains(detail.Revisions, r => r.Deadline == newDeadline && r.Reason == "配合上级部署顺延");

        // The same request again is on a version that is gone.
        await RefusedAsync(await PostAsync(office, $"/api/v1/measures/{first}/amendments", change), HttpStatusCode.Conflict);

        var actions = await ReadAsync(db => db.AuditEntries.Where(e => e.ObjectType == "Inspection" && e.ObjectId == id.ToString(CultureInfo.InvariantCulture)).Select(e => e.Action).ToListAsync(Ct));
        Assert.Contains("inspection.create", actions);
        Assert.Contains("plan.submit", actions);
        Assert.Contains("plan.approve", actions);
    }

    [Fact]
    public async Task Every_write_answers_404_outside_the_callers_scope_403_without_the_permission_and_400_for_a_request_it_cannot_read_and_writes_nothing()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        using var unit = await TokenClientAsync("unit");
        using var inspector = await TokenClientAsync("inspector");
        var (own, other) = (app.InspectionId, app.OtherInspectionId);
        var (ownFinding, otherFinding) = await ReadAsync(async db => (
            await db.Findings.Where(f => f.InspectionId == own).OrderBy(f => f.Id).Select(f => f.Id).FirstAsync(Ct),
            await db.Findings.Where(f => f.InspectionId == other).OrderBy(f => f.Id).Select(f => f.Id).FirstAsync(Ct)));
        var ownMeasure = app.UnitMeasuresInProgress[0];
        var otherMeasure = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == other).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        var ownVersion = await ReadAsync(db => db.Measures.Where(m => m.Id == ownMeasure).Select(m => m.Version).SingleAsync(Ct));
        var before = await ChecksumAsync();

        // Each write, on the caller's own organization's object and on another's, with an empty body.
        var writes = new (string Own, string Other)[]
        {
            ($"/api/v1/inspections/{own}/description", $"/api/v1/inspections/{other}/description"),
            ($"/api/v1/inspections/{own}/categories", $"/api/v1/inspections/{other}/categories"),
            ($"/api/v1/inspections/{own}/findings", $"/api/v1/inspections/{other}/findings"),
            ($"/api/v1/findings/{ownFinding}/measures", $"/api/v1/findings/{otherFinding}/measures"),
            ($"/api/v1/measures/{ownMeasure}/amendments", $"/api/v1/measures/{otherMeasure}/amendments"),
            ($"/api/v1/inspections/{own}/measures/bulk", $"/api/v1/inspections/{other}/measures/bulk"),
            ($"/api/v1/inspections/{own}/plan/submit", $"/api/v1/inspections/{other}/plan/submit"),
            ($"/api/v1/inspections/{own}/plan/approve", $"/api/v1/inspections/{other}/plan/approve"),
        };
        foreach (var (ownPath, otherPath) in writes)
        {
            foreach (var client in new[] { office, unit, inspector })
            {
                await RefusedAsync(await PostAsync(client, otherPath, new { }), HttpStatusCode.NotFound);
            }

            await RefusedAsync(await PostAsync(unit, ownPath, new { }), HttpStatusCode.Forbidden);
            await RefusedAsync(await PostAsync(inspector, ownPath, new { }), HttpStatusCode.Forbidden);
        }

        // What the office sends wrong is told why: missing and too long fields, a plan in force changed without a reason.
        await RefusedAsync(await PostAsync(office, "/api/v1/inspections", new { }), HttpStatusCode.BadRequest, "请填写巡察名称");
        await RefusedAsync(await PostAsync(office, "/api/v1/inspections", new { title = new string('长', 301), team = "组", inspectedOrganizationId = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture) }), HttpStatusCode.BadRequest, "不能超过 300 个字");
        await RefusedAsync(await PostAsync(office, "/api/v1/inspections", new { title = "别人的巡察", team = "组", inspectedOrganizationId = await ReadAsync(db => db.Inspections.Where(i => i.Id == other).Select(i => i.InspectedOrganizationId).SingleAsync(Ct)) }), HttpStatusCode.BadRequest, "被巡察党组织");
        await RefusedAsync(await PostAsync(unit, "/api/v1/inspections", new { title = "单位的巡察", team = "组" }), HttpStatusCode.Forbidden);
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{own}/description", new { }), HttpStatusCode.BadRequest);
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{own}/description", new { title = "倒置的进驻期间", onSiteFrom = new DateOnly(2025, 5, 1), onSiteTo = new DateOnly(2025, 4, 1) }), HttpStatusCode.BadRequest);
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{own}/categories", new { number = 1, title = "新类别" }), HttpStatusCode.Conflict, "序号为 1 的问题类别已存在");
        await RefusedAsync(await PostAsync(office, $"/api/v1/findings/{ownFinding}/measures", new { text = "没有理由的新措施", kind = "Ongoing" }), HttpStatusCode.BadRequest, "说明理由");
        await RefusedAsync(await PostAsync(office, $"/api/v1/findings/{ownFinding}/measures", new { text = new string('长', 20001), kind = "Ongoing", reason = "新增" }), HttpStatusCode.BadRequest, "不能超过 20000 个字");
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{own}/measures/bulk", new { measureIds = new[] { ownMeasure }, reason = "统一" }), HttpStatusCode.BadRequest, "请至少选择一项");
        await RefusedAsync(await PostAsync(office, $"/api/v1/inspections/{own}/measures/bulk", new { measureIds = new[] { otherMeasure }, kind = "Ongoing", reason = "统一" }), HttpStatusCode.BadRequest, "不属于本次巡察");
        await RefusedAsync(await PostAsync(office, $"/api/v1/measures/{ownMeasure}/amendments", new { version = ownVersion, reason = new string('长', 2001) }), HttpStatusCode.BadRequest, "理由不能超过 2000 个字");

        // A request that is not JSON, or whose numbers, dates and kinds are not what they say, is a 400, never a 500.
        foreach (var (path, json) in new[]
        {
            ("/api/v1/inspections", "{\"title\": "),
            ($"/api/v1/inspections/{own}/categories", "{\"number\": \"1\", \"title\": \"类别\"}"),
            ($"/api/v1/inspections/{own}/findings", "{\"categoryId\": 1.5, \"title\": \"问题\"}"),
            ($"/api/v1/findings/{ownFinding}/measures", "{\"text\": \"措施\", \"kind\": 7, \"reason\": \"新增\"}"),
            ($"/api/v1/findings/{ownFinding}/measures", "{\"text\": \"措施\", \"kind\": \"Someday\", \"reason\": \"新增\"}"),
            ($"/api/v1/measures/{ownMeasure}/amendments", "{\"version\": 1, \"deadline\": \"2026年12月31日\"}"),
            ($"/api/v1/inspections/{own}/measures/bulk", "{\"measureIds\": \"1,2\"}"),
            ($"/api/v1/inspections/{own}/plan/approve", "[1, 2]"),
        })
        {
            await RefusedAsync(await PostRawAsync(office, path, json), HttpStatusCode.BadRequest, "JSON");
        }

        Assert.Equal(before, await ChecksumAsync());

        // A browser's cookie is not enough to write.
        using var browser = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(browser, $"/api/v1/inspections/{own}/categories", new { title = "类别" })).StatusCode);
    }

    [Fact]
    public async Task The_plan_is_read_page_by_page_of_findings_with_every_category_and_the_demos_assumptions()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var whole = await PlanAsync(office, app.InspectionId, $"?pageSize={PlanApiQueries.MaxPageSize}");
        Assert.Equal(PlanState.InForce, whole.Inspection.PlanState);
        Assert.Equal(whole.FindingCount, whole.Categories.Sum(c => c.Findings.Count));
        Assert.Equal(whole.MeasureCount, Measures(whole).Count());
        Assert.Contains(Measures(whole), m => m.Assumed != AssumedFields.None);
        Assert.True(whole.FindingCount > 4, $"the demo has only {whole.FindingCount} findings");

        // Pages of three findings, in 序号 order, make up the whole plan; every page lists every category.
        var pages = new List<PlanApiPage>();
        for (var page = 1; page <= (whole.FindingCount + 2) / 3; page++)
        {
            pages.Add(await PlanAsync(office, app.InspectionId, $"?page={page}&pageSize=3"));
        }

        Assert.All(pages, p => Assert.Equal(whole.Categories.Select(c => c.Id), p.Categories.Select(c => c.Id)));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Categories.Sum(c => c.Findings.Count)));
        Assert.Equal(
            whole.Categories.SelectMany(c => c.Findings).OrderBy(f => f.Number).Select(f => (f.Id, f.Measures.Count)),
            pages.SelectMany(p => p.Categories.SelectMany(c => c.Findings)).OrderBy(f => f.Number).Select(f => (f.Id, f.Measures.Count)));
        Assert.Equal(whole.MeasureCount, pages.Sum(p => Measures(p).Count()));
        var beyond = await PlanAsync(office, app.InspectionId, $"?page={pages.Count + 1}&pageSize=3");
        Assert.Empty(beyond.Categories.SelectMany(c => c.Findings));

        // No page size is the default (a size out of range is refused: LimitsTests); a unit sees its own measures only; another organization's plan is not there.
        Assert.Equal(PlanApiQueries.DefaultPageSize, (await PlanAsync(office, app.InspectionId, string.Empty)).PageSize);
        using var unit = await TokenClientAsync("unit");
        var units = await PlanAsync(unit, app.InspectionId, $"?pageSize={PlanApiQueries.MaxPageSize}");
        Assert.NotEmpty(Measures(units));
        Assert.True(units.MeasureCount < whole.MeasureCount);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/plan", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_each_operation_with_its_body_and_integers_as_integers()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync();
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct));
        var operations = doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .Where(o => o.Operation.TryGetProperty("operationId", out _))
            .ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!);
        foreach (var (name, path, method) in new[]
        {
            ("CreateInspection", "/api/v1/inspections", "post"), ("DescribeInspection", "/api/v1/inspections/{id}/description", "post"), ("GetPlan", "/api/v1/inspections/{id}/plan", "get"),
            ("AddCategory", "/api/v1/inspections/{id}/categories", "post"), ("AddFinding", "/api/v1/inspections/{id}/findings", "post"), ("AddMeasure", "/api/v1/findings/{id}/measures", "post"),
            ("AmendMeasure", "/api/v1/measures/{id}/amendments", "post"), ("AmendMeasures", "/api/v1/inspections/{id}/measures/bulk", "post"), ("ActOnPlan", "/api/v1/inspections/{id}/plan/{action}", "post"),
        })
        {
            Assert.True(operations.ContainsKey(name), $"no operation {name}");
            Assert.Equal((path, method), (operations[name].Path, operations[name].Method));
            Assert.False(string.IsNullOrWhiteSpace(operations[name].Operation.GetProperty("summary").GetString()));
            Assert.Equal(method == "post", operations[name].Operation.TryGetProperty("requestBody", out _));
        }

        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var (schema, property) in new[] { ("NewCategoryRequest", "number"), ("NewFindingRequest", "categoryId"), ("MeasureAmendmentRequest", "version"), ("PlanApiMeasure", "version"), ("PlanApiPage", "measureCount") })
        {
            var type = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("type");
            Assert.True(type.ValueKind == JsonValueKind.String ? type.GetString() == "integer" : type.EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal).SequenceEqual(["integer", "null"]), $"{schema}.{property} is {type}");
        }
    }
}

public sealed class PlanApiTestsOnSqlite(SqliteApp app) : PlanApiTests(app), IClassFixture<SqliteApp>;

public sealed class PlanApiTestsOnPostgres(PostgresApp app) : PlanApiTests(app), IClassFixture<PostgresApp>;
