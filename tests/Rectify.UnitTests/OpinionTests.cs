using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>The rules of a public opinion's handling: 交办 to a unit, the unit's 办理情况, and a reply published with the office's summary.</summary>
public sealed class OpinionTests
{
    private static readonly Actor Unit = new("u-unit", "联络员");
    private static readonly Actor Office = new("u-office", "整改办");

    private readonly FakeClock clock = new(new DateTimeOffset(2026, 12, 5, 2, 0, 0, TimeSpan.Zero));

    private PublicOpinion NewOpinion() => new(1, 1, "ABCDEFGHJKMN", "河涌夜间仍有偷排。", "13700001234", 3, clock);

    private static string RuleOf(Action action) => Assert.Throws<BusinessRuleViolationException>(action).RuleName;

    [Fact]
    public void Only_an_opinion_handed_to_a_unit_takes_the_units_account_and_not_an_empty_one()
    {
        var opinion = NewOpinion();
        Assert.Equal(nameof(PublicOpinion.OnlyAnAssignedUnitResponds), RuleOf(() => opinion.RespondAsUnit("已核实。", Unit, clock)));

        opinion.Assign(findingId: 7, unitId: 42, clock);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, opinion.AssignedAtUtc);
        Assert.Equal(nameof(PublicOpinion.AUnitResponseSaysSomething), RuleOf(() => opinion.RespondAsUnit("   ", Unit, clock)));
        Assert.Equal(nameof(PublicOpinion.AUnitResponseSaysSomething), RuleOf(() => opinion.RespondAsUnit(new string('办', PublicOpinion.MaxTextLength + 1), Unit, clock)));
        Assert.Null(opinion.UnitResponse);

        var version = opinion.Version;
        opinion.RespondAsUnit("  已安排夜间巡查。 ", Unit, clock);
        Assert.Equal(("已安排夜间巡查。", "联络员", version + 1), (opinion.UnitResponse, opinion.UnitRespondedByName, opinion.Version));

        opinion.Close(clock);
        Assert.Equal(nameof(PublicOpinion.AClosedOpinionStaysClosed), RuleOf(() => opinion.RespondAsUnit("补充。", Unit, clock)));
    }

    [Fact]
    public void Handing_to_the_same_unit_again_keeps_the_time_it_was_first_handed_over_and_another_unit_restarts_it()
    {
        var opinion = NewOpinion();
        opinion.Assign(null, 42, clock);
        var first = opinion.AssignedAtUtc;
        clock.Advance(TimeSpan.FromHours(5));
        opinion.Assign(7, 42, clock);
        Assert.Equal(first, opinion.AssignedAtUtc);
        opinion.Assign(7, 43, clock);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, opinion.AssignedAtUtc);
        opinion.Assign(7, null, clock);
        Assert.Null(opinion.AssignedAtUtc);
    }

    [Fact]
    public void A_reply_for_the_notice_needs_the_offices_summary_of_the_question_and_a_private_reply_keeps_none()
    {
        var opinion = NewOpinion();
        Assert.Equal(nameof(PublicOpinion.APublicReplyHasASummary), RuleOf(() => opinion.Answer("已查处。", publishable: true, publicSummary: " ", Office, clock)));
        Assert.Equal(nameof(PublicOpinion.APublicReplyHasASummary), RuleOf(() => opinion.Answer("已查处。", publishable: true, new string('摘', PublicOpinion.MaxSummaryLength + 1), Office, clock)));
        Assert.Null(opinion.Reply);

        opinion.Answer("已查处。", publishable: true, " 反映河涌偷排。 ", Office, clock);
        Assert.Equal(("反映河涌偷排。", true), (opinion.PublicSummary, opinion.ReplyIsPublishable));

        opinion.Answer("已查处，不公开。", publishable: false, "反映河涌偷排。", Office, clock);
        Assert.Null(opinion.PublicSummary);
    }
}
