using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;
using Rectify.Features.Plans;

namespace Rectify.Features.Measures;

/// <summary>修改措施: the office sets what the plan says about one measure; once the plan is in force, with a reason, as a new version.</summary>
public sealed class EditModel(RectifyDbContext db, Caller caller, PlanService plans, CalendarStore calendars, TimeProvider clock) : PageModel, IShowsRefusals
{
    public sealed record Current(int Id, int InspectionId, string InspectionTitle, int FindingId, int FindingNumber, int Number, string Text, MeasureKind Kind, DateOnly? Deadline,
        int? LeaderId, int? LeadUnitId, IReadOnlyList<int> SupportingUnitIds, int Version, PlanState PlanState);

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public Current? Measure { get; private set; }

    public IReadOnlyList<Choice> People { get; private set; } = [];

    public IReadOnlyList<Choice> Units { get; private set; } = [];

    public string? Error { get; private set; }

    public bool CanEdit { get; private set; }

    /// <summary>What was typed, after a refusal.</summary>
    public MeasureInput? Typed { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>"N 个工作日" as typed, after a refusal.</summary>
    public int? WorkingDays { get; private set; }

    public DateOnly? WorkingDaysFrom { get; private set; }

    /// <summary>Years without holiday data around today (the working-day field counts Monday–Friday there).</summary>
    public IReadOnlyList<int> YearsWithoutCalendar { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? text, MeasureKind? kind, DateOnly? deadline, int? deadlineWorkingDays, DateOnly? deadlineFrom, int? leaderId, string? newLeader, int? leadUnitId, string? newLeadUnit, List<int>? supportingUnitIds, string? newSupportingUnits, int? version, string? reason, CancellationToken cancellationToken)
    {
        Typed = new MeasureInput(text, kind, deadline, leaderId, newLeader, leadUnitId, newLeadUnit, supportingUnitIds ?? [], newSupportingUnits);
        (Reason, WorkingDays, WorkingDaysFrom) = (reason, deadlineWorkingDays, deadlineFrom);

        // "N 个工作日" from a date (today when none) becomes the date, counted on the official calendar.
        Typed = Typed with { Deadline = await WorkingDayDeadline.ResolveAsync(calendars, deadline, deadlineWorkingDays, deadlineFrom, ChinaTime.Today(clock), cancellationToken) };
        var result = await plans.AmendMeasureAsync(Id, Typed, version, reason, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        return this.DoneAt(result.Message, $"/measures/{Id}");
    }

    public async Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        // What was typed comes back as typed, a date that could not be read too (its field is text then, typed-date).
        Error = message;
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Measure = await db.VisibleMeasures(caller.Scope).AsNoTracking().Where(m => m.Id == Id)
            .Select(m => new Current(m.Id, m.InspectionId, m.Inspection.Title, m.FindingId, m.Finding.Number, m.Number, m.Text, m.Kind, m.Deadline, m.ResponsibleLeaderId, m.LeadUnitId,
                m.SupportingUnits.Select(s => s.OrganizationId).ToList(), m.Version, m.Inspection.PlanState))
            .SingleOrDefaultAsync(cancellationToken);
        if (Measure is null)
        {
            return NotFound();
        }

        if (!caller.May(Permission.ManagePlan))
        {
            // Seen but not theirs to change: the page says so, without the form (the same 403 a post would get).
            Error = "只有整改办可以编制和调整整改方案。";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        CanEdit = true;
        var today = ChinaTime.Today(clock);
        YearsWithoutCalendar = (await calendars.LoadAsync(cancellationToken)).YearsWithoutData([today, today.AddYears(1)]);
        var inspected = await db.Inspections.AsNoTracking().Where(i => i.Id == Measure.InspectionId)
            .Select(i => new { i.InspectedOrganizationId, i.InspectedOrganization.Path }).SingleAsync(cancellationToken);
        (People, Units) = await PlanQueries.ChoicesAsync(db, inspected.InspectedOrganizationId, inspected.Path, cancellationToken);
        return Page();
    }
}
