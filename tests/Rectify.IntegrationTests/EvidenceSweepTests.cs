using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Reports;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The evidence store's sweep (start-up and restore): files no row names are removed once old enough, rows whose file is
/// missing are counted and the first of them named, and neither holds the whole store or table in memory (issue #12:
/// a list of every missing row held half a gigabyte at province scale) — so the lookups cross batch boundaries here.
/// </summary>
public abstract class EvidenceSweepTests(AppFixture app) : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc);

    private readonly string root = Path.Combine(Path.GetTempPath(), "rectify-sweep-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private static string NewSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private string PathOf(string sha) => Path.Combine(root, sha[..2], sha[2..4], sha);

    private string Store(string sha, DateTime writtenUtc)
    {
        var path = PathOf(sha);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sha);
        File.SetLastWriteTimeUtc(path, writtenUtc);
        return path;
    }

    private static async Task AddRowsAsync(RectifyDbContext db, IEnumerable<string> shas)
    {
        var rows = shas.Select(s => new EvidenceFile(s, null, 64, EvidenceType.Pdf, Now)).ToList();
        db.EvidenceFiles.AddRange(rows);
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task Files_no_row_names_are_removed_across_batches_and_everything_else_stays()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var old = Now.AddHours(-1);

        // 1,150 old files no row names (more than two lookup batches), 120 with rows, 7 young orphans within the grace.
        var orphans = Enumerable.Range(0, 1_150).Select(_ => Store(NewSha(), old)).ToList();
        var kept = Enumerable.Range(0, 120).Select(_ => NewSha()).ToList();
        foreach (var sha in kept)
        {
            Store(sha, old);
        }

        await AddRowsAsync(db, kept);
        var young = Enumerable.Range(0, 7).Select(_ => Store(NewSha(), Now.AddMinutes(-2))).ToList();

        // Not the store's: a name that is not a digest, a digest in the wrong folder, an upper-case one; a stale and a fresh staged upload.
        Directory.CreateDirectory(Path.Combine(root, "ab", "cd"));
        var strangers = new List<string>
        {
            Path.Combine(root, "ab", "cd", "readme.txt"),
            Path.Combine(root, "ab", "cd", NewSha()),
            Path.Combine(root, "ab", "cd", "ABCD" + NewSha()[4..].ToUpperInvariant()),
            Path.Combine(root, "notes.txt"),
        };
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        var stale = Path.Combine(root, "tmp", "upload-1");
        var fresh = Path.Combine(root, "tmp", "upload-2");
        foreach (var path in strangers.Append(stale).Append(fresh))
        {
            await File.WriteAllTextAsync(path, "x", Ct);
            File.SetLastWriteTimeUtc(path, old);
        }

        File.SetLastWriteTimeUtc(fresh, Now);

        var result = await EvidenceSweep.RunAsync(db, root, TimeSpan.FromMinutes(15), Now, Ct, checkMissing: false);

        Assert.Equal(1_150, result.OrphanFiles);
        Assert.Equal(1, result.StaleUploads);
        Assert.Same(MissingEvidence.None, result.Missing);
        Assert.All(orphans, p => Assert.False(File.Exists(p), p));
        Assert.All(kept, s => Assert.True(File.Exists(PathOf(s)), s));
        Assert.All(young, p => Assert.True(File.Exists(p), p));
        Assert.All(strangers.Append(fresh), p => Assert.True(File.Exists(p), p));
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task Rows_whose_file_is_missing_are_counted_across_batches_and_the_first_named()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();

        // More rows than one read's batch; every third one has its file in this store.
        var shas = Enumerable.Range(0, 5_300).Select(_ => NewSha()).ToList();
        await AddRowsAsync(db, shas);
        for (var i = 0; i < shas.Count; i += 3)
        {
            Store(shas[i], Now);
        }

        var present = new HashSet<string>(shas.Where((_, i) => i % 3 == 0), StringComparer.Ordinal);
        var everyRow = await db.EvidenceFiles.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Sha256).ToListAsync(Ct);
        var expected = everyRow.Where(s => !present.Contains(s)).ToList();
        Assert.True(expected.Count > EvidenceSweep.MissingNamed);

        var missing = await EvidenceSweep.MissingAsync(db, root, Ct);

        Assert.Equal(expected.Count, missing.Count);
        Assert.Equal(expected.Take(EvidenceSweep.MissingNamed), missing.First);
        Assert.Equal(string.Join("、", expected.Take(EvidenceSweep.MissingNamed)) + "…", missing.Named);

        // The restore's check counts the same way; an empty store counts every row.
        var restored = await EvidenceSweep.RunAsync(db, root, TimeSpan.Zero, DateTime.MaxValue, Ct);
        Assert.Equal(expected.Count, restored.Missing.Count);
        var none = await EvidenceSweep.RunAsync(db, Path.Combine(root, "absent"), TimeSpan.Zero, DateTime.MaxValue, Ct);
        Assert.Equal(everyRow.Count, none.Missing.Count);
        Assert.Equal(everyRow.Take(EvidenceSweep.MissingNamed), none.Missing.First);
    }
}

public sealed class EvidenceSweepTestsOnSqlite(SqliteApp app) : EvidenceSweepTests(app), IClassFixture<SqliteApp>;

public sealed class EvidenceSweepTestsOnPostgres(PostgresApp app) : EvidenceSweepTests(app), IClassFixture<PostgresApp>;
