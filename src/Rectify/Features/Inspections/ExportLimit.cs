using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Rectify.Features.Inspections;

/// <summary>
/// How many ledger exports run at once across the server (<c>Export:Concurrent</c>, default the number of cores, at least
/// two) and how many wait for one of them (<c>Export:Queue</c>, default twice that); the next gets 429 with Retry-After.
/// An export of a 10,000-measure inspection takes about 0.4 s and tens of MB while it runs: 200 at once held the
/// server at 1.3 GB and kept every other page waiting for minutes (issue #12); in turn they finish as fast.
/// </summary>
public sealed class ExportLimit(IConfiguration configuration) : IRateLimiterPolicy<string>
{
    public const string Name = "ledger-export";

    private const int RetryAfterSeconds = 5;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, cancellationToken) =>
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (Common.PageNavigation.Is(context.HttpContext.Request))
        {
            // A person clicked 导出台账: the error page says it (an empty 429 is answered by it), with the way back.
            return;
        }

        await response.WriteAsJsonAsync(
            new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Type = "export_busy",
                Title = "正在进行的导出较多，请稍后再试。",
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"同时进行和排队的导出（整改台账、巡察整改情况汇总表）已达上限，请 {RetryAfterSeconds} 秒后重试。",
            },
            (System.Text.Json.JsonSerializerOptions?)null,
            "application/problem+json",
            cancellationToken);
    };

    private readonly ConcurrencyLimiterOptions limits = Limits(configuration);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetConcurrencyLimiter("export", _ => limits);

    private static ConcurrencyLimiterOptions Limits(IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue<int?>("Export:Concurrent") ?? Math.Max(2, Environment.ProcessorCount));
        return new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = Math.Max(0, configuration.GetValue<int?>("Export:Queue") ?? permits * 2),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }
}
