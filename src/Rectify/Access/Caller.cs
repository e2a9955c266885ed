using System.Security.Claims;
using Rectify.Domain;

namespace Rectify.Access;

/// <summary>
/// Who is asking, for the length of one request: their scope (what they may see) and the actor the history records.
/// Registered per request; services take it instead of re-reading claims.
/// </summary>
public sealed class Caller(IHttpContextAccessor accessor)
{
    private AccessScope? scope;
    private Actor? actor;

    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public AccessScope Scope => scope ??= AccessScope.From(User);

    public Actor Actor => actor ??= AccessScope.ActorOf(User);

    /// <summary>Whether the caller may take <paramref name="step"/> (see <see cref="Permissions"/>).</summary>
    public bool May(Permission step, MeasureParties? measure = null) => Permissions.May(Scope, step, measure);

    /// <summary>Whether the caller holds a role that takes <paramref name="step"/> on some measure (see <see cref="Permissions.HoldsRoleFor"/>).</summary>
    public bool HoldsRoleFor(Permission step) => Permissions.HoldsRoleFor(Scope, step);

    /// <summary>Refuses with 403 unless the caller may take <paramref name="step"/>.</summary>
    public void Require(Permission step, MeasureParties? measure = null) => Permissions.Require(Scope, step, measure);
}
