using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Evidence;
using Rectify.Features.Measures;

namespace Rectify.Features.Inspections;

/// <summary>
/// The registers the notice reports on: 建章立制 and 整改成效 (kept by the office, read by everyone who sees the
/// inspection) and 问题线索 (kept and read by the discipline officer only; nobody else sees that it exists).
/// The rules live in <see cref="RegisterService"/>, shared with the API.
/// </summary>
public sealed class RegistersModel(RectifyDbContext db, RegisterService registers) : PageModel
{
    public sealed record Row(int Id, string Text, string Detail, IReadOnlyList<int> Findings);

    public InspectionSummary? Inspection { get; private set; }

    public IReadOnlyList<Row> Institutions { get; private set; } = [];

    public IReadOnlyList<Row> Outcomes { get; private set; } = [];

    public IReadOnlyList<Row> Leads { get; private set; } = [];

    public bool CanKeep => RegisterService.MayKeep(AccessScope.From(User));

    public bool SeesLeads => RegisterService.SeesLeads(AccessScope.From(User));

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostInstitutionAsync(int id, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, CanKeep, findings, numbers => registers.AddInstitutionAsync(AccessScope.From(User), id, new NewInstitution(name, issuer, documentNumber, issuedOn, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostOutcomeAsync(int id, OutcomeKind? kind, decimal? amount, string? note, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, CanKeep, findings, numbers => registers.AddOutcomeAsync(AccessScope.From(User), id, new NewOutcome(kind, amount, note, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLeadAsync(int id, string? summary, LeadStatus? status, string? disposition, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, SeesLeads, findings, numbers => registers.AddLeadAsync(AccessScope.From(User), id, new NewLead(summary, status, disposition, numbers), cancellationToken), cancellationToken);

    public static string KindLabel(OutcomeKind kind) => kind switch
    {
        OutcomeKind.MoneyRecovered => "挽回经济损失（万元）",
        OutcomeKind.PeopleHandled => "处理人数",
        _ => "召开会议（次）",
    };

    public static string StatusLabel(LeadStatus status) => status switch
    {
        LeadStatus.HandedOver => "已移交",
        LeadStatus.UnderReview => "核查中",
        _ => "已办结",
    };

    /// <param name="id">The inspection.</param>
    /// <param name="allowed">Whether the caller's role keeps this register: a typing error is reported only to those who may keep it (404, then 403, then 400).</param>
    /// <param name="findings">The finding numbers as typed.</param>
    /// <param name="keep">The service call.</param>
    /// <param name="cancellationToken">The request's.</param>
    private async Task<IActionResult> KeepAsync(int id, bool allowed, string? findings, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        var (numbers, parseError) = RegisterService.ParseNumbers(findings);
        var result = numbers is not null
            ? await keep(numbers)
            : await registers.RefusalAsync(AccessScope.From(User), id, allowed, cancellationToken) ?? new WorkflowResult(WorkflowOutcome.BadRequest, parseError);
        if (result.Outcome == WorkflowOutcome.NotFound)
        {
            return NotFound();
        }

        Response.StatusCode = result.StatusCode;
        (Message, Error) = (result.Notice, result.Problem);

        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(int id, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        Inspection = await LedgerQueries.HeadAsync(db, scope, id, cancellationToken);
        var view = Inspection is null ? null : await registers.ReadAsync(scope, id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        Institutions = view.Institutions.Select(i => new Row(i.Id, i.Name, $"{i.Issuer} · {i.DocumentNumber ?? "—"} · {i.IssuedOn:yyyy-MM-dd}", i.Findings)).ToList();
        Outcomes = view.Outcomes.Select(o => new Row(o.Id, $"{KindLabel(o.Kind)} {o.Amount.ToString("0.##", CultureInfo.InvariantCulture)}", o.Note ?? string.Empty, o.Findings)).ToList();
        Leads = view.Leads?.Select(l => new Row(l.Id, l.Summary, $"{StatusLabel(l.Status)}{(l.Disposition is null ? string.Empty : " · " + l.Disposition)}", l.Findings)).ToList() ?? [];
        return Page();
    }
}
