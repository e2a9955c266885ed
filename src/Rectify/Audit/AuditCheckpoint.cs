using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rectify.Audit;

/// <summary>
/// A signed statement, kept outside the database, that the audit trail had <see cref="Sequence"/> records ending in
/// <see cref="Mac"/> at <see cref="AtUtc"/>: whoever later cuts the tail, wipes the table or rewrites the chain (even
/// with the key) no longer agrees with it. One JSON object per line in the checkpoints file and in each webhook post.
/// </summary>
public sealed record AuditCheckpoint(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("mac")] string Mac,
    [property: JsonPropertyName("atUtc")] string AtUtcText,
    [property: JsonPropertyName("keyId")] string? KeyId,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("signature")] string Signature)
{
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [JsonIgnore]
    public DateTime AtUtc => DateTime.ParseExact(AtUtcText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Signs the head as it stands now with the current key.</summary>
    public static AuditCheckpoint Sign(AuditKey key, long sequence, string mac, DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(key);
        var at = AuditChain.ToStoredPrecision(atUtc);
        var signing = key.Current;
        return new AuditCheckpoint(sequence, mac, at.ToString(TimeFormat, CultureInfo.InvariantCulture), signing.Id, key.Algorithm,
            AuditChain.CheckpointMac(signing.Value, key.Algorithm, sequence, mac, at, signing.Id));
    }

    /// <summary>True when the key it names (still in the ring) made its signature.</summary>
    public bool IsSignedBy(AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Find(KeyId) is not { } value)
        {
            return false;
        }

        try
        {
            return string.Equals(AuditChain.CheckpointMac(value, Algorithm, Sequence, Mac, AtUtc, KeyId), Signature, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    public string ToLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a checkpoints file: the checkpoints, and what could not be read (by line number).</summary>
    public static (IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyList<string> Problems) ReadFile(string path)
    {
        var checkpoints = new List<AuditCheckpoint>();
        var problems = new List<string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(line, Json);
                if (checkpoint is null || checkpoint.Mac is null || checkpoint.Signature is null || checkpoint.Algorithm is null || checkpoint.AtUtcText is null)
                {
                    throw new JsonException("incomplete");
                }

                _ = checkpoint.AtUtc;
                checkpoints.Add(checkpoint);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                problems.Add($"检查点文件第 {number} 行无法读取（被改动或损坏）");
            }
        }

        return (checkpoints, problems);
    }
}
