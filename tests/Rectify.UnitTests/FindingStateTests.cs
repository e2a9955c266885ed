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

    /// <summary>
    /// The expressions behind the ledger's overdue filter and counts (超期, 逾期未报, either) and 待办's 本期待报送, compiled
    /// and run here in memory: a quick check of their logic against the entity rules. Whether each database translates
    /// them the same way is the integration tests' part (OverdueQueryTests, on SQLite and PostgreSQL).
    /// </summary>
    [Fact]
    public void The_overdue_expressions_run_in_memory_agree_with_the_entity_rules_everywhere()
    {
        var today = new DateOnly(2025, 6, 4);
        var predicate = LedgerQueries.IsOverdueOn(today).Compile();
        var pastDeadline = LedgerQueries.IsPastDeadlineOn(today).Compile();
        var missingReport = LedgerQueries.IsMissingCadenceReportOn(today).Compile();
        var reportDue = LedgerQueries.CadenceReportDueOn(today).Compile();
        DateOnly?[] deadlines = [null, today.AddDays(-1), today, today.AddDays(1)];

        // Around the period boundaries each cadence draws on 4 June 2025: the last closed period's start (weekly 26 May,
        // monthly 1 May, quarterly 1 January) and the current one's (2 June, 1 June, 1 April).
        DateTime[] boundaries =
        [
            .. Enum.GetValues<ReportingCadence>().Select(c => ReportingCadences.LastClosedPeriodStartUtc(c, today)),
            .. Enum.GetValues<ReportingCadence>().Select(c => ReportingCadences.CurrentPeriodStartUtc(c, today)),
        ];
        var instants = boundaries.SelectMany(b => new[] { b.AddSeconds(-1), b, b.AddSeconds(1) }).ToList();
        DateTime?[] reports = [null, .. instants.Select(i => (DateTime?)i)];
        ReportingCadence?[] cadences = [null, ReportingCadence.Weekly, ReportingCadence.Monthly, ReportingCadence.Quarterly];

        var seen = new HashSet<string>();
        var overdueSeen = new Dictionary<OverdueReason, int>();
        var dueSeen = new Dictionary<bool, bool>();
        void Check(Measure probe)
        {
            var reason = Measure.OverdueReasonAt(probe.OverdueFacts, today);
            seen.Add(probe.OverdueFacts.ToString());
            overdueSeen[reason] = overdueSeen.GetValueOrDefault(reason) + 1;
            Assert.Equal(reason != OverdueReason.None, predicate(probe));
            Assert.Equal(reason != OverdueReason.None, probe.IsOverdue(today));
            Assert.Equal(reason != OverdueReason.None, Measure.IsOverdueAt(probe.OverdueFacts, today));
            Assert.Equal(reason == OverdueReason.PastDeadline, pastDeadline(probe));
            Assert.Equal(reason == OverdueReason.PastDeadline, Measure.IsPastDeadlineAt(probe.OverdueFacts, today));
            Assert.Equal(reason == OverdueReason.MissingCadenceReport, missingReport(probe));
            Assert.Equal(reason == OverdueReason.MissingCadenceReport, Measure.IsMissingCadenceReportAt(probe.OverdueFacts, today));
            Assert.Equal(Measure.IsCadenceReportDueAt(probe.OverdueFacts, today), reportDue(probe));
            dueSeen[Measure.IsCadenceReportDueAt(probe.OverdueFacts, today)] = true;
        }

        foreach (var kind in Enum.GetValues<MeasureKind>())
        {
            foreach (var deadline in deadlines)
            {
                foreach (var state in Enum.GetValues<MeasureState>())
                {
                    Check(MeasureProbe.Create(kind, deadline, state));
                }
            }
        }

        foreach (var cadence in cadences)
        {
            foreach (var since in instants)
            {
                foreach (var report in reports)
                {
                    Check(MeasureProbe.Ongoing(cadence, since, report));
                }
            }
        }

        Assert.True(seen.Count >= 300, $"only {seen.Count} combinations were probed");
        Assert.True(overdueSeen.GetValueOrDefault(OverdueReason.PastDeadline) > 0);
        Assert.True(overdueSeen.GetValueOrDefault(OverdueReason.MissingCadenceReport) > 0);
        Assert.True(overdueSeen.GetValueOrDefault(OverdueReason.None) > 0);
        Assert.True(dueSeen.GetValueOrDefault(true) && dueSeen.GetValueOrDefault(false), "本期待报送 was not probed both ways");
    }
}

/// <summary>Builds a measure in any state through its public life, for rules that read its fields.</summary>
internal static class MeasureProbe
{
    /// <summary>A 长期坚持 measure under way since <paramref name="sinceUtc"/>, last reported at <paramref name="lastReportUtc"/>.</summary>
    public static Measure Ongoing(ReportingCadence? cadence, DateTime sinceUtc, DateTime? lastReportUtc)
    {
        var city = new Organization("市委", OrganizationKind.PartyCommittee);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, city, city, null, null, null);
        if (cadence is { } c)
        {
            inspection.SetReportingCadence(c);
        }

        var m = new Finding(new FindingCategory(inspection, 1, "方面"), 1, "问题").AddMeasure(1, "措施", MeasureKind.Ongoing);
        m.Start(new Actor("a", "A"), new FixedClock(sinceUtc));
        if (lastReportUtc is { } at)
        {
            m.NoteReportFiled(at);
        }

        return m;
    }

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

        m.WithAcceptedReport(clock);

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

internal sealed class FixedClock(DateTime utc) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(utc, TimeSpan.Zero);
}
