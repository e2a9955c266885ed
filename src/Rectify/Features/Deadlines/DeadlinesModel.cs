using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Deadlines;

internal sealed class ImportedCalendarDayConfiguration : IEntityTypeConfiguration<ImportedCalendarDay>
{
    public void Configure(EntityTypeBuilder<ImportedCalendarDay> d)
    {
        d.HasKey(x => x.Date);
        d.Property(x => x.Name).HasMaxLength(50).IsRequired();
        d.HasIndex(x => x.Year);
    }
}

internal sealed class DeadlineExtensionConfiguration : IEntityTypeConfiguration<DeadlineExtension>
{
    public void Configure(EntityTypeBuilder<DeadlineExtension> e)
    {
        e.Property(x => x.Reason).HasMaxLength(4000).IsRequired();
        e.Property(x => x.AttachmentName).HasMaxLength(255);
        e.Property(x => x.RequestedByUserId).HasMaxLength(450).IsRequired();
        e.Property(x => x.RequestedByName).HasMaxLength(200).IsRequired();
        e.Property(x => x.ReviewedByUserId).HasMaxLength(450);
        e.Property(x => x.ReviewedByName).HasMaxLength(200);
        e.Property(x => x.ReviewNote).HasMaxLength(2000);
        e.Property(x => x.DecidedByUserId).HasMaxLength(450);
        e.Property(x => x.DecidedByName).HasMaxLength(200);
        e.Property(x => x.DecisionNote).HasMaxLength(2000);

        // Two reviewers of one request: the state is the token, so the second is told someone was first.
        e.Property(x => x.State).IsConcurrencyToken();
        e.HasOne(x => x.Measure).WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.AttachmentFile).WithMany().HasForeignKey(x => x.EvidenceFileId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.MeasureId, x.Number }).IsUnique();
        e.HasIndex(x => x.State);
    }
}
