using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Audit;

public sealed record AuditVerification(bool Intact, long Entries, long? FirstBadSequence, string Message);

/// <summary>Walks the chain from the first record and names the first one that was edited, inserted or deleted.</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(RectifyDbContext db, byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var previousMac = string.Empty;
        var expected = 1L;
        var count = 0L;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expected)
            {
                return entry.Sequence > expected
                    ? new AuditVerification(false, count, expected, $"第 {expected} 条{(entry.Sequence - 1 > expected ? $"至第 {entry.Sequence - 1} 条" : string.Empty)}审计记录被删除（记录序号从 {expected - 1} 跳到 {entry.Sequence}）。")
                    : new AuditVerification(false, count, entry.Sequence, $"第 {entry.Sequence} 条审计记录重复或被插入。");
            }

            string mac;
            try
            {
                mac = AuditChain.Mac(key, entry.Algorithm, previousMac, entry);
            }
            catch (InvalidOperationException)
            {
                return new AuditVerification(false, count, entry.Sequence, $"第 {entry.Sequence} 条审计记录的算法“{entry.Algorithm}”无效，记录被改动。");
            }

            if (!string.Equals(mac, entry.Mac, StringComparison.Ordinal))
            {
                return new AuditVerification(false, count, entry.Sequence, $"第 {entry.Sequence} 条审计记录（{entry.AtUtc:yyyy-MM-dd HH:mm:ss} UTC，{entry.Action}）被修改或伪造：校验码不符。");
            }

            previousMac = entry.Mac;
            expected++;
            count++;
        }

        var head = await db.AuditHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
        if (head is null)
        {
            return new AuditVerification(false, count, null, "审计链尾记录缺失。");
        }

        if (head.Sequence != count)
        {
            return head.Sequence > count
                ? new AuditVerification(false, count, count + 1, $"最后的第 {count + 1} 条至第 {head.Sequence} 条审计记录被删除。")
                : new AuditVerification(false, count, head.Sequence + 1, $"审计链尾记录（第 {head.Sequence} 条）与记录数（{count}）不符：有记录被插入或链尾被改动。");
        }

        if (!string.Equals(head.Mac, previousMac, StringComparison.Ordinal))
        {
            return new AuditVerification(false, count, count, $"审计链尾与第 {count} 条记录的校验码不符。");
        }

        return new AuditVerification(true, count, null, $"审计日志完整：共 {count} 条记录，校验通过。");
    }
}
