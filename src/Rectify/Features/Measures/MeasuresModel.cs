using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Measures;

internal sealed class MeasureConfiguration : IEntityTypeConfiguration<Measure>
{
    public void Configure(EntityTypeBuilder<Measure> m)
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

        // 原台账已完成、未销号 counted on the ledger: only the measures an imported 台账 gave a standing, seldom all of them.
        m.HasIndex(x => new { x.InspectionId, x.LedgerStanding }, "IX_Measures_InspectionId_LedgerStanding").HasFilter("\"LedgerStanding\" IS NOT NULL");

        // 待办 across inspections (the root office sees the whole city): 待审核 and 待审定 by state, earliest deadline first.
        m.HasIndex(x => new { x.State, x.Deadline });

        // 待办's lists in their order (earliest deadline first) for an office that sees a province: 超期 walks the standing
        // measures by deadline until a page is full, the measures with a report waiting for review and 逾期未报 walk their
        // own (the 长期坚持 ones mostly have no deadline: by the index over every measure they would come last). Issue #12.
        m.HasIndex(x => new { x.Deadline, x.Id }, "IX_Measures_Standing_Deadline_Id").HasFilter("\"WithdrawnAtUtc\" IS NULL");
        m.HasIndex(x => new { x.Deadline, x.Id }, "IX_Measures_ReportsAwaitingReview_Deadline_Id").HasFilter("\"ReportsAwaitingReview\" > 0 AND \"WithdrawnAtUtc\" IS NULL");
        m.HasIndex(x => new { x.Deadline, x.Id }, "IX_Measures_Ongoing_Deadline_Id")
            .HasFilter($"\"State\" = {(int)MeasureState.Ongoing} AND \"WithdrawnAtUtc\" IS NULL");
        m.HasMany(x => x.SupportingUnits).WithOne(x => x.Measure).HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        m.Navigation(x => x.SupportingUnits).UsePropertyAccessMode(PropertyAccessMode.Field);
        m.HasMany(x => x.Transitions).WithOne(x => x.Measure).HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        m.Navigation(x => x.Transitions).UsePropertyAccessMode(PropertyAccessMode.Field);
        m.HasMany(x => x.Revisions).WithOne(x => x.Measure).HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        m.Navigation(x => x.Revisions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MeasureRevisionConfiguration : IEntityTypeConfiguration<MeasureRevision>
{
    public void Configure(EntityTypeBuilder<MeasureRevision> r)
    {
        r.Property(x => x.ActorUserId).HasMaxLength(450).IsRequired();
        r.Property(x => x.ActorName).HasMaxLength(100).IsRequired();
        r.Property(x => x.Reason).HasMaxLength(2000);
        r.Property(x => x.Text).IsRequired();
        r.Property(x => x.ResponsibleLeaderName).HasMaxLength(100);
        r.Property(x => x.LeadUnitName).HasMaxLength(300);
        r.Property(x => x.SupportingUnits).HasMaxLength(4000).IsRequired();
        r.HasOne(x => x.ResponsibleLeader).WithMany().HasForeignKey(x => x.ResponsibleLeaderId).OnDelete(DeleteBehavior.Restrict);
        r.HasOne(x => x.LeadUnit).WithMany().HasForeignKey(x => x.LeadUnitId).OnDelete(DeleteBehavior.Restrict);

        // The plan as adopted on a day: per measure, the latest version made on or before it.
        r.HasIndex(x => new { x.MeasureId, x.Number }).IsUnique();
        r.HasIndex(x => new { x.MeasureId, x.AtUtc });
    }
}

internal sealed class MeasureSupportingUnitConfiguration : IEntityTypeConfiguration<MeasureSupportingUnit>
{
    public void Configure(EntityTypeBuilder<MeasureSupportingUnit> s)
    {
        s.HasKey(x => new { x.MeasureId, x.OrganizationId });
        s.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => x.OrganizationId);
    }
}

internal sealed class MeasureTransitionConfiguration : IEntityTypeConfiguration<MeasureTransition>
{
    public void Configure(EntityTypeBuilder<MeasureTransition> t)
    {
        t.Property(x => x.ActorUserId).HasMaxLength(450).IsRequired();
        t.Property(x => x.ActorName).HasMaxLength(100).IsRequired();
        t.Property(x => x.Reason).HasMaxLength(2000);
        t.HasIndex(x => new { x.MeasureId, x.AtUtc });
    }
}
