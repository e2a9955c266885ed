using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rectify.Data;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>Writes as another process would (the command line, a tool at a console): on a connection of its own, outside the product's pool.</summary>
public static class OtherProcess
{
    /// <summary>Runs <paramref name="sql"/> on a new unpooled connection to the app's database; the rows it changed.</summary>
    public static async Task<int> WriteAsync(DatabaseInfo info, string sql)
    {
        ArgumentNullException.ThrowIfNull(info);
        await using DbConnection connection = info.Kind == DatabaseProviderKind.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(info.ConnectionString) { Pooling = false }.ToString())
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
