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
    public static async Task<SignalDay> DayAsync(RectifyDbContext db, int inspectionId, DateOnly today, CancellationToken cancellationToken) =>
        await DayAsync(db, await RulesAsync(db, inspectionId, cancellationToken) ?? SignalRules.Default, today, cancellationToken);

    /// <summary><paramref name="rules"/> (already read) on <paramref name="today"/>: the calendar is read only when they warn of deadlines.</summary>
    public static async Task<SignalDay> DayAsync(RectifyDbContext db, SignalRules rules, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
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
    /// Each measure as what it adds to its group's <see cref="MeasureTally"/>: 1 or 0 for each named fact, read with the
    /// facts' SQL twins (超期, 逾期未报, and only the facts <paramref name="day"/>'s rules read: 督办未办结, 临期, 报送被退回 —
    /// a rule switched off adds nothing to the statement), beside the <paramref name="key"/> to group by.
    /// </summary>
    public static IQueryable<MeasureCounts<TKey>> CountsBy<TKey>(this IQueryable<Measure> measures, RectifyDbContext db, SignalDay day, Expression<Func<Measure, TKey>> key)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(key);

        // The inspection's 报送周期 is joined beside the measure, before the facts: a navigation inside a grouped SUM
        // makes EF Core sum over a correlated subquery per group instead of the rows at hand.
        var row = Expression.Parameter(typeof(MeasureWithCadence), "x");
        var zero = Expression.Constant(0);
        Expression OnRow(LambdaExpression e) => new OnMeasureWithCadence(e.Parameters[0], row).Visit(e.Body);
        Expression One(Expression<Func<Measure, bool>> fact) => Expression.Condition(OnRow(fact), Expression.Constant(1), zero);
        var type = typeof(MeasureCounts<TKey>);
        MemberAssignment Bind(string name, Expression value) => Expression.Bind(type.GetProperty(name)!, value);
        var body = Expression.MemberInit(
            Expression.New(type),
            Bind(nameof(MeasureCounts<TKey>.Key), OnRow(key)),
            Bind(nameof(MeasureCounts<TKey>.SignedOff), One(m => m.State == MeasureState.SignedOff)),
            Bind(nameof(MeasureCounts<TKey>.Ongoing), One(m => m.State == MeasureState.Ongoing)),
            Bind(nameof(MeasureCounts<TKey>.PastDeadline), One(LedgerQueries.IsPastDeadlineOn(day.Today))),
            Bind(nameof(MeasureCounts<TKey>.MissingReport), One(LedgerQueries.IsMissingCadenceReportOn(day.Today))),
            Bind(nameof(MeasureCounts<TKey>.UnderDuban), day.Rules.RedWhenUnderDuban ? One(IsUnderDuban(db)) : zero),
            Bind(nameof(MeasureCounts<TKey>.DueSoon), day.WarnUntil is { } until ? One(IsDueSoonOn(day.Today, until)) : zero),
            Bind(nameof(MeasureCounts<TKey>.ReportReturned), day.Rules.WarnWhenReportReturned ? One(IsReportReturned(db)) : zero));
        return measures
            .Join(db.Inspections, m => m.InspectionId, i => i.Id, (m, i) => new MeasureWithCadence { Measure = m, Cadence = i.ReportingCadence })
            .Select(Expression.Lambda<Func<MeasureWithCadence, MeasureCounts<TKey>>>(body, row));
    }

    /// <summary>Rewrites an expression on a measure to one on <see cref="MeasureWithCadence"/>: <c>m.Inspection.ReportingCadence</c> becomes the row's <c>Cadence</c>.</summary>
    private sealed class OnMeasureWithCadence(ParameterExpression measure, ParameterExpression row) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node is { Member.Name: nameof(Inspection.ReportingCadence), Expression: MemberExpression { Member.Name: nameof(Measure.Inspection), Expression: var m } } && m == measure
                ? Expression.Property(row, nameof(MeasureWithCadence.Cadence))
                : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == measure ? Expression.Property(row, nameof(MeasureWithCadence.Measure)) : base.VisitParameter(node);
    }

    /// <summary>
    /// The <see cref="MeasureTally"/> of each group of <paramref name="measures"/> by <paramref name="key"/> under
    /// <paramref name="day"/>'s rules, in one grouped statement (<c>GROUP BY key</c>, a <c>SUM</c> per fact).
    /// </summary>
    public static IQueryable<TallyOf<TKey>> TalliesBy<TKey>(this IQueryable<Measure> measures, RectifyDbContext db, SignalDay day, Expression<Func<Measure, TKey>> key) =>
        measures.CountsBy(db, day, key)
            .GroupBy(c => c.Key)
            .Select(g => new TallyOf<TKey>
            {
                Key = g.Key,
                Total = g.Count(),
                SignedOff = g.Sum(c => c.SignedOff),
                Ongoing = g.Sum(c => c.Ongoing),
                PastDeadline = g.Sum(c => c.PastDeadline),
                MissingReport = g.Sum(c => c.MissingReport),
                UnderDuban = g.Sum(c => c.UnderDuban),
                DueSoon = g.Sum(c => c.DueSoon),
                ReportReturned = g.Sum(c => c.ReportReturned),
            });

    /// <summary>
    /// Each finding's <see cref="MeasureTally"/> over <paramref name="measures"/> under <paramref name="day"/>'s rules,
    /// counted by the database in one statement (<see cref="TalliesBy"/> by finding), whatever the number of measures
    /// and whichever facts the rules read. Findings without one of these measures are left out.
    /// </summary>
    public static Task<Dictionary<int, MeasureTally>> FindingTalliesAsync(RectifyDbContext db, IQueryable<Measure> measures, SignalDay day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(day);
        return measures.TalliesBy(db, day, m => m.FindingId).ToDictionaryAsync(t => t.Key, t => t.Tally, cancellationToken);
    }
}

/// <summary>A measure with its inspection's 报送周期, joined before its facts are summed (<see cref="SignalQueries.CountsBy"/>).</summary>
public sealed class MeasureWithCadence
{
    public Measure Measure { get; init; } = null!;

    public ReportingCadence? Cadence { get; init; }
}

/// <summary>One measure as what it adds to its group's tally: 1 or 0 for each fact (<see cref="SignalQueries.CountsBy"/>).</summary>
public sealed class MeasureCounts<TKey>
{
    public TKey Key { get; init; } = default!;

    public int SignedOff { get; init; }

    public int Ongoing { get; init; }

    public int PastDeadline { get; init; }

    public int MissingReport { get; init; }

    public int UnderDuban { get; init; }

    public int DueSoon { get; init; }

    public int ReportReturned { get; init; }
}

/// <summary>A group's counts as the database sums them (<see cref="SignalQueries.TalliesBy"/>), and the <see cref="MeasureTally"/> they make.</summary>
public sealed class TallyOf<TKey>
{
    public TKey Key { get; init; } = default!;

    public int Total { get; init; }

    public int SignedOff { get; init; }

    public int Ongoing { get; init; }

    public int PastDeadline { get; init; }

    public int MissingReport { get; init; }

    public int UnderDuban { get; init; }

    public int DueSoon { get; init; }

    public int ReportReturned { get; init; }

    public MeasureTally Tally => new(Total, SignedOff, Ongoing, PastDeadline, MissingReport)
    {
        UnderDuban = UnderDuban,
        DueSoon = DueSoon,
        ReportReturned = ReportReturned,
    };
}
