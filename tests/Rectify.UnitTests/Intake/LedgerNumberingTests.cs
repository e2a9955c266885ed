using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>
/// How categories, findings and measures get their numbers (what a second import updates by), and the row-level
/// problems that are listed for the office to fix rather than refused.
/// </summary>
public sealed class LedgerNumberingTests
{
    private static IntakeDraft Read(Action<TestSheet> fill)
    {
        var book = new TestWorkbook();
        fill(book.Sheet("台账"));
        return LedgerWorkbookReader.Read(book.ToStream());
    }

    private static List<string> Numbers(IntakeDraft draft) =>
        [.. draft.Categories.SelectMany(c => c.Findings.SelectMany(f => f.Measures.Select(m => $"{c.Number}/{f.Number}/{m.Number}")))];

    [Theory]
    [InlineData("3.1", "3.2", "5.1")]
    [InlineData("3-1", "3-2", "5-1")]
    [InlineData("３．１", "３．２", "５．１")]
    [InlineData("3.1.", "3.2.", "5.1.")]
    public void A_dotted_number_gives_the_finding_and_the_measure(string first, string second, string third)
    {
        var draft = Read(s => s
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施")
            .Row(2, first, "（二）作风方面", "问题甲", "措施一")
            .Row(3, second, null, null, "措施二")
            .Row(4, third, null, "问题乙", "措施三")
            .Merge("B2:B4").Merge("C2:C3"));

        Assert.Equal(["2/3/1", "2/3/2", "2/5/1"], Numbers(draft));
        Assert.Equal(["作风方面"], draft.Categories.Select(c => c.Title));
        Assert.Empty(draft.Problems);
    }

    [Fact]
    public void Three_part_numbers_give_the_category_too()
    {
        var draft = Read(s => s
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施")
            .Row(2, "4.7.1", "作风方面", "问题甲", "措施一")
            .Row(3, "4.7.2", "作风方面", "问题甲", "措施二"));

        Assert.Equal(["4/7/1", "4/7/2"], Numbers(draft));
    }

    [Fact]
    public void A_whole_number_on_each_problems_rows_numbers_the_problems()
    {
        // 序号 merged with the problem, or written on its first row only: it numbers problems, not rows.
        var draft = Read(s => s
            .Row(1, "序号", "反馈问题", "整改措施")
            .Row(2, "（一）", "政治建设方面")
            .Row(3, "11", "问题甲", "措施一")
            .Row(4, null, null, "措施二")
            .Row(5, "12", "问题乙", "措施三")
            .Row(6, "12", "问题乙", "措施四")
            .Row(7, "14", "问题丙", "措施五")
            .Merge("A3:A4").Merge("B3:B4"));

        Assert.Equal(["1/11/1", "1/11/2", "1/12/1", "1/12/2", "1/14/1"], Numbers(draft));
    }

    [Fact]
    public void A_whole_number_that_runs_down_the_rows_counts_rows_and_problems_are_numbered_by_their_titles_or_in_order()
    {
        var draft = Read(s => s
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施")
            .Row(2, "1", "一、党建方面", "7.学习不深入", "措施一")
            .Row(3, "2", null, null, "措施二")
            .Row(4, "3", null, "（9）制度执行不严", "措施三")
            .Row(5, "4", "二、作风方面", "会议过多", "措施四")
            .Row(6, "5", null, null, "措施五")
            .Merge("B2:B4").Merge("C2:C3").Merge("B5:B6").Merge("C5:C6"));

        Assert.Equal(["1/7/1", "1/7/2", "1/9/1", "2/10/1", "2/10/2"], Numbers(draft));
        Assert.Equal(["学习不深入", "制度执行不严", "会议过多"], draft.Categories.SelectMany(c => c.Findings).Select(f => f.Title));
        Assert.Equal(["党建方面", "作风方面"], draft.Categories.Select(c => c.Title));
    }

    [Fact]
    public void Without_any_numbers_everything_is_numbered_in_order_and_the_same_file_gives_the_same_numbers()
    {
        void Fill(TestSheet s) => s
            .Row(1, "问题类别", "反馈问题", "整改措施")
            .Row(2, "党建方面", "问题甲", "措施一")
            .Row(3, "党建方面", "问题甲", "措施二")
            .Row(4, "作风方面", "问题乙", "措施三")
            .Row(5, "作风方面", "问题丙", "措施四");

        var first = Read(Fill);
        var second = Read(Fill);

        Assert.Equal(["1/1/1", "1/1/2", "2/2/1", "2/3/1"], Numbers(first));
        Assert.Equal(Drafts.Lines(first), Drafts.Lines(second));
    }

    [Fact]
    public void A_category_that_comes_back_lower_down_is_the_same_category()
    {
        var draft = Read(s => s
            .Row(1, "问题类别", "反馈问题", "整改措施")
            .Row(2, "党建方面", "问题甲", "措施一")
            .Row(3, "作风方面", "问题乙", "措施二")
            .Row(4, "党建方面", "问题丙", "措施三"));

        Assert.Equal(["党建方面", "作风方面"], draft.Categories.Select(c => c.Title));
        Assert.Equal([1, 3], draft.Categories[0].Findings.Select(f => f.Number));
    }

    [Fact]
    public void Repeated_numbers_are_errors_that_name_both_rows()
    {
        var draft = Read(s => s
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施")
            .Row(2, "1.1", "一、党建方面", "问题甲", "措施一")
            .Row(3, "1.1", null, null, "措施二")
            .Row(4, "1.1", "一、作风方面", "问题乙", "措施三")
            .Merge("B2:B3").Merge("C2:C3"));

        Assert.Equal(
            [
                "Error A3: 问题 1 下的措施序号 1 重复（第 2 行已有）。",
                "Error B4: 问题类别序号（一）重复（第 2 行已有）。",
                "Error C4: 问题序号 1 重复（第 2 行已有）。",
            ],
            Drafts.Problems(draft));
        Assert.False(draft.CanConfirm);
    }

    [Fact]
    public void Row_problems_are_listed_with_their_cells_and_the_rest_is_still_read()
    {
        var draft = Read(s => s
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施", "整改类型", "牵头单位", "整改时限")
            .Row(2, "1.1", "党建方面", "问题甲", "措施一", "马上整改", "党政办", "2025-06-30")
            .Row(3, "1.2", null, null, null, "限期整改", "党政办", "2025-06-30")
            .Row(4, "甲", null, null, "措施三", null, null, "明年上半年")
            .Row(5, "1.4", null, null, "措施四", null, null, "2025-02-30")
            .Row(6, null, null, null, "措施五", null, null, 12.5)
            .Merge("B2:B6").Merge("C2:C6"));

        Assert.Equal(
            [
                "Error E2: 无法识别的整改类型“马上整改”（应为立行立改、限期整改或长期坚持）。",
                "Error D3: 整改措施为空。",
                "Error A4: 序号“甲”无法识别（可写 1、1.1、1-1、一 或（一）），已按顺序编号。",
                "Error G4: 无法识别的整改时限“明年上半年”（可写 2024年12月31日、2024.12.31、2024/12/31、2024-12-31、2024年12月底、长期坚持或立行立改）。",
                "Error G5: 无法识别的整改时限“2025-02-30”（可写 2024年12月31日、2024.12.31、2024/12/31、2024-12-31、2024年12月底、长期坚持或立行立改）。",
                "Error G6: 无法识别的整改时限“12.5”。",
            ],
            Drafts.Problems(draft));
        Assert.Equal(["措施一", "措施三", "措施四", "措施五"], draft.Categories.Single().Findings.Single().Measures.Select(m => m.Text));
        Assert.Equal([1, 2, 4, 5], draft.Categories.Single().Findings.Single().Measures.Select(m => m.Number));
        Assert.False(draft.CanConfirm);
    }

    [Fact]
    public void A_measure_with_no_problem_above_it_and_a_problem_with_no_measure_are_errors()
    {
        var draft = Read(s => s
            .Row(1, "问题类别", "反馈问题", "整改措施")
            .Row(2, "党建方面", null, "无主的措施")
            .Row(3, "党建方面", "问题甲", "措施一")
            .Row(4, "作风方面", "问题乙", null)
            .Row(5, "纪律方面", "问题丙", "措施二"));

        Assert.Equal(
            [
                "Error B2: 本行的整改措施没有对应的反馈问题（本行“反馈问题”为空，上面也没有问题）。",
                "Error C4: 问题“问题乙”下没有整改措施。",
            ],
            Drafts.Problems(draft));
        Assert.Equal(["问题甲", "问题乙", "问题丙"], draft.Categories.SelectMany(c => c.Findings).Select(f => f.Title));
    }

    [Fact]
    public void An_error_value_in_a_cell_is_a_problem()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "反馈问题", "整改措施", "牵头单位")
            .Row(2, "问题", "措施", "党政办");
        var bytes = book.ToBytes();

        // An error value is written as t="e"; the test workbook writes strings, so patch one cell into an error.
        using var stream = new MemoryStream();
        stream.Write(bytes);
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true))
        {
            var cell = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == "C2");
            cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.Error;
            cell.CellValue = new DocumentFormat.OpenXml.Spreadsheet.CellValue("#N/A");
        }

        var draft = LedgerWorkbookReader.Read(new MemoryStream(stream.ToArray()));

        Assert.Contains("Error C2: 单元格的值是错误值 #N/A，已按空白处理。", Drafts.Problems(draft));
        Assert.Null(draft.Categories.Single().Findings.Single().Measures.Single().LeadUnit);
    }
}
