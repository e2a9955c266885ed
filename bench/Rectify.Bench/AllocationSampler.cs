using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Rectify.Bench;

/// <summary>
/// Which types a stretch of work allocates, from the runtime's allocation ticks (one event about every 100 KB
/// allocated, naming the type of the object that crossed the mark): a sample, not an account, but proportional to
/// the bytes. Enabled with RECTIFY_BENCH_ALLOCATIONS=1; the bench prints the top types of each phase it marks.
/// Events arrive on the listener's own thread, a little after the allocation: <see cref="Take"/> waits briefly.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const long GcKeyword = 0x1;

    private ConcurrentDictionary<string, long> bytes = new(StringComparer.Ordinal);

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("RECTIFY_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 100_000;
        bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    /// <summary>Prints the top types since the last call (after a short wait for late events) and starts again.</summary>
    public void Take(string phase, int top = 25)
    {
        Thread.Sleep(1500);
        var taken = Interlocked.Exchange(ref bytes, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
        var total = taken.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    allocation sample, {phase}: {total / 1048576.0:F1} MiB"));
        foreach (var (type, amount) in taken.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {amount / 1048576.0,7:F1} MiB  {type}"));
        }
    }
}
