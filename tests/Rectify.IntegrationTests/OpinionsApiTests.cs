using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Publications;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 意见建议 through the API: the office's inbox and its steps, the first responsible person's consent to a publishable
/// reply, a unit's opinions handed to it and its 办理情况 — with the pages' scope, masking and version checks.
/// </summary>
public abstract class OpinionsApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpClient> TokenClientAsync(string userName) => app.Factory.CreateClient().WithTokenAsync(app.Factory.Services, userName, "意见建议接口测试");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Http.Json)!;
    }

    private static async Task<OpinionRow> OneAsync(HttpClient client, int inspection, int opinion) =>
        (await client.GetFromJsonAsync<PagedResult<OpinionRow>>($"/api/v1/inspections/{inspection}/opinions", Http.Json, Ct))!.Items.Single(o => o.Id == opinion);

    [Fact]
    public async Task The_office_hands_an_opinion_to_a_unit_that_answers_replies_publishably_with_consent_and_closes_it()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();
        using var visitor = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(visitor, key, "小区旁的排水沟长期堵塞，建议尽快清理。", "13911112222", finding: "2")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(visitor, key, "希望公开整改资金的使用情况。")).Response.StatusCode);
        using var office = await TokenClientAsync("office");
        using var secretary = await TokenClientAsync("secretary");
        using var unit = await TokenClientAsync("unit");

        // The inbox, newest first, with the contact in full for the office and masked for the first responsible person.
        var inbox = (await office.GetFromJsonAsync<PagedResult<OpinionRow>>($"/api/v1/inspections/{id}/opinions", Http.Json, Ct))!;
        Assert.Equal(2, inbox.Total);
        Assert.Equal(["希望公开整改资金的使用情况。", "小区旁的排水沟长期堵塞，建议尽快清理。"], inbox.Items.Select(o => o.Text));
        var opinion = inbox.Items[1];
        Assert.Equal("13911112222", opinion.Contact);
        Assert.Equal("139****2222", (await OneAsync(secretary, id, opinion.Id)).Contact);

        // The problem the sender chose, by its number and title in the notice they read.
        var chosen = await app.ReadAsync(db => db.Findings.Where(f => f.InspectionId == id && f.Number == 2).Select(f => f.Title).SingleAsync(Ct));
        Assert.Equal((2, chosen), (opinion.AboutFindingNumber, opinion.AboutFindingTitle));

        // Paged as the inspections list is: a page past the end is empty, a size out of range is refused.
        var second = (await office.GetFromJsonAsync<PagedResult<OpinionRow>>($"/api/v1/inspections/{id}/opinions?pageSize=1&page=2", Http.Json, Ct))!;
        Assert.Equal((2, 2, 1, opinion.Id), (second.Total, second.Page, second.PageSize, second.Items.Single().Id));
        Assert.Empty((await office.GetFromJsonAsync<PagedResult<OpinionRow>>($"/api/v1/inspections/{id}/opinions?page=3&pageSize=1", Http.Json, Ct))!.Items);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync(new Uri($"/api/v1/inspections/{id}/opinions?pageSize=0", UriKind.Relative), Ct)).StatusCode);
        Assert.Single((await office.GetFromJsonAsync<PagedResult<OpinionRow>>($"/api/v1/inspections/{id}/opinions?state=Received&pageSize=1", Http.Json, Ct))!.Items);

        // Who may not see the inbox is answered 404, as by the page; nothing is handed to the unit yet.
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/api/v1/inspections/{id}/opinions", UriKind.Relative), Ct)).StatusCode);
        Assert.Empty((await unit.GetFromJsonAsync<PagedResult<AssignedOpinion>>("/api/v1/opinions/assigned", Http.Json, Ct))!.Items);

        // A step without the version read is refused, and one with an older version too; nothing changes.
        var unitOrg = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.OrganizationId!.Value).SingleAsync(Ct));
        var assignment = $"/api/v1/inspections/{id}/opinions/{opinion.Id}/assignment";
        var noVersion = await office.PostAsJsonAsync(assignment, new { unitId = unitOrg }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Contains("version 必填", await noVersion.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync(assignment, new { version = opinion.Version + 1, unitId = unitOrg }, Ct)).StatusCode);
        Assert.Equal(OpinionState.Received, (await OneAsync(office, id, opinion.Id)).State);

        // Tokens write; the first responsible person may not triage, and another inspection's path finds nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await secretary.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/close", new { version = opinion.Version }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/v1/inspections/{app.InspectionId}/opinions/{opinion.Id}/close", new { version = opinion.Version }, Ct)).StatusCode);
        using var cookie = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookie.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/close", new { version = opinion.Version }, Ct)).StatusCode);

        // 交办 to the unit: its reporter reads the words, never the contact or the receipt code, and answers.
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync(assignment, new { version = opinion.Version, unitId = unitOrg }, Ct), HttpStatusCode.OK);
        var assignedJson = await unit.GetStringAsync(new Uri("/api/v1/opinions/assigned", UriKind.Relative), Ct);
        Assert.DoesNotContain("13911112222", assignedJson, StringComparison.Ordinal);
        Assert.DoesNotContain(opinion.ReceiptCode, assignedJson, StringComparison.Ordinal);
        var handed = System.Text.Json.JsonSerializer.Deserialize<PagedResult<AssignedOpinion>>(assignedJson, Http.Json)!.Items.Single();
        Assert.Equal((opinion.Id, id, "小区旁的排水沟长期堵塞，建议尽快清理。", true, chosen), (handed.Id, handed.InspectionId, handed.Text, handed.AwaitsUnit, handed.AboutFindingTitle));
        using (var unitPage = await app.SignedInAsync("unit"))
        {
            var card = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unitPage.GetStringAsync(new Uri("/opinions/assigned", UriKind.Relative), Ct)).QuerySelector($"[data-opinion='{opinion.Id}']");
            Assert.Contains($"来信所选问题：{chosen}", card?.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await unit.PostAsJsonAsync($"/api/v1/opinions/{opinion.Id}/response", new { version = handed.Version, response = "\u3164 " }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/v1/opinions/{opinion.Id}/response", new { version = handed.Version, response = "冒充" }, Ct)).StatusCode);
        await ReadAsync<WriteResult>(await unit.PostAsJsonAsync($"/api/v1/opinions/{opinion.Id}/response", new { version = handed.Version, response = "已组织清淤，排水恢复通畅。" }, Ct), HttpStatusCode.OK);
        Assert.Equal("已组织清淤，排水恢复通畅。", (await OneAsync(office, id, opinion.Id)).UnitAnswer?.Text);

        // A publishable reply needs its 来信摘要; with it, it waits for the first responsible person, who may not triage.
        var current = await OneAsync(office, id, opinion.Id);
        var reply = $"/api/v1/inspections/{id}/opinions/{opinion.Id}/reply";
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync(reply, new { version = current.Version, reply = "已清理。", publishable = true }, Ct)).StatusCode);
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync(reply, new { version = current.Version, reply = "经核实，已组织清淤，排水恢复通畅。", publishable = true, publicSummary = "反映排水沟堵塞。" }, Ct), HttpStatusCode.OK);
        current = await OneAsync(office, id, opinion.Id);
        Assert.Equal((OpinionState.Replied, true, null), (current.State, current.ReplyIsPublishable, current.ReplyApprovedByName));
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/reply-approval", new { version = current.Version }, Ct)).StatusCode);
        await ReadAsync<WriteResult>(await secretary.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/reply-approval", new { version = current.Version }, Ct), HttpStatusCode.OK);
        current = await OneAsync(office, id, opinion.Id);
        Assert.NotNull(current.ReplyApprovedByName);
        Assert.Contains("经核实，已组织清淤", await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // 办结, once.
        await ReadAsync<WriteResult>(await office.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/close", new { version = current.Version }, Ct), HttpStatusCode.OK);
        Assert.Equal(OpinionState.Closed, (await OneAsync(office, id, opinion.Id)).State);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/v1/inspections/{id}/opinions/{opinion.Id}/close", new { version = current.Version }, Ct)).StatusCode);
        Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.OpinionClosed && e.ObjectId == opinion.Id.ToString(CultureInfo.InvariantCulture), Ct)));
    }
}

public sealed class OpinionsApiTestsOnSqlite(SqliteApp app) : OpinionsApiTests(app), IClassFixture<SqliteApp>;

public sealed class OpinionsApiTestsOnPostgres(PostgresApp app) : OpinionsApiTests(app), IClassFixture<PostgresApp>;
