using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Domain;
using Rectify.Features.LookBacks;
using Rectify.Features.Measures;
using Rectify.Features.Reports;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

public sealed class OpenApiApp() : AppFixture(Provider.Sqlite, kestrel: true);

public sealed class OpenApiPostgresApp() : AppFixture(Provider.Postgres, kestrel: true);

/// <summary>
/// The OpenAPI document as tools nobody here wrote meet it (issue #17, docs/adr/0027): Redocly's recommended rules on the
/// live document, a TypeScript client generated from it that drives the workflow without a cast, and every GET's live
/// answer against the document's schemas. The npm tools are tools/api-client (installed by `npm ci` in .ci/run).
/// </summary>
public abstract partial class OpenApiContractTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>tools/api-client of this checkout, found by walking up from the test assembly to Rectify.slnx.</summary>
    internal static string ClientFolder
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Rectify.slnx")))
            {
                folder = folder.Parent;
            }

            Assert.NotNull(folder);
            return Path.Combine(folder.FullName, "tools", "api-client");
        }
    }

    private static string Tool(string name)
    {
        var path = Path.Combine(ClientFolder, "node_modules", ".bin", name);
        if (!File.Exists(path))
        {
            Requirements.Unavailable($"{path} is absent (run `npm ci` in tools/api-client)");
        }

        return path;
    }

    private async Task<string> TokenAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "接口契约测试", 1, Ct)).Token;
    }

    internal async Task<HttpClient> TokenClientAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = app.ServerAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName));
        return client;
    }

    /// <summary>The live document, written where the npm tools can read it.</summary>
    private async Task<string> DocumentFileAsync(string folder)
    {
        using var client = await TokenClientAsync("office");
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        var file = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(file, json, Ct);

        // RECTIFY_OPENAPI_OUT keeps a copy of the document the tools were given (for a reader, or a CI artifact).
        if (Environment.GetEnvironmentVariable("RECTIFY_OPENAPI_OUT") is { Length: > 0 } copy)
        {
            File.Copy(file, copy, overwrite: true);
        }

        return file;
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingFolder, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>What a client must not need: a type assertion (`x as T`, `&lt;T&gt;x`), `any`, or a comment that silences the checker.</summary>
    [GeneratedRegex(@"\sas\s|\bany\b|//\s*@ts-|/\*\s*@ts-|(^|[=(,:?]|\breturn)\s*<[A-Za-z_][\w.]*(\[\])?>\s*[\w(]", RegexOptions.Multiline)]
    private static partial Regex Cast();

    [Fact]
    public async Task A_client_generated_from_the_document_drives_report_review_sign_off_and_look_back_without_a_cast()
    {
        app.RequireAvailable();
        var tsc = Tool("tsc");
        var script = await File.ReadAllTextAsync(Path.Combine(ClientFolder, "workflow.ts"), Ct);
        var casts = Cast().Matches(script).Select(m => m.Value.Trim()).ToList();
        Assert.True(casts.Count == 0, "workflow.ts must not cast: " + string.Join(" | ", casts));

        var measure = app.UnitMeasuresInProgress[0];
        var folder = Directory.CreateTempSubdirectory("rectify-api-client-").FullName;
        try
        {
            foreach (var file in new[] { "workflow.ts", "tsconfig.json", "package.json" })
            {
                File.Copy(Path.Combine(ClientFolder, file), Path.Combine(folder, file));
            }

            Directory.CreateSymbolicLink(Path.Combine(folder, "node_modules"), Path.Combine(ClientFolder, "node_modules"));
            var document = await DocumentFileAsync(folder);
            await SucceedsAsync("generate", "node", folder, null, Path.Combine(ClientFolder, "generate.mjs"), document, "schema.d.ts");
            await SucceedsAsync("typecheck", tsc, folder, null, "-p", "tsconfig.json", "--noEmit");
            await SucceedsAsync("compile", tsc, folder, null, "-p", "tsconfig.json");
            var output = await SucceedsAsync("workflow", "node", folder, new Dictionary<string, string>
            {
                ["RECTIFY_URL"] = app.ServerAddress!.ToString().TrimEnd('/'),
                ["RECTIFY_MEASURE"] = measure.ToString(CultureInfo.InvariantCulture),
                ["RECTIFY_TOKEN_UNIT"] = await TokenAsync("unit"),
                ["RECTIFY_TOKEN_OFFICE"] = await TokenAsync("office"),
                ["RECTIFY_TOKEN_LEADER"] = await TokenAsync("leader"),
            }, Path.Combine("out", "workflow.js"));
            Assert.Contains("workflow complete", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // What the client did is in the database, as the API reads it back.
        using var office = await TokenClientAsync("office");
        var detail = (await office.GetFromJsonAsync<MeasureDetail>($"/api/v1/measures/{measure}", Http.Json, Ct))!;
        Assert.Equal(MeasureState.SignedOff, detail.State);
        var reports = (await office.GetFromJsonAsync<List<ProgressReportView>>($"/api/v1/measures/{measure}/reports", Http.Json, Ct))!;
        Assert.Equal(ProgressReportState.Accepted, reports[0].State);
        Assert.Single(reports[0].Evidence);
        var lookBack = (await office.GetFromJsonAsync<List<LookBackView>>($"/api/v1/measures/{measure}/lookbacks", Http.Json, Ct))!.Single();
        Assert.Equal(LookBackResult.Consolidated, lookBack.Result);
    }

    private static async Task<string> SucceedsAsync(string step, string fileName, string folder, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(fileName, folder, environment, arguments);
        TestContext.Current.TestOutputHelper?.WriteLine($"{step}:\n{output}");
        Assert.True(exitCode == 0, $"{step} exited {exitCode}:\n{output}");
        return output;
    }

    /// <summary>
    /// Every GET of the API, with ids of the demo (and of a report with evidence, a request for more time with an
    /// attachment and a 督办单 made here through the API), answers 200 with a body the document's schema accepts, or a
    /// file in one of its media types.
    /// </summary>
    [Fact]
    public async Task Every_GET_answers_with_a_body_the_document_describes()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync("office");
        using var unit = await TokenClientAsync("unit");
        var measure = app.UnitMeasuresInProgress[1];
        var today = ChinaTime.Today(TimeProvider.System);
        var pdf = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% contract {app.Provider}\n%%EOF\n");
        MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, string fileField)
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields)
            {
                form.Add(new StringContent(value), name);
            }

            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, fileField, "材料.pdf");
            return form;
        }

        async Task<int> CreatedAsync(HttpResponseMessage response)
        {
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{response.RequestMessage?.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            return (await response.Content.ReadFromJsonAsync<Features.Common.WriteResult>(Http.Json, Ct))!.Id!.Value;
        }

        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var report = Form([("narrative", "已完成一半。"), ("percent", "50"), ("effectiveDate", day)], "files");
        var reportId = await CreatedAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), report, Ct));
        var evidenceId = (await office.GetFromJsonAsync<List<ProgressReportView>>($"/api/v1/measures/{measure}/reports", Http.Json, Ct))!.Single(r => r.Id == reportId).Evidence.Single().Id;
        using var extension = Form([("requestedDeadline", today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("reason", "需协调上级部门。")], "file");
        var extensionId = await CreatedAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/extensions", UriKind.Relative), extension, Ct));
        int leadUnit;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            leadUnit = await scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>().Measures.Where(m => m.Id == measure).Select(m => m.LeadUnitId!.Value).SingleAsync(Ct);
        }

        var noticeId = await CreatedAsync(await office.PostAsJsonAsync($"/api/v1/inspections/{app.InspectionId}/supervision", new
        {
            kind = "Duban", unitId = leadUnit, measureIds = new[] { measure }, title = "整改进度滞后", content = "该措施进度滞后于方案要求。",
            requirement = "说明原因和下一步安排", replyDue = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, Ct));
        using (var reply = Form([("text", "已召开专题会研究，附整改情况报告。")], "file"))
        {
            var replied = await unit.PostAsync(new Uri($"/api/v1/supervision/{noticeId}/reply", UriKind.Relative), reply, Ct);
            Assert.True(replied.StatusCode == System.Net.HttpStatusCode.OK, $"reply: {replied.StatusCode} {await replied.Content.ReadAsStringAsync(Ct)}");
        }

        // A 配合情况 with a file: a unit under the demo unit's own supports the measure, and the demo unit hands in its part.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>();
            var lead = await db.Organizations.SingleAsync(o => o.Id == leadUnit, Ct);
            var below = new Organization("契约测试配合组" + app.Provider, OrganizationKind.Department, lead);
            db.Organizations.Add(below);
            await db.SaveChangesAsync(Ct);
            below.AssignPath();
            (await db.Measures.Include(m => m.SupportingUnits).SingleAsync(m => m.Id == measure, Ct)).AddSupportingUnit(below);
            await db.SaveChangesAsync(Ct);
            await Data.ContentVersion.BumpAsync(db, Ct);
        }

        using var supportForm = Form([("narrative", "已配合完成排查。")], "file");
        var supportId = await CreatedAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/support-reports", UriKind.Relative), supportForm, Ct));

        var document = JsonNode.Parse(await office.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct))!;
        var definitions = document["components"]!["schemas"]!.ToJsonString();
        var checkedOperations = new List<string>();
        var failures = new List<string>();
        var checkedIds = new List<string>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (item!["get"] is not { } get || !template.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            var path = template
                .Replace("/inspections/{id}", $"/inspections/{app.InspectionId}", StringComparison.Ordinal)
                .Replace("/measures/{id}", $"/measures/{measure}", StringComparison.Ordinal)
                .Replace("/reports/{reportId}/evidence/{evidenceId}", $"/reports/{reportId}/evidence/{evidenceId}", StringComparison.Ordinal)
                .Replace("/extensions/{id}", $"/extensions/{extensionId}", StringComparison.Ordinal)
                .Replace("/supervision/{id}", $"/supervision/{noticeId}", StringComparison.Ordinal)
                .Replace("/support-reports/{id}", $"/support-reports/{supportId}", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            using var response = await office.GetAsync(new Uri(path, UriKind.Relative), Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                failures.Add($"GET {path}: {response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                continue;
            }

            var content = get["responses"]?["200"]?["content"]?.AsObject();
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (content is null || !content.ContainsKey(mediaType))
            {
                failures.Add($"GET {path}: answered {mediaType}, the document says {string.Join(", ", content?.Select(c => c.Key) ?? [])}");
                continue;
            }

            checkedOperations.Add(get["operationId"]!.GetValue<string>());
            if (mediaType != "application/json")
            {
                Assert.NotEmpty(body);
                continue;
            }

            // The response's schema as a JSON Schema 2020-12 of its own, the components as its $defs.
            var schemaText = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{definitions}},"allOf":[{{content[mediaType]!["schema"]!.ToJsonString()}}]}"""
                .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            var schema = JsonSchema.FromText(schemaText, baseUri: new Uri($"https://rectify.test/{app.Provider}/{get["operationId"]}.json"));
            using var json = JsonDocument.Parse(body);
            var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

            // The same body with its id as a string must be refused: the check can fail.
            if (JsonNode.Parse(body) is JsonObject spoilt && spoilt.ContainsKey("id"))
            {
                spoilt["id"] = "1";
                using var wrong = JsonDocument.Parse(spoilt.ToJsonString());
                Assert.False(schema.Evaluate(wrong.RootElement).IsValid, $"GET {path}: the schema took an id written as a string");
                checkedIds.Add(get["operationId"]!.GetValue<string>());
            }

            if (!result.IsValid)
            {
                failures.Add($"GET {path}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
                    .Select(d => $"{d.InstanceLocation} ({d.SchemaLocation}): {string.Join(", ", d.Errors!.Values)}")));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains("GetMeasure", checkedIds);
        Assert.Superset(new HashSet<string>(["ListInspections", "GetLedger", "ExportLedger", "GetOverview", "GetMeasure", "ListReports", "DownloadEvidence", "ListLookBacks", "GetRegisters", "GetPlan", "GetCalendar", "ListExtensions", "DownloadExtensionAttachment", "ListSupervision", "GetSupervision", "DownloadSupervisionReplyFile", "ListOpinions", "ListAssignedOpinions"]), checkedOperations.ToHashSet());
    }

    [Fact]
    public async Task Redocly_finds_no_error_in_the_live_document_under_its_recommended_rules()
    {
        app.RequireAvailable();
        var redocly = Tool("redocly");
        var folder = Directory.CreateTempSubdirectory("rectify-openapi-").FullName;
        try
        {
            var document = await DocumentFileAsync(folder);
            var (exitCode, output) = await RunAsync(redocly, ClientFolder, null, "lint", "--extends", "recommended", "--format", "stylish", document);
            TestContext.Current.TestOutputHelper?.WriteLine(output);
            Assert.True(exitCode == 0, $"redocly lint exited {exitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class OpenApiContractTestsOnSqlite(OpenApiApp app) : OpenApiContractTests(app), IClassFixture<OpenApiApp>;

public sealed class OpenApiContractTestsOnPostgres(OpenApiPostgresApp app) : OpenApiContractTests(app), IClassFixture<OpenApiPostgresApp>;
