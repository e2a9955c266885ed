using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Supervision;

namespace Rectify.Features.Inspections;

/// <summary>One line of a 完成率 table: measures (by unit, by kind) or findings (by category), counted as the overview page counts them.</summary>
/// <param name="Name">The unit, kind or category.</param>
/// <param name="Total">Measures, or findings.</param>
/// <param name="Completed">已完成.</param>
/// <param name="Sustained">持续整改.</param>
/// <param name="PastDeadline">超期 measures, or findings with one.</param>
/// <param name="MissingReport">逾期未报 measures, or findings with one.</param>
public sealed record RateRow(string Name, int Total, int Completed, int Sustained, int PastDeadline, int MissingReport)
{
    /// <summary>完成率: 已完成 or 持续整改, of all.</summary>
    public decimal Rate => Figures.Rate(Completed + Sustained, Total);

    /// <summary>A line of measures.</summary>
    public static RateRow OfMeasures(string name, MeasureTally t) => new(name, t.Total, t.Completed, t.Sustained, t.PastDeadline, t.MissingReport);

    /// <summary>A line of findings, from each finding's tally.</summary>
    public static RateRow OfFindings(string name, IReadOnlyCollection<MeasureTally> findings) => new(
        name,
        findings.Count,
        findings.Count(f => f.FindingCompletion == Completion.Completed),
        findings.Count(f => f.FindingCompletion == Completion.Sustained),
        findings.Count(f => f.PastDeadline > 0),
        findings.Count(f => f.MissingReport > 0));
}

/// <summary>A finding's 红黄绿 with its measures' figures (督办未办结, 临期 and 报送被退回 counted only when the inspection's rules read them).</summary>
public sealed record FindingSignal(int FindingId, int Number, string Title, FindingState State, Completion Completion, Signal Signal, int Measures, int PastDeadline, int MissingReport)
{
    /// <summary>Measures under an open 督办 (when the rules turn such a finding red).</summary>
    public int UnderDuban { get; init; }

    /// <summary>临期 measures (when the rules warn of deadlines).</summary>
    public int DueSoon { get; init; }

    /// <summary>Measures whose last report was returned (when the rules warn of it).</summary>
    public int ReportReturned { get; init; }
}

public sealed record InspectionOverview(
    InspectionSummary Inspection,
    LedgerTotals Totals,
    IReadOnlyList<RateRow> ByUnit,
    IReadOnlyList<RateRow> ByCategory,
    IReadOnlyList<RateRow> ByKind,
    IReadOnlyList<FindingSignal> Findings)
{
    /// <summary>Measures whose deadline was extended (申请延期 approved) at least once.</summary>
    public int ExtendedMeasures { get; init; }

    /// <summary>The 督办 ladder's counts: open 督办, replies overdue, 约谈 held, 通报, 问责.</summary>
    public SupervisionCounts Supervision { get; init; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>整改时限政策 of the inspection.</summary>
    public DeadlinePolicy DeadlinePolicy { get; init; } = DeadlinePolicy.None;

    /// <summary>红黄绿规则 in force for the inspection (findings[].signal and the totals follow them).</summary>
    public SignalRules SignalRules { get; init; } = SignalRules.Default;

    /// <summary>The last day a deadline warns on today (null when the rules warn of no deadline).</summary>
    public DateOnly? WarnUntil { get; init; }

    /// <summary>Which of the 红黄绿 findings <see cref="Findings"/> holds: all of them (null), or one page of them.</summary>
    public FindingsPaging? FindingsPaging { get; init; }

    /// <summary>
    /// The same overview with one page of its findings (in number order), of all or of one signal's: an inspection of
    /// 10,000 measures has some 2,500 findings, 600 KB of JSON in one answer, of which a screen shows a page (issue #12).
    /// </summary>
    /// <remarks>
    /// Past the last page the findings are empty (the API's answer: that is how a client knows it has read them all);
    /// with <paramref name="lastWhenPast"/> (the page's) it is the last page instead.
    /// </remarks>
    public InspectionOverview PageOfFindings(Signal? signal, int page, int pageSize, bool lastWhenPast = false)
    {
        var chosen = signal is { } only ? Findings.Where(f => f.Signal == only).ToList() : Findings;
        if (lastWhenPast)
        {
            page = Common.Paging.Within(page, chosen.Count, pageSize);
        }

        return this with
        {
            Findings = chosen.Skip(Common.Paging.Skip(page, pageSize)).Take(pageSize).ToList(),
            FindingsPaging = new FindingsPaging(chosen.Count, page, pageSize, signal),
        };
    }
}

/// <summary>One page of an overview's 红黄绿 findings.</summary>
/// <param name="Total">Findings of the signal asked for (all findings when none was), on every page.</param>
/// <param name="Page">The page, from 1.</param>
/// <param name="PageSize">Findings per page.</param>
/// <param name="Signal">The signal asked for, or null for all.</param>
public sealed record FindingsPaging(int Total, int Page, int PageSize, Signal? Signal)
{
    public int PageCount => Common.Paging.PageCount(Total, PageSize);
}

/// <summary>A 红黄绿 asked for by name (Red, Yellow, Green; any case; a number is not a name).</summary>
public sealed class ASignalIsNamed(string? signal) : IBusinessRule
{
    public bool IsBroken() => !string.IsNullOrWhiteSpace(signal) && Parse(signal) is null;

    public string Message => $"signal 应为 Red（红）、Yellow（黄）或 Green（绿）（收到 {signal}）。";

    public Refusal Refusal => Refusal.Invalid;

    /// <summary>The signal named, or null when none is or the name is not one.</summary>
    public static Signal? Parse(string? signal)
    {
        var name = signal?.Trim();
        return !string.IsNullOrEmpty(name) && char.IsLetter(name[0]) && Enum.TryParse<Signal>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : null;
    }
}

/// <summary>
/// The inspection's statistics, counted by the database with the same SQL twins of the named facts as the ledger, and
/// derived here by the same C# rules (<see cref="MeasureTally"/>, <see cref="RateRow"/>, <see cref="LedgerTotals"/>,
/// <see cref="SignalRules"/>): one grouped statement by finding, one by lead unit and kind; no measure row is read.
/// </summary>
public static class OverviewQueries
{
    /// <summary>What the overview calls a measure without a lead unit.</summary>
    public const string NoLeadUnit = "（未定）";

    public static async Task<InspectionOverview?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.HoldConnectionAsync(cancellationToken);
        var inspection = await LedgerQueries.HeadAsync(db, scope, inspectionId, cancellationToken);
        if (inspection is null)
        {
            return null;
        }

        // The inspection's 红黄绿规则 on the day; the statements count only the facts they read (nothing more with the defaults).
        var signals = await SignalQueries.DayAsync(db, inspectionId, today, cancellationToken);
        var visible = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);

        // Each finding's tally (GROUP BY finding), with the finding's number, title and category beside it.
        var findingRows = await (
            from t in visible.TalliesBy(db, signals, m => m.FindingId)
            join f in db.Findings on t.Key equals f.Id
            select new { Tally = t, f.Number, f.Title, CategoryNumber = f.Category.Number, CategoryTitle = f.Category.Title })
            .ToListAsync(cancellationToken);
        var findings = findingRows
            .Select(r => (r.CategoryNumber, r.CategoryTitle, r.Tally.Tally, Signal: FindingSignalOf(r.Tally.Key, r.Number, r.Title, r.Tally.Tally, signals.Rules)))
            .OrderBy(f => f.Signal.Number).ThenBy(f => f.Signal.FindingId)
            .ToList();

        // Each lead unit's and kind's tally from one GROUP BY (lead unit, kind): tallies add up.
        var unitKinds = await visible.CountsBy(db, SignalDay.Default(today), m => new { LeadUnit = m.LeadUnit == null ? NoLeadUnit : m.LeadUnit.Name, m.Kind, Extended = m.ExtensionCount > 0 })
            .GroupBy(c => c.Key)
            .Select(g => new
            {
                g.Key,
                Tally = new MeasureTally(g.Count(), g.Sum(c => c.SignedOff), g.Sum(c => c.Ongoing), g.Sum(c => c.PastDeadline), g.Sum(c => c.MissingReport)),
            })
            .ToListAsync(cancellationToken);

        var byCategory = findings.GroupBy(f => (f.CategoryNumber, f.CategoryTitle)).OrderBy(g => g.Key.CategoryNumber)
            .Select(g => RateRow.OfFindings($"({Documents.ChineseNumerals.Format(g.Key.CategoryNumber)}){g.Key.CategoryTitle}", [.. g.Select(f => f.Tally)]))
            .ToList();
        var byUnit = unitKinds.GroupBy(r => r.Key.LeadUnit).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => RateRow.OfMeasures(g.Key, g.Select(r => r.Tally).Aggregate(MeasureTally.Add))).ToList();
        var byKind = unitKinds.GroupBy(r => r.Key.Kind).OrderBy(g => g.Key)
            .Select(g => RateRow.OfMeasures(Terms.Of(g.Key), g.Select(r => r.Tally).Aggregate(MeasureTally.Add))).ToList();
        var totals = LedgerTotals.From(findings.Count, [.. findings.Select(f => f.Tally)], signals.Rules);
        var policy = await db.Inspections.AsNoTracking().Where(i => i.Id == inspectionId).Select(i => new DeadlinePolicy(i.ImmediateWorkingDays, i.TimeBoundMonths)).SingleAsync(cancellationToken);
        return new InspectionOverview(
            inspection with { Findings = totals.Findings, Measures = totals.Measures, SignedOffMeasures = totals.CompletedMeasures },
            totals, byUnit, byCategory, byKind, findings.Select(f => f.Signal).ToList())
        {
            ExtendedMeasures = unitKinds.Where(r => r.Key.Extended).Sum(r => r.Tally.Total),
            Supervision = await SupervisionQueries.CountsAsync(db, scope, inspectionId, today, cancellationToken),
            DeadlinePolicy = policy,
            SignalRules = signals.Rules,
            WarnUntil = signals.WarnUntil,
        };
    }

    /// <summary>A finding's 红黄绿 line from its tally, by the rules.</summary>
    public static FindingSignal FindingSignalOf(int findingId, int number, string title, MeasureTally tally, SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new FindingSignal(findingId, number, title, tally.FindingState, tally.FindingCompletion, rules.Of(tally), tally.Total, tally.PastDeadline, tally.MissingReport)
        {
            UnderDuban = tally.UnderDuban,
            DueSoon = tally.DueSoon,
            ReportReturned = tally.ReportReturned,
        };
    }
}
