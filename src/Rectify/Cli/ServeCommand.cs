using System.Data.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Features.Reports;
using Rectify.Hosting;

namespace Rectify.Cli;

/// <summary>`serve [--demo] [--data 目录] [--urls URL] [--键=值…]`: runs the web server until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Verb Create(CliContext cli)
    {
        var demo = Verb.Flag("--demo");
        var data = Verb.DataOption();
        var command = new Verb("serve", result => $"serve 不接受参数“{result.UnmatchedTokens[0]}”。") { demo, data };
        command.SetAction((result, _) => RunAsync(cli, result.GetValue(demo), cli.ServerArguments(result.GetValue(data))));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, bool demo, string[] hostArgs)
    {
        if (demo)
        {
            hostArgs = [.. hostArgs, $"--{Data.DemoMode.Setting}=true"];
        }

        var app = RectifyApp.Build(hostArgs);

        // No key the operator placed (or, in demo mode, one made outside the data folder): no server.
        var auditKey = app.Services.GetRequiredService<Audit.AuditKey>();
        auditKey.EnsureUsable();
        cli.Out.WriteLine(auditKey.Describe());

        // Nor without the column key that encrypts the 问题线索 at rest (ADR 0025).
        var columnKey = app.Services.GetRequiredService<ColumnKey>();
        columnKey.EnsureUsable();
        cli.Out.WriteLine(columnKey.Describe());
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        var migrateOnStart = demo || app.Configuration.GetValue<bool>("Database:MigrateOnStart");
        var missingCheckDelay = EvidenceSweep.MissingCheckDelay(app.Configuration);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await CliSession.EnsureReachableAsync(db, info);
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                if (!migrateOnStart)
                {
                    throw new RectifyConfigurationException(
                        $"数据库（{DatabaseProvider.Describe(info)}）需要迁移（{pending.Count} 项）。请先运行 rectify migrate，或设置 Database:MigrateOnStart=true。");
                }

                await db.Database.MigrateAsync();
                cli.Out.WriteLine($"已应用数据库迁移 {pending.Count} 项：{DatabaseProvider.Describe(info)}");
            }

            await SweepEvidenceAsync(cli, db, app);
            if (demo)
            {
                await SeedDemoAsync(scope.ServiceProvider, app.Configuration, cli.Out);
            }
        }

        try
        {
            await app.StartAsync();
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new RectifyConfigurationException($"无法监听地址（{e.Message}）：端口可能已被另一个程序（或另一个 Rectify）占用。请停止它，或用 --urls 指定其他地址，例如 --urls http://127.0.0.1:5081。");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        cli.Out.WriteLine($"Rectify 已启动（{DatabaseProvider.Describe(info)}）。打开：{string.Join("  ", addresses)}");
        cli.Out.WriteLine("按 Ctrl+C 停止。");

        // Rows whose file is missing are named a little after the start (a read of every evidence row and a look on disk
        // for each: seconds at city scale, issue #12), so that the check does not take the cores from the first requests.
        var missing = ReportMissingEvidenceAsync(cli, app, missingCheckDelay);
        await app.WaitForShutdownAsync();
        await missing;
        return CommandLine.Ok;
    }

    /// <summary>Removes what a crash left in the evidence store (files no row names, staged uploads) and names rows whose file is missing.</summary>
    private static async Task SweepEvidenceAsync(CliContext cli, RectifyDbContext db, WebApplication app)
    {
        var store = app.Services.GetRequiredService<EvidenceStore>();
        var swept = await EvidenceSweep.RunAsync(db, store.Root, EvidenceSweep.Grace(app.Configuration), cli.Clock.GetUtcNow().UtcDateTime, CancellationToken.None, checkMissing: false);
        if (swept.OrphanFiles + swept.StaleUploads > 0)
        {
            cli.Out.WriteLine($"佐证材料目录：已清理上次异常退出遗留的文件——无记录的文件 {swept.OrphanFiles} 个、未完成的上传 {swept.StaleUploads} 个。");
        }
    }

    /// <summary>Names the evidence rows whose file is missing, read while the server already answers, after <paramref name="delay"/>; a stop cancels it.</summary>
    private static async Task ReportMissingEvidenceAsync(CliContext cli, WebApplication app, TimeSpan delay)
    {
        try
        {
            await Task.Yield();
            await Task.Delay(delay, app.Lifetime.ApplicationStopping);
            var store = app.Services.GetRequiredService<EvidenceStore>();
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var missing = await EvidenceSweep.MissingAsync(db, store.Root, app.Lifetime.ApplicationStopping);
            if (missing.Count > 0)
            {
                cli.Error.WriteLine($"警告：{missing.Count} 份佐证材料有记录但文件缺失（SHA-256 {missing.Named}）：请从备份恢复 {store.Root} 中的这些文件。");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before the check ended: the next start checks again.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            cli.Error.WriteLine($"警告：未能检查佐证材料文件是否齐全（{e.Message}）。");
        }
    }

    private static async Task SeedDemoAsync(IServiceProvider services, IConfiguration configuration, TextWriter stdout)
    {
        var credentialsPath = Path.Combine(RectifyApp.DataFolder(configuration), DemoSeeder.CredentialsFileName);
        var seeder = services.GetRequiredService<DemoSeeder>();
        var password = DemoSeeder.NewPassword();
        var outcome = await seeder.SeedAsync(password, CancellationToken.None);
        if (outcome.Imported)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(credentialsPath)!);
            await File.WriteAllTextAsync(credentialsPath, password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(credentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stdout.WriteLine($"演示模式：已导入种子公告——{outcome.Inspections} 个巡察、{outcome.Findings} 个问题、{outcome.Measures} 条整改措施。");
        }
        else
        {
            password = File.Exists(credentialsPath) ? (await File.ReadAllTextAsync(credentialsPath)).Trim() : "（见首次启动时的输出）";
            stdout.WriteLine($"演示模式：数据库已有演示数据（{outcome.Findings} 个问题、{outcome.Measures} 条整改措施），未重复导入。");
        }

        stdout.WriteLine("演示账号（仅演示模式）：" + string.Join("、", outcome.Accounts.Select(a => $"{a.UserName}（{a.DisplayName}）")));
        stdout.WriteLine($"密码：{password}（保存在 {credentialsPath}）");
    }
}
