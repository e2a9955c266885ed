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
    public sealed record UnitChoice(int Id, string Name, int Measures);

    public sealed record MeasureChoice(int Id, int FindingNumber, int Number, string Text, int? LeadUnitId, string? LeadUnit, DateOnly? Deadline);

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    /// <summary>A measure to preselect (from the measure's page: 督办这条措施).</summary>
    [BindProperty(SupportsGet = true, Name = "measure")]
    public int? Preselected { get; set; }

    /// <summary>The unit whose measures the form lists (上方“列出措施”).</summary>
    [BindProperty(SupportsGet = true, Name = "unit")]
    public int? ListedUnit { get; set; }

    /// <summary>A keyword the unit's measures are filtered by.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Keyword { get; set; }

    /// <summary>At most this many of a unit's measures are listed in the form; a keyword narrows them.</summary>
    public const int MeasuresListed = 200;

    /// <summary>The unit the form is for: the one typed, the one listed, or the preselected measure's lead unit.</summary>
    public int? ChosenUnit { get; private set; }

    /// <summary>Whether the chosen unit leads more measures than the form lists.</summary>
    public bool MoreMeasures { get; private set; }

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
        Message = this.TakeMessage();
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

        return kind == SupervisionKind.Duban ? this.DoneAt(result.Message, $"/supervision/{result.Id}") : this.Done(result.Message);
    }

    /// <summary>The form a refusal belongs to: "code" (the 机关代字), or the issuing form.</summary>
    public string? ErrorFor { get; private set; }

    /// <summary>The 发文字号 the caller's next 督办单 takes and the 机关代字 it is made of (for who may issue them).</summary>
    public (string Next, string? Code, string Issuer)? Numbering { get; private set; }

    /// <summary>The 机关代字 as typed, shown again when refused.</summary>
    public string? TypedCode { get; private set; }

    /// <summary>Sets the 机关代字 of the organization whose 督办单 the caller issues here.</summary>
    public async Task<IActionResult> OnPostDocumentCodeAsync(string? code, CancellationToken cancellationToken)
    {
        (ErrorFor, TypedCode) = ("code", code);
        var result = await service.SetDocumentCodeAsync(Id, code, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        return this.DoneAt(result.Message, $"/inspections/{Id}/supervision#numbering");
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
        Notices = await SupervisionQueries.ListAsync(db, notices, 200, cancellationToken);
        Counts = await SupervisionQueries.CountsAsync(db, caller.Scope, Id, Today, cancellationToken);
        if (CanSupervise)
        {
            Numbering = await service.NextNumberAsync(Id, cancellationToken);

            // The units that lead a measure of this inspection, counted in the database; the measures only of the
            // unit chosen (an inspection may have ten thousand), at most MeasuresListed of them, narrowed by a keyword.
            var measures = db.VisibleMeasures(caller.Scope).AsNoTracking().Where(m => m.InspectionId == Id);
            Units = await measures.Where(m => m.LeadUnitId != null)
                .GroupBy(m => new { Id = m.LeadUnitId!.Value, m.LeadUnit!.Name })
                .OrderBy(g => g.Key.Name)
                .Select(g => new UnitChoice(g.Key.Id, g.Key.Name, g.Count()))
                .ToListAsync(cancellationToken);
            var preselectedUnit = Preselected is { } measure
                ? await measures.Where(m => m.Id == measure).Select(m => m.LeadUnitId).SingleOrDefaultAsync(cancellationToken)
                : null;
            ChosenUnit = Typed?.UnitId ?? ListedUnit ?? preselectedUnit;
            if (ChosenUnit is { } unit && Units.Any(u => u.Id == unit))
            {
                var ofUnit = measures.Where(m => m.LeadUnitId == unit);
                var keyword = Keyword?.Trim();
                if (!string.IsNullOrEmpty(keyword))
                {
                    ofUnit = ofUnit.Where(m => m.Text.Contains(keyword));
                }

                var listed = await Project(ofUnit.OrderBy(m => m.Finding.Category.Number).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number).Take(MeasuresListed + 1))
                    .ToListAsync(cancellationToken);
                MoreMeasures = listed.Count > MeasuresListed;
                listed = [.. listed.Take(MeasuresListed)];

                // What was chosen stays chosen, even when the keyword or the cap leaves it out.
                var chosen = (Typed?.MeasureIds ?? (Preselected is { } p ? [p] : [])).Except(listed.Select(m => m.Id)).ToList();
                if (chosen.Count > 0)
                {
                    listed.AddRange(await Project(ofUnit.Where(m => chosen.Contains(m.Id))).ToListAsync(cancellationToken));
                }

                Measures = listed;
            }
        }

        return Page();
    }

    private static IQueryable<MeasureChoice> Project(IQueryable<Measure> measures) =>
        measures.Select(m => new MeasureChoice(m.Id, m.Finding.Number, m.Number, m.Text, m.LeadUnitId, m.LeadUnit == null ? null : m.LeadUnit.Name, m.Deadline));
}
