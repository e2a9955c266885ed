using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 代报: the office files a unit's progress from what the unit handed in outside the system (a unit without an account,
/// a reporter away). It says on what basis, the unit's reporters are told, and someone else in the office reviews it.
/// </summary>
public abstract class OnBehalfReportTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Today => ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> FileOnBehalfAsync(HttpClient client, int measure, string? basis, string narrative = "据单位书面材料：制度已修订印发。", string handler = "ReportOnBehalf")
    {
        var page = await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(narrative), "narrative" },
            { new StringContent("80"), "percent" },
            { new StringContent(Today), "effectiveDate" },
        };
        if (basis is not null)
        {
            form.Add(new StringContent(basis), "onBehalfBasis");
        }

        var pdf = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% on behalf {measure} {Guid.NewGuid()}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", "单位书面报告.pdf");
        return await client.PostAsync(new Uri($"/measures/{measure}?handler={handler}", UriKind.Relative), form, Ct);
    }

    private async Task<T> WithDbAsync<T>(Func<RectifyDbContext, Task<T>> work)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private Task<List<ProgressReport>> ReportsAsync(int measure) =>
        WithDbAsync(db => db.ProgressReports.AsNoTracking().Where(r => r.MeasureId == measure).OrderBy(r => r.Number).ToListAsync(Ct));

    /// <summary>A second person in the office (the demo has one), to review what the first filed or applied for.</summary>
    private async Task<string> AnotherOfficeWorkerAsync(string prefix, string displayName)
    {
        var name = prefix + app.Provider;
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(name, displayName, app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        return name;
    }

    private Task<string> UserIdAsync(string userName) =>
        WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(Ct));

    [Fact]
    public async Task The_office_files_for_the_unit_says_on_what_basis_the_unit_is_told_and_someone_else_reviews_it()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[0];
        using var office = await app.SignedInAsync("office");
        var second = await AnotherOfficeWorkerAsync("office-b-", "整改办另一人");

        var before = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;

        // The office is offered the form (the unit's own form is not its to use).
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct));
        Assert.NotNull(page.QuerySelector("#report-on-behalf form input[name=onBehalfBasis][required]"));
        Assert.Null(page.QuerySelector("form[action*='handler=Report&'], form[action$='handler=Report']"));

        var filed = await FileOnBehalfAsync(office, measure, "  据纪检监察办12月1日报送的书面材料\u200B  ");
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var report = Assert.Single(await ReportsAsync(measure));
        Assert.Equal("据纪检监察办12月1日报送的书面材料", report.OnBehalfBasis);
        Assert.Equal(ProgressReportState.Submitted, report.State);
        Assert.Equal(await UserIdAsync("office"), report.SubmittedByUserId);

        // Shown as 代报 with its basis, to the office and to the unit.
        using var unit = await app.SignedInAsync("unit");
        foreach (var reader in new[] { office, unit })
        {
            var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await reader.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct));
            var card = shown.QuerySelector($"[data-report-id='{report.Id}']");
            Assert.NotNull(card);
            Assert.NotNull(card.QuerySelector(".on-behalf-badge"));
            Assert.Contains("据纪检监察办12月1日报送的书面材料", card.QuerySelector(".on-behalf-basis")?.TextContent, StringComparison.Ordinal);
        }

        // The unit's reporter hears of it; the rest of the office hears there is a report to review; the filer hears nothing of their own step.
        var unitId = await UserIdAsync("unit");
        var officeId = await UserIdAsync("office");
        var secondId = await UserIdAsync(second);
        var told = await WithDbAsync(db => db.Notifications.Where(n => n.Id > before && n.MeasureId == measure).Select(n => new { n.Kind, n.RecipientUserId }).ToListAsync(Ct));
        Assert.Contains(told, n => n.Kind == "ReportFiledOnBehalf" && n.RecipientUserId == unitId);
        Assert.Contains(told, n => n.Kind == "ReportFiled" && n.RecipientUserId == secondId);
        Assert.DoesNotContain(told, n => n.RecipientUserId == officeId);

        // The office worker who filed it does not accept it; another may.
        var review = new Dictionary<string, string> { ["reportId"] = report.Id.ToString(CultureInfo.InvariantCulture), ["decision"] = "accept", ["reason"] = string.Empty };
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", review)).StatusCode);
        using var other = await app.SignedInAsync(second);

        // Reviewed from its own measure's page only: another measure's page does not reach it.
        var elsewhere = app.UnitMeasuresInProgress[4];
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFromPageAsync($"/measures/{elsewhere}", $"/measures/{elsewhere}?handler=Review", review)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", review)).StatusCode);
        Assert.Equal(ProgressReportState.Accepted, (await ReportsAsync(measure)).Single().State);

        // The audit record says it was a 代报 and on what basis.
        var audited = await WithDbAsync(db => db.AuditEntries.Where(e => e.Action == Rectify.Audit.AuditActions.ReportSubmitted && e.ObjectId == report.Id.ToString(CultureInfo.InvariantCulture)).Select(e => e.After).SingleAsync(Ct));
        var basis = System.Text.Json.JsonDocument.Parse(audited!).RootElement.EnumerateObject().Single(p => p.Name.Equals("OnBehalfBasis", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("据纪检监察办12月1日报送的书面材料", basis.Value.GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u202E")]
    public async Task A_filing_on_behalf_without_a_basis_is_refused_and_nothing_typed_is_lost(string basis)
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[1];
        using var office = await app.SignedInAsync("office");
        var refused = await FileOnBehalfAsync(office, measure, basis, narrative: "这段进展不应丢失。");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Contains("代报须写明代报依据", html.QuerySelector("#report-on-behalf .error-box")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("这段进展不应丢失。", html.QuerySelector("#report-on-behalf textarea[name=narrative]")?.TextContent);
        Assert.NotNull(html.QuerySelector("#report-on-behalf[open]"));
        Assert.Empty(await ReportsAsync(measure));
    }

    [Fact]
    public async Task Nobody_but_the_office_files_on_behalf_and_the_office_does_not_file_as_the_unit()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[2];
        using var unit = await app.SignedInAsync("unit");
        using var leader = await app.SignedInAsync("leader");
        using var office = await app.SignedInAsync("office");

        var byUnit = await FileOnBehalfAsync(unit, measure, "据本单位材料");
        Assert.Equal(HttpStatusCode.Forbidden, byUnit.StatusCode);
        Assert.Contains("只有整改办可以代报进展", await byUnit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await FileOnBehalfAsync(leader, measure, "据单位材料")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FileOnBehalfAsync(office, measure, null, handler: "Report")).StatusCode);
        Assert.Empty(await ReportsAsync(measure));
    }

    [Fact]
    public async Task The_office_applies_for_sign_off_for_the_unit_with_a_basis_and_someone_else_in_the_office_accepts_it()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[5];
        using var office = await app.SignedInAsync("office");
        var second = await AnotherOfficeWorkerAsync("office-c-", "整改办第三人");

        using var other = await app.SignedInAsync(second);
        using var unit = await app.SignedInAsync("unit");

        // Sign-off rests on an accepted report: the office files one for the unit, another office worker accepts it.
        Assert.Equal(HttpStatusCode.Redirect, (await FileOnBehalfAsync(office, measure, "据纪检监察办报送的书面材料", narrative: "整改已全部完成。")).StatusCode);
        var report = Assert.Single(await ReportsAsync(measure));
        var accept = new Dictionary<string, string> { ["reportId"] = report.Id.ToString(CultureInfo.InvariantCulture), ["decision"] = "accept", ["reason"] = string.Empty };
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", accept)).StatusCode);

        // The office is offered 代为申请销号; the unit, which applies itself, is not.
        async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient client) =>
            new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct));
        Assert.NotNull((await PageAsync(office)).QuerySelector("#apply-on-behalf form textarea[name=basis][required]"));
        Assert.Null((await PageAsync(unit)).QuerySelector("#apply-on-behalf"));

        Task<Measure> MeasureAsync() => WithDbAsync(db => db.Measures.AsNoTracking().Include(m => m.Transitions).SingleAsync(m => m.Id == measure, Ct));
        Dictionary<string, string> Apply(string basis, int version) => new() { ["basis"] = basis, ["version"] = version.ToString(CultureInfo.InvariantCulture) };
        var version = (await MeasureAsync()).Version;

        // Through the API: the basis goes with 申请销号 only (400 otherwise), and only the office sends it (403).
        using (var officeApi = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, "office", "代为申请测试"))
        using (var unitApi = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, "unit", "代为申请测试"))
        {
            var wrongStep = await officeApi.PostAsJsonAsync(new Uri($"/api/v1/measures/{measure}/actions/Start", UriKind.Relative), new { version, onBehalfBasis = "据单位材料" }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, wrongStep.StatusCode);
            Assert.Contains("OnlyASignOffApplicationIsMadeOnBehalf", await wrongStep.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await unitApi.PostAsJsonAsync(new Uri($"/api/v1/measures/{measure}/actions/ApplyForSignOff", UriKind.Relative), new { version, onBehalfBasis = "据本单位材料" }, Ct)).StatusCode);
        }

        // Nobody else applies on the unit's behalf, and not without a basis.
        var byUnit = await unit.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=ApplyOnBehalf", Apply("据本单位材料", version));
        Assert.Equal(HttpStatusCode.Forbidden, byUnit.StatusCode);
        var blank = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=ApplyOnBehalf", Apply("\u3164 \u200B", version));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var refusedPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await blank.Content.ReadAsStringAsync(Ct));
        Assert.Contains("代为申请销号须写明依据", refusedPage.QuerySelector("#apply-on-behalf[open] .error-box")?.TextContent, StringComparison.Ordinal);
        var tooLong = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=ApplyOnBehalf", Apply(new string('据', ProgressReport.MaxOnBehalfBasis + 1), version));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(new string('据', ProgressReport.MaxOnBehalfBasis + 1), new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await tooLong.Content.ReadAsStringAsync(Ct)).QuerySelector("#apply-on-behalf textarea[name=basis]")?.TextContent);
        Assert.Equal(MeasureState.InProgress, (await MeasureAsync()).State);

        var before = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;
        var applied = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=ApplyOnBehalf", Apply(" 据纪检监察办12月2日报送的销号申请表\u202E ", version));
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        var after = await MeasureAsync();
        Assert.Equal(MeasureState.AwaitingReview, after.State);
        var step = after.Transitions.OrderBy(t => t.Id).Last();
        Assert.Equal((MeasureAction.ApplyForSignOff, await UserIdAsync("office")), (step.Action, step.ActorUserId));
        Assert.Equal(Measure.OnBehalfApplicationPrefix + "据纪检监察办12月2日报送的销号申请表", step.Reason);

        // The unit's reporter is told; the rest of the office is asked to review; the applicant hears nothing of their own step.
        var (unitId, otherId, officeId) = (await UserIdAsync("unit"), await UserIdAsync(second), await UserIdAsync("office"));
        var told = await WithDbAsync(db => db.Notifications.Where(n => n.Id > before && n.MeasureId == measure).Select(n => new { n.Kind, n.RecipientUserId }).ToListAsync(Ct));
        Assert.Contains(told, n => n.Kind == "SignOffAppliedOnBehalf" && n.RecipientUserId == unitId);
        Assert.Contains(told, n => n.Kind == "SignOffRequested" && n.RecipientUserId == otherId);
        Assert.DoesNotContain(told, n => n.RecipientUserId == officeId);

        // The applicant is not offered the review of their own application, and is told why; another office worker is.
        var ownPage = await PageAsync(office);
        Assert.Null(ownPage.QuerySelector("form button[name=action][value=AcceptApplication]"));
        Assert.NotNull(ownPage.QuerySelector(".separated-duties"));
        Assert.Null(ownPage.QuerySelector(".only-office-account"));
        Assert.NotNull((await PageAsync(other)).QuerySelector("form button[name=action][value=AcceptApplication]"));

        // With every other office account disabled, the page says nobody can take the step and what to do about it.
        async Task<List<string>> OthersEnabledAsync(DateTimeOffset? lockout)
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var officeRole = await db.Roles.Where(r => r.Name == Roles.RectificationOffice).Select(r => r.Id).SingleAsync(Ct);
            var others = await db.Users.Where(u => u.UserName != "office" && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == officeRole)).ToListAsync(Ct);
            others.ForEach(u => u.LockoutEnd = lockout);
            await db.SaveChangesAsync(Ct);
            return [.. others.Select(u => u.UserName!)];
        }

        Assert.NotEmpty(await OthersEnabledAsync(DateTimeOffset.MaxValue));
        Assert.Contains("整改办目前只有您一个账号", (await PageAsync(office)).QuerySelector(".only-office-account")?.TextContent, StringComparison.Ordinal);
        await OthersEnabledAsync(null);
        Assert.Null((await PageAsync(office)).QuerySelector(".only-office-account"));

        // Posted anyway, it is refused; another office worker accepts it.
        Dictionary<string, string> Act(string action, int v) => new() { ["action"] = action, ["reason"] = string.Empty, ["version"] = v.ToString(CultureInfo.InvariantCulture) };
        var own = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Act", Act(nameof(MeasureAction.AcceptApplication), after.Version));
        Assert.NotEqual(HttpStatusCode.Redirect, own.StatusCode);
        Assert.Equal(MeasureState.AwaitingReview, (await MeasureAsync()).State);
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Act", Act(nameof(MeasureAction.AcceptApplication), after.Version))).StatusCode);
        Assert.Equal(MeasureState.AwaitingApproval, (await MeasureAsync()).State);
    }

    [Fact]
    public async Task Through_the_api_the_basis_marks_a_filing_on_behalf()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[3];
        using var office = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, "office", "代报测试");
        using var unit = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, "unit", "代报测试");

        MultipartFormDataContent Form(string? basis)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent("据单位书面材料：已整改。"), "narrative" },
                { new StringContent("50"), "percent" },
                { new StringContent(Today), "effectiveDate" },
            };
            if (basis is not null)
            {
                form.Add(new StringContent(basis), "onBehalfBasis");
            }

            return form;
        }

        var url = new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative);
        using (var form = Form(null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        using (var form = Form("据单位材料"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsync(url, form, Ct)).StatusCode);
        }

        using (var form = Form(""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        using (var form = Form(new string('据', ProgressReport.MaxOnBehalfBasis + 1)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        foreach (var blank in new[] { "\u3164", "\u2800 \u00AD" })
        {
            using var form = Form(blank);
            Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        using (var form = Form("据纪检监察办邮件报送的材料"))
        {
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        // The same again (a replayed request): refused, not a second report.
        using (var form = Form("据纪检监察办邮件报送的材料"))
        {
            Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync(url, form, Ct)).StatusCode);
        }

        // The unit's own client sending the field empty files the unit's own report.
        using (var form = Form(""))
        {
            Assert.Equal(HttpStatusCode.Created, (await unit.PostAsync(url, form, Ct)).StatusCode);
        }

        var listed = System.Text.Json.JsonDocument.Parse(await office.GetStringAsync(url, Ct)).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal([null, "据纪检监察办邮件报送的材料"], listed.Select(r => r.GetProperty("onBehalfBasis").GetString()));
    }

    [Fact]
    public async Task A_report_filed_on_behalf_is_taken_back_by_the_office_not_by_the_unit_and_the_unit_is_told()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[6];
        var page = $"/measures/{measure}";
        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Redirect, (await FileOnBehalfAsync(office, measure, "据纪检监察办12月2日报送的书面材料")).StatusCode);
        var report = Assert.Single(await ReportsAsync(measure));
        var take = new Dictionary<string, string> { ["reportId"] = report.Id.ToString(CultureInfo.InvariantCulture) };

        // The unit reads the 代报 but it is not the unit's to take back.
        using var unit = await app.SignedInAsync("unit");
        Assert.DoesNotContain("撤回这份报送", await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostFromPageAsync(page, page + "?handler=WithdrawReport", take)).StatusCode);

        // From its own measure's page only.
        var elsewhere = app.UnitMeasuresInProgress[4];
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostFromPageAsync($"/measures/{elsewhere}", $"/measures/{elsewhere}?handler=WithdrawReport", take)).StatusCode);

        var before = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(page, page + "?handler=WithdrawReport", take)).StatusCode);
        Assert.Equal(ProgressReportState.Withdrawn, Assert.Single(await ReportsAsync(measure)).State);
        var unitId = await UserIdAsync("unit");
        Assert.Contains(await WithDbAsync(db => db.Notifications.Where(n => n.Id > before && n.MeasureId == measure).Select(n => new { n.Kind, n.RecipientUserId }).ToListAsync(Ct)),
            n => n.Kind == "ReportWithdrawn" && n.RecipientUserId == unitId);

        // The office's next 代报 form starts from it, its basis too.
        var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
        Assert.Equal("据纪检监察办12月2日报送的书面材料", shown.QuerySelector("#on-behalf-report-form input[name=onBehalfBasis]")?.GetAttribute("value"));
        Assert.NotNull(shown.QuerySelector("#on-behalf-report-form #from-withdrawn"));
    }

    [Fact]
    public async Task A_supporting_unit_hands_the_lead_unit_its_part_and_nobody_else_hands_it_for_them()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[7];
        var page = $"/measures/{measure}";

        // A supporting unit of the measure, with its own reporter (the demo's measures have none).
        var reporter = "support-" + app.Provider;
        var unitId = await SupportingUnitAsync(measure, "配合测试办", reporter);

        using var support = await app.SignedInAsync(reporter);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");

        // Its 待办 lists the measure it supports (it leads none).
        var work = await support.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        Assert.Contains($"/measures/{measure}\"", System.Text.RegularExpressions.Regex.Match(work, "data-section=\"support\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value, StringComparison.Ordinal);
        Assert.NotNull(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await support.GetStringAsync(new Uri(page, UriKind.Relative), Ct)).QuerySelector("#support-form textarea[name=supportNarrative]"));
        foreach (var notTheirs in new[] { unit, office })
        {
            Assert.DoesNotContain("id=\"support-form\"", await notTheirs.GetStringAsync(new Uri(page, UriKind.Relative), Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await notTheirs.PostFromPageAsync(page, page + "?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = "代为报送" })).StatusCode);
        }

        // Nothing said is refused beside the form; said, with a file, it is kept, the lead unit told, audited.
        var empty = await support.PostFromPageAsync(page, page + "?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = " \u200B " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("请填写配合情况", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await empty.Content.ReadAsStringAsync(Ct)).QuerySelector("#support-form .error-box")?.TextContent, StringComparison.Ordinal);
        var before = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;
        var bytes = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% support {measure} {Guid.NewGuid()}\n%%EOF\n");
        async Task<HttpStatusCode> HandInAsync()
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(Http.AntiforgeryToken(await support.GetStringAsync(new Uri(page, UriKind.Relative), Ct))), "__RequestVerificationToken" },
                { new StringContent("已配合完成辖区内排查，形成问题清单。"), "supportNarrative" },
            };
            var pdf = new ByteArrayContent(bytes);
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, "supportFile", "排查清单.pdf");
            return (await support.PostAsync(new Uri(page + "?handler=Support", UriKind.Relative), form, Ct)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Redirect, await HandInAsync());
        Assert.Equal(HttpStatusCode.Conflict, await HandInAsync()); // the same form sent again

        var kept = Assert.Single(await WithDbAsync(db => db.SupportReports.AsNoTracking().Where(r => r.MeasureId == measure).ToListAsync(Ct)));
        Assert.Equal((unitId, "已配合完成辖区内排查，形成问题清单。", "排查清单.pdf"), (kept.OrganizationId, kept.Narrative, kept.AttachmentName));
        var leadId = await UserIdAsync("unit");
        Assert.Contains(await WithDbAsync(db => db.Notifications.Where(n => n.Id > before && n.MeasureId == measure).Select(n => new { n.Kind, n.RecipientUserId }).ToListAsync(Ct)),
            n => n.Kind == "SupportReported" && n.RecipientUserId == leadId);
        Assert.Equal(1, await WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == Rectify.Audit.AuditActions.SupportReported && e.ObjectId == kept.Id.ToString(CultureInfo.InvariantCulture), Ct)));

        // Handed in, it leaves the unit's 待办.
        work = await support.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        Assert.DoesNotContain($"/measures/{measure}\"", System.Text.RegularExpressions.Regex.Match(work, "data-section=\"support\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value, StringComparison.Ordinal);

        // The lead unit and the office read it, and its file; it waits for nobody's review and is no progress report.
        var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
        Assert.Contains("已配合完成辖区内排查", shown.QuerySelector($"[data-support-id='{kept.Id}']")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri($"/support-reports/{kept.Id}/attachment", UriKind.Relative), Ct)).StatusCode);
        Assert.Empty(await ReportsAsync(measure));

        // Through the API, by the supporting unit's own token; one who speaks for no supporting unit of it is refused.
        using var api = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, reporter, "配合情况测试");
        using (var body = new MultipartFormDataContent { { new StringContent("补充：已完成整改复查。"), "narrative" } })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), body, Ct)).StatusCode);
        }

        var listed = await api.GetFromJsonAsync<List<Rectify.Features.Reports.SupportReportView>>(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), Http.Json, Ct);
        Assert.Equal(["补充：已完成整改复查。", "已配合完成辖区内排查，形成问题清单。"], listed!.Select(r => r.Narrative));
        using var leadApi = await app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, "unit", "配合情况测试");
        using (var body = new MultipartFormDataContent { { new StringContent("牵头单位代报配合情况"), "narrative" } })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await leadApi.PostAsync(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), body, Ct)).StatusCode);
        }

        // Another measure's page, where this unit supports nothing, is not its to hand in on.
        var elsewhere = app.UnitMeasuresInProgress[4];
        Assert.Equal(HttpStatusCode.NotFound, (await support.PostFromPageAsync(page, $"/measures/{elsewhere}?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = "x" })).StatusCode);

        // A wrong 配合情况 is taken back (撤回) by its unit: nobody else may (the lead unit's page offers nothing, its token
        // is refused), the record stays, shown as taken back, the lead unit's reporters are told, and not twice.
        var wrong = listed![0].Id;
        Assert.Null(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct)).QuerySelector(".withdraw-support"));
        using (var refused = await leadApi.PostAsync(new Uri($"/api/v1/support-reports/{wrong}/withdrawal", UriKind.Relative), null, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("只有报送这份配合情况的配合单位的联络员可以撤回它", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await support.PostFromPageAsync(page, $"/measures/{elsewhere}?handler=WithdrawSupport", new Dictionary<string, string> { ["supportId"] = wrong.ToString(CultureInfo.InvariantCulture) })).StatusCode);
        var offered = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await support.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
        Assert.Equal(2, offered.QuerySelectorAll(".withdraw-support").Length);
        var beforeWithdrawal = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;
        Assert.Equal(HttpStatusCode.Redirect, (await support.PostFromPageAsync(page, page + "?handler=WithdrawSupport", new Dictionary<string, string> { ["supportId"] = wrong.ToString(CultureInfo.InvariantCulture) })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await support.PostFromPageAsync(page, page + "?handler=WithdrawSupport", new Dictionary<string, string> { ["supportId"] = wrong.ToString(CultureInfo.InvariantCulture) })).StatusCode);
        Assert.NotNull(await WithDbAsync(db => db.SupportReports.Where(r => r.Id == wrong).Select(r => r.WithdrawnAtUtc).SingleAsync(Ct)));
        Assert.Contains(await WithDbAsync(db => db.Notifications.Where(n => n.Id > beforeWithdrawal && n.MeasureId == measure).Select(n => new { n.Kind, n.RecipientUserId }).ToListAsync(Ct)),
            n => n.Kind == "SupportWithdrawn" && n.RecipientUserId == leadId);
        Assert.Equal(1, await WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == Rectify.Audit.AuditActions.SupportWithdrawn && e.ObjectId == wrong.ToString(CultureInfo.InvariantCulture), Ct)));
        var card = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct)).QuerySelector($"[data-support-id='{wrong}']")!;
        Assert.Contains("withdrawn", card.ClassList);
        Assert.Equal("已撤回", card.QuerySelector(".support-withdrawn")?.TextContent);
        Assert.Contains("补充：已完成整改复查。", card.TextContent, StringComparison.Ordinal);

        // The other still counts as the unit's part; taken back too (by the API), the part is owed again, and the same
        // words may be sent again (a taken-back one is no earlier sending to refuse as a repeat).
        Assert.DoesNotContain($"/measures/{measure}\"", System.Text.RegularExpressions.Regex.Match(await support.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "data-section=\"support\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(new Uri($"/api/v1/support-reports/{kept.Id}/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Contains($"/measures/{measure}\"", System.Text.RegularExpressions.Regex.Match(await support.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), "data-section=\"support\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value, StringComparison.Ordinal);
        listed = await api.GetFromJsonAsync<List<Rectify.Features.Reports.SupportReportView>>(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), Http.Json, Ct);
        Assert.All(listed!, r => Assert.NotNull(r.WithdrawnAtUtc));
        Assert.Equal(HttpStatusCode.Redirect, (await support.PostFromPageAsync(page, page + "?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = "补充：已完成整改复查。" })).StatusCode);

        // Taken back by two requests at once: one is, the other is told it was first taken back (409); one record, one notice.
        var again = await WithDbAsync(db => db.SupportReports.Where(r => r.MeasureId == measure && r.WithdrawnAtUtc == null).Select(r => r.Id).SingleAsync(Ct));
        var beforeRace = await WithDbAsync(db => db.Notifications.MaxAsync(n => (long?)n.Id, Ct)) ?? 0;
        var raced = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await api.PostAsync(new Uri($"/api/v1/support-reports/{again}/withdrawal", UriKind.Relative), null, Ct);
            return response.StatusCode;
        }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], raced.Order());
        Assert.Equal(1, await WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == Rectify.Audit.AuditActions.SupportWithdrawn && e.ObjectId == again.ToString(CultureInfo.InvariantCulture), Ct)));
        Assert.Equal(1, await WithDbAsync(db => db.Notifications.CountAsync(n => n.Id > beforeRace && n.Kind == "SupportWithdrawn" && n.RecipientUserId == leadId, Ct)));

        // The same 配合情况 sent four times at once (a double click, a retried request) is stored once.
        var sent = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var body = new MultipartFormDataContent { { new StringContent("同时报送的同一份配合情况。"), "narrative" } };
            using var response = await api.PostAsync(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), body, Ct);
            return response.StatusCode;
        }));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], sent.Order());
        Assert.Equal(1, await WithDbAsync(db => db.SupportReports.CountAsync(r => r.MeasureId == measure && r.Narrative == "同时报送的同一份配合情况。", Ct)));

        // A step of the measure's own in flight (its state moved into the office's review by another connection, not yet
        // committed): a take-back waits for it, then finds the measure no longer under way and is refused (409) — the
        // measure's row is held while its state is read (without that, PostgreSQL read the state before the step and
        // took the 配合情况 back just after the measure went into its sign-off).
        var standing = await WithDbAsync(db => db.SupportReports.Where(r => r.MeasureId == measure && r.WithdrawnAtUtc == null).Select(r => r.Id).SingleAsync(Ct));
        try
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await using var step = await db.Database.BeginTransactionAsync(Ct);
            await db.Measures.Where(m => m.Id == measure).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, MeasureState.AwaitingReview), Ct);
            var takeBack = api.PostAsync(new Uri($"/api/v1/support-reports/{standing}/withdrawal", UriKind.Relative), null, Ct);
            if (db.Database.IsSqlite())
            {
                await Task.WhenAny(takeBack, Task.Delay(TimeSpan.FromSeconds(1), Ct));
            }
            else
            {
                // On PostgreSQL the take-back is seen waiting on the step's row lock before the step commits.
                await using var watch = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
                var waited = false;
                for (var i = 0; i < 100 && !waited && !takeBack.IsCompleted; i++)
                {
                    waited = await watch.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").SingleAsync(Ct) > 0;
                    await Task.Delay(50, Ct);
                }

                Assert.True(waited && !takeBack.IsCompleted, "the take-back did not wait for the measure's step");
            }

            await step.CommitAsync(Ct);
            using var answer = await takeBack;
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.Null(await WithDbAsync(db => db.SupportReports.Where(r => r.Id == standing).Select(r => r.WithdrawnAtUtc).SingleAsync(Ct)));
        }
        finally
        {
            await WithDbAsync(async db =>
            {
                await db.Measures.Where(m => m.Id == measure).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, MeasureState.InProgress), Ct);
                await ContentVersion.BumpAsync(db, Ct);
                return 0;
            });
        }
    }

    [Fact]
    public async Task A_supporting_unit_of_a_long_term_measure_owes_its_part_every_period()
    {
        app.RequireAvailable();
        // A 长期坚持 measure under way since the notice, reported on monthly (the demo's cadence), and a supporting unit of it.
        var measure = await WithDbAsync(db => db.Measures
            .Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.Ongoing)
            .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        var page = $"/measures/{measure}";
        var reporter = "support-period-" + app.Provider;
        await SupportingUnitAsync(measure, "配合周期办", reporter);
        using var support = await app.SignedInAsync(reporter);
        async Task<(bool Listed, string? Standing, string? Period)> StandingAsync()
        {
            var work = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await support.GetStringAsync(new Uri("/work", UriKind.Relative), Ct));
            var row = work.QuerySelectorAll("[data-section=support] tr").FirstOrDefault(r => r.QuerySelector($"a[href='/measures/{measure}']") is not null);
            var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await support.GetStringAsync(new Uri(page, UriKind.Relative), Ct));
            return (row is not null, row?.QuerySelector("[data-column=cadence]")?.TextContent, shown.QuerySelector("#support-form [data-support-period]")?.GetAttribute("data-support-period"));
        }

        Assert.Equal((true, "本期未报送配合情况", "owed"), await StandingAsync());
        var first = await support.PostFromPageAsync(page, page + "?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = "本月已配合开展专项检查。" });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal((false, null, "handed-in"), await StandingAsync());

        // A new period begins (the part handed in is moved back before it; 待办, kept per content version and day, is asked
        // afresh as on a new day): the part is owed again, and handed in again.
        var periodStart = ReportingCadences.CurrentPeriodStartUtc(ReportingCadences.Default, ChinaTime.Today(TimeProvider.System));
        await WithDbAsync(async db =>
        {
            await db.SupportReports.Where(r => r.MeasureId == measure).ExecuteUpdateAsync(u => u.SetProperty(r => r.SubmittedAtUtc, periodStart.AddDays(-3)), Ct);
            await ContentVersion.BumpAsync(db, Ct);
            return 0;
        });
        Assert.Equal((true, "本期未报送配合情况", "owed"), await StandingAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await support.PostFromPageAsync(page, page + "?handler=Support", new Dictionary<string, string> { ["supportNarrative"] = "下月继续配合开展专项检查。" })).StatusCode);
        Assert.Equal((false, null, "handed-in"), await StandingAsync());
    }

    /// <summary>A new unit under the inspected organization made a supporting unit of <paramref name="measure"/>, with a reporter of its own.</summary>
    private async Task<int> SupportingUnitAsync(int measure, string name, string reporter)
    {
        var unitId = await WithDbAsync(async db =>
        {
            var inspected = await db.Organizations.SingleAsync(o => o.Id == int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture), Ct);
            var supporting = new Organization(name + app.Provider, OrganizationKind.Department, inspected);
            db.Organizations.Add(supporting);
            await db.SaveChangesAsync(Ct);
            supporting.AssignPath();
            (await db.Measures.Include(m => m.SupportingUnits).SingleAsync(m => m.Id == measure, Ct)).AddSupportingUnit(supporting);
            await db.SaveChangesAsync(Ct);
            await ContentVersion.BumpAsync(db, Ct);
            return supporting.Id;
        });
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(reporter, "配合单位联络员", unitId.ToString(CultureInfo.InvariantCulture), [Roles.UnitReporter], app.Password, Ct, initialPassword: false);
        return unitId;
    }
}

public sealed class OnBehalfReportTestsOnSqlite(SqliteApp app) : OnBehalfReportTests(app), IClassFixture<SqliteApp>;

public sealed class OnBehalfReportTestsOnPostgres(PostgresApp app) : OnBehalfReportTests(app), IClassFixture<PostgresApp>;
