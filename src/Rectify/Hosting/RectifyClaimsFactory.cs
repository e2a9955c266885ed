using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Hosting;

/// <summary>
/// Puts the display name and the organization (id and materialized path) into the sign-in cookie, so that
/// scoping a query needs no lookup. The security stamp is checked every minute, so a disabled user or a
/// changed role or organization takes effect within a minute.
/// </summary>
internal sealed class RectifyClaimsFactory(
    UserManager<RectifyUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options,
    IOptions<SecurityPolicyOptions> policy,
    IConfiguration configuration,
    RectifyDbContext db,
    TimeProvider clock)
    : UserClaimsPrincipalFactory<RectifyUser, IdentityRole>(users, roles, options)
{
    /// <summary>Present when the password must be changed before anything else: "initial" or "expired".</summary>
    public const string PasswordChangeClaim = RectifyClaims.PasswordChange;

    /// <summary>Present when the user must enrol a second factor before anything else.</summary>
    public const string SecondFactorEnrolmentClaim = RectifyClaims.SecondFactorEnrolment;

    /// <summary>
    /// The page a person must pass before anything else — changing the password first, then enrolling a second factor —
    /// or null. The gate in <c>RectifyApp</c> keeps them there; the layout offers them no link the gate would send back.
    /// </summary>
    public static string? FirstStepOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(PasswordChangeClaim) is not null ? "/Account/ChangePassword"
            : user.FindFirst(SecondFactorEnrolmentClaim) is not null ? "/Account/TwoFactor"
            : null;
    }

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(RectifyUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(RectifyClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? string.Empty : user.DisplayName));
        if (user.OrganizationId is { } org)
        {
            var path = await db.Organizations.Where(o => o.Id == org).Select(o => o.Path).SingleOrDefaultAsync();
            identity.AddClaim(new Claim(RectifyClaims.Organization, org.ToString(CultureInfo.InvariantCulture)));
            if (path is not null)
            {
                identity.AddClaim(new Claim(RectifyClaims.OrganizationPath, path));
            }
        }

        var expiryDays = policy.Value.Password.ExpiryDays;
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(PasswordChangeClaim, "initial"));
        }
        else if (expiryDays > 0 && user.PasswordChangedAtUtc is { } changed && clock.GetUtcNow().UtcDateTime > changed.AddDays(expiryDays))
        {
            identity.AddClaim(new Claim(PasswordChangeClaim, "expired"));
        }

        if (!user.TwoFactorEnabled && !Data.DemoMode.IsOn(configuration))
        {
            // Everybody outside demo mode (Security:SecondFactor:NotRequiredFor may relax it for business roles, never for the 三员).
            if (policy.Value.SecondFactor.RequiredFor(identity.FindAll(identity.RoleClaimType).Select(c => c.Value)))
            {
                identity.AddClaim(new Claim(SecondFactorEnrolmentClaim, "required"));
            }
        }

        return identity;
    }
}
