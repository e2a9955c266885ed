using System.Globalization;
using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>Where a sheet's header is, which column holds which field, and what the header search noticed.</summary>
internal sealed record LedgerHeader(int Row, int DataFrom, IReadOnlyDictionary<LedgerField, int> Columns, string? Title, IReadOnlyList<IntakeProblem> Problems);

/// <summary>
/// Turns a read sheet into a draft: finds the header, fills merged cells, follows categories (a column, or rows of
/// their own), findings and measures down the rows, reads dates, kinds and units, numbers everything, and notes every
/// problem with its cell. See <see cref="LedgerWorkbookReader"/> for the rules as the office sees them.
/// </summary>
internal sealed class LedgerSheetInterpreter
{
    /// <summary>How many non-empty rows at the top of a sheet are searched for its header.</summary>
    public const int HeaderWindow = 30;

    private const string Unfiled = "未分类";

    private readonly string sheet;
    private readonly SheetGrid grid;
    private readonly LedgerHeader header;
    private readonly bool date1904;
    private readonly List<IntakeProblem> problems;
    private readonly Dictionary<int, SheetRow> rowsByNumber;
    private readonly Dictionary<int, List<MergedRange>> mergesByColumn = [];
    private readonly List<CategoryBuilder> categories = [];
    private readonly List<FindingBuilder> findings = [];
    private readonly List<int> unrecognizedStanding = [];
    private CategoryBuilder? category;
    private FindingBuilder? finding;

    private LedgerSheetInterpreter(string sheet, SheetGrid grid, LedgerHeader header, bool date1904)
    {
        this.sheet = sheet;
        this.grid = grid;
        this.header = header;
        this.date1904 = date1904;
        problems = [.. header.Problems];
        rowsByNumber = [];
        foreach (var row in grid.Rows)
        {
            rowsByNumber.TryAdd(row.Number, row);
        }
        foreach (var column in header.Columns.Values)
        {
            mergesByColumn[column] = [.. grid.Merges.Where(m => m.FirstColumn <= column && column <= m.LastColumn && m.LastRow >= header.Row).OrderBy(m => m.FirstRow)];
        }
    }

    /// <summary>
    /// The header row: among the first <see cref="HeaderWindow"/> visible rows, the one naming the most fields,
    /// which must include the measure and one other. A row under it that holds only further column names (a
    /// two-row header, "责任分工" over "责任领导 | 牵头单位") adds its fields. Hidden columns are not read.
    /// </summary>
    public static LedgerHeader? FindHeader(string sheet, SheetGrid grid)
    {
        SheetRow? best = null;
        var bestCount = 0;
        foreach (var row in grid.Rows.Where(r => !r.Hidden).Take(HeaderWindow))
        {
            var fields = Matches(row, grid.HiddenColumns).Select(m => m.Field).Distinct().ToList();
            if (fields.Contains(LedgerField.Measure) && fields.Count >= 2 && fields.Count > bestCount)
            {
                best = row;
                bestCount = fields.Count;
            }
        }

        if (best is null)
        {
            return null;
        }

        var matches = Matches(best, grid.HiddenColumns).ToList();
        var dataFrom = best.Number + 1;
        var next = grid.Rows.FirstOrDefault(r => r.Number == best.Number + 1);
        if (next is not null && !next.Hidden)
        {
            var below = Matches(next, grid.HiddenColumns).ToList();
            var fields = matches.Select(m => m.Field).ToHashSet();
            if (below.Count > 0 && below.Count == next.Cells.Count(c => !grid.HiddenColumns.Contains(c.Column)) && below.Any(m => !fields.Contains(m.Field)))
            {
                matches.AddRange(below.Where(b => matches.All(m => m.Column != b.Column)));
                dataFrom = next.Number + 1;
            }
        }

        // A file this system wrote (the template, an export) keeps its own states and reports; only an office's own are read.
        SheetRow[] headerRows = dataFrom > best.Number + 1 ? [best, next!] : [best];
        var named = Named(grid, headerRows);
        var own = LedgerColumns.OwnOutputOnly(named.Select(c => c.Name));
        var exported = LedgerColumns.ExportedBy(named.Select(c => c.Name));
        var problems = new List<IntakeProblem>();
        if (own.Count > 0 || exported.Count > 0)
        {
            // An export with some of its columns deleted is still this system's file: said, since its 状态 is not read.
            if (own.Count == 0 && matches.Any(m => m.Field is LedgerField.Standing or LedgerField.Progress))
            {
                problems.Add(new IntakeProblem(sheet, best.Number, null,
                    $"这份台账有本系统导出时才有的列（{string.Join("、", exported.Select(e => $"“{e}”"))}），其中的状态、完成情况、整改进展等列是导出时系统填写的，不导入。如果这是单位自己的台账，请删去这些列后再导入。",
                    IntakeSeverity.Warning));
            }

            matches.RemoveAll(m => m.Field is LedgerField.Standing or LedgerField.Progress);

            // (Its output-only columns are its own, as in a whole export: not named again as columns not imported.)
            own = LedgerColumns.OwnOutputOnly(LedgerColumns.Outcome);
        }

        var columns = new Dictionary<LedgerField, int>();
        foreach (var group in matches.GroupBy(m => m.Field))
        {
            var chosen = group.OrderBy(m => m.Rank).ThenBy(m => m.Column).First();
            columns[group.Key] = chosen.Column;
            foreach (var other in group.Where(m => m != chosen))
            {
                problems.Add(new IntakeProblem(sheet, best.Number, LedgerColumns.Letter(other.Column), $"“{other.Text}”列与“{chosen.Text}”列（{LedgerColumns.Letter(chosen.Column)} 列）都是{LedgerColumns.Canonical(group.Key)}，只读取“{chosen.Text}”列。", IntakeSeverity.Warning));
            }
        }

        // 责任人 is read as 责任领导 (many ledgers name the leader so), but in others it is the section chief who does the
        // work: said once, since each leader named becomes a person who approves 销号.
        if (columns.TryGetValue(LedgerField.Leader, out var leaderColumn) && matches.First(m => m.Column == leaderColumn).Text is var leaderHeader && LedgerValues.Clean(leaderHeader) == "责任人")
        {
            problems.Add(new IntakeProblem(sheet, best.Number, LedgerColumns.Letter(leaderColumn),
                "“责任人”列按责任领导读取（责任领导审批所负责措施的销号）。如果这一列写的是具体经办人或科室负责人，请把列名改为“具体责任人”（不导入），或导入后在整改方案中改填责任领导。",
                IntakeSeverity.Warning));
        }

        problems.AddRange(Unread(sheet, headerRows[0].Number, named, own, [.. matches.Select(m => m.Column)]));

        var used = grid.Rows.Where(r => r.Number >= best.Number).SelectMany(r => r.Cells).Select(c => c.Column).ToHashSet();
        foreach (var hidden in grid.HiddenColumns.Order())
        {
            if (used.Contains(hidden))
            {
                var name = best.Cell(hidden)?.AsText();
                var called = string.IsNullOrWhiteSpace(name) ? string.Empty : $"（“{LedgerValues.Clean(name)}”）";
                problems.Add(new IntakeProblem(sheet, best.Number, LedgerColumns.Letter(hidden), $"{LedgerColumns.Letter(hidden)} 列{called}是隐藏列，已跳过，其内容没有导入。", IntakeSeverity.Warning));
            }
        }

        var title = grid.Rows.Where(r => r.Number < best.Number && !r.Hidden)
            .SelectMany(r => r.Cells.Where(c => c.Text is not null && !c.IsEmpty))
            .Select(c => LedgerValues.Clean(c.Text!))
            .FirstOrDefault();
        return new LedgerHeader(best.Number, dataFrom, columns, title, problems);
    }

    /// <summary>
    /// The named columns that no field reads (具体责任人, 备注, 完成情况说明…), once for the sheet, by name and letter: their
    /// contents are not imported, and the office should know it before it confirms. A column without a name is none; a
    /// hidden one is reported as hidden; one that names a field twice is reported as such; the output-only columns of a
    /// file this system wrote (the template's, an export's) are its own and go unsaid.
    /// </summary>
    private static IEnumerable<IntakeProblem> Unread(string sheet, int headerRow, List<(int Column, string Name)> named, IReadOnlySet<string> own, HashSet<int> read)
    {
        var unread = named
            .Where(c => !read.Contains(c.Column) && !own.Contains(LedgerColumns.Compared(c.Name)))
            .GroupBy(c => c.Column)
            .OrderBy(g => g.Key)
            .Select(g => $"{Shown(g.First().Name)}（{LedgerColumns.Letter(g.Key)} 列）")
            .ToList();
        if (unread.Count > 0)
        {
            // Named, at most 20 of them: a sheet of 16,384 columns (or one long string in each) gives a line, not megabytes.
            var listed = unread.Count <= UnreadListed ? string.Join("、", unread) : string.Join("、", unread.Take(UnreadListed)) + $" 等 {unread.Count} 列";
            yield return new IntakeProblem(sheet, headerRow, null, $"以下列不会导入：{listed}。", IntakeSeverity.Warning);
        }

        // Another column of where measures stand or how the work went (a second 进展 column, 整改成效…), not read: the
        // office learns before it confirms how what it says gets in. Not an export's own column (this system keeps its own).
        var standingLike = named.Where(c => !read.Contains(c.Column) && !own.Contains(LedgerColumns.Compared(c.Name)) && !LedgerColumns.IsExportOnly(c.Name)
                && StandingWords.Any(w => c.Name.Contains(w, StringComparison.Ordinal)))
            .Select(c => $"“{Shown(c.Name)}”").Distinct().Take(3).ToList();
        if (standingLike.Count > 0)
        {
            yield return new IntakeProblem(sheet, headerRow, null,
                $"{string.Join("、", standingLike)}列不会导入。原台账各措施完成与否请写在“状态”列（未启动、整改中或已完成），进展说明写在“整改进展”列：这两列都会导入，"
                + "整改进展作为责任单位第一次报送的底稿，由责任单位核对、附上佐证材料后报送；已完成的措施报送后申请销号。",
                IntakeSeverity.Warning);
        }

        static string Shown(string name) => name.Length <= 30 ? name : name[..30] + "…";
    }

    /// <summary>Words of a column heading that says where each measure stands or how its work went.</summary>
    private static readonly string[] StandingWords = ["状态", "完成情况", "进展", "整改情况", "销号", "进度"];

    /// <summary>The named columns of the header rows, by column (a hidden column or an error cell names none).</summary>
    private static List<(int Column, string Name)> Named(SheetGrid grid, SheetRow[] headerRows)
    {
        return headerRows.SelectMany(r => r.Cells)
            .Where(c => c.Text is not null && c.Note != CellNote.Error && !grid.HiddenColumns.Contains(c.Column))
            .Select(c => (c.Column, Name: HeaderName(c.Text!)))
            .Where(c => c.Name.Length > 0)
            .ToList();

        // A heading as compared: its first 200 characters, cleaned, its lines joined (no heading of a field is longer).
        static string HeaderName(string text) =>
            string.Concat(LedgerValues.Clean(text.Length > 200 ? text[..200] : text).Split('\n', StringSplitOptions.TrimEntries));
    }

    /// <summary>How many unread columns the 提示 names before it counts the rest.</summary>
    private const int UnreadListed = 20;

    /// <summary>The draft of one sheet. Refuses (throws) for more data rows than allowed and for a formula without its result in a cell read.</summary>
    public static IntakeDraft Interpret(string sheet, SheetGrid grid, LedgerHeader header, bool date1904, int maxDataRows)
    {
        var interpreter = new LedgerSheetInterpreter(sheet, grid, header, date1904);
        interpreter.CheckRefusals(maxDataRows);
        interpreter.Walk();
        return interpreter.Finish();
    }

    private static IEnumerable<(LedgerField Field, int Rank, int Column, string Text)> Matches(SheetRow row, IReadOnlySet<int> hiddenColumns)
    {
        foreach (var cell in row.Cells)
        {
            if (cell.Text is { } text && !hiddenColumns.Contains(cell.Column) && LedgerColumns.Match(text) is { } match)
            {
                yield return (match.Field, match.Rank, cell.Column, LedgerValues.Clean(text));
            }
        }
    }

    private IEnumerable<SheetRow> DataRows => grid.Rows.Where(r => r.Number >= header.DataFrom);

    private void CheckRefusals(int maxDataRows)
    {
        var mapped = header.Columns.Values.ToHashSet();
        var data = DataRows.Count(r => r.Cells.Any(c => mapped.Contains(c.Column)));
        if (data > maxDataRows)
        {
            throw BusinessRules.Refuse(new LedgerSheetHasAtMostSoManyRows(sheet, maxDataRows));
        }
    }

    /// <summary>
    /// A field's value in a row: its own cell's, or, under a range merged down from a row above, the range's first
    /// cell's (Own is then false). A cell covered by a range that starts in another column has no value of its own: a
    /// banner merged across the row belongs to its first column.
    /// </summary>
    /// <remarks>A value read from a formula saved without its result refuses the whole file, naming the cell: the value is unknown.</remarks>
    private (SheetCell? Cell, MergedRange? Merge, bool Own) Value(SheetRow row, LedgerField field)
    {
        if (!header.Columns.TryGetValue(field, out var column))
        {
            return (null, null, false);
        }

        var merge = MergeAt(row.Number, column);
        if (merge is { } m && m.FirstColumn != column)
        {
            return (null, merge, true);
        }

        if (merge is { } down && down.FirstRow != row.Number)
        {
            return (Known(rowsByNumber.GetValueOrDefault(down.FirstRow)?.Cell(down.FirstColumn), down.FirstRow), merge, false);
        }

        return (Known(row.Cell(column), row.Number), merge, true);
    }

    private SheetCell? Known(SheetCell? cell, int row) =>
        cell is { Note: CellNote.MissingResult } c
            ? throw BusinessRules.Refuse(new FormulasMustCarryTheirResults(sheet, LedgerColumns.Letter(c.Column) + row.ToString(CultureInfo.InvariantCulture)))
            : cell;

    private MergedRange? MergeAt(int row, int column)
    {
        var list = mergesByColumn[column];
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].FirstRow > row)
            {
                hi = mid - 1;
            }
            else if (list[mid].LastRow < row)
            {
                lo = mid + 1;
            }
            else
            {
                return list[mid];
            }
        }

        return null;
    }

    private string? Text(SheetRow row, LedgerField field)
    {
        var (cell, _, _) = Value(row, field);
        if (cell is not { } c || c.IsEmpty || c.Note == CellNote.Error)
        {
            return null;
        }

        var text = LedgerValues.Clean(c.AsText());
        return text.Length == 0 ? null : text;
    }

    private string? Letter(LedgerField field) => header.Columns.TryGetValue(field, out var c) ? LedgerColumns.Letter(c) : null;

    private void Problem(SheetRow row, LedgerField? field, string message, IntakeSeverity severity = IntakeSeverity.Error) =>
        problems.Add(new IntakeProblem(sheet, row.Number, field is { } f ? Letter(f) : null, message, severity));

    private bool HasOwnContent(SheetRow row, params LedgerField[] fields) =>
        fields.Any(f => header.Columns.TryGetValue(f, out var c) && row.Cell(c) is { IsEmpty: false });

    private void Walk()
    {
        var mapped = header.Columns.Values.ToHashSet();
        foreach (var row in DataRows)
        {
            if (!row.Cells.Any(c => mapped.Contains(c.Column)))
            {
                continue;
            }

            if (row.Hidden)
            {
                Problem(row, null, $"第 {row.Number} 行是隐藏行，已跳过，其内容没有导入。", IntakeSeverity.Warning);
                continue;
            }

            foreach (var (field, column) in header.Columns)
            {
                if (row.Cell(column) is { Note: CellNote.Error } error)
                {
                    Problem(row, field, $"单元格的值是错误值 {error.Text}，已按空白处理。");
                }
            }

            ReadRow(row);
        }
    }

    private void ReadRow(SheetRow row)
    {
        var numberText = Text(row, LedgerField.Number);
        var number = LedgerValues.Number(numberText);
        var measure = Value(row, LedgerField.Measure);
        var measureText = Text(row, LedgerField.Measure);
        var findingValue = Value(row, LedgerField.Finding);
        var findingText = Text(row, LedgerField.Finding);
        var categoryText = Text(row, LedgerField.Category);

        if (measureText is null)
        {
            if (CategoryRowTitle(row, number, findingValue.Own) is { } heading)
            {
                var numbered = number.Shape == NumberShape.Chinese ? number.Category : null;
                SwitchCategory(row, heading.Title, heading.Merge, numbered);
                category!.Bracketed |= (number.Shape == NumberShape.Chinese ? numberText! : heading.Title).TrimStart() is ['（' or '(', ..];
                return;
            }

            var planned = HasOwnContent(row, LedgerField.Kind, LedgerField.Leader, LedgerField.LeadUnit, LedgerField.SupportingUnits, LedgerField.Deadline);
            if (findingText is not null && findingValue.Own)
            {
                // A problem on a row of its own, its measures on the rows below.
                if (categoryText is not null)
                {
                    SwitchCategory(row, categoryText, Value(row, LedgerField.Category).Merge, null);
                }

                StartFinding(row, findingText, findingValue.Merge, number);
                if (planned)
                {
                    Problem(row, LedgerField.Measure, "整改措施为空，本行的时限、单位等内容没有导入。");
                }

                return;
            }

            // A row with only a 序号 is an empty row numbered in advance.
            if (planned)
            {
                Problem(row, LedgerField.Measure, "整改措施为空。");
            }

            return;
        }

        if (!measure.Own)
        {
            // The measure's cell is merged with the row above: it was read there.
            if (HasOwnContent(row, LedgerField.Kind, LedgerField.Leader, LedgerField.LeadUnit, LedgerField.SupportingUnits, LedgerField.Deadline))
            {
                Problem(row, LedgerField.Measure, "本行的整改措施与上一行合并，按一条措施读取，本行的其他内容没有导入。", IntakeSeverity.Warning);
            }

            return;
        }

        if (number.Shape == NumberShape.Unreadable)
        {
            Problem(row, LedgerField.Number, $"序号“{numberText}”无法识别（可写 1、1.1、1-1、一 或（一）），已按顺序编号。");
            number = new NumberCell(NumberShape.None);
        }

        if (categoryText is not null)
        {
            SwitchCategory(row, categoryText, Value(row, LedgerField.Category).Merge, number.Shape == NumberShape.Chinese ? number.Category : null);
        }
        else if (category is null)
        {
            SwitchCategory(row, Unfiled, null, null);
            category!.Implicit = true;
            problems.Add(new IntakeProblem(sheet, row.Number, Letter(LedgerField.Category), "没有找到问题类别（既没有“问题类别”列，也没有单独成行的类别），问题归入“未分类”。", IntakeSeverity.Warning));
        }

        var current = category!;
        if (number.Shape == NumberShape.Chinese)
        {
            current.Number ??= number.Category;
        }
        else if (number is { Shape: NumberShape.Dotted, Category: { } c })
        {
            current.Number ??= c;
        }

        var dotted = number.Shape == NumberShape.Dotted ? number.Finding : null;
        if (findingText is not null)
        {
            var identity = Identity(findingText, findingValue.Merge);
            if (finding is null || finding.Category != current || finding.Identity != identity || (dotted is not null && finding.Dotted is not null && dotted != finding.Dotted))
            {
                StartFinding(row, findingText, findingValue.Merge, number);
            }
        }
        else if (finding is null || finding.Category != current)
        {
            Problem(row, LedgerField.Finding, "本行的整改措施没有对应的反馈问题（本行“反馈问题”为空，上面也没有问题）。");
            return;
        }
        else if (dotted is not null && finding.Dotted is not null && dotted != finding.Dotted)
        {
            Problem(row, LedgerField.Number, $"序号“{numberText}”属于第 {dotted} 个问题，但本行没有填写反馈问题。");
            return;
        }

        var f = finding!;
        f.Dotted ??= dotted;
        if (number.Shape == NumberShape.Whole)
        {
            f.Wholes.Add(number.Finding!.Value);
        }

        f.Measures.Add(ReadMeasure(row, measureText, number.Shape == NumberShape.Dotted ? number.Measure : null));
    }

    /// <summary>
    /// A row without a measure that is a category heading: one text (a 序号 aside) that sits in the category column,
    /// is merged across several columns (a banner), reads like a heading ("一、…", "…方面"), or carries a Chinese 序号.
    /// </summary>
    private (string Title, MergedRange? Merge)? CategoryRowTitle(SheetRow row, NumberCell number, bool findingOwn)
    {
        var texts = new List<(LedgerField Field, string Text, MergedRange? Merge)>();
        foreach (var field in header.Columns.Keys)
        {
            if (Text(row, field) is { } text && !(field == LedgerField.Number && number.Shape is NumberShape.Whole or NumberShape.Dotted or NumberShape.Chinese))
            {
                texts.Add((field, text, Value(row, field).Merge));
            }
        }

        if (texts.Count == 0 || texts.Select(t => t.Text).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return null;
        }

        var fields = texts.Select(t => t.Field).ToHashSet();
        var title = texts[0].Text;
        var merge = texts[0].Merge;
        if (fields.Contains(LedgerField.Finding) && !findingOwn)
        {
            return null;
        }

        var banner = merge is { } m && m.LastColumn > m.FirstColumn;
        var isHeading = (fields.Contains(LedgerField.Category) && !fields.Contains(LedgerField.Finding))
            || (banner && LedgerValues.LeadingNumber(title, chinese: false, out _) is null)
            || LedgerValues.LooksLikeCategory(title)
            || number.Shape == NumberShape.Chinese;
        return isHeading ? (title, merge) : null;
    }

    private static string Identity(string text, MergedRange? merge) =>
        merge is { } m && m.LastRow > m.FirstRow ? $"M{m.FirstRow}:{m.FirstColumn}" : "T" + text;

    private void SwitchCategory(SheetRow row, string text, MergedRange? merge, int? numbered)
    {
        var number = LedgerValues.LeadingNumber(text, chinese: true, out var title) ?? numbered;
        var identity = Identity(text, merge);
        if (category is not null && category.Identity == identity)
        {
            return;
        }

        var same = categories.FirstOrDefault(c => c.Title == title && (number is null || c.Number is null || c.Number == number));
        if (same is not null)
        {
            same.Identity = identity;
            same.Number ??= number;
            category = same;
        }
        else
        {
            category = new CategoryBuilder(title, number, identity, row.Number);
            categories.Add(category);
        }

        finding = null;
    }

    private void StartFinding(SheetRow row, string text, MergedRange? merge, NumberCell number)
    {
        if (category is null)
        {
            SwitchCategory(row, Unfiled, null, null);
            category!.Implicit = true;
            problems.Add(new IntakeProblem(sheet, row.Number, Letter(LedgerField.Category), "没有找到问题类别（既没有“问题类别”列，也没有单独成行的类别），问题归入“未分类”。", IntakeSeverity.Warning));
        }

        var titleNumber = LedgerValues.LeadingNumber(text, chinese: false, out var title);
        finding = new FindingBuilder(category!, title, titleNumber, Identity(text, merge), row.Number)
        {
            Dotted = number.Shape == NumberShape.Dotted ? number.Finding : null,
        };
        if (number.Shape == NumberShape.Whole)
        {
            finding.Wholes.Add(number.Finding!.Value);
        }

        category!.Findings.Add(finding);
        findings.Add(finding);
    }

    private MeasureBuilder ReadMeasure(SheetRow row, string text, int? dotted)
    {
        MeasureKind? kind = null;
        if (Text(row, LedgerField.Kind) is { } kindText)
        {
            kind = LedgerValues.Kind(kindText);
            if (kind is null)
            {
                Problem(row, LedgerField.Kind, $"无法识别的整改类型“{kindText}”（应为立行立改、限期整改或长期坚持）。");
            }
        }

        var (deadline, deadlineKind) = ReadDeadline(row);
        if (kind is { } k && deadlineKind is { } dk && k != dk)
        {
            Problem(row, LedgerField.Deadline, $"整改类型为“{Terms.Of(k)}”，整改时限却写着“{Terms.Of(dk)}”，按整改类型列读取。", IntakeSeverity.Warning);
        }

        kind ??= deadlineKind;
        if (kind == MeasureKind.TimeBound && deadline is null)
        {
            Problem(row, LedgerField.Deadline, "限期整改的措施必须有整改时限。");
        }

        var leads = LedgerValues.Units(Text(row, LedgerField.LeadUnit));
        var supporting = LedgerValues.Units(Text(row, LedgerField.SupportingUnits));
        if (leads.Count > 1)
        {
            Problem(row, LedgerField.LeadUnit, $"牵头单位填写了 {leads.Count} 个单位，“{leads[0]}”作为牵头单位，其余作为配合单位。", IntakeSeverity.Warning);
            supporting = [.. leads.Skip(1).Concat(supporting).Distinct(StringComparer.Ordinal)];
        }

        var lead = leads.FirstOrDefault();
        supporting.RemoveAll(u => u == lead);
        LedgerStanding? standing = null;
        if (Text(row, LedgerField.Standing) is { } standingText)
        {
            (var recognized, standing) = LedgerValues.Standing(standingText);
            if (!recognized)
            {
                unrecognizedStanding.Add(row.Number);
            }
        }

        return new MeasureBuilder(row.Number, dotted, text, kind, deadline, Text(row, LedgerField.Leader), lead, supporting) { Standing = standing, Progress = LedgerValues.Progress(Text(row, LedgerField.Progress)) };
    }

    private (DateOnly? Date, MeasureKind? Kind) ReadDeadline(SheetRow row)
    {
        var (cell, _, _) = Value(row, LedgerField.Deadline);
        if (cell is not { IsEmpty: false, Note: not CellNote.Error } c)
        {
            return (null, null);
        }

        if (c.Number is { } n)
        {
            // A number in a date format is a day serial; so is a bare number in the range of this century's serials
            // (a date typed into a cell formatted as a number); 20241231 is a date written as digits.
            if (c.Note == CellNote.Date || n is >= 18264 and <= 80000)
            {
                if (LedgerValues.FromSerial(n, date1904) is { } date)
                {
                    return (date, null);
                }
            }
            else if (n is >= 19000101 and <= 21991231 && n == Math.Floor(n) && LedgerValues.TryDeadline(n.ToString(CultureInfo.InvariantCulture), out var digits, out _) && digits is not null)
            {
                return (digits, null);
            }

            Problem(row, LedgerField.Deadline, $"无法识别的整改时限“{c.AsText()}”。");
            return (null, null);
        }

        var text = c.AsText();
        if (LedgerValues.TryDeadline(text, out var d, out var kind))
        {
            return (d, kind);
        }

        Problem(row, LedgerField.Deadline, $"无法识别的整改时限“{LedgerValues.Clean(text)}”（可写 2024年12月31日、2024.12.31、2024/12/31、2024-12-31、2024年12月底、长期坚持或立行立改）。");
        return (null, null);
    }

    private IntakeDraft Finish()
    {
        // 序号 gives findings their numbers when each problem's rows carry at most one whole number (merged, repeated or
        // on its first row only); otherwise the whole numbers count rows and the findings are numbered by other means.
        var wholeNumbersAreFindings = findings.All(f => f.Wholes.Count <= 1) && findings.Any(f => f.Wholes.Count == 1);

        // Two levels of categories ("一、…方面" above "（一）…" above the problems, 大类 and 方面): the plan keeps one, so the
        // lower level is the category, numbered in the file's order, and the headings of the upper level with no problem of
        // their own are named in a 提示 instead of being read as categories numbered again from 一.
        var upper = categories.Where(c => !c.Bracketed && c.Findings.Count == 0 && c.Title != Unfiled).ToList();
        if (upper.Count > 0 && categories.Any(c => c.Bracketed && c.Findings.Count > 0))
        {
            categories.RemoveAll(upper.Contains);
            categories.ForEach(c => c.Number = null);
            problems.Add(new IntakeProblem(sheet, upper[0].Row, Letter(LedgerField.Category),
                $"文件的问题类别分两级（{string.Join("、", upper.Take(3).Select(c => "“" + Abbreviate(c.Title) + "”"))}{(upper.Count > 3 ? "等" : string.Empty)} {upper.Count} 个大类之下又分（一）（二）……）。整改方案的问题类别只有一级：已以下一级（和直接列有问题的大类）为问题类别，按文件中的顺序编为第 1 至第 {categories.Count} 个；以上 {upper.Count} 个大类的标题未导入。",
                IntakeSeverity.Warning));
        }

        var previous = 0;
        var categoryRows = new Dictionary<int, int>();
        foreach (var c in categories)
        {
            c.Number ??= previous + 1;
            previous = c.Number.Value;
            if (!categoryRows.TryAdd(c.Number.Value, c.Row))
            {
                problems.Add(new IntakeProblem(sheet, c.Row, Letter(LedgerField.Category), $"问题类别序号{Numeral(c.Number.Value)}重复（第 {categoryRows[c.Number.Value]} 行已有）。", IntakeSeverity.Error));
            }
        }

        previous = 0;
        foreach (var f in findings)
        {
            f.Number = f.Dotted ?? (wholeNumbersAreFindings && f.Wholes.Count == 1 ? (int?)f.Wholes.First() : null) ?? f.TitleNumber ?? previous + 1;
            previous = f.Number;
        }

        // Problems numbered afresh in each category (一、 1. 2. 二、 1. 2.): a plan numbers them through the whole inspection,
        // as feedback does, so they are numbered in the file's order (the same each time the file is read, so a corrected
        // file updates the same problems), and the preview says so.
        // The numbers restart at 1 at some categories' start (each category, or each 大类 whose lower categories continue its
        // count) and rise within a run: numbered through the file. (Not when the categories' own numbers repeat: that file
        // is mistaken, and says so, problems and all.)
        var perCategory = categories.Select(c => c.Findings.Select(f => f.Number).ToList()).Where(n => n.Count > 0).ToList();
        var runs = 0;
        var lastNumber = 0;
        var restarting = true;
        foreach (var numbers in perCategory)
        {
            runs += numbers[0] == 1 ? 1 : 0;
            restarting &= (numbers[0] == 1 || numbers[0] > lastNumber) && numbers.Zip(numbers.Skip(1)).All(p => p.Second > p.First);
            lastNumber = numbers[^1];
        }

        if (restarting && runs > 1 && categoryRows.Count == categories.Count && findings.Select(f => f.Number).Distinct().Count() < findings.Count)
        {
            var n = 0;
            foreach (var f in categories.SelectMany(c => c.Findings))
            {
                f.Number = ++n;
            }

            problems.Add(new IntakeProblem(sheet, categories.SelectMany(c => c.Findings).First().Row, Letter(LedgerField.Number),
                $"问题序号在每个问题类别内都从 1 起编。整改方案中的问题按全文统一编号，已按文件中的顺序编为 1 至 {n}（再次导入同一文件时编号相同）。", IntakeSeverity.Warning));
        }

        var findingRows = new Dictionary<int, int>();
        foreach (var f in findings)
        {
            if (!findingRows.TryAdd(f.Number, f.Row))
            {
                problems.Add(new IntakeProblem(sheet, f.Row, Letter(LedgerField.Finding), $"问题序号 {f.Number} 重复（第 {findingRows[f.Number]} 行已有）。", IntakeSeverity.Error));
            }

            if (f.Measures.Count == 0)
            {
                problems.Add(new IntakeProblem(sheet, f.Row, Letter(LedgerField.Measure), $"问题“{Abbreviate(f.Title)}”下没有整改措施。", IntakeSeverity.Error));
            }

            var last = 0;
            var measureRows = new Dictionary<int, int>();
            foreach (var m in f.Measures)
            {
                m.Number = m.Dotted ?? last + 1;
                last = m.Number;
                if (!measureRows.TryAdd(m.Number, m.Row))
                {
                    problems.Add(new IntakeProblem(sheet, m.Row, Letter(LedgerField.Number), $"问题 {f.Number} 下的措施序号 {m.Number} 重复（第 {measureRows[m.Number]} 行已有）。", IntakeSeverity.Error));
                }
            }
        }

        // A 状态 that names no standing (an account of the work, 红/黄/绿): one 提示 for the sheet, with the rows.
        if (unrecognizedStanding.Count > 0)
        {
            var rows = string.Join("、", unrecognizedStanding.Take(10)) + (unrecognizedStanding.Count > 10 ? $" 等 {unrecognizedStanding.Count} 行" : " 行");
            problems.Add(new IntakeProblem(sheet, unrecognizedStanding[0], Letter(LedgerField.Standing),
                $"{Letter(LedgerField.Standing)} 列第 {rows}写的不是措施的状态，这些措施按“未启动”导入。可写：未启动、整改中（正在整改、基本完成、长期坚持）、已完成（已整改、已销号）。"
                + (header.Columns.ContainsKey(LedgerField.Progress) ? string.Empty : "这一列如果写的是进展说明，请把列名改为“整改进展”，它会随措施保存，作为责任单位第一次报送的底稿。"),
                IntakeSeverity.Warning));
        }

        var draft = categories.Select(c => new IntakeCategory(
            c.Number!.Value,
            c.Title,
            [.. c.Findings.Select(f => new IntakeFinding(
                f.Number,
                f.Title,
                [.. f.Measures.Select(m => new IntakeMeasure(m.Number, m.Text, m.Kind, m.Deadline, m.Leader, m.LeadUnit, m.SupportingUnits, new IntakeLocation(sheet, m.Row)) { Standing = m.Standing, Progress = m.Progress })],
                new IntakeLocation(sheet, f.Row)))],
            new IntakeLocation(sheet, c.Row)) { IsImplicit = c.Implicit }).ToList();
        var ordered = problems
            .OrderBy(p => p.Row ?? 0)
            .ThenBy(p => p.Column?.Length ?? 0)
            .ThenBy(p => p.Column, StringComparer.Ordinal)
            .ToList();
        return new IntakeDraft(IntakeInspection.Unknown with { Title = header.Title }, draft, ordered);
    }

    private static string Numeral(int n) => n is >= 1 and <= 99 ? $"（{ChineseNumerals.Format(n)}）" : $" {n} ";

    private static string Abbreviate(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private sealed class CategoryBuilder(string title, int? number, string identity, int row)
    {
        public string Title { get; } = title;

        public int? Number { get; set; } = number;

        public string Identity { get; set; } = identity;

        public int Row { get; } = row;

        /// <summary>Numbered "（一）" (a lower level under "一、" in a ledger of two levels of categories).</summary>
        public bool Bracketed { get; set; }

        /// <summary>The sheet names no category: its findings were put under this one (<see cref="IntakeCategory.IsImplicit"/>).</summary>
        public bool Implicit { get; set; }

        public List<FindingBuilder> Findings { get; } = [];
    }

    private sealed class FindingBuilder(CategoryBuilder category, string title, int? titleNumber, string identity, int row)
    {
        public CategoryBuilder Category { get; } = category;

        public string Title { get; } = title;

        public int? TitleNumber { get; } = titleNumber;

        public string Identity { get; } = identity;

        public int Row { get; } = row;

        public int? Dotted { get; set; }

        public HashSet<int> Wholes { get; } = [];

        public int Number { get; set; }

        public List<MeasureBuilder> Measures { get; } = [];
    }

    private sealed class MeasureBuilder(int row, int? dotted, string text, MeasureKind? kind, DateOnly? deadline, string? leader, string? leadUnit, List<string> supportingUnits)
    {
        public int Row { get; } = row;

        public int? Dotted { get; } = dotted;

        public string Text { get; } = text;

        public MeasureKind? Kind { get; } = kind;

        public DateOnly? Deadline { get; } = deadline;

        public string? Leader { get; } = leader;

        public string? LeadUnit { get; } = leadUnit;

        public List<string> SupportingUnits { get; } = supportingUnits;

        public LedgerStanding? Standing { get; init; }

        public string? Progress { get; init; }

        public int Number { get; set; }
    }
}
