using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.Features.Common;

namespace Rectify.Features.Registers;

/// <summary>
/// The registers the notice reports on: 建章立制 and 整改成效 (kept by the office, read by everyone who sees the
/// inspection) and 问题线索 (kept and read by the discipline officer only; nobody else sees that it exists).
/// The rules live in <see cref="RegisterService"/>, shared with the API.
/// </summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, RegisterService registers) : PageModel, IShowsRefusals
{
    public sealed record Row(int Id, string Text, string Detail, IReadOnlyList<int> Findings);

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public InspectionSummary? Inspection { get; private set; }

    public IReadOnlyList<Row> Institutions { get; private set; } = [];

    public IReadOnlyList<Row> Outcomes { get; private set; } = [];

    public IReadOnlyList<Row> Leads { get; private set; } = [];

    public bool CanKeep => caller.May(Permission.KeepRegisters);

    public bool SeesLeads => caller.May(Permission.ReadLeads);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public Task<IActionResult> OnPostInstitutionAsync(string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Permission.KeepRegisters, findings, numbers => registers.AddInstitutionAsync(Id, new NewInstitution(name, issuer, documentNumber, issuedOn, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostOutcomeAsync(OutcomeKind? kind, decimal? amount, string? note, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Permission.KeepRegisters, findings, numbers => registers.AddOutcomeAsync(Id, new NewOutcome(kind, amount, note, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLeadAsync(string? summary, LeadStatus? status, string? disposition, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Permission.KeepLeads, findings, numbers => registers.AddLeadAsync(Id, new NewLead(summary, status, disposition, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    /// <summary>A typing error in the finding numbers is reported only to those who may keep the register (404, then 403, then 400).</summary>
    private async Task<IActionResult> KeepAsync(Permission step, string? findings, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        if (!await registers.CheckMayKeepAsync(Id, step, cancellationToken))
        {
            return NotFound();
        }

        var result = await keep(RegisterService.ParseNumbers(findings));
        if (!result.Found)
        {
            return NotFound();
        }

        Message = result.Message;
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Inspection = await LedgerQueries.HeadAsync(db, caller.Scope, Id, cancellationToken);
        var view = Inspection is null ? null : await registers.ReadAsync(Id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        Institutions = view.Institutions.Select(i => new Row(i.Id, i.Name, $"{i.Issuer} · {i.DocumentNumber ?? "—"} · {i.IssuedOn:yyyy-MM-dd}", i.Findings)).ToList();
        Outcomes = view.Outcomes.Select(o => new Row(o.Id, $"{Terms.Of(o.Kind)} {o.Amount.ToString("0.##", CultureInfo.InvariantCulture)}", o.Note ?? string.Empty, o.Findings)).ToList();
        Leads = view.Leads?.Select(l => new Row(l.Id, l.Summary, $"{Terms.Of(l.Status)}{(l.Disposition is null ? string.Empty : " · " + l.Disposition)}", l.Findings)).ToList() ?? [];
        return Page();
    }
}
