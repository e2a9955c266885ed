using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Each named fact has two forms: the C# rule, which the pages run on a measure's facts (<see cref="Measure.IsPastDeadlineAt"/>
/// 超期, <see cref="Measure.IsMissingCadenceReportAt"/> 逾期未报, <see cref="Measure.IsOverdueAt"/> either,
/// <see cref="Measure.IsCadenceReportDueAt"/> 本期待报送), and its SQL twin in <see cref="LedgerQueries"/>, which the
/// database runs for the ledger's filter and counts and for 待办. Here the database itself translates and runs each twin
/// over every combination that matters, and must pick exactly the measures the C# rule picks.
/// </summary>
public abstract class OverdueQueryTests(AppFixture app)
{
    private static readonly DateOnly Today = new(2025, 6, 4);

    private static readonly Actor Someone = new("overdue-probe", "核对");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_database_finds_each_named_fact_on_exactly_the_measures_the_entity_rule_finds_it_on()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();

        // An inspection of our own for each cadence (none set, weekly, monthly, quarterly): the cadence is the inspection's.
        var city = new Organization("逾期规则核对市委", OrganizationKind.PartyCommittee);
        var unit = new Organization("逾期规则核对单位", OrganizationKind.PartyCommittee, city);
        ReportingCadence?[] cadences = [null, ReportingCadence.Weekly, ReportingCadence.Monthly, ReportingCadence.Quarterly];
        var findings = cadences.Select(c =>
        {
            var inspection = new Inspection($"逾期规则核对（{c?.ToString() ?? "默认"}）", InspectionKind.Xuncha, city, unit, null, null, null);
            if (c is { } cadence)
            {
                inspection.SetReportingCadence(cadence);
            }

            return new Finding(new FindingCategory(inspection, 1, "方面"), 1, "问题");
        }).ToList();

        var measures = new List<Measure>();
        Measure Add(Finding finding, MeasureKind kind)
        {
            var m = finding.AddMeasure(finding.Measures.Count + 1, "措施", kind);
            measures.Add(m);
            return m;
        }

        // Every kind, deadline either side of today and state, on the inspection without a cadence.
        DateOnly?[] deadlines = [null, Today.AddDays(-1), Today, Today.AddDays(1)];
        foreach (var kind in Enum.GetValues<MeasureKind>())
        {
            foreach (var deadline in deadlines)
            {
                foreach (var state in Enum.GetValues<MeasureState>())
                {
                    Walk(Add(findings[0], kind), kind, deadline, state);
                }
            }
        }

        // Every 长期坚持 measure that matters, under each cadence: under way from a second before, at, or a second
        // after the start of each cadence's last closed period and of its current one, and last reported never or at
        // any of those instants.
        DateTime[] boundaries =
        [
            .. Enum.GetValues<ReportingCadence>().Select(c => ReportingCadences.LastClosedPeriodStartUtc(c, Today)),
            .. Enum.GetValues<ReportingCadence>().Select(c => ReportingCadences.CurrentPeriodStartUtc(c, Today)),
        ];
        var instants = boundaries.SelectMany(b => new[] { b.AddSeconds(-1), b, b.AddSeconds(1) }).ToList();
        DateTime?[] reports = [null, .. instants.Select(i => (DateTime?)i)];
        foreach (var finding in findings)
        {
            foreach (var since in instants)
            {
                foreach (var report in reports)
                {
                    var m = Add(finding, MeasureKind.Ongoing);
                    m.Start(Someone, new FakeClock(new DateTimeOffset(since, TimeSpan.Zero)));
                    if (report is { } at)
                    {
                        m.NoteReportFiled(at);
                    }
                }
            }
        }

        db.AddRange(findings);
        await db.SaveChangesAsync(Ct);

        var reasons = measures.GroupBy(m => Measure.OverdueReasonAt(m.OverdueFacts, Today)).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(measures.Select(m => m.OverdueFacts).Distinct().Count() >= 300, $"only {measures.Select(m => m.OverdueFacts).Distinct().Count()} different facts were probed");
        Assert.All(Enum.GetValues<OverdueReason>(), r => Assert.True(reasons.GetValueOrDefault(r) > 0, $"no probe is {r}"));
        Assert.Contains(measures, m => Measure.IsCadenceReportDueAt(m.OverdueFacts, Today));
        Assert.Contains(measures, m => m.Kind == MeasureKind.Ongoing && m.State == MeasureState.Ongoing && !Measure.IsCadenceReportDueAt(m.OverdueFacts, Today));

        // One query per fact, translated and run by the database.
        var inspections = findings.Select(f => f.InspectionId).ToList();
        var disagreements = new List<string>();
        async Task CompareAsync(string name, Expression<Func<Measure, bool>> sql, Func<OverdueFacts, DateOnly, bool> rule)
        {
            var found = (await db.Measures.AsNoTracking()
                .Where(m => inspections.Contains(m.InspectionId))
                .Where(sql)
                .Select(m => m.Id)
                .ToListAsync(Ct)).ToHashSet();
            disagreements.AddRange(measures.Where(m => rule(m.OverdueFacts, Today) != found.Contains(m.Id))
                .Select(m => $"{name}, {Describe(m.OverdueFacts)}: the entity says {rule(m.OverdueFacts, Today)}, {app.Provider} says {found.Contains(m.Id)}"));
        }

        await CompareAsync("超期", LedgerQueries.IsPastDeadlineOn(Today), Measure.IsPastDeadlineAt);
        await CompareAsync("逾期未报", LedgerQueries.IsMissingCadenceReportOn(Today), Measure.IsMissingCadenceReportAt);
        await CompareAsync("超期或逾期未报", LedgerQueries.IsOverdueOn(Today), Measure.IsOverdueAt);
        await CompareAsync("本期待报送", LedgerQueries.CadenceReportDueOn(Today), Measure.IsCadenceReportDueAt);
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements over {measures.Count} measures on {Today:yyyy-MM-dd}:\n" + string.Join('\n', disagreements));

        // The tallies the ledger counts in the database are the ones the overview counts in memory from the same facts.
        var tallies = await LedgerQueries.FindingTalliesAsync(db.Measures.AsNoTracking().Where(m => inspections.Contains(m.InspectionId)), Today, Ct);
        Assert.Equal(
            findings.ToDictionary(f => f.Id, f => MeasureTally.Of(f.Measures.Select(m => m.OverdueFacts), Today)),
            tallies);
    }

    private static string Describe(OverdueFacts f)
    {
        static string Or(string? value) => value ?? "none";
        var c = CultureInfo.InvariantCulture;
        return $"{f.Kind} {f.State}, deadline {Or(f.Deadline?.ToString("yyyy-MM-dd", c))}, cadence {Or(f.Cadence?.ToString())}, "
            + $"under way since {Or(f.OngoingSinceUtc?.ToString("u", c))}, last report {Or(f.LastReportAtUtc?.ToString("u", c))}";
    }

    /// <summary>Plans the measure and walks it through its life to <paramref name="state"/>, as a unit and the office would.</summary>
    private static void Walk(Measure m, MeasureKind kind, DateOnly? deadline, MeasureState state)
    {
        // Only a 长期坚持 measure is ever 长期坚持; one past Planned in another state is planned as 限期整改.
        var planKind = state == MeasureState.Ongoing ? MeasureKind.Ongoing : kind == MeasureKind.Ongoing && state != MeasureState.Planned ? MeasureKind.TimeBound : kind;

        // A 限期整改 measure always has a deadline: "no deadline" is probed as 立行立改.
        planKind = planKind == MeasureKind.TimeBound && deadline is null ? MeasureKind.Immediate : planKind;
        m.Plan(planKind, deadline, null, null);

        // The measure acts on today, after every period boundary above.
        var clock = new FakeClock(new DateTimeOffset(ReportingCadences.StartUtc(Today).AddHours(10), TimeSpan.Zero));
        Actor unit = new("overdue-unit", "单位"), office = new("overdue-office", "整改办"), leader = new("overdue-leader", "领导");
        if (state == MeasureState.Planned)
        {
            return;
        }

        m.Start(unit, clock);
        if (state is MeasureState.InProgress or MeasureState.Ongoing)
        {
            return;
        }

        m.NoteReportAccepted(clock.GetUtcNow().UtcDateTime);
        m.ApplyForSignOff(unit, clock);
        if (state == MeasureState.AwaitingReview)
        {
            return;
        }

        m.AcceptApplication(office, clock);
        if (state == MeasureState.AwaitingApproval)
        {
            return;
        }

        m.Approve(leader, clock);
    }
}

public sealed class OverdueQueryTestsOnSqlite(SqliteApp app) : OverdueQueryTests(app), IClassFixture<SqliteApp>;

public sealed class OverdueQueryTestsOnPostgres(PostgresApp app) : OverdueQueryTests(app), IClassFixture<PostgresApp>;
