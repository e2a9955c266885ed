using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>One log call as the application made it: everything a sink could write of it.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<string> State, IReadOnlyList<string> Scopes, string? Exception)
{
    /// <summary>Every text a log sink could write for this record, joined.</summary>
    public string AllText => string.Join('\u0001', [Category, EventId.Name ?? string.Empty, Message, .. State, .. Scopes, Exception ?? string.Empty]);
}

/// <summary>
/// An in-memory logger provider for a test host: every category at every level (register it with a provider-specific
/// Trace filter), with the message, each structured value of the state and of the scopes, and the exception.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> records = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Records => [.. records];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static IEnumerable<string> Values(object? state) => state switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => [state.ToString() ?? string.Empty, .. pairs.Select(p => $"{p.Key}={p.Value}")],
        _ => [state.ToString() ?? string.Empty],
    };

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var scopeValues = new List<string>();
            owner.scopes.ForEachScope((scope, list) => list.AddRange(Values(scope)), scopeValues);
            owner.records.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), [.. Values(state)], scopeValues, exception?.ToString()));
        }
    }
}
