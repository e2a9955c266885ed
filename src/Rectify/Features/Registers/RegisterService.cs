using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Registers;

/// <summary>
/// A 建章立制 entry as it stands (its current version) with its earlier versions, newest first. <see cref="RecordedByName"/>,
/// <see cref="RecordedAtUtc"/> and <see cref="Reason"/> say who made this version, when and why (the reason of the
/// correction or withdrawal; none for the first). An earlier version is never withdrawn and has no earlier versions of its own.
/// </summary>
public sealed record InstitutionView(
    int Id,
    string Name,
    string Issuer,
    string? DocumentNumber,
    DateOnly IssuedOn,
    IReadOnlyList<int> Findings,
    int Version,
    bool Withdrawn,
    string? RecordedByName,
    DateTime? RecordedAtUtc,
    string? Reason,
    IReadOnlyList<InstitutionView> EarlierVersions);

/// <summary>A 整改成效 entry as it stands, with its earlier versions (each correction keeps the one before).</summary>
public sealed record OutcomeView(
    int Id,
    OutcomeKind Kind,
    decimal Amount,
    string? Note,
    IReadOnlyList<int> Findings,
    int Version,
    bool Withdrawn,
    string? RecordedByName,
    DateTime? RecordedAtUtc,
    string? Reason,
    IReadOnlyList<OutcomeView> EarlierVersions);

/// <summary>A 问题线索 entry as it stands, with its earlier versions (each correction keeps the one before).</summary>
public sealed record LeadView(
    int Id,
    string Summary,
    LeadStatus Status,
    string? Disposition,
    IReadOnlyList<int> Findings,
    int Version,
    bool Withdrawn,
    string? RecordedByName,
    DateTime? RecordedAtUtc,
    string? Reason,
    IReadOnlyList<LeadView> EarlierVersions);

/// <summary>One kind of outcome summed over the entries in force: the amount and how many entries give it.</summary>
public sealed record OutcomeTotal(OutcomeKind Kind, decimal Amount, int Entries);

/// <summary>What the registers add up to, over the entries in force only (withdrawn ones count nowhere); <see cref="Leads"/> is null for everyone but the discipline officer.</summary>
public sealed record RegisterTotals(int Institutions, IReadOnlyList<OutcomeTotal> Outcomes, int? Leads);

/// <summary>The entries withdrawn (撤销), kept for the record and counted nowhere.</summary>
public sealed record WithdrawnEntries(IReadOnlyList<InstitutionView> Institutions, IReadOnlyList<OutcomeView> Outcomes, IReadOnlyList<LeadView>? Leads);

/// <summary>
/// The registers of one inspection (or of one finding) as the caller may see them: the entries in force, what they
/// add up to, and the withdrawn ones apart; <see cref="Leads"/> is null for everyone but the discipline officer.
/// </summary>
public sealed record RegistersView(IReadOnlyList<InstitutionView> Institutions, IReadOnlyList<OutcomeView> Outcomes, IReadOnlyList<LeadView>? Leads, RegisterTotals Totals, WithdrawnEntries Withdrawn);

public sealed record NewInstitution(string? Name, string? Issuer, string? DocumentNumber, DateOnly? IssuedOn, IReadOnlyList<int>? Findings);

public sealed record NewOutcome(OutcomeKind? Kind, decimal? Amount, string? Note, IReadOnlyList<int>? Findings);

public sealed record NewLead(string? Summary, LeadStatus? Status, string? Disposition, IReadOnlyList<int>? Findings);

/// <summary>A correction of a 建章立制 entry: the version it corrects, why, and the new values in full (findings by their numbers).</summary>
public sealed record InstitutionCorrection(int? Version, string? Reason, string? Name, string? Issuer, string? DocumentNumber, DateOnly? IssuedOn, IReadOnlyList<int>? Findings);

/// <summary>A correction of a 整改成效 entry: the version it corrects, why, and the new values in full.</summary>
public sealed record OutcomeCorrection(int? Version, string? Reason, OutcomeKind? Kind, decimal? Amount, string? Note, IReadOnlyList<int>? Findings);

/// <summary>A correction of a 问题线索 entry: the version it corrects, why, and the new values in full.</summary>
public sealed record LeadCorrection(int? Version, string? Reason, string? Summary, LeadStatus? Status, string? Disposition, IReadOnlyList<int>? Findings);

/// <summary>A withdrawal (撤销) of an entry: the version it withdraws, and why.</summary>
public sealed record Withdrawal(int? Version, string? Reason);

/// <summary>The three registers, as the API's addresses name them.</summary>
public enum RegisterKind
{
    Institutions,
    Outcomes,
    Leads,
}

/// <summary>
/// The registers the notice reports on, for the page and the API alike: 建章立制 and 整改成效 kept by the office and
/// read by everyone who sees the inspection as a whole (a unit's reporter: those that answer a finding it sees); 问题线索 kept and read by the discipline officer only (nobody else
/// learns that one exists). Each entry names the findings it answers by their numbers in the inspection. An entry is
/// corrected or withdrawn, with a reason, by whoever may register it; each change is a new version, the earlier ones kept.
/// </summary>
public sealed class RegisterService(RectifyDbContext db, Caller caller, AuditLog audit, TimeProvider clock)
{
    private const string LostRace = "这条登记刚刚已被他人更正或撤销，请刷新页面后再操作。";

    /// <summary>Null when the inspection does not exist for the caller.</summary>
    public async Task<RegistersView?> ReadAsync(int inspectionId, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return null;
        }

        return await LoadAsync(inspectionId, findingId: null, cancellationToken);
    }

    /// <summary>The entries that answer one finding, with their versions; null when the finding does not exist for the caller.</summary>
    public async Task<RegistersView?> ForFindingAsync(int findingId, CancellationToken cancellationToken)
    {
        var inspectionId = await db.VisibleFindings(caller.Scope).Where(f => f.Id == findingId).Select(f => (int?)f.InspectionId).FirstOrDefaultAsync(cancellationToken);
        return inspectionId is { } id ? await LoadAsync(id, findingId, cancellationToken) : null;
    }

    public Task<WorkflowResult> AddInstitutionAsync(int inspectionId, NewInstitution entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return KeepAsync(inspectionId, Permission.KeepRegisters, entry.Findings, async findingIds =>
        {
            var row = new Institution(inspectionId, entry.Name, entry.Issuer, entry.DocumentNumber, entry.IssuedOn, findingIds, caller.Actor, clock);
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
            var row = new RectificationOutcome(inspectionId, entry.Kind, entry.Amount, entry.Note, findingIds, caller.Actor, clock);
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
            var row = new Lead(inspectionId, entry.Summary, entry.Status, entry.Disposition, findingIds, caller.Actor, clock);
            db.Leads.Add(row);
            await db.SaveChangesAsync(cancellationToken);

            // The audit record names the lead, not its content: the clue itself stays in the restricted register.
            await audit.RecordAsync(new AuditEvent(AuditActions.LeadRegistered, ObjectType: "Lead", ObjectId: Id(row.Id), After: new { row.Status }), cancellationToken: cancellationToken);
            return WorkflowResult.Done("已登记问题线索。", row.Id);
        }, cancellationToken);
    }

    /// <summary>Corrects a 建章立制 entry of the inspection: a new version, the one it supersedes kept.</summary>
    public Task<WorkflowResult> CorrectInstitutionAsync(int inspectionId, int entryId, InstitutionCorrection correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return ChangeAsync(db.Institutions, inspectionId, entryId, Permission.KeepRegisters, correction.Findings, (entry, findingIds, numbers) =>
        {
            var (version, before) = (entry.Version, Fields(entry.Facts, numbers));
            entry.Correct(correction.Version, correction.Reason, correction.Name, correction.Issuer, correction.DocumentNumber, correction.IssuedOn, findingIds, caller.Actor, clock);
            return Corrected("Institution", version, before, entry, Fields(entry.Facts, numbers), $"已更正制度“{entry.Name}”，现为第 {entry.Version} 版。");
        }, cancellationToken);
    }

    /// <summary>Corrects a 整改成效 entry of the inspection: a new version, the one it supersedes kept.</summary>
    public Task<WorkflowResult> CorrectOutcomeAsync(int inspectionId, int entryId, OutcomeCorrection correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return ChangeAsync(db.Outcomes, inspectionId, entryId, Permission.KeepRegisters, correction.Findings, (entry, findingIds, numbers) =>
        {
            var (version, before) = (entry.Version, Fields(entry.Facts, numbers));
            entry.Correct(correction.Version, correction.Reason, correction.Kind, correction.Amount, correction.Note, findingIds, caller.Actor, clock);
            return Corrected("Outcome", version, before, entry, Fields(entry.Facts, numbers), $"已更正整改成效，现为第 {entry.Version} 版。");
        }, cancellationToken);
    }

    /// <summary>Corrects a 问题线索 entry of the inspection: a new version, the one it supersedes kept.</summary>
    public Task<WorkflowResult> CorrectLeadAsync(int inspectionId, int entryId, LeadCorrection correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return ChangeAsync(db.Leads, inspectionId, entryId, Permission.KeepLeads, correction.Findings, (entry, findingIds, numbers) =>
        {
            var (version, before) = (entry.Version, Fields(entry.Facts));
            entry.Correct(correction.Version, correction.Reason, correction.Summary, correction.Status, correction.Disposition, findingIds, caller.Actor, clock);
            return Corrected("Lead", version, before, entry, Fields(entry.Facts), $"已更正问题线索，现为第 {entry.Version} 版。");
        }, cancellationToken);
    }

    /// <summary>Withdraws (撤销) an entry of the inspection: kept, marked, counted nowhere.</summary>
    public Task<WorkflowResult> WithdrawAsync(RegisterKind register, int inspectionId, int entryId, Withdrawal withdrawal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        return register switch
        {
            RegisterKind.Institutions => ChangeAsync(db.Institutions, inspectionId, entryId, Permission.KeepRegisters, null, (e, _, _) => Withdraw(e, "Institution", withdrawal), cancellationToken),
            RegisterKind.Outcomes => ChangeAsync(db.Outcomes, inspectionId, entryId, Permission.KeepRegisters, null, (e, _, _) => Withdraw(e, "Outcome", withdrawal), cancellationToken),
            _ => ChangeAsync(db.Leads, inspectionId, entryId, Permission.KeepLeads, null, (e, _, _) => Withdraw(e, "Lead", withdrawal), cancellationToken),
        };
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

    /// <summary>Scope (404), then permission (403), then the finding numbers as typed and the fields (400); the entry and its audit record in one transaction.</summary>
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="step">The register's step (<see cref="Permission.KeepRegisters"/> or <see cref="Permission.KeepLeads"/>).</param>
    /// <param name="findingNumbers">The numbers of the findings the entry answers.</param>
    /// <param name="keep">Makes the entry.</param>
    /// <param name="cancellationToken">The request's.</param>
    private async Task<WorkflowResult> KeepAsync(int inspectionId, Permission step, IReadOnlyList<int>? findingNumbers, Func<IReadOnlyList<int>, Task<WorkflowResult>> keep, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(step);
        var (findingIds, _) = await FindingIdsAsync(inspectionId, findingNumbers, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await keep(findingIds);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Scope (404: the inspection, then — after the permission, 403 — the entry in it), the finding numbers (400), then
    /// the entry's own rules on the version shown (400/409); the new version, the kept one and the audit record in one
    /// transaction. Someone who changed the same entry a moment earlier wins; this one gets 409.
    /// </summary>
    private async Task<WorkflowResult> ChangeAsync<T>(IQueryable<T> entries, int inspectionId, int entryId, Permission step, IReadOnlyList<int>? findingNumbers, Func<T, IReadOnlyList<int>, IReadOnlyDictionary<int, int>, Changed> change, CancellationToken cancellationToken)
        where T : RegisterEntry
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(step);
        var entry = await entries.Include(e => e.Findings).SingleOrDefaultAsync(e => e.Id == entryId && e.InspectionId == inspectionId, cancellationToken);
        if (entry is null)
        {
            return WorkflowResult.NotFound;
        }

        var (findingIds, numbers) = await FindingIdsAsync(inspectionId, findingNumbers, cancellationToken);
        var linked = entry.Findings.ToList();
        var changed = change(entry, findingIds, numbers);

        // A link the correction dropped goes (the domain lets go of it; the row is the caller's to delete).
        db.RemoveRange(linked.Except(entry.Findings));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two changes of one entry at once: the version (the concurrency token) or, on PostgreSQL, the kept version's unique index stops the second.
        await db.SaveOrRefuseAsync(LostRace, cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(
            new AuditEvent(
                entry.Withdrawn ? AuditActions.RegisterEntryWithdrawn : AuditActions.RegisterEntryCorrected,
                ObjectType: changed.ObjectType,
                ObjectId: Id(entry.Id),
                Before: changed.Before,
                After: changed.After),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(changed.Message, entry.Id);
    }

    /// <summary>The ids of the findings with these numbers in the inspection (400 for a number it does not have), and every finding's number by id.</summary>
    private async Task<(IReadOnlyList<int> Ids, IReadOnlyDictionary<int, int> Numbers)> FindingIdsAsync(int inspectionId, IReadOnlyList<int>? findingNumbers, CancellationToken cancellationToken)
    {
        BusinessRules.Check(new AnEntryNamesAtMostSoManyFindings(findingNumbers?.Count ?? 0));
        var numbers = (findingNumbers ?? []).Distinct().ToList();
        var all = await db.Findings.Where(f => f.InspectionId == inspectionId).Select(f => new { f.Id, f.Number }).ToDictionaryAsync(f => f.Id, f => f.Number, cancellationToken);
        var byNumber = all.GroupBy(f => f.Value).ToDictionary(g => g.Key, g => g.Min(f => f.Key));
        BusinessRules.Check(new FindingNumbersExist(numbers.Where(n => !byNumber.ContainsKey(n)).ToList()));
        return (numbers.Select(n => byNumber[n]).ToList(), all);
    }

    private Changed Withdraw(RegisterEntry entry, string objectType, Withdrawal withdrawal)
    {
        var version = entry.Version;
        entry.Withdraw(withdrawal.Version, withdrawal.Reason, caller.Actor, clock);
        var after = new Dictionary<string, object?> { ["version"] = entry.Version, ["withdrawn"] = true };
        if (objectType != "Lead")
        {
            after["reason"] = entry.ChangeReason;
        }

        return new Changed(objectType, new Dictionary<string, object?> { ["version"] = version }, after, $"已撤销这条登记（第 {entry.Version} 版），不再计入合计。");
    }

    /// <summary>
    /// The audit record of a correction: the version, the fields it changed (before and after) and the reason. A lead's
    /// record keeps its content out, reason included: the clue stays in the restricted register (as when it was registered).
    /// </summary>
    private static Changed Corrected(string objectType, int version, Dictionary<string, object?> before, RegisterEntry entry, Dictionary<string, object?> after, string message)
    {
        var old = new Dictionary<string, object?> { ["version"] = version };
        var now = new Dictionary<string, object?> { ["version"] = entry.Version };
        foreach (var (field, value) in after)
        {
            if (System.Text.Json.JsonSerializer.Serialize(before[field]) != System.Text.Json.JsonSerializer.Serialize(value))
            {
                (old[field], now[field]) = (before[field], value);
            }
        }

        if (objectType != "Lead")
        {
            now["reason"] = entry.ChangeReason;
        }

        return new Changed(objectType, old, now, message);
    }

    private async Task<RegistersView> LoadAsync(int inspectionId, int? findingId, CancellationToken cancellationToken)
    {
        IQueryable<TEntry> Of<TEntry>(IQueryable<TEntry> entries)
            where TEntry : RegisterEntry
        {
            entries = entries.AsNoTracking().Where(e => e.InspectionId == inspectionId);
            if (findingId is { } f)
            {
                return entries.Where(e => e.Findings.Any(l => l.FindingId == f));
            }

            // A unit's reporter reads the entries that answer a finding it sees (one with a measure of its unit), not the
            // inspection's every 制度 and 成效 with their notes.
            var visible = db.VisibleFindings(caller.Scope);
            return caller.Scope.ReadsWholeInspection ? entries : entries.Where(e => e.Findings.Any(l => visible.Any(v => v.Id == l.FindingId)));
        }

        var institutions = await Of(db.Institutions).OrderBy(i => i.IssuedOn).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.Name, i.Issuer, i.DocumentNumber, i.IssuedOn, Findings = i.Findings.Select(f => f.FindingId).ToList(), i.Version, i.Withdrawn, i.RecordedByName, i.RecordedAtUtc, i.ChangeReason })
            .ToListAsync(cancellationToken);
        var outcomes = await Of(db.Outcomes).OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.Kind, o.Amount, o.Note, Findings = o.Findings.Select(f => f.FindingId).ToList(), o.Version, o.Withdrawn, o.RecordedByName, o.RecordedAtUtc, o.ChangeReason })
            .ToListAsync(cancellationToken);
        var seesLeads = caller.May(Permission.ReadLeads);
        var leads = seesLeads
            ? await Of(db.Leads).OrderBy(l => l.Id)
                .Select(l => new { l.Id, l.Summary, l.Status, l.Disposition, Findings = l.Findings.Select(f => f.FindingId).ToList(), l.Version, l.Withdrawn, l.RecordedByName, l.RecordedAtUtc, l.ChangeReason })
                .ToListAsync(cancellationToken)
            : [];

        // The earlier versions of every entry shown, and the findings' numbers, in one query each.
        var institutionIds = institutions.Where(i => i.Version > 1).Select(i => i.Id).ToList();
        var outcomeIds = outcomes.Where(o => o.Version > 1).Select(o => o.Id).ToList();
        var leadIds = leads.Where(l => l.Version > 1).Select(l => l.Id).ToList();
        var revisions = institutionIds.Count + outcomeIds.Count + leadIds.Count == 0
            ? []
            : await db.Set<RegisterRevision>().AsNoTracking()
                .Where(r => (r.InstitutionId != null && institutionIds.Contains(r.InstitutionId.Value)) || (r.OutcomeId != null && outcomeIds.Contains(r.OutcomeId.Value)) || (r.LeadId != null && leadIds.Contains(r.LeadId.Value)))
                .OrderByDescending(r => r.Version)
                .ToListAsync(cancellationToken);
        var numbers = await db.Findings.AsNoTracking().Where(f => f.InspectionId == inspectionId).Select(f => new { f.Id, f.Number }).ToDictionaryAsync(f => f.Id, f => f.Number, cancellationToken);
        List<int> Numbers(IEnumerable<int> ids) => [.. ids.Select(id => numbers.GetValueOrDefault(id)).Order()];

        var institutionViews = institutions.Select(i => new InstitutionView(
            i.Id, i.Name, i.Issuer, i.DocumentNumber, i.IssuedOn, Numbers(i.Findings), i.Version, i.Withdrawn, i.RecordedByName, i.RecordedAtUtc, i.ChangeReason,
            [.. revisions.Where(r => r.InstitutionId == i.Id).Select(r => (Revision: r, Facts: RegisterRevision.Read<InstitutionFacts>(r.Values)))
                .Select(r => new InstitutionView(i.Id, r.Facts.Name, r.Facts.Issuer, r.Facts.DocumentNumber, r.Facts.IssuedOn, Numbers(r.Facts.FindingIds), r.Revision.Version, false, r.Revision.RecordedByName, r.Revision.RecordedAtUtc, r.Revision.ChangeReason, []))])).ToList();
        var outcomeViews = outcomes.Select(o => new OutcomeView(
            o.Id, o.Kind, o.Amount, o.Note, Numbers(o.Findings), o.Version, o.Withdrawn, o.RecordedByName, o.RecordedAtUtc, o.ChangeReason,
            [.. revisions.Where(r => r.OutcomeId == o.Id).Select(r => (Revision: r, Facts: RegisterRevision.Read<OutcomeFacts>(r.Values)))
                .Select(r => new OutcomeView(o.Id, r.Facts.Kind, r.Facts.Amount, r.Facts.Note, Numbers(r.Facts.FindingIds), r.Revision.Version, false, r.Revision.RecordedByName, r.Revision.RecordedAtUtc, r.Revision.ChangeReason, []))])).ToList();
        var leadViews = leads.Select(l => new LeadView(
            l.Id, l.Summary, l.Status, l.Disposition, Numbers(l.Findings), l.Version, l.Withdrawn, l.RecordedByName, l.RecordedAtUtc, l.ChangeReason,
            [.. revisions.Where(r => r.LeadId == l.Id).Select(r => (Revision: r, Facts: RegisterRevision.Read<LeadFacts>(r.Values)))
                .Select(r => new LeadView(l.Id, r.Facts.Summary, r.Facts.Status, r.Facts.Disposition, Numbers(r.Facts.FindingIds), r.Revision.Version, false, r.Revision.RecordedByName, r.Revision.RecordedAtUtc, r.Revision.ChangeReason, []))])).ToList();

        var inForce = outcomeViews.Where(o => !o.Withdrawn).ToList();
        var totals = new RegisterTotals(
            institutionViews.Count(i => !i.Withdrawn),
            [.. Enum.GetValues<OutcomeKind>().Select(k => new OutcomeTotal(k, inForce.Where(o => o.Kind == k).Sum(o => o.Amount), inForce.Count(o => o.Kind == k)))],
            seesLeads ? leadViews.Count(l => !l.Withdrawn) : null);
        return new RegistersView(
            [.. institutionViews.Where(i => !i.Withdrawn)],
            inForce,
            seesLeads ? [.. leadViews.Where(l => !l.Withdrawn)] : null,
            totals,
            new WithdrawnEntries([.. institutionViews.Where(i => i.Withdrawn)], [.. outcomeViews.Where(o => o.Withdrawn)], seesLeads ? [.. leadViews.Where(l => l.Withdrawn)] : null));
    }

    /// <summary>A version's values for the audit record (camelCase, as the audit viewer reads them); the findings by their numbers.</summary>
    private static Dictionary<string, object?> Fields(InstitutionFacts f, IReadOnlyDictionary<int, int> numbers) => new()
    {
        ["name"] = f.Name, ["issuer"] = f.Issuer, ["documentNumber"] = f.DocumentNumber, ["issuedOn"] = f.IssuedOn, ["findingNumbers"] = FindingNumbers(f.FindingIds, numbers),
    };

    private static Dictionary<string, object?> Fields(OutcomeFacts f, IReadOnlyDictionary<int, int> numbers) => new()
    {
        ["kind"] = f.Kind, ["amount"] = WithoutTrailingZeros(f.Amount), ["note"] = f.Note, ["findingNumbers"] = FindingNumbers(f.FindingIds, numbers),
    };

    /// <summary>A lead's: its status only (see <see cref="Corrected"/>).</summary>
    private static Dictionary<string, object?> Fields(LeadFacts f) => new() { ["status"] = f.Status };

    /// <summary>12.5 whether the database gave back 12.50 (PostgreSQL's numeric keeps the scale) or 12.5.</summary>
    private static decimal WithoutTrailingZeros(decimal amount) => amount / 1.000000000000000000000000000000000m;

    private static List<int> FindingNumbers(IEnumerable<int> ids, IReadOnlyDictionary<int, int> numbers) => [.. ids.Select(id => numbers.GetValueOrDefault(id)).Order()];

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a change did, for its audit record, and the news for the person.</summary>
    private sealed record Changed(string ObjectType, Dictionary<string, object?> Before, Dictionary<string, object?> After, string Message);

    private sealed class FindingNumbersAreNumbers(string part) : IBusinessRule
    {
        public bool IsBroken() => !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _);

        public string Message => $"问题序号“{part}”不是数字。";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>An entry answers a handful of findings; a list longer than any inspection's is a mistake (or an attack), refused before it is looked up.</summary>
    private sealed class AnEntryNamesAtMostSoManyFindings(int count) : IBusinessRule
    {
        public const int Most = 1000;

        public bool IsBroken() => count > Most;

        public string Message => $"一条登记最多对应 {Most} 个问题（收到 {count} 个）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class FindingNumbersExist(IReadOnlyList<int> unknown) : IBusinessRule
    {
        public bool IsBroken() => unknown.Count > 0;

        public string Message => unknown.Count <= 20
            ? $"本次巡察没有序号为 {string.Join("、", unknown)} 的问题。"
            : $"本次巡察没有序号为 {string.Join("、", unknown.Take(20))} 等 {unknown.Count} 个序号的问题。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
