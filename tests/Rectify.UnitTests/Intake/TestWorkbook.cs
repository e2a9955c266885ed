using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>A number shown in a date format: built-in 14 (yyyy/m/d) or, with Custom, the custom code "yyyy年m月d日".</summary>
internal sealed record DateSerial(double Value, bool Custom = false)
{
    public static DateSerial Of(int year, int month, int day, bool custom = false) => new(new DateTime(year, month, day).ToOADate(), custom);
}

/// <summary>A formula cell, with its saved result or (Cached null) without one.</summary>
internal sealed record FormulaCell(string Formula, string? Cached);

/// <summary>A string written inline in the cell rather than in the shared-string table.</summary>
internal sealed record InlineText(string Text);

/// <summary>
/// Builds .xlsx workbooks for the tests with the Open XML SDK, the way Excel lays them out: strings in the shared
/// table, dates as numbers with a date style, merged ranges, hidden rows and columns, several sheets.
/// </summary>
internal sealed class TestWorkbook
{
    private readonly List<TestSheet> sheets = [];

    /// <summary>The sheet of that name, added at the end when there is none yet.</summary>
    public TestSheet Sheet(string name, bool hidden = false)
    {
        if (sheets.Find(s => s.Name == name) is { } existing)
        {
            return existing;
        }

        var sheet = new TestSheet(name, hidden);
        sheets.Add(sheet);
        return sheet;
    }

    public MemoryStream ToStream() => new(ToBytes());

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 176, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" }) { Count = 1 },
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellStyleFormats(new CellFormat()) { Count = 1 },
                new CellFormats(
                    new CellFormat { NumberFormatId = 0 },
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 176, ApplyNumberFormat = true })
                { Count = 3 });

            var strings = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var list = new Sheets();
            uint id = 1;
            foreach (var s in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = s.Build(text =>
                {
                    if (!index.TryGetValue(text, out var i))
                    {
                        i = strings.Count;
                        strings.Add(text);
                        index[text] = i;
                    }

                    return i;
                });
                list.Append(new Sheet { Name = s.Name, SheetId = id++, Id = workbook.GetIdOfPart(part), State = s.Hidden ? SheetStateValues.Hidden : null });
            }

            var table = workbook.AddNewPart<SharedStringTablePart>();
            table.SharedStringTable = new SharedStringTable(strings.Select(t => new SharedStringItem(new Text(t) { Space = SpaceProcessingModeValues.Preserve })));
            workbook.Workbook.Append(list);
        }

        return stream.ToArray();
    }
}

internal sealed class TestSheet(string name, bool hidden)
{
    private readonly SortedDictionary<int, SortedDictionary<int, object>> cells = [];
    private readonly List<string> merges = [];
    private readonly HashSet<int> hiddenRows = [];
    private readonly SortedSet<int> hiddenColumns = [];

    public string Name { get; } = name;

    public bool Hidden { get; } = hidden;

    /// <summary>Values from column A on; null leaves a cell empty.</summary>
    public TestSheet Row(int row, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                Set(row, i, v);
            }
        }

        return this;
    }

    public TestSheet At(string reference, object value)
    {
        Set(LedgerColumns.RowOf(reference), LedgerColumns.ColumnOf(reference), value);
        return this;
    }

    public TestSheet Merge(string range)
    {
        merges.Add(range);
        return this;
    }

    public TestSheet HideRow(int row)
    {
        hiddenRows.Add(row);
        return this;
    }

    public TestSheet HideColumn(string letter)
    {
        hiddenColumns.Add(LedgerColumns.ColumnOf(letter));
        return this;
    }

    private void Set(int row, int column, object value)
    {
        if (!cells.TryGetValue(row, out var r))
        {
            cells[row] = r = [];
        }

        r[column] = value;
    }

    public Worksheet Build(Func<string, int> shared)
    {
        var worksheet = new Worksheet();
        if (hiddenColumns.Count > 0)
        {
            worksheet.Append(new Columns(hiddenColumns.Select(c => new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = 10, Hidden = true, CustomWidth = true })));
        }

        var data = new SheetData();
        foreach (var rowNumber in cells.Keys.Union(hiddenRows).Order())
        {
            var row = new Row { RowIndex = (uint)rowNumber, Hidden = hiddenRows.Contains(rowNumber) ? true : null };
            foreach (var (column, value) in cells.GetValueOrDefault(rowNumber) ?? [])
            {
                var cell = new Cell { CellReference = LedgerColumns.Letter(column) + rowNumber.ToString(CultureInfo.InvariantCulture) };
                switch (value)
                {
                    case string text:
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(shared(text));
                        break;
                    case InlineText inline:
                        cell.DataType = CellValues.InlineString;
                        cell.InlineString = new InlineString(new Text(inline.Text));
                        break;
                    case DateSerial date:
                        cell.StyleIndex = date.Custom ? 2u : 1u;
                        cell.CellValue = new CellValue(date.Value.ToString(CultureInfo.InvariantCulture));
                        break;
                    case FormulaCell formula:
                        cell.CellFormula = new CellFormula(formula.Formula);
                        if (formula.Cached is { } cached)
                        {
                            cell.DataType = CellValues.String;
                            cell.CellValue = new CellValue(cached);
                        }

                        break;
                    case int n:
                        cell.CellValue = new CellValue(n);
                        break;
                    case double d:
                        cell.CellValue = new CellValue(d.ToString(CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new ArgumentException($"cannot write a {value.GetType().Name}");
                }

                row.Append(cell);
            }

            data.Append(row);
        }

        worksheet.Append(data);
        if (merges.Count > 0)
        {
            worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
        }

        return worksheet;
    }
}

/// <summary>A draft as lines of text, one per measure, for assertions that read like the ledger.</summary>
internal static class Drafts
{
    public static List<string> Lines(IntakeDraft draft) =>
        [.. draft.Categories.SelectMany(c => c.Findings.SelectMany(f => f.Measures.Select(m =>
            string.Join(" | ",
                $"{c.Number} {c.Title}",
                $"{f.Number} {f.Title}",
                $"{m.Number} {m.Text}",
                m.Kind is { } k ? Rectify.Domain.Terms.Of(k) : "-",
                m.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                m.ResponsibleLeader ?? "-",
                m.LeadUnit ?? "-",
                m.SupportingUnits.Count == 0 ? "-" : string.Join("/", m.SupportingUnits)))))];

    public static List<string> Problems(IntakeDraft draft) =>
        [.. draft.Problems.Select(p => $"{p.Severity} {p.Where}: {p.Message}")];
}
