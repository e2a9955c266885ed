using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Organizations;

public sealed class IndexModel(RectifyDbContext db, Caller caller, global::Rectify.Audit.AuditLog audit) : PageModel, IShowsRefusals
{
    /// <summary>Beyond this many nodes the tree is not drawn whole; a later page browses it level by level.</summary>
    public const int MaxNodes = 5000;

    public sealed record Node(int Id, string Name, string? ShortName, OrganizationKind Kind, bool IsAssumption, List<Node> Children);

    public IReadOnlyList<Node> Roots { get; private set; } = [];

    public bool AnyAssumption { get; private set; }

    /// <summary>
    /// 巡察组 that stand beside a 巡察机构 (巡察办) under the same parent, for the system administrator: an inspection body's
    /// account reads the inspections its own subtree carried out, so the 巡察办's accounts do not see these teams' inspections
    /// until the teams are moved under it.
    /// </summary>
    public IReadOnlyList<(string Office, IReadOnlyList<string> Teams)> TeamsBesideOffices { get; private set; } = [];

    /// <summary>The system administrator manages the tree; everyone else only reads their part of it.</summary>
    public bool CanManage => caller.May(Permission.ManageOrganizations);

    /// <summary>An account not yet granted a role sees no unit: the page says why instead of "还没有组织机构".</summary>
    public bool HasNoRole => caller.Scope.Roles.Count == 0;

    public IReadOnlyList<Admin.NewUserModel.OrganizationOption> Flat { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What was typed into the form, shown again when it was refused.</summary>
    public (int? ParentId, string? Name, string? ShortName, OrganizationKind? Kind)? Typed { get; private set; }

    public async Task<IActionResult> OnPostAddAsync(int? parentId, string? name, string? shortName, OrganizationKind? kind, CancellationToken cancellationToken)
    {
        if (!CanManage)
        {
            return NotFound();
        }

        Typed = (parentId, name, shortName, kind);
        var parent = parentId is { } pid ? await db.Organizations.SingleOrDefaultAsync(o => o.Id == pid, cancellationToken) : null;
        var (named, taken) = await CheckNamesAsync(parentId, null, name, shortName, parentId is null || parent is not null, kind is { } k && Enum.IsDefined(k), cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organization = new Organization(named, kind!.Value, parent, shortName);
        db.Organizations.Add(organization);
        await db.SaveOrRefuseAsync(taken, cancellationToken, uniqueIndexDecides: true);
        organization.AssignPath();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new global::Rectify.Audit.AuditEvent(global::Rectify.Audit.AuditActions.OrganizationCreated, ObjectType: "Organization", ObjectId: organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { organization.Name, organization.ShortName, organization.Kind, organization.ParentId }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return this.Done($"已新增单位“{organization.Name}”。");
    }

    /// <summary>The organization whose name is being corrected (?edit=id), for the system administrator.</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public int? Edit { get; set; }

    /// <summary>The name, short name and type typed into the correction form, shown again when it was refused.</summary>
    private (string? Name, string? ShortName, OrganizationKind? Kind)? TypedName { get; set; }

    /// <summary>The organization shown in the correction form, with what was typed when it was refused.</summary>
    public (int Id, string Name, string? ShortName, OrganizationKind Kind, string Parent)? Editing { get; private set; }

    /// <summary>The units the one being corrected may be moved under (not itself nor one of its own), and its parent now.</summary>
    public IReadOnlyList<Admin.NewUserModel.OrganizationOption> MoveTargets { get; private set; } = [];

    public int? EditingParentId { get; private set; }

    /// <summary>
    /// Corrects an organization's name, short name and type (no type sent: kept); the tree, its people and its
    /// inspections stay as they are. A type an inspection relies on stays: the body that carried one out is a 巡察办 or
    /// 巡察组, an organization inspected is a 党委.
    /// </summary>
    public async Task<IActionResult> OnPostRenameAsync(int organizationId, string? name, string? shortName, OrganizationKind? kind, CancellationToken cancellationToken)
    {
        var organization = CanManage ? await db.VisibleOrganizations(caller.Scope).SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken) : null;
        if (organization is null)
        {
            return NotFound();
        }

        (Edit, TypedName) = (organizationId, (name, shortName, kind));
        var (named, taken) = await CheckNamesAsync(organization.ParentId, organizationId, name, shortName, true, kind is null || Enum.IsDefined(kind.Value), cancellationToken);
        var newKind = kind ?? organization.Kind;
        if (newKind != organization.Kind)
        {
            var carriedOut = await db.Inspections.CountAsync(i => i.InspectingBodyId == organizationId, cancellationToken);
            BusinessRules.Check(new AnInspectionsKindStays(carriedOut > 0 && newKind is not (OrganizationKind.InspectionOffice or OrganizationKind.InspectionTeam),
                $"“{organization.Name}”开展过 {carriedOut} 次巡察，类型只能是{Terms.Of(OrganizationKind.InspectionOffice)}或{Terms.Of(OrganizationKind.InspectionTeam)}。"));
            var inspected = await db.Inspections.CountAsync(i => i.InspectedOrganizationId == organizationId, cancellationToken);
            BusinessRules.Check(new AnInspectionsKindStays(inspected > 0 && newKind != OrganizationKind.PartyCommittee,
                $"“{organization.Name}”是 {inspected} 次巡察的被巡察党组织，类型只能是{Terms.Of(OrganizationKind.PartyCommittee)}。"));
        }

        var before = new { organization.Name, organization.ShortName, organization.Kind, organization.IsAssumption };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        organization.Rename(named, shortName);
        organization.Reclassify(newKind);
        await db.SaveOrRefuseAsync(taken, cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(
            new global::Rectify.Audit.AuditEvent(global::Rectify.Audit.AuditActions.OrganizationRenamed, ObjectType: "Organization", ObjectId: organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Before: before, After: new { organization.Name, organization.ShortName, organization.Kind, organization.IsAssumption }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return this.DoneAt(before.Kind == organization.Kind ? $"已将单位名称改为“{organization.Name}”。" : $"已保存单位“{organization.Name}”，类型改为{Terms.Of(organization.Kind)}。", "/organizations");
    }

    /// <summary>A type an inspection relies on is kept (see <see cref="OnPostRenameAsync"/>).</summary>
    private sealed class AnInspectionsKindStays(bool broken, string message) : IBusinessRule
    {
        public bool IsBroken() => broken;

        public string Message => message;

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>
    /// Moves a unit, with everything under it, under another (or to the top): a tree first built flat is put in order, a
    /// unit added under the wrong parent corrected. Who sees what follows the tree — an inspection body sees the
    /// inspections of what its party committee holds — so the move is audited with both parents.
    /// </summary>
    public async Task<IActionResult> OnPostMoveAsync(int organizationId, int? parentId, CancellationToken cancellationToken)
    {
        var organization = CanManage ? await db.VisibleOrganizations(caller.Scope).SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken) : null;
        if (organization is null)
        {
            return NotFound();
        }

        Edit = organizationId;
        var parent = parentId is { } pid ? await db.VisibleOrganizations(caller.Scope).SingleOrDefaultAsync(o => o.Id == pid, cancellationToken) : null;
        BusinessRules.Check(new ANewOrganizationIsComplete(true, parentId is null || parent is not null, true));
        if (parent?.Id == organization.ParentId)
        {
            return this.DoneAt($"“{organization.Name}”已在这个上级单位之下。", "/organizations#org-" + organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var taken = $"{(parent is null ? "顶级" : $"“{parent.Name}”下")}已有名为“{organization.Name}”的单位，请先修改其中一个的名称。";
        BusinessRules.Check(new ANameIsFreeUnderItsParent(taken, await db.Organizations.AnyAsync(o => o.ParentId == parentId && o.Name == organization.Name && o.Id != organization.Id, cancellationToken)));
        var before = organization.ParentId is { } was ? await db.Organizations.Where(o => o.Id == was).Select(o => o.Name).SingleAsync(cancellationToken) : null;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var oldPath = organization.MoveUnder(parent);
        await db.SaveOrRefuseAsync(taken, cancellationToken, uniqueIndexDecides: true);

        // Everything under it keeps its place below it: its paths' prefix is the unit's new path (one statement).
        var newPath = organization.Path;
#pragma warning disable CA1845 // An expression the database runs (substr), not a string built in .NET.
        var below = await db.Organizations.Where(o => o.Path.StartsWith(oldPath) && o.Id != organization.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Path, o => newPath + o.Path.Substring(oldPath.Length)), cancellationToken);
#pragma warning restore CA1845
        await audit.RecordAsync(
            new global::Rectify.Audit.AuditEvent(global::Rectify.Audit.AuditActions.OrganizationMoved, ObjectType: "Organization", ObjectId: organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Before: new { organization.Name, Parent = before }, After: new { organization.Name, Parent = parent?.Name, UnitsBelow = below }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return this.DoneAt(
            $"已将“{organization.Name}”{(below > 0 ? $"及其下属 {below} 个单位" : string.Empty)}{(parent is null ? "移到顶级" : $"移到“{parent.Name}”之下")}。",
            "/organizations#org-" + organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Deletes a unit made by mistake (a typo, a unit added under the wrong committee and made again in its place): only one
    /// that nothing holds — no unit under it, no people or accounts, no inspection, measure, 督办单, opinion or 配合情况 naming it.
    /// Anything else is kept for the record and is corrected or moved instead. Audited with its name and parent.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteAsync(int organizationId, bool confirmed, CancellationToken cancellationToken)
    {
        var organization = CanManage ? await db.VisibleOrganizations(caller.Scope).SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken) : null;
        if (organization is null)
        {
            return NotFound();
        }

        Edit = organizationId;
        BusinessRules.Check(new ADeletionIsConfirmed(confirmed, organization.Name));
        var uses = await UsesAsync(organizationId, cancellationToken);
        BusinessRules.Check(new AUnitInUseIsKept(organization.Name, uses));
        var parent = organization.ParentId is { } was ? await db.Organizations.Where(o => o.Id == was).Select(o => o.Name).SingleAsync(cancellationToken) : null;

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Organizations.Remove(organization);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(
                new global::Rectify.Audit.AuditEvent(global::Rectify.Audit.AuditActions.OrganizationDeleted, ObjectType: "Organization", ObjectId: organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Before: new { organization.Name, organization.ShortName, organization.Kind, Parent = parent }),
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (Data.DatabaseProvider.IsForeignKeyViolation(e))
        {
            // Something came to name it between the check and the delete (the statement or the commit says so).
            db.ChangeTracker.Clear();
            throw BusinessRules.Refuse(new AUnitInUseIsKept(organization.Name, ["刚被其他操作引用"]));
        }

        Edit = null;
        return this.DoneAt($"已删除单位“{organization.Name}”。", "/organizations");
    }

    /// <summary>What holds a unit, in words, each with its count: what must go (or be moved) before the unit can.</summary>
    private async Task<List<string>> UsesAsync(int id, CancellationToken cancellationToken)
    {
        var uses = new List<string>();
        async Task CountAsync(string what, string measure, IQueryable<int> rows)
        {
            var n = await rows.CountAsync(cancellationToken);
            if (n > 0)
            {
                uses.Add($"{what} {n} {measure}");
            }
        }

        await CountAsync("下级单位", "个", db.Organizations.Where(o => o.ParentId == id).Select(o => o.Id));
        await CountAsync("账号", "个", db.Users.Where(u => u.OrganizationId == id).Select(u => 1));
        await CountAsync("人员", "名", db.People.Where(p => p.OrganizationId == id).Select(p => p.Id));
        await CountAsync("巡察", "次", db.Inspections.Where(i => i.InspectedOrganizationId == id || i.InspectingBodyId == id).Select(i => i.Id));
        await CountAsync("下延巡察", "次", db.InspectionScopes.Where(s => s.OrganizationId == id).Select(s => s.InspectionId));
        await CountAsync("措施", "条", db.Measures.Where(m => m.LeadUnitId == id || db.MeasureSupportingUnits.Any(u => u.MeasureId == m.Id && u.OrganizationId == id)).Select(m => m.Id));
        await CountAsync("措施的修改记录", "条", db.MeasureRevisions.Where(r => r.LeadUnitId == id).Select(r => 1));
        await CountAsync("督办单", "份", db.SupervisionNotices.Where(n => n.UnitId == id || n.IssuerId == id).Select(n => n.Id));
        await CountAsync("意见建议", "条", db.PublicOpinions.Where(o => o.AssignedUnitId == id).Select(o => o.Id));
        await CountAsync("配合情况", "份", db.SupportReports.Where(r => r.OrganizationId == id).Select(r => r.Id));
        return uses;
    }

    public async Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        await ShowAsync(cancellationToken);
        return Page();
    }

    public Task OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        // One query, ordered by path so that each parent comes before its children.
        var rows = await db.VisibleOrganizations(caller.Scope).AsNoTracking()
            .OrderBy(o => o.Path)
            .Take(MaxNodes)
            .Select(o => new { o.Id, o.ParentId, o.Name, o.ShortName, o.Kind, o.IsAssumption, o.Path })
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
        if (CanManage)
        {
            TeamsBesideOffices = [.. rows.Where(r => r.Kind == OrganizationKind.InspectionOffice)
                .Select(o => (o.Name, (IReadOnlyList<string>)[.. rows.Where(t => t.Kind == OrganizationKind.InspectionTeam && t.ParentId == o.ParentId).Select(t => t.Name)]))
                .Where(o => o.Item2.Count > 0)];
        }
        if (CanManage && Edit is { } edit && nodes.TryGetValue(edit, out var chosen))
        {
            var parent = rows.Single(r => r.Id == edit).ParentId is { } p && nodes.TryGetValue(p, out var up) ? up.Name : "—";
            Editing = TypedName is { } typed ? (edit, typed.Name ?? string.Empty, typed.ShortName, typed.Kind ?? chosen.Kind, parent) : (edit, chosen.Name, chosen.ShortName, chosen.Kind, parent);
        }

        if (CanManage)
        {
            Flat = rows.Select(r => new Admin.NewUserModel.OrganizationOption(r.Id, r.Name, Math.Max(0, r.Path.Count(c => c == '/') - 2))).ToList();
            if (Editing is { } editing)
            {
                // Where the unit being corrected may move: anywhere but under itself or a unit of its own.
                var own = rows.Single(r => r.Id == editing.Id);
                var under = rows.Where(r => r.Path.StartsWith(own.Path, StringComparison.Ordinal)).Select(r => r.Id).ToHashSet();
                (MoveTargets, EditingParentId) = (Flat.Where(o => !under.Contains(o.Id)).ToList(), own.ParentId);
            }
        }
    }

    /// <summary>
    /// The rules a unit's name is held to when it is added or corrected: given, within its columns, and not a sibling's
    /// (<paramref name="self"/> excepted). Answers the name as kept and the refusal a lost race gets from the unique index.
    /// </summary>
    private async Task<(string Name, string Taken)> CheckNamesAsync(int? parentId, int? self, string? name, string? shortName, bool parentKnown, bool kindKnown, CancellationToken cancellationToken)
    {
        var kept = PlainText.Line(name);
        BusinessRules.Check(new ANewOrganizationIsComplete(kept is not null, parentKnown, kindKnown));
        BusinessRules.Check(new ATextFitsItsField("单位名称", kept, 200));
        BusinessRules.Check(new ATextFitsItsField("简称", PlainText.Line(shortName), 100));
        var taken = $"上级单位下已有名为“{kept}”的单位。";
        BusinessRules.Check(new ANameIsFreeUnderItsParent(taken, await db.Organizations.AnyAsync(o => o.ParentId == parentId && o.Name == kept && o.Id != self, cancellationToken)));
        return (kept!, taken);
    }

    private sealed class ANewOrganizationIsComplete(bool named, bool parentKnown, bool kindKnown) : IBusinessRule
    {
        public bool IsBroken() => !(named && parentKnown && kindKnown);

        public string Message => named ? "请选择存在的上级单位和单位类型。" : "请填写单位名称。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class ADeletionIsConfirmed(bool confirmed, string name) : IBusinessRule
    {
        public bool IsBroken() => !confirmed;

        public string Message => $"请勾选“确认删除”后再删除“{name}”。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class AUnitInUseIsKept(string name, IReadOnlyList<string> uses) : IBusinessRule
    {
        public bool IsBroken() => uses.Count > 0;

        public string Message => $"“{name}”不能删除：它还有{string.Join("、", uses)}。只有误建、没有被任何记录使用的单位可以删除；其他单位请修改名称或移动位置。";
    }

    private sealed class ANameIsFreeUnderItsParent(string message, bool taken) : IBusinessRule
    {
        public bool IsBroken() => taken;

        public string Message => message;
    }
}
