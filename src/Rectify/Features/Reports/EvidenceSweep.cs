using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Features.Reports;

/// <summary>What a sweep found: files removed (no row names them), staged uploads removed, and rows whose file is missing.</summary>
/// <param name="OrphanFiles">Stored files no row named, removed.</param>
/// <param name="StaleUploads">Staged uploads a crash left, removed.</param>
/// <param name="Missing">Rows whose file is not in the store (none when the sweep was asked not to look).</param>
public sealed record SweepResult(int OrphanFiles, int StaleUploads, MissingEvidence Missing);

/// <summary>
/// Evidence rows whose file is not in the store: how many, and the first of them (by the order they were stored) to name
/// in a message. Only the first <see cref="EvidenceSweep.MissingNamed"/> are kept, whatever the count: a store restored
/// without its files at province scale has millions of rows to count (issue #12: a list of them all held half a gigabyte).
/// </summary>
public sealed record MissingEvidence(int Count, IReadOnlyList<string> First)
{
    public static readonly MissingEvidence None = new(0, []);

    /// <summary>The named rows' digests for a message: "a、b…" (the ellipsis when there are more than are named).</summary>
    public string Named => string.Join("、", First) + (Count > First.Count ? "…" : string.Empty);
}

/// <summary>
/// The start-up sweep of the evidence store. A crash between putting a file in place and committing its row (or a
/// backup that copied a file uploaded after its database snapshot) leaves a stored file that no row names, and a
/// crash during an upload leaves a staged file in evidence/tmp. Both are removed once they are older than the grace
/// period (<c>Evidence:OrphanGraceMinutes</c>, default 15): a request of another server on the same store may still be
/// about to commit a younger one. A row whose file is missing cannot be repaired here; it is named for the log.
/// Memory stays bounded whatever the store's size: one folder's listing and one batch of rows at a time.
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

    /// <summary>How many of the rows whose file is missing are named (<see cref="MissingEvidence.First"/>).</summary>
    public const int MissingNamed = 5;

    /// <summary>Stored files looked up in the database at once.</summary>
    private const int LookupBatch = 500;

    /// <summary>Evidence rows read at once by the missing-file check (keyset by id: no read held open across the whole table).</summary>
    private const int RowBatch = 5_000;

    /// <param name="db">The context.</param>
    /// <param name="root">The evidence store's folder.</param>
    /// <param name="grace">How old a file must be before it is removed.</param>
    /// <param name="nowUtc">Now.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="checkMissing">Whether to count the rows whose file is missing (a read of every evidence row; the server does it after it starts, <see cref="MissingAsync(RectifyDbContext, string, CancellationToken)"/>).</param>
    public static async Task<SweepResult> RunAsync(RectifyDbContext db, string root, TimeSpan grace, DateTime nowUtc, CancellationToken cancellationToken, bool checkMissing = true)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            return new SweepResult(0, 0, checkMissing ? await MissingAsync(db, root, cancellationToken) : MissingEvidence.None);
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

        var orphans = 0;
        foreach (var batch in StoredFiles(root).Chunk(LookupBatch))
        {
            var shas = batch.Select(f => f.Sha).ToList();
            var known = (await db.EvidenceFiles.AsNoTracking().Where(e => shas.Contains(e.Sha256)).Select(e => e.Sha256).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var (path, sha) in batch.Where(f => !known.Contains(f.Sha)))
            {
                // Read the row again right before deleting: a request of another server may have committed it since.
                if (File.GetLastWriteTimeUtc(path) <= cutoff && !await db.EvidenceFiles.AnyAsync(e => e.Sha256 == sha, cancellationToken))
                {
                    File.Delete(path);
                    orphans++;
                }
            }
        }

        return new SweepResult(orphans, stale, checkMissing ? await MissingAsync(db, root, cancellationToken) : MissingEvidence.None);
    }

    /// <summary>
    /// The store's files, named by their SHA-256 two folders down (ab/cd/abcd…); anything else is not the store's. One
    /// folder is listed at a time, and wholly before any of its files is handed on, so that a file removed by the caller
    /// never disturbs a listing still being read.
    /// </summary>
    private static IEnumerable<(string Path, string Sha)> StoredFiles(string root)
    {
        foreach (var first in Directory.EnumerateDirectories(root).Where(d => IsHexFolder(Path.GetFileName(d))).Order(StringComparer.Ordinal))
        {
            foreach (var second in Directory.EnumerateDirectories(first).Where(d => IsHexFolder(Path.GetFileName(d))).Order(StringComparer.Ordinal))
            {
                var prefix = Path.GetFileName(first) + Path.GetFileName(second);
                var files = Directory.GetFiles(second);
                foreach (var path in files)
                {
                    var sha = Path.GetFileName(path);
                    if (sha.Length == 64 && sha.StartsWith(prefix, StringComparison.Ordinal) && sha.All(char.IsAsciiHexDigitLower))
                    {
                        yield return (path, sha);
                    }
                }
            }
        }
    }

    private static bool IsHexFolder(string name) => name.Length == 2 && name.All(char.IsAsciiHexDigitLower);

    /// <summary>The rows whose file is not in the store, counted, the first of them by the order they were stored named (a read of every evidence row, in batches, and a look at its file).</summary>
    public static async Task<MissingEvidence> MissingAsync(RectifyDbContext db, string root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(root);
        var count = 0;
        var first = new List<string>();
        var after = 0;
        while (true)
        {
            var last = after;
            var rows = await db.EvidenceFiles.AsNoTracking().Where(e => e.Id > last).OrderBy(e => e.Id).Take(RowBatch).Select(e => new { e.Id, e.Sha256 }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                var sha = row.Sha256;
                if (!File.Exists(Path.Combine(root, sha[..2], sha[2..4], sha)))
                {
                    count++;
                    if (first.Count < MissingNamed)
                    {
                        first.Add(sha);
                    }
                }
            }

            if (rows.Count < RowBatch)
            {
                return new MissingEvidence(count, first);
            }

            after = rows[^1].Id;
        }
    }
}
