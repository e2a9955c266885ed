using Microsoft.EntityFrameworkCore;

namespace Rectify.Data;

/// <summary>
/// A lock held to the end of the current transaction, for a check before an insert that no unique index can guard (the
/// same 配合情况 sent twice at once: both would read that none was sent yet). On PostgreSQL an advisory transaction lock
/// on (kind, id): the second waits, and reads after the first has committed. SQLite needs none: its transactions begin
/// IMMEDIATE, taking the one write lock before they read.
/// </summary>
public static class TransactionLocks
{
    /// <summary>What is locked: the first key of the advisory lock (the second is the row's id).</summary>
    public enum Kind
    {
        /// <summary>A measure's 配合情况, while one is checked against the last and handed in.</summary>
        SupportReports = 1,
    }

    public static async Task HoldAsync(RectifyDbContext db, Kind kind, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)kind}, {id})", cancellationToken);
        }
    }
}
