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

        opinion.Assign(findingId: 7, unitId: 42, currentUnitName: null, clock);
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
        opinion.Assign(null, 42, null, clock);
        var first = opinion.AssignedAtUtc;
        clock.Advance(TimeSpan.FromHours(5));
        opinion.RespondAsUnit("已核实。", Unit, clock);
        opinion.Assign(7, 42, "纪检监察办", clock);
        Assert.Equal((first, "已核实。"), (opinion.AssignedAtUtc, opinion.UnitResponse));

        // Another unit starts afresh: it reads none of the last unit's words, which the office keeps.
        opinion.Assign(7, 43, "纪检监察办", clock);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, opinion.AssignedAtUtc);
        Assert.Equal((null, null, null), (opinion.UnitResponse, opinion.UnitRespondedByName, opinion.UnitRespondedAtUtc));
        Assert.Equal("纪检监察办（联络员）：已核实。", opinion.EarlierUnitResponses);
        opinion.RespondAsUnit("工程中心已复查。", Unit, clock);
        opinion.Assign(7, null, "工程建设中心", clock);
        Assert.Null(opinion.AssignedAtUtc);
        Assert.Equal("纪检监察办（联络员）：已核实。\n工程建设中心（联络员）：工程中心已复查。", opinion.EarlierUnitResponses);
    }

    [Fact]
    public void A_reply_for_the_notice_needs_the_offices_summary_of_the_question()
    {
        var opinion = NewOpinion();
        Assert.Equal(nameof(PublicOpinion.APublicReplyHasASummary), RuleOf(() => opinion.Answer("已查处。", publishable: true, publicSummary: " ", Office, clock)));
        Assert.Equal(nameof(PublicOpinion.APublicReplyHasASummary), RuleOf(() => opinion.Answer("已查处。", publishable: true, new string('摘', PublicOpinion.MaxSummaryLength + 1), Office, clock)));
        Assert.Null(opinion.Reply);

        opinion.Answer("已查处。", publishable: true, " 反映河涌偷排。 ", Office, clock);
        Assert.Equal(("反映河涌偷排。", true), (opinion.PublicSummary, opinion.ReplyIsPublishable));

        opinion.Answer("已查处，不公开。", publishable: false, null, Office, clock);
        Assert.Equal((null, false), (opinion.PublicSummary, opinion.ReplyIsPublishable));
    }

    [Fact]
    public void Typed_text_is_kept_without_invisible_or_direction_changing_characters_and_a_line_break_counts_once()
    {
        Assert.Null(PlainText.Clean("\u200b\u200b \u202e "));

        // Blanks that pass for characters, and marks with nothing to sit on, leave nothing.
        foreach (var blank in new[] { "\u3164", "\u115F\u1160", "\u2800", "\u180E", "\u034F", "\u00AD", "\uFFA0", "\uFE0F", "\u0301", "\u3000\u3164\u00A0" })
        {
            Assert.Null(PlainText.Clean(blank));
        }

        Assert.Equal("❤️ 好", PlainText.Clean("❤️ 好"));
        Assert.Equal("e\u0301", PlainText.Clean("e\u0301"));
        Assert.Equal("已办结完成未", PlainText.Clean("已办结\u202e完成未\u202c"));
        Assert.Equal("第一行\n第二行\t完", PlainText.Clean(" 第一行\r\n第二行\t完\u0007\u001b "));

        var opinion = NewOpinion();
        opinion.Assign(null, 42, null, clock);
        Assert.Equal(nameof(PublicOpinion.AUnitResponseSaysSomething), RuleOf(() => opinion.RespondAsUnit("\u200b\u200b\u200b", Unit, clock)));
        Assert.Equal(nameof(PublicOpinion.APublicReplyHasASummary), RuleOf(() => opinion.Answer("已查处。", publishable: true, "\u200b", Office, clock)));

        // 2,000 characters as a browser counts them (a line break is one) are taken.
        var lines = string.Concat(Enumerable.Repeat(new string('办', 199) + "\r\n", 10));
        opinion.RespondAsUnit(lines, Unit, clock);
        Assert.Equal(1999, opinion.UnitResponse!.Length);
    }
}
