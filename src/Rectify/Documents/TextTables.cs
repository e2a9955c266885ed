using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Documents;

/// <summary>
/// A plan table in a text file: rows copied from Excel or Word (cells split by tabs, a cell of several lines in quotes as
/// Excel writes it) or written as a Markdown table (cells between "|", a "---" rule under the header). A run of such rows
/// whose header names 问题 and 整改措施 is read as <see cref="PlanTable"/> reads a Word table and leaves the text; any
/// other run stays text, as it was.
/// </summary>
internal static partial class TextTables
{
    /// <summary>At most this many lines in one quoted cell: a stray quote must not swallow the rest of the file.</summary>
    private const int MostLinesInACell = 60;

    public static (List<string> Lines, List<NoticeCategory> Plan) Extract(IReadOnlyList<string> lines, List<NoticeNote> notes)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(notes);
        var kept = new List<string>(lines.Count);
        var plan = new List<NoticeCategory>();
        var tables = 0;
        for (var i = 0; i < lines.Count;)
        {
            var (rows, used) = Run(lines, i);
            if (rows.Count >= 2)
            {
                var before = plan.Count;
                var tableNotes = new List<NoticeNote>();
                PlanTable.Read(rows, tables + 1, plan, tableNotes);
                if (plan.Count > before)
                {
                    tables++;
                    notes.AddRange(tableNotes);
                }
                else
                {
                    kept.AddRange(lines.Skip(i).Take(used));
                }

                i += used;
                continue;
            }

            kept.Add(lines[i]);
            i++;
        }

        return (kept, plan);
    }

    /// <summary>The rows of one kind (tabs or pipes) from line <paramref name="at"/> on, and how many lines they took.</summary>
    private static (List<List<PlanTable.CellText>> Rows, int Lines) Run(IReadOnlyList<string> lines, int at)
    {
        var rows = new List<List<PlanTable.CellText>>();
        var i = at;
        var piped = IsPiped(lines[at]);
        while (i < lines.Count)
        {
            List<string>? fields;
            int used;
            if (piped)
            {
                if (!IsPiped(lines[i]))
                {
                    break;
                }

                (fields, used) = (Pipes(lines[i]), 1);
                if (fields.All(f => RuleRegex().IsMatch(f)))
                {
                    // The rule under the header: a row of nothing, so that a note's row number is the table's own line.
                    rows.Add([]);
                    i += used;
                    continue;
                }
            }
            else
            {
                (fields, used) = Tabs(lines, i);
                if (fields is null && rows.Count > 0 && i + 1 < lines.Count && lines[i + 1].Contains('\t', StringComparison.Ordinal)
                    && CategoryRegex().IsMatch(NoticeText.Key(lines[i])))
                {
                    // A category row typed by hand, or its empty cells trimmed: "一、关于…方面" alone between rows.
                    (fields, used) = ([lines[i]], 1);
                }

                if (fields is null)
                {
                    break;
                }
            }

            rows.Add(Row(fields, piped, rows.Count > 0 ? rows[0].Count : fields.Count));
            i += used;
        }

        return (rows, i - at);
    }

    private static bool IsPiped(string line)
    {
        var t = line.Trim();
        return t.Length > 2 && t.Count(c => c == '|') >= 2 && (t[0] == '|' || t[^1] == '|');
    }

    /// <summary>The cells of a Markdown row; "\|" is a "|" inside a cell, as Markdown writes it.</summary>
    private static List<string> Pipes(string line)
    {
        var t = line.Trim();
        t = t[0] == '|' ? t[1..] : t;
        t = t.Length > 0 && t[^1] == '|' && (t.Length < 2 || t[^2] != '\\') ? t[..^1] : t;
        return [.. UnescapedPipeRegex().Split(t).Select(f => f.Replace("\\|", "|", StringComparison.Ordinal).Trim())];
    }

    /// <summary>One record of tab-separated cells, as Excel copies it: a cell in quotes may hold tabs, lines and "" for a quote.</summary>
    private static (List<string>? Fields, int Lines) Tabs(IReadOnlyList<string> lines, int at)
    {
        if (!lines[at].Contains('\t', StringComparison.Ordinal))
        {
            return (null, 0);
        }

        return Quoted(lines, at) ?? ([.. lines[at].Split('\t')], 1);
    }

    private static (List<string>? Fields, int Lines)? Quoted(IReadOnlyList<string> lines, int at)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = at;
        var text = lines[at];
        var pos = 0;
        var quoted = false;
        var start = true;
        while (true)
        {
            if (pos == text.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return (fields, line - at + 1);
                }

                if (line + 1 >= lines.Count || line - at >= MostLinesInACell)
                {
                    // A quote never closed: the line is read as it is, its quotes as text.
                    return null;
                }

                field.Append('\n');
                text = lines[++line];
                pos = 0;
                continue;
            }

            var c = text[pos++];
            if (start && c == '"')
            {
                (quoted, start) = (true, false);
                continue;
            }

            start = false;
            if (quoted && c == '"')
            {
                if (pos < text.Length && text[pos] == '"')
                {
                    field.Append('"');
                    pos++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (!quoted && c == '\t')
            {
                fields.Add(field.ToString());
                field.Clear();
                start = true;
            }
            else
            {
                field.Append(c);
            }
        }
    }

    /// <summary>
    /// The cells of a row; a row whose one filled cell is its first, or is numbered as a category ("一、", "（一）"), is a
    /// category row, as a cell merged across a Word table is.
    /// </summary>
    private static List<PlanTable.CellText> Row(List<string> fields, bool piped, int width)
    {
        var cells = fields.Select(f => Lines(f, piped)).ToList();
        var filled = cells.Select((c, i) => (Cell: c, At: i)).Where(c => c.Cell.Count > 0).ToList();
        var span = Math.Max(cells.Count, width);
        if (span >= 3 && filled.Count == 1
            && (filled[0].At == 0 || CategoryRegex().IsMatch(NoticeText.Key(filled[0].Cell[0])))
            && !filled[0].Cell[0].All(char.IsAsciiDigit))
        {
            return [new PlanTable.CellText(filled[0].Cell, span), .. Enumerable.Range(1, span - 1).Select(_ => new PlanTable.CellText([], 0))];
        }

        return [.. cells.Select(c => new PlanTable.CellText(c, 1))];
    }

    private static List<string> Lines(string field, bool piped)
    {
        var text = piped ? BreakRegex().Replace(field, "\n") : field;
        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"^\s*:?-{2,}:?\s*$")]
    private static partial Regex RuleRegex();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipeRegex();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakRegex();

    [GeneratedRegex(@"^\s*(?:\(\s*[一二三四五六七八九十]{1,3}\s*\)|[一二三四五六七八九十]{1,3}\s*[、.])")]
    private static partial Regex CategoryRegex();
}
