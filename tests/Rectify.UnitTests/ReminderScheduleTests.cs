using Rectify.Domain;
using Rectify.Features.Notifications;

namespace Rectify.UnitTests;

/// <summary>When a deadline's reminders fall due (working days Monday to Friday until the calendar is wired in), and quiet hours.</summary>
public sealed class ReminderScheduleTests
{
    private static readonly MondayToFriday Days = new();
    private static readonly int[] Offsets = [5, 1];

    // Friday 18 December 2026 as the deadline: 5 working days before is Friday the 11th, 1 is Thursday the 17th.
    private static readonly DateOnly Deadline = new(2026, 12, 18);

    [Theory]
    [InlineData("2026-12-10", null, null)]
    [InlineData("2026-12-11", ReminderKind.DeadlineAhead, "2026-12-11")]
    [InlineData("2026-12-13", ReminderKind.DeadlineAhead, "2026-12-11")]
    [InlineData("2026-12-17", ReminderKind.DeadlineAhead, "2026-12-17")]
    [InlineData("2026-12-18", ReminderKind.DeadlineToday, "2026-12-18")]
    [InlineData("2026-12-19", ReminderKind.DeadlineToday, "2026-12-18")] // the weekend after a Friday deadline: not yet overdue
    [InlineData("2026-12-21", ReminderKind.Overdue, "2026-12-21")]
    [InlineData("2026-12-25", ReminderKind.Overdue, "2026-12-21")]
    [InlineData("2026-12-28", ReminderKind.Overdue, "2026-12-28")] // every 5 working days while overdue
    [InlineData("2027-01-04", ReminderKind.Overdue, "2027-01-04")]
    public void The_reminder_that_counts_on_a_day_is_the_latest_that_has_fallen_due(string today, ReminderKind? kind, string? trigger)
    {
        var stage = DeadlineSchedule.StageOn(Deadline, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), Offsets, 5, Days);
        Assert.Equal(kind, stage?.Kind);
        Assert.Equal(trigger, stage?.TriggerDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Without_repeats_an_overdue_measure_is_reminded_once()
    {
        var stage = DeadlineSchedule.StageOn(Deadline, new DateOnly(2027, 2, 1), Offsets, 0, Days);
        Assert.Equal(new DeadlineStage(ReminderKind.Overdue, new DateOnly(2026, 12, 21), 0), stage);
    }

    [Fact]
    public void Working_days_skip_weekends_both_ways()
    {
        Assert.Equal(new DateOnly(2026, 12, 14), Days.AddWorkingDays(new DateOnly(2026, 12, 11), 1));
        Assert.Equal(new DateOnly(2026, 12, 11), Days.AddWorkingDays(new DateOnly(2026, 12, 14), -1));
        Assert.Equal(new DateOnly(2026, 12, 14), Days.OnOrAfter(new DateOnly(2026, 12, 12)));
        Assert.Equal(5, DeadlineSchedule.WorkingDaysLeft(new DateOnly(2026, 12, 11), Deadline, Days));
    }

    [Theory]
    [InlineData("22:00", "07:00", 13, 59, null)] // 21:59 in China: not yet quiet
    [InlineData("22:00", "07:00", 14, 0, "2026-12-07T23:00:00")] // 22:00 in China: quiet until 07:00 the next morning
    [InlineData("22:00", "07:00", 15, 0, "2026-12-07T23:00:00")]
    [InlineData("22:00", "07:00", 22, 30, "2026-12-07T23:00:00")] // 06:30 in China on the 8th
    [InlineData("22:00", "07:00", 23, 0, null)]
    [InlineData("09:00", "18:00", 2, 0, "2026-12-07T10:00:00")]
    [InlineData("08:00", "08:00", 2, 0, null)]
    public void Quiet_hours_hold_email_until_they_end(string from, string until, int utcHour, int utcMinute, string? end)
    {
        var now = new DateTime(2026, 12, 7, utcHour, utcMinute, 0, DateTimeKind.Utc);
        var result = OutboxDispatcher.QuietUntil(TimeOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), now);
        Assert.Equal(end, result?.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_generic_webhook_is_signed_over_its_exact_body_and_a_dingtalk_robot_with_timestamp_and_secret()
    {
        var hook = new WebhookOptions { Name = "g", Kind = WebhookKind.Generic, Url = "https://hooks.example.gov.cn/rectify", Secret = "k" };
        var (url, body) = WebhookChannel.Request(hook, new WebhookEvent(7, "Overdue", "【超期提醒】措施", "正文", 3, new DateOnly(2026, 12, 7), null, new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero)));
        Assert.Equal("https://hooks.example.gov.cn/rectify", url.ToString());
        Assert.Contains("【超期提醒】措施", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("k"u8.ToArray(), body));
        Assert.Equal("sha256=" + expected, WebhookChannel.Sign("k", body));
        Assert.NotEqual(WebhookChannel.Sign("k", body), WebhookChannel.Sign("k", [.. body, (byte)' ']));

        var ding = new WebhookOptions { Name = "d", Kind = WebhookKind.DingTalk, Url = "https://oapi.dingtalk.com/robot/send?access_token=t", Secret = "SECx" };
        var (dingUrl, _) = WebhookChannel.Request(ding, new WebhookEvent(7, "Overdue", "s", "b", null, null, null, new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero)));
        var query = System.Web.HttpUtility.ParseQueryString(dingUrl.Query);
        Assert.Equal("1796608800000", query["timestamp"]);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData("SECx"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("1796608800000\nSECx"))), query["sign"]);
        Assert.Equal("t", query["access_token"]);
    }

    [Fact]
    public void The_webhook_address_shown_keeps_no_key_and_bad_settings_are_refused()
    {
        Assert.Equal("https://qyapi.weixin.qq.com/…", new WebhookOptions { Url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET" }.SafeAddress);
        Assert.NotNull(new NotificationOptions { DeadlineOffsets = "5,x" }.Problem());
        Assert.NotNull(new NotificationOptions { Webhooks = [new WebhookOptions { Name = "g", Url = "https://a.example/" }] }.Problem());
        Assert.NotNull(new NotificationOptions { Smtp = new SmtpOptions { Host = "mail.example" } }.Problem());
        Assert.Null(new NotificationOptions().Problem());
        Assert.Equal([5, 1], new NotificationOptions().Offsets());
    }
}
