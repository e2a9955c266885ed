using System.Data;
using Microsoft.EntityFrameworkCore;

namespace Rectify.Data;

/// <summary>
/// Keeps a context's connection open across a read of several statements. EF opens and closes the connection around
/// each query it runs on a closed one; a ledger page runs about eight, and each open and close of a pooled connection
/// costs more than most of its statements (issue #12).
/// </summary>
public static class ConnectionHold
{
    /// <summary>Opens the connection unless it is open already; disposing the result closes it again only if this opened it.</summary>
    public static async Task<IAsyncDisposable> HoldConnectionAsync(this DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection().State == ConnectionState.Open)
        {
            return Held.Already;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        return new Held(db);
    }

    private sealed class Held(DbContext? db) : IAsyncDisposable
    {
        public static readonly Held Already = new(null);

        public async ValueTask DisposeAsync()
        {
            if (db is not null)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
