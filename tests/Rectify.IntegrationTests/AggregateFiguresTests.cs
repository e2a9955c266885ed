using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Deadlines;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #12: the ledger's totals (one aggregate statement), its page's finding states (read for the page's findings
/// only) and the overview (grouped in the database by finding and by lead unit and kind) come out exactly as the C#
/// rules count them from every measure's facts — <see cref="MeasureTally.Of(IEnumerable{SignalFacts}, SignalDay)"/>,
/// <see cref="RateRow"/>, <see cref="LedgerTotals"/>, <see cref="SignalRules.Of"/> — over measures in every state, late
/// and not, with missing reports, open and closed 督办, returned reports and extensions, across several units, kinds and
/// categories, under four sets of 红黄绿规则.
/// </summary>
public abstract class AggregateFiguresTests(AppFixture app)
{
    private static readonly DateOnly Today = new(2026, 2, 13);

    private static readonly FakeClock Now = new(new DateTimeOffset(ReportingCadences.StartUtc(Today).AddHours(10), TimeSpan.Zero));

    private static readonly Actor Unit = new("aggregate-unit", "单位"), Office = new("aggregate-office", "整改办"), Leader = new("aggregate-leader", "领导");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_figures_counted_by_the_database_are_the_ones_the_csharp_rules_count_from_every_measure()
    {
        app.RequireAvailable();
        await using var services = app.Factory.Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<RectifyDbContext>();

        var city = new Organization("汇总核对市委", OrganizationKind.PartyCommittee);
        var units = Enumerable.Range(1, 3).Select(i => new Organization($"汇总核对单位{i}", OrganizationKind.Department, city)).ToList();
        var inspection = new Inspection("汇总核对", InspectionKind.Xuncha, city, units[0], null, null, new DateOnly(2025, 3, 1));
        inspection.SetReportingCadence(ReportingCadence.Weekly);
        var mixed = new FindingCategory(inspection, 1, "综合");
        var plain = new FindingCategory(inspection, 2, "专项");
        var findings = new List<Finding>
        {
            new(mixed, 1, "问题一"), new(mixed, 2, "问题二"), new(mixed, 3, "问题三"), new(mixed, 4, "问题四"),
            new(plain, 5, "全部销号"), new(plain, 6, "持续整改"), new(plain, 7, "没有措施"), new(plain, 8, "一项超期"),
            new(plain, 9, "正常推进"), new(plain, 10, "临期"), new(plain, 11, "报送被退回"), new(plain, 12, "督办中"),
        };
        var measures = new List<Measure>();
        Measure Add(Finding finding, MeasureKind kind, DateOnly? deadline, MeasureState state, Organization? lead)
        {
            var m = finding.AddMeasure(finding.Measures.Count + 1, "措施", kind);
            measures.Add(m);
            Walk(m, kind, deadline, state, lead);
            return m;
        }

        // Every kind, state and deadline (past, today, within and beyond a five-working-day warning), spread over four
        // findings and three lead units and none.
        DateOnly?[] deadlines = [null, Today.AddDays(-30), Today.AddDays(-1), Today, Today.AddDays(3), Today.AddDays(40)];
        var n = 0;
        foreach (var kind in Enum.GetValues<MeasureKind>())
        {
            foreach (var deadline in deadlines)
            {
                foreach (var state in Enum.GetValues<MeasureState>())
                {
                    Add(findings[n % 4], kind, deadline, state, n % 4 == 3 ? null : units[n % 3]);
                    n++;
                }
            }
        }

        // 长期坚持 under way since last year: reported this week, long ago (逾期未报) or never (逾期未报).
        var since = new FakeClock(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var ongoing = Enumerable.Range(0, 9).Select(i =>
        {
            var m = findings[i % 4].AddMeasure(findings[i % 4].Measures.Count + 1, "长期坚持", MeasureKind.Ongoing);
            measures.Add(m);
            m.Plan(MeasureKind.Ongoing, null, null, units[i % 3]);
            m.Start(Unit, since);
            if (i % 3 == 0)
            {
                m.NoteReportFiled(Now.GetUtcNow().UtcDateTime.AddHours(-1));
            }
            else if (i % 3 == 1)
            {
                m.NoteReportFiled(new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc));
            }

            return m;
        }).ToList();

        // A finding done (all signed off), one 持续整改 (signed off and ongoing, reported), one without measures, one late only.
        Add(findings[4], MeasureKind.Immediate, Today.AddDays(-5), MeasureState.SignedOff, units[0]);
        Add(findings[4], MeasureKind.TimeBound, Today.AddDays(5), MeasureState.SignedOff, units[1]);
        Add(findings[5], MeasureKind.TimeBound, Today.AddDays(-5), MeasureState.SignedOff, units[2]);
        var sustained = findings[5].AddMeasure(2, "长期坚持", MeasureKind.Ongoing);
        measures.Add(sustained);
        sustained.Plan(MeasureKind.Ongoing, null, null, units[2]);
        sustained.Start(Unit, since);
        sustained.NoteReportFiled(Now.GetUtcNow().UtcDateTime.AddHours(-2));
        Add(findings[7], MeasureKind.TimeBound, Today.AddDays(-2), MeasureState.InProgress, units[1]);

        // Findings on track but for one thing each rule set may read: nothing, a deadline within five working days, a
        // returned report, an open 督办.
        var onTrack = findings.Skip(8).Select(f => Add(f, MeasureKind.TimeBound, Today.AddDays(f.Number == 10 ? 4 : 40), MeasureState.InProgress, units[2])).ToList();

        // Extensions: two under way, one extended twice.
        var extendable = measures.Where(m => m.State == MeasureState.InProgress && m.Deadline is not null).Take(2).ToList();
        extendable[0].ExtendDeadline(extendable[0].Deadline!.Value.AddDays(60), Office, Now, "延期");
        extendable[1].ExtendDeadline(extendable[1].Deadline!.Value.AddDays(2), Office, Now, "延期");
        extendable[1].ExtendDeadline(extendable[1].Deadline!.Value.AddDays(2), Office, Now, "再延期");

        db.AddRange(findings);
        await db.SaveChangesAsync(Ct);

        // Reports: submitted, returned, returned then filed again, accepted then returned, on measures under way.
        var reports = new List<ProgressReport>();
        async Task FileAsync(Measure m, ProgressReportState outcome)
        {
            var report = ProgressReport.File(m, reports.Where(r => r.MeasureId == m.Id).MaxBy(r => r.Number), "进展", 50, Today, Unit, Now);
            reports.Add(report);
            db.Add(report);
            if (outcome == ProgressReportState.Accepted)
            {
                report.Accept(m, Office, Now);
            }
            else if (outcome == ProgressReportState.Returned)
            {
                report.Return(Office, Now, "不全");
            }

            await db.SaveChangesAsync(Ct);
        }

        var underWay = measures.Where(m => m.State == MeasureState.InProgress).ToList();
        await FileAsync(underWay[0], ProgressReportState.Submitted);
        await FileAsync(underWay[1], ProgressReportState.Returned);
        await FileAsync(underWay[2], ProgressReportState.Returned);
        await FileAsync(underWay[2], ProgressReportState.Submitted);
        await FileAsync(underWay[3], ProgressReportState.Accepted);
        await FileAsync(underWay[3], ProgressReportState.Returned);
        await FileAsync(underWay[^1], ProgressReportState.Returned);
        await FileAsync(ongoing[1], ProgressReportState.Returned);
        await FileAsync(onTrack[2], ProgressReportState.Returned);

        // 督办: open (督办中, 已回复) and closed, one notice on two measures.
        var sequence = 0;
        SupervisionNotice Duban(params Measure[] items)
        {
            var notice = SupervisionNotice.IssueDuban(inspection, units[0], items, city.Id, 2026, ++sequence, "督办", "请加快", "书面回复", Today.AddDays(5), Today, Office, Now);
            db.Add(notice);
            return notice;
        }

        Duban(underWay[4]);
        Duban(onTrack[3]);
        Duban(underWay[5], underWay[6]).ReplyWith("已整改", Unit, Now);
        var closed = Duban(underWay[7], underWay[8]);
        closed.ReplyWith("已整改", Unit, Now);
        closed.Close(accept: true, "同意办结", Office, Now);
        await db.SaveChangesAsync(Ct);

        var notices = await db.SupervisionNoticeMeasures.AsNoTracking().Where(x => x.Notice.InspectionId == inspection.Id)
            .Select(x => new { x.MeasureId, x.Notice.Kind, x.Notice.State }).ToListAsync(Ct);
        var facts = measures.ToDictionary(m => m.Id, m => new SignalFacts(
            m.OverdueFacts,
            SignalRules.IsUnderDubanAt(notices.Where(x => x.MeasureId == m.Id).Select(x => (x.Kind, x.State))),
            SignalRules.LastReportState(reports.Where(r => r.MeasureId == m.Id))));
        Assert.Contains(facts.Values, f => Measure.IsPastDeadlineAt(f.Overdue, Today));
        Assert.Contains(facts.Values, f => Measure.IsMissingCadenceReportAt(f.Overdue, Today));
        Assert.Contains(facts.Values, f => f.Overdue.State == MeasureState.Ongoing && !Measure.IsMissingCadenceReportAt(f.Overdue, Today));
        Assert.Equal(4, facts.Values.Count(f => f.UnderDuban));
        Assert.Equal(5, facts.Values.Count(f => f.LastReport == ProgressReportState.Returned && f.Overdue.State != MeasureState.SignedOff));

        var scope = new AccessScope("aggregate-office", null, "/", new HashSet<string> { Roles.RectificationOffice });
        var calendar = await new CalendarStore(db).LoadAsync(Ct);
        SignalRules[] ruleSets =
        [
            SignalRules.Default,
            new(RedWhenUnderDuban: true, WarnWithinWorkingDays: 5, WarnWhenReportReturned: true, GreenWhenOnTrack: true),
            new(RedWhenUnderDuban: false, WarnWithinWorkingDays: 0, WarnWhenReportReturned: false, GreenWhenOnTrack: true),
            new(RedWhenUnderDuban: true, WarnWithinWorkingDays: 0, WarnWhenReportReturned: true, GreenWhenOnTrack: false),
        ];
        var colours = new HashSet<Signal>();
        var onTrackColours = new HashSet<string>();
        foreach (var rules in ruleSets)
        {
            inspection.SetSignalRules(rules);
            await db.SaveChangesAsync(Ct);
            var day = SignalDay.On(rules, Today, calendar);

            // What the C# rules say, from every measure's facts.
            var tallies = findings.Where(f => f.Measures.Count > 0).ToDictionary(f => f.Id, f => MeasureTally.Of(f.Measures.Select(m => facts[m.Id]), day));
            colours.UnionWith(tallies.Values.Select(rules.Of));
            onTrackColours.Add(string.Join(",", onTrack.Select(m => rules.Of(tallies[m.FindingId]))));
            var because = $"under {rules}";

            // The ledger: totals over every visible finding (the one without measures too), and a page's findings.
            var ledgerTotals = LedgerTotals.From(findings.Count, tallies.Values, rules);
            Assert.Equal(ledgerTotals, await LedgerQueries.TotalsAsync(db, scope, inspection.Id, Today, Ct));
            foreach (var filter in new[] { new LedgerFilter(PageSize: 7, Page: 3), new LedgerFilter(Overdue: true, PageSize: 500), new LedgerFilter(Unit: units[1].Id, PageSize: 500) })
            {
                var ledger = (await LedgerQueries.LoadAsync(db, scope, inspection.Id, filter, Today, Ct))!;
                Assert.Equal(ledgerTotals, ledger.Totals);
                Assert.Equal(
                    measures.Count(m => (!filter.Overdue || Measure.IsOverdueAt(m.OverdueFacts, Today)) && (filter.Unit is null || m.LeadUnitId == filter.Unit)),
                    ledger.TotalRows);
                Assert.NotEmpty(ledger.Rows);
                Assert.All(ledger.Rows, r => Assert.Equal((tallies[r.FindingId].FindingState, rules.Of(tallies[r.FindingId])), (r.FindingState, r.FindingSignal)));
            }

            // The overview: by finding, by category, by lead unit, by kind, the totals and the extended measures.
            var overview = (await OverviewQueries.LoadAsync(db, scope, inspection.Id, Today, Ct))!;
            var expectedFindings = findings.Where(f => tallies.ContainsKey(f.Id)).OrderBy(f => f.Number)
                .Select(f => OverviewQueries.FindingSignalOf(f.Id, f.Number, f.Title, tallies[f.Id], rules)).ToList();
            Assert.Equal(expectedFindings, overview.Findings);
            Assert.Equal(
                findings.Where(f => tallies.ContainsKey(f.Id)).GroupBy(f => f.Category).OrderBy(g => g.Key.Number)
                    .Select(g => RateRow.OfFindings($"({Rectify.Documents.ChineseNumerals.Format(g.Key.Number)}){g.Key.Title}", [.. g.Select(f => tallies[f.Id])])),
                overview.ByCategory);
            Assert.Equal(
                measures.GroupBy(m => m.LeadUnit?.Name ?? OverviewQueries.NoLeadUnit).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => RateRow.OfMeasures(g.Key, MeasureTally.Of(g.Select(m => m.OverdueFacts), Today))),
                overview.ByUnit);
            Assert.Equal(
                measures.GroupBy(m => m.Kind).OrderBy(g => g.Key).Select(g => RateRow.OfMeasures(Terms.Of(g.Key), MeasureTally.Of(g.Select(m => m.OverdueFacts), Today))),
                overview.ByKind);
            Assert.Equal(LedgerTotals.From(tallies.Count, tallies.Values, rules), overview.Totals);
            Assert.Equal(measures.Count(m => m.ExtensionCount > 0), overview.ExtendedMeasures);
            Assert.True(overview.ByUnit.Count == 4 && overview.ByKind.Count == 3 && overview.ByCategory.Count == 2, $"{overview.ByUnit.Count} units, {overview.ByKind.Count} kinds, {overview.ByCategory.Count} categories {because}");
        }

        // The rule sets between them give every colour to the findings on track, and the data every finding completion.
        Assert.Equal([Signal.Green, Signal.Yellow, Signal.Red], colours.Order());
        Assert.Equal(4, onTrackColours.Count);
        Assert.Equal(
            [Completion.Open, Completion.Completed, Completion.Sustained],
            findings.Where(f => f.Measures.Count > 0).Select(f => MeasureTally.Of(f.Measures.Select(m => m.OverdueFacts), Today).FindingCompletion).Distinct().Order());
    }

    /// <summary>Plans the measure and walks it through its life to <paramref name="state"/>, as a unit and the office would.</summary>
    private static void Walk(Measure m, MeasureKind kind, DateOnly? deadline, MeasureState state, Organization? lead)
    {
        // Only a 长期坚持 measure is ever 长期坚持; one past Planned in another state is planned as 限期整改, and a
        // 限期整改 measure without a deadline as 立行立改.
        var planKind = state == MeasureState.Ongoing ? MeasureKind.Ongoing : kind == MeasureKind.Ongoing && state != MeasureState.Planned ? MeasureKind.TimeBound : kind;
        planKind = planKind == MeasureKind.TimeBound && deadline is null ? MeasureKind.Immediate : planKind;
        m.Plan(planKind, deadline, null, lead);
        if (state == MeasureState.Planned)
        {
            return;
        }

        m.Start(Unit, Now);
        if (state is MeasureState.InProgress or MeasureState.Ongoing)
        {
            return;
        }

        m.NoteReportAccepted(Now.GetUtcNow().UtcDateTime);
        m.ApplyForSignOff(Unit, Now);
        if (state == MeasureState.AwaitingReview)
        {
            return;
        }

        m.AcceptApplication(Office, Now);
        if (state == MeasureState.AwaitingApproval)
        {
            return;
        }

        m.Approve(Leader, Now);
    }
}

public sealed class AggregateFiguresTestsOnSqlite(SqliteApp app) : AggregateFiguresTests(app), IClassFixture<SqliteApp>;

public sealed class AggregateFiguresTestsOnPostgres(PostgresApp app) : AggregateFiguresTests(app), IClassFixture<PostgresApp>;
