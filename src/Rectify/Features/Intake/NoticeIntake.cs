using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>
/// A notice or plan as read by the tolerant reader (<see cref="NoticeReader"/>) as an import draft, so that it goes
/// through the same preview, edits and confirmation as a ledger, without losing what the reader knows: its located
/// notes become the preview's problems at their paragraph ("第 12 段"), a category the text did not have is marked
/// implicit, a plan table's 责任领导 / 责任单位 / 配合单位 / 完成时限 / 整改类型 are read with the ledger's own value
/// parsing (<see cref="LedgerValues"/>), and the statistics are kept as numbers.
/// </summary>
public static class NoticeIntake
{
    /// <summary>The reading as a draft. A notice states no kind, deadline, leader or unit unless a plan table does: those stay empty for the office to plan (报审 asks for them).</summary>
    public static IntakeDraft ToDraft(NoticeReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var problems = new List<IntakeProblem>();

        // The reader's notes are worth a look, never a block: what they point at can be corrected in the preview.
        foreach (var note in reading.Notes)
        {
            problems.Add(new IntakeProblem(null, note.Paragraph, null, note.Message, IntakeSeverity.Warning) { IsParagraph = note.Paragraph is not null });
        }

        var draft = ToDraft(reading.Document, problems) with
        {
            Kind = reading.Kind == NoticeKind.RoundSummary ? IntakeKind.RoundSummary : IntakeKind.Notice,
            Statistics = Statistics(reading.Statistics),
            Reading = reading.Source,
        };
        if (reading.Kind == NoticeKind.RoundSummary)
        {
            // Figures only: never findings, whatever numbered paragraphs the summary has.
            draft = draft with { Categories = [] };
        }
        else if (Stated(reading.Statistics, draft) is { } stated)
        {
            draft = draft with { Problems = [.. draft.Problems, stated] };
        }

        return draft with { Problems = [.. draft.Problems.OrderBy(p => p.Row ?? 0)] };
    }

    /// <summary>
    /// The notice's own totals ("针对反馈的38个问题，制定226条整改措施") against what was read, when they differ: a
    /// numbering the reader did not follow, a table or a picture leaves findings or measures unread without any other
    /// sign. A warning, never a block: a notice may list only some of its measures, or count them otherwise.
    /// </summary>
    private static IntakeProblem? Stated(NoticeStatistics statistics, IntakeDraft draft)
    {
        var differ = new List<string>();
        if (statistics.Problems is { } problems && problems != draft.FindingCount)
        {
            differ.Add($"{problems} 个问题（读取到 {draft.FindingCount} 个）");
        }

        if (statistics.Measures is { } measures && measures != draft.MeasureCount)
        {
            differ.Add($"{measures} 条整改措施（读取到 {draft.MeasureCount} 条）");
        }

        return differ.Count == 0 ? null : new IntakeProblem(null, null, null,
            $"通报写明 {string.Join("、", differ)}，与读取的不一致。请核对是否有问题或措施没有读出（如编号格式不同、内容在表格或图片中）；通报只列出部分措施或另有统计口径的，可以忽略。",
            IntakeSeverity.Warning);
    }

    /// <summary>
    /// The notice's inspection particulars, categories, findings and measures with their numbers and texts as
    /// parsed. A notice states no kind, deadline, leader or unit, so those are left empty for the office to plan;
    /// a notice has no rows, so items carry no location.
    /// </summary>
    public static IntakeDraft ToDraft(NoticeDocument notice) => ToDraft(notice, []);

    private static IntakeDraft ToDraft(NoticeDocument notice, List<IntakeProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var i = notice.Inspection;
        var inspection = new IntakeInspection(
            Title: null,
            Team: i.Team.Length == 0 ? null : i.Team,
            Target: i.Target.Length == 0 ? null : i.Target,
            TargetShortName: i.TargetShortName,
            AlsoInspected: i.AlsoInspected,
            ExtendedScope: i.ExtendedScope,
            OnSiteFrom: i.OnSiteFrom,
            OnSiteTo: i.OnSiteTo,
            FeedbackDate: i.FeedbackDate,
            IsXunshi: i.Team.Length == 0 && i.Target.Length == 0 ? null : i.IsXunshi);
        var categories = notice.Categories
            .Select(c => new IntakeCategory(
                c.Number,
                c.Title,
                [.. c.Findings.Select(f => new IntakeFinding(f.Number, f.Title, [.. f.Measures.Select(m => Measure(f, m, problems))], null))],
                null) { IsImplicit = c.IsImplicit })
            .ToList();
        return new IntakeDraft(inspection, categories, problems);
    }

    /// <summary>A measure with what a plan table says of it, read as the Excel import reads the same cells.</summary>
    private static IntakeMeasure Measure(NoticeFinding f, NoticeMeasure m, List<IntakeProblem> problems)
    {
        var number = $"措施 {f.Number}.{m.Number}";
        void Warn(string message) => problems.Add(new IntakeProblem(null, null, null, $"{number}：{message}", IntakeSeverity.Warning));

        MeasureKind? kind = null;
        if (!string.IsNullOrWhiteSpace(m.Kind))
        {
            kind = LedgerValues.Kind(m.Kind);
            if (kind is null)
            {
                Warn($"整改类型“{m.Kind.Trim()}”不是立行立改、限期整改或长期坚持，未读取，请在方案中补充。");
            }
        }

        DateOnly? deadline = null;
        if (!string.IsNullOrWhiteSpace(m.Deadline))
        {
            if (LedgerValues.TryDeadline(m.Deadline, out var date, out var stated))
            {
                deadline = date;
                if (kind is not null && stated is not null && kind != stated)
                {
                    Warn($"整改类型“{Terms.Of(kind.Value)}”与完成时限“{m.Deadline.Trim()}”不一致，以整改类型为准。");
                }

                kind ??= stated;
            }
            else
            {
                Warn($"完成时限“{m.Deadline.Trim()}”无法识别为日期（可写作 2024年12月31日、2024年12月底、长期坚持、立行立改），未读取，请在方案中补充。");
            }
        }

        var units = LedgerValues.Units(m.Unit);
        var supporting = units.Skip(1).Concat(LedgerValues.Units(m.SupportingUnits)).Distinct(StringComparer.Ordinal).Where(u => units.Count == 0 || u != units[0]).ToList();
        if (units.Count > 1)
        {
            Warn($"责任单位填写了 {units.Count} 个单位，“{units[0]}”作为牵头单位，其余作为配合单位。");
        }

        var leader = string.IsNullOrWhiteSpace(m.Leader) ? null : m.Leader.Trim();
        return new IntakeMeasure(m.Number, m.Text, kind, deadline, leader, units.Count == 0 ? null : units[0], supporting, null);
    }

    private static IntakeStatistics? Statistics(NoticeStatistics s) => s.IsEmpty
        ? null
        : new IntakeStatistics(
            s.Problems, s.Measures, s.Completed, s.InProgress, s.CompletionRate, s.AmountYuan, s.PeopleHandled, s.RulesMade, s.UnitsCovered,
            [.. s.Figures.Select(f => new IntakeFigure(f.Label, f.Value, f.Unit, f.Paragraph, f.Text))]);
}
