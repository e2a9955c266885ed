using System.Text.RegularExpressions;

namespace Rectify.UnitTests;

/// <summary>
/// Which way the folders of src/Rectify may depend on each other. Each folder under Features/ is a feature
/// (Features/Measures, Features/Inspections, …) and each other top-level folder (Access, Audit, Cli, CompiledModel, Data,
/// Demo, Documents, Hosting, Evidence while it lasts) is a module; the few files right in Features/ (the home page,
/// _ViewImports) are one more, "Features". Namespaces follow folders, so a file depends on a folder when it
/// imports or names that folder's namespace: a using, a @using, @model or @inject line, or a name qualified by
/// it (Rectify.Audit.AuditLog, Features.Measures.Workflow, Evidence.LookBack). Comments do not count.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>The infrastructure that the features stand on; it serves them and never reaches back into one.</summary>
    private static readonly string[] Infrastructure = ["Access", "Audit", "Data", "Documents"];

    /// <summary>
    /// The allowed direction, written once. Features may use one another only one way (no two features use each
    /// other, directly or round a longer loop); the infrastructure uses no feature; and no loop runs through a
    /// top-level module, so each can be read, tested and moved knowing only what it uses.
    /// Each rule answers with the ways it is broken (none when it holds).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Func<DependencyGraph, IEnumerable<string>>> Rules = new Dictionary<string, Func<DependencyGraph, IEnumerable<string>>>
    {
        ["no feature folder depends on another in both directions, nor round a longer loop"] = g => g.Cycles(g.Features),
        ["Access, Audit, Data and Documents depend on no feature folder"] = g => g.Edges(Infrastructure, [.. g.Features, DependencyGraph.FeaturesModule]),
        ["no loop runs through a top-level module (features counted one by one)"] = g => g.Cycles(g.Modules, loop => !loop.All(DependencyGraph.IsFeature)),
    };

    public static TheoryData<string> RuleNames => [.. Rules.Keys];

    private static readonly Lazy<DependencyGraph> Graph = new(() => DependencyGraph.Read(Sources.Files("src/Rectify")));

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Folder_dependencies_point_one_way(string rule)
    {
        var graph = Graph.Value;
        Assert.True(graph.Features.Count >= 5 && graph.EdgeCount >= 20, $"the scan found only {graph.Features.Count} feature folders and {graph.EdgeCount} dependencies under {Sources.Root}");
        var broken = Rules[rule](graph).ToList();
        Assert.True(broken.Count == 0, $"{rule}: broken {broken.Count} time(s)\n" + string.Join('\n', broken));
    }

    [Fact]
    public void A_dependency_is_a_using_a_razor_directive_or_a_qualified_name_of_another_folders_namespace()
    {
        var graph = DependencyGraph.Read(
            ["Access", "Data", "Features", "Features/Inspections", "Features/Measures", "Features/Work"],
            new Dictionary<string, IReadOnlySet<string>>
            {
                ["Access"] = new HashSet<string> { "AccessScope" },
                ["Features/Measures"] = new HashSet<string> { "Workflow" },
                ["Features/Inspections"] = new HashSet<string> { "LedgerQueries" },
            },
            [
                ("src/Rectify/Data/A.cs", "using Rectify.Access;\nnamespace Rectify.Data;"),
                ("src/Rectify/Features/Work/B.cs", "namespace Rectify.Features.Work;\n// using Rectify.Data;\nclass B { Measures.Workflow? w; int Measures => 1; int c = Measures.Count; }"),
                ("src/Rectify/Features/Work/C.cshtml", "@model Rectify.Features.Inspections.LedgerModel\n@* @using Rectify.Access *@"),
                ("src/Rectify/Features/Measures/D.cs", "class D { global::Rectify.Access.AccessScope? s; Features.Inspections.LedgerQueries? q; }"),
                ("src/Rectify/Access/E.cs", "class E { Data.Thing? t; Access.AccessScope? self; }"),
            ]);

        Assert.Equal(
            ["Data → Access", "Features/Measures → Access", "Features/Measures → Features/Inspections", "Features/Work → Features/Inspections", "Features/Work → Features/Measures"],
            graph.EdgeList.Select(e => $"{e.From} → {e.To}").Order(StringComparer.Ordinal));
        Assert.Contains("src/Rectify/Features/Work/B.cs:3", graph.Example("Features/Work", "Features/Measures"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_is_reported_with_one_file_for_each_of_its_steps()
    {
        var graph = DependencyGraph.Read(
            ["Features/A", "Features/B", "Features/C", "Features/D"],
            new Dictionary<string, IReadOnlySet<string>>(),
            [
                ("src/Rectify/Features/A/1.cs", "using Rectify.Features.B;"),
                ("src/Rectify/Features/B/1.cs", "using Rectify.Features.A;\nusing Rectify.Features.C;"),
                ("src/Rectify/Features/C/1.cs", "using Rectify.Features.D;"),
                ("src/Rectify/Features/D/1.cs", "using Rectify.Features.B;"),
            ]);

        var cycles = graph.Cycles(graph.Features).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.StartsWith("Features/A → Features/B → Features/A", cycles[0], StringComparison.Ordinal);
        Assert.Contains("Features/B → Features/A: src/Rectify/Features/B/1.cs:1", cycles[0], StringComparison.Ordinal);
        Assert.StartsWith("Features/B → Features/C → Features/D → Features/B", cycles[1], StringComparison.Ordinal);
        Assert.Contains("Features/D → Features/B: src/Rectify/Features/D/1.cs:1", cycles[1], StringComparison.Ordinal);
    }
}

/// <summary>One folder using another, with the first place (file:line and what it says) that shows it.</summary>
internal sealed record Dependency(string From, string To, string Example);

/// <summary>The folders of src/Rectify and which depends on which, read from the sources.</summary>
internal sealed partial class DependencyGraph
{
    public const string FeaturesModule = "Features";
    private const string Prefix = "src/Rectify/";

    private readonly Dictionary<(string From, string To), string> edges;

    private DependencyGraph(IReadOnlyList<string> modules, Dictionary<(string From, string To), string> edges)
    {
        Modules = modules;
        this.edges = edges;
    }

    /// <summary>Every module: top-level folders and feature folders ("Features/Measures").</summary>
    public IReadOnlyList<string> Modules { get; }

    public IReadOnlyList<string> Features => [.. Modules.Where(IsFeature)];

    public int EdgeCount => edges.Count;

    public IEnumerable<Dependency> EdgeList => edges.Select(e => new Dependency(e.Key.From, e.Key.To, e.Value));

    public static DependencyGraph Read(IReadOnlyList<SourceFile> files)
    {
        var modules = files.Select(f => ModuleOf(f.Relative)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var sources = files.Select(f => (f.Relative, Sources.Code(f))).ToList();
        return Build(modules, DeclaredTypes(sources, modules), sources);
    }

    /// <param name="modules">The folders.</param>
    /// <param name="types">The type names each folder declares: a name qualified only by a folder's last part (Measures.Workflow) counts when it names one of these.</param>
    /// <param name="sources">Each file's path from the repository root and its text.</param>
    public static DependencyGraph Read(IReadOnlyList<string> modules, IReadOnlyDictionary<string, IReadOnlySet<string>> types, IEnumerable<(string Path, string Text)> sources) =>
        Build(modules, types, sources.Select(s => (s.Path, Sources.WithoutComments(s.Text, razor: s.Path.EndsWith(".cshtml", StringComparison.Ordinal)))));

    private static DependencyGraph Build(IReadOnlyList<string> modules, IReadOnlyDictionary<string, IReadOnlySet<string>> types, IEnumerable<(string Path, string Code)> sources)
    {
        var features = modules.Where(IsFeature).Select(m => m[(FeaturesModule.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        var topLevel = modules.Where(m => !IsFeature(m)).ToHashSet(StringComparer.Ordinal);
        var edges = new Dictionary<(string, string), string>();
        foreach (var (path, code) in sources.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            if (ModuleOf(path) is not { } from)
            {
                continue;
            }

            void Add(string? to, Match m)
            {
                if (to is not null && to != from && modules.Contains(to))
                {
                    edges.TryAdd((from, to), $"{path}:{Sources.LineOf(code, m.Index)} ({m.Value.Trim()})");
                }
            }

            foreach (Match m in FullyQualified().Matches(code))
            {
                var (a, b) = (m.Groups["a"].Value, m.Groups["b"].Value);
                Add(a == FeaturesModule ? (features.Contains(b) ? $"{FeaturesModule}/{b}" : FeaturesModule) : topLevel.Contains(a) ? a : null, m);
            }

            foreach (Match m in FeatureQualified().Matches(code))
            {
                Add(features.Contains(m.Groups["b"].Value) ? $"{FeaturesModule}/{m.Groups["b"].Value}" : null, m);
            }

            // A bare Measures.Workflow binds as C# would from the file's namespace: inside Features a feature's name wins.
            foreach (Match m in FolderQualified().Matches(code))
            {
                var (a, x) = (m.Groups["a"].Value, m.Groups["x"].Value);
                var to = IsFeature(from) || from == FeaturesModule ? (features.Contains(a) ? $"{FeaturesModule}/{a}" : topLevel.Contains(a) ? a : null) : topLevel.Contains(a) ? a : null;
                if (to is not null && types.TryGetValue(to, out var declared) && declared.Contains(x))
                {
                    Add(to, m);
                }
            }
        }

        return new DependencyGraph(modules, edges);
    }

    public string Example(string from, string to) => edges[(from, to)];

    /// <summary>Each dependency from one of <paramref name="from"/> to one of <paramref name="to"/>, with its example.</summary>
    public IEnumerable<string> Edges(IEnumerable<string> from, IEnumerable<string> to)
    {
        var targets = to.ToHashSet(StringComparer.Ordinal);
        var sources = from.ToHashSet(StringComparer.Ordinal);
        return edges.Where(e => sources.Contains(e.Key.From) && targets.Contains(e.Key.To))
            .OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"{e.Key.From} → {e.Key.To}: {e.Value}");
    }

    /// <summary>
    /// The loops among <paramref name="among"/>, shortest first, written as their path and then one example file for
    /// each step. For every dependency that lies on a loop, the shortest loop through it is a candidate; a candidate
    /// is listed when it has a step that no loop listed before it has (so every step to cut is shown, and no more).
    /// </summary>
    /// <param name="among">The modules whose dependencies count.</param>
    /// <param name="keep">Which loops to list (all when null).</param>
    public IEnumerable<string> Cycles(IEnumerable<string> among, Func<IReadOnlyList<string>, bool>? keep = null)
    {
        var nodes = among.ToHashSet(StringComparer.Ordinal);
        var inside = edges.Keys.Where(e => nodes.Contains(e.From) && nodes.Contains(e.To))
            .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ToList();
        var next = inside.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<List<string>>();
        foreach (var (from, to) in inside)
        {
            if (ShortestPath(next, to, from) is not { } back)
            {
                continue;
            }

            // The loop from → to → … → from, turned to start at its smallest name so that each is listed once.
            List<string> loop = [from, .. back.Take(back.Count - 1)];
            var start = loop.IndexOf(loop.Min(StringComparer.Ordinal)!);
            loop = [.. loop.Skip(start), .. loop.Take(start)];
            if ((keep is null || keep(loop)) && seen.Add(string.Join('→', loop)))
            {
                cycles.Add(loop);
            }
        }

        var covered = new HashSet<(string, string)>();
        return cycles
            .OrderBy(c => c.Count).ThenBy(c => string.Join('→', c), StringComparer.Ordinal)
            .Where(c => c.Select((m, i) => covered.Add((m, c[(i + 1) % c.Count]))).ToList().Contains(true))
            .Select(c =>
            {
                var steps = c.Select((m, i) => (From: m, To: c[(i + 1) % c.Count]));
                return string.Join(" → ", c.Append(c[0])) + "\n" + string.Join('\n', steps.Select(s => $"    {s.From} → {s.To}: {edges[(s.From, s.To)]}"));
            });
    }

    private static List<string>? ShortestPath(ILookup<string, string> next, string from, string to)
    {
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var at = queue.Dequeue();
            if (at == to)
            {
                var path = new List<string>();
                for (string? step = at; step is not null; step = previous[step])
                {
                    path.Add(step);
                }

                path.Reverse();
                return path;
            }

            foreach (var n in next[at].Where(n => !previous.ContainsKey(n)))
            {
                previous[n] = at;
                queue.Enqueue(n);
            }
        }

        return null;
    }

    public static bool IsFeature(string module) => module.StartsWith(FeaturesModule + "/", StringComparison.Ordinal);

    /// <summary>"Access" for src/Rectify/Access/…, "Features/Measures" for src/Rectify/Features/Measures/…, "Features" for a file right in Features; null at the root.</summary>
    private static string? ModuleOf(string path)
    {
        var parts = path[Prefix.Length..].Split('/');
        return parts.Length switch
        {
            1 => null,
            > 2 when parts[0] == FeaturesModule => $"{FeaturesModule}/{parts[1]}",
            _ => parts[0],
        };
    }

    private static Dictionary<string, IReadOnlySet<string>> DeclaredTypes(IEnumerable<(string Path, string Code)> sources, IEnumerable<string> modules)
    {
        var types = modules.ToDictionary(m => m, _ => (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, code) in sources.Where(s => s.Path.EndsWith(".cs", StringComparison.Ordinal)))
        {
            if (ModuleOf(path) is { } module)
            {
                ((HashSet<string>)types[module]).UnionWith(TypeDeclaration().Matches(code).Select(m => m.Groups["name"].Value));
            }
        }

        return types;
    }

    /// <summary>Rectify.Audit, global::Rectify.Features.Measures.Workflow, using Rectify.Access; …</summary>
    [GeneratedRegex(@"(?<![\w.])(global::)?Rectify\.(?<a>\w+)(\.(?<b>\w+))?")]
    private static partial Regex FullyQualified();

    /// <summary>Features.Measures.Workflow, from inside Rectify.</summary>
    [GeneratedRegex(@"(?<![\w.:])Features\.(?<b>\w+)")]
    private static partial Regex FeatureQualified();

    /// <summary>Evidence.LookBack, Measures.Workflow: a name qualified by a folder's last part alone.</summary>
    [GeneratedRegex(@"(?<![\w.:])(?<a>[A-Z]\w*)\.(?<x>[A-Z]\w*)")]
    private static partial Regex FolderQualified();

    [GeneratedRegex(@"\b(class|struct|interface|enum|record(\s+(class|struct))?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();
}
