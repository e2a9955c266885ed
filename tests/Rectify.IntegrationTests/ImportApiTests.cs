using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Intake;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>POST /api/v1/inspections/{id}/import: the same preview and commit as the page, for another system with a personal token.</summary>
public abstract class ImportApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "导入接口测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    /// <summary>The plan's tables (each API request with a token is itself audited, so the audit trail is counted apart: <see cref="ImportsAuditedAsync"/>).</summary>
    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync() =>
        ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables.Except([typeof(AuditEntry), typeof(AuditHead)]), Ct));

    private Task<int> ImportsAuditedAsync() => ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == "ledger.import", Ct));

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, int inspection, byte[] bytes, bool? preview, string? sheet = null, string? reason = null, string fileName = "接口台账.xlsx")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(LedgerTemplate.ContentType);
        form.Add(file, "file", fileName);
        if (sheet is not null)
        {
            form.Add(new StringContent(sheet), "sheet");
        }

        if (reason is not null)
        {
            form.Add(new StringContent(reason), "reason");
        }

        var query = preview is null ? string.Empty : $"?preview={(preview.Value ? "true" : "false")}";
        return client.PostAsync(new Uri($"/api/v1/inspections/{inspection}/import{query}", UriKind.Relative), form, Ct);
    }

    private async Task<int> NewInspectionAsync(HttpClient office)
    {
        var created = await office.PostAsJsonAsync(
            new Uri("/api/v1/inspections", UriKind.Relative),
            new NewInspectionRequest("接口导入" + app.Provider, Domain.InspectionKind.Xuncha, null, "接口导入巡察组", int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture), null, null, null, null),
            Http.Json,
            Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<Features.Common.WriteResult>(Http.Json, Ct))!.Id!.Value;
    }

    [Fact]
    public async Task Another_system_previews_a_ledger_is_told_every_problem_by_cell_and_imports_the_corrected_one_all_or_nothing()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var id = await NewInspectionAsync(office);
        var rows = ImportCommitTests.Ledger("接");
        var wrong = rows.ToList();
        wrong[1] = wrong[1] with { Kind = Domain.MeasureKind.TimeBound };
        wrong[4] = wrong[4] with { Deadline = null };
        var wrongDraft = ImportCommitTests.Draft(wrong);
        var before = await ChecksumAsync();
        var audited = await ImportsAuditedAsync();

        // The preview (the default) writes nothing and names every problem by sheet, row and column.
        var previewResponse = await ImportAsync(office, id, ImportPageTests.Workbook(wrong), preview: null);
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        var preview = (await previewResponse.Content.ReadFromJsonAsync<ImportPreviewView>(Http.Json, Ct))!;
        Assert.False(preview.CanConfirm);
        Assert.Equal(new ImportCounts(5, 0, 0), preview.Counts.Measures);
        Assert.Equal(LedgerTemplate.LedgerSheetName, preview.Sheet);
        Assert.Equal(2, preview.Sheets.Count);
        var errors = preview.Problems.Where(p => p.Severity == IntakeSeverity.Error).ToList();
        Assert.Equal(
            [wrongDraft.Categories[0].Findings[0].Measures[1].Source!.Row, wrongDraft.Categories[1].Findings[1].Measures[0].Source!.Row],
            errors.Select(p => p.Row!.Value));
        Assert.All(errors, p => Assert.Equal((LedgerTemplate.LedgerSheetName, "I", "I" + p.Row), (p.Sheet, p.Column, p.Cell)));
        Assert.Equal("修订议事规则接", preview.Categories[0].Findings[0].Measures[0].Text);
        Assert.Equal(ImportChange.Added, preview.Categories[0].Findings[0].Measures[0].Change);
        Assert.Equal(before, await ChecksumAsync());

        // Asked to import it anyway: problem+json with every problem, and nothing written.
        var refused = await ImportAsync(office, id, ImportPageTests.Workbook(wrong), preview: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Contains("2 处错误", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, problem.RootElement.GetProperty("problems").GetArrayLength());
            Assert.Equal("I", problem.RootElement.GetProperty("problems")[0].GetProperty("column").GetString());
        }

        Assert.Equal(before, await ChecksumAsync());
        Assert.Equal(audited, await ImportsAuditedAsync());

        // The corrected file is imported; the same again changes nothing.
        var done = await ImportAsync(office, id, ImportPageTests.Workbook(rows), preview: false);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        var result = (await done.Content.ReadFromJsonAsync<ImportResultView>(Http.Json, Ct))!;
        Assert.Equal(new ImportCounts(5, 0, 0), result.Counts.Measures);
        Assert.Equal(5, await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct)));
        var again = (await (await ImportAsync(office, id, ImportPageTests.Workbook(rows), preview: false)).Content.ReadFromJsonAsync<ImportResultView>(Http.Json, Ct))!;
        Assert.Equal(new ImportCounts(0, 0, 5), again.Counts.Measures);

        // A measure left out of the file is left alone, and the answer says so.
        var fewer = (await (await ImportAsync(office, id, ImportPageTests.Workbook(rows.Take(4)), preview: false)).Content.ReadFromJsonAsync<ImportResultView>(Http.Json, Ct))!;
        Assert.Equal(1, fewer.Untouched);
        Assert.Contains("文件中没有的 1 条措施未改动", fewer.Message, StringComparison.Ordinal);

        // Nothing stays on the server after a request.
        var imports = Path.Combine(app.DataFolder, "imports");
        using var someone = await TokenClientAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(someone, id, ImportPageTests.Workbook(rows), preview: true)).StatusCode);
        Assert.Empty(Directory.Exists(imports) ? Directory.EnumerateFiles(imports, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task The_import_answers_problem_json_for_what_it_cannot_do_and_takes_only_tokens()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        var bytes = ImportPageTests.Workbook(ImportCommitTests.Ledger("问"));

        // Another organization's inspection is not there; a unit may not import; an .xls is refused with what to do.
        var other = await ImportAsync(office, app.OtherInspectionId, bytes, preview: true);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        using var unit = await TokenClientAsync("unit");
        var forbidden = await ImportAsync(unit, app.InspectionId, bytes, preview: true);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("整改办", await forbidden.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var xls = await ImportAsync(office, app.InspectionId, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], preview: true, fileName: "旧.xls");
        Assert.Equal(HttpStatusCode.BadRequest, xls.StatusCode);
        Assert.Contains("另存为", await xls.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Not a form, or a form without the file.
        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/import", UriKind.Relative), json, Ct)).StatusCode);
        using var empty = new MultipartFormDataContent { { new StringContent("整改台账"), "sheet" } };
        var noFile = await office.PostAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/import", UriKind.Relative), empty, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Contains("file", await noFile.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The demo's plan is in force: an import without a reason is refused, and a sheet that is not there too.
        var added = ImportPageTests.Workbook([new LedgerRow(50, "接口新增类别", 901, "接口新增问题", 1, "接口新增措施", Domain.MeasureKind.TimeBound, new DateOnly(2027, 6, 30), "接口领导", "纪检监察办")]);
        var noReason = await ImportAsync(office, app.InspectionId, added, preview: false);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("说明理由", await noReason.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ImportAsync(office, app.InspectionId, bytes, preview: true, sheet: "没有这张表")).StatusCode);

        // A browser's cookie is not enough to write.
        using var browser = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync(browser, app.InspectionId, bytes, preview: true)).StatusCode);
    }
}

public sealed class ImportApiTestsOnSqlite(SqliteApp app) : ImportApiTests(app), IClassFixture<SqliteApp>;

public sealed class ImportApiTestsOnPostgres(PostgresApp app) : ImportApiTests(app), IClassFixture<PostgresApp>;
