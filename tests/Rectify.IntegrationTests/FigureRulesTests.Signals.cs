using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Deadlines;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 红黄绿规则 per inspection (docs/rules.md): the default keeps every colour as it was; each option set on an inspection
/// changes its findings' colours alike on the overview page, the ledger page, the export and the API (ledger and
/// overview); only the office and the inspection body set them, audited; a bad value writes nothing.
/// </summary>
public abstract partial class FigureRulesTests
{
    private const string SignalRulesAction = "inspection.signal-rules";

    [Fact]
    public async Task The_default_rules_give_the_demo_the_colours_of_the_rule_before_them()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        using var overview = JsonDocument.Parse(await office.GetStringAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct));
        var root = overview.RootElement;
        var rules = root.GetProperty("signalRules");
        Assert.Equal(
            (false, 0, false, false),
            (rules.GetProperty("redWhenUnderDuban").GetBoolean(), rules.GetProperty("warnWithinWorkingDays").GetInt32(), rules.GetProperty("warnWhenReportReturned").GetBoolean(), rules.GetProperty("greenWhenOnTrack").GetBoolean()));

        // Red = 超期 or 逾期未报, green = done, yellow otherwise — the rule as it was written before it could be set.
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        var before = findings.ToDictionary(
            f => f.GetProperty("number").GetInt32(),
            f => f.GetProperty("pastDeadline").GetInt32() + f.GetProperty("missingReport").GetInt32() > 0 ? "Red"
                : f.GetProperty("completion").GetString() != "Open" ? "Green"
                : "Yellow");
        Assert.Equal(27, before.Count);
        Assert.Equal(before, findings.ToDictionary(f => f.GetProperty("number").GetInt32(), f => f.GetProperty("signal").GetString()!));
        var totals = root.GetProperty("totals");
        Assert.Equal(
            (before.Values.Count(s => s == "Red"), before.Values.Count(s => s == "Yellow"), before.Values.Count(s => s == "Green")),
            (totals.GetProperty("redFindings").GetInt32(), totals.GetProperty("yellowFindings").GetInt32(), totals.GetProperty("greenFindings").GetInt32()));

        // The ledger says the same of each finding, and both pages state the rule in force.
        var ledger = await LedgerApiAsync(office, app.InspectionId, await MeasureIdsAsync(app.InspectionId));
        Assert.Equal(before, ledger.Signals);
        const string Legend = "红：有措施超期或逾期未报；黄：其余整改中的问题；绿：已完成或持续整改。";
        Assert.Contains(Legend, await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/overview", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Contains(Legend, await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_duban_turns_its_finding_red_under_the_rule_and_closing_it_turns_it_back()
    {
        app.RequireAvailable();
        var id = await CreateAsync(
            "口径核对：督办未办结",
            new("1.1", MeasureKind.TimeBound, Today.AddDays(30), Walk.InProgress),
            new("1.2", MeasureKind.TimeBound, Today.AddDays(40), Walk.InProgress),
            new("2.1", MeasureKind.TimeBound, Today.AddDays(30), Walk.InProgress));
        var ids = await MeasureIdsAsync(id);
        var notice = await IssueDubanAsync(id, ids["1.1"]);
        Expected Saying(string first) => new Expected(
            new() { ["Findings"] = 2, ["RedFindings"] = first == "Red" ? 1 : 0, ["YellowFindings"] = first == "Red" ? 1 : 2, ["GreenFindings"] = 0 },
            ids.Keys.ToDictionary(k => k, _ => ("Open", "None")),
            new() { [1] = first, [2] = "Yellow" },
            []);

        // By default an open 督办 changes no colour.
        await AssertEverySurfaceSaysAsync(id, Saying("Yellow"));

        using var office = await app.SignedInAsync("office");
        var path = $"/inspections/{id}/overview";
        var audited = await AuditCountAsync(id);
        var set = await office.FollowedAsync(await office.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true", ["warnWithinWorkingDays"] = "0" }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var page = await set.Content.ReadAsStringAsync(Ct);
        Assert.Contains("已保存红黄绿规则。", page, StringComparison.Ordinal);
        Assert.Contains("红：有措施超期、逾期未报或督办未办结；黄：其余整改中的问题；绿：已完成或持续整改。", page, StringComparison.Ordinal);
        Assert.Equal(audited + 1, await AuditCountAsync(id));
        await AssertEverySurfaceSaysAsync(id, Saying("Red"));
        Assert.Contains("红：有措施超期、逾期未报或督办未办结", await office.GetStringAsync(new Uri($"/inspections/{id}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Replied is not closed yet; closed (办结) is.
        await ActOnDubanAsync(notice, n => n.ReplyWith("已整改到位", new Actor("figures-unit", "单位"), TimeProvider.System));
        await AssertEverySurfaceSaysAsync(id, Saying("Red"));
        await ActOnDubanAsync(notice, n => n.Close(accept: true, "同意办结", new Actor("figures-office", "整改办"), TimeProvider.System));
        await AssertEverySurfaceSaysAsync(id, Saying("Yellow"));
    }

    [Fact]
    public async Task A_deadline_within_five_working_days_across_a_holiday_and_a_returned_report_warn_and_six_days_ahead_is_on_track()
    {
        app.RequireAvailable();

        // A holiday in the coming days, in the official calendar as an operator would import it (this year's listed
        // days kept): the window of five working days then reaches past it. Put back as it was afterwards.
        var today = Today;
        var holiday = Enumerable.Range(1, 10).Select(today.AddDays).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Take(2).ToList();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var years = new[] { today.Year, today.AddDays(20).Year }.Distinct().ToList();
            db.CalendarDays.AddRange(HolidayFile.Shipped.Where(y => years.Contains(y.Year)).SelectMany(y => y.Days).Where(d => !holiday.Contains(d.Date))
                .Concat(holiday.Select(d => new CalendarDay(d, IsOffDay: true, "测试假日")))
                .Select(d => new ImportedCalendarDay { Date = d.Date, Year = d.Date.Year, IsOffDay = d.IsOffDay, Name = d.Name, ImportedAtUtc = DateTime.UtcNow }));
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            WorkingCalendar calendar;
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                calendar = await new CalendarStore(scope.ServiceProvider.GetRequiredService<RectifyDbContext>()).LoadAsync(Ct);
            }

            var five = calendar.AddWorkingDays(today, 5);
            var six = calendar.AddWorkingDays(today, 6);
            Assert.True(five > WorkingCalendar.WeekdaysOnly.AddWorkingDays(today, 5), "the window reaches past the holiday");
            Assert.All(holiday, d => Assert.InRange(d, today, five));

            var id = await CreateAsync(
                "口径核对：临期与退回",
                new("1.1", MeasureKind.TimeBound, five, Walk.InProgress),
                new("2.1", MeasureKind.Immediate, six, Walk.InProgress),
                new("3.1", MeasureKind.TimeBound, today.AddDays(90), Walk.InProgress),
                new("4.1", MeasureKind.TimeBound, today.AddDays(-1), Walk.InProgress),
                new("5.1", MeasureKind.TimeBound, today.AddDays(2), Walk.SignedOff));
            var ids = await MeasureIdsAsync(id);
            var report = await FileAndReturnAsync(ids["3.1"]);
            Expected Saying(Dictionary<int, string> signals) => new Expected(
                new()
                {
                    ["Findings"] = 5, ["PastDeadlineMeasures"] = 1, ["CompletedFindings"] = 1,
                    ["RedFindings"] = signals.Values.Count(s => s == "Red"), ["YellowFindings"] = signals.Values.Count(s => s == "Yellow"), ["GreenFindings"] = signals.Values.Count(s => s == "Green"),
                },
                ids.Keys.ToDictionary(k => k, k => k switch { "4.1" => ("Open", "PastDeadline"), "5.1" => ("Completed", "None"), _ => ("Open", "None") }),
                signals,
                []);

            // The default: nothing warned of.
            await AssertEverySurfaceSaysAsync(id, Saying(new() { [1] = "Yellow", [2] = "Yellow", [3] = "Yellow", [4] = "Red", [5] = "Green" }));

            // Through the API, with the office's personal token.
            using var api = await TokenClientAsync("office");
            var set = await api.PostAsJsonAsync($"/api/v1/inspections/{id}/signal-rules", new { warnWithinWorkingDays = 5, warnWhenReportReturned = true, greenWhenOnTrack = true }, Ct);
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            await AssertEverySurfaceSaysAsync(id, Saying(new() { [1] = "Yellow", [2] = "Green", [3] = "Yellow", [4] = "Red", [5] = "Green" }));

            using var office = await app.SignedInAsync("office");
            var overview = await office.GetStringAsync(new Uri($"/inspections/{id}/overview", UriKind.Relative), Ct);
            Assert.Contains("红：有措施超期或逾期未报；黄：有措施 5 个工作日内到期或最近一次报送被退回；绿：已完成、持续整改，或整改中且无上述情形（正常推进）。", overview, StringComparison.Ordinal);
            Assert.Contains($"即 {five:yyyy-MM-dd} 及以前到期的措施预警", overview, StringComparison.Ordinal);

            // A new report after the returned one: nothing to warn of any more.
            await FileAndReturnAsync(ids["3.1"], after: report, returned: false);
            await AssertEverySurfaceSaysAsync(id, Saying(new() { [1] = "Yellow", [2] = "Green", [3] = "Green", [4] = "Red", [5] = "Green" }));
        }
        finally
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await db.CalendarDays.ExecuteDeleteAsync(Ct);
            await ContentVersion.BumpAsync(db, Ct);
        }
    }

    [Fact]
    public async Task Only_the_office_and_the_inspection_body_set_the_rules_and_a_bad_value_writes_nothing()
    {
        app.RequireAvailable();
        var id = await CreateAsync("口径核对：红黄绿规则的设置", new Planned("1.1", MeasureKind.TimeBound, Today.AddDays(3), Walk.InProgress));
        var path = $"/inspections/{id}/overview";
        var stored = StoredRulesAsync(id);
        var audited = await AuditCountAsync(id);

        // A unit reporter (and a leader) may not: 403 on the page and the API; the form is not shown to them.
        using var unit = await app.SignedInAsync("unit");
        Assert.DoesNotContain("handler=SignalRules", await unit.GetStringAsync(new Uri(path, UriKind.Relative), Ct), StringComparison.Ordinal);
        var refused = await unit.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("只有整改办或巡察机构可以设置红黄绿规则。", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using (var unitApi = await TokenClientAsync("unit"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await unitApi.PostAsJsonAsync($"/api/v1/inspections/{id}/signal-rules", new { redWhenUnderDuban = true }, Ct)).StatusCode);
        }

        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true" })).StatusCode);

        // One who may not set the 整改时限政策 is told only that, whatever was typed (letters too).
        foreach (var typed in new[] { "5", "abc" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostFromPageAsync(path, path + "?handler=Policy", new Dictionary<string, string> { ["immediateWorkingDays"] = typed, ["timeBoundMonths"] = "4" })).StatusCode);
        }

        // Another organization's inspection does not exist for a caller: 404.
        using (var office = await TokenClientAsync("office"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync("/api/v1/inspections/999999/signal-rules", new { redWhenUnderDuban = true }, Ct)).StatusCode);

            // Out of range: a clear Chinese error, nothing written.
            foreach (var days in new[] { -1, 61 })
            {
                var bad = await office.PostAsJsonAsync($"/api/v1/inspections/{id}/signal-rules", new { redWhenUnderDuban = true, warnWithinWorkingDays = days }, Ct);
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                Assert.Contains("临期预警的工作日数须是 0 到 60 之间的整数", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
        }

        using var officePage = await app.SignedInAsync("office");
        foreach (var typed in new[] { "-3", "61", "五" })
        {
            var bad = await officePage.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true", ["warnWithinWorkingDays"] = typed });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await bad.Content.ReadAsStringAsync(Ct));
            Assert.Contains("临期预警的工作日数须是 0 到 60 之间的整数", shown.QuerySelector(".error-box")?.TextContent, StringComparison.Ordinal);

            // What was typed is shown again, the box ticked as it was sent.
            Assert.Equal(typed, shown.QuerySelector(".signal-rules-form input[name=warnWithinWorkingDays]")?.GetAttribute("value"));
            Assert.True(shown.QuerySelector(".signal-rules-form input[name=redWhenUnderDuban]")?.HasAttribute("checked"));
        }

        // A 整改时限政策 that is not a whole number is shown as typed, not saved as "not set".
        var policy = await officePage.PostFromPageAsync(path, path + "?handler=Policy", new Dictionary<string, string> { ["immediateWorkingDays"] = "abc", ["timeBoundMonths"] = "4" });
        Assert.Equal(HttpStatusCode.BadRequest, policy.StatusCode);
        var policyPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await policy.Content.ReadAsStringAsync(Ct));
        Assert.Contains("立行立改的工作日数应为整数，收到“abc”", policyPage.QuerySelector(".error-box")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("4", policyPage.QuerySelector("#deadline-policy input[name=timeBoundMonths]")?.GetAttribute("value"));

        // A handler the page does not have is 404, never the page drawn without what it shows.
        Assert.Equal(HttpStatusCode.NotFound, (await officePage.PostFromPageAsync(path, path + "?handler=Nope", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officePage.PostFromPageAsync(path, path, new Dictionary<string, string>())).StatusCode);

        Assert.Equal(await stored, await StoredRulesAsync(id));
        Assert.Equal(SignalRules.Default, await StoredRulesAsync(id));
        Assert.Equal(audited, await AuditCountAsync(id));

        // The inspection body sets them for an inspection it oversees; the change is audited with before and after.
        using var body = await app.SignedInAsync("inspector");
        var set = await body.FollowedAsync(await body.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true", ["warnWithinWorkingDays"] = "10", ["greenWhenOnTrack"] = "true" }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new SignalRules(true, 10, false, true), await StoredRulesAsync(id));
        Assert.Equal(audited + 1, await AuditCountAsync(id));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var entry = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.AsNoTracking()
                .Where(e => e.Action == SignalRulesAction && e.ObjectId == id.ToString(CultureInfo.InvariantCulture)).OrderByDescending(e => e.Id).FirstAsync(Ct);
            Assert.Contains("\"warnWithinWorkingDays\":10", entry.After, StringComparison.Ordinal);
            Assert.Contains("\"warnWithinWorkingDays\":0", entry.Before, StringComparison.Ordinal);
        }

        // Setting the same rules again changes and records nothing.
        Assert.Equal(HttpStatusCode.OK, (await body.FollowedAsync(await body.PostFromPageAsync(path, path + "?handler=SignalRules", new Dictionary<string, string> { ["redWhenUnderDuban"] = "true", ["warnWithinWorkingDays"] = "10", ["greenWhenOnTrack"] = "true" }))).StatusCode);
        Assert.Equal(audited + 1, await AuditCountAsync(id));
    }

    private async Task<HttpClient> TokenClientAsync(string user)
    {
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user, "红黄绿规则核对", 1, Ct);
        }

        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<int> AuditCountAsync(int inspection)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var objectId = inspection.ToString(CultureInfo.InvariantCulture);
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.CountAsync(e => e.Action == SignalRulesAction && e.ObjectId == objectId, Ct);
    }

    private async Task<SignalRules> StoredRulesAsync(int inspection)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Inspections.AsNoTracking().Where(i => i.Id == inspection)
            .Select(i => new SignalRules(i.SignalRules.RedWhenUnderDuban, i.SignalRules.WarnWithinWorkingDays, i.SignalRules.WarnWhenReportReturned, i.SignalRules.GreenWhenOnTrack))
            .SingleAsync(Ct);
    }

    /// <summary>The office issues a 督办单 on one measure to its lead unit (numbered after the issuer's last one this year).</summary>
    private async Task<int> IssueDubanAsync(int inspectionId, int measureId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var inspection = await db.Inspections.SingleAsync(i => i.Id == inspectionId, Ct);
        var measure = await db.Measures.Include(m => m.LeadUnit).Include(m => m.Finding).SingleAsync(m => m.Id == measureId, Ct);
        var year = Today.Year;
        var sequence = (await db.SupervisionNotices.Where(n => n.IssuerId == inspection.InspectedOrganizationId && n.Year == year).MaxAsync(n => n.Sequence, Ct) ?? 0) + 1;
        var notice = SupervisionNotice.IssueDuban(inspection, measure.LeadUnit!, [measure], inspection.InspectedOrganizationId, year, sequence, "进度滞后", "请加快整改", "书面回复整改情况", Today.AddDays(5), Today, new Actor("figures-office", "整改办"), TimeProvider.System);
        db.Add(notice);
        await db.SaveChangesAsync(Ct);
        return notice.Id;
    }

    private async Task ActOnDubanAsync(int noticeId, Action<SupervisionNotice> act)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        act(await db.SupervisionNotices.SingleAsync(n => n.Id == noticeId, Ct));
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The unit files a report on the measure and (unless told otherwise) the office returns it, as the report service does.</summary>
    private async Task<int> FileAndReturnAsync(int measureId, int? after = null, bool returned = true)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var measure = await db.Measures.Include(m => m.Inspection).SingleAsync(m => m.Id == measureId, Ct);
        var previous = after is { } p ? await db.ProgressReports.SingleAsync(r => r.Id == p, Ct) : null;
        var report = ProgressReport.File(measure, previous, "本月进展", 40, Today, new Actor("figures-unit", "单位"), TimeProvider.System);
        db.Add(report);
        await db.SaveChangesAsync(Ct);
        if (returned)
        {
            report.Return(new Actor("figures-office", "整改办"), TimeProvider.System, "材料不全");
            measure.NoteReportSetAside(null);
            await db.SaveChangesAsync(Ct);
        }

        return report.Id;
    }
}
