using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Tools;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// The application over data made by the load suite's generator (`rectify bench seed --scale small`, docs/adr/0030) instead
/// of the demo: about 1,700 measures in 12 inspections with their transitions, reports, evidence, look-backs, extensions and
/// 督办. Generated into the data folder before the application starts (which then finds the schema migrated); one account is
/// added, "office" (整改办 at the root, the fixture's password), as an administrator would add it.
/// </summary>
public sealed class GeneratedApp() : AppFixture(Provider.Sqlite, seedDemo: false)
{
    /// <summary>The generated inspection with the most measures, and one of the usual size.</summary>
    public int BigInspectionId { get; private set; }

    public int TypicalInspectionId { get; private set; }

    /// <summary>Measures of the typical inspection: one in progress with supporting units, one signed off with a look-back.</summary>
    public int MeasureInProgress { get; private set; }

    public int MeasureSignedOff { get; private set; }

    protected override async ValueTask<IReadOnlyDictionary<string, string?>> PrepareAsync()
    {
        Directory.CreateDirectory(DataFolder);
        await using var database = BenchDatabase.Open(Path.Combine(DataFolder, "rectify.db"));
        Assert.Null(await database.RefusalAsync(CancellationToken.None));
        await database.MigrateAsync(CancellationToken.None);
        await new BenchGenerator(database, BenchScale.Small, seed: 12, TextWriter.Null).RunAsync(CancellationToken.None);

        // Every request computes its answer (none kept per content version, ADR 0031), so that each runs its statements.
        return new Dictionary<string, string?> { ["Caching:Answers"] = "false" };
    }

    protected override async ValueTask StartedAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<RectifyDbContext>();
        var root = await db.Organizations.Where(o => o.ParentId == null).Select(o => o.Name).SingleAsync();
        await services.GetRequiredService<UserAdministration>().CreateAsync("office", "整改办", root, ["RectificationOffice"], Password, CancellationToken.None, initialPassword: false);

        var sizes = await db.Measures.GroupBy(m => m.InspectionId).Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync();
        BigInspectionId = sizes.MaxBy(s => s.Count)!.Id;
        var inForce = await db.Inspections.Where(i => i.PlanState == PlanState.InForce).Select(i => i.Id).ToListAsync();
        TypicalInspectionId = sizes.Where(s => s.Id != BigInspectionId && inForce.Contains(s.Id)).OrderBy(s => s.Id).First().Id;
        MeasureInProgress = await db.Measures.Where(m => m.InspectionId == TypicalInspectionId && m.State == MeasureState.InProgress && m.SupportingUnits.Any())
            .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        MeasureSignedOff = await db.Measures.Where(m => m.State == MeasureState.SignedOff && db.LookBacks.Any(l => l.MeasureId == m.Id))
            .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
    }
}
