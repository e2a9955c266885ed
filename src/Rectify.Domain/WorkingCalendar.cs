namespace Rectify.Domain;

/// <summary>One listed day of the official calendar: a holiday (放假, <see cref="IsOffDay"/>) or a make-up working day (调休上班).</summary>
public sealed record CalendarDay(DateOnly Date, bool IsOffDay, string Name);

/// <summary>
/// 工作日: the official holidays and make-up working days (调休) as data, Monday–Friday for every other day. A year
/// with no data at all falls back to Monday–Friday (<see cref="HasDataFor"/> says so, and pages tell the reader).
/// </summary>
public sealed class WorkingCalendar : IWorkingDays
{
    private readonly Dictionary<DateOnly, CalendarDay> days;
    private readonly HashSet<int> years;

    public WorkingCalendar(IEnumerable<CalendarDay> listed, IEnumerable<int>? yearsWithData = null)
    {
        ArgumentNullException.ThrowIfNull(listed);
        days = [];
        foreach (var day in listed)
        {
            days[day.Date] = day;
        }

        years = [.. yearsWithData ?? days.Keys.Select(d => d.Year)];
    }

    /// <summary>Monday–Friday only: a calendar with no data.</summary>
    public static WorkingCalendar WeekdaysOnly { get; } = new([]);

    /// <summary>The years for which the official calendar is known.</summary>
    public IReadOnlyCollection<int> Years => years;

    public bool HasDataFor(int year) => years.Contains(year);

    /// <summary>Of the years these days fall in, those without data (counted Monday–Friday), in order.</summary>
    public IReadOnlyList<int> YearsWithoutData(IEnumerable<DateOnly> dates) =>
        [.. (dates ?? []).Select(d => d.Year).Distinct().Where(y => !years.Contains(y)).Order()];

    /// <summary>The listed day (holiday or 调休), if any.</summary>
    public CalendarDay? Listed(DateOnly date) => days.GetValueOrDefault(date);

    public bool IsWorkingDay(DateOnly day) =>
        days.TryGetValue(day, out var listed) ? !listed.IsOffDay : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The <paramref name="count"/>-th working day after <paramref name="from"/> ("N 个工作日内": the day itself does not
    /// count). Zero gives <paramref name="from"/> itself.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var day = from;
        for (var left = count; left > 0;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                left--;
            }
        }

        return day;
    }

    /// <summary>How many working days fall after <paramref name="from"/> up to and including <paramref name="to"/> (negative when <paramref name="to"/> is earlier).</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }

        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>
/// 整改时限政策 of an inspection: 立行立改 within N working days of the feedback, 集中整改 (限期整改) ending N months after
/// it. Used as the deadline of a measure that has none.
/// </summary>
public sealed record DeadlinePolicy(int? ImmediateWorkingDays, int? TimeBoundMonths)
{
    public static readonly DeadlinePolicy None = new(null, null);

    public bool IsSet => ImmediateWorkingDays is not null || TimeBoundMonths is not null;

    /// <summary>The deadline the policy gives a measure of this kind, from the feedback date; none for 长期坚持 or without a policy or date.</summary>
    public DateOnly? DeadlineFor(MeasureKind kind, DateOnly? feedbackDate, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return (kind, feedbackDate) switch
        {
            (MeasureKind.Immediate, { } f) when ImmediateWorkingDays is { } n => calendar.AddWorkingDays(f, n),
            (MeasureKind.TimeBound, { } f) when TimeBoundMonths is { } m => f.AddMonths(m),
            _ => null,
        };
    }
}

/// <summary>A policy's numbers are sensible: 1–250 working days, 1–60 months.</summary>
public sealed class ADeadlinePolicyIsInRange(int? workingDays, int? months) : IBusinessRule
{
    public bool IsBroken() => workingDays is < 1 or > 250 || months is < 1 or > 60;

    public string Message => "立行立改的工作日数须在 1 到 250 之间，限期整改的集中整改期须在 1 到 60 个月之间。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>"N 个工作日" is a whole number of working days, 1 to 500.</summary>
public sealed class AWorkingDayCountIsInRange(int? count) : IBusinessRule
{
    public bool IsBroken() => count is not (>= 1 and <= 500);

    public string Message => "工作日数须是 1 到 500 之间的整数。";

    public Refusal Refusal => Refusal.Invalid;
}
