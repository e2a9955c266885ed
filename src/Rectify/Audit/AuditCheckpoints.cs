using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Audit;

/// <summary>Where and how often checkpoints go (section <c>Audit:Checkpoints</c>).</summary>
public sealed class AuditCheckpointOptions
{
    public const string Section = "Audit:Checkpoints";
    public const string FileName = "audit-checkpoints.jsonl";

    /// <summary>The folder of the append-only checkpoints file; one the service may append to but not rewrite (chattr +a, docs/operations.md).</summary>
    public string? Folder { get; set; }

    /// <summary>An HTTPS endpoint that receives every checkpoint as a signed POST (a SIEM, a log host, another office's server).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The webhook's shared secret: X-Rectify-Signature: sha256=HMAC-SHA256(secret, body), as the notification webhooks sign.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How often the head is anchored while it moves (seconds); a checkpoint is also written at start and at shutdown.</summary>
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>False turns the timer off (tests drive <see cref="AuditCheckpointWriter.WriteAsync"/> by hand); the command `audit checkpoint` still writes.</summary>
    public bool Background { get; set; } = true;
}

/// <summary>
/// Signs the audit head (sequence, chain MAC, time) with the audit key and sends it outside the database: appended to
/// the checkpoints file and posted to the webhook (retried three times, then again at every later round until it
/// goes through; the last 1,000 wait in memory, the file keeps them all). A head whose seal does not hold, or that
/// went backwards since the last checkpoint, is not signed: it is logged as critical.
/// </summary>
public sealed class AuditCheckpointWriter(IServiceScopeFactory scopes, AuditKey key, IOptions<AuditCheckpointOptions> options, IHttpClientFactory http, TimeProvider clock, ILogger<AuditCheckpointWriter> logger) : IDisposable
{
    public const string ClientName = "audit-checkpoints";
    public const string SignatureHeader = "X-Rectify-Signature";
    private const int MaxPending = 1000;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly LinkedList<AuditCheckpoint> pending = new();
    private AuditCheckpoint? last;
    private bool disposed;

    /// <summary>True once the host's services have been disposed, this with them.</summary>
    public bool IsDisposed => Volatile.Read(ref disposed);

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        gate.Dispose();
    }

    /// <summary>The checkpoints file, when a folder is configured.</summary>
    public string? FilePath => options.Value.Folder is { Length: > 0 } folder ? Path.Combine(Path.GetFullPath(folder), AuditCheckpointOptions.FileName) : null;

    /// <summary>True when at least one sink is configured.</summary>
    public bool HasSink => FilePath is not null || options.Value.WebhookUrl is not null;

    /// <summary>Checkpoints the head now: when it moved since the last checkpoint of this process, or always with <paramref name="always"/>. Returns what was written.</summary>
    public async Task<AuditCheckpoint?> WriteAsync(bool always, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            AuditHead? head;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
                head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
            }

            AuditCheckpoint? written = null;
            if (head is null)
            {
                logger.LogCritical("审计链尾记录缺失：不写检查点。请立即运行 rectify audit verify。");
            }
            else if (!Sealed(head))
            {
                if (logger.IsEnabled(LogLevel.Critical))
                {
                    logger.LogCritical("审计链尾（第 {Sequence} 条）的密钥认证码不符：链尾被移动或改动，不写检查点。请立即运行 rectify audit verify。", head.Sequence);
                }
            }
            else if (last is not null && head.Sequence < last.Sequence)
            {
                if (logger.IsEnabled(LogLevel.Critical))
                {
                    logger.LogCritical("审计日志倒退：上一个检查点有 {Last} 条记录，现在只有 {Now} 条。不写检查点。请立即运行 rectify audit verify。", last.Sequence, head.Sequence);
                }
            }
            else if (always || last is null || head.Sequence != last.Sequence || head.Mac != last.Mac)
            {
                written = AuditCheckpoint.Sign(key, head.Sequence, head.Mac, clock.GetUtcNow().UtcDateTime);
                await AppendAsync(written, cancellationToken);
                last = written;
                if (options.Value.WebhookUrl is not null)
                {
                    pending.AddLast(written);
                    while (pending.Count > MaxPending)
                    {
                        pending.RemoveFirst();
                        logger.LogError("审计检查点 webhook 积压超过 {Max} 个，最早的一个不再重发（检查点文件中仍有）。", MaxPending);
                    }
                }
            }

            await DeliverAsync(cancellationToken);
            return written;
        }
        finally
        {
            // Throws when the host was disposed while this round ran: the service's round takes that as the end.
            gate.Release();
        }
    }

    private bool Sealed(AuditHead head)
    {
        if (head.HeadMac is null)
        {
            // Only the untouched empty log has no seal (a log upgraded from before the seal gets one with its next record).
            return head.Sequence == 0 && head.Mac.Length == 0;
        }

        return key.Find(head.KeyId) is { } value
            && string.Equals(AuditChain.HeadMac(value, key.Algorithm, head.Sequence, head.Mac, head.AtUtc, head.KeyId), head.HeadMac, StringComparison.Ordinal);
    }

    private async Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (FilePath is not { } path)
        {
            return;
        }

        Data.OwnersFolder.Create(Path.GetDirectoryName(path)!);

        // Append only (O_APPEND): this is all a file with chattr +a allows, and all the service ever does to it.
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        var bytes = Encoding.UTF8.GetBytes(checkpoint.ToLine() + "\n");
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WebhookUrl is not { } url)
        {
            return;
        }

        while (pending.First is { } next)
        {
            if (!await PostAsync(url, next.Value, cancellationToken))
            {
                return;
            }

            pending.RemoveFirst();
        }
    }

    private async Task<bool> PostAsync(Uri url, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(checkpoint.ToLine());
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add("X-Rectify-Event", "audit.checkpoint");
                if (options.Value.WebhookSecret is { Length: > 0 } secret)
                {
                    request.Headers.Add(SignatureHeader, Sign(secret, body));
                }

                using var response = await http.CreateClient(ClientName).SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                logger.LogWarning("审计检查点 webhook 回答 {Status}（第 {Attempt} 次）。", (int)response.StatusCode, attempt);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("审计检查点 webhook 无法送达（第 {Attempt} 次）：{Reason}", attempt, e.Message);
            }

            if (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock, cancellationToken);
            }
        }

        logger.LogError("审计检查点（第 {Sequence} 条）未能送达 webhook，下一轮再试。", checkpoint.Sequence);
        return false;
    }

    /// <summary>"sha256=" and the lower-case hex HMAC-SHA256 of the body under the secret (the notification webhooks' scheme).</summary>
    public static string Sign(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}

/// <summary>Checkpoints at start, every interval while the server runs, and once more at shutdown.</summary>
public sealed class AuditCheckpointService(AuditCheckpointWriter writer, IOptions<AuditCheckpointOptions> options, TimeProvider clock, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!writer.HasSink)
        {
            logger.LogWarning("未配置审计检查点的去处（Audit:Checkpoints:Folder 或 Audit:Checkpoints:WebhookUrl）：审计日志整体被清空或尾部被截断后将无从对照。见 docs/operations.md。");
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.IntervalSeconds)), clock);
        do
        {
            if (!await RoundAsync(always: false, stoppingToken))
            {
                return;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The head as the server leaves it (unless the last checkpoint already holds it: a host may be stopped twice).
        if (writer.HasSink)
        {
            await RoundAsync(always: false, cancellationToken);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One checkpoint round; false when the host's services are gone (disposed without this service being stopped), and with them any reason to go on.</summary>
    private async Task<bool> RoundAsync(bool always, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(always, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException e) when (writer.IsDisposed || string.Equals(e.ObjectName, nameof(IServiceProvider), StringComparison.Ordinal))
        {
            return false;
        }
#pragma warning disable CA1031 // A failed round (database briefly away, the sink's disk full) must not stop the service; it is logged and tried again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "写审计检查点失败，将在下一轮重试。");
        }

        return true;
    }
}
