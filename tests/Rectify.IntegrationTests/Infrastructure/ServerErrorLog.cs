using Microsoft.Extensions.Logging;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// The hosted servers' errors, appended to the file <c>RECTIFY_SERVER_ERRORS</c> names (CI: artifacts/server-errors.log,
/// printed when a run fails): a test that sees a 500 names the status only, and the server's exception is otherwise lost
/// with the process. Off when the variable is not set.
/// </summary>
public sealed class ServerErrorLog(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static string? Path => Environment.GetEnvironmentVariable("RECTIFY_SERVER_ERRORS") is { Length: > 0 } p ? p : null;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Adds a line of the test harness's own (a server that would not start) to the file, when there is one.</summary>
    public static void Append(string message)
    {
        if (Path is { } path)
        {
            new ServerErrorLog(path).Write("fixture", LogLevel.Error, message, null);
        }
    }

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        var test = TestContext.Current.Test?.TestDisplayName ?? "(no test)";
        var text = $"{DateTime.UtcNow:O} {level} {category} [{test}]{Environment.NewLine}  {message}{Environment.NewLine}{(exception is null ? string.Empty : exception + Environment.NewLine)}";
        lock (Gate)
        {
            File.AppendAllText(path, text);
        }
    }

    private sealed class Logger(ServerErrorLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                owner.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
