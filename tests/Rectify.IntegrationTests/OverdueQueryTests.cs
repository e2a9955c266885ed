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
        var tallies = await LedgerQueries.FindingTalliesAsync(db, db.Measures.AsNoTracking().Where(m => inspections.Contains(m.InspectionId)), Today, Ct);
        Assert.Equal(
            findings.ToDictionary(f => f.Id, f => MeasureTally.Of(f.Measures.Select(m => m.OverdueFacts), Today)),
            tallies);
    }

    /// <summary>
    /// The facts the 红黄绿规则 read beyond 超期 and 逾期未报 — 临期 (within N working days on the official calendar, across
    /// the 2026 Spring Festival), 督办未办结 and 报送被退回 — found by the database on exactly the measures the C# rules
    /// find them on, read in the row's own query alike, and counted per finding as in memory.
    /// </summary>
    [Fact]
    public async Task The_database_finds_each_signal_fact_on_exactly_the_measures_the_entity_rule_finds_it_on()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var today = new DateOnly(2026, 2, 13);
        var clock = new FakeClock(new DateTimeOffset(ReportingCadences.StartUtc(today).AddHours(10), TimeSpan.Zero));
        var calendar = new WorkingCalendar(Rectify.Features.Deadlines.HolidayFile.Shipped.SelectMany(y => y.Days), Rectify.Features.Deadlines.HolidayFile.Shipped.Select(y => y.Year));
        var day = SignalDay.On(new SignalRules(RedWhenUnderDuban: true, WarnWithinWorkingDays: 5, WarnWhenReportReturned: true, GreenWhenOnTrack: true), today, calendar);
        var until = day.WarnUntil!.Value;
        Assert.Equal(new DateOnly(2026, 2, 27), until);

        var city = new Organization("红黄绿规则核对市委", OrganizationKind.PartyCommittee);
        var unit = new Organization("红黄绿规则核对单位", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection("红黄绿规则核对", InspectionKind.Xuncha, city, unit, null, null, new DateOnly(2025, 1, 1));
        var category = new FindingCategory(inspection, 1, "方面");
        var findings = Enumerable.Range(1, 4).Select(n => new Finding(category, n, $"问题{n}")).ToList();
        var measures = new List<Measure>();
        Measure Add(MeasureKind kind)
        {
            var finding = findings[measures.Count % findings.Count];
            var m = finding.AddMeasure(finding.Measures.Count + 1, "措施", kind);
            measures.Add(m);
            return m;
        }

        // 临期: every kind and state, deadlines either side of today and of the window's last day (and a holiday inside it).
        DateOnly?[] deadlines = [null, today.AddDays(-1), today, new DateOnly(2026, 2, 20), until.AddDays(-1), until, until.AddDays(1)];
        foreach (var kind in Enum.GetValues<MeasureKind>())
        {
            foreach (var deadline in deadlines)
            {
                foreach (var state in Enum.GetValues<MeasureState>())
                {
                    Walk(Add(kind), kind, deadline, state, today);
                }
            }
        }

        // 报送被退回 and 督办未办结 need saved measures: under way ones, reported and supervised in every way that matters.
        var reported = Enumerable.Range(0, 7).Select(_ => Add(MeasureKind.TimeBound)).ToList();
        var supervised = Enumerable.Range(0, 6).Select(_ => Add(MeasureKind.TimeBound)).ToList();
        var ongoing = Add(MeasureKind.Ongoing);
        foreach (var m in reported.Concat(supervised))
        {
            Walk(m, MeasureKind.TimeBound, today.AddDays(60), MeasureState.InProgress, today);
        }

        ongoing.Start(Someone, clock);
        db.AddRange(findings);
        await db.SaveChangesAsync(Ct);

        Actor unitActor = new("signal-unit", "单位"), office = new("signal-office", "整改办"), leader = new("signal-leader", "领导");
        var reports = new List<ProgressReport>();
        async Task<ProgressReport> File(Measure m, ProgressReportState outcome)
        {
            var report = ProgressReport.File(m, reports.Where(r => r.MeasureId == m.Id).MaxBy(r => r.Number), "进展", 50, today, unitActor, clock);
            reports.Add(report);
            db.Add(report);
            if (outcome == ProgressReportState.Accepted)
            {
                report.Accept(m, office, clock);
            }
            else if (outcome == ProgressReportState.Returned)
            {
                report.Return(office, clock, "不全");
            }

            // Saved one by one, as the report service does: a report filed after a returned one names it.
            await db.SaveChangesAsync(Ct);
            return report;
        }

        // none · submitted · returned · returned then filed again · accepted then returned · accepted · (ongoing) returned
        await File(reported[1], ProgressReportState.Submitted);
        await File(reported[2], ProgressReportState.Returned);
        await File(reported[3], ProgressReportState.Returned);
        await File(reported[3], ProgressReportState.Submitted);
        await File(reported[4], ProgressReportState.Accepted);
        await File(reported[4], ProgressReportState.Returned);
        await File(reported[5], ProgressReportState.Accepted);
        await File(ongoing, ProgressReportState.Returned);

        // Signed off with its last report returned: done, so nothing to warn of.
        await File(reported[6], ProgressReportState.Accepted);
        await File(reported[6], ProgressReportState.Returned);
        reported[6].ApplyForSignOff(unitActor, clock);
        reported[6].AcceptApplication(office, clock);
        reported[6].Approve(leader, clock);
        await db.SaveChangesAsync(Ct);

        // none · 督办中 · 已回复 · 已办结 · 约谈 only · 已办结 and another 督办中 (one measure each, and one notice on two).
        var sequence = 0;
        SupervisionNotice Duban(params Measure[] items)
        {
            var notice = SupervisionNotice.IssueDuban(inspection, unit, items, city.Id, 2026, ++sequence, "督办", "请加快", "书面回复", today.AddDays(5), today, office, clock);
            db.Add(notice);
            return notice;
        }

        Duban(supervised[1]);
        Duban(supervised[2]).ReplyWith("已整改", unitActor, clock);
        var closed = Duban(supervised[3], supervised[5]);
        closed.ReplyWith("已整改", unitActor, clock);
        closed.Close(accept: true, "同意办结", office, clock);
        db.Add(SupervisionNotice.RecordTalk(inspection, unit, [supervised[4]], "约谈", "要点", today, "书记", "主任", null, today, office, clock));
        Duban(supervised[5]);
        await db.SaveChangesAsync(Ct);

        var notices = await db.SupervisionNoticeMeasures.AsNoTracking().Where(x => x.Notice.InspectionId == inspection.Id)
            .Select(x => new { x.MeasureId, x.Notice.Kind, x.Notice.State }).ToListAsync(Ct);
        SignalFacts Expected(Measure m) => new(
            m.OverdueFacts,
            SignalRules.IsUnderDubanAt(notices.Where(n => n.MeasureId == m.Id).Select(n => (n.Kind, n.State))),
            SignalRules.LastReportState(reports.Where(r => r.MeasureId == m.Id)));
        var expected = measures.ToDictionary(m => m.Id, Expected);
        Assert.Equal(3, expected.Values.Count(f => f.UnderDuban));
        Assert.Equal(4, expected.Values.Count(f => f.LastReport == ProgressReportState.Returned));
        Assert.Contains(expected.Values, f => day.IsDueSoon(f.Overdue));
        Assert.Contains(expected.Values, f => f.Overdue.Deadline == until.AddDays(1) && !day.IsDueSoon(f.Overdue) && f.Overdue.State == MeasureState.InProgress);

        var ids = measures.Select(m => m.Id).ToList();
        var disagreements = new List<string>();
        async Task CompareAsync(string name, Expression<Func<Measure, bool>> sql, Func<SignalFacts, bool> rule)
        {
            var found = (await db.Measures.AsNoTracking().Where(m => ids.Contains(m.Id)).Where(sql).Select(m => m.Id).ToListAsync(Ct)).ToHashSet();
            disagreements.AddRange(expected.Where(e => rule(e.Value) != found.Contains(e.Key))
                .Select(e => $"{name}, {Describe(e.Value.Overdue)}, 督办未办结 {e.Value.UnderDuban}, last report {e.Value.LastReport}: the entity says {rule(e.Value)}, {app.Provider} says {found.Contains(e.Key)}"));
        }

        await CompareAsync("临期", SignalQueries.IsDueSoonOn(today, until), f => SignalRules.IsDueSoonAt(f.Overdue, today, until));
        await CompareAsync("督办未办结", SignalQueries.IsUnderDuban(db), f => f.UnderDuban);
        await CompareAsync("报送被退回", SignalQueries.IsReportReturned(db), f => SignalRules.IsReportReturnedAt(f.Overdue.State, f.LastReport));
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements over {measures.Count} measures:\n" + string.Join('\n', disagreements));

        // The facts as the overview and the finding page read them, in the row's own query.
        var read = await db.Measures.AsNoTracking().Where(m => ids.Contains(m.Id)).WithSignalFacts(db, day.Rules, m => m.Id).ToListAsync(Ct);
        Assert.Equal(expected, read.ToDictionary(r => r.Row, r => r.Facts));

        // With a rule switched off, the query reads nothing of it.
        var plain = await db.Measures.AsNoTracking().Where(m => ids.Contains(m.Id)).WithSignalFacts(db, SignalRules.Default, m => m.Id).ToListAsync(Ct);
        Assert.All(plain, r => Assert.Equal(new SignalFacts(expected[r.Row].Overdue, false, null), r.Facts));

        // The tallies the ledger counts in the database are the ones the overview counts in memory, under these rules and the default.
        foreach (var rules in new[] { day, SignalDay.Default(today) })
        {
            var tallies = await SignalQueries.FindingTalliesAsync(db, db.Measures.AsNoTracking().Where(m => m.InspectionId == inspection.Id), rules, Ct);
            Assert.Equal(findings.ToDictionary(f => f.Id, f => MeasureTally.Of(f.Measures.Select(m => expected[m.Id]), rules)), tallies);
        }
    }

    private static string Describe(OverdueFacts f)
    {
        static string Or(string? value) => value ?? "none";
        var c = CultureInfo.InvariantCulture;
        return $"{f.Kind} {f.State}, deadline {Or(f.Deadline?.ToString("yyyy-MM-dd", c))}, cadence {Or(f.Cadence?.ToString())}, "
            + $"under way since {Or(f.OngoingSinceUtc?.ToString("u", c))}, last report {Or(f.LastReportAtUtc?.ToString("u", c))}";
    }

    /// <summary>Plans the measure and walks it through its life to <paramref name="state"/>, as a unit and the office would.</summary>
    private static void Walk(Measure m, MeasureKind kind, DateOnly? deadline, MeasureState state, DateOnly? today = null)
    {
        var on = today ?? Today;
        // Only a 长期坚持 measure is ever 长期坚持; one past Planned in another state is planned as 限期整改.
        var planKind = state == MeasureState.Ongoing ? MeasureKind.Ongoing : kind == MeasureKind.Ongoing && state != MeasureState.Planned ? MeasureKind.TimeBound : kind;

        // A 限期整改 measure always has a deadline: "no deadline" is probed as 立行立改.
        planKind = planKind == MeasureKind.TimeBound && deadline is null ? MeasureKind.Immediate : planKind;
        m.Plan(planKind, deadline, null, null);

        // The measure acts on today, after every period boundary above.
        var clock = new FakeClock(new DateTimeOffset(ReportingCadences.StartUtc(on).AddHours(10), TimeSpan.Zero));
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
