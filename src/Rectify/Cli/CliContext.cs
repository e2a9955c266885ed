namespace Rectify.Cli;

/// <summary>What a verb reads and writes: the standard streams, the clock, and the options it hands on to the host.</summary>
internal sealed class CliContext(TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock)
{
    public TextReader In { get; } = stdin;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The host's own options as typed (--urls URL, --Key:Sub=value), taken out before parsing.</summary>
    public List<string> HostArguments { get; } = [];

    /// <summary>The host's options, with the data folder when --data was given.</summary>
    public string[] HostArgumentsWith(string? dataFolder) =>
        dataFolder is null ? [.. HostArguments] : [.. HostArguments, $"--{Hosting.RectifyApp.DataFolderKey}={dataFolder}"];
}
