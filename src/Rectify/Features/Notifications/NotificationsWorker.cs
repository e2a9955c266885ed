using Microsoft.Extensions.Options;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Notifications;

/// <summary>
/// The background service: every interval it runs the day's reminder scan when it is due (once a day, after
/// <see cref="NotificationOptions.ScanAt"/>, and again after a restart that interrupted it) and then sends what the
/// outbox holds. Nothing here runs on a request.
/// </summary>
public sealed class NotificationsWorker(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationsWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (database briefly away, a bad row) must not stop the service; the next round tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "提醒和通知的后台处理出错，将在下一轮重试。");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: the scan if today's has not run and its time has come, then the dispatcher.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<RectifyDbContext>();
        var now = clock.GetUtcNow().ToOffset(ChinaTime.Offset);
        var today = DateOnly.FromDateTime(now.DateTime);
        var last = await ReminderScan.LastScanDayAsync(db, cancellationToken);
        if ((last is null || last < today) && TimeOnly.FromDateTime(now.DateTime) >= options.Value.ScanAt)
        {
            var result = await services.GetRequiredService<ReminderScan>().RunAsync(null, cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("提醒扫描 {Day}：到期 {Due} 条，新增 {New} 条，写入投递 {Deliveries} 条，汇总 {Digests} 条，补发 {CatchUp}。", result.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result.Due, result.New, result.Deliveries, result.Digests, result.CatchUp);
            }
        }

        await services.GetRequiredService<OutboxDispatcher>().DispatchAsync(cancellationToken);
    }
}

public static class NotificationsRegistration
{
    /// <summary>The outbox, the reminder sources, the channels and (unless switched off) the background service.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NotificationOptions.Section);
        var settings = section.Get<NotificationOptions>() ?? new NotificationOptions();
        if (settings.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        services.Configure<NotificationOptions>(section);

        services.AddScoped<ReminderRecipients>();
        services.AddScoped<HandOffOutbox>();
        services.AddScoped<HandOffNotices>();
        services.AddOptions<HandOffOptions>().Configure<IOptions<NotificationOptions>>((h, n) => h.EmailEnabled = n.Value.Smtp.Enabled);
        services.AddScoped<IReminderSource, DeadlineReminderSource>();
        services.AddScoped<IReminderSource, ReportMissingReminderSource>();
        services.AddScoped<IReminderSource, LookBackReminderSource>();
        services.AddScoped<ReminderScan>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<NotificationAdministration>();
        services.AddScoped<Inbox>();
        services.AddScoped<PreferenceService>();
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<WebhookChannel>();
        services.AddHttpClient(WebhookChannel.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<NotificationsWorker>();
        if (settings.Background)
        {
            services.AddHostedService(s => s.GetRequiredService<NotificationsWorker>());
        }

        return services;
    }
}
