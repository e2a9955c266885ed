using System.Net;
using Microsoft.EntityFrameworkCore;
using Rectify.Audit;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The channels end to end: the mail as the SMTP server received it (Chinese subject and body), the webhooks with
/// their signatures as the receivers checked them, quiet hours, a receiver that fails twice, a dead letter and its re-send.
/// </summary>
public abstract class DeliveryTests(NotifyApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mail_and_webhooks_arrive_signed_retries_back_off_and_a_dead_letter_is_re_sent_by_the_administrator()
    {
        app.RequireAvailable();

        // Quiet hours that hold now (10:00 in China): the mail waits, the webhooks do not.
        await app.SetUnitPreferencesAsync(quietFrom: "09:00", quietUntil: "18:00");
        var id = Assert.Single(await app.ArrangeDeadlinesAsync(1, _ => app.Today));
        var text = await app.WithDbAsync(db => db.Measures.Where(m => m.Id == id).Select(m => m.Text).SingleAsync(Ct));
        Assert.Equal(1, (await app.ScanAsync()).New);

        var first = await app.DispatchAsync();
        Assert.Equal(1, first.Postponed);
        Assert.Empty(app.Smtp.Messages);

        var generic = Assert.Single(app.Hooks.Calls, c => c.Path == "generic");
        Assert.True(generic.SignatureValid);
        Assert.Equal("DeadlineToday", generic.Json.GetProperty("kind").GetString());
        Assert.Equal(id, generic.Json.GetProperty("measureId").GetInt32());
        Assert.Equal($"https://zhenggai.example.gov.cn/measures/{id}", generic.Json.GetProperty("link").GetString());
        Assert.Contains("今天到期", generic.Json.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Equal("DeadlineToday", generic.Headers["X-Rectify-Event"]);

        var wecom = Assert.Single(app.Hooks.Calls, c => c.Path == "wecom");
        Assert.True(wecom.SignatureValid);
        Assert.Equal("markdown", wecom.Json.GetProperty("msgtype").GetString());
        Assert.StartsWith("### 【整改提醒】", wecom.Json.GetProperty("markdown").GetProperty("content").GetString(), StringComparison.Ordinal);

        var ding = Assert.Single(app.Hooks.Calls, c => c.Path == "dingtalk");
        Assert.True(ding.SignatureValid, "the DingTalk sign did not check out");
        Assert.Equal("markdown", ding.Json.GetProperty("msgtype").GetString());
        Assert.Contains("今天到期", ding.Json.GetProperty("markdown").GetProperty("title").GetString(), StringComparison.Ordinal);

        // The flaky receiver failed once, the broken one too; each is retried after 1, then 2 minutes.
        Assert.Equal([500], app.Hooks.Calls.Where(c => c.Path == "flaky").Select(c => c.Status));
        Assert.Equal([503], app.Hooks.Calls.Where(c => c.Path == "down").Select(c => c.Status));
        Assert.Equal(0, (await app.DispatchAsync()).Sent + (await app.DispatchAsync()).Failed);
        app.FakeClock.Advance(TimeSpan.FromSeconds(60));
        await app.DispatchAsync();
        app.FakeClock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, (await app.DispatchAsync()).Failed);
        app.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var third = await app.DispatchAsync();
        Assert.Equal(1, third.Sent);
        Assert.Equal(1, third.Dead);

        // Failed twice, got it once on the third try; the others were not sent again.
        Assert.Equal([500, 500, 200], app.Hooks.Calls.Where(c => c.Path == "flaky").Select(c => c.Status));
        Assert.All(app.Hooks.Calls.Where(c => c.Path == "flaky"), c => Assert.True(c.SignatureValid));
        Assert.Single(app.Hooks.Calls.Where(c => c.Path == "flaky").Select(c => c.Json.GetProperty("id").GetInt64()).Distinct());
        Assert.Equal([503, 503, 503], app.Hooks.Calls.Where(c => c.Path == "down").Select(c => c.Status));
        Assert.Equal(3, app.Hooks.Calls.Count(c => c.Path is "generic" or "wecom" or "dingtalk"));
        var flakyRow = await app.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Recipient == "flaky", Ct));
        Assert.Equal((NotificationState.Sent, 3), (flakyRow.State, flakyRow.Attempts));

        // The quiet hours end at 18:00: the mail goes then, once, in Chinese.
        app.FakeClock.Advance(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero) - app.FakeClock.GetUtcNow());
        await app.DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal("unit@example.gov.cn", mail.To.Mailboxes.Single().Address);
        Assert.Equal("zhenggai@example.gov.cn", mail.From.Mailboxes.Single().Address);
        Assert.Equal("巡察整改管理系统", mail.From.Mailboxes.Single().Name);
        Assert.StartsWith("【整改提醒】措施“", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith("”今天到期", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("措施：" + text, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("今天是整改时限", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://zhenggai.example.gov.cn/measures/{id}", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Notifications.Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Attempts).SingleAsync(Ct)));

        // The dead letter: only the system administrator sees the list, and no secret is on it.
        using (var office = await app.SignedInAsync("office"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri("/admin/notifications", UriKind.Relative), Ct)).StatusCode);
        }

        using var admin = await app.SignedInAsync("admin");
        var page = await admin.GetStringAsync(new Uri("/admin/notifications", UriKind.Relative), Ct);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "class=\"dead-letter\""));
        Assert.Contains("HTTP 503", page, StringComparison.Ordinal);

        // The system administrator (三员) reads what kind of notice failed, not the measure's wording in its subject.
        Assert.Contains("<td>【整改提醒（今天到期）】</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(text, page, StringComparison.Ordinal);
        foreach (var secret in new[] { HookReceiver.GenericSecret, HookReceiver.DingTalkSecret, HookReceiver.WeComKey, HookReceiver.DingTalkToken })
        {
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        }

        // Repaired, re-sent by the administrator: it arrives, and the audit trail says who re-sent what (without secrets).
        app.Hooks.DownFails = false;
        var dead = await app.WithDbAsync(db => db.Notifications.Where(n => n.State == NotificationState.Dead).Select(n => n.Id).SingleAsync(Ct));
        var resend = await admin.PostFormAsync("/admin/notifications?handler=Resend", page, [new("id", dead.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);
        Assert.Equal(1, (await app.DispatchAsync()).Sent);
        Assert.Equal([503, 503, 503, 200], app.Hooks.Calls.Where(c => c.Path == "down").Select(c => c.Status));
        Assert.Equal(0, await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.State == NotificationState.Dead, Ct)));
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.NotificationsResent).SingleAsync(Ct));
        Assert.DoesNotContain(HookReceiver.GenericSecret, audit.After ?? string.Empty, StringComparison.Ordinal);
        page = await admin.GetStringAsync(new Uri("/admin/notifications", UriKind.Relative), Ct);
        Assert.DoesNotContain("class=\"dead-letter\"", page, StringComparison.Ordinal);

        // Nothing left dead: re-sending again is refused on the page with a reason, and changes nothing.
        var again = await admin.PostFormAsync("/admin/notifications?handler=Resend", page, []);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("没有可重新发送的失败通知", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notification_settings_refuse_a_bad_address_or_time_and_write_nothing()
    {
        app.RequireAvailable();
        using var leader = await app.SignedInAsync("leader");
        foreach (var (address, from) in new[] { ("not-an-address", "22:00"), ("leader@example.gov.cn", "25:99") })
        {
            var response = await leader.PostFromPageAsync("/Account/Notifications", "/Account/Notifications", new Dictionary<string, string>
            {
                ["emailEnabled"] = "true", ["emailAddress"] = address, ["mode"] = "digest", ["quietFrom"] = from, ["quietUntil"] = "07:00",
            });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("error-box", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var leaderId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "leader").Select(u => u.Id).SingleAsync(Ct));
        Assert.False(await app.WithDbAsync(db => db.NotificationPreferences.AnyAsync(p => p.UserId == leaderId, Ct)));
    }
}

public sealed class DeliveryTestsOnSqlite(DeliverySqliteApp app) : DeliveryTests(app), IClassFixture<DeliverySqliteApp>;

public sealed class DeliveryTestsOnPostgres(DeliveryPostgresApp app) : DeliveryTests(app), IClassFixture<DeliveryPostgresApp>;
