using System.CommandLine;
using System.Globalization;
using Rectify.Tools;

namespace Rectify.Cli;

/// <summary>
/// `bench seed --scale small|city|province [--seed N] --database 文件|连接字符串`: fills a new, empty database with a
/// generated installation for the load suite (docs/adr/0030). Refuses any database that holds data; never touches the
/// configured one unless it is named.
/// </summary>
internal static class BenchCommand
{
    private const string UsageLine = "用法：rectify bench seed --scale small|city|province [--seed 数字] --database SQLite文件|PostgreSQL连接字符串";

    public static Verb Create(CliContext cli)
    {
        var scale = new Option<string>("--scale") { Required = true };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 12 };
        var database = new Option<string>("--database") { Required = true };
        var seedCommand = new Command("seed") { scale, seed, database };
        seedCommand.SetAction((result, cancellationToken) => SeedAsync(cli, result.GetRequiredValue(scale), result.GetValue(seed), result.GetRequiredValue(database), cancellationToken));
        return new Verb("bench", _ => UsageLine) { seedCommand };
    }

    private static async Task<int> SeedAsync(CliContext cli, string scaleName, int seed, string target, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<BenchScale>(scaleName, ignoreCase: true, out var scale) || !Enum.IsDefined(scale) || int.TryParse(scaleName, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"未知规模“{scaleName}”。可选：small、city、province。");
        }

        await using var database = BenchDatabase.Open(target);
        if (await database.RefusalAsync(cancellationToken) is { } refusal)
        {
            return CommandLine.Print(cli.Error, $"错误：{database.Description}：{refusal}", CommandLine.BadInput);
        }

        cli.Out.WriteLine($"生成基准数据：规模 {scale}，种子 {seed}，写入 {database.Description}");
        await database.MigrateAsync(cancellationToken);
        var result = await new BenchGenerator(database, scale, seed, cli.Out).RunAsync(cancellationToken);
        cli.Out.WriteLine("已写入：");
        cli.Out.WriteLine(BenchGenerator.Describe(result));
        return CommandLine.Ok;
    }
}
