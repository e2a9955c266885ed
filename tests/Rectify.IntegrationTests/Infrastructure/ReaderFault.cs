using System.Collections;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// A fault for the next query whose SQL carries a tag (EF Core's <c>TagWith</c>): after a number of rows its reader
/// either fails, as a database that goes away in the middle of a long read, or waits until the test lets it go on.
/// Disarmed after one use.
/// </summary>
public sealed class ReaderFault : DbCommandInterceptor
{
    private readonly Lock gate = new();
    private (string Tag, int AfterRows, TaskCompletionSource? Hold)? armed;

    /// <summary>The next reader of a query tagged <paramref name="tag"/> throws when asked for row <paramref name="afterRows"/> + 1.</summary>
    public void FailAfter(string tag, int afterRows)
    {
        lock (gate)
        {
            armed = (tag, afterRows, null);
        }
    }

    /// <summary>The next reader of a query tagged <paramref name="tag"/> waits before row <paramref name="afterRows"/> + 1 until <paramref name="hold"/> completes.</summary>
    public void HoldAfter(string tag, int afterRows, TaskCompletionSource hold)
    {
        lock (gate)
        {
            armed = (tag, afterRows, hold);
        }
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (gate)
        {
            if (armed is { } fault && command.CommandText.Contains("-- " + fault.Tag, StringComparison.Ordinal))
            {
                armed = null;
                return ValueTask.FromResult<DbDataReader>(new Reader(result, fault.AfterRows, fault.Hold));
            }
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>The database's reader, row for row, until the fault.</summary>
    private sealed class Reader(DbDataReader inner, int afterRows, TaskCompletionSource? hold) : DbDataReader
    {
        private int rows;

        public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
        {
            if (rows == afterRows)
            {
                if (hold is null)
                {
                    throw new InvalidOperationException("injected: the database went away in the middle of the read");
                }

                await hold.Task.WaitAsync(cancellationToken);
            }

            rows++;
            return await inner.ReadAsync(cancellationToken);
        }

        public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override object this[int ordinal] => inner[ordinal];

        public override object this[string name] => inner[name];

        public override int Depth => inner.Depth;

        public override int FieldCount => inner.FieldCount;

        public override bool HasRows => inner.HasRows;

        public override bool IsClosed => inner.IsClosed;

        public override int RecordsAffected => inner.RecordsAffected;

        public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

        public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

        public override char GetChar(int ordinal) => inner.GetChar(ordinal);

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

        public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

        public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

        public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

        public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

        public override IEnumerator GetEnumerator() => inner.GetEnumerator();

        public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

        public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

        public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

        public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

        public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

        public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

        public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

        public override string GetName(int ordinal) => inner.GetName(ordinal);

        public override int GetOrdinal(string name) => inner.GetOrdinal(name);

        public override string GetString(int ordinal) => inner.GetString(ordinal);

        public override object GetValue(int ordinal) => inner.GetValue(ordinal);

        public override int GetValues(object[] values) => inner.GetValues(values);

        public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

        public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);

        public override bool NextResult() => inner.NextResult();

        public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);

        public override void Close() => inner.Close();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
