using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Reports;

/// <summary>A 配合情况 as the measure page and the API show it; its file is downloaded at /support-reports/{id}/attachment.</summary>
public sealed record SupportReportView(int Id, int MeasureId, int OrganizationId, string Unit, string Narrative, string SubmittedByName, DateTime SubmittedAtUtc, string? AttachmentName)
{
    /// <summary>When its unit took it back (撤回); null while it stands.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? WithdrawnAtUtc { get; init; }

    /// <summary>Who took it back.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? WithdrawnByName { get; init; }
}

/// <summary>A supporting unit of the measure the caller may hand 配合情况 for: its id and name.</summary>
public sealed record SupportingUnitChoice(int Id, string Name);

/// <summary>
/// 配合情况: a supporting unit's reporter hands the lead unit what the unit did for a measure (text, one optional file);
/// the lead unit's reporters are told, everyone who sees the measure reads it. Scoped (404), permitted (403, the
/// permission table's <see cref="Permission.ReportSupport"/>), one transaction with its audit record. Page and API call
/// the same methods.
/// </summary>
public sealed class SupportReportService(RectifyDbContext db, Caller caller, AttachmentIntake attachments, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    /// <summary>The measure's 配合情况, newest first (the caller has been shown the measure), at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<SupportReportView>> ListAsync(int measureId, CancellationToken cancellationToken, int take = 200) =>
        await (from r in db.SupportReports.AsNoTracking()
               where r.MeasureId == measureId
               join o in db.Organizations on r.OrganizationId equals o.Id
               orderby r.SubmittedAtUtc descending, r.Id descending
               select new SupportReportView(r.Id, r.MeasureId, r.OrganizationId, o.Name, r.Narrative, r.SubmittedByName, r.SubmittedAtUtc, r.AttachmentName)
               {
                   WithdrawnAtUtc = r.WithdrawnAtUtc,
                   WithdrawnByName = r.WithdrawnByName,
               })
            .Take(take).ToListAsync(cancellationToken);

    /// <summary>The measure's supporting units the caller hands 配合情况 for (their own unit, or one under it): none for anyone else.</summary>
    public async Task<IReadOnlyList<SupportingUnitChoice>> ChoicesAsync(int measureId, CancellationToken cancellationToken)
    {
        if (!caller.HoldsRoleFor(Permission.ReportSupport))
        {
            return [];
        }

        var ours = Permissions.UnitsOfCaller(db.Organizations, caller.Scope).Select(o => o.Id);
        return await db.MeasureSupportingUnits.AsNoTracking()
            .Where(s => s.MeasureId == measureId && ours.Contains(s.OrganizationId))
            .OrderBy(s => s.Organization.Name).Select(s => new SupportingUnitChoice(s.OrganizationId, s.Organization.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Hands in the 配合情况 of a supporting unit of the caller's (<paramref name="organizationId"/>, which may be left out
    /// when the caller speaks for only one of the measure's supporting units).
    /// </summary>
    public async Task<WorkflowResult> FileAsync(int measureId, int? organizationId, string? narrative, IncomingFile? file, CancellationToken cancellationToken)
    {
        var facts = await db.VisibleMeasures(caller.Scope).Where(m => m.Id == measureId)
            .Select(m => new
            {
                m.State,
                m.WithdrawnAtUtc,
                m.Inspection.PlanState,
                LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path,
                Supporting = m.SupportingUnits.Select(s => new { s.OrganizationId, s.Organization.Path, s.Organization.Name }).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (facts is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ReportSupport, new MeasureParties(facts.LeadUnitPath, SupportingUnitPaths: [.. facts.Supporting.Select(s => s.Path)]));
        BusinessRules.Check(new AMeasureActsUnderAPlanInForce(facts.PlanState));
        var mine = facts.Supporting.Where(s => Permissions.UnitIsCallers(caller.Scope, s.Path)).ToList();
        BusinessRules.Check(new AUnitIsChosen(organizationId is null && mine.Count > 1));
        var unit = organizationId is { } id ? mine.SingleOrDefault(s => s.OrganizationId == id) : mine.FirstOrDefault();
        SupportReport.CheckFiling(facts.State, facts.WithdrawnAtUtc, unit is not null, narrative);

        var staged = await attachments.StageAsync(file, "Measure", AttachmentIntake.Id(measureId), cancellationToken, "配合情况附件");
        var placed = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await TransactionLocks.HoldAsync(db, TransactionLocks.Kind.SupportReports, measureId, cancellationToken);
            await TransactionLocks.HoldMeasureAsync(db, measureId, cancellationToken);
            var row = staged is null ? null : await AttachmentIntake.RowAsync(db, staged, clock.GetUtcNow().UtcDateTime, cancellationToken);
            var measure = await db.Measures.SingleAsync(m => m.Id == measureId, cancellationToken);
            var report = SupportReport.File(measure, unit!.OrganizationId, unitSupportsIt: true, narrative, caller.Actor, clock);
            var last = await db.SupportReports.Where(r => r.MeasureId == measureId && r.OrganizationId == unit.OrganizationId && r.WithdrawnAtUtc == null)
                .OrderByDescending(r => r.Id).Select(r => new { Report = r, Sha256 = r.AttachmentFile == null ? null : r.AttachmentFile.Sha256 }).FirstOrDefaultAsync(cancellationToken);
            BusinessRules.Check(new ASupportReportIsNotHandedInTwice(last?.Report, report, last?.Sha256, staged?.Sha256));
            if (row is not null)
            {
                report.Attach(row, staged!.OriginalName);
            }

            db.SupportReports.Add(report);
            await db.SaveOrRefuseAsync("这条措施刚刚已被他人处理，请刷新页面后再报送。", cancellationToken);
            await handOffs.SupportReportedAsync(measureId, unit.Name, cancellationToken);
            placed = attachments.Place(staged);
            await audit.RecordAsync(
                new AuditEvent(AuditActions.SupportReported, ObjectType: "SupportReport", ObjectId: report.Id.ToString(CultureInfo.InvariantCulture),
                    After: new { report.MeasureId, report.OrganizationId, Unit = unit.Name, File = AttachmentIntake.Described(staged) }),
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return WorkflowResult.Done($"已报送{unit.Name}的配合情况，牵头单位的联络员会收到通知。", report.Id);
        }
        catch
        {
            attachments.Undo(staged, placed);
            throw;
        }
    }

    /// <summary>
    /// Takes back (撤回) a 配合情况 of a supporting unit of the caller's, while the measure is under way: it stays on the
    /// measure as taken back, no longer counts as the unit's part, and the lead unit's reporters are told. Scoped (404),
    /// permitted as filing is (403: only the unit it speaks for, or one above it), one transaction with its audit record.
    /// </summary>
    public async Task<WorkflowResult> WithdrawAsync(int id, CancellationToken cancellationToken, int? measureId = null)
    {
        // A 配合情况 on a withdrawn (撤销) measure is still seen (listed, its file downloaded): refused (409), not hidden.
        var visible = db.VisibleMeasuresIncludingWithdrawn(caller.Scope);
        var report = await db.SupportReports.SingleOrDefaultAsync(r => r.Id == id && (measureId == null || r.MeasureId == measureId) && visible.Any(m => m.Id == r.MeasureId), cancellationToken);
        if (report is null)
        {
            return WorkflowResult.NotFound;
        }

        // The measure's facts are read inside the transaction with its row held (on SQLite the transaction begins
        // IMMEDIATE; on PostgreSQL a shared row lock), so a step of the measure's own cannot slip in between; two
        // take-backs at once: the row's WithdrawnAtUtc is its concurrency token, so the second finds it taken back and is
        // refused (409).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TransactionLocks.HoldMeasureAsync(db, report.MeasureId, cancellationToken);
        var facts = await db.Measures.Where(m => m.Id == report.MeasureId)
            .Select(m => new
            {
                m.State,
                m.WithdrawnAtUtc,
                LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path,
                StillSupports = m.SupportingUnits.Any(s => s.OrganizationId == report.OrganizationId),
            })
            .SingleAsync(cancellationToken);
        var unit = await db.Organizations.Where(o => o.Id == report.OrganizationId).Select(o => new { o.Name, o.Path }).SingleAsync(cancellationToken);

        // As it was handed in: by a reporter of that unit (or one above it), while the unit supports the measure — the
        // page offers the button on the same terms (its choices are the measure's supporting units of the caller's).
        BusinessRules.Check(new ASupportReportIsTakenBackByItsUnit(
            facts.StillSupports && caller.May(Permission.ReportSupport, new MeasureParties(facts.LeadUnitPath, SupportingUnitPaths: [unit.Path]))));
        report.Withdraw(facts.State, facts.WithdrawnAtUtc, caller.Actor, clock);
        await db.SaveOrRefuseAsync("这份配合情况刚刚已被撤回，请刷新页面。", cancellationToken);
        await handOffs.SupportWithdrawnAsync(report.MeasureId, unit.Name, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.SupportWithdrawn, ObjectType: "SupportReport", ObjectId: id.ToString(CultureInfo.InvariantCulture),
                After: new { report.MeasureId, report.OrganizationId, Unit = unit.Name }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已撤回{unit.Name}的配合情况，不再计为已报送；牵头单位的联络员会收到通知。如需更正，请修改后重新报送。");
    }

    /// <summary>The 配合情况's file, when the caller may see its measure; the download is audited, the file checked against its record.</summary>
    public async Task<OpenedFile?> OpenAttachmentAsync(int id, CancellationToken cancellationToken)
    {
        var visible = db.VisibleMeasuresIncludingWithdrawn(caller.Scope);
        var file = await db.SupportReports.AsNoTracking()
            .Where(r => r.Id == id && r.AttachmentFile != null && visible.Any(m => m.Id == r.MeasureId))
            .Select(r => new { r.AttachmentName, r.AttachmentFile!.Sha256, r.AttachmentFile.Type, r.EvidenceFileId, r.SubmittedAtUtc, r.MeasureId })
            .SingleOrDefaultAsync(cancellationToken);
        if (file is null)
        {
            return null;
        }

        return await attachments.OpenAsync(
            new AttachedFile(file.EvidenceFileId, file.Sha256, file.Type, file.AttachmentName ?? "附件", file.SubmittedAtUtc), "配合情况附件", "Measure", AttachmentIntake.Id(file.MeasureId),
            found => new { SupportReportId = id, file.AttachmentName, Expected = file.Sha256, Found = found },
            new { SupportReportId = id, file.AttachmentName, file.Sha256 },
            cancellationToken);
    }

    /// <summary>One who speaks for several of the measure's supporting units says for which.</summary>
    private sealed class AUnitIsChosen(bool unchosen) : IBusinessRule
    {
        public bool IsBroken() => unchosen;

        public string Message => "您所在单位下有这条措施的多个配合单位，请选择以哪个单位报送。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
