using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Hosting;

/// <summary>Puts the display name into the sign-in cookie so that the layout needs no query.</summary>
internal sealed class RectifyClaimsFactory(UserManager<RectifyUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<RectifyUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(RectifyUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim("display_name", string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? string.Empty : user.DisplayName));
        return identity;
    }
}
