using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Plans;

/// <summary>A lead unit named in the plan, for the question of who can report for it.</summary>
public sealed record PlanUnit(string Name, string Path);

/// <summary>
/// Which lead units have nobody to report for them. A unit's measures are reported by an enabled account with the unit
/// reporter's role (责任单位) in that unit or a unit above it (the accounts <see cref="AccessQueries.SeesMeasure"/> lets see
/// them). A unit without one cannot report at all, and on a first day many have none: the office is told, by name, so it
/// can ask the system administrator for accounts before the measures fall due.
/// </summary>
public static class ReporterAccounts
{
    /// <summary>The units of <paramref name="units"/> with no reporter account, in the order given; two queries' worth of work.</summary>
    public static async Task<IReadOnlyList<PlanUnit>> WithoutReporterAsync(RectifyDbContext db, IEnumerable<PlanUnit> units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = units.DistinctBy(u => u.Path).ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var above = list.SelectMany(u => PathsDownTo(u.Path)).Distinct(StringComparer.Ordinal).ToList();
        var reporters = await (
            from u in db.Users
            where u.OrganizationId != null
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.UnitReporter
            join o in db.Organizations on u.OrganizationId equals o.Id
            where above.Contains(o.Path)
            select new { o.Path, u.LockoutEnd }).AsNoTracking().ToListAsync(cancellationToken);

        // A disabled account reports nothing; SQLite cannot compare the offset, so this is read here.
        var reporting = reporters.Where(r => !UserAdministration.IsDisabled(r.LockoutEnd)).Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        return [.. list.Where(u => !PathsDownTo(u.Path).Any(reporting.Contains))];
    }

    /// <summary>"/1/4/9/" → "/1/", "/1/4/", "/1/4/9/": the unit and every unit above it.</summary>
    internal static IEnumerable<string> PathsDownTo(string path)
    {
        for (var end = path.IndexOf('/', 1); end > 0; end = path.IndexOf('/', end + 1))
        {
            yield return path[..(end + 1)];
        }
    }
}
