using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FsCheck;
using FsCheck.Fluent;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>The template and the ledger written in its shape: what is written reads back as the same draft, laid out for print.</summary>
public sealed class LedgerTemplateTests
{
    [Fact]
    public void Any_ledger_written_in_the_template_reads_back_as_the_same_draft()
    {
        var property = Prop.ForAll(Arb.From(LedgerGen.Ledger), ledger =>
        {
            using var file = new MemoryStream();
            LedgerTemplate.Write(file, ledger.Title, ledger.Rows);

            var draft = LedgerWorkbookReader.Read(new MemoryStream(file.ToArray()));

            Assert.Equal(Expected(ledger.Rows), Drafts.Lines(draft));
            Assert.Equal(ledger.Title, draft.Inspection.Title);
            Assert.Empty(Drafts.Problems(draft));
            Assert.Equal(Expected(ledger.Rows), Expected([.. LedgerTemplate.RowsOf(draft)]));
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void The_round_trip_holds_for_the_shapes_the_generator_may_miss()
    {
        LedgerRow[] rows =
        [
            new(1, "同名类别", 1, "同名问题", 1, "措施\n第二行", MeasureKind.Ongoing, new DateOnly(2025, 1, 31)),
            new(2, "同名类别", 2, "同名问题", 1, "措施", MeasureKind.Immediate),
            new(2, "同名类别", 3, "同名问题", 7, "措施", null, new DateOnly(2025, 2, 28), "王某、李某", "党政办", ["组织办", "宣传办"]),
            new(100, "第一百类", 400, "大号问题", 30, "措施", MeasureKind.TimeBound, new DateOnly(2030, 12, 31)),
        ];
        using var file = new MemoryStream();
        LedgerTemplate.Write(file, null, rows);

        var draft = LedgerWorkbookReader.Read(new MemoryStream(file.ToArray()));

        Assert.Equal(Expected(rows), Drafts.Lines(draft));
        Assert.Empty(draft.Problems);
        Assert.Null(draft.Inspection.Title);
    }

    [Fact]
    public void The_template_is_laid_out_for_print_and_explains_its_columns()
    {
        using var file = new MemoryStream();
        LedgerTemplate.Write(file, "某某巡察反馈问题整改台账", [
            new(1, "党建方面", 1, "问题甲", 1, "措施一", MeasureKind.TimeBound, new DateOnly(2025, 6, 30)),
            new(1, "党建方面", 1, "问题甲", 2, "措施二", MeasureKind.Ongoing),
            new(1, "党建方面", 2, "问题乙", 1, "措施三", MeasureKind.Immediate),
            new(2, "作风方面", 3, "问题丙", 1, "措施四", MeasureKind.Immediate, Progress: "已完成", SignedOffOn: new DateOnly(2025, 3, 1), LookBackResult: "巩固", State: "已销号"),
        ]);

        using var document = SpreadsheetDocument.Open(new MemoryStream(file.ToArray()), false);
        var workbook = document.WorkbookPart!;
        Assert.Equal([LedgerTemplate.LedgerSheetName, LedgerTemplate.GuideSheetName], workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        var printTitles = workbook.Workbook.DefinedNames!.Elements<DefinedName>().Single();
        Assert.Equal(("_xlnm.Print_Titles", "'整改台账'!$2:$2", 0u), (printTitles.Name!.Value, printTitles.Text, printTitles.LocalSheetId!.Value));

        var ledger = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets.Elements<Sheet>().First().Id!);
        var sheet = ledger.Worksheet;
        var setup = sheet.GetFirstChild<PageSetup>()!;
        Assert.Equal((9u, OrientationValues.Landscape, 1u, 0u), (setup.PaperSize!.Value, setup.Orientation!.Value, setup.FitToWidth!.Value, setup.FitToHeight!.Value));
        Assert.True(sheet.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);
        Assert.Equal(["A1:M1", "B3:B5", "C3:C4"], sheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).Order(StringComparer.Ordinal));

        var rows = sheet.Descendants<Row>().ToList();
        Assert.Equal(LedgerTemplate.Columns, rows[1].Elements<Cell>().Select(c => c.InnerText));
        Assert.Equal(["序号", "问题类别", "反馈问题", "整改措施", "整改类型", "责任领导", "牵头单位", "配合单位", "完成时限", "整改进展", "销号日期", "回头看结果", "状态"], LedgerTemplate.Columns);
        Assert.Equal(["1.2", string.Empty, string.Empty, "措施二", "长期坚持", string.Empty, string.Empty, string.Empty, "长期坚持"], rows[3].Elements<Cell>().Take(9).Select(c => c.InnerText));

        // Every cell of the table has a thin border, wraps, and is set in 仿宋.
        var styles = workbook.WorkbookStylesPart!.Stylesheet;
        var formats = styles.CellFormats!.Elements<CellFormat>().ToList();
        var fonts = styles.Fonts!.Elements<Font>().ToList();
        var borders = styles.Borders!.Elements<Border>().ToList();
        foreach (var cell in rows.Skip(1).SelectMany(r => r.Elements<Cell>()))
        {
            var format = formats[(int)cell.StyleIndex!.Value];
            Assert.Equal("仿宋", fonts[(int)format.FontId!.Value].GetFirstChild<FontName>()!.Val!.Value);
            Assert.Equal(BorderStyleValues.Thin, borders[(int)format.BorderId!.Value].LeftBorder!.Style!.Value);
            Assert.True(format.Alignment!.WrapText!.Value);
        }

        var guide = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets.Elements<Sheet>().Last().Id!);
        var explained = guide.Worksheet.Descendants<Row>().Skip(1).Select(r => r.Elements<Cell>().First().InnerText).ToList();
        Assert.All(LedgerTemplate.Columns.Take(9), c => Assert.Contains(c, explained));
        var text = string.Join("\n", guide.Worksheet.Descendants<Cell>().Select(c => c.InnerText));
        Assert.All(["2024年12月31日", "2024.12.31", "2024/12/31", "2024-12-31", "2024年12月底", "长期坚持", "立行立改", "限期整改", "3.2"], w => Assert.Contains(w, text, StringComparison.Ordinal));
        Assert.Contains("也可叫：整改时限、完成时间", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_workbook_is_valid_against_the_office_open_xml_schema()
    {
        using var file = new MemoryStream();
        LedgerTemplate.Write(file, "某某巡察反馈问题整改台账", [
            new(1, "党建方面", 1, "问题甲", 1, "措施一", MeasureKind.TimeBound, new DateOnly(2025, 6, 30), "王某", "党政办", ["组织办"], "进展", new DateOnly(2025, 7, 1), "巩固", "已销号"),
            new(1, "党建方面", 1, "问题甲", 2, "措施二", MeasureKind.Ongoing),
        ]);

        using var document = SpreadsheetDocument.Open(new MemoryStream(file.ToArray()), false);
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2010).Validate(document, TestContext.Current.CancellationToken)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")
            .ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void The_empty_template_reads_as_a_ledger_with_nothing_to_import()
    {
        using var file = new MemoryStream();
        LedgerTemplate.Write(file, "巡察反馈问题整改台账", []);

        var sheets = LedgerWorkbookReader.ListSheets(new MemoryStream(file.ToArray()));
        var draft = LedgerWorkbookReader.Read(new MemoryStream(file.ToArray()));

        Assert.Equal([(LedgerTemplate.LedgerSheetName, true), (LedgerTemplate.GuideSheetName, false)], sheets.Select(s => (s.Name, s.HasHeader)));
        Assert.Equal(0, draft.MeasureCount);
        Assert.False(draft.CanConfirm);
        Assert.True(draft.ReadsNothing);
    }

    [Fact]
    public async Task A_ledger_streams_in_from_an_async_source_to_an_output_that_cannot_seek()
    {
        var output = new WriteOnly();

        await LedgerTemplate.WriteAsync(output, null, Rows(250), TestContext.Current.CancellationToken);

        var draft = LedgerWorkbookReader.Read(new MemoryStream(output.ToArray()));
        Assert.Equal(250, draft.MeasureCount);
        Assert.Equal(50, draft.FindingCount);
        Assert.False(draft.ReadsNothing);

        static async IAsyncEnumerable<LedgerRow> Rows(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return new LedgerRow(1 + (i / 100), $"类别{1 + (i / 100)}", 1 + (i / 5), $"问题{1 + (i / 5)}", 1 + (i % 5), $"措施{i}");
            }
        }
    }

    /// <summary>The draft lines (<see cref="Drafts.Lines"/>) that rows written in the template must read back as.</summary>
    private static List<string> Expected(IReadOnlyList<LedgerRow> rows) =>
        [.. rows.Select(r => string.Join(" | ",
            $"{r.CategoryNumber} {r.CategoryTitle}",
            $"{r.FindingNumber} {r.FindingTitle}",
            $"{r.MeasureNumber} {r.MeasureText}",
            r.Kind is { } k ? Terms.Of(k) : "-",
            r.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
            r.ResponsibleLeader ?? "-",
            r.LeadUnit ?? "-",
            r.SupportingUnits is { Count: > 0 } s ? string.Join("/", s) : "-"))];

    private sealed class WriteOnly : MemoryStream
    {
        public override bool CanSeek => false;

        public override bool CanRead => false;
    }
}

/// <summary>A generated ledger: its title and its rows in ledger order.</summary>
internal sealed record GeneratedLedger(string? Title, IReadOnlyList<LedgerRow> Rows)
{
    public override string ToString() => $"{Title ?? "(no title)"}\n" + string.Join("\n", Rows);
}

/// <summary>
/// Ledgers as offices could write them: 1–4 categories with distinct numbers (past 99 too), 1–3 findings each with
/// numbers distinct across the ledger, 1–4 measures each with numbers distinct in their finding, texts in Chinese with
/// punctuation and line breaks, any kind with or without a deadline (限期整改 always with one), names and unit lists.
/// </summary>
internal static class LedgerGen
{
    private const string Hanzi = "党建作风纪律组织宣传财务制度监督检查落实整改问题措施学习会议资金项目管理责任基层社区街道工程廉政风险排查台账销号";
    private const string Punctuation = "，。；：、（）“”—0123456789ＡＢ ";

    private static Gen<string> Text(int min, int max, string alphabet) =>
        from first in Gen.Elements(Hanzi.ToCharArray())
        from length in Gen.Choose(min - 1, max - 1)
        from rest in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        from last in Gen.Elements(Hanzi.ToCharArray())
        select first + new string(rest).Trim() + last;

    private static Gen<string> Name => Text(2, 6, Hanzi);

    private static Gen<int[]> Distinct(int count, int max) =>
        Gen.Shuffle(Enumerable.Range(1, max)).Select(all => all.Take(count).ToArray());

    private static Gen<DateOnly> Date => Gen.Choose(0, 3650).Select(d => new DateOnly(2022, 1, 1).AddDays(d));

    private static Gen<(MeasureKind? Kind, DateOnly? Deadline)> Plan =>
        from kind in Gen.Elements<MeasureKind?>(null, MeasureKind.Immediate, MeasureKind.TimeBound, MeasureKind.Ongoing)
        from hasDate in Gen.Elements(true, false)
        from date in Date
        select (kind, kind == MeasureKind.TimeBound || hasDate ? (DateOnly?)date : null);

    private static Gen<LedgerRow> Measure(int category, string categoryTitle, int finding, string findingTitle, int number) =>
        from text in Text(1, 60, Hanzi + Punctuation + "\n")
        from plan in Plan
        from leader in Gen.OneOf(Gen.Constant<string?>(null), Text(2, 8, Hanzi + "、").Select(s => (string?)s))
        from units in Gen.Shuffle(Enumerable.Range(1, 9).Select(i => $"部门{i}")).Select(u => u.ToList())
        from leadCount in Gen.Choose(0, 1)
        from supportCount in Gen.Choose(0, 3)
        from progress in Gen.OneOf(Gen.Constant<string?>(null), Text(1, 20, Hanzi + Punctuation).Select(s => (string?)s))
        from state in Gen.Elements<string?>(null, "整改中", "已销号", "问题类别")
        select new LedgerRow(
            category, categoryTitle, finding, findingTitle, number, text, plan.Kind, plan.Deadline, leader,
            leadCount == 1 ? units[0] : null, units.Skip(1).Take(supportCount).ToList(),
            Progress: progress, State: state, SignedOffOn: plan.Deadline);

    public static Gen<GeneratedLedger> Ledger =>
        from title in Gen.OneOf(Gen.Constant<string?>(null), Text(4, 20, Hanzi).Select(t => (string?)(t + "整改台账")))
        from categoryCount in Gen.Choose(1, 4)
        from categoryNumbers in Distinct(categoryCount, 120)
        from findingCounts in Gen.ArrayOf(Gen.Choose(1, 3), categoryCount)
        from findingNumbers in Distinct(findingCounts.Sum(), 500)
        from categories in Gen.ArrayOf(Name, categoryCount)
        from findings in Gen.ArrayOf(Text(1, 30, Hanzi + Punctuation), findingCounts.Sum())
        from measureCounts in Gen.ArrayOf(Gen.Choose(1, 4), findingCounts.Sum())
        from measureNumbers in Gen.ArrayOf(Distinct(4, 30), findingCounts.Sum())
        from rows in Rows(categoryNumbers, categories, findingCounts, findingNumbers, findings, measureCounts, measureNumbers)
        select new GeneratedLedger(title, rows);

    private static Gen<IReadOnlyList<LedgerRow>> Rows(int[] categoryNumbers, string[] categories, int[] findingCounts, int[] findingNumbers, string[] findings, int[] measureCounts, int[][] measureNumbers)
    {
        var gens = new List<Gen<LedgerRow>>();
        var f = 0;
        for (var c = 0; c < categoryNumbers.Length; c++)
        {
            for (var k = 0; k < findingCounts[c]; k++, f++)
            {
                for (var m = 0; m < measureCounts[f]; m++)
                {
                    gens.Add(Measure(categoryNumbers[c], categories[c], findingNumbers[f], findings[f], measureNumbers[f][m]));
                }
            }
        }

        return gens.Aggregate(
            Gen.Constant<IReadOnlyList<LedgerRow>>([]),
            (all, next) => from list in all from row in next select (IReadOnlyList<LedgerRow>)[.. list, row]);
    }
}
