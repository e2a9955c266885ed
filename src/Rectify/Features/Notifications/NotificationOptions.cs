using System.Globalization;

namespace Rectify.Features.Notifications;

/// <summary>The "Notifications" section of the settings (appsettings.json or environment variables such as Notifications__Smtp__Host).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Run the scan and the dispatcher in the background (off for tests that drive them by hand).</summary>
    public bool Background { get; set; } = true;

    /// <summary>How often the background service looks for work, in seconds.</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The reminder scan runs once a day, at the first look after this time (China time).</summary>
    public TimeOnly ScanAt { get; set; } = new(8, 0);

    /// <summary>Reminders before a deadline, in working days, comma-separated.</summary>
    public string DeadlineOffsets { get; set; } = "5,1";

    /// <summary>While a measure is overdue, a reminder every this many working days (0: only once).</summary>
    public int OverdueRepeatWorkingDays { get; set; } = 5;

    /// <summary>A look-back is announced this many working days before it is due.</summary>
    public int LookBackAheadWorkingDays { get; set; } = 5;

    /// <summary>After this many failed attempts a delivery goes to the dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry waits this long; each further one twice as long as the last (capped at six hours).</summary>
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>Reminders written per transaction by the scan.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How many reminders a digest lists in words; the rest are counted ("另有 N 条…").</summary>
    public int DigestListsAtMost { get; set; } = 200;

    /// <summary>The address people open Rectify at, for links in email and robots (e.g. https://zhenggai.example.gov.cn); links are relative without it.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>免打扰 for a person who has not chosen: no email from …</summary>
    public TimeOnly DefaultQuietFrom { get; set; } = new(22, 0);

    /// <summary>… until.</summary>
    public TimeOnly DefaultQuietUntil { get; set; } = new(7, 0);

    public SmtpOptions Smtp { get; set; } = new();

    public List<WebhookOptions> Webhooks { get; set; } = [];

    public IReadOnlyList<int> Offsets() =>
        [.. DeadlineOffsets.Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).Where(n => n > 0).Distinct().OrderDescending()];

    /// <summary>What is wrong with the settings, in Chinese, or null. Never repeats a secret.</summary>
    public string? Problem()
    {
        if (!DeadlineOffsets.Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 60))
        {
            return "Notifications:DeadlineOffsets 应为 1–60 之间的工作日数，用逗号分隔，例如 5,1。";
        }

        if (MaxAttempts < 1 || RetryBaseSeconds < 1 || BatchSize < 1 || DigestListsAtMost < 1 || IntervalSeconds < 1 || OverdueRepeatWorkingDays < 0 || LookBackAheadWorkingDays < 0)
        {
            return "Notifications 的次数、间隔和批量必须为正数。";
        }

        if (!string.IsNullOrWhiteSpace(Smtp.Host) && string.IsNullOrWhiteSpace(Smtp.From))
        {
            return "已设置 Notifications:Smtp:Host，但没有设置发件人地址 Notifications:Smtp:From。";
        }

        if (!Enum.TryParse<SmtpSecurity>(Smtp.Security, ignoreCase: true, out _))
        {
            return "Notifications:Smtp:Security 只能是 Auto、None、StartTls 或 SslOnConnect。";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var w = Webhooks[i];
            if (string.IsNullOrWhiteSpace(w.Name) || !names.Add(w.Name.Trim()))
            {
                return $"Notifications:Webhooks:{i} 需要一个不重复的名称（Name）。";
            }

            if (!Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return $"通知渠道“{w.Name}”的地址（Url）不是 http(s) 地址。";
            }

            if (w.Kind == WebhookKind.Generic && string.IsNullOrEmpty(w.Secret))
            {
                return $"通知渠道“{w.Name}”是通用 Webhook，需要签名密钥（Secret）。";
            }
        }

        return null;
    }
}

public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it (port 25/587), TLS on connect on port 465.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    /// <summary>The mail server; email is off while it is empty.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string Security { get; set; } = nameof(SmtpSecurity.Auto);

    public string? UserName { get; set; }

    /// <summary>Secret: read from the settings, never shown, logged or audited.</summary>
    public string? Password { get; set; }

    public string? From { get; set; }

    public string FromName { get; set; } = "巡察整改管理系统";

    public int TimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

public enum WebhookKind
{
    /// <summary>A JSON event signed with HMAC-SHA256 in X-Rectify-Signature.</summary>
    Generic,

    /// <summary>企业微信 / 政务微信 group robot (markdown).</summary>
    WeCom,

    /// <summary>钉钉 / 浙政钉 group robot (markdown, timestamp + sign).</summary>
    DingTalk,
}

public sealed class WebhookOptions
{
    public string Name { get; set; } = string.Empty;

    public WebhookKind Kind { get; set; } = WebhookKind.Generic;

    /// <summary>Secret as a whole: a robot's address carries its key or access token.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Secret: the HMAC key of a generic webhook, or a DingTalk robot's 加签 secret.</summary>
    public string? Secret { get; set; }

    /// <summary>Only these reminder kinds (comma-separated names, e.g. Overdue,ReportMissing); all when empty.</summary>
    public string? Kinds { get; set; }

    public bool Wants(string kind) =>
        string.IsNullOrWhiteSpace(Kinds) || Kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(kind, StringComparer.OrdinalIgnoreCase)
        || kind == "Digest";

    /// <summary>What may be shown of the address: scheme and host only (robots keep their keys in the query, some services in the path).</summary>
    public string SafeAddress => Uri.TryCreate(Url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}/…" : "—";
}
