using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Intake;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Export → import: the demo's ledger, downloaded and imported into a new inspection, is the same ledger field by field.</summary>
public abstract class ExportRoundTripTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_exported_ledger_imported_into_a_new_inspection_is_the_same_ledger()
    {
        app.RequireAvailable();
        using var browser = await app.SignedInAsync("office");
        var exported = await browser.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var bytes = await exported.Content.ReadAsByteArrayAsync(Ct);

        // A new inspection of the same organization, registered on the page and filled by the import API.
        var created = await browser.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = "导出再导入" + app.Provider,
            ["Kind"] = "Xuncha",
            ["Team"] = "导出再导入巡察组",
            ["InspectedOrganizationId"] = app.InspectedOrganization,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var copy = int.Parse(created.Headers.Location!.OriginalString.Split('/')[2], CultureInfo.InvariantCulture);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "导出再导入测试", 1, Ct);
            using var api = app.Client();
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(LedgerTemplate.ContentType);
            form.Add(file, "file", "导出的台账.xlsx");
            var imported = await api.PostAsync(new Uri($"/api/v1/inspections/{copy}/import?preview=false", UriKind.Relative), form, Ct);
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync(Ct));
        }

        var original = await LedgerAsync(browser, app.InspectionId);
        var again = await LedgerAsync(browser, copy);
        Assert.NotEmpty(original);
        Assert.Equal(original.Count, again.Count);
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i], again[i]);
        }

        Assert.Equal(original, again);
    }

    [Fact]
    public async Task A_ledger_exported_before_the_plan_was_renumbered_is_refused_not_applied_to_other_problems()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        using var office = await app.SignedInAsync("office");
        var before = await (await office.GetAsync(new Uri($"/api/v1/inspections/{id}/ledger.xlsx", UriKind.Relative), Ct)).Content.ReadAsByteArrayAsync(Ct);

        // The first category moved down and the plan renumbered: the old file's numbers now name other problems.
        var first = await app.ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync(Ct));
        var plan = $"/inspections/{id}/plan";
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(plan, plan + "?handler=Move", new Dictionary<string, string> { ["what"] = "category", ["itemId"] = first.ToString(CultureInfo.InvariantCulture), ["direction"] = "Down" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(plan, plan + "?handler=Renumber", [])).StatusCode);
        Task<List<string>> FindingsAsync() => app.ReadAsync(db => db.Findings.Where(f => f.InspectionId == id).OrderBy(f => f.Number).Select(f => f.Number + f.Title).ToListAsync(Ct));
        var renumbered = await FindingsAsync();
        var texts = await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Id).Select(m => m.Text).ToListAsync(Ct));

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "重新编号后导入旧台账", 1, Ct);
        using var api = app.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        foreach (var preview in new[] { "true", "false" })
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(before);
            file.Headers.ContentType = new MediaTypeHeaderValue(LedgerTemplate.ContentType);
            form.Add(file, "file", "重新编号前的台账.xlsx");
            var answer = await api.PostAsync(new Uri($"/api/v1/inspections/{id}/import?preview={preview}", UriKind.Relative), form, Ct);
            var body = await answer.Content.ReadAsStringAsync(Ct);
            Assert.Contains("可能是重新编号或调整类别次序之前导出的台账", body, StringComparison.Ordinal);
            Assert.True(preview == "true" || !answer.IsSuccessStatusCode, body);
        }

        Assert.Equal(renumbered, await FindingsAsync());
        Assert.Equal(texts, await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Id).Select(m => m.Text).ToListAsync(Ct)));
    }

    /// <summary>Every field the plan holds of each measure, with its category and finding, in ledger order.</summary>
    private static async Task<List<string>> LedgerAsync(HttpClient client, int inspection)
    {
        var ledger = (await client.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{inspection}/ledger?pageSize={LedgerFilter.MaxPageSize}", Http.Json, Ct))!;
        Assert.True(ledger.TotalRows <= LedgerFilter.MaxPageSize);
        return [.. ledger.Rows.Select(r => string.Join(" | ",
            $"类别 {r.CategoryNumber} {r.CategoryTitle}",
            $"问题 {r.FindingNumber} {r.FindingTitle}",
            $"措施 {r.MeasureNumber} {r.Text}",
            Terms.Of(r.Kind),
            r.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
            r.ResponsibleLeader ?? "-",
            r.LeadUnit ?? "-",
            string.Join("、", r.SupportingUnits)))];
    }
}

public sealed class ExportRoundTripTestsOnSqlite(SqliteApp app) : ExportRoundTripTests(app), IClassFixture<SqliteApp>;

public sealed class ExportRoundTripTestsOnPostgres(PostgresApp app) : ExportRoundTripTests(app), IClassFixture<PostgresApp>;
