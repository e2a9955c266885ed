using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.UnitTests.Notices;

/// <summary>Word documents made with the Open XML SDK, as an office would make them: list numbering, a heading style, a plan table.</summary>
internal static class TestDocx
{
    /// <summary>A notice whose 一、（一）1. are Word list numbering (one list, three levels), with 下一步 as a Heading 1 paragraph.</summary>
    public static byte[] Notice() => Make(body =>
    {
        body.Append(
            Plain("中共某某街道工作委员会关于巡察整改进展情况的通报"),
            Plain("根据市委巡察工作统一部署，2024年4月8日至5月31日，市委第六巡察组对中共某某街道工作委员会开展了巡察。7月16日，市委巡察组向某某街道党工委反馈了巡察意见。现将巡察整改进展情况予以公布。"),
            Listed(0, "党工委履行整改主体责任情况"),
            Listed(1, "提高政治站位。党工委召开专题会议研究整改。"),
            Listed(1, "压实工作责任。书记带头抓，班子成员分工负责。"),
            Listed(0, "巡察整改任务落实情况"),
            Listed(1, "关于落实党建工作责任方面"),
            Listed(2, "落实“三会一课”制度"),
            Plain("一是制定支部年度学习计划。"),
            Plain("二是按月检查组织生活记录。"),
            Listed(2, "规范党费收缴"),
            Plain("一是开展党费收缴自查。"),
            Listed(1, "关于财务管理方面"),
            Listed(2, "规范公务接待"),
            Plain("一是修订公务接待管理办法。"),
            Heading("下一步工作打算"),
            Plain("持续巩固整改成果，防止问题反弹。"),
            Plain("欢迎广大干部群众监督。联系电话：0769-1234567。"),
            Plain("中共某某街道工作委员会"),
            Plain("2024年10月8日"));
    });

    /// <summary>A plan: an intro paragraph, then a table with category rows merged across, rows per measure and a row per problem.</summary>
    public static byte[] Plan() => Make(body =>
    {
        body.Append(Plain("根据区委巡察工作统一部署，2024年3月4日至4月26日，区委第一巡察组对区某某局党组开展了巡察。6月5日，区委巡察组向区某某局党组反馈了巡察意见。为抓好整改落实，制定本整改方案。"));
        var table = new Table(new TableGrid(Enumerable.Range(0, 6).Select(_ => new GridColumn { Width = "1400" })));
        table.Append(
            Row(Cell("序号"), Cell("问题"), Cell("整改措施"), Cell("责任领导"), Cell("责任单位"), Cell("完成时限")),
            Row(Cell("一、关于落实主体责任方面", span: 6)),
            Row(Cell("1", merge: MergedCellValues.Restart), Cell("党组会议研究整改不及时", merge: MergedCellValues.Restart), Cell("建立整改事项会议台账"), Cell("张某某"), Cell("办公室"), Cell("2024年6月30日前")),
            Row(Cell(string.Empty, merge: MergedCellValues.Continue), Cell(string.Empty, merge: MergedCellValues.Continue), Cell("每月通报整改进展"), Cell("张某某"), Cell("办公室"), Cell("2024年6月30日前")),
            Row(Cell("2"), Cell("财务报销审核不严"), Cell("1.修订财务报销细则", "2.每季度抽查报销凭证", "3.开展财经纪律专题培训"), Cell("李某某"), Cell("财务科", "纪检组", "财务科"), Cell("2024年9月底前")),
            Row(Cell("二、关于作风建设方面", span: 6)),
            Row(Cell("3"), Cell("督查检查频次过多"), Cell("统筹合并督查检查事项"), Cell("王某某"), Cell("综合科"), Cell("长期坚持")));
        body.Append(table);
        body.Append(Plain("中共某某区某某局党组"), Plain("2024年7月1日"));
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
                    Level(0, NumberFormatValues.ChineseCounting, "%1、"),
                    Level(1, NumberFormatValues.ChineseCounting, "（%2）"),
                    Level(2, NumberFormatValues.Decimal, "%3."))
                { AbstractNumberId = 7 },
                new NumberingInstance(new AbstractNumId { Val = 7 }) { NumberID = 3 });
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(new Style(new StyleName { Val = "heading 1" }) { Type = StyleValues.Paragraph, StyleId = "Heading1" });
            fill(body);
        }

        return stream.ToArray();
    }

    private static Level Level(int index, NumberFormatValues format, string text) =>
        new(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = format }, new LevelText { Val = text }) { LevelIndex = index };

    private static Paragraph Plain(string text) => new(new Run(new Text(text)));

    private static Paragraph Listed(int level, string text) => new(
        new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = 3 })),
        new Run(new Text(text)));

    private static Paragraph Heading(string text) => new(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text(text)));

    private static TableRow Row(params TableCell[] cells) => new(cells);

    private static TableCell Cell(string text, int span = 1, MergedCellValues? merge = null) => Cell([text], span, merge);

    private static TableCell Cell(params string[] lines) => Cell(lines, 1, null);

    private static TableCell Cell(string[] lines, int span, MergedCellValues? merge)
    {
        var properties = new TableCellProperties();
        if (span > 1)
        {
            properties.Append(new GridSpan { Val = span });
        }

        if (merge is { } m)
        {
            properties.Append(new VerticalMerge { Val = m });
        }

        var cell = new TableCell(properties);
        cell.Append(lines.Select(l => (OpenXmlElement)Plain(l)));
        return cell;
    }
}
