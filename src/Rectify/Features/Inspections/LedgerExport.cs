using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Documents;
using Rectify.Domain;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Rectify.Features.Inspections;

/// <summary>
/// The ledger as an Excel workbook in the 台账 columns offices keep today (reference/ledger_formats.md): one row
/// per measure with its category, finding and the finding's derived state, written row by row to the response as
/// the query streams, so that a 10,000-measure inspection needs no more memory than a small one.
/// </summary>
public static class LedgerExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Header row of the sheet; the title and the as-of line come before it.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "序号", "问题类别", "问题序号", "反馈问题", "问题整改状态", "问题红黄绿", "措施序号", "整改措施", "整改类型", "整改时限",
        "责任领导", "牵头单位", "配合单位", "整改状态", "完成情况", "超期", "逾期未报", "最近报送", "演示假设",
    ];

    /// <summary>What the 超期 and 逾期未报 columns say of a measure that is (empty when it is not).</summary>
    public const string Yes = "是";

    /// <summary>Rows above the header: the title and the as-of line.</summary>
    public const int HeaderRow = 3;

    /// <summary>The file name users see: the inspection's title, 整改台账 and the day.</summary>
    public static string FileName(string inspectionTitle, DateOnly today) =>
        $"{inspectionTitle}整改台账{today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";

    /// <summary>Writes the visible, filtered ledger of one inspection to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, RectifyDbContext db, AccessScope scope, InspectionSummary inspection, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(inspection);
        var visible = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspection.Id);
        var findings = await LedgerQueries.FindingTalliesAsync(visible, today, cancellationToken);
        // 方案截至日期: the plan as it stood that day (each measure's version then); progress columns stay today's.
        var rows = filter.AsOf is { } asOf
            ? LedgerQueries.PlanOnADayAsync(db, scope, inspection.Id, filter, asOf, today, cancellationToken)
            : LedgerQueries.InLedgerOrder(LedgerQueries.Filtered(visible, filter, today))
                .Select(LedgerQueries.AsLedgerMeasure)
                .AsAsyncEnumerable();

        var options = new SpreadCheetahOptions { DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd") };
        await using var sheet = await Spreadsheet.CreateNewAsync(output, options, cancellationToken);
        var worksheet = new WorksheetOptions { FrozenRows = HeaderRow };
        double[] widths = [6, 24, 8, 28, 10, 8, 8, 60, 10, 12, 10, 16, 20, 12, 10, 6, 8, 17, 14];
        for (var i = 0; i < widths.Length; i++)
        {
            worksheet.Column(i + 1).Width = widths[i];
        }

        await sheet.StartWorksheetAsync("整改台账", worksheet, cancellationToken);
        var title = sheet.AddStyle(new Style { Font = { Bold = true, Size = 14 } });
        var header = sheet.AddStyle(new Style { Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xE8, 0xEE, 0xF6) } });
        var wrap = sheet.AddStyle(new Style { Alignment = { WrapText = true, Vertical = VerticalAlignment.Top } });
        var date = sheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd"), Alignment = { Vertical = VerticalAlignment.Top } });
        var top = sheet.AddStyle(new Style { Alignment = { Vertical = VerticalAlignment.Top } });

        await sheet.AddRowAsync([new Cell($"{inspection.Title}反馈问题整改台账", title)], cancellationToken);
        var scopeNote = (filter is { Unit: null, State: null, Kind: null, Overdue: false } ? "全部措施" : "已按台账页面的筛选条件导出")
            + (filter.AsOf is { } day ? $"；整改方案截至 {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}，状态为今日" : string.Empty);
        await sheet.AddRowAsync(
            [new Cell($"统计截至 {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}（{scopeNote}；报送周期：{Terms.Of(inspection.Cadence)}）；巡察机构：{inspection.InspectingBody}；被巡察党组织：{inspection.InspectedOrganization}")],
            cancellationToken);
        await sheet.AddHeaderRowAsync([.. Columns], header, cancellationToken);

        var n = 0;
        var cells = new Cell[Columns.Count];
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            var finding = findings.GetValueOrDefault(r.FindingId);
            cells[0] = new Cell(++n, top);
            cells[1] = new Cell($"({ChineseNumerals.Format(r.CategoryNumber)}){r.CategoryTitle}", wrap);
            cells[2] = new Cell(r.FindingNumber, top);
            cells[3] = new Cell(r.FindingTitle, wrap);
            cells[4] = new Cell(Terms.Of(finding.FindingState), top);
            cells[5] = new Cell(Terms.Of(finding.FindingSignal), top);
            cells[6] = new Cell($"{r.FindingNumber}.{r.Number}", top);
            cells[7] = new Cell(r.Text, wrap);
            cells[8] = new Cell(Terms.Of(r.Kind), top);
            cells[9] = r.Deadline is { } d ? new Cell(d.ToDateTime(TimeOnly.MinValue), date) : new Cell(r.Kind == MeasureKind.Ongoing ? $"{Terms.Of(inspection.Cadence)}报送" : string.Empty, top);
            cells[10] = new Cell(r.Leader ?? string.Empty, top);
            cells[11] = new Cell(r.LeadUnit ?? string.Empty, wrap);
            cells[12] = new Cell(string.Join("、", r.Supporting), wrap);
            cells[13] = new Cell(Terms.Of(r.State), top);
            cells[14] = new Cell(Terms.Of(Measure.CompletionAt(r.Facts, today)), top);
            cells[15] = new Cell(Measure.IsPastDeadlineAt(r.Facts, today) ? Yes : string.Empty, top);
            cells[16] = new Cell(Measure.IsMissingCadenceReportAt(r.Facts, today) ? Yes : string.Empty, top);
            cells[17] = new Cell(r.Facts.LastReportAtUtc is { } last ? ChinaTime.ToChina(last).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty, top);
            cells[18] = new Cell(Assumed(r.AssumedFields), wrap);
            await sheet.AddRowAsync(cells, cancellationToken);
        }

        await sheet.FinishAsync(cancellationToken);
    }

    /// <summary>The fields a source document did not state, named as the ledger's columns (演示假设 / 导入假设).</summary>
    private static string Assumed(AssumedFields assumed)
    {
        if (assumed == AssumedFields.None)
        {
            return string.Empty;
        }

        var names = new List<string>();
        if (assumed.HasFlag(AssumedFields.Kind))
        {
            names.Add("整改类型");
        }

        if (assumed.HasFlag(AssumedFields.Deadline))
        {
            names.Add("整改时限");
        }

        if (assumed.HasFlag(AssumedFields.ResponsibleLeader))
        {
            names.Add("责任领导");
        }

        if (assumed.HasFlag(AssumedFields.LeadUnit))
        {
            names.Add("牵头单位");
        }

        return string.Join("、", names);
    }
}
