using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

internal sealed class InspectionConfiguration : IEntityTypeConfiguration<Inspection>
{
    public void Configure(EntityTypeBuilder<Inspection> i)
    {
        i.Property(x => x.Title).HasMaxLength(300).IsRequired();
        i.HasOne(x => x.InspectingBody).WithMany().HasForeignKey(x => x.InspectingBodyId).OnDelete(DeleteBehavior.Restrict);
        i.HasOne(x => x.InspectedOrganization).WithMany().HasForeignKey(x => x.InspectedOrganizationId).OnDelete(DeleteBehavior.Restrict);
        i.HasIndex(x => x.InspectedOrganizationId);
        i.HasMany(x => x.Scope).WithOne(x => x.Inspection).HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        i.Navigation(x => x.Scope).UsePropertyAccessMode(PropertyAccessMode.Field);
        i.Property(x => x.Round).HasMaxLength(200);

        // Two people moving the plan at once: the state is the token, so one succeeds and the other is told.
        i.Property(x => x.PlanState).IsConcurrencyToken();
        i.Property(x => x.PlanSubmittedByUserId).HasMaxLength(450);
        i.Property(x => x.PlanMeetingName).HasMaxLength(200);
        i.Property(x => x.PlanAdoptedByName).HasMaxLength(100);
        i.HasMany(x => x.PlanTransitions).WithOne(x => x.Inspection).HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        i.Navigation(x => x.PlanTransitions).UsePropertyAccessMode(PropertyAccessMode.Field);

        // 红黄绿规则: four columns on the inspection; an inspection from before them reads the default (all zero).
        i.ComplexProperty(x => x.SignalRules, r =>
        {
            r.Property(x => x.RedWhenUnderDuban).HasColumnName("SignalRedWhenUnderDuban");
            r.Property(x => x.WarnWithinWorkingDays).HasColumnName("SignalWarnWithinWorkingDays");
            r.Property(x => x.WarnWhenReportReturned).HasColumnName("SignalWarnWhenReportReturned");
            r.Property(x => x.GreenWhenOnTrack).HasColumnName("SignalGreenWhenOnTrack");
        });
    }
}

internal sealed class PlanTransitionConfiguration : IEntityTypeConfiguration<PlanTransition>
{
    public void Configure(EntityTypeBuilder<PlanTransition> t)
    {
        t.Property(x => x.ActorUserId).HasMaxLength(450).IsRequired();
        t.Property(x => x.ActorName).HasMaxLength(100).IsRequired();
        t.Property(x => x.Reason).HasMaxLength(2000);
        t.HasIndex(x => new { x.InspectionId, x.AtUtc });
    }
}

internal sealed class InspectionScopeConfiguration : IEntityTypeConfiguration<InspectionScope>
{
    public void Configure(EntityTypeBuilder<InspectionScope> s)
    {
        s.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => new { x.InspectionId, x.OrganizationId }).IsUnique();
    }
}

internal sealed class FindingCategoryConfiguration : IEntityTypeConfiguration<FindingCategory>
{
    public void Configure(EntityTypeBuilder<FindingCategory> c)
    {
        c.Property(x => x.Title).HasMaxLength(1000).IsRequired();
        c.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        c.HasIndex(x => new { x.InspectionId, x.Number }).IsUnique();
    }
}

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> f)
    {
        f.Property(x => x.Title).HasMaxLength(1000).IsRequired();
        f.HasOne(x => x.Inspection).WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Restrict);
        f.HasOne(x => x.Category).WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Cascade);
        f.HasIndex(x => new { x.InspectionId, x.Number }).IsUnique();
        f.HasIndex(x => x.CategoryId);
        f.HasMany(x => x.Measures).WithOne(x => x.Finding).HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Cascade);
        f.Navigation(x => x.Measures).UsePropertyAccessMode(PropertyAccessMode.Field);
        f.Ignore(x => x.State);
    }
}
