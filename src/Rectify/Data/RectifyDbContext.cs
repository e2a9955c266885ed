using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rectify.Domain;

namespace Rectify.Data;

/// <summary>
/// The one DbContext. Each provider has a subclass (<see cref="SqliteRectifyDbContext"/>,
/// <see cref="PostgresRectifyDbContext"/>) only so that each keeps its own migration set.
/// </summary>
public class RectifyDbContext(DbContextOptions options) : IdentityDbContext<RectifyUser>(options)
{
    // The caller's transaction in which the content version was last set (ContentVersion).
    private Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? versionSetIn;

    /// <summary>On PostgreSQL: content was written in the current transaction, and its commit moves the content version on.</summary>
    internal bool ContentVersionPending { get; set; }

    // The database's mark as this context read it last (DatabaseChanges), the lease it was read in and the writes the
    // context had made by then (ContextWrites): it stands for the rest of the lease while the context writes nothing.
    private (int Lease, long Writes, long Mark)? markRead;

    // Counts what may have written through this context: saves, statements that are not queries, transactions begun.
    private long writes;

    /// <summary>Notes that this context may be writing (ContextWrites, and each save): a mark read before it no longer stands for it.</summary>
    internal void NoteWrite() => writes++;

    private void RefuseIfAsked()
    {
        if (RefusedWrites is { } refusal)
        {
            // A form sent with something unreadable (a date that does not exist): whatever its handler goes on to save
            // would carry "no value" in its place, so nothing is saved and the form is refused with this message.
            throw BusinessRules.Refuse(new NothingIsSavedFromAnUnreadableForm(refusal));
        }
    }

    /// <summary>While set, every save is refused with this message (set by the page filter for the length of one handler).</summary>
    public string? RefusedWrites { get; set; }

    /// <summary>A form carried a value that could not be read; it is refused rather than saved without it.</summary>
    public sealed class NothingIsSavedFromAnUnreadableForm(string message) : IBusinessRule
    {
        public bool IsBroken() => true;

        public string Message => message;

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>
    /// The mark this context read during its current lease (one request's unit of work), if it has written nothing since:
    /// whatever it reads under that mark is still at least as new as the request (DatabaseChanges).
    /// </summary>
    internal long? MarkRead => markRead is { } read && read.Lease == ContextId.Lease && read.Writes == writes ? read.Mark : null;

    /// <summary>Keeps the mark just read for this lease (<see cref="MarkRead"/>).</summary>
    internal void KeepMark(long mark) => markRead = (ContextId.Lease, writes, mark);

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<Inspection> Inspections => Set<Inspection>();

    public DbSet<InspectionScope> InspectionScopes => Set<InspectionScope>();

    public DbSet<FindingCategory> FindingCategories => Set<FindingCategory>();

    public DbSet<Finding> Findings => Set<Finding>();

    public DbSet<Measure> Measures => Set<Measure>();

    public DbSet<MeasureSupportingUnit> MeasureSupportingUnits => Set<MeasureSupportingUnit>();

    public DbSet<MeasureTransition> MeasureTransitions => Set<MeasureTransition>();

    public DbSet<MeasureRevision> MeasureRevisions => Set<MeasureRevision>();

    public DbSet<PlanTransition> PlanTransitions => Set<PlanTransition>();

    public DbSet<AppSetting> AppSettings => Set<AppSetting>();

    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<ProgressReport> ProgressReports => Set<ProgressReport>();

    /// <summary>配合情况: what supporting units handed the lead unit.</summary>
    public DbSet<SupportReport> SupportReports => Set<SupportReport>();

    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();

    public DbSet<LookBack> LookBacks => Set<LookBack>();

    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<RectificationOutcome> Outcomes => Set<RectificationOutcome>();

    public DbSet<Lead> Leads => Set<Lead>();

    public DbSet<ProgressReportEvidence> ProgressReportEvidence => Set<ProgressReportEvidence>();

    public DbSet<Publication> Publications => Set<Publication>();

    public DbSet<PublicOpinion> PublicOpinions => Set<PublicOpinion>();
    public DbSet<ImportedCalendarDay> CalendarDays => Set<ImportedCalendarDay>();

    public DbSet<DeadlineExtension> DeadlineExtensions => Set<DeadlineExtension>();

    public DbSet<SupervisionNotice> SupervisionNotices => Set<SupervisionNotice>();

    public DbSet<SupervisionNoticeMeasure> SupervisionNoticeMeasures => Set<SupervisionNoticeMeasure>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    /// <summary>
    /// Every save first holds each text to its column's length (<see cref="FieldLengths"/>), on both providers. The check
    /// reads the tracker's entries, which looks for changes once; the save then does not look a second time. A save of
    /// content also moves the <see cref="ContentVersion"/> on: on SQLite in its transaction (the caller's, or one of its
    /// own), on PostgreSQL when that transaction commits.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseIfAsked();
        NoteWrite();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        FieldLengths.Check(ChangeTracker);
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (!ContentVersion.Changes(ChangeTracker))
            {
                return base.SaveChanges(acceptAllChangesOnSuccess);
            }

            using var own = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
            var saved = base.SaveChanges(acceptAllChangesOnSuccess);
            if (versionSetIn != Database.CurrentTransaction)
            {
                ContentVersion.Bump(this);
                versionSetIn = own is null ? Database.CurrentTransaction : null;
            }

            own?.Commit();
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseIfAsked();
        NoteWrite();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        FieldLengths.Check(ChangeTracker);
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (!ContentVersion.Changes(ChangeTracker))
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

            // Once in a transaction of the caller's (an import saves many times in one): one new value names its end state.
            if (versionSetIn != Database.CurrentTransaction)
            {
                await ContentVersion.BumpAsync(this, cancellationToken);
                versionSetIn = own is null ? Database.CurrentTransaction : null;
            }
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Each feature's entities are configured beside the feature (IEntityTypeConfiguration classes).
        builder.ApplyConfigurationsFromAssembly(typeof(RectifyDbContext).Assembly);

        // The designated sensitive columns are encrypted at rest with the application's column key (ADR 0025).
        SensitiveColumns.Apply(builder, ColumnEncryption.CipherOf(this));
    }
}

/// <summary>A small key/value row for facts about the database itself (e.g. that it holds the demo).</summary>
public sealed class AppSetting
{
    public string Key { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}

/// <summary>
/// SQLite keeps date-times as text without a zone, so they come back with an unspecified kind; every date-time
/// here is UTC, and is marked so on the way out (the API then writes "…Z", and ChinaTime converts it right).
/// </summary>
public sealed class SqliteRectifyDbContext(DbContextOptions<SqliteRectifyDbContext> options) : RectifyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class PostgresRectifyDbContext(DbContextOptions<PostgresRectifyDbContext> options) : RectifyDbContext(options);
