using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Measures;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Sign-off (销号) through the pages and the API: each step by the right person, the wrong ones refused.</summary>
public abstract partial class WorkflowTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An in-progress measure that 纪检监察办 leads, not yet used by another test of this class.</summary>
    private Task<int> FreshMeasureAsync(int skip)
    {
        Assert.True(skip < app.UnitMeasuresInProgress.Count, $"the seed has only {app.UnitMeasuresInProgress.Count} measures of 纪检监察办 in progress");
        return Task.FromResult(app.UnitMeasuresInProgress[skip]);
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, int measure, MeasureAction action, string? reason = null, int? version = null)
    {
        var page = await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        var fields = new Dictionary<string, string>
        {
            ["action"] = action.ToString(),
            ["reason"] = reason ?? string.Empty,
            // The version the page shows (none when it offers this person no step: the server then decides on the state alone).
            ["version"] = version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? VersionRegex().Match(page).Groups[1].Value,
        };
        return await client.PostFormAsync($"/measures/{measure}?handler=Act", page, fields);
    }

    private async Task<MeasureState> StateAsync(int measure)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Where(m => m.Id == measure).Select(m => m.State).SingleAsync(Ct);
    }

    [Fact]
    public async Task A_measure_is_signed_off_by_unit_office_and_leader_with_a_return_on_the_way()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(0);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");

        // 销号 stands on evidence: without an accepted report the unit has no button, is told why, and a post is refused.
        var bare = await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.DoesNotContain("value=\"ApplyForSignOff\"", bare, StringComparison.Ordinal);
        Assert.Contains("class=\"muted sign-off-needs-report\"", bare, StringComparison.Ordinal);
        var early = await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "制度已印发", version: 1);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("需要至少一份已被整改办采纳的进展报送", await early.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var filed = await app.FileReportAsync(unit, id);
        Assert.DoesNotContain("value=\"ApplyForSignOff\"", await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        await Reports.AcceptReportAsync(office, id, filed);

        // Each sees only the buttons for their step; the unit's stand beside its report form, without a box for a reason not theirs.
        var unitPage = await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.True(unitPage.IndexOf("report-form", StringComparison.Ordinal) < unitPage.IndexOf("class=\"card workflow\"", StringComparison.Ordinal), "the unit's steps follow its report form");
        Assert.DoesNotContain("退回、重新打开时必填", unitPage, StringComparison.Ordinal);
        Assert.Contains("申请说明（选填）", unitPage, StringComparison.Ordinal);
        // A report of 100 % raises no doubt about the 销号.
        Assert.DoesNotContain("sign-off-incomplete", unitPage, StringComparison.Ordinal);
        Assert.Contains("value=\"ApplyForSignOff\"", await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"ApplyForSignOff\"", await office.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "制度已印发")).StatusCode);
        var returned = await ActAsync(office, id, MeasureAction.ReturnApplication);
        Assert.Equal(HttpStatusCode.BadRequest, returned.StatusCode);
        Assert.Contains("必须说明理由", await returned.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.ReturnApplication, "缺少印发文件")).StatusCode);
        Assert.Equal(MeasureState.InProgress, await StateAsync(id));

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "补充了印发文件")).StatusCode);

        // The leader cannot skip the office's review.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Assert.Equal(MeasureState.SignedOff, await StateAsync(id));

        // Signed off is read-only for the unit; the history tells the whole story.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        var page = await office.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.Contains("缺少印发文件", page, StringComparison.Ordinal);
        Assert.Contains("领导审批销号", page, StringComparison.Ordinal);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Five steps were taken (apply, return, apply, accept, approve); the three refused ones left no record.
        Assert.Equal(5, await db.AuditEntries.CountAsync(e => e.ObjectType == "Measure" && e.ObjectId == idText, Ct));
    }

    [Fact]
    public async Task A_sign_off_resting_on_a_report_short_of_100_percent_says_so_at_each_step()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(8);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        await Reports.AcceptReportAsync(office, id, await app.FileReportAsync(unit, id, percent: 80));

        const string Doubt = "完成 80%，不足 100%。销号前请核实整改是否已全部完成。";
        Assert.Contains(Doubt, await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "其余部分正在补充")).StatusCode);
        Assert.Contains(Doubt, await office.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Contains(Doubt, await leader.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inspection_body_and_other_units_cannot_act_and_a_stale_page_gets_a_conflict()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(1);
        using var inspector = await app.SignedInAsync("inspector");
        Assert.DoesNotContain("class=\"card workflow\"", await inspector.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(inspector, id, MeasureAction.ApplyForSignOff, version: 0)).StatusCode);

        // The leader may not apply on the unit's behalf.
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(leader, id, MeasureAction.ApplyForSignOff)).StatusCode);

        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        var page = await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        var version = int.Parse(VersionRegex().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, version: version)).StatusCode);

        // Two office workers look at the same application; the second click comes from a page that is now stale.
        using var office = await app.SignedInAsync("office");
        var officePage = await office.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        var seen = int.Parse(VersionRegex().Match(officePage).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication, version: seen)).StatusCode);
        var stale = await ActAsync(office, id, MeasureAction.ReturnApplication, "迟到的退回", version: seen);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("已被他人处理", await stale.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(MeasureState.AwaitingApproval, await StateAsync(id));
    }

    [Fact]
    public async Task A_planned_measure_is_started_an_ongoing_one_never_signed_off_and_a_signed_off_one_reopened_for_a_correction()
    {
        app.RequireAvailable();
        int timeBound, ongoing;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            // Two measures added to the seed's first finding, planned but not started, led by 纪检监察办.
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var finding = await db.Findings.Include(f => f.Measures).Include(f => f.Inspection).Where(f => f.InspectionId == app.InspectionId).OrderBy(f => f.Number).FirstAsync(Ct);
            var unitId = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办").Select(m => m.LeadUnitId).FirstAsync(Ct);
            var unit = await db.Organizations.SingleAsync(o => o.Id == unitId, Ct);
            var next = finding.Measures.Max(m => m.Number) + 1;
            var a = finding.AddMeasure(next, "测试：限期整改的新措施。", MeasureKind.TimeBound);

            // Its responsible leader is the person the demo's leader account belongs to.
            var leaderPerson = await db.People.SingleAsync(p => p.UserId == db.Users.Where(u => u.UserName == "leader").Select(u => u.Id).Single(), Ct);
            a.Plan(MeasureKind.TimeBound, new DateOnly(2099, 1, 1), leaderPerson, unit);
            var b = finding.AddMeasure(next + 1, "测试：长期坚持的新措施。", MeasureKind.Ongoing);
            b.Plan(MeasureKind.Ongoing, null, null, unit);
            await db.SaveChangesAsync(Ct);
            (timeBound, ongoing) = (a.Id, b.Id);
        }

        using var unitClient = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");

        // Start: the unit (or the office) starts, not the leader; a 长期坚持 measure goes straight to 长期坚持.
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(leader, timeBound, MeasureAction.Start, version: 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(unitClient, timeBound, MeasureAction.ApplyForSignOff, version: 0)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unitClient, timeBound, MeasureAction.Start)).StatusCode);
        Assert.Equal(MeasureState.InProgress, await StateAsync(timeBound));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, ongoing, MeasureAction.Start)).StatusCode);
        Assert.Equal(MeasureState.Ongoing, await StateAsync(ongoing));
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(unitClient, ongoing, MeasureAction.ApplyForSignOff, version: 1)).StatusCode);
        Assert.Equal(MeasureState.Ongoing, await StateAsync(ongoing));

        // Signed off, then a correction: only the office reopens, and only with a reason; the history keeps every step.
        await Reports.AcceptReportAsync(office, timeBound, await app.FileReportAsync(unitClient, timeBound));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unitClient, timeBound, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, timeBound, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, timeBound, MeasureAction.Approve)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(unitClient, timeBound, MeasureAction.Reopen, "想改", version: 4)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(leader, timeBound, MeasureAction.Reopen, "想改", version: 4)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(office, timeBound, MeasureAction.Reopen)).StatusCode);
        Assert.Equal(MeasureState.SignedOff, await StateAsync(timeBound));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, timeBound, MeasureAction.Reopen, "佐证材料有误，需更正")).StatusCode);
        Assert.Equal(MeasureState.InProgress, await StateAsync(timeBound));

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var measure = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Include(m => m.Transitions).SingleAsync(m => m.Id == timeBound, Ct);
            Assert.Equal(
                [MeasureAction.Start, MeasureAction.ApplyForSignOff, MeasureAction.AcceptApplication, MeasureAction.Approve, MeasureAction.Reopen],
                measure.Transitions.OrderBy(t => t.Id).Select(t => t.Action));
            Assert.Equal("佐证材料有误，需更正", measure.Transitions.OrderBy(t => t.Id).Last().Reason);
        }
    }

    [Fact]
    public async Task Nobody_reviews_or_approves_their_own_application_or_their_own_report()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(6);

        // A small office: one person is both the 纪检监察办 liaison and in the rectification office, another both liaison and leader.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            foreach (var (user, roles) in new[] { ("dual-office", new[] { Roles.UnitReporter, Roles.RectificationOffice }), ("dual-leader", new[] { Roles.UnitReporter, Roles.FirstResponsible }) })
            {
                if (!await db.Users.AnyAsync(u => u.UserName == user, Ct))
                {
                    await admin.CreateAsync(user, user, app.InspectedOrganization, roles, app.Password, Ct, initialPassword: false);
                }
            }
        }

        using var dualOffice = await app.SignedInAsync("dual-office");
        using var dualLeader = await app.SignedInAsync("dual-leader");
        using var office = await app.SignedInAsync("office");

        // Their own report: filed, then refused when they try to review it; another office worker may.
        var page = await dualOffice.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        using (var form = new MultipartFormDataContent
        {
            { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent("自查自纠完成。"), "narrative" },
            { new StringContent("100"), "percent" },
            { new StringContent("2025-03-01"), "effectiveDate" },
        })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await dualOffice.PostAsync(new Uri($"/measures/{id}?handler=Report", UriKind.Relative), form, Ct)).StatusCode);
        }

        int report;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            report = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().ProgressReports.Where(r => r.MeasureId == id).Select(r => r.Id).SingleAsync(Ct);
        }

        var review = new Dictionary<string, string> { ["reportId"] = report.ToString(System.Globalization.CultureInfo.InvariantCulture), ["decision"] = "accept", ["reason"] = string.Empty };
        var selfReview = await dualOffice.PostFromPageAsync($"/measures/{id}", $"/measures/{id}?handler=Review", review);
        Assert.Equal(HttpStatusCode.Conflict, selfReview.StatusCode);
        Assert.Contains("不能审核自己报送的进展", await selfReview.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync($"/measures/{id}", $"/measures/{id}?handler=Review", review)).StatusCode);

        // Their own application: the office worker who applied cannot accept it, nor return it.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(dualOffice, id, MeasureAction.ApplyForSignOff, "申请销号")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(dualOffice, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(dualOffice, id, MeasureAction.ReturnApplication, "自己退回")).StatusCode);
        Assert.Equal(MeasureState.AwaitingReview, await StateAsync(id));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.ReturnApplication, "请由另一人申请")).StatusCode);

        // The leader who applied cannot approve their own application once the office has accepted it.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(dualLeader, id, MeasureAction.ApplyForSignOff, "申请销号")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        var selfApproval = await ActAsync(dualLeader, id, MeasureAction.Approve);
        Assert.Equal(HttpStatusCode.Conflict, selfApproval.StatusCode);
        Assert.Contains("自己", await selfApproval.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(MeasureState.AwaitingApproval, await StateAsync(id));
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Assert.Equal(MeasureState.SignedOff, await StateAsync(id));
    }

    [Fact]
    public async Task The_leader_and_the_first_responsible_person_approving_the_same_application_at_once_give_one_success_and_one_conflict()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(2);
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);

        var second = "leader2-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(second, "第一责任人", app.InspectedOrganization, [Roles.FirstResponsible], app.Password, Ct, initialPassword: false);
        }

        using var a = await app.SignedInAsync("leader");
        using var b = await app.SignedInAsync(second);
        var version = int.Parse(VersionRegex().Match(await a.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var results = await Task.WhenAll(ActAsync(a, id, MeasureAction.Approve, version: version), ActAsync(b, id, MeasureAction.Approve, version: version));
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], results.Select(r => r.StatusCode).Order());
        await using var check = app.Factory.Services.CreateAsyncScope();
        var measure = await check.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Include(m => m.Transitions).SingleAsync(m => m.Id == id, Ct);
        Assert.Equal(MeasureState.SignedOff, measure.State);
        Assert.Single(measure.Transitions, t => t.Action == MeasureAction.Approve);
    }

    [Fact]
    public async Task Only_the_measures_own_responsible_leader_or_the_first_responsible_person_approves_its_sign_off()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(7);
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);

        // Another leader of the same organization, who answers for other measures: no button, and 403 if they post anyway.
        var otherLeader = "leader-other-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            if (!await db.Users.AnyAsync(u => u.UserName == otherLeader, Ct))
            {
                await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(otherLeader, "另一位责任领导", app.InspectedOrganization, [Roles.ResponsibleLeader], app.Password, Ct, initialPassword: false);
            }
        }

        using var stranger = await app.SignedInAsync(otherLeader);
        var page = await stranger.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.DoesNotContain("value=\"Approve\"", page, StringComparison.Ordinal);
        var refused = await ActAsync(stranger, id, MeasureAction.Approve);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("责任领导或第一责任人", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(MeasureState.AwaitingApproval, await StateAsync(id));

        // The measure's own responsible leader (the demo's leader account is 演示领导丙) sees the step and takes it.
        using var leader = await app.SignedInAsync("leader");
        var leaderPage = await leader.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.Contains("value=\"Approve\"", leaderPage, StringComparison.Ordinal);

        // The step forward comes first for the leader as for the office, the return after it.
        Assert.True(leaderPage.IndexOf("value=\"Approve\"", StringComparison.Ordinal) < leaderPage.IndexOf("value=\"ReturnApplication\"", StringComparison.Ordinal), "审批 before 退回");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Assert.Equal(MeasureState.SignedOff, await StateAsync(id));
    }

    [Fact]
    public async Task Pages_speak_the_offices_words_a_measure_is_named_as_its_ledger_row_and_a_work_row_is_one_link()
    {
        app.RequireAvailable();
        int id;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            // One the unit can still report on now (other tests of this class move the fixture's measures on).
            id = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures
                .Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
                .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        }

        using var unit = await app.SignedInAsync("unit");
        var page = await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.Contains("报送截至日期", page, StringComparison.Ordinal);
        Assert.DoesNotContain("生效日期", page, StringComparison.Ordinal);
        // A measure is named as its ledger row is numbered (措施 3.1), in either language.
        Assert.Matches("<h1>措施 [0-9]+\\.[0-9]+ ", page);
        Assert.DoesNotMatch("<h1>措施[一二三四五六七八九十]", page);

        var english = await unit.GetStringAsync(new Uri($"/measures/{id}?culture=en", UriKind.Relative), Ct);
        Assert.Matches("<h1>Measure [0-9]+\\.[0-9]+ ", english);
        Assert.DoesNotMatch("Measure [一二三四五六七八九十]", english);

        var work = await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        Assert.Matches("<a class=\"row-link\" href=\"/measures/[0-9]+\">", work);
    }

    [Fact]
    public async Task The_offices_work_list_shows_look_backs_by_their_own_date_and_those_past_it_apart()
    {
        app.RequireAvailable();
        var today = ChinaTime.Today(TimeProvider.System);
        int soon, late;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var free = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.State == MeasureState.SignedOff && !db.LookBacks.Any(l => l.MeasureId == m.Id && l.Result == null))
                .OrderByDescending(m => m.Id).Select(m => m.Id).Take(2).ToListAsync(Ct);
            (soon, late) = (free[0], free[1]);
            var office = new Actor("test", "整改办");
            db.LookBacks.Add(LookBack.Schedule(soon, MeasureState.SignedOff, false, today.AddDays(10), office, TimeProvider.System));

            // Scheduled in January for the end of February, and not done since: past its date now.
            db.LookBacks.Add(LookBack.Schedule(late, MeasureState.SignedOff, false, new DateOnly(2026, 2, 28), office, new FakeClock(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero))));
            await db.SaveChangesAsync(Ct);
        }

        using var client = await app.SignedInAsync("office");
        var work = await client.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        var dueSection = work[work.IndexOf("data-section=\"lookbacks\"", StringComparison.Ordinal)..work.IndexOf("data-section=\"lookbacks-late\"", StringComparison.Ordinal)];
        var lateSection = work[work.IndexOf("data-section=\"lookbacks-late\"", StringComparison.Ordinal)..];
        Assert.Contains($"/measures/{soon}\"", dueSection, StringComparison.Ordinal);
        Assert.Contains(today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), dueSection, StringComparison.Ordinal);
        Assert.DoesNotContain($"/measures/{late}\"", dueSection, StringComparison.Ordinal);
        Assert.Contains($"/measures/{late}\"", lateSection[..lateSection.IndexOf("</table>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("2026-02-28", lateSection, StringComparison.Ordinal);
        Assert.Contains("已过期未进行的回头看", work, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_system_applies_through_the_api_with_its_token_but_a_browser_cookie_cannot_post_to_the_api()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(3);
        await app.AcceptedReportAsync(id);
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("unit", "单位系统", 30, Ct);
        }

        using var cookie = await app.SignedInAsync("unit");
        var refused = await cookie.PostAsJsonAsync($"/api/v1/measures/{id}/actions/ApplyForSignOff", new MeasureActionRequest("经由接口", null), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var api = app.Client();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        var before = (await api.GetFromJsonAsync<MeasureDetail>($"/api/v1/measures/{id}", Http.Json, Ct))!;
        Assert.Contains(MeasureAction.ApplyForSignOff, before.AllowedActions);
        var response = await api.PostAsJsonAsync($"/api/v1/measures/{id}/actions/ApplyForSignOff", new MeasureActionRequest("经由接口", before.Version), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await response.Content.ReadFromJsonAsync<MeasureDetail>(Http.Json, Ct))!;
        Assert.Equal(MeasureState.AwaitingReview, after.State);
        Assert.Equal("经由接口", after.History[^1].Reason);

        var again = await api.PostAsJsonAsync($"/api/v1/measures/{id}/actions/ApplyForSignOff", new MeasureActionRequest(null, before.Version), Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var unknown = await api.PostAsJsonAsync($"/api/v1/measures/{id}/actions/Destroy", new MeasureActionRequest(null, null), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var other = await api.PostAsJsonAsync($"/api/v1/measures/{app.OtherInspectionId * 1000}/actions/Start", new MeasureActionRequest(null, null), Ct);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_look_back_six_months_after_sign_off_holds_and_a_later_one_finds_a_rebound_that_reopens_the_measure()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(4);
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(unit, id, "ScheduleLookBack", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, id, "ScheduleLookBack", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(office, id, "ScheduleLookBack", [])).StatusCode);

        int first;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var lookBack = await db.LookBacks.SingleAsync(l => l.MeasureId == id, Ct);
            Assert.Equal(ChinaTime.Today(TimeProvider.System).AddMonths(6), lookBack.DueDate);
            first = lookBack.Id;
        }

        // A result that is neither 巩固 nor 反弹 (a number past the list, a name not on it) is refused and records nothing.
        foreach (var undefined in new[] { "999", "-1", "Improved" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(office, id, "LookBack", new() { ["lookBackId"] = $"{first}", ["result"] = undefined })).StatusCode);
        }

        Assert.Null(await app.ReadAsync(db => db.LookBacks.Where(l => l.Id == first).Select(l => l.Result).SingleAsync(Ct)));

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, id, "LookBack", new() { ["lookBackId"] = $"{first}", ["result"] = "Consolidated" })).StatusCode);
        Assert.Equal(MeasureState.SignedOff, await StateAsync(id));

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, id, "ScheduleLookBack", new() { ["dueDate"] = "2027-06-30" })).StatusCode);
        int second;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            second = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().LookBacks.Where(l => l.MeasureId == id && l.Result == null).Select(l => l.Id).SingleAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(office, id, "LookBack", new() { ["lookBackId"] = $"{second}", ["result"] = "Rebound" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(office, id, "LookBack", new() { ["lookBackId"] = $"{second}", ["result"] = "Rebound", ["finding"] = "河涌黑点再次出现" })).StatusCode);
        Assert.Equal(MeasureState.InProgress, await StateAsync(id));

        await using var check = app.Factory.Services.CreateAsyncScope();
        var measure = await check.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Include(m => m.Transitions).SingleAsync(m => m.Id == id, Ct);
        var reopen = measure.Transitions.Single(t => t.Action == MeasureAction.Reopen);
        Assert.Contains($"回头看（第 {second} 号）", reopen.Reason, StringComparison.Ordinal);
        Assert.Contains("河涌黑点再次出现", reopen.Reason, StringComparison.Ordinal);

        // The unit finds the reopened measure on its work list, until it reports again.
        static bool Listed(string work, int measure) => System.Text.RegularExpressions.Regex.Match(work, "data-section=\"rebound\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Groups[1].Value.Contains($"href=\"/measures/{measure}\"", StringComparison.Ordinal);
        Assert.True(Listed(await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), id), "the rebound measure is on the unit's work list");

        // Open again, the measure can be signed off a second time, on new evidence: the report accepted before the rebound no longer counts.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, version: measure.Version)).StatusCode);
        await Reports.AcceptReportAsync(office, id, await app.FileReportAsync(unit, id));
        Assert.False(Listed(await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), id), "reported again, it leaves the list");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, int measure, string handler, Dictionary<string, string> fields) =>
        client.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler={handler}", fields);

    [Fact]
    public async Task A_leader_finds_only_the_sign_offs_they_answer_for_and_the_measure_says_whose_step_it_is()
    {
        app.RequireAvailable();
        Assert.True(app.UnitMeasuresInProgress.Count > 10, "the seed has too few measures of 纪检监察办 in progress");
        var id = app.UnitMeasuresInProgress[^1];

        // Another leader answers for this measure (a person with no account here).
        var other = await app.ReadAsync(async db =>
        {
            var person = new Person("另一位领导" + app.Provider, "副书记", await db.Organizations.SingleAsync(o => o.Id == int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture), Ct));
            db.People.Add(person);
            await db.SaveChangesAsync(Ct);
            var measure = await db.Measures.SingleAsync(m => m.Id == id, Ct);
            db.Entry(measure).Property("ResponsibleLeaderId").CurrentValue = person.Id;
            await db.SaveChangesAsync(Ct);
            return person.Name;
        });
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        using var secretary = await app.SignedInAsync("secretary");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);

        static string Section(string html, string key) => System.Text.RegularExpressions.Regex.Match(html, $"data-section=\"{key}\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotContain($"/measures/{id}\"", Section(await leader.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "approve"), StringComparison.Ordinal);
        Assert.Contains($"/measures/{id}\"", Section(await secretary.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "approve"), StringComparison.Ordinal);

        // The leader who may not approve it is told whose step it is — the 第一责任人's, as the measure's own leader has no
        // account to approve with; the one who may is offered the step instead.
        var seen = await leader.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        Assert.Contains($"待第一责任人审批（责任领导{other}（副书记）还没有关联账号，不能在系统中审批）", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"awaiting-approval\"", await secretary.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
    }

    [Fact]
    public async Task Each_person_finds_what_needs_them_on_their_work_list()
    {
        app.RequireAvailable();
        var id = await FreshMeasureAsync(5);
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        static string Section(string html, string key)
        {
            var start = html.IndexOf($"data-section=\"{key}\"", StringComparison.Ordinal);
            if (start < 0)
            {
                return string.Empty;
            }

            return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        }

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Contains($"/measures/{id}\"", Section(await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "review"), StringComparison.Ordinal);
        Assert.DoesNotContain($"/measures/{id}\"", Section(await leader.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "approve"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Contains($"/measures/{id}\"", Section(await leader.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "approve"), StringComparison.Ordinal);
        Assert.DoesNotContain($"/measures/{id}\"", Section(await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "review"), StringComparison.Ordinal);

        // The unit's overdue list holds only measures its unit leads.
        var overdue = Section(await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "overdue");
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var shown = MeasureLinkRegex().Matches(overdue).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(shown);
        Assert.All(await db.Measures.Where(m => shown.Contains(m.Id)).Select(m => m.LeadUnit!.Name).ToListAsync(Ct), name => Assert.Equal("纪检监察办", name));
        Assert.DoesNotContain("data-section=\"approve\"", await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"href=""/measures/(\d+)""")]
    private static partial Regex MeasureLinkRegex();

    [GeneratedRegex(@"name=""version"" value=""(\d+)""")]
    private static partial Regex VersionRegex();
}

public sealed class WorkflowTestsOnSqlite(SqliteApp app) : WorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class WorkflowTestsOnPostgres(PostgresApp app) : WorkflowTests(app), IClassFixture<PostgresApp>;
