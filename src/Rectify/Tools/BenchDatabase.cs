using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Publications;

namespace Rectify.Tools;

/// <summary>
/// Where <see cref="BenchGenerator"/> writes: a database given as a SQLite file or a PostgreSQL connection string, made
/// with the product's own migrations, refused when it holds anything a fresh schema does not. Rows are taken a table at a
/// time (<see cref="Table"/>) and written in bulk, bypassing the change tracker: prepared INSERTs on SQLite, binary COPY
/// on PostgreSQL. The tables' and columns' names come from the product's model, so that the generator's rows are the
/// product's rows (a column the model requires and the generator leaves out is refused before anything is written).
/// </summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    private readonly Dictionary<string, BenchTable> tables = new(StringComparer.Ordinal);

    protected BenchDatabase(RectifyDbContext db) => Db = db;

    protected RectifyDbContext Db { get; }

    /// <summary>One line naming the database, without a password.</summary>
    public abstract string Description { get; }

    /// <summary>A SQLite file when <paramref name="database"/> is a path, else a PostgreSQL connection string ("Host=…").</summary>
    public static BenchDatabase Open(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return database.Contains('=', StringComparison.Ordinal) && database.Contains("Host", StringComparison.OrdinalIgnoreCase)
            ? new PostgresBenchDatabase(database)
            : new SqliteBenchDatabase(database);
    }

    /// <summary>
    /// Null when the database may be filled: it is new, or holds nothing but the product's schema as its migrations
    /// leave it (the migration history and the audit trail's empty head). Otherwise what was found, in a sentence.
    /// </summary>
    public async Task<string?> RefusalAsync(CancellationToken cancellationToken)
    {
        await Db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var existing = await ExistingTablesAsync(cancellationToken);
            var ours = Db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            ours.Add("__EFMigrationsHistory");
            ours.Add("__EFMigrationsLock");
            var foreign = existing.Where(t => !ours.Contains(t)).Order(StringComparer.Ordinal).ToList();
            if (foreign.Count > 0)
            {
                return $"数据库中有本系统之外的表（{string.Join("、", foreign.Take(5))}），不是本系统的新数据库。";
            }

            foreach (var table in existing.Where(t => t is not ("__EFMigrationsHistory" or "__EFMigrationsLock" or "AuditHeads")).Order(StringComparer.Ordinal))
            {
                if (await HasRowsAsync(table, cancellationToken))
                {
                    return $"数据库已有数据（表 {table} 不为空）。基准数据只写入新建的空数据库，以免混入正式数据。";
                }
            }

            return null;
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Creates or completes the schema with the product's migrations.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => Db.Database.MigrateAsync(cancellationToken);

    /// <summary>The table of <typeparamref name="TEntity"/>, taking values for <paramref name="columns"/> in that order.</summary>
    public BenchTable Table<TEntity>(params string[] columns) => Table(typeof(TEntity), columns);

    public BenchTable Table(Type entity, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var type = Db.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the model.");
        var name = type.GetTableName() ?? throw new InvalidOperationException($"{entity.Name} has no table.");
        if (tables.TryGetValue(name, out var known))
        {
            return known;
        }

        var store = StoreObjectIdentifier.Table(name, type.GetSchema());
        var mapped = Db.Model.GetEntityTypes().Where(e => e.GetTableName() == name && e.GetSchema() == type.GetSchema())
            .SelectMany(e => e.GetProperties()).Select(p => (Property: p, Column: p.GetColumnName(store)))
            .Where(p => p.Column is not null).GroupBy(p => p.Column!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Property, StringComparer.Ordinal);
        var unknown = columns.Where(c => !mapped.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Table {name} has no column {string.Join(", ", unknown)}.");
        }

        var missing = mapped.Where(m => !columns.Contains(m.Key) && !m.Value.IsColumnNullable(store) && m.Value.GetDefaultValueSql(store) is null && m.Value.GetDefaultValue(store) is null)
            .Select(m => m.Key).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The generator leaves out the required column(s) {string.Join(", ", missing)} of {name}.");
        }

        var table = new BenchTable(name, columns, [.. columns.Select(c => StoreType(mapped[c]))], columns.Contains("Id") && mapped["Id"].ValueGenerated == ValueGenerated.OnAdd);
        tables.Add(name, table);
        return table;
    }

    /// <summary>
    /// The public notice of <paramref name="draft"/> as the product composes it when the office submits it (送审,
    /// <see cref="PublicationComposer"/>), from the rows flushed so far: a generated snapshot is a real one.
    /// </summary>
    public Task<PublicNotice> ComposeNoticeAsync(AccessScope scope, int inspectionId, PublicationDraft draft, DateOnly today, CancellationToken cancellationToken) =>
        PublicationComposer.ComposeAsync(Db, scope, inspectionId, draft, today, cancellationToken);

    /// <summary>Writes every table's waiting rows, tables in <paramref name="order"/> (parents before children), in one transaction.</summary>
    public abstract Task FlushAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken);

    /// <summary>After the last flush: what the provider needs so that the product can add rows of its own (identity sequences).</summary>
    public abstract Task FinishAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken);

    /// <summary>The size of the database on disk, in bytes.</summary>
    public abstract Task<long> SizeAsync(CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<string>> ExistingTablesAsync(CancellationToken cancellationToken);

    protected async Task<bool> HasRowsAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = Db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT 1 FROM \"{table}\" LIMIT 1";
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    protected async Task<List<string>> ReadStringsAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    private static Type StoreType(IProperty property)
    {
        var type = property.GetProviderClrType() ?? property.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? Enum.GetUnderlyingType(type) : type;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await Db.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask CloseAsync() => ValueTask.CompletedTask;
}

/// <summary>One table's column list and the rows waiting to be written.</summary>
public sealed class BenchTable(string name, IReadOnlyList<string> columns, IReadOnlyList<Type> types, bool hasIdentity)
{
    private readonly List<object?[]> rows = [];

    public string Name { get; } = name;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>The value type each column is stored as (enums as their number).</summary>
    public IReadOnlyList<Type> Types { get; } = types;

    /// <summary>True when "Id" is generated by the database: the generator gives it, and PostgreSQL's sequence is moved past it at the end.</summary>
    public bool HasIdentity { get; } = hasIdentity;

    /// <summary>Rows written so far.</summary>
    public long Written { get; internal set; }

    public IReadOnlyList<object?[]> Waiting => rows;

    public void Add(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"{Name} takes {Columns.Count} values, not {values.Length}.", nameof(values));
        }

        rows.Add(values);
    }

    internal void Clear()
    {
        Written += rows.Count;
        rows.Clear();
    }
}

/// <summary>A SQLite file: prepared INSERTs in one transaction per flush, WAL with synchronous=NORMAL while loading.</summary>
public sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly string file;

    public SqliteBenchDatabase(string file)
        : base(Create(file)) => this.file = Path.GetFullPath(file);

    public override string Description => "SQLite " + file;

    private static SqliteRectifyDbContext Create(string file)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Pooling = false }.ToString();
        DatabaseProvider.EnsureSqliteFolder(connection);
        var options = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
        DatabaseProvider.ConfigureSqlite(options, connection);
        return new SqliteRectifyDbContext(options.Options);
    }

    protected override async Task<IReadOnlyList<string>> ExistingTablesAsync(CancellationToken cancellationToken) =>
        await ReadStringsAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", cancellationToken);

    public override async Task FlushAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var connection = (SqliteConnection)Db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await Db.Database.OpenConnectionAsync(cancellationToken);

            // The product's own pragmas (WAL, foreign keys) come with the connection; a bulk load need not wait for
            // the disk on each commit of a file nobody reads yet.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in order.Where(t => t.Waiting.Count > 0))
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i))})";
            var parameters = table.Columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
            insert.Prepare();
            foreach (var row in table.Waiting)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
            }

            table.Clear();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task FinishAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken)
    {
        var connection = Db.Database.GetDbConnection();
        if (connection.State == System.Data.ConnectionState.Open)
        {
            // Folds the write-ahead log into the file, so that its size is the database's.
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override Task<long> SizeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length));

    protected override async ValueTask CloseAsync()
    {
        await Db.Database.CloseConnectionAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>A PostgreSQL database: binary COPY per table in one transaction per flush; identity sequences moved past the rows at the end.</summary>
public sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly string connectionString;

    public PostgresBenchDatabase(string connectionString)
        : base(Create(connectionString)) => this.connectionString = connectionString;

    public override string Description => DatabaseProvider.Describe(new DatabaseInfo(DatabaseProviderKind.Postgres, connectionString));

    private static PostgresRectifyDbContext Create(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(options, connectionString);
        return new PostgresRectifyDbContext(options.Options);
    }

    protected override async Task<IReadOnlyList<string>> ExistingTablesAsync(CancellationToken cancellationToken) =>
        await ReadStringsAsync("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", cancellationToken);

    public override async Task FlushAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await Db.Database.OpenConnectionAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in order.Where(t => t.Waiting.Count > 0))
        {
            var kinds = table.Types.Select(DbType).ToArray();
            await using (var copy = await connection.BeginBinaryImportAsync(
                $"COPY \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in table.Waiting)
                {
                    // The synchronous calls buffer in memory; only a full buffer goes to the server.
                    copy.StartRow();
                    for (var i = 0; i < row.Length; i++)
                    {
                        Write(copy, row[i], table.Types[i], kinds[i]);
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            table.Clear();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void Write(NpgsqlBinaryImporter copy, object? value, Type type, NpgsqlDbType kind)
    {
        switch (value)
        {
            case null: copy.WriteNull(); break;
            case var _ when type == typeof(int): copy.Write(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), kind); break;
            case var _ when type == typeof(long): copy.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), kind); break;
            case string s: copy.Write(s, kind); break;
            case bool b: copy.Write(b, kind); break;
            case DateTime d: copy.Write(DateTime.SpecifyKind(d, DateTimeKind.Utc), kind); break;
            case DateOnly d: copy.Write(d, kind); break;
            case decimal m: copy.Write(m, kind); break;
            default: throw new InvalidOperationException($"No COPY for a {value.GetType().Name}.");
        }
    }

    private static NpgsqlDbType DbType(Type type) =>
        type == typeof(int) ? NpgsqlDbType.Integer
        : type == typeof(long) ? NpgsqlDbType.Bigint
        : type == typeof(string) ? NpgsqlDbType.Text
        : type == typeof(bool) ? NpgsqlDbType.Boolean
        : type == typeof(DateTime) ? NpgsqlDbType.TimestampTz
        : type == typeof(DateOnly) ? NpgsqlDbType.Date
        : type == typeof(decimal) ? NpgsqlDbType.Numeric
        : throw new InvalidOperationException($"No COPY type for {type.Name}.");

    public override async Task FinishAsync(IReadOnlyList<BenchTable> order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var connection = Db.Database.GetDbConnection();
        foreach (var table in order.Where(t => t.HasIdentity && t.Written > 0))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT setval(pg_get_serial_sequence('\"{table.Name}\"', 'Id'), (SELECT MAX(\"Id\") FROM \"{table.Name}\"))";
            await command.ExecuteScalarAsync(cancellationToken);
        }
    }

    public override async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        await using DbCommand command = Db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database())";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override async ValueTask CloseAsync() => await Db.Database.CloseConnectionAsync();
}
