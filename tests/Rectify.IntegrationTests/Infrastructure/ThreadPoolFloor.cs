using System.Runtime.CompilerServices;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// Lets this process's thread pool grow without waiting. The hosted servers start synchronously (WebApplicationFactory
/// blocks a pool thread while the app starts), and Chromium's answers, the servers and every test share the pool; on a
/// two-core machine the pool starts with two workers and adds about one a second when they are blocked, which
/// <see cref="ThreadPoolWatch"/> measured in CI as waits of 6 to 9 s between tests. A floor of 32 workers lets
/// the blocked starts and the work waiting behind them run at once. It changes no test's outcome, only how long work queues.
/// </summary>
internal static class ThreadPoolFloor
{
    internal const int Workers = 32;

#pragma warning disable CA2255 // A test assembly's own start: the floor must hold before the first host starts.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, Workers), completions);
    }
}
