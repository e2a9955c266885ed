using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Notifications;

/// <summary>A dead letter as the administrator sees it: what, to which channel, why it failed — never an address or a secret.</summary>
public sealed record DeadLetter(long Id, string Kind, NotificationChannel Channel, string Recipient, int Attempts, DateTime CreatedAtUtc, DateTime NextAttemptAtUtc, string? LastError)
{
    /// <summary>
    /// What the system administrator, one of the 三员, is shown of the notice: its kind in words ("【超期提醒】"), from the
    /// Kind column, never from the subject, which carries the measure's wording or the plan's title.
    /// </summary>
    public string Heading => NotificationKinds.Heading(Kind);
}

/// <summary>The inbox (each person's own in-app messages) and the dead-letter list (the system administrator's).</summary>
public sealed class NotificationAdministration(RectifyDbContext db, Caller caller, AuditLog audit, TimeProvider clock)
{
    public const int PageSize = 50;

    public async Task<ListPage<DeadLetter>> DeadLettersAsync(int page, CancellationToken cancellationToken)
    {
        caller.Require(Permission.ManageNotifications);
        var dead = db.Notifications.AsNoTracking().Where(n => n.State == NotificationState.Dead);
        return await dead.OrderByDescending(n => n.Id).ToListPageAsync(page, PageSize, letters => letters
            .Select(n => new DeadLetter(n.Id, n.Kind, n.Channel,
                n.Channel == NotificationChannel.Webhook ? n.Recipient : db.Users.Where(u => u.Id == n.RecipientUserId).Select(u => u.DisplayName).FirstOrDefault() ?? "—",
                n.Attempts, n.CreatedAtUtc, n.NextAttemptAtUtc, n.LastError)), cancellationToken);
    }

    /// <summary>Puts dead letters back in the queue, to go at once with a fresh count of attempts (all of them when <paramref name="ids"/> is empty); audited.</summary>
    public async Task<int> ResendAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        caller.Require(Permission.ManageNotifications);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dead = db.Notifications.Where(n => n.State == NotificationState.Dead);
        if (ids.Count > 0)
        {
            dead = dead.Where(n => ids.Contains(n.Id));
        }

        var chosen = await dead.Select(n => n.Id).ToListAsync(cancellationToken);
        BusinessRules.Check(new ThereIsADeadLetterToResend(chosen.Count));
        await db.Notifications.Where(n => chosen.Contains(n.Id) && n.State == NotificationState.Dead).ExecuteUpdateAsync(
            s => s.SetProperty(n => n.State, NotificationState.Pending).SetProperty(n => n.Attempts, 0).SetProperty(n => n.NextAttemptAtUtc, now)
                .SetProperty(n => n.LockedUntilUtc, (DateTime?)null),
            cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.NotificationsResent, ObjectType: "Notification", ObjectId: chosen.Count == 1 ? chosen[0].ToString(CultureInfo.InvariantCulture) : null, After: new { Count = chosen.Count, Ids = chosen.Take(100) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return chosen.Count;
    }

    private sealed class ThereIsADeadLetterToResend(int count) : IBusinessRule
    {
        public bool IsBroken() => count == 0;

        public string Message => "没有可重新发送的失败通知（可能已被重新发送）。";

        public Refusal Refusal => Refusal.Conflict;
    }
}

/// <summary>One message in the inbox.</summary>
/// <summary>One in-app message; <see cref="Link"/> is the local path of what a hand-off is about (a plan, a 督办单…), when it is not a measure.</summary>
public sealed record InboxMessage(long Id, string Kind, string Subject, string Body, int? MeasureId, string? Link, DateTime AtUtc, bool Read);

/// <summary>The signed-in person's own in-app messages: only ever theirs.</summary>
public sealed class Inbox(RectifyDbContext db, Caller caller, TimeProvider clock)
{
    public const int PageSize = 30;

    private IQueryable<Notification> Mine => db.Notifications.Where(n => n.RecipientUserId == caller.Scope.UserId && n.Channel == NotificationChannel.InApp && n.State == NotificationState.Sent);

    public async Task<(ListPage<InboxMessage> Page, int Unread)> PageAsync(bool unreadOnly, int page, CancellationToken cancellationToken)
    {
        var mine = Mine.AsNoTracking();
        var unread = await mine.CountAsync(n => n.ReadAtUtc == null, cancellationToken);
        if (unreadOnly)
        {
            mine = mine.Where(n => n.ReadAtUtc == null);
        }

        var total = unreadOnly ? unread : await mine.CountAsync(cancellationToken);
        var shown = await mine.OrderByDescending(n => n.Id).ToListPageAsync(total, page, PageSize, messages => messages
            .Select(n => new InboxMessage(n.Id, n.Kind, n.Subject, n.Body, n.MeasureId, n.Link, n.SentAtUtc ?? n.CreatedAtUtc, n.ReadAtUtc != null)), cancellationToken);
        return (shown, unread);
    }

    /// <summary>Marks one message read (or all, with null); another person's message is simply not found.</summary>
    public Task<int> MarkReadAsync(long? id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = Mine.Where(n => n.ReadAtUtc == null);
        if (id is { } one)
        {
            mine = mine.Where(n => n.Id == one);
        }

        return mine.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAtUtc, now), cancellationToken);
    }
}
