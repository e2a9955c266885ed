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

        /// <summary>The 三员 roles' holders, while a step that could leave a role without an account in use is checked (id 0).</summary>
        AdministratorRoles = 2,
    }

    public static async Task HoldAsync(RectifyDbContext db, Kind kind, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)kind}, {id})", cancellationToken);
        }
    }

    /// <summary>
    /// Holds the measure's row against a step of its own (into its sign-off, a withdrawal) to the end of the current
    /// transaction, so that what is read of its state after this stays true until the commit. On PostgreSQL a shared row
    /// lock (<c>FOR SHARE</c>): a step already written waits to be committed and is then read, a later one waits for this
    /// transaction. SQLite needs none, as above.
    /// </summary>
    public static async Task HoldMeasureAsync(RectifyDbContext db, int measureId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Measures\" WHERE \"Id\" = {measureId} FOR SHARE", cancellationToken);
        }
    }
}
