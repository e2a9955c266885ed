namespace Rectify.Domain;

/// <summary>What a reminder (提醒) is about.</summary>
public enum ReminderKind
{
    /// <summary>整改时限前 N 个工作日.</summary>
    DeadlineAhead = 1,

    /// <summary>整改时限当天.</summary>
    DeadlineToday = 2,

    /// <summary>已超期 (repeated every so many working days while it stays so).</summary>
    Overdue = 3,

    /// <summary>长期坚持措施逾期未报.</summary>
    ReportMissing = 4,

    /// <summary>回头看即将到期.</summary>
    LookBackDue = 5,
}

/// <summary>Where a measure stands against its deadline on a day, as a reminder: which one, and the day it fell due.</summary>
/// <param name="Kind">Ahead, today or overdue.</param>
/// <param name="TriggerDay">The day this reminder fell due; with the measure and kind it is the reminder's identity.</param>
/// <param name="Offset">For <see cref="ReminderKind.DeadlineAhead"/>, the offset in working days (5, 1…).</param>
public readonly record struct DeadlineStage(ReminderKind Kind, DateOnly TriggerDay, int Offset);

/// <summary>
/// When a deadline's reminders fall due. Before the deadline, one for each offset (N working days before it); on the
/// day; and from the first working day after it, once every <c>repeat</c> working days while it is overdue. On a day,
/// the reminder that counts is the latest one that has fallen due: after a few days without a scan, the person hears
/// where the measure stands now, not the stale "5 days left".
/// </summary>
public static class DeadlineSchedule
{
    public static DeadlineStage? StageOn(DateOnly deadline, DateOnly today, IReadOnlyCollection<int> offsets, int overdueRepeat, IWorkingDays days)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(days);
        if (today > deadline)
        {
            var first = days.AddWorkingDays(deadline, 1);
            if (today < first)
            {
                // The days between a deadline and the next working day: the deadline's own reminder still stands.
                return new DeadlineStage(ReminderKind.DeadlineToday, deadline, 0);
            }

            if (overdueRepeat <= 0)
            {
                return new DeadlineStage(ReminderKind.Overdue, first, 0);
            }

            var passed = 0;
            var trigger = first;
            var day = first;
            while (day < today)
            {
                day = day.AddDays(1);
                if (days.IsWorkingDay(day) && ++passed % overdueRepeat == 0)
                {
                    trigger = day;
                }
            }

            return new DeadlineStage(ReminderKind.Overdue, trigger, 0);
        }

        if (today == deadline)
        {
            return new DeadlineStage(ReminderKind.DeadlineToday, deadline, 0);
        }

        DeadlineStage? latest = null;
        foreach (var offset in offsets.Where(o => o > 0))
        {
            var trigger = days.AddWorkingDays(deadline, -offset);
            if (trigger <= today && (latest is null || trigger > latest.Value.TriggerDay))
            {
                latest = new DeadlineStage(ReminderKind.DeadlineAhead, trigger, offset);
            }
        }

        return latest;
    }

    /// <summary>Working days from <paramref name="today"/> to <paramref name="deadline"/> (today not counted, the deadline counted when it is one).</summary>
    public static int WorkingDaysLeft(DateOnly today, DateOnly deadline, IWorkingDays days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var n = 0;
        for (var d = today.AddDays(1); d <= deadline; d = d.AddDays(1))
        {
            if (days.IsWorkingDay(d))
            {
                n++;
            }
        }

        return n;
    }
}
