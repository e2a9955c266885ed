using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.LookBacks;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>回头看 in bulk: a random sample or all signed-off measures, all or nothing, never two open look-backs on one measure.</summary>
public abstract class LookBackTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int SignedOff, int Open, List<int> OpenMeasures)> CountAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var signedOff = await db.Measures.CountAsync(m => m.InspectionId == app.InspectionId && m.State == MeasureState.SignedOff, Ct);
        var open = await db.LookBacks.Where(l => l.Result == null && db.Measures.Any(m => m.Id == l.MeasureId && m.InspectionId == app.InspectionId)).Select(l => l.MeasureId).ToListAsync(Ct);
        return (signedOff, open.Count, open);
    }

    [Fact]
    public async Task The_office_samples_then_schedules_the_rest_and_concurrent_requests_never_double_schedule()
    {
        app.RequireAvailable();
        var path = $"/inspections/{app.InspectionId}/lookbacks";
        var (signedOff, open, _) = await CountAsync();
        Assert.True(signedOff >= 5, $"the demo has {signedOff} signed-off measures");
        Assert.Equal(0, open);

        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostFromPageAsync(path, path + "?handler=Schedule", new Dictionary<string, string> { ["scope"] = "all" })).StatusCode);

        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostFromPageAsync(path, $"/inspections/{app.OtherInspectionId}/lookbacks?handler=Schedule", new Dictionary<string, string> { ["scope"] = "all" })).StatusCode);
        foreach (var (fields, message) in new[]
        {
            (new Dictionary<string, string> { ["scope"] = "sample", ["count"] = "0" }, "抽取数量必须是大于 0 的整数"),
            (new Dictionary<string, string> { ["scope"] = "sample", ["count"] = "" }, "请填写要随机抽取的措施数量"),
            (new Dictionary<string, string> { ["scope"] = "sample", ["count"] = "2", ["dueDate"] = "2020-01-01" }, "不能早于今天"),
            (new Dictionary<string, string>(), "请选择范围"),
        })
        {
            var refused = await office.PostFromPageAsync(path, path + "?handler=Schedule", fields);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await CountAsync()).Open);

        // A random sample of 3.
        var sampled = await office.FollowedAsync(await office.PostFromPageAsync(path, path + "?handler=Schedule", new Dictionary<string, string> { ["scope"] = "sample", ["count"] = "3" }));
        Assert.Equal(HttpStatusCode.OK, sampled.StatusCode);
        // The demo's measures were signed off in October 2025, so six months after is past: the default is 30 days from
        // today, never a date already overdue, and the office is told which rule applied.
        Assert.Contains($"已为 3 条已销号措施安排回头看（随机抽取 3 / {signedOff}；3 条销号后六个月已过或不足 30 天，定为今天起 30 天）", await sampled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var afterSample = await CountAsync();
        Assert.Equal(3, afterSample.Open);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var today = ChinaTime.Today(TimeProvider.System);
            Assert.All(await db.LookBacks.Where(l => afterSample.OpenMeasures.Contains(l.MeasureId)).Select(l => l.DueDate).ToListAsync(Ct), d => Assert.Equal(today.AddDays(30), d));
            var audit = await db.AuditEntries.Where(e => e.Action == "lookback.schedule.bulk").Select(e => e.After).SingleAsync(Ct);
            Assert.All(afterSample.OpenMeasures, m => Assert.Contains(m.ToString(System.Globalization.CultureInfo.InvariantCulture), audit!, StringComparison.Ordinal));
        }

        // Two systems schedule "all the rest" at the same moment: one succeeds, the other is refused whole.
        var clients = new List<HttpClient>();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            for (var i = 0; i < 2; i++)
            {
                var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "并发", 1, Ct);
                var client = app.Client();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
                clients.Add(client);
            }
        }

        var both = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync($"/api/v1{path}", new ScheduleLookBacksRequest(null, null, null), Ct)));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        var winner = await both.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<WriteResult>(Ct);
        Assert.Equal(signedOff - 3, winner!.Id);
        var afterAll = await CountAsync();
        Assert.Equal(signedOff, afterAll.Open);
        Assert.Equal(afterAll.OpenMeasures.Count, afterAll.OpenMeasures.Distinct().Count());

        // Nothing left: a clear refusal; the page counts agree.
        var nothing = await office.FollowedAsync(await office.PostFromPageAsync(path, path + "?handler=Schedule", new Dictionary<string, string> { ["scope"] = "all" }));
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        Assert.Contains("没有可以安排回头看的措施", await nothing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var page = await office.GetStringAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(signedOff, page.Split("data-lookback=", StringSplitOptions.None).Length - 1);
        Assert.Contains("批量安排回头看", page, StringComparison.Ordinal);
        Assert.DoesNotContain("批量安排回头看", await leader.GetStringAsync(new Uri(path, UriKind.Relative), Ct), StringComparison.Ordinal);

        foreach (var c in clients)
        {
            c.Dispose();
        }
    }
}

public sealed class LookBackTestsOnSqlite(SqliteApp app) : LookBackTests(app), IClassFixture<SqliteApp>;

public sealed class LookBackTestsOnPostgres(PostgresApp app) : LookBackTests(app), IClassFixture<PostgresApp>;
