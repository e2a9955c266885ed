using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Intake;
using Rectify.Features.Plans;

namespace Rectify.Bench;

/// <summary>
/// The whole Excel import at the size issue #10 names, through the application's own services as the import page
/// calls them: a 10,000-measure ledger read and compared with the plan (the preview), then committed into a new
/// inspection (every measure added, new units and people named in it); then a corrected file (100 deadlines moved)
/// previewed and committed into the same plan. Time, bytes allocated, the managed heap's sampled peak and the working set, from preview to commit, three runs each.
/// Issue #10's target: 3 s and 200 MB.
/// </summary>
internal static class ImportBench
{
    public static async Task RunAsync(string folder, string? postgresConnection)
    {
        var (host, organizationId) = await OfficeHost.StartAsync(folder, postgresConnection);
        await using var app = host;

        var rows = IntakeBench.Rows(1000, 10);
        var path = Path.Combine(folder, "import.xlsx");
        using (var file = File.Create(path))
        {
            LedgerTemplate.Write(file, "某某区委巡察反馈问题整改台账", rows);
        }

        var corrected = rows.Select((r, i) => i % 100 == 0 && r.Deadline is { } d ? r with { Deadline = d.AddDays(30) } : r).ToList();
        var correctedPath = Path.Combine(folder, "corrected.xlsx");
        using (var file = File.Create(correctedPath))
        {
            LedgerTemplate.Write(file, "某某区委巡察反馈问题整改台账", corrected);
        }

        using var sampler = AllocationSampler.StartIfAsked();
        sampler?.Take("start-up (discarded)", 0);
        for (var run = 1; run <= 3; run++)
        {
            var inspection = await AsOfficeAsync(app, s => s.GetRequiredService<PlanService>().CreateInspectionAsync(
                new InspectionInput($"导入基准 {run}", InspectionKind.Xuncha, null, "区委第一巡察组", organizationId, null, null, null, null), CancellationToken.None));
            var id = inspection.Id!.Value;
            var (added, addMs, addBytes) = await ImportAsync(app, id, path, sampler);
            var (updated, updateMs, updateBytes) = await ImportAsync(app, id, correctedPath, sampler);
            await using var scope = app.Services.CreateAsyncScope();
            var measures = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.CountAsync(m => m.InspectionId == id);
            if (added.Measures.Added != rows.Count || updated.Measures.Updated != rows.Zip(corrected).Count(p => p.First != p.Second) || measures != rows.Count)
            {
                throw new InvalidOperationException($"the import did not do what it should: {added.Measures} then {updated.Measures}, {measures} measures in the plan");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import {rows.Count:N0} rows into a new plan: preview + commit {addMs:F0} ms, allocated {addBytes / 1048576.0:F1} MiB; corrected file ({updated.Measures.Updated} updated): {updateMs:F0} ms, allocated {updateBytes / 1048576.0:F1} MiB (run {run})"));
        }
    }

    private static async Task<(IntakeCommitResult Result, double Milliseconds, long Bytes)> ImportAsync(WebApplication app, int inspection, string path, AllocationSampler? allocations)
    {
        double previewMs = 0;
        long previewBytes = 0;

        // The managed heap's peak during the import, sampled without allocating (a GC between samples can hide a higher one).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(true);
        var workingSetBefore = Environment.WorkingSet;
        var peakHeap = heapBefore;
        var sampling = true;
        var sampler = new Thread(() =>
        {
            while (Volatile.Read(ref sampling))
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref peakHeap))
                {
                    Interlocked.Exchange(ref peakHeap, now);
                }

                Thread.Sleep(2);
            }
        }) { IsBackground = true };
        sampler.Start();
        var before = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        var result = await AsOfficeAsync(app, async s =>
        {
            var imports = s.GetRequiredService<IntakeCommitService>();
            await using var stream = File.OpenRead(path);
            var preview = await imports.PreviewAsync(inspection, stream, Path.GetFileName(path), null, CancellationToken.None)
                ?? throw new InvalidOperationException("the inspection is not there");
            previewMs = watch.Elapsed.TotalMilliseconds;
            previewBytes = GC.GetTotalAllocatedBytes(true) - before;
            allocations?.Take($"{Path.GetFileName(path)} preview");
            if (!preview.CanConfirm)
            {
                throw new InvalidOperationException("the preview found errors: " + string.Join("; ", preview.Problems.Take(5).Select(p => p.Message)));
            }

            return (await imports.CommitAsync(inspection, preview.Draft, null, Path.GetFileName(path), CancellationToken.None))!;
        });
        watch.Stop();
        var bytes = GC.GetTotalAllocatedBytes(true) - before;
        allocations?.Take($"{Path.GetFileName(path)} commit");
        Volatile.Write(ref sampling, false);
        sampler.Join();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(path)}: preview {previewMs:F0} ms, {previewBytes / 1048576.0:F1} MiB; commit {watch.Elapsed.TotalMilliseconds - previewMs:F0} ms, {(bytes - previewBytes) / 1048576.0:F1} MiB; managed heap {heapBefore / 1048576.0:F0} MiB before, peak {Interlocked.Read(ref peakHeap) / 1048576.0:F0} MiB (+{(Interlocked.Read(ref peakHeap) - heapBefore) / 1048576.0:F0}); working set {workingSetBefore / 1048576.0:F0} → {Environment.WorkingSet / 1048576.0:F0} MiB"));
        return (result, watch.Elapsed.TotalMilliseconds, bytes);
    }

    /// <summary>In a scope of its own, as the office account would be in a request (what the command line's ActAs does).</summary>
    private static async Task<T> AsOfficeAsync<T>(WebApplication app, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<UserManager<RectifyUser>>().FindByNameAsync(OfficeHost.UserName) ?? throw new InvalidOperationException("no bench user");
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<RectifyUser>>().CreateAsync(user);
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = principal, RequestServices = services };
        return await act(services);
    }
}
