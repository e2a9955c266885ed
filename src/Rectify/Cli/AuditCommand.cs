using System.CommandLine;
using Microsoft.Extensions.Options;
using Rectify.Audit;

namespace Rectify.Cli;

/// <summary>
/// `audit verify [--checkpoints 文件]`: checks the chain, the head's seal and the checkpoints; exit 3 names what it found.
/// `audit init-key --key-file 文件`, `audit rotate-key`, `audit checkpoint`: the key's custody and the anchors.
/// </summary>
internal static class AuditCommand
{
    private const string UsageLine = "用法：rectify audit verify [--checkpoints 文件] | audit checkpoint | audit init-key --key-file 文件 | audit rotate-key [--data 目录]";

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();

        var checkpoints = new Option<string>("--checkpoints");
        var verify = new Command("verify") { checkpoints };
        verify.SetAction((result, _) => VerifyAsync(cli, cli.VerbArguments(result.GetValue(data)), result.GetValue(checkpoints)));

        var keyFile = new Option<string>("--key-file") { Required = true };
        var initKey = new Command("init-key") { keyFile };
        initKey.SetAction(result => InitKey(cli, result.GetValue(keyFile)!));

        var rotate = new Command("rotate-key");
        rotate.SetAction((result, _) => RotateAsync(cli, cli.VerbArguments(result.GetValue(data))));

        var checkpoint = new Command("checkpoint");
        checkpoint.SetAction((result, _) => CheckpointAsync(cli, cli.VerbArguments(result.GetValue(data))));

        return new Verb("audit", _ => UsageLine) { data, verify, initKey, rotate, checkpoint };
    }

    private static async Task<int> VerifyAsync(CliContext cli, string[] hostArgs, string? checkpointsFile)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var key = session.App.Services.GetRequiredService<AuditKey>();
        key.ForVerification();

        // Without --checkpoints, the configured checkpoints file (when there is one) is the anchor.
        checkpointsFile ??= session.App.Services.GetRequiredService<AuditCheckpointWriter>().FilePath is { } configured && File.Exists(configured) ? configured : null;
        IReadOnlyList<AuditCheckpoint>? anchors = null;
        IReadOnlyList<string> unreadable = [];
        if (checkpointsFile is not null)
        {
            if (!File.Exists(checkpointsFile))
            {
                throw new FileNotFoundException($"找不到检查点文件 {checkpointsFile}。", checkpointsFile);
            }

            (anchors, unreadable) = AuditCheckpoint.ReadFile(checkpointsFile);
            cli.Out.WriteLine($"对照检查点文件 {Path.GetFullPath(checkpointsFile)}（{anchors.Count} 个检查点）。");
        }

        var result = await AuditVerifier.VerifyAsync(session.Db, key, anchors, CancellationToken.None);
        if (result.Intact && unreadable.Count == 0)
        {
            cli.Out.WriteLine(result.Message);
            return CommandLine.Ok;
        }

        var findings = unreadable.Concat(result.Findings).ToList();
        cli.Error.WriteLine("审计日志校验失败：");
        foreach (var finding in findings)
        {
            cli.Error.WriteLine("  - " + finding + "。");
        }

        return CommandLine.AuditBroken;
    }

    private static int InitKey(CliContext cli, string path)
    {
        AuditKey.Create(path);
        cli.Out.WriteLine($"已创建审计密钥文件 {Path.GetFullPath(path)}（权限 0400，编号 k1）。请设置 Audit:KeyFile={Path.GetFullPath(path)}，由审计管理员另行备份保管；不要放在数据目录里。");
        return CommandLine.Ok;
    }

    private static async Task<int> RotateAsync(CliContext cli, string[] hostArgs)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var key = session.App.Services.GetRequiredService<AuditKey>();
        var previous = key.Current.Id;
        var id = key.Rotate();

        // The first record under the new key says so; a checkpoint anchors the moment.
        await session.Scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
            new AuditEvent(AuditActions.AuditKeyRotated, ObjectType: "AuditKey", ObjectId: id, Before: new { KeyId = previous }, After: new { KeyId = id }));
        var writer = session.App.Services.GetRequiredService<AuditCheckpointWriter>();
        if (writer.HasSink)
        {
            await writer.WriteAsync(always: true, CancellationToken.None);
        }

        cli.Out.WriteLine($"审计密钥已轮换：新密钥编号 {id}，已追加到 {key.KeyFile}；旧密钥保留在同一文件中，用于校验轮换前的记录。请重启服务使其用新密钥签名，并重新备份密钥文件。");
        return CommandLine.Ok;
    }

    private static async Task<int> CheckpointAsync(CliContext cli, string[] hostArgs)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var writer = session.App.Services.GetRequiredService<AuditCheckpointWriter>();
        if (!writer.HasSink)
        {
            throw new Data.RectifyConfigurationException("未配置审计检查点的去处：请设置 Audit:Checkpoints:Folder（只可追加的目录）或 Audit:Checkpoints:WebhookUrl。");
        }

        var written = await writer.WriteAsync(always: true, CancellationToken.None)
            ?? throw new Data.RectifyConfigurationException("审计链尾未通过密钥认证，未写检查点。请运行 rectify audit verify。");
        var options = session.App.Services.GetRequiredService<IOptions<AuditCheckpointOptions>>().Value;
        cli.Out.WriteLine($"已写检查点：第 {written.Sequence} 条，{written.AtUtcText}{(writer.FilePath is { } f ? "，文件 " + f : string.Empty)}{(options.WebhookUrl is not null ? "，webhook " + options.WebhookUrl.Host : string.Empty)}。");
        return CommandLine.Ok;
    }
}
