using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Rectify.Data;

/// <summary>
/// Whether anything has been committed to the database since a value was read from it, known without a statement of the
/// request's own (issue #12, ADR 0031 §6). On SQLite the mark is the file's data version (<c>PRAGMA data_version</c>),
/// read on a connection of this class's own that never writes: it moves whenever any other connection commits, in this
/// process or another (the <c>rectify</c> command line, a restore tool). A value read from the database under one mark
/// still holds for a request that finds the same mark, for nothing has been committed between: so a token's row and the
/// content version are read once per change of the database, not once per request, and revoking a token, disabling an
/// account or writing content (by any process) still acts on the very next request. PostgreSQL has no such counter; there
/// <see cref="Mark"/> is null and every value is read each time.
/// </summary>
public sealed class DatabaseChanges(DatabaseInfo info) : IDisposable
{
    private const int MaxValues = 10_000;

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<object, Remembered> values = new();
    private SqliteConnection? connection;
    private SqliteCommand? command;
    private bool disposed;

    // Calls to Mark so far, and how many of them had arrived when the last read of the data version began: that read
    // began after each of them arrived, so its value is as new as one each would read itself.
    private long arrivals;
    private long lastReadServes;
    private long? lastRead;

    /// <summary>The database's mark now: SQLite's data version; null on PostgreSQL or when it cannot be read (then read the database).</summary>
    public long? Mark()
    {
        if (info.Kind != DatabaseProviderKind.Sqlite)
        {
            return null;
        }

        // Callers arriving while the version is being read wait for the next read and share it: one read for each
        // such batch instead of one per caller, each taken in turn under the lock (a measured 16 % of a kept API
        // request's CPU went to callers spinning for that lock).
        var arrival = Interlocked.Increment(ref arrivals);
        lock (gate)
        {
            if (disposed)
            {
                return null;
            }

            if (lastReadServes >= arrival)
            {
                return lastRead;
            }

            var serves = Volatile.Read(ref arrivals);
            lastRead = ReadVersion();
            lastReadServes = serves;
            return lastRead;
        }
    }

    private long? ReadVersion()
    {
        try
        {
            if (command is null)
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

                command = connection.CreateCommand();
                command.CommandText = "PRAGMA data_version;";
                command.Prepare();
            }

            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            // Whatever went wrong (the file moved, a lock held past the timeout), the request reads the database
            // itself, as it would without this class; the next call opens anew.
            Close();
            return null;
        }
    }

    /// <summary>
    /// The value <paramref name="key"/> names as read under the current mark: read by <paramref name="read"/> the first
    /// time after each change of the database, else remembered. Read each time inside a transaction of
    /// <paramref name="db"/>'s (its own uncommitted writes are not a change to the mark), on PostgreSQL, and for a null value.
    /// </summary>
    public async Task<T> ReadAsync<T>(DbContext db, object key, Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        if (db.Database.CurrentTransaction is not null || Mark() is not { } mark)
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

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            Close();
        }
    }

    private void Close()
    {
        command?.Dispose();
        connection?.Dispose();
        command = null;
        connection = null;
    }

    private sealed record Remembered(long Mark, object Value);
}
