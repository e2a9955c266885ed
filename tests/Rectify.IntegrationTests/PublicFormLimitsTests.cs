using System.Net;
using Microsoft.EntityFrameworkCore;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Behind a known proxy (127.0.0.1), so that each visitor is the address its X-Forwarded-For names; three posts an address per window.</summary>
public abstract class PublicFormApp(Provider provider) : AppFixture(provider, extraSettings: new Dictionary<string, string?>
{
    ["PublicOpinions:PermitLimit"] = "3",
    ["PublicOpinions:WindowSeconds"] = "600",
    ["PublicOpinions:MinimumFillSeconds"] = "0",
    ["Security:KnownProxies:0"] = "127.0.0.1",
});

public sealed class PublicFormSqliteApp() : PublicFormApp(Provider.Sqlite);

public sealed class PublicFormPostgresApp() : PublicFormApp(Provider.Postgres);

/// <summary>
/// The anonymous opinion form's limits (security.md D6) through the real server: one address over its limit gets 429
/// while another is still heard, and a body over the form's size is refused in Chinese with nothing stored.
/// </summary>
public abstract class PublicFormLimitsTests(PublicFormApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int nextAddress;

    /// <summary>A visitor at an address of its own, as the proxy (connecting from 127.0.0.1) forwards it.</summary>
    private HttpClient Visitor(out string address)
    {
        address = $"10.77.{Interlocked.Increment(ref nextAddress) / 250}.{(nextAddress % 250) + 1}";
        return app.VisitorAt(address);
    }

    private Task<int> OpinionsAsync(int id) => app.ReadAsync(db => db.PublicOpinions.CountAsync(o => o.InspectionId == id, Ct));

    [Fact]
    public async Task An_address_over_its_limit_gets_429_with_retry_after_while_another_address_is_still_heard()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();
        using var first = Visitor(out _);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(first, key, $"第{i}条意见")).Response.StatusCode);
        }

        var limited = await NoticeSteps.SendOpinionAsync(first, key, "第4条意见");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Response.StatusCode);
        Assert.InRange(int.Parse(limited.Response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        // The refusal is the notice again: why, when to send again, and the visitor's words still in the form.
        var refusal = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(limited.Html);
        Assert.StartsWith("提交过于频繁：同一网络地址 10 分钟内最多提交 3 次。请约 ", refusal.QuerySelector("#opinion-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("第4条意见", refusal.QuerySelector("#opinion-text")?.TextContent);
        Assert.Equal(3, await OpinionsAsync(id));

        // Another visitor, through the same proxy, is not held up by the first one's limit.
        using var second = Visitor(out _);
        var heard = await NoticeSteps.SendOpinionAsync(second, key, "另一位群众的意见");
        Assert.Equal(HttpStatusCode.OK, heard.Response.StatusCode);
        Assert.Matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", NoticeSteps.ReceiptRegex().Match(heard.Html).Groups[1].Value);
        Assert.Equal(4, await OpinionsAsync(id));

        // And the first can still read the notice.
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Seventeen_kilobytes_of_text_are_refused_in_chinese_and_nothing_is_stored()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();

        // 17 KB of Chinese (5,802 characters, about 52 KB once form-encoded) and 17 KB of ASCII: each refused in Chinese,
        // naming the limit and what was sent. (Behind Kestrel a body over the page's 32 KB [RequestSizeLimit] is refused
        // before it is read, with 413; the test server reads it, and the opinion's own limit answers.)
        foreach (var (text, length) in new[] { (new string('意', 17 * 1024 / 3), 17 * 1024 / 3), (new string('a', 17 * 1024), 17 * 1024) })
        {
            using var visitor = Visitor(out _);
            var (response, html) = await NoticeSteps.SendOpinionAsync(visitor, key, text);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
            Assert.Contains($"意见建议不能超过 {PublicOpinion.MaxTextLength} 字（现有 {length} 字），未提交。", html, StringComparison.Ordinal);
        }

        Assert.Equal(0, await OpinionsAsync(id));
    }
}

public sealed class PublicFormLimitsTestsOnSqlite(PublicFormSqliteApp app) : PublicFormLimitsTests(app), IClassFixture<PublicFormSqliteApp>;

public sealed class PublicFormLimitsTestsOnPostgres(PublicFormPostgresApp app) : PublicFormLimitsTests(app), IClassFixture<PublicFormPostgresApp>;
