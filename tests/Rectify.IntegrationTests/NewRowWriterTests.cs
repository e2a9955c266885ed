using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The import writes its new measures as rows (<see cref="NewRowWriter"/>) instead of through the change tracker: the
/// same measure, built by the domain the same way, saved once by SaveChanges and once by the writer, must give the same
/// row in every column, with the same supporting units and versions.
/// </summary>
public abstract class NewRowWriterTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_measure_written_as_a_row_is_the_row_SaveChanges_writes()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var finding = await db.Findings.Include(f => f.Inspection).Where(f => f.Inspection.PlanState != PlanState.Submitted).OrderBy(f => f.Id).FirstAsync(Ct);
        var units = await db.Organizations.Where(o => o.Kind == OrganizationKind.Department).OrderBy(o => o.Id).Take(3).ToListAsync(Ct);
        var leader = await db.People.OrderBy(p => p.Id).FirstAsync(Ct);
        Assert.Equal(3, units.Count);
        var clock = new FakeClock(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var actor = new Actor("writer-test", "测试");
        var reason = finding.Inspection.PlanState == PlanState.InForce ? "党委会决定调整" : null;
        var deadline = new DateOnly(2027, 3, 31);
        MeasureChange Change() => new()
        {
            Text = "同一条措施：逐项对账销号",
            Kind = MeasureKind.TimeBound,
            SetsDeadline = true,
            Deadline = deadline,
            SetsLeader = true,
            Leader = leader,
            SetsLeadUnit = true,
            LeadUnit = units[0],
            SupportingUnits = [units[1], units[2]],
        };

        var saved = finding.AddMeasure(901, "草稿", MeasureKind.Immediate);
        saved.Amend(Change(), actor, clock, reason);
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();

        // Enough measures for several full statements and a shorter last one: a full statement's command is used
        // again with new values, and every row must still be the row SaveChanges writes.
        const int Written = 150;
        var written = Enumerable.Range(902, Written).Select(n =>
        {
            var measure = finding.AddMeasure(n, "草稿", MeasureKind.Immediate);
            measure.Amend(Change(), actor, clock, reason);
            return measure;
        }).ToList();
        var rows = new NewRowWriter(db);
        var version = await ContentVersion.ReadAsync(db, Ct);
        await rows.InsertAsync(written, Ct);

        // Written around the change tracker, still new content: the kept answers learn of it (ADR 0031) — on SQLite a new
        // version in this transaction, on PostgreSQL one when it commits (not before: it still reads as it was).
        var now = await ContentVersion.ReadAsync(db, Ct);
        Assert.True(app.Provider == Provider.Sqlite ? version != now : version == now && db.ContentVersionPending);
        var ids = await db.Measures.Where(m => m.FindingId == finding.Id && m.Number > 901).ToDictionaryAsync(m => m.Number, m => m.Id, Ct);
        foreach (var measure in written)
        {
            rows.Keys[measure] = ids[measure.Number];
        }

        await rows.InsertAsync([.. written.SelectMany(m => m.SupportingUnits)], Ct);
        await rows.InsertAsync([.. written.SelectMany(m => m.Revisions)], Ct);

        var all = await db.Measures.AsNoTracking().Where(m => m.FindingId == finding.Id && m.Number > 900).OrderBy(m => m.Number).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(901, Written + 1), all.Select(m => m.Number));
        foreach (var row in all.Skip(1))
        {
            AssertSameColumns(db.Model.FindEntityType(typeof(Measure))!, all[0], row, "Id", "Number");
        }

        // Stored alike, not only read back alike: the database finds them all by the values as EF sends them.
        Assert.Equal(Written + 1, await db.Measures.CountAsync(m => m.FindingId == finding.Id && m.Number > 900 && m.Deadline == deadline && m.Kind == MeasureKind.TimeBound && m.LeadUnitId == units[0].Id, Ct));

        var measureIds = all.Select(m => m.Id).ToList();
        var supporting = await db.MeasureSupportingUnits.AsNoTracking().Where(s => measureIds.Contains(s.MeasureId)).ToListAsync(Ct);
        var expectedUnits = supporting.Where(s => s.MeasureId == all[0].Id).Select(s => s.OrganizationId).Order().ToList();
        Assert.Equal(2, expectedUnits.Count);
        foreach (var row in all.Skip(1))
        {
            Assert.Equal(expectedUnits, supporting.Where(s => s.MeasureId == row.Id).Select(s => s.OrganizationId).Order());
        }

        var versions = await db.MeasureRevisions.AsNoTracking().Where(r => measureIds.Contains(r.MeasureId)).OrderBy(r => r.MeasureId).ToListAsync(Ct);
        Assert.Equal(reason is null ? 0 : Written + 1, versions.Count);
        if (versions.Count > 0)
        {
            foreach (var revision in versions.Skip(1))
            {
                AssertSameColumns(db.Model.FindEntityType(typeof(MeasureRevision))!, versions[0], revision, "Id", "MeasureId");
            }

            Assert.Equal(Written + 1, await db.MeasureRevisions.CountAsync(r => measureIds.Contains(r.MeasureId) && r.AtUtc == clock.GetUtcNow().UtcDateTime, Ct));
        }

        // The transaction is not committed: the demo's plan stays as it was for the other tests.
    }

    private static void AssertSameColumns(IEntityType type, object expected, object actual, params string[] except)
    {
        foreach (var property in type.GetProperties().Where(p => !except.Contains(p.Name)))
        {
            var getter = property.GetGetter();
            Assert.True(
                Equals(getter.GetClrValueUsingContainingEntity(expected), getter.GetClrValueUsingContainingEntity(actual)),
                $"{type.DisplayName()}.{property.Name}: SaveChanges wrote {getter.GetClrValueUsingContainingEntity(expected)}, the writer {getter.GetClrValueUsingContainingEntity(actual)}");
        }
    }
}

public sealed class NewRowWriterTestsOnSqlite(SqliteApp app) : NewRowWriterTests(app), IClassFixture<SqliteApp>;

public sealed class NewRowWriterTestsOnPostgres(PostgresApp app) : NewRowWriterTests(app), IClassFixture<PostgresApp>;
