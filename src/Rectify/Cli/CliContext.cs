namespace Rectify.Cli;

/// <summary>What a verb reads and writes: the standard streams, the clock, and the options it hands on to the host.</summary>
internal sealed class CliContext(TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock)
{
    /// <summary>
    /// A verb that does its work and exits prints its own lines only: the host's console log is off for it (EF logs,
    /// for one, a failed look-up of its history table on a new PostgreSQL database). It goes first, so that a
    /// --Logging:Console:… typed on the command line still wins.
    /// </summary>
    private const string QuietConsole = "--Logging:Console:LogLevel:Default=None";

    public TextReader In { get; } = stdin;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The host's own options as typed (--urls URL, --Key:Sub=value), taken out before parsing.</summary>
    public List<string> HostArguments { get; } = [];

    /// <summary>The host's options for serve, which logs to the console as configured; with the data folder when --data was given.</summary>
    public string[] ServerArguments(string? dataFolder) => [.. HostArguments, .. DataFolder(dataFolder)];

    /// <summary>The host's options for the other verbs: the same, with the console log off.</summary>
    public string[] VerbArguments(string? dataFolder) => [QuietConsole, .. HostArguments, .. DataFolder(dataFolder)];

    private static string[] DataFolder(string? dataFolder) =>
        dataFolder is null ? [] : [$"--{Hosting.RectifyApp.DataFolderKey}={dataFolder}"];
}
