using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Common;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Each person sees exactly their part; anything else answers 404, in pages, API, lists and counts alike.</summary>
public abstract class AccessTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int Own, int Other, int OwnFinding, int OtherFinding)> UnitMeasuresAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var unit = await db.Organizations.SingleAsync(o => o.Name == "纪检监察办", Ct);
        var own = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnitId == unit.Id).OrderBy(m => m.Id).FirstAsync(Ct);
        var other = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnitId != unit.Id && !m.SupportingUnits.Any(s => s.OrganizationId == unit.Id)
            && !db.Measures.Any(x => x.FindingId == m.FindingId && (x.LeadUnitId == unit.Id || x.SupportingUnits.Any(s => s.OrganizationId == unit.Id)))).OrderBy(m => m.Id).FirstAsync(Ct);
        return (own.Id, other.Id, own.FindingId, other.FindingId);
    }

    [Fact]
    public async Task Each_person_finds_their_way_the_three_administrators_to_their_own_pages_and_everyone_to_password_and_second_factor()
    {
        app.RequireAvailable();
        static Uri At(string path) => new(path, UriKind.Relative);

        // The 三员 read no rectification content: their home page says so and leads to their pages; no 待办 or 巡察 in the menu.
        using var admin = await app.SignedInAsync("admin");
        var adminHome = await admin.GetStringAsync(At("/"), Ct);
        var card = adminHome[adminHome.IndexOf("administrators-home", StringComparison.Ordinal)..];
        card = card[..card.IndexOf("</div>", StringComparison.Ordinal)];
        Assert.Contains("三员（系统管理员、安全管理员、审计管理员）不查看整改内容", card, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/users\"", card, StringComparison.Ordinal);
        Assert.DoesNotContain("还没有巡察", adminHome, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/work\"", adminHome, StringComparison.Ordinal);
        Assert.DoesNotContain(">巡察</a>", adminHome, StringComparison.Ordinal);

        // Everyone else keeps them; the account page the header's name opens leads to the password and the second factor.
        using var office = await app.SignedInAsync("office");
        var officeHome = await office.GetStringAsync(At("/"), Ct);
        Assert.Contains("href=\"/work\"", officeHome, StringComparison.Ordinal);
        Assert.Contains(">巡察</a>", officeHome, StringComparison.Ordinal);
        foreach (var client in new[] { admin, office })
        {
            var account = await client.GetStringAsync(At("/Account/Notifications"), Ct);
            Assert.Contains("href=\"/Account/ChangePassword\"", account, StringComparison.Ordinal);
            Assert.Contains("href=\"/Account/TwoFactor\"", account, StringComparison.Ordinal);
        }

        // The publication page links the opinions' inbox only for those who may open it.
        var opinions = $"href=\"/inspections/{app.InspectionId}/opinions\"";
        var publication = $"/inspections/{app.InspectionId}/publication";
        Assert.Contains(opinions, await office.GetStringAsync(At(publication), Ct), StringComparison.Ordinal);
        using var leader = await app.SignedInAsync("leader");
        var leaderHtml = await leader.GetStringAsync(At(publication), Ct);
        Assert.Contains("<p>意见建议：", leaderHtml, StringComparison.Ordinal);

        // A unit's reporter reads its own measures only: the notice's drafts and versions are composed from every finding
        // and measure, so neither the page nor its files open for it, and its ledger does not link them.
        using var unit = await app.SignedInAsync("unit");
        foreach (var handler in new[] { string.Empty, "?handler=Txt", "?handler=Docx", "?handler=Fragment", "?handler=Txt&number=1" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(At(publication + handler), Ct)).StatusCode);
        }

        Assert.DoesNotContain($"href=\"{publication}\"", await unit.GetStringAsync(At($"/inspections/{app.InspectionId}"), Ct), StringComparison.Ordinal);
        Assert.Contains($"href=\"{publication}\"", await office.GetStringAsync(At($"/inspections/{app.InspectionId}"), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(At($"/inspections/{app.InspectionId}/opinions"), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_unit_reporter_sees_only_the_measures_their_unit_leads_or_supports()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("unit");
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var unit = await db.Organizations.SingleAsync(o => o.Name == "纪检监察办", Ct);
        var expected = await db.Measures.Where(m => m.InspectionId == app.InspectionId && (m.LeadUnitId == unit.Id || m.SupportingUnits.Any(s => s.OrganizationId == unit.Id)))
            .OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(Ct);
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < 72);

        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        Assert.Equal(expected, ledger.Rows.Select(r => r.MeasureId).Order());
        Assert.Equal(expected.Count, ledger.TotalRows);
        Assert.Equal(expected.Count, ledger.Totals.Measures);
        Assert.Equal(ledger.Rows.Select(r => r.FindingId).Distinct().Count(), ledger.Totals.Findings);
        Assert.All(ledger.Units, u => Assert.Contains(ledger.Rows, r => r.LeadUnitId == u.Id || r.SupportingUnits.Contains(u.Name)));

        var list = (await client.GetFromJsonAsync<PagedResult<InspectionSummary>>("/api/v1/inspections", Http.Json, Ct))!;
        var summary = Assert.Single(list.Items);
        Assert.Equal(expected.Count, summary.Measures);
        Assert.Equal(ledger.Totals.Findings, summary.Findings);

        var page = await client.GetStringAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct);
        Assert.Contains($"共 {expected.Count} 条整改措施", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_units_measure_and_finding_answer_404_to_a_unit_reporter_in_page_and_api()
    {
        app.RequireAvailable();
        var (own, other, ownFinding, otherFinding) = await UnitMeasuresAsync();
        using var client = await app.SignedInAsync("unit");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/measures/{own}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/findings/{ownFinding}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/measures/{other}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/api/v1/measures/{own}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/v1/measures/{other}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/findings/{otherFinding}", UriKind.Relative), Ct)).StatusCode);

        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        Assert.DoesNotContain(ledger.Rows, r => r.MeasureId == other);

        // Filtering by another unit's id shows nothing rather than that unit's work.
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var otherUnit = await db.Organizations.SingleAsync(o => o.Name == "党政办公室", Ct);
        var filtered = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?unit={otherUnit.Id}", Http.Json, Ct))!;
        Assert.Equal(0, filtered.TotalRows);
    }

    [Fact]
    public async Task The_inspection_body_reads_the_whole_ledger_of_what_it_inspected_and_nothing_else()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("inspector");
        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        Assert.Equal(72, ledger.TotalRows);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/inspections/{app.OtherInspectionId}", UriKind.Relative), Ct)).StatusCode);

        // Read-only: the ledger offers no form that changes anything.
        var html = await client.GetStringAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct);
        Assert.DoesNotContain("method=\"post\" action=\"/measures", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_administrator_manages_organizations_but_cannot_open_a_ledger()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("admin");
        var (own, _, ownFinding, _) = await UnitMeasuresAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/measures/{own}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/findings/{ownFinding}", UriKind.Relative), Ct)).StatusCode);
        var list = (await client.GetFromJsonAsync<PagedResult<InspectionSummary>>("/api/v1/inspections", Http.Json, Ct))!;
        Assert.Empty(list.Items);
        Assert.Equal(0, list.Total);

        var tree = await client.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct);
        Assert.Contains("中共另一市委员会", tree, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_sees_its_own_organizations_inspection_and_not_another_citys()
    {
        app.RequireAvailable();
        using var client = await app.SignedInAsync("office");
        var list = (await client.GetFromJsonAsync<PagedResult<InspectionSummary>>("/api/v1/inspections", Http.Json, Ct))!;
        Assert.Equal(app.InspectionId, Assert.Single(list.Items).Id);
        Assert.Equal(72, list.Items[0].Measures);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/ledger", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/inspections/{app.OtherInspectionId}", UriKind.Relative), Ct)).StatusCode);

        var tree = await client.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct);
        Assert.Contains("拔蛟窝社区", tree, StringComparison.Ordinal);
        Assert.DoesNotContain("中共另一市委员会", tree, StringComparison.Ordinal);
        Assert.DoesNotContain("市委第七巡察组", tree, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_personal_api_token_reads_the_api_within_its_users_scope_until_revoked()
    {
        app.RequireAvailable();
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("unit", "台账同步", 30, Ct);
        }

        long auditBefore;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            auditBefore = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.CountAsync(Ct);
        }

        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        Assert.True(ledger.TotalRows is > 0 and < 72, "the unit reporter's scope applies to their token");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/ledger", UriKind.Relative), Ct)).StatusCode);

        // Pages do not take tokens.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/", UriKind.Relative), Ct)).StatusCode);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            // Reading through the API wrote nothing: the token's use waits in memory for the next flush.
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            Assert.Equal(auditBefore, await db.AuditEntries.CountAsync(Ct));
            Assert.Null((await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == token.Id, Ct)).LastUsedAtUtc);

            // The flush writes the last use and one record for both requests.
            Assert.Equal(1, await app.Factory.Services.GetRequiredService<TokenUseRecorder>().FlushAsync(Ct));
            var stored = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == token.Id, Ct);
            Assert.DoesNotContain(stored.Hash, token.Token, StringComparison.Ordinal);
            Assert.NotEqual(token.Token, stored.Hash);
            Assert.NotNull(stored.LastUsedAtUtc);
            var tokenId = token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var used = Assert.Single(await db.AuditEntries.Where(e => e.Action == Audit.AuditActions.TokenUsed && e.ObjectId == tokenId).ToListAsync(Ct));
            Assert.Contains("\"requests\":2", used.After, StringComparison.Ordinal);
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(token.Id, Ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "rfy_aaaaaaaa_" + new string('b', 32));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task The_last_account_in_use_of_a_three_officers_role_neither_loses_it_nor_is_disabled()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<RectifyUser>>();
        const string role = Roles.AuditAdministrator;
        var others = (await users.GetUsersInRoleAsync(role)).Where(u => u.LockoutEnd != DateTimeOffset.MaxValue).Select(u => u.UserName!).ToList();
        var name = "lastaudit-" + app.Provider;
        var last = await administration.CreateAsync(name, "审计管理员乙", null, [role], app.Password, Ct, initialPassword: false);
        try
        {
            // The others stepped down (disabled while this one is in use): this account is now the only one.
            foreach (var other in others)
            {
                await administration.DisableAsync(other);
            }

            // A holder whose owner has not set a password yet (a one-time link that may never be used) does not count.
            await administration.CreateAsync("lastaudit-pending-" + app.Provider, "审计管理员丁", null, [role], null, Ct);
            var removed = await Assert.ThrowsAsync<UserAdministrationException>(() => administration.SetRolesAsync(name, []));
            Assert.Equal($"“{name}”是唯一在用的审计管理员，不能移除这一角色：须先由安全管理员把审计管理员角色授予另一个在用的账号（已设置密码、未停用）。", removed.Message);
            var disabled = await Assert.ThrowsAsync<UserAdministrationException>(() => administration.DisableAsync(name));
            Assert.Contains("不能停用", disabled.Message, StringComparison.Ordinal);
            Assert.Contains(role, await users.GetRolesAsync((await users.FindByNameAsync(name))!));
            Assert.NotEqual(DateTimeOffset.MaxValue, (await users.FindByNameAsync(name))!.LockoutEnd);
            Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.UserRolesRefused && e.ObjectId == last.Id && !e.Succeeded, Ct)));
            Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.UserDisableRefused && e.ObjectId == last.Id && !e.Succeeded && e.After!.Contains("不能停用"), Ct)));
        }
        finally
        {
            foreach (var other in others)
            {
                await administration.EnableAsync(other);
            }
        }

        // With another in use again, the role may go.
        await administration.SetRolesAsync(name, []);
        Assert.Empty(await users.GetRolesAsync((await users.FindByNameAsync(name))!));
    }

    [Fact]
    public async Task The_system_administrator_creates_accounts_and_the_security_administrator_grants_roles()
    {
        app.RequireAvailable();
        var secadmin = "secadmin-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(secadmin, "安全管理员", null, [Roles.SecurityAdministrator], app.Password, Ct, initialPassword: false);
        }

        // The system administrator creates the account; no password is shown, only a one-time link for the user to set their own.
        using var sys = await app.SignedInAsync("admin");
        var form = await sys.GetStringAsync(new Uri("/admin/users/new", UriKind.Relative), Ct);
        var newName = "zhangsan-" + app.Provider;
        var created = await PostFormAsync(sys, "/admin/users/new", form, new() { ["userName"] = newName, ["displayName"] = "张三", ["organizationId"] = app.InspectedOrganization });
        var html = await created.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("initial-password", html, StringComparison.Ordinal);
        var link = new Uri(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "id=\"password-link\" href=\"([^\"]+)\"").Groups[1].Value));
        Assert.StartsWith("/Account/SetPassword?", link.PathAndQuery, StringComparison.Ordinal);

        // Nothing configured vouches for the address (AllowedHosts "*", no BaseUrl): the page says it came from the request.
        var host = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("#password-link-host")?.TextContent;
        Assert.NotNull(host);
        Assert.StartsWith($"链接的地址（{link.Authority}）取自本次访问所用的地址", host, StringComparison.Ordinal);
        var userId = System.Text.RegularExpressions.Regex.Match(html, "href=\"/admin/users/([0-9a-f-]+)\"").Groups[1].Value;

        // A leader's account on the first day: a person by the account's name is made and linked, once (a second click links the same one).
        var detailPage = await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct);
        Assert.Contains("已将账号对应到人员“张三”", await (await PostFormAsync(sys, $"/admin/users/{userId}?handler=NewPerson", detailPage, new() { ["position"] = "副书记" })).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("已将账号对应到人员“张三”", await (await PostFormAsync(sys, $"/admin/users/{userId}?handler=NewPerson", detailPage, new() { ["position"] = "副书记" })).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(1, await app.ReadAsync(db => db.People.CountAsync(p => p.UserId == userId && p.Name == "张三" && p.Position == "副书记", Ct)));
        Assert.Contains("张三（副书记）", await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Until the link is used the account waits for its owner, and says so (not 正常).
        Assert.Contains("待设置密码（链接未使用）", await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // He cannot grant roles, and the security administrator cannot create accounts.
        Assert.DoesNotContain("name=\"roles\"", await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct), StringComparison.Ordinal);
        var refused = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Roles", form, new() { ["roles"] = Roles.RectificationOffice });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var sec = await app.SignedInAsync(secadmin);
        Assert.Equal(HttpStatusCode.NotFound, (await sec.GetAsync(new Uri("/admin/users/new", UriKind.Relative), Ct)).StatusCode);

        // The security administrator grants a role; 三员 combinations are refused with the reason.
        var detail = await sec.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct);
        var mixed = await PostFormAsync(sec, $"/admin/users/{userId}?handler=Roles", detail, new() { ["roles"] = Roles.AuditAdministrator + "," + Roles.RectificationOffice });
        Assert.Contains("不能同时担任业务角色", await mixed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var granted = await PostFormAsync(sec, $"/admin/users/{userId}?handler=Roles", detail, new() { ["roles"] = Roles.RectificationOffice });
        Assert.Contains("已保存角色", await granted.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // 停用 asks for the box to be ticked: one click alone disables nobody.
        var unconfirmed = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Disable", await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct), []);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("请先勾选“确认停用”", await unconfirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await app.ReadAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.LockoutEnd).SingleAsync(Ct)));

        // The new user opens the link, sets their own password, signs in with it and sees the ledger; the link is then spent.
        using var zhang = app.Client();
        var setForm = await zhang.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative), Ct);
        var set = await zhang.PostFormAsync(link.PathAndQuery, setForm, new Dictionary<string, string> { ["user"] = userId, ["token"] = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!, ["newPassword"] = "Zhang-San-Passw0rd", ["confirmPassword"] = "Zhang-San-Passw0rd" });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await zhang.SignInAsync(newName, "Zhang-San-Passw0rd")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await zhang.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);
        Assert.Contains("链接无效或已过期", await zhang.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("待设置密码（链接未使用）", await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The office has no user administration at all.
        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri("/admin/users", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct)).StatusCode);

        await using var check = app.Factory.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.UserRolesChanged && e.ObjectId == userId, Ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.UserCreated && e.ObjectId == userId, Ct));
    }

    /// <summary>Like <see cref="Http.PostFormAsync"/>, with "roles" given as a comma-separated list and sent as repeated fields.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formPage, Dictionary<string, string> fields) =>
        await client.FollowedAsync(await client.PostFormAsync(path, formPage, fields.SelectMany(kv => kv.Key == "roles" ? kv.Value.Split(',').Select(v => new KeyValuePair<string, string>(kv.Key, v)) : [kv])));

    [Fact]
    public async Task The_system_administrator_adds_an_organization_that_the_office_then_sees_in_its_tree()
    {
        app.RequireAvailable();
        using var sys = await app.SignedInAsync("admin");
        var page = await sys.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct);
        var name = "社区治理办公室-" + app.Provider;
        var added = await PostFormAsync(sys, "/organizations?handler=Add", page, new() { ["parentId"] = app.InspectedOrganization, ["name"] = name, ["kind"] = "Department" });
        Assert.Contains($"已新增单位“{name}”", await added.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var again = await PostFormAsync(sys, "/organizations?handler=Add", page, new() { ["parentId"] = app.InspectedOrganization, ["name"] = name, ["kind"] = "Department", ["shortName"] = "社区办" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var refused = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await again.Content.ReadAsStringAsync(Ct));
        Assert.Contains("已有名为", refused.QuerySelector(".error-box")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("社区办", refused.QuerySelector("input[name=shortName]")?.GetAttribute("value"));
        Assert.Equal(app.InspectedOrganization, refused.QuerySelector("select[name=parentId] option[selected]")?.GetAttribute("value"));
        var unnamed = await PostFormAsync(sys, "/organizations?handler=Add", page, new() { ["parentId"] = app.InspectedOrganization, ["name"] = " ", ["kind"] = "Department" });
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Contains("请填写单位名称", await unnamed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var untyped = await PostFormAsync(sys, "/organizations?handler=Add", page, new() { ["parentId"] = app.InspectedOrganization, ["name"] = name + "乙", ["kind"] = "Bogus" });
        Assert.Equal(HttpStatusCode.BadRequest, untyped.StatusCode);
        Assert.Equal(0, await app.ReadAsync(db => db.Organizations.CountAsync(o => o.Name == name + "乙", Ct)));
        Assert.Equal(1, await app.ReadAsync(db => db.Organizations.CountAsync(o => o.Name == name, Ct)));

        // A typo corrected: the form opens filled in; a sibling's name is refused; the new name is kept and audited.
        var id = await app.ReadAsync(db => db.Organizations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync(Ct));
        var parentId = int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture);
        var sibling = await app.ReadAsync(db => db.Organizations.Where(o => o.ParentId == parentId && o.Id != id).Select(o => o.Name).FirstAsync(Ct));
        var editPage = await sys.GetStringAsync(new Uri($"/organizations?edit={id}", UriKind.Relative), Ct);
        var editForm = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(editPage).QuerySelector("#edit-organization");
        Assert.Equal(name, editForm?.QuerySelector("input[name=name]")?.GetAttribute("value"));
        var clash = await PostFormAsync(sys, "/organizations?handler=Rename", editPage, new() { ["organizationId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["name"] = sibling });
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal(sibling, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await clash.Content.ReadAsStringAsync(Ct)).QuerySelector("#edit-organization input[name=name]")?.GetAttribute("value"));
        var renamed = name + "（更正）";
        using (var raw = await sys.PostFormAsync("/organizations?handler=Rename", editPage, new Dictionary<string, string> { ["organizationId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["name"] = renamed, ["shortName"] = "社区办" }))
        {
            Assert.Equal("/organizations", raw.Headers.Location?.OriginalString);
        }

        Assert.Contains($"已将单位名称改为“{renamed}”", await sys.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct), StringComparison.Ordinal);
        var stored = await app.ReadAsync(db => db.Organizations.Where(o => o.Id == id).Select(o => new { o.Name, o.ShortName }).SingleAsync(Ct));
        Assert.Equal((renamed, "社区办"), (stored.Name, stored.ShortName));
        Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.OrganizationRenamed && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));
        using (var officeClient = await app.SignedInAsync("office"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await officeClient.PostFromPageAsync("/organizations", "/organizations?handler=Rename", new Dictionary<string, string> { ["organizationId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["name"] = "冒名" })).StatusCode);
        }

        // Its type corrected too (added as a 部门, it is a 社区), and audited with both.
        Assert.Equal("Department", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await sys.GetStringAsync(new Uri($"/organizations?edit={id}", UriKind.Relative), Ct)).QuerySelector("#edit-organization select[name=kind] option[selected]")?.GetAttribute("value"));
        using (var retyped = await sys.PostFormAsync("/organizations?handler=Rename", editPage, new Dictionary<string, string> { ["organizationId"] = Id(id), ["name"] = renamed, ["shortName"] = "社区办", ["kind"] = "Community" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, retyped.StatusCode);
        }

        Assert.Contains($"已保存单位“{renamed}”，类型改为", await sys.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(Domain.OrganizationKind.Community, await app.ReadAsync(db => db.Organizations.Where(o => o.Id == id).Select(o => o.Kind).SingleAsync(Ct)));

        // A type an inspection relies on stays: the inspected organization stays a 党委, the inspecting body a 巡察办 or 巡察组.
        var (inspected, body) = await app.ReadAsync(db => db.Inspections.Where(i => i.Id == app.InspectionId).Select(i => new { i.InspectedOrganization, i.InspectingBody }).Select(i => new ValueTuple<Domain.Organization, Domain.Organization>(i.InspectedOrganization, i.InspectingBody)).SingleAsync(Ct));
        foreach (var (unit, kind, says) in new[] { (inspected, "Department", "类型只能是党组织"), (body, "PartyCommittee", "类型只能是巡察机构或巡察组") })
        {
            var form = await sys.GetStringAsync(new Uri($"/organizations?edit={unit.Id}", UriKind.Relative), Ct);
            var kept = await sys.PostFormAsync("/organizations?handler=Rename", form, new Dictionary<string, string> { ["organizationId"] = Id(unit.Id), ["name"] = unit.Name, ["shortName"] = unit.ShortName ?? string.Empty, ["kind"] = kind });
            Assert.Equal(HttpStatusCode.BadRequest, kept.StatusCode);
            Assert.Contains(says, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await kept.Content.ReadAsStringAsync(Ct)).QuerySelector("#edit-organization .error-box, .error-box")?.TextContent, StringComparison.Ordinal);
            Assert.Equal(unit.Kind, await app.ReadAsync(db => db.Organizations.Where(o => o.Id == unit.Id).Select(o => o.Kind).SingleAsync(Ct)));
        }

        name = renamed;

        using var office = await app.SignedInAsync("office");
        Assert.Contains(name, await office.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct), StringComparison.Ordinal);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var created = await db.Organizations.SingleAsync(o => o.Name == name, Ct);
        Assert.EndsWith($"/{app.InspectedOrganization}/{created.Id}/", created.Path, StringComparison.Ordinal);
    }

    private static string Id(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds a unit on 组织机构 as the system administrator, and answers its id.</summary>
    private async Task<int> AddUnitAsync(HttpClient sys, string name, string kind, int? parent)
    {
        var page = await sys.GetStringAsync(new Uri("/organizations", UriKind.Relative), Ct);
        var added = await PostFormAsync(sys, "/organizations?handler=Add", page, new() { ["parentId"] = parent is { } p ? Id(p) : "", ["name"] = name, ["kind"] = kind });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        return await app.ReadAsync(db => db.Organizations.Where(o => o.Name == name && o.ParentId == parent).Select(o => o.Id).SingleAsync(Ct));
    }

    [Fact]
    public async Task The_system_administrator_deletes_a_unit_made_by_mistake_and_only_one_that_nothing_holds()
    {
        app.RequireAvailable();
        using var sys = await app.SignedInAsync("admin");
        var tag = app.Provider + Guid.NewGuid().ToString("N")[..6];
        Task<int> AddAsync(string name, int? parent) => AddUnitAsync(sys, name, "Department", parent);

        Task<bool> ExistsAsync(int id) => app.ReadAsync(db => db.Organizations.AnyAsync(o => o.Id == id, Ct));
        var inspected = int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture);
        var typo = await AddAsync("县发改局" + tag, inspected);
        var below = await AddAsync("综合股" + tag, typo);
        var editPage = await sys.GetStringAsync(new Uri($"/organizations?edit={typo}", UriKind.Relative), Ct);
        Assert.Contains("id=\"delete-organization\"", editPage, StringComparison.Ordinal);

        // Not without the box ticked; not while a unit is under it; not the inspected organization, which holds an inspection.
        var unconfirmed = await PostFormAsync(sys, "/organizations?handler=Delete", editPage, new() { ["organizationId"] = Id(below) });
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("请勾选“确认删除”", await unconfirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var parent = await PostFormAsync(sys, "/organizations?handler=Delete", editPage, new() { ["organizationId"] = Id(typo), ["confirmed"] = "true" });
        Assert.Equal(HttpStatusCode.Conflict, parent.StatusCode);
        Assert.Contains("“县发改局" + tag + "”不能删除：它还有下级单位 1 个", await parent.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var held = await PostFormAsync(sys, "/organizations?handler=Delete", editPage, new() { ["organizationId"] = app.InspectedOrganization, ["confirmed"] = "true" });
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        var heldText = await held.Content.ReadAsStringAsync(Ct);
        Assert.Contains("巡察 ", heldText, StringComparison.Ordinal);
        Assert.Contains("下级单位", heldText, StringComparison.Ordinal);
        Assert.True(await ExistsAsync(typo) && await ExistsAsync(below) && await ExistsAsync(inspected));

        // Only the system administrator deletes units.
        using (var office = await app.SignedInAsync("office"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await office.PostFromPageAsync("/organizations", "/organizations?handler=Delete", new Dictionary<string, string> { ["organizationId"] = Id(below), ["confirmed"] = "true" })).StatusCode);
        }

        // The leaf first, then the unit it was under: each deleted, told, and audited with its name and parent.
        foreach (var (id, name) in new[] { (below, "综合股" + tag), (typo, "县发改局" + tag) })
        {
            using var deleted = await sys.PostFormAsync("/organizations?handler=Delete", editPage, new Dictionary<string, string> { ["organizationId"] = Id(id), ["confirmed"] = "true" });
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            var after = await (await sys.FollowedAsync(deleted)).Content.ReadAsStringAsync(Ct);
            Assert.Contains($"已删除单位“{name}”。", after, StringComparison.Ordinal);
            Assert.False(await ExistsAsync(id));
            var objectId = Id(id);
            var entry = await app.ReadAsync(db => db.AuditEntries.Where(e => e.Action == Audit.AuditActions.OrganizationDeleted && e.ObjectId == objectId).Select(e => e.Before).SingleAsync(Ct));
            using var before = System.Text.Json.JsonDocument.Parse(entry!);
            Assert.Equal(name, before.RootElement.GetProperty("name").GetString());
        }

        // A unit already gone is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(sys, "/organizations?handler=Delete", editPage, new() { ["organizationId"] = Id(typo), ["confirmed"] = "true" })).StatusCode);
    }

    [Fact]
    public async Task The_system_administrator_moves_a_unit_with_the_units_under_it_never_under_itself_nor_beside_a_namesake()
    {
        app.RequireAvailable();
        using var sys = await app.SignedInAsync("admin");
        var tag = app.Provider + Guid.NewGuid().ToString("N")[..6];
        Task<int> AddAsync(string name, string kind, int? parent) => AddUnitAsync(sys, name, kind, parent);

        // Built flat, as a newcomer does: the county committee and its inspection office, and the town with a unit.
        var county = await AddAsync("县委" + tag, "PartyCommittee", null);
        await AddAsync("县委巡察办" + tag, "InspectionOffice", county);
        var town = await AddAsync("青石镇党委" + tag, "PartyCommittee", null);
        var unit = await AddAsync("党政办" + tag, "Department", town);
        await AddAsync("党政办" + tag, "Department", null);
        Task<string> PathAsync(int id) => app.ReadAsync(db => db.Organizations.Where(o => o.Id == id).Select(o => o.Path).SingleAsync(Ct));
        var editPage = await sys.GetStringAsync(new Uri($"/organizations?edit={town}", UriKind.Relative), Ct);
        var targets = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(editPage).QuerySelectorAll("#move-organization select[name=parentId] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(Id(county), targets);
        Assert.DoesNotContain(Id(town), targets);
        Assert.DoesNotContain(Id(unit), targets);

        // The town goes under the county, its unit with it; audited with both parents.
        using (var moved = await sys.PostFormAsync("/organizations?handler=Move", editPage, new Dictionary<string, string> { ["organizationId"] = Id(town), ["parentId"] = Id(county) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
            Assert.Contains("已将“青石镇党委" + tag + "”及其下属 1 个单位移到“县委" + tag + "”之下", await (await sys.FollowedAsync(moved)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var countyPath = await PathAsync(county);
        Assert.Equal($"{countyPath}{town}/", await PathAsync(town));
        Assert.Equal($"{countyPath}{town}/{unit}/", await PathAsync(unit));
        var townId = Id(town);
        Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.OrganizationMoved && e.ObjectId == townId, Ct)));

        // Never under itself or its own unit; never beside a unit of the same name; nothing changes either way.
        var loop = await PostFormAsync(sys, "/organizations?handler=Move", editPage, new() { ["organizationId"] = Id(county), ["parentId"] = Id(unit) });
        Assert.Equal(HttpStatusCode.BadRequest, loop.StatusCode);
        Assert.Contains("不能把“县委" + tag + "”移到它自己或它下属的单位之下", await loop.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var namesake = await PostFormAsync(sys, "/organizations?handler=Move", editPage, new() { ["organizationId"] = Id(unit), ["parentId"] = "" });
        Assert.Equal(HttpStatusCode.Conflict, namesake.StatusCode);
        Assert.Equal(countyPath, await PathAsync(county));
        Assert.Equal($"{countyPath}{town}/{unit}/", await PathAsync(unit));

        // Only the system administrator moves units.
        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostFromPageAsync("/organizations", "/organizations?handler=Move", new Dictionary<string, string> { ["organizationId"] = Id(town), ["parentId"] = "" })).StatusCode);
        Assert.Equal($"{countyPath}{town}/", await PathAsync(town));
    }

    [Fact]
    public async Task The_system_administrator_links_a_leaders_account_to_the_person_they_are_one_account_one_person_audited()
    {
        app.RequireAvailable();
        var userName = "leader-link-" + app.Provider;
        string userId;
        int person, taken, foreign;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            userId = (await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(userName, "新任领导", app.InspectedOrganization, [Roles.ResponsibleLeader], app.Password, Ct, initialPassword: false)).Id;
            var org = int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture);
            var people = await db.People.Where(p => p.OrganizationId == org).OrderBy(p => p.Id).Select(p => new { p.Id, p.UserId }).ToListAsync(Ct);
            person = people.First(p => p.UserId == null).Id;
            taken = people.First(p => p.UserId != null).Id;

            // A person of another city's tree, nobody's account.
            var elsewhere = new Rectify.Domain.Organization("另一市某局" + app.Provider, Rectify.Domain.OrganizationKind.Department);
            db.Organizations.Add(elsewhere);
            await db.SaveChangesAsync(Ct);
            elsewhere.AssignPath();
            var stranger = new Rectify.Domain.Person("外市领导", "局长", elsewhere);
            db.People.Add(stranger);
            await db.SaveChangesAsync(Ct);
            foreign = stranger.Id;
        }

        using var sys = await app.SignedInAsync("admin");
        var page = await sys.GetStringAsync(new Uri($"/admin/users/{userId}", UriKind.Relative), Ct);
        Assert.Contains("name=\"personId\"", page, StringComparison.Ordinal);

        // A person of another tree (never offered, but posted) is refused: that tree's approvals would reach this account.
        var outside = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Person", page, new() { ["personId"] = foreign.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("不在该账号的单位及其下属单位中", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // A person who already has an account is refused with a reason; a free one is linked.
        var refused = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Person", page, new() { ["personId"] = taken.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("已对应另一个账号", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var linked = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Person", page, new() { ["personId"] = person.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("已设置对应人员", await linked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            Assert.Equal(userId, await db.People.Where(p => p.Id == person).Select(p => p.UserId).SingleAsync(Ct));
            Assert.NotEqual(userId, await db.People.Where(p => p.Id == taken).Select(p => p.UserId).SingleAsync(Ct));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.UserPersonLinked && e.ObjectId == userId, Ct));
        }

        // Unlinked again: nobody's account.
        var unlinked = await PostFormAsync(sys, $"/admin/users/{userId}?handler=Person", page, new() { ["personId"] = string.Empty });
        Assert.Contains("已取消对应人员", await unlinked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var check = app.Factory.Services.CreateAsyncScope();
        Assert.Null(await check.ServiceProvider.GetRequiredService<RectifyDbContext>().People.Where(p => p.Id == person).Select(p => p.UserId).SingleAsync(Ct));

        // A 三员 account (an audit administrator, made without a unit) is offered no person, and one posted is refused;
        // its unit reads as not set rather than as the first unit of the list.
        var auditor = await check.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("noperson-" + app.Provider, "审计管理员丙", null, [Roles.AuditAdministrator], app.Password, Ct, initialPassword: false);
        var auditorPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await sys.GetStringAsync(new Uri($"/admin/users/{auditor.Id}", UriKind.Relative), Ct));
        Assert.Null(auditorPage.QuerySelector("select[name=personId]"));
        Assert.Null(auditorPage.QuerySelector("#new-person"));
        Assert.Equal(string.Empty, auditorPage.QuerySelector("select[name=organizationId] option[selected]")?.GetAttribute("value"));

        var administrator = await PostFormAsync(sys, $"/admin/users/{auditor.Id}?handler=Person", page, new() { ["personId"] = person.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("三员账号不对应", System.Net.WebUtility.HtmlDecode(await administrator.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Null(await check.ServiceProvider.GetRequiredService<RectifyDbContext>().People.Where(p => p.Id == person).Select(p => p.UserId).SingleAsync(Ct));
    }

    [Fact]
    public async Task A_user_with_no_role_sees_nothing()
    {
        app.RequireAvailable();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.CreateAsync("norole-" + app.Provider, "无角色", app.InspectedOrganization, [], app.Password, Ct, initialPassword: false);
        }

        using var client = await app.SignedInAsync("norole-" + app.Provider);
        var list = (await client.GetFromJsonAsync<PagedResult<InspectionSummary>>("/api/v1/inspections", Http.Json, Ct))!;
        Assert.Empty(list.Items);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);

        // The home page says why, and who can change it: not the 三员's sentence.
        var home = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct));
        Assert.Equal("您的账号还没有分配角色，暂时看不到整改内容。请联系安全管理员授予角色，授予后重新登录即可。", home.QuerySelector("[data-no-content]")?.TextContent.Trim());

    }

    [Fact]
    public async Task An_office_account_placed_on_a_department_is_told_why_it_sees_nothing_and_the_administrator_where_it_belongs()
    {
        app.RequireAvailable();
        var name = "office-on-dept-" + app.Provider;
        string id, officeId;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var department = await db.Organizations.Where(o => o.Name == "纪检监察办").Select(o => o.Id).FirstAsync(Ct);
            id = (await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(name, "整改办干部", department.ToString(CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, Ct, initialPassword: false)).Id;
            officeId = await db.Users.Where(u => u.UserName == "office").Select(u => u.Id).SingleAsync(Ct);
        }

        // The account's page says so to the administrator (and not for an office account on its party organization).
        using var sys = await app.SignedInAsync("admin");
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        Assert.Contains("整改办的账号应设在本级党组织上", parser.ParseDocument(await sys.GetStringAsync(new Uri($"/admin/users/{id}", UriKind.Relative), Ct)).QuerySelector("#office-without-committee")?.TextContent, StringComparison.Ordinal);
        Assert.Null(parser.ParseDocument(await sys.GetStringAsync(new Uri($"/admin/users/{officeId}", UriKind.Relative), Ct)).QuerySelector("#office-without-committee"));

        // 登记巡察 says why there is nothing to choose, to the account itself; the office on its committee has its choices.
        using var stuck = await app.SignedInAsync(name);
        var form = parser.ParseDocument(await stuck.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct));
        Assert.Contains("请系统管理员调整您账号的所属单位", form.QuerySelector("#nothing-to-register")?.TextContent, StringComparison.Ordinal);
        Assert.Single(form.QuerySelectorAll("select[name=InspectedOrganizationId] option"));
        using var office = await app.SignedInAsync("office");
        Assert.Null(parser.ParseDocument(await office.GetStringAsync(new Uri("/inspections/new", UriKind.Relative), Ct)).QuerySelector("#nothing-to-register"));
    }

    [Fact]
    public async Task The_three_administrators_exclude_each_other_and_every_business_role()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var e = await Assert.ThrowsAsync<UserAdministrationException>(() =>
            admin.CreateAsync("two-admins-" + app.Provider, null, null, [Roles.SystemAdministrator, Roles.AuditAdministrator], app.Password, Ct));
        Assert.Contains("三员分立", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<UserAdministrationException>(() =>
            admin.CreateAsync("admin-and-office-" + app.Provider, null, app.InspectedOrganization, [Roles.SecurityAdministrator, Roles.RectificationOffice], app.Password, Ct));
        Assert.Contains("不能同时担任业务角色", e.Message, StringComparison.Ordinal);

        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.UserName!.StartsWith("two-admins") || u.UserName!.StartsWith("admin-and-office"), Ct));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_gets_the_same_answer_as_a_wrong_password()
    {
        app.RequireAvailable();
        var name = "leaving-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.CreateAsync(name, "将离职", app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
            await admin.DisableAsync(name);
        }

        using var client = app.Client();
        var response = await client.SignInAsync(name, app.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误。", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

public sealed class AccessTestsOnSqlite(SqliteApp app) : AccessTests(app), IClassFixture<SqliteApp>;

public sealed class AccessTestsOnPostgres(PostgresApp app) : AccessTests(app), IClassFixture<PostgresApp>;
