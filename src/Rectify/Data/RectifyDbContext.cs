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
    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<Inspection> Inspections => Set<Inspection>();

    public DbSet<InspectionScope> InspectionScopes => Set<InspectionScope>();

    public DbSet<FindingCategory> FindingCategories => Set<FindingCategory>();

    public DbSet<Finding> Findings => Set<Finding>();

    public DbSet<Measure> Measures => Set<Measure>();

    public DbSet<MeasureSupportingUnit> MeasureSupportingUnits => Set<MeasureSupportingUnit>();

    public DbSet<MeasureTransition> MeasureTransitions => Set<MeasureTransition>();

    public DbSet<AppSetting> AppSettings => Set<AppSetting>();

    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<ProgressReport> ProgressReports => Set<ProgressReport>();

    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();

    public DbSet<LookBack> LookBacks => Set<LookBack>();

    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<RectificationOutcome> Outcomes => Set<RectificationOutcome>();

    public DbSet<Lead> Leads => Set<Lead>();

    public DbSet<ProgressReportEvidence> ProgressReportEvidence => Set<ProgressReportEvidence>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Each feature's entities are configured beside the feature (IEntityTypeConfiguration classes).
        builder.ApplyConfigurationsFromAssembly(typeof(RectifyDbContext).Assembly);

        builder.Entity<RectifyUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(100);
            u.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<PasswordHistoryEntry>(h =>
        {
            h.Property(x => x.UserId).HasMaxLength(450).IsRequired();
            h.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            h.HasIndex(x => new { x.UserId, x.Id });
        });

        builder.Entity<ApiToken>(t =>
        {
            t.Property(x => x.UserId).HasMaxLength(450).IsRequired();
            t.Property(x => x.Name).HasMaxLength(100).IsRequired();
            t.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
            t.Property(x => x.Hash).HasMaxLength(64).IsRequired();
            t.HasIndex(x => x.Prefix).IsUnique();
            t.HasIndex(x => x.UserId);
            t.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AppSetting>(s =>
        {
            s.HasKey(x => x.Key);
            s.Property(x => x.Key).HasMaxLength(100);
            s.Property(x => x.Value).HasMaxLength(4000);
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.HasIndex(x => x.Sequence).IsUnique();
            a.HasIndex(x => x.AtUtc);
            a.HasIndex(x => new { x.Action, x.AtUtc });
            a.HasIndex(x => new { x.ActorUserId, x.AtUtc });
            a.Property(x => x.Action).HasMaxLength(64).IsRequired();
            a.Property(x => x.ActorUserId).HasMaxLength(450);
            a.Property(x => x.ActorName).HasMaxLength(200);
            a.Property(x => x.ActorRoles).HasMaxLength(400);
            a.Property(x => x.SourceAddress).HasMaxLength(64);
            a.Property(x => x.ObjectType).HasMaxLength(64);
            a.Property(x => x.ObjectId).HasMaxLength(100);
            a.Property(x => x.CorrelationId).HasMaxLength(64);
            a.Property(x => x.Algorithm).HasMaxLength(32).IsRequired();
            a.Property(x => x.Mac).HasMaxLength(128).IsRequired();
        });

        builder.Entity<AuditHead>(h =>
        {
            h.Property(x => x.Id).ValueGeneratedNever();
            h.Property(x => x.Mac).HasMaxLength(128).IsRequired();
            h.HasData(new AuditHead { Id = 1, Sequence = 0, Mac = string.Empty });
        });

        builder.Entity<Organization>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(200).IsRequired();
            o.Property(x => x.ShortName).HasMaxLength(100);
            o.Property(x => x.Path).HasMaxLength(400).IsRequired();
            o.HasIndex(x => x.Path);
            o.HasIndex(x => new { x.ParentId, x.Name }).IsUnique();
            o.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
            o.Ignore(x => x.DisplayName);
        });

        builder.Entity<Person>(p =>
        {
            p.Property(x => x.Name).HasMaxLength(100).IsRequired();
            p.Property(x => x.Position).HasMaxLength(100);
            p.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);

            // One account is one person: it approves as that person's measures' responsible leader.
            p.Property(x => x.UserId).HasMaxLength(450);
            p.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
            p.HasIndex(x => x.UserId).IsUnique().HasFilter("\"UserId\" IS NOT NULL");
        });

        builder.Entity<Inspection>(i =>
        {
            i.Property(x => x.Title).HasMaxLength(300).IsRequired();
            i.HasOne(x => x.InspectingBody).WithMany().HasForeignKey(x => x.InspectingBodyId).OnDelete(DeleteBehavior.Restrict);
            i.HasOne(x => x.InspectedOrganization).WithMany().HasForeignKey(x => x.InspectedOrganizationId).OnDelete(DeleteBehavior.Restrict);
            i.HasIndex(x => x.InspectedOrganizationId);
            i.HasMany(x => x.Scope).WithOne(x => x.Inspection).HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
            i.Navigation(x => x.Scope).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<InspectionScope>(s =>
        {
            s.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            s.HasIndex(x => new { x.InspectionId, x.OrganizationId }).IsUnique();
        });

        builder.Entity<FindingCategory>(c =>
        {
            c.Property(x => x.Title).HasMaxLength(1000).IsRequired();
            c.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
            c.HasIndex(x => new { x.InspectionId, x.Number }).IsUnique();
        });

        builder.Entity<Finding>(f =>
        {
            f.Property(x => x.Title).HasMaxLength(1000).IsRequired();
            f.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Restrict);
            f.HasOne(x => x.Category).WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Cascade);
            f.HasIndex(x => new { x.InspectionId, x.Number }).IsUnique();
            f.HasIndex(x => x.CategoryId);
            f.HasMany(x => x.Measures).WithOne(x => x.Finding).HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Cascade);
            f.Navigation(x => x.Measures).UsePropertyAccessMode(PropertyAccessMode.Field);
            f.Ignore(x => x.State);
        });

        builder.Entity<Measure>(m =>
        {
            m.Property(x => x.Text).IsRequired();
            m.Property(x => x.SignOffApplicantId).HasMaxLength(450);
            m.Property(x => x.Version).IsConcurrencyToken();
            m.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Restrict);
            m.HasOne(x => x.ResponsibleLeader).WithMany().HasForeignKey(x => x.ResponsibleLeaderId).OnDelete(DeleteBehavior.Restrict);
            m.HasOne(x => x.LeadUnit).WithMany().HasForeignKey(x => x.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
            m.HasIndex(x => new { x.FindingId, x.Number }).IsUnique();

            // The ledger's filters: by inspection with state, kind, unit and deadline.
            m.HasIndex(x => new { x.InspectionId, x.State });
            m.HasIndex(x => new { x.InspectionId, x.LeadUnitId });
            m.HasIndex(x => new { x.InspectionId, x.Deadline });
            m.HasMany(x => x.SupportingUnits).WithOne(x => x.Measure).HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
            m.Navigation(x => x.SupportingUnits).UsePropertyAccessMode(PropertyAccessMode.Field);
            m.HasMany(x => x.Transitions).WithOne(x => x.Measure).HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
            m.Navigation(x => x.Transitions).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<MeasureSupportingUnit>(s =>
        {
            s.HasKey(x => new { x.MeasureId, x.OrganizationId });
            s.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            s.HasIndex(x => x.OrganizationId);
        });

        builder.Entity<MeasureTransition>(t =>
        {
            t.Property(x => x.ActorUserId).HasMaxLength(450).IsRequired();
            t.Property(x => x.ActorName).HasMaxLength(100).IsRequired();
            t.Property(x => x.Reason).HasMaxLength(2000);
            t.HasIndex(x => new { x.MeasureId, x.AtUtc });
        });
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

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class PostgresRectifyDbContext(DbContextOptions<PostgresRectifyDbContext> options) : RectifyDbContext(options);
