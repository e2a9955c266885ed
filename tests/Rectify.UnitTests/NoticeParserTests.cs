using Rectify.Demo;
using Rectify.Documents;

namespace Rectify.UnitTests;

public sealed class NoticeParserTests
{
    private static readonly string Seed = DemoSeeder.ReadSeedNotice();

    [Fact]
    public void The_seed_notice_has_its_whole_structure()
    {
        var n = NoticeParser.Parse(Seed);

        Assert.Equal(4, n.Responsibility.Count);
        Assert.Equal(6, n.Categories.Count);
        Assert.Equal(27, n.FindingCount);
        Assert.Equal(72, n.MeasureCount);
        Assert.Equal(3, n.NextSteps.Count);
        Assert.Equal(Enumerable.Range(1, 27), n.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal([3, 6, 6, 3, 6, 3], n.Categories.Select(c => c.Findings.Count));
        Assert.Equal([5, 4, 3, 3, 3, 3, 2, 4, 4, 3, 3, 3, 3, 3, 2, 3, 3, 3, 1, 1, 1, 3, 2, 2, 1, 3, 1], n.Categories.SelectMany(c => c.Findings).Select(f => f.Measures.Count));
    }

    [Fact]
    public void The_introduction_names_team_target_scope_and_dates()
    {
        var i = NoticeParser.Parse(Seed).Inspection;

        Assert.Equal("市委第七巡察组", i.Team);
        Assert.Equal("中共万江街道工作委员会", i.Target);
        Assert.Equal("万江街道党工委", i.TargetShortName);
        Assert.Equal(["滘联社区", "大汾社区", "流涌尾社区", "谷涌社区", "石美社区", "坝头社区", "官桥滘社区", "胜利社区", "金泰社区", "拔蛟窝社区"], i.AlsoInspected);
        Assert.Equal(["石美社区石美小组", "坝头社区下坝小组"], i.ExtendedScope);
        Assert.Equal(new DateOnly(2024, 3, 25), i.OnSiteFrom);
        Assert.Equal(new DateOnly(2024, 5, 10), i.OnSiteTo);
        Assert.Equal(new DateOnly(2024, 8, 15), i.FeedbackDate);
        Assert.False(i.IsXunshi);
    }

    [Fact]
    public void The_disclosure_block_issuer_and_date_are_read()
    {
        var n = NoticeParser.Parse(Seed);

        Assert.NotNull(n.Disclosure);
        Assert.Equal(new DateOnly(2025, 10, 16), n.Disclosure.From);
        Assert.Equal(new DateOnly(2025, 11, 16), n.Disclosure.To);
        Assert.Equal("22282228", n.Disclosure.Phone);
        Assert.Equal("wjjddzzhb@dg.gov.cn", n.Disclosure.Email);
        Assert.Equal("广东省东莞市万江街道万福路83号", n.Disclosure.PostalAddress);
        Assert.Equal("523000", n.Disclosure.Postcode);
        Assert.Equal("中共万江街道工作委员会", n.Issuer);
        Assert.Equal(new DateOnly(2025, 10, 16), n.Date);
    }

    [Fact]
    public void Texts_are_kept_verbatim()
    {
        var n = NoticeParser.Parse(Seed);
        var lines = Seed.Split('\n').Select(l => l.Trim()).ToHashSet();

        foreach (var c in n.Categories)
        {
            Assert.Contains($"({ChineseNumerals.Format(c.Number)}){c.Title}", lines);
            foreach (var f in c.Findings)
            {
                Assert.Contains($"{f.Number}.{f.Title}", Seed, StringComparison.Ordinal);
                foreach (var m in f.Measures)
                {
                    Assert.Contains(m.Text, Seed, StringComparison.Ordinal);
                }
            }
        }

        var thirteen = n.Categories.SelectMany(c => c.Findings).Single(f => f.Number == 13);
        Assert.Equal("筑牢工程廉政防线", thirteen.Title);
        Assert.Equal("核查违规拆分工程情况。对工程项目的招投标情况开展核查,重点排查是否存在违规拆分问题,经核查暂未发现相关违规情形。", thirteen.Measures[1].Text);

        // A finding whose title and measure share one paragraph: "25.提升居民代表中党员比例。对金泰…".
        var twentyFive = n.Categories.SelectMany(c => c.Findings).Single(f => f.Number == 25);
        Assert.Equal("提升居民代表中党员比例", twentyFive.Title);
        Assert.StartsWith("对金泰、石美、流涌尾等社区组织委员进行约谈", twentyFive.Measures.Single().Text, StringComparison.Ordinal);

        // A finding written as one paragraph is one measure.
        Assert.StartsWith("落实党员、干部定期谈话提醒机制", n.Categories.SelectMany(c => c.Findings).Single(f => f.Number == 19).Measures.Single().Text, StringComparison.Ordinal);
        Assert.Equal("提高思想认识,增强行动自觉", n.Responsibility[0].Heading);
        Assert.StartsWith("街道党工委高度重视", n.Responsibility[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_width_punctuation_gives_the_same_structure()
    {
        var fullWidth = Seed
            .Replace('(', '（').Replace(')', '）').Replace(',', '，').Replace(':', '：').Replace(';', '；');
        fullWidth = System.Text.RegularExpressions.Regex.Replace(fullWidth, @"(?m)^(\d+)\.", "$1．");

        var a = NoticeParser.Parse(Seed);
        var b = NoticeParser.Parse(fullWidth);

        Assert.Equal(Shape(a), Shape(b));
        Assert.Equal(a.Inspection with { Text = string.Empty }, b.Inspection with { Text = string.Empty }, new InspectionComparer());
        Assert.Equal(a.Disclosure!.Email, b.Disclosure!.Email);
        Assert.Equal(a.Disclosure.To, b.Disclosure.To);
    }

    [Fact]
    public void Page_noise_around_the_notice_is_ignored()
    {
        var noisy = "首页 > 信息公开 > 巡察整改\r\n\r\n中共万江街道工作委员会关于巡察整改进展情况的通报\r\n发布时间：2025-10-16\r\n\r\n"
            + Seed.Replace("\n", "\r\n", StringComparison.Ordinal)
            + "\r\n- 相关新闻\r\n万江街道召开会议\r\n【打印本页】【关闭窗口】\r\n";
        Assert.Equal(Shape(NoticeParser.Parse(Seed)), Shape(NoticeParser.Parse(noisy)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("这是一份会议纪要。\n一、会议议题\n（一）研究工作。")]
    [InlineData("根据市委巡察工作统一安排,2024年3月25日至5月10日,市委第七巡察组对中共万江街道工作委员会开展了巡察。8月15日,市委巡察组向万江街道党工委反馈了巡察意见。\n一、党工委履行巡察整改主体责任情况\n(一)提高思想认识。内容。")]
    public void A_text_that_is_not_such_a_notice_gets_a_clear_error(string text)
    {
        var e = Assert.Throws<NoticeParseException>(() => NoticeParser.Parse(text));
        Assert.Matches("应|未找到|空", e.Message);
    }

    [Fact]
    public void A_repeated_finding_number_is_refused_with_its_title()
    {
        var broken = Seed.Replace("14.严格执行财经纪律", "13.严格执行财经纪律", StringComparison.Ordinal);
        var e = Assert.Throws<NoticeParseException>(() => NoticeParser.Parse(broken));
        Assert.Contains("13", e.Message, StringComparison.Ordinal);
        Assert.Contains("不止一次", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_is_refused_as_not_text()
    {
        var e = Assert.Throws<NoticeParseException>(() => NoticeParser.Parse("PK\u0003\u0004\0\0\u0014"));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_ordinal_clauses_in_one_paragraph_are_several_measures()
    {
        var joined = Seed.Replace("采取措施。\n", "采取措施。", StringComparison.Ordinal)
            .Replace("一是强化责任落实与制度建设。街道党工委专题研究部署全面从严治党工作,更新领导班子及成员党风廉政建设主体责任清单,定期召开专题会议推进责任落实。\n二是", "一是强化责任落实与制度建设。街道党工委专题研究部署全面从严治党工作,更新领导班子及成员党风廉政建设主体责任清单,定期召开专题会议推进责任落实。二是", StringComparison.Ordinal);
        Assert.NotEqual(Seed, joined);
        var ten = NoticeParser.Parse(joined).Categories.SelectMany(c => c.Findings).Single(f => f.Number == 10);
        Assert.Equal(3, ten.Measures.Count);
        Assert.StartsWith("深化学习教育与警示教育", ten.Measures[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provincial_xunshi_notice_numbering_findings_under_sections_is_read()
    {
        const string text = """
            根据省委统一部署，2018年12月21日至2019年1月21日，省委第一巡视组对昆明市开展高原湖泊保护治理机动巡视，2019年3月8日，省委巡视组向昆明市反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。
            一、对“昆明市委贯彻落实中央、省委关于高原湖泊保护治理方针政策存在差距”的整改进展情况
            （一）关于“学习贯彻习近平生态文明思想有差距”的整改进展情况。
            一是市委于5月16日召开十一届市委常委会第93次会议。
            二是市委理论学习中心组于5月14日开展了第四次集中学习。
            （二）关于“落实主体责任不到位”的整改进展情况。
            一是压实责任。二是完善制度。
            """;
        var n = NoticeParser.Parse(text);
        Assert.Equal("省委第一巡视组", n.Inspection.Team);
        Assert.Equal("昆明市", n.Inspection.Target);
        Assert.True(n.Inspection.IsXunshi);
        Assert.Equal(new DateOnly(2019, 3, 8), n.Inspection.FeedbackDate);
        Assert.Equal(new DateOnly(2019, 1, 21), n.Inspection.OnSiteTo);
        var category = Assert.Single(n.Categories);
        Assert.Equal(2, category.Findings.Count);
        Assert.Equal([2, 2], category.Findings.Select(f => f.Measures.Count));
        Assert.Equal("关于“学习贯彻习近平生态文明思想有差距”的整改进展情况", category.Findings[0].Title);
    }

    private static string Shape(NoticeDocument n) =>
        string.Join("|", n.Categories.Select(c => $"{c.Number}:{string.Join(",", c.Findings.Select(f => $"{f.Number}/{f.Measures.Count}"))}"))
        + $"#{n.Responsibility.Count}#{n.NextSteps.Count}#{n.Issuer}#{n.Date}";

    private sealed class InspectionComparer : IEqualityComparer<NoticeInspection>
    {
        public bool Equals(NoticeInspection? x, NoticeInspection? y) =>
            x is not null && y is not null && x.Team == y.Team && x.Target == y.Target && x.TargetShortName == y.TargetShortName
            && x.AlsoInspected.SequenceEqual(y.AlsoInspected) && x.ExtendedScope.SequenceEqual(y.ExtendedScope)
            && x.OnSiteFrom == y.OnSiteFrom && x.OnSiteTo == y.OnSiteTo && x.FeedbackDate == y.FeedbackDate;

        public int GetHashCode(NoticeInspection obj) => obj.Team.GetHashCode(StringComparison.Ordinal);
    }
}
