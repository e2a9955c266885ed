namespace Rectify.Domain;

/// <summary>
/// Dates of events are stored in UTC and shown in Asia/Shanghai. China has kept UTC+8 without daylight
/// saving since 1991, so a fixed offset is exact and needs no time-zone database on the server.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Offset).DateTime);
    }

    public static DateTimeOffset ToChina(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset);

    /// <summary>The day, in China time, of a moment stored in UTC (a report filed at 01:00 Beijing time on the 3rd is of the 3rd, not the 2nd).</summary>
    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(ToChina(utc).DateTime);
}
