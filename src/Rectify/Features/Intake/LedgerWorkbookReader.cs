using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>How much a workbook may hold before it is refused unread.</summary>
/// <param name="MaxFileBytes">The file itself.</param>
/// <param name="MaxUncompressedBytes">All its parts together, unpacked, by what the zip directory declares.</param>
/// <param name="MaxCompressionRatio">How tightly one part of 1 MB or more may be packed (unpacked : packed).</param>
/// <param name="MaxDataRows">Non-empty rows under the header of the sheet read.</param>
public sealed record LedgerReadLimits(
    long MaxFileBytes = 100L * 1024 * 1024,
    long MaxUncompressedBytes = 100L * 1024 * 1024,
    int MaxCompressionRatio = 200,
    int MaxDataRows = 20_000)
{
    public static LedgerReadLimits Default { get; } = new();
}

/// <summary>A sheet of a workbook, for the office to choose which one to import.</summary>
/// <param name="Index">0-based position among the workbook's sheets.</param>
/// <param name="Name">The sheet's tab name.</param>
/// <param name="Rows">How many rows hold anything.</param>
/// <param name="Hidden">Hidden in the workbook (still readable by choosing it).</param>
/// <param name="HasHeader">A ledger header was found near its top: this sheet can be read.</param>
public sealed record LedgerSheet(int Index, string Name, int Rows, bool Hidden, bool HasHeader);

/// <summary>
/// Reads an Excel ledger (.xlsx) into an <see cref="IntakeDraft"/>, with the Open XML SDK (ADR 0008).
/// <para>
/// A file is refused whole, before anything in it is interpreted, by throwing <see cref="BusinessRuleViolationException"/>
/// (<see cref="Refusal.Invalid"/>, with a message in Chinese that says what to do): an .xls or other OLE2 file, a
/// password-protected workbook, a damaged zip or one that is not a spreadsheet, a file or unpacked content over the
/// limits or packed like a zip bomb (<see cref="LedgerReadLimits"/>), a sheet that is not there, a sheet without a
/// header row, more than <see cref="LedgerReadLimits.MaxDataRows"/> data rows, a formula saved without its result in
/// a column that is read. Everything else is read, and what is wrong with a row becomes an <see cref="IntakeProblem"/>.
/// </para>
/// <para>How a sheet is read:</para>
/// <list type="bullet">
/// <item>The header is the row, among the first 30, that names the measure column (整改措施/整改任务) and at least one
/// more; rows above it (a title, blank rows) are skipped, and the first text above it is the ledger's title. Columns
/// are known by their names and the names offices use for them (整改时限/完成时限/完成时间, 牵头单位/责任单位/牵头部门,
/// 责任领导/分管领导/牵头领导, 配合单位/协办单位, 问题类别/类别/方面, 反馈问题/问题/存在问题, 整改措施/整改任务, 序号,
/// 整改类型/整改类别); other columns (整改进展, 状态…) are ignored.</item>
/// <item>A merged cell's value applies to every row of the range. A category is the category column's value, or a row
/// of its own (one text, such as "一、…方面的问题", across the row or in one cell). A problem is the problem column's
/// value; a row whose problem cell is empty continues the problem above. Hidden rows and columns are skipped, with a
/// warning; empty rows are skipped.</item>
/// <item>整改时限: a date cell, or text such as 2024年12月31日, 2024.12.31, 2024/12/31, 2024-12-31, 2024年12月底 (a month
/// alone means its last day); 长期坚持 or 立行立改 there give the kind. The kind column, when filled, wins (a disagreement
/// is a warning). Full-width digits and spaces are read as ASCII. Units are separated by 、，, / ; or line breaks; when the
/// lead-unit cell names several, the first leads and the others support.</item>
/// <item>Numbers (what a second import updates by): a category's number is the one before its title ("一、", "（一）")
/// or in its 序号 cell, else the previous category's plus one. A problem's number is, in this order, the first part of
/// a 序号 like 3.2 or 3-2; the 序号 when every problem's rows carry at most one whole number (merged, repeated or on its
/// first row: then 序号 numbers problems, not rows); the number before its title ("3.", "3、", "（3）"); else the
/// previous problem's plus one, counting across categories. A measure's number is the second part of a 序号 like 3.2,
/// else the previous measure's in the same problem plus one. The same file therefore always gives the same numbers;
/// numbers repeated within their scope are errors.</item>
/// </list>
/// </summary>
public static class LedgerWorkbookReader
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The workbook's sheets with their row counts and whether each has a ledger header, for the office to choose one.</summary>
    public static IReadOnlyList<LedgerSheet> ListSheets(Stream file, LedgerReadLimits? limits = null) =>
        Open(file, limits ?? LedgerReadLimits.Default, (workbook, context, sheets) =>
        {
            var list = new List<LedgerSheet>();
            for (var i = 0; i < sheets.Count; i++)
            {
                var (sheet, part) = sheets[i];
                var name = sheet.Name?.Value ?? $"Sheet{i + 1}";
                var hidden = sheet.State?.Value is { } state && (state == SheetStateValues.Hidden || state == SheetStateValues.VeryHidden);
                if (part is null)
                {
                    list.Add(new LedgerSheet(i, name, 0, hidden, false));
                    continue;
                }

                var grid = SheetScan.Read(part, context, keepRows: LedgerSheetInterpreter.HeaderWindow * 2, stopAfter: int.MaxValue);
                list.Add(new LedgerSheet(i, name, grid.NonEmptyRows, hidden, LedgerSheetInterpreter.FindHeader(name, grid) is not null));
            }

            return list;
        });

    /// <summary>Reads the sheet of that name; null: the first visible sheet with a ledger header (or the first visible sheet, which is then refused for want of one).</summary>
    public static IntakeDraft Read(Stream file, string? sheetName = null, LedgerReadLimits? limits = null) =>
        Read(file, limits ?? LedgerReadLimits.Default, sheets =>
        {
            if (sheetName is null)
            {
                return null;
            }

            var index = sheets.FindIndex(s => string.Equals(s.Sheet.Name?.Value, sheetName, StringComparison.Ordinal));
            if (index < 0)
            {
                index = sheets.FindIndex(s => string.Equals(s.Sheet.Name?.Value?.Trim(), sheetName.Trim(), StringComparison.OrdinalIgnoreCase));
            }

            return index >= 0 ? index : throw BusinessRules.Refuse(new WorkbookMustHoldTheChosenSheet($"名为“{sheetName}”的工作表"));
        });

    /// <summary>Reads the sheet at that 0-based position (<see cref="LedgerSheet.Index"/>).</summary>
    public static IntakeDraft Read(Stream file, int sheetIndex, LedgerReadLimits? limits = null) =>
        Read(file, limits ?? LedgerReadLimits.Default, sheets =>
            sheetIndex >= 0 && sheetIndex < sheets.Count ? sheetIndex : throw BusinessRules.Refuse(new WorkbookMustHoldTheChosenSheet($"第 {sheetIndex + 1} 个工作表（共 {sheets.Count} 个）")));

    private static IntakeDraft Read(Stream file, LedgerReadLimits limits, Func<List<(Sheet Sheet, WorksheetPart? Part)>, int?> choose) =>
        Open(file, limits, (workbook, context, sheets) =>
        {
            if (sheets.Count == 0)
            {
                throw BusinessRules.Refuse(new WorkbookMustHoldTheChosenSheet("任何工作表"));
            }

            var chosen = choose(sheets);
            SheetGrid? grid = null;
            LedgerHeader? header = null;
            if (chosen is null)
            {
                // No choice made: the first visible sheet that has a ledger header.
                foreach (var i in Enumerable.Range(0, sheets.Count).Where(i => sheets[i].Sheet.State?.Value is null || sheets[i].Sheet.State!.Value == SheetStateValues.Visible))
                {
                    if (sheets[i].Part is { } part)
                    {
                        var probe = SheetScan.Read(part, context, keepRows: LedgerSheetInterpreter.HeaderWindow * 2, stopAfter: LedgerSheetInterpreter.HeaderWindow * 2);
                        if (LedgerSheetInterpreter.FindHeader(NameOf(sheets, i), probe) is not null)
                        {
                            chosen = i;
                            break;
                        }
                    }

                    chosen ??= i;
                }

                chosen ??= 0;
            }

            var index = chosen.Value;
            var name = NameOf(sheets, index);
            if (sheets[index].Part is { } worksheet)
            {
                // Read a little past the limit, so that a sheet over it is refused without being read whole.
                grid = SheetScan.Read(worksheet, context, keepRows: int.MaxValue, stopAfter: limits.MaxDataRows + (LedgerSheetInterpreter.HeaderWindow * 2));
                header = LedgerSheetInterpreter.FindHeader(name, grid);
                if (grid.NonEmptyRows > limits.MaxDataRows + (LedgerSheetInterpreter.HeaderWindow * 2))
                {
                    throw BusinessRules.Refuse(new LedgerSheetHasAtMostSoManyRows(name, limits.MaxDataRows));
                }
            }

            if (grid is { NonEmptyRows: 0 })
            {
                throw BusinessRules.Refuse(new LedgerSheetMustNotBeEmpty(name));
            }

            if (grid is null || header is null)
            {
                throw BusinessRules.Refuse(new LedgerSheetMustHaveAHeaderRow(name, LedgerSheetInterpreter.HeaderWindow));
            }

            return LedgerSheetInterpreter.Interpret(name, grid, header, context.Date1904, limits.MaxDataRows);
        });

    private static string NameOf(List<(Sheet Sheet, WorksheetPart? Part)> sheets, int index) => sheets[index].Sheet.Name?.Value ?? $"Sheet{index + 1}";

    /// <summary>Checks the bytes, opens the package read-only and hands its sheets over; any damage found while reading is the "damaged file" refusal.</summary>
    private static T Open<T>(Stream file, LedgerReadLimits limits, Func<WorkbookPart, WorkbookContext, List<(Sheet Sheet, WorksheetPart? Part)>, T> read)
    {
        ArgumentNullException.ThrowIfNull(file);
        var stream = LedgerPackage.Seekable(file, limits);
        try
        {
            LedgerPackage.Check(stream, limits);
            var settings = new OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes, AutoSave = false };
            using var document = SpreadsheetDocument.Open(stream, false, settings);
            var workbook = document.WorkbookPart ?? throw BusinessRules.Refuse(new LedgerFileMustBeAnXlsxWorkbook());
            var sheets = (workbook.Workbook.Sheets?.Elements<Sheet>() ?? [])
                .Select(s => (s, s.Id?.Value is { } id && workbook.TryGetPartById(id, out var part) ? part as WorksheetPart : null))
                .ToList();
            return read(workbook, new WorkbookContext(workbook, limits.MaxUncompressedBytes), sheets);
        }
        // A damaged package: the SDK says so in several ways — InvalidOperationException ("Specified part does not exist in
        // the package") for a relationship to a part the zip lost, found by ReaderFuzzTests.
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or XmlException or FileFormatException or IOException or InvalidOperationException)
        {
            throw BusinessRules.Refuse(new LedgerFileMustBeAnXlsxWorkbook());
        }
        finally
        {
            if (!ReferenceEquals(stream, file))
            {
                stream.Dispose();
            }
        }
    }
}
