using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rectify.UnitTests;

/// <summary>
/// Razor Pages has a route value of its own named "page" (the page's path). A handler argument or a bound property
/// named "page" reads it before the query string, so "?page=2" bound nothing and every list showed its first page
/// (the users, the inbox, the home page's inspections, the look-backs and the opinions all did). A page number is
/// read from the query by name (<c>[FromQuery(Name = "page")]</c>) or by hand (<c>Paging.Requested</c>).
/// </summary>
public sealed class PageBindingTests
{
    [Fact]
    public void No_page_binds_the_name_page_from_anywhere_but_the_query_or_the_form()
    {
        var pages = typeof(Rectify.Features.Common.Paging).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PageModel))).ToList();
        Assert.True(pages.Count >= 20, $"found only {pages.Count} page models");
        var wrong = new List<string>();
        foreach (var page in pages)
        {
            foreach (var handler in page.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => m.Name.StartsWith("On", StringComparison.Ordinal)))
            {
                foreach (var p in handler.GetParameters())
                {
                    var name = p.GetCustomAttributes().OfType<IModelNameProvider>().Select(a => a.Name).FirstOrDefault(n => n is not null) ?? p.Name;
                    var source = p.GetCustomAttributes().OfType<IBindingSourceMetadata>().Select(a => a.BindingSource).FirstOrDefault();
                    if (string.Equals(name, "page", StringComparison.OrdinalIgnoreCase) && source != BindingSource.Query && source != BindingSource.Form)
                    {
                        wrong.Add($"{page.Name}.{handler.Name}({p.Name})");
                    }
                }
            }

            foreach (var property in page.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var bind = property.GetCustomAttribute<BindPropertyAttribute>();
                if (bind is not null && string.Equals(bind.Name ?? property.Name, "page", StringComparison.OrdinalIgnoreCase))
                {
                    wrong.Add($"{page.Name}.{property.Name}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "bound to Razor Pages' own route value “page”, not the query:\n" + string.Join('\n', wrong));
    }
}
