using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Intake;

/// <summary>
/// One measure as a ledger row, for <see cref="LedgerTemplate"/>. Rows are written in the order given; rows of one
/// category and of one finding must be consecutive (their cells are merged down).
/// </summary>
/// <param name="CategoryNumber">问题类别's number; written before its title as 一、 (up to 99) or 100、.</param>
/// <param name="CategoryTitle">问题类别 without its number.</param>
/// <param name="FindingNumber">反馈问题's number, unique in the ledger; written in 序号 as 3.2 with the measure's.</param>
/// <param name="FindingTitle">反馈问题 without its number.</param>
/// <param name="MeasureNumber">整改措施's number within its finding.</param>
/// <param name="MeasureText">整改措施.</param>
/// <param name="Kind">整改类型; without a deadline, 长期坚持 and 立行立改 are also written as the deadline.</param>
/// <param name="Deadline">完成时限, a date cell.</param>
/// <param name="ResponsibleLeader">责任领导 as text.</param>
/// <param name="LeadUnit">牵头单位.</param>
/// <param name="SupportingUnits">配合单位, joined with 、.</param>
/// <param name="Progress">整改进展 (output only: an import ignores it).</param>
/// <param name="SignedOffOn">销号日期 (output only).</param>
/// <param name="LookBackResult">回头看结果 (output only).</param>
/// <param name="State">状态 (output only).</param>
/// <param name="Facts">The export's further output-only columns (<see cref="LedgerColumns.Facts"/>); written when the layout asks for them.</param>
public sealed record LedgerRow(
    int CategoryNumber,
    string CategoryTitle,
    int FindingNumber,
    string FindingTitle,
    int MeasureNumber,
    string MeasureText,
    MeasureKind? Kind = null,
    DateOnly? Deadline = null,
    string? ResponsibleLeader = null,
    string? LeadUnit = null,
    IReadOnlyList<string>? SupportingUnits = null,
    string? Progress = null,
    DateOnly? SignedOffOn = null,
    string? LookBackResult = null,
    string? State = null,
    LedgerFacts? Facts = null);

/// <summary>
/// The export's facts of one measure, as the columns <see cref="LedgerColumns.Facts"/> show them (output only: an import
/// ignores them). The finding's two are written on its first row and merged down with it.
/// </summary>
/// <param name="FindingState">问题整改状态.</param>
/// <param name="FindingSignal">问题红黄绿.</param>
/// <param name="Completion">完成情况.</param>
/// <param name="PastDeadline">超期 (是 or empty).</param>
/// <param name="MissingReport">逾期未报 (是 or empty).</param>
/// <param name="LastReport">最近报送.</param>
/// <param name="Assumed">待核实（来源未载明）: the fields a source did not state (the demo's 演示假设).</param>
/// <param name="OriginalDeadline">原整改时限: the deadline before the first approved extension (empty when never extended).</param>
/// <param name="Extensions">延期次数 (empty when none).</param>
public sealed record LedgerFacts(
    string? FindingState = null,
    string? FindingSignal = null,
    string? Completion = null,
    string? PastDeadline = null,
    string? MissingReport = null,
    string? LastReport = null,
    string? Assumed = null,
    DateOnly? OriginalDeadline = null,
    int Extensions = 0);

/// <summary>What stands above the header and which columns follow the template's.</summary>
/// <param name="Title">The title row ("XX巡察反馈问题整改台账"); none when null. An import takes it as the ledger's title.</param>
/// <param name="Note">A line under the title (the export's "统计截至 …"); none when null. An import skips it.</param>
/// <param name="WithFacts">Add the export's columns <see cref="LedgerColumns.Facts"/> after the template's.</param>
public sealed record LedgerLayout(string? Title, string? Note = null, bool WithFacts = false);

/// <summary>
/// The ledger workbook that <see cref="LedgerWorkbookReader"/> reads: the download template (no rows) and a whole
/// ledger in the same shape, so that what is exported imports again as the same draft. Sheet 整改台账: an optional
/// title row, the header (序号, 问题类别, 反馈问题, 整改措施, 整改类型, 责任领导, 牵头单位, 配合单位, 完成时限, then the
/// output-only 整改进展, 销号日期, 回头看结果, 状态), one row per measure with category and finding cells merged down; laid
/// out for print (A4 landscape, fit to width, header repeated on every page, borders, 仿宋, wrapped text). Sheet
/// 填写说明: each column and the accepted words. The export (<see cref="LedgerLayout"/>) adds a note line under the title
/// and the columns <see cref="LedgerColumns.Facts"/>. Rows are taken one at a time and written with a plain
/// forward-only XmlWriter straight into the zip entry (the rest of the package is made by the SDK first, in memory, and
/// copied in), so that memory does not grow with the rows: only the list of merged ranges does, one per category and
/// per finding of more than one measure.
/// </summary>
public static class LedgerTemplate
{
    public const string LedgerSheetName = "整改台账";
    public const string GuideSheetName = "填写说明";
    public const string ContentType = LedgerWorkbookReader.ContentType;

    /// <summary>The header row, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        .. new[] { LedgerField.Number, LedgerField.Category, LedgerField.Finding, LedgerField.Measure, LedgerField.Kind, LedgerField.Leader, LedgerField.LeadUnit, LedgerField.SupportingUnits }.Select(LedgerColumns.Canonical),
        "完成时限",
        .. LedgerColumns.Outcome,
    ];

    /// <summary>The export's header row: the template's columns, then <see cref="LedgerColumns.Facts"/>.</summary>
    public static IReadOnlyList<string> ExportColumns { get; } = [.. Columns, .. LedgerColumns.Facts];

    private static readonly double[] Widths = [7, 16, 28, 44, 9, 9, 14, 16, 12, 28, 11, 11, 8, 8, 6, 8, 6, 8, 16, 14, 12, 8];

    /// <summary>Points per line of 11-point 仿宋.</summary>
    private const double LineHeight = 15;

    /// <summary>SpreadsheetML's namespace, the sheet's default (no prefix: the rows are most of the file).</summary>
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main", Prefix = "";

    // The cell formats of Styles(), by index; the last two are for figures (the list of inspections' workbook).
    internal const uint TitleStyle = 1, HeaderStyle = 2, TextStyle = 3, CenteredStyle = 4, DateStyle = 5, NoteStyle = 6, NumberStyle = 7, RateStyle = 8;

    /// <summary>The columns merged down with the finding: 反馈问题, and with the facts 问题整改状态 and 问题红黄绿.</summary>
    private const int FindingColumn = 2, CategoryColumn = 1;

    /// <summary>Writes the ledger to <paramref name="output"/>, synchronously and forward only (a stream that cannot seek will do; an HTTP response, which refuses synchronous writes, will not).</summary>
    /// <param name="output">Where the .xlsx goes.</param>
    /// <param name="title">The title row above the header ("XX巡察反馈问题整改台账"); none when null.</param>
    /// <param name="rows">The measures in ledger order; none for the empty template.</param>
    public static void Write(Stream output, string? title, IEnumerable<LedgerRow> rows) => Write(output, rows, new LedgerLayout(title));

    /// <summary>Writes the ledger to <paramref name="output"/> with the title, note and columns of <paramref name="layout"/>.</summary>
    /// <param name="output">Where the .xlsx goes, as above.</param>
    /// <param name="layout">What stands above the header and whether the export's columns follow.</param>
    /// <param name="rows">The measures in ledger order; none for the empty template.</param>
    public static void Write(Stream output, IEnumerable<LedgerRow> rows, LedgerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new Writer(output, layout);
        foreach (var row in rows)
        {
            writer.Add(row);
        }

        writer.Finish();
    }

    /// <inheritdoc cref="Write(Stream, string?, IEnumerable{LedgerRow})"/>
    public static Task WriteAsync(Stream output, string? title, IAsyncEnumerable<LedgerRow> rows, CancellationToken cancellationToken) =>
        WriteAsync(output, rows, new LedgerLayout(title), cancellationToken);

    /// <summary>What gathers of the compressed workbook before it is sent on (<see cref="WriteAsync(Stream, IAsyncEnumerable{LedgerRow}, LedgerLayout, CancellationToken)"/>).</summary>
    public const int SendEvery = 32 * 1024;

    /// <summary>
    /// Writes the ledger to <paramref name="output"/> as the rows arrive, with asynchronous writes only: an HTTP response
    /// will do. The first row is awaited before anything is written, so that a query that fails at once fails before the
    /// first byte; then the package's other parts, the header and that row go out at once, and the rest every
    /// <see cref="SendEvery"/> bytes of compressed output (<see cref="ForwardStream"/>). Memory does not grow with the rows
    /// (only the list of merged ranges does, as for <see cref="Write(Stream, IEnumerable{LedgerRow}, LedgerLayout)"/>).
    /// When reading or writing fails part way, what was sent is not a workbook (the zip's directory is never sent): the
    /// caller must make the failure visible — an HTTP response is aborted, not ended.
    /// </summary>
    /// <param name="output">Where the .xlsx goes; it need not seek and is only written asynchronously.</param>
    /// <param name="rows">The measures in ledger order; none for the empty template.</param>
    /// <param name="layout">What stands above the header and whether the export's columns follow.</param>
    /// <param name="cancellationToken">Stops the reading and the sending.</param>
    public static async Task WriteAsync(Stream output, IAsyncEnumerable<LedgerRow> rows, LedgerLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        await using var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        var more = await enumerator.MoveNextAsync();
        using var forward = new ForwardStream(output);
        using (var writer = new Writer(forward, layout))
        {
            if (more)
            {
                writer.Add(enumerator.Current);
            }

            // The first bytes go out now, while the rows are still being read.
            await forward.SendAsync(cancellationToken);
            while (more && await enumerator.MoveNextAsync())
            {
                writer.Add(enumerator.Current);
                if (forward.Pending >= SendEvery)
                {
                    await forward.SendAsync(cancellationToken);
                }
            }

            writer.Finish();
        }

        await forward.SendAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>A draft's measures as ledger rows (the planning fields as read; no progress).</summary>
    public static IEnumerable<LedgerRow> RowsOf(IntakeDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.Categories.SelectMany(c => c.Findings.SelectMany(f => f.Measures.Select(m =>
            new LedgerRow(c.Number, c.Title, f.Number, f.Title, m.Number, m.Text, m.Kind, m.Deadline, m.ResponsibleLeader, m.LeadUnit, m.SupportingUnits))));
    }

    /// <summary>
    /// The category cell's text: its number in Chinese (or digits past 99), then the title — "一、title", or "（一）title"
    /// when the title's own start would be misread after "一、" (a title beginning with a digit).
    /// </summary>
    internal static string CategoryCell(int number, string title)
    {
        var numeral = number is >= 1 and <= 99 ? ChineseNumerals.Format(number) : number.ToString(CultureInfo.InvariantCulture);
        var plain = numeral + "、" + title;
        var bracketed = "（" + numeral + "）" + title;
        return ReadsBack(plain, chinese: true, number, title) || !ReadsBack(bracketed, chinese: true, number, title) ? plain : bracketed;
    }

    /// <summary>
    /// The finding cell's text: the title as it is, unless it starts with what reads as a number ("3.…", "（3）…"), which an
    /// import would take off; then the finding's number in brackets goes first, so that the title reads back whole.
    /// </summary>
    internal static string FindingCell(int number, string title)
    {
        if (LedgerValues.LeadingNumber(title, chinese: false, out _) is null)
        {
            return title;
        }

        var bracketed = "（" + number.ToString(CultureInfo.InvariantCulture) + "）" + title;
        return ReadsBack(bracketed, chinese: false, number, title) ? bracketed : title;
    }

    private static bool ReadsBack(string cell, bool chinese, int number, string title) =>
        LedgerValues.LeadingNumber(LedgerValues.Clean(cell), chinese, out var rest) == number && rest == LedgerValues.Clean(title);

    private sealed class Writer : IDisposable
    {
        private readonly ZipArchive zip;
        private readonly Stream ledgerStream;
        private readonly XmlWriter sheet;
        private readonly string[] letters;
        private readonly char[] digits = new char[32];
        private readonly int headerRow;
        private readonly int columns;
        private readonly int[] findingColumns;
        private readonly List<string> merges = [];
        private readonly Out[] cells;
        private int row;
        private LedgerRow? previous;
        private int categoryFrom;
        private int findingFrom;
        private bool finished;

        public Writer(Stream output, LedgerLayout layout)
        {
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(layout);
            var header = layout.WithFacts ? ExportColumns : Columns;
            columns = header.Count;
            findingColumns = layout.WithFacts ? [FindingColumn, Columns.Count, Columns.Count + 1] : [FindingColumn];
            headerRow = 1 + (layout.Title is null ? 0 : 1) + (layout.Note is null ? 0 : 1);

            // The SDK makes the package (content types, relationships, workbook, styles, the guide) with the ledger sheet
            // empty; its parts are copied into a zip written forward only, and the ledger sheet is written there row by row.
            // A package the SDK writes itself keeps every part in memory until it is closed.
            using var skeleton = new MemoryStream();
            var ledgerPath = Skeleton(skeleton, headerRow, layout.WithFacts);
            skeleton.Position = 0;
            zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
            using (var parts = new ZipArchive(skeleton, ZipArchiveMode.Read))
            {
                foreach (var part in parts.Entries.Where(e => e.FullName != ledgerPath))
                {
                    using var from = part.Open();
                    using var to = zip.CreateEntry(part.FullName, CompressionLevel.Optimal).Open();
                    from.CopyTo(to);
                }
            }

            // The rows are deflated at the fastest level (as SpreadCheetah does by default): at the optimal level the
            // compression took about as long as everything else of a 120,000-row export, for a file about half the size (docs/benchmarks.md, 2026-12-03).
            ledgerStream = zip.CreateEntry(ledgerPath, CompressionLevel.Fastest).Open();
            letters = [.. Enumerable.Range(0, columns).Select(LedgerColumns.Letter)];

            // The sheet is written with a plain XmlWriter: the SDK's writer takes an element object, and each of its
            // attributes as an object, for every cell (about 10 KB a row). The parts around the rows are the SDK's elements.
            sheet = XmlWriter.Create(ledgerStream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
            sheet.WriteStartDocument();
            sheet.WriteStartElement(Prefix, "worksheet", Main);
            Element(new SheetProperties(new PageSetupProperties { FitToPage = true }));
            Element(new SheetViews(new SheetView(
                new Pane { VerticalSplit = headerRow, TopLeftCell = $"A{headerRow + 1}", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = $"A{headerRow + 1}", SequenceOfReferences = new ListValue<StringValue> { InnerText = $"A{headerRow + 1}" } })
            { WorkbookViewId = 0 }));
            Element(new Columns(Widths.Take(columns).Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })));
            sheet.WriteStartElement(Prefix, "sheetData", Main);
            var across = LedgerColumns.Letter(columns - 1);
            if (layout.Title is not null)
            {
                WriteRow([InlineCell(layout.Title, TitleStyle)], height: 36);
                merges.Add($"A{row}:{across}{row}");
            }

            if (layout.Note is not null)
            {
                WriteRow([InlineCell(layout.Note, NoteStyle)], height: 2 * LineHeight);
                merges.Add($"A{row}:{across}{row}");
            }

            WriteRow([.. header.Select(c => InlineCell(c, HeaderStyle))]);
            cells = new Out[columns];
        }

        public void Add(LedgerRow r)
        {
            var next = row + 1;
            var newCategory = previous is null || previous.CategoryNumber != r.CategoryNumber || previous.CategoryTitle != r.CategoryTitle;
            var newFinding = newCategory || previous!.FindingNumber != r.FindingNumber;
            if (newCategory)
            {
                CloseRange([CategoryColumn], ref categoryFrom, next);
                categoryFrom = next;
            }

            if (newFinding)
            {
                CloseRange(findingColumns, ref findingFrom, next);
                findingFrom = next;
            }

            cells[0] = InlineCell($"{r.FindingNumber}.{r.MeasureNumber}", CenteredStyle);
            cells[1] = newCategory ? InlineCell(CategoryCell(r.CategoryNumber, r.CategoryTitle), TextStyle) : Blank(TextStyle);
            cells[2] = newFinding ? InlineCell(FindingCell(r.FindingNumber, r.FindingTitle), TextStyle) : Blank(TextStyle);
            cells[3] = InlineCell(r.MeasureText, TextStyle);
            cells[4] = r.Kind is { } kind ? InlineCell(Terms.Of(kind), CenteredStyle) : Blank(CenteredStyle);
            cells[5] = InlineCell(r.ResponsibleLeader, CenteredStyle);
            cells[6] = InlineCell(r.LeadUnit, TextStyle);
            cells[7] = InlineCell(r.SupportingUnits is { Count: > 0 } units ? string.Join("、", units) : null, TextStyle);

            // Without a date, the deadline column says what the kind means for it, as offices write it.
            cells[8] = r.Deadline is { } deadline ? DateCell(deadline)
                : r.Kind is MeasureKind.Ongoing or MeasureKind.Immediate ? InlineCell(Terms.Of(r.Kind.Value), CenteredStyle)
                : Blank(CenteredStyle);
            cells[9] = InlineCell(r.Progress, TextStyle);
            cells[10] = r.SignedOffOn is { } signedOff ? DateCell(signedOff) : Blank(CenteredStyle);
            cells[11] = InlineCell(r.LookBackResult, CenteredStyle);
            cells[12] = InlineCell(r.State, CenteredStyle);
            if (columns > Columns.Count)
            {
                var f = r.Facts ?? new LedgerFacts();
                cells[13] = newFinding ? InlineCell(f.FindingState, CenteredStyle) : Blank(CenteredStyle);
                cells[14] = newFinding ? InlineCell(f.FindingSignal, CenteredStyle) : Blank(CenteredStyle);
                cells[15] = InlineCell(f.Completion, CenteredStyle);
                cells[16] = InlineCell(f.PastDeadline, CenteredStyle);
                cells[17] = InlineCell(f.MissingReport, CenteredStyle);
                cells[18] = InlineCell(f.LastReport, CenteredStyle);
                cells[19] = InlineCell(f.Assumed, TextStyle);
                cells[20] = f.OriginalDeadline is { } original ? DateCell(original) : Blank(CenteredStyle);
                cells[21] = f.Extensions is > 0 and var n ? InlineCell(n.ToString(System.Globalization.CultureInfo.InvariantCulture), CenteredStyle) : Blank(CenteredStyle);
            }

            WriteRow(cells, Height(r));
            previous = r;
        }

        /// <summary>
        /// A row height that shows the wrapped texts whole: spreadsheet programs do not grow a row to its wrapped text
        /// when they open a file. Category and finding cells are left out — merged down, they have the rows' sum.
        /// </summary>
        private static double Height(LedgerRow r)
        {
            var lines = Math.Max(
                Math.Max(Lines(r.MeasureText, 3), Lines(r.Progress, 9)),
                Math.Max(Lines(r.LeadUnit, 6), Lines(r.SupportingUnits is { Count: > 0 } u ? string.Join("、", u) : null, 7)));
            lines = Math.Max(lines, Lines(r.Facts?.Assumed, 19));
            return Math.Max(1, lines) * LineHeight;
        }

        /// <summary>How many lines a text wraps to in a column: a CJK character is about two widths of '0', others one.</summary>
        private static int Lines(string? text, int column)
        {
            if (string.IsNullOrEmpty(text))
            {
                return 0;
            }

            var room = Widths[column] - 1;
            var lines = 0;
            foreach (var paragraph in text.Split('\n'))
            {
                var width = paragraph.Sum(c => c >= 0x2E80 ? 2.1 : 1.1);
                lines += Math.Max(1, (int)Math.Ceiling(width / room));
            }

            return lines;
        }

        public void Finish()
        {
            var end = row + 1;
            CloseRange([CategoryColumn], ref categoryFrom, end);
            CloseRange(findingColumns, ref findingFrom, end);
            sheet.WriteEndElement();
            if (merges.Count > 0)
            {
                sheet.WriteStartElement(Prefix, "mergeCells", Main);
                foreach (var m in merges)
                {
                    sheet.WriteStartElement(Prefix, "mergeCell", Main);
                    sheet.WriteAttributeString("ref", m);
                    sheet.WriteEndElement();
                }

                sheet.WriteEndElement();
            }

            var kind = LedgerColumns.Letter(4);
            var last = Math.Max(row, headerRow + 1000);
            Element(new DataValidations(new DataValidation(new Formula1("\"立行立改,限期整改,长期坚持\""))
            {
                Type = DataValidationValues.List,
                AllowBlank = true,
                ShowErrorMessage = true,
                ErrorTitle = "整改类型",
                Error = "请选择立行立改、限期整改或长期坚持。",
                SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{kind}{headerRow + 1}:{kind}{last}" },
            })
            { Count = 1 });
            Element(new PrintOptions { HorizontalCentered = true });
            Element(new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
            Element(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
            Element(new HeaderFooter(new OddFooter("&C第 &P 页，共 &N 页")));
            sheet.WriteEndElement();
            sheet.WriteEndDocument();
            sheet.Close();
            ledgerStream.Dispose();
            zip.Dispose();
            finished = true;
        }

        public void Dispose()
        {
            if (!finished)
            {
                sheet.Dispose();
                ledgerStream.Dispose();
                zip.Dispose();
            }
        }

        /// <summary>Merges the columns from <paramref name="from"/> down to the row before <paramref name="end"/> when that is more than one row.</summary>
        private void CloseRange(int[] columnsToMerge, ref int from, int end)
        {
            if (from > 0 && end - 1 > from)
            {
                foreach (var column in columnsToMerge)
                {
                    var letter = LedgerColumns.Letter(column);
                    merges.Add($"{letter}{from}:{letter}{end - 1}");
                }
            }

            from = 0;
        }

        private void WriteRow(ReadOnlySpan<Out> row, double? height = null)
        {
            this.row++;
            sheet.WriteStartElement(Prefix, "row", Main);
            sheet.WriteStartAttribute("r");
            Number(this.row);
            sheet.WriteEndAttribute();
            if (height is { } h)
            {
                sheet.WriteStartAttribute("ht");
                Number(h);
                sheet.WriteEndAttribute();
                sheet.WriteAttributeString("customHeight", "1");
            }

            for (var i = 0; i < row.Length; i++)
            {
                var cell = row[i];
                sheet.WriteStartElement(Prefix, "c", Main);
                sheet.WriteStartAttribute("r");
                sheet.WriteString(letters[i]);
                Number(this.row);
                sheet.WriteEndAttribute();
                sheet.WriteStartAttribute("s");
                Number(cell.Style);
                sheet.WriteEndAttribute();
                if (cell.Text is { } text)
                {
                    sheet.WriteAttributeString("t", "inlineStr");
                    sheet.WriteStartElement(Prefix, "is", Main);
                    sheet.WriteStartElement(Prefix, "t", Main);
                    if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
                    {
                        sheet.WriteAttributeString("xml", "space", null, "preserve");
                    }

                    sheet.WriteString(text);
                    sheet.WriteEndElement();
                    sheet.WriteEndElement();
                }
                else if (cell.Value is { } value)
                {
                    sheet.WriteStartElement(Prefix, "v", Main);
                    Number(value);
                    sheet.WriteEndElement();
                }

                sheet.WriteEndElement();
            }

            sheet.WriteEndElement();
        }

        /// <summary>A number written in place (no string made for it).</summary>
        private void Number<T>(T value)
            where T : ISpanFormattable
        {
            value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
            sheet.WriteChars(digits, 0, length);
        }

        /// <summary>One of the SDK's elements, as the XML it makes of itself.</summary>
        private void Element(OpenXmlElement element) => sheet.WriteRaw(element.OuterXml);

        /// <summary>
        /// The package without the ledger sheet's rows: workbook (with the print titles), styles, the guide and an empty
        /// ledger sheet, whose path in the zip is returned.
        /// </summary>
        private static string Skeleton(Stream output, int headerRow, bool withFacts)
        {
            using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
            var workbook = document.AddWorkbookPart();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            using (var stream = styles.GetStream(FileMode.Create, FileAccess.Write))
            {
                Styles().Save(stream);
            }

            var ledger = workbook.AddNewPart<WorksheetPart>();
            using (var stream = ledger.GetStream(FileMode.Create, FileAccess.Write))
            {
                new Worksheet(new SheetData()).Save(stream);
            }

            var guide = workbook.AddNewPart<WorksheetPart>();
            using (var stream = guide.GetStream(FileMode.Create, FileAccess.Write))
            {
                Guide(withFacts).Save(stream);
            }

            var printTitles = $"'{LedgerSheetName}'!${headerRow}:${headerRow}";
            var book = new Workbook(
                new BookViews(new WorkbookView()),
                new Sheets(
                    new Sheet { Name = LedgerSheetName, SheetId = 1, Id = workbook.GetIdOfPart(ledger) },
                    new Sheet { Name = GuideSheetName, SheetId = 2, Id = workbook.GetIdOfPart(guide) }),
                new DefinedNames(new DefinedName(printTitles) { Name = "_xlnm.Print_Titles", LocalSheetId = 0 }));
            using (var stream = workbook.GetStream(FileMode.Create, FileAccess.Write))
            {
                book.Save(stream);
            }

            return ledger.Uri.OriginalString.TrimStart('/');
        }

        private static Out InlineCell(string? text, uint style) =>
            string.IsNullOrEmpty(text) ? Blank(style) : new Out(text, null, style);

        private static Out DateCell(DateOnly date) => new(null, date.ToDateTime(TimeOnly.MinValue).ToOADate(), DateStyle);

        private static Out Blank(uint style) => new(null, null, style);

        /// <summary>A cell to write: an inline string, a number (a date's serial), or blank; and its style.</summary>
        private readonly record struct Out(string? Text, double? Value, uint Style);
    }

    /// <summary>仿宋 throughout, thin borders on the table, the header shaded, dates as 2024年12月31日.</summary>
    internal static Stylesheet Styles()
    {
        static Font Font(double size, bool bold) =>
            bold
                ? new Font(new Bold(), new FontSize { Val = size }, new FontName { Val = "仿宋" }, new FontCharSet { Val = 134 })
                : new Font(new FontSize { Val = size }, new FontName { Val = "仿宋" }, new FontCharSet { Val = 134 });

        static Border Thin() => new(
            new LeftBorder { Style = BorderStyleValues.Thin },
            new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin },
            new BottomBorder { Style = BorderStyleValues.Thin },
            new DiagonalBorder());

        static CellFormat Format(uint font, uint fill, uint border, uint numberFormat, HorizontalAlignmentValues horizontal, VerticalAlignmentValues vertical) =>
            new(new Alignment { Horizontal = horizontal, Vertical = vertical, WrapText = true })
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
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()) { Count = 2 },
            new CellStyleFormats(new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 },
                Format(2, 0, 0, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
                Format(1, 2, 1, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center),
                Format(0, 0, 1, 0, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Top),
                Format(0, 0, 1, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Top),
                Format(0, 0, 1, 164, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Top),
                Format(0, 0, 0, 0, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center),
                Format(0, 0, 1, 0, HorizontalAlignmentValues.Right, VerticalAlignmentValues.Top),
                Format(0, 0, 1, 165, HorizontalAlignmentValues.Right, VerticalAlignmentValues.Top))
            { Count = 9 },
            new CellStyles(new CellStyle { Name = "常规", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }

    /// <summary>The 填写说明 sheet: what each column takes and the words the import understands.</summary>
    private static Worksheet Guide(bool withFacts)
    {
        string Also(LedgerField field) => string.Join("、", LedgerColumns.Headers[field].Where(n => !Columns.Contains(n)).Take(4));
        string[][] lines =
        [
            ["列名", "是否必填", "填写说明"],
            ["序号", "选填", $"措施的编号，写成“问题序号.措施序号”，如 3.2 表示第 3 个问题的第 2 条措施（也可写 3-2）。再次导入修改后的台账时，按序号更新已有的问题和措施，所以请不要改动已导入措施的序号。不填时按顺序编号。也可叫：{Also(LedgerField.Number)}。"],
            ["问题类别", "选填", $"问题所属的类别（方面），如“一、党的政治建设方面”。同一类别的行可以合并单元格，也可以把类别单独写成一行（该行只写类别）。序号取自开头的“一、”“（一）”，没有时按顺序编号。也可叫：{Also(LedgerField.Category)}。"],
            ["反馈问题", "必填", $"巡察反馈的问题。一个问题有多条措施时，可以合并单元格，或只在第一行填写、下面几行留空。开头的“3.”“（3）”作为问题序号（序号列已写时以序号列为准）。也可叫：{Also(LedgerField.Finding)}。"],
            ["整改措施", "必填", $"一行一条整改措施。也可叫：{Also(LedgerField.Measure)}。"],
            ["整改类型", "选填", $"立行立改、限期整改或长期坚持。不填时可在完成时限中写“长期坚持”或“立行立改”；两处都写且不一致时以本列为准。限期整改必须有完成时限。也可叫：{Also(LedgerField.Kind)}。"],
            ["责任领导", "选填", $"责任领导姓名，可带职务，如“张三（副区长）”或“副区长 张三”；多人用顿号分隔，以第一人为责任领导。也可叫：{Also(LedgerField.Leader)}。"],
            ["牵头单位", "选填", $"牵头单位名称。写了多个单位时，第一个作为牵头单位，其余作为配合单位。也可叫：{Also(LedgerField.LeadUnit)}。"],
            ["配合单位", "选填", $"配合单位名称，多个单位用顿号（、）、逗号、斜杠、分号或换行分隔。也可叫：{Also(LedgerField.SupportingUnits)}。"],
            ["完成时限", "限期整改必填", $"日期单元格，或文字：2024年12月31日、2024.12.31、2024/12/31、2024-12-31；只写到月（2024年12月底、2024年12月）表示该月最后一天，“2024年底”表示12月31日；也可写“长期坚持”或“立行立改”。全角数字和空格都可以。也可叫：{Also(LedgerField.Deadline)}。"],
            ["整改进展、销号日期、回头看结果、状态", "不用填", "导出台账时由系统填写，导入时不读取。整改进展是最近一次审核采纳的进展报送；还没有采纳的报送时，是最近一次待审核的报送（标明“待审核”）。回头看结果是最近一次回头看的结论及日期。"],
            .. withFacts ? new[] { new[] { string.Join("、", LedgerColumns.Facts), "不用填", "导出台账时由系统按台账页面的统计口径填写，导入时不读取。" } } : [],
            ["原台账的状态", "选填", $"导入单位自己的台账（不是本模板或本系统导出的台账）时，如有“状态”列，可写未启动、整改中（正在整改、基本完成、长期坚持）或已完成（已整改、已销号）：整改方案审定时，整改中和已完成的措施据此记为整改中，措施的历史中注明据原台账；已完成的仍须由责任单位报送佐证材料、申请销号，经整改办审核、领导审批后销号。也可叫：{Also(LedgerField.Standing)}。"],
            ["原台账的整改进展", "选填", $"导入单位自己的台账时，“整改进展”列的说明随措施保存（不公开），作为责任单位第一次报送进展的底稿，由责任单位核对、附上佐证材料后报送。也可叫：{Also(LedgerField.Progress)}。"],
            ["其他", string.Empty, "表头可以不在第一行（上面可以有标题行和空行）；隐藏的行和列不导入，预览时会提示；一次最多导入 20,000 行。请保存为 .xlsx 格式（旧版 .xls 请先另存为 .xlsx），不要设置打开密码。"],
        ];

        var data = new SheetData();
        for (var i = 0; i < lines.Length; i++)
        {
            var r = new Row { RowIndex = (uint)(i + 1) };
            for (var j = 0; j < lines[i].Length; j++)
            {
                r.Append(new Cell(new InlineString(new Text(lines[i][j]))) { DataType = CellValues.InlineString, CellReference = LedgerColumns.Letter(j) + (i + 1).ToString(CultureInfo.InvariantCulture), StyleIndex = i == 0 ? HeaderStyle : TextStyle });
            }

            data.Append(r);
        }

        return new Worksheet(
            new Columns(
                new Column { Min = 1, Max = 1, Width = 22, CustomWidth = true },
                new Column { Min = 2, Max = 2, Width = 12, CustomWidth = true },
                new Column { Min = 3, Max = 3, Width = 90, CustomWidth = true }),
            data,
            new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape });
    }
}
