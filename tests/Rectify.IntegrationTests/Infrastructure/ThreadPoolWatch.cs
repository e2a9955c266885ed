using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// Measures how long a work item waits for the thread pool while the tests run: the hosted servers, Chromium's
/// answers and every test share this process's pool, and a starved pool shows as a browser wait that times out.
/// A thread of its own queues an item every quarter second and records the wait; a wait over five seconds is written
/// to the server-errors file (with the pool's threads and queue), and the figures go to the file
/// <c>RECTIFY_THREADPOOL_REPORT</c> names when the process ends. Off when neither variable is set.
/// </summary>
internal static class ThreadPoolWatch
{
    private static readonly Lock Gate = new();
    private static long samples;
    private static long overOne;
    private static long overFive;
    private static double longest;
    private static string longestAt = "-";

    public static string? ReportPath => Environment.GetEnvironmentVariable("RECTIFY_THREADPOOL_REPORT") is { Length: > 0 } p ? p : null;

#pragma warning disable CA2255 // A test assembly's own start: the watch must run before the first test, whichever it is.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Start()
    {
        if (ReportPath is null && ServerErrorLog.Path is null)
        {
            return;
        }

        var thread = new Thread(Watch) { IsBackground = true, Name = "thread-pool watch" };
        thread.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Report();
    }

    private static void Watch()
    {
        using var ran = new AutoResetEvent(false);
        while (true)
        {
            Thread.Sleep(250);
            var clock = Stopwatch.StartNew();
            ThreadPool.UnsafeQueueUserWorkItem(static state => ((AutoResetEvent)state!).Set(), ran);
            ran.WaitOne();
            var waited = clock.Elapsed.TotalSeconds;
            Record(waited);
        }
    }

    private static void Record(double waited)
    {
        string? line = null;
        lock (Gate)
        {
            samples++;
            overOne += waited > 1 ? 1 : 0;
            overFive += waited > 5 ? 1 : 0;
            if (waited > longest)
            {
                longest = waited;
                longestAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            }

            if (waited > 5)
            {
                line = string.Create(CultureInfo.InvariantCulture, $"the thread pool was starved: a work item waited {waited:0.0} s ({ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} items queued)");
            }
        }

        if (line is not null)
        {
            ServerErrorLog.Append(line);
        }
    }

    private static void Report()
    {
        if (ReportPath is not { } path)
        {
            return;
        }

        lock (Gate)
        {
            File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"thread pool: {samples} samples, {overOne} waits over 1 s, {overFive} over 5 s, the longest {longest:0.00} s at {longestAt}, {ThreadPool.ThreadCount} threads at the end{Environment.NewLine}"));
        }
    }
}
