using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Domain;
using Rectify.Features.LookBacks;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 其他轮次巡察 on the overview: the other inspections of the same 被巡察党组织 the caller may see, each with its figures as
/// its own overview counts them and the 反弹回潮 its look-backs found.
/// </summary>
public abstract class OtherRoundsTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<IDocument> PageAsync(HttpClient client, int inspection)
    {
        var response = await client.GetAsync(new Uri($"/inspections/{inspection}/overview", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));
    }

    private static string? Figure(IElement row, string name) => row.QuerySelector($"[data-round-figure={name}]")?.TextContent.Trim();

    [Fact]
    public async Task A_new_round_shows_what_the_last_round_of_the_same_organization_left_and_only_what_the_caller_may_see()
    {
        app.RequireAvailable();
        var first = app.InspectionId;
        var organization = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture);
        using var office = await app.SignedInAsync("office");
        using var unit = await app.SignedInAsync("unit");

        // Alone, a round has no others to show; nor does another organization's inspection count as one.
        await app.NewInspectionAsync();
        Assert.Null((await PageAsync(office, first)).QuerySelector("#other-rounds"));

        // The next round of the same organization, and a look-back of the first round that found a rebound.
        var next = (await app.AsAsync("office", s => s.GetRequiredService<PlanService>().CreateInspectionAsync(
            new InspectionInput("下一轮巡察" + app.Provider, InspectionKind.Xuncha, "第二轮", "市委第七巡察组", organization, null, null, null, new DateOnly(2026, 6, 1)), Ct))).Id!.Value;
        var signedOff = await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == first && m.State == MeasureState.SignedOff).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        Assert.True((await app.AsAsync("office", s => s.GetRequiredService<LookBackService>().ScheduleAsync(signedOff, null, Ct))).Found);
        var lookBack = await app.ReadAsync(db => db.LookBacks.Where(l => l.MeasureId == signedOff && l.Result == null).Select(l => l.Id).SingleAsync(Ct));
        Assert.True((await app.AsAsync("office", s => s.GetRequiredService<LookBackService>().RecordAsync(lookBack, LookBackResult.Rebound, "抽查发现问题反弹", Ct))).Found);

        // The new round lists the first as earlier, with the first round's own overview figures and its rebound.
        var row = (await PageAsync(office, next)).QuerySelector($"#other-rounds ~ .table-wrap tr[data-inspection='{first}']");
        Assert.NotNull(row);
        Assert.Contains("此前", row.TextContent, StringComparison.Ordinal);
        using var api = await app.Client().WithTokenAsync(app.Factory.Services, "office", "其他轮次巡察测试");
        using var overview = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/inspections/{first}/overview", UriKind.Relative), Ct));
        var totals = overview.RootElement.GetProperty("totals");
        var measures = totals.GetProperty("measures").GetInt32();
        Assert.Equal(measures.ToString(CultureInfo.InvariantCulture), Figure(row, "Measures"));
        Assert.Equal(totals.GetProperty("findings").GetInt32().ToString(CultureInfo.InvariantCulture), Figure(row, "Findings"));
        Assert.Equal((measures - totals.GetProperty("completedMeasures").GetInt32() - totals.GetProperty("sustainedMeasures").GetInt32()).ToString(CultureInfo.InvariantCulture), Figure(row, "Unfinished"));
        Assert.Equal(totals.GetProperty("pastDeadlineMeasures").GetInt32().ToString(CultureInfo.InvariantCulture), Figure(row, "PastDeadline"));
        Assert.Equal(totals.GetProperty("measureCompletionRate").GetDecimal().ToString("0.0", CultureInfo.InvariantCulture) + "%", Figure(row, "Rate"));
        Assert.Equal("1", Figure(row, "Rebounds"));

        // The API gives the same rounds with the same figures.
        using (var rounds = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/inspections/{next}/other-rounds", UriKind.Relative), Ct)))
        {
            var round = Assert.Single(rounds.RootElement.GetProperty("rounds").EnumerateArray(), r => r.GetProperty("inspection").GetProperty("id").GetInt32() == first);
            Assert.True(round.GetProperty("earlier").GetBoolean());
            Assert.Equal(1, round.GetProperty("rebounds").GetInt32());
            Assert.Equal(Figure(row, "Unfinished"), round.GetProperty("unfinishedMeasures").GetInt32().ToString(CultureInfo.InvariantCulture));
            Assert.Equal(measures, round.GetProperty("totals").GetProperty("measures").GetInt32());
        }

        // The first round lists the new one as later (nothing in its plan yet).
        var later = (await PageAsync(office, first)).QuerySelector($"#other-rounds ~ .table-wrap tr[data-inspection='{next}']");
        Assert.NotNull(later);
        Assert.Contains("此后", later.TextContent, StringComparison.Ordinal);
        Assert.Equal("0", Figure(later, "Measures"));

        // A unit's reporter does not see the new round (none of its measures are the unit's): no other round for them,
        // and the new round itself is not found through the API.
        Assert.Null((await PageAsync(unit, first)).QuerySelector("#other-rounds"));
        using var unitApi = await app.Client().WithTokenAsync(app.Factory.Services, "unit", "其他轮次巡察测试");
        using (var mine = JsonDocument.Parse(await unitApi.GetStringAsync(new Uri($"/api/v1/inspections/{first}/other-rounds", UriKind.Relative), Ct)))
        {
            Assert.Equal(0, mine.RootElement.GetProperty("total").GetInt32());
        }

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await unitApi.GetAsync(new Uri($"/api/v1/inspections/{next}/other-rounds", UriKind.Relative), Ct)).StatusCode);
    }
}

public sealed class OtherRoundsTestsOnSqlite(SqliteApp app) : OtherRoundsTests(app), IClassFixture<SqliteApp>;

public sealed class OtherRoundsTestsOnPostgres(PostgresApp app) : OtherRoundsTests(app), IClassFixture<PostgresApp>;
