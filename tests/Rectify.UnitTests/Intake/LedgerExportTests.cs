using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>The ledger export is the template the import reads: whatever the ledger holds, export → read gives the same draft.</summary>
public sealed class LedgerExportTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    private static readonly InspectionSummary Inspection = new(1, "十四届区委第三轮巡察", "区委第一巡察组", "中共某某街道工作委员会", null, null, null, 0, 0, 0, ReportingCadence.Monthly);

    [Fact]
    public void Any_ledger_exported_reads_back_through_the_import_as_the_same_ledger()
    {
        var property = Prop.ForAll(Arb.From(ExportGen.Ledger), ledger =>
        {
            var draft = LedgerWorkbookReader.Read(new MemoryStream(Export(ledger)));

            Assert.Equal(Expected(ledger.Rows), Drafts.Lines(draft));
            Assert.Empty(Drafts.Problems(draft));
            Assert.Equal($"{Inspection.Title}反馈问题整改台账", draft.Inspection.Title);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void The_export_writes_the_as_of_line_under_the_title_and_the_output_only_columns_after_the_template_s()
    {
        var none = new ExportOutcome(null, null, null, null, null, null);
        ExportMeasure[] rows =
        [
            new(ExportGen.Measure(1, "党建方面", 1, "问题甲", 1, "措施一", MeasureKind.TimeBound, new DateOnly(2026, 6, 30), "王某", "党政办", ["组织办"], MeasureState.InProgress, AssumedFields.Kind), none),
            new(ExportGen.Measure(1, "党建方面", 1, "问题甲", 2, "措施二", MeasureKind.Ongoing, null, null, null, [], MeasureState.Ongoing, AssumedFields.None), none),
        ];
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(Export(new ExportLedger(rows))), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.WorksheetParts.Single(p => p.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.MergeCell>().Any()).Worksheet;
        var lines = sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Take(3)
            .Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText).ToList()).ToList();

        Assert.Equal([$"{Inspection.Title}反馈问题整改台账"], lines[0]);
        Assert.Equal(["统计截至 2026-03-15（全部措施；报送周期：每月）；巡察机构：区委第一巡察组；被巡察党组织：中共某某街道工作委员会"], lines[1]);
        Assert.Equal(LedgerExport.Columns, lines[2]);
        Assert.Equal([.. LedgerTemplate.Columns, .. LedgerColumns.Facts], LedgerExport.Columns);
        // No output-only column names a field but the 原台账状态 and 原台账进展, never read from this system's own files.
        Assert.All(LedgerColumns.OutputOnly, c => Assert.True(LedgerColumns.Match(c) is null or { Field: LedgerField.Standing or LedgerField.Progress }, c));
        Assert.Equal(["1.1", "一、党建方面", "问题甲", "措施一", "限期整改", "王某", "党政办", "组织办"], sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ElementAt(3).Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Take(8).Select(c => c.InnerText));
        Assert.Equal(["整改中", "黄", "未完成", string.Empty, string.Empty, string.Empty, "整改类型", string.Empty, string.Empty], sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ElementAt(3).Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Skip(13).Select(c => c.InnerText));
    }

    [Fact]
    public void The_outcome_columns_say_the_accepted_progress_the_sign_off_in_force_and_the_look_backs()
    {
        var measure = ExportGen.Measure(1, "类别", 1, "问题", 1, "措施", MeasureKind.TimeBound, new DateOnly(2025, 6, 30), null, "党政办", [], MeasureState.SignedOff, AssumedFields.None);
        var signedOff = new DateTime(2025, 6, 30, 17, 0, 0, DateTimeKind.Utc); // 7月1日 in China
        var outcome = new ExportOutcome("采纳的进展", "待审的进展", signedOff, LookBackResult.Consolidated, new DateTime(2025, 12, 31, 20, 0, 0, DateTimeKind.Utc), new DateOnly(2026, 6, 30));

        var row = LedgerExport.ToRow(new ExportMeasure(measure, outcome), new MeasureTally(1, 1, 0, 0, 0), SignalRules.Default, Today);

        Assert.Equal(("采纳的进展", new DateOnly(2025, 7, 1), "巩固（2026-01-01）；待回头看（2026-06-30 前）", "已销号"), (row.Progress, row.SignedOffOn, row.LookBackResult, row.State));
        Assert.Equal(new LedgerFacts("已完成", "绿", "已完成", null, null, null, null), row.Facts);

        // Nothing accepted yet: the report awaiting review, marked. Reopened: no sign-off date.
        var reopened = LedgerExport.ToRow(new ExportMeasure(measure with { State = MeasureState.InProgress, Facts = measure.Facts with { State = MeasureState.InProgress } }, outcome with { AcceptedProgress = null, LookBack = LookBackResult.Rebound, LookBackDue = null }), new MeasureTally(1, 0, 0, 1, 0), SignalRules.Default, Today);
        Assert.Equal((LedgerExport.Pending + "待审的进展", (DateOnly?)null, "反弹（2026-01-01）"), (reopened.Progress, reopened.SignedOffOn, reopened.LookBackResult));
        Assert.Equal(("红", LedgerExport.Yes, null), (reopened.Facts!.FindingSignal, reopened.Facts.PastDeadline, reopened.Facts.MissingReport));
        Assert.Null(LedgerExport.ToRow(new ExportMeasure(measure, new ExportOutcome(null, null, null, null, null, null)), default, SignalRules.Default, Today).Progress);
    }

    private static byte[] Export(ExportLedger ledger)
    {
        using var file = new MemoryStream();
        LedgerExport.WriteAsync(file, Inspection, "全部措施", ledger.Tallies, SignalRules.Default, Async(ledger.Rows), Today, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return file.ToArray();

        static async IAsyncEnumerable<ExportMeasure> Async(IEnumerable<ExportMeasure> rows)
        {
            foreach (var row in rows)
            {
                await Task.Yield();
                yield return row;
            }
        }
    }

    /// <summary>The draft lines (<see cref="Drafts.Lines"/>) the exported measures must read back as.</summary>
    private static List<string> Expected(IEnumerable<ExportMeasure> rows) =>
        [.. rows.Select(e => e.Measure).Select(r => string.Join(" | ",
            $"{r.CategoryNumber} {r.CategoryTitle}",
            $"{r.FindingNumber} {r.FindingTitle}",
            $"{r.Number} {r.Text}",
            Terms.Of(r.Kind),
            r.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
            r.Leader ?? "-",
            r.LeadUnit ?? "-",
            r.Supporting.Count > 0 ? string.Join("/", r.Supporting) : "-"))];
}

/// <summary>An exported ledger: its rows in ledger order and each finding's tally.</summary>
internal sealed record ExportLedger(IReadOnlyList<ExportMeasure> Rows)
{
    public Dictionary<int, MeasureTally> Tallies { get; } = Rows.GroupBy(r => r.Measure.FindingId).ToDictionary(
        g => g.Key,
        g => new MeasureTally(g.Count(), g.Count(r => r.Measure.State == MeasureState.SignedOff), g.Count(r => r.Measure.State == MeasureState.Ongoing), g.Count(r => Measure.IsPastDeadlineAt(r.Measure.Facts, new DateOnly(2026, 3, 15))), 0));

    public override string ToString() => string.Join("\n", Rows.Select(r => r.Measure));
}

/// <summary>
/// Ledgers as the database could hold them: 1–4 categories and 1–3 findings each with distinct numbers, titles that
/// may start with what reads as a number ("3.", "（2）", "１２、", "2024年"), texts with 、，/ line breaks, full-width
/// digits and up to a few hundred characters, every kind with or without a deadline (限期整改 always with one), a
/// leader or none, a lead unit and supporting units (names without list separators, full-width digits and brackets
/// allowed), any state, what became of the measure and the 演示假设 marks.
/// </summary>
internal static class ExportGen
{
    private const string Hanzi = "党建作风纪律组织宣传财务制度监督检查落实整改问题措施学习会议资金项目管理责任基层社区街道工程廉政风险排查台账销号";
    private const string Punctuation = "，。；：、（）“”—/0123456789０１２３４５６７８９ＡＢ ";

    private static Gen<string> Text(int min, int max, string alphabet) =>
        from first in Gen.Elements(Hanzi.ToCharArray())
        from length in Gen.Choose(min - 1, max - 1)
        from rest in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        from last in Gen.Elements(Hanzi.ToCharArray())
        select first + new string(rest) + last;

    private static Gen<string> Title(int max) =>
        from prefix in Gen.Elements(string.Empty, string.Empty, string.Empty, "3.", "（2）", "１２、", "2024年", "一、", "(7)")
        from text in Text(1, max, Hanzi + Punctuation + "\n")
        select prefix + text;

    private static Gen<string> Unit => Text(2, 10, Hanzi + "０１２３（）()第");

    private static Gen<DateOnly> Date => Gen.Choose(0, 3650).Select(d => new DateOnly(2022, 1, 1).AddDays(d));

    private static Gen<int[]> Distinct(int count, int max) => Gen.Shuffle(Enumerable.Range(1, max)).Select(all => all.Take(count).ToArray());

    public static LedgerMeasure Measure(int category, string categoryTitle, int finding, string findingTitle, int number, string text, MeasureKind kind, DateOnly? deadline, string? leader, string? lead, List<string> supporting, MeasureState state, AssumedFields assumed) =>
        new(finding * 100 + number, category, categoryTitle, finding, finding, findingTitle, number, text, kind, deadline, leader, null, lead, supporting, state, assumed,
            new OverdueFacts(kind, state, deadline, null, null, null));

    private static Gen<ExportMeasure> Row(int category, string categoryTitle, int finding, string findingTitle, int number) =>
        from text in Gen.OneOf(Text(1, 60, Hanzi + Punctuation + "\n"), Text(200, 400, Hanzi + Punctuation + "\n"))
        from kind in Gen.Elements(MeasureKind.Immediate, MeasureKind.TimeBound, MeasureKind.Ongoing)
        from hasDate in Gen.Elements(true, false)
        from date in Date
        from leader in Gen.OneOf(Gen.Constant<string?>(null), Text(2, 4, Hanzi).Select(s => (string?)s))
        from units in Gen.ArrayOf(Unit, 4).Select(u => u.Distinct(StringComparer.Ordinal).ToList())
        from hasLead in Gen.Elements(true, false)
        from supportCount in Gen.Choose(0, 3)
        from state in Gen.Elements(Enum.GetValues<MeasureState>())
        from assumed in Gen.Choose(0, 15)
        from accepted in Gen.OneOf(Gen.Constant<string?>(null), Text(1, 80, Hanzi + Punctuation + "\n").Select(s => (string?)s))
        from pending in Gen.OneOf(Gen.Constant<string?>(null), Text(1, 30, Hanzi + Punctuation).Select(s => (string?)s))
        from lookBack in Gen.Elements<LookBackResult?>(null, LookBackResult.Consolidated, LookBackResult.Rebound)
        let deadline = kind == MeasureKind.TimeBound || hasDate ? (DateOnly?)date : null
        let lead = hasLead ? units[0] : null
        let supporting = units.Skip(1).Take(supportCount).ToList()
        select new ExportMeasure(
            Measure(category, categoryTitle, finding, findingTitle, number, text, kind, deadline, leader, lead, supporting, state, (AssumedFields)assumed),
            new ExportOutcome(accepted, pending, state == MeasureState.SignedOff ? new DateTime(2025, 5, 1, 3, 0, 0, DateTimeKind.Utc) : null, lookBack, lookBack is null ? null : new DateTime(2025, 11, 1, 3, 0, 0, DateTimeKind.Utc), null));

    public static Gen<ExportLedger> Ledger =>
        from categoryCount in Gen.Choose(1, 4)
        from categoryNumbers in Distinct(categoryCount, 120)
        from findingCounts in Gen.ArrayOf(Gen.Choose(1, 3), categoryCount)
        from findingNumbers in Distinct(findingCounts.Sum(), 500)
        from categories in Gen.ArrayOf(Title(12), categoryCount)
        from findings in Gen.ArrayOf(Title(40), findingCounts.Sum())
        from measureCounts in Gen.ArrayOf(Gen.Choose(1, 4), findingCounts.Sum())
        from measureNumbers in Gen.ArrayOf(Distinct(4, 30), findingCounts.Sum())
        from rows in Rows(categoryNumbers, categories, findingCounts, findingNumbers, findings, measureCounts, measureNumbers)
        select new ExportLedger(rows);

    private static Gen<IReadOnlyList<ExportMeasure>> Rows(int[] categoryNumbers, string[] categories, int[] findingCounts, int[] findingNumbers, string[] findings, int[] measureCounts, int[][] measureNumbers)
    {
        var gens = new List<Gen<ExportMeasure>>();
        var f = 0;
        for (var c = 0; c < categoryNumbers.Length; c++)
        {
            for (var k = 0; k < findingCounts[c]; k++, f++)
            {
                for (var m = 0; m < measureCounts[f]; m++)
                {
                    gens.Add(Row(categoryNumbers[c], categories[c], findingNumbers[f], findings[f], measureNumbers[f][m]));
                }
            }
        }

        return gens.Aggregate(
            Gen.Constant<IReadOnlyList<ExportMeasure>>([]),
            (all, next) => from list in all from row in next select (IReadOnlyList<ExportMeasure>)[.. list, row]);
    }
}
