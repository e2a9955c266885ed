using System.Net;
using System.Net.Sockets;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>ADR 0031 §7: a PostgreSQL server the mark cannot use is read around, never an error, and not tried by every request.</summary>
public sealed class DatabaseMarkTests
{
    [Fact]
    public async Task A_mark_whose_connection_cannot_be_opened_is_null_and_is_not_tried_again_by_the_next_asks()
    {
        // A "server" that accepts each connection and closes it at once, counting them.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref accepted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);

        using var changes = new DatabaseChanges(new DatabaseInfo(DatabaseProviderKind.Postgres, $"Host=127.0.0.1;Port={port};Database=rectify;Username=r;Password=p;Timeout=5"));
        Assert.Null(await changes.MarkAsync());

        // (The driver may try twice in one open: with SSL, then without.)
        var tried = Volatile.Read(ref accepted);
        Assert.InRange(tried, 1, 2);

        // Within the pause after a failed open, the next asks read around it without a connection of their own each.
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await changes.MarkAsync());
        }

        Assert.Equal(tried, Volatile.Read(ref accepted));
        await stop.CancelAsync();
        listener.Stop();
        await serving;
    }
}
