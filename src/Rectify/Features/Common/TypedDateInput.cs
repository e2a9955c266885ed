using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Rectify.Features.Common;

/// <summary>
/// A date field (<c>&lt;input type="date" typed-date&gt;</c>) whose date was refused (<see cref="TypedDateBinder"/>) comes
/// back as a text field holding what was typed, marked invalid: a browser's date field cannot show 2026-02-30, so it
/// would come back empty, and a form saved again as it stood would then save "no date" where the person had typed one.
/// As text, the typo is in view to be corrected, and sent again unchanged it is refused again. Opt-in per field: a page
/// with several forms naming a field alike (a plan's rows) keeps what was typed in its own way.
/// </summary>
[HtmlTargetElement("input", Attributes = "typed-date")]
public sealed class TypedDateInputTagHelper : TagHelper
{
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>Marks the field; not written out.</summary>
    [HtmlAttributeName("typed-date")]
    public bool TypedDate { get; set; } = true;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        if (context.AllAttributes["name"]?.Value?.ToString() is not { Length: > 0 } name
            || TypedDateBinderProvider.Refused(ViewContext.ModelState, name) is not { } typed)
        {
            return;
        }

        output.Attributes.SetAttribute("type", "text");
        output.Attributes.SetAttribute("value", typed);
        output.Attributes.SetAttribute("aria-invalid", "true");
        output.Attributes.SetAttribute("class", context.AllAttributes["class"]?.Value is { } c ? $"{c} refused-date" : "refused-date");
        output.Attributes.SetAttribute("placeholder", "2026-03-31");
        output.Attributes.RemoveAll("min");
        output.Attributes.RemoveAll("max");
    }
}
