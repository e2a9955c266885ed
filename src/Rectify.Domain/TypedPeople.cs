namespace Rectify.Domain;

/// <summary>
/// People as offices type them in a 责任领导 cell or field: "张三", "张三（副书记）", "副区长 张三", "区委常委、组织部部长 张三",
/// "副区长张三", several separated by 、 or ，. Each is read as a name and a position (职务), so that one person typed
/// three ways is one person, and a position is never taken for a name.
/// </summary>
public static class TypedPeople
{
    /// <summary>What separates several people (or units) typed in one field.</summary>
    public static readonly char[] Separators = ['、', '，', ',', '/', '／', ';', '；', '\n', '\r'];

    /// <summary>What parts a position from a name within one person ("副区长 张三", "副区长：张三").</summary>
    private static readonly char[] WordBreaks = [' ', '\u3000', '\t', '：', ':'];

    /// <summary>How a position ends (书记, 部长, 主任…): a part of a field ending so names no one, and a name is read after it.</summary>
    private static readonly string[] PositionEndings =
    [
        "书记", "常委", "委员", "部长", "厅长", "局长", "处长", "科长", "主任", "组长", "主席", "省长", "市长", "区长", "县长", "州长",
        "镇长", "乡长", "院长", "校长", "所长", "站长", "队长", "馆长", "行长", "会长", "社长", "秘书长", "检察长", "庭长", "政委",
        "经理", "董事长", "总监", "负责人", "督学", "巡视员", "调研员", "助理", "专员", "科员", "干事", "秘书",
    ];

    /// <summary>
    /// The people typed in <paramref name="typed"/>, each as typed (cleaned), in order, each once. Separators inside
    /// brackets do not separate ("张三（区委常委、组织部部长）" is one); a part that is only a position is read with the
    /// person after it ("区委常委、组织部部长 张三" is one, 张三).
    /// </summary>
    public static IReadOnlyList<string> Split(string? typed)
    {
        var text = PlainText.Clean(typed) ?? string.Empty;
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] is '（' or '(' ? 1 : text[i] is '）' or ')' && depth > 0 ? -1 : 0;
            if (depth == 0 && Array.IndexOf(Separators, text[i]) >= 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        var people = new List<string>();
        var positions = new List<string>();
        foreach (var part in parts.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (IsPositionOnly(part))
            {
                positions.Add(part);
                continue;
            }

            var hasPosition = Read(part).Position.Length > 0;

            // Positions between a person written name first and a bare name are the first's: "吴海 区委常委、组织部部长、郑晓梅".
            if (positions.Count > 0 && !hasPosition && people.Count > 0 && NameFirst(people[^1]))
            {
                people[^1] += "、" + string.Join('、', positions);
                positions.Clear();
            }

            // The positions before a person are theirs: "区委常委、组织部部长 张三", "区委常委、张三".
            people.Add(positions.Count == 0 ? part : string.Join('、', positions) + (hasPosition ? "、" : " ") + part);
            positions.Clear();
        }

        // Positions after a person whose position follows the name ("吴海 区委常委、组织部部长") are that person's too;
        // positions with no one at all stay as typed, as one (read as a name, and the import says so).
        if (positions.Count > 0 && people.Count > 0 && NameFirst(people[^1]))
        {
            people[^1] += "、" + string.Join('、', positions);
        }
        else if (positions.Count > 0)
        {
            people.Add(string.Join('、', positions));
        }

        return people.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One person typed as a name and a position: "张三（副书记）", "（副书记）张三"; words apart, "副区长 张三",
    /// "副区长：张三", "吴海 区委常委" (the name first), "张　三" (a name spaced out); "副区长张三" (a name of two to four
    /// characters after a known ending of a position). Otherwise all of it is the name.
    /// </summary>
    public static (string Name, string Position) Read(string? typed)
    {
        var text = PlainText.Line(typed) ?? string.Empty;
        var open = text.IndexOfAny(['（', '(']);
        if (open == 0 && text.IndexOfAny(['）', ')']) is var close and > 0)
        {
            return (text[(close + 1)..].Trim(), text[1..close].Trim());
        }

        if (open > 0)
        {
            return (text[..open].Trim(), text[(open + 1)..].TrimEnd('）', ')').Trim());
        }

        // Words apart (by spaces or a colon): the position's words, then the name's ("副区长 张三", "区委常委、副区长 马 力",
        // "副区长：张三"); or the name first, then the position ("吴海 区委常委、组织部部长"); a name spaced out to line up
        // in a table ("张　三", "欧阳 振华") is that name; words that are neither (an English name) stay as typed.
        var words = text.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1)
        {
            for (var k = words.Length - 1; k >= 1; k--)
            {
                var position = string.Join(' ', words[..k]);
                var name = string.Concat(words[k..]);
                if (EndsAsPosition(position) && IsName(name))
                {
                    return (name, position);
                }
            }

            var rest = string.Join(' ', words[1..]);
            if (words[0].Length >= 2 && IsName(words[0]) && EndsAsPosition(rest))
            {
                return (words[0], rest);
            }

            var joined = string.Concat(words);
            return joined.Length <= 4 && IsName(joined) ? (joined, string.Empty) : (text, string.Empty);
        }

        // The last ending of a position in the text ("区长助理张三" is 区长助理's 张三), followed by a name.
        var end = PositionEndings.Select(e => text.LastIndexOf(e, StringComparison.Ordinal) is var at and > 0 ? at + e.Length : -1).Max();
        var after = end > 0 ? text[end..] : string.Empty;
        return after.Length is >= 2 and <= 4 && after.All(IsHan) ? (after, text[..end]) : (text, string.Empty);
    }

    /// <summary>
    /// A part that names a position and no one: longer than a "李书记" (which names someone), ending as a position does,
    /// with no name read out of it.
    /// </summary>
    public static bool IsPositionOnly(string? typed)
    {
        var text = PlainText.Line(typed) ?? string.Empty;
        return text.Length > 3 && text.IndexOfAny(['（', '(']) < 0
            && text.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries).All(EndsAsPosition);
    }

    /// <summary>Reads as a person's name: Chinese characters (and the · of a transcribed name), not ending as a position does.</summary>
    private static bool IsName(string text) => text.Length is >= 1 and <= 12 && text.All(IsHan) && !EndsAsPosition(text);

    /// <summary>A person written name first, then the position, with no brackets ("吴海 区委常委").</summary>
    private static bool NameFirst(string typed) =>
        typed.IndexOfAny(['（', '(']) < 0 && Read(typed) is { Position.Length: > 0 } read && typed.StartsWith(read.Name, StringComparison.Ordinal);

    private static bool EndsAsPosition(string text) => PositionEndings.Any(e => text.EndsWith(e, StringComparison.Ordinal));

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or '·' or '•';
}
