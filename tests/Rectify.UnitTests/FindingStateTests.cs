using Rectify.Domain;
using Rectify.Features.Inspections;

namespace Rectify.UnitTests;

public sealed class FindingStateTests
{
    [Theory]
    [InlineData(new[] { MeasureState.SignedOff, MeasureState.SignedOff }, FindingState.Completed)]
    [InlineData(new[] { MeasureState.SignedOff, MeasureState.Ongoing }, FindingState.Ongoing)]
    [InlineData(new[] { MeasureState.Ongoing }, FindingState.Ongoing)]
    [InlineData(new[] { MeasureState.SignedOff, MeasureState.InProgress }, FindingState.Rectifying)]
    [InlineData(new[] { MeasureState.Ongoing, MeasureState.AwaitingApproval }, FindingState.Rectifying)]
    [InlineData(new[] { MeasureState.Planned }, FindingState.Rectifying)]
    [InlineData(new MeasureState[0], FindingState.Rectifying)]
    public void A_findings_state_is_derived_from_its_measures(MeasureState[] measures, FindingState expected)
    {
        Assert.Equal(expected, FindingStates.Derive(measures));
        Assert.Equal(expected, FindingStates.Derive(measures.Length, measures.Count(m => m == MeasureState.SignedOff), measures.Count(m => m == MeasureState.Ongoing)));
    }

    [Fact]
    public void The_database_form_of_overdue_agrees_with_the_entity_rule_everywhere()
    {
        var today = new DateOnly(2025, 6, 1);
        var predicate = LedgerQueries.IsOverdueOn(today).Compile();
        DateOnly?[] deadlines = [null, today.AddDays(-1), today, today.AddDays(1)];
        var seen = new HashSet<(MeasureKind, DateOnly?, MeasureState)>();
        var overdueSeen = 0;
        foreach (var kind in Enum.GetValues<MeasureKind>())
        {
            foreach (var deadline in deadlines)
            {
                foreach (var state in Enum.GetValues<MeasureState>())
                {
                    var probe = MeasureProbe.Create(kind, deadline, state);
                    seen.Add((probe.Kind, probe.Deadline, probe.State));
                    var expected = Measure.IsOverdueAt(probe.Deadline, probe.State, probe.Kind, today);
                    overdueSeen += expected ? 1 : 0;
                    Assert.Equal(expected, predicate(probe));
                    Assert.Equal(expected, probe.IsOverdue(today));
                }
            }
        }

        Assert.True(seen.Count >= 30, $"only {seen.Count} combinations were probed");
        Assert.True(overdueSeen > 0);
    }
}

/// <summary>Builds a measure in any state through its public life, for rules that read its fields.</summary>
internal static class MeasureProbe
{
    public static Measure Create(MeasureKind kind, DateOnly? deadline, MeasureState state)
    {
        var city = new Organization("市委", OrganizationKind.PartyCommittee);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, city, city, null, null, null);
        var finding = new Finding(new FindingCategory(inspection, 1, "方面"), 1, "问题");
        var planKind = state == MeasureState.Ongoing ? MeasureKind.Ongoing : kind == MeasureKind.Ongoing && state != MeasureState.Planned ? MeasureKind.TimeBound : kind;
        var m = finding.AddMeasure(1, "措施", planKind);
        m.Plan(planKind, deadline ?? (planKind == MeasureKind.TimeBound ? new DateOnly(2099, 1, 1) : null), null, null);
        if (deadline is null && planKind == MeasureKind.TimeBound)
        {
            // A time-bound measure always has a deadline; probe the "no deadline" case as 立行立改.
            m.Plan(MeasureKind.Immediate, null, null, null);
        }

        var clock = TimeProvider.System;
        Actor a = new("a", "A"), b = new("b", "B"), c = new("c", "C");
        if (state == MeasureState.Planned)
        {
            return m;
        }

        m.Start(a, clock);
        if (state is MeasureState.InProgress or MeasureState.Ongoing)
        {
            return m;
        }

        m.ApplyForSignOff(a, clock);
        if (state == MeasureState.AwaitingReview)
        {
            return m;
        }

        m.AcceptApplication(b, clock);
        if (state == MeasureState.AwaitingApproval)
        {
            return m;
        }

        m.Approve(c, clock);
        return m;
    }
}
