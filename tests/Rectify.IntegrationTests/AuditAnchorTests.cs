using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Audit;
using Rectify.Cli;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #13's attacks on the audit trail, each run through `rectify audit verify` as an operator runs it: the tail cut
/// and the head moved back, the table wiped, the chain rewritten with the key after a checkpoint, an edit, an
/// insertion and a deletion, and a key rotation that keeps the old records verifiable. Every test starts from a fresh
/// chain of its own (the previous one wiped with the triggers off, as the attacker would).
/// </summary>
public abstract class AuditAnchorTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cutting_the_tail_and_moving_the_head_back_exits_3_naming_the_moved_head_and_the_cut_tail()
    {
        app.RequireAvailable();
        await FreshChainAsync(20);
        Assert.Equal(0, (await CliAsync("audit", "checkpoint")).Code);
        var (code, output, error) = await CliAsync("audit", "verify");
        Assert.True(code == 0, error);
        Assert.Contains("审计日志完整：共 20 条记录", output, StringComparison.Ordinal);
        Assert.Contains("与 1 个检查点一致", output, StringComparison.Ordinal);

        // #13's first attack: drop the triggers, delete the newest records, point the head at the last one kept.
        await TamperAsync(async db =>
        {
            var kept = await db.AuditEntries.SingleAsync(e => e.Sequence == 15, Ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" > 15", Ct);
            await db.AuditHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, 15L).SetProperty(h => h.Mac, kept.Mac).SetProperty(h => h.AtUtc, kept.AtUtc), Ct);
        });

        // Without the checkpoints the head's seal alone gives it away…
        (code, _, error) = await CliAsync("audit", "verify", "--Audit:Checkpoints:Folder=" + Path.Combine(app.SecretsFolder, "none"));
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("审计链尾（第 15 条）的密钥认证码不符：链尾被移动或改动", error, StringComparison.Ordinal);

        // …and the checkpoint names what is missing.
        (code, _, error) = await CliAsync("audit", "verify", "--checkpoints", app.CheckpointsFile);
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("审计日志尾部被截断", error, StringComparison.Ordinal);
        Assert.Contains("第 16 条至第 20 条不见了", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wiping_the_table_exits_3_with_the_head_left_or_reset_to_an_empty_log()
    {
        app.RequireAvailable();
        await FreshChainAsync(12);
        Assert.Equal(0, (await CliAsync("audit", "checkpoint")).Code);

        await TamperAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"", Ct));
        var (code, _, error) = await CliAsync("audit", "verify", "--Audit:Checkpoints:Folder=" + Path.Combine(app.SecretsFolder, "none"));
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("审计日志被清空：链尾记录共 12 条，数据库中一条也没有", error, StringComparison.Ordinal);

        // The head put back as a new installation has it: only the checkpoint outside the database remembers.
        await TamperAsync(db => db.AuditHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(
            s => s.SetProperty(h => h.Sequence, 0L).SetProperty(h => h.Mac, string.Empty).SetProperty(h => h.AtUtc, (DateTime?)null).SetProperty(h => h.KeyId, (string?)null).SetProperty(h => h.HeadMac, (string?)null), Ct));
        (code, _, error) = await CliAsync("audit", "verify", "--checkpoints", app.CheckpointsFile);
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("审计日志被清空", error, StringComparison.Ordinal);
        Assert.Contains("记录了 12 条记录，数据库中一条也没有", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_the_chain_with_the_key_after_a_checkpoint_exits_3_against_the_checkpoints()
    {
        app.RequireAvailable();
        await FreshChainAsync(10);
        Assert.Equal(0, (await CliAsync("audit", "checkpoint")).Code);
        await RecordAsync(5, "after");

        // Whoever holds the key edits record 3 and recomputes every MAC after it and the head's seal: the chain is whole again.
        var key = app.Factory.Services.GetRequiredService<AuditKey>();
        await TamperAsync(async db =>
        {
            var entries = await db.AuditEntries.Where(e => e.Sequence >= 2).OrderBy(e => e.Sequence).ToListAsync(Ct);
            var previous = entries[0].Mac;
            foreach (var e in entries.Skip(1))
            {
                if (e.Sequence == 3)
                {
                    e.After = "{\"rewritten\":true}";
                }

                e.Mac = AuditChain.Mac(key.Find(e.KeyId)!, e.Algorithm, previous, e);
                previous = e.Mac;
            }

            await db.SaveChangesAsync(Ct);
            var head = await db.AuditHeads.SingleAsync(h => h.Id == 1, Ct);
            head.Mac = previous;
            head.HeadMac = AuditChain.HeadMac(key.Find(head.KeyId)!, key.Algorithm, head.Sequence, head.Mac, head.AtUtc, head.KeyId);
            await db.SaveChangesAsync(Ct);
        });

        var (code, output, error) = await CliAsync("audit", "verify", "--Audit:Checkpoints:Folder=" + Path.Combine(app.SecretsFolder, "none"));
        Assert.True(code == 0, "with the key and without the checkpoints the rewrite cannot be seen: " + error);
        Assert.Contains("未对照检查点", output, StringComparison.Ordinal);

        (code, _, error) = await CliAsync("audit", "verify", "--checkpoints", app.CheckpointsFile);
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("第 10 条审计记录与", error, StringComparison.Ordinal);
        Assert.Contains("检查点不符：检查点之后，日志从这条或更早的记录起被改写并用密钥重新计算了校验码", error, StringComparison.Ordinal);

        // A checkpoint forged to agree with the rewrite has no valid signature without the key, and is named too.
        var forged = AuditCheckpoint.ReadFile(app.CheckpointsFile).Checkpoints[^1] with { Mac = new string('0', 64) };
        var file = Path.Combine(app.SecretsFolder, "forged.jsonl");
        await File.WriteAllTextAsync(file, forged.ToLine() + "\n", Ct);
        (code, _, error) = await CliAsync("audit", "verify", "--checkpoints", file);
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("的签名不符：检查点被改动或伪造", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_an_inserted_and_a_deleted_record_each_exit_3_and_are_named()
    {
        app.RequireAvailable();
        await FreshChainAsync(10);

        await TamperAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"ObjectId\" = 'x' WHERE \"Sequence\" = 4", Ct));
        var (code, _, error) = await CliAsync("audit", "verify");
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("第 4 条审计记录", error, StringComparison.Ordinal);
        Assert.Contains("被修改或伪造：校验码不符", error, StringComparison.Ordinal);
        await TamperAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"ObjectId\" = '4' WHERE \"Sequence\" = 4", Ct));
        Assert.Equal(0, (await CliAsync("audit", "verify")).Code);

        await TamperAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 6", Ct));
        (code, _, error) = await CliAsync("audit", "verify");
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("第 6 条审计记录被删除（记录序号从 5 跳到 7）", error, StringComparison.Ordinal);

        await TamperAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"AuditEntries\" (\"Sequence\", \"AtUtc\", \"Action\", \"Succeeded\", \"Algorithm\", \"Mac\") SELECT 6, \"AtUtc\", 'signin.success', TRUE, \"Algorithm\", 'inserted' FROM \"AuditEntries\" WHERE \"Sequence\" = 5",
            Ct));
        (code, _, error) = await CliAsync("audit", "verify");
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("第 6 条审计记录", error, StringComparison.Ordinal);
        Assert.Contains("被修改或伪造", error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task After_a_key_rotation_the_old_and_the_new_records_verify_each_under_its_own_key()
    {
        app.RequireAvailable();
        await FreshChainAsync(5);
        var before = await File.ReadAllTextAsync(app.AuditKeyFile, Ct);

        var (code, output, error) = await CliAsync("audit", "rotate-key");
        Assert.True(code == 0, error);
        Assert.Matches("审计密钥已轮换：新密钥编号 k[0-9]+", output);
        var newId = System.Text.RegularExpressions.Regex.Match(output, "新密钥编号 (k[0-9]+)").Groups[1].Value;
        var after = await File.ReadAllTextAsync(app.AuditKeyFile, Ct);
        Assert.StartsWith(before.TrimEnd('\n'), after, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(app.AuditKeyFile));

        (code, output, error) = await CliAsync("audit", "verify");
        Assert.True(code == 0, error);
        Assert.Contains("共 6 条记录", output, StringComparison.Ordinal);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var rotation = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.AuditKeyRotated && e.Sequence == 6, Ct);
            Assert.Equal(newId, rotation.KeyId);
            Assert.All(await db.AuditEntries.Where(e => e.Sequence < 6).ToListAsync(Ct), e => Assert.NotEqual(newId, e.KeyId));
        }

        // A key file that lost the old key can no longer vouch for the old records, and says which key is missing.
        var onlyNew = Path.Combine(app.SecretsFolder, "only-new.key");
        var lines = after.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await File.WriteAllTextAsync(onlyNew, lines[^1] + "\n", Ct);
        File.SetUnixFileMode(onlyNew, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (code, _, error) = await CliAsync("audit", "verify", "--Audit:KeyFile=" + onlyNew);
        Assert.Equal(CommandLine.AuditBroken, code);
        Assert.Contains("第 1 条审计记录被修改或伪造，或密钥文件缺少轮换前的旧密钥", error, StringComparison.Ordinal);
        Assert.Contains("不在密钥文件中", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_administrator_downloads_the_checkpoints_and_the_download_is_audited()
    {
        app.RequireAvailable();
        await FreshChainAsync(3);
        Assert.Equal(0, (await CliAsync("audit", "checkpoint")).Code);
        var client = app.Client();
        await CreateAuditAdministratorAsync();
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.SignInAsync("anchor-auditor", app.Password)).StatusCode);

        using var response = await client.GetAsync(new Uri("/audit?handler=Checkpoints", UriKind.Relative), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(await File.ReadAllTextAsync(app.CheckpointsFile, Ct), body);
        using var last = JsonDocument.Parse(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.True(last.RootElement.GetProperty("sequence").GetInt64() >= 3);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.AuditCheckpointsDownloaded && e.ActorName == "审计员甲", Ct));
    }

    private async Task CreateAuditAdministratorAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        if (!await db.Users.AnyAsync(u => u.UserName == "anchor-auditor", Ct))
        {
            await scope.ServiceProvider.GetRequiredService<Rectify.Access.UserAdministration>()
                .CreateAsync("anchor-auditor", "审计员甲", null, [Rectify.Access.Roles.AuditAdministrator], app.Password, Ct, initialPassword: false);
        }
    }

    /// <summary>Wipes the trail (triggers off), resets its head, removes the checkpoints, and appends <paramref name="records"/> records.</summary>
    private async Task FreshChainAsync(int records)
    {
        await TamperAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"", Ct);
            await db.AuditHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(
                s => s.SetProperty(h => h.Sequence, 0L).SetProperty(h => h.Mac, string.Empty).SetProperty(h => h.AtUtc, (DateTime?)null).SetProperty(h => h.KeyId, (string?)null).SetProperty(h => h.HeadMac, (string?)null), Ct);
        });
        if (File.Exists(app.CheckpointsFile))
        {
            File.Delete(app.CheckpointsFile);
        }

        await RecordAsync(records, "probe");
    }

    private async Task RecordAsync(int records, string what)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 1; i <= records; i++)
        {
            await audit.RecordAsync(new AuditEvent("test.anchor", ObjectType: what, ObjectId: i.ToString(CultureInfo.InvariantCulture)), AuditActor.CommandLine, Ct);
        }
    }

    /// <summary>What an attacker with the database does: the append-only triggers off, then the change.</summary>
    private async Task TamperAsync(Func<RectifyDbContext, Task> tamper)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        if (app.Provider == Provider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER", Ct);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEntries_no_update\"; DROP TRIGGER IF EXISTS \"AuditEntries_no_delete\";", Ct);
        }

        await tamper(db);
    }

    /// <summary>The installed command line against this application's database, key and checkpoints folder.</summary>
    private async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. app.CliArguments(), .. args.Where(a => a.StartsWith("--Audit:", StringComparison.Ordinal))], input, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }
}

/// <summary>A database of its own (tampering breaks it for good), no demo, the checkpoints written only when a test asks.</summary>
public sealed class AnchorSqliteApp() : AppFixture(Provider.Sqlite, seedDemo: false, extraSettings: new Dictionary<string, string?> { ["Audit:Checkpoints:Background"] = "false" });

public sealed class AnchorPostgresApp() : AppFixture(Provider.Postgres, seedDemo: false, extraSettings: new Dictionary<string, string?> { ["Audit:Checkpoints:Background"] = "false" });

public sealed class AuditAnchorTestsOnSqlite(AnchorSqliteApp app) : AuditAnchorTests(app), IClassFixture<AnchorSqliteApp>;

public sealed class AuditAnchorTestsOnPostgres(AnchorPostgresApp app) : AuditAnchorTests(app), IClassFixture<AnchorPostgresApp>;
