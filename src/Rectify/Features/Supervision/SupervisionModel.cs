using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Supervision;

internal sealed class SupervisionNoticeConfiguration : IEntityTypeConfiguration<SupervisionNotice>
{
    public void Configure(EntityTypeBuilder<SupervisionNotice> s)
    {
        s.Property(x => x.Title).HasMaxLength(200).IsRequired();
        s.Property(x => x.Content).HasMaxLength(10000).IsRequired();
        s.Property(x => x.Requirement).HasMaxLength(4000);
        s.Property(x => x.DocumentNumber).HasMaxLength(50);
        s.Property(x => x.ByWhom).HasMaxLength(500);
        s.Property(x => x.People).HasMaxLength(2000);
        s.Property(x => x.Outcome).HasMaxLength(4000);
        s.Property(x => x.CreatedByUserId).HasMaxLength(450).IsRequired();
        s.Property(x => x.CreatedByName).HasMaxLength(200).IsRequired();
        s.Property(x => x.Reply).HasMaxLength(10000);
        s.Property(x => x.RepliedByName).HasMaxLength(200);
        s.Property(x => x.ReplyFileName).HasMaxLength(255);
        s.Property(x => x.CloseNote).HasMaxLength(2000);
        s.Property(x => x.ClosedByName).HasMaxLength(200);

        // A reply and a closing at once: the state is the token, one of them is told someone was first.
        s.Property(x => x.State).IsConcurrencyToken();
        s.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        s.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        s.HasOne<Organization>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
        s.HasOne<Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Restrict);
        s.HasOne<RectificationOutcome>().WithMany().HasForeignKey(x => x.OutcomeEntryId).OnDelete(DeleteBehavior.Restrict);
        s.HasOne(x => x.ReplyFile).WithMany().HasForeignKey(x => x.ReplyFileId).OnDelete(DeleteBehavior.Restrict);

        // 督办〔2026〕3号 is unique per issuing organization: two issued at once cannot take the same number.
        s.HasIndex(x => new { x.IssuerId, x.Year, x.Sequence }).IsUnique();
        s.HasIndex(x => new { x.InspectionId, x.Kind, x.State });
        s.HasIndex(x => x.UnitId);
        s.HasMany(x => x.Measures).WithOne(x => x.Notice).HasForeignKey(x => x.NoticeId).OnDelete(DeleteBehavior.Cascade);
        s.Navigation(x => x.Measures).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SupervisionNoticeMeasureConfiguration : IEntityTypeConfiguration<SupervisionNoticeMeasure>
{
    public void Configure(EntityTypeBuilder<SupervisionNoticeMeasure> m)
    {
        m.ToTable("SupervisionNoticeMeasures");
        m.HasKey(x => new { x.NoticeId, x.MeasureId });
        m.HasOne(x => x.Measure).WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        m.HasIndex(x => x.MeasureId);
    }
}
