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
    /// <summary>The units of <paramref name="units"/> with no reporter account, in the order given; one query.</summary>
    public static async Task<IReadOnlyList<PlanUnit>> WithoutReporterAsync(RectifyDbContext db, IEnumerable<PlanUnit> units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = units.DistinctBy(u => u.Path).ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var reporting = (await RoleHolders.AtOrAboveAsync(db, Roles.UnitReporter, list.Select(u => u.Path), cancellationToken))
            .Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        return [.. list.Where(u => !RoleHolders.PathsDownTo(u.Path).Any(reporting.Contains))];
    }
}
