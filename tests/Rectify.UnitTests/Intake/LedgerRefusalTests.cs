using System.Text;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>Files refused whole, with a message that says what to do, before any row is interpreted.</summary>
public sealed class LedgerRefusalTests
{
    private static TestWorkbook Ledger(int rows = 2)
    {
        var book = new TestWorkbook();
        var sheet = book.Sheet("台账").Row(1, "序号", "反馈问题", "整改措施", "整改时限");
        for (var r = 2; r <= rows + 1; r++)
        {
            sheet.Row(r, (r - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"问题{r}", $"措施{r}", "2025-06-30");
        }

        return book;
    }

    private static BusinessRuleViolationException Refused(Func<IntakeDraft> read)
    {
        var refused = Assert.Throws<BusinessRuleViolationException>(() => read());
        Assert.Equal(Refusal.Invalid, refused.Refusal);
        return refused;
    }

    [Fact]
    public void An_empty_sheet_is_refused_as_empty_not_as_missing_its_header()
    {
        var book = new TestWorkbook();
        book.Sheet("Sheet1");

        var refused = Refused(() => LedgerWorkbookReader.Read(book.ToStream()));

        Assert.Equal(nameof(LedgerSheetMustNotBeEmpty), refused.RuleName);
        Assert.Equal("工作表“Sheet1”是空的，没有可导入的内容。请选择填写了台账的工作表，或下载导入模板填写后再导入。", refused.Message);
    }

    [Fact]
    public void An_xls_file_is_refused_with_how_to_save_it_as_xlsx()
    {
        var xls = TestFiles.CompoundFile("Workbook", "\u0005SummaryInformation");

        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(xls)));

        Assert.Equal(nameof(LegacyExcelFilesAreNotRead), refused.RuleName);
        Assert.Contains("另存为", refused.Message, StringComparison.Ordinal);
        Assert.Contains(".xlsx", refused.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(LegacyExcelFilesAreNotRead), Assert.Throws<BusinessRuleViolationException>(() => LedgerWorkbookReader.ListSheets(new MemoryStream(xls))).RuleName);
    }

    [Fact]
    public void A_password_protected_workbook_is_refused_as_such_not_as_an_xls()
    {
        var encrypted = TestFiles.CompoundFile("EncryptionInfo", "EncryptedPackage", "\u0006DataSpaces");

        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(encrypted)));

        Assert.Equal(nameof(PasswordProtectedFilesAreNotRead), refused.RuleName);
        Assert.StartsWith("文件受密码保护，请取消密码后再导入", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_zip_a_text_file_and_a_zip_that_is_no_workbook_are_refused_as_damaged()
    {
        var good = Ledger().ToBytes();
        byte[] truncated = good[..(good.Length / 2)];
        var text = Encoding.UTF8.GetBytes("序号,反馈问题,整改措施\n1,问题,措施\n");
        var notAWorkbook = TestFiles.Zip(("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"));
        var flipped = (byte[])good.Clone();
        for (var i = 200; i < flipped.Length - 200; i += 7)
        {
            flipped[i] ^= 0x5A;
        }

        foreach (var bytes in new[] { truncated, text, notAWorkbook, flipped, Array.Empty<byte>() })
        {
            var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(bytes)));
            Assert.Equal(nameof(LedgerFileMustBeAnXlsxWorkbook), refused.RuleName);
        }
    }

    [Fact]
    public void A_workbook_part_nesting_thousands_deep_is_refused_before_it_is_opened()
    {
        // The workbook's own part, its styles or any other: 50,000 elements within elements in a few kilobytes would
        // overflow the stack of the SDK's recursive reading, which ends the server process.
        var deep = "<extLst><ext uri=\"{0}\">" + string.Concat(Enumerable.Repeat("<a>", 50_000)) + string.Concat(Enumerable.Repeat("</a>", 50_000)) + "</ext></extLst>";
        var extra = TestFiles.AddEntry(Ledger().ToBytes(), "xl/other.xml", Encoding.UTF8.GetBytes("<x>" + deep + "</x>"));
        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(extra)));
        Assert.Equal(nameof(LedgerFileMustStayWithinSizeLimits), refused.RuleName);
        Assert.Equal($"文件中的“xl/other.xml”嵌套超过 {Rectify.Documents.ZipLimits.MostXmlDepth} 层，不像正常的整改台账，已拒绝读取。请删除无关的工作表、图片后再导入，或拆分为多个文件。", refused.Message);

        var inWorkbook = TestFiles.ReplaceEntry(Ledger().ToBytes(), "xl/workbook.xml", xml => xml.Insert(xml.LastIndexOf("</", StringComparison.Ordinal), deep));
        var inside = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(inWorkbook)));
        Assert.Contains("中的“xl/workbook.xml”嵌套超过", inside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_packed_like_a_zip_bomb_is_refused_before_it_is_unpacked()
    {
        var bytes = TestFiles.AddEntry(Ledger().ToBytes(), "xl/media/image1.bin", new byte[5 * 1024 * 1024]);

        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(bytes)));

        Assert.Equal(nameof(LedgerFileMustStayWithinSizeLimits), refused.RuleName);
        Assert.Contains("压缩比超过 200:1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_file_unpacks_to_is_capped_by_its_declared_sizes()
    {
        var random = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(random);
        var bytes = TestFiles.AddEntry(Ledger().ToBytes(), "xl/media/image1.bin", random);
        var limits = new LedgerReadLimits(MaxUncompressedBytes: 2 * 1024 * 1024);

        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(bytes), limits: limits));

        Assert.Equal(nameof(LedgerFileMustStayWithinSizeLimits), refused.RuleName);
        Assert.Contains("解压后大于 2 MB", refused.Message, StringComparison.Ordinal);

        // Within the default 100 MB the same file reads.
        Assert.Equal(2, LedgerWorkbookReader.Read(new MemoryStream(bytes)).MeasureCount);
    }

    [Fact]
    public void A_part_that_unpacks_to_more_than_its_zip_entry_declares_is_refused_as_damaged()
    {
        // The sheet inflates to about 2 MB but its entry claims 1,000 bytes: the declared-size check passes it, and
        // unpacking stops at the declared size, so the sheet's XML ends early and the file reads as damaged.
        var book = Ledger(rows: 20_000);
        var bytes = TestFiles.DeclareSize(book.ToBytes(), "xl/worksheets/sheet1.xml", 1000);

        var refused = Refused(() => LedgerWorkbookReader.Read(new MemoryStream(bytes)));

        Assert.Equal(nameof(LedgerFileMustBeAnXlsxWorkbook), refused.RuleName);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_unread_even_from_a_stream_that_cannot_seek()
    {
        var bytes = Ledger(rows: 50).ToBytes();
        var limits = new LedgerReadLimits(MaxFileBytes: bytes.Length - 1);

        var refused = Refused(() => LedgerWorkbookReader.Read(new TestFiles.ForwardOnly(bytes), limits: limits));

        Assert.Equal(nameof(LedgerFileMustStayWithinSizeLimits), refused.RuleName);
        Assert.Equal(50, LedgerWorkbookReader.Read(new TestFiles.ForwardOnly(bytes)).MeasureCount);
    }

    [Fact]
    public void More_data_rows_than_the_limit_are_refused_and_the_limit_is_twenty_thousand_by_default()
    {
        Assert.Equal(20_000, LedgerReadLimits.Default.MaxDataRows);
        var limits = new LedgerReadLimits(MaxDataRows: 100);

        Assert.Equal(100, LedgerWorkbookReader.Read(Ledger(rows: 100).ToStream(), limits: limits).MeasureCount);
        var refused = Refused(() => LedgerWorkbookReader.Read(Ledger(rows: 101).ToStream(), limits: limits));
        Assert.Equal(nameof(LedgerSheetHasAtMostSoManyRows), refused.RuleName);
        Assert.Equal("工作表“台账”的数据超过 100 行，一次导入不了这么多。请拆分为多个文件分批导入。", refused.Message);

        // Far over the limit, the sheet is not read to its end.
        Assert.Equal(nameof(LedgerSheetHasAtMostSoManyRows), Refused(() => LedgerWorkbookReader.Read(Ledger(rows: 5_000).ToStream(), limits: limits)).RuleName);
    }

    [Fact]
    public void Twenty_thousand_and_one_rows_are_refused_at_the_default_limit()
    {
        var refused = Refused(() => LedgerWorkbookReader.Read(Ledger(rows: 20_001).ToStream()));

        Assert.Equal(nameof(LedgerSheetHasAtMostSoManyRows), refused.RuleName);
        Assert.Contains("20,000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_formula_without_its_saved_result_in_a_cell_read_is_refused_naming_the_cell()
    {
        var book = Ledger();
        book.Sheet("其他").Row(1, new FormulaCell("A2*2", null));
        var withResult = Ledger();
        withResult.Sheet("台账").At("C3", new FormulaCell("\"措施\"&A3", "由公式得到的措施"));
        var outside = Ledger();
        outside.Sheet("台账").At("F2", new FormulaCell("TODAY()", null));
        var missing = Ledger();
        missing.Sheet("台账").At("D3", new FormulaCell("DATE(2025,6,30)", null));
        var merged = Ledger(rows: 3);
        merged.Sheet("台账").At("B3", new FormulaCell("B2", null)).Merge("B3:B4");
        var hidden = Ledger(rows: 3);
        hidden.Sheet("台账").At("D4", new FormulaCell("D3", null)).HideRow(4);

        var refused = Refused(() => LedgerWorkbookReader.Read(missing.ToStream()));

        Assert.Equal(nameof(FormulasMustCarryTheirResults), refused.RuleName);
        Assert.Contains("单元格 D3 是公式", refused.Message, StringComparison.Ordinal);
        Assert.Equal("由公式得到的措施", LedgerWorkbookReader.Read(withResult.ToStream()).Categories[0].Findings[1].Measures[0].Text);
        Assert.Equal(2, LedgerWorkbookReader.Read(outside.ToStream()).MeasureCount);
        Assert.Equal(2, LedgerWorkbookReader.Read(book.ToStream()).MeasureCount);

        // A merged range takes its first cell's value: that is the cell named.
        Assert.Contains("单元格 B3 是公式", Refused(() => LedgerWorkbookReader.Read(merged.ToStream())).Message, StringComparison.Ordinal);

        // A hidden row is not read, so its formula's value is not needed.
        Assert.Equal(2, LedgerWorkbookReader.Read(hidden.ToStream()).MeasureCount);
    }

    [Fact]
    public void A_sheet_without_a_header_and_a_sheet_that_is_not_there_are_refused()
    {
        var book = new TestWorkbook();
        book.Sheet("封面").Row(1, "某某巡察整改台账").Row(3, "编制单位", "整改办").Row(4, "措施总数", 72);

        Assert.Equal(nameof(LedgerSheetMustHaveAHeaderRow), Refused(() => LedgerWorkbookReader.Read(book.ToStream())).RuleName);
        Assert.Equal("工作簿中没有名为“台账”的工作表。", Refused(() => LedgerWorkbookReader.Read(book.ToStream(), "台账")).Message);
        Assert.Equal(nameof(WorkbookMustHoldTheChosenSheet), Refused(() => LedgerWorkbookReader.Read(book.ToStream(), 1)).RuleName);
    }
}
