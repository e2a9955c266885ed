using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Rectify.Hosting;

namespace Rectify.UnitTests;

/// <summary>
/// Razor Pages has a route value of its own named "page" (the page's path). Model binding read it before the query
/// string, so "?page=2" bound nothing and every list showed its first page (the users, the inbox, the home page's
/// inspections, the look-backs, the opinions and the audit log all did). The route values binding reads leave it out.
/// </summary>
public sealed class PageBindingTests
{
    [Fact]
    public async Task A_page_binds_page_from_the_query_not_from_its_own_path()
    {
        var provider = await ProviderAsync(new PageActionDescriptor(), new { page = "/Admin/Users", id = "7" }, "?page=2");

        Assert.Equal("2", provider.GetValue("page").FirstValue);
        Assert.Equal("7", provider.GetValue("id").FirstValue);
    }

    [Fact]
    public async Task Without_a_page_number_page_binds_nothing()
    {
        var provider = await ProviderAsync(new PageActionDescriptor(), new { page = "/Admin/Users" }, "");

        Assert.Equal(ValueProviderResult.None, provider.GetValue("page"));
    }

    [Fact]
    public async Task An_endpoint_that_is_not_a_page_keeps_a_route_value_named_page()
    {
        var provider = await ProviderAsync(new ActionDescriptor(), new { page = "3" }, "?page=9");

        Assert.Equal("3", provider.GetValue("page").FirstValue);
    }

    [Fact]
    public void It_stands_in_for_the_route_values_in_their_place()
    {
        var options = new MvcOptions();
        options.ValueProviderFactories.Add(new FormValueProviderFactory());
        options.ValueProviderFactories.Add(new RouteValueProviderFactory());
        options.ValueProviderFactories.Add(new QueryStringValueProviderFactory());

        RouteValuesButPageProviderFactory.Use(options);

        Assert.Collection(options.ValueProviderFactories,
            f => Assert.IsType<FormValueProviderFactory>(f),
            f => Assert.IsType<RouteValuesButPageProviderFactory>(f),
            f => Assert.IsType<QueryStringValueProviderFactory>(f));
    }

    /// <summary>The providers in the framework's order (route values, then the query), as binding asks them.</summary>
    private static async Task<IValueProvider> ProviderAsync(ActionDescriptor descriptor, object routeValues, string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        var routeData = new RouteData(new RouteValueDictionary(routeValues));
        var context = new ValueProviderFactoryContext(new ActionContext(http, routeData, descriptor));
        await new RouteValuesButPageProviderFactory().CreateValueProviderAsync(context);
        await new QueryStringValueProviderFactory().CreateValueProviderAsync(context);
        return new CompositeValueProvider(context.ValueProviders);
    }
}
