using System.Text;
using System.Text.RegularExpressions;
using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>
/// Rules about the shape of the code rather than its behaviour: the domain stands alone, and time comes from
/// the injected clock. The sources are read from the repository, so these tests see what is there, not what
/// was compiled into the test's output. (The folder dependencies have their own tests, <see cref="FolderDependencyTests"/>.)
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>What the domain may reference: the .NET runtime, and nothing else.</summary>
    private static readonly Regex RuntimeAssembly = RuntimeAssemblyName();

    /// <summary>The only files that may name <c>TimeProvider.System</c>: where the clock is chosen at start-up (the web host's registration, the command line's entry point).</summary>
    private static readonly string[] ClockRegistration = ["src/Rectify/Hosting/RectifyApp.cs", "src/Rectify/Program.cs"];

    [Fact]
    public void The_domain_references_nothing_but_the_runtime()
    {
        var domain = typeof(Measure).Assembly;
        var others = domain.GetReferencedAssemblies().Where(a => !RuntimeAssembly.IsMatch(a.Name ?? string.Empty)).Select(a => a.FullName).ToList();
        Assert.True(others.Count == 0, $"{domain.GetName().Name} references {string.Join(", ", others)}; the domain may reference only the .NET runtime");

        // A package or project reference the code does not use yet would not show above.
        var project = File.ReadAllText(Path.Combine(Sources.Root, "src", "Rectify.Domain", "Rectify.Domain.csproj"));
        var references = ProjectReference().Matches(project).Select(m => m.Value).ToList();
        Assert.True(references.Count == 0, $"Rectify.Domain.csproj has {string.Join(", ", references)}; the domain takes no packages and no projects");
    }

    [Fact]
    public void The_domains_sources_use_no_namespace_but_its_own_and_the_runtimes()
    {
        var files = Sources.Files("src/Rectify.Domain");
        Assert.True(files.Count >= 5, $"only {files.Count} domain sources were found under {Sources.Root}");
        var found = new List<string>();
        foreach (var file in files)
        {
            var code = Sources.Code(file);
            found.AddRange(ForeignNamespace().Matches(code).Select(m => $"{file.Relative}:{Sources.LineOf(code, m.Index)}: {m.Value.Trim()}"));
        }

        Assert.True(found.Count == 0, "the domain names another assembly's namespace:\n" + string.Join('\n', found));
    }

    [Fact]
    public void Nothing_reads_the_time_except_through_the_injected_clock()
    {
        var files = Sources.Files("src");
        Assert.True(files.Count > 50, $"only {files.Count} sources were found under {Sources.Root}");
        var found = new List<string>();
        foreach (var file in files)
        {
            var code = Sources.Code(file);
            found.AddRange(WallClock().Matches(code).Select(m => $"{file.Relative}:{Sources.LineOf(code, m.Index)}: {m.Value}"));
            if (!ClockRegistration.Contains(file.Relative, StringComparer.Ordinal))
            {
                found.AddRange(SystemClock().Matches(code).Select(m => $"{file.Relative}:{Sources.LineOf(code, m.Index)}: {m.Value} outside the start-up registration"));
            }
        }

        Assert.True(found.Count == 0, "the time is read around the injected TimeProvider (take TimeProvider from DI and call GetUtcNow()):\n" + string.Join('\n', found));
    }

    [Fact]
    public void A_comment_about_the_clock_is_not_code_that_reads_it_and_a_double_slash_in_a_string_is_no_comment()
    {
        const string text = """"
            // DateTime.Now in a comment
            /* DateTime.UtcNow
               in a block */
            var url = "http://example.org/*not a comment*/"; // and DateTimeOffset.Now
            var s = $"{x["k"]} {{ // still the string }}";
            var v = @"a "" // b";
            var r = $$"""{{DateTime.Today}} // c""";
            """";
        var code = Sources.WithoutComments(text, razor: false);
        Assert.Equal(text.Count(c => c == '\n'), code.Count(c => c == '\n'));
        Assert.DoesNotContain("DateTime.Now", code, StringComparison.Ordinal);
        Assert.DoesNotContain("DateTime.UtcNow", code, StringComparison.Ordinal);
        Assert.DoesNotContain("DateTimeOffset.Now", code, StringComparison.Ordinal);
        Assert.Contains("\"http://example.org/*not a comment*/\";", code, StringComparison.Ordinal);
        Assert.Contains("{{ // still the string }}", code, StringComparison.Ordinal);
        Assert.Contains("\"a \"\" // b\"", code, StringComparison.Ordinal);
        Assert.Single(WallClock().Matches(code));

        var razor = Sources.WithoutComments("@* DateTime.Now *@ <!-- DateTime.UtcNow --> <p>It's @DateTime.Today</p>", razor: true);
        Assert.Equal("DateTime.Today", Assert.Single(WallClock().Matches(razor)).Value);
    }

    [GeneratedRegex(@"^(System(\..+)?|netstandard|mscorlib|Microsoft\.Win32\..+)$")]
    private static partial Regex RuntimeAssemblyName();

    [GeneratedRegex(@"<(PackageReference|ProjectReference|Reference)\b[^>]*>")]
    private static partial Regex ProjectReference();

    /// <summary>A using of, or a name qualified by, a namespace outside the runtime and the domain.</summary>
    [GeneratedRegex(@"^\s*(global\s+)?using\s+(static\s+)?(\w+\s*=\s*)?(global::)?(Microsoft|Rectify(?!\.Domain\b))\b[^;]*;|(?<![\w.])(global::)?(Microsoft\.\w+|Rectify\.(?!Domain\b)\w+)", RegexOptions.Multiline)]
    private static partial Regex ForeignNamespace();

    /// <summary>The ways to read the machine's time without the clock.</summary>
    [GeneratedRegex(@"(?<![\w])DateTime(Offset)?\s*\.\s*(Now|UtcNow|Today)\b")]
    private static partial Regex WallClock();

    [GeneratedRegex(@"(?<![\w])TimeProvider\s*\.\s*System\b")]
    private static partial Regex SystemClock();
}

/// <summary>A source file of the repository: its path from the root (with '/') and where it is on disk.</summary>
internal sealed record SourceFile(string Relative, string FullPath);

/// <summary>The repository's sources as the architecture tests read them: C# and Razor, without comments.</summary>
internal static class Sources
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The folder that holds Rectify.slnx, found by walking up from the test's output folder.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The .cs and .cshtml files under <paramref name="folder"/> (relative to the root), leaving out bin/, obj/ and Migrations/.</summary>
    public static IReadOnlyList<SourceFile> Files(string folder)
    {
        var start = Path.Combine(Root, folder);
        return Directory.EnumerateFiles(start, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Select(f => new SourceFile(Path.GetRelativePath(Root, f).Replace('\\', '/'), f))
            .Where(f => !f.Relative.Split('/').Any(part => part is "bin" or "obj" or "Migrations"))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The file's text with its comments blanked out (line breaks kept, so positions still give the right line).</summary>
    public static string Code(SourceFile file) =>
        WithoutComments(File.ReadAllText(file.FullPath), razor: file.Relative.EndsWith(".cshtml", StringComparison.Ordinal));

    public static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    /// <summary>
    /// Blanks out // and /* */ comments (and, in Razor, @* *@ and &lt;!-- --&gt;), leaving strings, characters and
    /// everything else as it is. Strings are followed closely enough that "//" inside one is not a comment and
    /// code inside an interpolation hole still counts as code.
    /// </summary>
    public static string WithoutComments(string text, bool razor)
    {
        var scanner = new CommentScanner(text, razor);
        scanner.Code(0, inHole: false);
        return scanner.Result.ToString();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rectify.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Rectify.slnx");
    }

    private sealed class CommentScanner(string text, bool razor)
    {
        public StringBuilder Result { get; } = new(text);

        /// <summary>Scans code from <paramref name="i"/>; in an interpolation hole, stops at its closing brace and returns where it is.</summary>
        public int Code(int i, bool inHole)
        {
            var depth = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (At(i, "//"))
                {
                    i = Blank(i, text.IndexOf('\n', i) is var end and >= 0 ? end : text.Length);
                }
                else if (At(i, "/*"))
                {
                    i = Blank(i, EndOf(i + 2, "*/"));
                }
                else if (razor && At(i, "@*"))
                {
                    i = Blank(i, EndOf(i + 2, "*@"));
                }
                else if (razor && At(i, "<!--"))
                {
                    i = Blank(i, EndOf(i + 4, "-->"));
                }
                else if (c == '\'')
                {
                    i = CharacterLiteral(i);
                }
                else if (StringStart(i) is { } start)
                {
                    i = String(start);
                }
                else if (c == '{')
                {
                    depth++;
                    i++;
                }
                else if (c == '}')
                {
                    if (inHole && depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    i++;
                }
                else
                {
                    i++;
                }
            }

            return i;
        }

        private bool At(int i, string s) => string.CompareOrdinal(text, i, s, 0, s.Length) == 0;

        private int EndOf(int from, string close) => text.IndexOf(close, from, StringComparison.Ordinal) is var end and >= 0 ? end + close.Length : text.Length;

        private int Blank(int from, int to)
        {
            for (var k = from; k < to; k++)
            {
                if (text[k] is not ('\n' or '\r'))
                {
                    Result[k] = ' ';
                }
            }

            return to;
        }

        /// <summary>'x' or '\n'; an apostrophe in Razor's text that closes nothing nearby is only an apostrophe.</summary>
        private int CharacterLiteral(int i)
        {
            for (var k = i + 1; k < Math.Min(text.Length, i + 10) && text[k] != '\n'; k++)
            {
                if (text[k] == '\\')
                {
                    k++;
                }
                else if (text[k] == '\'')
                {
                    return k + 1;
                }
            }

            return i + 1;
        }

        /// <summary>A string's opening at <paramref name="i"/>: its $ count, whether verbatim, its quote count, and where its content begins.</summary>
        private (int Dollars, bool Verbatim, int Quotes, int Content)? StringStart(int i)
        {
            if (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_') && text[i] != '"')
            {
                return null;
            }

            var k = i;
            var dollars = 0;
            var verbatim = false;
            while (k < text.Length && (text[k] == '$' || (text[k] == '@' && !verbatim)))
            {
                if (text[k] == '$')
                {
                    dollars++;
                }
                else
                {
                    verbatim = true;
                }

                k++;
            }

            if (k >= text.Length || text[k] != '"')
            {
                return null;
            }

            var quotes = 0;
            while (k + quotes < text.Length && text[k + quotes] == '"')
            {
                quotes++;
            }

            // "" is an empty string, not the start of a raw one.
            if (quotes == 2)
            {
                return (dollars, verbatim, 1, k + 1);
            }

            return (dollars, verbatim, quotes >= 3 ? quotes : 1, k + quotes);
        }

        private int String((int Dollars, bool Verbatim, int Quotes, int Content) s)
        {
            var raw = s.Quotes >= 3;
            var holeBraces = raw ? Math.Max(1, s.Dollars) : 1;
            var i = s.Content;
            while (i < text.Length)
            {
                var c = text[i];
                if (raw && At(i, new string('"', s.Quotes)))
                {
                    return i + s.Quotes;
                }

                if (!raw && c == '"')
                {
                    if (s.Verbatim && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i += 2;
                        continue;
                    }

                    return i + 1;
                }

                if (!raw && !s.Verbatim && c == '\\')
                {
                    i += 2;
                    continue;
                }

                // A regular string cannot cross a line: in Razor's markup a lone quote is only text.
                if (!raw && !s.Verbatim && c == '\n')
                {
                    return i;
                }

                if (s.Dollars > 0 && c == '{')
                {
                    var run = 0;
                    while (i + run < text.Length && text[i + run] == '{')
                    {
                        run++;
                    }

                    if (!raw && run >= 2)
                    {
                        // {{ is a brace in the text.
                        i += run - (run % 2);
                        continue;
                    }

                    if (run >= holeBraces)
                    {
                        i = Code(i + run, inHole: true);
                        i = i < text.Length ? i + holeBraces : i;
                        continue;
                    }

                    i += run;
                    continue;
                }

                i++;
            }

            return i;
        }
    }
}
