using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Features.Inspections;

/// <summary>What became of a measure, for the export's output-only columns; read with the measure, in the same query.</summary>
/// <param name="AcceptedProgress">The narrative of the latest accepted progress report.</param>
/// <param name="PendingProgress">The narrative of the latest report awaiting review (used only when none is accepted).</param>
/// <param name="SignedOffAtUtc">The last sign-off (批准销号); shown only while the measure is signed off.</param>
/// <param name="LookBack">The result of the latest recorded look-back.</param>
/// <param name="LookBackAtUtc">When it was recorded.</param>
/// <param name="LookBackDue">The due date of a look-back scheduled and not yet recorded.</param>
public sealed record ExportOutcome(string? AcceptedProgress, string? PendingProgress, DateTime? SignedOffAtUtc, LookBackResult? LookBack, DateTime? LookBackAtUtc, DateOnly? LookBackDue);

/// <summary>One row of the export: the ledger's projection of a measure and what became of it.</summary>
public sealed record ExportMeasure(LedgerMeasure Measure, ExportOutcome Outcome);

/// <summary>
/// The ledger as the printable 台账 that the import reads (<see cref="LedgerTemplate"/>'s shape), so that an export
/// imports again as the same categories, findings and measures: the title, the as-of line (统计截至, the filters, 报送周期,
/// 巡察机构, 被巡察党组织), the header, one row per measure with category and finding merged down, laid out for print.
/// After the planning columns come the output-only ones an import ignores (<see cref="LedgerColumns.OutputOnly"/>):
/// 整改进展 (the latest accepted report's narrative; when none is accepted yet, the latest report awaiting review, marked
/// 待审核; a returned report never), 销号日期 (the day, in China, of the sign-off in force), 回头看结果 (the latest recorded
/// result and its day, and a look-back still due), 状态, and the figures' facts (问题整改状态, 问题红黄绿, 完成情况, 超期 and
/// 逾期未报 apart, 最近报送, 待核实). Rows stream from one query (<see cref="Source"/>: the outcome comes from correlated
/// subqueries on indexed columns, not a query per row) into the workbook as they arrive.
/// </summary>
public static class LedgerExport
{
    public const string ContentType = LedgerTemplate.ContentType;

    /// <summary>Header row of the sheet; the title and the as-of line come before it.</summary>
    public static IReadOnlyList<string> Columns => LedgerTemplate.ExportColumns;

    /// <summary>What the 超期 and 逾期未报 columns say of a measure that is (empty when it is not).</summary>
    public const string Yes = "是";

    /// <summary>Rows above the header: the title and the as-of line.</summary>
    public const int HeaderRow = 3;

    /// <summary>How 整改进展 marks a report that is not accepted yet.</summary>
    public const string Pending = "（待审核）";

    /// <summary>The tag (an SQL comment) on the query that reads the rows: it names the statement in the database's logs.</summary>
    public const string QueryTag = "ledger export rows";

    /// <summary>The file name users see: the inspection's title, 整改台账 and the day.</summary>
    public static string FileName(string inspectionTitle, DateOnly today) =>
        $"{Common.InspectionTitles.Then(inspectionTitle, "整改台账")}{today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.xlsx";

    /// <summary>Writes the visible, filtered ledger of one inspection to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, RectifyDbContext db, AccessScope scope, InspectionSummary inspection, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(filter);
        var visible = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspection.Id);
        var signals = await SignalQueries.DayAsync(db, inspection.Id, today, cancellationToken);
        var findings = await SignalQueries.FindingTalliesAsync(db, visible, signals, cancellationToken);
        // A unit's reporter reads its unit's measures only: its sheet says so, not "全部措施".
        var whole = scope.SeesWholeOrganization || scope.IsInspectionBody;
        var scopeNote = (filter.IsUnfiltered ? (whole ? "全部措施" : "本单位牵头或配合的全部措施") : "已按台账页面的筛选条件导出")
            + (filter.AsOf is { } day ? $"；整改方案截至 {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}，状态为今日，不含整改进展、销号日期和回头看结果" : string.Empty);

        // 方案截至日期: the plan as it stood that day (each measure's version then); the state columns stay today's.
        IAsyncEnumerable<ExportMeasure> rows;
        if (filter.AsOf is { } asOf)
        {
            rows = WithoutOutcome(LedgerQueries.PlanOnADayAsync(db, scope, inspection.Id, filter, asOf, today, cancellationToken), cancellationToken);
        }
        else
        {
            // The 配合单位 first (by measure, a seek each), then the rows stream and take theirs.
            var measures = LedgerQueries.Filtered(visible, filter, today);
            rows = WithSupportingUnits(Source(db, measures).TagWith(QueryTag).AsAsyncEnumerable(), await LedgerQueries.SupportingUnitsAsync(measures, cancellationToken), cancellationToken);
        }

        await WriteAsync(output, inspection, scopeNote, findings, signals.Rules, rows, today, cancellationToken);
    }

    private static readonly ExportOutcome NoOutcome = new(null, null, null, null, null, null);

    private static async IAsyncEnumerable<ExportMeasure> WithSupportingUnits(IAsyncEnumerable<ExportMeasure> rows, Dictionary<int, List<string>> units, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (units.TryGetValue(row.Measure.Id, out var names))
            {
                row.Measure.Supporting.AddRange(names);
            }

            yield return row;
        }
    }

    private static async IAsyncEnumerable<ExportMeasure> WithoutOutcome(IAsyncEnumerable<LedgerMeasure> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new ExportMeasure(row, NoOutcome);
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> (in ledger order, e.g. from <see cref="Source"/>) under the inspection's title and
    /// as-of line; <paramref name="findings"/> gives each finding's state and, by <paramref name="rules"/>, its 红黄绿.
    /// </summary>
    public static Task WriteAsync(Stream output, InspectionSummary inspection, string scopeNote, IReadOnlyDictionary<int, MeasureTally> findings, SignalRules rules, IAsyncEnumerable<ExportMeasure> rows, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var layout = new LedgerLayout(
            Common.InspectionTitles.Then(inspection.Title, "反馈问题整改台账"),
            $"统计截至 {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}（{scopeNote}；报送周期：{Terms.Of(inspection.Cadence)}）；巡察机构：{inspection.InspectingBody}；被巡察党组织：{inspection.InspectedOrganization}",
            WithFacts: true);
        return LedgerTemplate.WriteAsync(output, Rows(rows, findings, rules, today, cancellationToken), layout, cancellationToken);
    }

    /// <summary>
    /// The export's rows from any set of measures (the visible and filtered ones today; a plan as approved on a day can
    /// plug in here), in ledger order, in one query (配合单位 left empty: see <see cref="LedgerQueries.SupportingUnitsAsync"/>): the ledger's projection (<see cref="LedgerQueries.AsLedgerMeasure"/>)
    /// and the outcome as correlated subqueries, each a seek on an index by measure (reports by number, transitions by
    /// time, look-backs by result).
    /// </summary>
    public static IQueryable<ExportMeasure> Source(RectifyDbContext db, IQueryable<Measure> measures)
    {
        ArgumentNullException.ThrowIfNull(db);
        Expression<Func<Measure, ExportOutcome>> outcome = m => new ExportOutcome(
            db.ProgressReports.Where(r => r.MeasureId == m.Id && r.State == ProgressReportState.Accepted).OrderByDescending(r => r.Number).Select(r => r.Narrative).FirstOrDefault(),
            db.ProgressReports.Where(r => r.MeasureId == m.Id && r.State == ProgressReportState.Submitted).OrderByDescending(r => r.Number).Select(r => r.Narrative).FirstOrDefault(),
            db.MeasureTransitions.Where(t => t.MeasureId == m.Id && t.ToState == MeasureState.SignedOff).OrderByDescending(t => t.AtUtc).Select(t => (DateTime?)t.AtUtc).FirstOrDefault(),
            db.LookBacks.Where(l => l.MeasureId == m.Id && l.Result != null).OrderByDescending(l => l.ReviewedAtUtc).ThenByDescending(l => l.Id).Select(l => l.Result).FirstOrDefault(),
            db.LookBacks.Where(l => l.MeasureId == m.Id && l.Result != null).OrderByDescending(l => l.ReviewedAtUtc).ThenByDescending(l => l.Id).Select(l => l.ReviewedAtUtc).FirstOrDefault(),
            db.LookBacks.Where(l => l.MeasureId == m.Id && l.Result == null).Select(l => (DateOnly?)l.DueDate).FirstOrDefault());
        var measure = outcome.Parameters[0];
        var row = Expression.Lambda<Func<Measure, ExportMeasure>>(
            Expression.New(
                typeof(ExportMeasure).GetConstructor([typeof(LedgerMeasure), typeof(ExportOutcome)])!,
                ReplacingExpressionVisitor.Replace(LedgerQueries.AsLedgerMeasure.Parameters[0], measure, LedgerQueries.AsLedgerMeasure.Body),
                outcome.Body),
            measure);
        return LedgerQueries.InLedgerOrder(measures).Select(row);
    }

    /// <summary>A measure as the template's row: the planning fields an import reads, then the output-only ones.</summary>
    public static Intake.LedgerRow ToRow(ExportMeasure row, MeasureTally finding, SignalRules rules, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(rules);
        var (r, o) = (row.Measure, row.Outcome);
        return new Intake.LedgerRow(
            r.CategoryNumber,
            r.CategoryTitle,
            r.FindingNumber,
            r.FindingTitle,
            r.Number,
            r.Text,
            r.Kind,
            r.Deadline,
            r.Leader,
            r.LeadUnit,
            r.Supporting,
            Progress: o.AcceptedProgress ?? (o.PendingProgress is { } pending ? Pending + pending : null),
            SignedOffOn: r.State == MeasureState.SignedOff && o.SignedOffAtUtc is { } signedOff ? ChinaTime.DayOf(signedOff) : null,
            LookBackResult: LookBackText(o),
            State: Terms.Of(r.State),
            Facts: new LedgerFacts(
                Terms.Of(finding.FindingState),
                Terms.Of(rules.Of(finding)),
                Terms.Of(Measure.CompletionAt(r.Facts, today)),
                Measure.IsPastDeadlineAt(r.Facts, today) ? Yes : null,
                Measure.IsMissingCadenceReportAt(r.Facts, today) ? Yes : null,
                r.Facts.LastReportAtUtc is { } last ? ChinaTime.ToChina(last).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null,
                Assumed(r.AssumedFields),
                r.OriginalDeadline,
                r.ExtensionCount));
    }

    private static async IAsyncEnumerable<Intake.LedgerRow> Rows(IAsyncEnumerable<ExportMeasure> rows, IReadOnlyDictionary<int, MeasureTally> findings, SignalRules rules, DateOnly today, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return ToRow(row, findings.GetValueOrDefault(row.Measure.FindingId), rules, today);
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>回头看结果: "巩固（2025-09-01）", and "待回头看（2026-03-01 前）" for one still due.</summary>
    private static string? LookBackText(ExportOutcome o)
    {
        var parts = new List<string>(2);
        if (o.LookBack is { } result)
        {
            parts.Add(o.LookBackAtUtc is { } at ? $"{Terms.Of(result)}（{Day(ChinaTime.DayOf(at))}）" : Terms.Of(result));
        }

        if (o.LookBackDue is { } due)
        {
            parts.Add($"待回头看（{Day(due)} 前）");
        }

        return parts.Count == 0 ? null : string.Join("；", parts);
    }

    /// <summary>The fields a source document did not state, named as the ledger's columns (column 待核实（来源未载明）).</summary>
    private static string? Assumed(AssumedFields assumed)
    {
        if (assumed == AssumedFields.None)
        {
            return null;
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
