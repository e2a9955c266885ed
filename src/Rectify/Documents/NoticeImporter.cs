using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Documents;

/// <summary>
/// Turns a parsed notice into a live inspection: the inspecting team, the inspected organization and its
/// scope as organizations, then categories, findings and measures with their texts verbatim. The caller owns
/// the transaction, so an import is all or nothing.
/// </summary>
public sealed class NoticeImporter(RectifyDbContext db)
{
    public sealed record Result(Inspection Inspection, Organization InspectedOrganization, IReadOnlyList<Measure> Measures);

    /// <param name="notice">The parsed notice.</param>
    /// <param name="parent">Where new organizations are placed: the committee above the inspected organization.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is committed.</param>
    public async Task<Result> ImportAsync(NoticeDocument notice, Organization parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(parent);
        var info = notice.Inspection;

        var team = await FindOrAddAsync(info.Team, OrganizationKind.InspectionTeam, parent, null, cancellationToken);
        var inspected = await FindOrAddAsync(info.Target, OrganizationKind.PartyCommittee, parent, info.TargetShortName, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        AssignPaths(parent, team, inspected);

        var also = new List<Organization>();
        foreach (var name in info.AlsoInspected)
        {
            also.Add(await FindOrAddAsync(name, name.EndsWith('组') ? OrganizationKind.Group : OrganizationKind.Community, inspected, null, cancellationToken));
        }

        await db.SaveChangesAsync(cancellationToken);
        AssignPaths([.. also]);

        var extended = new List<Organization>();
        foreach (var name in info.ExtendedScope)
        {
            // "石美社区石美小组" sits under "石美社区" when that community was inspected too.
            var under = also.FirstOrDefault(o => name.StartsWith(o.Name, StringComparison.Ordinal) && name.Length > o.Name.Length) ?? inspected;
            extended.Add(await FindOrAddAsync(name, name.EndsWith('组') ? OrganizationKind.Group : OrganizationKind.Community, under, null, cancellationToken));
        }

        await db.SaveChangesAsync(cancellationToken);
        AssignPaths([.. extended]);

        var title = $"{info.Team}对{info.TargetShortName ?? info.Target}的{(info.IsXunshi ? "巡视" : "巡察")}";
        var inspection = new Inspection(
            title,
            info.IsXunshi ? InspectionKind.Xunshi : InspectionKind.Xuncha,
            team,
            inspected,
            info.OnSiteFrom,
            info.OnSiteTo,
            info.FeedbackDate);
        foreach (var o in also)
        {
            inspection.AddScope(o, InspectionScopeKind.AlsoInspected);
        }

        foreach (var o in extended)
        {
            inspection.AddScope(o, InspectionScopeKind.Extended);
        }

        db.Inspections.Add(inspection);

        var measures = new List<Measure>();
        foreach (var c in notice.Categories)
        {
            var category = new FindingCategory(inspection, c.Number, c.Title);
            db.FindingCategories.Add(category);
            foreach (var f in c.Findings)
            {
                var finding = new Finding(category, f.Number, f.Title);
                db.Findings.Add(finding);
                foreach (var m in f.Measures)
                {
                    // The notice does not say the kind: 限期整改, the ledger's default, marked 待核实 until someone plans it.
                    var measure = finding.AddMeasure(m.Number, m.Text, kind: null);

                    // A published notice states each measure's progress in its own words: they are its public progress text.
                    measure.WritePublicProgress(m.Text);
                    measures.Add(measure);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new Result(inspection, inspected, measures);
    }

    private async Task<Organization> FindOrAddAsync(string name, OrganizationKind kind, Organization parent, string? shortName, CancellationToken cancellationToken)
    {
        var existing = db.Organizations.Local.FirstOrDefault(o => o.Name == name && ReferenceEquals(o.Parent, parent))
            ?? await db.Organizations.FirstOrDefaultAsync(o => o.Name == name && o.ParentId == parent.Id, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var created = new Organization(name, kind, parent, shortName);
        db.Organizations.Add(created);
        return created;
    }

    internal static void AssignPaths(params Organization[] organizations)
    {
        foreach (var o in organizations)
        {
            if (o.Path == "/")
            {
                o.AssignPath();
            }
        }
    }
}
