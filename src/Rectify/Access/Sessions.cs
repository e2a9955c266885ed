using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// The server-side sessions (<see cref="UserSession"/>): opened at sign-in, checked on every request, closed by
/// signing out and by any change to what the user signs in with or may do (the security stamp changes).
/// </summary>
public sealed class Sessions(RectifyDbContext db, TimeProvider clock, IOptions<SecurityPolicyOptions> policy)
{
    /// <summary>Why a session ended, as kept in <see cref="UserSession.EndReason"/>.</summary>
    public static class Reasons
    {
        public const string SignedOut = "signout";
        public const string Credentials = "credentials";
        public const string Replaced = "replaced";
        public const string Idle = "idle";
        public const string Expired = "expired";
    }

    /// <summary>Opens a session for the user and returns its id (for the cookie); a session the request already had is replaced.</summary>
    public async Task<string> OpenAsync(string userId, string? replacing, string? source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (replacing is not null)
        {
            await EndAsync(replacing, Reasons.Replaced, cancellationToken);
        }

        // Sessions past any lifetime are only history: they go when their owner signs in again.
        var stale = now.AddHours(-policy.Value.Session.AbsoluteLifetimeHours - 24);
        await db.Sessions.Where(s => s.UserId == userId && s.CreatedAtUtc < stale).ExecuteDeleteAsync(cancellationToken);

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        db.Sessions.Add(new UserSession { Id = id, UserId = userId, CreatedAtUtc = now, LastSeenAtUtc = now, SourceAddress = source?.Length > 64 ? source[..64] : source });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>True when the session is open and the user's; notes the request (to the minute), and closes it if it was idle too long.</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue(RectifyClaims.Session);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || userId is null)
        {
            return false;
        }

        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == id && s.UserId == userId && s.EndedAtUtc == null)
            .Select(s => new { s.LastSeenAtUtc }).SingleOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (now - session.LastSeenAtUtc > TimeSpan.FromMinutes(policy.Value.Session.IdleTimeoutMinutes) + TimeSpan.FromMinutes(1))
        {
            await EndAsync(id, Reasons.Idle, cancellationToken);
            return false;
        }

        if (now - session.LastSeenAtUtc >= TimeSpan.FromMinutes(1))
        {
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAtUtc, now), cancellationToken);
        }

        return true;
    }

    /// <summary>Closes one session (signing out).</summary>
    public Task EndAsync(string id, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions.Where(s => s.Id == id && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>Closes every open session of the user: their password, second factor, roles or account changed.</summary>
    public Task<int> EndAllAsync(string userId, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions.Where(s => s.UserId == userId && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>How many sessions the user has open (for the administrator's view and the tests).</summary>
    public Task<int> OpenCountAsync(string userId, CancellationToken cancellationToken) =>
        db.Sessions.CountAsync(s => s.UserId == userId && s.EndedAtUtc == null, cancellationToken);
}
