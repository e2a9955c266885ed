using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>An SMTP server in the test process (SmtpServer): every mail the application sends lands in <see cref="Messages"/>, parsed by MimeKit.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? running;

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public int Port { get; private set; }

    public async Task StartAsync()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        var server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
        await Task.Delay(100);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        stop.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(SmtpServer.ISessionContext context, SmtpServer.IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            sink.Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>One request a webhook receiver took, with whether its signature checked out.</summary>
public sealed record HookCall(string Path, string Body, bool SignatureValid, int Status, JsonElement Json, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Webhook receivers on Kestrel in the test process. /generic checks X-Rectify-Signature (HMAC-SHA256 of the body),
/// /wecom takes the 企业微信 markdown robot message, /dingtalk checks the timestamp and sign of DingTalk's 加签; /flaky
/// fails its first <see cref="FlakyFailures"/> calls; /down fails while <see cref="DownFails"/> is set.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    public const string GenericSecret = "generic-secret-Zx81";
    public const string DingTalkSecret = "SECding-secret-Q7";
    public const string WeComKey = "wecom-key-4471";
    public const string DingTalkToken = "ding-token-9911";

    private WebApplication? app;
    private int flakyCalls;

    public ConcurrentQueue<HookCall> Calls { get; } = new();

    public int FlakyFailures { get; set; } = 2;

    public bool DownFails { get; set; } = true;

    public Uri Address { get; private set; } = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/{kind}", async (string kind, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var bytes = Encoding.UTF8.GetBytes(body);
            var valid = kind switch
            {
                "generic" or "flaky" or "down" => headers.TryGetValue("X-Rectify-Signature", out var sig)
                    && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig), Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(GenericSecret), bytes)))),
                "wecom" => query.GetValueOrDefault("key") == WeComKey,
                "dingtalk" => query.GetValueOrDefault("access_token") == DingTalkToken && query.TryGetValue("timestamp", out var ts) && query.TryGetValue("sign", out var sign)
                    && sign == Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DingTalkSecret), Encoding.UTF8.GetBytes(ts + "\n" + DingTalkSecret))),
                _ => false,
            };
            var status = !valid ? 401
                : kind == "flaky" && Interlocked.Increment(ref flakyCalls) <= FlakyFailures ? 500
                : kind == "down" && DownFails ? 503
                : 200;
            Calls.Enqueue(new HookCall(kind, body, valid, status, JsonDocument.Parse(body).RootElement.Clone(), query, headers));
            context.Response.StatusCode = status;
            if (status == 200 && kind is "wecom" or "dingtalk")
            {
                await context.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "ok" });
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The settings that point the application's webhooks here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Notifications:Webhooks:0:Name"] = "通用",
        ["Notifications:Webhooks:0:Kind"] = "Generic",
        ["Notifications:Webhooks:0:Url"] = new Uri(Address, "/generic").ToString(),
        ["Notifications:Webhooks:0:Secret"] = GenericSecret,
        ["Notifications:Webhooks:1:Name"] = "政务微信群",
        ["Notifications:Webhooks:1:Kind"] = "WeCom",
        ["Notifications:Webhooks:1:Url"] = new Uri(Address, "/wecom?key=" + WeComKey).ToString(),
        ["Notifications:Webhooks:2:Name"] = "浙政钉群",
        ["Notifications:Webhooks:2:Kind"] = "DingTalk",
        ["Notifications:Webhooks:2:Url"] = new Uri(Address, "/dingtalk?access_token=" + DingTalkToken).ToString(),
        ["Notifications:Webhooks:2:Secret"] = DingTalkSecret,
    };
}
