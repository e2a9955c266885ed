using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Plans;
using Rectify.Hosting;

namespace Rectify.Bench;

/// <summary>The application's host on a new database with one party committee and its office's account, as the import benchmarks start.</summary>
internal static class OfficeHost
{
    /// <summary>The office account the benchmarks act as.</summary>
    public const string UserName = "bench-office";

    /// <summary>Builds the host (SQLite in <paramref name="folder"/>, or PostgreSQL), migrates, adds the committee and <see cref="UserName"/>, and starts it on a free loopback port; returns the host and the committee's id.</summary>
    public static async Task<(WebApplication App, int OrganizationId)> StartAsync(string folder, string? postgresConnection)
    {
        // An installation's audit key lives outside its data folder, kept by the audit administrator: here a folder beside it.
        var keyFile = Path.Combine(folder + "-secrets", "audit.key");
        if (!File.Exists(keyFile))
        {
            Rectify.Audit.AuditKey.Create(keyFile);
        }

        string[] args =
        [
            "--Audit:KeyFile=" + keyFile,
            "--Logging:Console:LogLevel:Default=None",
            "--urls=http://127.0.0.1:0",

            // The reminder scan would run beside the first import and its allocations would be counted as the import's.
            "--Notifications:Background=false",
            $"--{RectifyApp.DataFolderKey}={folder}",
            .. postgresConnection is null ? Array.Empty<string>() : ["--Database:Provider=Postgres", "--ConnectionStrings:Rectify=" + postgresConnection],
        ];
        var app = RectifyApp.Build(args);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await db.Database.MigrateAsync();
        var organization = new Organization("中共某某街道工作委员会", OrganizationKind.PartyCommittee);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        organization.AssignPath();
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(
            UserName, "整改办", organization.Id.ToString(CultureInfo.InvariantCulture), [Roles.RectificationOffice], "Bench-Passw0rd-2026", CancellationToken.None, initialPassword: false);

        // Started as a server is, and with the import's warm-up done, as it is a few seconds after a server starts.
        await app.StartAsync();
        await app.Services.GetServices<IHostedService>().OfType<IntakeWarmUp>().Single().Done;
        return (app, organization.Id);
    }
}
