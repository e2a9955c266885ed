using Microsoft.Data.Sqlite;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>ADR 0039: SQLite's mark read from the WAL index's header moves with every commit of any connection, and only then.</summary>
public sealed class WalIndexWatchTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("rectify-wal-").FullName;

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
        using var watch = WalIndexWatch.Open(watching);
        Assert.NotNull(watch);

        var seen = new HashSet<long> { watch.Mark() };
        Assert.Equal(seen.Single(), watch.Mark());

        // A read by another connection is not a change.
        using var writer = Open(path);
        Execute(writer, "SELECT count(*) FROM t;");
        Assert.Equal(seen.Single(), watch.Mark());

        for (var i = 0; i < 5; i++)
        {
            Execute(writer, $"INSERT INTO t (v) VALUES ({i});");
            var mark = watch.Mark();
            Assert.True(seen.Add(mark), $"commit {i}: the mark did not move");
            Assert.Equal(mark, watch.Mark());
        }

        // The log copied back and emptied (the header's reset): the next commit still moves the mark.
        Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE);");
        var afterCheckpoint = watch.Mark();
        Execute(writer, "INSERT INTO t (v) VALUES (99);");
        Assert.NotEqual(afterCheckpoint, watch.Mark());
        Assert.True(seen.Add(watch.Mark()), "the commit after a checkpoint gave a mark seen before");

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
    public void A_new_watch_of_the_same_file_never_repeats_a_mark_given_before()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        var marks = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            using var watch = WalIndexWatch.Open(watching);
            Assert.NotNull(watch);
            Assert.True(marks.Add(watch.Mark()));
        }
    }

    [Fact]
    public void A_database_not_in_WAL_mode_or_in_memory_is_not_watched()
    {
        using (var watching = Watching(NewDatabase("delete")))
        {
            Assert.Null(WalIndexWatch.Open(watching));
        }

        using var memory = new SqliteConnection("Data Source=:memory:");
        memory.Open();
        Assert.Null(WalIndexWatch.Open(memory));
    }

    [Fact]
    public void The_check_against_the_data_version_holds_through_commits()
    {
        var path = NewDatabase("wal");
        using var watching = Watching(path);
        using var watch = WalIndexWatch.Open(watching);
        Assert.NotNull(watch);
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

    private string NewDatabase(string journalMode)
    {
        var path = Path.Combine(folder, journalMode + "-" + Guid.NewGuid().ToString("N") + ".db");
        using var connection = Open(path);
        Execute(connection, $"PRAGMA journal_mode={journalMode}; CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);");
        return path;
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
