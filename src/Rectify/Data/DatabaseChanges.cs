using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Rectify.Data;

/// <summary>
/// Whether anything has been committed to the database since a value was read from it, known without a statement of the
/// request's own (issue #12, ADR 0031 §6). A value read from the database under one mark still holds for a request that
/// finds the same mark, for nothing has been committed between: so a token's row and the content version are read once
/// per change of the database, not once per request, and revoking a token, disabling an account or writing content (by
/// any process) still acts on the very next request. The mark is read on a connection of this class's own, outside the
/// pool, that never writes; one read serves every caller that arrived before it began.
/// <list type="bullet">
/// <item>SQLite: the file's data version (<c>PRAGMA data_version</c>). It moves whenever any other connection commits,
/// in this process or another (the <c>rectify</c> command line, a restore tool).</item>
/// <item>PostgreSQL: a number that moves whenever the server's current snapshot (<c>pg_current_snapshot()</c>: the
/// oldest transaction still running, the one after the newest finished, and those running between) differs from the one
/// read before. Every transaction that writes holds a transaction id, and its end (commit or rollback) changes the
/// snapshot: ending one of those listed as running takes it off the list, ending a newer one moves the upper bound. A
/// snapshot read again unchanged therefore means no transaction ended between, in any process or server; and since a
/// value is read after the snapshot that marks it, the value holds at least every commit that snapshot counts. The
/// content version's <c>nextval</c> after a commit takes a transaction id of its own for the same reason
/// (<see cref="ContentVersion"/>).</item>
/// </list>
/// </summary>
public sealed class DatabaseChanges(DatabaseInfo info, ILogger<DatabaseChanges>? logger = null) : IDisposable
{
    private const int MaxValues = 10_000;

    /// <summary>PostgreSQL: the <c>application_name</c> of the connection the mark is read on.</summary>
    public const string MarkApplicationName = "rectify-mark";

    // Guards the two reads below; held only to look at or swap them, never while the database is read.
    private readonly Lock gate = new();

    // Guards the connection: one read at a time (by construction), and Dispose waits for it.
    private readonly Lock connectionGate = new();
    private readonly ConcurrentDictionary<object, Remembered> values = new();
    private SqliteConnection? connection;
    private SQLitePCL.sqlite3_stmt? statement;

    // SQLite: how many times the watching connection has been opened, and the opening and data_version the last mark
    // read with the statement was given for. A data_version is a connection's own count, and a connection opened again
    // after an error may give numbers an earlier one gave: a mark is given per (opening, version), never the version
    // itself, so a value remembered under an earlier connection's mark never matches a later one's (a token's row read
    // before a revocation, say).
    private long sqliteOpenings;
    private long markedOpening = -1;
    private long markedVersion;
    private long versionMark;

    // SQLite: the last mark given, by the statement or the WAL index's header alike; each new state seen takes the next,
    // so no two states share one.
    private long lastSqliteMark;

    // SQLite in WAL mode: the WAL index's header, watched while the watching connection is open (ADR 0039): the mark is
    // read from it without a statement; given up for good if a check ever finds it behind the version. When to check it
    // next (Environment.TickCount64).
    private WalIndexWatch? walIndex;
    private bool walIndexGivenUp;
    private long nextWalIndexCheck;
    private const int WalIndexCheckMs = 1_000;

    // PostgreSQL: the watching connection, its prepared statement, the snapshot last read and the mark it was given.
    private NpgsqlConnection? postgres;
    private NpgsqlCommand? snapshot;
    private string? lastSnapshot;
    private long snapshotMark;
    private long reopenAfter;
    private const int ReopenPauseMs = 5_000;
    private bool disposed;

    // The read of the mark that callers may still join (not begun, or begun after each of them arrived), and
    // whether it has begun; and the read queued after it, for those arriving once it has begun.
    private TaskCompletionSource<long?>? current;
    private bool currentBegun;
    private TaskCompletionSource<long?>? next;

    /// <summary>
    /// The database's mark now, read after this call began: on SQLite the WAL index's header (or, where it cannot be
    /// watched, the data version), on PostgreSQL the number of the server's snapshot; null when it cannot be read (then
    /// read the database).
    /// </summary>
    /// <remarks>
    /// SQLite with a watched WAL index: each caller looks at the header on its own thread, without a lock or a wait.
    /// Otherwise one read serves every caller that arrived before it began. A caller finding none under way reads at
    /// once on its own thread; one arriving while a read is under way waits, without holding a thread, for the next
    /// read, which begins as soon as that one ends. No thread waits for another's read of the file under a lock: 16
    /// callers taking one lock in turn spent a quarter of a kept API request's time spinning or blocked on it (issue #12).
    /// </remarks>
    public ValueTask<long?> MarkAsync()
    {
        if (Volatile.Read(ref walIndex) is { } watch && WatchedMark(watch) is { } watched)
        {
            return new(watched);
        }

        TaskCompletionSource<long?> mine;
        lock (gate)
        {
            if (disposed)
            {
                return new((long?)null);
            }

            if (current is not null)
            {
                if (!currentBegun)
                {
                    return new(current.Task);
                }

                next ??= new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
                return new(next.Task);
            }

            current = mine = new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
            currentBegun = true;
        }

        var value = ReadAndHandOn(mine);
        return new(value);
    }

    // The mark from the WAL index's header, checked against the data version once a second (by one caller, on its own
    // thread); null if the watch was closed or given up meanwhile (then read the version).
    private long? WatchedMark(WalIndexWatch watch)
    {
        try
        {
            var now = Environment.TickCount64;
            var due = Volatile.Read(ref nextWalIndexCheck);
            if (now >= due && Interlocked.CompareExchange(ref nextWalIndexCheck, now + WalIndexCheckMs, due) == due)
            {
                lock (connectionGate)
                {
                    if (walIndex == watch && !watch.Check(ReadVersionUnlocked))
                    {
                        // The version moved and the header did not: whatever the reason, the header is not trusted again.
                        GiveUpWalIndex(watch, "data_version moved, header did not");
                    }
                }
            }

            return watch.Mark();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong with the check: the header is not trusted again.
            lock (connectionGate)
            {
                GiveUpWalIndex(watch, e.GetType().Name);
            }

            return null;
        }
    }

    // Under connectionGate.
    private void GiveUpWalIndex(WalIndexWatch watch, string why)
    {
        if (walIndex != watch)
        {
            return;
        }

        walIndexGivenUp = true;
        CloseWalIndex();
        logger?.LogWarning("SQLite 的 WAL 索引头不再使用（{Why}）：此后每次都以语句（PRAGMA data_version）读取数据库的变化标记。", why);
    }

    private long NextSqliteMark() => Interlocked.Increment(ref lastSqliteMark);

    // Reads for the callers of `read` (the current one, begun), completes it, and starts the next if any caller waits for one.
    private long? ReadAndHandOn(TaskCompletionSource<long?> read)
    {
        long? value = null;
        try
        {
            value = ReadVersion();
        }
        finally
        {
            TaskCompletionSource<long?>? after;
            lock (gate)
            {
                after = next;
                next = null;
                current = after;
                currentBegun = false;
            }

            read.SetResult(value);
            if (after is not null)
            {
                // On the pool, not here: this caller goes on with its own request.
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.Begin(state.After), (Self: this, After: after), preferLocal: false);
            }
        }

        return value;
    }

    private void Begin(TaskCompletionSource<long?> read)
    {
        lock (gate)
        {
            currentBegun = true;
        }

        ReadAndHandOn(read);
    }

    private long? ReadVersion()
    {
        lock (connectionGate)
        {
            if (disposed)
            {
                return null;
            }

            return info.Kind == DatabaseProviderKind.Sqlite ? ReadVersionUnlocked() : ReadSnapshotUnlocked();
        }
    }

    private long? ReadVersionUnlocked()
    {
        var openedNow = false;
        try
        {
            if (statement is null)
            {
                // Its own connection, outside the pool: data_version counts the commits of every connection but the
                // one asking, so the asking one must never write.
                connection = new SqliteConnection(new SqliteConnectionStringBuilder(info.ConnectionString) { Pooling = false }.ToString());
                connection.Open();
                using (var timeout = connection.CreateCommand())
                {
                    timeout.CommandText = DatabaseProvider.SqliteBusyTimeout;
                    timeout.ExecuteNonQuery();
                }

                // Stepped through SQLitePCL itself, not SqliteCommand.ExecuteScalar, which makes a data reader and its
                // bookkeeping for each read: that was most of the read's time (issue #12).
                if (SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, "PRAGMA data_version;", out var prepared) != SQLitePCL.raw.SQLITE_OK)
                {
                    prepared.Dispose();
                    throw new SqliteException("PRAGMA data_version 无法准备。", SQLitePCL.raw.SQLITE_ERROR);
                }

                statement = prepared;
                sqliteOpenings++;
                openedNow = true;
            }

            var rc = SQLitePCL.raw.sqlite3_step(statement);
            var version = rc == SQLitePCL.raw.SQLITE_ROW ? SQLitePCL.raw.sqlite3_column_int64(statement, 0) : (long?)null;
            SQLitePCL.raw.sqlite3_reset(statement);
            if (version is null)
            {
                throw new SqliteException("PRAGMA data_version 未返回。", rc);
            }

            if (openedNow && !walIndexGivenUp)
            {
                // After the first read on the connection, which maps the index: watched from now while it stays open.
                var watch = OpenWalIndex(connection!);
                if (watch is not null)
                {
                    nextWalIndexCheck = Environment.TickCount64;
                    Volatile.Write(ref walIndex, watch);
                }
            }

            if (sqliteOpenings != markedOpening || version.Value != markedVersion)
            {
                markedOpening = sqliteOpenings;
                markedVersion = version.Value;
                versionMark = NextSqliteMark();
            }

            return versionMark;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            // Whatever went wrong (the file moved, a lock held past the timeout), the request reads the database
            // itself, as it would without this class; the next call opens anew.
            Close();
            return null;
        }
    }

    private long? ReadSnapshotUnlocked()
    {
        var opening = snapshot is null;
        if (opening && Environment.TickCount64 < reopenAfter)
        {
            return null;
        }

        try
        {
            if (opening)
            {
                // Not pooled (nor multiplexed): the connection is this class's for the life of the server, and never
                // writes; named, so that an operator can tell it in pg_stat_activity. Short timeouts to connect and to
                // read, and no wait for a cancellation's answer, for callers wait on this read: a server that does not
                // answer is read around instead.
                var builder = new NpgsqlConnectionStringBuilder(info.ConnectionString)
                {
                    Pooling = false,
                    Multiplexing = false,
                    Timeout = 5,
                    CommandTimeout = 5,
                    CancellationTimeout = -1,
                    ApplicationName = MarkApplicationName,
                };
                postgres = new NpgsqlConnection(builder.ToString());
                postgres.Open();

                // Not on a standby: there pg_current_snapshot() lists no running transactions (they are kept as
                // subtransactions in recovery), so two commits could leave its text as it was. A server in recovery
                // gives no row, and the mark is not used (a connection string naming several hosts may reach one).
                snapshot = new NpgsqlCommand("SELECT pg_current_snapshot()::text WHERE NOT pg_is_in_recovery()", postgres);
                snapshot.Prepare();

                // A snapshot read on a new connection is compared with none: whatever happened while there was no
                // connection, the mark moves.
                lastSnapshot = null;
            }

            if (snapshot!.ExecuteScalar() is not string text)
            {
                // A standby (or one promoted back since): read around it, and look again after the pause.
                Close();
                reopenAfter = Environment.TickCount64 + ReopenPauseMs;
                return null;
            }

            if (!string.Equals(text, lastSnapshot, StringComparison.Ordinal))
            {
                lastSnapshot = text;
                snapshotMark++;
            }

            return snapshotMark;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong (the server restarted, the connection was ended, no connection left, a setting this
            // connection cannot take), the requests read the values themselves. A connection lost is opened again on
            // the next call; one that could not be opened is tried again after a pause, not by every request.
            Close();
            if (opening)
            {
                reopenAfter = Environment.TickCount64 + ReopenPauseMs;
            }

            return null;
        }
    }

    /// <summary>
    /// The value <paramref name="key"/> names as read under the current mark: read by <paramref name="read"/> the first
    /// time after each change of the database, else remembered. Read each time inside a transaction of
    /// <paramref name="db"/>'s (its own uncommitted writes are not a change to the mark), when the mark cannot be read,
    /// and for a null value.
    /// </summary>
    public async Task<T> ReadAsync<T>(DbContext db, object key, Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        if (db.Database.CurrentTransaction is not null || await MarkForAsync(db) is not { } mark)
        {
            return await read();
        }

        if (values.TryGetValue(key, out var remembered) && remembered.Mark == mark)
        {
            return (T)remembered.Value;
        }

        // Read after the mark: the value holds at least the state the mark names, and a commit after the mark moves it.
        var value = await read();
        if (value is not null)
        {
            if (values.Count >= MaxValues)
            {
                values.Clear();
            }

            values[key] = new Remembered(mark, value);
        }

        return value;
    }

    /// <summary>
    /// The mark for a read through <paramref name="db"/>: the one it read earlier in the same lease if it has written
    /// nothing since (<see cref="RectifyDbContext.MarkRead"/>), else one read now. A request's token and its content
    /// version are read under one mark: it was read after the request began, so whatever was committed before the request
    /// (a revocation, a save) is counted, and the request's own writes end it. A context kept longer than a request
    /// (none is, of those that read through this) would see others' commits only once it writes.
    /// </summary>
    private async ValueTask<long?> MarkForAsync(DbContext db)
    {
        if (db is not RectifyDbContext context)
        {
            return await MarkAsync();
        }

        if (context.MarkRead is { } read)
        {
            return read;
        }

        var mark = await MarkAsync();
        if (mark is { } value)
        {
            context.KeepMark(value);
        }

        return mark;
    }

    /// <summary>Closes the watching connection, as an error reading the mark does; the next read opens a new one.</summary>
    internal void Reconnect()
    {
        lock (connectionGate)
        {
            Close();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        lock (connectionGate)
        {
            Close();
        }
    }

    private void Close()
    {
        CloseWalIndex();
        statement?.Dispose();
        connection?.Dispose();
        statement = null;
        connection = null;
        snapshot?.Dispose();
        postgres?.Dispose();
        snapshot = null;
        postgres = null;
    }

    // Before the connection: the watch reads SQLite's mapping, which lives only while the connection is open. Waits for
    // the reads under way; a caller still holding the watch finds it closed and reads the version instead.
    private void CloseWalIndex()
    {
        var watch = Volatile.Read(ref walIndex);
        Volatile.Write(ref walIndex, null);
        watch?.Close();
    }

    // The watch of the connection just opened and read, or none (not WAL, or anything unexpected: the statement then).
    private WalIndexWatch? OpenWalIndex(SqliteConnection opened)
    {
        try
        {
            return WalIndexWatch.Open(opened, NextSqliteMark);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger?.LogWarning(e, "SQLite 的 WAL 索引头无法读取：以语句读取数据库的变化标记。");
            return null;
        }
    }

    /// <summary>Gives the WAL index's header up for good, as a failed check does: the marks come from the statement after.</summary>
    internal void GiveUpWalIndex(string why)
    {
        lock (connectionGate)
        {
            if (Volatile.Read(ref walIndex) is { } watch)
            {
                GiveUpWalIndex(watch, why);
            }

            // Before the first read too: the connection opened next is not watched.
            walIndexGivenUp = true;
        }
    }

    /// <summary>Whether the mark is read from the WAL index's header now (SQLite in WAL mode, after the first read).</summary>
    internal bool WatchesWalIndex => Volatile.Read(ref walIndex) is not null;

    private sealed record Remembered(long Mark, object Value);
}
