using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Intake;
using Rectify.Features.Plans;

namespace Rectify.Bench;

/// <summary>
/// Export → import at the size issue #10 names: a 10,000-measure plan (imported from the template first), exported
/// as the office downloads it (<see cref="LedgerExport"/>, to a file), then imported into a new inspection of the same
/// organization (preview and commit, as the import page does); the two plans compared field by field. Time and bytes
/// allocated for each half, three runs. On SQLite, or on PostgreSQL with a connection string.
/// </summary>
internal static class RoundTripBench
{
    public static async Task RunAsync(string folder, string? postgresConnection)
    {
        var (host, organizationId) = await OfficeHost.StartAsync(folder, postgresConnection);
        await using var app = host;

        // The plan to export: the template's 10,000 rows imported into an inspection.
        var rows = IntakeBench.Rows(1000, 10);
        var source = Path.Combine(folder, "source.xlsx");
        using (var file = File.Create(source))
        {
            LedgerTemplate.Write(file, "某某区委巡察反馈问题整改台账", rows);
        }

        var original = await NewInspectionAsync(app, organizationId, "导出基准");
        await ImportAsync(app, original, source);
        var today = new DateOnly(2026, 3, 1);
        var expected = await PlanAsync(app, original);

        for (var run = 1; run <= 3; run++)
        {
            var exported = Path.Combine(folder, $"export-{run}.xlsx");
            var before = GC.GetTotalAllocatedBytes(true);
            var watch = Stopwatch.StartNew();
            await AsOfficeAsync(app, async s =>
            {
                var db = s.GetRequiredService<RectifyDbContext>();
                var scope = s.GetRequiredService<Caller>().Scope;
                var summary = await LedgerQueries.HeadAsync(db, scope, original, CancellationToken.None) ?? throw new InvalidOperationException("the inspection is not there");
                await using var file = File.Create(exported);
                await LedgerExport.WriteAsync(file, db, scope, summary, new LedgerFilter(), today, CancellationToken.None);
                return 0;
            });
            watch.Stop();
            var exportMs = watch.Elapsed.TotalMilliseconds;
            var exportBytes = GC.GetTotalAllocatedBytes(true) - before;

            var copy = await NewInspectionAsync(app, organizationId, $"导入基准 {run}");
            before = GC.GetTotalAllocatedBytes(true);
            watch.Restart();
            await ImportAsync(app, copy, exported);
            watch.Stop();
            var importMs = watch.Elapsed.TotalMilliseconds;
            var importBytes = GC.GetTotalAllocatedBytes(true) - before;

            var again = await PlanAsync(app, copy);
            var difference = expected.Zip(again).FirstOrDefault(p => p.First != p.Second);
            var identical = expected.Count == again.Count && difference == default;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round trip, {expected.Count:N0} measures: export {exportMs:F0} ms, allocated {exportBytes / 1048576.0:F1} MiB, file {new FileInfo(exported).Length / 1024.0:F0} KiB; import into a new inspection (preview + commit) {importMs:F0} ms, allocated {importBytes / 1048576.0:F1} MiB; ledgers identical: {(identical ? "yes" : "NO")} (run {run})"));
            if (!identical)
            {
                throw new InvalidOperationException($"the ledgers differ: {again.Count} measures against {expected.Count}; {difference.First} ≠ {difference.Second}");
            }
        }
    }

    /// <summary>Every field the plan holds of each measure, in ledger order (units by name).</summary>
    private static async Task<List<string>> PlanAsync(WebApplication app, int inspection)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var measures = await LedgerQueries.InLedgerOrder(db.Measures.AsNoTracking().Where(m => m.InspectionId == inspection))
            .Select(LedgerQueries.AsLedgerMeasure)
            .ToListAsync();
        return [.. measures.Select(m => string.Join(
            " | ", m.CategoryNumber, m.CategoryTitle, m.FindingNumber, m.FindingTitle, m.Number, m.Text, m.Kind, m.Deadline, m.Leader, m.LeadUnit, string.Join("/", m.Supporting)))];
    }

    internal static async Task<int> NewInspectionAsync(WebApplication app, int organizationId, string title)
    {
        var inspection = await AsOfficeAsync(app, s => s.GetRequiredService<PlanService>().CreateInspectionAsync(
            new InspectionInput(title, InspectionKind.Xuncha, null, "区委第一巡察组", organizationId, null, null, null, null), CancellationToken.None));
        return inspection.Id!.Value;
    }

    internal static Task<IntakeCommitResult> ImportAsync(WebApplication app, int inspection, string path) =>
        AsOfficeAsync(app, async s =>
        {
            var imports = s.GetRequiredService<IntakeCommitService>();
            await using var stream = File.OpenRead(path);
            var preview = await imports.PreviewAsync(inspection, stream, Path.GetFileName(path), null, CancellationToken.None)
                ?? throw new InvalidOperationException("the inspection is not there");
            if (!preview.CanConfirm)
            {
                throw new InvalidOperationException("the preview found errors: " + string.Join("; ", preview.Problems.Take(5).Select(p => p.Message)));
            }

            return (await imports.CommitAsync(inspection, preview.Draft, null, Path.GetFileName(path), CancellationToken.None))!;
        });

    /// <summary>In a scope of its own, as the office account would be in a request (what the command line's ActAs does).</summary>
    internal static async Task<T> AsOfficeAsync<T>(WebApplication app, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<UserManager<RectifyUser>>().FindByNameAsync(OfficeHost.UserName) ?? throw new InvalidOperationException("no bench user");
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<RectifyUser>>().CreateAsync(user);
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = principal, RequestServices = services };
        return await act(services);
    }
}
