using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>
/// Prepares the Excel import once the server has started, off the request path: a small ledger written with the
/// template and read back, so that the first office to upload after a restart does not pay for compiling the reader,
/// the Open XML SDK's part and element tables and the value parsing (docs/benchmarks.md: what the first import after a
/// start costs). It touches no database and no file; a failure is logged and changes nothing.
/// </summary>
public sealed partial class IntakeWarmUp(IHostApplicationLifetime lifetime, ILogger<IntakeWarmUp> logger) : BackgroundService
{
    /// <summary>Rows of the small ledger: enough for every column and the merged category and problem cells.</summary>
    internal const int Rows = 40;

    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has run (or failed, or the server stopped first).</summary>
    public Task Done => done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        // After the start, so that the warm-up never delays the server answering.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            await Task.Run(() => Run(), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A warm-up that fails leaves the import as it was; it must never stop the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
    }

    /// <summary>Writes and reads back a small ledger; returns the measures read (the ledger's <see cref="Rows"/>).</summary>
    internal static int Run()
    {
        var rows = Enumerable.Range(1, Rows).Select(i => new LedgerRow(
            1 + (i / 20),
            "预热类别" + (1 + (i / 20)),
            1 + (i / 4),
            "预热问题" + (1 + (i / 4)),
            1 + (i % 4),
            "预热措施" + i,
            (MeasureKind)(i % 3),
            i % 3 == 2 ? null : new DateOnly(2030, 1 + (i % 12), 1),
            "预热领导",
            "预热单位",
            i % 2 == 0 ? ["预热配合单位甲", "预热配合单位乙"] : null)).ToList();
        using var stream = new MemoryStream();
        LedgerTemplate.Write(stream, "预热台账", rows);
        stream.Position = 0;
        _ = LedgerWorkbookReader.ListSheets(stream);
        stream.Position = 0;
        return LedgerWorkbookReader.Read(stream).MeasureCount;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Excel import's warm-up failed; the first import will be slower")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
