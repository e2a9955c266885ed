using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Documents;

/// <summary>
/// Reads a rectification progress notice (巡察/巡视整改进展情况公布) in the genre of the seed: an introduction
/// naming the team, the target and the dates; sections numbered 一、 二、…; categories (一)…方面; findings 1.…;
/// measures 一是…二是…; next steps; the disclosure paragraph, the issuer and the date. Full-width and ASCII
/// punctuation both work, and page noise around the notice is ignored. Texts are kept verbatim.
/// </summary>
public static partial class NoticeParser
{
    private const string Cn = "一二三四五六七八九十";

    public static NoticeDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0', StringComparison.Ordinal) || text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new NoticeParseException("文件不是 UTF-8 编码的文本。请提供 .txt 格式（UTF-8）的整改进展情况公布全文。");
        }

        var lines = SplitLines(text);
        if (lines.Count == 0)
        {
            throw new NoticeParseException("文件是空的。请提供整改进展情况公布的全文。");
        }

        var introIndex = lines.FindIndex(l => IntroRegex().IsMatch(l.Text));
        if (introIndex < 0)
        {
            throw new NoticeParseException(
                "未找到巡察基本情况段落。整改进展情况公布应以类似“根据…统一安排，…年…月…日至…月…日，…巡察组对…开展了巡察。…反馈了巡察意见”的段落开头。");
        }

        var inspection = ParseIntro(lines[introIndex].Text);
        var sections = ReadSections(lines, introIndex + 1, out var closingIndex);
        if (sections.Count == 0)
        {
            throw new NoticeParseException("未找到以“一、”“二、”编号的正文部分（如“一、…履行巡察整改主体责任情况”“二、巡察整改任务落实情况”）。");
        }

        var taskSectionIndex = sections.FindIndex(s => s.Body.Any(l => FindingRegex().IsMatch(l.Text)));
        List<NoticeCategory> categories;
        var responsibility = new List<NoticeParagraph>();
        var nextSteps = new List<NoticeParagraph>();
        if (taskSectionIndex >= 0)
        {
            categories = ReadCategories(sections[taskSectionIndex]);
            for (var i = 0; i < sections.Count; i++)
            {
                if (i < taskSectionIndex)
                {
                    responsibility.AddRange(ReadParagraphs(sections[i]));
                }
                else if (i > taskSectionIndex)
                {
                    nextSteps.AddRange(ReadParagraphs(sections[i]));
                }
            }
        }
        else
        {
            // Some notices number the categories 一、 and the findings (一), with measures 一是… beneath.
            categories = ReadCategoriesFromSections(sections, out var firstTask, out var lastTask);
            for (var i = 0; i < sections.Count; i++)
            {
                if (i < firstTask)
                {
                    responsibility.AddRange(ReadParagraphs(sections[i]));
                }
                else if (i > lastTask)
                {
                    nextSteps.AddRange(ReadParagraphs(sections[i]));
                }
            }
        }

        if (categories.Count == 0 || categories.All(c => c.Findings.Count == 0))
        {
            throw new NoticeParseException(
                "未找到整改任务：应有“(一)关于…方面”这样的问题类别，其下是“1.…”编号的问题和“一是…二是…”的整改措施。");
        }

        CheckNumbering(categories);

        NoticeDisclosure? disclosure = null;
        string? issuer = null;
        DateOnly? date = null;
        if (closingIndex >= 0)
        {
            disclosure = ParseDisclosure(lines[closingIndex].Text);
            for (var i = closingIndex + 1; i < lines.Count && i <= closingIndex + 3; i++)
            {
                var l = lines[i].Text;
                if (TryParseStandaloneDate(l, out var d))
                {
                    date = d;
                    break;
                }

                issuer ??= l;
            }
        }

        return new NoticeDocument(inspection, responsibility, categories, nextSteps, disclosure, issuer, date);
    }

    private readonly record struct Line(int Number, string Text);

    private sealed record Section(Line Heading, List<Line> Body);

    private static List<Line> SplitLines(string text)
    {
        var result = new List<Line>();
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            number++;
            var line = raw.Trim().Trim('\uFEFF', '\u3000', '\u00A0').Trim();
            if (line.Length > 0)
            {
                result.Add(new Line(number, line));
            }
        }

        return result;
    }

    private static List<Section> ReadSections(List<Line> lines, int start, out int closingIndex)
    {
        closingIndex = -1;
        var sections = new List<Section>();
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i];
            if (IsClosing(line.Text))
            {
                closingIndex = i;
                break;
            }

            if (SectionRegex().IsMatch(line.Text))
            {
                sections.Add(new Section(line, []));
            }
            else if (sections.Count > 0)
            {
                sections[^1].Body.Add(line);
            }
        }

        return sections;
    }

    private static bool IsClosing(string line) =>
        line.Contains("公开期限", StringComparison.Ordinal)
        || (line.StartsWith("欢迎", StringComparison.Ordinal) && line.Contains("监督", StringComparison.Ordinal))
        || (line.Contains("联系电话", StringComparison.Ordinal) && line.Contains("意见", StringComparison.Ordinal));

    private static List<NoticeParagraph> ReadParagraphs(Section section)
    {
        var items = new List<(string Heading, StringBuilder Text)>();
        foreach (var line in section.Body)
        {
            var m = SubHeadingRegex().Match(line.Text);
            if (m.Success)
            {
                var rest = m.Groups["rest"].Value;
                var stop = rest.IndexOf('。', StringComparison.Ordinal);
                var heading = stop < 0 ? rest : rest[..stop];
                var body = stop < 0 ? string.Empty : rest[(stop + 1)..];
                items.Add((heading, new StringBuilder(body)));
            }
            else if (items.Count > 0)
            {
                items[^1].Text.Append('\n').Append(line.Text);
            }
            else
            {
                items.Add((string.Empty, new StringBuilder(line.Text)));
            }
        }

        return items.Select(i => new NoticeParagraph(i.Heading, i.Text.ToString())).ToList();
    }

    private static List<NoticeCategory> ReadCategories(Section section)
    {
        var categories = new List<(int Number, string Title, List<(int Number, string Title, Line Line, List<Line> Body)> Findings)>();
        foreach (var line in section.Body)
        {
            var category = SubHeadingRegex().Match(line.Text);
            if (category.Success && ChineseNumerals.TryParse(category.Groups["n"].Value, out var cn))
            {
                categories.Add((cn, category.Groups["rest"].Value, []));
                continue;
            }

            var finding = FindingRegex().Match(line.Text);
            if (finding.Success)
            {
                if (categories.Count == 0)
                {
                    throw new NoticeParseException("问题出现在第一个问题类别“(一)…”之前。", line.Number);
                }

                var number = int.Parse(NormalizeDigits(finding.Groups["n"].Value), CultureInfo.InvariantCulture);
                var rest = finding.Groups["rest"].Value;

                // "25.提升居民代表中党员比例。对金泰…": the title, then the measure in the same paragraph.
                var stop = rest.IndexOf('。', StringComparison.Ordinal);
                var title = stop < 0 ? rest : rest[..stop];
                var body = new List<Line>();
                if (stop >= 0 && stop + 1 < rest.Length)
                {
                    body.Add(new Line(line.Number, rest[(stop + 1)..]));
                }

                categories[^1].Findings.Add((number, title, line, body));
                continue;
            }

            if (categories.Count == 0 || categories[^1].Findings.Count == 0)
            {
                throw new NoticeParseException(
                    $"无法归入任何问题的段落：“{Abbreviate(line.Text)}”。整改任务部分应为“(一)…”问题类别、“1.…”问题和其下的整改措施。",
                    line.Number);
            }

            categories[^1].Findings[^1].Body.Add(line);
        }

        return categories
            .Select(c => new NoticeCategory(c.Number, c.Title, c.Findings.Select(f => new NoticeFinding(f.Number, f.Title, ReadMeasures(f.Line, f.Body))).ToList()))
            .ToList();
    }

    private static List<NoticeCategory> ReadCategoriesFromSections(List<Section> sections, out int firstTask, out int lastTask)
    {
        firstTask = int.MaxValue;
        lastTask = -1;
        var categories = new List<NoticeCategory>();
        var findingNumber = 0;
        for (var s = 0; s < sections.Count; s++)
        {
            var section = sections[s];
            var findings = new List<(string Title, Line Line, List<Line> Body)>();
            foreach (var line in section.Body)
            {
                var m = SubHeadingRegex().Match(line.Text);
                if (m.Success)
                {
                    findings.Add((m.Groups["rest"].Value.TrimEnd('。'), line, []));
                }
                else if (findings.Count > 0)
                {
                    findings[^1].Body.Add(line);
                }
            }

            if (findings.Count == 0 || !findings.Any(f => f.Body.Any(l => OrdinalClauseRegex().IsMatch(l.Text))))
            {
                continue;
            }

            firstTask = Math.Min(firstTask, s);
            lastTask = s;
            var heading = SectionRegex().Match(section.Heading.Text);
            if (!ChineseNumerals.TryParse(heading.Groups["n"].Value, out var number))
            {
                throw new NoticeParseException($"无法识别的编号“{heading.Groups["n"].Value}、”。", section.Heading.Number);
            }
            categories.Add(new NoticeCategory(
                number,
                heading.Groups["rest"].Value,
                findings.Select(f => new NoticeFinding(++findingNumber, f.Title, ReadMeasures(f.Line, f.Body))).ToList()));
        }

        return categories;
    }

    /// <summary>One measure per 一是/二是… clause; a finding written as one paragraph is one measure.</summary>
    private static List<NoticeMeasure> ReadMeasures(Line findingLine, List<Line> body)
    {
        var texts = new List<StringBuilder>();
        var sawOrdinal = false;
        foreach (var line in body)
        {
            var clauses = SplitOrdinalClauses(line.Text);
            if (clauses is null)
            {
                if (sawOrdinal || texts.Count > 0)
                {
                    texts[^1].Append('\n').Append(line.Text);
                }
                else
                {
                    texts.Add(new StringBuilder(line.Text));
                }

                continue;
            }

            sawOrdinal = true;
            foreach (var clause in clauses)
            {
                if (clause.Ordinal)
                {
                    texts.Add(new StringBuilder(clause.Text));
                }
                else if (texts.Count > 0)
                {
                    texts[^1].Append(clause.Text);
                }
                else
                {
                    texts.Add(new StringBuilder(clause.Text));
                }
            }
        }

        if (texts.Count == 0)
        {
            throw new NoticeParseException($"问题“{Abbreviate(findingLine.Text)}”下没有整改措施。", findingLine.Number);
        }

        return texts.Select((t, i) => new NoticeMeasure(i + 1, t.ToString())).ToList();
    }

    /// <summary>Splits "一是…。二是…。" into clauses; null when the paragraph has no ordinal clause at its start or after a full stop.</summary>
    private static List<(bool Ordinal, string Text)>? SplitOrdinalClauses(string paragraph)
    {
        var matches = OrdinalClauseRegex().Matches(paragraph);
        if (matches.Count == 0)
        {
            return null;
        }

        var result = new List<(bool, string)>();
        if (matches[0].Index > 0)
        {
            result.Add((false, paragraph[..matches[0].Index]));
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : paragraph.Length;
            result.Add((true, paragraph[start..end]));
        }

        return result;
    }

    private static void CheckNumbering(List<NoticeCategory> categories)
    {
        var seen = new HashSet<int>();
        foreach (var finding in categories.SelectMany(c => c.Findings))
        {
            if (!seen.Add(finding.Number))
            {
                throw new NoticeParseException($"问题序号 {finding.Number} 出现了不止一次（“{Abbreviate(finding.Title)}”）。");
            }
        }

        var categoryNumbers = new HashSet<int>();
        foreach (var category in categories)
        {
            if (!categoryNumbers.Add(category.Number))
            {
                throw new NoticeParseException($"问题类别序号（{ChineseNumerals.Format(category.Number)}）出现了不止一次（“{Abbreviate(category.Title)}”）。");
            }
        }
    }

    private static NoticeInspection ParseIntro(string intro)
    {
        var team = TeamRegex().Match(intro);
        var afterTeam = team.Success ? intro[(team.Index + team.Length)..] : string.Empty;
        var target = TargetRegex().Match(afterTeam);
        string targetName = target.Success ? target.Groups["target"].Value.Trim() : string.Empty;
        string? shortName = null;
        var shortMatch = ShortNameRegex().Match(targetName);
        if (shortMatch.Success)
        {
            shortName = shortMatch.Groups["short"].Value;
            targetName = targetName[..shortMatch.Index].Trim();
        }

        var also = new List<string>();
        var alsoMatch = AlsoInspectedRegex().Match(afterTeam);
        if (alsoMatch.Success)
        {
            var suffix = alsoMatch.Groups["kind"].Value;
            var unit = suffix.Contains("社区", StringComparison.Ordinal) ? "社区"
                : suffix.Contains('村', StringComparison.Ordinal) ? "村"
                : string.Empty;
            foreach (var name in alsoMatch.Groups["names"].Value.Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                also.Add(unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal) ? name + unit : name);
            }
        }

        var extended = new List<string>();
        var extendedMatch = ExtendedRegex().Match(intro);
        if (extendedMatch.Success)
        {
            extended.AddRange(ExtendedSplitRegex().Split(extendedMatch.Groups["names"].Value).Select(s => s.Trim()).Where(s => s.Length > 0));
        }

        if (!team.Success || targetName.Length == 0)
        {
            throw new NoticeParseException("巡察基本情况段落中没有找到巡察组和被巡察单位（应为“…第…巡察组对…开展了巡察”）。");
        }

        DateOnly? onSiteFrom = null, onSiteTo = null, feedback = null;
        var period = DateRangeRegex().Match(intro);
        if (period.Success)
        {
            (onSiteFrom, onSiteTo) = ReadRange(period);
        }

        var feedbackMatch = FeedbackRegex().Match(intro);
        if (feedbackMatch.Success)
        {
            var month = int.Parse(feedbackMatch.Groups["m"].Value, CultureInfo.InvariantCulture);
            var day = int.Parse(feedbackMatch.Groups["d"].Value, CultureInfo.InvariantCulture);
            int year;
            if (feedbackMatch.Groups["y"].Success)
            {
                year = int.Parse(feedbackMatch.Groups["y"].Value, CultureInfo.InvariantCulture);
            }
            else if (onSiteTo is { } end)
            {
                // "8月15日" after an on-site period ending "5月10日": same year unless the month wrapped.
                year = month < end.Month ? end.Year + 1 : end.Year;
            }
            else
            {
                throw new NoticeParseException("反馈日期没有写年份，且无法从巡察时间推断。");
            }

            feedback = MakeDate(year, month, day);
        }

        var isXunshi = team.Groups["team"].Value.Contains("巡视", StringComparison.Ordinal);
        return new NoticeInspection(team.Groups["team"].Value.Trim(), targetName, shortName, also, extended, onSiteFrom, onSiteTo, feedback, isXunshi, intro);
    }

    private static NoticeDisclosure ParseDisclosure(string text)
    {
        DateOnly? from = null, to = null;
        var period = DisclosurePeriodRegex().Match(text);
        if (period.Success)
        {
            (from, to) = ReadRange(period);
        }

        static string? Group(Match m, string name) => m.Success ? m.Groups[name].Value.Trim() : null;
        var email = EmailRegex().Match(text);
        return new NoticeDisclosure(
            from,
            to,
            Group(PhoneRegex().Match(text), "phone"),
            email.Success ? email.Value : null,
            Group(PostalRegex().Match(text), "address"),
            Group(PostcodeRegex().Match(text), "code"),
            text);
    }

    private static (DateOnly From, DateOnly To) ReadRange(Match m)
    {
        var y1 = int.Parse(NormalizeDigits(m.Groups["y1"].Value), CultureInfo.InvariantCulture);
        var from = MakeDate(y1, Int(m, "m1"), Int(m, "d1"));
        var y2 = m.Groups["y2"].Success ? Int(m, "y2") : y1;
        var to = MakeDate(y2, Int(m, "m2"), Int(m, "d2"));
        if (!m.Groups["y2"].Success && to < from)
        {
            to = to.AddYears(1);
        }

        return (from, to);

        static int Int(Match m, string g) => int.Parse(NormalizeDigits(m.Groups[g].Value), CultureInfo.InvariantCulture);
    }

    private static DateOnly MakeDate(int year, int month, int day)
    {
        try
        {
            return new DateOnly(year, month, day);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new NoticeParseException($"日期无效：{year}年{month}月{day}日。");
        }
    }

    private static bool TryParseStandaloneDate(string line, out DateOnly date)
    {
        date = default;
        var m = StandaloneDateRegex().Match(line);
        if (!m.Success)
        {
            return false;
        }

        date = MakeDate(
            int.Parse(NormalizeDigits(m.Groups["y"].Value), CultureInfo.InvariantCulture),
            int.Parse(NormalizeDigits(m.Groups["m"].Value), CultureInfo.InvariantCulture),
            int.Parse(NormalizeDigits(m.Groups["d"].Value), CultureInfo.InvariantCulture));
        return true;
    }

    private static string NormalizeDigits(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '０' and <= '９')
            {
                chars[i] = (char)('0' + (chars[i] - '０'));
            }
        }

        return new string(chars);
    }

    private static string Abbreviate(string s) => s.Length <= 30 ? s : s[..30] + "…";

    [GeneratedRegex(@"巡[察视]组.*?对.+?(?:开展|进行)(?:了)?.*?巡[察视]")]
    private static partial Regex IntroRegex();

    [GeneratedRegex(@"^(?<n>[" + Cn + @"]+)、(?<rest>.+)$")]
    private static partial Regex SectionRegex();

    [GeneratedRegex(@"^[(（](?<n>[" + Cn + @"]+)[)）](?<rest>.+)$")]
    private static partial Regex SubHeadingRegex();

    [GeneratedRegex(@"^(?<n>[0-9０-９]{1,4})[.．、](?![0-9０-９])(?<rest>.+)$")]
    private static partial Regex FindingRegex();

    [GeneratedRegex(@"(?:^|(?<=[。；;]))\s*(?<n>[" + Cn + @"]{1,3})是")]
    private static partial Regex OrdinalClauseRegex();

    [GeneratedRegex(@"(?:^|[，,。；;\s])(?<team>[^，,。；;]*?第[" + Cn + @"]+巡[察视]组)")]
    private static partial Regex TeamRegex();

    [GeneratedRegex(@"^对(?<target>.+?)(?:及|开展|进行)")]
    private static partial Regex TargetRegex();

    [GeneratedRegex(@"[(（]以下简称[“""「]?(?<short>[^”""」)）]+)[”""」]?[)）]")]
    private static partial Regex ShortNameRegex();

    [GeneratedRegex(@"^对.+?及(?<names>[^，,。]+?)等(?<kind>[^，,。]*?)(?:开展|进行)")]
    private static partial Regex AlsoInspectedRegex();

    [GeneratedRegex(@"延伸巡[察视]了?(?<names>[^。，,；;]+)")]
    private static partial Regex ExtendedRegex();

    [GeneratedRegex(@"和|、|及")]
    private static partial Regex ExtendedSplitRegex();

    [GeneratedRegex(@"(?<y1>[0-9０-９]{4})年(?<m1>[0-9０-９]{1,2})月(?<d1>[0-9０-９]{1,2})日\s*(?:至|到|—|-|－|~|～)\s*(?:(?<y2>[0-9０-９]{4})年)?(?<m2>[0-9０-９]{1,2})月(?<d2>[0-9０-９]{1,2})日")]
    private static partial Regex DateRangeRegex();

    [GeneratedRegex(@"(?:(?<y>\d{4})年)?(?<m>\d{1,2})月(?<d>\d{1,2})日[，,]?[^。，,]*?反馈(?:了)?巡[察视]意见")]
    private static partial Regex FeedbackRegex();

    [GeneratedRegex(@"公开期限[:：]?\s*(?<y1>[0-9０-９]{4})年(?<m1>[0-9０-９]{1,2})月(?<d1>[0-9０-９]{1,2})日\s*(?:至|到|—|-|－|~|～)\s*(?:(?<y2>[0-9０-９]{4})年)?(?<m2>[0-9０-９]{1,2})月(?<d2>[0-9０-９]{1,2})日")]
    private static partial Regex DisclosurePeriodRegex();

    [GeneratedRegex(@"联系电话[:：]?\s*(?<phone>[0-9０-９][0-9０-９\-－—() （）]*[0-9０-９])")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?:邮政信箱|通信地址|通讯地址|来信地址)[:：]\s*(?<address>[^,，；;。]+)")]
    private static partial Regex PostalRegex();

    [GeneratedRegex(@"邮政编码[:：]?\s*(?<code>[0-9]{6})")]
    private static partial Regex PostcodeRegex();

    [GeneratedRegex(@"^(?<y>[0-9０-９]{4})年(?<m>[0-9０-９]{1,2})月(?<d>[0-9０-９]{1,2})日$")]
    private static partial Regex StandaloneDateRegex();
}
