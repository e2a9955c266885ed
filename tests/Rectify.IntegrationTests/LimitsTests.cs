using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// No input gives a 500 (issue #16, "limits everywhere"): every text is held to its length, unknown JSON members and
/// out-of-range pages, dates and lists are refused with a 400 problem, and a property run over every API endpoint of
/// docs/access-matrix.tsv with generated paths, queries and bodies finds no 5xx.
/// </summary>
public abstract class LimitsTests(AppFixture app)
{
    private const string ProblemJson = "application/problem+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> TokenClientAsync(string userName = "office")
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "上限测试", 1, Ct);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, Expect100ContinueTimeout = TimeSpan.FromMinutes(2) }) { BaseAddress = app.ServerAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = app.ServerAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(userName, app.Password)).StatusCode);
        return client;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {Short(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson, $"{what}: expected {ProblemJson}, got {response.Content.Headers.ContentType}");
        var problem = JsonDocument.Parse(text).RootElement;
        return problem.GetProperty("title").GetString() + " " + (problem.TryGetProperty("detail", out var d) ? d.GetString() : string.Empty);
    }

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<T> InDatabaseAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    [Fact]
    public async Task A_text_over_its_length_is_refused_with_the_limit_and_nothing_is_stored()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync();
        var institutions = await InDatabaseAsync(db => db.Institutions.CountAsync(Ct));

        // A 1,000,000-character institution name (stored on SQLite, a 500 on PostgreSQL before).
        using (var body = Json(new { name = new string('制', 1_000_000), issuer = "街道党工委", issuedOn = "2025-01-01", findings = new[] { 1 } }))
        {
            var text = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/registers/institutions", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, "a 1,000,000-character name");
            Assert.Contains("制度名称不能超过 300 个字", text, StringComparison.Ordinal);
        }

        Assert.Equal(institutions, await InDatabaseAsync(db => db.Institutions.CountAsync(Ct)));

        // A 200,000-character organization name, typed as a new lead unit of a measure.
        var finding = await InDatabaseAsync(db => db.Findings.Where(f => f.InspectionId == app.InspectionId).OrderBy(f => f.Number).Select(f => f.Id).FirstAsync(Ct));
        var organizations = await InDatabaseAsync(db => db.Organizations.CountAsync(Ct));
        using (var body = Json(new { text = "建立台账，逐项销号。", kind = "TimeBound", deadline = "2027-06-30", leadUnit = new string('办', 200_000), reason = "补充措施" }))
        {
            var text = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/findings/{finding}/measures", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, "a 200,000-character unit name");
            Assert.Contains("单位名称不超过", text, StringComparison.Ordinal);
        }

        Assert.Equal(organizations, await InDatabaseAsync(db => db.Organizations.CountAsync(Ct)));

        // A 200,000-emoji narrative: counted as the database counts (an emoji is one character), refused before any file is kept.
        using var unit = await TokenClientAsync("unit");
        var measure = app.UnitMeasuresInProgress[0];
        var reports = await InDatabaseAsync(db => db.ProgressReports.CountAsync(Ct));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(string.Concat(Enumerable.Repeat("😀", 200_000))), "narrative" },
            { new StringContent("50"), "percent" },
            { new StringContent("2025-01-10"), "effectiveDate" },
        };
        var narrative = await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, Ct), HttpStatusCode.BadRequest, "a 200,000-emoji narrative");
        Assert.Contains($"进展情况不能超过 {ProgressReport.MaxNarrative} 个字（现有 200000 个）", narrative, StringComparison.Ordinal);
        Assert.Equal(reports, await InDatabaseAsync(db => db.ProgressReports.CountAsync(Ct)));
    }

    [Fact]
    public async Task Unknown_json_members_are_refused_and_nothing_is_written()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync();
        var categories = await InDatabaseAsync(db => db.FindingCategories.CountAsync(c => c.InspectionId == app.InspectionId, Ct));
        using var body = new StringContent("""{"title":"新类别","titel":"拼错的字段"}""", Encoding.UTF8, "application/json");
        var text = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/categories", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, "an unknown member");
        Assert.Contains("titel", text, StringComparison.Ordinal);
        Assert.Contains("不认识的字段", text, StringComparison.Ordinal);
        Assert.Equal(categories, await InDatabaseAsync(db => db.FindingCategories.CountAsync(c => c.InspectionId == app.InspectionId, Ct)));
    }

    [Fact]
    public async Task A_page_beyond_the_range_is_refused_and_does_not_wrap_to_page_one()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync();
        foreach (var path in new[] { "/api/v1/inspections?page=2147483647", $"/api/v1/inspections/{app.InspectionId}/ledger?page=2147483647&pageSize=500", $"/api/v1/inspections/{app.InspectionId}/plan?page=2147483647", "/api/v1/inspections?page=0" })
        {
            var text = await ProblemAsync(await office.GetAsync(new Uri(path, UriKind.Relative), Ct), HttpStatusCode.BadRequest, path);
            Assert.Contains("页码", text, StringComparison.Ordinal);
        }

        // A page size outside 1 … 500 is refused, saying the range, rather than silently becoming the default.
        foreach (var path in new[] { "/api/v1/inspections?pageSize=501", $"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=0", $"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=100000", $"/api/v1/inspections/{app.InspectionId}/plan?pageSize=-1" })
        {
            var text = await ProblemAsync(await office.GetAsync(new Uri(path, UriKind.Relative), Ct), HttpStatusCode.BadRequest, path);
            Assert.Contains("每页条数 pageSize 应在 1 到 500 之间", text, StringComparison.Ordinal);
        }

        // The last page allowed answers an empty page, not the first one.
        var last = JsonDocument.Parse(await office.GetStringAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?page=1000000&pageSize=500", UriKind.Relative), Ct)).RootElement;
        Assert.Equal(0, last.GetProperty("rows").GetArrayLength());

        // Pages show the nearest page.
        using var auditor = await SignedInAsync("auditadmin");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(new Uri("/audit?page=2147483647", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Dates_of_year_1_or_9999_are_refused_not_a_500()
    {
        app.RequireAvailable();
        using var auditor = await SignedInAsync("auditadmin");
        foreach (var query in new[] { "from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31" })
        {
            var response = await auditor.GetAsync(new Uri("/audit?" + query, UriKind.Relative), Ct);
            Assert.True((int)response.StatusCode is 200 or 400, $"/audit?{query}: {(int)response.StatusCode}");
        }

        using var office = await TokenClientAsync();
        var finding = await InDatabaseAsync(db => db.Findings.Where(f => f.InspectionId == app.InspectionId).OrderBy(f => f.Number).Select(f => f.Id).FirstAsync(Ct));
        foreach (var date in new[] { "0001-01-01", "9999-12-31" })
        {
            using var body = Json(new { text = "建立台账，逐项销号。", kind = "TimeBound", deadline = date, reason = "补充措施" });
            var text = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/findings/{finding}/measures", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, "deadline " + date);
            Assert.Contains("1900 年到 2199 年", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forty_thousand_finding_numbers_in_one_request_are_refused()
    {
        app.RequireAvailable();
        using var office = await TokenClientAsync();
        using var body = Json(new { name = "财务管理制度", issuer = "街道党工委", issuedOn = "2025-01-01", findings = Enumerable.Range(1, 40_000).ToArray() });
        var text = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/registers/institutions", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, "40,000 finding numbers");
        Assert.Contains("最多对应 1000 个问题", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_multipart_and_multipart_without_a_boundary_answer_400()
    {
        app.RequireAvailable();
        using var unit = await TokenClientAsync("unit");
        var measure = app.UnitMeasuresInProgress[0];
        foreach (var (contentType, content) in new[] { ("multipart/form-data", "narrative=x"), ("multipart/form-data; boundary=zz", "no boundary line at all") })
        {
            using var body = new StringContent(content, Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), body, Ct), HttpStatusCode.BadRequest, contentType);
        }
    }

    /// <summary>
    /// Every API endpoint in docs/access-matrix.tsv, called with generated route values, query strings and bodies
    /// (known and unknown members; very long, empty, emoji and control-character texts; extreme numbers; dates of year 1
    /// and 9999; long lists; broken JSON and forms): each answer is below 500, and every 4xx is problem+json.
    /// </summary>
    [Fact]
    public async Task Generated_requests_to_every_api_endpoint_never_answer_5xx()
    {
        app.RequireAvailable();
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "access-matrix.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("route\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .Where(c => c[0].StartsWith("/api/", StringComparison.Ordinal))
            .Select(c => (Method: c[1], Request: c[2]))
            .ToList();
        Assert.True(rows.Count >= 30, $"only {rows.Count} API rows");

        var measure = app.UnitMeasuresInProgress[^1];
        var finding = await InDatabaseAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.FindingId).SingleAsync(Ct));
        var placeholders = new Dictionary<string, string>
        {
            ["{inspection}"] = app.InspectionId.ToString(CultureInfo.InvariantCulture),
            ["{measure}"] = measure.ToString(CultureInfo.InvariantCulture),
            ["{finding}"] = finding.ToString(CultureInfo.InvariantCulture),
        };

        var seed = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var requests = Gen.Sample(Requests(rows), 40, new Rnd(seed), 240);
        using var office = await TokenClientAsync();
        using var unit = await TokenClientAsync("unit");
        var failures = new List<string>();
        foreach (var r in requests)
        {
            var path = placeholders.Aggregate(r.Path, (p, kv) => p.Replace(kv.Key, kv.Value, StringComparison.Ordinal));
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(path, UriKind.Relative)) { Content = r.Body() };
            using var response = await (r.AsUnit ? unit : office).SendAsync(request, Ct);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500 || (status >= 400 && type != ProblemJson))
            {
                failures.Add($"{r.Method} {Short(path)} [{r.Describe}] → {status} {type}: {Short(await response.Content.ReadAsStringAsync(Ct))}");
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {requests.Length} requests failed:\n" + string.Join("\n", failures.Take(15)));
    }

    private sealed record GeneratedRequest(string Method, string Path, string Describe, Func<HttpContent?> Body, bool AsUnit);

    private static readonly string[] Members =
    [
        "title", "name", "issuer", "issuedOn", "documentNumber", "findings", "kind", "amount", "note", "summary", "status", "disposition",
        "text", "deadline", "leaderId", "leader", "leadUnitId", "leadUnit", "supportingUnitIds", "supportingUnits", "reason", "version",
        "measureIds", "meetingName", "meetingDate", "round", "team", "inspectedOrganizationId", "extendedScope", "onSiteFrom", "onSiteTo",
        "feedbackDate", "categoryId", "number", "problemStatement", "direction", "decision", "result", "finding", "dueDate", "sampleSize",
        "unitId", "cadence", "narrative", "percent", "effectiveDate", "unknownMember",
    ];

    private static Gen<string> Texts() => Gen.OneOf(
        Gen.Elements("", " ", "x", "整改", "0", "-1", "null", "TimeBound", "Ongoing", "Weekly", "Up", "Down", "Accept", "Return", "Rebound", "HandedOver", "MoneyRecovered", "2025-03-01", "0001-01-01", "9999-12-31", "\u0000", "😀", "<script>", "'; drop table x;--"),
        Gen.Choose(0, 25_000).Select(n => new string('长', n)),
        Gen.Choose(0, 12_000).Select(n => string.Concat(Enumerable.Repeat("😀", n))));

    private static Gen<JsonNode?> Values() => Gen.OneOf(
        Texts().Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements(0, 1, -1, 2, 3, int.MaxValue, int.MinValue, 1_000_000).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(1e300, -0.5, 12345678901234.5).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Constant<JsonNode?>(null),
        Gen.Choose(0, 50_000).Select(n => (JsonNode?)new JsonArray([.. Enumerable.Range(1, n).Select(i => (JsonNode?)JsonValue.Create(i))])),
        Gen.Constant<JsonNode?>(new JsonObject { ["nested"] = 1 }));

    private static Gen<Func<HttpContent?>> Bodies() => Gen.OneOf(
        Gen.Constant<Func<HttpContent?>>(() => null),
        Gen.Elements("{", "[]", "\"text\"", "null", "{\"a\":", "nonsense", "{}").Select<string, Func<HttpContent?>>(s => () => new StringContent(s, Encoding.UTF8, "application/json")),
        (from count in Gen.Choose(0, 8)
         from names in Gen.ArrayOf(Gen.Elements(Members), count)
         from values in Gen.ArrayOf(Values(), count)
         select names.Zip(values).DistinctBy(p => p.First).ToArray())
            .Select<(string, JsonNode?)[], Func<HttpContent?>>(pairs => () =>
            {
                var o = new JsonObject();
                foreach (var (n, v) in pairs)
                {
                    o[n] = v?.DeepClone();
                }

                return new StringContent(o.ToJsonString(), Encoding.UTF8, "application/json");
            }),
        (from count in Gen.Choose(0, 5)
         from names in Gen.ArrayOf(Gen.Elements(Members), count)
         from values in Gen.ArrayOf(Texts(), count)
         from withFile in Gen.Elements(0, 1, 2)
         select (names.Zip(values).ToArray(), withFile))
            .Select<((string, string)[] Pairs, int WithFile), Func<HttpContent?>>(x => () =>
            {
                var form = new MultipartFormDataContent();
                foreach (var (n, v) in x.Pairs)
                {
                    form.Add(new StringContent(v), n);
                }

                if (x.WithFile > 0)
                {
                    form.Add(new ByteArrayContent(x.WithFile == 1 ? "%PDF-1.4\n%%EOF"u8.ToArray() : [0x50, 0x4b, 3, 4, 0, 0]), "files", x.WithFile == 1 ? "a.exe.pdf" : "x.docx");
                }

                return form;
            }),
        Gen.Elements("multipart/form-data", "multipart/form-data; boundary=q", "application/x-www-form-urlencoded", "text/plain")
            .Select<string, Func<HttpContent?>>(t => () =>
            {
                var c = new StringContent("--q\r\nnarrative=%ZZ&&==", Encoding.UTF8);
                c.Headers.ContentType = MediaTypeHeaderValue.Parse(t);
                return c;
            }));

    private static Gen<string> Queries() =>
        from count in Gen.Choose(0, 3)
        from names in Gen.ArrayOf(Gen.Elements("page", "pageSize", "asOf", "compare", "unit", "state", "kind", "overdue", "decision"), count)
        from values in Gen.ArrayOf(Gen.Elements("1", "0", "-1", "2147483647", "-2147483648", "99999999999", "2025-03-01", "0001-01-01", "9999-12-31", "approved", "x", "true", "InProgress", "%00", ""), count)
        select count == 0 ? string.Empty : "?" + string.Join("&", names.Zip(values).Select(p => p.First + "=" + Uri.EscapeDataString(p.Second)));

    private static Gen<GeneratedRequest> Requests(IReadOnlyList<(string Method, string Request)> rows) =>
        from row in Gen.Elements(rows.ToArray())
        from id in Gen.Elements("{keep}", "0", "-1", "2147483647", "1")
        from query in Queries()
        from body in Bodies()
        from asUnit in Gen.Elements(false, false, true)
        let path = id == "{keep}" ? row.Request : row.Request.Replace("{measure}", id, StringComparison.Ordinal).Replace("/0/", "/" + id + "/", StringComparison.Ordinal)
        select new GeneratedRequest(row.Method, path + query, asUnit ? "unit" : "office", body, asUnit);
}

public sealed class LimitsTestsOnSqlite(ApiErrorApp app) : LimitsTests(app), IClassFixture<ApiErrorApp>;

public sealed class LimitsTestsOnPostgres(ApiErrorPostgresApp app) : LimitsTests(app), IClassFixture<ApiErrorPostgresApp>;
