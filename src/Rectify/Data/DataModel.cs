using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Data;

internal sealed class RectifyUserConfiguration : IEntityTypeConfiguration<RectifyUser>
{
    public void Configure(EntityTypeBuilder<RectifyUser> u)
    {
        u.Property(x => x.DisplayName).HasMaxLength(100);
        u.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PasswordHistoryEntryConfiguration : IEntityTypeConfiguration<PasswordHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PasswordHistoryEntry> h)
    {
        h.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        h.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        h.HasIndex(x => new { x.UserId, x.Id });
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> t)
    {
        t.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        t.Property(x => x.Name).HasMaxLength(100).IsRequired();
        t.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        t.Property(x => x.Hash).HasMaxLength(64).IsRequired();
        t.HasIndex(x => x.Prefix).IsUnique();
        t.HasIndex(x => x.UserId);
        t.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppSettingConfiguration : IEntityTypeConfiguration<AppSetting>
{
    public void Configure(EntityTypeBuilder<AppSetting> s)
    {
        s.HasKey(x => x.Key);
        s.Property(x => x.Key).HasMaxLength(100);
        s.Property(x => x.Value).HasMaxLength(4000);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> a)
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
        a.Property(x => x.KeyId).HasMaxLength(32);
    }
}

internal sealed class AuditHeadConfiguration : IEntityTypeConfiguration<AuditHead>
{
    public void Configure(EntityTypeBuilder<AuditHead> h)
    {
        h.Property(x => x.Id).ValueGeneratedNever();
        h.Property(x => x.Mac).HasMaxLength(128).IsRequired();
        h.Property(x => x.KeyId).HasMaxLength(32);
        h.Property(x => x.HeadMac).HasMaxLength(128);
        h.HasData(new AuditHead { Id = 1, Sequence = 0, Mac = string.Empty });
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> s)
    {
        s.HasKey(x => x.Id);
        s.Property(x => x.Id).HasMaxLength(64);
        s.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        s.Property(x => x.EndReason).HasMaxLength(32);
        s.Property(x => x.SourceAddress).HasMaxLength(64);
        s.HasIndex(x => new { x.UserId, x.EndedAtUtc });
        s.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
