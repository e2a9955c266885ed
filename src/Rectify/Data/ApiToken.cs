namespace Rectify.Data;

/// <summary>A personal API token: shown once, stored as a SHA-256 hash, expiring, revocable.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>The public part of the token, used to find it; the rest is only ever stored hashed.</summary>
    public string Prefix { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    public DateTime? RevokedAtUtc { get; set; }

    public DateTime? LastUsedAtUtc { get; set; }
}
