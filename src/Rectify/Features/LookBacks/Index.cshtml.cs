using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Common;

namespace Rectify.Features.LookBacks;

/// <summary>回头看 of one inspection: where every look-back stands, and the office's bulk scheduling (all signed-off measures, or a random sample).</summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, LookBackService lookBacks, TimeProvider clock) : PageModel, IShowsRefusals
{
    private const int PageSize = 50;

    public sealed record Row(int LookBackId, int MeasureId, int FindingNumber, int MeasureNumber, string Text, string? LeadUnit, DateOnly DueDate, LookBackResult? Result, string? Observation, string? ReviewedByName);

    public sealed record Counts(int SignedOff, int Unscheduled, int Open, int DueSoon, int Late, int Consolidated, int Rebound);

    public InspectionSummary? Inspection { get; private set; }

    public Counts Figures { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>The page of look-backs shown: open ones first, earliest due first; then the recorded ones, latest first.</summary>
    public ListPage<Row> LookBacks { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<UnitOption> Units { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public bool CanSchedule => caller.May(Permission.ScheduleLookBack);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Whether the refusal came from the scheduling form (and stands inside it, with what was typed kept).</summary>
    public bool ErrorInForm { get; private set; }

    /// <summary>What was typed into the scheduling form, shown again after a refusal: the scope chosen ("all" or "sample"), the count, the unit, the date.</summary>
    public string? Scope { get; private set; }

    public int? Count { get; private set; }

    public int? Unit { get; private set; }

    public DateOnly? DueDate { get; private set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public Task<IActionResult> OnGetAsync(int? page, CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(page ?? 1, cancellationToken);
    }

    /// <summary>The office schedules look-backs in bulk: <paramref name="scope"/> "all" or "sample" with <paramref name="count"/>.</summary>
    public async Task<IActionResult> OnPostScheduleAsync(string? scope, int? count, int? unit, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        (Scope, Count, Unit, DueDate, ErrorInForm) = (scope, count, unit, dueDate, true);
        var sample = scope switch
        {
            "all" => LookBackSample.Everything,
            "sample" => LookBackSample.Of(count),
            _ => null,
        };
        return this.Done(await lookBacks.ScheduleManyAsync(Id, sample, unit, dueDate, cancellationToken));
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(1, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(int page, CancellationToken cancellationToken)
    {
        var id = Id;
        var scope = caller.Scope;
        Inspection = await LedgerQueries.HeadAsync(db, scope, id, cancellationToken);
        if (Inspection is null)
        {
            return NotFound();
        }

        Today = ChinaTime.Today(clock);
        var soon = Today.AddDays(30);
        var measures = db.VisibleMeasures(scope).AsNoTracking().Where(m => m.InspectionId == id);
        var all = db.LookBacks.AsNoTracking().Where(l => measures.Any(m => m.Id == l.MeasureId));
        var open = db.LookBacks.Where(l => l.Result == null);
        var signedOff = measures.Where(m => m.State == MeasureState.SignedOff);
        var byResult = await all.GroupBy(l => l.Result).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        Figures = new Counts(
            await signedOff.CountAsync(cancellationToken),
            await signedOff.CountAsync(m => !open.Any(l => l.MeasureId == m.Id), cancellationToken),
            byResult.Where(r => r.Key == null).Sum(r => r.Count),
            await all.CountAsync(l => l.Result == null && l.DueDate >= Today && l.DueDate <= soon, cancellationToken),
            await all.CountAsync(l => l.Result == null && l.DueDate < Today, cancellationToken),
            byResult.Where(r => r.Key == LookBackResult.Consolidated).Sum(r => r.Count),
            byResult.Where(r => r.Key == LookBackResult.Rebound).Sum(r => r.Count));

        // Open ones first, earliest due first; then the recorded ones, latest first. The figures above have counted them.
        LookBacks = await all
            .OrderBy(l => l.Result != null).ThenBy(l => l.Result == null ? l.DueDate : DateOnly.MaxValue).ThenByDescending(l => l.Id)
            .ToListPageAsync(Figures.Open + Figures.Consolidated + Figures.Rebound, page, PageSize, shown => shown.Join(db.Measures, l => l.MeasureId, m => m.Id, (l, m) => new Row(
                l.Id, m.Id, m.Finding.Number, m.Number, m.Text, m.LeadUnit == null ? null : m.LeadUnit.Name, l.DueDate, l.Result, l.Observation, l.ReviewedByName)), cancellationToken);
        Units = CanSchedule ? await LedgerQueries.UnitsAsync(db, signedOff, cancellationToken) : [];
        return Page();
    }
}
