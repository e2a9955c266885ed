using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Reports;
using Rectify.Hosting;

namespace Rectify.Cli;

/// <summary>
/// `backup [--to 文件]` and `restore 文件 [--force]`: one archive of the database, the data folder's files and the audit
/// checkpoints, with a manifest of SHA-256 hashes (<see cref="BackupArchive"/>). A backup runs beside the live server;
/// a restore runs with the server stopped, refuses a target that holds data unless --force, checks every hash before
/// it changes anything, and ends with the audit trail's verification.
/// </summary>
internal static class BackupCommand
{
    /// <summary>The folder of the audit checkpoints file (<see cref="Rectify.Audit.AuditCheckpointOptions"/>); the file is included when it exists.</summary>
    public const string CheckpointsKey = Rectify.Audit.AuditCheckpointOptions.Section + ":" + nameof(Rectify.Audit.AuditCheckpointOptions.Folder);

    public static Verb CreateBackup(CliContext cli)
    {
        var data = Verb.DataOption();
        var to = new Option<string>("--to");
        var command = new Verb("backup", result => $"backup 不接受参数“{result.UnmatchedTokens[0]}”。用法：rectify backup [--to 文件.tar] [--data 目录]") { data, to };
        command.SetAction((result, ct) => BackupAsync(cli, cli.VerbArguments(result.GetValue(data)), result.GetValue(to), ct));
        return command;
    }

    public static Verb CreateRestore(CliContext cli)
    {
        var data = Verb.DataOption();
        var force = Verb.Flag("--force");
        var file = new Argument<string>("备份文件");
        var command = new Verb("restore", _ => "用法：rectify restore 备份文件.tar [--force] [--data 目录]") { data, force, file };
        command.SetAction((result, ct) => RestoreAsync(cli, cli.VerbArguments(result.GetValue(data)), result.GetRequiredValue(file), result.GetValue(force), ct));
        return command;
    }

    private static BackupSources Sources(WebApplication app) => new(
        app.Services.GetRequiredService<DatabaseInfo>(),
        RectifyApp.DataFolder(app.Configuration),
        app.Configuration[DatabaseSnapshot.ToolsKey],
        app.Configuration[CheckpointsKey] is { Length: > 0 } checkpoints ? Path.Combine(Path.GetFullPath(checkpoints), Rectify.Audit.AuditCheckpointOptions.FileName) : null);

    private static async Task<int> BackupAsync(CliContext cli, string[] hostArgs, string? to, CancellationToken cancellationToken)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var sources = Sources(session.App);
        var target = Path.GetFullPath(to ?? Path.Combine(sources.DataFolder, "backups", $"rectify-{cli.Clock.GetUtcNow():yyyyMMdd-HHmmss}.tar"));
        if (File.Exists(target))
        {
            return CommandLine.Print(cli.Error, $"错误：{target} 已存在，备份不会覆盖它。请换一个文件名。", CommandLine.BadInput);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var lastMigration = (await session.Db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        var manifest = await BackupArchive.WriteAsync(sources, target, lastMigration, cli.Clock, cancellationToken);
        var evidence = manifest.Files.Count(f => f.Path.StartsWith("data/evidence/", StringComparison.Ordinal));
        var database = manifest.Files[0];
        cli.Out.WriteLine($"已备份到 {target}（{Size(new FileInfo(target).Length)}）：");
        cli.Out.WriteLine($"  数据库 {DatabaseProvider.Describe(sources.Database)}，{Size(database.Length)}（迁移 {lastMigration ?? "无"}）");
        cli.Out.WriteLine($"  佐证材料 {evidence} 个文件，数据目录中的其他文件 {manifest.Files.Count - 1 - evidence} 个（密钥等）" + (manifest.Files.Any(f => f.Path.StartsWith("external/", StringComparison.Ordinal)) ? "，审计检查点文件" : string.Empty));
        cli.Out.WriteLine($"  清单 manifest.json 记录了 {manifest.Files.Count} 个文件的 SHA-256。");
        if (manifest.Files.Any(f => f.Path is "data/audit.key" || f.Path.StartsWith("data/keys/", StringComparison.Ordinal)))
        {
            cli.Out.WriteLine("注意：数据目录中的密钥（审计密钥、Data Protection 密钥）也在备份中，请像保管数据目录一样保管备份文件；生产环境应把密钥配置在数据目录之外（见 docs/operations.md）。");
        }

        return CommandLine.Ok;
    }

    private static async Task<int> RestoreAsync(CliContext cli, string[] hostArgs, string archive, bool force, CancellationToken cancellationToken)
    {
        archive = Path.GetFullPath(archive);
        if (!File.Exists(archive))
        {
            throw new FileNotFoundException($"找不到备份文件 {archive}。");
        }

        BackupSources sources;
        await using (var app = RectifyApp.Build(hostArgs))
        {
            sources = Sources(app);
            await using var scope = app.Services.CreateAsyncScope();
            await CliSession.EnsureReachableAsync(scope.ServiceProvider.GetRequiredService<RectifyDbContext>(), sources.Database);
        }

        var databaseEmpty = await DatabaseSnapshot.IsEmptyAsync(sources.Database, cancellationToken);
        var existing = BackupArchive.ExistingData(sources).Count();
        if ((!databaseEmpty || existing > 0) && !force)
        {
            var what = string.Join("，", new[] { databaseEmpty ? null : $"数据库（{DatabaseProvider.Describe(sources.Database)}）已有数据表", existing > 0 ? $"数据目录已有 {existing} 份佐证材料" : null }.OfType<string>());
            return CommandLine.Print(cli.Error, $"错误：恢复的目标不是空的：{what}。恢复会用备份替换全部现有数据；请先停止服务，确认无误后加 --force 再运行。", CommandLine.BadInput);
        }

        var (manifest, staging) = await BackupArchive.ExtractAsync(archive, sources.DataFolder, cancellationToken);
        try
        {
            if (!string.Equals(manifest.Provider, sources.Database.Kind.ToString(), StringComparison.Ordinal))
            {
                return CommandLine.Print(cli.Error, $"错误：这份备份来自 {manifest.Provider} 数据库，而当前配置的是 {sources.Database.Kind}：只能恢复到同一种数据库。", CommandLine.BadInput);
            }

            cli.Out.WriteLine($"备份文件完整：{manifest.Files.Count} 个文件的 SHA-256 与清单一致（备份于 {manifest.CreatedAtUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC）。");
            await DatabaseSnapshot.RestoreAsync(sources.Database, Path.Combine(staging, manifest.Database), sources.ToolsFolder, cancellationToken);
            BackupArchive.PlaceFiles(sources, staging);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        cli.Out.WriteLine($"已恢复数据库（{DatabaseProvider.Describe(sources.Database)}）和数据目录 {sources.DataFolder}。");
        return await CheckRestoredAsync(cli, hostArgs, cancellationToken);
    }

    /// <summary>After a restore: the schema brought up to this version, the evidence store against its rows, and the audit trail verified.</summary>
    private static async Task<int> CheckRestoredAsync(CliContext cli, string[] hostArgs, CancellationToken cancellationToken)
    {
        var app = RectifyApp.Build(hostArgs);
        await using (app)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
                cli.Out.WriteLine($"备份来自较早的版本：已应用数据库迁移 {pending.Count} 项。");
            }

            // Files uploaded while the backup ran are in the archive without their rows: nothing names them, so they go.
            var store = app.Services.GetRequiredService<EvidenceStore>();
            var swept = await EvidenceSweep.RunAsync(db, store.Root, TimeSpan.Zero, DateTime.MaxValue, cancellationToken);
            var files = await db.EvidenceFiles.CountAsync(cancellationToken);
            cli.Out.WriteLine($"佐证材料：{files} 份有记录" + (swept.OrphanFiles > 0 ? $"，另有 {swept.OrphanFiles} 个在备份开始后上传、没有记录的文件已删除" : string.Empty) + "。");
            if (swept.Missing.Count > 0)
            {
                cli.Error.WriteLine($"错误：{swept.Missing.Count} 份佐证材料有记录但备份中没有文件（SHA-256 {swept.Missing.Named}）。");
                return CommandLine.Failed;
            }

            // The restored log is verified with the key, and against the restored checkpoints when they are configured.
            var key = app.Services.GetRequiredService<AuditKey>();
            key.ForVerification();
            var anchors = app.Services.GetRequiredService<AuditCheckpointWriter>().FilePath is { } checkpoints && File.Exists(checkpoints)
                ? AuditCheckpoint.ReadFile(checkpoints).Checkpoints
                : null;
            var verification = await AuditVerifier.VerifyAsync(db, key, anchors, cancellationToken);
            if (!verification.Intact)
            {
                cli.Error.WriteLine("审计日志校验失败：" + string.Join("；", verification.Findings.DefaultIfEmpty(verification.Message)));
                return CommandLine.AuditBroken;
            }

            cli.Out.WriteLine(verification.Message);
            return CommandLine.Ok;
        }
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
}
