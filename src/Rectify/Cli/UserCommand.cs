using System.CommandLine;
using Rectify.Access;

namespace Rectify.Cli;

/// <summary>`user add | disable | reset-password 用户名`: passwords come from standard input, never from the command line.</summary>
internal static class UserCommand
{
    private const string UsageLine = "用法：rectify user add 用户名 [--display-name 姓名] [--org 单位] [--role 角色[,角色]] | user disable 用户名 | user reset-password 用户名（密码从标准输入读取）";

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();

        var addName = new Argument<string>("用户名");
        var displayName = new Option<string>("--display-name");
        var organization = new Option<string>("--org");
        var roles = new Option<string>("--role");
        var add = new Command("add") { addName, displayName, organization, roles };
        add.SetAction(async (result, _) =>
        {
            var password = await ReadPasswordAsync(cli.In, "add");
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var administration = session.Scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var userName = result.GetRequiredValue(addName);
            var roleNames = (result.GetValue(roles) ?? string.Empty).Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var user = await administration.CreateAsync(userName, result.GetValue(displayName), result.GetValue(organization), roleNames, password, CancellationToken.None);
            cli.Out.WriteLine($"已创建用户 {userName}（{user.DisplayName}）{(roleNames.Length > 0 ? "，角色：" + string.Join("、", roleNames.Select(r => Roles.Label(Roles.Parse(r)!))) : string.Empty)}。");
            return CommandLine.Ok;
        });

        var disableName = new Argument<string>("用户名");
        var disable = new Command("disable") { disableName };
        disable.SetAction(async (result, _) =>
        {
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var userName = result.GetRequiredValue(disableName);
            await session.Scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(userName);
            cli.Out.WriteLine($"已停用用户 {userName}；其已登录的会话将在一分钟内失效。");
            return CommandLine.Ok;
        });

        var resetName = new Argument<string>("用户名");
        var reset = new Command("reset-password") { resetName };
        reset.SetAction(async (result, _) =>
        {
            var password = await ReadPasswordAsync(cli.In, "reset-password");
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var userName = result.GetRequiredValue(resetName);
            await session.Scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetPasswordAsync(userName, password);
            cli.Out.WriteLine($"已重置用户 {userName} 的密码；其已登录的会话将在一分钟内失效。");
            return CommandLine.Ok;
        });

        return new Verb("user", _ => UsageLine) { data, add, disable, reset };
    }

    /// <summary>The first line of standard input, read before the database is opened.</summary>
    private static async Task<string> ReadPasswordAsync(TextReader stdin, string action)
    {
        var password = (await stdin.ReadLineAsync())?.Trim();
        return string.IsNullOrEmpty(password)
            ? throw new UsageException("没有从标准输入读到密码。例如：echo '密码' | rectify user " + action + " 用户名")
            : password;
    }
}
