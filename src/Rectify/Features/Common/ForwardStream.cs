using System.Buffers;

namespace Rectify.Features.Common;

/// <summary>
/// A write-only stream between a writer that only writes synchronously (System.IO.Compression's zip, the Open XML SDK's
/// writer) and a destination that refuses synchronous writes (an HTTP response): writes land in a small pooled buffer,
/// and the caller sends what has gathered with <see cref="SendAsync"/> between units of work (a row), so memory stays at
/// about one send's worth however long the document is. It cannot seek (the zip writes data descriptors after each
/// entry instead of going back), and <see cref="Flush"/> does nothing: nothing leaves until it is sent.
/// </summary>
public sealed class ForwardStream(Stream destination) : Stream
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int count;
    private long written;

    /// <summary>Bytes written and not yet sent.</summary>
    public int Pending => count;

    /// <summary>Bytes sent to the destination so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Writes what has gathered to the destination, asynchronously.</summary>
    public async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(count < 0, this);
        if (count == 0)
        {
            return;
        }

        await destination.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
        Sent += count;
        count = 0;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(count < 0, this);
        if (count + buffer.Length > this.buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(count + buffer.Length, this.buffer.Length * 2));
            this.buffer.AsSpan(0, count).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(this.buffer);
            this.buffer = larger;
        }

        buffer.CopyTo(this.buffer.AsSpan(count));
        count += buffer.Length;
        written += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Gathers like <see cref="Write(ReadOnlySpan{byte})"/>; sending is <see cref="SendAsync"/>'s.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => count >= 0;

    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes written so far (sent or not); the zip reads it to place its entries.</summary>
    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (count >= 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            count = -1;
        }

        base.Dispose(disposing);
    }
}
