using Rectify.Domain;
using Rectify.Features.Deadlines;

namespace Rectify.UnitTests;

/// <summary>红黄绿规则 (docs/rules.md): the default is the rule as it was; each option changes exactly what it says.</summary>
public sealed class SignalRuleTests
{
    private static readonly WorkingCalendar Calendar = new(HolidayFile.Shipped.SelectMany(y => y.Days), HolidayFile.Shipped.Select(y => y.Year));

    /// <summary>Friday before the 2026 Spring Festival: Saturday 14 February is worked, 15–23 February are off.</summary>
    private static readonly DateOnly Today = new(2026, 2, 13);

    private static OverdueFacts Open(DateOnly? deadline, MeasureState state = MeasureState.InProgress, MeasureKind kind = MeasureKind.TimeBound) =>
        new(kind, state, deadline, null, null, null);

    [Fact]
    public void The_default_rules_are_the_rule_before_it_could_be_set()
    {
        var rules = SignalRules.Default;
        Assert.True(rules.IsDefault);
        Assert.Equal(new SignalRules(false, 0, false, false), rules);

        // Every combination of counts: red = 超期 or 逾期未报, green = done, yellow otherwise — whatever else is counted.
        for (var total = 0; total <= 2; total++)
        {
            for (var completed = 0; completed <= total; completed++)
            {
                for (var ongoing = 0; ongoing <= total - completed; ongoing++)
                {
                    for (var late = 0; late <= 1; late++)
                    {
                        for (var missing = 0; missing <= ongoing; missing++)
                        {
                            var tally = new MeasureTally(total, completed, ongoing, late, missing) { UnderDuban = 1, DueSoon = 1, ReportReturned = 1 };
                            var expected = late > 0 || missing > 0 ? Signal.Red : tally.FindingCompletion != Completion.Open ? Signal.Green : Signal.Yellow;
                            Assert.Equal(expected, rules.Of(tally));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Each_option_changes_only_what_it_says()
    {
        var inProgress = new MeasureTally(2, 1, 0, 0, 0);
        var done = new MeasureTally(2, 2, 0, 0, 0);
        Assert.Equal(Signal.Yellow, SignalRules.Default.Of(inProgress));

        var duban = SignalRules.Default with { RedWhenUnderDuban = true };
        Assert.Equal(Signal.Red, duban.Of(inProgress with { UnderDuban = 1 }));
        Assert.Equal(Signal.Red, duban.Of(done with { UnderDuban = 1 }));
        Assert.Equal(Signal.Yellow, duban.Of(inProgress));

        var soon = SignalRules.Default with { WarnWithinWorkingDays = 5, GreenWhenOnTrack = true };
        Assert.Equal(Signal.Yellow, soon.Of(inProgress with { DueSoon = 1 }));
        Assert.Equal(Signal.Green, soon.Of(inProgress));
        Assert.Equal(Signal.Red, soon.Of(inProgress with { DueSoon = 1, PastDeadline = 1 }));

        // A count the rules do not read changes nothing.
        Assert.Equal(Signal.Green, soon.Of(inProgress with { UnderDuban = 1, ReportReturned = 1 }));

        var returned = SignalRules.Default with { WarnWhenReportReturned = true, GreenWhenOnTrack = true };
        Assert.Equal(Signal.Yellow, returned.Of(inProgress with { ReportReturned = 1 }));
        Assert.Equal(Signal.Green, returned.Of(done));

        // A finding without measures is not done: it shows the on-track colour.
        Assert.Equal(Signal.Green, returned.Of(default));
        Assert.Equal(Signal.Yellow, SignalRules.Default.Of(default));
    }

    [Fact]
    public void A_deadline_five_working_days_ahead_across_the_spring_festival_warns_and_six_does_not()
    {
        var day = SignalDay.On(SignalRules.Default with { WarnWithinWorkingDays = 5 }, Today, Calendar);

        // 14 (Saturday, worked), 24, 25, 26, 27 February: the fifth working day; the sixth is Saturday 28 (worked too).
        Assert.Equal(new DateOnly(2026, 2, 27), day.WarnUntil);
        Assert.True(day.IsDueSoon(Open(new DateOnly(2026, 2, 27))));
        Assert.True(day.IsDueSoon(Open(new DateOnly(2026, 2, 20))), "a deadline on a holiday inside the window");
        Assert.True(day.IsDueSoon(Open(Today)), "due today is not late yet");
        Assert.False(day.IsDueSoon(Open(new DateOnly(2026, 2, 28))));
        Assert.False(day.IsDueSoon(Open(Today.AddDays(-1))), "past its deadline is 超期, not 临期");
        Assert.False(day.IsDueSoon(Open(new DateOnly(2026, 2, 20), MeasureState.SignedOff)));
        Assert.False(day.IsDueSoon(Open(null)));
        Assert.False(day.IsDueSoon(Open(new DateOnly(2026, 2, 20), MeasureState.Ongoing, MeasureKind.Ongoing)));

        // Counted Monday–Friday the window would end on 20 February, inside the holiday.
        Assert.Equal(new DateOnly(2026, 2, 20), SignalDay.On(day.Rules, Today, WorkingCalendar.WeekdaysOnly).WarnUntil);

        // N = 0 warns of nothing.
        var off = SignalDay.On(SignalRules.Default, Today, Calendar);
        Assert.Null(off.WarnUntil);
        Assert.False(off.IsDueSoon(Open(Today)));
    }

    [Fact]
    public void A_returned_last_report_and_an_open_duban_are_read_as_the_rules_say()
    {
        Assert.True(SignalRules.IsReportReturnedAt(MeasureState.InProgress, ProgressReportState.Returned));
        Assert.True(SignalRules.IsReportReturnedAt(MeasureState.Ongoing, ProgressReportState.Returned));
        Assert.False(SignalRules.IsReportReturnedAt(MeasureState.SignedOff, ProgressReportState.Returned));
        Assert.False(SignalRules.IsReportReturnedAt(MeasureState.InProgress, ProgressReportState.Submitted));
        Assert.False(SignalRules.IsReportReturnedAt(MeasureState.InProgress, null));

        Assert.True(SignalRules.IsUnderDubanAt([(SupervisionKind.Duban, SupervisionState.Open)]));
        Assert.True(SignalRules.IsUnderDubanAt([(SupervisionKind.Duban, SupervisionState.Closed), (SupervisionKind.Duban, SupervisionState.Replied)]));
        Assert.False(SignalRules.IsUnderDubanAt([(SupervisionKind.Duban, SupervisionState.Closed), (SupervisionKind.Talk, SupervisionState.Closed)]));
        Assert.False(SignalRules.IsUnderDubanAt([]));

        var facts = new SignalFacts(Open(null), UnderDuban: true, ProgressReportState.Returned);
        var all = new SignalDay(new SignalRules(true, 0, true, false), Today, null);
        var none = SignalDay.Default(Today);
        Assert.Equal((1, 1), (MeasureTally.Of([facts], all).UnderDuban, MeasureTally.Of([facts], all).ReportReturned));
        Assert.Equal((0, 0), (MeasureTally.Of([facts], none).UnderDuban, MeasureTally.Of([facts], none).ReportReturned));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void A_warning_window_outside_zero_to_sixty_working_days_is_refused(int days)
    {
        var refused = Assert.Throws<BusinessRuleViolationException>(() => SignalRules.Checked(false, days, false, false));
        Assert.Equal(Refusal.Invalid, refused.Refusal);
        Assert.Contains("0 到 60", refused.Message, StringComparison.Ordinal);
        Assert.Equal(60, SignalRules.Checked(false, 60, false, false).WarnWithinWorkingDays);
        Assert.Equal(0, SignalRules.Checked(false, null, false, false).WarnWithinWorkingDays);
    }
}
