using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Rectify.Data;

/// <summary>
/// A consistent copy of the live database, and putting one back: the provider differences of backup and restore.
/// SQLite is copied with <c>VACUUM INTO</c>, which reads one snapshot of the database while the server goes on
/// writing (WAL); PostgreSQL with <c>pg_dump -Fc</c> (one snapshot too) and put back with <c>pg_restore</c>, both
/// found on PATH, in <c>Backup:PostgresTools</c>, or in Debian's /usr/lib/postgresql/N/bin.
/// </summary>
public static class DatabaseSnapshot
{
    public const string ToolsKey = "Backup:PostgresTools";

    /// <summary>The archive entry that holds the database copy.</summary>
    public static string EntryName(DatabaseProviderKind kind) => kind == DatabaseProviderKind.Sqlite ? "database/rectify.db" : "database/rectify.pgdump";

    /// <summary>Writes a consistent copy of the database to <paramref name="path"/> (which must not exist).</summary>
    public static async Task WriteAsync(DatabaseInfo info, string path, string? toolsFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Kind == DatabaseProviderKind.Sqlite)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(info.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using (var timeout = connection.CreateCommand())
            {
                timeout.CommandText = "PRAGMA busy_timeout=10000;";
                await timeout.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $path;";
            vacuum.Parameters.AddWithValue("$path", path);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await RunToolAsync("pg_dump", toolsFolder, info, ["--format=custom", "--no-owner", "--no-privileges", "--file", path], cancellationToken);
    }

    /// <summary>True when the target database holds no table yet (a fresh file or an empty database).</summary>
    public static async Task<bool> IsEmptyAsync(DatabaseInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Kind == DatabaseProviderKind.Sqlite)
        {
            var file = SqliteFile(info);
            if (!File.Exists(file) || new FileInfo(file).Length == 0)
            {
                return true;
            }

            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(info.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0;
        }

        await using var pg = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Pooling = false }.ToString());
        await pg.OpenAsync(cancellationToken);
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", pg);
        return (long)(await tables.ExecuteScalarAsync(cancellationToken))! == 0;
    }

    /// <summary>
    /// Puts the copy back in place of whatever the target holds (the caller has checked that it may): the SQLite
    /// file is replaced in one rename, the PostgreSQL schema is emptied and the dump restored in one transaction.
    /// </summary>
    public static async Task RestoreAsync(DatabaseInfo info, string snapshot, string? toolsFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Kind == DatabaseProviderKind.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            var file = SqliteFile(info);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var staged = file + ".restoring";
            File.Copy(snapshot, staged, overwrite: true);

            // VACUUM INTO writes a rollback-journal file; the server's connections expect WAL (and a read-only
            // connection, which EF opens to look for the file, cannot switch it), so it is switched here.
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = staged, Pooling = false }.ToString()))
            {
                await connection.OpenAsync(cancellationToken);
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken);
            }

            File.Delete(staged + "-wal");
            File.Delete(staged + "-shm");
            Durable.SyncFile(staged);
            foreach (var sidecar in new[] { file + "-wal", file + "-shm", file + "-journal" })
            {
                File.Delete(sidecar);
            }

            File.Move(staged, file, overwrite: true);
            Durable.SyncFolder(Path.GetDirectoryName(file)!);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using (var pg = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Pooling = false }.ToString()))
        {
            await pg.OpenAsync(cancellationToken);
            await using var reset = new NpgsqlCommand("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", pg);
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        await RunToolAsync("pg_restore", toolsFolder, info, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", new NpgsqlConnectionStringBuilder(info.ConnectionString).Database!, snapshot], cancellationToken);
    }

    private static string SqliteFile(DatabaseInfo info) => Path.GetFullPath(new SqliteConnectionStringBuilder(info.ConnectionString).DataSource);

    /// <summary>The PostgreSQL tool's full path: the configured folder, then PATH, then the newest Debian cluster's bin folder.</summary>
    public static string? FindTool(string name, string? toolsFolder)
    {
        ArgumentNullException.ThrowIfNull(name);
        IEnumerable<string> folders = [
            .. string.IsNullOrWhiteSpace(toolsFolder) ? [] : new[] { toolsFolder },
            .. (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries),
            .. Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
                : [],
        ];
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }

    private static async Task RunToolAsync(string name, string? toolsFolder, DatabaseInfo info, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var tool = FindTool(name, toolsFolder)
            ?? throw new RectifyConfigurationException(
                $"找不到 PostgreSQL 工具 {name}：备份和恢复 PostgreSQL 数据库需要它（Debian/Ubuntu：apt-get install postgresql-client，版本不低于数据库服务器）。" +
                $"请把它所在的目录加入 PATH，或配置 {ToolsKey}（例如 /usr/lib/postgresql/15/bin）。");
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // The connection goes by libpq's variables: the password never shows in the process list.
        var b = new NpgsqlConnectionStringBuilder(info.ConnectionString);
        start.Environment["PGHOST"] = b.Host;
        start.Environment["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = b.Database;
        start.Environment["PGUSER"] = b.Username;
        if (!string.IsNullOrEmpty(b.Password))
        {
            start.Environment["PGPASSWORD"] = b.Password;
        }

        if (b.SslMode is not SslMode.Disable and not SslMode.Prefer)
        {
            start.Environment["PGSSLMODE"] = b.SslMode.ToString().ToLowerInvariant() switch { "verifyca" => "verify-ca", "verifyfull" => "verify-full", var s => s };
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var said = (await errors).Trim();
        await output;
        if (process.ExitCode != 0)
        {
            throw new BackupException($"{name} 失败（退出码 {process.ExitCode}）：{(said.Length > 0 ? said : "没有输出")}");
        }
    }
}

/// <summary>A backup or restore could not be done; the message says why in the user's language.</summary>
public sealed class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException()
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
