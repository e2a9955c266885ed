using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Rectify.Data;

public enum DatabaseProviderKind
{
    Sqlite,
    Postgres,
}

/// <summary>A configuration value is wrong; the message says which and what is allowed, in the user's language.</summary>
public sealed class RectifyConfigurationException : Exception
{
    public RectifyConfigurationException(string message)
        : base(message)
    {
    }

    public RectifyConfigurationException()
    {
    }

    public RectifyConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Every difference between the database providers lives here: how each is chosen and connected, the
/// SQLite pragmas, and how their errors are read.
/// </summary>
public static class DatabaseProvider
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "Rectify";

    public static DatabaseProviderKind Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProviderKind.Sqlite;
        }

        if (value.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || value.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProviderKind.Postgres;
        }

        throw new RectifyConfigurationException($"未知的数据库类型 {ProviderKey} = “{value}”。可选值：Sqlite（默认）或 Postgres。");
    }

    public static string ConnectionString(IConfiguration configuration, DatabaseProviderKind kind, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return kind switch
        {
            DatabaseProviderKind.Sqlite => new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataFolder, "rectify.db") }.ToString(),
            _ => throw new RectifyConfigurationException(
                $"已选择 PostgreSQL，但没有配置连接字符串 ConnectionStrings:{ConnectionStringName}（例如 Host=127.0.0.1;Database=rectify;Username=rectify;Password=…）。"),
        };
    }

    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (the provider, the connection string, the column key).</param>
    /// <param name="dataFolder">The data folder (SQLite's file and the column key file by default).</param>
    /// <param name="compiledModel">The compiled data model for a context type and cipher (ADR 0037); null builds it from the entity configurations.</param>
    public static void AddRectifyDatabase(this IServiceCollection services, IConfiguration configuration, string dataFolder, Func<Type, ColumnCipher, Microsoft.EntityFrameworkCore.Metadata.IModel?>? compiledModel = null)
    {
        var kind = Read(configuration);
        var connectionString = ConnectionString(configuration, kind, dataFolder);
        var info = new DatabaseInfo(kind, connectionString);
        services.AddSingleton(info);
        // Made by the container, so that it closes the watching connection when the host stops.
        services.AddSingleton(sp => new DatabaseChanges(info, sp.GetService<Microsoft.Extensions.Logging.ILogger<DatabaseChanges>>()));

        // The column key is read when a designated column is first written or read (a server checks it at start).
        var cipher = new ColumnCipher(new ColumnKey(configuration, dataFolder));
        services.AddSingleton(cipher);
        services.AddSingleton(cipher.Key);
        // Pooled: a request's context comes back reset instead of being built anew with its own scope of EF's internal
        // services (a third of a kept API read's time under load; issue #12). The contexts hold no state of their own
        // across requests (RectifyDbContext's one field names a transaction, never the next request's).
        switch (kind)
        {
            case DatabaseProviderKind.Sqlite:
                services.AddDbContextPool<RectifyDbContext, SqliteRectifyDbContext>(o => ConfigureSqlite(o, connectionString).UseColumnEncryption(cipher, compiledModel));
                break;
            case DatabaseProviderKind.Postgres:
                services.AddDbContextPool<RectifyDbContext, PostgresRectifyDbContext>(o => ConfigurePostgres(o, connectionString).UseColumnEncryption(cipher, compiledModel));
                break;
        }
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(RectifyDbContext).Assembly.FullName))
            .AddInterceptors(SqlitePragmas.Instance, ContextWrites.Instance);
    }

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseNpgsql(WithoutJit(connectionString), s => s.MigrationsAssembly(typeof(RectifyDbContext).Assembly.FullName))
            .AddInterceptors(ContentVersion.AfterCommit.Instance, ContextWrites.Instance);
    }

    /// <summary>
    /// The connection string with PostgreSQL's JIT off for the product's sessions (<c>Options=-c jit=off</c>), unless it
    /// sets jit itself. The JIT compiles a statement whose estimated cost passes <c>jit_above_cost</c>; the export of a
    /// 10,000-measure ledger (a few correlated subqueries per row) was estimated high enough, and compiling took 2.1 s of
    /// CPU for a statement that runs in 0.3 s (issue #12, province run). Short statements that touch indexed rows, which is
    /// all the product sends, never win it back. A string the driver cannot read is passed on as it is, for the driver to
    /// refuse in its own words.
    /// </summary>
    public static string WithoutJit(string connectionString)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return connectionString;
        }

        if (b.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) == true)
        {
            return connectionString;
        }

        b.Options = string.IsNullOrWhiteSpace(b.Options) ? "-c jit=off" : b.Options + " -c jit=off";
        return b.ConnectionString;
    }

    /// <summary>Makes the SQLite file's folder before the first connection.</summary>
    public static void EnsureSqliteFolder(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>A one-line description of where the data is, without the password.</summary>
    public static string Describe(DatabaseInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        try
        {
            if (info.Kind == DatabaseProviderKind.Sqlite)
            {
                return "SQLite " + Path.GetFullPath(new SqliteConnectionStringBuilder(info.ConnectionString).DataSource);
            }

            var b = new NpgsqlConnectionStringBuilder(info.ConnectionString);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            // A connection string the provider cannot read (an unknown keyword, a bad value): said as such, never echoed
            // (it may hold the password); the provider's own words follow where the caller reports the failure.
            return $"{info.Kind}（连接字符串 ConnectionStrings:{ConnectionStringName} 无法解析，请检查其中的键名和取值）";
        }
    }

    /// <summary>Turns a provider's connection failure into a sentence a person can act on; null when it is not one.</summary>
    public static string? DescribeConnectionFailure(DatabaseInfo info, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(info);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException npgsql when npgsql is not PostgresException || ((PostgresException)npgsql).SqlState.StartsWith("28", StringComparison.Ordinal) || ((PostgresException)npgsql).SqlState == "3D000":
                    return $"无法连接 {Describe(info)}：{e.Message}。请检查 ConnectionStrings:{ConnectionStringName}、数据库服务是否运行、用户名和密码。";
                case SqliteException sqlite when sqlite.SqliteErrorCode is 14 or 26:
                    return $"无法打开 {Describe(info)}：{e.Message}。请检查数据目录是否可写、文件是否为 SQLite 数据库。";
            }
        }

        return null;
    }

    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
            PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
    }

    /// <summary>Whether a save failed because a row it deletes (or points at) is still named by another row's foreign key.</summary>
    public static bool IsForeignKeyViolation(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // SQLite reports a foreign key as constraint failure 19 (extended 787 where extended codes are on).
                case SqliteException s when s.SqliteErrorCode == 19 && (s.SqliteExtendedErrorCode == 787 || s.Message.Contains("FOREIGN KEY", StringComparison.Ordinal)):
                case PostgresException p when p.SqlState == PostgresErrorCodes.ForeignKeyViolation:
                    return true;
            }
        }

        return false;
    }

    /// <summary>How long a SQLite connection waits for another's lock before it fails (every connection the product opens).</summary>
    internal const string SqliteBusyTimeout = "PRAGMA busy_timeout=5000;";

    /// <summary>
    /// SQLite settings that hold per connection, so they are set on every one: WAL, synchronous FULL, foreign keys on, a
    /// busy timeout. Once per physical connection: a pooled connection keeps them when it is opened again, and EF opens
    /// the connection for each query (issue #12: four pragmas before each of a page's dozen statements).
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; " + SqliteBusyTimeout;

        // The native connections already set, by identity; an entry goes when its connection is closed for good and collected.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Set = [];
        private static readonly object Marker = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!Needs(connection, out var handle))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Done(handle);
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!Needs(connection, out var handle))
            {
                return;
            }

            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            Done(handle);
        }

        private static bool Needs(DbConnection connection, out object? handle)
        {
            handle = (connection as SqliteConnection)?.Handle;
            return handle is null || !Set.TryGetValue(handle, out _);
        }

        private static void Done(object? handle)
        {
            if (handle is not null)
            {
                Set.AddOrUpdate(handle, Marker);
            }
        }
    }
}

public sealed record DatabaseInfo(DatabaseProviderKind Kind, string ConnectionString);
