using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

/// <summary>
/// The inspections an office or an inspection body sees, one row each with its figures, as the workbook it sends on
/// (巡察整改情况汇总表): the title, the as-of line with the filter, the header, then the rows in the list's order; rates as
/// numbers formatted as percentages, so that Excel sorts and sums them. One row an inspection, so the workbook is small
/// (a few hundred KB for thousands of inspections): it is made in memory and then sent, while the figures are computed an
/// inspection at a time.
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
    public static async Task WriteAsync(Stream output, IAsyncEnumerable<InspectionProgress> rows, InspectionListFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var data = new SheetData();
        var across = LedgerColumnLetter(Columns.Count - 1);
        data.Append(Row(1, [Text("巡察整改情况汇总表", TitleStyle)], height: 30));
        data.Append(Row(2, [Text($"统计截至 {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}（{Describe(filter)}）；各项与各巡察的整改概况同一口径，整改方案未审定实施的，时限和超期为暂定", NoteStyle)]));
        data.Append(Row(HeaderRow, [.. Columns.Select(c => Text(c, HeaderStyle))]));
        var number = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            number++;
            var i = r.Inspection;
            var t = r.Totals;
            data.Append(Row((uint)(HeaderRow + number),
            [
                Number(number), Text(i.Title), Text(i.InspectingBody), Text(i.InspectedOrganization),
                i.FeedbackDate is { } fed ? Date(fed) : Text(string.Empty), Text(Terms.Of(i.PlanState)),
                Number(t.Findings), Number(t.CompletedFindings), Number(t.SustainedFindings), Rate(t.FindingCompletionRate),
                Number(t.Measures), Number(t.CompletedMeasures), Number(t.SustainedMeasures), Rate(t.MeasureCompletionRate),
                Number(r.UnfinishedMeasures), Number(t.PastDeadlineMeasures), Number(t.MissingReportMeasures),
                Number(t.RedFindings), Number(t.YellowFindings), Number(t.GreenFindings),
            ]));
        }

        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { VerticalSplit = HeaderRow, HorizontalSplit = 2, TopLeftCell = $"C{HeaderRow + 1}", ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }),
                new Columns(Columns.Select((c, n) => new Column { Min = (uint)(n + 1), Max = (uint)(n + 1), Width = n switch { 0 => 6, 1 => 36, 2 or 3 => 22, 4 => 13, 5 => 11, _ => 9 }, CustomWidth = true })),
                data,
                new MergeCells(new MergeCell { Reference = $"A1:{across}1" }, new MergeCell { Reference = $"A2:{across}2" }) { Count = 2 },
                new PageSetup { Orientation = OrientationValues.Landscape });
            workbook.Workbook = new Workbook(
                new Sheets(new Sheet { Name = SheetName, SheetId = 1, Id = workbook.GetIdOfPart(sheet) }),
                new DefinedNames(new DefinedName($"'{SheetName}'!${HeaderRow}:${HeaderRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = 0 }));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private const uint TitleStyle = 1;
    private const uint NoteStyle = 2;
    private const uint HeaderStyle = 3;
    private const uint CellStyle = 4;
    private const uint NumberStyle = 5;
    private const uint DateStyle = 6;
    private const uint RateStyle = 7;

    private static string LedgerColumnLetter(int index) => Intake.LedgerColumns.Letter(index);

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
            cells[c].CellReference = LedgerColumnLetter(c) + index.ToString(CultureInfo.InvariantCulture);
            row.Append(cells[c]);
        }

        return row;
    }

    private static Cell Text(string text, uint style = CellStyle) =>
        new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { DataType = CellValues.InlineString, StyleIndex = style };

    private static Cell Number(int value) => new(new CellValue(value)) { DataType = CellValues.Number, StyleIndex = NumberStyle };

    private static Cell Rate(decimal percent) => new(new CellValue(percent / 100m)) { DataType = CellValues.Number, StyleIndex = RateStyle };

    private static Cell Date(DateOnly date) => new(new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate())) { DataType = CellValues.Number, StyleIndex = DateStyle };

    /// <summary>仿宋 as the ledger's; the header shaded and bold; thin borders on the table; dates as 2025年3月1日, rates as 98.7%.</summary>
    private static Stylesheet Styles()
    {
        static Font Font(double size, bool bold) =>
            bold
                ? new Font(new Bold(), new FontSize { Val = size }, new FontName { Val = "仿宋" }, new FontCharSet { Val = 134 })
                : new Font(new FontSize { Val = size }, new FontName { Val = "仿宋" }, new FontCharSet { Val = 134 });

        static CellFormat Format(uint font, uint fill, uint border, uint numberFormat, HorizontalAlignmentValues horizontal) =>
            new(new Alignment { Horizontal = horizontal, Vertical = VerticalAlignmentValues.Center, WrapText = true })
            {
                FontId = font,
                FillId = fill,
                BorderId = border,
                NumberFormatId = numberFormat,
                ApplyFont = true,
                ApplyFill = fill != 0,
                ApplyBorder = border != 0,
                ApplyNumberFormat = numberFormat != 0,
                ApplyAlignment = true,
            };

        return new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0%" })
            { Count = 2 },
            new Fonts(Font(11, bold: false), Font(11, bold: true), Font(16, bold: true)) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE7E6E6" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(
                new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
                new Border(
                    new LeftBorder { Style = BorderStyleValues.Thin },
                    new RightBorder { Style = BorderStyleValues.Thin },
                    new TopBorder { Style = BorderStyleValues.Thin },
                    new BottomBorder { Style = BorderStyleValues.Thin },
                    new DiagonalBorder()))
            { Count = 2 },
            new CellStyleFormats(new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 },
                Format(2, 0, 0, 0, HorizontalAlignmentValues.Center),
                Format(0, 0, 0, 0, HorizontalAlignmentValues.Left),
                Format(1, 2, 1, 0, HorizontalAlignmentValues.Center),
                Format(0, 0, 1, 0, HorizontalAlignmentValues.Left),
                Format(0, 0, 1, 0, HorizontalAlignmentValues.Right),
                Format(0, 0, 1, 164, HorizontalAlignmentValues.Center),
                Format(0, 0, 1, 165, HorizontalAlignmentValues.Right))
            { Count = 8 });
    }
}
