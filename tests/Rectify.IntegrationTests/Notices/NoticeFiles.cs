using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.IntegrationTests.Notices;

/// <summary>
/// Notices and plans of the genre, written for these tests (the organizations, people, numbers and texts are
/// invented; only the shapes follow the genre), as the files an office uploads: text in several encodings, and a
/// Word plan made with the Open XML SDK with list numbering and a plan table.
/// </summary>
internal static class NoticeFiles
{
    /// <summary>
    /// A town's progress notice without categories (its findings go under one implicit category), with a statistics
    /// paragraph, a measure that runs two sentences, and a paragraph numbered like a finding that is really a measure
    /// of the finding before it ("3.制定保洁员考核办法…").
    /// </summary>
    public const string TownNotice = """
        中共某某镇委员会关于巡察整改进展情况的通报
        根据县委统一部署，2024年3月11日至5月10日，县委第四巡察组对中共某某镇委员会开展了巡察。6月18日，县委巡察组向某某镇党委反馈了巡察意见。现将巡察整改进展情况予以公布。
        一、组织领导情况
        （一）强化责任担当。镇党委召开专题会议，逐条研究整改事项。
        二、整改进展情况
        截至目前，反馈的3个问题已完成整改2个，正在整改1个，整改完成率66.7%；制定整改措施6条，建立完善制度4项。
        1.关于“村级财务监管不到位”问题的整改。
        一是对全镇12个村近三年账目开展交叉检查。
        二是建立村级大额支出镇级备案制度。
        三是每半年公开一次村级收支明细。
        2.关于“农村人居环境整治不彻底”问题的整改。
        一是组织开展房前屋后清理行动，清运垃圾300余吨。同步为各村配齐保洁员。
        3.制定保洁员考核办法，按月评分并与报酬挂钩。
        4.关于“矛盾纠纷化解机制不健全”问题的整改。
        一是在各村设立调解室。
        二是聘请法律顾问每月到村坐班。
        三、下一步工作打算
        （一）巩固整改成果。对已完成事项开展“回头看”。
        欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0760-1234567。
        中共某某镇委员会
        2024年10月15日
        """;

    /// <summary>A round summary: a round's totals over many units, no findings.</summary>
    public const string RoundSummary = """
        关于十五届县委第二轮巡察整改情况的综合通报
        根据县委统一部署，2024年4月至6月，县委3个巡察组对县教育局等9个单位党组织开展了常规巡察，并于8月向被巡察党组织反馈了巡察意见。现将整改情况予以公布。
        本轮巡察共反馈问题148个，已完成整改139个，正在整改9个，整改完成率93.9%；被巡察党组织制定整改措施503条，建立完善制度31项，追回资金42.6万元，给予党纪政务处分4人。
        （一）压实整改责任。各被巡察党组织逐条制定整改方案，明确责任人和完成时限。
        中共某某县委巡察工作领导小组办公室
        2024年12月20日
        """;

    public static byte[] Gb18030(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030").GetBytes(text);
    }

    /// <summary>UTF-16 little-endian with its byte order mark, as Windows Notepad saves "Unicode".</summary>
    public static byte[] Utf16(string text) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];

    /// <summary>
    /// A bureau's 整改方案 as Word makes it: 一、二、三、 as list numbering (not typed), and the plan as a table with
    /// 序号 / 问题类别 / 反馈问题 / 整改措施 / 整改类型 / 责任领导 / 牵头单位 / 配合单位 / 完成时限, the category and
    /// problem cells merged down, and one row holding two measures as lines of its cells.
    /// </summary>
    public static byte[] BureauPlan() => Make(body =>
    {
        body.Append(
            Plain("中共某某区市场监督管理局党组关于区委巡察反馈意见的整改方案"),
            Plain("根据区委巡察工作统一部署，2024年4月1日至5月24日，区委第二巡察组对中共某某区市场监督管理局党组开展了巡察。7月2日，区委巡察组向区市场监督管理局党组反馈了巡察意见。为抓好整改落实，制定本方案。"),
            Listed(0, "总体要求"),
            Plain("坚持问题导向，逐条对账销号，确保件件有着落。"),
            Listed(0, "整改任务"));
        var table = new Table(new TableGrid(Enumerable.Range(0, 9).Select(_ => new GridColumn { Width = "1000" })));
        table.Append(
            Row(Cell("序号"), Cell("问题类别"), Cell("反馈问题"), Cell("整改措施"), Cell("整改类型"), Cell("责任领导"), Cell("牵头单位"), Cell("配合单位"), Cell("完成时限")),
            Row(Cell("1", MergedCellValues.Restart), Cell("关于食品安全监管方面", MergedCellValues.Restart), Cell("农贸市场抽检覆盖面不足", MergedCellValues.Restart), Cell("制定年度抽检计划，覆盖全部农贸市场。"), Cell("限期整改"), Cell("陈某某"), Cell("食品安全科"), Cell("各市场监管所"), Cell("2024年12月31日")),
            Row(Cell(string.Empty, MergedCellValues.Continue), Cell(string.Empty, MergedCellValues.Continue), Cell(string.Empty, MergedCellValues.Continue), Cell("每季度通报抽检结果。"), Cell("长期坚持"), Cell("陈某某"), Cell("食品安全科"), Cell("办公室"), Cell("长期坚持")),
            Row(Cell("2"), Cell("关于队伍作风建设方面", MergedCellValues.Restart), Cell("执法记录仪使用不规范"), Lines("1.开展执法记录仪使用专项培训。", "2.每月抽查执法音像记录，通报抽查结果。将抽查结果纳入年度考核。"), Cell("立行立改"), Cell("林某某"), Cell("法规科"), Cell("政治处、各市场监管所"), Cell("2024.9.30")),
            Row(Cell("3"), Cell(string.Empty, MergedCellValues.Continue), Cell("投诉举报办理超时"), Cell("建立投诉举报办理超期预警。"), Cell(string.Empty), Cell("林某某"), Cell("消费者权益保护科"), Cell(string.Empty), Cell("2024年10月底前")));
        body.Append(table);
        body.Append(
            Listed(0, "保障措施"),
            Plain("加强组织领导，每月调度一次整改进展。"),
            Plain("中共某某区市场监督管理局党组"),
            Plain("2024年7月20日"));
    });

    private static byte[] Make(Action<Body> fill)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            main.Document = new Document(body);
            var numbering = main.AddNewPart<NumberingDefinitionsPart>();
            numbering.Numbering = new Numbering(
                new AbstractNum(
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.ChineseCounting }, new LevelText { Val = "%1、" }) { LevelIndex = 0 })
                { AbstractNumberId = 4 },
                new NumberingInstance(new AbstractNumId { Val = 4 }) { NumberID = 2 });
            fill(body);
        }

        return stream.ToArray();
    }

    private static Paragraph Plain(string text) => new(new Run(new Text(text)));

    private static Paragraph Listed(int level, string text) => new(
        new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = 2 })),
        new Run(new Text(text)));

    private static TableRow Row(params TableCell[] cells) => new(cells);

    private static TableCell Cell(string text, MergedCellValues? merge = null)
    {
        var properties = new TableCellProperties();
        if (merge is { } m)
        {
            properties.Append(new VerticalMerge { Val = m });
        }

        return new TableCell(properties, text.Length == 0 ? new Paragraph() : Plain(text));
    }

    private static TableCell Lines(params string[] lines) => new([new TableCellProperties(), .. lines.Select(l => (OpenXmlElement)Plain(l))]);
}
