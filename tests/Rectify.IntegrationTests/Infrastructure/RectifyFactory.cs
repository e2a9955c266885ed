using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>Hosts the real application with test settings applied before Program reads its configuration.</summary>
public sealed class RectifyFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null, Action<IServiceCollection>? testServices = null) : WebApplicationFactory<Program>
{
    protected override IHost CreateHost(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(settings));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        builder.UseContentRoot(AppContext.BaseDirectory);
        if (ServerErrorLog.Path is { } errors)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrorLog(errors)));
        }

        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }
}
