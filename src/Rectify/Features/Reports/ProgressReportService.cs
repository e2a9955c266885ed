using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Reports;

/// <summary>A file as it arrives: its name and a way to read it (a form file, or a test's bytes).</summary>
public sealed record IncomingFile(string FileName, Func<Stream> Open)
{
    /// <summary>
    /// A form's file part as a file to take in, or null when none was chosen (a browser sends an empty part without a
    /// name then). A part with a name is a file even when empty, so that an empty file is refused in words, not dropped.
    /// </summary>
    public static IncomingFile? Of(IFormFile? part) =>
        part is null || (part.Length == 0 && string.IsNullOrEmpty(part.FileName)) ? null : new IncomingFile(part.FileName, part.OpenReadStream);
}

/// <summary>
/// A unit files a progress report with evidence, the office reviews it, anyone who sees the measure downloads its
/// files: scoped (404), permitted (403, <see cref="Permissions"/>), guarded by the report's rules (409/400), each
/// a transaction with its audit record. Page and API call the same methods.
/// </summary>
public sealed class ProgressReportService(RectifyDbContext db, Caller caller, EvidenceStore store, AttachmentIntake attachments, AuditLog audit, HandOffNotices handOffs, IOptions<EvidenceOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Files a report on the measure: by the lead unit's reporter, or, with <paramref name="onBehalfBasis"/> (代报依据), by
    /// the office for the unit (代报) from what the unit handed in outside the system. Either is reviewed by the office,
    /// never by the person who filed it.
    /// </summary>
    public async Task<WorkflowResult> FileAsync(int measureId, string? narrative, int percent, DateOnly? effectiveDate, IReadOnlyList<IncomingFile> files, CancellationToken cancellationToken, string? onBehalfBasis = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var measure = await db.VisibleMeasures(caller.Scope).Where(m => m.Id == measureId)
            .Select(m => new { m.State, LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path, Started = m.Inspection.OnSiteFrom ?? m.Inspection.FeedbackDate, m.Inspection.PlanState })
            .SingleOrDefaultAsync(cancellationToken);
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        var parties = new MeasureParties(measure.LeadUnitPath);
        if (onBehalfBasis is not null && PlainText.Clean(onBehalfBasis) is null && caller.May(Permission.FileReport, parties))
        {
            // An empty 代报依据 from the lead unit's own reporter (a form or client that always sends the field): its own report.
            onBehalfBasis = null;
        }

        caller.Require(onBehalfBasis is null ? Permission.FileReport : Permission.FileReportOnBehalf, parties);
        BusinessRules.Check(new AMeasureActsUnderAPlanInForce(measure.PlanState));
        ProgressReport.CheckFiling(measure.State, narrative, percent, effectiveDate, measure.Started, ChinaTime.Today(clock));
        if (onBehalfBasis is not null)
        {
            ProgressReport.CheckOnBehalfBasis(onBehalfBasis);
        }

        var limits = options.Value;
        BusinessRules.Check(new AReportCarriesAtMostSoManyFiles(files.Count, limits.MaxFilesPerReport));

        // Every file is checked before anything is written; one bad file refuses the whole report.
        var staged = new List<StagedFile>();
        try
        {
            foreach (var file in files)
            {
                staged.Add((await attachments.StageAsync(file, "Measure", AttachmentIntake.Id(measureId), cancellationToken, "佐证材料"))!);
            }

            await CheckDailyQuotaAsync(staged.Sum(f => f.Length), limits.DailyQuotaMegabytes, cancellationToken);
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
                return await SaveAsync(measureId, narrative, percent, effectiveDate, onBehalfBasis, staged, placed, cancellationToken);
            }
            catch (DbUpdateException e) when (placed.Count == 0 && DatabaseProvider.IsUniqueViolation(e))
            {
                // Another request stored the same new file (or took the next report number) a moment ago: once more, now finding its row.
                db.ChangeTracker.Clear();
                return await SaveAsync(measureId, narrative, percent, effectiveDate, onBehalfBasis, staged, placed, cancellationToken);
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

    /// <summary>Today's evidence of this person (China day, the files attached to their reports) plus this upload stays within the quota.</summary>
    private async Task CheckDailyQuotaAsync(long adding, int quotaMegabytes, CancellationToken cancellationToken)
    {
        if (quotaMegabytes <= 0)
        {
            return;
        }

        var dayStart = new DateTimeOffset(ChinaTime.Today(clock).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        var userId = caller.Actor.UserId;
        var used = await db.ProgressReportEvidence
            .Where(e => e.UploadedByUserId == userId && e.ProgressReport.SubmittedAtUtc >= dayStart)
            .SumAsync(e => (long?)e.EvidenceFile.Length, cancellationToken) ?? 0;
        BusinessRules.Check(new APersonUploadsAtMostSoMuchADay(used, adding, quotaMegabytes));
    }

    /// <summary>The report, its evidence rows, the measure's cadence, the files put in place and the audit record, in one transaction.</summary>
    private async Task<WorkflowResult> SaveAsync(int measureId, string? narrative, int percent, DateOnly? effectiveDate, string? onBehalfBasis, List<StagedFile> staged, List<string> placed, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var measure = await db.Measures.Include(m => m.Inspection).SingleAsync(m => m.Id == measureId, cancellationToken);
        var previous = await db.ProgressReports.Where(r => r.MeasureId == measureId).OrderByDescending(r => r.Number).FirstOrDefaultAsync(cancellationToken);
        var report = ProgressReport.File(measure, previous, narrative, percent, effectiveDate, caller.Actor, clock, onBehalfBasis);
        if (previous is { State: ProgressReportState.Submitted })
        {
            // The same form sent again while the first waits for review: refused, with nothing written.
            var before = await db.ProgressReportEvidence.Where(e => e.ProgressReportId == previous.Id).Select(e => e.EvidenceFile.Sha256).ToListAsync(cancellationToken);
            BusinessRules.Check(new AReportIsNotFiledTwice(previous, report, before.ToHashSet(StringComparer.Ordinal).SetEquals(staged.Select(f => f.Sha256))));
        }
        foreach (var file in staged.DistinctBy(f => f.Sha256))
        {
            var evidence = await db.EvidenceFiles.SingleOrDefaultAsync(e => e.Sha256 == file.Sha256, cancellationToken)
                ?? db.EvidenceFiles.Local.SingleOrDefault(e => e.Sha256 == file.Sha256)
                ?? db.EvidenceFiles.Add(new EvidenceFile(file.Sha256, file.Sm3, file.Length, file.Type, report.SubmittedAtUtc)).Entity;
            evidence.NoteSm3(file.Sm3);
            report.Attach(evidence, file.OriginalName, caller.Actor);
        }

        db.ProgressReports.Add(report);
        await db.SaveOrRefuseAsync("这条措施刚刚已被他人处理，请刷新页面后再操作。", cancellationToken);
        await CountAwaitingReviewAsync(measureId, +1, cancellationToken);
        await handOffs.ReportFiledAsync(measureId, report.OnBehalfBasis is not null, cancellationToken);
        foreach (var file in staged)
        {
            if (store.Place(file))
            {
                placed.Add(file.Sha256);
            }
        }

        await audit.RecordAsync(
            new AuditEvent(AuditActions.ReportSubmitted, ObjectType: "ProgressReport", ObjectId: report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                After: new { report.MeasureId, report.Number, report.PercentComplete, report.OnBehalfBasis, Files = staged.Select(f => new { f.OriginalName, f.Sha256, f.Sm3, f.Length }) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(report.OnBehalfBasis is null ? "已报送进展。" : "已代报进展，须由整改办其他人员审核；牵头单位有联络员账号的，联络员会收到通知。", report.Id);
    }

    /// <summary>
    /// <see cref="Measure.ReportsAwaitingReview"/> moved by <paramref name="by"/> in the database, in the caller's
    /// transaction: an increment the database applies to the row as it stands, so that a report filed while another of
    /// the same measure is being reviewed still counts (two writes of a value read before would lose one). It runs after
    /// the report's own save in the same transaction, so the content version that save moved covers it (kept answers).
    /// </summary>
    private Task<int> CountAwaitingReviewAsync(int measureId, int by, CancellationToken cancellationToken) =>
        db.Measures.Where(m => m.Id == measureId).ExecuteUpdateAsync(s => s.SetProperty(m => m.ReportsAwaitingReview, m => m.ReportsAwaitingReview + by), cancellationToken);

    /// <summary>The office accepts or returns a report; from a measure's page, only a report of that measure (<paramref name="measureId"/>).</summary>
    public async Task<WorkflowResult> ReviewAsync(int reportId, bool? decision, string? reason, CancellationToken cancellationToken, int? measureId = null)
    {
        var visible = db.VisibleMeasures(caller.Scope);
        var report = await db.ProgressReports.SingleOrDefaultAsync(r => r.Id == reportId && (measureId == null || r.MeasureId == measureId) && visible.Any(m => m.Id == r.MeasureId), cancellationToken);
        if (report is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ReviewReport);
        var accept = Decision.Chosen(decision, "请选择采纳（accept）或退回（return，须说明理由）。");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var measure = await db.Measures.SingleAsync(m => m.Id == report.MeasureId, cancellationToken);
        if (accept)
        {
            report.Accept(measure, caller.Actor, clock);
        }
        else
        {
            report.Return(caller.Actor, clock, reason);

            // A returned report does not count as filed: the measure's last report is the latest one still standing.
            measure.NoteReportSetAside(await LatestStandingAsync(report, cancellationToken));
        }

        await db.SaveOrRefuseAsync("这份报送刚刚已被他人审核。", cancellationToken);
        await CountAwaitingReviewAsync(report.MeasureId, -1, cancellationToken);
        await handOffs.ReportReviewedAsync(report.MeasureId, accept, reason, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(accept ? AuditActions.ReportAccepted : AuditActions.ReportReturned, ObjectType: "ProgressReport", ObjectId: reportId.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { Reason = reason }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(accept ? "已采纳这份报送。" : "已退回这份报送。");
    }

    /// <summary>
    /// 撤回: a report waiting for review is taken back — by the lead unit's reporter when the unit filed it, by the office
    /// when it filed it for the unit (代报) — from a measure's page only a report of that measure (<paramref name="measureId"/>).
    /// It no longer waits for review or counts as filed; its text and files stay on record; the office is told.
    /// </summary>
    public async Task<WorkflowResult> WithdrawAsync(int reportId, CancellationToken cancellationToken, int? measureId = null)
    {
        var visible = db.VisibleMeasures(caller.Scope);
        var report = await db.ProgressReports.SingleOrDefaultAsync(r => r.Id == reportId && (measureId == null || r.MeasureId == measureId) && visible.Any(m => m.Id == r.MeasureId), cancellationToken);
        if (report is null)
        {
            return WorkflowResult.NotFound;
        }

        var measure = await db.Measures.Include(m => m.LeadUnit).SingleAsync(m => m.Id == report.MeasureId, cancellationToken);
        caller.Require(report.OnBehalfBasis is null ? Permission.FileReport : Permission.FileReportOnBehalf, new MeasureParties(measure.LeadUnit?.Path));
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(measure.WithdrawnAtUtc));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        report.Withdraw(caller.Actor, clock);
        measure.NoteReportSetAside(await LatestStandingAsync(report, cancellationToken));
        await db.SaveOrRefuseAsync("这份报送刚刚已被审核或撤回，请刷新页面。", cancellationToken);
        await CountAwaitingReviewAsync(report.MeasureId, -1, cancellationToken);
        await handOffs.ReportWithdrawnAsync(report.MeasureId, report.Number, report.OnBehalfBasis is not null, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.ReportWithdrawn, ObjectType: "ProgressReport", ObjectId: reportId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                After: new { report.MeasureId, report.Number, report.State }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已撤回第 {report.Number} 次报送，整改办不再审核它；修改后可重新报送。");
    }

    /// <summary>When the latest of the measure's other reports that still count as filed was filed (none: null).</summary>
    private Task<DateTime?> LatestStandingAsync(ProgressReport setAside, CancellationToken cancellationToken) =>
        db.ProgressReports
            .Where(r => r.MeasureId == setAside.MeasureId && r.Id != setAside.Id && (r.State == ProgressReportState.Submitted || r.State == ProgressReportState.Accepted))
            .MaxAsync(r => (DateTime?)r.SubmittedAtUtc, cancellationToken);

    /// <summary>
    /// The report's <paramref name="number"/>-th file (1, 2, … in the order they are listed: by name), when the caller may see the
    /// report's measure; the download is audited. Files are named by their place in the report, never by the stored
    /// file's id: the store keeps one copy of identical files across organizations, and its id would tell another
    /// organization that a file it holds was uploaded before, and how many files the installation keeps.
    /// </summary>
    public async Task<OpenedFile?> OpenForDownloadAsync(int reportId, int number, CancellationToken cancellationToken)
    {
        if (number < 1)
        {
            return null;
        }

        var visible = db.VisibleMeasures(caller.Scope);
        var link = await db.ProgressReportEvidence.AsNoTracking()
            .Where(e => e.ProgressReportId == reportId && db.ProgressReports.Any(r => r.Id == reportId && visible.Any(m => m.Id == r.MeasureId)))
            .OrderBy(e => e.OriginalName).ThenBy(e => e.EvidenceFileId).Skip(number - 1).Take(1)
            .Select(e => new { e.EvidenceFileId, e.OriginalName, e.EvidenceFile.Sha256, e.EvidenceFile.Type, e.ProgressReport.MeasureId, e.ProgressReport.SubmittedAtUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (link is null)
        {
            return null;
        }

        // The file on disk must still be the file on record: one edited, damaged or gone is refused, recorded against
        // its measure (the office's 待办 shows it) and never served.
        return await attachments.OpenAsync(
            new AttachedFile(link.EvidenceFileId, link.Sha256, link.Type, link.OriginalName, link.SubmittedAtUtc), "佐证材料", "Measure", AttachmentIntake.Id(link.MeasureId),
            found => new { ReportId = reportId, EvidenceId = link.EvidenceFileId, link.OriginalName, Expected = link.Sha256, Found = found },
            new { ReportId = reportId, Number = number, link.OriginalName, link.Sha256 },
            cancellationToken);
    }

    private sealed class AReportCarriesAtMostSoManyFiles(int count, int most) : IBusinessRule
    {
        public bool IsBroken() => count > most;

        public string Message => $"一次最多上传 {most} 个佐证材料文件。";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>One person uploads at most <c>Evidence:DailyQuotaMegabytes</c> of evidence per China day.</summary>
    private sealed class APersonUploadsAtMostSoMuchADay(long used, long adding, int quotaMegabytes) : IBusinessRule
    {
        private const double Megabyte = 1024 * 1024;

        public bool IsBroken() => used + adding > quotaMegabytes * 1024L * 1024L;

        public string Message => string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            "今天已上传佐证材料 {0:0.#} MB，再上传这 {1:0.#} MB 将超过每人每天 {2} MB 的上限，未保存。请明天再上传，或联系系统管理员。",
            used / Megabyte, adding / Megabyte, quotaMegabytes);

        public Refusal Refusal => Refusal.TooLarge;
    }
}
