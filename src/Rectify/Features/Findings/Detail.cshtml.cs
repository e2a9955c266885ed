using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Registers;

namespace Rectify.Features.Findings;

public sealed class DetailModel(RectifyDbContext db, Caller caller, TimeProvider clock, RegisterService registers, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record MeasureRow(int Id, int Number, string Text, MeasureKind Kind, DateOnly? Deadline, string? LeadUnit, MeasureState State, OverdueFacts Facts);

    public sealed record HistoryRow(int MeasureNumber, MeasureAction Action, MeasureState FromState, MeasureState ToState, string ActorName, DateTime AtUtc, string? Reason);

    public sealed record View(
        int Id,
        int InspectionId,
        string InspectionTitle,
        int CategoryNumber,
        string CategoryTitle,
        int Number,
        string Title,
        string? ProblemStatement,
        IReadOnlyList<MeasureRow> Measures,
        IReadOnlyList<HistoryRow> History,
        MeasureTally Tally)
    {
        public FindingState State => Tally.FindingState;

        /// <summary>红黄绿 by the inspection's rules.</summary>
        public Signal Signal { get; init; }
    }

    public View? Finding { get; private set; }

    public DateOnly Today { get; private set; }

    /// <summary>The register entries that answer this finding (建章立制, 整改成效, and 问题线索 for the discipline officer), each with its versions; the withdrawn ones last.</summary>
    public IReadOnlyList<RegisterCard> RegisterEntries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        var scope = caller.Scope;
        var head = await db.VisibleFindings(scope).AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { f.Id, f.InspectionId, InspectionTitle = f.Inspection.Title, CategoryNumber = f.Category.Number, CategoryTitle = f.Category.Title, f.Number, f.Title, f.ProblemStatement })
            .FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return NotFound();
        }

        // 红黄绿 by the inspection's rules, from the facts they read of each measure (read in the same query).
        var signals = await SignalQueries.DayAsync(db, head.InspectionId, Today, cancellationToken);
        var visible = db.VisibleMeasures(scope).Where(m => m.FindingId == id);
        var read = await visible.AsNoTracking().OrderBy(m => m.Number)
            .WithSignalFacts(db, signals.Rules, m => new MeasureRow(m.Id, m.Number, m.Text, m.Kind, m.Deadline, m.LeadUnit == null ? null : m.LeadUnit.Name, m.State,
                new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc)))
            .ToListAsync(cancellationToken);
        var measures = read.Select(r => r.Row).ToList();
        var history = await db.MeasureTransitions.AsNoTracking().Where(t => visible.Any(m => m.Id == t.MeasureId))
            .OrderBy(t => t.AtUtc).ThenBy(t => t.Id)
            .Select(t => new HistoryRow(t.Measure.Number, t.Action, t.FromState, t.ToState, t.ActorName, t.AtUtc, t.Reason))
            .ToListAsync(cancellationToken);
        var entries = await registers.ForFindingAsync(id, cancellationToken);
        if (entries is not null)
        {
            string Term(string term) => l[term];
            RegisterEntries =
            [
                .. entries.Institutions.Select(e => RegisterCards.Of(e, Term)), .. entries.Outcomes.Select(e => RegisterCards.Of(e, Term)), .. (entries.Leads ?? []).Select(e => RegisterCards.Of(e, Term)),
                .. entries.Withdrawn.Institutions.Select(e => RegisterCards.Of(e, Term)), .. entries.Withdrawn.Outcomes.Select(e => RegisterCards.Of(e, Term)), .. (entries.Withdrawn.Leads ?? []).Select(e => RegisterCards.Of(e, Term)),
            ];
        }

        var tally = MeasureTally.Of(read.Select(r => r.Facts), signals);
        Finding = new View(
            head.Id, head.InspectionId, head.InspectionTitle, head.CategoryNumber, head.CategoryTitle, head.Number, head.Title, head.ProblemStatement, measures, history,
            tally)
        {
            Signal = signals.Rules.Of(tally),
        };
        return Page();
    }
}
