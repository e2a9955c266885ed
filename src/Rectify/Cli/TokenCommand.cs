using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Rectify.Access;
using Rectify.Features;

namespace Rectify.Cli;

/// <summary>`token create | list | revoke`: personal API tokens, shown once when created.</summary>
internal static class TokenCommand
{
    private const string UsageLine = "用法：rectify token create --user 用户名 [--name 用途] [--days 90] | token list --user 用户名 | token revoke 编号";

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();

        var createUser = new Option<string>("--user") { Required = true };
        var name = new Option<string>("--name");
        var days = new Option<int>("--days")
        {
            DefaultValueFactory = _ => 90,
            CustomParser = result => Digits(result) ?? AddError(result, $"--days 需要一个天数，而不是“{result.Tokens[0].Value}”。"),
        };
        var create = new Command("create") { createUser, name, days };
        create.SetAction(async (result, _) =>
        {
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var tokens = session.Scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var created = await tokens.CreateAsync(result.GetRequiredValue(createUser), result.GetValue(name), result.GetValue(days), CancellationToken.None);
            cli.Out.WriteLine($"已创建令牌 {created.Id}（有效期至 {Fmt.Time(created.ExpiresAtUtc)}）。它只显示这一次，请妥善保存：");
            cli.Out.WriteLine(created.Token);
            return CommandLine.Ok;
        });

        var listUser = new Option<string>("--user") { Required = true };
        var list = new Command("list") { listUser };
        list.SetAction(async (result, _) =>
        {
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var tokens = session.Scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var now = cli.Clock.GetUtcNow().UtcDateTime;
            foreach (var t in await tokens.ListAsync(result.GetRequiredValue(listUser), CancellationToken.None))
            {
                var state = t.RevokedAtUtc is not null ? "已撤销" : t.ExpiresAtUtc <= now ? "已过期" : "有效";
                cli.Out.WriteLine($"{t.Id}\t{t.Name}\trfy_{t.Prefix}_…\t{state}\t到期 {Fmt.Time(t.ExpiresAtUtc)}\t最近使用 {(t.LastUsedAtUtc is { } u ? Fmt.Time(u) : "—")}");
            }

            return CommandLine.Ok;
        });

        var id = new Argument<int>("编号") { CustomParser = result => Digits(result) ?? AddError(result, UsageLine) };
        var revoke = new Command("revoke") { id };
        revoke.SetAction(async (result, _) =>
        {
            await using var session = await CliSession.OpenMigratedAsync(cli.VerbArguments(result.GetValue(data)));
            var number = result.GetValue(id);
            await session.Scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(number, CancellationToken.None);
            cli.Out.WriteLine($"已撤销令牌 {number}。");
            return CommandLine.Ok;
        });

        return new Verb("token", _ => UsageLine) { data, create, list, revoke };
    }

    /// <summary>Plain digits only: no sign, no spaces, no thousands separators.</summary>
    private static int? Digits(ArgumentResult result) =>
        int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int AddError(ArgumentResult result, string message)
    {
        result.AddError(message);
        return 0;
    }
}
