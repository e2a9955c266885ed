using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

using Rectify.Data;

namespace Rectify.Audit;

/// <summary>The MAC of a record: HMAC(key, previous MAC ‖ canonical fields), with SHA-256 or SM3.</summary>
public static class AuditChain
{
    public const string HmacSha256 = "HMAC-SHA256";
    public const string HmacSm3 = "HMAC-SM3";

    public static string Normalize(string? algorithm) => algorithm?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SHA256" or "SHA-256" or "HMAC-SHA256" => HmacSha256,
        "SM3" or "HMAC-SM3" => HmacSm3,
        _ => throw new Data.RectifyConfigurationException($"未知的审计摘要算法 Audit:Algorithm = “{algorithm}”。可选：SHA256（默认）或 SM3。"),
    };

    /// <summary>Cuts a time to the microsecond, the precision both SQLite (text) and PostgreSQL (timestamptz) keep exactly.</summary>
    public static DateTime ToStoredPrecision(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    public static string Canonical(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var canonical = string.Join(
            '\u001f',
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            F(e.Action),
            e.Succeeded ? "1" : "0",
            F(e.ActorUserId),
            F(e.ActorName),
            F(e.ActorRoles),
            e.ActorOrganizationId?.ToString(CultureInfo.InvariantCulture) ?? "\u2400",
            F(e.SourceAddress),
            F(e.ObjectType),
            F(e.ObjectId),
            F(e.Before),
            F(e.After),
            F(e.CorrelationId),
            F(e.Algorithm));

        // A record signed by a named key (after a rotation) binds the name too; the unnamed first key's records keep the form they had.
        return e.KeyId is null ? canonical : canonical + "\u001f" + F(e.KeyId);
    }

    private static string F(string? s) => s is null ? "\u2400" : s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\u001f", "\\u001f", StringComparison.Ordinal);

    /// <summary>The head's MAC: the sequence, the chain MAC, the time and the key, so that the head cannot be moved without the key.</summary>
    public static string HeadMac(byte[] key, string algorithm, long sequence, string mac, DateTime? atUtc, string? keyId) =>
        Tag(key, algorithm, string.Join('\u001f', "head", sequence.ToString(CultureInfo.InvariantCulture), F(mac), atUtc?.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture) ?? "\u2400", F(keyId)));

    /// <summary>A checkpoint's MAC, under its own label so that a head's MAC can never pass for a checkpoint's.</summary>
    public static string CheckpointMac(byte[] key, string algorithm, long sequence, string mac, DateTime atUtc, string? keyId) =>
        Tag(key, algorithm, string.Join('\u001f', "checkpoint", sequence.ToString(CultureInfo.InvariantCulture), F(mac), atUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture), F(keyId)));

    public static string Mac(byte[] key, string algorithm, string previousMac, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Tag(key, algorithm, previousMac + "\u001e" + Canonical(entry));
    }

    /// <summary>Hex HMAC (SHA-256 or SM3) of the text's UTF-8 under the key.</summary>
    public static string Tag(byte[] key, string algorithm, string text)
    {
        ArgumentNullException.ThrowIfNull(key);
        var data = Encoding.UTF8.GetBytes(text);
        byte[] mac;
        if (algorithm == HmacSm3)
        {
            var hmac = new HMac(new SM3Digest());
            hmac.Init(new KeyParameter(key));
            hmac.BlockUpdate(data, 0, data.Length);
            mac = new byte[hmac.GetMacSize()];
            hmac.DoFinal(mac, 0);
        }
        else if (algorithm == HmacSha256)
        {
            mac = HMACSHA256.HashData(key, data);
        }
        else
        {
            throw new InvalidOperationException($"Unknown audit MAC algorithm {algorithm}.");
        }

        return Convert.ToHexStringLower(mac);
    }
}
