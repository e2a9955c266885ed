namespace Rectify.Domain;

/// <summary>
/// 红黄绿规则 of an inspection: when a finding shows 红, 黄 or 绿. Red always when a measure is 超期 or
/// 逾期未报, green always when the finding is done; the office (or the inspection body) may add to these: red also for a
/// measure under an open 督办 (督办单 not 已办结), yellow (预警) for a measure due within N working days or whose last
/// report was returned, and what a finding shows that is none of these (整改中, on track): 黄 as before, or 绿.
/// <see cref="Default"/> is the rule as it was before it could be set, so figures do not move until someone sets it.
/// </summary>
/// <param name="RedWhenUnderDuban">红 also when a measure has a 督办单 not yet 已办结 (督办中 or 已回复).</param>
/// <param name="WarnWithinWorkingDays">黄 (预警) when a measure's deadline in force (the revised one after 延期) falls within this many working days of today, on the official calendar; 0 warns of no deadline.</param>
/// <param name="WarnWhenReportReturned">黄 (预警) when a measure not signed off has its last progress report returned (退回).</param>
/// <param name="GreenWhenOnTrack">What a finding shows that is neither late, nor warned, nor done: 绿 when true, 黄 (as before) when false.</param>
public sealed record SignalRules(bool RedWhenUnderDuban, int WarnWithinWorkingDays, bool WarnWhenReportReturned, bool GreenWhenOnTrack)
{
    /// <summary>The most working days a deadline warning may look ahead (three months of working days).</summary>
    public const int MaxWarnWorkingDays = 60;

    /// <summary>The rule before it was configurable: red = 超期 or 逾期未报, green = done, yellow = every other finding.</summary>
    public static SignalRules Default { get; } = new(false, 0, false, false);

    /// <summary>What a finding shows that is neither late, nor warned, nor done.</summary>
    public Signal OnTrack => GreenWhenOnTrack ? Signal.Green : Signal.Yellow;

    /// <summary>Whether the rule warns of deadlines at all.</summary>
    public bool WarnsOfDeadlines => WarnWithinWorkingDays > 0;

    /// <summary>Whether these rules are the default ones.</summary>
    public bool IsDefault => Equals(Default);

    /// <summary>The rules as asked for, checked: N of 0 to <see cref="MaxWarnWorkingDays"/> working days.</summary>
    public static SignalRules Checked(bool redWhenUnderDuban, int? warnWithinWorkingDays, bool warnWhenReportReturned, bool greenWhenOnTrack)
    {
        BusinessRules.Check(new AWarningLooksAheadZeroToSixtyWorkingDays(warnWithinWorkingDays));
        return new SignalRules(redWhenUnderDuban, warnWithinWorkingDays ?? 0, warnWhenReportReturned, greenWhenOnTrack);
    }

    /// <summary>
    /// The last day a deadline warns on: the <see cref="WarnWithinWorkingDays"/>-th working day after today (today itself
    /// does not count, as everywhere "N 个工作日"); null when the rule warns of no deadline.
    /// </summary>
    public DateOnly? WarnUntil(DateOnly today, IWorkingDays days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return WarnsOfDeadlines ? days.AddWorkingDays(today, WarnWithinWorkingDays) : null;
    }

    /// <summary>
    /// 红黄绿 of a finding with these measures, under these rules: 红 when one is 超期 or 逾期未报 (or, when the rule says
    /// so, under an open 督办); else 黄 when one is warned of (due soon, report returned), when the rule says so; else 绿
    /// when the finding is done (已完成 or 持续整改); else <see cref="OnTrack"/>. A finding with no measure is not done.
    /// </summary>
    public Signal Of(MeasureTally tally) =>
        tally.PastDeadline > 0 || tally.MissingReport > 0 || (RedWhenUnderDuban && tally.UnderDuban > 0) ? Signal.Red
        : (WarnsOfDeadlines && tally.DueSoon > 0) || (WarnWhenReportReturned && tally.ReportReturned > 0) ? Signal.Yellow
        : tally.FindingCompletion != Completion.Open ? Signal.Green
        : OnTrack;

    /// <summary>
    /// 临期 (due soon): a 立行立改 or 限期整改 measure not signed off whose deadline in force is today or later and no later
    /// than <paramref name="warnUntil"/> (<see cref="WarnUntil"/>). One past its deadline is 超期 instead. Its SQL twin is
    /// <c>SignalQueries.IsDueSoonOn</c>.
    /// </summary>
    public static bool IsDueSoonAt(OverdueFacts facts, DateOnly today, DateOnly warnUntil) =>
        facts.Kind != MeasureKind.Ongoing
        && facts.Deadline is { } d && d >= today && d <= warnUntil
        && facts.State is not (MeasureState.SignedOff or MeasureState.Ongoing);

    /// <summary>
    /// 报送被退回: a measure not signed off whose last progress report (the highest number) was returned. Its SQL twin is
    /// <c>SignalQueries.IsReportReturned</c>.
    /// </summary>
    public static bool IsReportReturnedAt(MeasureState state, ProgressReportState? lastReport) =>
        state != MeasureState.SignedOff && lastReport == ProgressReportState.Returned;

    /// <summary>The state of a measure's last report, of all its reports (null when it has none).</summary>
    public static ProgressReportState? LastReportState(IEnumerable<ProgressReport> reports) =>
        reports?.MaxBy(r => r.Number)?.State;

    /// <summary>督办未办结: one of the measure's supervision steps is a 督办单 not yet 已办结. Its SQL twin is <c>SignalQueries.IsUnderDuban</c>.</summary>
    public static bool IsUnderDubanAt(IEnumerable<(SupervisionKind Kind, SupervisionState State)> notices) =>
        notices?.Any(n => IsOpenDuban(n.Kind, n.State)) ?? false;

    /// <summary>A 督办单 still 督办中 or 已回复 (not 已办结).</summary>
    public static bool IsOpenDuban(SupervisionKind kind, SupervisionState state) =>
        kind == SupervisionKind.Duban && state != SupervisionState.Closed;
}

/// <summary>What the signal rules read of a measure beyond its <see cref="OverdueFacts"/>, for rows read without the entity.</summary>
/// <param name="Overdue">The facts of 超期, 逾期未报 and the deadline in force.</param>
/// <param name="UnderDuban">A 督办单 on it is not yet 已办结 (<see cref="SignalRules.IsUnderDubanAt"/>).</param>
/// <param name="LastReport">The state of its last progress report; null when it has none.</param>
public readonly record struct SignalFacts(OverdueFacts Overdue, bool UnderDuban, ProgressReportState? LastReport);

/// <summary>The signal rules of an inspection on a day: the rules, today, and the last day a deadline warns on.</summary>
public sealed record SignalDay(SignalRules Rules, DateOnly Today, DateOnly? WarnUntil)
{
    /// <summary>The rules on a day, with the warning window counted on <paramref name="days"/>.</summary>
    public static SignalDay On(SignalRules rules, DateOnly today, IWorkingDays days)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new SignalDay(rules, today, rules.WarnUntil(today, days));
    }

    /// <summary>The default rules on a day (they need no calendar).</summary>
    public static SignalDay Default(DateOnly today) => new(SignalRules.Default, today, null);

    /// <summary>Whether a measure is 临期 under these rules (never when the rules warn of no deadline).</summary>
    public bool IsDueSoon(OverdueFacts facts) => WarnUntil is { } until && SignalRules.IsDueSoonAt(facts, Today, until);

    /// <summary>Whether a measure's returned report warns under these rules.</summary>
    public bool IsReportReturned(SignalFacts facts) => Rules.WarnWhenReportReturned && SignalRules.IsReportReturnedAt(facts.Overdue.State, facts.LastReport);

    /// <summary>Whether a measure's open 督办 turns its finding red under these rules.</summary>
    public bool IsUnderDuban(SignalFacts facts) => Rules.RedWhenUnderDuban && facts.UnderDuban;
}

/// <summary>A deadline warning looks ahead 0 (none) to <see cref="SignalRules.MaxWarnWorkingDays"/> working days.</summary>
public sealed class AWarningLooksAheadZeroToSixtyWorkingDays(int? workingDays) : IBusinessRule
{
    public bool IsBroken() => workingDays is < 0 or > SignalRules.MaxWarnWorkingDays;

    public string Message => $"临期预警的工作日数须是 0 到 {SignalRules.MaxWarnWorkingDays} 之间的整数（0 表示不按时限预警），收到 {workingDays}。";

    public Refusal Refusal => Refusal.Invalid;
}
