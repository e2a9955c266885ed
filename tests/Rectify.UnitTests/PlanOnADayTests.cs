using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>The plan as it stood on a day: per measure, the latest version made on or before the end of that day in China time.</summary>
public sealed class PlanOnADayTests
{
    private static readonly Actor Office = new("u-office", "整改办");
    private static readonly Actor Secretary = new("u-secretary", "书记");

    /// <summary>Adopted on 2025-03-10 at 10:00 China time; the first measure's deadline moved on 2025-04-01 at 23:30 and its text on 2025-04-02 at 00:10; a second measure added on 2025-05-06.</summary>
    private static (Measure First, Measure Added) AdoptedAndChanged()
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, new DateOnly(2024, 11, 1), new DateOnly(2024, 12, 20), new DateOnly(2025, 1, 15));
        var finding = new Finding(new FindingCategory(inspection, 1, "关于…方面"), 1, "问题");
        var first = finding.AddMeasure(1, "修订议事规则", MeasureKind.TimeBound);
        first.Plan(MeasureKind.TimeBound, new DateOnly(2025, 6, 30), null, null);
        var clock = new FakeClock(new DateTimeOffset(2025, 3, 10, 10, 0, 0, ChinaTime.Offset));
        inspection.SubmitPlan(1, [], Office, clock);
        inspection.ApprovePlan("党委会", new DateOnly(2025, 3, 10), [first], Secretary, clock);

        clock.Advance(new DateTimeOffset(2025, 4, 1, 23, 30, 0, ChinaTime.Offset) - clock.GetUtcNow());
        first.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2025, 9, 30) }, Office, clock, "顺延");
        clock.Advance(TimeSpan.FromMinutes(40));
        first.Amend(new MeasureChange { Text = "修订并印发议事规则" }, Office, clock, "表述调整");

        clock.Advance(new DateTimeOffset(2025, 5, 6, 9, 0, 0, ChinaTime.Offset) - clock.GetUtcNow());
        var added = finding.AddMeasure(2, "建立月度通报制度", MeasureKind.Immediate);
        added.Amend(new MeasureChange { SetsDeadline = true, Deadline = new DateOnly(2025, 6, 1) }, Office, clock, "补充");
        return (first, added);
    }

    [Fact]
    public void A_day_reads_the_latest_version_made_by_the_end_of_it_in_china_time()
    {
        var (first, added) = AdoptedAndChanged();
        Assert.Equal([1, 2, 3], first.Revisions.Select(r => r.Number));

        Assert.Null(PlanOnADay.VersionInForceOn(first.Revisions, new DateOnly(2025, 3, 9)));
        Assert.Equal(new DateOnly(2025, 6, 30), PlanOnADay.VersionInForceOn(first.Revisions, new DateOnly(2025, 3, 10))!.Deadline);

        // 23:30 China time on 1 April is 15:30 UTC: that day's plan has it, the text changed after midnight does not.
        var onFirstApril = PlanOnADay.VersionInForceOn(first.Revisions, new DateOnly(2025, 4, 1))!;
        Assert.Equal((2, new DateOnly(2025, 9, 30), "修订议事规则"), (onFirstApril.Number, onFirstApril.Deadline, onFirstApril.Text));
        var onSecondApril = PlanOnADay.VersionInForceOn(first.Revisions, new DateOnly(2025, 4, 2))!;
        Assert.Equal((3, MeasureRevisionKind.Amended, "修订并印发议事规则"), (onSecondApril.Number, onSecondApril.Kind, onSecondApril.Text));

        Assert.Null(PlanOnADay.VersionInForceOn(added.Revisions, new DateOnly(2025, 5, 5)));
        Assert.Equal(MeasureRevisionKind.Added, PlanOnADay.VersionInForceOn(added.Revisions, new DateOnly(2025, 5, 6))!.Kind);
        Assert.Equal(new DateTime(2025, 4, 1, 16, 0, 0, DateTimeKind.Utc), PlanOnADay.EndUtc(new DateOnly(2025, 4, 1)));
        Assert.Equal(new DateOnly(2025, 4, 2), ChinaTime.DayOf(new DateTime(2025, 4, 1, 16, 10, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void The_adopted_content_differs_from_the_current_in_the_fields_that_changed_and_units_are_a_set()
    {
        var (first, _) = AdoptedAndChanged();
        var adopted = MeasureContent.Of(first.Revisions[0]);
        var current = MeasureContent.Of(first.Revisions[^1]);
        Assert.Equal(PlanFields.Text | PlanFields.Deadline, adopted.DiffersFrom(current));
        Assert.Equal(PlanFields.None, current.DiffersFrom(current with { SupportingUnits = [] }));

        var units = current with { SupportingUnits = ["甲办", "乙办"] };
        Assert.Equal(PlanFields.None, units.DiffersFrom(units with { SupportingUnits = ["乙办", "甲办"] }));
        Assert.Equal(PlanFields.SupportingUnits, units.DiffersFrom(units with { SupportingUnits = ["甲办"] }));
        Assert.Equal(PlanFields.Leader | PlanFields.LeadUnit | PlanFields.Kind, units.DiffersFrom(units with { Leader = "某", LeadUnit = "丙办", Kind = MeasureKind.Ongoing }));
        Assert.Equal(["甲办", "乙办"], MeasureContent.SplitUnits("甲办、乙办"));
        Assert.Empty(MeasureContent.SplitUnits(string.Empty));
    }

    [Theory]
    [InlineData(PlanState.Drafting, "2025-03-10", "2025-04-01", true, "尚未审定实施")]
    [InlineData(PlanState.Submitted, "2025-03-10", "2025-04-01", true, "尚未审定实施")]
    [InlineData(PlanState.InForce, null, "2025-04-01", true, "尚未审定实施")]
    [InlineData(PlanState.InForce, "2025-03-10", "2025-03-09", true, "于 2025-03-10 审定实施，2025-03-09 时还没有")]
    [InlineData(PlanState.InForce, "2025-03-10", "2025-03-10", false, null)]
    [InlineData(PlanState.InForce, "2025-03-10", "2025-06-01", false, null)]
    [InlineData(PlanState.InForce, "2025-03-10", "2025-06-02", true, "不能晚于今天（2025-06-01）")]
    public void The_plan_is_read_on_a_day_it_was_in_force(PlanState state, string? adoptedOn, string day, bool broken, string? message)
    {
        var rule = new ThePlanIsReadOnADayItWasInForce(state, adoptedOn is null ? null : DateOnly.Parse(adoptedOn, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2025, 6, 1));
        Assert.Equal(broken, rule.IsBroken());
        Assert.Equal(Refusal.Invalid, rule.Refusal);
        if (message is not null)
        {
            Assert.Contains(message, rule.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2025-03-01", false)]
    [InlineData(" 2025-3-1 ", false)]
    [InlineData("2025-02-29", true)]
    [InlineData("2025/03/01", true)]
    [InlineData("昨天", true)]
    public void A_plan_day_is_a_date(string text, bool broken) => Assert.Equal(broken, new APlanDayIsADate(text).IsBroken());

    [Theory]
    [InlineData("approved", false)]
    [InlineData("Approved", false)]
    [InlineData("adopted", true)]
    [InlineData("current", true)]
    public void The_comparison_is_with_the_adopted_plan(string compare, bool broken) => Assert.Equal(broken, new TheComparisonIsWithTheAdoptedPlan(compare).IsBroken());
}
