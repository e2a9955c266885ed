using Microsoft.AspNetCore.Identity;

namespace Rectify.Data;

/// <summary>A person who signs in. Business identity (organization, roles) grows from here.</summary>
public sealed class RectifyUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public int? OrganizationId { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>When the password was last set; with the policy's expiry it decides when a change is due.</summary>
    public DateTime? PasswordChangedAtUtc { get; set; }

    /// <summary>The password was set by an administrator: it must be changed at the first sign-in, and expires soon.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>The time step (Unix seconds / 30) of the last one-time code accepted: a code of that step or earlier is a replay.</summary>
    public long? LastOneTimeCodeStep { get; set; }
}

/// <summary>A replaced password's hash, so that a new password cannot repeat a recent one.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;

    public DateTime ReplacedAtUtc { get; set; }
}
