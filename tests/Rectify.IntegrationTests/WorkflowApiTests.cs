using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;
using Rectify.Features.LookBacks;
using Rectify.Features.Measures;
using Rectify.Features.Registers;
using Rectify.Features.Reports;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The workflow through the API with personal tokens, as another system would drive it: the same rules and scope as the pages.</summary>
public abstract class WorkflowApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "接口测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<string> DisciplineOfficerAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        if (!await db.Users.AnyAsync(u => u.UserName == "api-discipline", Ct))
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync("api-discipline", "纪检监察员", app.InspectedOrganization, [Roles.DisciplineOfficer], app.Password, Ct, initialPassword: false);
        }

        return "api-discipline";
    }

    private static MultipartFormDataContent Report(string narrative, string? percent, string? effectiveDate, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(narrative), "narrative" } };
        if (percent is not null)
        {
            form.Add(new StringContent(percent), "percent");
        }

        if (effectiveDate is not null)
        {
            form.Add(new StringContent(effectiveDate), "effectiveDate");
        }

        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "files", name);
        }

        return form;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Http.Json)!;
    }

    [Fact]
    public async Task A_measure_goes_from_report_to_sign_off_to_rebound_through_the_api_alone()
    {
        app.RequireAvailable();
        int measure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            measure = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures
                .Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
                .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        }

        using var unit = await TokenClientAsync("unit");
        using var office = await TokenClientAsync("office");
        using var leader = await TokenClientAsync("leader");
        var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n% api {app.Provider}\n%%EOF\n");

        // Bad input first: not a form, missing fields, an .exe called .pdf — each a clear 400 and nothing kept.
        using (var json = JsonContent.Create(new { narrative = "x" }))
        {
            var notForm = await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
            Assert.Contains("multipart/form-data", await notForm.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var missing = Report("只有文字", null, null))
        {
            var response = await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), missing, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("完成百分比", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // A report speaks for a day of the rectification: not one in 2030, not one in 1990.
        foreach (var (date, words) in new[] { ("2030-01-01", "不能晚于今天"), ("1990-01-01", "早于本次巡察开始") })
        {
            using var dated = Report("已完成。", "50", date);
            var response = await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), dated, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(words, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var exe = Report("附件", "50", "2026-11-01", ("报告.pdf", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), exe, Ct)).StatusCode);
        }

        Assert.Empty((await unit.GetFromJsonAsync<List<ProgressReportView>>($"/api/v1/measures/{measure}/reports", Http.Json, Ct))!);

        // The office may not report for the unit; the unit files with a PDF.
        using (var form = Report("已修订制度。", "80", "2026-11-01", ("制度.pdf", pdf)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, Ct)).StatusCode);
        }

        int first;
        using (var form = Report("已修订制度。", "80", "2026-11-01", ("制度.pdf", pdf)))
        {
            first = (await ReadAsync<WriteResult>(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, Ct), HttpStatusCode.Created)).Id!.Value;
        }

        // Review: a wrong decision is 400, the unit may not review, returning needs a reason, a second review is 409.
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("maybe", null), Ct)).StatusCode);
        // The word is asked after the report is found and the caller may review: 404 and 403 come first.
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync("/api/v1/reports/999999/review", new ReviewRequest("maybe", null), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("maybe", null), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("accept", null), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("return", " "), Ct)).StatusCode);
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("return", "缺少印发文号"), Ct), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/v1/reports/{first}/review", new ReviewRequest("accept", null), Ct)).StatusCode);

        int second;
        using (var form = Report("补充文号。", "100", "2026-11-02", ("印发稿.pdf", pdf)))
        {
            second = (await ReadAsync<WriteResult>(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, Ct), HttpStatusCode.Created)).Id!.Value;
        }

        // The decision's word is read in any case, as the API's enums are.
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"/api/v1/reports/{second}/review", new ReviewRequest("Accept", null), Ct), HttpStatusCode.OK);
        var reports = (await office.GetFromJsonAsync<List<ProgressReportView>>($"/api/v1/measures/{measure}/reports", Http.Json, Ct))!;
        Assert.Equal([second, first], reports.Select(r => r.Id));
        Assert.Equal(first, reports[0].RevisionOfId);
        Assert.Equal([ProgressReportState.Accepted, ProgressReportState.Returned], reports.Select(r => r.State));

        // Times go out as UTC with their zone ("…Z") on both databases, so that a client converts them right.
        var raw = await office.GetStringAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), Ct);
        Assert.Matches("\"submittedAtUtc\":\"[0-9T:.-]+Z\"", raw);
        Assert.All(reports, r => Assert.Equal(DateTimeKind.Utc, r.SubmittedAtUtc.Kind));

        // Evidence through the API, in scope only.
        var evidence = reports[0].Evidence.Single();
        var download = await unit.GetAsync(new Uri($"/api/v1/reports/{second}/evidence/{evidence.Id}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        using var admin = await TokenClientAsync("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri($"/api/v1/reports/{second}/evidence/{evidence.Id}", UriKind.Relative), Ct)).StatusCode);

        // Sign-off through the actions API, then a look-back finds a rebound and the measure is open again.
        async Task Act(HttpClient client, string action)
        {
            var version = (await client.GetFromJsonAsync<MeasureDetail>($"/api/v1/measures/{measure}", Http.Json, Ct))!.Version;
            await ReadAsync<MeasureDetail>(await client.PostAsJsonAsync($"/api/v1/measures/{measure}/actions/{action}", new MeasureActionRequest(null, version), Ct), HttpStatusCode.OK);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/v1/measures/{measure}/lookbacks", new ScheduleLookBackRequest(null), Ct)).StatusCode);
        await Act(unit, "ApplyForSignOff");
        await Act(office, "AcceptApplication");
        await Act(leader, "Approve");
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/v1/measures/{measure}/lookbacks", new ScheduleLookBackRequest(null), Ct)).StatusCode);
        var lookBack = (await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"/api/v1/measures/{measure}/lookbacks", new ScheduleLookBackRequest(null), Ct), HttpStatusCode.Created)).Id!.Value;
        var scheduled = (await office.GetFromJsonAsync<List<LookBackView>>($"/api/v1/measures/{measure}/lookbacks", Http.Json, Ct))!.Single();
        Assert.Equal(lookBack, scheduled.Id);
        Assert.Equal(ChinaTime.Today(TimeProvider.System).AddMonths(6), scheduled.DueDate);

        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/v1/lookbacks/{lookBack}/result", new { result = "Maybe" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/v1/lookbacks/{lookBack}/result", new LookBackResultRequest(LookBackResult.Rebound, null), Ct)).StatusCode);
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"/api/v1/lookbacks/{lookBack}/result", new LookBackResultRequest(LookBackResult.Rebound, "抽查发现仍有项目未公开招标"), Ct), HttpStatusCode.OK);
        var reopened = (await office.GetFromJsonAsync<MeasureDetail>($"/api/v1/measures/{measure}", Http.Json, Ct))!;
        Assert.Equal(MeasureState.InProgress, reopened.State);
        Assert.Equal(MeasureAction.Reopen, reopened.History[^1].Action);
        Assert.Contains("抽查发现仍有项目未公开招标", reopened.History[^1].Reason, StringComparison.Ordinal);

        // Outside scope, everything is 404; with a cookie instead of a token, writes are 401.
        using var cookie = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookie.PostAsJsonAsync($"/api/v1/measures/{measure}/lookbacks", new ScheduleLookBackRequest(null), Ct)).StatusCode);
        int otherMeasure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            otherMeasure = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Where(m => m.InspectionId == app.OtherInspectionId).Select(m => m.Id).FirstAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/api/v1/measures/{otherMeasure}/reports", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/v1/measures/{otherMeasure}/lookbacks", new ScheduleLookBackRequest(null), Ct)).StatusCode);
    }

    [Fact]
    public async Task The_office_system_sets_the_reporting_cadence_and_nobody_else_can()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        using var unit = await TokenClientAsync("unit");
        var path = $"/api/v1/inspections/{app.InspectionId}/cadence";
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync(path, new CadenceRequest(ReportingCadence.Weekly), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(path, new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(path, new { cadence = "Yearly" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/v1/inspections/{app.OtherInspectionId}/cadence", new CadenceRequest(ReportingCadence.Weekly), Ct)).StatusCode);
        var set = await ReadAsync<WriteResult>(await office.PostAsJsonAsync(path, new CadenceRequest(ReportingCadence.Weekly), Ct), HttpStatusCode.OK);
        Assert.StartsWith("报送周期已设为“每周”", set.Message, StringComparison.Ordinal);
        var ledger = (await office.GetFromJsonAsync<Rectify.Features.Inspections.LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=1", Http.Json, Ct))!;
        Assert.Equal(ReportingCadence.Weekly, ledger.Inspection.Cadence);
    }

    [Fact]
    public async Task Registers_through_the_api_keep_the_leads_to_the_discipline_officer()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        using var discipline = await TokenClientAsync(await DisciplineOfficerAsync());
        var path = $"/api/v1/inspections/{app.InspectionId}/registers";

        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(path + "/institutions", new NewInstitution("制度", "党工委", null, new DateOnly(2025, 3, 1), [999]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(path + "/institutions", new NewInstitution("制度", null, null, null, [13]), Ct)).StatusCode);
        var institution = await ReadAsync<WriteResult>(
            await office.PostAsJsonAsync(path + "/institutions", new NewInstitution("万江街道工程建设项目招投标管理办法", "中共万江街道工作委员会", "万江党工委〔2025〕12号", new DateOnly(2025, 3, 1), [13, 14]), Ct), HttpStatusCode.Created);
        Assert.NotNull(institution.Id);
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync(path + "/outcomes", new NewOutcome(OutcomeKind.MoneyRecovered, 12.5m, "追回多付工程款", [13]), Ct), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(path + "/outcomes", new NewOutcome(OutcomeKind.PeopleHandled, -1, null, null), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync(path + "/leads", new NewLead("某项目负责人涉嫌违规", LeadStatus.HandedOver, null, [13]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await discipline.PostAsJsonAsync(path + "/institutions", new NewInstitution("x", "y", null, new DateOnly(2025, 1, 1), null), Ct)).StatusCode);
        await ReadAsync<WriteResult>(await discipline.PostAsJsonAsync(path + "/leads", new NewLead("某项目负责人涉嫌违规", LeadStatus.HandedOver, "立案审查", [13]), Ct), HttpStatusCode.Created);

        var seenByOffice = (await office.GetFromJsonAsync<RegistersView>(path, Http.Json, Ct))!;
        Assert.Null(seenByOffice.Leads);
        Assert.Contains(seenByOffice.Institutions, i => i.DocumentNumber == "万江党工委〔2025〕12号" && i.Findings.SequenceEqual([13, 14]));
        Assert.Contains(seenByOffice.Outcomes, o => o.Kind == OutcomeKind.MoneyRecovered && o.Amount == 12.5m);
        var seenByDiscipline = (await discipline.GetFromJsonAsync<RegistersView>(path, Http.Json, Ct))!;
        Assert.Contains(seenByDiscipline.Leads!, l => l.Summary == "某项目负责人涉嫌违规" && l.Findings.SequenceEqual([13]));

        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/registers", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/v1/inspections/{app.OtherInspectionId}/registers/institutions", new NewInstitution("x", "y", null, new DateOnly(2025, 1, 1), null), Ct)).StatusCode);
    }
}

public sealed class WorkflowApiTestsOnSqlite(SqliteApp app) : WorkflowApiTests(app), IClassFixture<SqliteApp>;

public sealed class WorkflowApiTestsOnPostgres(PostgresApp app) : WorkflowApiTests(app), IClassFixture<PostgresApp>;
