using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// Identity's user manager with lockout on the injected clock, so that a test can step past fifteen minutes.
/// </summary>
public sealed class RectifyUserManager(
    IUserStore<RectifyUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<RectifyUser> passwordHasher,
    IEnumerable<IUserValidator<RectifyUser>> userValidators,
    IEnumerable<IPasswordValidator<RectifyUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<RectifyUser>> logger,
    TimeProvider clock)
    : UserManager<RectifyUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<bool> IsLockedOutAsync(RectifyUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!SupportsUserLockout || !await GetLockoutEnabledAsync(user))
        {
            return false;
        }

        var end = await GetLockoutEndDateAsync(user);
        return end is { } e && e >= clock.GetUtcNow();
    }

    public override async Task<IdentityResult> AccessFailedAsync(RectifyUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lockout = (IUserLockoutStore<RectifyUser>)Store;
        var count = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await lockout.SetLockoutEndDateAsync(user, clock.GetUtcNow().Add(Options.Lockout.DefaultLockoutTimeSpan), CancellationToken);
            await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        }

        return await UpdateUserAsync(user);
    }

    /// <summary>
    /// Sets the new password of an account whose current password the caller has just checked (<see
    /// cref="UserManager{TUser}.CheckPasswordAsync"/>): as <see cref="UserManager{TUser}.ChangePasswordAsync"/> (the policy's
    /// validators, a new security stamp), without hashing the current password a second time.
    /// </summary>
    public async Task<IdentityResult> ChangeCheckedPasswordAsync(RectifyUser user, string newPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await UpdatePasswordHash(user, newPassword, validatePassword: true);
        return result.Succeeded ? await UpdateUserAsync(user) : result;
    }
}
