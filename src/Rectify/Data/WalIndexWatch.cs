using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Rectify.Data;

/// <summary>
/// SQLite in WAL mode: the WAL index's header (<see href="https://www.sqlite.org/walformat.html">the WAL-index
/// format</see>, §2.1), read where SQLite itself reads it, in its own mapping of the index's first region, through the
/// watching connection of <see cref="DatabaseChanges"/>: the mark on SQLite is a look at 96 bytes of shared memory
/// instead of a statement (ADR 0039).
/// </summary>
/// <remarks>
/// <para>
/// Every commit, by any connection in any process, rewrites this header (its change counter, last frame and checksums)
/// before the commit returns; so does a checkpoint's reset of the log (new salts). Readers find what to read through
/// it. So a header unchanged since it was last seen means nothing was committed between, and one that changed takes a
/// new mark. It is read as it is, without SQLite's locks: a read torn by a commit under way may match neither header or
/// either; either way the mark it gives was given after every commit that had returned before the read began.
/// </para>
/// <para>
/// The mapping is SQLite's (the VFS's <c>xShmMap</c> on the connection's database file), never a file descriptor of
/// the process's own: closing a second descriptor on the <c>-shm</c> file would drop every POSIX lock the process's
/// connections hold on it. It stays valid while the watching connection is open (SQLite unmaps it when the process's
/// last connection to the file closes); <see cref="Close"/> waits for the reads under way before the connection may
/// close. An open connection in WAL mode keeps its shared lock on the database and its lock on the index's
/// "dead man's switch", so the index is neither deleted nor rebuilt under it.
/// </para>
/// </remarks>
internal sealed class WalIndexWatch
{
    /// <summary>The header's two copies: 2 × 48 bytes, as 8-byte words.</summary>
    internal const int HeaderWords = 12;

    // SQLite's op asking a connection for its database file (sqlite3_file*), and the size of a WAL-index region.
    private const int FileControlFilePointer = 7;
    private const int RegionBytes = 32_768;

    // sqlite3_io_methods: iVersion (padded to a pointer), then xClose … xDeviceCharacteristics, then (version 2) xShmMap.
    private const int ShmMapSlot = 13;

    private readonly IntPtr header;
    private readonly Func<long> nextMark;
    private Seen? seen;

    // Reads under way, and whether the watch was closed (1): the connection closes only once none is under way.
    private int readers;
    private int closed;

    // For Check: a header read before a version read, at the last check.
    private long[]? checkedHeader;
    private long? checkedVersion;

    private WalIndexWatch(IntPtr header, Func<long> nextMark)
    {
        this.header = header;
        this.nextMark = nextMark;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ShmMap(IntPtr file, int region, int regionBytes, int extend, out IntPtr mapped);

    /// <summary>
    /// The watch of <paramref name="watching"/>'s database: open, read at least once (which maps the index), never
    /// writing, used by one caller at a time, and open for as long as the watch. Null unless the database is in WAL mode
    /// with its index in shared memory. <paramref name="nextMark"/> gives each new state its mark.
    /// </summary>
    public static WalIndexWatch? Open(SqliteConnection watching, Func<long> nextMark)
    {
        ArgumentNullException.ThrowIfNull(watching);
        ArgumentNullException.ThrowIfNull(nextMark);
        using (var mode = watching.CreateCommand())
        {
            mode.CommandText = "PRAGMA journal_mode;";
            if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        var slot = Marshal.AllocHGlobal(IntPtr.Size);
        try
        {
            Marshal.WriteIntPtr(slot, IntPtr.Zero);
            if (NativeMethods.sqlite3_file_control(watching.Handle!.DangerousGetHandle(), "main"u8.ToArray(), FileControlFilePointer, slot) != 0
                || Marshal.ReadIntPtr(slot) is var file && file == IntPtr.Zero
                || Marshal.ReadIntPtr(file) is var methods && methods == IntPtr.Zero
                || Marshal.ReadInt32(methods) < 2
                || Marshal.ReadIntPtr(methods, ShmMapSlot * IntPtr.Size) is var shmMap && shmMap == IntPtr.Zero)
            {
                return null;
            }

            // The first region, as mapped already (no extending): null if the index is not in shared memory.
            var map = Marshal.GetDelegateForFunctionPointer<ShmMap>(shmMap);
            return map(file, 0, RegionBytes, 0, out var mapped) == 0 && mapped != IntPtr.Zero ? new WalIndexWatch(mapped, nextMark) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or MarshalDirectiveException)
        {
            return null;
        }
        finally
        {
            Marshal.FreeHGlobal(slot);
        }
    }

    /// <summary>The mark now: the one the header was given when last seen as it is now, else a new one; null once closed.</summary>
    public long? Mark()
    {
        Span<long> now = stackalloc long[HeaderWords];
        if (!TryRead(now))
        {
            return null;
        }

        var last = Volatile.Read(ref seen);
        if (last is not null && now.SequenceEqual(last.Header))
        {
            return last.Mark;
        }

        // Two callers finding the same new header may each give it a mark: both name that state, which only costs a read.
        var fresh = new Seen(now.ToArray(), nextMark());
        Volatile.Write(ref seen, fresh);
        return fresh.Mark;
    }

    /// <summary>
    /// Compares the header with the version read with <c>PRAGMA data_version</c>, by the caller that reads the versions
    /// (one at a time, on the watching connection): <paramref name="readVersion"/> is called before and after the header
    /// is read. False when the version moved since the last check while the header stayed as it was then: the header no
    /// longer shows the commits (give the watch up). A tripwire, not the argument the mark rests on.
    /// </summary>
    public bool Check(Func<long?> readVersion)
    {
        ArgumentNullException.ThrowIfNull(readVersion);
        if (readVersion() is not { } before)
        {
            return true; // The version could not be read: the connection closes, and this watch with it.
        }

        var now = new long[HeaderWords];
        if (!TryRead(now))
        {
            return true;
        }

        if (!Agrees(checkedHeader, checkedVersion, now, before))
        {
            return false;
        }

        // A header read before a version read, for the next check.
        checkedHeader = now;
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

    /// <summary>Ends the watch: no read begins after this, and it returns once the reads under way have ended.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref closed, 1);
        var wait = default(SpinWait);
        while (Volatile.Read(ref readers) != 0)
        {
            wait.SpinOnce();
        }
    }

    private bool TryRead(Span<long> into)
    {
        // Counted in before looking at `closed`, both with full fences: Close, which sets `closed` before counting the
        // readers, either sees this read and waits for it, or this read sees `closed` and does not begin.
        Interlocked.Increment(ref readers);
        try
        {
            if (Volatile.Read(ref closed) != 0)
            {
                return false;
            }

            for (var i = 0; i < into.Length; i++)
            {
                into[i] = Marshal.ReadInt64(header, i * sizeof(long));
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref readers);
        }
    }

    private sealed record Seen(long[] Header, long Mark);

    private static class NativeMethods
    {
        // SQLite's own library, as Microsoft.Data.Sqlite's bundle loads it.
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_file_control(IntPtr db, byte[] databaseName, int op, IntPtr argument);
    }
}
