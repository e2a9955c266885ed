using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Deadlines;
using Rectify.Features.LookBacks;
using Rectify.Features.Plans;
using Rectify.Features.Reports;
using Rectify.Features.Common;
using Rectify.Features.Supervision;

namespace Rectify.Features.Measures;

/// <summary>
/// One measure: its facts, history, progress reports and look-backs, and the forms for the steps the caller may
/// take. Each form calls the feature's service; a refusal comes back to this page with its message (<see cref="IShowsRefusals"/>).
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
[RequestSizeLimit(MaxUpload)]
public sealed class DetailModel(RectifyDbContext db, Caller caller, MeasureWorkflow workflow, ProgressReportService reports, SupportReportService support, LookBackService lookBacks, ExtensionService extensions, CalendarStore calendars, Microsoft.Extensions.Options.IOptions<EvidenceOptions> evidence, TimeProvider clock) : PageModel, IShowsRefusals
{
    /// <summary>The most a report's form may carry; each file is held to the configured per-file limit with a clear message.</summary>
    private const long MaxUpload = 256L * 1024 * 1024;

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public MeasureDetail? Measure { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<ProgressReportView> Reports { get; private set; } = [];

    public IReadOnlyList<LookBack> LookBacks { get; private set; } = [];

    public bool CanReport { get; private set; }

    /// <summary>The office may file the unit's progress for it (代报), from what the unit handed in outside the system.</summary>
    public bool CanReportOnBehalf { get; private set; }

    /// <summary>代为申请销号: the office may apply for sign-off for the lead unit now (the measure could take the unit's 申请销号).</summary>
    public bool CanApplyOnBehalf { get; private set; }

    /// <summary>
    /// The caller is the only 整改办 account of the inspected organization while a step here is left to another office
    /// worker (the review of their own 代报, the acceptance of their own 代为申请): the page says a second account is
    /// needed, instead of leaving them to wait for a reviewer who does not exist.
    /// </summary>
    public bool OnlyOfficeAccount { get; private set; }

    /// <summary>The 代为申请销号 basis as typed, shown again after a refusal.</summary>
    public string? ApplicationBasis { get; private set; }

    /// <summary>The 代报依据 typed, shown again after a refusal.</summary>
    public string? OnBehalfBasis { get; private set; }

    /// <summary>The limits the report form states: per file and per report.</summary>
    public EvidenceOptions EvidenceLimits => evidence.Value;

    /// <summary>Which form a refusal belongs to ("report", "act"…), so that its message stands beside that form.</summary>
    public string? ErrorFor { get; private set; }

    /// <summary>What was typed into the report form, shown again after a refusal (files must be chosen again: a browser never refills them).</summary>
    public string? Narrative { get; private set; }

    public int? Percent { get; private set; }

    /// <summary>配合情况 handed in by the measure's supporting units, newest first.</summary>
    public IReadOnlyList<SupportReportView> SupportReports { get; private set; } = [];

    /// <summary>The supporting units the caller may hand 配合情况 for on this measure (none: no form).</summary>
    public IReadOnlyList<SupportingUnitChoice> SupportChoices { get; private set; } = [];

    /// <summary>What was typed into the 配合情况 form, shown again after a refusal.</summary>
    public string? SupportNarrative { get; private set; }

    /// <summary>
    /// On a 长期坚持 measure, the first day of the current 报送周期, from which the caller's supporting unit owes its part
    /// again; and whether it has handed one in since (null: its part is owed once, any time).
    /// </summary>
    public (DateOnly Since, bool HandedIn)? SupportPeriod { get; private set; }

    /// <summary>The report sent back by the office, or taken back by the caller, when the report form starts from it.</summary>
    public ProgressReportView? StartedFrom { get; private set; }

    /// <summary>The report form starts from the imported ledger's 原台账进展 (no report yet).</summary>
    public bool StartedFromLedger { get; private set; }

    public DateOnly? EffectiveDate { get; private set; }

    /// <summary>What was typed into the 申请延期 form, shown again when it was refused.</summary>
    public DateOnly? RequestedDeadline { get; private set; }

    public string? ExtensionReason { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The caller's steps are the unit's own (启动, 申请销号): they stand beside the report form.</summary>
    public bool ActsBesideReport => Measure is { } m && m.AllowedActions.Count > 0 && m.AllowedActions.All(a => a is MeasureAction.Start or MeasureAction.ApplyForSignOff);

    /// <summary>The caller could apply for 销号 but for an accepted report: the page says what is missing.</summary>
    public bool WaitsForAcceptedReport { get; private set; }

    public bool CanReview => caller.May(Permission.ReviewReport);


    /// <summary>For the office: the lead unit's name when it has no reporter account, so nobody can report for the measure.</summary>
    public string? LeadUnitWithoutReporter { get; private set; }

    public bool CanEditPlan => caller.May(Permission.ManagePlan) && Measure?.WithdrawnAtUtc is null;

    public bool CanScheduleLookBack => caller.May(Permission.ScheduleLookBack);

    /// <summary>The measure's extension requests (申请延期), the latest first.</summary>
    public IReadOnlyList<ExtensionView> Extensions { get; private set; } = [];

    /// <summary>The 督办 ladder's steps about this measure, as the caller may see them.</summary>
    public IReadOnlyList<NoticeRow> Notices { get; private set; } = [];

    public bool CanRequestExtension { get; private set; }

    public bool CanReviewExtension => caller.May(Permission.ReviewExtension);

    /// <summary>The lead unit may take back a request the office has not yet reviewed.</summary>
    public bool CanWithdrawExtension => Measure is { } m && caller.May(Permission.RequestExtension, m.Parties);

    public bool CanDecideExtension => Measure is { } m && caller.May(Permission.DecideExtension, m.Parties);

    public bool CanSupervise => caller.May(Permission.Supervise) && Measure is { Moves: true };

    /// <summary>Years of the dates shown for which the official calendar has no data (counted Monday–Friday).</summary>
    public IReadOnlyList<int> YearsWithoutCalendar { get; private set; } = [];

    public bool CanRecordLookBack => caller.May(Permission.RecordLookBack);

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    /// <summary>One step of the measure's life, from the buttons on this page.</summary>
    public async Task<IActionResult> OnPostActAsync(string? action, string? reason, int? version, CancellationToken cancellationToken)
    {
        (ErrorFor, Reason) = ("act", reason);
        return this.Done(await workflow.ActAsync(Id, action, reason, version, cancellationToken));
    }

    /// <summary>The office applies for sign-off on the lead unit's behalf (代为申请销号), saying on what basis; someone else in the office reviews it.</summary>
    public async Task<IActionResult> OnPostApplyOnBehalfAsync(string? basis, int? version, CancellationToken cancellationToken)
    {
        (ErrorFor, ApplicationBasis) = ("applyonbehalf", basis);
        return this.Done(await workflow.ApplyOnBehalfAsync(Id, basis, version, cancellationToken));
    }

    /// <summary>A unit reporter files progress (narrative, percent, effective date, evidence files).</summary>
    public async Task<IActionResult> OnPostReportAsync(string? narrative, int? percent, DateOnly? effectiveDate, List<IFormFile>? files, CancellationToken cancellationToken)
    {
        (ErrorFor, Narrative, Percent, EffectiveDate) = ("report", narrative, percent, effectiveDate);
        return this.Done(await reports.FileAsync(Id, narrative, percent ?? -1, effectiveDate, Incoming(files), cancellationToken));
    }

    /// <summary>The office files the unit's progress for it (代报), saying on what basis; someone else in the office reviews it.</summary>
    public async Task<IActionResult> OnPostReportOnBehalfAsync(string? onBehalfBasis, string? narrative, int? percent, DateOnly? effectiveDate, List<IFormFile>? files, CancellationToken cancellationToken)
    {
        (ErrorFor, OnBehalfBasis, Narrative, Percent, EffectiveDate) = ("onbehalf", onBehalfBasis, narrative, percent, effectiveDate);
        return this.Done(await reports.FileAsync(Id, narrative, percent ?? -1, effectiveDate, Incoming(files), cancellationToken, onBehalfBasis ?? string.Empty));
    }

    /// <summary>A supporting unit's reporter hands the lead unit its 配合情况 (text, an optional file).</summary>
    public async Task<IActionResult> OnPostSupportAsync(string? supportNarrative, int? supportUnitId, IFormFile? supportFile, CancellationToken cancellationToken)
    {
        (ErrorFor, SupportNarrative) = ("support", supportNarrative);
        return this.Done(await support.FileAsync(Id, supportUnitId, supportNarrative, IncomingFile.Of(supportFile), cancellationToken));
    }

    /// <summary>A supporting unit's reporter takes back (撤回) a 配合情况 of their unit's.</summary>
    public async Task<IActionResult> OnPostWithdrawSupportAsync(int supportId, CancellationToken cancellationToken)
    {
        ErrorFor = "support-withdraw";
        return this.Done(await support.WithdrawAsync(supportId, cancellationToken, measureId: Id));
    }

    /// <summary>
    /// The caller may take back this 配合情况: no rule of the take-back is broken (<see cref="SupportReport.TakeBackRules"/>,
    /// which the service checks) and it speaks for a unit the caller hands 配合情况 for.
    /// </summary>
    public bool MayWithdraw(SupportReportView report) =>
        Measure is { } m && !SupportReport.TakeBackRules(report.WithdrawnAtUtc, m.State, m.WithdrawnAtUtc).Any(r => r.IsBroken())
        && SupportChoices.Any(c => c.Id == report.OrganizationId);

    /// <summary>The files chosen on a report form (a browser sends an empty part when none was chosen).</summary>
    private static List<IncomingFile> Incoming(List<IFormFile>? files) =>
        (files ?? []).Select(IncomingFile.Of).OfType<IncomingFile>().ToList();

    /// <summary>A report waiting for review is taken back (撤回) by whoever may file its kind: the unit its own, the office its 代报.</summary>
    public async Task<IActionResult> OnPostWithdrawReportAsync(int reportId, CancellationToken cancellationToken) =>
        this.Done(await reports.WithdrawAsync(reportId, cancellationToken, measureId: Id));

    /// <summary>
    /// The caller may take back this report while it waits for review: one the unit filed, by the lead unit's reporter;
    /// a 代报, by the office (<see cref="ProgressReportService.WithdrawAsync"/> decides; this only offers the button).
    /// </summary>
    public bool MayWithdraw(ProgressReportView report) =>
        report is { State: ProgressReportState.Submitted } && Measure is { WithdrawnAtUtc: null } m
        && caller.May(report.OnBehalfBasis is null ? Permission.FileReport : Permission.FileReportOnBehalf, m.Parties);

    /// <summary>The office accepts a report or returns it with a reason.</summary>
    public async Task<IActionResult> OnPostReviewAsync(int reportId, string? decision, string? reason, CancellationToken cancellationToken) =>
        this.Done(await reports.ReviewAsync(reportId, Decision.Read(decision, "accept", "return"), reason, cancellationToken, measureId: Id));

    /// <summary>The office schedules a look-back (回头看) of a signed-off measure: on the date given, or six months after sign-off.</summary>
    public async Task<IActionResult> OnPostScheduleLookBackAsync(DateOnly? dueDate, CancellationToken cancellationToken) =>
        this.Done(await lookBacks.ScheduleAsync(Id, dueDate, cancellationToken));

    /// <summary>The office records what the look-back found: 巩固, or 反弹 with what was found (which reopens the measure).</summary>
    public async Task<IActionResult> OnPostLookBackAsync(int lookBackId, string? result, string? finding, CancellationToken cancellationToken)
    {
        BusinessRules.Check(new AResultIsChosen(result));
        return this.Done(await lookBacks.RecordAsync(lookBackId, Enum.Parse<LookBackResult>(result!), finding, cancellationToken));
    }

    /// <summary>The unit asks for more time (申请延期): a new date, a reason, an optional file.</summary>
    public async Task<IActionResult> OnPostExtensionAsync(DateOnly? requestedDeadline, string? extensionReason, IFormFile? extensionFile, CancellationToken cancellationToken)
    {
        (ErrorFor, RequestedDeadline, ExtensionReason) = ("extension", requestedDeadline, extensionReason);
        var file = IncomingFile.Of(extensionFile);
        return this.Done(await extensions.RequestAsync(Id, requestedDeadline, extensionReason, file, cancellationToken));
    }

    /// <summary>The office forwards a request to the leader or returns it; the leader approves or refuses it; the unit withdraws it while it waits for the office.</summary>
    public async Task<IActionResult> OnPostExtensionStepAsync(int extensionId, string? decision, string? note, CancellationToken cancellationToken)
    {
        ErrorFor = "extension";
        return this.Done(
            decision == "withdraw" ? await extensions.WithdrawAsync(extensionId, cancellationToken)
            : Decision.Read(decision, "forward", "return") is { } forward ? await extensions.ReviewAsync(extensionId, forward, note, cancellationToken)
            : Decision.Read(decision, "approve", "refuse") is { } approve ? await extensions.DecideAsync(extensionId, approve, note, cancellationToken)
            : throw BusinessRules.Refuse(new ADecisionIsChosen()));
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Measure = await MeasureQueries.LoadAsync(db, caller.Scope, Id, Today, cancellationToken);
        if (Measure is null)
        {
            return NotFound();
        }

        Reports = await ReportQueries.ReportsAsync(db, caller.Scope, Id, cancellationToken);
        if (caller.HoldsRoleFor(Permission.ReviewReport)
            && (Measure.BarredActions.Count > 0 || Reports.Any(r => r.State == ProgressReportState.Submitted && r.FiledByCaller)))
        {
            var inspected = await db.Inspections.Where(i => i.Id == Measure.InspectionId).Select(i => i.InspectedOrganization.Path).SingleAsync(cancellationToken);
            OnlyOfficeAccount = (await RoleHolders.AtOrAboveAsync(db, Roles.RectificationOffice, [inspected], cancellationToken)).All(h => h.UserId == caller.Scope.UserId);
        }

        // Read whatever the measure's supporting units are now: a unit taken off the measure keeps what it handed in on record.
        SupportReports = await support.ListAsync(Id, cancellationToken);
        // Under way in a plan in force, not withdrawn: reported on, and handed 配合情况.
        var underWay = Measure.State is MeasureState.InProgress or MeasureState.Ongoing && Measure.Moves;
        SupportChoices = underWay && caller.May(Permission.ReportSupport, Measure.Parties) ? await support.ChoicesAsync(Id, cancellationToken) : [];
        if (SupportChoices.Count > 0 && SupportReport.PartCountsFromUtc(Measure.Kind, Measure.State, Measure.Cadence, Today) is { } from)
        {
            var ours = SupportChoices.Select(c => c.Id).ToHashSet();
            SupportPeriod = (ReportingCadences.PeriodStart(Measure.Cadence, Today), SupportReports.Any(r => r.SubmittedAtUtc >= from && r.WithdrawnAtUtc is null && ours.Contains(r.OrganizationId)));
        }
        LookBacks = await db.LookBacks.AsNoTracking().Where(l => l.MeasureId == Id).OrderByDescending(l => l.Id).ToListAsync(cancellationToken);
        CanReport = underWay && caller.May(Permission.FileReport, Measure.Parties);
        CanReportOnBehalf = underWay && !CanReport && caller.May(Permission.FileReportOnBehalf, Measure.Parties);
        if (ErrorFor is null && Reports.Count > 0 && Reports[0] is { State: ProgressReportState.Returned or ProgressReportState.Withdrawn, FiledByCaller: true } back
            && (back.OnBehalfBasis is null ? CanReport : CanReportOnBehalf))
        {
            // The report sent back (or taken back) is the start of the next: its text, percentage and 代报依据 filled in, to be corrected.
            (Narrative, Percent, OnBehalfBasis, StartedFrom) = (back.Narrative, back.PercentComplete, back.OnBehalfBasis, back);
        }
        CanApplyOnBehalf = Measure.Moves && !Measure.AllowedActions.Contains(MeasureAction.ApplyForSignOff)
            && Domain.Measure.CanTake(MeasureAction.ApplyForSignOff, Measure.State, Measure.Kind, Measure.EvidenceAcceptedAtUtc is not null)
            && caller.May(Permission.ApplyForSignOffOnBehalf, Measure.Parties);
        if (caller.May(Permission.ManagePlan) && Measure is { WithdrawnAtUtc: null, LeadUnit: { } lead, Parties.LeadUnitPath: { } leadPath } && Measure.State != MeasureState.SignedOff)
        {
            LeadUnitWithoutReporter = (await ReporterAccounts.WithoutReporterAsync(db, [new PlanUnit(lead, leadPath)], cancellationToken)) is [var without, ..] ? without.Name : null;
        }

        // The first report starts from what the office's own ledger said of the work, to be checked and given its
        // evidence: the unit's own, or the office's 代报 for a unit with no account (never in a unit's place otherwise).
        if (ErrorFor is null && StartedFrom is null && Reports.Count == 0 && Measure.LedgerProgress is { } ledger
            && (CanReport || (CanReportOnBehalf && LeadUnitWithoutReporter is not null)))
        {
            (Narrative, StartedFromLedger) = (ledger, true);
        }

        Extensions = await extensions.ListAsync(Id, cancellationToken);
        Notices = await SupervisionQueries.ListAsync(db, db.VisibleNotices(caller.Scope).Where(n => n.Measures.Any(x => x.MeasureId == Id)), 50, cancellationToken);
        CanRequestExtension = caller.May(Permission.RequestExtension, Measure.Parties) && Measure.Moves && Measure.Deadline is not null
            && Measure.Kind != MeasureKind.Ongoing && Measure.State is not (MeasureState.SignedOff or MeasureState.Ongoing) && !Extensions.Any(e => e.IsOpen);
        var calendar = await calendars.LoadAsync(cancellationToken);
        // The office's note, of the dates this measure's reminders count to: its deadline, the one it had, and a request
        // still open (a refused or returned one counts for nothing; an approved one is the deadline now).
        YearsWithoutCalendar = CanReview
            ? calendar.YearsWithoutData(new[] { Measure.Deadline, Measure.OriginalDeadline }.Concat(Extensions.Where(e => e.IsOpen).Select(e => (DateOnly?)e.RequestedDeadline)).OfType<DateOnly>().Append(Today))
            : [];
        WaitsForAcceptedReport = caller.May(Permissions.Of(MeasureAction.ApplyForSignOff), Measure.Parties)
            && Domain.Measure.WaitsForAcceptedReport(Measure.State, Measure.Kind, Measure.EvidenceAcceptedAtUtc is not null);
        return Page();
    }

    private sealed class AResultIsChosen(string? result) : IBusinessRule
    {
        public bool IsBroken() => !(Enum.TryParse<LookBackResult>(result, out var chosen) && Enum.IsDefined(chosen));

        public string Message => "请选择“巩固”或“反弹”。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class ADecisionIsChosen() : Refused("请选择转呈、退回、批准或不予批准。", Refusal.Invalid);
}
