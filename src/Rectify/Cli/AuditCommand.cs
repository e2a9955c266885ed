using System.CommandLine;
using Rectify.Audit;

namespace Rectify.Cli;

/// <summary>`audit verify [--data 目录]`: checks the audit trail's chain; exit 3 names the first broken record.</summary>
internal static class AuditCommand
{
    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();
        var verify = new Command("verify");
        verify.SetAction((result, _) => VerifyAsync(cli, cli.VerbArguments(result.GetValue(data))));
        return new Verb("audit", _ => "用法：rectify audit verify [--data 目录]") { data, verify };
    }

    private static async Task<int> VerifyAsync(CliContext cli, string[] hostArgs)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var key = session.App.Services.GetRequiredService<AuditKey>().ValueForVerification();
        var result = await AuditVerifier.VerifyAsync(session.Db, key, CancellationToken.None);
        if (result.Intact)
        {
            cli.Out.WriteLine(result.Message);
            return CommandLine.Ok;
        }

        cli.Error.WriteLine("审计日志校验失败：" + result.Message);
        return CommandLine.AuditBroken;
    }
}
