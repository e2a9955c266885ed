using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Reports;

internal sealed class ProgressReportConfiguration : IEntityTypeConfiguration<ProgressReport>
{
    public void Configure(EntityTypeBuilder<ProgressReport> r)
    {
        r.Property(x => x.Narrative).HasMaxLength(10000).IsRequired();
        r.Property(x => x.SubmittedByUserId).HasMaxLength(450).IsRequired();
        r.Property(x => x.SubmittedByName).HasMaxLength(200).IsRequired();
        r.Property(x => x.ReviewedByName).HasMaxLength(200);
        r.Property(x => x.ReturnReason).HasMaxLength(2000);
        r.Property(x => x.OnBehalfBasis).HasMaxLength(ProgressReport.MaxOnBehalfBasis);

        // Two reviewers of one report: the second finds the state changed under it and is told so.
        r.Property(x => x.State).IsConcurrencyToken();
        r.HasOne<Measure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        r.HasOne<ProgressReport>().WithMany().HasForeignKey(x => x.RevisionOfId).OnDelete(DeleteBehavior.Restrict);
        r.HasIndex(x => new { x.MeasureId, x.Number }).IsUnique();
        // The review queue by state and time, the measure in the index: the reports waiting, oldest first, read from the
        // index alone (the migration that fills Measure.ReportsAwaitingReview reads it too; 待办 uses that mark, ADR 0035).
        r.HasIndex(x => new { x.State, x.SubmittedAtUtc, x.MeasureId });
        r.HasMany(x => x.Evidence).WithOne(x => x.ProgressReport).HasForeignKey(x => x.ProgressReportId).OnDelete(DeleteBehavior.Cascade);
        r.Navigation(x => x.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> f)
    {
        f.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        f.Property(x => x.Sm3).HasMaxLength(64);
        f.HasIndex(x => x.Sha256).IsUnique();
    }
}

internal sealed class ProgressReportEvidenceConfiguration : IEntityTypeConfiguration<ProgressReportEvidence>
{
    public void Configure(EntityTypeBuilder<ProgressReportEvidence> e)
    {
        e.HasKey(x => new { x.ProgressReportId, x.EvidenceFileId });
        e.Property(x => x.OriginalName).HasMaxLength(255).IsRequired();
        e.Property(x => x.UploadedByUserId).HasMaxLength(450).IsRequired();
        e.HasOne(x => x.EvidenceFile).WithMany().HasForeignKey(x => x.EvidenceFileId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.EvidenceFileId);
    }
}

internal sealed class SupportReportConfiguration : IEntityTypeConfiguration<SupportReport>
{
    public void Configure(EntityTypeBuilder<SupportReport> r)
    {
        r.Property(x => x.Narrative).HasMaxLength(SupportReport.MaxNarrative).IsRequired();
        r.Property(x => x.SubmittedByUserId).HasMaxLength(450).IsRequired();
        r.Property(x => x.SubmittedByName).HasMaxLength(200).IsRequired();
        r.Property(x => x.AttachmentName).HasMaxLength(255);
        r.Property(x => x.WithdrawnByName).HasMaxLength(200);

        // Taken back once: two requests at once both read it standing; the second's update finds it taken back (409).
        r.Property(x => x.WithdrawnAtUtc).IsConcurrencyToken();
        r.HasOne<Measure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);

        // The unit it speaks for is not deleted under it (组织机构's delete is refused, 409).
        r.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        r.HasOne(x => x.AttachmentFile).WithMany().HasForeignKey(x => x.EvidenceFileId).OnDelete(DeleteBehavior.Restrict);

        // A measure's 配合情况, newest first; and a unit's, for the delete's count.
        r.HasIndex(x => new { x.MeasureId, x.SubmittedAtUtc });
        r.HasIndex(x => x.OrganizationId);
    }
}
