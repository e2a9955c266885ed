using Rectify.Documents;

namespace Rectify.UnitTests.Notices;

/// <summary>
/// A 整改方案 written as text, not as a table: under each problem "整改措施：一是…二是…" and labelled lines naming
/// 责任领导, 牵头单位 (责任单位), 配合单位 and 完成时限, for the whole list or for each measure. Fixtures in our own words.
/// </summary>
public sealed class PlanTextTests
{
    /// <summary>Labels on lines of their own after each problem's list: they are the problem's, for every measure.</summary>
    private const string LabelsAfterTheList = """
        西岭镇党委关于落实县委第二巡察组反馈意见的整改方案
        一、关于党建工作责任落实方面
        1.村级党组织换届后培训不到位
        整改措施：一是制定新任村干部培训计划，分期分批完成培训。二是建立培训档案，年底前开展一次考核。
        责任领导：周某某
        牵头单位：组织办
        配合单位：党政办、各村党组织
        完成时限：2026年12月底前
        2.集体资产台账不全
        整改措施：
        一是全面清查村集体资产，补登台账。
        二是建立资产变动月报制度。
        责任领导：吴某某
        牵头单位：三资管理中心
        完成时限：长期坚持
        """;

    /// <summary>Each measure with its own labels, in brackets after it or on a line of its own after it.</summary>
    private const string LabelsAfterEachMeasure = """
        西岭镇党委关于落实县委第二巡察组反馈意见的整改方案
        一、关于基层治理方面
        1.矛盾纠纷化解机制不健全
        一是建立镇村两级矛盾纠纷排查台账（责任领导：郑某某；牵头单位：综治办；完成时限：2026年10月31日前）。二是每季度召开一次联席会议（责任领导：郑某某；责任单位：司法所、派出所；完成时限：长期坚持）。
        2.网格员队伍不稳定
        一是修订网格员考核办法。
        责任领导：钱某某 牵头单位：社会事务办 完成时限：2026年9月30日
        二是落实网格员补贴动态调整。
        责任领导：孙某某 牵头单位：财政所 完成时限：2026年12月31日
        """;

    [Fact]
    public void Labels_after_a_problems_list_go_to_each_of_its_measures_and_are_not_a_measure()
    {
        var reading = NoticeReader.Read(LabelsAfterTheList);
        var findings = reading.Document.Categories.SelectMany(c => c.Findings).ToList();

        Assert.Equal("县委第二巡察组", reading.Document.Inspection.Team);
        Assert.Equal("西岭镇党委", reading.Document.Inspection.Target);
        Assert.Equal([2, 2], findings.Select(f => f.Measures.Count));
        Assert.Equal("制定新任村干部培训计划，分期分批完成培训。", findings[0].Measures[0].Text);
        Assert.Equal("建立培训档案，年底前开展一次考核。", findings[0].Measures[1].Text);
        Assert.All(findings[0].Measures, m => Assert.Equal(("周某某", "组织办", "党政办、各村党组织", "2026年12月底前"), (m.Leader, m.Unit, m.SupportingUnits, m.Deadline)));
        Assert.Equal("建立资产变动月报制度。", findings[1].Measures[1].Text);
        Assert.All(findings[1].Measures, m => Assert.Equal(("吴某某", "三资管理中心", (string?)null, "长期坚持"), (m.Leader, m.Unit, m.SupportingUnits, m.Deadline)));
        Assert.DoesNotContain(findings.SelectMany(f => f.Measures), m => m.Text.Contains("整改措施", StringComparison.Ordinal) || m.Text.Contains("责任领导", StringComparison.Ordinal));
        Assert.DoesNotContain(reading.Notes, n => n.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void The_draft_of_a_text_plan_has_its_leaders_units_and_deadlines()
    {
        var draft = Rectify.Features.Intake.NoticeIntake.ToDraft(NoticeReader.Read(LabelsAfterTheList));
        var measures = draft.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).ToList();

        Assert.Equal(4, measures.Count);
        Assert.Equal(("周某某", "组织办", new DateOnly(2026, 12, 31)), (measures[0].ResponsibleLeader, measures[0].LeadUnit, measures[0].Deadline));
        Assert.Equal(["党政办", "各村党组织"], measures[0].SupportingUnits);
        Assert.Equal(("吴某某", "三资管理中心"), (measures[3].ResponsibleLeader, measures[3].LeadUnit));
        Assert.Equal(Rectify.Domain.MeasureKind.Ongoing, measures[3].Kind);
    }

    [Fact]
    public void Labels_after_one_measure_are_that_measures_own()
    {
        var reading = NoticeReader.Read(LabelsAfterEachMeasure);
        var findings = reading.Document.Categories.SelectMany(c => c.Findings).ToList();

        Assert.Equal([2, 2], findings.Select(f => f.Measures.Count));
        Assert.Equal("建立镇村两级矛盾纠纷排查台账", findings[0].Measures[0].Text);
        Assert.Equal(("郑某某", "综治办", "2026年10月31日前"), (findings[0].Measures[0].Leader, findings[0].Measures[0].Unit, findings[0].Measures[0].Deadline));
        Assert.Equal(("司法所、派出所", "长期坚持"), (findings[0].Measures[1].Unit, findings[0].Measures[1].Deadline));
        Assert.Equal("修订网格员考核办法。", findings[1].Measures[0].Text);
        Assert.Equal(("钱某某", "社会事务办", "2026年9月30日"), (findings[1].Measures[0].Leader, findings[1].Measures[0].Unit, findings[1].Measures[0].Deadline));
        Assert.Equal(("孙某某", "财政所", "2026年12月31日"), (findings[1].Measures[1].Leader, findings[1].Measures[1].Unit, findings[1].Measures[1].Deadline));
    }

    [Fact]
    public void A_label_mentioned_in_passing_stays_in_the_measures_text()
    {
        const string text = """
            西岭镇党委关于落实县委第二巡察组反馈意见的整改方案
            一、关于作风建设方面
            1.督查检查过多过频
            一是精简督查检查事项，明确由党政办统筹，各责任单位：不得自行增加检查频次，确需开展的须报镇党委同意后实施，并在月度例会上通报执行情况，接受干部群众监督。
            """;
        var measure = Assert.Single(NoticeReader.Read(text).Document.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures));

        Assert.Contains("各责任单位：不得自行增加", measure.Text, StringComparison.Ordinal);
        Assert.Null(measure.Unit);
    }

    [Fact]
    public void Two_notices_in_one_file_are_an_error_naming_where_the_second_begins()
    {
        var one = GenreFixtures.LayoutC;
        var reading = NoticeReader.Read(one + "\n" + one + "\n" + one);

        var error = Assert.Single(reading.Notes, n => n.Severity == NoteSeverity.Error);
        Assert.Contains("共有 3 份", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Paragraph);
        Assert.DoesNotContain(NoticeReader.Read(one).Notes, n => n.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void A_long_paragraph_of_label_like_words_stays_the_measures_text()
    {
        var noise = string.Concat(Enumerable.Repeat("责任人：；", 40_000));
        var text = $"""
            西岭镇党委关于落实县委第二巡察组反馈意见的整改方案
            一、关于作风建设方面
            1.会议过多
            一是精简会议。{noise}
            """;
        // Only the text's last stretch is searched for labels (40,000 candidates each checked to the end took minutes).
        var measure = Assert.Single(NoticeReader.Read(text).Document.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures));

        Assert.StartsWith("精简会议。责任人：", measure.Text, StringComparison.Ordinal);
        Assert.Null(measure.Leader);
    }

    [Fact]
    public void A_kind_marked_in_brackets_or_labelled_is_the_measures_kind_and_the_text_keeps_its_mark()
    {
        const string text = """
            东川街道党工委关于县委第一巡察组反馈问题的整改方案
            一、关于财务管理方面
            1.公务接待审批不规范
            一是立即清理今年以来的接待单据并补办审批手续（立行立改）。
            二是【长期坚持】每季度通报一次接待支出情况。
            三是修订公务接待管理办法。整改类型：限期整改；完成时限：2026年11月30日前
            四是开展一次财务制度培训（牵头单位：财政所）。
            """;
        var measures = NoticeReader.Read(text).Document.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).ToList();

        Assert.Equal(["立行立改", "长期坚持", "限期整改", null], measures.Select(m => m.Kind));
        Assert.Equal("立即清理今年以来的接待单据并补办审批手续（立行立改）。", measures[0].Text);
        Assert.Equal("修订公务接待管理办法。", measures[2].Text);
        Assert.Equal("2026年11月30日前", measures[2].Deadline);
        Assert.Equal("财政所", measures[3].Unit);

        // In passing, mid-sentence, a bracketed word is no mark.
        var passing = NoticeReader.Read(text.Replace("四是开展一次财务制度培训（牵头单位：财政所）。", "四是对（立行立改）事项建立销号清单。", StringComparison.Ordinal))
            .Document.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).Last();
        Assert.Null(passing.Kind);
    }
}
