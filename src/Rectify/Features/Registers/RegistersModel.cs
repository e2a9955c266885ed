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
        i.HasMany(x => x.Revisions).WithOne().HasForeignKey(x => x.InstitutionId).OnDelete(DeleteBehavior.Cascade);
        i.Navigation(x => x.Revisions).UsePropertyAccessMode(PropertyAccessMode.Field);
        RegisterEntries.ConfigureVersions(i);
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
        o.HasMany(x => x.Revisions).WithOne().HasForeignKey(x => x.OutcomeId).OnDelete(DeleteBehavior.Cascade);
        o.Navigation(x => x.Revisions).UsePropertyAccessMode(PropertyAccessMode.Field);
        RegisterEntries.ConfigureVersions(o);
    }
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> l)
    {
        // Encrypted at rest (Data/ColumnEncryption.cs): the columns hold the longer ciphertext, unbounded; the lengths a
        // person may type (2000 and 1000 characters) are held on the plaintext by FieldLengths.Unbounded.
        l.Property(x => x.Summary).IsRequired();
        l.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        l.HasIndex(x => x.InspectionId);
        l.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        l.Navigation(x => x.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
        l.HasMany(x => x.Revisions).WithOne().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        l.Navigation(x => x.Revisions).UsePropertyAccessMode(PropertyAccessMode.Field);
        RegisterEntries.ConfigureVersions(l);

        // The reason is encrypted too (it tells of the clue): unbounded column, 2000 characters held on the plaintext.
        l.Property(x => x.ChangeReason).Metadata.SetMaxLength(null);
    }
}

internal sealed class RegisterRevisionConfiguration : IEntityTypeConfiguration<RegisterRevision>
{
    public void Configure(EntityTypeBuilder<RegisterRevision> r)
    {
        r.Property(x => x.Values).IsRequired();
        r.Property(x => x.RecordedByName).HasMaxLength(200);

        // Values and ChangeReason are encrypted at rest (Data/ColumnEncryption.cs): unbounded columns, the reason's 2000 characters held on the plaintext.

        // One row per earlier version of an entry; the indexes serve the entry's history too.
        r.HasIndex(x => new { x.InstitutionId, x.Version }).IsUnique();
        r.HasIndex(x => new { x.OutcomeId, x.Version }).IsUnique();
        r.HasIndex(x => new { x.LeadId, x.Version }).IsUnique();
    }
}

/// <summary>What the three registers' entries share: the version (the concurrency token), withdrawal, who made the current version and why.</summary>
internal static class RegisterEntries
{
    public static void ConfigureVersions<T>(EntityTypeBuilder<T> e)
        where T : RegisterEntry
    {
        // Entries registered before versions were kept are their first version.
        e.Property(x => x.Version).IsConcurrencyToken().HasDefaultValue(1).ValueGeneratedNever();
        e.Property(x => x.RecordedByName).HasMaxLength(200);
        e.Property(x => x.ChangeReason).HasMaxLength(2000);
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
