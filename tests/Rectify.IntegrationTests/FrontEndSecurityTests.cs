using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #13's front-end items (security.md D1, D3): a sign-in sends nobody to another site whatever its returnUrl;
/// invalid API payloads answer 400 problems; markup sent by the public or by a unit reaches the staff as text only.
/// </summary>
public abstract class FrontEndSecurityTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HtmlParser Parser = new();

    /// <summary>The sign-in form itself (the layout's language switch carries a returnUrl of its own: the page it is on).</summary>
    private static AngleSharp.Dom.IElement SignInForm(AngleSharp.Html.Dom.IHtmlDocument document) =>
        document.QuerySelectorAll("form").Single(f => f.QuerySelector("input[name=password]") is not null);

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https:evil.example")]
    [InlineData("/Account/SignOut")]
    public async Task A_sign_in_with_a_foreign_return_url_lands_on_the_home_page(string returnUrl)
    {
        app.RequireAvailable();
        using var client = app.Client();

        // The form does not carry the foreign address on.
        var form = Parser.ParseDocument(await client.GetStringAsync(new Uri("/Account/SignIn?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative), Ct));
        Assert.Equal("/", SignInForm(form).QuerySelector("input[name=returnUrl]")?.GetAttribute("value"));

        // Posted with it anyway (as a forged form would): signed in, sent home.
        var response = await client.PostFromPageAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["userName"] = "office",
            ["password"] = app.Password,
            ["returnUrl"] = returnUrl,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_style_sheet_is_addressed_by_a_hash_of_its_content_and_served_at_that_address()
    {
        app.RequireAvailable();
        using var client = app.Client();
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative), TestContext.Current.CancellationToken));
        var href = page.QuerySelector("link[rel=stylesheet]")?.GetAttribute("href");
        Assert.Matches("^/css/site\\.css\\?v=[A-Za-z0-9_-]{16}$", href);
        using var sheet = await client.GetAsync(new Uri(href!, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, sheet.StatusCode);
        var bytes = await sheet.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Security.Cryptography.SHA256.HashData(bytes))[..16], href![(href!.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }

    [Fact]
    public async Task A_local_return_url_is_kept_through_the_sign_in_and_a_wrong_password_goes_nowhere()
    {
        app.RequireAvailable();
        using var client = app.Client();
        var asked = await client.GetAsync(new Uri("/work?tab=mine", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var signInPage = asked.Headers.Location!.OriginalString;
        Assert.StartsWith("/Account/SignIn?returnUrl=", signInPage, StringComparison.OrdinalIgnoreCase);

        var wrong = await client.PostFromPageAsync(signInPage, "/Account/SignIn", new Dictionary<string, string> { ["userName"] = "office", ["password"] = "wrong-" + app.Password, ["returnUrl"] = "https://evil.example" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Null(wrong.Headers.Location);

        var form = Parser.ParseDocument(await client.GetStringAsync(new Uri(signInPage, UriKind.Relative), Ct));
        var response = await client.PostFormAsync("/Account/SignIn", form.DocumentElement.OuterHtml, new Dictionary<string, string>
        {
            ["userName"] = "office",
            ["password"] = app.Password,
            ["returnUrl"] = SignInForm(form).QuerySelector("input[name=returnUrl]")!.GetAttribute("value")!,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/work?tab=mine", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Invalid_api_payloads_answer_400_problems_and_write_nothing()
    {
        app.RequireAvailable();
        using var office = app.Client();
        using var unit = app.Client();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            office.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await tokens.CreateAsync("office", "校验测试", 1, Ct)).Token);
            unit.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await tokens.CreateAsync("unit", "校验测试", 1, Ct)).Token);
        }

        var measure = app.UnitMeasuresInProgress[4];
        var inspection = app.InspectionId;
        static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
        static MultipartFormDataContent Report(string percent, string date, string narrative = "进展")
        {
            var form = new MultipartFormDataContent { { new StringContent(narrative), "narrative" }, { new StringContent(percent), "percent" }, { new StringContent(date), "effectiveDate" } };
            var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n% table\n%%EOF\n"));
            form.Add(pdf, "files", "说明.pdf");
            return form;
        }

        var table = new (string What, HttpClient Client, string Path, HttpContent Body)[]
        {
            ("progress over 100", unit, $"/api/v1/measures/{measure}/reports", Report("101", "2025-03-01")),
            ("progress below 0", unit, $"/api/v1/measures/{measure}/reports", Report("-5", "2025-03-01")),
            ("progress not a number", unit, $"/api/v1/measures/{measure}/reports", Report("六十", "2025-03-01")),
            ("a date that does not exist", unit, $"/api/v1/measures/{measure}/reports", Report("60", "2025-02-30")),
            ("a report dated in the future", unit, $"/api/v1/measures/{measure}/reports", Report("60", "2099-01-01")),
            ("an empty narrative", unit, $"/api/v1/measures/{measure}/reports", Report("60", "2025-03-01", " ")),
            ("a decision outside its list", office, "/api/v1/reports/1/review", Json("""{"decision":"maybe"}""")),
            ("a cadence outside its list", office, $"/api/v1/inspections/{inspection}/cadence", Json("""{"cadence":"Hourly"}""")),
            ("a number sent as a string", office, $"/api/v1/inspections/{inspection}/categories", Json("""{"number":"7","title":"新类别"}""")),
            ("an unknown member", office, $"/api/v1/inspections/{inspection}/categories", Json("""{"title":"新类别","titel":"拼错"}""")),
            ("an array for an object", office, $"/api/v1/inspections/{inspection}/categories", Json("[]")),
            ("a look-back due date that is not a date", office, $"/api/v1/measures/{measure}/lookbacks", Json("""{"dueDate":"明天"}""")),
            ("a deadline policy of -3 working days", office, $"/api/v1/inspections/{inspection}/deadline-policy", Json("""{"immediateWorkingDays":-3,"timeBoundMonths":6}""")),
        };

        int reports, categories;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>();
            reports = await db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct);
            categories = await db.FindingCategories.CountAsync(c => c.InspectionId == inspection, Ct);
        }

        var wrong = new List<string>();
        foreach (var (what, client, path, body) in table)
        {
            using (body)
            {
                using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !text.Any(c => c is >= '\u4e00' and <= '\u9fff'))
                {
                    wrong.Add($"{what}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>();
            Assert.Equal(reports, await db.ProgressReports.CountAsync(r => r.MeasureId == measure, Ct));
            Assert.Equal(categories, await db.FindingCategories.CountAsync(c => c.InspectionId == inspection, Ct));
        }
    }

    /// <summary>What an attacker sends, each a different way to run script in the reader's browser.</summary>
    private static readonly string[] Payloads =
    [
        "<script>alert(1)</script>第一条",
        "<img src=x onerror=alert(1)>第二条",
        "<a href=\"javascript:alert(1)\">第三条</a>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><circle r=\"5\"/></svg>第四条",
        "\"><iframe srcdoc=\"<script>alert(1)</script>\"></iframe>第五条",
    ];

    /// <summary>The page holds each payload as text, and none of it became an element, an attribute or a link.</summary>
    private static void OnlyAsText(string html, IEnumerable<string> payloads)
    {
        var document = Parser.ParseDocument(html);
        var text = document.Body!.TextContent;
        foreach (var payload in payloads)
        {
            Assert.Contains(payload, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(document.QuerySelectorAll("script"), s => s.TextContent.Contains("alert", StringComparison.Ordinal) || !s.HasAttribute("src"));
        Assert.Empty(document.QuerySelectorAll("img[src=x], svg, iframe, object, embed"));
        Assert.DoesNotContain(document.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? string.Empty).TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        var handlers = document.All.SelectMany(e => e.Attributes.Select(a => (Element: e.LocalName, a.Name))).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(handlers.Count == 0, "event handler attributes: " + string.Join(", ", handlers));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_sent_through_the_public_form_reaches_the_triage_page_as_text_only()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();
        using var visitor = app.Client();
        foreach (var payload in Payloads)
        {
            var (response, html) = await NoticeSteps.SendOpinionAsync(visitor, key, payload, contact: "13812345678");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", NoticeSteps.ReceiptRegex().Match(html).Groups[1].Value);
        }

        // Stored as sent (plain text, nothing stripped), shown to the office as text.
        var stored = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id).Select(o => o.Text).ToListAsync(Ct));
        Assert.Equal(Payloads.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        using var office = await app.SignedInAsync("office");
        OnlyAsText(await office.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct), Payloads);

        // A reply with markup, once approved, is text on the public page too.
        var opinion = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct));
        const string Reply = "<img src=x onerror=alert(1)>已核实。";
        const string Summary = "<svg onload=alert(2)>反映河涌异味。";
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, opinion, "Reply", [new("reply", Reply), new("publishable", "true"), new("summary", Summary)])).StatusCode);
        using var secretary = await app.SignedInAsync("secretary");
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(secretary, id, opinion, "ApproveReply", [])).StatusCode);
        OnlyAsText(await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), [Reply, Summary]);
    }

    [Fact]
    public async Task Markup_in_a_units_progress_report_reaches_the_office_as_text_only()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[5];
        using var unit = await app.SignedInAsync("unit");
        var page = await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        var narrative = string.Join("\n", Payloads);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(narrative), "narrative" },
            { new StringContent("50"), "percent" },
            { new StringContent(Domain.ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "effectiveDate" },
        };
        var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes($"%PDF-1.4\n% xss {Guid.NewGuid()}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", "<img src=x onerror=alert(1)>.pdf");
        var filed = await unit.PostAsync(new Uri($"/measures/{measure}?handler=Report", UriKind.Relative), form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);

        using var office = await app.SignedInAsync("office");
        var html = await office.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        OnlyAsText(html, [.. Payloads, "<img src=x onerror=alert(1)>.pdf"]);
    }
}

public sealed class FrontEndSecurityTestsOnSqlite(SqliteApp app) : FrontEndSecurityTests(app), IClassFixture<SqliteApp>;

public sealed class FrontEndSecurityTestsOnPostgres(PostgresApp app) : FrontEndSecurityTests(app), IClassFixture<PostgresApp>;
