using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Notifications;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The reminder scan with the fake clock: a restart in the middle of a run, and the catch-up after days down.</summary>
public abstract class ReminderRestartTests(NotifyApp app)
{
    private sealed class Now(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }

    [Fact]
    public async Task A_scan_stopped_half_way_and_run_again_delivers_every_reminder_exactly_once()
    {
        app.RequireAvailable();
        await app.SetUnitPreferencesAsync();
        var today = app.Today;
        Assert.Equal(DayOfWeek.Monday, today.DayOfWeek);
        var working = new MondayToFriday();

        // Due today, due in one working day, overdue since Friday: more reminders than two batches of five.
        var ids = await app.ArrangeDeadlinesAsync(12, i => (i % 3) switch { 0 => today, 1 => working.AddWorkingDays(today, 1), _ => today.AddDays(-3) }, least: 6);

        // The process stops after the first batch was written (the token is cancelled as the next one starts).
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.ScanAsync(new Now(p => stop.Cancel()), stop.Token));
        var written = await app.WithDbAsync(db => db.Notifications.Where(n => n.MeasureId != null).Select(n => n.ReminderKey).Distinct().CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(5, written);
        Assert.Null(await app.WithDbAsync(db => ReminderScan.LastScanDayAsync(db, TestContext.Current.CancellationToken)));

        // After the restart the scan runs again: it writes the rest and nothing twice; a third run finds nothing new.
        var resumed = await app.ScanAsync();
        Assert.Equal(ids.Count, resumed.Due);
        Assert.Equal(ids.Count - 5, resumed.New);
        Assert.False(resumed.CatchUp);
        Assert.Equal(0, (await app.ScanAsync()).New);

        await app.DispatchAsync();
        await app.DispatchAsync();

        // Count the deliveries: one mail, one inbox message and one call of each webhook per measure — none missing, none twice.
        var mails = app.Smtp.Messages.ToList();
        Assert.Equal(ids.Count, mails.Count);
        Assert.All(mails, m => Assert.Equal("unit@example.gov.cn", m.To.Mailboxes.Single().Address));
        foreach (var path in new[] { "generic", "wecom", "dingtalk" })
        {
            var calls = app.Hooks.Calls.Where(c => c.Path == path).ToList();
            Assert.Equal(ids.Count, calls.Count);
            Assert.All(calls, c => Assert.True(c.SignatureValid));
        }

        var generic = app.Hooks.Calls.Where(c => c.Path == "generic").Select(c => c.Json.GetProperty("measureId").GetInt32()).Order().ToList();
        Assert.Equal(ids.Order().ToList(), generic);
        var unitId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken));
        var inbox = await app.WithDbAsync(db => db.Notifications.Where(n => n.RecipientUserId == unitId && n.Channel == NotificationChannel.InApp && n.State == NotificationState.Sent)
            .Select(n => n.MeasureId!.Value).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ids.Order().ToList(), inbox.Order().ToList());
        Assert.Equal(0, await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.State == NotificationState.Pending || n.State == NotificationState.Held, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Reminders_count_working_days_on_the_official_calendar_across_the_spring_festival()
    {
        app.RequireAvailable();
        var ct = TestContext.Current.CancellationToken;

        // Due on Tuesday 24 February 2026, the first working day after the Spring Festival (15–23 February off, Saturday 14 February worked).
        var deadline = new DateOnly(2026, 2, 24);
        var id = (await app.ArrangeDeadlinesAsync(1, _ => deadline)).Single();
        async Task<(DueReminder? Due, string? Subject)> On(DateOnly day) => await app.WithScopeAsync(async services =>
        {
            var source = services.GetServices<IReminderSource>().OfType<DeadlineReminderSource>().Single();
            var due = (await source.FindDueAsync(day, ct)).SingleOrDefault(d => d.Id == id);
            var message = due is null ? null : (await source.DescribeAsync([due], day, ct)).Single();
            return (due, message?.Subject);
        });

        // "1 个工作日前" is the 调休 Saturday, not Monday 23 February (a holiday); "5 个工作日前" is Tuesday 10 February, not the 17th.
        var saturday = await On(new DateOnly(2026, 2, 14));
        Assert.Equal(new DueReminder(ReminderKind.DeadlineAhead, "m", new DateOnly(2026, 2, 14), id), saturday.Due);
        Assert.Contains("还有 1 个工作日", saturday.Subject, StringComparison.Ordinal);
        var tenth = await On(new DateOnly(2026, 2, 10));
        Assert.Equal(new DueReminder(ReminderKind.DeadlineAhead, "m", new DateOnly(2026, 2, 10), id), tenth.Due);
        Assert.Contains("还有 5 个工作日", tenth.Subject, StringComparison.Ordinal);
        Assert.Null((await On(new DateOnly(2026, 2, 9))).Due);

        // Overdue from the next working day; over the National Day holiday (1–7 October off, Saturday 10 October worked) a
        // deadline of 30 September is still "due" on the holiday and overdue only from Thursday 8 October.
        await app.ArrangeDeadlinesAsync(1, _ => new DateOnly(2026, 9, 30));
        Assert.Equal(ReminderKind.DeadlineToday, (await On(new DateOnly(2026, 10, 5))).Due?.Kind);
        Assert.Equal(new DueReminder(ReminderKind.Overdue, "m", new DateOnly(2026, 10, 8), id), (await On(new DateOnly(2026, 10, 8))).Due);
    }
}

public sealed class ReminderRestartTestsOnSqlite(NotifySqliteApp app) : ReminderRestartTests(app), IClassFixture<NotifySqliteApp>;

public sealed class ReminderRestartTestsOnPostgres(NotifyPostgresApp app) : ReminderRestartTests(app), IClassFixture<NotifyPostgresApp>;

public abstract class ReminderCatchUpTests(NotifyApp app)
{
    [Fact]
    public async Task After_three_days_down_the_catch_up_arrives_as_one_digest_per_person_and_channel()
    {
        app.RequireAvailable();
        await app.SetUnitPreferencesAsync();
        var monday = app.Today;

        // The service has been running: this morning's scan found nothing (the measures are arranged after it).
        await app.ArrangeDeadlinesAsync(0, _ => monday);
        Assert.Equal(0, (await app.ScanAsync()).New);
        var ids = await app.ArrangeDeadlinesAsync(3, i => monday.AddDays(i + 1));

        // Monday: the three deadlines are a few working days ahead, and each is announced on its own.
        var before = await app.ScanAsync();
        Assert.Equal(3, before.New);
        await app.DispatchAsync();
        var states = await app.WithDbAsync(db => db.Notifications.Where(n => n.Channel == NotificationChannel.Email).Select(n => n.State + " " + n.LastError).ToListAsync(TestContext.Current.CancellationToken));
        Assert.True(app.Smtp.Messages.Count == 3, string.Join("; ", states));
        Assert.All(app.Smtp.Messages, m => Assert.Contains("距整改时限还有", m.Subject, StringComparison.Ordinal));
        app.Smtp.Messages.Clear();
        app.Hooks.Calls.Clear();

        // Down Tuesday, Wednesday and Thursday; up again on Friday: the three deadlines passed meanwhile.
        app.FakeClock.Advance(TimeSpan.FromDays(4));
        var scan = await app.ScanAsync();
        Assert.True(scan.CatchUp);
        Assert.Equal(3, scan.New);
        await app.DispatchAsync();

        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal("【整改提醒汇总】补发提醒共 3 条", mail.Subject);
        var texts = await app.WithDbAsync(db => db.Measures.Where(m => ids.Contains(m.Id)).Select(m => m.Text).ToListAsync(TestContext.Current.CancellationToken));
        // The digest lists the first two in words (this fixture's Notifications:DigestListsAtMost) and counts the third.
        Assert.Equal(2, texts.Count(t => mail.TextBody!.Contains(t.Length > 20 ? t[..20] : t, StringComparison.Ordinal)));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(mail.TextBody!, "【超期提醒】"));
        Assert.Contains("另有 1 条提醒未列出", mail.TextBody, StringComparison.Ordinal);
        foreach (var path in new[] { "generic", "wecom", "dingtalk" })
        {
            var call = Assert.Single(app.Hooks.Calls, c => c.Path == path);
            Assert.True(call.SignatureValid);
        }

        Assert.Equal("rectify.digest", Assert.Single(app.Hooks.Calls, c => c.Path == "generic").Json.GetProperty("type").GetString());

        // The unit reporter's inbox: one message, unread, counted in the header; read, the count goes.
        using var unit = await app.SignedInAsync("unit");
        var page = await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "补发提醒共 3 条"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(page, "【整改提醒】措施“"));
        Assert.Contains("inbox-count\" title=\"未读消息\">4<", page, StringComparison.Ordinal);
        var read = await unit.PostFromPageAsync("/inbox", "/inbox?handler=ReadAll", []);
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        page = await unit.GetStringAsync(new Uri("/inbox", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("inbox-count", page, StringComparison.Ordinal);

        // The same day again: nothing new, nothing sent twice.
        Assert.Equal(0, (await app.ScanAsync()).New);
        await app.DispatchAsync();
        Assert.Single(app.Smtp.Messages);
    }
}

public sealed class ReminderCatchUpTestsOnSqlite(CatchUpSqliteApp app) : ReminderCatchUpTests(app), IClassFixture<CatchUpSqliteApp>;

public sealed class ReminderCatchUpTestsOnPostgres(CatchUpPostgresApp app) : ReminderCatchUpTests(app), IClassFixture<CatchUpPostgresApp>;
