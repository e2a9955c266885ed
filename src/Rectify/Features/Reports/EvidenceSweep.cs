using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Features.Reports;

/// <summary>What a sweep found: files removed (no row names them), staged uploads removed, and rows whose file is missing.</summary>
public sealed record SweepResult(int OrphanFiles, int StaleUploads, IReadOnlyList<string> MissingFiles);

/// <summary>
/// The start-up sweep of the evidence store. A crash between putting a file in place and committing its row (or a
/// backup that copied a file uploaded after its database snapshot) leaves a stored file that no row names, and a
/// crash during an upload leaves a staged file in evidence/tmp. Both are removed once they are older than the grace
/// period (<c>Evidence:OrphanGraceMinutes</c>, default 15): a request of another server on the same store may still be
/// about to commit a younger one. A row whose file is missing cannot be repaired here; it is named for the log.
/// </summary>
public static class EvidenceSweep
{
    public const string GraceKey = "Evidence:OrphanGraceMinutes";

    public const string MissingCheckDelayKey = "Evidence:MissingCheckDelaySeconds";

    /// <summary>How long after the start <c>serve</c> waits before looking for evidence rows whose file is missing (<c>Evidence:MissingCheckDelaySeconds</c>, default 10).</summary>
    public static TimeSpan MissingCheckDelay(IConfiguration configuration) => TimeSpan.FromSeconds(NonNegative(configuration, MissingCheckDelayKey, 10));

    public static TimeSpan Grace(IConfiguration configuration) => TimeSpan.FromMinutes(NonNegative(configuration, GraceKey, 15));

    private static int NonNegative(IConfiguration configuration, string key, int fallback)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetValue<int?>(key) ?? fallback;
        return value >= 0 ? value : throw new RectifyConfigurationException($"{key} 不能为负数。");
    }

    /// <param name="db">The context.</param>
    /// <param name="root">The evidence store's folder.</param>
    /// <param name="grace">How old a file must be before it is removed.</param>
    /// <param name="nowUtc">Now.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="checkMissing">Whether to name the rows whose file is missing (a read of every evidence row; the server does it after it starts, <see cref="MissingAsync(RectifyDbContext, string, CancellationToken)"/>).</param>
    public static async Task<SweepResult> RunAsync(RectifyDbContext db, string root, TimeSpan grace, DateTime nowUtc, CancellationToken cancellationToken, bool checkMissing = true)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            return new SweepResult(0, 0, checkMissing ? await MissingAsync(db, root, [], cancellationToken) : []);
        }

        var cutoff = nowUtc - grace;
        var stale = 0;
        var tmp = Path.Combine(root, "tmp");
        if (Directory.Exists(tmp))
        {
            foreach (var file in Directory.EnumerateFiles(tmp).Where(f => File.GetLastWriteTimeUtc(f) <= cutoff).ToList())
            {
                File.Delete(file);
                stale++;
            }
        }

        // Stored files are named by their SHA-256 two folders down (ab/cd/abcd…); anything else is not the store's.
        var stored = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith("tmp", StringComparison.Ordinal))
            .Select(f => (Path: f, Sha: Path.GetFileName(f)))
            .Where(f => f.Sha.Length == 64 && f.Sha.All(char.IsAsciiHexDigitLower) && f.Path == Path.Combine(root, f.Sha[..2], f.Sha[2..4], f.Sha))
            .ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in stored.Select(f => f.Sha).Chunk(500))
        {
            known.UnionWith(await db.EvidenceFiles.AsNoTracking().Where(e => chunk.Contains(e.Sha256)).Select(e => e.Sha256).ToListAsync(cancellationToken));
        }

        var orphans = 0;
        foreach (var (path, sha) in stored.Where(f => !known.Contains(f.Sha)))
        {
            // Read the row again right before deleting: a request of another server may have committed it since.
            if (File.GetLastWriteTimeUtc(path) <= cutoff && !await db.EvidenceFiles.AnyAsync(e => e.Sha256 == sha, cancellationToken))
            {
                File.Delete(path);
                orphans++;
            }
        }

        return new SweepResult(orphans, stale, checkMissing ? await MissingAsync(db, root, [.. stored.Select(f => f.Sha)], cancellationToken) : []);
    }

    /// <summary>The rows whose file is not in the store, in the order they were stored (a read of every evidence row and a look at its file).</summary>
    public static Task<IReadOnlyList<string>> MissingAsync(RectifyDbContext db, string root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(root);
        return MissingAsync(db, root, [], cancellationToken);
    }

    // The files the sweep has just listed are present: only the others are looked for on disk.
    private static async Task<IReadOnlyList<string>> MissingAsync(RectifyDbContext db, string root, HashSet<string> present, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        await foreach (var sha in db.EvidenceFiles.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Sha256).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!present.Contains(sha) && !File.Exists(Path.Combine(root, sha[..2], sha[2..4], sha)))
            {
                missing.Add(sha);
            }
        }

        return missing;
    }
}
