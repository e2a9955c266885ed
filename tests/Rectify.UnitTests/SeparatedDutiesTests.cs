using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>
/// Issue #13's "one person can give both sign-off levels": someone holding 整改办 and 责任领导 accepted and then
/// approved the same measure. Roles do not enter these rules at all — only who acted — so no combination of roles
/// lets one person give two levels.
/// </summary>
public sealed class SeparatedDutiesTests
{
    private static readonly Actor Unit = new("u-unit", "联络员");
    private static readonly Actor OfficeAndLeader = new("u-both", "既是整改办又是责任领导");
    private static readonly Actor Leader = new("u-leader", "领导");
    private static readonly Actor Office = new("u-office", "整改办");

    private readonly FakeClock clock = new(new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero));

    private static Measure NewMeasure()
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, new DateOnly(2024, 3, 25), new DateOnly(2024, 5, 10), new DateOnly(2024, 8, 15));
        var finding = new Finding(new FindingCategory(inspection, 1, "关于…方面"), 13, "筑牢工程廉政防线");
        var measure = finding.AddMeasure(1, "填补招投标制度设计漏洞。", MeasureKind.TimeBound);
        measure.Plan(MeasureKind.TimeBound, new DateOnly(2025, 2, 15), null, null);
        return measure;
    }

    private Measure AwaitingApproval(Actor evidenceReviewer, Actor firstLevel)
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var report = ProgressReport.File(m, null, "制度已印发。", 100, ChinaTime.Today(clock), Unit, clock);
        report.Accept(m, evidenceReviewer, clock);
        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(firstLevel, clock);
        return m;
    }

    [Fact]
    public void Whoever_accepted_the_application_cannot_also_approve_it()
    {
        var m = AwaitingApproval(Office, OfficeAndLeader);
        var refused = Assert.Throws<BusinessRuleViolationException>(() => m.Approve(OfficeAndLeader, clock));
        Assert.Equal(Refusal.NotPermitted, refused.Refusal);
        Assert.Contains("两个人", refused.Message, StringComparison.Ordinal);
        Assert.Equal(MeasureState.AwaitingApproval, m.State);

        m.Approve(Leader, clock);
        Assert.Equal(MeasureState.SignedOff, m.State);
    }

    [Fact]
    public void Whoever_reviewed_and_accepted_the_report_cannot_approve_the_sign_off_that_stands_on_it()
    {
        var m = AwaitingApproval(OfficeAndLeader, Office);
        var refused = Assert.Throws<BusinessRuleViolationException>(() => m.Approve(OfficeAndLeader, clock));
        Assert.Equal(Refusal.NotPermitted, refused.Refusal);
        Assert.Contains("佐证材料", refused.Message, StringComparison.Ordinal);

        m.Approve(Leader, clock);
        Assert.Equal(MeasureState.SignedOff, m.State);
    }

    [Fact]
    public void A_returned_application_forgets_its_first_level_and_a_reopened_measure_its_evidence()
    {
        var m = AwaitingApproval(Office, OfficeAndLeader);
        m.ReturnApplication(Leader, clock, "材料不全");
        Assert.Null(m.SignOffAcceptedById);
        m.ApplyForSignOff(Unit, clock);
        m.AcceptApplication(Office, clock);

        // Now the dual-role person gave no level yet: they may approve.
        m.Approve(OfficeAndLeader, clock);
        Assert.Equal(MeasureState.SignedOff, m.State);

        m.Reopen(Office, clock, "回头看发现反弹");
        Assert.Null(m.EvidenceAcceptedById);
        Assert.Null(m.SignOffAcceptedById);
    }

    [Fact]
    public void Three_different_people_walk_the_whole_sign_off()
    {
        var m = AwaitingApproval(Office, Office);
        m.Approve(Leader, clock);
        Assert.Equal(["u-unit", "u-unit", "u-office", "u-leader"], m.Transitions.Select(t => t.ActorUserId));
    }

    [Fact]
    public void Whoever_asked_for_an_extension_neither_reviews_nor_decides_it_and_the_reviewer_does_not_decide_it()
    {
        var m = NewMeasure();
        m.Start(Unit, clock);
        var today = ChinaTime.Today(clock);

        // One person who holds every role asks for the extension: they may not review it.
        var asked = DeadlineExtension.Request(m, 1, anotherIsOpen: false, new DateOnly(2025, 3, 31), "需协调市级部门", today, OfficeAndLeader, clock);
        var own = Assert.Throws<BusinessRuleViolationException>(() => asked.Review(forward: true, null, OfficeAndLeader, clock));
        Assert.Equal(Refusal.NotPermitted, own.Refusal);
        Assert.Contains("自己提出的延期申请", own.Message, StringComparison.Ordinal);
        Assert.Equal(ExtensionState.Requested, asked.State);

        // Reviewed by someone else, it may not be decided by its requester, nor by its reviewer.
        asked.Review(forward: true, null, Office, clock);
        Assert.Contains("自己提出的延期申请", Assert.Throws<BusinessRuleViolationException>(() => asked.Decide(m, approve: true, null, OfficeAndLeader, clock)).Message, StringComparison.Ordinal);
        Assert.Contains("已审核这份延期申请的人", Assert.Throws<BusinessRuleViolationException>(() => asked.Decide(m, approve: true, null, Office, clock)).Message, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2025, 2, 15), m.Deadline);

        // A third person decides, and the deadline moves.
        asked.Decide(m, approve: true, null, Leader, clock);
        Assert.Equal(ExtensionState.Approved, asked.State);
        Assert.Equal(new DateOnly(2025, 3, 31), m.Deadline);
    }

    [Fact]
    public void A_page_offers_a_person_only_the_sign_off_steps_the_separated_duties_leave_them()
    {
        Assert.True(Measure.BarsFromStep(MeasureAction.AcceptApplication, "a", applicantId: "a", acceptedById: null, evidenceAcceptedById: null));
        Assert.True(Measure.BarsFromStep(MeasureAction.ReturnApplication, "a", "a", null, null));
        Assert.False(Measure.BarsFromStep(MeasureAction.AcceptApplication, "b", "a", null, "b"));
        Assert.True(Measure.BarsFromStep(MeasureAction.Approve, "b", "a", acceptedById: "b", evidenceAcceptedById: null));
        Assert.True(Measure.BarsFromStep(MeasureAction.Approve, "c", "a", "b", evidenceAcceptedById: "c"));
        Assert.False(Measure.BarsFromStep(MeasureAction.Approve, "d", "a", "b", "c"));
        Assert.False(Measure.BarsFromStep(MeasureAction.Reopen, "a", "a", "a", "a"));
    }
}
