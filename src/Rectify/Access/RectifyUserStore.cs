using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// Identity's EF store, plus: whenever a password hash is replaced (create, change, reset), the old hash goes
/// into the history and the time of the change is kept, in the same save as the new hash; and whenever the security
/// stamp changes (a new password, a reset second factor, a disabled account, changed roles or organization) every
/// open session of the user ends at once. Recovery codes are kept as salted SHA-256 digests, never as written: a
/// reader of the database (or of a backup) learns no code.
/// </summary>
public sealed class RectifyUserStore(RectifyDbContext context, TimeProvider clock, IdentityErrorDescriber? describer = null)
    : UserStore<RectifyUser, IdentityRole, RectifyDbContext>(context, describer)
{
    public override async Task SetPasswordHashAsync(RectifyUser user, string? passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var previous = user.PasswordHash;
        await base.SetPasswordHashAsync(user, passwordHash, cancellationToken);
        if (previous is not null && previous != passwordHash && !string.IsNullOrEmpty(user.Id))
        {
            Context.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = previous, ReplacedAtUtc = clock.GetUtcNow().UtcDateTime });
        }

        user.PasswordChangedAtUtc = clock.GetUtcNow().UtcDateTime;
    }

    public override async Task SetSecurityStampAsync(RectifyUser user, string stamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var previous = user.SecurityStamp;
        await base.SetSecurityStampAsync(user, stamp, cancellationToken);
        if (previous is not null && previous != stamp && !string.IsNullOrEmpty(user.Id))
        {
            // In the caller's transaction when there is one: the change and the end of the sessions commit together.
            var now = clock.GetUtcNow().UtcDateTime;
            await Context.Sessions.Where(s => s.UserId == user.Id && s.EndedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, Sessions.Reasons.Credentials), cancellationToken);
        }
    }

    public override Task ReplaceCodesAsync(RectifyUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return base.ReplaceCodesAsync(user, [.. recoveryCodes.Select(c => RecoveryCodeDigest(user.Id, c))], cancellationToken);
    }

    public override Task<bool> RedeemCodeAsync(RectifyUser user, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return string.IsNullOrWhiteSpace(code) || code.Length > 40
            ? Task.FromResult(false)
            : base.RedeemCodeAsync(user, RecoveryCodeDigest(user.Id, code), cancellationToken);
    }

    /// <summary>The stored form of a recovery code: as typed or as shown (case, dashes and spaces do not matter), salted with the user's id.</summary>
    public static string RecoveryCodeDigest(string userId, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normalized = new string([.. code.ToUpperInvariant().Where(c => c is not ('-' or ' '))]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("rectify-recovery-code:" + userId + ":" + normalized)));
    }
}
