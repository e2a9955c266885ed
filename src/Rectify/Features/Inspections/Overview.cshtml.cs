using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;

namespace Rectify.Features.Inspections;

public sealed class OverviewModel(AnswerCache answers, RectifyDbContext db, Caller caller, ReportingCadenceService cadences, DeadlinePolicyService policies, SignalRulesService signalRules, CalendarStore calendars, TimeProvider clock) : PageModel, IShowsRefusals
{
    /// <summary>Whether the caller reads the inspection as a whole (the progress notice and its opinions), not one unit's measures.</summary>
    public bool ReadsWholeInspection => caller.Scope.ReadsWholeInspection;

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public InspectionOverview? Overview { get; private set; }

    /// <summary>The 红黄绿 table's page (query <c>page</c>, from 1; out of range shows the nearest page).</summary>
    public int? FindingsPage { get; private set; }

    /// <summary>The 红黄绿 table shows only this signal's findings (query <c>signal</c>: Red, Yellow, Green; anything else shows all).</summary>
    public string? SignalAsked { get; private set; }

    /// <summary>Findings per page of the 红黄绿 table.</summary>
    public const int FindingsPageSize = 50;

    /// <summary>Public opinions on the inspection's notice: all of them, and those not yet replied to or closed.</summary>
    public (int Total, int Open) Opinions { get; private set; }

    /// <summary>The plan is not in force yet (草拟 or 报审): its deadlines are proposals, and the page says its red is provisional.</summary>
    public bool PlanNotInForce => Overview is { Inspection.PlanState: not PlanState.InForce };

    /// <summary>The office sets the inspection's 报送周期.</summary>
    public bool CanSetCadence => caller.May(Permission.SetReportingCadence);

    /// <summary>The office sets the 整改时限政策.</summary>
    public bool CanSetPolicy => caller.May(Permission.SetDeadlinePolicy);

    /// <summary>The office, or the inspection body, sets the 红黄绿规则.</summary>
    public bool CanSetSignalRules => caller.May(Permission.SetSignalRules);

    /// <summary>The policy's deadlines for this inspection (立行立改, 集中整改), when it has a feedback date and a policy.</summary>
    public DateOnly? ImmediateDeadline { get; private set; }

    public DateOnly? TimeBoundDeadline { get; private set; }

    /// <summary>Years of the dates shown for which the official calendar has no data (counted Monday–Friday).</summary>
    public IReadOnlyList<int> YearsWithoutCalendar { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>The other rounds of inspection of the same 被巡察党组织 the caller may see, with their rectification's state.</summary>
    public OtherRoundList OtherRounds { get; private set; } = new(0, []);

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(int? page, [FromQuery(Name = "signal")] string? signal, CancellationToken cancellationToken)
    {
        FindingsPage = page;
        SignalAsked = signal;
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    /// <summary>The office sets the 报送周期 (see <see cref="ReportingCadenceService"/>).</summary>
    public async Task<IActionResult> OnPostCadenceAsync(ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        return this.Done(await cadences.SetAsync(Id, cadence, cancellationToken));
    }

    /// <summary>What was typed into the 整改时限政策 or 红黄绿规则 form, by field, shown again when it was refused.</summary>
    public Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>The value to show in a settings form's field: what was typed when it was refused, else what is saved.</summary>
    public string? Shown(string field, object? saved) =>
        Typed.TryGetValue(field, out var typed) ? typed : Convert.ToString(saved, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The office sets the 整改时限政策 (see <see cref="DeadlinePolicyService"/>).</summary>
    public async Task<IActionResult> OnPostPolicyAsync(int? immediateWorkingDays, int? timeBoundMonths, CancellationToken cancellationToken)
    {
        var fields = new[] { ("immediateWorkingDays", "立行立改的工作日数"), ("timeBoundMonths", "集中整改期的月数") };
        foreach (var (field, _) in fields)
        {
            Typed[field] = Request.Form[field].ToString();
        }

        var unreadable = fields.Where(f => ModelState[f.Item1] is { Errors.Count: > 0 })
            .Select(f => new NotAWholeNumber(f.Item2, ModelState[f.Item1]!.AttemptedValue)).FirstOrDefault();
        return this.Done(await policies.SetAsync(Id, immediateWorkingDays, timeBoundMonths, cancellationToken, unreadable));
    }

    /// <summary>The office or the inspection body sets the 红黄绿规则 (see <see cref="SignalRulesService"/>); a box left unticked is off.</summary>
    public async Task<IActionResult> OnPostSignalRulesAsync(bool redWhenUnderDuban, string? warnWithinWorkingDays, bool warnWhenReportReturned, bool greenWhenOnTrack, CancellationToken cancellationToken)
    {
        (Typed["warnWithinWorkingDays"], Typed["redWhenUnderDuban"], Typed["warnWhenReportReturned"], Typed["greenWhenOnTrack"]) =
            (warnWithinWorkingDays, Flag(redWhenUnderDuban), Flag(warnWhenReportReturned), Flag(greenWhenOnTrack));
        var (days, unreadable) = SignalRulesService.ReadWorkingDays(warnWithinWorkingDays);
        return this.Done(await signalRules.SetAsync(Id, new SignalRulesRequest(redWhenUnderDuban, days, warnWhenReportReturned, greenWhenOnTrack), cancellationToken, unreadable));
    }

    /// <summary>The overview with the 红黄绿 table on <paramref name="page"/> of <paramref name="signal"/>'s findings (null: all), at the table.</summary>
    public string FindingsUrl(Signal? signal, int page = 1)
    {
        var query = new List<string>();
        if (signal is { } s)
        {
            query.Add("signal=" + s);
        }

        if (page > 1)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return $"/inspections/{Id}/overview" + (query.Count > 0 ? "?" + string.Join("&", query) : "") + "#finding-signals";
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var overview = await answers.OverviewAsync(db, caller.Scope, Id, today, cancellationToken);
        if (overview is null)
        {
            return NotFound();
        }

        // One page of the 红黄绿 findings, the last one when asked past it.
        var signal = ASignalIsNamed.Parse(SignalAsked);
        Overview = overview.PageOfFindings(signal, Paging.Clamped(FindingsPage), FindingsPageSize, lastWhenPast: true);

        // 意见建议 on the public notice: how many came in and how many still wait for the office (not for a unit's reporter,
        // who does not read the notice or its opinions).
        var opinions = !ReadsWholeInspection ? [] : await db.PublicOpinions.Where(o => o.InspectionId == Id).GroupBy(o => o.State == OpinionState.Received || o.State == OpinionState.Assigned)
            .Select(g => new { Open = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        Opinions = (opinions.Sum(o => o.Count), opinions.Where(o => o.Open).Sum(o => o.Count));
        OtherRounds = (await answers.KeptOtherRoundsAsync(db, caller.Scope, Id, today, cancellationToken))?.Value ?? new(0, []);
        var calendar = await calendars.LoadAsync(cancellationToken);
        ImmediateDeadline = Overview.DeadlinePolicy.DeadlineFor(MeasureKind.Immediate, Overview.Inspection.FeedbackDate, calendar);
        TimeBoundDeadline = Overview.DeadlinePolicy.DeadlineFor(MeasureKind.TimeBound, Overview.Inspection.FeedbackDate, calendar);
        YearsWithoutCalendar = calendar.YearsWithoutData(new[] { ImmediateDeadline, Overview.Inspection.FeedbackDate, Overview.WarnUntil }.OfType<DateOnly>().Append(today));
        return Page();
    }

    private static string Flag(bool on) => on ? "True" : "False";
}
