namespace Rectify.Domain;

public enum LookBackResult
{
    /// <summary>巩固: the rectification holds.</summary>
    Consolidated = 0,

    /// <summary>反弹: the problem came back; the measure is reopened.</summary>
    Rebound = 1,
}

/// <summary>回头看: a later review of a signed-off measure. A rebound reopens the measure.</summary>
public sealed class LookBack
{
    /// <summary>By default a look-back falls due this many months after the sign-off…</summary>
    public const int DefaultMonthsAfterSignOff = 6;

    /// <summary>…but never sooner than this many days after it is scheduled, so that it is not overdue the day it is made.</summary>
    public const int LeastDaysAhead = 30;

    private LookBack()
    {
        ScheduledByName = string.Empty;
    }

    private LookBack(int measureId, DateOnly dueDate, Actor actor, DateTime atUtc)
    {
        MeasureId = measureId;
        DueDate = dueDate;
        ScheduledByName = actor.DisplayName;
        ScheduledAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int MeasureId { get; private set; }

    public DateOnly DueDate { get; private set; }

    public string ScheduledByName { get; private set; }

    public DateTime ScheduledAtUtc { get; private set; }

    public LookBackResult? Result { get; private set; }

    /// <summary>情况说明: what the look-back found (required for a rebound).</summary>
    public string? Observation { get; private set; }

    public string? ReviewedByName { get; private set; }

    public DateTime? ReviewedAtUtc { get; private set; }

    /// <summary>
    /// The default date of a look-back scheduled <paramref name="today"/>: six months after the sign-off (by the date in
    /// China), or, when that is less than 30 days away (a measure signed off long ago), 30 days from today. Never in the past.
    /// </summary>
    public static LookBackDue DefaultDueDate(DateTime signedOffUtc, DateOnly today)
    {
        var sixMonths = ChinaTime.DayOf(signedOffUtc).AddMonths(DefaultMonthsAfterSignOff);
        var soonest = today.AddDays(LeastDaysAhead);
        return sixMonths >= soonest ? new LookBackDue(sixMonths, LookBackDueRule.SixMonthsAfterSignOff) : new LookBackDue(soonest, LookBackDueRule.ThirtyDaysFromToday);
    }

    /// <summary>Schedules a look-back of a measure in <paramref name="measureState"/> that has <paramref name="openLookBack"/> or not.</summary>
    public static LookBack Schedule(int measureId, MeasureState measureState, bool openLookBack, DateOnly dueDate, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new OnlySignedOffMeasuresAreLookedBack(measureState));
        BusinessRules.Check(new AMeasureHasOneOpenLookBack(openLookBack));
        BusinessRules.Check(new ALookBackIsNotDueInThePast(dueDate, ChinaTime.Today(clock)));
        return new LookBack(measureId, dueDate, actor, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Records what the look-back found; a rebound reopens <paramref name="measure"/> with the observation as its reason.</summary>
    public void Record(LookBackResult result, string? observation, Measure measure, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        observation = PlainText.Clean(observation);
        BusinessRules.Check(new ALookBackIsRecordedOnce(Result));
        BusinessRules.Check(new AReboundIsDescribed(result, observation));
        Result = result;
        Observation = PlainText.Clean(observation);
        ReviewedByName = actor.DisplayName;
        ReviewedAtUtc = clock.GetUtcNow().UtcDateTime;
        if (result == LookBackResult.Rebound)
        {
            measure.Reopen(actor, clock, $"回头看（第 {Id} 号）发现反弹：{Observation}");
        }
    }
}

/// <summary>Which default gave a look-back its date.</summary>
public enum LookBackDueRule
{
    /// <summary>销号后六个月.</summary>
    SixMonthsAfterSignOff,

    /// <summary>Six months after sign-off had already passed or was near: 今天起 30 天.</summary>
    ThirtyDaysFromToday,
}

/// <summary>A default look-back date and the rule that gave it, so that the office is told which applied.</summary>
public sealed record LookBackDue(DateOnly Date, LookBackDueRule Rule)
{
    public string Explanation => Rule == LookBackDueRule.SixMonthsAfterSignOff ? "销号后六个月" : "销号后六个月已过或不足 30 天，定为今天起 30 天";
}

public sealed class ALookBackIsNotDueInThePast(DateOnly due, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => due < today;

    public string Message => $"回头看日期（{due:yyyy-MM-dd}）不能早于今天。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class OnlySignedOffMeasuresAreLookedBack(MeasureState state) : IBusinessRule
{
    public bool IsBroken() => state != MeasureState.SignedOff;

    public string Message => "只有已销号的措施才能安排回头看。";
}

public sealed class AMeasureHasOneOpenLookBack(bool alreadyOpen) : IBusinessRule
{
    public bool IsBroken() => alreadyOpen;

    public string Message => "这条措施已有待进行的回头看。";
}

public sealed class ALookBackIsRecordedOnce(LookBackResult? result) : IBusinessRule
{
    public bool IsBroken() => result is not null;

    public string Message => "这次回头看已经有结果了。";
}

public sealed class AReboundIsDescribed(LookBackResult result, string? observation) : IBusinessRule
{
    public bool IsBroken() => result == LookBackResult.Rebound && PlainText.IsBlank(observation);

    public string Message => "发现反弹时必须说明情况。";

    /// <summary>What the person must type is missing: their input, not the look-back's state (400).</summary>
    public Refusal Refusal => Refusal.Invalid;
}
