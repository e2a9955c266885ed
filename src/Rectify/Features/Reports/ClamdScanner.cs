using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Rectify.Features.Reports;

/// <summary>
/// Scans an uploaded file with ClamAV's daemon (clamd) when <c>Evidence:Clamd</c> names it — <c>tcp://127.0.0.1:3310</c>
/// or <c>unix:///run/clamav/clamd.ctl</c> (Debian's clamav-daemon) — through its INSTREAM command: the file is sent in
/// length-prefixed chunks and clamd answers "stream: OK" or "stream: NAME FOUND". With nothing configured there is no
/// scan, and the upload form and docs/operations.md say so. A configured scanner that cannot be reached refuses the
/// upload (fail closed) rather than storing an unscanned file, and so does one that takes longer than its timeout
/// (<c>Evidence:ClamdTimeoutSeconds</c>, 60 s by default).
/// </summary>
public sealed class ClamdScanner(string? endpoint, TimeSpan? timeout = null)
{
    private const int Chunk = 64 * 1024;

    /// <summary>How long one scan may take, connecting included.</summary>
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(endpoint);

    /// <summary>What was configured, for the form and the logs ("tcp://127.0.0.1:3310"), or null.</summary>
    public string? Endpoint => IsConfigured ? endpoint : null;

    /// <summary>The name of what clamd found in the file, or null when it is clean.</summary>
    /// <exception cref="ScannerUnavailableException">clamd is configured but could not scan (unreachable, an error, no answer).</exception>
    public async Task<string?> ScanAsync(string path, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var socket = await ConnectAsync(endpoint!, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), timeout.Token);
            var buffer = new byte[4 + Chunk];
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Chunk, useAsync: true))
            {
                int read;
                while ((read = await file.ReadAsync(buffer.AsMemory(4, Chunk), timeout.Token)) > 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                    await stream.WriteAsync(buffer.AsMemory(0, 4 + read), timeout.Token);
                }
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            await stream.WriteAsync(buffer.AsMemory(0, 4), timeout.Token);
            var reply = await ReadReplyAsync(stream, timeout.Token);
            return Interpret(reply);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ScannerUnavailableException(
                e is OperationCanceledException
                    ? $"病毒扫描服务（{endpoint}）在 {Timeout.TotalSeconds:0} 秒内没有给出结果。"
                    : $"无法连接病毒扫描服务（{endpoint}）：{e.Message}",
                e);
        }
    }

    /// <summary>"stream: OK" → null; "stream: Eicar-Test-Signature FOUND" → the name; anything else is a scanner that could not scan.</summary>
    public static string? Interpret(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = reply.TrimEnd('\0', '\n', ' ');
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var verdict = colon >= 0 ? text[(colon + 2)..] : text;
        if (verdict == "OK")
        {
            return null;
        }

        if (verdict.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            return verdict[..^" FOUND".Length];
        }

        throw new ScannerUnavailableException($"病毒扫描服务未能扫描此文件：{text}");
    }

    private static async Task<Socket> ConnectAsync(string endpoint, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint);
        if (uri.Scheme == "unix")
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.AbsolutePath), cancellationToken);
            return socket;
        }

        if (uri.Scheme != "tcp")
        {
            throw new IOException($"Evidence:Clamd 应为 tcp://主机:端口 或 unix:///路径，而不是 {endpoint}。");
        }

        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(uri.Host, uri.Port, cancellationToken);
        return tcp;
    }

    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var reply = new List<byte>();
        var one = new byte[256];
        while (reply.Count < 4096)
        {
            var read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                break;
            }

            reply.AddRange(one.AsSpan(0, read));
            if (one.AsSpan(0, read).Contains((byte)0))
            {
                break;
            }
        }

        return Encoding.UTF8.GetString([.. reply]);
    }
}

public sealed class ScannerUnavailableException : Exception
{
    public ScannerUnavailableException()
    {
    }

    public ScannerUnavailableException(string message)
        : base(message)
    {
    }

    public ScannerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
