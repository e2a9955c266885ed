using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Plans;
using Rectify.Features.Registers;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>A real Kestrel server: only Kestrel enforces the request body size limit.</summary>
public sealed class ApiErrorApp() : AppFixture(Provider.Sqlite, kestrel: true);

public sealed class ApiErrorPostgresApp() : AppFixture(Provider.Postgres, kestrel: true);

/// <summary>Every way the API can fail answers application/problem+json with a Chinese title; pages keep the HTML error page.</summary>
public abstract class ApiErrorTests(AppFixture app)
{
    private const string ProblemJson = "application/problem+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private async Task<HttpClient> TokenClientAsync(string userName = "office")
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "错误测试", 1, Ct);
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    /// <summary>
    /// A client of the real server that keeps cookies and does not follow redirects. It waits as long as it takes for the
    /// server's answer to "Expect: 100-continue" (one second by default): on a busy machine the client otherwise starts
    /// sending a body the server has already refused, and the test sees a broken pipe instead of the 413.
    /// </summary>
    private HttpClient Client() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), Expect100ContinueTimeout = TimeSpan.FromMinutes(2) }) { BaseAddress = app.ServerAddress };

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(userName, app.Password)).StatusCode);
        return client;
    }

    private async Task<(int Own, int Other)> MeasuresAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var own = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
            .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        var other = await db.Measures.Where(m => m.InspectionId == app.OtherInspectionId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        return (own, other);
    }

    /// <summary>The status, problem+json, a title in Chinese, and nothing of the server's insides.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {Short(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson, $"{what}: expected {ProblemJson}, got {response.Content.Headers.ContentType}: {Short(text)}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(title), $"{what}: no title: {text}");
        Assert.True(title.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"{what}: the title is not Chinese: {title}");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        return problem;

        static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
    }

    private static string Text(JsonElement problem) =>
        problem.GetProperty("title").GetString() + " " + (problem.TryGetProperty("detail", out var d) ? d.GetString() : string.Empty);

    [Fact]
    public async Task No_or_a_bad_credential_answers_a_401_problem()
    {
        app.RequireAvailable();
        using var anonymous = Client();
        await ProblemAsync(await anonymous.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct), HttpStatusCode.Unauthorized, "anonymous");
        await ProblemAsync(await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct), HttpStatusCode.Unauthorized, "anonymous OpenAPI");

        using var badToken = Client();
        badToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "rfy_abcdefgh_notatokenatall");
        var problem = await ProblemAsync(await badToken.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct), HttpStatusCode.Unauthorized, "bad token");
        Assert.Contains("令牌", Text(problem), StringComparison.Ordinal);

        // A write with the sign-in cookie (not a token) is refused the same way.
        using var cookie = await SignedInAsync("office");
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await ProblemAsync(await cookie.PostAsync(new Uri($"/api/v1/measures/{(await MeasuresAsync()).Own}/actions/Start", UriKind.Relative), json, Ct), HttpStatusCode.Unauthorized, "cookie write");
    }

    [Fact]
    public async Task A_missing_and_an_out_of_scope_measure_answer_the_same_404_problem()
    {
        app.RequireAvailable();
        var (_, other) = await MeasuresAsync();
        using var office = await TokenClientAsync();
        var missing = await ProblemAsync(await office.GetAsync(new Uri("/api/v1/measures/99999999", UriKind.Relative), Ct), HttpStatusCode.NotFound, "missing measure");
        var foreign = await ProblemAsync(await office.GetAsync(new Uri($"/api/v1/measures/{other}", UriKind.Relative), Ct), HttpStatusCode.NotFound, "another organization's measure");
        Assert.Contains("找不到", Text(missing), StringComparison.Ordinal);
        Assert.Equal(Comparable(missing), Comparable(foreign));

        // The same through the cookie, through a write, and for what is not there at all.
        using var cookie = await SignedInAsync("office");
        Assert.Equal(Comparable(missing), Comparable(await ProblemAsync(await cookie.GetAsync(new Uri($"/api/v1/measures/{other}", UriKind.Relative), Ct), HttpStatusCode.NotFound, "cookie, other measure")));
        using (var json = new StringContent("{}", Encoding.UTF8, "application/json"))
        {
            await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{other}/lookbacks", UriKind.Relative), json, Ct), HttpStatusCode.NotFound, "write to another organization's measure");
        }

        await ProblemAsync(await office.GetAsync(new Uri($"/api/v1/measures/{other}/reports", UriKind.Relative), Ct), HttpStatusCode.NotFound, "reports of another organization's measure");
        await ProblemAsync(await office.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Ct), HttpStatusCode.NotFound, "unknown route");
        await ProblemAsync(await office.GetAsync(new Uri("/api/v1/measures/abc", UriKind.Relative), Ct), HttpStatusCode.NotFound, "route value of the wrong type");
        await ProblemAsync(await office.GetAsync(new Uri("/api/v1/reports/0/evidence/0", UriKind.Relative), Ct), HttpStatusCode.NotFound, "missing evidence");

        static string Comparable(JsonElement problem) =>
            string.Join("|", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => p.Name + "=" + p.Value.GetRawText()));
    }

    [Fact]
    public async Task A_wrong_method_a_wrong_content_type_and_unreadable_json_answer_405_415_and_400_problems()
    {
        app.RequireAvailable();
        var (own, _) = await MeasuresAsync();
        using var office = await TokenClientAsync();
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/v1/measures/{own}", UriKind.Relative)))
        {
            await ProblemAsync(await office.SendAsync(patch, Ct), HttpStatusCode.MethodNotAllowed, "PATCH");
        }

        using (var text = new StringContent("reason", Encoding.UTF8, "text/plain"))
        {
            await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{own}/actions/Start", UriKind.Relative), text, Ct), HttpStatusCode.UnsupportedMediaType, "text/plain body");
        }

        using (var broken = new StringContent("{\"reason\": ", Encoding.UTF8, "application/json"))
        {
            var problem = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{own}/actions/Start", UriKind.Relative), broken, Ct), HttpStatusCode.BadRequest, "broken JSON");
            Assert.Contains("JSON", Text(problem), StringComparison.Ordinal);
        }

        using (var wrongType = new StringContent("{\"version\": \"三\"}", Encoding.UTF8, "application/json"))
        {
            var problem = await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{own}/actions/Start", UriKind.Relative), wrongType, Ct), HttpStatusCode.BadRequest, "a value of the wrong type");
            Assert.Contains("version", Text(problem), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refusals_stay_problems()
    {
        app.RequireAvailable();
        var (own, _) = await MeasuresAsync();
        using var office = await TokenClientAsync();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "narrative" }, { new StringContent("50"), "percent" }, { new StringContent("2026-11-01"), "effectiveDate" } };
        await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), form, Ct), HttpStatusCode.Forbidden, "the office reports for the unit");
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await ProblemAsync(await office.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), json, Ct), HttpStatusCode.BadRequest, "not a form");
    }

    [Fact]
    public async Task A_body_over_the_limit_answers_413_with_the_limit()
    {
        app.RequireAvailable();
        var (own, _) = await MeasuresAsync();
        using var unit = await TokenClientAsync("unit");

        // Kestrel's default limit is 30 MB; the declared length alone is over it, so the server answers before reading it.
        using var body = new ByteArrayContent(new byte[(30 * 1024 * 1024) + 1024]);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=limit");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative)) { Content = body };
        request.Headers.ExpectContinue = true;
        var problem = await ProblemAsync(await unit.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge, "31 MB upload");
        Assert.Contains("30 MB", Text(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_over_its_limits_answers_a_problem()
    {
        app.RequireAvailable();
        var (own, _) = await MeasuresAsync();
        using var unit = await TokenClientAsync("unit");

        using (var many = new MultipartFormDataContent())
        {
            for (var i = 0; i < 1100; i++)
            {
                many.Add(new StringContent("x"), "field" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var problem = await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), many, Ct), HttpStatusCode.RequestEntityTooLarge, "1100 form parts");
            Assert.Contains("1024", Text(problem), StringComparison.Ordinal);
        }

        using (var longValue = new FormUrlEncodedContent([new("narrative", new string('x', 5 * 1024 * 1024))]))
        {
            var problem = await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), longValue, Ct), HttpStatusCode.RequestEntityTooLarge, "a 5 MB form value");
            Assert.Contains("4 MB", Text(problem), StringComparison.Ordinal);
        }

        using (var truncated = new StringContent("--b\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\nx", Encoding.UTF8))
        {
            truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), truncated, Ct), HttpStatusCode.BadRequest, "a truncated multipart body");
        }

        // A file part without a file name is read as a text field: refused, never a report filed without its evidence.
        using (var nameless = new StringContent("--b\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\n进展\r\n--b\r\nContent-Disposition: form-data; name=\"percent\"\r\n\r\n50\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 evidence\r\n--b--\r\n", Encoding.UTF8))
        {
            nameless.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            var before = await ReadAsync(db => db.ProgressReports.CountAsync(Ct));
            var problem = await ProblemAsync(await unit.PostAsync(new Uri($"/api/v1/measures/{own}/reports", UriKind.Relative), nameless, Ct), HttpStatusCode.BadRequest, "a file without a file name");
            Assert.Contains("没有文件名", Text(problem), StringComparison.Ordinal);
            Assert.Equal(before, await ReadAsync(db => db.ProgressReports.CountAsync(Ct)));
        }
    }

    [Fact]
    public async Task A_failure_answers_a_500_problem_with_a_trace_id_and_no_details()
    {
        app.RequireAvailable();
        await using var failing = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddScoped<RegisterService>(_ => throw new InvalidOperationException("secret-detail-xyz"))));
        using var client = failing.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await using (var scope = failing.Services.CreateAsyncScope())
        {
            var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "错误测试", 1, Ct);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/registers", UriKind.Relative), Ct);
        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError, "a failing service");
        Assert.DoesNotContain("secret-detail-xyz", problem.GetRawText(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task Pages_keep_the_html_error_page_and_an_oversize_upload_is_not_a_500()
    {
        app.RequireAvailable();
        var (own, _) = await MeasuresAsync();
        using var cookie = await SignedInAsync("unit");
        var notFound = await cookie.GetAsync(new Uri("/measures/99999999", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("text/html", notFound.Content.Headers.ContentType?.MediaType);

        // The page's own limit is 256 MB: a declared length over it is refused before anything is read (the
        // anti-forgery token, in the form as a browser sends it, cannot be read either).
        using var body = new OversizeContent(257L * 1024 * 1024, "multipart/form-data; boundary=limit");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/measures/{own}?handler=Report", UriKind.Relative)) { Content = body };
        request.Headers.ExpectContinue = true;
        HttpResponseMessage response;
        try
        {
            response = await cookie.SendAsync(request, Ct);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the rest is still being sent; that is not a 500 either.
            return;
        }

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {html}");
        Assert.Contains("超过此处允许的 256 MB", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_import_pages_limit_gets_a_413_page_naming_the_limit_and_one_just_under_reaches_the_page()
    {
        app.RequireAvailable();
        using var office = await SignedInAsync("office");
        var page = await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/import", UriKind.Relative), Ct);

        // 25 MB, as a browser sends it: the token first, then the file. Answered before the body is read (the token in it included).
        using (var response = await UploadAsync(office, page, 25 * 1024 * 1024))
        {
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode}: {html}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("上传的内容过大", html, StringComparison.Ordinal);
            Assert.Contains("本次上传约 25 MB，超过此处允许的 20 MB。请返回", html, StringComparison.Ordinal); // as the page says: 不超过 20 MB
            Assert.DoesNotContain("出错了", html, StringComparison.Ordinal);

            // Back to the import page itself (without the handler), to choose a smaller file.
            Assert.Contains($"<a href=\"/inspections/{app.InspectionId}/import\" id=\"error-back\">", html, StringComparison.Ordinal);
        }

        // Just under the page's limit, the page itself answers: the file is over its 20 MB.
        using (var response = await UploadAsync(office, page, (int)ImportUploads.MaxBytes + 1))
        {
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {html}");
            Assert.Contains("超过 20 MB", html, StringComparison.Ordinal);
        }

        // The same import through the API: a 413 problem naming the limit.
        using var token = await TokenClientAsync();
        using var body = new OversizeContent(25L * 1024 * 1024, "multipart/form-data; boundary=limit");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/inspections/{app.InspectionId}/import", UriKind.Relative)) { Content = body };
        request.Headers.ExpectContinue = true;
        var problem = await ProblemAsync(await token.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge, "25 MB import");
        Assert.Contains("请求体过大", Text(problem), StringComparison.Ordinal);
        Assert.Contains("21 MB", Text(problem), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, string page, int bytes)
    {
        using var form = new MultipartFormDataContent { { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(new byte[bytes]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "大台账.xlsx");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/inspections/{app.InspectionId}/import?handler=Upload", UriKind.Relative)) { Content = form };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request, Ct);
    }

    /// <summary>A body that declares a length and sends zeros, lazily (so the test does not hold it in memory).</summary>
    private sealed class OversizeContent : HttpContent
    {
        private readonly long length;

        public OversizeContent(long length, string contentType)
        {
            this.length = length;
            Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            Headers.ContentLength = length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = this.length;
            return true;
        }
    }
}

public sealed class ApiErrorTestsOnSqlite(ApiErrorApp app) : ApiErrorTests(app), IClassFixture<ApiErrorApp>;

public sealed class ApiErrorTestsOnPostgres(ApiErrorPostgresApp app) : ApiErrorTests(app), IClassFixture<ApiErrorPostgresApp>;
