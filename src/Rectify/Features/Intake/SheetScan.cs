using System.Globalization;
using DocumentFormat.OpenXml;
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
internal sealed class WorkbookContext
{
    private readonly WorkbookPart workbook;
    private string[]? sharedStrings;
    private bool[]? dateStyles;

    public WorkbookContext(WorkbookPart workbook)
    {
        this.workbook = workbook;
        Date1904 = workbook.Workbook.WorkbookProperties?.Date1904?.Value ?? false;
    }

    public bool Date1904 { get; }

    public string SharedString(int index)
    {
        sharedStrings ??= ReadSharedStrings(workbook.SharedStringTablePart);
        return index >= 0 && index < sharedStrings.Length ? sharedStrings[index] : string.Empty;
    }

    public bool IsDateStyle(int index)
    {
        dateStyles ??= ReadDateStyles(workbook.WorkbookStylesPart?.Stylesheet);
        return index >= 0 && index < dateStyles.Length && dateStyles[index];
    }

    private static string[] ReadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
        {
            return [];
        }

        var strings = new List<string>();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.IsStartElement && reader.ElementType == typeof(SharedStringItem))
            {
                strings.Add(ReadText(reader, typeof(SharedStringItem)));
            }
        }

        return [.. strings];
    }

    /// <summary>
    /// The text of a string item (shared or inline), the reader standing on its start: plain text or rich-text runs
    /// joined, phonetic guides (rPh) left out. Returns with the reader on the item's end.
    /// </summary>
    public static string ReadText(OpenXmlReader reader, Type item)
    {
        string? single = null;
        System.Text.StringBuilder? joined = null;
        var phonetic = 0;
        while (reader.Read())
        {
            var type = reader.ElementType;
            if (type == item && reader.IsEndElement)
            {
                break;
            }

            if (type == typeof(PhoneticRun))
            {
                phonetic += reader.IsStartElement ? 1 : -1;
            }
            else if (type == typeof(Text) && reader.IsStartElement && phonetic == 0)
            {
                var text = reader.GetText();
                if (single is null && joined is null)
                {
                    single = text;
                }
                else
                {
                    joined ??= new System.Text.StringBuilder(single);
                    joined.Append(text);
                }
            }
        }

        return joined?.ToString() ?? single ?? string.Empty;
    }

    private static bool[] ReadDateStyles(Stylesheet? styles)
    {
        if (styles?.CellFormats is null)
        {
            return [];
        }

        var custom = styles.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? string.Empty) ?? [];
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
/// Reads one worksheet part with the Open XML SDK's forward-only reader (SAX), so a sheet costs memory for the
/// cells it holds, not for an object tree of its XML.
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

        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (!reader.IsStartElement)
            {
                continue;
            }

            var type = reader.ElementType;
            if (type == typeof(Row))
            {
                var hidden = false;
                var number = rowNumber + 1;
                foreach (var a in reader.Attributes)
                {
                    if (a.LocalName == "r" && int.TryParse(a.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r))
                    {
                        number = r;
                    }
                    else if (a.LocalName == "hidden")
                    {
                        hidden = a.Value is "1" or "true";
                    }
                }

                rowNumber = number;
                cells.Clear();
                ReadCells(reader, context, cells);
                if (cells.Count > 0)
                {
                    nonEmpty++;
                    if (nonEmpty > stopAfter)
                    {
                        break;
                    }

                    if (rows.Count < keepRows)
                    {
                        rows.Add(new SheetRow(number, hidden, [.. cells]));
                    }
                }
            }
            else if (type == typeof(Column))
            {
                uint min = 0, max = 0;
                var hidden = false;
                foreach (var a in reader.Attributes)
                {
                    switch (a.LocalName)
                    {
                        case "min": _ = uint.TryParse(a.Value, CultureInfo.InvariantCulture, out min); break;
                        case "max": _ = uint.TryParse(a.Value, CultureInfo.InvariantCulture, out max); break;
                        case "hidden": hidden = a.Value is "1" or "true"; break;
                        default: break;
                    }
                }

                // A hidden range may run to the last column (16,384); only the first few hundred can hold a ledger's columns.
                for (var c = min; hidden && c >= 1 && c <= Math.Min(max, 1024u); c++)
                {
                    hiddenColumns.Add((int)c - 1);
                }
            }
            else if (type == typeof(MergeCell))
            {
                var reference = reader.Attributes.FirstOrDefault(a => a.LocalName == "ref").Value;
                if (reference is not null && Range(reference) is { } range)
                {
                    merges.Add(range);
                }
            }
        }

        return new SheetGrid(rows, nonEmpty, merges, hiddenColumns);
    }

    private static void ReadCells(OpenXmlReader reader, WorkbookContext context, List<SheetCell> cells)
    {
        var column = -1;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row) && reader.IsEndElement)
            {
                return;
            }

            if (!reader.IsStartElement || reader.ElementType != typeof(Cell))
            {
                continue;
            }

            string? reference = null, type = null;
            var style = 0;
            foreach (var a in reader.Attributes)
            {
                switch (a.LocalName)
                {
                    case "r": reference = a.Value; break;
                    case "t": type = a.Value; break;
                    case "s": _ = int.TryParse(a.Value, CultureInfo.InvariantCulture, out style); break;
                    default: break;
                }
            }

            column = reference is null ? column + 1 : LedgerColumns.ColumnOf(reference);
            var cell = ReadCell(reader, context, column, type, style);
            if (!cell.IsEmpty)
            {
                cells.Add(cell);
            }
        }
    }

    private static SheetCell ReadCell(OpenXmlReader reader, WorkbookContext context, int column, string? type, int style)
    {
        var formula = false;
        string? value = null;
        string? inline = null;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Cell) && reader.IsEndElement)
            {
                break;
            }

            if (!reader.IsStartElement)
            {
                continue;
            }

            if (reader.ElementType == typeof(CellFormula))
            {
                formula = true;
            }
            else if (reader.ElementType == typeof(CellValue))
            {
                value = reader.GetText();
            }
            else if (reader.ElementType == typeof(InlineString))
            {
                inline = WorkbookContext.ReadText(reader, typeof(InlineString));
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
                return new SheetCell(column, int.TryParse(value, CultureInfo.InvariantCulture, out var index) ? context.SharedString(index) : null, null, CellNote.None);
            case "str":
                return new SheetCell(column, value, null, CellNote.None);
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
