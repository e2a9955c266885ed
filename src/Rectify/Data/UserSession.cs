namespace Rectify.Data;

/// <summary>
/// A signed-in browser session, kept on the server: the sign-in cookie names it, and every request checks that it
/// is still open. Signing out, a new password, a disabled account or a changed role closes it at once, so a cookie
/// captured before then opens nothing.
/// </summary>
public sealed class UserSession
{
    /// <summary>A random identifier (32 hex characters) carried in the encrypted sign-in cookie.</summary>
    public string Id { get; set; } = string.Empty;

    public string UserId { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>The last request seen, to the minute: the server-side idle timeout counts from here.</summary>
    public DateTime LastSeenAtUtc { get; set; }

    /// <summary>When the session was closed; null while it is open.</summary>
    public DateTime? EndedAtUtc { get; set; }

    /// <summary>Why it was closed: signout, credentials (password, second factor, disabled, role), idle, replaced.</summary>
    public string? EndReason { get; set; }

    public string? SourceAddress { get; set; }
}
