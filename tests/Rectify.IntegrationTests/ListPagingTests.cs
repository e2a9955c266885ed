using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// A page's list reads its ?page= from the query. Razor Pages has a route value of its own named "page" (the page's
/// path), which a handler argument or bound property of that name reads first unless told otherwise, so every page
/// showed the first: this walks past the first page of a list that has one.
/// </summary>
public sealed class ListPagingTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_second_page_of_the_users_list_shows_the_users_after_the_first_fifty()
    {
        app.RequireAvailable();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            for (var n = 0; n < 60; n++)
            {
                await accounts.CreateAsync(string.Create(CultureInfo.InvariantCulture, $"zz-paging-{n:00}"), "分页用户", app.InspectedOrganization, [Roles.UnitReporter], null, Ct);
            }
        }

        using var admin = await app.SignedInAsync("admin");
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        async Task<List<string>> NamesAsync(string query) =>
            [.. parser.ParseDocument(await admin.GetStringAsync(new Uri("/admin/users" + query, UriKind.Relative), Ct)).QuerySelectorAll("tr.user-row td:first-child").Select(td => td.TextContent.Trim())];

        var first = await NamesAsync(string.Empty);
        var second = await NamesAsync("?page=2");
        Assert.Equal(50, first.Count);
        Assert.NotEmpty(second);
        Assert.Empty(first.Intersect(second));
        Assert.Contains("zz-paging-59", second);

        // Past the end (a stale link, a number typed by hand): the last page, saying so, not "page 9" and nothing.
        var pages = int.Parse(System.Text.RegularExpressions.Regex.Match(
            parser.ParseDocument(await admin.GetStringAsync(new Uri("/admin/users", UriKind.Relative), Ct)).QuerySelector(".pager")!.TextContent, @"第 1 / (\d+) 页").Groups[1].Value, CultureInfo.InvariantCulture);
        var last = await NamesAsync($"?page={pages}");
        Assert.NotEmpty(last);
        foreach (var asked in new[] { "?page=9", "?page=2147483647" })
        {
            var page = parser.ParseDocument(await admin.GetStringAsync(new Uri("/admin/users" + asked, UriKind.Relative), Ct));
            Assert.Equal(last, page.QuerySelectorAll("tr.user-row td:first-child").Select(td => td.TextContent.Trim()));
            Assert.Contains($"第 {pages} / {pages} 页", page.QuerySelector(".pager")?.TextContent, StringComparison.Ordinal);
            Assert.Null(page.QuerySelector(".pager a[rel=next]"));
        }
    }

    [Theory]
    [InlineData("true", "3", "/inbox?unread=true&page=3")]
    [InlineData("false", "2", "/inbox?page=2")]
    [InlineData("false", "1", "/inbox")]
    public async Task Marking_a_message_read_comes_back_to_the_list_as_it_was_shown(string unread, string page, string back)
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var response = await office.PostFromPageAsync("/inbox", "/inbox?handler=Read", new Dictionary<string, string> { ["id"] = "987654321", ["unread"] = unread, ["page"] = page });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(back, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/inbox?page=2147483647")]
    [InlineData("/inbox?unread=true&page=9")]
    [InlineData("/?page=2147483647")]
    [InlineData("/audit?page=2147483647")]
    public async Task A_list_asked_for_a_page_past_its_end_shows_its_last_page(string url)
    {
        app.RequireAvailable();
        var user = url.StartsWith("/audit", StringComparison.Ordinal) ? "auditadmin" : "office";
        using var client = await app.SignedInAsync(user);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var pager = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct)).QuerySelector(".pager");
        Assert.NotNull(pager);
        var shown = System.Text.RegularExpressions.Regex.Match(pager.TextContent, @"第 (\d+) / (\d+) 页");
        Assert.True(shown.Success, pager.TextContent);
        Assert.Equal(shown.Groups[2].Value, shown.Groups[1].Value);
    }
}
