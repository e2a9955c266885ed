using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

// EF Core translates string.StartsWith(string) to a prefix match on the organization path (see AccessQueries).
#pragma warning disable CA1310

namespace Rectify.Features.Supervision;

/// <summary>督办 of an inspection: the ladder's steps (督办单, 约谈, 通报, 问责) with their counts, and the forms to take one.</summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, SupervisionService service, TimeProvider clock) : PageModel, IShowsRefusals
{
    public sealed record UnitChoice(int Id, string Name);

    public sealed record MeasureChoice(int Id, int FindingNumber, int Number, string Text, int? LeadUnitId, string? LeadUnit, DateOnly? Deadline);

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    /// <summary>A measure to preselect (from the measure's page: 督办这条措施).</summary>
    [BindProperty(SupportsGet = true, Name = "measure")]
    public int? Preselected { get; set; }

    public string InspectionTitle { get; private set; } = string.Empty;

    public IReadOnlyList<NoticeRow> Notices { get; private set; } = [];

    public SupervisionCounts Counts { get; private set; } = new(0, 0, 0, 0, 0, 0);

    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    public IReadOnlyList<MeasureChoice> Measures { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public bool CanSupervise => caller.May(Permission.Supervise);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What was typed, after a refusal.</summary>
    public NoticeInput? Typed { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = TempData["message"] as string;
        return ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(SupervisionKind? kind, int? unitId, List<int>? measureIds, string? title, string? content, string? requirement, DateOnly? replyDue, DateOnly? heldOn, string? byWhom, string? people, string? outcome, int? leadId, int? outcomeId, CancellationToken cancellationToken)
    {
        Typed = new NoticeInput(kind, unitId, measureIds ?? [], title, content, requirement, replyDue, heldOn, byWhom, people, outcome, leadId, outcomeId);
        var result = await service.IssueAsync(Id, Typed, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        TempData["message"] = result.Message;
        return kind == SupervisionKind.Duban ? Redirect($"/supervision/{result.Id}") : RedirectToPage(new { id = Id });
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).AsNoTracking().Where(i => i.Id == Id)
            .Select(i => new { i.Title, i.InspectedOrganization.Path }).SingleOrDefaultAsync(cancellationToken);
        if (inspection is null)
        {
            return NotFound();
        }

        InspectionTitle = inspection.Title;
        Today = ChinaTime.Today(clock);
        var notices = db.VisibleNotices(caller.Scope).Where(n => n.InspectionId == Id);
        Notices = await SupervisionQueries.ListAsync(notices, 200, cancellationToken);
        Counts = await SupervisionQueries.CountsAsync(db, caller.Scope, Id, Today, cancellationToken);
        if (CanSupervise)
        {
            // The units that lead a measure of this inspection, and their measures, for the forms.
            var measures = db.VisibleMeasures(caller.Scope).AsNoTracking().Where(m => m.InspectionId == Id);
            Measures = await measures.OrderBy(m => m.LeadUnit!.Name).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number)
                .Select(m => new MeasureChoice(m.Id, m.Finding.Number, m.Number, m.Text, m.LeadUnitId, m.LeadUnit == null ? null : m.LeadUnit.Name, m.Deadline))
                .ToListAsync(cancellationToken);
            Units = [.. Measures.Where(m => m.LeadUnitId is not null).DistinctBy(m => m.LeadUnitId).Select(m => new UnitChoice(m.LeadUnitId!.Value, m.LeadUnit!))];
        }

        return Page();
    }
}
