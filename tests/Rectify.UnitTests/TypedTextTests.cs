using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>
/// Every text a person types, or a document brings in, is kept as <see cref="PlainText"/> keeps it, wherever the domain
/// takes it: no direction-changing or zero-width character (a measure's text that reads otherwise than it is stored would
/// reach the public notice), and a text of blanks that pass for characters is empty, so the rule asking for it refuses.
/// </summary>
public sealed class TypedTextTests
{
    private static readonly Actor Office = new("u-office", "整改办");
    private static readonly Actor Unit = new("u-unit", "联络员");

    private readonly FakeClock clock = new(new DateTimeOffset(2025, 1, 10, 2, 0, 0, TimeSpan.Zero));

    private static string RuleOf(Action action) => Assert.Throws<BusinessRuleViolationException>(action).RuleName;

    private static (Inspection Inspection, Organization Unit, Finding Finding) Tree()
    {
        var city = new Organization("中共东莞市委员会", OrganizationKind.PartyCommittee);
        var team = new Organization("市委第七巡察组", OrganizationKind.InspectionTeam, city);
        var target = new Organization("中共万江街道工作委员会", OrganizationKind.PartyCommittee, city);
        var unit = new Organization("党政综合办公室", OrganizationKind.Department, target);
        var inspection = new Inspection("巡察", InspectionKind.Xuncha, team, target, new DateOnly(2024, 3, 25), new DateOnly(2024, 5, 10), new DateOnly(2024, 8, 15));
        var category = new FindingCategory(inspection, 1, "关于…方面");
        return (inspection, unit, new Finding(category, 13, "筑牢工程廉政防线"));
    }

    [Fact]
    public void One_line_keeps_its_words_with_one_space_where_lines_were()
    {
        Assert.Equal("党政综合 办公室", PlainText.Line("  党政综合\r\n\t 办公室\u200b "));
        Assert.Equal("万江〔2025〕12号", PlainText.Line("万江\u2066〔2025〕12号\u2069"));
        Assert.Null(PlainText.Line("\u3164 \u2800"));
        Assert.True(PlainText.IsBlank("\u00AD\u034F"));
        Assert.False(PlainText.IsBlank("办"));
    }

    [Fact]
    public void Format_characters_beyond_the_listed_ones_and_beyond_the_bmp_are_removed_and_count_as_nothing()
    {
        // Tag characters, musical formatting, a supplementary variation selector, the Kaithi and shorthand format
        // characters, noncharacters: each alone is nothing.
        foreach (var hidden in new[] { "\U000E0041\U000E0042", "\U0001D173\U0001D17A", "\U000E0100", "\U000110BD", "\U0001BCA0", "\uFDD0", "\U0010FFFF", "\u2028\u2029\u0085" })
        {
            Assert.Null(PlainText.Clean(hidden));
        }

        Assert.Equal("财政分局", PlainText.Line("财政\U0001D173分局\U000E0041"));
        Assert.Equal("第一行\n第二行\n第三行", PlainText.Clean("第一行\u2028第二行\u0085第三行"));
        Assert.Equal("标题 续", PlainText.Line("标题\u2029续"));

        // A character beyond the BMP that shows is kept (a rare 汉字 of Extension B, an emoji).
        Assert.Equal("𠀋😀", PlainText.Clean("\u200b𠀋😀\U000E0020"));
    }

    [Fact]
    public void Names_and_titles_are_one_clean_line_and_a_blank_one_is_refused()
    {
        var (inspection, _, finding) = Tree();
        Assert.Equal("财政分局 预算股", new Organization("财政分局\n预算股\u202e", OrganizationKind.Department).Name);
        Assert.Equal("张三", new Person("\u200b张三\u200d", "副书记", inspection.InspectedOrganization).Name);
        Assert.Throws<ArgumentException>(() => new Organization("\u3164\u3164", OrganizationKind.Department));
        Assert.Throws<ArgumentException>(() => new FindingCategory(inspection, 2, "\u2800"));
        Assert.Equal("关于 作风方面", new FindingCategory(inspection, 3, "关于\r\n作风方面").Title);
        finding.Revise(finding.Category, "\u202e筑牢工程廉政防线\u202c");
        Assert.Equal("筑牢工程廉政防线", finding.Title);
        finding.RestateProblem("\u200b\u3164");
        Assert.Null(finding.ProblemStatement);
    }

    [Fact]
    public void A_measures_text_reads_as_it_is_stored_and_blank_text_is_refused()
    {
        var (_, _, finding) = Tree();
        var measure = finding.AddMeasure(1, "填补招投标\u202e制度漏洞\u202c。\r\n建立台账。", MeasureKind.TimeBound);
        Assert.Equal("填补招投标制度漏洞。\n建立台账。", measure.Text);
        Assert.Throws<ArgumentException>(() => finding.AddMeasure(2, "\u3164\u200b", MeasureKind.TimeBound));
        Assert.Equal(nameof(AMeasureSaysWhatIsDone), RuleOf(() => measure.Amend(new MeasureChange { Text = "\u2800" }, Office, clock, null)));
        measure.WritePublicProgress("\u00AD\u180E");
        Assert.Null(measure.PublicProgress);
    }

    [Fact]
    public void Reasons_replies_and_opinions_of_blanks_are_refused_and_the_rest_kept_clean()
    {
        var (inspection, unit, finding) = Tree();
        var measure = finding.AddMeasure(1, "填补招投标制度漏洞。", MeasureKind.TimeBound);
        measure.Plan(MeasureKind.TimeBound, new DateOnly(2025, 2, 15), null, null);
        measure.Start(Unit, clock);
        Assert.Equal(nameof(AReasonIsRequired), RuleOf(() => DeadlineExtension.Request(measure, 1, false, new DateOnly(2025, 3, 1), "\u3164", ChinaTime.Today(clock), Unit, clock)));
        var extension = DeadlineExtension.Request(measure, 1, false, new DateOnly(2025, 3, 1), "\u202e需要\u202c更多时间", ChinaTime.Today(clock), Unit, clock);
        Assert.Equal("需要更多时间", extension.Reason);

        var duban = SupervisionNotice.IssueDuban(inspection, unit, [measure], 1, 2025, 1, "关于\n督促整改", "请\u200b加快进度。", "书面回复", new DateOnly(2025, 1, 20), ChinaTime.Today(clock), Office, clock);
        Assert.Equal(("关于 督促整改", "请加快进度。"), (duban.Title, duban.Content));
        Assert.NotEmpty(RuleOf(() => duban.ReplyWith("\u2800\u2800", Unit, clock)));
        duban.ReplyWith("已\u2066整改\u2069。", Unit, clock);
        Assert.Equal("已整改。", duban.Reply);

        Assert.Equal(nameof(PublicOpinion.AnOpinionSaysSomething), RuleOf(() => _ = new PublicOpinion(1, 1, "ABCDEFGHJKMN", "\u3164\u3164\u3164", null, null, clock)));
        var opinion = new PublicOpinion(1, 1, "ABCDEFGHJKMN", "河涌\u202e排偷\u202c仍有。", "137\n0000 1234\u200b", null, clock);
        Assert.Equal(("河涌排偷仍有。", "137 0000 1234"), (opinion.Text, opinion.Contact));
        Assert.Null(new PublicOpinion(1, 1, "ABCDEFGHJKMN", "有意见。", "\u200b\u3164", null, clock).Contact);
    }

    [Fact]
    public void A_notice_draft_is_kept_clean_and_a_document_is_written_even_from_text_kept_before()
    {
        var draft = new Rectify.Features.Publications.PublicationDraft(
            "关于\u202e巡察整改\n进展情况的公告", "根据\u0007安排。", "一、\u200b主体责任", [new("（一）\u3164", "压实\U000E0041责任。"), new("\u2800", "\u200b")], "二、任务",
            new(), null, "三、下一步", [], "欢迎监督。", null, null, "0769-\n12345678", null, null, null, "中共\u2066万江街道工作委员会\u2069", new DateOnly(2026, 12, 1));
        var kept = draft.Cleaned();
        Assert.Equal(("关于巡察整改 进展情况的公告", "根据安排。", "一、主体责任"), (kept.Title, kept.Intro, kept.ResponsibilityHeading));
        Assert.Equal([new("（一）", "压实责任。")], kept.Responsibility);
        Assert.Equal(("0769- 12345678", "中共万江街道工作委员会"), (kept.Phone, kept.Issuer));

        Assert.Equal("压实责任。𠀋", Rectify.Documents.Gongwen.GongwenWriter.XmlSafe("压实\u0007责任\uFFFE。\uD800𠀋"));
        Assert.Same("已整改。", Rectify.Documents.Gongwen.GongwenWriter.XmlSafe("已整改。"));
    }
}
