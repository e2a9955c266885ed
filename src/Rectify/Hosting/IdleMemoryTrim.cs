using System.Runtime;
using Microsoft.Extensions.Options;

namespace Rectify.Hosting;

/// <summary>
/// <c>Memory:IdleTrim</c> (true) gives memory back when the server goes quiet after a busy spell; <c>Memory:QuietSeconds</c>
/// (10) is how long a spell of quiet lasts, <c>Memory:QuietAllocatedMegabytes</c> (8) how much the server may allocate in
/// one and still be quiet, <c>Memory:TrimAboveMegabytes</c> (32) how far the GC's committed memory must have grown since
/// the last trim to be worth one.
/// </summary>
public sealed class MemoryTrimOptions
{
    public const string Section = "Memory";

    public bool IdleTrim { get; set; } = true;

    public int QuietSeconds { get; set; } = 10;

    public int QuietAllocatedMegabytes { get; set; } = 8;

    public int TrimAboveMegabytes { get; set; } = 32;
}

/// <summary>
/// Whether to trim now, from what was allocated in the last spell and what the GC holds: only in a quiet spell that
/// follows a busy one, and only when the committed memory has grown by the threshold since the last trim (so an idle
/// server is never trimmed twice for nothing). Kept apart from the clock and the GC so it can be tested.
/// </summary>
public sealed class TrimDecision(long quietAllocatedBytes, long trimAboveBytes, long committedAtStart)
{
    private bool busySinceTrim;
    private long committedAfterTrim = committedAtStart;

    /// <summary>The spell just ended allocated <paramref name="allocatedBytes"/>; the GC has <paramref name="committedBytes"/> committed.</summary>
    public bool Next(long allocatedBytes, long committedBytes)
    {
        if (allocatedBytes >= quietAllocatedBytes)
        {
            busySinceTrim = true;
            return false;
        }

        return busySinceTrim && committedBytes - committedAfterTrim >= trimAboveBytes;
    }

    /// <summary>A trim was made; <paramref name="committedBytes"/> is what the GC holds after it.</summary>
    public void Trimmed(long committedBytes)
    {
        busySinceTrim = false;
        committedAfterTrim = committedBytes;
    }
}

/// <summary>
/// After a burst of load, most of what the GC holds is requests' garbage that reached the oldest generation while the
/// requests waited their turn, and it stays committed until the next full collection, which a quiet server may not
/// make for hours (measured: 394 MB resident after a 200-connection replay, 309 MB after one full collection, a live heap of
/// 41 MB). When the server has been quiet for a spell after a busy one, this service makes one full, compacting
/// collection that gives the free memory back to the system, as the JVM's G1 does on a timer (JEP 346). It costs one
/// pause of tens of milliseconds, taken only while nobody is asking. ADR 0034, issue #12.
/// </summary>
public sealed partial class IdleMemoryTrim(IOptions<MemoryTrimOptions> options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    private const long Megabyte = 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.IdleTrim)
        {
            return;
        }

        var decision = new TrimDecision(o.QuietAllocatedMegabytes * Megabyte, o.TrimAboveMegabytes * Megabyte, GC.GetGCMemoryInfo().TotalCommittedBytes);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, o.QuietSeconds)), time);
        var allocated = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                var trim = decision.Next(now - allocated, committed);
                if (trim)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    _ = NativeHeap.Trim();
                    var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                    decision.Trimmed(after);
                    Trimmed(logger, committed / Megabyte, after / Megabyte);
                }

                // What the trim itself allocated is not load.
                allocated = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quiet after a busy spell: memory given back, GC committed {Before} MB -> {After} MB")]
    private static partial void Trimmed(ILogger logger, long before, long after);
}

/// <summary>The C library's heap: on glibc, <c>malloc_trim</c> gives back the free pages of every arena (SQLite's page caches, the TLS library's buffers); elsewhere nothing.</summary>
public static class NativeHeap
{
    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Whether the C library could be asked (false where it has no <c>malloc_trim</c>).</summary>
    public static bool Trim()
    {
        if (unavailable)
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true; // musl and other C libraries have no malloc_trim
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
