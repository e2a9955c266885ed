using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>An enabled account holding <paramref name="Role"/> in the organization at <paramref name="Path"/>.</summary>
public sealed record RoleHolder(string UserId, string Role, string Path);

/// <summary>
/// Which enabled accounts hold a role, and where. Reminders ask it who hears about a measure, the plan page which lead
/// units have nobody to report, and the 巡察组 checks whether an inspection body's account reads through a team: each
/// is "accounts of role R in an organization at or above path P", asked here one way, with the one rule for a disabled
/// account (<see cref="UserAdministration.IsDisabled(DateTimeOffset?)"/>; a short lockout after failed sign-ins is not one).
/// </summary>
public static class RoleHolders
{
    /// <summary>
    /// The enabled accounts holding one of <paramref name="roles"/> in an organization whose path is one of
    /// <paramref name="paths"/> (every organization when it is null). One query.
    /// </summary>
    public static async Task<IReadOnlyList<RoleHolder>> InAsync(RectifyDbContext db, IReadOnlyCollection<string> roles, IReadOnlyCollection<string>? paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Count == 0 || paths is { Count: 0 })
        {
            return [];
        }

        var query =
            from u in db.Users
            where u.OrganizationId != null
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where roles.Contains(r.Name!)
            join o in db.Organizations on u.OrganizationId equals o.Id
            select new { u.Id, Role = r.Name!, o.Path, u.LockoutEnd };
        if (paths is not null)
        {
            query = query.Where(a => paths.Contains(a.Path));
        }

        var rows = await query.AsNoTracking().ToListAsync(cancellationToken);

        // SQLite cannot compare the offset, so a disabled account is told apart here.
        return [.. rows.Where(a => !UserAdministration.IsDisabled(a.LockoutEnd)).Select(a => new RoleHolder(a.Id, a.Role, a.Path))];
    }

    /// <summary>The enabled accounts holding <paramref name="role"/> in the units at <paramref name="paths"/> or any unit above one of them.</summary>
    public static Task<IReadOnlyList<RoleHolder>> AtOrAboveAsync(RectifyDbContext db, string role, IEnumerable<string> paths, CancellationToken cancellationToken) =>
        InAsync(db, [role], [.. paths.SelectMany(PathsDownTo).Distinct(StringComparer.Ordinal)], cancellationToken);

    /// <summary>Whether an account at <paramref name="holderPath"/> sits at or above the organization at <paramref name="path"/>.</summary>
    public static bool AtOrAbove(string holderPath, string path) => path.StartsWith(holderPath, StringComparison.Ordinal);

    /// <summary>"/1/4/9/" → "/1/", "/1/4/", "/1/4/9/": the organization and every organization above it.</summary>
    public static IEnumerable<string> PathsDownTo(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var end = path.IndexOf('/', 1); end > 0; end = path.IndexOf('/', end + 1))
        {
            yield return path[..(end + 1)];
        }
    }
}
