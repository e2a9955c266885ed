using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

public sealed class IntakeEditsTests
{
    private static IntakeMeasure M(int n, string text, DateOnly? deadline = null, string? lead = null) => new(n, text, null, deadline, null, lead, [], null);

    /// <summary>A ledger-like draft with gaps in its numbers: categories 2 and 5, findings 3, 7 and 9.</summary>
    private static IntakeDraft Draft() => new(
        IntakeInspection.Unknown,
        [
            new IntakeCategory(2, "甲方面", [new IntakeFinding(3, "问题三", [M(1, "措施一。"), M(2, "措施二。")], null), new IntakeFinding(7, "问题七", [M(4, "措施四。二是补充。", new DateOnly(2025, 6, 30), "办公室")], null)], null),
            new IntakeCategory(5, "乙方面", [new IntakeFinding(9, "问题九", [M(1, "措施九。")], null)], null) { IsImplicit = true },
        ],
        []);

    [Fact]
    public void Renumber_numbers_categories_findings_across_the_draft_and_measures_in_each_finding_in_order()
    {
        var d = IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Renumber)]);
        Assert.Equal([1, 2], d.Categories.Select(c => c.Number));
        Assert.Equal([1, 2, 3], d.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal([1], d.Categories[0].Findings[1].Measures.Select(m => m.Number));
        Assert.Equal(1, d.EditCount);
    }

    [Fact]
    public void Split_keeps_the_planning_fields_on_both_parts_and_merge_joins_them_back()
    {
        var text = "措施四。二是补充。";
        var points = IntakeEdits.SplitPoints(text);
        Assert.Equal([4], points.Select(p => p.At));
        var split = IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Split, 7, 4, 4)]);
        var measures = split.Categories[0].Findings[1].Measures;
        Assert.Equal(["措施四。", "二是补充。"], measures.Select(m => m.Text));
        Assert.All(measures, m => Assert.Equal(("办公室", new DateOnly(2025, 6, 30)), (m.LeadUnit!, m.Deadline!.Value)));
        var merged = IntakeEdits.Apply(split, [new IntakeEdit(IntakeEditKind.Merge, 7, 1)]);
        Assert.Equal([text], merged.Categories[0].Findings[1].Measures.Select(m => m.Text));
    }

    [Fact]
    public void Demote_and_promote_are_each_others_inverse_for_a_finding_and_its_measures()
    {
        var demoted = IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Demote, 7)]);
        Assert.Equal(["措施一。", "措施二。", "问题七", "措施四。二是补充。"], demoted.Categories[0].Findings.Single().Measures.Select(m => m.Text));
        Assert.Equal([3, 8], demoted.Categories.SelectMany(c => c.Findings).Select(f => f.Number));

        var promoted = IntakeEdits.Apply(demoted, [new IntakeEdit(IntakeEditKind.Promote, 3, 3)]);
        Assert.Equal(["问题三", "问题七"], promoted.Categories[0].Findings.Select(f => f.Title));
        Assert.Equal([3, 4, 9], promoted.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal(["措施四。二是补充。"], promoted.Categories[0].Findings[1].Measures.Select(m => m.Text));
    }

    [Fact]
    public void An_edit_that_does_not_fit_is_refused_and_naming_an_implicit_category_makes_it_explicit()
    {
        Assert.Throws<BusinessRuleViolationException>(() => IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Demote, 3)]));
        Assert.Throws<BusinessRuleViolationException>(() => IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Merge, 9, 1)]));
        Assert.Throws<BusinessRuleViolationException>(() => IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Split, 3, 1, 0)]));
        Assert.Throws<BusinessRuleViolationException>(() => IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.Promote, 4, 1)]));
        var named = IntakeEdits.Apply(Draft(), [new IntakeEdit(IntakeEditKind.RenameCategory, 5, Title: " 关于基层治理方面 ")]);
        Assert.False(named.Categories[1].IsImplicit);
        Assert.Equal("关于基层治理方面", named.Categories[1].Title);
    }
}
