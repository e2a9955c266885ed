using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>The rules of docs/rules.md on a measure's facts, and the figures derived from them.</summary>
public sealed class FigureRuleTests
{
    private static readonly DateOnly Today = new(2025, 6, 4);

    /// <summary>Under way since long before the last closed period (any cadence).</summary>
    private static readonly DateTime LongAgo = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static OverdueFacts Facts(Measure m) => m.OverdueFacts;

    [Fact]
    public void Completed_is_signed_off_and_nothing_else()
    {
        foreach (var kind in new[] { MeasureKind.Immediate, MeasureKind.TimeBound })
        {
            foreach (var state in Enum.GetValues<MeasureState>().Where(s => s != MeasureState.Ongoing))
            {
                // A deadline far ahead: nothing here is late, and still only the signed-off measure is done.
                var m = MeasureProbe.Create(kind, new DateOnly(2099, 1, 1), state);
                Assert.Equal(state == MeasureState.SignedOff ? Completion.Completed : Completion.Open, Measure.CompletionAt(Facts(m), Today));
            }
        }
    }

    [Fact]
    public void Sustained_is_an_ongoing_measure_under_way_that_is_not_missing_a_report()
    {
        var reported = MeasureProbe.Ongoing(null, LongAgo, ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Monthly, Today));
        var unreported = MeasureProbe.Ongoing(null, LongAgo, null);
        var justStarted = MeasureProbe.Ongoing(null, ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Monthly, Today), null);
        var notStarted = MeasureProbe.Create(MeasureKind.Ongoing, null, MeasureState.Planned);

        Assert.Equal(Completion.Sustained, Measure.CompletionAt(Facts(reported), Today));
        Assert.Equal(Completion.Open, Measure.CompletionAt(Facts(unreported), Today));
        Assert.Equal(Completion.Sustained, Measure.CompletionAt(Facts(justStarted), Today));
        Assert.Equal(Completion.Open, Measure.CompletionAt(Facts(notStarted), Today));

        // The one that just started owes this period's report but is not late: 本期待报送, not 逾期未报.
        Assert.Equal(CadenceStanding.Due, Measure.CadenceStandingAt(Facts(justStarted), Today));
        Assert.Equal(CadenceStanding.Missing, Measure.CadenceStandingAt(Facts(unreported), Today));
        Assert.Equal(CadenceStanding.Reported, Measure.CadenceStandingAt(Facts(reported), Today));
        Assert.Equal(CadenceStanding.None, Measure.CadenceStandingAt(Facts(notStarted), Today));
    }

    [Fact]
    public void Past_deadline_and_missing_report_are_two_facts_that_never_hold_together()
    {
        var late = MeasureProbe.Create(MeasureKind.TimeBound, Today.AddDays(-1), MeasureState.InProgress);
        var unreported = MeasureProbe.Ongoing(null, LongAgo, null);

        Assert.True(Measure.IsPastDeadlineAt(Facts(late), Today));
        Assert.False(Measure.IsMissingCadenceReportAt(Facts(late), Today));
        Assert.Equal(OverdueReason.PastDeadline, Measure.OverdueReasonAt(Facts(late), Today));

        Assert.False(Measure.IsPastDeadlineAt(Facts(unreported), Today));
        Assert.True(Measure.IsMissingCadenceReportAt(Facts(unreported), Today));
        Assert.Equal(OverdueReason.MissingCadenceReport, Measure.OverdueReasonAt(Facts(unreported), Today));

        var tally = MeasureTally.Of([Facts(late), Facts(unreported)], Today);
        Assert.Equal((1, 1), (tally.PastDeadline, tally.MissingReport));
    }

    /// <summary>The 长期坚持 row: 24 measures, all 逾期未报, showed 完成率 100 %.</summary>
    [Fact]
    public void Ongoing_measures_all_missing_their_reports_are_not_done()
    {
        var tally = MeasureTally.Of(Enumerable.Range(0, 24).Select(_ => Facts(MeasureProbe.Ongoing(null, LongAgo, null))), Today);
        Assert.Equal(new MeasureTally(24, 0, 24, 0, 24), tally);
        Assert.Equal((0, 0, 0m), (tally.Sustained, tally.Done, tally.Rate));

        // As a finding: still 长期坚持 by its measures' states, but not done and red.
        Assert.Equal(FindingState.Ongoing, tally.FindingState);
        Assert.Equal(Completion.Open, tally.FindingCompletion);
        Assert.Equal(Signal.Red, SignalRules.Default.Of(tally));
    }

    [Theory]
    [InlineData(new[] { "signed-off", "signed-off" }, FindingState.Completed, Completion.Completed, Signal.Green)]
    [InlineData(new[] { "signed-off", "reported" }, FindingState.Ongoing, Completion.Sustained, Signal.Green)]
    [InlineData(new[] { "signed-off", "unreported" }, FindingState.Ongoing, Completion.Open, Signal.Red)]
    [InlineData(new[] { "signed-off", "in-progress" }, FindingState.Rectifying, Completion.Open, Signal.Yellow)]
    [InlineData(new[] { "reported", "late" }, FindingState.Rectifying, Completion.Open, Signal.Red)]
    [InlineData(new string[0], FindingState.Rectifying, Completion.Open, Signal.Yellow)]
    public void A_findings_completion_and_signal_follow_from_its_measures(string[] measures, FindingState state, Completion completion, Signal signal)
    {
        var facts = measures.Select(Probe).Select(Facts).ToList();
        var tally = MeasureTally.Of(facts, Today);
        Assert.Equal((state, completion, signal), (tally.FindingState, tally.FindingCompletion, SignalRules.Default.Of(tally)));

        // The tally's counts are the per-measure rules added up.
        Assert.Equal(facts.Count(f => Measure.CompletionAt(f, Today) == Completion.Completed), tally.Completed);
        Assert.Equal(facts.Count(f => Measure.CompletionAt(f, Today) == Completion.Sustained), tally.Sustained);
        Assert.Equal(FindingStates.Derive(facts.Select(f => f.State)), tally.FindingState);
    }

    private static Measure Probe(string name) => name switch
    {
        "signed-off" => MeasureProbe.Create(MeasureKind.TimeBound, Today.AddDays(-30), MeasureState.SignedOff),
        "in-progress" => MeasureProbe.Create(MeasureKind.TimeBound, Today.AddDays(30), MeasureState.InProgress),
        "late" => MeasureProbe.Create(MeasureKind.TimeBound, Today.AddDays(-1), MeasureState.InProgress),
        "reported" => MeasureProbe.Ongoing(null, LongAgo, ReportingCadences.CurrentPeriodStartUtc(ReportingCadence.Monthly, Today)),
        "unreported" => MeasureProbe.Ongoing(null, LongAgo, null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
