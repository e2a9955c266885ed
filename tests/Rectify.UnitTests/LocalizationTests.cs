using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Rectify.UnitTests;

/// <summary>English is available for every word of the UI: each L["…"] key in the pages and each domain term has an entry in SharedResource.en.resx.</summary>
public sealed partial class LocalizationTests
{
    private static readonly string Sources = Path.Combine(AppContext.BaseDirectory, "ui-sources");

    [Fact]
    public void Every_ui_string_and_domain_term_has_an_english_translation()
    {
        var resx = Directory.GetFiles(Sources, "SharedResource.en.resx", SearchOption.AllDirectories).Single();
        var translated = XDocument.Load(resx).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        Assert.All(translated, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"empty translation for “{t.Key}”"));

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(Sources, "*.cshtml", SearchOption.AllDirectories).Concat(Directory.GetFiles(Sources, "*.cs", SearchOption.AllDirectories)).ToList();
        Assert.True(files.Count > 20, $"only {files.Count} UI sources were copied");
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            keys.UnionWith(LocalizerKey().Matches(text).Select(m => m.Groups[1].Value));
            keys.UnionWith(WorkSectionTitle().Matches(text).Select(m => m.Groups[1].Value));
            if (Path.GetFileName(file) == "Terms.cs")
            {
                keys.UnionWith(TermValue().Matches(text).Select(m => m.Groups[1].Value));
            }
        }

        Assert.True(keys.Count > 150, $"only {keys.Count} keys were found");
        var missing = keys.Where(k => !translated.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "no English for: " + string.Join(" | ", missing));
    }

    [GeneratedRegex("""\b[Ll]\["([^"]+)"\]""")]
    private static partial Regex LocalizerKey();

    /// <summary>待办's section titles, shown through the localizer.</summary>
    [GeneratedRegex(@"SectionAsync\(""\w+"", ""([^""]+)""")]
    private static partial Regex WorkSectionTitle();

    [GeneratedRegex("""=> "([^"]+)",""")]
    private static partial Regex TermValue();
}
