using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Audit;

/// <summary>The outcome of a verification: intact, or every finding in words (the first one also by sequence).</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBadSequence, string Message, IReadOnlyList<string> Findings);

/// <summary>
/// Walks the chain from the first record and names the first one that was edited, inserted or deleted; checks the
/// head's seal (a moved head, a cut tail); and, given checkpoints from outside the database, finds a cut tail, a wiped
/// table and a chain recomputed with the key after the checkpoint.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(RectifyDbContext db, AuditKey keys, IReadOnlyList<AuditCheckpoint>? checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        var findings = new List<string>();
        long? firstBad = null;
        void Found(long? sequence, string what)
        {
            firstBad ??= sequence;
            findings.Add(what);
        }

        // Checkpoints first: one whose signature fails was forged or edited and proves nothing.
        var anchors = new Dictionary<long, List<AuditCheckpoint>>();
        foreach (var c in checkpoints ?? [])
        {
            if (!c.IsSignedBy(keys))
            {
                Found(null, $"检查点（第 {c.Sequence} 条，{c.AtUtcText}）的签名不符：检查点被改动或伪造，或它的密钥（{c.KeyId ?? "无编号"}）不在密钥文件中");
                continue;
            }

            if (!anchors.TryGetValue(c.Sequence, out var list))
            {
                anchors[c.Sequence] = list = [];
            }

            list.Add(c);
        }

        var previousMac = string.Empty;
        var expected = 1L;
        var count = 0L;
        string? lastAlgorithm = null;
        var intactChain = true;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expected)
            {
                Found(entry.Sequence > expected ? expected : entry.Sequence, entry.Sequence > expected
                    ? $"第 {expected} 条{(entry.Sequence - 1 > expected ? $"至第 {entry.Sequence - 1} 条" : string.Empty)}审计记录被删除（记录序号从 {expected - 1} 跳到 {entry.Sequence}）"
                    : $"第 {entry.Sequence} 条审计记录重复或被插入");
                intactChain = false;
                break;
            }

            if (keys.Find(entry.KeyId) is not { } key)
            {
                Found(entry.Sequence, $"第 {entry.Sequence} 条审计记录被修改或伪造，或密钥文件缺少轮换前的旧密钥：它所用的密钥“{entry.KeyId ?? "无编号"}”不在密钥文件中");
                intactChain = false;
                break;
            }

            string mac;
            try
            {
                mac = AuditChain.Mac(key, entry.Algorithm, previousMac, entry);
            }
            catch (InvalidOperationException)
            {
                Found(entry.Sequence, $"第 {entry.Sequence} 条审计记录的算法“{entry.Algorithm}”无效，记录被改动");
                intactChain = false;
                break;
            }

            if (!string.Equals(mac, entry.Mac, StringComparison.Ordinal))
            {
                Found(entry.Sequence, $"第 {entry.Sequence} 条审计记录（{entry.AtUtc:yyyy-MM-dd HH:mm:ss} UTC，{entry.Action}）被修改或伪造：校验码不符");
                intactChain = false;
                break;
            }

            if (anchors.TryGetValue(entry.Sequence, out var atThis) && atThis.FirstOrDefault(c => !string.Equals(c.Mac, entry.Mac, StringComparison.Ordinal)) is { } disagreeing)
            {
                Found(entry.Sequence, $"第 {entry.Sequence} 条审计记录与 {disagreeing.AtUtcText} 的检查点不符：检查点之后，日志从这条或更早的记录起被改写并用密钥重新计算了校验码");
                intactChain = false;
                break;
            }

            previousMac = entry.Mac;
            lastAlgorithm = entry.Algorithm;
            expected++;
            count++;
        }

        if (anchors.Count > 0 && anchors.Keys.Max() is var anchored && anchored > count && intactChain)
        {
            var latest = anchors[anchored][^1];
            Found(count + 1, count == 0
                ? $"审计日志被清空：{latest.AtUtcText} 的检查点记录了 {anchored} 条记录，数据库中一条也没有"
                : $"审计日志尾部被截断：{latest.AtUtcText} 的检查点记录了 {anchored} 条记录，数据库中只有 {count} 条（第 {count + 1} 条至第 {anchored} 条不见了）");
        }

        if (intactChain)
        {
            CheckHead(await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken), keys, count, previousMac, lastAlgorithm ?? keys.Algorithm, Found);
        }

        if (findings.Count > 0)
        {
            return new AuditVerification(false, count, firstBad, string.Join("；", findings) + "。", findings);
        }

        var anchoredNote = anchors.Count == 0
            ? "（未对照检查点：整体清空或尾部截断后重建的链尾只有对照日志之外的检查点才能发现，请用 --checkpoints 指定检查点文件）"
            : string.Create(CultureInfo.InvariantCulture, $"，与 {anchors.Values.Sum(l => l.Count)} 个检查点一致");
        return new AuditVerification(true, count, null, $"审计日志完整：共 {count} 条记录，校验通过{anchoredNote}。", []);
    }

    private static void CheckHead(AuditHead? head, AuditKey keys, long count, string lastMac, string algorithm, Action<long?, string> found)
    {
        if (head is null)
        {
            found(null, "审计链尾记录缺失");
            return;
        }

        if (head.HeadMac is null)
        {
            // A log that no record has been appended to since the head began to be sealed: only the empty, untouched one passes.
            if (head.Sequence != 0 || count != 0 || head.Mac.Length != 0)
            {
                found(head.Sequence, "审计链尾没有密钥认证码：链尾被改动（若刚从旧版本升级，写入一条新记录后链尾即被认证）");
            }

            return;
        }

        var key = keys.Find(head.KeyId);
        string? expected = null;
        if (key is not null)
        {
            try
            {
                expected = AuditChain.HeadMac(key, algorithm, head.Sequence, head.Mac, head.AtUtc, head.KeyId);
            }
            catch (InvalidOperationException)
            {
                expected = null;
            }
        }

        if (!string.Equals(expected, head.HeadMac, StringComparison.Ordinal))
        {
            found(head.Sequence, $"审计链尾（第 {head.Sequence} 条）的密钥认证码不符：链尾被移动或改动（常见于删去最新的记录后把链尾指向保留的最后一条）");
            return;
        }

        if (head.Sequence != count)
        {
            found(count + 1, head.Sequence > count
                ? count == 0
                    ? $"审计日志被清空：链尾记录共 {head.Sequence} 条，数据库中一条也没有"
                    : $"最后的第 {count + 1} 条至第 {head.Sequence} 条审计记录被删除"
                : $"审计链尾记录（第 {head.Sequence} 条）与记录数（{count}）不符：有记录被插入或链尾被改动");
            return;
        }

        if (!string.Equals(head.Mac, lastMac, StringComparison.Ordinal))
        {
            found(count, $"审计链尾与第 {count} 条记录的校验码不符");
        }
    }
}
