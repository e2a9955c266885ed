using System.CommandLine;

namespace Rectify.Cli;

/// <summary>A top-level verb, with what to say when it is used wrongly (the usage line or the exact complaint).</summary>
internal sealed class Verb(string name, Func<ParseResult, string> misuse) : Command(name)
{
    public Func<ParseResult, string> Misuse { get; } = misuse;

    /// <summary>True for the verbs that build the host: they let its options through (--urls, --Key:Sub=value).</summary>
    public bool PassesHostOptions { get; init; } = true;

    /// <summary>--data 目录, on the verb and every subcommand of it.</summary>
    public static Option<string> DataOption() => new("--data") { Recursive = true };

    /// <summary>A flag takes no value: `--json true` is not a flag and a value.</summary>
    public static Option<bool> Flag(string name) => new(name) { Arity = ArgumentArity.Zero };
}

/// <summary>
/// Separates the host's options from the verb's before System.CommandLine sees them, by the rule the command line
/// has always had: a token starting with '-' that is none of the verb's options goes to the host, and so does the
/// token after it when it has no '=' and the next does not start with '-'. The verb's own options keep their value
/// whatever it looks like (`--days -5` is a wrong number of days, not a host option).
/// </summary>
internal static class HostArguments
{
    public static (string[] Ours, List<string> Host) Split(string[] args, Command verb, Command root)
    {
        var known = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var option in root.Options.Where(o => o.Recursive).Concat(OptionsOf(verb)))
        {
            foreach (var alias in option.Aliases.Prepend(option.Name))
            {
                known.TryAdd(alias, option);
            }
        }

        var ours = new List<string> { args[0] };
        var host = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith('-'))
            {
                ours.Add(a);
            }
            else if (known.TryGetValue(a.Split('=', 2)[0], out var option))
            {
                ours.Add(a);
                if (!a.Contains('=', StringComparison.Ordinal) && option.Arity.MaximumNumberOfValues > 0 && i + 1 < args.Length)
                {
                    ours.Add(args[++i]);
                }
            }
            else
            {
                host.Add(a);
                if (!a.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                {
                    host.Add(args[++i]);
                }
            }
        }

        return ([.. ours], host);
    }

    private static IEnumerable<Option> OptionsOf(Command command) =>
        command.Options.Concat(command.Subcommands.SelectMany(OptionsOf));
}
