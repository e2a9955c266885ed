using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Cli;

/// <summary>
/// `keys init-column-key --key-file 文件`: a new column key file (0400). `keys rotate-columns`: every value of the
/// encrypted columns (<see cref="SensitiveColumns"/>) not yet under the current column key — encrypted under a previous
/// key, or in clear from before encryption came — re-encrypted under it, in one transaction, with one audit record.
/// </summary>
internal static class KeysCommand
{
    private const string UsageLine = "用法：rectify keys init-column-key --key-file 文件 | keys rotate-columns [--data 目录]";

    /// <summary>Rows re-encrypted per round trip (the transaction is one for all of them).</summary>
    private const int Batch = 500;

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();

        var keyFile = new Option<string>("--key-file") { Required = true };
        var init = new Command("init-column-key") { keyFile };
        init.SetAction(result =>
        {
            var path = Path.GetFullPath(result.GetValue(keyFile)!);
            var id = ColumnKey.Create(path);
            cli.Out.WriteLine($"已创建字段加密密钥文件 {path}（权限 0400，编号 {id}）。请设置 {ColumnKey.KeyFileSetting}={path}，另行备份保管；不要放在数据目录里。");
            return CommandLine.Ok;
        });

        var rotate = new Command("rotate-columns");
        rotate.SetAction((result, _) => RotateAsync(cli, cli.VerbArguments(result.GetValue(data))));

        return new Verb("keys", _ => UsageLine) { data, init, rotate };
    }

    private static async Task<int> RotateAsync(CliContext cli, string[] hostArgs)
    {
        await using var session = await CliSession.OpenMigratedAsync(hostArgs);
        var key = session.App.Services.GetRequiredService<ColumnKey>();
        key.EnsureUsable();
        var db = session.Db;
        var current = ColumnCipher.Prefix + key.CurrentId + ":";

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Every designated column of each table (the list the converters are put on), never a list of its own here: a
        // reason given for a correction was once left under the old key this way.
        var leads = await ReencryptAsync(db, db.Leads, current, Designated<Lead>());
        var revisions = await ReencryptAsync(db, db.Set<RegisterRevision>(), current, Designated<RegisterRevision>());
        await session.Scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
            new AuditEvent(AuditActions.ColumnsReencrypted, ObjectType: "ColumnKey", ObjectId: key.CurrentId, After: new { KeyId = key.CurrentId, Leads = leads, Revisions = revisions }));
        await transaction.CommitAsync();

        cli.Out.WriteLine($"已用字段加密密钥（编号 {key.CurrentId}）重新加密：问题线索 {leads} 条，登记的历史版本 {revisions} 条。其余已是当前密钥加密。"
            + $"确认无误并备份后，可从 {ColumnKey.PreviousKeysSetting} 中移除旧密钥。");
        return CommandLine.Ok;
    }

    private static string[] Designated<T>() => [.. SensitiveColumns.All.Where(c => c.Entity == typeof(T)).Select(c => c.Property)];

    /// <summary>
    /// Reads each row's stored values as they are in the database (not through the converter), then loads the rows that
    /// are not all under the current key — decrypting with whichever key they name — and writes them back, which encrypts
    /// them under the current key. Returns how many rows it rewrote.
    /// </summary>
    private static async Task<int> ReencryptAsync<T>(RectifyDbContext db, IQueryable<T> rows, string current, params string[] properties)
        where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        var table = type.GetTableName()!;
        var sqlHelper = db.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
        var columns = properties.Select(p => type.FindProperty(p)!.GetColumnName()).ToList();
        var sql = $"SELECT {sqlHelper.DelimitIdentifier("Id")} AS {sqlHelper.DelimitIdentifier("Id")}, "
            + string.Join(" || '\u0001' || ", columns.Select(c => $"COALESCE({sqlHelper.DelimitIdentifier(c)}, '')"))
            + $" AS {sqlHelper.DelimitIdentifier("Stored")} FROM {sqlHelper.DelimitIdentifier(table)}";
        var stale = (await db.Database.SqlQueryRaw<StoredRow>(sql).ToListAsync())
            .Where(r => r.Stored.Split('\u0001').Any(v => v.Length > 0 && !v.StartsWith(current, StringComparison.Ordinal)))
            .Select(r => r.Id)
            .ToList();

        foreach (var chunk in stale.Chunk(Batch))
        {
            var ids = chunk.ToList();
            var loaded = await rows.Where(r => ids.Contains(EF.Property<int>(r, "Id"))).ToListAsync();
            foreach (var row in loaded)
            {
                foreach (var property in properties)
                {
                    var entry = db.Entry(row).Property(property);
                    if (entry.CurrentValue is not null)
                    {
                        entry.IsModified = true;
                    }
                }
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        return stale.Count;
    }

    /// <summary>A row's id and its designated values as stored, joined by U+0001 (one query for any number of columns).</summary>
    internal sealed class StoredRow
    {
        public int Id { get; set; }

        public string Stored { get; set; } = string.Empty;
    }
}
