using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>ADR 0039: SQLite's mark read from the WAL index's header moves with every commit of any connection, and only then.</summary>
public sealed class WalIndexWatchTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("rectify-wal-").FullName;
    private long marks;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_mark_stands_while_nothing_is_committed_and_moves_with_each_commit_of_another_connection_and_after_a_checkpoint()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var watch = Watch(watching);

        var seen = new HashSet<long> { watch.Mark()!.Value };
        Assert.Equal(seen.Single(), watch.Mark());

        // A read by another connection is not a change.
        using var writer = Open(path);
        Execute(writer, "SELECT count(*) FROM t;");
        Assert.Equal(seen.Single(), watch.Mark());

        for (var i = 0; i < 5; i++)
        {
            Execute(writer, $"INSERT INTO t (v) VALUES ({i});");
            var mark = watch.Mark()!.Value;
            Assert.True(seen.Add(mark), $"commit {i}: the mark did not move");
            Assert.Equal(mark, watch.Mark());
        }

        // The log copied back and emptied (the header's reset): the next commit still moves the mark.
        Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE);");
        var afterCheckpoint = watch.Mark();
        Execute(writer, "INSERT INTO t (v) VALUES (99);");
        Assert.NotEqual(afterCheckpoint, watch.Mark());
        Assert.True(seen.Add(watch.Mark()!.Value), "the commit after a checkpoint gave a mark seen before");

        // A transaction rolled back changes nothing readers see.
        var beforeRollback = watch.Mark();
        using (var transaction = writer.BeginTransaction())
        {
            Execute(writer, "INSERT INTO t (v) VALUES (100);", transaction);
            transaction.Rollback();
        }

        Assert.Equal(beforeRollback, watch.Mark());
    }

    [Fact]
    public void A_closed_watch_gives_no_mark_and_a_new_one_of_the_same_file_repeats_none()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var given = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Watch(watching);
            Assert.True(given.Add(watch.Mark()!.Value));
            watch.Close();
            Assert.Null(watch.Mark());
        }
    }

    [Fact]
    public void Watching_takes_no_descriptor_of_its_own_on_the_index_whose_closing_would_drop_the_processs_locks()
    {
        // POSIX: closing any descriptor of a file drops every fcntl lock the process holds on it, SQLite's included.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var before = LocksOn(path + "-shm");
        Assert.NotEmpty(before);
        for (var i = 0; i < 3; i++)
        {
            var watch = Watch(watching);
            watch.Mark();
            watch.Close();
        }

        Assert.Equal(before, LocksOn(path + "-shm"));
    }

    [Fact]
    public void A_database_not_in_WAL_mode_or_in_memory_is_not_watched()
    {
        using (var watching = Watching(NewDatabase("delete")))
        {
            Assert.Null(WalIndexWatch.Open(watching, Next));
        }

        using var memory = new SqliteConnection("Data Source=:memory:");
        memory.Open();
        Assert.Null(WalIndexWatch.Open(memory, Next));
    }

    [Fact]
    public void The_check_against_the_data_version_holds_through_commits()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var watch = Watch(watching);
        using var version = watching.CreateCommand();
        version.CommandText = "PRAGMA data_version;";
        long? ReadVersion() => (long)version.ExecuteScalar()!;

        using var writer = Open(path);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(watch.Check(ReadVersion));
            Execute(writer, $"INSERT INTO t (v) VALUES ({i});");
        }

        Assert.True(watch.Check(ReadVersion));
        Assert.True(watch.Check(ReadVersion));

        // A commit landing between the check's version read and its header read: the header shows it, no alarm.
        var committed = false;
        long? VersionThenCommit()
        {
            var read = ReadVersion();
            if (!committed)
            {
                committed = true;
                Execute(writer, "INSERT INTO t (v) VALUES (50);");
            }

            return read;
        }

        Assert.True(watch.Check(VersionThenCommit));
        Assert.True(watch.Check(ReadVersion));
    }

    [Fact]
    public void A_version_that_moves_while_the_header_does_not_fails_the_check()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var watch = Watch(watching);

        // A version that moves with nothing committed, as a header that no longer shows the commits would look.
        var version = 0L;
        long? Moving() => ++version;
        Assert.True(watch.Check(Moving), "the first check has nothing to compare with");
        Assert.False(watch.Check(Moving));
    }

    [Fact]
    public void A_version_that_moved_under_an_unchanged_header_fails_the_check()
    {
        long[] header = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        long[] changed = [1, 2, 3, 5, 5, 6, 7, 8, 9, 10, 11, 12];

        Assert.True(WalIndexWatch.Agrees(null, null, header, 7), "the first check has nothing to compare with");
        Assert.True(WalIndexWatch.Agrees(header, 7, header, 7), "nothing committed, nothing changed");
        Assert.True(WalIndexWatch.Agrees(header, 7, changed, 8), "a commit, and the header shows it");
        Assert.True(WalIndexWatch.Agrees(header, 7, changed, 7), "a commit after the version was read: the header may show it first");
        Assert.False(WalIndexWatch.Agrees(header, 7, header, 8), "the version moved and the header did not");
    }

    [Fact]
    public async Task Once_the_header_is_given_up_the_statement_gives_the_marks_which_still_move_with_every_commit_and_name_no_earlier_state()
    {
        var path = NewDatabase("wal");
        using var changes = new DatabaseChanges(new DatabaseInfo(DatabaseProviderKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = path }.ToString()));
        using var writer = Open(path);

        // Watched: the header's marks, one per commit.
        var seen = new List<long> { (await changes.MarkAsync())!.Value };
        Assert.True(changes.WatchesWalIndex);
        Execute(writer, "INSERT INTO t (v) VALUES (1);");
        seen.Add((await changes.MarkAsync())!.Value);
        Assert.NotEqual(seen[0], seen[1]);

        // Given up (as a failed check does): from now on the statement, for good, even after its connection is opened again.
        changes.GiveUpWalIndex("test");
        Assert.False(changes.WatchesWalIndex);
        Execute(writer, "INSERT INTO t (v) VALUES (2);");
        var afterGivingUp = (await changes.MarkAsync())!.Value;
        Assert.DoesNotContain(afterGivingUp, seen);
        Assert.Equal(afterGivingUp, await changes.MarkAsync());
        seen.Add(afterGivingUp);

        for (var i = 3; i < 6; i++)
        {
            Execute(writer, $"INSERT INTO t (v) VALUES ({i});");
            var mark = (await changes.MarkAsync())!.Value;
            Assert.DoesNotContain(mark, seen);
            seen.Add(mark);
        }

        changes.Reconnect();
        Execute(writer, "INSERT INTO t (v) VALUES (9);");
        var reopened = (await changes.MarkAsync())!.Value;
        Assert.False(changes.WatchesWalIndex);
        Assert.DoesNotContain(reopened, seen);

        // A value remembered under a mark is read again once another connection commits.
        using var context = new DbContext(new DbContextOptionsBuilder().UseSqlite(new SqliteConnectionStringBuilder { DataSource = path }.ToString()).Options);
        var reads = 0;
        Task<string> Read() => Task.FromResult("read " + ++reads);
        Assert.Equal("read 1", await changes.ReadAsync(context, "key", Read));
        Assert.Equal("read 1", await changes.ReadAsync(context, "key", Read));
        Execute(writer, "INSERT INTO t (v) VALUES (10);");
        Assert.Equal("read 2", await changes.ReadAsync(context, "key", Read));
    }

    private string NewDatabase(string journalMode)
    {
        var path = Path.Combine(folder, journalMode + "-" + Guid.NewGuid().ToString("N") + ".db");
        using var connection = Open(path);
        Execute(connection, $"PRAGMA journal_mode={journalMode}; CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);");
        return path;
    }

    private long Next() => Interlocked.Increment(ref marks);

    private WalIndexWatch Watch(SqliteConnection watching) => WalIndexWatch.Open(watching, Next) ?? throw new InvalidOperationException("not watched");

    // This process's POSIX locks on a file, as /proc/locks lists them (type, range), by the file's inode.
    private static List<string> LocksOn(string file)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", file]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return File.ReadAllLines("/proc/locks")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 8 && f[1] == "POSIX" && f[4] == pid && f[5].EndsWith(":" + inode, StringComparison.Ordinal))
            .Select(f => $"{f[3]} {f[6]}-{f[7]}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // As DatabaseChanges opens its own: outside the pool, read once (which maps the index).
    private static SqliteConnection Watching(string path)
    {
        var connection = Open(path);
        Execute(connection, "PRAGMA data_version;");
        return connection;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
