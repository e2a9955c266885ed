using Rectify.Documents;

namespace Rectify.UnitTests.Notices;

/// <summary>A plan table in a text file: pasted from Excel or Word (tabs), or written as a Markdown table.</summary>
public sealed class TextTableTests
{
    private const string Intro = "根据县委巡察工作统一部署，2025年3月3日至4月25日，县委第四巡察组对县供销合作社联合社党组开展了巡察。2025年6月6日，县委巡察组向县供销合作社联合社党组反馈了巡察意见。为抓好整改落实，制定本整改方案。";

    /// <summary>
    /// As Excel copies it: a header, category rows with one filled cell, a problem over two rows (the second row's problem
    /// cell empty), and a cell of three lines in quotes.
    /// </summary>
    private static readonly string Pasted = string.Join(
        "\n",
        "中共某某县供销合作社联合社党组关于落实县委第四巡察组反馈意见的整改方案",
        Intro,
        "序号\t问题\t整改措施\t责任领导\t责任单位\t完成时限",
        "一、关于落实全面从严治党责任方面\t\t\t\t\t",
        "1\t党组会议研究党风廉政建设不经常\t每季度专题研究一次党风廉政建设\t赵某某\t办公室\t2025年12月31日前",
        "\t\t建立党组会议议题台账\t赵某某\t办公室\t2025年9月30日前",
        "2\t资产出租管理不规范\t\"1.全面清查出租资产\n2.统一公开招租\n3.追缴拖欠租金\"\t钱某某\t资产管理科\t2025年10月31日前",
        "二、关于作风建设方面\t\t\t\t\t",
        "3\t下基层调研流于形式\t制定班子成员基层联系点制度\t孙某某\t综合科\t长期坚持",
        "中共某某县供销合作社联合社党组",
        "2025年7月1日");

    [Fact]
    public void A_table_pasted_with_tabs_is_read_as_a_plan_table()
    {
        var r = NoticeReader.Read(Pasted);
        var n = r.Document;

        Assert.True(r.HasStructure);
        Assert.Equal(["关于落实全面从严治党责任方面", "关于作风建设方面"], n.Categories.Select(c => c.Title));
        var findings = n.Categories.SelectMany(c => c.Findings).ToList();
        Assert.Equal([1, 2, 3], findings.Select(f => f.Number));
        Assert.Equal(["党组会议研究党风廉政建设不经常", "资产出租管理不规范", "下基层调研流于形式"], findings.Select(f => f.Title));

        // A row per measure, the problem cell left empty under its first row.
        Assert.Equal(["每季度专题研究一次党风廉政建设", "建立党组会议议题台账"], findings[0].Measures.Select(m => m.Text));
        Assert.Equal("2025年9月30日前", findings[0].Measures[1].Deadline);

        // A cell of three lines in Excel's quotes: three measures, each with the row's leader and unit.
        Assert.Equal(["全面清查出租资产", "统一公开招租", "追缴拖欠租金"], findings[1].Measures.Select(m => m.Text));
        Assert.All(findings[1].Measures, m => Assert.Equal(("钱某某", "资产管理科"), (m.Leader, m.Unit)));
        Assert.Equal("长期坚持", findings[2].Measures.Single().Deadline);

        Assert.Equal("县委第四巡察组", n.Inspection.Team);
        Assert.Equal("中共某某县供销合作社联合社党组", n.Issuer);
        Assert.Equal(new DateOnly(2025, 7, 1), n.Date);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
    }

    [Fact]
    public void A_markdown_table_is_read_as_a_plan_table()
    {
        var text = string.Join(
            "\n",
            Intro,
            "| 序号 | 问题 | 整改措施 | 责任单位 | 完成时限 |",
            "| --- | --- | :---: | --- | --- |",
            "| （一）关于财务管理方面 | | | | |",
            "| 1 | 差旅费报销把关不严 | 修订差旅费管理办法<br>逐笔复核近两年报销凭证 | 财务科 | 2025年11月30日前 |",
            "| 2 | 公务用车登记不全 | 启用公务用车电子登记 | 办公室 | 立即整改 |",
            "中共某某县供销合作社联合社党组",
            "2025年7月1日");
        var n = NoticeReader.Read(text).Document;

        var category = Assert.Single(n.Categories);
        Assert.Equal("关于财务管理方面", category.Title);
        Assert.Equal(["差旅费报销把关不严", "公务用车登记不全"], category.Findings.Select(f => f.Title));
        Assert.Equal(["修订差旅费管理办法", "逐笔复核近两年报销凭证"], category.Findings[0].Measures.Select(m => m.Text));
        Assert.Equal(("办公室", "立即整改"), (category.Findings[1].Measures.Single().Unit, category.Findings[1].Measures.Single().Deadline));
    }

    [Fact]
    public void Tab_indented_paragraphs_and_tables_that_are_no_plan_stay_text()
    {
        var plain = NoticeReader.Read(GenreFixtures.LayoutC);
        var indented = NoticeReader.Read(string.Join("\n", GenreFixtures.LayoutC.Split('\n').Select(l => "\t" + l)));
        Assert.Equal(NoticeGenreTests.Tree(plain.Document), NoticeGenreTests.Tree(indented.Document));

        // A table of figures (no 问题 and 整改措施 columns) is words of the notice, not a plan.
        var figures = GenreFixtures.LayoutC.Replace("一、在", "项目\t数量\t完成\n问题\t12\t10\n措施\t30\t28\n一、在", StringComparison.Ordinal);
        var r = NoticeReader.Read(figures);
        Assert.Equal(NoticeGenreTests.Tree(plain.Document), NoticeGenreTests.Tree(r.Document));
        Assert.DoesNotContain(r.Notes, x => x.Message.Contains("表格", StringComparison.Ordinal));
    }

    [Fact]
    public void A_quote_never_closed_does_not_swallow_the_rest_of_the_file()
    {
        var r = NoticeReader.Read(Pasted.Replace("\t长期坚持", "\t\"长期坚持", StringComparison.Ordinal));

        // The row with the stray quote is read as its line says; the issuer and the date after it are still read.
        Assert.Equal("\"长期坚持", r.Document.Categories.SelectMany(c => c.Findings).Last().Measures.Single().Deadline);
        Assert.Equal("中共某某县供销合作社联合社党组", r.Document.Issuer);
        Assert.Equal(new DateOnly(2025, 7, 1), r.Document.Date);
    }

    [Fact]
    public void A_category_row_typed_without_its_empty_cells_keeps_the_table()
    {
        var r = NoticeReader.Read(Pasted.Replace("一、关于落实全面从严治党责任方面\t\t\t\t\t", "一、关于落实全面从严治党责任方面", StringComparison.Ordinal)
            .Replace("二、关于作风建设方面\t\t\t\t\t", "（二）关于作风建设方面", StringComparison.Ordinal));
        Assert.Equal(["关于落实全面从严治党责任方面", "关于作风建设方面"], r.Document.Categories.Select(c => c.Title));
        Assert.Equal(3, r.Document.FindingCount);
        Assert.DoesNotContain(r.Document.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures), m => m.Text.Contains('\t', StringComparison.Ordinal));
    }

    [Fact]
    public void An_escaped_pipe_stays_in_its_cell_and_a_row_wider_than_its_header_is_named()
    {
        var text = string.Join(
            "\n",
            Intro,
            "| 序号 | 问题 | 整改措施 | 责任领导 | 完成时限 |",
            "| --- | --- | --- | --- | --- |",
            "| 1 | 户外广告审批\\|备案不规范 | 清理违规广告牌 | 马某 | 2025年11月 |",
            "| 2 | 门前三包落实不到位 | 签订责任书 | 牛某 | 2025年12月 | 多出的一格 |");
        var r = NoticeReader.Read(text);
        var findings = r.Document.Categories.Single().Findings;
        Assert.Equal("户外广告审批|备案不规范", findings[0].Title);
        Assert.Equal(("清理违规广告牌", "马某", "2025年11月"), (findings[0].Measures.Single().Text, findings[0].Measures.Single().Leader, findings[0].Measures.Single().Deadline));
        var note = Assert.Single(r.Notes, n => n.Message.Contains("多于表头", StringComparison.Ordinal));
        Assert.Equal(NoteSeverity.Warning, note.Severity);
    }

    [Fact]
    public void Findings_of_the_text_beside_a_plan_table_are_named_and_do_not_block_it()
    {
        var text = Pasted.Replace(
            "序号\t问题",
            "一、整改任务\n（一）关于资金管理方面\n序号\t问题",
            StringComparison.Ordinal);
        var r = NoticeReader.Read(text);
        Assert.Equal(3, r.Document.FindingCount);
        Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
        Assert.Contains(r.Notes, x => x.Severity == NoteSeverity.Warning && x.Message.Contains("以整改方案表为准", StringComparison.Ordinal));
    }
}
