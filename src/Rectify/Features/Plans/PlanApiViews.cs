using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Plans;

/// <summary>
/// A measure of the plan as the API shows it: what the plan says (kind, deadline, leader, lead unit and supporting
/// units, by id and name), which of those no source stated and are still to be verified (<c>assumed</c>: 待核实, the demo's 演示假设), <c>version</c> — the version to send back
/// when amending it — and <c>planVersion</c>, its version in the adopted plan (0 while the plan is a draft, 1 as adopted).
/// </summary>
public sealed record PlanApiMeasure(
    int Id,
    int Number,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    int? LeaderId,
    string? Leader,
    int? LeadUnitId,
    string? LeadUnit,
    IReadOnlyList<Choice> SupportingUnits,
    MeasureState State,
    AssumedFields Assumed,
    int Version,
    int PlanVersion);

public sealed record PlanApiFinding(int Id, int Number, string Title, IReadOnlyList<PlanApiMeasure> Measures);

public sealed record PlanApiCategory(int Id, int Number, string Title, IReadOnlyList<PlanApiFinding> Findings);

/// <summary>
/// One page of the plan: the inspection and the plan's state, the plan's history, every category the caller sees, and
/// under them the findings of this page (by 序号, <see cref="PageSize"/> at most) with all their measures.
/// <see cref="FindingCount"/> and <see cref="MeasureCount"/> count the whole plan as the caller sees it.
/// </summary>
public sealed record PlanApiPage(
    PlanHead Inspection,
    int Page,
    int PageSize,
    int FindingCount,
    int MeasureCount,
    IReadOnlyList<PlanApiCategory> Categories,
    IReadOnlyList<PlanTransitionView> History);

/// <summary>The plan read page by page: a plan of 10,000 measures is a few hundred findings, read in pages of findings rather than in one answer.</summary>
public static class PlanApiQueries
{
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 500;

    /// <summary>The page of the plan the caller may see (a unit reporter only its own measures, as on the plan page); null when the inspection is not there for the caller.</summary>
    public static async Task<PlanApiPage?> PageAsync(RectifyDbContext db, AccessScope scope, int inspectionId, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await PlanQueries.HeadAsync(db, scope, inspectionId, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var size = Features.Common.Paging.CheckedSize(pageSize, DefaultPageSize, MaxPageSize);
        var number = Features.Common.Paging.Checked(page);
        var visibleFindings = db.VisibleFindings(scope).AsNoTracking().Where(f => f.InspectionId == inspectionId);
        var visibleMeasures = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == inspectionId);
        var findingCount = await visibleFindings.CountAsync(cancellationToken);
        var measureCount = await visibleMeasures.CountAsync(cancellationToken);
        var categories = await PlanQueries.VisibleCategories(db, scope, inspectionId).AsNoTracking().OrderBy(c => c.Number)
            .Select(c => new { c.Id, c.Number, c.Title }).ToListAsync(cancellationToken);
        var findings = await visibleFindings.OrderBy(f => f.Number).Skip(Features.Common.Paging.Skip(number, size)).Take(size)
            .Select(f => new { f.Id, f.CategoryId, f.Number, f.Title }).ToListAsync(cancellationToken);
        var ids = findings.Select(f => f.Id).ToList();
        var measures = await visibleMeasures.Where(m => ids.Contains(m.FindingId)).OrderBy(m => m.FindingId).ThenBy(m => m.Number)
            .Select(m => new
            {
                m.FindingId,
                Measure = new PlanApiMeasure(
                    m.Id,
                    m.Number,
                    m.Text,
                    m.Kind,
                    m.Deadline,
                    m.ResponsibleLeaderId,
                    m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name,
                    m.LeadUnitId,
                    m.LeadUnit == null ? null : m.LeadUnit.Name,
                    m.SupportingUnits.OrderBy(s => s.Organization.Name).Select(s => new Choice(s.OrganizationId, s.Organization.Name)).ToList(),
                    m.State,
                    m.AssumedFields,
                    m.Version,
                    m.Revisions.Count),
            })
            .ToListAsync(cancellationToken);
        var byFinding = measures.ToLookup(m => m.FindingId, m => m.Measure);
        var byCategory = findings.ToLookup(f => f.CategoryId, f => new PlanApiFinding(f.Id, f.Number, f.Title, [.. byFinding[f.Id]]));
        var history = await PlanQueries.HistoryAsync(db, inspectionId, cancellationToken);
        return new PlanApiPage(head, number, size, findingCount, measureCount, [.. categories.Select(c => new PlanApiCategory(c.Id, c.Number, c.Title, [.. byCategory[c.Id]]))], history);
    }
}
