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
    }
}
