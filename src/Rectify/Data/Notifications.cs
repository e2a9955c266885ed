using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rectify.Data;

/// <summary>How a notification reaches its recipient.</summary>
public enum NotificationChannel
{
    /// <summary>站内消息: the 消息 page.</summary>
    InApp = 1,

    /// <summary>电子邮件 over SMTP.</summary>
    Email = 2,

    /// <summary>A webhook: a generic signed JSON event or a 企业微信/政务微信/钉钉/浙政钉 group robot.</summary>
    Webhook = 3,
}

public enum NotificationState
{
    /// <summary>Waiting to be gathered into a digest (catch-up after downtime, or the person asked for a daily digest).</summary>
    Held = 0,

    /// <summary>Waiting to be sent, at <see cref="Notification.NextAttemptAtUtc"/>.</summary>
    Pending = 1,

    /// <summary>Delivered (an in-app message is delivered when it is written).</summary>
    Sent = 2,

    /// <summary>Given up after the last retry: on the administrator's dead-letter list until re-sent.</summary>
    Dead = 3,

    /// <summary>Folded into the digest <see cref="Notification.DigestId"/>; not sent on its own.</summary>
    Digested = 4,

    /// <summary>Not sent: the channel was switched off or the address removed before it went.</summary>
    Cancelled = 5,
}

/// <summary>
/// One delivery in the outbox: one message to one recipient over one channel. Written in the same transaction as the
/// decision to send it; a background dispatcher sends it later, off the request path, with retries. The dedup key is
/// unique, so a scan that runs twice (after a restart, or on two instances) cannot write the same delivery twice.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }

    /// <summary>Unique: the reminder's key (kind, subject, day), the channel and the recipient; or a digest's own.</summary>
    public string DedupKey { get; set; } = string.Empty;

    /// <summary>The reminder this delivery carries ("Overdue:m123:2026-12-01"), the same for every recipient and channel; null for a digest.</summary>
    public string? ReminderKey { get; set; }

    /// <summary>What it is about: a reminder kind's name, or "Digest".</summary>
    public string Kind { get; set; } = string.Empty;

    public NotificationChannel Channel { get; set; }

    /// <summary>The account it is for (in-app and email); null for a webhook.</summary>
    public string? RecipientUserId { get; set; }

    /// <summary>The webhook's configured name, for a webhook; the account id otherwise.</summary>
    public string Recipient { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    /// <summary>The measure it is about, when it is about one (a link in the inbox).</summary>
    public int? MeasureId { get; set; }

    /// <summary>
    /// Where the inbox (and an email) points when the notification is about something other than a measure: a local path
    /// such as "/inspections/12/plan" or "/supervision/7" (a hand-off, docs/adr/0040). Null for a measure's reminder.
    /// </summary>
    public string? Link { get; set; }

    /// <summary>The day the reminder fell due.</summary>
    public DateOnly? ReminderDay { get; set; }

    /// <summary>It fell due while no scan ran (downtime): it goes out in a digest, not on its own.</summary>
    public bool IsCatchUp { get; set; }

    public NotificationState State { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAtUtc { get; set; }

    /// <summary>A dispatcher that took the row holds it until then; another instance leaves it alone.</summary>
    public DateTime? LockedUntilUtc { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? SentAtUtc { get; set; }

    /// <summary>The last failure, without addresses or secrets.</summary>
    public string? LastError { get; set; }

    /// <summary>The digest that carried this one.</summary>
    public long? DigestId { get; set; }

    /// <summary>When the recipient read it (in-app).</summary>
    public DateTime? ReadAtUtc { get; set; }
}

/// <summary>A person's choices for their notifications (通知设置); a person without a row has the defaults.</summary>
public sealed class NotificationPreference
{
    public string UserId { get; set; } = string.Empty;

    public bool EmailEnabled { get; set; } = true;

    /// <summary>Where email goes; the account's own address when empty.</summary>
    public string? EmailAddress { get; set; }

    /// <summary>One digest a day instead of each reminder on its own.</summary>
    public bool Digest { get; set; }

    /// <summary>免打扰: no email from this time (China time) …</summary>
    public TimeOnly? QuietFrom { get; set; }

    /// <summary>… until this time; the held email goes out when it ends.</summary>
    public TimeOnly? QuietUntil { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> n)
    {
        n.Property(x => x.DedupKey).HasMaxLength(300).IsRequired();
        n.HasIndex(x => x.DedupKey).IsUnique();
        n.Property(x => x.ReminderKey).HasMaxLength(120);
        n.HasIndex(x => x.ReminderKey);
        n.Property(x => x.Kind).HasMaxLength(40).IsRequired();
        n.Property(x => x.RecipientUserId).HasMaxLength(450);
        n.Property(x => x.Recipient).HasMaxLength(450).IsRequired();
        n.Property(x => x.Subject).HasMaxLength(300).IsRequired();
        n.Property(x => x.Body).IsRequired();
        n.Property(x => x.LastError).HasMaxLength(500);
        n.Property(x => x.Link).HasMaxLength(200);

        // The dispatcher's queue, the inbox with its unread count, and the digests' gathering.
        n.HasIndex(x => new { x.State, x.NextAttemptAtUtc });
        n.HasIndex(x => new { x.RecipientUserId, x.Channel, x.ReadAtUtc });
        n.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.RecipientUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> p)
    {
        p.HasKey(x => x.UserId);
        p.Property(x => x.UserId).HasMaxLength(450);
        p.Property(x => x.EmailAddress).HasMaxLength(256);
        p.HasOne<RectifyUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class InboxQueries
{
    /// <summary>The person's unread in-app messages (the count in the header).</summary>
    public static Task<int> UnreadCountAsync(this RectifyDbContext db, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Notifications.CountAsync(
            n => n.RecipientUserId == userId && n.Channel == NotificationChannel.InApp && n.State == NotificationState.Sent && n.ReadAtUtc == null,
            cancellationToken);
    }
}
