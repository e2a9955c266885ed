using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Measures;

namespace Rectify.Evidence;

/// <summary>A file as it arrives: its name and a way to read it (a form file, or a test's bytes).</summary>
public sealed record IncomingFile(string FileName, Func<Stream> Open);

/// <summary>Filing, reviewing and downloading progress reports and their evidence, all scoped, audited and transactional.</summary>
public sealed class ProgressReportService(RectifyDbContext db, EvidenceStore store, AuditLog audit, IOptions<EvidenceOptions> options, TimeProvider clock)
{
    public async Task<WorkflowResult> FileAsync(
        AccessScope scope, Actor actor, int measureId, string? narrative, int percent, DateOnly? effectiveDate, IReadOnlyList<IncomingFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(files);
        var measure = await db.VisibleMeasures(scope).Where(m => m.Id == measureId)
            .Select(m => new { m.Id, m.State, LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path }).SingleOrDefaultAsync(cancellationToken);
        if (measure is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.UnitReporter) || !MeasureWorkflow.LeadUnitIsCallers(scope, measure.LeadUnitPath))
        {
            return new(WorkflowOutcome.Forbidden, "只有牵头单位的联络员可以报送这条措施的进展。");
        }

        if (measure.State is not (MeasureState.InProgress or MeasureState.Ongoing))
        {
            return new(WorkflowOutcome.Conflict, $"措施当前状态为“{Terms.Of(measure.State)}”，不能报送进展（整改中或长期坚持的措施才能报送）。");
        }

        if (string.IsNullOrWhiteSpace(narrative) || percent is < 0 or > 100 || effectiveDate is null)
        {
            return new(WorkflowOutcome.BadRequest, "请填写进展情况、完成百分比（0–100）和生效日期。");
        }

        var limits = options.Value;
        if (files.Count > limits.MaxFilesPerReport)
        {
            return new(WorkflowOutcome.BadRequest, $"一次最多上传 {limits.MaxFilesPerReport} 个佐证材料文件。");
        }

        // Every file is checked before anything is written; one bad file refuses the whole report.
        var staged = new List<StagedFile>();
        try
        {
            foreach (var file in files)
            {
                await using var stream = file.Open();
                staged.Add(await store.StageAsync(stream, Path.GetFileName(file.FileName), limits.MaxFileBytes, cancellationToken, limits.RecordsSm3));
            }
        }
        catch (EvidenceRejectedException e)
        {
            EvidenceStore.Discard(staged);
            return new(WorkflowOutcome.BadRequest, e.Message);
        }
        catch
        {
            EvidenceStore.Discard(staged);
            throw;
        }

        var placed = new List<string>();
        try
        {
            try
            {
                return await SaveAsync(actor, measureId, narrative, percent, effectiveDate.Value, staged, placed, cancellationToken);
            }
            catch (DbUpdateException e) when (placed.Count == 0 && DatabaseProvider.IsUniqueViolation(e))
            {
                // Another request stored the same new file (or took the next report number) a moment ago: once more, now finding its row.
                db.ChangeTracker.Clear();
                return await SaveAsync(actor, measureId, narrative, percent, effectiveDate.Value, staged, placed, cancellationToken);
            }
        }
        catch
        {
            // No file without its row: whatever this request put in place goes again, and what it staged too.
            foreach (var sha in placed)
            {
                store.Remove(sha);
            }

            EvidenceStore.Discard(staged.Where(s => File.Exists(s.TempPath)));
            throw;
        }
    }

    /// <summary>The report, its evidence rows, the files put in place and the audit record, in one transaction.</summary>
    private async Task<WorkflowResult> SaveAsync(Actor actor, int measureId, string narrative, int percent, DateOnly effectiveDate, List<StagedFile> staged, List<string> placed, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = await db.ProgressReports.Where(r => r.MeasureId == measureId).OrderByDescending(r => r.Number).Select(r => new { r.Id, r.Number, r.State }).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var report = new ProgressReport
        {
            MeasureId = measureId,
            Number = (previous?.Number ?? 0) + 1,
            RevisionOfId = previous is { State: ProgressReportState.Returned } ? previous.Id : null,
            Narrative = narrative.Trim(),
            PercentComplete = percent,
            EffectiveDate = effectiveDate,
            State = ProgressReportState.Submitted,
            SubmittedByUserId = actor.UserId,
            SubmittedByName = actor.DisplayName,
            SubmittedAtUtc = now,
        };
        foreach (var file in staged.DistinctBy(f => f.Sha256))
        {
            var evidence = await db.EvidenceFiles.SingleOrDefaultAsync(e => e.Sha256 == file.Sha256, cancellationToken)
                ?? db.EvidenceFiles.Local.SingleOrDefault(e => e.Sha256 == file.Sha256)
                ?? db.EvidenceFiles.Add(new EvidenceFile { Sha256 = file.Sha256, Sm3 = file.Sm3, Length = file.Length, Type = file.Type, StoredAtUtc = now }).Entity;
            evidence.Sm3 ??= file.Sm3;
            report.Evidence.Add(new ProgressReportEvidence { EvidenceFile = evidence, OriginalName = file.OriginalName, UploadedByUserId = actor.UserId });
        }

        db.ProgressReports.Add(report);
        await db.SaveChangesAsync(cancellationToken);

        // A filed report settles a 长期坚持 measure's reporting period (see ReportingCadences).
        await db.Measures.Where(m => m.Id == measureId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReportAtUtc, now), cancellationToken);
        foreach (var file in staged)
        {
            if (store.Place(file))
            {
                placed.Add(file.Sha256);
            }
        }

        await audit.RecordAsync(
            new AuditEvent("report.submit", ObjectType: "ProgressReport", ObjectId: report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                After: new { report.MeasureId, report.Number, report.PercentComplete, Files = staged.Select(f => new { f.OriginalName, f.Sha256, f.Sm3, f.Length }) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, "已报送进展。", report.Id);
    }

    public async Task<WorkflowResult> ReviewAsync(AccessScope scope, Actor actor, int reportId, bool accept, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var visible = db.VisibleMeasures(scope);
        var report = await db.ProgressReports.SingleOrDefaultAsync(r => r.Id == reportId && visible.Any(m => m.Id == r.MeasureId), cancellationToken);
        if (report is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.RectificationOffice))
        {
            return new(WorkflowOutcome.Forbidden, "只有整改办可以审核进展报送。");
        }

        if (report.State != ProgressReportState.Submitted)
        {
            return new(WorkflowOutcome.Conflict, "这份报送已经审核过了。");
        }

        if (report.SubmittedByUserId == actor.UserId)
        {
            return new(WorkflowOutcome.Conflict, "不能审核自己报送的进展。");
        }

        if (!accept && string.IsNullOrWhiteSpace(reason))
        {
            return new(WorkflowOutcome.Conflict, "“退回”必须说明理由。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.ProgressReports.Where(r => r.Id == reportId && r.State == ProgressReportState.Submitted)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.State, accept ? ProgressReportState.Accepted : ProgressReportState.Returned)
                    .SetProperty(r => r.ReviewedByName, actor.DisplayName)
                    .SetProperty(r => r.ReviewedAtUtc, clock.GetUtcNow().UtcDateTime)
                    .SetProperty(r => r.ReturnReason, accept ? null : reason!.Trim()),
                cancellationToken);
        if (changed == 0)
        {
            return new(WorkflowOutcome.Conflict, "这份报送刚刚已被他人审核。");
        }

        if (!accept)
        {
            // A returned report does not count as filed: the measure's last report is the latest one still standing.
            var reports = db.ProgressReports;
            await db.Measures.Where(m => m.Id == report.MeasureId).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.LastReportAtUtc, m => reports.Where(r => r.MeasureId == m.Id && r.State != ProgressReportState.Returned).Max(r => (DateTime?)r.SubmittedAtUtc)),
                cancellationToken);
        }

        await audit.RecordAsync(
            new AuditEvent(accept ? "report.accept" : "report.return", ObjectType: "ProgressReport", ObjectId: reportId.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { Reason = reason }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, accept ? "已采纳这份报送。" : "已退回这份报送。");
    }

    /// <summary>The file, when the caller may see a measure whose report carries it; the download is audited.</summary>
    public async Task<(string Path, string ContentType, string FileName)?> OpenForDownloadAsync(AccessScope scope, int reportId, int evidenceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var visible = db.VisibleMeasures(scope);
        var link = await db.ProgressReportEvidence.AsNoTracking()
            .Where(e => e.ProgressReportId == reportId && e.EvidenceFileId == evidenceId && db.ProgressReports.Any(r => r.Id == reportId && visible.Any(m => m.Id == r.MeasureId)))
            .Select(e => new { e.OriginalName, e.EvidenceFile.Sha256, e.EvidenceFile.Type })
            .SingleOrDefaultAsync(cancellationToken);
        if (link is null)
        {
            return null;
        }

        await audit.RecordAsync(
            new AuditEvent("evidence.download", ObjectType: "EvidenceFile", ObjectId: evidenceId.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { ReportId = reportId, link.OriginalName, link.Sha256 }),
            cancellationToken: cancellationToken);
        return (store.PathOf(link.Sha256), FileTypes.Known[link.Type].ContentType, link.OriginalName);
    }
}
