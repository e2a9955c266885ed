using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Documents.Gongwen;

/// <summary>The level of a 公文 paragraph: its numbering's rank (7.3.3 of GB/T 9704), which decides its font.</summary>
public enum GongwenLevel
{
    /// <summary>正文: 仿宋, first line indented two characters.</summary>
    Body,

    /// <summary>一、: 黑体.</summary>
    First,

    /// <summary>（一）: 楷体 (only the heading part when the paragraph runs on).</summary>
    Second,

    /// <summary>1.: 仿宋.</summary>
    Third,

    /// <summary>（1）: 仿宋.</summary>
    Fourth,
}

/// <summary>
/// One paragraph: <paramref name="Heading"/> is the part set in the level's font (e.g. "（一）提高思想认识，增强行动自觉。"),
/// <paramref name="Text"/> what runs on after it in the body font. A heading alone is a heading line.
/// </summary>
public sealed record GongwenParagraph(GongwenLevel Level, string? Heading, string? Text = null)
{
    public static GongwenParagraph Body(string text) => new(GongwenLevel.Body, null, text);
}

/// <summary>
/// A 公文 as GB/T 9704-2012 lays it out, without the red masthead (版头), which a web-published notice and a 督办单
/// printed from the system do not carry: an optional document number (发文字号), the title, the addressee (主送机关),
/// the body in levels, and the issuer (发文机关署名) with the date (成文日期) at the end.
/// </summary>
public sealed record GongwenDocument(
    string Title,
    IReadOnlyList<GongwenParagraph> Body,
    string Issuer,
    DateOnly Date,
    string? Addressee = null,
    string? DocumentNumber = null);

/// <summary>
/// Writes a <see cref="GongwenDocument"/> as .docx with the Open XML SDK: A4; margins 37 mm (top), 35 mm (bottom), 28 mm
/// (left, binding) and 26 mm (right); 仿宋_GB2312 三号 body on a grid of 22 lines × 28 characters; the title in 二号
/// 小标宋; 一、 in 黑体, （一） in 楷体; page numbers "— N —" in 四号宋体, odd pages right and even pages left, one
/// character in from the edge; issuer and date at the end, right, two characters in. Shared by every document the
/// system prints in this layout (the public progress notice, the 督办单).
/// </summary>
public static class GongwenWriter
{
    public const string BodyFont = "仿宋_GB2312";
    public const string TitleFont = "方正小标宋简体";
    public const string FirstLevelFont = "黑体";
    public const string SecondLevelFont = "楷体_GB2312";
    public const string PageNumberFont = "宋体";

    /// <summary>Half-points: 三号 16 pt, 二号 22 pt, 四号 14 pt.</summary>
    public const int BodySize = 32;
    public const int TitleSize = 44;
    public const int PageNumberSize = 28;

    /// <summary>Twentieths of a point (twips): A4 and the margins in millimetres.</summary>
    public const int PageWidth = 11906;
    public const int PageHeight = 16838;
    public static readonly int TopMargin = Twips(37);
    public static readonly int BottomMargin = Twips(35);
    public static readonly int LeftMargin = Twips(28);
    public static readonly int RightMargin = Twips(26);

    /// <summary>22 lines fill the 225 mm type area: one line is 225/22 mm ≈ 28.95 pt, set as an exact line height.</summary>
    public static readonly int LinePitch = (int)Math.Round(225 / 25.4 * 72 * 20 / 22);

    /// <summary>28 characters fill the 156 mm type area: each is 156/28 mm ≈ 15.79 pt, 0.21 pt narrower than 三号, in 1/4096 pt.</summary>
    public static readonly int CharSpace = (int)Math.Round(((156 / 25.4 * 72 / 28) - 16) * 4096);

    /// <summary>Two characters of 三号 (the paragraph indent and the signature's distance from the right edge).</summary>
    private const int TwoCharacters = 640;

    public static int Twips(double millimetres) => (int)Math.Round(millimetres / 25.4 * 1440);

    public static byte[] Write(GongwenDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var stream = new MemoryStream();
        using (var package = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = package.AddMainDocumentPart();
            AddStyles(main);
            AddSettings(main);
            var odd = AddFooter(main, JustificationValues.Right);
            var even = AddFooter(main, JustificationValues.Left);

            var body = new Body();
            if (!string.IsNullOrWhiteSpace(document.DocumentNumber))
            {
                body.Append(Line(document.DocumentNumber, BodyFont, BodySize, JustificationValues.Center));
                body.Append(Line(string.Empty, BodyFont, BodySize, JustificationValues.Left));
            }

            body.Append(Line(document.Title, TitleFont, TitleSize, JustificationValues.Center));
            body.Append(Line(string.Empty, BodyFont, BodySize, JustificationValues.Left));
            if (!string.IsNullOrWhiteSpace(document.Addressee))
            {
                // 主送机关: flush left, ending with a full-width colon.
                var addressee = document.Addressee.TrimEnd('：', ':');
                body.Append(Line(addressee + "：", BodyFont, BodySize, JustificationValues.Left));
            }

            foreach (var p in document.Body)
            {
                body.Append(Paragraph(p));
            }

            // Without a seal: one empty line, the issuer two characters in from the right, the date on the next line.
            body.Append(Line(string.Empty, BodyFont, BodySize, JustificationValues.Left));
            body.Append(Signature(document.Issuer));
            body.Append(Signature(FormatDate(document.Date)));

            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(odd) },
                new FooterReference { Type = HeaderFooterValues.Even, Id = main.GetIdOfPart(even) },
                new PageSize { Width = (UInt32Value)(uint)PageWidth, Height = (UInt32Value)(uint)PageHeight },
                new PageMargin
                {
                    Top = TopMargin,
                    Bottom = BottomMargin,
                    Left = (UInt32Value)(uint)LeftMargin,
                    Right = (UInt32Value)(uint)RightMargin,
                    Header = (UInt32Value)851U,

                    // The page number's dashes sit 7 mm below the type area.
                    Footer = (UInt32Value)(uint)(BottomMargin - Twips(7) - (PageNumberSize * 10)),
                    Gutter = (UInt32Value)0U,
                },
                new DocGrid { Type = DocGridValues.LinesAndChars, LinePitch = LinePitch, CharacterSpace = CharSpace }));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return stream.ToArray();
    }

    /// <summary>成文日期 in full with Arabic numerals and no padding: 2025年10月16日.</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static Paragraph Paragraph(GongwenParagraph p)
    {
        var paragraph = new Paragraph(new ParagraphProperties(
            Spacing(),
            new Indentation { FirstLine = TwoCharacters.ToString(CultureInfo.InvariantCulture), FirstLineChars = 200 },
            new Justification { Val = JustificationValues.Both }));
        if (!string.IsNullOrEmpty(p.Heading))
        {
            var font = p.Level switch
            {
                GongwenLevel.First => FirstLevelFont,
                GongwenLevel.Second => SecondLevelFont,
                _ => BodyFont,
            };
            paragraph.Append(TextRun(p.Heading, font, BodySize));
        }

        if (!string.IsNullOrEmpty(p.Text))
        {
            paragraph.Append(TextRun(p.Text, BodyFont, BodySize));
        }

        return paragraph;
    }

    private static Paragraph Signature(string text) => new(
        new ParagraphProperties(
            Spacing(),
            new Indentation { Right = TwoCharacters.ToString(CultureInfo.InvariantCulture), RightChars = 200 },
            new Justification { Val = JustificationValues.Right }),
        TextRun(text, BodyFont, BodySize));

    private static Paragraph Line(string text, string font, int size, JustificationValues justification)
    {
        var paragraph = new Paragraph(new ParagraphProperties(Spacing(size), new Justification { Val = justification }));
        if (text.Length > 0)
        {
            paragraph.Append(TextRun(text, font, size));
        }

        return paragraph;
    }

    /// <summary>Exact line height on the grid (a title in 二号 takes the height it needs).</summary>
    private static SpacingBetweenLines Spacing(int size = BodySize) => new()
    {
        Before = "0",
        After = "0",
        Line = (size > BodySize ? Math.Max(LinePitch, size * 10 + 120) : LinePitch).ToString(CultureInfo.InvariantCulture),
        LineRule = LineSpacingRuleValues.Exact,
    };

    private static Run TextRun(string text, string font, int size) => new(
        RunProperties(font, size),
        new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve });

    /// <summary>
    /// The text less what XML cannot hold (controls but the tab and line breaks, unpaired surrogates, U+FFFE/FFFF): typed
    /// text is cleaned when it is kept, but a version approved before that, or a document read in, must still be written
    /// rather than answer 500 for as long as it stands.
    /// </summary>
    internal static string XmlSafe(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(text, i++, 2);
            }
            else if (System.Xml.XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }

        return kept.Length == text.Length ? text : kept.ToString();
    }

    private static RunProperties RunProperties(string font, int size) => new(
        new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font },
        new Color { Val = "000000" },
        new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) },
        new FontSizeComplexScript { Val = size.ToString(CultureInfo.InvariantCulture) });

    /// <summary>"— N —" in 四号宋体, one character in from the outer edge: right on odd pages, left on even pages.</summary>
    private static FooterPart AddFooter(MainDocumentPart main, JustificationValues side)
    {
        var part = main.AddNewPart<FooterPart>();
        var oneCharacter = (PageNumberSize * 10).ToString(CultureInfo.InvariantCulture);
        var indentation = side == JustificationValues.Right ? new Indentation { Right = oneCharacter } : new Indentation { Left = oneCharacter };
        part.Footer = new Footer(new Paragraph(
            new ParagraphProperties(indentation, new Justification { Val = side }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new Text("— ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new FieldChar { FieldCharType = FieldCharValues.Separate }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new Text("1")),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new FieldChar { FieldCharType = FieldCharValues.End }),
            new Run(RunProperties(PageNumberFont, PageNumberSize), new Text(" —") { Space = SpaceProcessingModeValues.Preserve })));
        part.Footer.Save();
        return part;
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        part.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = BodyFont, HighAnsi = BodyFont, EastAsia = BodyFont, ComplexScript = BodyFont },
                    new FontSize { Val = BodySize.ToString(CultureInfo.InvariantCulture) },
                    new FontSizeComplexScript { Val = BodySize.ToString(CultureInfo.InvariantCulture) },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(Spacing()))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true });
        part.Styles.Save();
    }

    private static void AddSettings(MainDocumentPart main)
    {
        var part = main.AddNewPart<DocumentSettingsPart>();

        // Odd and even pages carry their page numbers on different sides.
        part.Settings = new Settings(new EvenAndOddHeaders(), new Compatibility(new CompatibilitySetting
        {
            Name = CompatSettingNameValues.CompatibilityMode,
            Uri = "http://schemas.microsoft.com/office/word",
            Val = "15",
        }));
        part.Settings.Save();
    }
}
