namespace Rectify.Domain;

/// <summary>Whether a measure, or a finding, counts as done for 完成率: Completed (signed off), Sustained (长期坚持, counted as done), or Open.</summary>
public enum Completion
{
    /// <summary>未完成.</summary>
    Open = 0,

    /// <summary>已完成: a measure signed off (已销号); a finding whose measures are all signed off.</summary>
    Completed = 1,

    /// <summary>持续整改: a 长期坚持 measure in its ongoing state and not 逾期未报; a finding whose measures are all 已完成 or 持续整改, one at least 持续整改.</summary>
    Sustained = 2,
}

/// <summary>红黄绿 of a finding, by its inspection's <see cref="SignalRules"/> (by default: red when one of its measures is 超期 or 逾期未报, green when it is done, yellow otherwise).</summary>
public enum Signal
{
    Green = 0,
    Yellow = 1,
    Red = 2,
}

/// <summary>报送情况 of a measure on its inspection's cadence.</summary>
public enum CadenceStanding
{
    /// <summary>Not a 长期坚持 measure under way: it reports on no cadence.</summary>
    None = 0,

    /// <summary>本期已报送.</summary>
    Reported = 1,

    /// <summary>本期待报送: nothing filed yet in the current period (not late yet).</summary>
    Due = 2,

    /// <summary>逾期未报.</summary>
    Missing = 3,
}

/// <summary>
/// The figures of a group of measures (a finding's, a unit's, a kind's, an inspection's), counted by the named facts
/// of <see cref="Measure"/>: the database counts them with their SQL twins, pages in memory with the C# rules; both
/// then derive everything else here, so 完成率, 红黄绿 and a finding's state come out the same everywhere.
/// </summary>
/// <param name="Total">Measures.</param>
/// <param name="Completed">已完成: signed off.</param>
/// <param name="Ongoing">In the state 长期坚持 (持续整改 or 逾期未报).</param>
/// <param name="PastDeadline">超期.</param>
/// <param name="MissingReport">逾期未报 (always in the state 长期坚持).</param>
public readonly record struct MeasureTally(int Total, int Completed, int Ongoing, int PastDeadline, int MissingReport)
{
    /// <summary>持续整改: in the state 长期坚持 and not 逾期未报 (<see cref="Measure.CompletionAt"/>).</summary>
    public int Sustained => Ongoing - MissingReport;

    /// <summary>Done for 完成率: 已完成 or 持续整改.</summary>
    public int Done => Completed + Sustained;

    /// <summary>完成率 of the measures, in percent.</summary>
    public decimal Rate => Figures.Rate(Done, Total);

    /// <summary>The state of a finding with these measures (<see cref="FindingStates.Derive(int, int, int)"/>).</summary>
    public FindingState FindingState => FindingStates.Derive(Total, Completed, Ongoing);

    /// <summary>Whether a finding with these measures is done: every one 已完成 or 持续整改.</summary>
    public Completion FindingCompletion =>
        Total == 0 || Done < Total ? Completion.Open
        : Sustained > 0 ? Completion.Sustained
        : Completion.Completed;

    /// <summary>Measures under an open 督办 (督办单 not 已办结), counted only when the inspection's signal rules turn such a finding red.</summary>
    public int UnderDuban { get; init; }

    /// <summary>临期 measures (due within the rules' working days), counted only when the rules warn of deadlines.</summary>
    public int DueSoon { get; init; }

    /// <summary>Measures whose last report was returned, counted only when the rules warn of it.</summary>
    public int ReportReturned { get; init; }

    /// <summary>红黄绿 of a finding with these measures, under <paramref name="rules"/> (<see cref="SignalRules.Of"/>).</summary>
    public Signal FindingSignalUnder(SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Of(this);
    }

    /// <summary>Counts measures read as plain values, by the C# rules, with the facts <paramref name="day"/>'s signal rules read.</summary>
    public static MeasureTally Of(IEnumerable<SignalFacts> measures, SignalDay day)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(day);
        var list = measures as IReadOnlyCollection<SignalFacts> ?? [.. measures];
        return Of(list.Select(m => m.Overdue), day.Today) with
        {
            UnderDuban = list.Count(day.IsUnderDuban),
            DueSoon = list.Count(m => day.IsDueSoon(m.Overdue)),
            ReportReturned = list.Count(day.IsReportReturned),
        };
    }

    /// <summary>Counts measures read as plain values, by the C# rules.</summary>
    public static MeasureTally Of(IEnumerable<OverdueFacts> measures, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(measures);
        int total = 0, completed = 0, ongoing = 0, pastDeadline = 0, missingReport = 0;
        foreach (var facts in measures)
        {
            total++;
            completed += facts.State == MeasureState.SignedOff ? 1 : 0;
            ongoing += facts.State == MeasureState.Ongoing ? 1 : 0;
            pastDeadline += Measure.IsPastDeadlineAt(facts, today) ? 1 : 0;
            missingReport += Measure.IsMissingCadenceReportAt(facts, today) ? 1 : 0;
        }

        return new MeasureTally(total, completed, ongoing, pastDeadline, missingReport);
    }

    public static MeasureTally operator +(MeasureTally a, MeasureTally b) => Add(a, b);

    public static MeasureTally Add(MeasureTally a, MeasureTally b) =>
        new(a.Total + b.Total, a.Completed + b.Completed, a.Ongoing + b.Ongoing, a.PastDeadline + b.PastDeadline, a.MissingReport + b.MissingReport)
        {
            UnderDuban = a.UnderDuban + b.UnderDuban,
            DueSoon = a.DueSoon + b.DueSoon,
            ReportReturned = a.ReportReturned + b.ReportReturned,
        };
}

public static class Figures
{
    /// <summary>完成率: the done, of all, in percent with one decimal; nothing of nothing is 0.</summary>
    public static decimal Rate(int done, int total) => total == 0 ? 0 : Math.Round(100m * done / total, 1);
}
