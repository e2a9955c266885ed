using System.Text.RegularExpressions;

namespace Rectify.Documents;

public static partial class NoticeReader
{
    /// <summary>
    /// What a plan written as text says, by label, of who answers for a measure and by when: 责任领导, 牵头单位 (or 责任单位),
    /// 配合单位, 完成时限 and their usual synonyms. A plan table has these as columns (<see cref="PlanTable"/>); in text they
    /// follow a measure ("……。责任领导：…；牵头单位：…", "……（责任单位：…，完成时限：…）") or, on lines of their own, a
    /// problem's whole list of measures.
    /// </summary>
    private sealed record Assignment(string? Leader, string? Unit, string? Supporting, string? Deadline, string? Kind = null)
    {
        /// <summary>This assignment, with what it leaves out taken from <paramref name="fallback"/>.</summary>
        public Assignment Or(Assignment? fallback) => fallback is null ? this : new(Leader ?? fallback.Leader, Unit ?? fallback.Unit, Supporting ?? fallback.Supporting, Deadline ?? fallback.Deadline, Kind ?? fallback.Kind);
    }

    /// <summary>A measure's text, what its labels say, and whether they stood on lines of their own after it.</summary>
    private readonly record struct Assigned(string Text, Assignment? Assignment, bool OnOwnLines);

    /// <summary>How far from a measure's end its labels may begin: a few labels, each with a short value.</summary>
    private const int MaxAssignmentTail = 6 * (MaxAssignedValue + 8);

    /// <summary>The longest value a label takes: a name, a unit or two, a deadline. Anything longer is prose, not a label.</summary>
    private const int MaxAssignedValue = 80;

    /// <summary>
    /// The measures of one problem with their labels read: "整改措施：" before the list is dropped; labels on lines of their
    /// own after the whole list (and before it) are the problem's and go to each of its measures; labels after one measure
    /// are that measure's. A measure's own label wins over the problem's.
    /// </summary>
    private static List<NoticeMeasure> AssignedMeasures(List<string> texts)
    {
        var read = new List<Assigned>();
        Assignment? shared = null;
        foreach (var text in texts)
        {
            var one = SplitAssignments(text);
            if (one.Text.Length == 0)
            {
                // Labels and nothing else (before the first measure): the problem's.
                shared = one.Assignment?.Or(shared) ?? shared;
                continue;
            }

            read.Add(one);
        }

        // Only the last measure has labels, on lines of their own after it: they follow the whole list.
        if (read.Count > 1 && read[^1] is { Assignment: { } last, OnOwnLines: true } && read.Take(read.Count - 1).All(r => r.Assignment is null))
        {
            shared = last.Or(shared);
            read[^1] = read[^1] with { Assignment = null };
        }

        return [.. read.Select((r, i) => (r.Assignment?.Or(shared) ?? shared) is { } a
            ? new NoticeMeasure(i + 1, r.Text) { Leader = a.Leader, Unit = a.Unit, SupportingUnits = a.Supporting, Deadline = a.Deadline, Kind = a.Kind ?? MarkedKind(r.Text) }
            : new NoticeMeasure(i + 1, r.Text) { Kind = MarkedKind(r.Text) })];
    }

    /// <summary>
    /// 整改类型 marked in brackets at the end or the start of a measure ("……（立行立改）。", "【长期坚持】……"), as plans often
    /// mark it; the text keeps its mark (it is the plan's own wording). Null when there is none.
    /// </summary>
    private static string? MarkedKind(string text)
    {
        var mark = KindMarkRegex().Match(text);
        return mark.Success ? mark.Groups["kind"].Value : null;
    }

    /// <summary>A paragraph of a problem without its leading "整改措施：" or "【整改措施】" (empty when that was all of it).</summary>
    private static string WithoutMeasuresLabel(string raw) => MeasuresLabelRegex().Replace(raw, string.Empty, 1);

    /// <summary>
    /// The measure's text without the labels at its end, and what they say: labels begin a line, a sentence or a bracket
    /// and run to the end, each value short. Text that only mentions a label in passing keeps it.
    /// </summary>
    private static Assigned SplitAssignments(string text)
    {
        // Progress after the labels ("完成时限：2025年底\n【完成情况】已完成…") is the measure's words, not the last label's
        // value: the labels are read without it, and it runs on after the measure's text as progress does elsewhere.
        var lines = text.Split('\n');
        var progressAt = lines.Length;
        while (progressAt > 1 && ProgressLabelRegex().IsMatch(NoticeText.Key(lines[progressAt - 1])))
        {
            progressAt--;
        }

        if (progressAt < lines.Length && SplitAssignments(string.Join('\n', lines[..progressAt])) is { Assignment: not null, Text.Length: > 0 } labelled)
        {
            var progress = string.Join('\n', lines[progressAt..]);
            return labelled with { Text = labelled.Text + "\n" + progress };
        }

        // Labels stand at the end: only its last stretch is searched, so that a long text full of label-like words costs
        // no more than a short one.
        foreach (Match m in AssignmentLabelRegex().Matches(text, Math.Max(0, text.Length - MaxAssignmentTail)))
        {
            var start = m.Index;
            var before = start == 0 ? '\n' : text[start - 1];
            var bracketed = before is '(' or '（';
            if (!bracketed && before is not ('\n' or '。' or '；' or ';' or ' ' or '\u3000' or '，' or ','))
            {
                continue;
            }

            if (Assignments(text[m.Index..], bracketed) is not { } assignment)
            {
                continue;
            }

            var head = text[..(bracketed ? start - 1 : start)];
            var ownLines = head.TrimEnd(' ', '\u3000').EndsWith('\n') || head.Length == 0;
            return new Assigned(head.TrimEnd(' ', '\u3000', '\n', '，', ',', '；', ';'), assignment, ownLines);
        }

        return new Assigned(text, null, false);
    }

    /// <summary>"责任领导：张三；牵头单位：党政办\n完成时限：2025年6月底前": each label's value; null when any value is empty, too long or prose.</summary>
    private static Assignment? Assignments(string tail, bool bracketed)
    {
        if (bracketed)
        {
            // The bracket closes the labels: "（责任单位：…）；" — what follows it is the measure's end punctuation only.
            var close = tail.IndexOfAny([')', '）']);
            if (close < 0 || tail[(close + 1)..].Trim().Trim('。', '；', ';', '，', ',', '.').Length > 0)
            {
                return null;
            }

            tail = tail[..close];
        }

        var labels = AssignmentLabelRegex().Matches(tail);
        string? leader = null, unit = null, supporting = null, deadline = null, kind = null;
        for (var i = 0; i < labels.Count; i++)
        {
            var from = labels[i].Index + labels[i].Length;
            var to = i + 1 < labels.Count ? labels[i + 1].Index : tail.Length;
            var value = tail[from..to].Trim().Trim('；', ';', '，', ',', '。', '、', ' ', '\u3000', '\n').Trim();
            if (value.Length == 0 || value.Length > MaxAssignedValue || value.Contains('。', StringComparison.Ordinal))
            {
                return null;
            }

            switch (labels[i].Groups["label"].Value)
            {
                case "责任领导" or "牵头领导" or "分管领导" or "整改责任领导" or "责任人":
                    leader ??= value;
                    break;
                case "配合单位" or "协办单位" or "配合部门" or "参与单位":
                    supporting ??= value;
                    break;
                case "完成时限" or "整改时限" or "完成时间" or "整改期限" or "时限要求" or "完成期限":
                    deadline ??= value;
                    break;
                case "整改类型" or "整改方式":
                    kind ??= value;
                    break;
                default:
                    unit ??= value;
                    break;
            }
        }

        return new Assignment(leader, unit, supporting, deadline, kind);
    }

    [GeneratedRegex(@"(?<label>整改责任领导|责任领导|牵头领导|分管领导|责任人|牵头单位|责任单位|牵头部门|责任部门|主责单位|配合单位|协办单位|配合部门|参与单位|完成时限|整改时限|完成时间|整改期限|时限要求|完成期限|整改类型|整改方式)[ \u3000]*[:：]")]
    private static partial Regex AssignmentLabelRegex();

    [GeneratedRegex(@"(?:^[ \u3000]*[（(【\[][ \u3000]*(?<kind>立行立改|限期整改|长期坚持)[ \u3000]*[）)】\]]|[（(【\[][ \u3000]*(?<kind>立行立改|限期整改|长期坚持)[ \u3000]*[）)】\]][ \u3000]*[。；;，,.]?[ \u3000]*$)")]
    private static partial Regex KindMarkRegex();

    // "整改措施：…" or, as some pages mark it, "【整改措施】…".
    [GeneratedRegex(@"^[ \u3000]*(?:(?:具体|主要)?整改措施[ \u3000]*(?:[:：]|$)|[【\[][ \u3000]*(?:具体|主要)?(?:整改)?(?:措施|举措)[ \u3000]*[】\]][ \u3000]*[:：]?)[ \u3000]*")]
    private static partial Regex MeasuresLabelRegex();
}
