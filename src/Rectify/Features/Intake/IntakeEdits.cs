using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>What the office may correct in a preview before confirming.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IntakeEditKind>))]
public enum IntakeEditKind
{
    /// <summary>A finding that is really a measure: its title becomes a measure of the previous finding, and its measures follow.</summary>
    Demote = 0,

    /// <summary>A measure that is really a finding: it becomes a finding after its own, taking the measures after it.</summary>
    Promote = 1,

    /// <summary>A measure and the next one become one measure.</summary>
    Merge = 2,

    /// <summary>A measure becomes two at a position in its text (a sentence's end, or before 二是).</summary>
    Split = 3,

    /// <summary>Categories, findings (across the draft) and measures (in each finding) numbered 1, 2, 3… in their order.</summary>
    Renumber = 4,

    /// <summary>A category gets another title (an implicit category named by the office).</summary>
    RenameCategory = 5,
}

/// <summary>
/// One edit of a preview, addressed by the numbers the preview shows at the moment it is made (edits are applied in
/// order, each to the result of the ones before).
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Finding">The finding's number (Demote, Promote, Merge, Split), or the category's (RenameCategory).</param>
/// <param name="Measure">The measure's number in its finding (Promote, Merge: the first of the two, Split).</param>
/// <param name="At">Split: where the second measure begins, in characters of the measure's text.</param>
/// <param name="Title">RenameCategory: the new title.</param>
public sealed record IntakeEdit(IntakeEditKind Kind, int Finding = 0, int Measure = 0, int At = 0, string? Title = null);

/// <summary>
/// The preview's edits, on <see cref="IntakeDraft"/> so that every source can have them. The draft read from the file
/// never changes; the edits are kept with the upload and applied to it again each time it is read, so that a refresh,
/// a second look and the confirmation all see the same edited draft. An edit that no longer fits (a number that is
/// not there) is refused, writing nothing.
/// <para>
/// Numbers: a demoted finding's number is given up and the findings after it move up by one; a promoted measure takes
/// the number after its finding's and the findings after it move down by one; a finding's measures are numbered 1, 2,
/// 3… again whenever one of them is moved, merged or split. Renumber numbers everything in order.
/// </para>
/// </summary>
public static partial class IntakeEdits
{
    /// <summary>The most edits one preview keeps.</summary>
    public const int MaxEdits = 500;

    public static IntakeDraft Apply(IntakeDraft draft, IReadOnlyList<IntakeEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Count > MaxEdits)
        {
            throw BusinessRules.Refuse(new AnEditThatDoesNotFit($"一次预览最多修改 {MaxEdits} 处，请改正文件后重新上传。"));
        }

        foreach (var edit in edits)
        {
            draft = Apply(draft, edit);
        }

        return draft with { EditCount = draft.EditCount + edits.Count };
    }

    public static IntakeDraft Apply(IntakeDraft draft, IntakeEdit edit)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(edit);
        var tree = Tree.Of(draft);
        switch (edit.Kind)
        {
            case IntakeEditKind.Demote:
                tree.Demote(edit.Finding);
                break;
            case IntakeEditKind.Promote:
                tree.Promote(edit.Finding, edit.Measure);
                break;
            case IntakeEditKind.Merge:
                tree.Merge(edit.Finding, edit.Measure);
                break;
            case IntakeEditKind.Split:
                tree.Split(edit.Finding, edit.Measure, edit.At);
                break;
            case IntakeEditKind.Renumber:
                tree.Renumber();
                break;
            case IntakeEditKind.RenameCategory:
                tree.Rename(edit.Finding, edit.Title);
                break;
            default:
                throw BusinessRules.Refuse(new AnEditThatDoesNotFit("不认识的修改。"));
        }

        return draft with { Categories = tree.ToCategories() };
    }

    /// <summary>
    /// Where a measure's text can be split: after each 。；; (not at its end), and before each 二是/三是… or 第二/第三…
    /// that follows other text, as (position, the words around it). Sorted, without repeats.
    /// </summary>
    public static IReadOnlyList<(int At, string Label)> SplitPoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = new SortedDictionary<int, string>();
        foreach (Match m in SentenceEndRegex().Matches(text))
        {
            var at = m.Index + m.Length;
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            if (at > 0 && at < text.Length)
            {
                points.TryAdd(at, Around(text, at));
            }
        }

        foreach (Match m in ClauseRegex().Matches(text))
        {
            if (m.Index > 0 && text[..m.Index].Trim().Length > 0)
            {
                points[m.Index] = Around(text, m.Index);
            }
        }

        return [.. points.Select(p => (p.Key, p.Value))];
    }

    private static string Around(string text, int at)
    {
        var before = text[Math.Max(0, at - 8)..at].Replace('\n', ' ');
        var after = text[at..Math.Min(text.Length, at + 8)].Replace('\n', ' ');
        return $"…{before}｜{after}…";
    }

    [GeneratedRegex("[。；;！？!?]")]
    private static partial Regex SentenceEndRegex();

    [GeneratedRegex("(?:[二三四五六七八九十]{1,2}是|第[二三四五六七八九十]{1,2}[，,、])")]
    private static partial Regex ClauseRegex();

    /// <summary>The draft's tree as lists that the edits change in place.</summary>
    private sealed class Tree
    {
        private readonly List<CategoryNode> categories = [];

        public static Tree Of(IntakeDraft draft)
        {
            var tree = new Tree();
            foreach (var c in draft.Categories)
            {
                tree.categories.Add(new CategoryNode(c, [.. c.Findings.Select(f => new FindingNode(f, f.Number, f.Title, [.. f.Measures]))]));
            }

            return tree;
        }

        public List<IntakeCategory> ToCategories() =>
            [.. categories.Select(c => c.Category with { Title = c.Title, Number = c.Number, Findings = [.. c.Findings.Select(f => f.Finding with { Number = f.Number, Title = f.Title, Measures = [.. f.Measures] })] })];

        public void Demote(int number)
        {
            var all = All();
            var at = all.FindIndex(f => f.Finding.Number == number);
            if (at < 0)
            {
                throw Missing($"问题 {number}");
            }

            if (at == 0)
            {
                throw BusinessRules.Refuse(new AnEditThatDoesNotFit($"问题 {number} 是第一个问题，前面没有可以归入的问题。"));
            }

            var (category, finding) = all[at];
            var previous = all[at - 1].Finding;
            previous.Measures.Add(new IntakeMeasure(0, finding.Title, null, null, null, null, [], finding.Finding.Source));
            previous.Measures.AddRange(finding.Measures);
            Renumber(previous);
            category.Findings.Remove(finding);
            if (category.Findings.Count == 0)
            {
                categories.Remove(category);
            }

            foreach (var f in All().Select(p => p.Finding).Where(f => f.Number > number))
            {
                f.Number--;
            }
        }

        public void Promote(int findingNumber, int measureNumber)
        {
            var (category, finding) = Find(findingNumber);
            var at = finding.Measures.FindIndex(m => m.Number == measureNumber);
            if (at < 0)
            {
                throw Missing($"措施 {findingNumber}.{measureNumber}");
            }

            var measure = finding.Measures[at];
            var moving = finding.Measures.Skip(at + 1).ToList();
            finding.Measures.RemoveRange(at, finding.Measures.Count - at);
            foreach (var f in All().Select(p => p.Finding).Where(f => f.Number > findingNumber))
            {
                f.Number++;
            }

            var promoted = new FindingNode(new IntakeFinding(findingNumber + 1, measure.Text, [], measure.Source), findingNumber + 1, measure.Text, moving);
            Renumber(promoted);
            category.Findings.Insert(category.Findings.IndexOf(finding) + 1, promoted);
        }

        public void Merge(int findingNumber, int measureNumber)
        {
            var (_, finding) = Find(findingNumber);
            var at = finding.Measures.FindIndex(m => m.Number == measureNumber);
            if (at < 0)
            {
                throw Missing($"措施 {findingNumber}.{measureNumber}");
            }

            if (at + 1 >= finding.Measures.Count)
            {
                throw BusinessRules.Refuse(new AnEditThatDoesNotFit($"措施 {findingNumber}.{measureNumber} 是这个问题的最后一条措施，后面没有可以合并的措施。"));
            }

            var (first, second) = (finding.Measures[at], finding.Measures[at + 1]);
            var joined = first.Text.TrimEnd() + (EndsASentence(first.Text) ? string.Empty : "；") + second.Text.TrimStart();
            finding.Measures[at] = first with
            {
                Text = joined,
                Kind = first.Kind ?? second.Kind,
                Deadline = Later(first.Deadline, second.Deadline),
                ResponsibleLeader = first.ResponsibleLeader ?? second.ResponsibleLeader,
                LeadUnit = first.LeadUnit ?? second.LeadUnit,
                SupportingUnits = [.. first.SupportingUnits.Concat(second.SupportingUnits).Distinct(StringComparer.Ordinal).Where(u => u != (first.LeadUnit ?? second.LeadUnit))],
            };
            finding.Measures.RemoveAt(at + 1);
            Renumber(finding);
        }

        public void Split(int findingNumber, int measureNumber, int position)
        {
            var (_, finding) = Find(findingNumber);
            var at = finding.Measures.FindIndex(m => m.Number == measureNumber);
            if (at < 0)
            {
                throw Missing($"措施 {findingNumber}.{measureNumber}");
            }

            var measure = finding.Measures[at];
            var head = position > 0 && position < measure.Text.Length ? measure.Text[..position].Trim() : string.Empty;
            var tail = position > 0 && position < measure.Text.Length ? measure.Text[position..].Trim() : string.Empty;
            if (head.Length == 0 || tail.Length == 0)
            {
                throw BusinessRules.Refuse(new AnEditThatDoesNotFit($"措施 {findingNumber}.{measureNumber} 不能在这个位置拆分：拆开的两部分都要有文字。"));
            }

            finding.Measures[at] = measure with { Text = head };
            finding.Measures.Insert(at + 1, measure with { Text = tail });
            Renumber(finding);
        }

        public void Renumber()
        {
            var number = 0;
            for (var c = 0; c < categories.Count; c++)
            {
                categories[c].Number = c + 1;
                foreach (var f in categories[c].Findings)
                {
                    f.Number = ++number;
                    Renumber(f);
                }
            }
        }

        public void Rename(int categoryNumber, string? title)
        {
            var category = categories.FirstOrDefault(c => c.Number == categoryNumber) ?? throw Missing($"问题类别 {categoryNumber}");
            var trimmed = title?.Trim() ?? string.Empty;
            if (trimmed.Length is 0 or > 500)
            {
                throw BusinessRules.Refuse(new AnEditThatDoesNotFit("请填写问题类别的名称（不超过 500 字）。"));
            }

            category.Title = trimmed;
            category.Category = category.Category with { IsImplicit = false };
        }

        private static void Renumber(FindingNode finding)
        {
            for (var i = 0; i < finding.Measures.Count; i++)
            {
                finding.Measures[i] = finding.Measures[i] with { Number = i + 1 };
            }
        }

        private static bool EndsASentence(string text) => text.TrimEnd() is { Length: > 0 } t && t[^1] is '。' or '；' or ';' or '！' or '？';

        private static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

        private List<(CategoryNode Category, FindingNode Finding)> All() => [.. categories.SelectMany(c => c.Findings.Select(f => (c, f)))];

        private (CategoryNode Category, FindingNode Finding) Find(int number)
        {
            foreach (var pair in All())
            {
                if (pair.Finding.Number == number)
                {
                    return pair;
                }
            }

            throw Missing($"问题 {number}");
        }

        private static BusinessRuleViolationException Missing(string what) =>
            BusinessRules.Refuse(new AnEditThatDoesNotFit($"预览中没有{what}（可能已被前一次修改移动）。请刷新预览后再修改。"));
    }

    private sealed class CategoryNode(IntakeCategory category, List<FindingNode> findings)
    {
        public IntakeCategory Category { get; set; } = category;

        public int Number { get; set; } = category.Number;

        public string Title { get; set; } = category.Title;

        public List<FindingNode> Findings { get; } = findings;
    }

    private sealed class FindingNode(IntakeFinding finding, int number, string title, List<IntakeMeasure> measures)
    {
        public IntakeFinding Finding { get; } = finding;

        public int Number { get; set; } = number;

        public string Title { get; } = title;

        public List<IntakeMeasure> Measures { get; } = measures;
    }

    private sealed class AnEditThatDoesNotFit(string message) : Refused(message, Refusal.Invalid);
}
