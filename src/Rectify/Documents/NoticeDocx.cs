using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Documents;

/// <summary>
/// A notice or plan as a Word document: paragraphs with their list numbers rendered as Word shows them
/// (numbering.xml: w:numPr → "一、", "（一）", "1."), heading styles as levels, and the plan table
/// (问题 / 整改措施 / 责任领导 / 责任单位 / 完成时限) read into categories, findings and measures.
/// </summary>
internal static partial class NoticeDocx
{
    /// <summary>
    /// The most characters one part (the document, its numbering, its styles) may hold: 16 million, some ten times the XML of
    /// a hundred-page plan with Word's formatting, and a bound on what one upload can make the server hold.
    /// </summary>
    public const long MostCharactersInPart = 16L * 1024 * 1024;

    public static (List<NoticeBlock> Blocks, List<NoticeCategory> Plan) Read(Stream stream, List<NoticeNote> notes)
    {
        // The document's own text is read into memory whole: a part of more characters than any notice or plan has is refused
        // (OpenXmlPackageException, "not a readable document") before it is.
        using var document = WordprocessingDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MostCharactersInPart, AutoSave = false });
        var main = document.MainDocumentPart;
        var body = main?.Document?.Body;
        var blocks = new List<NoticeBlock>();
        var plan = new List<NoticeCategory>();
        if (main is null || body is null)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Error, "Word 文档中没有正文。"));
            return (blocks, plan);
        }

        var styles = main.StyleDefinitionsPart?.Styles;
        var numbering = new ListNumbering(main.NumberingDefinitionsPart?.Numbering, styles);
        var tableCount = 0;
        foreach (var element in body.Elements())
        {
            if (element is Paragraph p)
            {
                var label = numbering.Label(p);
                var level = HeadingLevel(p, styles);
                foreach (var text in Text(p).Split('\n'))
                {
                    blocks.Add(new NoticeBlock(label + text, level));
                    label = string.Empty;
                }
            }
            else if (element is Table table)
            {
                tableCount++;
                var before = plan.Count;
                PlanTable.Read(table, tableCount, plan, notes);
                if (plan.Count == before)
                {
                    // Not a plan: its paragraphs are read as text.
                    foreach (var cell in table.Descendants<TableCell>())
                    {
                        foreach (var cp in cell.Elements<Paragraph>())
                        {
                            blocks.Add(new NoticeBlock(numbering.Label(cp) + Text(cp)));
                        }
                    }
                }
            }
        }

        return (blocks, plan);
    }

    internal static string Text(OpenXmlElement paragraph)
    {
        var text = new StringBuilder();
        foreach (var e in paragraph.Descendants())
        {
            switch (e)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                    text.Append(' ');
                    break;
                case Break or CarriageReturn:
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    private static int? HeadingLevel(Paragraph p, Styles? styles)
    {
        var pPr = p.ParagraphProperties;
        if (pPr?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
        {
            return outline + 1;
        }

        var styleId = pPr?.ParagraphStyleId?.Val?.Value;
        var style = styleId is null ? null : styles?.Elements<Style>().FirstOrDefault(s => s.StyleId?.Value == styleId);
        if (style is null)
        {
            return null;
        }

        if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } level && level < 9)
        {
            return level + 1;
        }

        var m = HeadingStyleRegex().Match(style.StyleName?.Val?.Value ?? styleId!);
        return m.Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^(?:heading|标题)\s*(?<n>[1-9])$", RegexOptions.IgnoreCase)]
    private static partial Regex HeadingStyleRegex();

    /// <summary>
    /// Word's list numbering: a counter per list and level, deeper levels restarting when a level counts on.
    /// Lists (w:num) that share an abstract definition share their counters, as in Word, unless one restarts
    /// with a start override.
    /// </summary>
    private sealed class ListNumbering(Numbering? numbering, Styles? styles)
    {
        private readonly Dictionary<string, int?[]> counters = [];

        public string Label(Paragraph p)
        {
            var numPr = p.ParagraphProperties?.NumberingProperties ?? StyleNumbering(p.ParagraphProperties?.ParagraphStyleId?.Val?.Value);
            var numId = numPr?.NumberingId?.Val?.Value;
            if (numbering is null || numId is null or 0)
            {
                return string.Empty;
            }

            var ilvl = Math.Clamp(numPr!.NumberingLevelReference?.Val?.Value ?? 0, 0, 8);
            var num = numbering.Elements<NumberingInstance>().FirstOrDefault(n => n.NumberID?.Value == numId);
            var abstractId = num?.AbstractNumId?.Val?.Value;
            var abstractNum = numbering.Elements<AbstractNum>().FirstOrDefault(a => a.AbstractNumberId?.Value == abstractId);
            if (num is null || abstractNum is null)
            {
                return string.Empty;
            }

            var overrides = num.Elements<LevelOverride>().ToList();
            var key = overrides.Any(o => o.StartOverrideNumberingValue is not null) ? $"n{numId}" : $"a{abstractId}";
            if (!counters.TryGetValue(key, out var counts))
            {
                counts = new int?[9];
                counters[key] = counts;
            }

            var level = LevelOf(abstractNum, ilvl);
            counts[ilvl] = counts[ilvl] is { } c ? c + 1 : StartOf(level, overrides, ilvl);
            for (var deeper = ilvl + 1; deeper < 9; deeper++)
            {
                counts[deeper] = null;
            }

            var format = level?.LevelText?.Val?.Value;
            if (format is null || FormatOf(level) is "bullet" or "none")
            {
                return string.Empty;
            }

            return PlaceholderRegex().Replace(format, m =>
            {
                var at = m.Groups[1].Value[0] - '1';
                var l = LevelOf(abstractNum, at);
                return Render(counts[at] ?? StartOf(l, overrides, at), FormatOf(l));
            });
        }

        private NumberingProperties? StyleNumbering(string? styleId)
        {
            for (var depth = 0; styleId is not null && depth < 5; depth++)
            {
                var style = styles?.Elements<Style>().FirstOrDefault(s => s.StyleId?.Value == styleId);
                if (style?.StyleParagraphProperties?.NumberingProperties is { } numPr)
                {
                    return numPr;
                }

                styleId = style?.BasedOn?.Val?.Value;
            }

            return null;
        }

        private static Level? LevelOf(AbstractNum a, int ilvl) => a.Elements<Level>().FirstOrDefault(l => l.LevelIndex?.Value == ilvl);

        private static int StartOf(Level? level, List<LevelOverride> overrides, int ilvl) =>
            overrides.FirstOrDefault(o => o.LevelIndex?.Value == ilvl)?.StartOverrideNumberingValue?.Val?.Value
            ?? level?.StartNumberingValue?.Val?.Value
            ?? 1;

        private static string FormatOf(Level? level) => level?.NumberingFormat?.Val?.InnerText ?? "decimal";

        private static string Render(int n, string format) => format switch
        {
            "chineseCounting" or "chineseCountingThousand" or "chineseLegalSimplified" or "ideographTraditional" or "japaneseCounting" or "taiwaneseCounting" or "taiwaneseCountingThousand"
                when n is >= 1 and <= 99 => ChineseNumerals.Format(n),
            "decimalFullWidth" or "decimalFullWidth2" => string.Concat(n.ToString(CultureInfo.InvariantCulture).Select(c => (char)(c - '0' + '０'))),
            "decimalEnclosedCircle" or "decimalEnclosedCircleChinese" when n is >= 1 and <= 20 => ((char)('①' + n - 1)).ToString(),
            "decimalEnclosedParen" when n is >= 1 and <= 20 => ((char)('⑴' + n - 1)).ToString(),
            "lowerLetter" when n is >= 1 and <= 26 => ((char)('a' + n - 1)).ToString(),
            "upperLetter" when n is >= 1 and <= 26 => ((char)('A' + n - 1)).ToString(),
            _ => n.ToString(CultureInfo.InvariantCulture),
        };
    }

    [GeneratedRegex(@"%([1-9])")]
    private static partial Regex PlaceholderRegex();
}
