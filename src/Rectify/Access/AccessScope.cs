using System.Globalization;
using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore.Query;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Access;

// EF Core translates string.StartsWith(string) to a prefix LIKE on the indexed path; the overload with a
// StringComparison does not translate. Paths are digits and slashes, so culture cannot change the result.
#pragma warning disable CA1310

/// <summary>
/// What the signed-in user may see, read from their claims: their organization (by its materialized path)
/// and their roles. Every query of rectification content goes through <see cref="AccessQueries"/> with it,
/// so "not yours" and "does not exist" are the same 404.
/// </summary>
public sealed record AccessScope(string UserId, int? OrganizationId, string? OrganizationPath, IReadOnlySet<string> Roles)
{
    public static readonly AccessScope Nobody = new(string.Empty, null, null, new HashSet<string>());

    /// <summary>Office, leaders and discipline officers see every inspection of their organization's subtree.</summary>
    public bool SeesWholeOrganization => OrganizationPath is not null && (Roles.Contains(Access.Roles.RectificationOffice) || Roles.Contains(Access.Roles.ResponsibleLeader)
        || Roles.Contains(Access.Roles.FirstResponsible) || Roles.Contains(Access.Roles.DisciplineOfficer));

    /// <summary>The inspection body reads the inspections its subtree carried out.</summary>
    public bool IsInspectionBody => OrganizationPath is not null && Roles.Contains(Access.Roles.InspectionBody);

    /// <summary>A unit reporter sees the measures its unit (and the units under it) leads or supports.</summary>
    public bool IsUnitReporter => OrganizationPath is not null && Roles.Contains(Access.Roles.UnitReporter);

    public bool ReadsRectification => SeesWholeOrganization || IsInspectionBody || IsUnitReporter;

    /// <summary>
    /// Whether the caller reads the inspection as a whole: the progress notice's drafts and versions (composed from every
    /// finding and measure), its opinions' counts. A unit's reporter reads its own measures only, and the notice once it is
    /// public, like anyone.
    /// </summary>
    public bool ReadsWholeInspection => SeesWholeOrganization || IsInspectionBody;

    public bool ManagesOrganizations => Roles.Contains(Access.Roles.SystemAdministrator);

    /// <summary>The signed-in user as the domain records them in a measure's history.</summary>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;
        return new Actor(id, user.FindFirstValue(RectifyClaims.DisplayName) ?? user.Identity?.Name ?? id);
    }

    public static AccessScope From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return Nobody;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;
        int? org = int.TryParse(user.FindFirstValue(RectifyClaims.Organization), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : null;
        var path = user.FindFirstValue(RectifyClaims.OrganizationPath);
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new AccessScope(id, org, string.IsNullOrEmpty(path) ? null : path, roles);
    }
}

/// <summary>The scoped starting points of every query of rectification content.</summary>
public static class AccessQueries
{
    /// <summary>Inspections the caller sees whole: their organization's own (office, leaders) or carried out by their body.</summary>
    public static Expression<Func<Inspection, bool>> SeesWholeInspection(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var path = scope.OrganizationPath ?? "\u0000";
        var rules = new List<Expression<Func<Inspection, bool>>>();
        if (scope.SeesWholeOrganization)
        {
            rules.Add(i => i.InspectedOrganization.Path.StartsWith(path));
        }

        if (scope.IsInspectionBody)
        {
            rules.Add(i => i.InspectingBody.Path.StartsWith(path));
        }

        return AnyOf(rules);
    }

    /// <summary>Measures the caller sees: all of a wholly visible inspection, or those their unit leads or supports in a plan in force.</summary>
    public static Expression<Func<Measure, bool>> SeesMeasure(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var path = scope.OrganizationPath ?? "\u0000";
        var rules = new List<Expression<Func<Measure, bool>>>();
        var whole = SeesWholeInspection(scope);
        if (scope.SeesWholeOrganization || scope.IsInspectionBody)
        {
            rules.Add(Compose<Measure, Inspection>(m => m.Inspection, whole));
        }

        if (scope.IsUnitReporter)
        {
            // A unit sees its measures once the plan is in force (审定实施), never the office's draft.
            rules.Add(m => m.Inspection.PlanState == PlanState.InForce
                && ((m.LeadUnit != null && m.LeadUnit.Path.StartsWith(path)) || m.SupportingUnits.Any(s => s.Organization.Path.StartsWith(path))));
        }

        return AnyOf(rules);
    }

    /// <summary>
    /// The measures the caller works with: those they see (<see cref="SeesMeasure"/>) that stand in the plan. A withdrawn
    /// (撤销) measure is left out here, once, so that the ledger, its figures, the overview, 待办, the export and the API
    /// drop it; the measure's own page and the plan read it through <see cref="VisibleMeasuresIncludingWithdrawn"/>.
    /// </summary>
    public static IQueryable<Measure> VisibleMeasures(this RectifyDbContext db, AccessScope scope) =>
        db.VisibleMeasuresIncludingWithdrawn(scope).Where(Stands);

    /// <summary>
    /// Every measure the caller sees, withdrawn ones too: for the measure's page and versions, the plan (which lists them
    /// greyed), and the plan as it stood on a day before a withdrawal.
    /// </summary>
    public static IQueryable<Measure> VisibleMeasuresIncludingWithdrawn(this RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Measures.Where(SeesMeasure(scope));
    }

    /// <summary>A measure that stands in the plan: not withdrawn (撤销).</summary>
    public static readonly Expression<Func<Measure, bool>> Stands = m => m.WithdrawnAtUtc == null;

    public static IQueryable<Inspection> VisibleInspections(this RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!scope.ReadsRectification)
        {
            return db.Inspections.Where(_ => false);
        }

        if (!scope.IsUnitReporter)
        {
            return db.Inspections.Where(SeesWholeInspection(scope));
        }

        var measures = db.VisibleMeasures(scope);
        var whole = SeesWholeInspection(scope);
        return db.Inspections.Where(AnyOf([whole, i => measures.Any(m => m.InspectionId == i.Id)]));
    }

    public static IQueryable<Finding> VisibleFindings(this RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!scope.ReadsRectification)
        {
            return db.Findings.Where(_ => false);
        }

        var measures = db.VisibleMeasures(scope);
        var whole = Compose<Finding, Inspection>(f => f.Inspection, SeesWholeInspection(scope));
        return db.Findings.Where(AnyOf([whole, f => measures.Any(m => m.FindingId == f.Id)]));
    }

    /// <summary>The organizations the caller may see: all for the system administrator, else their own subtree.</summary>
    public static IQueryable<Organization> VisibleOrganizations(this RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.ManagesOrganizations)
        {
            return db.Organizations;
        }

        if (scope.OrganizationPath is not { } path || !scope.ReadsRectification)
        {
            return db.Organizations.Where(_ => false);
        }

        return db.Organizations.Where(o => o.Path.StartsWith(path));
    }

    private static Expression<Func<T, bool>> AnyOf<T>(IReadOnlyList<Expression<Func<T, bool>>> rules)
    {
        if (rules.Count == 0)
        {
            return _ => false;
        }

        var parameter = rules[0].Parameters[0];
        var body = rules[0].Body;
        foreach (var rule in rules.Skip(1))
        {
            body = Expression.OrElse(body, ReplacingExpressionVisitor.Replace(rule.Parameters[0], parameter, rule.Body));
        }

        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    /// <summary>Applies a predicate on a navigation: (m => m.Inspection) + (i => …) = m => … m.Inspection ….</summary>
    private static Expression<Func<T, bool>> Compose<T, TNav>(Expression<Func<T, TNav>> navigation, Expression<Func<TNav, bool>> predicate) =>
        Expression.Lambda<Func<T, bool>>(
            ReplacingExpressionVisitor.Replace(predicate.Parameters[0], navigation.Body, predicate.Body),
            navigation.Parameters[0]);
}
