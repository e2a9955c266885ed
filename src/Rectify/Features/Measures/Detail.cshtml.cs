using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

public sealed class DetailModel(RectifyDbContext db, TimeProvider clock) : PageModel
{
    public sealed record TransitionRow(MeasureAction Action, MeasureState FromState, MeasureState ToState, string ActorName, DateTime AtUtc, string? Reason);

    public sealed record View(
        int Id,
        int InspectionId,
        string InspectionTitle,
        int FindingId,
        int FindingNumber,
        string FindingTitle,
        int Number,
        string Text,
        MeasureKind Kind,
        DateOnly? Deadline,
        string? Leader,
        string? LeadUnit,
        IReadOnlyList<string> SupportingUnits,
        MeasureState State,
        AssumedFields Assumed,
        IReadOnlyList<TransitionRow> History);

    public View? Measure { get; private set; }

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Measure = await db.VisibleMeasures(AccessScope.From(User)).AsNoTracking().Where(m => m.Id == id)
            .Select(m => new View(
                m.Id,
                m.InspectionId,
                m.Inspection.Title,
                m.FindingId,
                m.Finding.Number,
                m.Finding.Title,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name + "（" + m.ResponsibleLeader.Position + "）",
                m.LeadUnit == null ? null : m.LeadUnit.Name,
                m.SupportingUnits.OrderBy(s => s.Organization.Name).Select(s => s.Organization.Name).ToList(),
                m.State,
                m.AssumedFields,
                m.Transitions.OrderBy(t => t.AtUtc).ThenBy(t => t.Id)
                    .Select(t => new TransitionRow(t.Action, t.FromState, t.ToState, t.ActorName, t.AtUtc, t.Reason)).ToList()))
            .FirstOrDefaultAsync(cancellationToken);
        return Measure is null ? NotFound() : Page();
    }
}
