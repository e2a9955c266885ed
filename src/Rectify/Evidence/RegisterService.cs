using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Measures;

namespace Rectify.Evidence;

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
public sealed class RegisterService(RectifyDbContext db, AuditLog audit)
{
    public static bool MayKeep(AccessScope scope) => scope?.Roles.Contains(Roles.RectificationOffice) == true;

    public static bool SeesLeads(AccessScope scope) => scope?.Roles.Contains(Roles.DisciplineOfficer) == true;

    /// <summary>Null when the inspection does not exist for the caller.</summary>
    public async Task<RegistersView?> ReadAsync(AccessScope scope, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!await db.VisibleInspections(scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
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
        var leads = SeesLeads(scope)
            ? await db.Leads.AsNoTracking().Where(l => l.InspectionId == inspectionId).OrderBy(l => l.Id)
                .Select(l => new LeadView(l.Id, l.Summary, l.Status, l.Disposition, l.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).OrderBy(n => n).ToList()))
                .ToListAsync(cancellationToken)
            : null;
        return new RegistersView(institutions, outcomes, leads);
    }

    public Task<WorkflowResult> AddInstitutionAsync(AccessScope scope, int inspectionId, NewInstitution entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(scope, inspectionId, MayKeep(scope), entry.Findings, async findingIds =>
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || string.IsNullOrWhiteSpace(entry.Issuer) || entry.IssuedOn is null)
            {
                return new WorkflowResult(WorkflowOutcome.BadRequest, "请填写制度名称、制定单位和印发日期。");
            }

            var row = new Institution { InspectionId = inspectionId, Name = entry.Name.Trim(), Issuer = entry.Issuer.Trim(), DocumentNumber = Clean(entry.DocumentNumber), IssuedOn = entry.IssuedOn.Value };
            row.Findings.AddRange(findingIds.Select(f => new RegisterFinding { FindingId = f }));
            db.Institutions.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent("register.institution", ObjectType: "Institution", ObjectId: Id(row.Id), After: new { row.Name, row.Issuer, row.DocumentNumber, row.IssuedOn }), cancellationToken: cancellationToken);
            return new WorkflowResult(WorkflowOutcome.Done, $"已登记制度“{row.Name}”。", row.Id);
        }, cancellationToken);
    }

    public Task<WorkflowResult> AddOutcomeAsync(AccessScope scope, int inspectionId, NewOutcome entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(scope, inspectionId, MayKeep(scope), entry.Findings, async findingIds =>
        {
            if (entry.Kind is not { } kind || !Enum.IsDefined(kind) || entry.Amount is not { } amount || amount < 0)
            {
                return new WorkflowResult(WorkflowOutcome.BadRequest, "请选择成效类型并填写不小于 0 的数量。");
            }

            var row = new Outcome { InspectionId = inspectionId, Kind = kind, Amount = amount, Note = Clean(entry.Note) };
            row.Findings.AddRange(findingIds.Select(f => new RegisterFinding { FindingId = f }));
            db.Outcomes.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent("register.outcome", ObjectType: "Outcome", ObjectId: Id(row.Id), After: new { row.Kind, row.Amount, row.Note }), cancellationToken: cancellationToken);
            return new WorkflowResult(WorkflowOutcome.Done, "已登记整改成效。", row.Id);
        }, cancellationToken);
    }

    public Task<WorkflowResult> AddLeadAsync(AccessScope scope, int inspectionId, NewLead entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(scope, inspectionId, SeesLeads(scope), entry.Findings, async findingIds =>
        {
            if (string.IsNullOrWhiteSpace(entry.Summary) || entry.Status is not { } status || !Enum.IsDefined(status))
            {
                return new WorkflowResult(WorkflowOutcome.BadRequest, "请填写线索摘要并选择办理状态。");
            }

            var row = new Lead { InspectionId = inspectionId, Summary = entry.Summary.Trim(), Status = status, Disposition = Clean(entry.Disposition) };
            row.Findings.AddRange(findingIds.Select(f => new RegisterFinding { FindingId = f }));
            db.Leads.Add(row);
            await db.SaveChangesAsync(cancellationToken);

            // The audit record names the lead, not its content: the clue itself stays in the restricted register.
            await audit.RecordAsync(new AuditEvent("register.lead", ObjectType: "Lead", ObjectId: Id(row.Id), After: new { row.Status }), cancellationToken: cancellationToken);
            return new WorkflowResult(WorkflowOutcome.Done, "已登记问题线索。", row.Id);
        }, cancellationToken);
    }

    /// <summary>Reads "3, 5、7" as finding numbers; null and an error message when a part is not a number.</summary>
    public static (IReadOnlyList<int>? Numbers, string? Error) ParseNumbers(string? text)
    {
        var numbers = new List<int>();
        foreach (var part in (text ?? string.Empty).Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return (null, $"问题序号“{part}”不是数字。");
            }

            numbers.Add(n);
        }

        return (numbers, null);
    }

    /// <summary>Scope (404), then role (403), then the finding numbers and fields (400); the entry and its audit record in one transaction.</summary>
    private async Task<WorkflowResult> KeepAsync(
        AccessScope scope, int inspectionId, bool allowed, IReadOnlyList<int>? findingNumbers, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(scope, inspectionId, allowed, cancellationToken) is { } refused)
        {
            return refused;
        }

        var numbers = (findingNumbers ?? []).Distinct().ToList();
        var known = await db.Findings.Where(f => f.InspectionId == inspectionId && numbers.Contains(f.Number)).Select(f => new { f.Id, f.Number }).ToListAsync(cancellationToken);
        var unknown = numbers.Except(known.Select(k => k.Number)).ToList();
        if (unknown.Count > 0)
        {
            return new WorkflowResult(WorkflowOutcome.BadRequest, $"本次巡察没有序号为 {string.Join("、", unknown)} 的问题。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await keep(known.Select(k => k.Id).ToList());
        if (result.Outcome == WorkflowOutcome.Done)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            db.ChangeTracker.Clear();
        }

        return result;
    }

    /// <summary>404 outside the caller's scope, then 403 for a role that does not keep this register; null when the caller may go on.</summary>
    public async Task<WorkflowResult?> RefusalAsync(AccessScope scope, int inspectionId, bool allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!await db.VisibleInspections(scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return new WorkflowResult(WorkflowOutcome.NotFound);
        }

        return allowed ? null : new WorkflowResult(WorkflowOutcome.Forbidden, "您的角色不能登记这一项。");
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
