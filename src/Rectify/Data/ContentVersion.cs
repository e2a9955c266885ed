using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Rectify.Data;

/// <summary>
/// Which state of the rectification content an SQLite database holds: a random value in <see cref="AppSetting"/>
/// <c>content-version</c>, set anew in the same transaction as every save that adds, changes or removes content (any
/// entity but the audit trail, tokens, sessions, notifications, password history and these settings). A value names
/// one state: two states never share one (a restored database brings back the value it had with its content), so an
/// answer computed after reading a value is an answer for that state or a newer one (ADR 0031, issue #12).
/// On PostgreSQL nothing is kept: every content write would wait on the one row's lock, and reads are not cached there.
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

    /// <summary>Whether the database keeps a content version (SQLite).</summary>
    public static bool IsKept(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsSqlite();
    }

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
    /// Sets a new value (where one is kept); inside the caller's transaction, so that it is committed with the change or
    /// not at all. Saves do it themselves; a change written around the context (raw SQL, ExecuteUpdate) of content must.
    /// </summary>
    public static async Task BumpAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!IsKept(db))
        {
            return;
        }

        await db.Database.ExecuteSqlAsync(NewValue(), cancellationToken);
    }

    /// <inheritdoc cref="BumpAsync"/>
    public static void Bump(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (IsKept(db))
        {
            db.Database.ExecuteSql(NewValue());
        }
    }

    /// <summary>The statement that sets a new random value (SQLite's upsert).</summary>
    private static FormattableString NewValue()
    {
        var value = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        return $"""INSERT INTO "AppSettings" ("Key", "Value") VALUES ({Key}, {value}) ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value" """;
    }

    /// <summary>The database's content version now; null where none is kept (PostgreSQL).</summary>
    public static async Task<string?> ReadAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!IsKept(db))
        {
            return null;
        }

        return await Current.For(db)(db, cancellationToken) ?? Initial;
    }

    // Compiled once: read on every kept answer's request, it should cost its statement and no LINQ translation.
    private static readonly CompiledPerModel<Func<RectifyDbContext, CancellationToken, Task<string?>>> Current = new(() => EF.CompileAsyncQuery(
        (RectifyDbContext db, CancellationToken _) => db.AppSettings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Value).FirstOrDefault()));
}
