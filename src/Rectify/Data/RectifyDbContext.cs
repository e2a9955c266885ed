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

    public DbSet<Access.ApiToken> ApiTokens => Set<Access.ApiToken>();

    public DbSet<Evidence.ProgressReport> ProgressReports => Set<Evidence.ProgressReport>();

    public DbSet<Evidence.EvidenceFile> EvidenceFiles => Set<Evidence.EvidenceFile>();

    public DbSet<Evidence.LookBack> LookBacks => Set<Evidence.LookBack>();

    public DbSet<Evidence.Institution> Institutions => Set<Evidence.Institution>();

    public DbSet<Evidence.Outcome> Outcomes => Set<Evidence.Outcome>();

    public DbSet<Evidence.Lead> Leads => Set<Evidence.Lead>();

    public DbSet<Evidence.ProgressReportEvidence> ProgressReportEvidence => Set<Evidence.ProgressReportEvidence>();

    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();

    public DbSet<Audit.AuditHead> AuditHeads => Set<Audit.AuditHead>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

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

        builder.Entity<Access.ApiToken>(t =>
        {
            t.Property(x => x.UserId).HasMaxLength(450).IsRequired();
            t.Property(x => x.Name).HasMaxLength(100).IsRequired();
            t.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
            t.Property(x => x.Hash).HasMaxLength(64).IsRequired();
            t.HasIndex(x => x.Prefix).IsUnique();
            t.HasIndex(x => x.UserId);
            t.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Evidence.ProgressReport>(r =>
        {
            r.Property(x => x.Narrative).HasMaxLength(10000).IsRequired();
            r.Property(x => x.SubmittedByUserId).HasMaxLength(450).IsRequired();
            r.Property(x => x.SubmittedByName).HasMaxLength(200).IsRequired();
            r.Property(x => x.ReviewedByName).HasMaxLength(200);
            r.Property(x => x.ReturnReason).HasMaxLength(2000);
            r.HasOne<Measure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<Evidence.ProgressReport>().WithMany().HasForeignKey(x => x.RevisionOfId).OnDelete(DeleteBehavior.Restrict);
            r.HasIndex(x => new { x.MeasureId, x.Number }).IsUnique();
            r.HasIndex(x => new { x.State, x.SubmittedAtUtc });
            r.HasMany(x => x.Evidence).WithOne().HasForeignKey(x => x.ProgressReportId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Evidence.LookBack>(l =>
        {
            l.Property(x => x.ScheduledByName).HasMaxLength(200).IsRequired();
            l.Property(x => x.ReviewedByName).HasMaxLength(200);
            l.Property(x => x.Finding).HasMaxLength(4000);
            l.HasOne<Measure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
            l.HasIndex(x => new { x.MeasureId, x.Result });

            // At most one open look-back per measure, held by the database: two offices scheduling at once cannot both win.
            l.HasIndex(x => x.MeasureId).IsUnique().HasFilter("\"Result\" IS NULL").HasDatabaseName("IX_LookBacks_OneOpenPerMeasure");
            l.HasIndex(x => new { x.Result, x.DueDate });
        });

        builder.Entity<Evidence.Institution>(i =>
        {
            i.Property(x => x.Name).HasMaxLength(300).IsRequired();
            i.Property(x => x.Issuer).HasMaxLength(200).IsRequired();
            i.Property(x => x.DocumentNumber).HasMaxLength(100);
            i.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
            i.HasIndex(x => x.InspectionId);
            i.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Evidence.Outcome>(o =>
        {
            o.Property(x => x.Amount).HasPrecision(18, 2);
            o.Property(x => x.Note).HasMaxLength(1000);
            o.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
            o.HasIndex(x => x.InspectionId);
            o.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.OutcomeId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Evidence.Lead>(l =>
        {
            l.Property(x => x.Summary).HasMaxLength(2000).IsRequired();
            l.Property(x => x.Disposition).HasMaxLength(1000);
            l.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
            l.HasIndex(x => x.InspectionId);
            l.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Evidence.RegisterFinding>(r =>
        {
            r.HasOne<Finding>().WithMany().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Restrict);
            r.HasIndex(x => x.FindingId);
        });

        builder.Entity<Evidence.EvidenceFile>(f =>
        {
            f.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
            f.Property(x => x.Sm3).HasMaxLength(64);
            f.HasIndex(x => x.Sha256).IsUnique();
        });

        builder.Entity<Evidence.ProgressReportEvidence>(e =>
        {
            e.HasKey(x => new { x.ProgressReportId, x.EvidenceFileId });
            e.Property(x => x.OriginalName).HasMaxLength(255).IsRequired();
            e.Property(x => x.UploadedByUserId).HasMaxLength(450).IsRequired();
            e.HasOne(x => x.EvidenceFile).WithMany().HasForeignKey(x => x.EvidenceFileId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.EvidenceFileId);
        });

        builder.Entity<AppSetting>(s =>
        {
            s.HasKey(x => x.Key);
            s.Property(x => x.Key).HasMaxLength(100);
            s.Property(x => x.Value).HasMaxLength(4000);
        });

        builder.Entity<Audit.AuditEntry>(a =>
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

        builder.Entity<Audit.AuditHead>(h =>
        {
            h.Property(x => x.Id).ValueGeneratedNever();
            h.Property(x => x.Mac).HasMaxLength(128).IsRequired();
            h.HasData(new Audit.AuditHead { Id = 1, Sequence = 0, Mac = string.Empty });
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
