using Rectify.Domain;

namespace Rectify.UnitTests;

public sealed class MeasureLifeTests
{
    private static readonly Actor Unit = new("u-unit", "联络员");
    private static readonly Actor Office = new("u-office", "整改办");
    private static readonly Actor Leader = new("u-leader", "领导");

    private readonly FakeClock clock = new(new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero));

    private static Measure NewMeasure(MeasureKind kind = MeasureKind.TimeBound, DateOnly? deadline = null)
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, new DateOnly(2024, 3, 25), new DateOnly(2024, 5, 10), new DateOnly(2024, 8, 15));
        var category = new FindingCategory(inspection, 1, "关于…方面");
        var finding = new Finding(category, 13, "筑牢工程廉政防线");
        var measure = finding.AddMeasure(1, "填补招投标制度设计漏洞。", kind);
        measure.Plan(kind, kind == MeasureKind.Ongoing ? null : deadline ?? new DateOnly(2025, 2, 15), null, null);
        return measure;
    }

    private Measure SignedOff()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        m.WithAcceptedReport(clock);
        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock);
        return m;
    }

    [Fact]
    public void A_measure_added_without_a_kind_is_time_bound_and_marked_assumed_until_a_kind_is_stated()
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, null, null, null);
        var finding = new Finding(new FindingCategory(inspection, 1, "关于…方面"), 1, "问题");
        var unstated = finding.AddMeasure(1, "未写类型。", kind: null);
        Assert.Equal((MeasureKind.TimeBound, AssumedFields.Kind), (unstated.Kind, unstated.AssumedFields));
        Assert.Equal(AssumedFields.None, finding.AddMeasure(2, "写明类型。", MeasureKind.TimeBound).AssumedFields);

        unstated.Amend(new MeasureChange { Kind = MeasureKind.Ongoing }, Office, clock, null);
        Assert.Equal(AssumedFields.None, unstated.AssumedFields);
    }

    [Fact]
    public void A_measure_an_imported_ledger_says_is_done_starts_saying_so_and_goes_no_further_without_evidence()
    {
        var done = NewMeasure();
        done.NoteLedger(LedgerStanding.Completed, null);
        done.NoteLedger(null, null); // a file that says nothing changes nothing

        Assert.True(done.StartAsLedgerSays(Office, clock));
        Assert.Equal(MeasureState.InProgress, done.State);
        var step = Assert.Single(done.Transitions);
        Assert.Equal((MeasureAction.Start, Office.UserId), (step.Action, step.ActorUserId));
        Assert.Contains("原台账（状态：已完成）", step.Reason, StringComparison.Ordinal);
        Assert.False(done.CanTake(MeasureAction.ApplyForSignOff));

        // Once started it is the measure's own life: a second call (another import, another adoption) does nothing.
        Assert.False(done.StartAsLedgerSays(Office, clock));
        Assert.Single(done.Transitions);

        var ongoing = NewMeasure(MeasureKind.Ongoing);
        ongoing.NoteLedger(LedgerStanding.InProgress, null);
        Assert.True(ongoing.StartAsLedgerSays(Office, clock));
        Assert.Equal(MeasureState.Ongoing, ongoing.State);

        var unsaid = NewMeasure();
        Assert.False(unsaid.StartAsLedgerSays(Office, clock));
        Assert.Equal(MeasureState.Planned, unsaid.State);

        // A started measure takes no note any more (a later file's standing would start nothing).
        done.NoteLedger(LedgerStanding.InProgress, "后来的说明");
        Assert.Equal((LedgerStanding.Completed, (string?)null), (done.LedgerStanding!.Value, done.LedgerProgress));

        // A later file that says 未启动 takes back the standing an earlier one gave; its account of the work is kept cleaned.
        var corrected = NewMeasure();
        corrected.NoteLedger(LedgerStanding.Completed, null);
        corrected.NoteLedger(LedgerStanding.NotStarted, "  已修订议事规则。\r\n待党委会审议。 ");
        Assert.Null(corrected.LedgerStanding);
        Assert.Equal("已修订议事规则。\n待党委会审议。", corrected.LedgerProgress);
        Assert.False(corrected.StartAsLedgerSays(Office, clock));

        // A file that says there is no account (an empty text, not nothing) takes the kept one back.
        corrected.NoteLedger(null, null);
        Assert.NotNull(corrected.LedgerProgress);
        corrected.NoteLedger(null, string.Empty);
        Assert.Null(corrected.LedgerProgress);

        // One longer than a report may be is refused, keeping nothing.
        Assert.Throws<BusinessRuleViolationException>(() => unsaid.NoteLedger(LedgerStanding.Completed, new string('述', Measure.MaxLedgerProgress + 1)));
        Assert.Null(unsaid.LedgerStanding);
        Assert.Null(unsaid.LedgerProgress);

        // A withdrawn measure changes no more.
        var withdrawn = NewMeasure();
        withdrawn.Inspection.SubmitPlan(1, [], Office, clock);
        withdrawn.Inspection.ApprovePlan("党委会", new DateOnly(2025, 1, 5), [withdrawn], Leader, clock);
        withdrawn.Withdraw(Office, clock, "合并到其他措施");
        withdrawn.NoteLedger(LedgerStanding.Completed, "说明");
        Assert.Equal((null, null), (withdrawn.LedgerStanding, withdrawn.LedgerProgress));
        Assert.False(withdrawn.StartAsLedgerSays(Office, clock));

        // A value no ledger word gives is not kept.
        unsaid.NoteLedger((LedgerStanding)7, null);
        Assert.Null(unsaid.LedgerStanding);
    }

    [Fact]
    public void A_measure_walks_from_planned_to_signed_off_and_every_step_is_recorded()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        clock.Advance(TimeSpan.FromDays(3));
        m.WithAcceptedReport(clock);
        m.ApplyForSignOff(Unit, clock, "已完成制度修订");
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock, "同意销号");

        Assert.Equal(MeasureState.SignedOff, m.State);
        Assert.Equal(
            [MeasureAction.Start, MeasureAction.ApplyForSignOff, MeasureAction.AcceptApplication, MeasureAction.Approve],
            m.Transitions.Select(t => t.Action));
        Assert.Equal(
            [MeasureState.Planned, MeasureState.InProgress, MeasureState.AwaitingReview, MeasureState.AwaitingApproval],
            m.Transitions.Select(t => t.FromState));
        Assert.Equal(["u-unit", "u-unit", "u-office", "u-leader"], m.Transitions.Select(t => t.ActorUserId));
        Assert.Equal(new DateTime(2025, 1, 10, 2, 0, 0, DateTimeKind.Utc), m.Transitions[0].AtUtc);
        Assert.Equal(new DateTime(2025, 1, 13, 2, 0, 0, DateTimeKind.Utc), m.Transitions[1].AtUtc);
        Assert.Equal("已完成制度修订", m.Transitions[1].Reason);
        Assert.Equal(4, m.Version);
        Assert.Null(m.SignOffApplicantId);
    }

    [Fact]
    public void The_office_returns_an_application_with_a_reason_and_the_unit_applies_again()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        m.WithAcceptedReport(clock);
        m.ApplyForSignOff(Unit, clock);
        m.ReturnApplication(Office, clock, "佐证材料不足");
        Assert.Equal(MeasureState.InProgress, m.State);
        Assert.Equal("佐证材料不足", m.Transitions[^1].Reason);

        m.WithAcceptedReport(clock);

        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.ReturnApplication(Leader, clock, "成效不明显");
        Assert.Equal(MeasureState.InProgress, m.State);

        m.WithAcceptedReport(clock);

        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock);
        Assert.Equal(MeasureState.SignedOff, m.State);
        Assert.Equal(3, m.Transitions.Count(t => t.Action == MeasureAction.ApplyForSignOff));
    }

    [Fact]
    public void A_reopened_measure_is_signed_off_a_second_time_with_its_history_kept()
    {
        var m = SignedOff();
        m.Reopen(Office, clock, "回头看发现问题反弹");
        Assert.Equal(MeasureState.InProgress, m.State);

        m.WithAcceptedReport(clock);

        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock);

        Assert.Equal(MeasureState.SignedOff, m.State);
        Assert.Equal(2, m.Transitions.Count(t => t.Action == MeasureAction.Approve));
        Assert.Equal("回头看发现问题反弹", m.Transitions.Single(t => t.Action == MeasureAction.Reopen).Reason);
    }

    public static TheoryData<MeasureState, MeasureAction> RefusedTransitions()
    {
        var allowed = new HashSet<(MeasureState, MeasureAction)>
        {
            (MeasureState.Planned, MeasureAction.Start),
            (MeasureState.InProgress, MeasureAction.ApplyForSignOff),
            (MeasureState.AwaitingReview, MeasureAction.AcceptApplication),
            (MeasureState.AwaitingReview, MeasureAction.ReturnApplication),
            (MeasureState.AwaitingApproval, MeasureAction.Approve),
            (MeasureState.AwaitingApproval, MeasureAction.ReturnApplication),
            (MeasureState.SignedOff, MeasureAction.Reopen),
        };
        var data = new TheoryData<MeasureState, MeasureAction>();
        foreach (var state in new[] { MeasureState.Planned, MeasureState.InProgress, MeasureState.AwaitingReview, MeasureState.AwaitingApproval, MeasureState.SignedOff })
        {
            foreach (var action in Enum.GetValues<MeasureAction>())
            {
                if (!allowed.Contains((state, action)))
                {
                    data.Add(state, action);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void Every_transition_not_in_the_life_of_a_measure_is_refused_and_changes_nothing(MeasureState state, MeasureAction action)
    {
        var m = InState(state);
        var before = (m.State, m.Version, m.Transitions.Count);

        var e = Assert.Throws<BusinessRuleViolationException>(() => Do(m, action, Leader));

        Assert.Equal(nameof(TransitionMustStartFromAllowedState), e.RuleName);
        Assert.Contains(Terms.Of(state), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, (m.State, m.Version, m.Transitions.Count));
    }

    [Theory]
    [InlineData(MeasureAction.AcceptApplication)]
    [InlineData(MeasureAction.ReturnApplication)]
    public void Nobody_reviews_their_own_application(MeasureAction action)
    {
        var m = InState(MeasureState.AwaitingReview);
        var e = Assert.Throws<BusinessRuleViolationException>(() => Do(m, action, Unit));
        Assert.Equal(nameof(NobodyReviewsTheirOwnApplication), e.RuleName);
        Assert.Equal(MeasureState.AwaitingReview, m.State);
    }

    [Fact]
    public void Nobody_approves_their_own_application()
    {
        var m = InState(MeasureState.AwaitingApproval);
        var e = Assert.Throws<BusinessRuleViolationException>(() => m.Approve(Unit, clock));
        Assert.Equal(nameof(NobodyReviewsTheirOwnApplication), e.RuleName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Returning_or_reopening_needs_a_reason(string? reason)
    {
        var awaiting = InState(MeasureState.AwaitingReview);
        Assert.Equal(nameof(AReasonIsRequired), Assert.Throws<BusinessRuleViolationException>(() => awaiting.ReturnApplication(Office, clock, reason!)).RuleName);

        var signedOff = SignedOff();
        Assert.Equal(nameof(AReasonIsRequired), Assert.Throws<BusinessRuleViolationException>(() => signedOff.Reopen(Office, clock, reason!)).RuleName);
        Assert.Equal(MeasureState.SignedOff, signedOff.State);
    }

    [Fact]
    public void An_ongoing_measure_starts_into_ongoing_and_is_never_signed_off()
    {
        var m = NewMeasure(MeasureKind.Ongoing);
        m.Start(Unit, clock);
        Assert.Equal(MeasureState.Ongoing, m.State);
        var e = Assert.Throws<BusinessRuleViolationException>(() => m.ApplyForSignOff(Unit, clock));
        Assert.Equal(nameof(OngoingMeasuresAreNeverSignedOff), e.RuleName);
    }

    [Fact]
    public void A_deadline_before_the_inspection_began_is_refused_as_a_typo_of_the_year()
    {
        // 进驻 2024-03-25: a deadline of 2019 is refused; one on the day the team arrived is a 边巡边改 measure's.
        var m = NewMeasure();
        var early = Assert.Throws<BusinessRuleViolationException>(() => m.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2019, 7, 31) }, Office, clock, null));
        Assert.Equal((nameof(ADeadlineIsNotBeforeTheInspection), "整改时限 2019-07-31 早于本次巡察进驻（2024-03-25），请核对年份。"), (early.RuleName, early.Message));
        m.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2024, 3, 25) }, Office, clock, null);
        Assert.Equal(new DateOnly(2024, 3, 25), m.Deadline);

        // A deadline the measure already has does not stop a change of its other fields, even once the 进驻 date is later.
        m.Inspection.Describe("巡察", InspectionKind.Xuncha, null, new DateOnly(2024, 4, 1), new DateOnly(2024, 5, 10), new DateOnly(2024, 8, 15));
        m.Amend(new MeasureChange { Text = "改写措施。", SetsDeadline = true, Deadline = new DateOnly(2024, 3, 25) }, Office, clock, null);
        Assert.Equal("改写措施。", m.Text);

        // Without an on-site date, a year before the feedback is the limit; without either, nothing is known to check.
        Assert.True(new ADeadlineIsNotBeforeTheInspection(new DateOnly(2023, 8, 14), null, new DateOnly(2024, 8, 15)).IsBroken());
        Assert.False(new ADeadlineIsNotBeforeTheInspection(new DateOnly(2023, 8, 15), null, new DateOnly(2024, 8, 15)).IsBroken());
        Assert.False(new ADeadlineIsNotBeforeTheInspection(new DateOnly(2019, 7, 31), null, null).IsBroken());
    }

    [Fact]
    public void A_deadline_years_after_the_inspection_or_an_extension_years_away_is_refused_as_a_typo_of_the_year()
    {
        // Feedback 2024-08-15 (NewMeasure's inspection): five years after it is the last deadline taken.
        var m = NewMeasure();
        var late = Assert.Throws<BusinessRuleViolationException>(() => m.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2099, 1, 31) }, Office, clock, null));
        Assert.Equal(nameof(ADeadlineIsNotYearsAfterTheInspection), late.RuleName);
        Assert.Contains("2099-01-31", late.Message, StringComparison.Ordinal);
        Assert.Contains("请核对年份", late.Message, StringComparison.Ordinal);
        Assert.False(new ADeadlineIsNotYearsAfterTheInspection(new DateOnly(2029, 8, 15), null, new DateOnly(2024, 8, 15)).IsBroken());
        Assert.True(new ADeadlineIsNotYearsAfterTheInspection(new DateOnly(2029, 8, 16), null, new DateOnly(2024, 8, 15)).IsBroken());
        Assert.True(new ADeadlineIsNotYearsAfterTheInspection(new DateOnly(2029, 4, 1), new DateOnly(2024, 3, 25), null).IsBroken());
        Assert.False(new ADeadlineIsNotYearsAfterTheInspection(new DateOnly(2099, 1, 31), null, null).IsBroken());

        // An extension: at most three years from today.
        m.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2024, 12, 31) }, Office, clock, null);
        m.Start(Unit, clock);
        var today = ChinaTime.Today(clock);
        var far = Assert.Throws<BusinessRuleViolationException>(() => DeadlineExtension.Request(m, 1, anotherIsOpen: false, new DateOnly(2099, 1, 31), "需协调市级部门", today, Unit, clock));
        Assert.Equal((nameof(AnExtensionIsWithinReach), Refusal.Invalid), (far.RuleName, far.Refusal));
        Assert.Equal(today.AddYears(3), DeadlineExtension.Request(m, 1, anotherIsOpen: false, today.AddYears(3), "需协调市级部门", today, Unit, clock).RequestedDeadline);
    }

    [Fact]
    public void A_time_bound_measure_needs_a_deadline_and_a_started_one_cannot_be_replanned()
    {
        var m = NewMeasure();
        Assert.Equal(
            nameof(TimeBoundMeasureNeedsADeadline),
            Assert.Throws<BusinessRuleViolationException>(() => m.Plan(MeasureKind.TimeBound, null, null, null)).RuleName);
        m.Start(Unit, clock);
        Assert.Equal(
            nameof(MeasureCanOnlyBeReplannedBeforeItStarts),
            Assert.Throws<BusinessRuleViolationException>(() => m.Plan(MeasureKind.Immediate, new DateOnly(2025, 1, 1), null, null)).RuleName);
    }

    [Theory]
    [InlineData("2025-02-14", MeasureState.InProgress, false)]
    [InlineData("2025-02-15", MeasureState.InProgress, false)]
    [InlineData("2025-02-16", MeasureState.InProgress, true)]
    [InlineData("2025-02-16", MeasureState.AwaitingApproval, true)]
    [InlineData("2025-02-16", MeasureState.SignedOff, false)]
    public void Overdue_is_derived_from_the_deadline_and_the_state(string today, MeasureState state, bool overdue)
    {
        var m = InState(state);
        Assert.Equal(overdue, m.IsOverdue(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_ongoing_measure_is_judged_by_its_cadence_reports_not_a_deadline()
    {
        // Under way since 2025-01-10 10:00 in China; the inspection reports monthly by default.
        var m = NewMeasure(MeasureKind.Ongoing);
        m.Start(Unit, clock);
        Assert.Null(m.Inspection.ReportingCadence);

        // January is not closed yet, and in February January was only partly under way (owed from 1 January): nothing owed.
        Assert.Equal(OverdueReason.None, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 1, 31)));
        Assert.Equal(OverdueReason.None, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 2, 28)));

        // February closed with nothing filed: from 1 March the measure is 逾期未报.
        Assert.Equal(OverdueReason.MissingCadenceReport, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 3, 1)));

        // A report filed late, on 3 March, settles February; April then owes March's report, which 3 March also counts for.
        m.NoteReportFiled(new DateTime(2025, 3, 3, 1, 0, 0, DateTimeKind.Utc));
        Assert.Equal(OverdueReason.None, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 3, 1)));
        Assert.Equal(OverdueReason.None, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 4, 30)));
        Assert.Equal(OverdueReason.MissingCadenceReport, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 5, 1)));

        // Quarterly: the first quarter closed on 31 March, and 3 March lies in it.
        m.Inspection.SetReportingCadence(ReportingCadence.Quarterly);
        Assert.Equal(OverdueReason.None, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 6, 30)));
        Assert.Equal(OverdueReason.MissingCadenceReport, Measure.OverdueReasonAt(m.OverdueFacts, new DateOnly(2025, 7, 1)));
        Assert.False(m.IsOverdue(new DateOnly(2025, 5, 1)));
        Assert.True(m.IsOverdue(new DateOnly(2030, 1, 1)));
    }

    [Fact]
    public void A_report_filed_just_before_midnight_in_China_counts_for_that_day()
    {
        var m = NewMeasure(MeasureKind.Ongoing);
        m.Start(Unit, clock);
        m.Inspection.SetReportingCadence(ReportingCadence.Weekly);

        // 2025-03-02 is a Sunday; 23:30 in China is 15:30 UTC. The week of 24 February is settled by it on Monday 3 March…
        m.NoteReportFiled(new DateTime(2025, 3, 2, 15, 30, 0, DateTimeKind.Utc));
        Assert.False(m.IsOverdue(new DateOnly(2025, 3, 3)));

        // …and the week of 3 March is owed from Monday 10 March.
        Assert.True(m.IsOverdue(new DateOnly(2025, 3, 10)));

        // Half an hour later it is Monday 3 March 00:30 in China (still 2 March in UTC): that report belongs to the week of 3 March.
        m.NoteReportFiled(new DateTime(2025, 3, 2, 16, 30, 0, DateTimeKind.Utc));
        Assert.False(m.IsOverdue(new DateOnly(2025, 3, 10)));
        Assert.True(m.IsOverdue(new DateOnly(2025, 3, 17)));
    }

    [Fact]
    public void A_measure_the_ledger_called_done_is_owed_its_sign_off_only_while_in_progress()
    {
        Assert.True(Measure.LedgerSaysDoneAndOwed(LedgerStanding.Completed, MeasureState.InProgress, null));
        Assert.False(Measure.LedgerSaysDoneAndOwed(LedgerStanding.InProgress, MeasureState.InProgress, null));
        Assert.False(Measure.LedgerSaysDoneAndOwed(null, MeasureState.InProgress, null));
        Assert.False(Measure.LedgerSaysDoneAndOwed(LedgerStanding.Completed, MeasureState.InProgress, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        // 长期坚持 is never signed off; the sign-off under way or done owes nothing more of this kind.
        foreach (var state in Enum.GetValues<MeasureState>().Where(s => s != MeasureState.InProgress))
        {
            Assert.False(Measure.LedgerSaysDoneAndOwed(LedgerStanding.Completed, state, null));
        }
    }

    [Fact]
    public void A_finding_read_without_its_inspection_refuses_a_new_measure()
    {
        // As EF Core materializes it when the inspection is not included.
        var bare = (Finding)Activator.CreateInstance(typeof(Finding), nonPublic: true)!;
        Assert.Throws<InvalidOperationException>(() => bare.AddMeasure(1, "措施", MeasureKind.Immediate));
    }

    [Theory]
    [InlineData(ReportingCadence.Weekly, "2025-03-05", "2025-03-03", "2025-02-24")]
    [InlineData(ReportingCadence.Weekly, "2025-03-03", "2025-03-03", "2025-02-24")]
    [InlineData(ReportingCadence.Weekly, "2025-03-09", "2025-03-03", "2025-02-24")]
    [InlineData(ReportingCadence.Monthly, "2025-03-31", "2025-03-01", "2025-02-01")]
    [InlineData(ReportingCadence.Monthly, "2025-01-15", "2025-01-01", "2024-12-01")]
    [InlineData(ReportingCadence.Quarterly, "2025-06-30", "2025-04-01", "2025-01-01")]
    [InlineData(ReportingCadence.Quarterly, "2025-02-01", "2025-01-01", "2024-10-01")]
    public void Reporting_periods_are_calendar_weeks_months_and_quarters(ReportingCadence cadence, string today, string periodStart, string lastClosedStart)
    {
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.Parse(periodStart, System.Globalization.CultureInfo.InvariantCulture), ReportingCadences.PeriodStart(cadence, day));
        Assert.Equal(DateOnly.Parse(lastClosedStart, System.Globalization.CultureInfo.InvariantCulture), ReportingCadences.LastClosedPeriodStart(cadence, day));
        Assert.Equal(DateTimeKind.Utc, ReportingCadences.StartUtc(day).Kind);
        Assert.Equal(new DateTime(2025, 2, 28, 16, 0, 0, DateTimeKind.Utc), ReportingCadences.StartUtc(new DateOnly(2025, 3, 1)));
    }

    private Measure InState(MeasureState state)
    {
        if (state == MeasureState.SignedOff)
        {
            return SignedOff();
        }

        var m = NewMeasure();
        if (state == MeasureState.Planned)
        {
            return m;
        }

        m.Start(Unit, clock);
        if (state == MeasureState.InProgress)
        {
            return m;
        }

        m.WithAcceptedReport(clock);

        m.ApplyForSignOff(Unit, clock);
        if (state == MeasureState.AwaitingReview)
        {
            return m;
        }

        m.AcceptApplication(Office, clock);
        return m;
    }

    private void Do(Measure m, MeasureAction action, Actor actor)
    {
        switch (action)
        {
            case MeasureAction.Start: m.Start(actor, clock); break;
            case MeasureAction.ApplyForSignOff: (m.State == MeasureState.InProgress ? m.WithAcceptedReport(clock) : m).ApplyForSignOff(actor, clock); break;
            case MeasureAction.AcceptApplication: m.AcceptApplication(actor, clock); break;
            case MeasureAction.ReturnApplication: m.ReturnApplication(actor, clock, "理由"); break;
            case MeasureAction.Approve: m.Approve(actor, clock); break;
            case MeasureAction.Reopen: m.Reopen(actor, clock, "理由"); break;
            default: throw new ArgumentOutOfRangeException(nameof(action));
        }
    }
}

internal sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
