using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Rectify.Features.Notifications;

/// <summary>A delivery failed; the message is safe to store and show (no address, no secret).</summary>
public sealed class DeliveryException(string message) : Exception(message)
{
    public DeliveryException()
        : this("发送失败。")
    {
    }

    public DeliveryException(string message, Exception inner)
        : this(message + " " + inner?.Message)
    {
    }
}

/// <summary>Email over SMTP with MailKit: a Chinese subject and plain-text body in UTF-8.</summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options)
{
    public async Task SendAsync(string address, string subject, string body, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From!));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = body };

        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        var security = Enum.Parse<SmtpSecurity>(smtp.Security, ignoreCase: true) switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>What a webhook carries.</summary>
public sealed record WebhookEvent(long Id, string Kind, string Subject, string Body, int? MeasureId, DateOnly? Day, string? Link, DateTimeOffset SentAt);

/// <summary>
/// Outgoing webhooks: a generic JSON event signed with HMAC-SHA256 (X-Rectify-Signature: sha256=hex of the body under
/// the secret), or the group-robot payloads of 企业微信/政务微信 (msgtype markdown) and 钉钉/浙政钉 (msgtype markdown; with a
/// 加签 secret, timestamp and sign in the query as DingTalk documents them).
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory http)
{
    public const string ClientName = "rectify-webhooks";
    public const string SignatureHeader = "X-Rectify-Signature";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public async Task SendAsync(WebhookOptions hook, WebhookEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(e);
        var (url, body) = Request(hook, e);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (hook.Kind == WebhookKind.Generic)
        {
            request.Headers.Add(SignatureHeader, Sign(hook.Secret!, body));
            request.Headers.Add("X-Rectify-Event", e.Kind);
            request.Headers.Add("X-Rectify-Delivery", e.Id.ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(ClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DeliveryException($"无法连接（{ex.HttpRequestError}）。");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException("连接超时。");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new DeliveryException(string.Create(CultureInfo.InvariantCulture, $"对方返回 HTTP {(int)response.StatusCode}。"));
            }

            if (hook.Kind != WebhookKind.Generic)
            {
                // The robots answer 200 with their own error code: {"errcode":0,"errmsg":"ok"}.
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                int? code = null;
                string? why = null;
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    if (doc.RootElement.TryGetProperty("errcode", out var c) && c.TryGetInt32(out var n))
                    {
                        code = n;
                    }

                    why = doc.RootElement.TryGetProperty("errmsg", out var m) ? m.GetString() : null;
                }
                catch (JsonException)
                {
                    throw new DeliveryException("机器人的回答不是 JSON。");
                }

                if (code is not 0)
                {
                    throw new DeliveryException($"机器人返回错误 {code?.ToString(CultureInfo.InvariantCulture) ?? "?"}：{Truncate(why, 100)}");
                }
            }
        }
    }

    /// <summary>The address and the body of the request for <paramref name="hook"/> (public for the tests' receivers).</summary>
    public static (Uri Url, byte[] Body) Request(WebhookOptions hook, WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(e);
        var markdown = Markdown(e);
        switch (hook.Kind)
        {
            case WebhookKind.WeCom:
                return (new Uri(hook.Url), JsonSerializer.SerializeToUtf8Bytes(new { msgtype = "markdown", markdown = new { content = TruncateUtf8(markdown, 4000) } }, Json));
            case WebhookKind.DingTalk:
                var url = hook.Url;
                if (!string.IsNullOrEmpty(hook.Secret))
                {
                    var timestamp = e.SentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + Uri.EscapeDataString(DingTalkSign(hook.Secret, timestamp));
                }

                return (new Uri(url), JsonSerializer.SerializeToUtf8Bytes(new { msgtype = "markdown", markdown = new { title = e.Subject, text = TruncateUtf8(markdown, 4000) } }, Json));
            default:
                return (new Uri(hook.Url), JsonSerializer.SerializeToUtf8Bytes(
                    new { id = e.Id, type = e.Kind == "Digest" ? "rectify.digest" : "rectify.reminder", kind = e.Kind, subject = e.Subject, body = e.Body, measureId = e.MeasureId, day = e.Day, link = e.Link, sentAt = e.SentAt },
                    Json));
        }
    }

    /// <summary>"sha256=" and the lower-case hex HMAC-SHA256 of the body under the secret.</summary>
    public static string Sign(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>DingTalk's 加签: Base64 of HMAC-SHA256 over "timestamp\nsecret" with the secret as key (before URL encoding).</summary>
    public static string DingTalkSign(string secret, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
    }

    private static string Markdown(WebhookEvent e)
    {
        var lines = e.Body.Split('\n').Select(l => l.Length == 0 ? string.Empty : "> " + l);
        var link = e.Link is null ? string.Empty : $"\n\n[查看措施]({e.Link})";
        return $"### {e.Subject}\n" + string.Join('\n', lines) + link;
    }

    private static string TruncateUtf8(string text, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= bytes)
        {
            return text;
        }

        var cut = text;
        while (Encoding.UTF8.GetByteCount(cut) > bytes - 6)
        {
            cut = cut[..(cut.Length * 9 / 10)];
        }

        return cut + "\n……";
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
