using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// Identity's EF store, plus: whenever a password hash is replaced (create, change, reset), the old hash goes
/// into the history and the time of the change is kept, in the same save as the new hash.
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
}
