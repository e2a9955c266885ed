using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Documents;

/// <summary>One paragraph of a source: a line of a .txt, or a paragraph of a .docx with its list number rendered and its heading level.</summary>
internal sealed record NoticeBlock(string Text, int? HeadingLevel = null);

/// <summary>
/// The tolerant reader of the genre (巡察/巡视整改进展情况公布, 整改方案): it returns what it found — the
/// introduction, the responsibility part, categories → findings → measures at the depth the text has, the
/// statistics, next steps, the disclosure block, the issuer and date — with a confidence per part and notes
/// located by paragraph, instead of all or nothing. Keywords are matched on <see cref="NoticeText.Key"/>
/// (simplified, half-width); every text is cut from the line itself and stays verbatim. See ADR 0009.
/// </summary>
public static partial class NoticeReader
{
    private const string Cn = "一二三四五六七八九十";

    /// <summary>Reads a decoded text, one paragraph per line.</summary>
    public static NoticeReading Read(string text) => Read(text, []);

    internal static NoticeReading Read(string text, List<NoticeNote> notes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Error, "文件不是文本（含有二进制内容）。请提供 .txt（UTF-8 编码）或 .docx 格式的整改进展情况公布全文。"));
            return Empty(notes);
        }

        // A plan table pasted into the text (tabs from Excel or Word, or a Markdown table) is read as a Word table is.
        var (lines, plan) = TextTables.Extract(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'), notes);
        var blocks = lines
            .Select(NoticeText.Clean)
            .OfType<string>()
            .Select(l => new NoticeBlock(l))
            .ToList();
        return Read(blocks, plan.Count > 0 ? plan : null, notes);
    }

    internal static NoticeReading Empty(List<NoticeNote> notes) => new(
        NoticeKind.NotANotice,
        null,
        new NoticeDocument(new NoticeInspection(string.Empty, string.Empty, null, [], [], null, null, null, false, string.Empty), [], [], [], null, null, null),
        NoticeStatistics.None,
        new NoticeConfidence(0, 0, 0, 0, 0, 0, 0, 0),
        notes);

    internal static NoticeReading Read(IReadOnlyList<NoticeBlock> blocks, IReadOnlyList<NoticeCategory>? plan, List<NoticeNote> notes)
    {
        var all = new List<Line>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var raw = NoticeText.Clean(blocks[i].Text);
            if (raw is not null)
            {
                all.Add(Classify(new Line(i + 1, raw, NoticeText.Key(raw), blocks[i].HeadingLevel)));
            }
        }

        if (all.Count == 0 && (plan is null || plan.Count == 0))
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Error, "文件是空的。请提供整改进展情况公布的全文。"));
            return Empty(notes);
        }

        ListedUnderLabels(all);
        var noise = all.Where(l => l.Marker == Marker.None && NoticeText.IsPageNoise(l.Key)).ToList();
        if (noise.Count > 0)
        {
            notes.Add(new NoticeNote(noise[0].Paragraph, NoteSeverity.Info, $"网页杂项（来源、发布时间、字号、相关新闻、打印本页等）{noise.Count} 段，已略去。"));
        }

        var lines = all.Except(noise).ToList();

        // The introduction: "根据…部署，…巡察组对…开展了巡察。…反馈了巡察意见。…予以公布。"
        var introAt = lines.FindIndex(l => l.Marker == Marker.None && IntroRegex().IsMatch(l.Key));
        var introLines = new List<Line>();
        if (introAt < 0)
        {
            introAt = lines.FindIndex(l => l.Marker == Marker.None && LooseIntroRegex().IsMatch(l.Key));
            if (introAt >= 0)
            {
                notes.Add(new NoticeNote(lines[introAt].Paragraph, NoteSeverity.Warning, "巡察基本情况段落不是常见的“…巡察组对…开展了巡察”格式，按提到巡察组和反馈的段落读取。"));
            }
        }

        if (introAt >= 0)
        {
            introLines.Add(lines[introAt]);
            while (introLines.Count < 3 && !EndingRegex().IsMatch(introLines[^1].Key) && introAt + introLines.Count < lines.Count)
            {
                var next = lines[introAt + introLines.Count];
                if (next.Marker != Marker.None || IsClosing(next.Key) || !(next.Key.Contains("反馈", StringComparison.Ordinal) || EndingRegex().IsMatch(next.Key)))
                {
                    break;
                }

                introLines.Add(next);
            }
        }
        else
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Error, "未找到巡察基本情况段落。整改进展情况公布应以类似“根据…统一安排，…年…月…日至…月…日，…巡察组对…开展了巡察。…反馈了巡察意见”的段落开头；整改方案应以类似“…关于落实…巡察组反馈意见的整改方案”的标题开头。"));
        }

        var preamble = introAt >= 0 ? lines.Take(introAt).ToList() : lines.TakeWhile(l => l.Marker == Marker.None).ToList();
        var title = preamble.FirstOrDefault(l => TitleRegex().IsMatch(l.Key))?.Raw;
        var bodyStart = introAt >= 0 ? introAt + introLines.Count : preamble.Count;

        // The end: the disclosure paragraph ("欢迎…监督", "公开期限", "联系电话"), then the issuer and the date.
        var closingAt = -1;
        for (var i = bodyStart; i < lines.Count; i++)
        {
            if (lines[i].Marker == Marker.None && IsClosing(lines[i].Key))
            {
                closingAt = i;
                break;
            }
        }

        var (disclosure, issuer, date, bodyEnd) = ReadClosing(lines, bodyStart, closingAt, notes);
        var body = lines.Skip(bodyStart).Take(bodyEnd - bodyStart).ToList();

        // Another notice after this one's end (two saved into one file, or one pasted twice): which one is meant cannot be
        // told, and reading the first alone would drop the rest without a word.
        var later = introAt < 0 ? [] : lines.Skip(bodyEnd).Where(l => l.Marker == Marker.None && IntroRegex().IsMatch(l.Key)).ToList();
        if (later.Count > 0)
        {
            notes.Add(new NoticeNote(later[0].Paragraph, NoteSeverity.Error, $"这里又开始了一份通报（“…巡察组对…开展了巡察”），文件中共有 {later.Count + 1} 份。一个文件只能导入一份整改进展情况公布或整改方案：请把各份分别保存为单独的文件，逐一导入。"));
        }

        var inspection = introLines.Count > 0 ? ReadIntro(introLines, notes) : Empty(notes).Document.Inspection;
        var tree = Build(body);
        var outline = new Outline(notes);
        var outlineNotes = notes.Count;
        outline.Read(tree);
        var categories = outline.Categories;

        // A round summary gives a round's figures over many units and lists no unit's findings: a text that reads into
        // findings with measures is one unit's notice, whatever its title or intro says of the round.
        var hasFindings = categories.Concat(plan ?? []).Any(c => c.Findings.Any(f => f.Measures.Count > 0));
        var kind = introLines.Count > 0 && !hasFindings && IsRoundSummary(inspection.Text, title) ? NoticeKind.RoundSummary : NoticeKind.Notice;
        if (plan is { Count: > 0 })
        {
            if (categories.Count > 0)
            {
                // What the text's own reading found wrong is of findings not taken: it must not stop the table's import.
                var kept = notes.Skip(outlineNotes).Where(n => n.Severity == NoteSeverity.Info).ToList();
                notes.RemoveRange(outlineNotes, notes.Count - outlineNotes);
                notes.AddRange(kept);
                notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"正文和整改方案表都列出了问题，以整改方案表为准；正文中的 {categories.Sum(c => c.Findings.Count)} 个问题未导入，请核对表格是否已包含它们。"));
            }

            categories = [.. plan];
        }
        else
        {
            categories = Numbering.Check(categories, notes);
        }

        var statistics = Figures.Read(introLines.Concat(body), kind == NoticeKind.RoundSummary ? UnitsCovered(inspection.Text) : null);
        if (kind == NoticeKind.RoundSummary)
        {
            notes.Add(new NoticeNote(introLines[0].Paragraph, NoteSeverity.Info, "这是一轮巡察的综合情况通报（涉及多个被巡察单位），只读取统计数字，不导入问题。"));
            categories = [];
            if (statistics.IsEmpty)
            {
                notes.Add(new NoticeNote(introLines[0].Paragraph, NoteSeverity.Error, "这是一轮巡察的综合情况通报，但没有找到统计数字（问题数、完成数、完成率等）。"));
            }
        }
        else if (categories.Count == 0 && introLines.Count > 0)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Error, "未找到整改任务：应有“(一)关于…方面”这样的问题类别，其下是“1.…”编号的问题和“一是…二是…”的整改措施；或一张有“问题”“整改措施”列的整改方案表。"));
        }

        if (introLines.Count == 0 && categories.Count == 0)
        {
            kind = NoticeKind.NotANotice;
        }

        var document = new NoticeDocument(inspection, outline.Responsibility, categories, outline.NextSteps, disclosure, issuer, date);
        var confidence = Confidence(document, introLines.Count > 0, statistics, notes);
        return new NoticeReading(kind, title, document, statistics, confidence, notes);
    }

    private static NoticeConfidence Confidence(NoticeDocument d, bool hasIntro, NoticeStatistics statistics, List<NoticeNote> notes)
    {
        var i = d.Inspection;
        var intro = !hasIntro ? 0
            : ((i.Team.Length > 0 ? 0.35 : 0) + (i.Target.Length > 0 ? 0.35 : 0) + (i.OnSiteFrom is null ? 0 : i.OnSitePeriodIsApproximate ? 0.08 : 0.15) + (i.FeedbackDate is null ? 0 : 0.15));
        double structure = 0;
        if (d.FindingCount > 0)
        {
            var findings = d.Categories.SelectMany(c => c.Findings).ToList();
            var withMeasures = findings.Count(f => f.Measures.Count > 0) / (double)findings.Count;
            var errors = notes.Count(n => n.Severity == NoteSeverity.Error);
            var warnings = notes.Count(n => n.Severity == NoteSeverity.Warning);
            structure = Math.Max(0.1, (withMeasures * (d.Categories.Any(c => c.IsImplicit) ? 0.85 : 1)) - (0.1 * errors) - (0.03 * warnings));
        }

        var responsibility = d.Responsibility.Count > 0 ? 0.9 : 0;
        var next = d.NextSteps.Count > 0 ? 0.9 : 0;
        var disclosure = d.Disclosure is null ? 0
            : (d.Disclosure.From is null ? 0 : 0.4) + (d.Disclosure.Phone is null ? 0 : 0.2) + (d.Disclosure.Email is null ? 0 : 0.2) + (d.Disclosure.PostalAddress is null ? 0 : 0.2);
        var closing = (d.Issuer is null ? 0 : 0.5) + (d.Date is null ? 0 : 0.5);
        var stats = statistics.IsEmpty ? 0 : Math.Min(1, 0.5 + (0.1 * statistics.Figures.Count));
        var overall = (0.3 * intro) + (0.5 * structure) + (0.05 * responsibility) + (0.05 * next) + (0.05 * disclosure) + (0.05 * closing);
        return new NoticeConfidence(R(overall), R(intro), R(responsibility), R(structure), R(stats), R(next), R(disclosure), R(closing));

        static double R(double v) => Math.Round(Math.Clamp(v, 0, 1), 2);
    }

    // ---- lines and the outline ----

    internal enum Marker
    {
        None,
        Section,
        Sub,
        Num,
        Paren,
        Circled,
        Styled,
        NextLead,

        /// <summary>A finding by its label: 问题1：, 【问题一】, 问题（2）, 第3个问题：.</summary>
        Labelled,
    }

    internal sealed class Line(int paragraph, string raw, string key, int? headingLevel)
    {
        public int Paragraph { get; } = paragraph;

        public string Raw { get; } = raw;

        public string Key { get; } = key;

        public int? HeadingLevel { get; } = headingLevel;

        public Marker Marker { get; set; }

        public int Number { get; set; }

        public int RestAt { get; set; }

        public string Rest => Raw[RestAt..];

        public string RestKey => Key[RestAt..];

        /// <summary>0 一、 · 1 （一） · 2 1. and 问题1： · 3 (1) ⑴ (and 1. under 问题1：'s 整改措施：) · 4 ①, the level below (1) where both are used; a heading style gives its level.</summary>
        public int Rank => Marker switch
        {
            Marker.Section or Marker.NextLead => 0,
            Marker.Sub => 1,
            Marker.Num or Marker.Labelled => 2,
            Marker.Paren => 3,
            Marker.Circled => 4,
            Marker.Styled => Math.Clamp((HeadingLevel ?? 1) - 1, 0, 3),
            _ => int.MaxValue,
        };
    }

    private static Line Classify(Line line)
    {
        var k = line.Key;
        Match m;
        if ((m = SubRegex().Match(k)).Success && ChineseNumerals.TryParse(m.Groups["n"].Value, out var sub))
        {
            (line.Marker, line.Number) = (Marker.Sub, sub);
        }
        else if ((m = SectionRegex().Match(k)).Success && ChineseNumerals.TryParse(m.Groups["n"].Value, out var section))
        {
            (line.Marker, line.Number) = (Marker.Section, section);
        }
        else if ((m = ParenRegex().Match(k)).Success)
        {
            // ① is a level of its own, below (1) and ⑴ ("1." category → "（1）" finding → "①" measure).
            line.Marker = m.Groups["o"].Success ? Marker.Circled : Marker.Paren;
            line.Number = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)
                : m.Groups["c"].Success ? m.Groups["c"].Value[0] - '⑴' + 1
                : m.Groups["o"].Value[0] - '①' + 1;
        }
        else if ((m = NumRegex().Match(k)).Success)
        {
            (line.Marker, line.Number) = (Marker.Num, int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
        }
        else if ((m = LabelledFindingRegex().Match(k)).Success && Figures.Number(m.Groups["n"].Value) is { } labelled)
        {
            // "问题1：…" / "【问题一】…" then "整改措施：…" and "整改进展：…" lines: the label numbers a finding, as "1." does.
            (line.Marker, line.Number) = (Marker.Labelled, labelled);
        }
        else if (line.HeadingLevel is >= 1 and <= 4 && line.Raw.Length <= 60)
        {
            line.Marker = Marker.Styled;
            return line;
        }
        else if (NextLeadRegex().IsMatch(k))
        {
            line.Marker = Marker.NextLead;
            return line;
        }
        else
        {
            return line;
        }

        line.RestAt = m.Length;
        return line;
    }

    /// <summary>
    /// Under a finding by its label (问题1：…), "1." "2." … after its 整改措施： (or right after the label) are its measures,
    /// not findings: they go a level down, as (1) (2) would be. A "1." elsewhere, or one that does not go on from the one
    /// before it (a category "2.关于…方面" after the findings), keeps its level.
    /// </summary>
    private static void ListedUnderLabels(List<Line> lines)
    {
        var inLabelled = false;
        var open = false;
        var last = 0;
        foreach (var line in lines)
        {
            switch (line.Marker)
            {
                case Marker.Labelled:
                    (inLabelled, open, last) = (true, true, 0);
                    continue;
                case Marker.None:
                    open = inLabelled && (open || IsMeasuresLabel(line.Key));
                    continue;
                case Marker.Num when inLabelled && ((open && last == 0 && line.Number == 1) || (last > 0 && line.Number == last + 1)):
                    (line.Marker, last) = (Marker.Paren, line.Number);
                    continue;
                case Marker.Paren or Marker.Circled:
                    continue;
                default:
                    (inLabelled, open, last) = (false, false, 0);
                    continue;
            }
        }

        // "整改措施：" or "【整改措施】" with nothing after it.
        static bool IsMeasuresLabel(string key) => ListLabelRegex().IsMatch(key) || (MeasuresLabelRegex().Match(key) is { Success: true } m && m.Length == key.Length);
    }

    internal sealed class Node(Line? head)
    {
        public Line? Head { get; } = head;

        public List<Node> Children { get; } = [];

        public List<Line> Body { get; } = [];

        public int Rank => Head?.Rank ?? -1;

        /// <summary>The text after the heading's first full stop, run into the heading's paragraph.</summary>
        public (string Title, string Remainder) Split()
        {
            if (Head is null)
            {
                return (string.Empty, string.Empty);
            }

            var rest = Head.Rest;
            var key = Head.RestKey;
            var stop = rest.IndexOf('。', StringComparison.Ordinal);
            var ordinal = OrdinalClauseRegex().Match(key);
            if (ordinal.Success && ordinal.Index > 0 && (stop < 0 || ordinal.Index < stop))
            {
                return (rest[..ordinal.Index].TrimEnd(':', '：', ',', '，', ' '), rest[ordinal.Index..]);
            }

            return stop < 0 ? (rest, string.Empty) : (rest[..stop], rest[(stop + 1)..]);
        }

        /// <summary>
        /// The children, with the ① items under a (1) item lifted to follow it as its siblings. Inside a finding (1) and ①
        /// are each a measure, and in a prose part each a paragraph, as they were before ① had a level of its own; the
        /// level tells only where (1) is a finding and ① its measures.
        /// </summary>
        public IEnumerable<Node> Items()
        {
            foreach (var child in Children)
            {
                if (child.Head?.Marker != Marker.Paren || child.Children.Count == 0)
                {
                    yield return child;
                    continue;
                }

                var item = new Node(child.Head);
                item.Body.AddRange(child.Body);
                yield return item;
                foreach (var circled in child.Children)
                {
                    yield return circled;
                }
            }
        }

        /// <summary>This node's lines after its heading, its children's included, as paragraphs of text.</summary>
        public IEnumerable<string> Flatten()
        {
            foreach (var line in Body)
            {
                yield return line.Raw;
            }

            foreach (var child in Children)
            {
                yield return child.Head!.Raw;
                foreach (var text in child.Flatten())
                {
                    yield return text;
                }
            }
        }
    }

    private static Node Build(List<Line> body)
    {
        var root = new Node(null);
        var stack = new Stack<Node>();
        stack.Push(root);
        foreach (var line in body)
        {
            if (line.Marker == Marker.None)
            {
                stack.Peek().Body.Add(line);
                continue;
            }

            while (stack.Peek().Rank >= line.Rank)
            {
                stack.Pop();
            }

            var node = new Node(line);
            stack.Peek().Children.Add(node);
            stack.Push(node);
        }

        return root;
    }

    private enum Role
    {
        Unknown,
        Responsibility,
        Container,
        Category,
        NextSteps,

        /// <summary>A finding by its label (问题1：…) outside any category: it goes to the default category.</summary>
        Finding,
    }

    /// <summary>Gives each part of the outline its role and reads it: paragraphs, categories, findings, measures.</summary>
    private sealed class Outline(List<NoticeNote> notes)
    {
        private int sequence;

        public List<NoticeParagraph> Responsibility { get; } = [];

        public List<NoticeCategory> Categories { get; } = [];

        public List<NoticeParagraph> NextSteps { get; } = [];

        public void Read(Node root)
        {
            // Unnumbered paragraphs before the first heading: the responsibility part written as prose (d).
            Responsibility.AddRange(Paragraphs(root.Body));

            var parts = root.Children;
            var roles = parts.Select(RoleOf).ToList();
            var first = roles.FindIndex(r => r is Role.Container or Role.Category or Role.Finding);
            var last = roles.FindLastIndex(r => r is Role.Container or Role.Category or Role.Finding);
            if (first < 0)
            {
                // No part is named as tasks: the parts whose children are headed are taken for them.
                for (var i = 0; i < parts.Count; i++)
                {
                    if (roles[i] == Role.Unknown && parts[i].Children.Count > 0)
                    {
                        roles[i] = parts[i].Children.Any(c => c.Children.Any(g => g.Rank <= 2)) ? Role.Container : Role.Category;
                        notes.Add(new NoticeNote(parts[i].Head!.Paragraph, NoteSeverity.Warning, $"“{Abbreviate(parts[i].Head!.Rest)}”没有写明是整改任务，按其编号结构读作整改任务。"));
                    }
                }

                first = roles.FindIndex(r => r is Role.Container or Role.Category);
                last = roles.FindLastIndex(r => r is Role.Container or Role.Category);
            }

            var implicitFindings = new List<NoticeFinding>();
            for (var i = 0; i < parts.Count; i++)
            {
                var role = roles[i];
                if (role == Role.Unknown)
                {
                    role = first < 0 || i < first ? Role.Responsibility : i > last ? Role.NextSteps
                        : parts[i].Children.Count > 0 ? Role.Category : Role.Responsibility;
                }

                switch (role)
                {
                    case Role.Responsibility:
                        Responsibility.AddRange(Paragraphs(parts[i]));
                        break;
                    case Role.NextSteps:
                        NextSteps.AddRange(Paragraphs(parts[i]));
                        break;
                    case Role.Container:
                        ReadContainer(parts[i]);
                        break;
                    case Role.Finding:
                        implicitFindings.Add(Finding(parts[i]));
                        break;
                    default:
                        if (parts[i].Children.Count == 0)
                        {
                            // A "category" with no headed findings is itself a finding.
                            implicitFindings.Add(Finding(parts[i]));
                        }
                        else
                        {
                            Categories.Add(Category(parts[i]));
                        }

                        break;
                }
            }

            AddImplicit(implicitFindings, "反馈问题", null);
        }

        private static Role RoleOf(Node n)
        {
            if (n.Head!.Marker == Marker.Labelled)
            {
                return Role.Finding;
            }

            var t = n.Head.RestKey;
            if (n.Head.Marker == Marker.NextLead || NextRegex().IsMatch(t))
            {
                return Role.NextSteps;
            }

            var strongCategory = StrongCategoryRegex().IsMatch(t);
            if (ResponsibilityRegex().IsMatch(t) && !strongCategory)
            {
                return Role.Responsibility;
            }

            if (ContainerRegex().IsMatch(t) && !strongCategory)
            {
                return Role.Container;
            }

            return strongCategory || t.Contains("问题", StringComparison.Ordinal) ? Role.Category : Role.Unknown;
        }

        private void ReadContainer(Node container)
        {
            foreach (var line in container.Body)
            {
                notes.Add(new NoticeNote(line.Paragraph, NoteSeverity.Info, $"整改任务部分的说明段落“{Abbreviate(line.Raw)}”不是问题，未导入。"));
            }

            var byCategory = container.Children.Any(c => c.Children.Any(g => g.Rank <= 2));
            if (byCategory)
            {
                var loose = new List<NoticeFinding>();
                foreach (var child in container.Children)
                {
                    if (child.Children.Count == 0 || child.Head!.Marker == Marker.Labelled)
                    {
                        loose.Add(Finding(child));
                    }
                    else
                    {
                        Categories.Add(Category(child));
                    }
                }

                AddImplicit(loose, container.Split().Title, container.Head!.Paragraph);
                return;
            }

            AddImplicit([.. container.Children.Select(Finding)], container.Split().Title, container.Head!.Paragraph);
        }

        private void AddImplicit(List<NoticeFinding> findings, string title, int? paragraph)
        {
            if (findings.Count == 0)
            {
                return;
            }

            notes.Add(new NoticeNote(paragraph, NoteSeverity.Warning, $"{findings.Count} 个问题没有所属的问题类别，归入一个默认类别“{title}”，请在预览中核对。"));
            var number = Categories.Count == 0 ? 1 : Categories.Max(c => c.Number) + 1;
            Categories.Add(new NoticeCategory(number, title, findings) { IsImplicit = true });
        }

        private NoticeCategory Category(Node node)
        {
            var (title, remainder) = node.Split();
            if (remainder.Length > 0 || node.Body.Count > 0)
            {
                notes.Add(new NoticeNote(node.Head!.Paragraph, NoteSeverity.Info, $"问题类别“{Abbreviate(title)}”下的说明文字不是问题，未导入。"));
            }

            title = remainder.Length == 0 ? node.Head!.Rest.TrimEnd('。') : title;
            return new NoticeCategory(node.Head!.Number, title, [.. node.Children.Select(Finding)]);
        }

        private NoticeFinding Finding(Node node)
        {
            sequence++;
            var head = node.Head!;
            var (title, remainder) = node.Split();
            var paragraphs = new List<(int Paragraph, string Raw)>();
            if (remainder.Length > 0)
            {
                paragraphs.Add((head.Paragraph, remainder));
            }

            paragraphs.AddRange(node.Body.Select(l => (l.Paragraph, l.Raw)));
            var texts = paragraphs
                .Select(t => (t.Paragraph, Raw: WithoutMeasuresLabel(t.Raw), Labelled: MeasuresLabelRegex().IsMatch(t.Raw)))
                .Where(t => t.Raw.Length > 0 || t.Labelled)
                .ToList();
            var measures = Measures(texts);
            foreach (var child in node.Items())
            {
                var text = string.Join("\n", new[] { child.Head!.Rest }.Concat(child.Flatten()));
                measures.Add(text);
            }

            if (measures.Count == 0)
            {
                notes.Add(new NoticeNote(head.Paragraph, NoteSeverity.Error, $"问题“{Abbreviate(title)}”下没有整改措施。"));
            }

            var number = head.Marker is Marker.Num or Marker.Labelled ? head.Number : sequence;
            var assigned = AssignedMeasures(measures);
            if (assigned.Count == 0 && measures.Count > 0)
            {
                notes.Add(new NoticeNote(head.Paragraph, NoteSeverity.Error, $"问题“{Abbreviate(title)}”下只有责任领导、责任单位、完成时限，没有整改措施。"));
            }

            return new NoticeFinding(number, title, assigned);
        }

        private static List<NoticeParagraph> Paragraphs(Node node)
        {
            var result = new List<NoticeParagraph>();
            var (_, remainder) = node.Split();
            if (node.Head?.Marker == Marker.NextLead)
            {
                // "下一步，我们将…": the lead-in is itself the paragraph.
                result.Add(new NoticeParagraph(string.Empty, node.Head.Raw));
            }
            else if (remainder.Length > 0)
            {
                result.AddRange(Paragraphs([new Line(node.Head!.Paragraph, remainder, NoticeText.Key(remainder), null)]));
            }

            result.AddRange(Paragraphs(node.Body));
            foreach (var child in node.Items())
            {
                var (heading, text) = child.Split();
                var rest = string.Join("\n", new[] { text }.Concat(child.Flatten()).Where(t => t.Length > 0));
                result.Add(new NoticeParagraph(heading, rest));
            }

            return result;
        }

        /// <summary>Prose paragraphs; a paragraph of 一是…二是… clauses is one paragraph per clause, headed by its first sentence.</summary>
        private static List<NoticeParagraph> Paragraphs(List<Line> lines)
        {
            var result = new List<NoticeParagraph>();
            foreach (var line in lines)
            {
                var clauses = SplitOrdinalClauses(line.Raw, line.Key);
                if (clauses is null)
                {
                    result.Add(new NoticeParagraph(string.Empty, line.Raw));
                    continue;
                }

                foreach (var (ordinal, text) in clauses)
                {
                    var stop = text.IndexOf('。', StringComparison.Ordinal);
                    result.Add(ordinal && stop > 0 ? new NoticeParagraph(text[..stop], text[(stop + 1)..]) : new NoticeParagraph(string.Empty, text));
                }
            }

            return result;
        }
    }

    /// <summary>
    /// One measure per 一是/二是… (or 第一，第二，) clause; a finding written as one paragraph is one measure. A paragraph
    /// that was led by a measures label (整改措施：…, 【整改措施】…) is a measure of its own, as the label says; other
    /// unnumbered paragraphs (整改进展：…) run on into the measure before them, except under a measures label on a line of
    /// its own ("整改措施："), where each is a measure until a label of progress. A label with nothing after it ("整改情况："
    /// before 一是…) is no measure and no part of one.
    /// </summary>
    private static List<string> Measures(List<(int Paragraph, string Raw, bool Labelled)> body)
    {
        var texts = new List<StringBuilder>();
        var sawOrdinal = false;
        var listing = false;
        foreach (var (_, raw, labelled) in body)
        {
            if (raw.Length == 0)
            {
                // "整改措施：" or "【整改措施】" and nothing after it: the paragraphs under it are the measures.
                listing = true;
                continue;
            }

            var key = NoticeText.Key(raw);
            var clauses = SplitOrdinalClauses(raw, key);
            if (clauses is null)
            {
                if (IsLabelOnly(raw))
                {
                    // "整改措施：" on a line of its own: each paragraph under it is a measure, until a label of progress.
                    listing = ListLabelRegex().IsMatch(key);
                    continue;
                }

                // Progress ends the list; a line of labels (责任领导：…) belongs to the measure before it, as anywhere.
                listing &= !ProgressLabelRegex().IsMatch(key);
                // A line that ends mid-sentence ("，", "、") was wrapped, not ended: the next line goes on with it.
                var wrapped = texts.Count > 0 && texts[^1].Length > 0 && texts[^1][^1] is '，' or ',' or '、';
                var continues = listing && (wrapped || AssignmentLabelRegex().Match(key) is { Success: true, Index: 0 });
                if ((sawOrdinal || texts.Count > 0) && !labelled && (!listing || continues))
                {
                    texts[^1].Append('\n').Append(raw);
                }
                else
                {
                    texts.Add(new StringBuilder(raw));
                }

                continue;
            }

            sawOrdinal = true;
            foreach (var (ordinal, text) in clauses.Where(c => c.Ordinal || !IsLabelOnly(c.Text)))
            {
                if (ordinal || texts.Count == 0)
                {
                    texts.Add(new StringBuilder(text));
                }
                else
                {
                    texts[^1].Append(text);
                }
            }
        }

        return [.. texts.Select(t => t.ToString()).Where(t => t.Length > 0)];
    }

    [GeneratedRegex(@"(?:^|(?<=[。;]))\s*(?<n>\d{1,2})\s*[.、](?!\d)")]
    private static partial Regex InlineNumberRegex();

    [GeneratedRegex(@"^\s*(?:具体|主要)?(?:整改)?(?:措施|举措)\s*:\s*$")]
    private static partial Regex ListLabelRegex();

    [GeneratedRegex(@"^\s*[【\[]?\s*(?:整改进展|整改进度|进展情况|整改成效|整改结果|完成情况|整改情况|落实情况|目前进展|当前进展|最新进展)")]
    private static partial Regex ProgressLabelRegex();

    /// <summary>A short label and its colon, nothing after it: "整改情况：", "主要措施：".</summary>
    private static bool IsLabelOnly(string text) => LabelOnlyRegex().IsMatch(NoticeText.Key(text));

    /// <summary>
    /// Splits "一是…。二是…。" into clauses; null when the paragraph has no ordinal clause at its start or after a full stop.
    /// Ordinals after a comma ("一是…，二是…，三是…") count too when they run 一, 二, 三… from the first: a comma alone is too
    /// weak a mark to split on otherwise.
    /// </summary>
    private static List<(bool Ordinal, string Text)>? SplitOrdinalClauses(string raw, string key)
    {
        var matches = OrdinalClauseRegex().Matches(key);
        if (matches.Count < 2 && CommaOrdinalClauseRegex().Matches(key) is { Count: >= 2 } commas
            && commas.Select((m, i) => Figures.Number(m.Groups["n"].Value) == i + 1).All(x => x))
        {
            matches = commas;
        }

        // "1.…；2.…；3.…" in one paragraph, from 1 at its start: a list run on, as 一是…二是… is.
        if (matches.Count == 0 && InlineNumberRegex().Matches(key) is { Count: >= 2 } numbers && numbers[0].Index == 0
            && numbers.Select((m, i) => m.Groups["n"].Value == (i + 1).ToString(CultureInfo.InvariantCulture)).All(x => x))
        {
            matches = numbers;
        }

        if (matches.Count == 0)
        {
            return null;
        }

        var result = new List<(bool, string)>();
        if (matches[0].Index > 0)
        {
            result.Add((false, raw[..matches[0].Index]));
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : raw.Length;
            result.Add((true, raw[start..end].TrimStart(',', '，', ':', '：', '、', ' ')));
        }

        return result;
    }

    private static string Abbreviate(string s) => s.Length <= 30 ? s : s[..30] + "…";

    // ---- the closing ----

    private static bool IsClosing(string key) =>
        key.Contains("公开期限", StringComparison.Ordinal)
        || key.Contains("公示期", StringComparison.Ordinal)
        || (key.StartsWith("欢迎", StringComparison.Ordinal) && key.Contains("监督", StringComparison.Ordinal))
        || ((key.Contains("联系电话", StringComparison.Ordinal) || key.Contains("电子邮箱", StringComparison.Ordinal)) && (key.Contains("意见", StringComparison.Ordinal) || key.Length < 60));

    private static (NoticeDisclosure? Disclosure, string? Issuer, DateOnly? Date, int BodyEnd) ReadClosing(List<Line> lines, int bodyStart, int closingAt, List<NoticeNote> notes)
    {
        // The date: a line of its own after the body, near the end.
        var dateAt = -1;
        DateOnly? date = null;
        for (var i = lines.Count - 1; i >= Math.Max(bodyStart, lines.Count - 8); i--)
        {
            if (lines[i].Marker == Marker.None && TryStandaloneDate(lines[i].Key, out var d))
            {
                (dateAt, date) = (i, d);
                break;
            }
        }

        if (dateAt >= 0 && closingAt > dateAt)
        {
            closingAt = -1;
        }

        string? issuer = null;
        var issuerAt = -1;
        if (dateAt > bodyStart)
        {
            var candidate = lines[dateAt - 1];
            if (candidate.Marker == Marker.None && candidate.Raw.Length <= 40 && !IsClosing(candidate.Key) && !ContactRegex().IsMatch(candidate.Key)
                && !candidate.Raw.EndsWith('。'))
            {
                (issuer, issuerAt) = (candidate.Raw, dateAt - 1);
            }
        }

        var end = closingAt >= 0 ? closingAt : issuerAt >= 0 ? issuerAt : dateAt >= 0 ? dateAt : lines.Count;
        NoticeDisclosure? disclosure = null;
        if (closingAt >= 0)
        {
            var stop = issuerAt >= 0 ? issuerAt : dateAt >= 0 ? dateAt : Math.Min(lines.Count, closingAt + 4);
            var block = lines.Skip(closingAt).Take(Math.Max(1, stop - closingAt)).Where(l => l.Marker == Marker.None).ToList();
            disclosure = ReadDisclosure(block);
            if (issuer is null && stop < lines.Count && stop == closingAt + block.Count && lines[stop].Raw.Length <= 40 && lines[stop].Marker == Marker.None)
            {
                issuer = lines[stop].Raw;
            }
        }
        else if (dateAt < 0)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Info, "没有找到公开期限和联系方式，也没有落款日期。"));
        }

        return (disclosure, issuer, date, end);
    }

    private static NoticeDisclosure ReadDisclosure(List<Line> block)
    {
        var raw = string.Join("\n", block.Select(l => l.Raw));
        var key = string.Join("\n", block.Select(l => l.Key));
        DateOnly? from = null, to = null;
        var period = DisclosurePeriodRegex().Match(key);
        if (period.Success && Dates.Range(period) is { } range)
        {
            (from, to) = (range.From, range.To);
        }

        string? Cut(Match m, string group) => m.Success ? raw.Substring(m.Groups[group].Index, m.Groups[group].Length).Trim() : null;
        var email = EmailRegex().Match(key);
        return new NoticeDisclosure(
            from,
            to,
            Cut(PhoneRegex().Match(key), "phone"),
            email.Success ? raw.Substring(email.Index, email.Length) : null,
            Cut(PostalRegex().Match(key), "address"),
            Cut(PostcodeRegex().Match(key), "code"),
            raw);
    }

    private static bool TryStandaloneDate(string key, out DateOnly date)
    {
        date = default;
        var m = StandaloneDateRegex().Match(key);
        if (m.Success)
        {
            return Dates.TryMake(Dates.Int(m, "y"), Dates.Int(m, "m"), Dates.Int(m, "d"), out date);
        }

        m = ChineseDateRegex().Match(key);
        if (m.Success && ChineseNumerals.TryParse(m.Groups["m"].Value, out var month) && ChineseNumerals.TryParse(m.Groups["d"].Value, out var day))
        {
            var year = 0;
            foreach (var c in m.Groups["y"].Value)
            {
                year = (year * 10) + "〇一二三四五六七八九".IndexOf(c == '零' || c == 'O' || c == '○' ? '〇' : c, StringComparison.Ordinal);
            }

            return Dates.TryMake(year, month, day, out date);
        }

        return false;
    }

    // ---- the introduction ----

    private static NoticeInspection ReadIntro(List<Line> introLines, List<NoticeNote> notes)
    {
        var raw = string.Join("\n", introLines.Select(l => l.Raw));
        var key = string.Join("\n", introLines.Select(l => l.Key));
        var at = introLines[0].Paragraph;
        string Cut(Group g) => raw.Substring(g.Index, g.Length).Trim();

        var team = TeamRegex().Match(key);
        if (!team.Success)
        {
            team = ShortTeamRegex().Match(key);
        }

        var teamName = team.Success ? Cut(team.Groups["team"]) : string.Empty;

        // A plan's title read as the introduction ("…党工委关于落实市委第三巡察组反馈意见的整改方案"): the team is what follows
        // the last "关于落实", "落实", "根据", "按照" or "对照" before it, never the organization that wrote the plan.
        if (TeamLeadRegex().Match(teamName) is { Success: true } lead && lead.Length < teamName.Length)
        {
            teamName = teamName[lead.Length..];
        }

        var afterTeam = team.Success ? team.Index + team.Length : 0;
        var target = TargetRegex().Match(key, afterTeam);
        var targetName = target.Success ? Cut(target.Groups["target"]) : string.Empty;
        string? shortName = null;
        var shortMatch = ShortNameRegex().Match(NoticeText.Key(targetName));
        if (shortMatch.Success)
        {
            shortName = targetName.Substring(shortMatch.Groups["short"].Index, shortMatch.Groups["short"].Length);
            targetName = targetName[..shortMatch.Index].Trim();
        }

        var also = new List<string>();
        var alsoMatch = target.Success ? AlsoInspectedRegex().Match(key, target.Index) : Match.Empty;
        if (alsoMatch.Success && alsoMatch.Index == target.Index)
        {
            var suffix = alsoMatch.Groups["kind"].Value;
            var unit = suffix.Contains("社区", StringComparison.Ordinal) ? "社区" : suffix.Contains('村', StringComparison.Ordinal) ? "村" : string.Empty;
            foreach (var name in Cut(alsoMatch.Groups["names"]).Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                also.Add(unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal) ? name + unit : name);
            }
        }

        var extended = new List<string>();
        var extendedMatch = ExtendedRegex().Match(key);
        if (extendedMatch.Success)
        {
            extended.AddRange(ExtendedSplitRegex().Split(Cut(extendedMatch.Groups["names"])).Select(s => s.Trim()).Where(s => s.Length > 0));
        }

        // A plan's title as the only introduction: "西岭镇党委关于落实县委第二巡察组反馈意见的整改方案" names the plan's writer,
        // the party organization inspected, before its "关于".
        if (targetName.Length == 0 && teamName.Length > 0 && PlanTitleRegex().Match(key) is { Success: true } planTitle)
        {
            targetName = Cut(planTitle.Groups["target"]);
        }

        if (teamName.Length == 0 || targetName.Length == 0)
        {
            notes.Add(new NoticeNote(at, NoteSeverity.Error, "巡察基本情况段落中没有找到巡察组和被巡察单位（应为“…第…巡察组对…开展了巡察”）。"));
        }

        DateOnly? onSiteFrom = null, onSiteTo = null, feedback = null;
        var approximate = false;
        var period = DateRangeRegex().Match(key);
        if (period.Success && Dates.Range(period) is { } range)
        {
            (onSiteFrom, onSiteTo, approximate) = (range.From, range.To, range.Approximate);
            if (approximate)
            {
                notes.Add(new NoticeNote(at, NoteSeverity.Warning, $"巡察时间“{raw.Substring(period.Index, period.Length)}”只写到旬或月，按 {onSiteFrom:yyyy-MM-dd} 至 {onSiteTo:yyyy-MM-dd} 记录，请核对。"));
            }
        }
        else
        {
            notes.Add(new NoticeNote(at, NoteSeverity.Warning, "没有找到巡察进驻时间。"));
        }

        var feedbackMatch = FeedbackRegex().Match(key);
        if (feedbackMatch.Success)
        {
            var month = Dates.Int(feedbackMatch, "m");
            var day = Dates.Int(feedbackMatch, "d");
            int? year = feedbackMatch.Groups["y"].Success ? Dates.Int(feedbackMatch, "y") : null;
            if (year is null && onSiteTo is { } end)
            {
                // "8月15日" after an on-site period ending "5月10日": the same year unless the month wrapped.
                year = month < end.Month ? end.Year + 1 : end.Year;
                notes.Add(new NoticeNote(at, NoteSeverity.Info, $"反馈日期没有写年份，按巡察时间取 {year} 年。"));
            }

            if (year is null)
            {
                notes.Add(new NoticeNote(at, NoteSeverity.Warning, "反馈日期没有写年份，且无法从巡察时间推断。"));
            }
            else if (Dates.TryMake(year.Value, month, day, out var d))
            {
                feedback = d;
            }
            else
            {
                notes.Add(new NoticeNote(at, NoteSeverity.Warning, $"反馈日期无效：{year}年{month}月{day}日。"));
            }
        }

        var isXunshi = teamName.Length > 0 ? NoticeText.Key(teamName).Contains("巡视", StringComparison.Ordinal) : key.Contains("巡视", StringComparison.Ordinal);
        return new NoticeInspection(teamName, targetName, shortName, also, extended, onSiteFrom, onSiteTo, feedback, isXunshi, raw)
        {
            IsLookBack = key.Contains("回头看", StringComparison.Ordinal),
            IsSpecial = SpecialRegex().IsMatch(key),
            OnSitePeriodIsApproximate = approximate,
        };
    }

    /// <summary>
    /// A round's summary over many units: the intro says the teams inspected "…等12个单位党组织", or the title is the
    /// round's own ("关于…第三轮巡察整改情况的综合通报"). One unit's notice that names its round in its title
    /// ("…党组关于…第二轮巡察整改进展情况的通报") or extended the inspection to its own units ("并对其所属3个基层党组织开展了
    /// 延伸巡察") is no such evidence.
    /// </summary>
    private static bool IsRoundSummary(string intro, string? title) =>
        RoundUnits(intro) is not null || (title is not null && RoundTitleRegex().IsMatch(NoticeText.Key(title)));

    private static int? UnitsCovered(string intro) => RoundUnits(intro) is { } m ? Figures.Number(m.Groups["n"].Value) : null;

    /// <summary>
    /// The intro's "对…等N个单位党组织开展了…" of a round over at least two units; not "…及…" (a unit and its own units, as
    /// before) nor an extended inspection of the inspected unit's own units ("对其所属N个…开展了延伸巡察").
    /// </summary>
    private static Match? RoundUnits(string intro)
    {
        var key = NoticeText.Key(intro);
        foreach (Match m in UnitsRegex().Matches(key))
        {
            var lead = m.Groups["lead"].Value;
            var extended = lead.Contains("所属", StringComparison.Ordinal) || lead.Contains("对其", StringComparison.Ordinal)
                || ExtendedAfterRegex().IsMatch(key[(m.Index + m.Length)..]);
            if (!lead.Contains('及', StringComparison.Ordinal) && !extended && Figures.Number(m.Groups["n"].Value) is >= 2)
            {
                return m;
            }
        }

        return null;
    }

    [GeneratedRegex(@"巡[察视].{0,80}?对.+?(?:开展|进行|实施)了?.{0,20}?巡[察视]")]
    private static partial Regex IntroRegex();

    [GeneratedRegex(@"巡[察视](?:组|小组).{0,200}?反馈")]
    private static partial Regex LooseIntroRegex();

    [GeneratedRegex(@"予以公布|报告如下|向社会公开|予以公开|公布如下|通报如下|予以通报|公示如下|公开如下")]
    private static partial Regex EndingRegex();

    [GeneratedRegex(@"关于.*(?:整改|巡察|巡视).*(?:情况|方案|报告|通报|公告)|(?:整改|巡察|巡视).*(?:通报|公告|公示|方案)$")]
    private static partial Regex TitleRegex();

    [GeneratedRegex(@"^\(\s*(?<n>[" + Cn + @"]{1,3})\s*\)\s*[、.]?\s*")]
    private static partial Regex SubRegex();

    [GeneratedRegex(@"^(?<n>[" + Cn + @"]{1,3})\s*[、.]\s*")]
    private static partial Regex SectionRegex();

    [GeneratedRegex(@"^(?:\(\s*(?<n>\d{1,2})\s*\)|(?<c>[⑴-⒇])|(?<o>[①-⑳]))\s*[、.]?\s*")]
    private static partial Regex ParenRegex();

    [GeneratedRegex(@"^(?<n>\d{1,3})\s*(?:[.、](?!\d)|\))\s*")]
    private static partial Regex NumRegex();

    [GeneratedRegex(@"^(?:下一步|下步|今后|接下来|下阶段)")]
    private static partial Regex NextLeadRegex();

    [GeneratedRegex(@"^(?:[【\[(]?\s*(?:反馈|存在|具体)?问题(?:清单)?\s*(?:\(\s*(?<n>\d{1,3}|[" + Cn + @"]{1,3})\s*\)\s*(?:[】\])]\s*)?[:、]?|(?<n>\d{1,3}|[" + Cn + @"]{1,3})\s*(?:[】\])]\s*[:、]?|:|、|\.(?!\d)|—+|\s(?=\D)))|第(?<n>\d{1,3}|[" + Cn + @"]{1,3})个?问题\s*[:、])\s*")]
    private static partial Regex LabelledFindingRegex();

    [GeneratedRegex(@"(?:^|(?<=[。;:!?]))\s*(?:(?<n>[" + Cn + @"]{1,3})是|第(?<n>[" + Cn + @"]{1,3})[,、:])")]
    private static partial Regex OrdinalClauseRegex();

    [GeneratedRegex(@"(?:^|(?<=[。;:!?,]))\s*(?:(?<n>[" + Cn + @"]{1,3})是|第(?<n>[" + Cn + @"]{1,3})[,、:])")]
    private static partial Regex CommaOrdinalClauseRegex();

    [GeneratedRegex(@"^(?:下一步|下步|今后|接下来|下阶段)")]
    private static partial Regex NextRegex();

    [GeneratedRegex(@"^\s*[^\s,。;:!?、]{1,12}\s*:\s*$")]
    private static partial Regex LabelOnlyRegex();

    [GeneratedRegex(@"主体责任|组织领导|领导责任|工作开展情况|思想认识|政治站位|责任落实|总体情况|基本情况|整改工作推进")]
    private static partial Regex ResponsibilityRegex();

    [GeneratedRegex(@"整改任务|整改进展|整改落实|落实情况|问题整改|反馈问题|整改情况|整改成效|具体整改|整改措施")]
    private static partial Regex ContainerRegex();

    [GeneratedRegex(@"方面|^关于|^对|^在|“.+”")]
    private static partial Regex StrongCategoryRegex();

    [GeneratedRegex(@"电话|邮箱|信箱|地址|邮编|邮政编码|期限")]
    private static partial Regex ContactRegex();

    [GeneratedRegex(@"(?:^|[,。;\s\n])(?<team>[^,。;\s“”""]*?第[" + Cn + @"\d]+(?:轮)?巡[察视](?:组|小组))")]
    private static partial Regex TeamRegex();

    [GeneratedRegex(@"(?:^|[,。;\s\n])(?<team>[^,。;\s“”""]{1,14}?巡[察视](?:组|小组))")]
    private static partial Regex ShortTeamRegex();

    [GeneratedRegex(@"^.*(?:关于落实|关于|落实|根据|按照|对照|针对)")]
    private static partial Regex TeamLeadRegex();

    [GeneratedRegex(@"^(?<target>[^,。;\s“”""]{2,40}?)关于(?:落实|贯彻落实)?[^,。;\s]{0,40}?巡[察视](?:组|小组)?[^,。;\s]{0,40}?整改(?:工作)?(?:方案|实施方案|任务清单)")]
    private static partial Regex PlanTitleRegex();

    [GeneratedRegex(@"\G.{0,30}?对(?<target>.+?)(?:及|开展|进行|实施)")]
    private static partial Regex TargetRegex();

    [GeneratedRegex(@"[(]以下简称[“""「]?(?<short>[^”""」)]+)[”""」]?[)]")]
    private static partial Regex ShortNameRegex();

    [GeneratedRegex(@"对.+?及(?<names>[^,。]+?)等(?<kind>[^,。]*?)(?:开展|进行)")]
    private static partial Regex AlsoInspectedRegex();

    [GeneratedRegex(@"延伸巡[察视]了?(?<names>[^。,;]+)")]
    private static partial Regex ExtendedRegex();

    [GeneratedRegex(@"和|、|及")]
    private static partial Regex ExtendedSplitRegex();

    [GeneratedRegex(@"专项巡|机动巡")]
    private static partial Regex SpecialRegex();

    [GeneratedRegex(@"(?<y1>\d{4})年(?<m1>\d{1,2})月(?:(?<d1>\d{1,2})日|(?<p1>上旬|中旬|下旬|初|底|末|中))?\s*(?:至|到|—|-|~)\s*(?:(?<y2>\d{4})年)?(?<m2>\d{1,2})月(?:(?<d2>\d{1,2})日|(?<p2>上旬|中旬|下旬|初|底|末|中))?")]
    private static partial Regex DateRangeRegex();

    [GeneratedRegex(@"(?:(?<y>\d{4})年)?(?<m>\d{1,2})月(?<d>\d{1,2})日,?[^。,;]*?(?:反馈|通报)了?[^。,;]{0,12}?(?:意见|情况)")]
    private static partial Regex FeedbackRegex();

    [GeneratedRegex(@"(?:公开期限|公示期限|公示期|公开时间)(?:为)?[:]?\s*(?<y1>\d{4})年(?<m1>\d{1,2})月(?<d1>\d{1,2})日\s*(?:至|到|—|-|~)\s*(?:(?<y2>\d{4})年)?(?<m2>\d{1,2})月(?<d2>\d{1,2})日")]
    private static partial Regex DisclosurePeriodRegex();

    [GeneratedRegex(@"(?:联系电话|监督电话|举报电话|电话)[:]?\s*(?<phone>\d[\d\-—() ]*\d)")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?:邮政信箱|通信地址|通讯地址|来信地址|信函地址|邮寄地址)[:]\s*(?<address>[^,;。\n]+)")]
    private static partial Regex PostalRegex();

    [GeneratedRegex(@"(?:邮政编码|邮编)[:]?\s*(?<code>\d{6})")]
    private static partial Regex PostcodeRegex();

    [GeneratedRegex(@"^(?<y>\d{4})\s*年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日$")]
    private static partial Regex StandaloneDateRegex();

    [GeneratedRegex(@"^(?<y>[〇零O○一二三四五六七八九]{4})年(?<m>[" + Cn + @"]{1,3})月(?<d>[" + Cn + @"]{1,3})日$")]
    private static partial Regex ChineseDateRegex();

    [GeneratedRegex(@"(?<lead>对[^。]{0,40}?)(?<n>\d+|[" + Cn + @"]{1,3})(?:个|家)(?:[^\s,。]{0,8}?)(?:单位|党组织|部门|乡镇|街道|社区|村)(?:党组织|党委|党组|党支部)?(?:党组织)?(?:开展|进行)")]
    private static partial Regex UnitsRegex();

    // "关于…第三轮巡察整改情况的…" with no unit before 关于, or a round's title that says it sums up (综合, 集中, 整体).
    [GeneratedRegex(@"^关于.*第[" + Cn + @"\d]+轮巡[察视].*情况|第[" + Cn + @"\d]+轮巡[察视].*(?:综合|集中|整体)|(?:综合|集中)通报")]
    private static partial Regex RoundTitleRegex();

    [GeneratedRegex(@"^了?\s*延伸")]
    private static partial Regex ExtendedAfterRegex();
}
