using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// An office of its own: a 市委 with one unit, one inspection of that unit and a 整改办 account, for a test whose lists and
/// figures must meet no other test's data (the seed's office sees everything the fixture's other tests add).
/// </summary>
public static class OwnOffice
{
    /// <summary>
    /// Makes the organization, the inspection with the findings <paramref name="findings"/> gives it (saved with it) and
    /// the office's account, named <paramref name="userPrefix"/> and a random suffix (with the fixture's password).
    /// </summary>
    public static async Task<(int InspectionId, string UserName)> CreateAsync(AppFixture app, string label, string userPrefix, Func<Inspection, IEnumerable<Finding>> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(findings);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var userName = $"{userPrefix}-{suffix}";
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var city = new Organization($"{label}市委{suffix}", OrganizationKind.PartyCommittee);
        var unit = new Organization($"{label}单位{suffix}", OrganizationKind.PartyCommittee, city);
        var inspection = new Inspection(label, InspectionKind.Xuncha, city, unit, null, null, null);
        db.AddRange(findings(inspection));
        await db.SaveChangesAsync(cancellationToken);
        city.AssignPath();
        unit.AssignPath();
        await db.SaveChangesAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(userName, $"{label}整改办", city.Id.ToString(CultureInfo.InvariantCulture), [Roles.RectificationOffice], app.Password, cancellationToken, initialPassword: false);
        return (inspection.Id, userName);
    }
}
