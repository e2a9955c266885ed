using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Features.Inspections;

/// <summary>
/// The inspections an office or an inspection body sees, one row each with its figures, as the workbook it sends on
/// (巡察整改情况汇总表): the title, the as-of line with the filter, the header, then the rows in the list's order; rates as
/// numbers formatted as percentages, so that Excel sorts and sums them; the ledger's styles (<see cref="LedgerTemplate.Styles"/>).
/// One row an inspection: the sheet is written row by row (no tree of cells), the package held in memory until it is
/// whole (about 2.5 KB of XML a row: some 25 MB for a province's 10,000 inspections) and then sent, so that a failure part
/// way answers an error, not a short file. The figures come <see cref="InspectionList.PageSize"/> inspections at a time.
/// </summary>
public static class InspectionListExport
{
    /// <summary>The header row, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "序号", "巡察", "巡察机构", "被巡察党组织", "反馈日期", "整改方案",
        "反馈问题", "已完成问题", "持续整改问题", "完成率（问题）",
        "整改措施", "已完成措施", "持续整改措施", "完成率（措施）", "未完成措施", "超期措施", "逾期未报措施",
        "红", "黄", "绿",
    ];

    /// <summary>Rows above the header: the title and the as-of line.</summary>
    public const int HeaderRow = 3;

    public const string SheetName = "巡察整改情况汇总";

    /// <summary>The file name users see.</summary>
    public static string FileName(DateOnly today) => $"巡察整改情况汇总表{today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";

    /// <summary>What the as-of line says of the filter.</summary>
    public static string Describe(InspectionListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.IsUnfiltered)
        {
            return "全部巡察";
        }

        var parts = new List<string>();
        if (filter.Query is { } q)
        {
            parts.Add($"关键词“{q}”");
        }

        if (filter.Year is { } year)
        {
            parts.Add($"反馈年度 {year.ToString(CultureInfo.InvariantCulture)}");
        }

        return "已按" + string.Join("、", parts) + "筛选";
    }

    /// <summary>Writes the workbook of <paramref name="rows"/> to <paramref name="output"/>.</summary>
    public static async Task<int> WriteAsync(Stream output, IAsyncEnumerable<InspectionFigures> rows, InspectionListFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var across = LedgerColumns.Letter(Columns.Count - 1);
        var number = 0;
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = LedgerTemplate.Styles();
            var sheet = workbook.AddNewPart<WorksheetPart>();

            // The sheet is written element by element into its (deflated) part, not built as a tree: a row is held only
            // while it is written.
            using (var writer = OpenXmlWriter.Create(sheet))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteElement(new SheetViews(new SheetView(new Pane { VerticalSplit = HeaderRow, HorizontalSplit = 2, TopLeftCell = $"C{HeaderRow + 1}", ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }));
                writer.WriteElement(new Columns(Columns.Select((c, n) => new Column { Min = (uint)(n + 1), Max = (uint)(n + 1), Width = n switch { 0 => 6, 1 => 36, 2 or 3 => 22, 4 => 15, 5 => 11, _ => 9 }, CustomWidth = true })));
                writer.WriteStartElement(new SheetData());
                writer.WriteElement(Row(1, [Text("巡察整改情况汇总表", LedgerTemplate.TitleStyle)], height: 30));
                writer.WriteElement(Row(2, [Text($"统计截至 {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}（{Describe(filter)}）；各项与各巡察的整改概况同一口径，整改方案未审定实施的，时限和超期为暂定", LedgerTemplate.NoteStyle)]));
                writer.WriteElement(Row(HeaderRow, [.. Columns.Select(c => Text(c, LedgerTemplate.HeaderStyle))]));
                await foreach (var r in rows.WithCancellation(cancellationToken))
                {
                    number++;
                    var i = r.Inspection;
                    var t = r.Totals;
                    writer.WriteElement(Row((uint)(HeaderRow + number),
                    [
                        Number(number), Text(i.Title), Text(i.InspectingBody), Text(i.InspectedOrganization),
                        i.FeedbackDate is { } fed ? Date(fed) : Text(string.Empty), Text(Terms.Of(i.PlanState)),
                        Number(t.Findings), Number(t.CompletedFindings), Number(t.SustainedFindings), Rate(t.FindingCompletionRate),
                        Number(t.Measures), Number(t.CompletedMeasures), Number(t.SustainedMeasures), Rate(t.MeasureCompletionRate),
                        Number(t.UnfinishedMeasures), Number(t.PastDeadlineMeasures), Number(t.MissingReportMeasures),
                        Number(t.RedFindings), Number(t.YellowFindings), Number(t.GreenFindings),
                    ]));
                }

                writer.WriteEndElement();
                writer.WriteElement(new MergeCells(new MergeCell { Reference = $"A1:{across}1" }, new MergeCell { Reference = $"A2:{across}2" }) { Count = 2 });
                writer.WriteElement(new PageSetup { Orientation = OrientationValues.Landscape });
                writer.WriteEndElement();
            }

            workbook.Workbook = new Workbook(
                new Sheets(new Sheet { Name = SheetName, SheetId = 1, Id = workbook.GetIdOfPart(sheet) }),
                new DefinedNames(new DefinedName($"'{SheetName}'!${HeaderRow}:${HeaderRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = 0 }));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return number;
    }

    private static Row Row(uint index, Cell[] cells, double? height = null)
    {
        var row = new Row { RowIndex = index };
        if (height is { } h)
        {
            row.Height = h;
            row.CustomHeight = true;
        }

        for (var c = 0; c < cells.Length; c++)
        {
            cells[c].CellReference = LedgerColumns.Letter(c) + index.ToString(CultureInfo.InvariantCulture);
            row.Append(cells[c]);
        }

        return row;
    }

    private static Cell Text(string text, uint style = LedgerTemplate.TextStyle) =>
        new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { DataType = CellValues.InlineString, StyleIndex = style };

    private static Cell Number(int value) => new(new CellValue(value)) { DataType = CellValues.Number, StyleIndex = LedgerTemplate.NumberStyle };

    private static Cell Rate(decimal percent) => new(new CellValue(percent / 100m)) { DataType = CellValues.Number, StyleIndex = LedgerTemplate.RateStyle };

    private static Cell Date(DateOnly date) => new(new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate())) { DataType = CellValues.Number, StyleIndex = LedgerTemplate.DateStyle };
}
