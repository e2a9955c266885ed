using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;
using Rectify.Features.Reports;

namespace Rectify.Features.Deadlines;

/// <summary>An extension request as pages and the API show it.</summary>
public sealed record ExtensionView(
    int Id,
    int MeasureId,
    int Number,
    ExtensionState State,
    DateOnly? CurrentDeadline,
    DateOnly RequestedDeadline,
    string Reason,
    string RequestedByName,
    DateTime RequestedAtUtc,
    string? AttachmentName,
    string? ReviewedByName,
    DateTime? ReviewedAtUtc,
    string? ReviewNote,
    string? DecidedByName,
    DateTime? DecidedAtUtc,
    string? DecisionNote)
{
    /// <summary>Still waiting for the office or the leader (<see cref="DeadlineExtension.IsOpenAt"/>). Not in the API's answer: its state says it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOpen => DeadlineExtension.IsOpenAt(State);
}

/// <summary>
/// 申请延期 through the web: the unit asks (with an optional file, kept in the evidence store as a report's are), the
/// office reviews, the responsible leader decides. Scoped (404), permitted (403, <see cref="Permissions"/>), guarded by
/// the request's rules; each step one transaction with its audit record.
/// </summary>
public sealed class ExtensionService(RectifyDbContext db, Caller caller, AttachmentIntake attachments, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    public static IQueryable<ExtensionView> Views(IQueryable<DeadlineExtension> extensions) => extensions.Select(e => new ExtensionView(
        e.Id, e.MeasureId, e.Number, e.State, e.CurrentDeadline, e.RequestedDeadline, e.Reason, e.RequestedByName, e.RequestedAtUtc,
        e.AttachmentName, e.ReviewedByName, e.ReviewedAtUtc, e.ReviewNote, e.DecidedByName, e.DecidedAtUtc, e.DecisionNote));

    /// <summary>A measure's requests, the latest first, as the caller may see them (none for a measure they cannot see).</summary>
    public Task<List<ExtensionView>> ListAsync(int measureId, CancellationToken cancellationToken)
    {
        var visible = db.VisibleMeasuresIncludingWithdrawn(caller.Scope);
        return Views(db.DeadlineExtensions.AsNoTracking().Where(e => e.MeasureId == measureId && visible.Any(m => m.Id == measureId)).OrderByDescending(e => e.Number))
            .ToListAsync(cancellationToken);
    }

    public async Task<WorkflowResult> RequestAsync(int measureId, DateOnly? requested, string? reason, IncomingFile? file, CancellationToken cancellationToken)
    {
        var parties = await db.VisibleMeasures(caller.Scope).Where(m => m.Id == measureId)
            .Select(m => new { LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path, m.Inspection.PlanState })
            .SingleOrDefaultAsync(cancellationToken);
        if (parties is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.RequestExtension, new MeasureParties(parties.LeadUnitPath));
        BusinessRules.Check(new AMeasureActsUnderAPlanInForce(parties.PlanState));

        // The file is scanned like a report's evidence; an infected one is recorded against the measure.
        var staged = await attachments.StageAsync(file, "Measure", AttachmentIntake.Id(measureId), cancellationToken);
        var placed = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // The request changes no measure row: the row is held while its state is read, against a step of its own.
            await TransactionLocks.HoldMeasureAsync(db, measureId, cancellationToken);
            var row = staged is null ? null : await AttachmentIntake.RowAsync(db, staged, clock.GetUtcNow().UtcDateTime, cancellationToken);
            var measure = await db.Measures.SingleAsync(m => m.Id == measureId, cancellationToken);
            var open = await db.DeadlineExtensions.AnyAsync(e => e.MeasureId == measureId && (e.State == ExtensionState.Requested || e.State == ExtensionState.Forwarded), cancellationToken);
            var number = (await db.DeadlineExtensions.Where(e => e.MeasureId == measureId).MaxAsync(e => (int?)e.Number, cancellationToken) ?? 0) + 1;
            var extension = DeadlineExtension.Request(measure, number, open, requested, reason, ChinaTime.Today(clock), caller.Actor, clock);
            if (row is not null)
            {
                extension.Attach(row, staged!.OriginalName);
            }

            db.DeadlineExtensions.Add(extension);
            await db.SaveOrRefuseAsync("这条措施刚刚已有人申请延期，请刷新页面。", cancellationToken, uniqueIndexDecides: true);
            await handOffs.ExtensionStepAsync(measureId, extension.State, null, cancellationToken);
            placed = attachments.Place(staged);
            await audit.RecordAsync(
                new AuditEvent(AuditActions.ExtensionRequested, ObjectType: "DeadlineExtension", ObjectId: extension.Id.ToString(CultureInfo.InvariantCulture),
                    After: new { extension.MeasureId, extension.Number, extension.CurrentDeadline, extension.RequestedDeadline, extension.Reason, File = AttachmentIntake.Described(staged) }),
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return WorkflowResult.Done($"已申请延期至 {extension.RequestedDeadline:yyyy-MM-dd}，待整改办审核。", extension.Id);
        }
        catch
        {
            attachments.Undo(staged, placed);
            throw;
        }
    }

    /// <summary>The office sends the request on to the leader, or back to the unit with a reason.</summary>
    public async Task<WorkflowResult> ReviewAsync(int extensionId, bool? decision, string? note, CancellationToken cancellationToken)
    {
        var extension = await FindAsync(extensionId, cancellationToken);
        if (extension is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ReviewExtension);
        var forward = Decision.Chosen(decision, "请选择转呈领导审批（forward）或退回（return）。");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        extension.Review(forward, note, caller.Actor, clock);
        await db.SaveOrRefuseAsync("这份延期申请刚刚已被他人处理。", cancellationToken);
        await handOffs.ExtensionStepAsync(extension.MeasureId, extension.State, note, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(forward ? AuditActions.ExtensionForwarded : AuditActions.ExtensionReturned, ObjectType: "DeadlineExtension", ObjectId: extensionId.ToString(CultureInfo.InvariantCulture),
                After: new { extension.MeasureId, extension.State, Note = note }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(forward ? "已转呈责任领导审批。" : "已退回延期申请。");
    }

    /// <summary>The lead unit takes back its request while it waits for the office's review (撤回).</summary>
    public async Task<WorkflowResult> WithdrawAsync(int extensionId, CancellationToken cancellationToken)
    {
        var extension = await FindAsync(extensionId, cancellationToken);
        if (extension is null)
        {
            return WorkflowResult.NotFound;
        }

        var leadUnitPath = await db.Measures.Where(m => m.Id == extension.MeasureId).Select(m => m.LeadUnit == null ? null : m.LeadUnit.Path).SingleAsync(cancellationToken);
        caller.Require(Permission.RequestExtension, new MeasureParties(leadUnitPath));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        extension.Withdraw(caller.Actor, clock);
        await db.SaveOrRefuseAsync("这份延期申请刚刚已被他人处理，请刷新页面。", cancellationToken);
        await handOffs.ExtensionStepAsync(extension.MeasureId, extension.State, null, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.ExtensionWithdrawn, ObjectType: "DeadlineExtension", ObjectId: extensionId.ToString(CultureInfo.InvariantCulture),
                After: new { extension.MeasureId, extension.Number, extension.State }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已撤回第 {extension.Number} 次延期申请。");
    }

    /// <summary>The measure's responsible leader (or the first responsible person) approves — a new version with the revised deadline — or refuses.</summary>
    public async Task<WorkflowResult> DecideAsync(int extensionId, bool? decision, string? note, CancellationToken cancellationToken)
    {
        var extension = await FindAsync(extensionId, cancellationToken);
        if (extension is null)
        {
            return WorkflowResult.NotFound;
        }

        var measure = await db.Measures.Include(m => m.LeadUnit).Include(m => m.ResponsibleLeader).Include(m => m.Revisions)
            .Include(m => m.SupportingUnits).ThenInclude(s => s.Organization)
            .SingleAsync(m => m.Id == extension.MeasureId, cancellationToken);
        caller.Require(Permission.DecideExtension, new MeasureParties(measure.LeadUnit?.Path, measure.ResponsibleLeader?.UserId));
        var approve = Decision.Chosen(decision, "请选择批准（approve）或不予批准（refuse）。");
        var before = new { measure.Deadline, measure.OriginalDeadline, measure.ExtensionCount };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        extension.Decide(measure, approve, note, caller.Actor, clock);
        await db.SaveOrRefuseAsync("这份延期申请或这条措施刚刚已被他人处理，请刷新页面。", cancellationToken);
        await handOffs.ExtensionStepAsync(measure.Id, extension.State, note, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(approve ? AuditActions.ExtensionApproved : AuditActions.ExtensionRefused, ObjectType: "Measure", ObjectId: measure.Id.ToString(CultureInfo.InvariantCulture),
                Before: before, After: new { Extension = extension.Id, measure.Deadline, measure.OriginalDeadline, measure.ExtensionCount, Note = note }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(approve ? $"已批准延期，整改时限改为 {measure.Deadline:yyyy-MM-dd}。" : "已不予批准延期。");
    }

    /// <summary>The attachment, when the caller sees the measure; audited. Its time is the request's, never the stored file's (which another organization may have sent first).</summary>
    public async Task<OpenedFile?> OpenAttachmentAsync(int extensionId, CancellationToken cancellationToken)
    {
        var visible = db.VisibleMeasuresIncludingWithdrawn(caller.Scope);
        var file = await db.DeadlineExtensions.AsNoTracking()
            .Where(e => e.Id == extensionId && e.AttachmentFile != null && visible.Any(m => m.Id == e.MeasureId))
            .Select(e => new { e.AttachmentName, e.AttachmentFile!.Sha256, e.AttachmentFile.Type, e.EvidenceFileId, e.RequestedAtUtc, e.MeasureId })
            .SingleOrDefaultAsync(cancellationToken);
        if (file is null)
        {
            return null;
        }

        // As a report's evidence: the file on disk must still be the one on record, or it is refused and recorded against the measure.
        return await attachments.OpenAsync(
            new AttachedFile(file.EvidenceFileId, file.Sha256, file.Type, file.AttachmentName ?? "附件", file.RequestedAtUtc), "附件", "Measure", AttachmentIntake.Id(file.MeasureId),
            found => new { ExtensionId = extensionId, file.AttachmentName, Expected = file.Sha256, Found = found },
            new { ExtensionId = extensionId, file.AttachmentName, file.Sha256 },
            cancellationToken);
    }

    private Task<DeadlineExtension?> FindAsync(int extensionId, CancellationToken cancellationToken)
    {
        var visible = db.VisibleMeasures(caller.Scope);
        return db.DeadlineExtensions.SingleOrDefaultAsync(e => e.Id == extensionId && visible.Any(m => m.Id == e.MeasureId), cancellationToken);
    }
}
