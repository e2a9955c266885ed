using System.Collections.Frozen;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rectify.Data;

/// <summary>
/// Which state of the rectification content a database holds, so that an answer computed from one state can be kept for
/// the next request that finds the same one (ADR 0031, issue #12). Every save that adds, changes or removes content (any
/// entity but the audit trail, tokens, sessions, notifications, password history and these settings) moves it on.
/// <list type="bullet">
/// <item>SQLite: a random value in <see cref="AppSetting"/> <c>content-version</c>, set anew in the same transaction as
/// the change. A value names one state: two states never share one (a restored database brings back the value it had with
/// its content), so an answer computed after reading a value is an answer for that state or a newer one.</item>
/// <item>PostgreSQL: the sequence <c>"ContentVersion"</c>, moved on (<c>nextval</c>) right after the transaction that
/// wrote content commits (<see cref="AfterCommit"/>). A sequence is outside transactions and takes no row lock, so
/// writers never wait on one another for it (one row set in every write transaction would make every content write
/// wait for the one before it to commit). A reader that reads the value between a commit and its <c>nextval</c>
/// computes from a state as old as a moment earlier; the next read after it sees the new value. A server that stops
/// between the two leaves other servers' kept answers one write behind until their minute is up
/// (<see cref="KeptFor(DatabaseProviderKind)"/>). The <c>nextval</c> ends a transaction with an id of its own, so that servers that remember the
/// version under the snapshot (<see cref="DatabaseChanges"/>) read it again.</item>
/// </list>
/// </summary>
public static class ContentVersion
{
    public const string Key = "content-version";

    /// <summary>What a database without the row (generated in bulk, or never written since this was added) is at.</summary>
    public const string Initial = "initial";

    private static readonly FrozenSet<Type> NotContent = new[]
    {
        typeof(AuditEntry), typeof(AuditHead), typeof(ApiToken), typeof(UserSession), typeof(Notification),
        typeof(NotificationPreference), typeof(PasswordHistoryEntry), typeof(AppSetting),
    }.ToFrozenSet();

    /// <summary>The sequence's name (PostgreSQL; made by migration <c>ContentVersionSequence</c>).</summary>
    public const string Sequence = "ContentVersion";

    /// <summary>
    /// How long an answer may be kept at most, whatever the version: on SQLite as long as it is asked for (the value is
    /// set in the writing transaction itself); on PostgreSQL a minute from when its computation began (see the remarks on a
    /// server stopping between a commit and its <c>nextval</c>), its successor computed in its last quarter
    /// (<c>AnswerCache.RenewedAfter</c>).
    /// </summary>
    public static TimeSpan? KeptFor(DatabaseProviderKind kind) => kind == DatabaseProviderKind.Sqlite ? null : TimeSpan.FromMinutes(1);

    /// <summary>Whether the tracker holds a content change to save (changes already detected).</summary>
    public static bool Changes(ChangeTracker changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
#pragma warning disable EF1001 // The state manager is EF Core's internal API; read here only (state and type), as FieldLengths does.
        foreach (var entry in changes.Context.GetService<IStateManager>().Entries)
        {
            if (entry.EntityState is EntityState.Added or EntityState.Modified or EntityState.Deleted && !NotContent.Contains(entry.EntityType.ClrType))
            {
                return true;
            }
        }
#pragma warning restore EF1001

        return false;
    }

    /// <summary>
    /// Moves the version on for content just written. On SQLite a new value inside the caller's transaction, committed
    /// with the change or not at all; on PostgreSQL the transaction is marked and the sequence moves when it commits (at
    /// once where there is no transaction). Saves do it themselves; a change written around the context (raw SQL,
    /// ExecuteUpdate) of content must.
    /// </summary>
    public static async Task BumpAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync(NewValue(), cancellationToken);
        }
        else if (!AfterCommit.Mark(db))
        {
            await db.Database.ExecuteSqlRawAsync(NextValue, cancellationToken);
        }
    }

    /// <inheritdoc cref="BumpAsync"/>
    public static void Bump(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            db.Database.ExecuteSql(NewValue());
        }
        else if (!AfterCommit.Mark(db))
        {
            db.Database.ExecuteSqlRaw(NextValue);
        }
    }

    // With a transaction id of its own (pg_current_xact_id() takes one): a nextval alone takes none most of the time, and
    // would then end no transaction that changes the server's snapshot, the mark by which a server knows the version it
    // remembered may have moved (DatabaseChanges). Ending one moves the mark, so the next request reads the new value.
    private const string NextValue = "SELECT nextval('\"" + Sequence + "\"'), pg_current_xact_id()";

    // The sequence's value, 0 before its first nextval (a new sequence's last_value is already its first value).
    private const string CurrentValue = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \"" + Sequence + "\"";

    /// <summary>The statement that sets a new random value (SQLite's upsert).</summary>
    private static FormattableString NewValue()
    {
        var value = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        return $"""INSERT INTO "AppSettings" ("Key", "Value") VALUES ({Key}, {value}) ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value" """;
    }

    /// <summary>The database's content version now: SQLite's value (or <see cref="Initial"/>), PostgreSQL's sequence as a number.</summary>
    public static async Task<string> ReadAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            return await Current.For(db)(db, cancellationToken) ?? Initial;
        }

        // One small statement on the request's connection, without LINQ (a sequence is not an entity).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = CurrentValue;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? Initial;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// PostgreSQL: moves the version on right after a transaction that wrote content commits (marked by <see cref="Mark"/>);
    /// a transaction rolled back or failed leaves it where it was.
    /// </summary>
    public sealed class AfterCommit : DbTransactionInterceptor
    {
        public static readonly AfterCommit Instance = new();

        private AfterCommit()
        {
        }

        /// <summary>Marks the context's open transaction as one that wrote content; false when there is none to mark.</summary>
        internal static bool Mark(DbContext db)
        {
            if (db is not RectifyDbContext rectify || db.Database.CurrentTransaction is null)
            {
                return false;
            }

            rectify.ContentVersionPending = true;
            return true;
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            if (Take(eventData.Context) is { } db)
            {
                using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = NextValue;
                command.ExecuteScalar();
            }
        }

        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            if (Take(eventData.Context) is { } db)
            {
                // Not the request's token: the content is committed, and its version must move on even if the client has gone.
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = NextValue;
                await command.ExecuteScalarAsync(CancellationToken.None);
            }
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Take(eventData?.Context);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Take(eventData?.Context);
            return Task.CompletedTask;
        }

        public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Take(eventData?.Context);

        public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Take(eventData?.Context);
            return Task.CompletedTask;
        }

        private static RectifyDbContext? Take(DbContext? context)
        {
            if (context is RectifyDbContext { ContentVersionPending: true } db)
            {
                db.ContentVersionPending = false;
                return db;
            }

            return null;
        }
    }

    // Compiled once: read on every kept answer's request, it should cost its statement and no LINQ translation.
    private static readonly CompiledPerModel<Func<RectifyDbContext, CancellationToken, Task<string?>>> Current = new(() => EF.CompileAsyncQuery(
        (RectifyDbContext db, CancellationToken _) => db.AppSettings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Value).FirstOrDefault()));
}
