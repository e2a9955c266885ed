using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>The rules of a progress report, a look-back and the registers, on the entities alone.</summary>
public sealed class ReportsAndLookBacksTests
{
    private static readonly Actor Unit = new("u-unit", "联络员");
    private static readonly Actor Office = new("u-office", "整改办");
    private static readonly Actor Leader = new("u-leader", "领导");

    private readonly FakeClock clock = new(new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero));

    private static Measure NewMeasure()
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, new DateOnly(2024, 3, 25), new DateOnly(2024, 5, 10), new DateOnly(2024, 8, 15));
        var finding = new Finding(new FindingCategory(inspection, 1, "关于…方面"), 13, "筑牢工程廉政防线");
        var measure = finding.AddMeasure(1, "填补招投标制度设计漏洞。", MeasureKind.TimeBound);
        measure.Plan(MeasureKind.TimeBound, new DateOnly(2025, 6, 30), null, null);
        return measure;
    }

    private static string RuleOf(Action action) => Assert.Throws<BusinessRuleViolationException>(action).RuleName;

    [Fact]
    public void A_report_is_filed_only_on_a_measure_under_way_and_says_what_was_done()
    {
        var m = NewMeasure();
        Assert.Equal(nameof(ReportsAreFiledOnMeasuresUnderWay), RuleOf(() => ProgressReport.File(m, null, "已完成", 50, new DateOnly(2025, 1, 9), Unit, clock)));
        m.Start(Unit, clock);
        var refused = Assert.Throws<BusinessRuleViolationException>(() => ProgressReport.File(m, null, " ", 50, new DateOnly(2025, 1, 9), Unit, clock));
        Assert.Equal((nameof(AReportSaysWhatWasDone), Refusal.Invalid), (refused.RuleName, refused.Refusal));
        Assert.Equal("请填写进展情况。", refused.Message);
        Assert.Equal("请填写完成百分比（0–100）、报送截至日期。", new AReportSaysWhatWasDone("已完成", 101, null).Message);
        Assert.Equal(nameof(AReportSaysWhatWasDone), RuleOf(() => ProgressReport.File(m, null, "已完成", 101, new DateOnly(2025, 1, 9), Unit, clock)));

        var report = ProgressReport.File(m, null, "  修订了招投标制度。 ", 60, new DateOnly(2025, 1, 9), Unit, clock);
        Assert.Equal((1, "修订了招投标制度。", ProgressReportState.Submitted), (report.Number, report.Narrative, report.State));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, m.LastReportAtUtc);
    }

    [Fact]
    public void A_report_the_office_files_for_the_unit_says_on_what_basis_and_is_reviewed_by_someone_else()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        Assert.Null(ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Unit, clock).OnBehalfBasis);

        // No basis, or one of nothing but spaces and invisible characters, is refused; one too long too.
        foreach (var nothing in new[] { "", "  ", "\u200B\u202E\u0007", "\u3164", "\u2800\u00AD" })
        {
            var refused = Assert.Throws<BusinessRuleViolationException>(() => ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Office, clock, nothing));
            Assert.Equal((nameof(AReportFiledOnBehalfSaysWhereItCameFrom), Refusal.Invalid), (refused.RuleName, refused.Refusal));
        }

        Assert.Equal(nameof(ATextFitsItsField), RuleOf(() => ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Office, clock, new string('据', ProgressReport.MaxOnBehalfBasis + 1))));
        Assert.Equal(nameof(AReportSaysWhatWasDone), RuleOf(() => ProgressReport.File(m, null, " ", 60, new DateOnly(2025, 1, 9), Office, clock, "据书面材料")));
        Assert.Equal(nameof(AReportSaysWhatWasDone), RuleOf(() => ProgressReport.File(m, null, "\u3164", 60, new DateOnly(2025, 1, 9), Unit, clock)));

        var report = ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Office, clock, " 据万江街道1月8日报送的\u200B书面材料 ");
        Assert.Equal(("据万江街道1月8日报送的书面材料", "u-office"), (report.OnBehalfBasis, report.SubmittedByUserId));
        Assert.Equal(nameof(NobodyReviewsTheirOwnReport), RuleOf(() => report.Accept(m, Office, clock)));
        report.Accept(m, new Actor("u-office-2", "整改办另一人"), clock);
        Assert.Equal(ProgressReportState.Accepted, report.State);
    }

    [Fact]
    public void A_report_is_taken_back_only_while_it_waits_for_review_and_the_next_one_revises_it()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var report = ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Unit, clock);
        clock.Advance(TimeSpan.FromHours(1));
        report.Withdraw(Unit, clock);
        Assert.Equal((ProgressReportState.Withdrawn, "联络员", clock.GetUtcNow().UtcDateTime), (report.State, report.ReviewedByName, report.ReviewedAtUtc));
        Assert.Equal("已撤回", Terms.Of(report.State));

        // Not twice, and not reviewed after: the office finds it gone.
        var again = Assert.Throws<BusinessRuleViolationException>(() => report.Withdraw(Unit, clock));
        Assert.Equal((nameof(AReportIsWithdrawnBeforeReview), "这份报送已经撤回了。"), (again.RuleName, again.Message));
        var review = Assert.Throws<BusinessRuleViolationException>(() => report.Accept(m, Office, clock));
        Assert.Equal((nameof(AReportIsReviewedOnce), "这份报送已被撤回，不再审核。"), (review.RuleName, review.Message));

        // The next report revises the one taken back; once accepted (or returned) it cannot be taken back.
        var next = ProgressReport.File(m, report, "修订了制度，附印发文件。", 70, new DateOnly(2025, 1, 9), Unit, clock);
        Assert.Equal((2, report.Id), (next.Number, next.RevisionOfId));
        next.Accept(m, Office, clock);
        var answered = Assert.Throws<BusinessRuleViolationException>(() => next.Withdraw(Unit, clock));
        Assert.Equal("这份报送已采纳，不能撤回；如需更正，请重新报送一份。", answered.Message);
        var third = ProgressReport.File(m, next, "补充。", 80, new DateOnly(2025, 1, 9), Unit, clock);
        Assert.Null(third.RevisionOfId);
        third.Return(Office, clock, "缺签到表");
        Assert.Equal(nameof(AReportIsWithdrawnBeforeReview), RuleOf(() => third.Withdraw(Unit, clock)));
    }

    [Fact]
    public void A_report_taken_back_is_revised_by_the_same_sides_next_and_a_report_sent_back_by_anyones()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var day = new DateOnly(2025, 1, 9);
        var onBehalf = ProgressReport.File(m, null, "据单位书面材料代报。", 50, day, Office, clock, "据单位1月8日报送的书面材料");
        onBehalf.Withdraw(Office, clock);

        // The unit's own report after the office took back its 代报 is the unit's first word, not a correction of the office's.
        Assert.Null(ProgressReport.File(m, onBehalf, "本单位报送。", 60, day, Unit, clock).RevisionOfId);
        Assert.Equal(onBehalf.Id, ProgressReport.File(m, onBehalf, "更正后代报。", 60, day, Office, clock, "据单位1月8日报送的书面材料").RevisionOfId);

        // A report sent back is answered by the next, the unit's or a 代报.
        var returned = ProgressReport.File(m, null, "本单位报送。", 60, day, Unit, clock);
        returned.Return(Office, clock, "缺佐证");
        Assert.Equal(returned.Id, ProgressReport.File(m, returned, "整改办据材料代报。", 60, day, Office, clock, "据单位补交的材料").RevisionOfId);
    }

    [Fact]
    public void A_supporting_unit_hands_in_its_part_on_a_measure_under_way_and_not_the_same_twice()
    {
        var m = NewMeasure();
        Assert.Equal(nameof(SupportIsHandedInOnMeasuresUnderWay), RuleOf(() => SupportReport.File(m, 7, true, "已排查", Unit, clock)));
        m.Start(Unit, clock);
        Assert.Equal(nameof(ASupportReportIsByASupportingUnit), RuleOf(() => SupportReport.File(m, 7, false, "已排查", Unit, clock)));
        Assert.Equal(nameof(ASupportReportSaysWhatWasDone), RuleOf(() => SupportReport.File(m, 7, true, " \u200B ", Unit, clock)));
        Assert.Equal(nameof(ATextFitsItsField), RuleOf(() => SupportReport.File(m, 7, true, new string('查', SupportReport.MaxNarrative + 1), Unit, clock)));

        var first = SupportReport.File(m, 7, true, " 已完成辖区排查。\u200B", Unit, clock);
        Assert.Equal((7, "已完成辖区排查。", "联络员"), (first.OrganizationId, first.Narrative, first.SubmittedByName));
        bool Twice(SupportReport again, string? lastFile, string? file) => new ASupportReportIsNotHandedInTwice(first, again, lastFile, file).IsBroken();
        Assert.True(Twice(SupportReport.File(m, 7, true, "已完成辖区排查。", Unit, clock), "ab", "ab"));
        Assert.False(Twice(SupportReport.File(m, 7, true, "已完成辖区排查。", Unit, clock), "ab", "cd")); // another file
        Assert.False(Twice(SupportReport.File(m, 7, true, "已完成辖区排查，补充清单。", Unit, clock), null, null)); // other words
        Assert.False(Twice(SupportReport.File(m, 8, true, "已完成辖区排查。", Unit, clock), null, null)); // another unit
        Assert.False(new ASupportReportIsNotHandedInTwice(null, first, null, null).IsBroken());
    }

    [Fact]
    public void A_supporting_unit_takes_its_part_back_once_while_the_measure_is_under_way()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var report = SupportReport.File(m, 7, true, "已排查。", Unit, clock);
        Assert.Equal(nameof(AWithdrawnMeasureIsChangedNoMore), RuleOf(() => report.Withdraw(m.State, clock.GetUtcNow().UtcDateTime, Unit, clock)));
        Assert.Equal(nameof(ASupportReportIsTakenBackWhileTheMeasureIsUnderWay), RuleOf(() => report.Withdraw(MeasureState.SignedOff, null, Unit, clock)));
        Assert.Equal(nameof(ASupportReportIsTakenBackWhileTheMeasureIsUnderWay), RuleOf(() => report.Withdraw(MeasureState.Planned, null, Unit, clock)));
        Assert.Null(report.WithdrawnAtUtc);

        report.Withdraw(MeasureState.Ongoing, null, Unit, clock);
        Assert.Equal((clock.GetUtcNow().UtcDateTime, "联络员"), (report.WithdrawnAtUtc, report.WithdrawnByName));
        Assert.Equal("已排查。", report.Narrative);
        Assert.Equal(nameof(ASupportReportIsTakenBackOnce), RuleOf(() => report.Withdraw(m.State, null, Unit, clock)));
    }

    [Fact]
    public void A_supporting_units_part_counts_for_the_period_on_a_long_term_measure_and_for_good_on_any_other()
    {
        var day = new DateOnly(2026, 12, 6);
        Assert.Null(SupportReport.PartCountsFromUtc(MeasureKind.TimeBound, MeasureState.InProgress, ReportingCadence.Weekly, day));
        Assert.Null(SupportReport.PartCountsFromUtc(MeasureKind.Ongoing, MeasureState.InProgress, ReportingCadence.Weekly, day));
        // The period's first day, from midnight in China (16:00 UTC the day before); monthly when the inspection sets none.
        Assert.Equal(new DateTime(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc), SupportReport.PartCountsFromUtc(MeasureKind.Ongoing, MeasureState.Ongoing, null, day));
        Assert.Equal(new DateTime(2026, 11, 29, 16, 0, 0, DateTimeKind.Utc), SupportReport.PartCountsFromUtc(MeasureKind.Ongoing, MeasureState.Ongoing, ReportingCadence.Weekly, new DateOnly(2026, 12, 6)));
        Assert.Equal(new DateTime(2026, 9, 30, 16, 0, 0, DateTimeKind.Utc), SupportReport.PartCountsFromUtc(MeasureKind.Ongoing, MeasureState.Ongoing, ReportingCadence.Quarterly, day));
    }

    [Fact]
    public void The_same_report_is_not_filed_twice_while_the_first_waits_for_review()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var day = new DateOnly(2025, 1, 9);
        var first = ProgressReport.File(m, null, "修订了制度。", 60, day, Unit, clock);
        bool Twice(ProgressReport again, bool sameFiles) => new AReportIsNotFiledTwice(first, again, sameFiles).IsBroken();

        // The same person, words, figure, day and files: sent again. Trimmed and cleaned alike, so a space more is the same.
        Assert.True(Twice(ProgressReport.File(m, first, " 修订了制度。\u200B", 60, day, Unit, clock), sameFiles: true));

        // A file added (the one forgotten), other words, another figure or day, or someone else: a new report.
        Assert.False(Twice(ProgressReport.File(m, first, "修订了制度。", 60, day, Unit, clock), sameFiles: false));
        Assert.False(Twice(ProgressReport.File(m, first, "修订了制度，附文件。", 60, day, Unit, clock), sameFiles: true));
        Assert.False(Twice(ProgressReport.File(m, first, "修订了制度。", 70, day, Unit, clock), sameFiles: true));
        Assert.False(Twice(ProgressReport.File(m, first, "修订了制度。", 60, day, Office, clock, "据书面材料"), sameFiles: true));

        // Once the first has been reviewed, the same words again are a new report.
        first.Return(Office, clock, "缺少文件");
        Assert.False(Twice(ProgressReport.File(m, first, "修订了制度。", 60, day, Unit, clock), sameFiles: true));
    }

    [Fact]
    public void The_office_reviews_a_report_once_never_its_own_and_returns_it_only_with_a_reason()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var report = ProgressReport.File(m, null, "修订了制度。", 60, new DateOnly(2025, 1, 9), Unit, clock);
        Assert.Equal(nameof(NobodyReviewsTheirOwnReport), RuleOf(() => report.Accept(m, Unit, clock)));
        Assert.Equal(nameof(AReasonIsRequired), RuleOf(() => report.Return(Office, clock, "")));
        report.Return(Office, clock, " 缺少印发文号 ");
        Assert.Equal((ProgressReportState.Returned, "缺少印发文号", "整改办"), (report.State, report.ReturnReason, report.ReviewedByName));
        Assert.Equal(nameof(AReportIsReviewedOnce), RuleOf(() => report.Accept(m, Office, clock)));

        // The revision names the report it revises.
        var revision = ProgressReport.File(m, report, "补充了文号。", 80, new DateOnly(2025, 1, 9), Unit, clock);
        Assert.Equal(2, revision.Number);
    }

    [Fact]
    public void Sign_off_is_applied_for_only_on_a_report_the_office_accepted_and_a_rebound_needs_new_evidence()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        Assert.False(m.CanTake(MeasureAction.ApplyForSignOff));
        Assert.True(Measure.WaitsForAcceptedReport(m.State, m.Kind, hasAcceptedReport: false));
        Assert.Equal(nameof(SignOffNeedsAnAcceptedReport), RuleOf(() => m.ApplyForSignOff(Unit, clock)));

        // Filed is not enough, and a returned report never counts.
        var first = ProgressReport.File(m, null, "修订了制度。", 60, ChinaTime.Today(clock), Unit, clock);
        Assert.Equal(nameof(SignOffNeedsAnAcceptedReport), RuleOf(() => m.ApplyForSignOff(Unit, clock)));
        first.Return(Office, clock, "缺少印发文号");
        Assert.Equal(nameof(SignOffNeedsAnAcceptedReport), RuleOf(() => m.ApplyForSignOff(Unit, clock)));

        var second = ProgressReport.File(m, first, "补充了印发文号。", 100, ChinaTime.Today(clock), Unit, clock);
        second.Accept(m, Office, clock);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, m.EvidenceAcceptedAtUtc);
        Assert.True(m.CanTake(MeasureAction.ApplyForSignOff));
        Assert.False(Measure.WaitsForAcceptedReport(m.State, m.Kind, hasAcceptedReport: true));
        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock);

        // A rebound reopens the measure: what was accepted before it no longer carries a new application.
        m.Reopen(Office, clock, "回头看发现问题反弹");
        Assert.Null(m.EvidenceAcceptedAtUtc);
        Assert.Equal(nameof(SignOffNeedsAnAcceptedReport), RuleOf(() => m.ApplyForSignOff(Unit, clock)));

        // Nothing to wait for where no application can be made at all.
        Assert.False(Measure.WaitsForAcceptedReport(MeasureState.Ongoing, MeasureKind.Ongoing, hasAcceptedReport: false));
        Assert.False(Measure.WaitsForAcceptedReport(MeasureState.AwaitingReview, MeasureKind.TimeBound, hasAcceptedReport: false));
    }

    [Fact]
    public void A_report_is_accepted_only_with_its_own_measure()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var report = ProgressReport.File(m, null, "修订了制度。", 60, ChinaTime.Today(clock), Unit, clock);
        var other = NewMeasure();
        typeof(Measure).GetProperty(nameof(Measure.Id))!.SetValue(other, 42);
        Assert.Throws<ArgumentException>(() => report.Accept(other, Office, clock));
        Assert.Equal(ProgressReportState.Submitted, report.State);
    }

    [Fact]
    public void A_look_back_is_six_months_after_sign_off_but_never_sooner_than_thirty_days_from_today()
    {
        var signedOff = new DateTime(2025, 1, 10, 2, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new LookBackDue(new DateOnly(2025, 7, 10), LookBackDueRule.SixMonthsAfterSignOff), LookBack.DefaultDueDate(signedOff, new DateOnly(2025, 1, 10)));

        // Signed off a year ago: six months after is long past, so thirty days from today.
        Assert.Equal(new LookBackDue(new DateOnly(2026, 2, 9), LookBackDueRule.ThirtyDaysFromToday), LookBack.DefaultDueDate(signedOff, new DateOnly(2026, 1, 10)));

        // Signed off at 00:30 on 11 January in China (16:30 UTC on the 10th): the China date counts.
        Assert.Equal(new DateOnly(2025, 7, 11), LookBack.DefaultDueDate(new DateTime(2025, 1, 10, 16, 30, 0, DateTimeKind.Utc), new DateOnly(2025, 1, 10)).Date);
    }

    [Fact]
    public void A_look_back_is_scheduled_for_a_signed_off_measure_not_in_the_past_and_a_rebound_reopens_it()
    {
        var m = NewMeasure();
        var today = ChinaTime.Today(clock);
        Assert.Equal(nameof(OnlySignedOffMeasuresAreLookedBack), RuleOf(() => LookBack.Schedule(1, m.State, false, today, Office, clock)));
        m.Start(Unit, clock);
        m.WithAcceptedReport(clock);
        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);
        m.Approve(Leader, clock);
        Assert.Equal(nameof(ALookBackIsNotDueInThePast), RuleOf(() => LookBack.Schedule(1, m.State, false, today.AddDays(-1), Office, clock)));
        Assert.Equal(nameof(AMeasureHasOneOpenLookBack), RuleOf(() => LookBack.Schedule(1, m.State, true, today, Office, clock)));

        var lookBack = LookBack.Schedule(1, m.State, false, today.AddMonths(6), Office, clock);
        Assert.Equal(nameof(AReboundIsDescribed), RuleOf(() => lookBack.Record(LookBackResult.Rebound, " ", m, Office, clock)));
        lookBack.Record(LookBackResult.Rebound, "围标问题再次出现", m, Office, clock);
        Assert.Equal(MeasureState.InProgress, m.State);
        Assert.Contains("围标问题再次出现", m.Transitions[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(nameof(ALookBackIsRecordedOnce), RuleOf(() => lookBack.Record(LookBackResult.Consolidated, null, m, Office, clock)));
    }

    [Fact]
    public void A_report_speaks_for_a_day_between_the_inspections_start_and_today()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var today = ChinaTime.Today(clock);
        var future = Assert.Throws<BusinessRuleViolationException>(() => ProgressReport.File(m, null, "已完成", 50, today.AddDays(1), Unit, clock));
        Assert.Equal((nameof(AReportSpeaksForADayOfTheRectification), Refusal.Invalid), (future.RuleName, future.Refusal));
        Assert.Contains("不能晚于今天", future.Message, StringComparison.Ordinal);
        var before = Assert.Throws<BusinessRuleViolationException>(() => ProgressReport.File(m, null, "已完成", 50, new DateOnly(1990, 1, 1), Unit, clock));
        Assert.Contains("早于本次巡察开始（2024-03-25）", before.Message, StringComparison.Ordinal);
        Assert.Equal(today, ProgressReport.File(m, null, "已完成", 50, today, Unit, clock).EffectiveDate);
    }

    [Fact]
    public void People_and_meetings_are_whole_numbers_money_need_not_be()
    {
        var refused = Assert.Throws<BusinessRuleViolationException>(() => _ = new RectificationOutcome(1, OutcomeKind.PeopleHandled, 2.5m, null, [], Office, clock));
        Assert.Equal(Refusal.Invalid, refused.Refusal);
        Assert.Contains("处理人数”是整数", refused.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(AnOutcomeHasKindAndAmount), RuleOf(() => _ = new RectificationOutcome(1, OutcomeKind.MeetingsHeld, 0.5m, null, [], Office, clock)));
        Assert.Equal(2.5m, new RectificationOutcome(1, OutcomeKind.MoneyRecovered, 2.5m, null, [], Office, clock).Amount);
        Assert.Equal(3m, new RectificationOutcome(1, OutcomeKind.PeopleHandled, 3m, null, [], Office, clock).Amount);
    }

    [Fact]
    public void A_register_entry_needs_its_facts_and_links_each_finding_once()
    {
        Assert.Equal(nameof(AnInstitutionHasNameIssuerAndDate), RuleOf(() => _ = new Institution(1, "制度", " ", null, new DateOnly(2025, 1, 1), [], Office, clock)));
        Assert.Equal(nameof(AnOutcomeHasKindAndAmount), RuleOf(() => _ = new RectificationOutcome(1, OutcomeKind.MoneyRecovered, -1, null, [], Office, clock)));
        Assert.Equal(nameof(ALeadHasSummaryAndStatus), RuleOf(() => _ = new Lead(1, "线索", (LeadStatus)9, null, [], Office, clock)));
        var institution = new Institution(1, " 招投标管理办法 ", "党工委", " ", new DateOnly(2025, 1, 1), [3, 5, 3], Office, clock);
        Assert.Equal(("招投标管理办法", null as string), (institution.Name, institution.DocumentNumber));
        Assert.Equal([3, 5], institution.Findings.Select(f => f.FindingId));
    }

    [Fact]
    public void A_register_entry_is_corrected_or_withdrawn_only_with_a_reason_on_the_version_shown_and_keeps_each_earlier_version()
    {
        var outcome = new RectificationOutcome(1, OutcomeKind.MoneyRecovered, 12.5m, "追回工程款", [3], Office, clock);
        Assert.Equal((1, false, "整改办", null as string), (outcome.Version, outcome.Withdrawn, outcome.RecordedByName, outcome.ChangeReason));

        var noReason = Assert.Throws<BusinessRuleViolationException>(() => outcome.Correct(1, " ", OutcomeKind.MoneyRecovered, 15, "追回工程款", [3, 5], Office, clock));
        Assert.Equal((nameof(ARegisterChangeHasAReason), Refusal.Invalid), (noReason.RuleName, noReason.Refusal));
        var noVersion = Assert.Throws<BusinessRuleViolationException>(() => outcome.Correct(null, "金额有误", OutcomeKind.MoneyRecovered, 15, null, [3], Office, clock));
        Assert.Equal((nameof(ARegisterEntryIsChangedOnTheVersionShown), Refusal.Invalid), (noVersion.RuleName, noVersion.Refusal));
        Assert.Equal(nameof(ACorrectionChangesSomething), RuleOf(() => outcome.Correct(1, "核对", OutcomeKind.MoneyRecovered, 12.50m, " 追回工程款 ", [3], Office, clock)));
        Assert.Equal(nameof(AnOutcomeHasKindAndAmount), RuleOf(() => outcome.Correct(1, "人数", OutcomeKind.PeopleHandled, 1.5m, null, [3], Office, clock)));
        Assert.Equal((1, 12.5m, 0), (outcome.Version, outcome.Amount, outcome.Revisions.Count));

        clock.Advance(TimeSpan.FromHours(1));
        outcome.Correct(1, " 审计复核后更正 ", OutcomeKind.MoneyRecovered, 15, "追回工程款", [5, 3], Leader, clock);
        Assert.Equal((2, 15m, "领导", "审计复核后更正"), (outcome.Version, outcome.Amount, outcome.RecordedByName, outcome.ChangeReason));
        Assert.Equal([3, 5], outcome.Findings.Select(f => f.FindingId).Order());
        var kept = Assert.Single(outcome.Revisions);
        Assert.Equal((1, "整改办", null as string), (kept.Version, kept.RecordedByName, kept.ChangeReason));
        Assert.Equal(new OutcomeFacts(OutcomeKind.MoneyRecovered, 12.5m, "追回工程款", [3]) with { FindingIds = [] }, RegisterRevision.Read<OutcomeFacts>(kept.Values) with { FindingIds = [] });
        Assert.Equal([3], RegisterRevision.Read<OutcomeFacts>(kept.Values).FindingIds);

        // The version shown must be the current one (409); a withdrawal is a version too, and the last.
        var stale = Assert.Throws<BusinessRuleViolationException>(() => outcome.Withdraw(1, "重复登记", Office, clock));
        Assert.Equal((nameof(ARegisterEntryIsChangedOnTheVersionShown), Refusal.Conflict), (stale.RuleName, stale.Refusal));
        outcome.Withdraw(2, "重复登记", Office, clock);
        Assert.Equal((3, true, 15m), (outcome.Version, outcome.Withdrawn, outcome.Amount));
        Assert.Equal([1, 2], outcome.Revisions.Select(r => r.Version));
        Assert.Equal(nameof(AWithdrawnEntryIsNotChanged), RuleOf(() => outcome.Correct(3, "恢复", OutcomeKind.MoneyRecovered, 15, null, [3], Office, clock)));
        Assert.Equal(nameof(AWithdrawnEntryIsNotChanged), RuleOf(() => outcome.Withdraw(3, "再撤销", Office, clock)));
    }
}
