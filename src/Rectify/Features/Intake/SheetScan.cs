using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Rectify.Features.Intake;

/// <summary>What a cell holds besides its value.</summary>
internal enum CellNote : byte
{
    None,

    /// <summary>A number shown in a date format: a day serial.</summary>
    Date,

    /// <summary>A formula saved without its result: its value is unknown.</summary>
    MissingResult,

    /// <summary>An error value (#N/A, #REF!…), kept as its text.</summary>
    Error,
}

/// <summary>One non-empty cell: its 0-based column, and its text or its number.</summary>
internal readonly record struct SheetCell(int Column, string? Text, double? Number, CellNote Note)
{
    public bool IsEmpty => Note != CellNote.MissingResult && Number is null && string.IsNullOrWhiteSpace(Text);

    /// <summary>The value as text: strings as written, numbers in their shortest form (3, 1.5).</summary>
    public string AsText() => Text ?? Number?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}

/// <summary>A row that holds at least one value, with its 1-based number and whether it is hidden.</summary>
internal sealed record SheetRow(int Number, bool Hidden, SheetCell[] Cells)
{
    public SheetCell? Cell(int column)
    {
        foreach (var c in Cells)
        {
            if (c.Column == column)
            {
                return c;
            }
        }

        return null;
    }
}

/// <summary>A merged range, 1-based rows and 0-based columns, inclusive.</summary>
internal readonly record struct MergedRange(int FirstRow, int FirstColumn, int LastRow, int LastColumn);

/// <summary>A sheet as read: its non-empty rows (up to the number asked for), merged ranges and hidden columns.</summary>
internal sealed record SheetGrid(IReadOnlyList<SheetRow> Rows, int NonEmptyRows, IReadOnlyList<MergedRange> Merges, IReadOnlySet<int> HiddenColumns);

/// <summary>What every sheet of a workbook reads through: the shared strings, which styles are dates, the date system.</summary>
internal sealed partial class WorkbookContext
{
    private readonly WorkbookPart workbook;
    private string[]? sharedStrings;
    private bool[]? dateStyles;

    public WorkbookContext(WorkbookPart workbook, long maxCharacters)
    {
        this.workbook = workbook;
        MaxCharacters = maxCharacters;
        Date1904 = workbook.Workbook.WorkbookProperties?.Date1904?.Value ?? false;
    }

    public bool Date1904 { get; }

    /// <summary>The most characters one part may hold: reading stops with an error past it.</summary>
    public long MaxCharacters { get; }

    public string SharedString(int index)
    {
        sharedStrings ??= ReadSharedStrings();
        return index >= 0 && index < sharedStrings.Length ? sharedStrings[index] : string.Empty;
    }

    public bool IsDateStyle(int index)
    {
        dateStyles ??= ReadDateStyles(workbook.WorkbookStylesPart?.Stylesheet);
        return index >= 0 && index < dateStyles.Length && dateStyles[index];
    }

    /// <summary>A forward-only XML reader over a part: no DTD, no external resources, at most <see cref="MaxCharacters"/>.</summary>
    public XmlReader Open(OpenXmlPart part) => XmlReader.Create(
        part.GetStream(FileMode.Open, FileAccess.Read),
        new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });

    /// <summary>The SpreadsheetML namespace, transitional or strict.</summary>
    public static bool IsMain(string ns) =>
        ns.EndsWith("/spreadsheetml/2006/main", StringComparison.Ordinal) || ns.EndsWith("/ooxml/spreadsheetml/main", StringComparison.Ordinal);

    /// <summary>
    /// The text of a string item (si, is) with the reader on its start: its t, or its runs' t joined; phonetic
    /// guides (rPh) are not text. Returns with the reader past the item's end.
    /// </summary>
    public static string ReadText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return string.Empty;
        }

        var depth = xml.Depth;
        string? single = null;
        StringBuilder? joined = null;
        xml.Read();
        while (!(xml.Depth <= depth && xml.NodeType == XmlNodeType.EndElement) && !xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh")
            {
                xml.Skip();
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t")
            {
                var text = xml.ReadElementContentAsString();
                if (single is null && joined is null)
                {
                    single = text;
                }
                else
                {
                    joined ??= new StringBuilder(single);
                    joined.Append(text);
                }
            }
            else
            {
                xml.Read();
            }
        }

        xml.Read();
        return Unescaped(joined?.ToString() ?? single ?? string.Empty);
    }

    /// <summary>
    /// A cell's text with SpreadsheetML's escapes undone: "_x000D_" is a carriage return (Excel writes one so for text
    /// pasted from Word), "_x005F_" a literal underscore (so "_x005F_x000D_" stays "_x000D_" as typed).
    /// </summary>
    public static string Unescaped(string text) =>
        text.Contains("_x", StringComparison.Ordinal) ? Escape().Replace(text, m => ((char)int.Parse(m.ValueSpan[2..6], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString()) : text;

    [System.Text.RegularExpressions.GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial System.Text.RegularExpressions.Regex Escape();

    private string[] ReadSharedStrings()
    {
        if (workbook.SharedStringTablePart is not { } part)
        {
            return [];
        }

        var strings = new List<string>();
        using var xml = Open(part);
        while (!xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si" && IsMain(xml.NamespaceURI))
            {
                strings.Add(ReadText(xml));
            }
            else
            {
                xml.Read();
            }
        }

        return [.. strings];
    }

    private static bool[] ReadDateStyles(Stylesheet? styles)
    {
        if (styles?.CellFormats is null)
        {
            return [];
        }

        var custom = styles.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId is not null)
            .GroupBy(f => f.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.First().FormatCode?.Value ?? string.Empty) ?? [];
        return [.. styles.CellFormats.Elements<CellFormat>().Select(f => IsDateFormat(f.NumberFormatId?.Value ?? 0, custom))];
    }

    /// <summary>The built-in date formats (14–22, 27–36 and 50–58 in the East Asian locales, 45–47 times) and custom codes with a day, month or year outside quotes and brackets.</summary>
    private static bool IsDateFormat(uint id, Dictionary<uint, string> custom)
    {
        if (id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58))
        {
            return true;
        }

        if (!custom.TryGetValue(id, out var code))
        {
            return false;
        }

        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '[')
            {
                bracket = true;
            }
            else if (!quoted && c == ']')
            {
                bracket = false;
            }
            else if (!quoted && c == '\\')
            {
                i++;
            }
            else if (!quoted && !bracket && c is 'y' or 'Y' or 'd' or 'D' or 'm' or 'M' or 'e' or 'E')
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Reads one worksheet part forward only (the Open XML SDK finds the part; a plain XmlReader reads its XML), so a
/// sheet costs memory for the cells it holds, not for an object per element.
/// </summary>
internal static class SheetScan
{
    /// <param name="part">The worksheet.</param>
    /// <param name="context">The workbook's shared strings and styles.</param>
    /// <param name="keepRows">How many non-empty rows to keep; the rest are only counted.</param>
    /// <param name="stopAfter">Stop reading after this many non-empty rows (the count is then stopAfter + 1).</param>
    public static SheetGrid Read(WorksheetPart part, WorkbookContext context, int keepRows, int stopAfter)
    {
        var rows = new List<SheetRow>();
        var merges = new List<MergedRange>();
        var hiddenColumns = new HashSet<int>();
        var cells = new List<SheetCell>();
        var nonEmpty = 0;
        var rowNumber = 0;

        using var xml = context.Open(part);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || !WorkbookContext.IsMain(xml.NamespaceURI))
            {
                continue;
            }

            switch (xml.LocalName)
            {
                case "row":
                    rowNumber = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                    var hidden = xml.GetAttribute("hidden") is "1" or "true";
                    cells.Clear();
                    ReadCells(xml, context, cells);
                    if (cells.Count > 0)
                    {
                        nonEmpty++;
                        if (nonEmpty > stopAfter)
                        {
                            return new SheetGrid(rows, nonEmpty, merges, hiddenColumns);
                        }

                        if (rows.Count < keepRows)
                        {
                            rows.Add(new SheetRow(rowNumber, hidden, [.. cells]));
                        }
                    }

                    break;
                case "col":
                    if (xml.GetAttribute("hidden") is "1" or "true"
                        && uint.TryParse(xml.GetAttribute("min"), CultureInfo.InvariantCulture, out var min)
                        && uint.TryParse(xml.GetAttribute("max"), CultureInfo.InvariantCulture, out var max))
                    {
                        // A hidden range may run to the last column (16,384); only the first few hundred can hold a ledger's columns.
                        for (var c = Math.Max(min, 1u); c <= Math.Min(max, 1024u); c++)
                        {
                            hiddenColumns.Add((int)c - 1);
                        }
                    }

                    break;
                case "mergeCell":
                    if (xml.GetAttribute("ref") is { } reference && Range(reference) is { } range)
                    {
                        merges.Add(range);
                    }

                    break;
                default:
                    break;
            }
        }

        return new SheetGrid(rows, nonEmpty, merges, hiddenColumns);
    }

    /// <summary>The cells of the row the reader stands on; returns with the reader on the row's end.</summary>
    private static void ReadCells(XmlReader xml, WorkbookContext context, List<SheetCell> cells)
    {
        if (xml.IsEmptyElement)
        {
            return;
        }

        var column = -1;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "row"))
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c")
            {
                continue;
            }

            var reference = xml.GetAttribute("r");
            column = reference is null ? column + 1 : LedgerColumns.ColumnOf(reference);
            var type = xml.GetAttribute("t");
            var style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var cell = ReadCell(xml, context, column, type, style);
            if (!cell.IsEmpty)
            {
                cells.Add(cell);
            }
        }
    }

    /// <summary>One cell, the reader on its start; returns with the reader on its end (or on it, when it is empty).</summary>
    private static SheetCell ReadCell(XmlReader xml, WorkbookContext context, int column, string? type, int style)
    {
        var formula = false;
        string? value = null;
        string? inline = null;
        if (!xml.IsEmptyElement)
        {
            xml.Read();
            while (!(xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "c") && !xml.EOF)
            {
                if (xml.NodeType != XmlNodeType.Element)
                {
                    xml.Read();
                    continue;
                }

                switch (xml.LocalName)
                {
                    case "f":
                        formula = true;
                        xml.Skip();
                        break;
                    case "v":
                        value = xml.ReadElementContentAsString();
                        break;
                    case "is":
                        inline = WorkbookContext.ReadText(xml);
                        break;
                    default:
                        xml.Skip();
                        break;
                }
            }
        }

        if (type == "inlineStr")
        {
            return new SheetCell(column, inline ?? value, null, CellNote.None);
        }

        if (value is null)
        {
            return formula ? new SheetCell(column, null, null, CellNote.MissingResult) : new SheetCell(column, inline, null, CellNote.None);
        }

        switch (type)
        {
            case "s":
                return new SheetCell(column, int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? context.SharedString(index) : null, null, CellNote.None);
            case "str":
                return new SheetCell(column, WorkbookContext.Unescaped(value), null, CellNote.None);
            case "b":
                return new SheetCell(column, value == "1" ? "TRUE" : "FALSE", null, CellNote.None);
            case "e":
                return new SheetCell(column, value, null, CellNote.Error);
            case "d":
                return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso)
                    ? new SheetCell(column, null, iso.ToOADate(), CellNote.Date)
                    : new SheetCell(column, value, null, CellNote.None);
            default:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? new SheetCell(column, null, number, context.IsDateStyle(style) ? CellNote.Date : CellNote.None)
                    : new SheetCell(column, value, null, CellNote.None);
        }
    }

    /// <summary>"B3:D7" as a range; a single cell ("B3") as a range of one.</summary>
    private static MergedRange? Range(string reference)
    {
        var parts = reference.Split(':');
        var first = parts[0];
        var last = parts.Length > 1 ? parts[1] : parts[0];
        int c1 = LedgerColumns.ColumnOf(first), r1 = LedgerColumns.RowOf(first), c2 = LedgerColumns.ColumnOf(last), r2 = LedgerColumns.RowOf(last);
        return c1 < 0 || c2 < 0 || r1 < 1 || r2 < 1 ? null : new MergedRange(Math.Min(r1, r2), Math.Min(c1, c2), Math.Max(r1, r2), Math.Max(c1, c2));
    }
}
