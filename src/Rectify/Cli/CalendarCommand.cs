using System.CommandLine;
using System.Globalization;
using Rectify.Audit;
using Rectify.Domain;
using Rectify.Features;
using Rectify.Features.Deadlines;

namespace Rectify.Cli;

/// <summary>
/// `calendar list | calendar import 文件.json`: the working-day calendar (法定节假日与调休). An imported year replaces that
/// year of the shipped calendar; the file is checked whole first, so a bad file changes nothing. The import is audited.
/// </summary>
internal static class CalendarCommand
{
    private const string UsageLine = "用法：rectify calendar list | rectify calendar import 文件.json [--data 目录]";

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();
        var list = new Command("list");
        list.SetAction(async (result, _) =>
        {
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var store = session.Scope.ServiceProvider.GetRequiredService<CalendarStore>();
            foreach (var y in await store.YearsAsync(CancellationToken.None))
            {
                var source = y.Source == CalendarSource.Shipped ? "随系统提供（holiday-cn）" : $"导入于 {Fmt.Time(y.ImportedAtUtc!.Value)}";
                cli.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{y.Year}\t放假 {y.OffDays} 天\t调休上班 {y.MakeUpDays} 天\t{source}"));
            }

            cli.Out.WriteLine("没有数据的年份按周一至周五为工作日计算。");
            return CommandLine.Ok;
        });

        var file = new Argument<string>("文件.json");
        var import = new Command("import") { file };
        import.SetAction(async (result, _) =>
        {
            var path = result.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"找不到文件“{path}”。");
            }

            var json = await File.ReadAllTextAsync(path, CancellationToken.None);
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var services = session.Scope.ServiceProvider;
            try
            {
                var years = await services.GetRequiredService<CalendarStore>().ImportAsync(
                    json, Path.GetFileName(path), services.GetRequiredService<AuditLog>(), services.GetRequiredService<TimeProvider>(), AuditActor.CommandLine, CancellationToken.None);
                foreach (var y in years)
                {
                    cli.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已导入 {y.Year} 年：放假 {y.Days.Count(d => d.IsOffDay)} 天，调休上班 {y.Days.Count(d => !d.IsOffDay)} 天（替换该年原有数据）。"));
                }

                return CommandLine.Ok;
            }
            catch (BusinessRuleViolationException e)
            {
                cli.Error.WriteLine("错误：" + e.Message);
                return CommandLine.BadInput;
            }
        });

        return new Verb("calendar", _ => UsageLine) { data, list, import };
    }
}
