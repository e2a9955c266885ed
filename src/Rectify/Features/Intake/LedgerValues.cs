using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>How a 序号 cell reads.</summary>
internal enum NumberShape
{
    /// <summary>Empty.</summary>
    None,

    /// <summary>"3": a finding's number or a running row number (the sheet decides which).</summary>
    Whole,

    /// <summary>"3.2", "3-2": finding 3, measure 2 ("1.3.2": category 1, finding 3, measure 2).</summary>
    Dotted,

    /// <summary>"一", "（一）", "一、": a category's number.</summary>
    Chinese,

    /// <summary>Anything else.</summary>
    Unreadable,
}

/// <summary>A 序号 cell: its shape and the numbers it gives.</summary>
internal readonly record struct NumberCell(NumberShape Shape, int? Category = null, int? Finding = null, int? Measure = null);

/// <summary>The words and numbers of ledger cells: dates, kinds, 序号, unit lists, numbering before titles.</summary>
internal static partial class LedgerValues
{
    /// <summary>Full-width letters, digits, punctuation and spaces as their ASCII forms (NFKC), trimmed.</summary>
    public static string Fold(string text) => text.Normalize(NormalizationForm.FormKC).Trim();

    /// <summary>A text cell as kept: line breaks as \n, surrounding spaces (full-width too) removed.</summary>
    public static string Clean(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    /// <summary>The kind a word names: 立行立改, 限期整改 (or 限期), 长期坚持 (or 长期, 持续整改); null when it names none.</summary>
    public static MeasureKind? Kind(string text)
    {
        var word = Squeeze(text);
        return word switch
        {
            "立行立改" or "立即整改" => MeasureKind.Immediate,
            "限期整改" or "限期" or "限时整改" => MeasureKind.TimeBound,
            "长期坚持" or "长期" or "持续整改" or "长期整改" => MeasureKind.Ongoing,
            _ => null,
        };
    }

    /// <summary>
    /// The 原台账状态 a 状态 cell states, by its first word ("已完成（2024年5月）", "已完成 2024年5月", "已完成/已销号" are
    /// 已完成; a word spaced out, "已 销 号", is that word): Recognized with <see cref="LedgerStanding.NotStarted"/> for 未启动…,
    /// 整改中 for 正在整改, 基本完成, 未完成, 长期坚持…, 已完成 for 已整改, 已销号, 办结…; not Recognized for anything else (an
    /// account of the work, 红/黄/绿, a percentage), which the office hears about.
    /// </summary>
    public static (bool Recognized, LedgerStanding? Standing) Standing(string text)
    {
        var folded = Fold(text);
        var end = folded.AsSpan().IndexOfAny("。，,；;：:（(、\n!！?？".AsSpan());
        var clause = end < 0 ? folded : folded[..end];

        // A known word alone, the longest first ("已完成整改" before "已完成"); or a known word and then only a date ("已完成 2024年5月", "已完成2024.5"), or only more words of the same standing
        // ("已完成/已销号"). Anything else after it — a share ("已完成60%"), a count ("已完成 3 项"), another standing
        // ("已完成/未完成", "已销号 待审批") — is not the word's standing, and the office hears of the cell.
        var squeezed = Squeeze(clause).TrimEnd('.', '。');
        foreach (var (known, standing) in StandingWords)
        {
            if (squeezed.StartsWith(known, StringComparison.Ordinal) && (squeezed.Length == known.Length || FollowedOnlyBy(squeezed[known.Length..], standing)))
            {
                return (true, standing);
            }
        }

        return (false, null);
    }

    /// <summary>A 整改进展 cell: its text, or empty for a cell that says there is none (无, 暂无, /, —), null for an empty one.</summary>
    public static string? Progress(string? text) => text is null ? null : Squeeze(text) is "无" or "暂无" or "/" or "-" or "—" or "--" or "——" ? string.Empty : text;

    /// <summary>Whether what follows a standing's word is only a date, or more words of the same standing.</summary>
    private static bool FollowedOnlyBy(string rest, LedgerStanding standing)
    {
        rest = rest.TrimStart('/');
        return rest.Length > 0
            && (StandingDate().IsMatch(rest) || rest.Split('/', StringSplitOptions.RemoveEmptyEntries).All(w => StandingOf(w) == standing));
    }

    /// <summary>A date as a 状态 cell writes it after its word: 2024年5月, 2024年5月10日, 2024.5.10, 2024-05, 2024年底, 5月底前.</summary>
    [GeneratedRegex(@"^(\d{4}(年|\.|/|-)?)?(\d{1,2}(月|\.|/|-)?(\d{1,2}日?)?)?(底|末|初|上旬|中旬|下旬)?前?$")]
    private static partial Regex StandingDate();

    private static LedgerStanding? StandingOf(string word) =>
        StandingWords.FirstOrDefault(w => w.Word == word) is { Word: not null } found ? found.Standing : null;

    /// <summary>The words of a 状态 cell and the standing each names, the longest first (so a word run into a date finds the whole word).</summary>
    private static readonly (string Word, LedgerStanding Standing)[] StandingWords =
    [
        .. new[]
        {
            ("未启动", LedgerStanding.NotStarted), ("未开始", LedgerStanding.NotStarted), ("尚未启动", LedgerStanding.NotStarted), ("待启动", LedgerStanding.NotStarted),
            ("暂未启动", LedgerStanding.NotStarted), ("未开展", LedgerStanding.NotStarted), ("尚未开展", LedgerStanding.NotStarted), ("未整改", LedgerStanding.NotStarted),
            ("整改中", LedgerStanding.InProgress), ("正在整改", LedgerStanding.InProgress), ("进行中", LedgerStanding.InProgress), ("推进中", LedgerStanding.InProgress),
            ("正在推进", LedgerStanding.InProgress), ("持续推进", LedgerStanding.InProgress), ("持续整改", LedgerStanding.InProgress), ("持续整改中", LedgerStanding.InProgress),
            ("整改推进中", LedgerStanding.InProgress), ("已启动", LedgerStanding.InProgress), ("序时推进", LedgerStanding.InProgress), ("按序时推进", LedgerStanding.InProgress),
            ("有序推进", LedgerStanding.InProgress), ("按时序推进", LedgerStanding.InProgress), ("基本完成", LedgerStanding.InProgress), ("部分完成", LedgerStanding.InProgress),
            ("阶段性完成", LedgerStanding.InProgress), ("未完成", LedgerStanding.InProgress), ("尚未完成", LedgerStanding.InProgress), ("超期未完成", LedgerStanding.InProgress),
            ("逾期未完成", LedgerStanding.InProgress), ("长期坚持", LedgerStanding.InProgress), ("长期整改", LedgerStanding.InProgress), ("长期", LedgerStanding.InProgress),
            ("已完成", LedgerStanding.Completed), ("完成", LedgerStanding.Completed), ("已整改", LedgerStanding.Completed), ("整改完成", LedgerStanding.Completed),
            ("完成整改", LedgerStanding.Completed), ("已完成整改", LedgerStanding.Completed), ("已整改完成", LedgerStanding.Completed), ("已销号", LedgerStanding.Completed),
            ("销号", LedgerStanding.Completed), ("已整改销号", LedgerStanding.Completed), ("已办结", LedgerStanding.Completed), ("办结", LedgerStanding.Completed),
            ("已落实", LedgerStanding.Completed), ("已解决", LedgerStanding.Completed), ("已整改到位", LedgerStanding.Completed), ("整改到位", LedgerStanding.Completed),
        }.OrderByDescending(w => w.Item1.Length),
    ];

    /// <summary>An Excel serial day number as a date (the 1900 system, or 1904 when the workbook says so); null out of range.</summary>
    public static DateOnly? FromSerial(double serial, bool date1904)
    {
        if (double.IsNaN(serial) || serial < 1 || serial > 2958465)
        {
            return null;
        }

        var days = Math.Floor(serial) + (date1904 ? 1462 : 0);
        return DateOnly.FromDateTime(DateTime.FromOADate(days));
    }

    /// <summary>
    /// A deadline written as text: a date (2024年12月31日, 2024.12.31, 2024/12/31, 2024-12-31, 20241231), a month
    /// (2024年12月底, 2024年12月, 2024.12: its last day), a year's end (2024年底), with 前/之前/以前 after it or not; and
    /// the words 长期坚持 and 立行立改, which give the kind (with a date or without). False when nothing in it reads.
    /// </summary>
    public static bool TryDeadline(string text, out DateOnly? date, out MeasureKind? kind)
    {
        date = null;
        kind = null;
        var folded = Squeeze(text);
        if (folded.Length == 0)
        {
            return true;
        }

        foreach (var (word, k) in KindWords)
        {
            if (folded.Contains(word, StringComparison.Ordinal))
            {
                kind = k;
                folded = folded.Replace(word, string.Empty, StringComparison.Ordinal);
                break;
            }
        }

        var rest = folded.Trim(',', ';', '.', '、', '(', ')', ':');
        if (rest.Length == 0)
        {
            return kind is not null;
        }

        if (FullDate().Match(rest) is { Success: true } d)
        {
            date = MakeDate(d.Groups["y"].Value, d.Groups["m"].Value, d.Groups["d"].Value);
        }
        else if (Compact().Match(rest) is { Success: true } c)
        {
            date = MakeDate(c.Groups["y"].Value, c.Groups["m"].Value, c.Groups["d"].Value);
        }
        else if (MonthOnly().Match(rest) is { Success: true } m)
        {
            date = EndOfMonth(m.Groups["y"].Value, m.Groups["m"].Value);
        }
        else if (YearEnd().Match(rest) is { Success: true } y)
        {
            date = MakeDate(y.Groups["y"].Value, "12", "31");
        }

        // A kind word with a note beside it ("长期坚持，每季度报送") still says the kind.
        return date is not null || kind is not null;
    }

    /// <summary>A unit list: names separated by 、，, / ; or line breaks, each trimmed, empty ones and repeats left out.</summary>
    public static List<string> Units(string? text)
    {
        var names = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return names;
        }

        foreach (var part in text.Split(UnitSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.Trim();
            if (name.Length > 0 && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>How a 序号 cell reads (full-width digits and spaces folded): 3, 3.2, 3-2, 1.3.2, 一, （一）, 一、.</summary>
    public static NumberCell Number(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new NumberCell(NumberShape.None);
        }

        var s = Squeeze(text).TrimEnd('、', '.', ',');
        if (s.Length == 0)
        {
            return new NumberCell(NumberShape.None);
        }

        if (Whole(s) is { } whole)
        {
            return new NumberCell(NumberShape.Whole, Finding: whole);
        }

        var parts = s.Split(['.', '-', '—', '_'], StringSplitOptions.None);
        if (parts.Length is 2 or 3 && parts.All(p => Whole(p) is not null))
        {
            var n = parts.Select(p => Whole(p)!.Value).ToArray();
            return n.Length == 2
                ? new NumberCell(NumberShape.Dotted, Finding: n[0], Measure: n[1])
                : new NumberCell(NumberShape.Dotted, Category: n[0], Finding: n[1], Measure: n[2]);
        }

        var inner = s.StartsWith('(') && s.EndsWith(')') ? s[1..^1] : s;
        if (ChineseNumerals.TryParse(inner, out var chinese))
        {
            return new NumberCell(NumberShape.Chinese, Category: chinese);
        }

        return new NumberCell(NumberShape.Unreadable);
    }

    /// <summary>
    /// The number written before a title and the title without it: "3.加强…", "3、加强…", "（3）加强…" (Arabic), and with
    /// <paramref name="chinese"/> also "一、…", "（一）…". Null when the title starts with no such number.
    /// </summary>
    public static int? LeadingNumber(string title, bool chinese, out string rest)
    {
        rest = title;
        var m = (chinese ? ChineseLead() : ArabicLead()).Match(title);
        if (!m.Success)
        {
            return null;
        }

        var digits = m.Groups["n"].Value.Normalize(NormalizationForm.FormKC);
        int? number = Whole(digits) ?? (ChineseNumerals.TryParse(digits, out var c) ? c : null);
        if (number is null)
        {
            return null;
        }

        var remaining = Clean(title[m.Length..]);
        if (remaining.Length == 0)
        {
            return null;
        }

        rest = remaining;
        return number;
    }

    /// <summary>Whether a text reads as a category heading: "一、…", "（一）…", or one that names a 方面.</summary>
    public static bool LooksLikeCategory(string text)
    {
        var m = ChineseLead().Match(text);
        return (m.Success && !m.Groups["n"].Value.Any(char.IsDigit)) || text.Contains("方面", StringComparison.Ordinal);
    }

    private static readonly (string Word, MeasureKind Kind)[] KindWords =
    [
        ("长期坚持", MeasureKind.Ongoing),
        ("立行立改", MeasureKind.Immediate),
    ];

    private static readonly char[] UnitSeparators = ['、', '，', ',', '/', '／', ';', '；', '\n', '\r'];

    /// <summary>Folded (full-width to ASCII) with every space removed.</summary>
    private static string Squeeze(string text)
    {
        var folded = Fold(text);
        var sb = new StringBuilder(folded.Length);
        foreach (var ch in folded)
        {
            if (!char.IsWhiteSpace(ch))
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private static int? Whole(string s) =>
        s.Length is > 0 and <= 6 && s.All(char.IsAsciiDigit) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static DateOnly? MakeDate(string year, string month, string day)
    {
        var y = int.Parse(year, CultureInfo.InvariantCulture);
        var m = int.Parse(month, CultureInfo.InvariantCulture);
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        return y is >= 1900 and <= 2199 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m) ? new DateOnly(y, m, d) : null;
    }

    private static DateOnly? EndOfMonth(string year, string month)
    {
        var y = int.Parse(year, CultureInfo.InvariantCulture);
        var m = int.Parse(month, CultureInfo.InvariantCulture);
        return y is >= 1900 and <= 2199 && m is >= 1 and <= 12 ? new DateOnly(y, m, DateTime.DaysInMonth(y, m)) : null;
    }

    private const string Before = @"(前|之前|以前|止|为止|完成|前完成)?";

    [GeneratedRegex(@"^(?<y>\d{4})(年|\.|/|-)(?<m>\d{1,2})(月|\.|/|-)(?<d>\d{1,2})日?" + Before + "$")]
    private static partial Regex FullDate();

    [GeneratedRegex(@"^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})" + Before + "$")]
    private static partial Regex Compact();

    [GeneratedRegex(@"^(?<y>\d{4})(年|\.|/|-)(?<m>\d{1,2})(月(底|末|份)?)?(底|末)?" + Before + "$")]
    private static partial Regex MonthOnly();

    [GeneratedRegex(@"^(?<y>\d{4})年(底|末|年底|年末)" + Before + "$")]
    private static partial Regex YearEnd();

    [GeneratedRegex(@"^\s*([（(]\s*(?<n>[0-9０-９]{1,4})\s*[）)]|(?<n>[0-9０-９]{1,4})\s*[.．、，,](?![0-9０-９]))\s*")]
    private static partial Regex ArabicLead();

    [GeneratedRegex(@"^\s*([（(]\s*(?<n>[一二三四五六七八九十]{1,3}|[0-9０-９]{1,4})\s*[）)]|(?<n>[一二三四五六七八九十]{1,3}|[0-9０-９]{1,4})\s*[、.．](?![0-9０-９]))\s*")]
    private static partial Regex ChineseLead();
}
