using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Notifications;

/// <summary>How far a scan has come: reminders written so far, of how many new ones.</summary>
public readonly record struct ScanProgress(int Written, int Total);

/// <summary>What one scan did.</summary>
public sealed record ScanResult(DateOnly Day, int Due, int New, int Deliveries, int Digests, bool CatchUp);

/// <summary>
/// The reminder scan. It asks every <see cref="IReminderSource"/> what has fallen due today, leaves out what an earlier
/// scan wrote (by the reminder's key: kind, subject, day), and writes each new reminder's deliveries into the outbox in
/// batches, one transaction each. So a scan stopped half-way (a restart, a crash) has written whole reminders or none,
/// and the next scan writes exactly the rest. Every reminder of a run that follows missed days (downtime; on the first
/// scan ever, those that fell due before today), or one for a person who asked for a digest, is held; at the end
/// the held deliveries of each person and channel become ONE digest.
/// </summary>
public sealed class ReminderScan(RectifyDbContext db, IEnumerable<IReminderSource> sources, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string LastScanDayKey = "notifications.last-scan-day";

    public async Task<ScanResult> RunAsync(IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.Today(clock);
        var last = await LastScanDayAsync(db, cancellationToken);
        var catchUpRun = last is { } l && l < today.AddDays(-1);

        var found = new List<(IReminderSource Source, DueReminder Due)>();
        foreach (var source in sources)
        {
            found.AddRange((await source.FindDueAsync(today, cancellationToken)).Select(d => (source, d)));
        }

        var written = await WrittenAsync(found.Select(f => f.Due.Key), cancellationToken);
        var fresh = found.Where(f => !written.Contains(f.Due.Key)).ToList();

        var preferences = await db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.UserId, cancellationToken);
        var emails = o.Smtp.Enabled
            ? await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email!, cancellationToken)
            : [];
        var deliveries = 0;
        var done = 0;
        foreach (var group in fresh.GroupBy(f => f.Source))
        {
            foreach (var batch in group.Select(f => f.Due).Chunk(o.BatchSize))
            {
                var messages = await group.Key.DescribeAsync(batch, today, cancellationToken);
                foreach (var m in messages)
                {
                    // Late: it fell due on a day no scan ran (downtime, or before the first scan ever); one that only now
                    // qualifies (a new measure, a moved deadline) after a day that was scanned is news, sent as usual.
                    var late = catchUpRun || (last is null && m.Due.Day < today);
                    foreach (var userId in m.Recipients)
                    {
                        var p = preferences.GetValueOrDefault(userId);
                        var held = late || p?.Digest == true;
                        db.Notifications.Add(Delivery(m, NotificationChannel.InApp, userId, userId, held, late, now));
                        deliveries++;
                        if (o.Smtp.Enabled && (p?.EmailEnabled ?? true) && (!string.IsNullOrWhiteSpace(p?.EmailAddress) || emails.ContainsKey(userId)))
                        {
                            db.Notifications.Add(Delivery(m, NotificationChannel.Email, userId, userId, held, late, now));
                            deliveries++;
                        }
                    }

                    foreach (var hook in o.Webhooks.Where(w => w.Wants(m.Due.Kind.ToString())))
                    {
                        db.Notifications.Add(Delivery(m, NotificationChannel.Webhook, null, hook.Name, late, late, now));
                        deliveries++;
                    }
                }

                // One transaction per batch: a reminder's deliveries are written together or not at all.
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                done += batch.Length;
                progress?.Report(new ScanProgress(done, fresh.Count));
            }
        }

        var digests = await ComposeDigestsAsync(now, cancellationToken);
        await SetLastScanDayAsync(today, cancellationToken);
        return new ScanResult(today, found.Count, fresh.Count, deliveries, digests, catchUpRun);
    }

    private static Notification Delivery(ReminderMessage m, NotificationChannel channel, string? userId, string recipient, bool held, bool late, DateTime now) => new()
    {
        DedupKey = $"{m.Due.Key}|{channel}|{recipient}",
        ReminderKey = m.Due.Key,
        Kind = m.Due.Kind.ToString(),
        Channel = channel,
        RecipientUserId = userId,
        Recipient = recipient,
        Subject = m.Subject.Length > 300 ? m.Subject[..299] + "…" : m.Subject,
        Body = m.Body,
        MeasureId = m.MeasureId,
        ReminderDay = m.Due.Day,
        IsCatchUp = late,
        State = held ? NotificationState.Held : channel == NotificationChannel.InApp ? NotificationState.Sent : NotificationState.Pending,
        SentAtUtc = !held && channel == NotificationChannel.InApp ? now : null,
        NextAttemptAtUtc = now,
        CreatedAtUtc = now,
    };

    private async Task<HashSet<string>> WrittenAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct().Chunk(2000))
        {
            written.UnionWith(await db.Notifications.AsNoTracking().Where(n => n.ReminderKey != null && chunk.Contains(n.ReminderKey)).Select(n => n.ReminderKey!).Distinct().ToListAsync(cancellationToken));
        }

        return written;
    }

    /// <summary>Every person's (and webhook's) held deliveries on one channel become one digest, in one transaction each.</summary>
    private async Task<int> ComposeDigestsAsync(DateTime now, CancellationToken cancellationToken)
    {
        var groups = await db.Notifications.AsNoTracking().Where(n => n.State == NotificationState.Held)
            .Select(n => new { n.Channel, n.Recipient, n.RecipientUserId }).Distinct().ToListAsync(cancellationToken);
        var count = 0;
        foreach (var g in groups)
        {
            var items = await db.Notifications.AsNoTracking().Where(n => n.State == NotificationState.Held && n.Channel == g.Channel && n.Recipient == g.Recipient)
                .OrderBy(n => n.ReminderDay).ThenBy(n => n.Id).Select(n => new { n.Id, n.IsCatchUp }).ToListAsync(cancellationToken);
            if (items.Count == 0)
            {
                continue;
            }

            // A digest lists the first reminders in words and counts the rest: after a long stop (or the first scan of a
            // large installation) a person or a group gets one readable message, not one of tens of megabytes.
            var listedIds = items.Take(options.Value.DigestListsAtMost).Select(i => i.Id).ToList();
            var texts = await db.Notifications.AsNoTracking().Where(n => listedIds.Contains(n.Id)).Select(n => new { n.Id, n.Subject, n.Body }).ToDictionaryAsync(n => n.Id, cancellationToken);
            var catchUp = items.Any(i => i.IsCatchUp);
            var body = new StringBuilder();
            body.Append(catchUp ? "系统暂停运行期间累计的提醒，合并为一条发送。" : "今日提醒汇总。").Append('\n');
            for (var i = 0; i < listedIds.Count; i++)
            {
                var text = texts[listedIds[i]];
                body.Append('\n').Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").Append(text.Subject).Append('\n')
                    .Append(string.Join('\n', text.Body.Split('\n').Select(line => "   " + line))).Append('\n');
            }

            if (items.Count > listedIds.Count)
            {
                body.Append('\n').Append(string.Create(CultureInfo.InvariantCulture, $"另有 {items.Count - listedIds.Count} 条提醒未列出，请登录系统在“消息”中查看。")).Append('\n');
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var digest = new Notification
            {
                DedupKey = string.Create(CultureInfo.InvariantCulture, $"Digest|{g.Channel}|{g.Recipient}|{items[0].Id}"),
                Kind = "Digest",
                Channel = g.Channel,
                RecipientUserId = g.RecipientUserId,
                Recipient = g.Recipient,
                Subject = string.Create(CultureInfo.InvariantCulture, $"【整改提醒汇总】{(catchUp ? "补发" : "今日")}提醒共 {items.Count} 条"),
                Body = body.ToString(),
                IsCatchUp = catchUp,
                State = g.Channel == NotificationChannel.InApp ? NotificationState.Sent : NotificationState.Pending,
                SentAtUtc = g.Channel == NotificationChannel.InApp ? now : null,
                NextAttemptAtUtc = now,
                CreatedAtUtc = now,
            };
            db.Notifications.Add(digest);
            await db.SaveChangesAsync(cancellationToken);
            var moved = 0;
            foreach (var chunk in items.Select(i => i.Id).Chunk(1000))
            {
                moved += await db.Notifications.Where(n => chunk.Contains(n.Id) && n.State == NotificationState.Held)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Digested).SetProperty(n => n.DigestId, digest.Id), cancellationToken);
            }

            if (moved != items.Count)
            {
                // Another instance folded some of them meanwhile: leave this digest unwritten; the rest waits for the next scan.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                continue;
            }

            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            count++;
        }

        return count;
    }

    public static async Task<DateOnly?> LastScanDayAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var value = await db.AppSettings.AsNoTracking().Where(s => s.Key == LastScanDayKey).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    private async Task SetLastScanDayAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var text = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var row = await db.AppSettings.SingleOrDefaultAsync(s => s.Key == LastScanDayKey, cancellationToken);
        if (row is null)
        {
            db.AppSettings.Add(new AppSetting { Key = LastScanDayKey, Value = text });
        }
        else
        {
            row.Value = text;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
