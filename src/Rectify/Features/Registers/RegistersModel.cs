using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Registers;

internal sealed class InstitutionConfiguration : IEntityTypeConfiguration<Institution>
{
    public void Configure(EntityTypeBuilder<Institution> i)
    {
        i.Property(x => x.Name).HasMaxLength(300).IsRequired();
        i.Property(x => x.Issuer).HasMaxLength(200).IsRequired();
        i.Property(x => x.DocumentNumber).HasMaxLength(100);
        i.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        i.HasIndex(x => x.InspectionId);
        i.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        i.Navigation(x => x.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class RectificationOutcomeConfiguration : IEntityTypeConfiguration<RectificationOutcome>
{
    public void Configure(EntityTypeBuilder<RectificationOutcome> o)
    {
        o.ToTable("Outcomes");
        o.Property(x => x.Amount).HasPrecision(18, 2);
        o.Property(x => x.Note).HasMaxLength(1000);
        o.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        o.HasIndex(x => x.InspectionId);
        o.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.OutcomeId).OnDelete(DeleteBehavior.Cascade);
        o.Navigation(x => x.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> l)
    {
        l.Property(x => x.Summary).HasMaxLength(2000).IsRequired();
        l.Property(x => x.Disposition).HasMaxLength(1000);
        l.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        l.HasIndex(x => x.InspectionId);
        l.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        l.Navigation(x => x.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class RegisterFindingConfiguration : IEntityTypeConfiguration<RegisterFinding>
{
    public void Configure(EntityTypeBuilder<RegisterFinding> r)
    {
        r.HasOne<Finding>().WithMany().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Restrict);
        r.HasIndex(x => x.FindingId);
    }
}
