using Microsoft.AspNetCore.Authorization;

namespace Rectify.Audit;

public static class AuditServices
{
    /// <summary>The audit trail: its keys, the log, the checkpoints (written by a hosted service) and the auditing of refusals.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = new AuditKey(configuration, dataFolder);
        services.AddSingleton(key);
        services.AddScoped<AuditLog>();

        services.Configure<AuditCheckpointOptions>(configuration.GetSection(AuditCheckpointOptions.Section));
        if (key.GeneratedForDemo && string.IsNullOrEmpty(configuration[AuditCheckpointOptions.Section + ":Folder"]))
        {
            // The demo anchors its trail beside its generated key, outside the data folder.
            services.PostConfigure<AuditCheckpointOptions>(o => o.Folder = Path.Combine(Path.GetDirectoryName(key.KeyFile!)!, "..", "checkpoints"));
        }

        services.AddHttpClient(AuditCheckpointWriter.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<AuditCheckpointWriter>();
        if (configuration.GetValue(AuditCheckpointOptions.Section + ":Background", true))
        {
            services.AddHostedService<AuditCheckpointService>();
        }

        services.AddSingleton<DenialThrottle>();
        services.AddSingleton<DenialAudit>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DenialAuthorizationResultHandler>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add(new AntiforgeryDenialFilter()));
        return services;
    }
}
