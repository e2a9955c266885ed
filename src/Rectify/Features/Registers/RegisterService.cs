using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Registers;

public sealed record InstitutionView(int Id, string Name, string Issuer, string? DocumentNumber, DateOnly IssuedOn, IReadOnlyList<int> Findings);

public sealed record OutcomeView(int Id, OutcomeKind Kind, decimal Amount, string? Note, IReadOnlyList<int> Findings);

public sealed record LeadView(int Id, string Summary, LeadStatus Status, string? Disposition, IReadOnlyList<int> Findings);

/// <summary>The registers of one inspection as the caller may see them; <see cref="Leads"/> is null for everyone but the discipline officer.</summary>
public sealed record RegistersView(IReadOnlyList<InstitutionView> Institutions, IReadOnlyList<OutcomeView> Outcomes, IReadOnlyList<LeadView>? Leads);

public sealed record NewInstitution(string? Name, string? Issuer, string? DocumentNumber, DateOnly? IssuedOn, IReadOnlyList<int>? Findings);

public sealed record NewOutcome(OutcomeKind? Kind, decimal? Amount, string? Note, IReadOnlyList<int>? Findings);

public sealed record NewLead(string? Summary, LeadStatus? Status, string? Disposition, IReadOnlyList<int>? Findings);

/// <summary>
/// The registers the notice reports on, for the page and the API alike: 建章立制 and 整改成效 kept by the office and
/// read by everyone who sees the inspection; 问题线索 kept and read by the discipline officer only (nobody else
/// learns that one exists). Each entry names the findings it answers by their numbers in the inspection.
/// </summary>
public sealed class RegisterService(RectifyDbContext db, Caller caller, AuditLog audit)
{
    /// <summary>Null when the inspection does not exist for the caller.</summary>
    public async Task<RegistersView?> ReadAsync(int inspectionId, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return null;
        }

        var numbers = db.Findings.AsNoTracking();
        var institutions = await db.Institutions.AsNoTracking().Where(i => i.InspectionId == inspectionId).OrderBy(i => i.IssuedOn).ThenBy(i => i.Id)
            .Select(i => new InstitutionView(i.Id, i.Name, i.Issuer, i.DocumentNumber, i.IssuedOn, i.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).OrderBy(n => n).ToList()))
            .ToListAsync(cancellationToken);
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.InspectionId == inspectionId).OrderBy(o => o.Id)
            .Select(o => new OutcomeView(o.Id, o.Kind, o.Amount, o.Note, o.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).OrderBy(n => n).ToList()))
            .ToListAsync(cancellationToken);
        var leads = caller.May(Permission.ReadLeads)
            ? await db.Leads.AsNoTracking().Where(l => l.InspectionId == inspectionId).OrderBy(l => l.Id)
                .Select(l => new LeadView(l.Id, l.Summary, l.Status, l.Disposition, l.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).OrderBy(n => n).ToList()))
                .ToListAsync(cancellationToken)
            : null;
        return new RegistersView(institutions, outcomes, leads);
    }

    public Task<WorkflowResult> AddInstitutionAsync(int inspectionId, NewInstitution entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(inspectionId, Permission.KeepRegisters, entry.Findings, async findingIds =>
        {
            var row = new Institution(inspectionId, entry.Name, entry.Issuer, entry.DocumentNumber, entry.IssuedOn, findingIds);
            db.Institutions.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent(AuditActions.InstitutionRegistered, ObjectType: "Institution", ObjectId: Id(row.Id), After: new { row.Name, row.Issuer, row.DocumentNumber, row.IssuedOn }), cancellationToken: cancellationToken);
            return WorkflowResult.Done($"已登记制度“{row.Name}”。", row.Id);
        }, cancellationToken);
    }

    public Task<WorkflowResult> AddOutcomeAsync(int inspectionId, NewOutcome entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(inspectionId, Permission.KeepRegisters, entry.Findings, async findingIds =>
        {
            var row = new RectificationOutcome(inspectionId, entry.Kind, entry.Amount, entry.Note, findingIds);
            db.Outcomes.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent(AuditActions.OutcomeRegistered, ObjectType: "Outcome", ObjectId: Id(row.Id), After: new { row.Kind, row.Amount, row.Note }), cancellationToken: cancellationToken);
            return WorkflowResult.Done("已登记整改成效。", row.Id);
        }, cancellationToken);
    }

    public Task<WorkflowResult> AddLeadAsync(int inspectionId, NewLead entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(inspectionId, Permission.KeepLeads, entry.Findings, async findingIds =>
        {
            var row = new Lead(inspectionId, entry.Summary, entry.Status, entry.Disposition, findingIds);
            db.Leads.Add(row);
            await db.SaveChangesAsync(cancellationToken);

            // The audit record names the lead, not its content: the clue itself stays in the restricted register.
            await audit.RecordAsync(new AuditEvent(AuditActions.LeadRegistered, ObjectType: "Lead", ObjectId: Id(row.Id), After: new { row.Status }), cancellationToken: cancellationToken);
            return WorkflowResult.Done("已登记问题线索。", row.Id);
        }, cancellationToken);
    }

    /// <summary>Reads "3, 5、7" as finding numbers; refuses (400) when a part is not a number.</summary>
    public static IReadOnlyList<int> ParseNumbers(string? text)
    {
        var numbers = new List<int>();
        foreach (var part in (text ?? string.Empty).Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            BusinessRules.Check(new FindingNumbersAreNumbers(part));
            numbers.Add(int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return numbers;
    }

    /// <summary>Scope (404), then permission (403), then the finding numbers as typed and the fields (400); the entry and its audit record in one transaction.</summary>
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="step">The register's step (<see cref="Permission.KeepRegisters"/> or <see cref="Permission.KeepLeads"/>).</param>
    /// <param name="findingNumbers">The numbers of the findings the entry answers, or a function that reads them from what was typed (so that a typing error is reported only to those who may keep the register).</param>
    /// <param name="keep">Makes the entry.</param>
    /// <param name="cancellationToken">The request's.</param>
    private async Task<WorkflowResult> KeepAsync(int inspectionId, Permission step, IReadOnlyList<int>? findingNumbers, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(step);
        var numbers = (findingNumbers ?? []).Distinct().ToList();
        var known = await db.Findings.Where(f => f.InspectionId == inspectionId && numbers.Contains(f.Number)).Select(f => new { f.Id, f.Number }).ToListAsync(cancellationToken);
        BusinessRules.Check(new FindingNumbersExist(numbers.Except(known.Select(k => k.Number)).ToList()));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await keep(known.Select(k => k.Id).ToList());
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>For a page, before it reads what was typed: false when the inspection is not there for the caller (404); refuses (403) when they may not keep this register.</summary>
    public async Task<bool> CheckMayKeepAsync(int inspectionId, Permission step, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return false;
        }

        caller.Require(step);
        return true;
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class FindingNumbersAreNumbers(string part) : IBusinessRule
    {
        public bool IsBroken() => !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _);

        public string Message => $"问题序号“{part}”不是数字。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class FindingNumbersExist(IReadOnlyList<int> unknown) : IBusinessRule
    {
        public bool IsBroken() => unknown.Count > 0;

        public string Message => $"本次巡察没有序号为 {string.Join("、", unknown)} 的问题。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
