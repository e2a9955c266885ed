using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Organizations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> o)
    {
        o.Property(x => x.Name).HasMaxLength(200).IsRequired();
        o.Property(x => x.ShortName).HasMaxLength(100);
        o.Property(x => x.DocumentCode).HasMaxLength(Organization.MaxDocumentCode);
        o.Property(x => x.Path).HasMaxLength(400).IsRequired();
        o.HasIndex(x => x.Path);
        o.HasIndex(x => new { x.ParentId, x.Name }).IsUnique();
        o.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        o.Ignore(x => x.DisplayName);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> p)
    {
        p.Property(x => x.Name).HasMaxLength(100).IsRequired();
        p.Property(x => x.Position).HasMaxLength(100);
        p.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);

        // One account is one person: it approves as that person's measures' responsible leader.
        p.Property(x => x.UserId).HasMaxLength(450);
        p.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        p.HasIndex(x => x.UserId).IsUnique().HasFilter("\"UserId\" IS NOT NULL");
    }
}
