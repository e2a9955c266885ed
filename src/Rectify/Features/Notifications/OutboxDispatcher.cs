using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Notifications;

/// <summary>What one pass of the dispatcher did.</summary>
public sealed record DispatchResult(int Sent, int Failed, int Dead, int Postponed);

/// <summary>
/// Sends what the outbox holds, off the request path. A row is taken by a conditional update (held for a few minutes,
/// so a second instance leaves it alone), sent, and marked sent; a failure is retried after 1, 2, 4 … times the base
/// wait, and after the last attempt the row goes to the dead-letter list. Email waits out the person's quiet hours.
/// Delivery is at least once: a crash between the send and the mark sends that one row again, and the generic webhook
/// carries the delivery's id (X-Rectify-Delivery, "id") so that a receiver can drop the repeat.
/// </summary>
public sealed class OutboxDispatcher(
    RectifyDbContext db,
    IOptions<NotificationOptions> options,
    EmailChannel email,
    WebhookChannel webhooks,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);

    public async Task<DispatchResult> DispatchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        int sent = 0, failed = 0, dead = 0, postponed = 0;
        var seen = new HashSet<long>();
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await db.Notifications.AsNoTracking()
                .Where(n => n.State == NotificationState.Pending && n.NextAttemptAtUtc <= now && (n.LockedUntilUtc == null || n.LockedUntilUtc < now))
                .OrderBy(n => n.NextAttemptAtUtc).ThenBy(n => n.Id).Take(50).ToListAsync(cancellationToken);
            due.RemoveAll(n => !seen.Add(n.Id));
            if (due.Count == 0)
            {
                return new DispatchResult(sent, failed, dead, postponed);
            }

            var preferences = await PreferencesAsync(due, cancellationToken);
            foreach (var n in due)
            {
                var until = now + Hold;
                var taken = await db.Notifications.Where(x => x.Id == n.Id && x.State == NotificationState.Pending && (x.LockedUntilUtc == null || x.LockedUntilUtc < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntilUtc, until), cancellationToken);
                if (taken == 0)
                {
                    continue;
                }

                string? address = null;
                if (n.Channel == NotificationChannel.Email)
                {
                    var (p, accountEmail) = preferences.GetValueOrDefault(n.RecipientUserId ?? string.Empty);
                    address = string.IsNullOrWhiteSpace(p?.EmailAddress) ? accountEmail : p.EmailAddress;
                    if (!o.Smtp.Enabled || p?.EmailEnabled == false || string.IsNullOrWhiteSpace(address))
                    {
                        await FinishAsync(n.Id, NotificationState.Cancelled, n.Attempts, now, null, "邮件已关闭或没有邮箱地址。", cancellationToken);
                        continue;
                    }

                    if (QuietUntil(p?.QuietFrom ?? o.DefaultQuietFrom, p?.QuietUntil ?? o.DefaultQuietUntil, now) is { } later)
                    {
                        await db.Notifications.Where(x => x.Id == n.Id)
                            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAtUtc, later).SetProperty(x => x.LockedUntilUtc, (DateTime?)null), cancellationToken);
                        postponed++;
                        continue;
                    }
                }

                try
                {
                    await SendAsync(n, address, now, cancellationToken);
                    await FinishAsync(n.Id, NotificationState.Sent, n.Attempts + 1, now, now, null, cancellationToken);
                    sent++;
                }
                catch (Exception e) when (e is DeliveryException or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException
                    or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or System.Net.Sockets.SocketException or IOException or TimeoutException or MimeKit.ParseException)
                {
                    var attempts = n.Attempts + 1;
                    var why = Safe(e, n.Channel == NotificationChannel.Webhook ? o.Webhooks.FirstOrDefault(w => w.Name == n.Recipient) : null, o.Smtp);
                    if (attempts >= o.MaxAttempts)
                    {
                        await FinishAsync(n.Id, NotificationState.Dead, attempts, now, null, why, cancellationToken);
                        dead++;
                        logger.LogWarning("通知 {Id}（{Channel}）第 {Attempts} 次发送失败，已转入死信：{Error}", n.Id, n.Channel, attempts, why);
                    }
                    else
                    {
                        var wait = TimeSpan.FromSeconds(Math.Min(o.RetryBaseSeconds * Math.Pow(2, attempts - 1), 6 * 3600));
                        await db.Notifications.Where(x => x.Id == n.Id).ExecuteUpdateAsync(
                            s => s.SetProperty(x => x.Attempts, attempts).SetProperty(x => x.NextAttemptAtUtc, now + wait)
                                .SetProperty(x => x.LockedUntilUtc, (DateTime?)null).SetProperty(x => x.LastError, why),
                            cancellationToken);
                        failed++;
                        if (logger.IsEnabled(LogLevel.Information))
                        {
                            logger.LogInformation("通知 {Id}（{Channel}）第 {Attempts} 次发送失败，{Wait} 后重试：{Error}", n.Id, n.Channel, attempts, wait, why);
                        }
                    }
                }
            }
        }
    }

    private async Task SendAsync(Notification n, string? address, DateTime now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var path = n.Link ?? (n.MeasureId is { } m ? "/measures/" + m.ToString(CultureInfo.InvariantCulture) : null);
        var link = path is null ? null : (o.BaseUrl?.TrimEnd('/') ?? string.Empty) + path;
        switch (n.Channel)
        {
            case NotificationChannel.Email:
                var body = link is null ? n.Body : n.Body + "\n\n查看：" + link;
                await email.SendAsync(address!, n.Subject, body + "\n\n——巡察整改管理系统（本邮件由系统自动发送，请勿直接回复）", cancellationToken);
                break;
            case NotificationChannel.Webhook:
                var hook = o.Webhooks.FirstOrDefault(w => w.Name == n.Recipient) ?? throw new DeliveryException("这个通知渠道已不在设置中。");
                await webhooks.SendAsync(hook, new WebhookEvent(n.Id, n.Kind, n.Subject, n.Body, n.MeasureId, n.ReminderDay, link, new DateTimeOffset(now, TimeSpan.Zero)), cancellationToken);
                break;
            default:
                break;
        }
    }

    private Task<int> FinishAsync(long id, NotificationState state, int attempts, DateTime now, DateTime? sentAt, string? error, CancellationToken cancellationToken) =>
        db.Notifications.Where(x => x.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.State, state).SetProperty(x => x.Attempts, attempts).SetProperty(x => x.SentAtUtc, sentAt)
                .SetProperty(x => x.LockedUntilUtc, (DateTime?)null).SetProperty(x => x.LastError, error).SetProperty(x => x.NextAttemptAtUtc, now),
            cancellationToken);

    private async Task<Dictionary<string, (NotificationPreference? Preference, string? Email)>> PreferencesAsync(List<Notification> due, CancellationToken cancellationToken)
    {
        var users = due.Where(n => n.Channel == NotificationChannel.Email && n.RecipientUserId != null).Select(n => n.RecipientUserId!).Distinct().ToList();
        if (users.Count == 0)
        {
            return [];
        }

        var rows = await db.Users.AsNoTracking().Where(u => users.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, Preference = db.NotificationPreferences.FirstOrDefault(p => p.UserId == u.Id) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.Preference, r.Email));
    }

    /// <summary>When quiet hours (China time) hold at <paramref name="nowUtc"/>, the instant they end; otherwise null.</summary>
    public static DateTime? QuietUntil(TimeOnly from, TimeOnly until, DateTime nowUtc)
    {
        if (from == until)
        {
            return null;
        }

        var local = nowUtc + ChinaTime.Offset;
        var time = TimeOnly.FromDateTime(local);
        var quiet = from < until ? time >= from && time < until : time >= from || time < until;
        if (!quiet)
        {
            return null;
        }

        var endDay = DateOnly.FromDateTime(local);
        if (from > until && time >= from)
        {
            endDay = endDay.AddDays(1);
        }

        return DateTime.SpecifyKind(endDay.ToDateTime(until) - ChinaTime.Offset, DateTimeKind.Utc);
    }

    /// <summary>The failure in words that may be stored and shown: the exception's own message with every secret and address blanked.</summary>
    private static string Safe(Exception e, WebhookOptions? hook, SmtpOptions smtp)
    {
        var text = e.Message;
        foreach (var secret in new[] { hook?.Url, hook?.Secret, smtp.Password, smtp.UserName }.Where(s => !string.IsNullOrEmpty(s)))
        {
            text = text.Replace(secret!, "***", StringComparison.Ordinal);
        }

        if (hook is not null && Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Query))
        {
            text = text.Replace(uri.Query.TrimStart('?'), "***", StringComparison.Ordinal);
        }

        var kind = e is DeliveryException ? string.Empty : e.GetType().Name + ": ";
        text = kind + text;
        return text.Length > 500 ? text[..500] : text;
    }
}
