namespace Rectify.Domain;

/// <summary>
/// Which days are working days (工作日). The reminders count their offsets in working days through this: in the
/// application it is the <see cref="WorkingCalendar"/> in use (official holidays and 调休 make-up days as data);
/// <see cref="MondayToFriday"/> is the plain week, for a year without data and for tests.
/// </summary>
public interface IWorkingDays
{
    bool IsWorkingDay(DateOnly day);
}

/// <summary>Monday to Friday: the fallback for a year without holiday data.</summary>
public sealed class MondayToFriday : IWorkingDays
{
    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}

public static class WorkingDayArithmetic
{
    /// <summary>
    /// The working day <paramref name="count"/> working days after <paramref name="from"/> (before it when negative);
    /// <paramref name="from"/> itself is not counted. Zero gives <paramref name="from"/>.
    /// </summary>
    public static DateOnly AddWorkingDays(this IWorkingDays days, DateOnly from, int count)
    {
        ArgumentNullException.ThrowIfNull(days);
        var step = count < 0 ? -1 : 1;
        var left = Math.Abs(count);
        var day = from;
        var guard = 0;
        while (left > 0)
        {
            day = day.AddDays(step);
            if (days.IsWorkingDay(day))
            {
                left--;
            }

            // A calendar with no working day in a year is broken data, not a reason to loop forever.
            if (++guard > 3660)
            {
                throw new InvalidOperationException("工作日历在十年内没有工作日。");
            }
        }

        return day;
    }

    /// <summary>The first working day on or after <paramref name="day"/>.</summary>
    public static DateOnly OnOrAfter(this IWorkingDays days, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(days);
        return days.IsWorkingDay(day) ? day : days.AddWorkingDays(day, 1);
    }
}
