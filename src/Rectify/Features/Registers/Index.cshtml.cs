using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;

namespace Rectify.Features.Registers;

/// <summary>
/// The registers the notice reports on: 建章立制 and 整改成效 (kept by the office, read by everyone who sees the
/// inspection) and 问题线索 (kept and read by the discipline officer only; nobody else sees that it exists). Whoever
/// may register an entry may correct or withdraw it with a reason; each change is a new version, the earlier ones
/// shown with it. The rules live in <see cref="RegisterService"/>, shared with the API. After a refusal the message
/// stands inside the form it came from, and the form keeps what was typed.
/// </summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, RegisterService registers, IStringLocalizer<SharedResource> l) : PageModel, IShowsRefusals
{
    /// <summary>What was typed into one of the page's forms (each form uses its own fields).</summary>
    public sealed record Typed(
        string? Name = null,
        string? Issuer = null,
        string? DocumentNumber = null,
        DateOnly? IssuedOn = null,
        OutcomeKind? Kind = null,
        decimal? Amount = null,
        string? Note = null,
        string? Summary = null,
        LeadStatus? Status = null,
        string? Disposition = null,
        string? Findings = null,
        string? Reason = null);

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public InspectionSummary? Inspection { get; private set; }

    public RegistersView Registers { get; private set; } = new([], [], null, new RegisterTotals(0, [], null), new WithdrawnEntries([], [], null));

    public bool CanKeep => caller.May(Permission.KeepRegisters);

    public bool SeesLeads => caller.May(Permission.ReadLeads);

    public bool CanKeepLeads => SeesLeads && caller.May(Permission.KeepLeads);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The form a refusal belongs to: "new-institution", "correct-outcome-5", "withdraw-lead-3"…</summary>
    public string? ErrorFor { get; private set; }

    /// <summary>What was typed into that form.</summary>
    public Typed? Kept { get; private set; }

    /// <summary>The forms this page shows the caller, by the same names; a refusal of a form not shown stands at the top.</summary>
    public IReadOnlySet<string> Forms { get; private set; } = new HashSet<string>();

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostInstitutionAsync(string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, string? findings, CancellationToken cancellationToken) =>
        KeepAsync("new-institution", new Typed(Name: name, Issuer: issuer, DocumentNumber: documentNumber, IssuedOn: issuedOn, Findings: findings), Permission.KeepRegisters, findings,
            numbers => registers.AddInstitutionAsync(Id, new NewInstitution(name, issuer, documentNumber, issuedOn, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostOutcomeAsync(OutcomeKind? kind, decimal? amount, string? note, string? findings, CancellationToken cancellationToken) =>
        KeepAsync("new-outcome", new Typed(Kind: kind, Amount: amount, Note: note, Findings: findings), Permission.KeepRegisters, findings,
            numbers => registers.AddOutcomeAsync(Id, new NewOutcome(kind, amount, note, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLeadAsync(string? summary, LeadStatus? status, string? disposition, string? findings, CancellationToken cancellationToken) =>
        KeepAsync("new-lead", new Typed(Summary: summary, Status: status, Disposition: disposition, Findings: findings), Permission.KeepLeads, findings,
            numbers => registers.AddLeadAsync(Id, new NewLead(summary, status, disposition, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCorrectInstitutionAsync(int entryId, int? version, string? reason, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Form("correct", RegisterCards.Institution, entryId), new Typed(Name: name, Issuer: issuer, DocumentNumber: documentNumber, IssuedOn: issuedOn, Findings: findings, Reason: reason), Permission.KeepRegisters, findings,
            numbers => registers.CorrectInstitutionAsync(Id, entryId, new InstitutionCorrection(version, reason, name, issuer, documentNumber, issuedOn, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCorrectOutcomeAsync(int entryId, int? version, string? reason, OutcomeKind? kind, decimal? amount, string? note, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Form("correct", RegisterCards.Outcome, entryId), new Typed(Kind: kind, Amount: amount, Note: note, Findings: findings, Reason: reason), Permission.KeepRegisters, findings,
            numbers => registers.CorrectOutcomeAsync(Id, entryId, new OutcomeCorrection(version, reason, kind, amount, note, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCorrectLeadAsync(int entryId, int? version, string? reason, string? summary, LeadStatus? status, string? disposition, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(Form("correct", RegisterCards.Lead, entryId), new Typed(Summary: summary, Status: status, Disposition: disposition, Findings: findings, Reason: reason), Permission.KeepLeads, findings,
            numbers => registers.CorrectLeadAsync(Id, entryId, new LeadCorrection(version, reason, summary, status, disposition, numbers), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostWithdrawInstitutionAsync(int entryId, int? version, string? reason, CancellationToken cancellationToken) =>
        WithdrawAsync(RegisterKind.Institutions, RegisterCards.Institution, Permission.KeepRegisters, entryId, version, reason, cancellationToken);

    public Task<IActionResult> OnPostWithdrawOutcomeAsync(int entryId, int? version, string? reason, CancellationToken cancellationToken) =>
        WithdrawAsync(RegisterKind.Outcomes, RegisterCards.Outcome, Permission.KeepRegisters, entryId, version, reason, cancellationToken);

    public Task<IActionResult> OnPostWithdrawLeadAsync(int entryId, int? version, string? reason, CancellationToken cancellationToken) =>
        WithdrawAsync(RegisterKind.Leads, RegisterCards.Lead, Permission.KeepLeads, entryId, version, reason, cancellationToken);

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    /// <summary>The name of an entry's correction or withdrawal form.</summary>
    public static string Form(string step, string register, int entryId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{step}-{register}-{entryId}");

    /// <summary>The refusal's message when it belongs to this form, for the form to show inside itself.</summary>
    public string? ErrorIn(string form) => Error is not null && ErrorFor == form ? Error : null;

    /// <summary>What was typed into this form, when it was refused (null otherwise: the form shows its usual values).</summary>
    public Typed? KeptFor(string form) => ErrorIn(form) is null ? null : Kept;

    /// <summary>Whether the refusal is shown at the top: its form is not on the page (a step one may not take, an entry withdrawn meanwhile).</summary>
    public bool ErrorAtTop => Error is not null && (ErrorFor is null || !Forms.Contains(ErrorFor));

    public RegisterCard Card(InstitutionView entry) => RegisterCards.Of(entry, t => l[t]);

    public RegisterCard Card(OutcomeView entry) => RegisterCards.Of(entry, t => l[t]);

    public RegisterCard Card(LeadView entry) => RegisterCards.Of(entry, t => l[t]);

    private Task<IActionResult> WithdrawAsync(RegisterKind register, string name, Permission step, int entryId, int? version, string? reason, CancellationToken cancellationToken) =>
        KeepAsync(Form("withdraw", name, entryId), new Typed(Reason: reason), step, null,
            _ => registers.WithdrawAsync(register, Id, entryId, new Withdrawal(version, reason), cancellationToken), cancellationToken);

    /// <summary>A typing error in the finding numbers is reported only to those who may keep the register (404, then 403, then 400).</summary>
    private async Task<IActionResult> KeepAsync(string form, Typed typed, Permission step, string? findings, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        (ErrorFor, Kept) = (form, typed);
        if (!await registers.CheckMayKeepAsync(Id, step, cancellationToken))
        {
            return NotFound();
        }

        return this.Done(await keep(RegisterService.ParseNumbers(findings)));
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Inspection = await LedgerQueries.HeadAsync(db, caller.Scope, Id, cancellationToken);
        var view = Inspection is null ? null : await registers.ReadAsync(Id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        Registers = view;
        var forms = new HashSet<string>(StringComparer.Ordinal);
        void Entries(string register, IEnumerable<int> ids)
        {
            forms.Add("new-" + register);
            foreach (var id in ids)
            {
                forms.Add(Form("correct", register, id));
                forms.Add(Form("withdraw", register, id));
            }
        }

        if (CanKeep)
        {
            Entries(RegisterCards.Institution, view.Institutions.Select(i => i.Id));
            Entries(RegisterCards.Outcome, view.Outcomes.Select(o => o.Id));
        }

        if (CanKeepLeads)
        {
            Entries(RegisterCards.Lead, (view.Leads ?? []).Select(d => d.Id));
        }

        Forms = forms;
        return Page();
    }
}
