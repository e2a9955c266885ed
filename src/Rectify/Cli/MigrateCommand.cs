using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Hosting;

namespace Rectify.Cli;

/// <summary>`migrate [--data 目录]`: creates or upgrades the database schema.</summary>
internal static class MigrateCommand
{
    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();
        var command = new Verb("migrate", result => $"migrate 不接受参数“{result.UnmatchedTokens[0]}”。") { data };
        command.SetAction((result, _) => RunAsync(cli.Out, cli.VerbArguments(result.GetValue(data))));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter stdout, string[] hostArgs)
    {
        var app = RectifyApp.Build(hostArgs);
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await CliSession.EnsureReachableAsync(db, info);
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        stdout.WriteLine(pending.Count == 0
            ? $"数据库已是最新（{DatabaseProvider.Describe(info)}）。"
            : $"已应用数据库迁移 {pending.Count} 项（{DatabaseProvider.Describe(info)}）：{string.Join("，", pending)}");
        return CommandLine.Ok;
    }
}
