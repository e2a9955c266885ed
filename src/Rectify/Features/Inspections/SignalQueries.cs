using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Deadlines;

namespace Rectify.Features.Inspections;

/// <summary>A row read together with the facts the signal rules read of its measure (<see cref="SignalQueries.WithSignalFacts"/>).</summary>
public sealed class WithSignal<T>
{
    public T Row { get; init; } = default!;

    public SignalFacts Facts { get; init; }
}

/// <summary>
/// 红黄绿规则 in the database: the inspection's <see cref="SignalRules"/> on a day, and the SQL twins of the facts they
/// read beyond 超期 and 逾期未报 (临期, 督办未办结, 报送被退回). OverdueQueryTests holds each twin equal to its C# rule in
/// <see cref="SignalRules"/> on SQLite and PostgreSQL.
/// </summary>
public static class SignalQueries
{
    /// <summary>The inspection's rules (the default for an inspection that never set them); null when there is no such inspection.</summary>
    public static Task<SignalRules?> RulesAsync(RectifyDbContext db, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Inspections.AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new SignalRules(i.SignalRules.RedWhenUnderDuban, i.SignalRules.WarnWithinWorkingDays, i.SignalRules.WarnWhenReportReturned, i.SignalRules.GreenWhenOnTrack))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The inspection's rules on <paramref name="today"/>: the warning window counted on the official calendar when the rules warn of deadlines.</summary>
    public static async Task<SignalDay> DayAsync(RectifyDbContext db, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(db, inspectionId, cancellationToken) ?? SignalRules.Default;
        return rules.WarnsOfDeadlines
            ? SignalDay.On(rules, today, await new CalendarStore(db).LoadAsync(cancellationToken))
            : new SignalDay(rules, today, null);
    }

    /// <summary>临期, in the database: the SQL twin of <see cref="SignalRules.IsDueSoonAt"/>.</summary>
    public static Expression<Func<Measure, bool>> IsDueSoonOn(DateOnly today, DateOnly warnUntil) => m =>
        m.Kind != MeasureKind.Ongoing
        && m.Deadline != null && m.Deadline >= today && m.Deadline <= warnUntil
        && m.State != MeasureState.SignedOff && m.State != MeasureState.Ongoing;

    /// <summary>督办未办结, in the database: the SQL twin of <see cref="SignalRules.IsUnderDubanAt"/> (an index seek on the notice's measures).</summary>
    public static Expression<Func<Measure, bool>> IsUnderDuban(RectifyDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return m => db.SupervisionNoticeMeasures.Any(x => x.MeasureId == m.Id && x.Notice.Kind == SupervisionKind.Duban && x.Notice.State != SupervisionState.Closed);
    }

    /// <summary>The state of a measure's last report (highest number), in the database: the twin of <see cref="SignalRules.LastReportState"/>.</summary>
    public static Expression<Func<Measure, ProgressReportState?>> LastReportState(RectifyDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return m => db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Number).Select(r => (ProgressReportState?)r.State).FirstOrDefault();
    }

    /// <summary>报送被退回, in the database: the SQL twin of <see cref="SignalRules.IsReportReturnedAt"/>.</summary>
    public static Expression<Func<Measure, bool>> IsReportReturned(RectifyDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return m => m.State != MeasureState.SignedOff
            && db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Number).Select(r => (ProgressReportState?)r.State).FirstOrDefault() == ProgressReportState.Returned;
    }

    /// <summary>
    /// The facts the rules read of each measure, in the row's own query: 超期 and 逾期未报's facts, and — only when the rules
    /// read them — whether a 督办单 on it is open and the state of its last report (correlated subqueries on indexed
    /// columns; a rule switched off adds nothing to the query).
    /// </summary>
    public static Expression<Func<Measure, SignalFacts>> AsSignalFacts(RectifyDbContext db, SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Expression<Func<Measure, OverdueFacts>> overdue = m => new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc);
        Expression<Func<Measure, bool>> underDuban = rules.RedWhenUnderDuban ? IsUnderDuban(db) : m => false;
        Expression<Func<Measure, ProgressReportState?>> lastReport = rules.WarnWhenReportReturned ? LastReportState(db) : m => null;
        var measure = overdue.Parameters[0];
        return Expression.Lambda<Func<Measure, SignalFacts>>(
            Expression.New(
                typeof(SignalFacts).GetConstructor([typeof(OverdueFacts), typeof(bool), typeof(ProgressReportState?)])!,
                overdue.Body,
                ReplacingExpressionVisitor.Replace(underDuban.Parameters[0], measure, underDuban.Body),
                ReplacingExpressionVisitor.Replace(lastReport.Parameters[0], measure, lastReport.Body)),
            measure);
    }

    /// <summary>Each measure as <paramref name="row"/> with its <see cref="SignalFacts"/>, in one query.</summary>
    public static IQueryable<WithSignal<T>> WithSignalFacts<T>(this IQueryable<Measure> measures, RectifyDbContext db, SignalRules rules, Expression<Func<Measure, T>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var facts = AsSignalFacts(db, rules);
        var measure = row.Parameters[0];
        var body = Expression.MemberInit(
            Expression.New(typeof(WithSignal<T>)),
            Expression.Bind(typeof(WithSignal<T>).GetProperty(nameof(WithSignal<T>.Row))!, row.Body),
            Expression.Bind(typeof(WithSignal<T>).GetProperty(nameof(WithSignal<T>.Facts))!, ReplacingExpressionVisitor.Replace(facts.Parameters[0], measure, facts.Body)));
        return measures.Select(Expression.Lambda<Func<Measure, WithSignal<T>>>(body, measure));
    }

    /// <summary>
    /// Each finding's <see cref="MeasureTally"/> over <paramref name="measures"/> under <paramref name="day"/>'s rules,
    /// counted by the database: the three queries of <see cref="LedgerQueries.FindingTalliesAsync"/>, and one grouped
    /// count for each fact the rules read (none with the default rules), whatever the number of measures.
    /// </summary>
    public static async Task<Dictionary<int, MeasureTally>> FindingTalliesAsync(RectifyDbContext db, IQueryable<Measure> measures, SignalDay day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(day);
        var tallies = await LedgerQueries.FindingTalliesAsync(measures, day.Today, cancellationToken);
        var underDuban = day.Rules.RedWhenUnderDuban ? await LedgerQueries.CountByFindingAsync(measures.Where(IsUnderDuban(db)), cancellationToken) : [];
        var dueSoon = day.WarnUntil is { } until ? await LedgerQueries.CountByFindingAsync(measures.Where(IsDueSoonOn(day.Today, until)), cancellationToken) : [];
        var returned = day.Rules.WarnWhenReportReturned ? await LedgerQueries.CountByFindingAsync(measures.Where(IsReportReturned(db)), cancellationToken) : [];
        return tallies.ToDictionary(
            t => t.Key,
            t => t.Value with
            {
                UnderDuban = underDuban.GetValueOrDefault(t.Key),
                DueSoon = dueSoon.GetValueOrDefault(t.Key),
                ReportReturned = returned.GetValueOrDefault(t.Key),
            });
    }
}
