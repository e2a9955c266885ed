using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rectify.Hosting;

/// <summary>
/// The route values as model binding reads them, less Razor Pages' own "page" (the page's path, "/Admin/Users").
/// Binding reads the route values before the query string, so a handler argument or a property named <c>page</c> read
/// that path instead of <c>?page=2</c>, silently null, and every list showed its first page (the users, the inbox, the
/// audit log did). Without it, <c>page</c> binds from the form or the query like any other name, on every page, present
/// and future. Routing and page selection read the route data itself, which keeps the value.
/// </summary>
public sealed class RouteValuesButPageProviderFactory : IValueProviderFactory
{
    private const string PageKey = "page";

    public Task CreateValueProviderAsync(ValueProviderFactoryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.ActionContext.RouteData.Values;
        if (context.ActionContext.ActionDescriptor is PageActionDescriptor && values.ContainsKey(PageKey))
        {
            values = new RouteValueDictionary(values);
            values.Remove(PageKey);
        }

        context.ValueProviders.Add(new RouteValueProvider(BindingSource.Path, values, CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    /// <summary>Stands in for the framework's route-value provider, in its place among the others (form, route, query).</summary>
    public static void Use(MvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var at = options.ValueProviderFactories.IndexOf(options.ValueProviderFactories.OfType<RouteValueProviderFactory>().Single());
        options.ValueProviderFactories[at] = new RouteValuesButPageProviderFactory();
    }
}
