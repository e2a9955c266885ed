using System.Text;
using Rectify.Demo;
using Rectify.Documents;

namespace Rectify.UnitTests.Notices;

/// <summary>The tolerant reader on each variant of the genre (issue #11), each file encoding and Word documents.</summary>
public sealed class NoticeGenreTests
{
    static NoticeGenreTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Layout_b_in_traditional_characters_reads_findings_under_one_implicit_category()
    {
        var r = NoticeReader.Read(GenreFixtures.LayoutB);
        var n = r.Document;

        Assert.Equal(NoticeKind.Notice, r.Kind);
        Assert.Equal("區委第三巡察組", n.Inspection.Team);
        Assert.Equal("區農業農村局黨組", n.Inspection.Target);
        Assert.True(n.Inspection.IsSpecial);
        Assert.False(n.Inspection.IsXunshi);
        Assert.True(n.Inspection.OnSitePeriodIsApproximate);
        Assert.Equal(new DateOnly(2023, 8, 21), n.Inspection.OnSiteFrom);
        Assert.Equal(new DateOnly(2023, 9, 30), n.Inspection.OnSiteTo);
        Assert.Equal(new DateOnly(2023, 11, 20), n.Inspection.FeedbackDate);
        Assert.Equal("中共某某區農業農村局黨組關於巡察整改進展情況的通報", r.Title);

        var category = Assert.Single(n.Categories);
        Assert.True(category.IsImplicit);
        Assert.Equal("整改進展情況及成效", category.Title);
        Assert.Equal([1, 2], category.Findings.Select(f => f.Number));
        Assert.Equal("關於“糧食安全責任落實不到位”問題的整改", category.Findings[0].Title);
        Assert.Equal([2, 3], category.Findings.Select(f => f.Measures.Count));
        Assert.Equal("建立資金撥付公示制度，接受群眾監督。", category.Findings[1].Measures[1].Text);
        Assert.Equal(["提高政治站位", "壓實整改責任"], n.Responsibility.Select(p => p.Heading));
        Assert.Single(n.NextSteps);

        Assert.Equal(new DateOnly(2024, 1, 24), n.Disclosure!.To);
        Assert.Equal("0571-87654321", n.Disclosure.Phone);
        Assert.Equal("nyjdz@example.cn", n.Disclosure.Email);
        Assert.Equal("某某區府前路1號", n.Disclosure.PostalAddress);
        Assert.Equal("310000", n.Disclosure.Postcode);
        Assert.Equal("中共某某區農業農村局黨組", n.Issuer);
        Assert.Equal(new DateOnly(2024, 1, 10), n.Date);

        // The implicit category and the estimated period are told, located; the page noise is only mentioned.
        Assert.Contains(r.Notes, x => x.Severity == NoteSeverity.Warning && x.Message.Contains("默认类别", StringComparison.Ordinal));
        Assert.Contains(r.Notes, x => x.Paragraph == 3 && x.Message.Contains("8月下旬至9月底", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
        Assert.InRange(r.Confidence.Structure, 0.5, 0.95);
    }

    [Fact]
    public void Layout_c_reads_top_level_categories_and_run_on_measures()
    {
        var r = NoticeReader.Read(GenreFixtures.LayoutC);
        var n = r.Document;

        Assert.Equal("中央第三巡视组", n.Inspection.Team);
        Assert.Equal("某某省", n.Inspection.Target);
        Assert.True(n.Inspection.IsXunshi);
        Assert.Equal(new DateOnly(2022, 2, 18), n.Inspection.FeedbackDate);
        Assert.Equal(["在贯彻落实党中央重大决策部署方面", "在落实全面从严治党责任方面"], n.Categories.Select(c => c.Title));
        Assert.All(n.Categories, c => Assert.False(c.IsImplicit));
        Assert.Equal([1, 2, 3], n.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal([2, 3, 2], n.Categories.SelectMany(c => c.Findings).Select(f => f.Measures.Count));
        Assert.Equal("关于推动区域协调发展办法不多的问题", n.Categories[0].Findings[0].Title);
        Assert.Equal("完善生态环境损害赔偿制度。", n.Categories[0].Findings[1].Measures[1].Text);
        Assert.Equal(2, n.NextSteps.Count);
        Assert.Equal("010-12345678", n.Disclosure!.Phone);
        Assert.Equal("中共某某省委", n.Issuer);
        Assert.DoesNotContain(r.Notes, x => x.Severity != NoteSeverity.Info);
        Assert.True(r.Confidence.Overall > 0.8, r.Confidence.ToString());
    }

    [Fact]
    public void Layout_d_reads_prose_responsibility_sub_items_and_the_statistics_as_numbers()
    {
        var r = NoticeReader.Read(GenreFixtures.LayoutD);
        var n = r.Document;

        Assert.Equal("县委第二巡察组", n.Inspection.Team);
        Assert.Equal("县文化广电旅游体育局党组", n.Inspection.Target);
        Assert.Equal(2, n.Categories.Count);
        Assert.Equal([1, 2, 3], n.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal([2, 1, 2], n.Categories.SelectMany(c => c.Findings).Select(f => f.Measures.Count));
        Assert.Equal("建立公共文化阵地月巡查制度。", n.Categories[0].Findings[0].Measures[1].Text);
        Assert.Contains(n.Responsibility, p => p.Heading == "成立整改工作领导小组，党组书记任组长");
        Assert.StartsWith("下一步，局党组将持续抓好整改落实", Assert.Single(n.NextSteps).Text, StringComparison.Ordinal);
        Assert.Null(n.Disclosure);
        Assert.Equal("中共某某县文化广电旅游体育局党组", n.Issuer);
        Assert.Equal(new DateOnly(2023, 12, 20), n.Date);

        var s = r.Statistics;
        Assert.Equal(18, s.Problems);
        Assert.Equal(15, s.Completed);
        Assert.Equal(3, s.InProgress);
        Assert.Equal(83.3m, s.CompletionRate);
        Assert.Equal(64, s.Measures);
        Assert.Equal(125_000m, s.AmountYuan);
        Assert.Equal(6, s.PeopleHandled);
        Assert.Equal(9, s.RulesMade);
        Assert.All(s.Figures, f => Assert.Equal(2, f.Paragraph));
    }

    [Fact]
    public void Problems_counted_after_their_areas_and_measures_completed_keep_their_own_units()
    {
        var text = GenreFixtures.LayoutC.Replace(
            "一、在",
            "省委针对反馈的3个方面12个问题，制定整改措施45条，目前已完成41条，正在推进4条。\n一、在",
            StringComparison.Ordinal);
        var s = NoticeReader.Read(text).Statistics;

        Assert.Equal(12, s.Problems);
        Assert.Equal(45, s.Measures);

        // 条 are measures: not the count of problems completed or under way.
        Assert.Null(s.Completed);
        Assert.Null(s.InProgress);
        Assert.Contains(s.Figures, f => (f.Label, f.Value, f.Unit) == ("已完成整改措施", 41m, "条"));
        Assert.Contains(s.Figures, f => (f.Label, f.Value, f.Unit) == ("正在推进的整改措施", 4m, "条"));
    }

    [Fact]
    public void Measures_completed_are_not_the_count_of_measures()
    {
        var s = NoticeReader.Read(GenreFixtures.LayoutC.Replace("一、在", "共制定整改措施45条，已完成41条整改措施。\n一、在", StringComparison.Ordinal)).Statistics;
        Assert.Equal(45, s.Measures);
        Assert.Contains(s.Figures, f => (f.Label, f.Value, f.Unit) == ("已完成整改措施", 41m, "条"));
    }

    [Fact]
    public void A_round_summary_is_recognised_and_gives_statistics_never_findings()
    {
        var r = NoticeReader.Read(GenreFixtures.RoundSummary);

        Assert.Equal(NoticeKind.RoundSummary, r.Kind);
        Assert.True(r.HasStructure);
        Assert.Empty(r.Document.Categories);
        Assert.Equal(12, r.Statistics.UnitsCovered);
        Assert.Equal(236, r.Statistics.Problems);
        Assert.Equal(221, r.Statistics.Completed);
        Assert.Equal(93.6m, r.Statistics.CompletionRate);
        Assert.Equal(812, r.Statistics.Measures);
        Assert.Equal(864_000m, r.Statistics.AmountYuan);
        Assert.True(r.Document.Inspection.OnSitePeriodIsApproximate);
        Assert.Equal(new DateOnly(2023, 5, 31), r.Document.Inspection.OnSiteTo);
        Assert.Throws<NoticeParseException>(() => NoticeParser.Strict(r));
    }

    [Fact]
    public void Bracketed_measure_labels_and_a_paragraph_beginning_with_bianji_are_content_not_page_noise()
    {
        var r = NoticeReader.Read(GenreFixtures.BracketLabels);
        var n = r.Document;

        Assert.Equal(NoticeKind.Notice, r.Kind);
        var category = Assert.Single(n.Categories);
        Assert.Equal("关于森林资源保护方面", category.Title);
        Assert.Equal([1, 2], category.Findings.Select(f => f.Number));
        Assert.Equal([2, 1], category.Findings.Select(f => f.Measures.Count));
        Assert.Equal("对近三年林地占用审核材料逐件复查。", category.Findings[0].Measures[0].Text);
        Assert.Equal("制定林地占用审核内部会商规则。\n【整改进展】已完成，复查材料41件。", category.Findings[0].Measures[1].Text);
        Assert.Equal("推行护林员手机巡护打卡，按月通报。\n【整改进展】持续整改。", category.Findings[1].Measures[0].Text);
        Assert.Contains(n.Responsibility, p => p.Text == "编辑印发《护林员巡护工作指引》，发到每一名护林员手中。");

        // The dateline, the editor's byline and the buttons are still page noise: three paragraphs, mentioned only.
        Assert.Contains(r.Notes, x => x.Severity == NoteSeverity.Info && x.Message.Contains("网页杂项", StringComparison.Ordinal) && x.Message.Contains("）3 段", StringComparison.Ordinal));
        Assert.Equal("中共某某县林业局党组", n.Issuer);
        Assert.Equal(new DateOnly(2025, 11, 3), n.Date);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void A_unit_notice_naming_its_round_or_an_extended_inspection_is_a_notice_not_a_round_summary()
    {
        // The fixture has both phrases; each alone must not make a round summary either.
        string[] texts =
        [
            GenreFixtures.RoundNamedUnitNotice,
            GenreFixtures.RoundNamedUnitNotice.Replace("，并对其所属4个基层党组织开展了延伸巡察", string.Empty, StringComparison.Ordinal),
            GenreFixtures.RoundNamedUnitNotice.Replace("关于十届区委第三轮巡察整改", "关于区委巡察整改", StringComparison.Ordinal),
        ];
        foreach (var text in texts)
        {
            var r = NoticeReader.Read(text);
            var n = r.Document;

            Assert.Equal(NoticeKind.Notice, r.Kind);
            Assert.Null(r.Statistics.UnitsCovered);
            Assert.Equal(["关于水利工程建设管理方面", "关于干部队伍建设方面"], n.Categories.Select(c => c.Title));
            Assert.Equal([1, 2, 3], n.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
            Assert.Equal([2, 1, 2], n.Categories.SelectMany(c => c.Findings).Select(f => f.Measures.Count));
            Assert.Equal("工程变更审批不规范", n.Categories[0].Findings[0].Title);
            Assert.Equal("梳理近三年工程变更事项，逐项补齐审批手续。", n.Categories[0].Findings[0].Measures[0].Text);
            Assert.Equal("按季度制定抽检计划，抽检结果在局内通报。", n.Categories[0].Findings[1].Measures[0].Text);
            Assert.Equal("与职业院校共建实习基地。", n.Categories[1].Findings[0].Measures[1].Text);
            Assert.Equal("区水务局党组", n.Inspection.Target);
            Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
        }
    }

    [Fact]
    public void Ordinals_joined_by_commas_split_when_they_run_from_one()
    {
        const string Text = """
            中共某某区人社局党组关于巡察整改进展情况的通报

            根据区委统一部署，区委第三巡察组于2025年4月至6月对局党组开展了巡察，并于2025年8月反馈了巡察意见。现将整改进展情况通报如下。

            一、基金监管方面
            （一）补贴发放审核不严
            一是全面复核近两年补贴发放，二是追回多发资金，三是建立部门间数据比对机制。
            （二）培训机构管理松散
            对培训机构开展信用评级，二是指其中的民办机构也纳入评级。

            中共某某区人社局党组
            2025年12月1日
            """;
        var findings = Assert.Single(NoticeReader.Read(Text).Document.Categories).Findings;

        Assert.Equal(["全面复核近两年补贴发放，", "追回多发资金，", "建立部门间数据比对机制。"], findings[0].Measures.Select(m => m.Text));
        // "二是" after a comma with no 一是 before it is words, not a list: one measure, as written.
        Assert.Equal(["对培训机构开展信用评级，二是指其中的民办机构也纳入评级。"], findings[1].Measures.Select(m => m.Text));
    }

    [Fact]
    public void A_bare_label_before_the_measures_is_not_a_measure()
    {
        var r = NoticeReader.Read(GenreFixtures.BareLabels);
        var findings = Assert.Single(r.Document.Categories).Findings;

        Assert.Equal(NoticeKind.Notice, r.Kind);
        Assert.Equal(["基层统计台账不健全", "统计执法检查偏少", "统计人员培训不足"], findings.Select(f => f.Title));
        Assert.Equal([2, 2, 1], findings.Select(f => f.Measures.Count));
        Assert.Equal(["制定基层统计台账规范；", "每半年抽查一次台账。"], findings[0].Measures.Select(m => m.Text));
        Assert.Equal(["将执法检查纳入年度计划。", "公开曝光典型违法案件。"], findings[1].Measures.Select(m => m.Text));

        // A label with its measure after it keeps its words, as before.
        Assert.Equal("整改情况：举办全市统计业务培训班两期。", findings[2].Measures.Single().Text);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void Circled_digits_are_a_level_below_parenthesised_numbers()
    {
        var r = NoticeReader.Read(GenreFixtures.ArabicTopCircledMeasures);
        var n = r.Document;

        Assert.Equal(NoticeKind.Notice, r.Kind);
        Assert.Equal(["关于服务港口发展大局方面", "关于全面从严治党方面"], n.Categories.Select(c => c.Title));
        Assert.All(n.Categories, c => Assert.False(c.IsImplicit));
        var findings = n.Categories.SelectMany(c => c.Findings).ToList();
        Assert.Equal(["集疏运通道建设推进迟缓", "岸线资源使用效率不高", "工程分包监管不到位"], findings.Select(f => f.Title));
        Assert.Equal([2, 1, 2], findings.Select(f => f.Measures.Count));
        Assert.Equal(5, n.MeasureCount);
        Assert.Equal(["编制港区集疏运通道建设三年计划，逐月调度。", "与铁路部门建立联席会议制度。"], findings[0].Measures.Select(m => m.Text));
        Assert.Equal("清理闲置岸线，收回低效使用泊位两个。", findings[1].Measures.Single().Text);
        Assert.Equal("将分包违规情况纳入供应商信用评价。", findings[2].Measures[1].Text);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void Findings_labelled_wen_ti_with_measures_and_progress_labels_are_read()
    {
        var r = NoticeReader.Read(GenreFixtures.LabelledFindings);
        var n = r.Document;

        Assert.Equal(NoticeKind.Notice, r.Kind);
        Assert.Equal(["贯彻落实上级决策部署方面", "全面从严治党方面"], n.Categories.Select(c => c.Title));
        var findings = n.Categories.SelectMany(c => c.Findings).ToList();
        Assert.Equal(["林长制工作推进不平衡", "森林防火宣传覆盖面不广", "公务接待审批不规范"], findings.Select(f => f.Title));
        Assert.Equal([1, 2, 3], findings.Select(f => f.Number));
        Assert.Equal([1, 2, 2], findings.Select(f => f.Measures.Count));

        // The progress runs on into the measure before it, as in every other layout; the labels of measures go.
        Assert.Equal("制定林长巡林工作规范，按季度通报各乡镇巡林情况。\n整改进展：已完成。第三季度通报1次。", findings[0].Measures.Single().Text);
        Assert.Equal(["在重点林区增设防火宣传牌；", "在清明、春节期间开展进村入户宣传。\n整改进展：正在推进，已增设宣传牌36块。"], findings[1].Measures.Select(m => m.Text));

        // Under "整改措施：" on a line of its own, each paragraph is a measure, until the progress.
        Assert.Equal(["修订公务接待管理办法。", "对2024年以来接待清单逐笔核查。\n整改进展：已完成，退还不规范报销费用0.3万元。"], findings[2].Measures.Select(m => m.Text));
        Assert.Equal("局党组召开专题会议研究部署整改工作，成立整改工作领导小组。", Assert.Single(n.Responsibility).Text);
        Assert.Equal("局党组将持续跟踪整改成效，建立长效机制。", Assert.Single(n.NextSteps).Text);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void Findings_headed_by_a_bracketed_label_without_categories_are_read()
    {
        var r = NoticeReader.Read(GenreFixtures.BracketedFindingLabels);
        var category = Assert.Single(r.Document.Categories);
        Assert.True(category.IsImplicit);
        Assert.Equal(["公共文化场馆免费开放不到位", "体育场地设施维护不及时"], category.Findings.Select(f => f.Title));
        Assert.Equal([1, 2], category.Findings.Select(f => f.Number));
        Assert.Equal(["全面公开场馆开放时间和服务项目。", "设立群众意见箱，每月汇总答复。"], category.Findings[0].Measures.Select(m => m.Text));
        Assert.Equal("建立场地设施巡检台账。\n整改进展：已完成首轮巡检，维修器材42件。", category.Findings[1].Measures.Single().Text);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    private const string ArchivesIntro = "根据市委统一部署，2025年3月3日至4月30日，市委第二巡察组对市档案馆党组开展了巡察。2025年6月5日，市委巡察组向市档案馆党组反馈了巡察意见。现将整改进展情况予以公布。";

    [Fact]
    public void Numbered_measures_under_a_labelled_finding_are_its_measures_not_findings()
    {
        var text = string.Join(
            "\n",
            ArchivesIntro,
            "（一）关于档案管理方面",
            "【问题1】档案数字化进度滞后。",
            "整改措施：",
            "1.制定数字化推进计划，",
            "按季度调度。",
            "2.采购扫描设备。",
            "整改进展：已完成60%。",
            "问题2：库房温湿度不达标。",
            "1.更换库房空调设备。",
            "2.安装温湿度监测仪。",
            "（二）关于安全管理方面",
            "问题3：消防通道堆放杂物。",
            "整改措施：清理消防通道。",
            "联系电话：0123-4567890",
            "中共某某市档案馆党组",
            "2025年10月1日");
        var r = NoticeReader.Read(text);

        var findings = r.Document.Categories.SelectMany(c => c.Findings).ToList();
        Assert.Equal(["档案数字化进度滞后", "库房温湿度不达标", "消防通道堆放杂物"], findings.Select(f => f.Title));
        Assert.Equal(["制定数字化推进计划，\n按季度调度。", "采购扫描设备。\n整改进展：已完成60%。"], findings[0].Measures.Select(m => m.Text));
        Assert.Equal(["更换库房空调设备。", "安装温湿度监测仪。"], findings[1].Measures.Select(m => m.Text));

        Assert.Equal(["关于档案管理方面", "关于安全管理方面"], r.Document.Categories.Select(c => c.Title));
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void Labelled_findings_without_categories_or_before_the_first_go_to_the_default_category()
    {
        var none = NoticeReader.Read(string.Join("\n", ArchivesIntro, "问题1：档案数字化进度滞后。", "整改措施：制定数字化推进计划。", "问题2：库房温湿度不达标。", "整改措施：更换库房空调设备。"));
        Assert.Equal(["档案数字化进度滞后", "库房温湿度不达标"], Assert.Single(none.Document.Categories).Findings.Select(f => f.Title));
        Assert.DoesNotContain(none.Notes, x => x.Severity == NoteSeverity.Error);

        var before = NoticeReader.Read(string.Join("\n", ArchivesIntro, "问题1：档案数字化进度滞后。", "整改措施：制定数字化推进计划。", "一、关于安全管理方面", "问题2：消防通道堆放杂物。", "整改措施：清理消防通道。"));
        Assert.Equal(2, before.Document.FindingCount);
        Assert.Contains(before.Document.Categories, c => c.IsImplicit && c.Findings.Single().Title == "档案数字化进度滞后");
        Assert.Empty(before.Document.Responsibility);
    }

    [Fact]
    public void A_numbered_list_run_on_in_one_paragraph_and_a_wrapped_line_are_read_as_their_measures()
    {
        var r = NoticeReader.Read(string.Join(
            "\n",
            ArchivesIntro,
            "一、关于安全管理方面",
            "问题1：防火物资储备不足。",
            "整改措施：1.补充购置防火物资一批；2.新建物资储备点3个；3.开展防火实战演练。",
            "问题2：安全检查不到位。",
            "整改措施：",
            "制定年度安全检查计划，",
            "实现库房检查全覆盖。",
            "引入第三方开展安全评估。"));
        var findings = r.Document.Categories.Single().Findings;
        Assert.Equal(["补充购置防火物资一批；", "新建物资储备点3个；", "开展防火实战演练。"], findings[0].Measures.Select(m => m.Text));
        Assert.Equal(["制定年度安全检查计划，\n实现库房检查全覆盖。", "引入第三方开展安全评估。"], findings[1].Measures.Select(m => m.Text));
    }

    [Fact]
    public void Progress_after_a_findings_labels_is_not_the_deadline()
    {
        var r = NoticeReader.Read(string.Join(
            "\n",
            ArchivesIntro,
            "一、关于资金管理方面",
            "问题1：补助资金发放不及时。",
            "【具体措施】",
            "一是全面核查补助资金发放情况。",
            "二是建立补助资金直达机制。",
            "责任领导：陈某某",
            "责任单位：计财科",
            "完成时限：2025年12月底",
            "【完成情况】已完成核查，补发资金86.5万元。"));
        var measures = r.Document.Categories.Single().Findings.Single().Measures;
        Assert.Equal(["全面核查补助资金发放情况。", "建立补助资金直达机制。\n【完成情况】已完成核查，补发资金86.5万元。"], measures.Select(m => m.Text));
        Assert.All(measures, m => Assert.Equal(("陈某某", "计财科", "2025年12月底"), (m.Leader, m.Unit, m.Deadline)));
    }

    [Theory]
    [InlineData("问题（1）库房温湿度不达标。")]
    [InlineData("问题(1)：库房温湿度不达标。")]
    [InlineData("问题（一）库房温湿度不达标。")]
    [InlineData("问题1 库房温湿度不达标。")]
    [InlineData("问题1——库房温湿度不达标。")]
    [InlineData("（问题1）库房温湿度不达标。")]
    [InlineData("第1个问题：库房温湿度不达标。")]
    [InlineData("问题清单1：库房温湿度不达标。")]
    [InlineData("\uFFFD问题1：库房温湿度不达标。")]
    public void The_usual_ways_of_labelling_a_finding_are_read(string head)
    {
        var r = NoticeReader.Read(string.Join("\n", ArchivesIntro, "一、关于档案管理方面", head, "【具体措施】", "更换库房空调设备。", "安装温湿度监测仪。", "目前进展：已完成更换。"));
        var finding = r.Document.Categories.Single().Findings.Single();
        Assert.Equal("库房温湿度不达标", finding.Title);
        Assert.Equal(["更换库房空调设备。", "安装温湿度监测仪。\n目前进展：已完成更换。"], finding.Measures.Select(m => m.Text));
    }

    [Theory]
    [InlineData("问题整改工作有序推进。")]
    [InlineData("问题1.5亿元的资金缺口已补足。")]
    [InlineData("问题线索12件已全部办结。")]
    public void Words_that_begin_with_wen_ti_but_number_no_finding_stay_prose(string paragraph)
    {
        var text = $"""
            根据市委统一部署，2025年3月1日至4月30日，市委第二巡察组对市档案馆党组开展了巡察。2025年6月5日，市委巡察组向市档案馆党组反馈了巡察意见。现将整改进展情况予以公布。
            一、整改任务落实情况
            （一）关于档案安全方面
            1.库房温湿度监测不到位
            一是更换库房温湿度监测设备。
            {paragraph}
            """;
        var finding = NoticeReader.Read(text).Document.Categories.Single().Findings.Single();
        Assert.Equal("库房温湿度监测不到位", finding.Title);
        Assert.EndsWith(paragraph, finding.Measures.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_look_back_intro_with_glosses_and_full_width_digits_is_read()
    {
        const string text = """
            根据省委统一安排，２０２２年４月６日至５月２０日，省委第五巡视组对某某市开展了巡视“回头看”。２０２２年７月８日，省委巡视组向某某市委反馈了巡视“回头看”意见。现将整改进展情况报告如下。
            一、整改任务落实情况
            （一）关于落实生态保护责任方面
            1．关于河湖衛（wèi）生整治不彻底的问题
            一是开展河湖“清四乱”专项行动。
            """;
        var r = NoticeReader.Read(text);
        Assert.True(r.Document.Inspection.IsLookBack);
        Assert.Equal(new DateOnly(2022, 4, 6), r.Document.Inspection.OnSiteFrom);
        Assert.Equal(new DateOnly(2022, 7, 8), r.Document.Inspection.FeedbackDate);
        var finding = r.Document.Categories.Single().Findings.Single();
        Assert.Equal("关于河湖衛生整治不彻底的问题", finding.Title);
        Assert.Equal("开展河湖“清四乱”专项行动。", finding.Measures.Single().Text);
    }

    [Fact]
    public void A_text_without_structure_keeps_its_intro_and_says_why_by_paragraph()
    {
        const string text = "根据区委统一部署，2024年3月1日至4月15日，区委第一巡察组对区教育局党委开展了巡察。5月20日，区委巡察组向区教育局党委反馈了巡察意见。\n局党委高度重视，召开专题会议部署整改。";
        var r = NoticeReader.Read(text);
        Assert.False(r.HasStructure);
        Assert.Equal("区委第一巡察组", r.Document.Inspection.Team);
        Assert.Equal(new DateOnly(2024, 5, 20), r.Document.Inspection.FeedbackDate);
        Assert.Contains(r.Notes, x => x.Severity == NoteSeverity.Error && x.Message.StartsWith("未找到整改任务", StringComparison.Ordinal));
        Assert.Equal(0, r.Confidence.Structure);
        Assert.True(r.Confidence.Intro > 0.9);
    }

    [Fact]
    public void A_utf8_text_with_a_few_damaged_bytes_reads_as_utf8_and_says_where()
    {
        var seed = DemoSeeder.ReadSeedNotice();
        var bytes = Encode(seed, "UTF-8");

        // Three characters cut: each loses its last byte, as a copy cut mid-character does.
        var at = new List<int>();
        for (var i = bytes.Length / 4; at.Count < 3; i += bytes.Length / 5)
        {
            while (bytes[i] < 0xE0)
            {
                i++;
            }

            at.Add(i);
        }

        var damaged = bytes.Where((_, i) => !at.Contains(i - 2)).ToArray();
        var r = NoticeFile.Read(damaged, "notice.txt");

        Assert.Equal("UTF-8", r.Source);
        var note = Assert.Single(r.Notes, n => n.Message.Contains("无法识别", StringComparison.Ordinal));
        Assert.Equal(NoteSeverity.Warning, note.Severity);
        Assert.Contains("3 处", note.Message, StringComparison.Ordinal);
        Assert.Equal(NoticeReader.Read(seed).Document.Inspection.Team, r.Document.Inspection.Team);
        Assert.Equal(72, r.Document.MeasureCount);
    }

    [Theory]
    [InlineData("UTF-8")]
    [InlineData("UTF-8 BOM")]
    [InlineData("GB18030")]
    [InlineData("UTF-16LE")]
    [InlineData("UTF-16BE")]
    [InlineData("UTF-16LE no BOM")]
    public void Every_usual_encoding_of_a_text_file_reads_the_same(string encoding)
    {
        foreach (var text in new[] { DemoSeeder.ReadSeedNotice(), GenreFixtures.LayoutB, GenreFixtures.LayoutC })
        {
            var bytes = Encode(text, encoding);
            var expected = NoticeReader.Read(text);
            var r = NoticeFile.Read(bytes, "notice.txt");
            Assert.Equal(Tree(expected.Document), Tree(r.Document));
            Assert.Equal(expected.Document.Inspection.Team, r.Document.Inspection.Team);
        }

        Assert.Equal(72, NoticeFile.Read(Encode(DemoSeeder.ReadSeedNotice(), encoding)).Document.MeasureCount);
    }

    [Theory]
    [InlineData("notice.doc")]
    [InlineData("notice.wps")]
    public void Word_97_and_wps_files_are_refused_with_how_to_convert_them(string name)
    {
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        var e = Assert.Throws<NoticeParseException>(() => NoticeFile.Read(ole, name));
        Assert.Contains("另存为", e.Message, StringComparison.Ordinal);
        Assert.Contains(".docx", e.Message, StringComparison.Ordinal);
        Assert.Throws<NoticeParseException>(() => NoticeFile.Read(ole, "renamed.txt"));
    }

    [Fact]
    public void A_docx_with_word_list_numbering_reads_like_typed_numbers()
    {
        var bytes = TestDocx.Notice();
        var r = NoticeFile.Read(bytes, "notice.docx");
        var n = r.Document;

        Assert.Equal("docx", r.Source);
        Assert.Equal("市委第六巡察组", n.Inspection.Team);
        Assert.Equal(["提高政治站位", "压实工作责任"], n.Responsibility.Select(p => p.Heading));
        Assert.Equal(["关于落实党建工作责任方面", "关于财务管理方面"], n.Categories.Select(c => c.Title));
        Assert.Equal([1, 2], n.Categories.Select(c => c.Number));

        // Word restarts "1." under each category; the reader numbers the findings on and says so.
        Assert.Equal([1, 2, 3], n.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Contains(r.Notes, x => x.Message.Contains("重新编号", StringComparison.Ordinal));
        Assert.Equal([2, 1, 1], n.Categories.SelectMany(c => c.Findings).Select(f => f.Measures.Count));
        Assert.Single(n.NextSteps);
        Assert.Equal("中共某某街道工作委员会", n.Issuer);
    }

    [Fact]
    public void A_docx_plan_table_gives_measures_with_leader_unit_and_deadline()
    {
        var r = NoticeFile.Read(TestDocx.Plan(), "plan.docx");
        var n = r.Document;

        Assert.True(r.HasStructure);
        Assert.Equal(["关于落实主体责任方面", "关于作风建设方面"], n.Categories.Select(c => c.Title));
        var findings = n.Categories.SelectMany(c => c.Findings).ToList();
        Assert.Equal([1, 2, 3], findings.Select(f => f.Number));
        Assert.Equal("党组会议研究整改不及时", findings[0].Title);

        // One row per measure, the problem cell merged down.
        Assert.Equal(2, findings[0].Measures.Count);
        Assert.Equal(("张某某", "办公室", "2024年6月30日前"), (findings[0].Measures[1].Leader, findings[0].Measures[1].Unit, findings[0].Measures[1].Deadline));

        // One row per problem, the measures as lines of a cell, each with its own unit line.
        Assert.Equal(["修订财务报销细则", "每季度抽查报销凭证", "开展财经纪律专题培训"], findings[1].Measures.Select(m => m.Text));
        Assert.Equal(["财务科", "纪检组", "财务科"], findings[1].Measures.Select(m => m.Unit));
        Assert.All(findings[1].Measures, m => Assert.Equal("李某某", m.Leader));
        Assert.Equal("长期坚持", findings[2].Measures.Single().Deadline);
    }

    internal static byte[] Encode(string text, string encoding) => encoding switch
    {
        "UTF-8" => new UTF8Encoding(false).GetBytes(text),
        "UTF-8 BOM" => [.. new UTF8Encoding(true).GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "GB18030" => Encoding.GetEncoding("GB18030").GetBytes(text),
        "UTF-16LE" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        "UTF-16BE" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        "UTF-16LE no BOM" => Encoding.Unicode.GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    internal static string Tree(NoticeDocument n) => string.Join(
        "|",
        n.Categories.Select(c => $"{c.Number}{(c.IsImplicit ? "*" : string.Empty)}:{c.Title}[{string.Join(";", c.Findings.Select(f => $"{f.Number}.{f.Title}<{string.Join("/", f.Measures.Select(m => m.Text))}>"))}]"));
}
