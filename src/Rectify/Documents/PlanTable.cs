using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Documents;

/// <summary>
/// A rectification plan as a Word table: a header row naming 问题 / 整改措施 / 责任领导 / 责任单位 / 完成时限 (and
/// their usual synonyms, as the ledger columns), one row per measure (the problem cell merged down or left empty)
/// or one row per problem with its measures as lines of a cell. A row merged across the table is a category.
/// </summary>
internal static partial class PlanTable
{
    private enum Column
    {
        Number,
        Category,
        Problem,
        Measures,
        Leader,
        Unit,
        Supporting,
        Kind,
        Deadline,
    }

    public static void Read(Table table, int tableNumber, List<NoticeCategory> plan, List<NoticeNote> notes) =>
        Read([.. table.Elements<TableRow>().Select(Cells)], tableNumber, plan, notes);

    /// <summary>A table's rows as cells (a cell merged across n columns followed by n − 1 empty ones), from Word or from a text (<see cref="TextTables"/>).</summary>
    public static void Read(List<List<CellText>> rows, int tableNumber, List<NoticeCategory> plan, List<NoticeNote> notes)
    {
        var headerAt = -1;
        Dictionary<Column, int> columns = [];
        for (var r = 0; r < Math.Min(3, rows.Count) && headerAt < 0; r++)
        {
            var map = new Dictionary<Column, int>();
            for (var c = 0; c < rows[r].Count; c++)
            {
                if (ColumnOf(string.Concat(rows[r][c].Lines)) is { } column && !map.ContainsKey(column))
                {
                    map[column] = c;
                }
            }

            if (map.ContainsKey(Column.Problem) && map.ContainsKey(Column.Measures))
            {
                (headerAt, columns) = (r, map);
            }
        }

        if (headerAt < 0)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Info, $"第 {tableNumber} 个表格没有“问题”和“整改措施”两列，不是整改方案表，按正文读取。"));
            return;
        }

        var categories = new List<(int Number, string Title, bool Implicit, List<(int Number, string Title, List<NoticeMeasure> Measures)> Findings)>();
        var sequence = plan.Sum(c => c.Findings.Count);
        string? lastCategoryCell = null;
        for (var r = headerAt + 1; r < rows.Count; r++)
        {
            var row = rows[r];
            var distinct = row.Select(c => string.Join("\n", c.Lines)).Where(t => t.Length > 0).Distinct().ToList();
            if (distinct.Count == 0)
            {
                continue;
            }

            if (distinct.Count == 1 && row.Count(c => c.Lines.Count > 0) == 1 && row.Sum(c => c.Span) > 1 && row.First(c => c.Lines.Count > 0).Span > 1)
            {
                var (n, t) = Numbered(distinct[0]);
                categories.Add((n ?? categories.Count + 1, t, false, []));
                continue;
            }

            if (row.Skip(rows[headerAt].Count).Any(c => c.Lines.Count > 0))
            {
                notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"第 {tableNumber} 个表格第 {r + 1} 行的格数多于表头的 {rows[headerAt].Count} 列，多出的内容未导入。请核对这一行各列是否错位。"));
            }

            string Cell(Column column) => columns.TryGetValue(column, out var at) && at < row.Count ? string.Join("\n", row[at].Lines) : string.Empty;
            List<string> CellLines(Column column) => columns.TryGetValue(column, out var at) && at < row.Count ? row[at].Lines : [];

            var categoryCell = Cell(Column.Category);
            if (categoryCell.Length > 0 && categoryCell != lastCategoryCell)
            {
                lastCategoryCell = categoryCell;
                var (n, t) = Numbered(categoryCell);
                categories.Add((n ?? categories.Count + 1, t, false, []));
            }

            if (categories.Count == 0)
            {
                categories.Add((1, "整改方案", true, []));
            }

            var findings = categories[^1].Findings;
            var problem = Cell(Column.Problem);
            if (problem.Length > 0)
            {
                var (typed, title) = Numbered(problem);
                var numberCell = Cell(Column.Number);
                var number = int.TryParse(numberCell, NumberStyles.None, CultureInfo.InvariantCulture, out var fromColumn) ? fromColumn : typed ?? sequence + 1;
                sequence = Math.Max(sequence + 1, number);
                findings.Add((number, title, []));
            }
            else if (findings.Count == 0)
            {
                notes.Add(new NoticeNote(null, NoteSeverity.Error, $"第 {tableNumber} 个表格第 {r + 1} 行：整改措施前面没有问题，未导入。"));
                continue;
            }

            var texts = MeasureTexts(CellLines(Column.Measures));
            var leaders = CellLines(Column.Leader);
            var units = CellLines(Column.Unit);
            var deadlines = CellLines(Column.Deadline);
            var supporting = CellLines(Column.Supporting);
            var kinds = CellLines(Column.Kind);
            var measures = findings[^1].Measures;
            for (var i = 0; i < texts.Count; i++)
            {
                measures.Add(new NoticeMeasure(measures.Count + 1, texts[i])
                {
                    Leader = Pick(leaders, i, texts.Count),
                    Unit = Pick(units, i, texts.Count),
                    Deadline = Pick(deadlines, i, texts.Count),
                    SupportingUnits = Pick(supporting, i, texts.Count),
                    Kind = Pick(kinds, i, texts.Count),
                });
            }
        }

        if (categories.Count == 1 && categories[0].Implicit)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"第 {tableNumber} 个表格（整改方案表）没有问题类别，问题归入一个默认类别“整改方案”。"));
        }

        foreach (var c in categories.Where(c => c.Findings.Count > 0))
        {
            plan.Add(new NoticeCategory(c.Number, c.Title, [.. c.Findings.Select(f => new NoticeFinding(f.Number, f.Title, f.Measures))]) { IsImplicit = c.Implicit });
        }
    }

    /// <summary>The lines of a cell, one measure each; a single line of 一是…二是… clauses is one measure per clause. Leading numbers go.</summary>
    private static List<string> MeasureTexts(List<string> lines)
    {
        if (lines.Count == 1)
        {
            var key = NoticeText.Key(lines[0]);
            var clauses = ClauseRegex().Matches(key);
            if (clauses.Count > 1)
            {
                return [.. clauses.Select((m, i) => lines[0][(m.Index + m.Length)..(i + 1 < clauses.Count ? clauses[i + 1].Index : lines[0].Length)].Trim())];
            }
        }

        return [.. lines.Select(l => l[MarkerRegex().Match(NoticeText.Key(l)).Length..].Trim()).Where(l => l.Length > 0)];
    }

    private static string? Pick(List<string> lines, int i, int count) =>
        lines.Count == 0 ? null : lines.Count == count ? lines[i] : string.Join("；", lines);

    private static (int? Number, string Title) Numbered(string text)
    {
        var m = MarkerRegex().Match(NoticeText.Key(text));
        if (!m.Success || m.Length == 0)
        {
            return (null, text);
        }

        var digits = m.Groups["d"].Value;
        int? n = digits.Length > 0 ? int.Parse(digits, CultureInfo.InvariantCulture)
            : ChineseNumerals.TryParse(m.Groups["c"].Value, out var cn) ? cn : null;
        return (n, text[m.Length..].Trim());
    }

    private static Column? ColumnOf(string header)
    {
        var h = NoticeText.Key(header).Replace(" ", string.Empty, StringComparison.Ordinal);
        return h switch
        {
            "序号" or "编号" or "问题序号" => Column.Number,
            _ when Regex.IsMatch(h, "类别|方面|问题类型|领域") => Column.Category,
            _ when Regex.IsMatch(h, "措施|举措") => Column.Measures,
            _ when Regex.IsMatch(h, "领导") => Column.Leader,
            _ when Regex.IsMatch(h, "时限|完成时间|期限|整改时间") => Column.Deadline,
            _ when Regex.IsMatch(h, "配合|协办|协同") => Column.Supporting,
            _ when Regex.IsMatch(h, "类型|方式") => Column.Kind,
            _ when Regex.IsMatch(h, "单位|部门|科室") => Column.Unit,
            _ when Regex.IsMatch(h, "问题|整改任务|整改事项") => Column.Problem,
            _ => null,
        };
    }

    public sealed record CellText(List<string> Lines, int Span);

    /// <summary>A row's cells, a cell merged across n columns counted n times so that the header's positions hold; a cell merged down is empty.</summary>
    private static List<CellText> Cells(TableRow row)
    {
        var cells = new List<CellText>();
        foreach (var cell in row.Elements<TableCell>())
        {
            var span = cell.TableCellProperties?.GridSpan?.Val?.Value ?? 1;
            var continued = cell.TableCellProperties?.VerticalMerge is { } v && (v.Val is null || v.Val.InnerText == "continue");
            var lines = continued ? [] : cell.Elements<Paragraph>().Select(NoticeDocx.Text).SelectMany(t => t.Split('\n')).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
            var text = new CellText(lines, span);
            for (var i = 0; i < Math.Max(1, span); i++)
            {
                cells.Add(i == 0 ? text : new CellText([], 0));
            }
        }

        return cells;
    }

    [GeneratedRegex(@"^(?:\((?<c>[一二三四五六七八九十]{1,3})\)[、.]?|(?<c>[一二三四五六七八九十]{1,3})[、.]|(?<d>\d{1,3})(?:[.、](?!\d)|\))|\(\d{1,2}\)|[⑴-⒇①-⑳]|[一二三四五六七八九十]{1,3}是)\s*")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"(?:^|(?<=[。;]))\s*[一二三四五六七八九十]{1,3}是")]
    private static partial Regex ClauseRegex();
}
