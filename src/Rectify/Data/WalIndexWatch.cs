using System.IO.MemoryMappedFiles;
using Microsoft.Data.Sqlite;

namespace Rectify.Data;

/// <summary>
/// SQLite in WAL mode: the WAL index's header, read from the database's <c>-shm</c> file mapped into this process
/// (<see href="https://www.sqlite.org/walformat.html">the WAL-index format</see>, §2.1), as <see cref="DatabaseChanges"/>'
/// mark on SQLite: a look at 96 bytes of shared memory instead of a statement (ADR 0039).
/// </summary>
/// <remarks>
/// <para>
/// Every commit, by any connection in any process, rewrites this header (its change counter, last frame, checksums)
/// before the commit returns; a checkpoint's reset of the log rewrites it too (new salts). Readers find what to read
/// through it, which is what SQLite's <c>PRAGMA data_version</c> itself compares. So a header unchanged since it was
/// last seen means nothing was committed between, and a header that changed takes a new mark. The header is read as it
/// is, without SQLite's locks: a read torn by a commit under way differs from both the old header and the new, and
/// only costs a new mark.
/// </para>
/// <para>
/// The format is SQLite's across versions (processes built with different versions share one index), and the file
/// stays the one in use while <see cref="DatabaseChanges"/>' watching connection is open: an open connection in WAL
/// mode keeps its shared lock on the database, so no other can take the exclusive lock under which SQLite deletes or
/// rebuilds the index. This watch lives only as long as that connection. <see cref="Check"/> compares it with
/// <c>PRAGMA data_version</c> every second; should the version ever move with the header unchanged, the watch is given
/// up for good and every mark is read with the statement again.
/// </para>
/// </remarks>
internal sealed class WalIndexWatch : IDisposable
{
    /// <summary>The header's two copies: 2 × 48 bytes, as 8-byte words.</summary>
    internal const int HeaderWords = 12;

    // Above every mark read with PRAGMA data_version (DatabaseChanges: the connection's opening number above 40 bits of
    // the version): a value remembered under one kind of mark never matches the other.
    private const long MarkSpace = 1L << 62;

    // The marks given out, process-wide: a new watch (after the connection was opened again) never repeats one.
    private static long lastMark;

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private Seen? seen;

    // For Check: a header read before a version read, at the last check.
    private long[]? checkedHeader;
    private long? checkedVersion;

    private WalIndexWatch(MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        this.file = file;
        this.view = view;
    }

    /// <summary>
    /// The watch of <paramref name="watching"/>'s database (open, never writing, and kept open as long as the watch):
    /// null unless the database is a file in WAL mode whose index can be mapped.
    /// </summary>
    public static WalIndexWatch? Open(SqliteConnection watching)
    {
        ArgumentNullException.ThrowIfNull(watching);
        using (var mode = watching.CreateCommand())
        {
            mode.CommandText = "PRAGMA journal_mode;";
            if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        // The file's full name as SQLite opened it (empty for a database in memory).
        var database = watching.DataSource;
        if (string.IsNullOrEmpty(database) || !File.Exists(database + "-shm"))
        {
            return null;
        }

        MemoryMappedFile? file = null;
        try
        {
            var stream = new FileStream(database + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < HeaderWords * sizeof(long))
            {
                stream.Dispose();
                return null;
            }

            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            return new WalIndexWatch(file, file.CreateViewAccessor(0, HeaderWords * sizeof(long), MemoryMappedFileAccess.Read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            return null;
        }
    }

    /// <summary>The mark now: the one the header was given when last seen as it is now, else a new one.</summary>
    /// <exception cref="ObjectDisposedException">The watch was closed meanwhile (read the version instead).</exception>
    public long Mark()
    {
        Span<long> now = stackalloc long[HeaderWords];
        Read(now);
        var last = Volatile.Read(ref seen);
        if (last is not null && now.SequenceEqual(last.Header))
        {
            return last.Mark;
        }

        // Two callers finding the same new header may each give it a mark: both name that state, which only costs a read.
        var fresh = new Seen(now.ToArray(), MarkSpace | Interlocked.Increment(ref lastMark));
        Volatile.Write(ref seen, fresh);
        return fresh.Mark;
    }

    /// <summary>
    /// Compares the header with the version read with <c>PRAGMA data_version</c>, by the caller that reads the versions
    /// (one at a time): <paramref name="readVersion"/> is called twice, before and after the header is read. False when
    /// the version moved since the last check while the header stayed as it was then: the header no longer shows the
    /// commits (give the watch up).
    /// </summary>
    public bool Check(Func<long?> readVersion)
    {
        ArgumentNullException.ThrowIfNull(readVersion);
        if (readVersion() is not { } before)
        {
            return true; // The version could not be read: the connection closes, and this watch with it.
        }

        var header = new long[HeaderWords];
        Read(header);
        if (!Agrees(checkedHeader, checkedVersion, header, before))
        {
            return false;
        }

        // A header read before a version read, for the next check.
        checkedHeader = header;
        checkedVersion = readVersion();
        return true;
    }

    /// <summary>
    /// Whether a header and version read now (the version first) agree with those of the last check (the header read
    /// first): a version that moved since means a commit ended between the two checks' version reads, which the header
    /// read after it shows, so the header must have changed too.
    /// </summary>
    internal static bool Agrees(long[]? checkedHeader, long? checkedVersion, ReadOnlySpan<long> header, long version) =>
        checkedHeader is null || checkedVersion is not { } before || version == before || !header.SequenceEqual(checkedHeader);

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }

    private void Read(Span<long> into)
    {
        // After whatever this thread did before (the request's start): the header as it is now.
        Interlocked.MemoryBarrier();
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = view.ReadInt64(i * sizeof(long));
        }
    }

    private sealed record Seen(long[] Header, long Mark);
}
