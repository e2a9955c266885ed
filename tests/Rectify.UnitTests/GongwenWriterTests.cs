using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Documents.Gongwen;

namespace Rectify.UnitTests;

/// <summary>The 公文 writer's .docx read back with the Open XML SDK: every item of the GB/T 9704 layout list.</summary>
public sealed class GongwenWriterTests
{
    private static readonly GongwenDocument Sample = new(
        "中共某某街道工作委员会关于巡察整改进展情况的通报",
        [
            GongwenParagraph.Body("根据市委巡察工作统一安排，……现将巡察整改进展情况予以公布。"),
            new GongwenParagraph(GongwenLevel.First, "一、党工委履行巡察整改主体责任情况"),
            new GongwenParagraph(GongwenLevel.Second, "（一）提高思想认识，增强行动自觉。", "街道党工委高度重视。"),
            new GongwenParagraph(GongwenLevel.Third, "1.全面深入开展学习调研"),
            GongwenParagraph.Body("一是严格执行“第一议题”制度。"),
        ],
        "中共某某街道工作委员会",
        new DateOnly(2025, 10, 16),
        Addressee: "各社区党组织",
        DocumentNumber: "某街党工委〔2025〕12号");

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    private static string FontOf(Run run) => run.RunProperties!.RunFonts!.EastAsia!.Value!;

    private static int SizeOf(Run run) => int.Parse(run.RunProperties!.FontSize!.Val!.Value!, System.Globalization.CultureInfo.InvariantCulture);

    private static Run RunWith(Body body, string text) => body.Descendants<Run>().Single(r => r.InnerText == text);

    [Fact]
    public void The_page_is_A4_with_the_standard_margins_and_a_grid_of_22_lines_by_28_characters()
    {
        using var doc = Open(GongwenWriter.Write(Sample));
        var section = doc.MainDocumentPart!.Document!.Body!.Elements<SectionProperties>().Single();
        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal(11906U, size.Width!.Value);   // 210 mm
        Assert.Equal(16838U, size.Height!.Value);  // 297 mm
        var margin = section.GetFirstChild<PageMargin>()!;
        static double Mm(double twips) => Math.Round(twips / 1440 * 25.4, 1);
        Assert.Equal(37, Mm(margin.Top!.Value));
        Assert.Equal(35, Mm(margin.Bottom!.Value));
        Assert.Equal(28, Mm(margin.Left!.Value));
        Assert.Equal(26, Mm(margin.Right!.Value));

        // 22 lines fill the 225 mm type area (297 − 37 − 35); 28 characters the 156 mm (210 − 28 − 26).
        var grid = section.GetFirstChild<DocGrid>()!;
        Assert.Equal(DocGridValues.LinesAndChars, grid.Type!.Value);
        Assert.Equal(22, (int)Math.Round((297 - 37 - 35) / 25.4 * 72 * 20 / grid.LinePitch!.Value));
        var characterPoints = 16 + (grid.CharacterSpace!.Value / 4096.0);
        Assert.Equal(28, (int)Math.Round((210 - 28 - 26) / 25.4 * 72 / characterPoints));

        // Body lines are set exactly on the grid's pitch.
        var bodyParagraph = RunWith(doc.MainDocumentPart.Document.Body!, "一是严格执行“第一议题”制度。").Parent as Paragraph;
        var spacing = bodyParagraph!.ParagraphProperties!.SpacingBetweenLines!;
        Assert.Equal(LineSpacingRuleValues.Exact, spacing.LineRule!.Value);
        Assert.Equal(grid.LinePitch.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), spacing.Line!.Value);
    }

    [Fact]
    public void Fonts_follow_the_levels_body_in_fangsong_sanhao_title_in_xiaobiaosong()
    {
        using var doc = Open(GongwenWriter.Write(Sample));
        var body = doc.MainDocumentPart!.Document!.Body!;
        var title = RunWith(body, Sample.Title);
        Assert.Equal("方正小标宋简体", FontOf(title));
        Assert.Equal(44, SizeOf(title)); // 二号 22 pt
        Assert.Equal(JustificationValues.Center, ((Paragraph)title.Parent!).ParagraphProperties!.Justification!.Val!.Value);

        Assert.Equal("黑体", FontOf(RunWith(body, "一、党工委履行巡察整改主体责任情况")));
        Assert.Equal("楷体_GB2312", FontOf(RunWith(body, "（一）提高思想认识，增强行动自觉。")));
        Assert.Equal("仿宋_GB2312", FontOf(RunWith(body, "街道党工委高度重视。")));
        Assert.Equal("仿宋_GB2312", FontOf(RunWith(body, "1.全面深入开展学习调研")));
        var text = RunWith(body, "一是严格执行“第一议题”制度。");
        Assert.Equal("仿宋_GB2312", FontOf(text));
        Assert.Equal(32, SizeOf(text)); // 三号 16 pt

        // Each body paragraph is indented two characters.
        var indentation = ((Paragraph)text.Parent!).ParagraphProperties!.Indentation!;
        Assert.Equal(200, indentation.FirstLineChars!.Value);

        // The addressee flush left with a full-width colon; the document number above the title.
        Assert.Contains(body.Descendants<Run>(), r => r.InnerText == "各社区党组织：");
        Assert.Contains(body.Descendants<Run>(), r => r.InnerText == "某街党工委〔2025〕12号");
    }

    [Fact]
    public void Issuer_and_date_close_the_document_on_the_right_and_pages_are_numbered_with_dashes()
    {
        using var doc = Open(GongwenWriter.Write(Sample));
        var main = doc.MainDocumentPart!;
        var paragraphs = main.Document!.Body!.Elements<Paragraph>().ToList();
        var (issuer, date) = (paragraphs[^2], paragraphs[^1]);
        Assert.Equal("中共某某街道工作委员会", issuer.InnerText);
        Assert.Equal("2025年10月16日", date.InnerText);
        Assert.All([issuer, date], p => Assert.Equal(JustificationValues.Right, p.ParagraphProperties!.Justification!.Val!.Value));

        // "— N —" in 四号宋体: a PAGE field between dashes, on the right of odd pages and the left of even ones.
        Assert.NotNull(main.DocumentSettingsPart!.Settings!.GetFirstChild<EvenAndOddHeaders>());
        var section = main.Document.Body!.Elements<SectionProperties>().Single();
        var footers = section.Elements<FooterReference>().ToDictionary(f => f.Type!.Value, f => ((FooterPart)main.GetPartById(f.Id!.Value!)).Footer!);
        Assert.Equal(2, footers.Count);
        foreach (var (type, footer) in footers)
        {
            var paragraph = footer.Elements<Paragraph>().Single();
            Assert.Equal("— 1 —", paragraph.InnerText.Replace(" PAGE ", string.Empty, StringComparison.Ordinal));
            Assert.Contains(paragraph.Descendants<FieldCode>(), f => f.Text.Trim() == "PAGE");
            Assert.All(paragraph.Elements<Run>(), r => Assert.Equal(("宋体", 28), (FontOf(r), SizeOf(r))));
            Assert.Equal(type == HeaderFooterValues.Even ? JustificationValues.Left : JustificationValues.Right, paragraph.ParagraphProperties!.Justification!.Val!.Value);
        }
    }
}
