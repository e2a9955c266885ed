namespace Rectify.Domain;

/// <summary>报送周期: how often units report on their 长期坚持 measures, set per inspection.</summary>
public enum ReportingCadence
{
    /// <summary>每周 (Monday to Sunday).</summary>
    Weekly = 1,

    /// <summary>每月 (calendar month).</summary>
    Monthly = 2,

    /// <summary>每季度 (calendar quarter).</summary>
    Quarterly = 3,
}

/// <summary>
/// The periods of a cadence, in China's calendar. A 长期坚持 measure owes one report for every period it
/// was under way from the period's first day; a report filed during that period or later settles it.
/// So on any day, the measure is behind when it was under way at the start of the last closed period and
/// nothing has been filed since that start.
/// </summary>
public static class ReportingCadences
{
    public const ReportingCadence Default = ReportingCadence.Monthly;

    /// <summary>The first day of the period that contains <paramref name="day"/>.</summary>
    public static DateOnly PeriodStart(ReportingCadence cadence, DateOnly day) => cadence switch
    {
        ReportingCadence.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        ReportingCadence.Monthly => new DateOnly(day.Year, day.Month, 1),
        ReportingCadence.Quarterly => new DateOnly(day.Year, (((day.Month - 1) / 3) * 3) + 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "未知的报送周期。"),
    };

    /// <summary>The first day of the last period that has ended by <paramref name="today"/>.</summary>
    public static DateOnly LastClosedPeriodStart(ReportingCadence cadence, DateOnly today) =>
        PeriodStart(cadence, PeriodStart(cadence, today).AddDays(-1));

    /// <summary>The instant (UTC) at which <paramref name="day"/> begins in China.</summary>
    public static DateTime StartUtc(DateOnly day) =>
        DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset, DateTimeKind.Utc);

    /// <summary>From this instant on, a report settles the last closed period; a measure under way before it owed one.</summary>
    public static DateTime LastClosedPeriodStartUtc(ReportingCadence cadence, DateOnly today) =>
        StartUtc(LastClosedPeriodStart(cadence, today));

    /// <summary>Reports filed from this instant on count for the current period.</summary>
    public static DateTime CurrentPeriodStartUtc(ReportingCadence cadence, DateOnly today) =>
        StartUtc(PeriodStart(cadence, today));
}

/// <summary>Everything the overdue rule reads of a measure, for rows read without the entity.</summary>
/// <param name="Kind">整改类型.</param>
/// <param name="State">Where the measure is.</param>
/// <param name="Deadline">整改时限.</param>
/// <param name="Cadence">The inspection's 报送周期; null means the default.</param>
/// <param name="OngoingSinceUtc">When the measure entered 长期坚持.</param>
/// <param name="LastReportAtUtc">When the last progress report that was not returned was filed.</param>
public readonly record struct OverdueFacts(
    MeasureKind Kind,
    MeasureState State,
    DateOnly? Deadline,
    ReportingCadence? Cadence,
    DateTime? OngoingSinceUtc,
    DateTime? LastReportAtUtc);

/// <summary>Why a measure is overdue, when it is.</summary>
public enum OverdueReason
{
    None = 0,

    /// <summary>超期: past its deadline and not signed off.</summary>
    PastDeadline = 1,

    /// <summary>逾期未报: a 长期坚持 measure whose last closed period has no report.</summary>
    MissingCadenceReport = 2,
}
