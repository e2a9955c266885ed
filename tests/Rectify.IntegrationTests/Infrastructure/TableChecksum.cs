using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// A checksum of whole tables, read with plain SQL (every column of every row, each value in invariant form, rows in
/// order): equal checksums before and after mean the tables are byte for byte as they were.
/// </summary>
public static class TableChecksum
{
    /// <summary>The tables a plan import may write, and the audit trail it appends to.</summary>
    public static readonly Type[] PlanTables =
    [
        typeof(Domain.Inspection), typeof(Domain.FindingCategory), typeof(Domain.Finding), typeof(Domain.Measure), typeof(Domain.MeasureSupportingUnit),
        typeof(Domain.Organization), typeof(Domain.Person), typeof(Domain.MeasureRevision), typeof(Domain.MeasureTransition), typeof(Domain.InspectionScope),
        typeof(AuditEntry), typeof(AuditHead),
    ];

    /// <summary>Per table, its row count and the SHA-256 of its rows.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(RectifyDbContext db, IEnumerable<Type> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entities);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var type in entities)
            {
                var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped");
                var table = entity.GetTableName()!;
                var keys = entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToList();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", keys.Select(k => $"\"{k}\""))}";
                var rows = await ReadRowsAsync(command, cancellationToken);
                result[table] = $"{rows.Count} rows, " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return result;
    }

    /// <summary>Every table of the model (each table once, however many entity types share it), by row count and SHA-256.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfEveryTableAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null && !e.IsOwned())
            .GroupBy(e => e.GetTableName()!)
            .Select(g => (Table: g.Key, Keys: g.First().FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToList()))
            .ToList();
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var (table, keys) in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", keys.Select(k => $"\"{k}\""))}";
                var rows = await ReadRowsAsync(command, cancellationToken);
                result[table] = $"{rows.Count} rows, " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return result;
    }

    /// <summary>Every row of every table of the model as plain SQL returns it (for looking for a text anywhere in the database).</summary>
    public static async Task<string> TextOfEveryTableAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        var text = new StringBuilder();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                text.AppendJoin('\n', await ReadRowsAsync(command, cancellationToken)).Append('\n');
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return text.ToString();
    }

    private static async Task<List<string>> ReadRowsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells[i] = reader.GetName(i) + "=" + reader.GetValue(i) switch
                {
                    DBNull => "∅",
                    byte[] bytes => Convert.ToBase64String(bytes),
                    DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
                    DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString(),
                };
            }

            rows.Add(string.Join('\u001f', cells));
        }

        return rows;
    }
}
