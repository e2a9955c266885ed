using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Plans;

public sealed record PlanHead(
    int Id,
    string Title,
    InspectionKind Kind,
    string? Round,
    string Team,
    int InspectedOrganizationId,
    string InspectedOrganization,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate,
    IReadOnlyList<string> ExtendedScope,
    PlanState PlanState,
    string? MeetingName,
    DateOnly? MeetingDate,
    DateTime? AdoptedAtUtc,
    string? AdoptedByName);

/// <summary>A measure as the plan lists it; a withdrawn (撤销) one is listed greyed under its finding, with the reason.</summary>
public sealed record PlanMeasure(int Id, int FindingId, int Number, string Text, MeasureKind Kind, DateOnly? Deadline, string? Leader, string? LeadUnit, string SupportingUnits, AssumedFields Assumed, int Versions)
{
    public int Version { get; init; }

    public DateTime? WithdrawnAtUtc { get; init; }

    public string? WithdrawalReason { get; init; }

    /// <summary>原台账状态 of a measure not started yet: what adoption (or the import, in a plan in force) starts it as.</summary>
    public LedgerStanding? LedgerStanding { get; init; }

    public bool Withdrawn => WithdrawnAtUtc is not null;
}

public sealed record PlanFinding(int Id, int CategoryId, int Number, string Title, IReadOnlyList<PlanMeasure> Measures)
{
    /// <summary>The internal problem statement (反馈原文), for the office's edit form only.</summary>
    public string? ProblemStatement { get; init; }
}

public sealed record PlanCategory(int Id, int Number, string Title, IReadOnlyList<PlanFinding> Findings);

public sealed record PlanTransitionView(PlanAction Action, PlanState FromState, PlanState ToState, string ActorName, DateTime AtUtc, string? Reason);

public sealed record Choice(int Id, string Name);

/// <summary>The plan as the office edits it: the inspection, its categories → findings → measures, and the people and units to choose from.</summary>
public sealed record PlanView(PlanHead Head, IReadOnlyList<PlanCategory> Categories, IReadOnlyList<PlanTransitionView> History, IReadOnlyList<Choice> People, IReadOnlyList<Choice> Units)
{
    /// <summary>The measures standing in the plan (withdrawn ones are listed, not counted).</summary>
    public int MeasureCount => Categories.Sum(c => c.Findings.Sum(f => f.Measures.Count(m => !m.Withdrawn)));

    /// <summary>
    /// Whether the categories run 1, 2, 3… and the findings 1, 2, 3… across the inspection in the categories' order, as
    /// the ledger and the public notice list them (for the office, which sees every finding; 按类别顺序重新编号 otherwise).
    /// </summary>
    public bool NumberedInOrder => Categories.Select(c => c.Number).RunFromOne() && FindingNumbersInOrder.RunFromOne();

    /// <summary>The findings' numbers in the order the plan lists them.</summary>
    public IEnumerable<int> FindingNumbersInOrder => Categories.SelectMany(c => c.Findings).Select(f => f.Number);
}

public static class PlanQueries
{
    /// <summary>The most people and units a page offers to choose from; more are typed by name.</summary>
    public const int MaxChoices = 2000;

    /// <summary>
    /// Whether the inspection's categories run 1, 2, 3… and its findings 1, 2, 3… in the categories' order (the order
    /// the ledger and the public notice list them in); <see cref="PlanView.NumberedInOrder"/> for a plan already read.
    /// </summary>
    public static async Task<bool> NumberedInOrderAsync(RectifyDbContext db, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var categories = await db.FindingCategories.Where(c => c.InspectionId == inspectionId).OrderBy(c => c.Number).Select(c => c.Number).ToListAsync(cancellationToken);
        var findings = await db.Findings.Where(f => f.InspectionId == inspectionId).OrderBy(f => f.Category.Number).ThenBy(f => f.Number).Select(f => f.Number).ToListAsync(cancellationToken);
        return categories.RunFromOne() && findings.RunFromOne();
    }

    /// <summary>The plan as the caller may see it: a unit reporter sees only its own measures (and their findings); the people and units to choose from only for those who edit it.</summary>
    public static async Task<PlanView?> LoadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, CancellationToken cancellationToken, bool withChoices = true)
    {
        ArgumentNullException.ThrowIfNull(db);
        var planHead = await HeadAsync(db, scope, inspectionId, cancellationToken);
        if (planHead is null)
        {
            return null;
        }

        var visibleFindings = db.VisibleFindings(scope).Where(f => f.InspectionId == inspectionId);
        var categories = await VisibleCategories(db, scope, inspectionId).AsNoTracking()
            .OrderBy(c => c.Number).Select(c => new { c.Id, c.Number, c.Title }).ToListAsync(cancellationToken);
        var findings = await visibleFindings.AsNoTracking().OrderBy(f => f.Number)
            .Select(f => new { f.Id, f.CategoryId, f.Number, f.Title, ProblemStatement = withChoices ? f.ProblemStatement : null }).ToListAsync(cancellationToken);

        // The plan lists withdrawn measures too, greyed under their finding.
        var measures = await db.VisibleMeasuresIncludingWithdrawn(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Number)
            .Select(m => new PlanMeasure(
                m.Id,
                m.FindingId,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name,
                m.LeadUnit == null ? null : m.LeadUnit.Name,
                string.Join("、", m.SupportingUnits.Select(s => s.Organization.Name)),
                m.AssumedFields,
                m.Revisions.Count)
            {
                Version = m.Version,
                WithdrawnAtUtc = m.WithdrawnAtUtc,
                WithdrawalReason = m.WithdrawnAtUtc == null ? null : m.Revisions.Where(r => r.Kind == MeasureRevisionKind.Withdrawn).Select(r => r.Reason).FirstOrDefault(),
                LedgerStanding = m.State == MeasureState.Planned ? m.LedgerStanding : null,
            })
            .ToListAsync(cancellationToken);
        var byFinding = measures.ToLookup(m => m.FindingId);
        var byCategory = findings.Select(f => new PlanFinding(f.Id, f.CategoryId, f.Number, f.Title, [.. byFinding[f.Id]]) { ProblemStatement = f.ProblemStatement }).ToLookup(f => f.CategoryId);
        var history = await HistoryAsync(db, inspectionId, cancellationToken);
        var (people, units) = withChoices
            ? await ChoicesAsync(db, planHead.InspectedOrganizationId, await db.Organizations.Where(o => o.Id == planHead.InspectedOrganizationId).Select(o => o.Path).SingleAsync(cancellationToken), cancellationToken)
            : ([], []);
        return new PlanView(
            planHead,
            [.. categories.Select(c => new PlanCategory(c.Id, c.Number, c.Title, [.. byCategory[c.Id]]))],
            history,
            people,
            units);
    }

    /// <summary>The inspection's facts and the plan's state, when the caller sees the inspection (null otherwise).</summary>
    public static Task<PlanHead?> HeadAsync(RectifyDbContext db, AccessScope scope, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new PlanHead(
                i.Id,
                i.Title,
                i.Kind,
                i.Round,
                i.InspectingBody.Name,
                i.InspectedOrganizationId,
                i.InspectedOrganization.Name,
                i.OnSiteFrom,
                i.OnSiteTo,
                i.FeedbackDate,
                i.Scope.Where(s => s.Kind == InspectionScopeKind.Extended).OrderBy(s => s.Id).Select(s => s.Organization.Name).ToList(),
                i.PlanState,
                i.PlanMeetingName,
                i.PlanMeetingDate,
                i.PlanAdoptedAtUtc,
                i.PlanAdoptedByName))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The plan's life so far: each 报审, 退回 and 审定, oldest first.</summary>
    public static Task<List<PlanTransitionView>> HistoryAsync(RectifyDbContext db, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.PlanTransitions.AsNoTracking().Where(t => t.InspectionId == inspectionId).OrderBy(t => t.AtUtc).ThenBy(t => t.Id)
            .Select(t => new PlanTransitionView(t.Action, t.FromState, t.ToState, t.ActorName, t.AtUtc, t.Reason)).ToListAsync(cancellationToken);
    }

    /// <summary>The categories of an inspection the caller sees: all of them for the whole organization and the inspection body, else those holding a finding the caller sees.</summary>
    public static IQueryable<FindingCategory> VisibleCategories(RectifyDbContext db, AccessScope scope, int inspectionId)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var visibleFindings = db.VisibleFindings(scope).Where(f => f.InspectionId == inspectionId);
        return db.FindingCategories.Where(c => c.InspectionId == inspectionId && (scope.SeesWholeOrganization || scope.IsInspectionBody || visibleFindings.Any(f => f.CategoryId == c.Id)));
    }

    /// <summary>The people and units of an inspected organization's tree to choose a measure's leader and units from (at most <see cref="MaxChoices"/> of each).</summary>
    public static async Task<(IReadOnlyList<Choice> People, IReadOnlyList<Choice> Units)> ChoicesAsync(RectifyDbContext db, int inspectedOrganizationId, string inspectedPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tree = db.Organizations.AsNoTracking().Where(o => o.Path.StartsWith(inspectedPath));
        var people = await db.People.AsNoTracking().Where(p => tree.Any(o => o.Id == p.OrganizationId)).OrderBy(p => p.Name).Take(MaxChoices)
            .Select(p => new Choice(p.Id, p.Position == string.Empty ? p.Name : p.Name + "（" + p.Position + "）")).ToListAsync(cancellationToken);
        var units = await tree.Where(o => o.Id != inspectedOrganizationId).OrderBy(o => o.Name).Take(MaxChoices)
            .Select(o => new Choice(o.Id, o.Name)).ToListAsync(cancellationToken);
        return (people, units);
    }
}
