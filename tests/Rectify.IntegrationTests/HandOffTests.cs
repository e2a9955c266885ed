using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 交接通知 (docs/adr/0040): each hand-off lands in the inbox of the people who take the next step — within scope, never
/// the person who caused it — in the transaction of the change, with the person's email and digest choices, and a link
/// the recipient can open.
/// </summary>
public abstract partial class HandOffTests(NotifyApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] NotHandOffs = ["DeadlineAhead", "DeadlineToday", "Overdue", "ReportMissing", "LookBackDue", "Digest"];

    private sealed record Message(long Id, string Kind, NotificationChannel Channel, NotificationState State, string Subject, string Body, int? MeasureId, string? Link);

    private Task<string> UserIdAsync(string userName) =>
        app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(Ct));

    /// <summary>The hand-offs (not reminders, not digests) written for an account, after <paramref name="after"/>.</summary>
    private async Task<List<Message>> HandOffsOfAsync(string userName, long after = 0)
    {
        var id = await UserIdAsync(userName);
        return await app.WithDbAsync(db => db.Notifications.Where(n => n.RecipientUserId == id && n.Id > after && !NotHandOffs.Contains(n.Kind))
            .OrderBy(n => n.Id).Select(n => new Message(n.Id, n.Kind, n.Channel, n.State, n.Subject, n.Body, n.MeasureId, n.Link)).ToListAsync(Ct));
    }

    private Task<long> LastIdAsync() => app.WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)).ContinueWith(t => t.Result ?? 0, TaskScheduler.Default);

    private Task<int> CountAsync(Func<IQueryable<Notification>, IQueryable<Notification>>? where = null) =>
        app.WithDbAsync(db => (where?.Invoke(db.Notifications) ?? db.Notifications).CountAsync(Ct));

    /// <summary>An office of the other organization the fixture imports (中共另一市委员会): it must hear nothing of this one.</summary>
    private async Task<string> OtherOfficeAsync()
    {
        var name = "other-office-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var org = await db.Organizations.Where(o => o.Name == "中共另一市委员会").Select(o => o.Id).SingleAsync(Ct);
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, "另一市整改办", org.ToString(CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        return name;
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, int measure, MeasureAction action, string? reason = null)
    {
        var page = await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        return await client.PostFormAsync($"/measures/{measure}?handler=Act", page, new Dictionary<string, string>
        {
            ["action"] = action.ToString(),
            ["reason"] = reason ?? string.Empty,
            ["version"] = VersionRegex().Match(page).Groups[1].Value,
        });
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient office, int measure, int report, bool accept, string? reason = null) =>
        office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", new Dictionary<string, string>
        {
            ["reportId"] = report.ToString(CultureInfo.InvariantCulture),
            ["decision"] = accept ? "accept" : "return",
            ["reason"] = reason ?? string.Empty,
        });

    [Fact]
    public async Task An_office_above_the_inspected_organization_hears_nothing_while_that_organization_has_its_own()
    {
        app.RequireAvailable();
        var above = "city-office-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var parent = await db.Inspections.Where(i => i.Id == app.InspectionId).Select(i => i.InspectedOrganization.ParentId).SingleAsync(Ct);
            Assert.NotNull(parent);
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(above, "上级整改办", parent.Value.ToString(CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        }

        var start = await LastIdAsync();
        using var unit = await app.SignedInAsync("unit");
        await app.FileReportAsync(unit, app.UnitMeasuresInProgress[^1]);

        // The street's own office is asked to review; the office above it, which could review too, is not told of it.
        Assert.Contains(await HandOffsOfAsync("office", start), m => m.Kind == "ReportFiled");
        Assert.Empty(await HandOffsOfAsync(above, start));
    }

    [Fact]
    public async Task A_report_tells_the_office_a_return_tells_the_unit_with_its_reason_and_nobody_else_hears_either()
    {
        app.RequireAvailable();
        await app.SetUnitPreferencesAsync();
        var other = await OtherOfficeAsync();
        var id = app.UnitMeasuresInProgress[0];
        var start = await LastIdAsync();
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");

        // Filed: the office is asked to review; the unit that filed it is not told of its own report.
        var report = await app.FileReportAsync(unit, id);
        var filed = Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "ReportFiled" && m.Channel == NotificationChannel.InApp);
        Assert.Equal(id, filed.MeasureId);
        Assert.Contains("有新的进展报送", filed.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("unit", start), m => m.Kind == "ReportFiled" && m.Channel == NotificationChannel.InApp);

        // Returned with a reason: the unit's inbox says why; its email says only that it was returned, and where to look.
        const string reason = "佐证材料缺少党委会会议纪要";
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewAsync(office, id, report, accept: false, reason)).StatusCode);
        var unitMessages = await HandOffsOfAsync("unit", start);
        var inApp = Assert.Single(unitMessages, m => m.Kind == "ReportReturned" && m.Channel == NotificationChannel.InApp);
        Assert.Equal(NotificationState.Sent, inApp.State);
        Assert.Contains(reason, inApp.Body, StringComparison.Ordinal);
        var email = Assert.Single(unitMessages, m => m.Kind == "ReportReturned" && m.Channel == NotificationChannel.Email);
        Assert.DoesNotContain(reason, email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("office", start), m => m.Kind == "ReportReturned");

        app.Smtp.Messages.Clear();
        await app.DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages, m => m.Subject!.Contains("进展报送被退回", StringComparison.Ordinal));
        Assert.Equal("unit@example.gov.cn", mail.To.Mailboxes.Single().Address);
        Assert.DoesNotContain(reason, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://zhenggai.example.gov.cn/measures/{id}", mail.TextBody!, StringComparison.Ordinal);

        // The inbox links to the measure, and the unit opens it.
        var inbox = WebUtility.HtmlDecode(await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct));
        Assert.Contains(inApp.Subject, inbox, StringComparison.Ordinal);
        Assert.Contains(reason, inbox, StringComparison.Ordinal);
        Assert.Contains($"href=\"/measures/{id}\"", inbox, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct)).StatusCode);

        // Accepted after a second report: the unit hears it; another organization's office, the leader and the secretary heard nothing.
        var second = await app.FileReportAsync(unit, id);
        Assert.Equal(HttpStatusCode.Redirect, (await ReviewAsync(office, id, second, accept: true)).StatusCode);
        Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "ReportAccepted" && m.Channel == NotificationChannel.InApp);
        Assert.Equal(2, (await HandOffsOfAsync("office", start)).Count(m => m.Kind == "ReportFiled" && m.Channel == NotificationChannel.InApp));
        var otherId = await UserIdAsync(other);
        Assert.Equal(0, await CountAsync(q => q.Where(n => n.RecipientUserId == otherId)));
        Assert.Empty(await HandOffsOfAsync("leader", start));
        Assert.Empty(await HandOffsOfAsync("secretary", start));
    }

    [Fact]
    public async Task Sign_off_goes_from_unit_to_office_to_the_measures_own_leader_and_back_to_unit_and_office()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[1];
        await app.AcceptedReportAsync(id);
        var start = await LastIdAsync();
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "制度已印发")).StatusCode);
        Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "SignOffRequested" && m.MeasureId == id && m.Channel == NotificationChannel.InApp);
        Assert.Empty(await HandOffsOfAsync("leader", start));

        // Returned by the office: the unit hears why (in the inbox); the office that returned it, and the leader, do not.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.ReturnApplication, "缺少印发文件")).StatusCode);
        Assert.Contains("缺少印发文件", Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "SignOffReturned" && m.Channel == NotificationChannel.InApp).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("office", start), m => m.Kind == "SignOffReturned");
        Assert.Empty(await HandOffsOfAsync("leader", start));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "补充了印发文件")).StatusCode);

        // The office accepts: the next approver is the measure's own 责任领导 (演示领导丙's account), not the 第一责任人.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        var toApprove = Assert.Single(await HandOffsOfAsync("leader", start), m => m.Kind == "SignOffToApprove");
        Assert.Equal(id, toApprove.MeasureId);
        Assert.Empty(await HandOffsOfAsync("secretary", start));
        Assert.Contains($"href=\"/measures/{id}\"", await leader.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Approved: the unit and the office hear it, the leader who approved does not.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "SignedOff" && m.Channel == NotificationChannel.InApp);
        Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "SignedOff" && m.Channel == NotificationChannel.InApp);
        Assert.DoesNotContain(await HandOffsOfAsync("leader", start), m => m.Kind == "SignedOff");
    }

    [Fact]
    public async Task A_refused_step_and_a_change_rolled_back_after_its_notice_was_written_notify_no_one()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[2];
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        var before = await CountAsync();

        // Refused by a rule (a return needs a reason; an in-progress measure has no application anyway): 409, nothing written.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(office, id, MeasureAction.ReturnApplication)).StatusCode);
        Assert.Equal(before, await CountAsync());

        // The report is saved and its notice written, then the audit record cannot be appended: the whole change rolls back.
        var reports = await app.WithDbAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == id, Ct));
        var page = await unit.GetStringAsync(new Uri($"/measures/{id}", UriKind.Relative), Ct);
        var head = await app.WithDbAsync(db => db.AuditHeads.AsNoTracking().SingleAsync(Ct));
        await app.WithDbAsync(db => db.AuditHeads.ExecuteDeleteAsync(Ct));
        try
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
                { new StringContent("本次报送会因审计失败而回滚。"), "narrative" },
                { new StringContent("50"), "percent" },
                { new StringContent(app.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "effectiveDate" },
            };
            var pdf = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% rolled back {Guid.NewGuid()}\n%%EOF\n"));
            pdf.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, "files", "印发文件.pdf");
            try
            {
                var failed = await unit.PostAsync(new Uri($"/measures/{id}?handler=Report", UriKind.Relative), form, Ct);
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            }
            catch (InvalidOperationException)
            {
                // The test server may hand the audit's failure to the client as it is.
            }
        }
        finally
        {
            await app.WithDbAsync(async db =>
            {
                db.AuditHeads.Add(head);
                return await db.SaveChangesAsync(Ct);
            });
        }

        Assert.Equal(reports, await app.WithDbAsync(db => db.ProgressReports.CountAsync(r => r.MeasureId == id, Ct)));
        Assert.Equal(before, await CountAsync());

        // The same report, committed, does tell the office.
        var committedFrom = await LastIdAsync();
        await app.FileReportAsync(unit, id);
        Assert.Single(await HandOffsOfAsync("office", committedFrom), m => m.Kind == "ReportFiled" && m.MeasureId == id && m.Channel == NotificationChannel.InApp);
    }

    [Fact]
    public async Task A_duban_reaches_the_unit_with_a_link_it_can_open_and_its_reply_reaches_the_issuer_honouring_digest_and_email_off()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[3];
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        var unitId = await app.WithDbAsync(db => db.Measures.Where(m => m.Id == id).Select(m => m.LeadUnitId!.Value).SingleAsync(Ct));
        var list = $"/inspections/{app.InspectionId}/supervision";
        Task<HttpResponseMessage> IssueAsync(string title) => office.PostFromPageAsync(list, list, new Dictionary<string, string>
        {
            ["kind"] = "Duban",
            ["unitId"] = unitId.ToString(CultureInfo.InvariantCulture),
            ["measureIds"] = id.ToString(CultureInfo.InvariantCulture),
            ["title"] = title,
            ["content"] = "该措施进度明显滞后于方案要求。",
            ["requirement"] = "说明滞后原因和下一步安排",
            ["replyDue"] = app.Today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });

        // Each on its own, email on: an in-app message and an email, the title (internal) in the inbox only.
        await app.SetUnitPreferencesAsync();
        var start = await LastIdAsync();
        var issued = await IssueAsync("整改进度滞后");
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var notice = issued.Headers.Location!.OriginalString;
        var messages = (await HandOffsOfAsync("unit", start)).Where(m => m.Kind == "DubanIssued").ToList();
        Assert.Equal([NotificationChannel.InApp, NotificationChannel.Email], messages.Select(m => m.Channel).Order());
        Assert.All(messages, m => Assert.Equal(notice, m.Link));
        Assert.Contains("整改进度滞后", messages.Single(m => m.Channel == NotificationChannel.InApp).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("整改进度滞后", messages.Single(m => m.Channel == NotificationChannel.Email).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("进度明显滞后", string.Concat(messages.Select(m => m.Body)), StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("office", start), m => m.Kind == "DubanIssued");
        var inbox = await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct);
        Assert.Contains($"href=\"{notice}\"", inbox, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync(new Uri(notice, UriKind.Relative), Ct)).StatusCode);

        // The unit replies: the office that issued it hears; the unit does not hear of its own reply.
        var reply = await unit.PostFromPageAsync(notice, notice + "?handler=Reply", new Dictionary<string, string> { ["reply"] = "已制定推进计划，下周完成。" });
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        var replied = Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "DubanReplied" && m.Channel == NotificationChannel.InApp);
        Assert.Equal(notice, replied.Link);
        Assert.DoesNotContain("下周完成", replied.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("unit", start), m => m.Kind == "DubanReplied");

        // A daily digest: the next 督办单 is held, in-app and email, until the day's scan folds it into the digest.
        await app.SetUnitPreferencesAsync(digest: true);
        start = await LastIdAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await IssueAsync("第二次督办")).StatusCode);
        var held = (await HandOffsOfAsync("unit", start)).Where(m => m.Kind == "DubanIssued").ToList();
        Assert.Equal(2, held.Count);
        Assert.All(held, m => Assert.Equal(NotificationState.Held, m.State));
        Assert.DoesNotContain("第二次督办", await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct), StringComparison.Ordinal);
        await app.ScanAsync();
        Assert.Contains("第二次督办", WebUtility.HtmlDecode(await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct)), StringComparison.Ordinal);

        // Email off: the next one is in the inbox only.
        Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync("/Account/Notifications", "/Account/Notifications", new Dictionary<string, string>
        {
            ["emailEnabled"] = "false",
            ["emailAddress"] = "unit@example.gov.cn",
            ["mode"] = "each",
            ["quietFrom"] = "22:00",
            ["quietUntil"] = "07:00",
        })).StatusCode);
        start = await LastIdAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await IssueAsync("第三次督办")).StatusCode);
        var third = Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "DubanIssued");
        Assert.Equal((NotificationChannel.InApp, NotificationState.Sent), (third.Channel, third.State));
    }

    [Fact]
    public async Task A_plan_goes_to_the_first_responsible_person_back_to_the_office_and_once_adopted_into_the_units_work()
    {
        app.RequireAvailable();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = "交接通知测试巡察" + suffix,
            ["Kind"] = "Xuncha",
            ["Round"] = "十五届第七轮",
            ["Team"] = "测试巡察组" + suffix,
            ["InspectedOrganizationId"] = app.InspectedOrganization,
            ["ExtendedScope"] = string.Empty,
            ["OnSiteFrom"] = "2026-03-01",
            ["OnSiteTo"] = "2026-04-30",
            ["FeedbackDate"] = "2026-06-15",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var plan = created.Headers.Location!.OriginalString;
        var inspection = int.Parse(PlanPathRegex().Match(plan).Groups[1].Value, CultureInfo.InvariantCulture);
        Task<HttpResponseMessage> Post(HttpClient client, string handler, Dictionary<string, string> form) => client.PostFromPageAsync(plan, $"{plan}?handler={handler}", form);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Category", new() { ["title"] = "落实主体责任方面" })).StatusCode);
        var category = await app.WithDbAsync(db => db.FindingCategories.Where(c => c.InspectionId == inspection).Select(c => c.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Finding", new() { ["categoryId"] = $"{category}", ["title"] = "议事规则执行不严" })).StatusCode);
        var finding = await app.WithDbAsync(db => db.Findings.Where(f => f.InspectionId == inspection).Select(f => f.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Measure", new() { ["findingId"] = $"{finding}", ["text"] = "修订议事规则", ["kind"] = "TimeBound", ["deadline"] = "2026-12-31", ["newLeadUnit"] = "纪检监察办", ["newLeader"] = "交接测试领导" + suffix })).StatusCode);

        // 报审: the 第一责任人 is asked, with a link to the plan that opens for them.
        var start = await LastIdAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Plan", new() { ["planAction"] = "Submit" })).StatusCode);
        var submitted = Assert.Single(await HandOffsOfAsync("secretary", start), m => m.Kind == "PlanSubmitted");
        Assert.Equal(plan, submitted.Link);
        Assert.Contains($"href=\"{plan}\"", await secretary.GetStringAsync(new Uri("/inbox", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync(new Uri(plan, UriKind.Relative), Ct)).StatusCode);
        Assert.Empty(await HandOffsOfAsync("office", start));
        Assert.Empty(await HandOffsOfAsync("unit", start));

        // 退回: the office hears why; then 审定: the office hears it, and the lead unit's reporters that the measure is in 待办.
        Assert.Equal(HttpStatusCode.Redirect, (await Post(secretary, "Plan", new() { ["planAction"] = "Return", ["reason"] = "请补充配合单位" })).StatusCode);
        Assert.Contains("请补充配合单位", Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "PlanReturned" && m.Channel == NotificationChannel.InApp).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(office, "Plan", new() { ["planAction"] = "Submit" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(secretary, "Plan", new() { ["planAction"] = "Approve", ["meetingName"] = "党委会", ["meetingDate"] = "2026-07-01" })).StatusCode);
        Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "PlanAdopted" && m.Channel == NotificationChannel.InApp);
        var assigned = Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "MeasuresAssigned" && m.Channel == NotificationChannel.InApp);
        Assert.Contains("1 条整改措施", assigned.Subject, StringComparison.Ordinal);
        Assert.Equal("/work", assigned.Link);
        Assert.DoesNotContain(await HandOffsOfAsync("secretary", start), m => m.Kind is "PlanAdopted" or "PlanReturned");
    }

    [Fact]
    public async Task An_extension_goes_to_the_office_then_the_measures_leader_and_its_decision_back_to_the_unit()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[4];
        var page = $"/measures/{id}";
        var deadline = await app.WithDbAsync(db => db.Measures.Where(m => m.Id == id).Select(m => m.Deadline).SingleAsync(Ct));
        var revised = (deadline > app.Today ? deadline!.Value : app.Today).AddDays(45);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        var start = await LastIdAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string>
        {
            ["requestedDeadline"] = revised.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["extensionReason"] = "需协调市级部门，时间不足",
        })).StatusCode);
        Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "ExtensionRequested" && m.MeasureId == id && m.Channel == NotificationChannel.InApp);
        Assert.Empty(await HandOffsOfAsync("leader", start));
        var extension = await app.WithDbAsync(db => db.DeadlineExtensions.Where(e => e.MeasureId == id).OrderByDescending(e => e.Number).Select(e => e.Id).FirstAsync(Ct));
        var step = new Dictionary<string, string> { ["extensionId"] = extension.ToString(CultureInfo.InvariantCulture) };

        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(page, page + "?handler=ExtensionStep", new Dictionary<string, string>(step) { ["decision"] = "forward" })).StatusCode);
        Assert.Single(await HandOffsOfAsync("leader", start), m => m.Kind == "ExtensionForwarded" && m.MeasureId == id);
        Assert.Empty(await HandOffsOfAsync("secretary", start));

        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFromPageAsync(page, page + "?handler=ExtensionStep", new Dictionary<string, string>(step) { ["decision"] = "approve" })).StatusCode);
        var approved = Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "ExtensionApproved" && m.Channel == NotificationChannel.InApp);
        Assert.Contains(revised.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), approved.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("leader", start), m => m.Kind == "ExtensionApproved");
        Assert.DoesNotContain(await HandOffsOfAsync("unit", start), m => m.Kind == "ExtensionRequested");
    }

    [Fact]
    public async Task A_look_back_that_finds_a_rebound_tells_the_units_reporters_and_not_the_office_that_recorded_it()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[5];
        await app.AcceptedReportAsync(id);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(unit, id, MeasureAction.ApplyForSignOff)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(office, id, MeasureAction.AcceptApplication)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(leader, id, MeasureAction.Approve)).StatusCode);
        Task<HttpResponseMessage> Post(string handler, Dictionary<string, string> fields) => office.PostFromPageAsync($"/measures/{id}", $"/measures/{id}?handler={handler}", fields);
        Assert.Equal(HttpStatusCode.Redirect, (await Post("ScheduleLookBack", [])).StatusCode);
        var lookBack = await app.WithDbAsync(db => db.LookBacks.Where(l => l.MeasureId == id && l.Result == null).Select(l => l.Id).SingleAsync(Ct));
        var start = await LastIdAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await Post("LookBack", new() { ["lookBackId"] = $"{lookBack}", ["result"] = "Rebound", ["finding"] = "河涌黑点再次出现" })).StatusCode);
        var rebound = Assert.Single(await HandOffsOfAsync("unit", start), m => m.Kind == "Rebound" && m.Channel == NotificationChannel.InApp);
        Assert.Equal(id, rebound.MeasureId);
        Assert.DoesNotContain("河涌黑点", rebound.Body, StringComparison.Ordinal);
        Assert.Empty(await HandOffsOfAsync("office", start));
    }

    [Fact]
    public async Task The_public_notice_goes_to_the_first_responsible_person_and_back_and_a_days_opinions_reach_the_office_as_one_counted_line()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        var today = app.Today;
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync("/Account/Notifications", "/Account/Notifications", new Dictionary<string, string>
        {
            ["emailEnabled"] = "true", ["emailAddress"] = "office@example.gov.cn", ["mode"] = "each", ["quietFrom"] = "22:00", ["quietUntil"] = "07:00",
        })).StatusCode);
        var link = $"/inspections/{id}/publication";
        var start = await LastIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today, DisclosureTo = today.AddDays(30) });
        Assert.Empty(await HandOffsOfAsync("secretary", start));

        // 送审 → the 第一责任人, who opens it; 退回 → the office with the reason (in the inbox only); 审定 → the office.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        var submitted = Assert.Single(await HandOffsOfAsync("secretary", start), m => m.Kind == "PublicationSubmitted");
        Assert.Equal(link, submitted.Link);
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync(new Uri(link, UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Return", await app.VersionAsync(id), [new("reason", "完成率口径需核对")])).StatusCode);
        var returned = (await HandOffsOfAsync("office", start)).Where(m => m.Kind == "PublicationReturned").ToList();
        Assert.Contains("完成率口径需核对", returned.Single(m => m.Channel == NotificationChannel.InApp).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("完成率口径需核对", returned.Single(m => m.Channel == NotificationChannel.Email).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "PublicationApproved" && m.Channel == NotificationChannel.InApp);
        Assert.DoesNotContain(await HandOffsOfAsync("secretary", start), m => m.Kind is "PublicationReturned" or "PublicationApproved");

        // Three opinions in a day: one line in the office's inbox that counts them, one email, none of the public's words.
        var key = await app.KeyAsync(id);
        using var visitor = app.Client();
        foreach (var text in new[] { "第一条意见：河涌仍有异味。", "第二条意见：公示栏未更新。", "第三条意见：建议增加夜间巡查。" })
        {
            Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(visitor, key, text)).Response.StatusCode);
        }

        var opinions = (await HandOffsOfAsync("office", start)).Where(m => m.Kind == "OpinionsReceived").ToList();
        var line = Assert.Single(opinions, m => m.Channel == NotificationChannel.InApp);
        Assert.Contains("3 条", line.Subject, StringComparison.Ordinal);
        Assert.Equal($"/inspections/{id}/opinions", line.Link);
        Assert.Single(opinions, m => m.Channel == NotificationChannel.Email);
        Assert.DoesNotContain("意见：", string.Concat(opinions.Select(m => m.Body)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri(line.Link!, UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task An_opinion_handed_to_a_unit_reaches_its_reporter_who_reports_what_was_done_back_to_the_office_without_the_senders_contact()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        var today = app.Today;
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today, DisclosureTo = today.AddDays(30) });
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        using var visitor = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(visitor, await app.KeyAsync(id), "河涌夜间仍有偷排，建议加强巡查。", "13700001234")).Response.StatusCode);
        var opinion = await app.WithDbAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id).Select(o => new { o.Id, o.ReceiptCode }).SingleAsync(Ct));
        var unitOrg = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.OrganizationId!.Value).SingleAsync(Ct));

        // Nothing handed over yet: the unit's page is empty and 待办 has no such section.
        Assert.Contains("目前没有交办给本单位的意见建议", await unit.GetStringAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct), StringComparison.Ordinal);

        // The office's 待办 lists it as newly received, for this inspection, linked to the inbox's received opinions.
        async Task<string?> OfficeWaitingAsync(string state) =>
            new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct))
                .QuerySelector($"[data-section=opinions] a[href='/inspections/{id}/opinions?state={state}']")?.ParentElement?.ParentElement?.QuerySelector(".num")?.TextContent;
        Assert.Equal(("1", null), (await OfficeWaitingAsync("Received"), await OfficeWaitingAsync("Assigned")));

        // 交办 to the unit: its reporter is told (in the inbox and by email, none of the sender's words), with a link it can open.
        await app.SetUnitPreferencesAsync();
        var start = await LastIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, opinion.Id, "Assign", [new("unit", unitOrg.ToString(CultureInfo.InvariantCulture))])).StatusCode);
        var told = (await HandOffsOfAsync("unit", start)).Where(m => m.Kind == "OpinionAssigned").ToList();
        Assert.Contains(told, m => m.Channel == NotificationChannel.InApp);
        Assert.All(told, m => Assert.Equal($"/opinions/assigned?only={opinion.Id}", m.Link));
        Assert.DoesNotContain("偷排", string.Concat(told.Select(m => m.Subject + m.Body)), StringComparison.Ordinal);
        Assert.DoesNotContain(await HandOffsOfAsync("office", start), m => m.Kind == "OpinionAssigned");

        // The unit reads the words and the state, never the contact or the receipt code; 待办 counts it.
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct));
        var card = page.QuerySelector($"[data-opinion='{opinion.Id}']");
        Assert.NotNull(card);
        Assert.Contains("河涌夜间仍有偷排", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("待报送办理情况", card.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("13700001234", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("0001234", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(opinion.ReceiptCode[..4], card.TextContent, StringComparison.Ordinal);
        var work = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct));
        Assert.Equal("1", work.QuerySelector("#opinions .badge")?.TextContent);

        // An empty account is refused and nothing is written; a real one is kept, and the office is told.
        var version = card.QuerySelector("input[name=version]")!.GetAttribute("value")!;
        var empty = await unit.PostFromPageAsync("/opinions/assigned", "/opinions/assigned?handler=Respond", new Dictionary<string, string> { ["opinion"] = opinion.Id.ToString(CultureInfo.InvariantCulture), ["version"] = version, ["response"] = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("请填写办理情况", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await app.WithDbAsync(db => db.PublicOpinions.Where(o => o.Id == opinion.Id).Select(o => o.UnitResponse).SingleAsync(Ct)));
        start = await LastIdAsync();
        var done = await unit.FollowedAsync(await unit.PostFromPageAsync("/opinions/assigned", "/opinions/assigned?handler=Respond", new Dictionary<string, string> { ["opinion"] = opinion.Id.ToString(CultureInfo.InvariantCulture), ["version"] = version, ["response"] = "已安排夜间巡查，查处偷排一起。" }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("已报送办理情况", await done.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var handled = Assert.Single(await HandOffsOfAsync("office", start), m => m.Kind == "OpinionHandled" && m.Channel == NotificationChannel.InApp);
        Assert.Equal((null, "1"), (await OfficeWaitingAsync("Received"), await OfficeWaitingAsync("Assigned")));
        Assert.Equal($"/inspections/{id}/opinions?only={opinion.Id}", handled.Link);
        Assert.DoesNotContain("查处偷排", handled.Body, StringComparison.Ordinal);
        Assert.Empty(await HandOffsOfAsync("unit", start));
        var inbox = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct));
        Assert.Contains("已安排夜间巡查，查处偷排一起。", inbox.QuerySelector($"[data-opinion='{opinion.Id}'] .opinion-response")?.TextContent, StringComparison.Ordinal);
        work = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct));
        Assert.Equal("0", work.QuerySelector("#opinions .badge")?.TextContent);

        // Another organization's office reads nothing of it, and an account without the unit's role cannot answer for it.
        using var other = await app.SignedInAsync(await OtherOfficeAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostFromPageAsync("/work", "/opinions/assigned?handler=Respond", new Dictionary<string, string> { ["opinion"] = opinion.Id.ToString(CultureInfo.InvariantCulture), ["version"] = version, ["response"] = "冒充" })).StatusCode);

        // Handed on to a unit nobody reports for: the office is told nobody will hear; the last unit's account stays with the office.
        var unheard = await app.WithDbAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.InspectedOrganizationId).SingleAsync(Ct));
        var moved = await NoticeSteps.ActOnOpinionAsync(office, id, opinion.Id, "Assign", [new("unit", unheard.ToString(CultureInfo.InvariantCulture))]);
        Assert.Contains("无人会收到通知", await moved.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        inbox = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/opinions?only={opinion.Id}", UriKind.Relative), Ct));
        Assert.Contains("已安排夜间巡查，查处偷排一起。", inbox.QuerySelector($"[data-opinion='{opinion.Id}'] .opinion-earlier")?.TextContent, StringComparison.Ordinal);
        Assert.Null(inbox.QuerySelector($"[data-opinion='{opinion.Id}'] .opinion-response"));
        Assert.Null(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct)).QuerySelector($"[data-opinion='{opinion.Id}']"));

        // A unit outside the office's organization is refused, not silently dropped.
        var outside = await app.WithDbAsync(db => db.Organizations.Where(o => o.Name == "中共另一市委员会").Select(o => o.Id).SingleAsync(Ct));
        var refusedUnit = await NoticeSteps.ActOnOpinionAsync(office, id, opinion.Id, "Assign", [new("unit", outside.ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.BadRequest, refusedUnit.StatusCode);
        Assert.Contains("不在您的管理范围内", await refusedUnit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Back to the unit, which answers again; once the office closes it, the unit can no longer change its account.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, opinion.Id, "Assign", [new("unit", unitOrg.ToString(CultureInfo.InvariantCulture))])).StatusCode);
        var again = await app.WithDbAsync(db => db.PublicOpinions.Where(o => o.Id == opinion.Id).Select(o => o.Version).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await unit.FollowedAsync(await unit.PostFromPageAsync("/opinions/assigned", "/opinions/assigned?handler=Respond", new Dictionary<string, string> { ["opinion"] = opinion.Id.ToString(CultureInfo.InvariantCulture), ["version"] = again.ToString(CultureInfo.InvariantCulture), ["response"] = "已安排夜间巡查，查处偷排一起。" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, opinion.Id, "Close", [])).StatusCode);
        var closed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct));
        Assert.Null(closed.QuerySelector($"[data-opinion='{opinion.Id}'] form"));
        var current = await app.WithDbAsync(db => db.PublicOpinions.Where(o => o.Id == opinion.Id).Select(o => o.Version).SingleAsync(Ct));
        var late = await unit.PostFromPageAsync("/opinions/assigned", "/opinions/assigned?handler=Respond", new Dictionary<string, string> { ["opinion"] = opinion.Id.ToString(CultureInfo.InvariantCulture), ["version"] = current.ToString(CultureInfo.InvariantCulture), ["response"] = "补充" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("已安排夜间巡查，查处偷排一起。", await app.WithDbAsync(db => db.PublicOpinions.Where(o => o.Id == opinion.Id).Select(o => o.UnitResponse).SingleAsync(Ct)));
    }

    [GeneratedRegex(@"name=""version"" value=""(\d+)""")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"/inspections/(\d+)/plan")]
    private static partial Regex PlanPathRegex();
}

public sealed class HandOffSqliteApp() : NotifyApp(Provider.Sqlite, failingHooks: false);

public sealed class HandOffPostgresApp() : NotifyApp(Provider.Postgres, failingHooks: false);

public sealed class HandOffTestsOnSqlite(HandOffSqliteApp app) : HandOffTests(app), IClassFixture<HandOffSqliteApp>;

public sealed class HandOffTestsOnPostgres(HandOffPostgresApp app) : HandOffTests(app), IClassFixture<HandOffPostgresApp>;
