using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Hosting;

namespace Rectify.Cli;

/// <summary>The application's services over a reachable, fully migrated database, for the verbs that work on data.</summary>
internal sealed class CliSession(WebApplication app, AsyncServiceScope scope) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public AsyncServiceScope Scope { get; } = scope;

    public RectifyDbContext Db => Scope.ServiceProvider.GetRequiredService<RectifyDbContext>();

    /// <summary>
    /// Acts as this account for the rest of the verb: what reads the caller (<see cref="Access.Caller"/>, the audit log)
    /// sees it as a request's signed-in user, so that the verb has exactly that account's scope and permissions.
    /// </summary>
    public void ActAs(System.Security.Claims.ClaimsPrincipal principal)
    {
        var context = new DefaultHttpContext { User = principal, RequestServices = Scope.ServiceProvider };
        context.Items[Audit.AuditLog.SourceItem] = "cli:" + Environment.UserName;
        Scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
    }

    public static async Task<CliSession> OpenMigratedAsync(string[] hostArgs)
    {
        var app = RectifyApp.Build(hostArgs);
        var session = new CliSession(app, app.Services.CreateAsyncScope());
        try
        {
            await EnsureReachableAsync(session.Db, app.Services.GetRequiredService<DatabaseInfo>());
            if ((await session.Db.Database.GetPendingMigrationsAsync()).Any())
            {
                throw new RectifyConfigurationException("数据库尚未迁移。请先运行 rectify migrate。");
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public static async Task EnsureReachableAsync(RectifyDbContext db, DatabaseInfo info)
    {
        if (info.Kind == DatabaseProviderKind.Sqlite)
        {
            DatabaseProvider.EnsureSqliteFolder(info.ConnectionString);
        }

        try
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception e) when (DatabaseProvider.DescribeConnectionFailure(info, e) is { } message)
        {
            throw new DatabaseUnavailableException(message, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new DatabaseUnavailableException($"无法连接 {DatabaseProvider.Describe(info)}：{e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Scope.DisposeAsync();
        await App.DisposeAsync();
    }
}
