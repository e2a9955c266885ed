using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Organizations;

public sealed class IndexModel(RectifyDbContext db) : PageModel
{
    /// <summary>Beyond this many nodes the tree is not drawn whole; a later page browses it level by level.</summary>
    public const int MaxNodes = 5000;

    public sealed record Node(int Id, string Name, string? ShortName, OrganizationKind Kind, bool IsAssumption, List<Node> Children);

    public IReadOnlyList<Node> Roots { get; private set; } = [];

    public bool AnyAssumption { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // One query, ordered by path so that each parent comes before its children.
        var rows = await db.VisibleOrganizations(AccessScope.From(User)).AsNoTracking()
            .OrderBy(o => o.Path)
            .Take(MaxNodes)
            .Select(o => new { o.Id, o.ParentId, o.Name, o.ShortName, o.Kind, o.IsAssumption })
            .ToListAsync(cancellationToken);
        var nodes = new Dictionary<int, Node>();
        var roots = new List<Node>();
        foreach (var r in rows)
        {
            var node = new Node(r.Id, r.Name, r.ShortName, r.Kind, r.IsAssumption, []);
            nodes[r.Id] = node;
            if (r.ParentId is { } parent && nodes.TryGetValue(parent, out var p))
            {
                p.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        foreach (var node in nodes.Values)
        {
            node.Children.Sort((a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Id.CompareTo(b.Id));
        }

        Roots = roots;
        AnyAssumption = rows.Any(r => r.IsAssumption);
    }
}
