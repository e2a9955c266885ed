using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rectify.Data;

/// <summary>
/// Notes on the context (<see cref="RectifyDbContext.NoteWrite"/>) each thing that may write through it besides a save
/// (which notes itself): a statement that is not a query (<c>ExecuteSql</c>, <c>ExecuteUpdate</c>, <c>ExecuteDelete</c>)
/// and a transaction begun or joined. After one, the mark the context read before (<see cref="DatabaseChanges"/>) no
/// longer stands for it, so a request reads its own writes. A statement sent on the context's connection around EF, or a
/// query that writes (<c>UPDATE … RETURNING</c> through <c>SqlQuery</c>) outside a transaction, is not seen. The product's
/// one statement around EF, PostgreSQL's <c>nextval</c> after a commit (<see cref="ContentVersion.AfterCommit"/>), always
/// follows a transaction, which is noted; the bench generator's context never reads through the mark.
/// </summary>
internal sealed class ContextWrites : IDbCommandInterceptor, IDbTransactionInterceptor
{
    public static readonly ContextWrites Instance = new();

    private ContextWrites()
    {
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData);
        return result;
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData);
        return new(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Note(eventData);
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Note(eventData);
        return new(result);
    }

    public DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        Note(eventData);
        return result;
    }

    public ValueTask<DbTransaction> TransactionUsedAsync(DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Note(eventData);
        return new(result);
    }

    private static void Note(DbContextEventData eventData) => (eventData?.Context as RectifyDbContext)?.NoteWrite();
}
