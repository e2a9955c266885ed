using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Reports;

/// <summary>
/// The one file that may come with a step other than a report (an extension request's 附件, a 督办 reply's): taken in
/// as a report's evidence is — the same types, size limit and virus scan, refused in the user's words with nothing
/// kept — then given its row in the step's transaction and put in place only when that transaction commits.
/// </summary>
/// <remarks>
/// Use: <see cref="StageAsync"/> before the transaction; inside it <see cref="RowAsync"/> and, after the save,
/// <see cref="Place"/>; on any failure <see cref="Undo"/>. A file already stored (the same bytes) keeps its row.
/// </remarks>
public sealed class AttachmentIntake(EvidenceStore store, ClamdScanner scanner, AuditLog audit, IOptions<EvidenceOptions> options)
{
    /// <summary>
    /// Stages and scans <paramref name="file"/> (null: nothing to take). An infected file is recorded in the audit trail
    /// against <paramref name="objectType"/> <paramref name="objectId"/> and refused (400); a scanner that cannot answer
    /// refuses the step (503); a file of a type or size not accepted is refused (400).
    /// </summary>
    /// <param name="file">The file as received.</param>
    /// <param name="objectType">What an infected file is recorded against in the audit trail.</param>
    /// <param name="objectId">Its id.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <param name="what">What the file is called in a refusal (附件, 佐证材料).</param>
    public async Task<StagedFile?> StageAsync(IncomingFile? file, string objectType, string objectId, CancellationToken cancellationToken, string what = "附件")
    {
        if (file is null)
        {
            return null;
        }

        StagedFile? staged = null;
        try
        {
            await using (var stream = file.Open())
            {
                staged = await store.StageAsync(stream, EvidenceStore.DisplayName(file.FileName), options.Value.MaxFileBytes, cancellationToken, options.Value.RecordsSm3);
            }

            if (await scanner.ScanAsync(staged.TempPath, cancellationToken) is { } found)
            {
                await audit.RecordAsync(
                    new AuditEvent(AuditActions.EvidenceInfected, Succeeded: false, ObjectType: objectType, ObjectId: objectId,
                        After: new { staged.OriginalName, staged.Sha256, staged.Length, Found = found }),
                    cancellationToken: cancellationToken);
                throw new EvidenceRejectedException($"“{staged.OriginalName}”被病毒扫描判定为恶意文件（{found}），已拒绝。");
            }

            return staged;
        }
        catch (ScannerUnavailableException e)
        {
            Discard(staged);
            throw BusinessRules.Refuse(new TheScannerAnswers(e.Message, what));
        }
        catch (EvidenceRejectedException e)
        {
            Discard(staged);
            throw BusinessRules.Refuse(new TheFileIsRefused(e.Message));
        }
        catch
        {
            Discard(staged);
            throw;
        }
    }

    /// <summary>
    /// The stored file's row: the one already kept for the same bytes, or a new one, saved at once inside the step's
    /// transaction. Called before the step changes anything else (that save would carry it too).
    /// </summary>
    /// <remarks>
    /// Two first uploads of the same new bytes at once (PostgreSQL; SQLite takes one writer at a time) both find no row;
    /// the later insert fails on the digest's unique index when the earlier step commits. EF Core rolls that save back
    /// to its savepoint, the step's transaction goes on, and the later step takes the earlier's row (whose file the
    /// earlier step put in place before it committed) instead of failing.
    /// </remarks>
    public static async Task<EvidenceFile> RowAsync(RectifyDbContext db, StagedFile staged, DateTime atUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(staged);
        if (db.ChangeTracker.HasChanges())
        {
            throw new InvalidOperationException("An attachment's row is saved before the step's own changes.");
        }

        var row = await db.EvidenceFiles.SingleOrDefaultAsync(e => e.Sha256 == staged.Sha256, cancellationToken);
        if (row is null)
        {
            var added = db.EvidenceFiles.Add(new EvidenceFile(staged.Sha256, staged.Sm3, staged.Length, staged.Type, atUtc));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                row = added.Entity;
            }
            catch (DbUpdateException e) when (DatabaseProvider.IsUniqueViolation(e))
            {
                added.State = EntityState.Detached;
                row = await db.EvidenceFiles.SingleOrDefaultAsync(f => f.Sha256 == staged.Sha256, cancellationToken);
                if (row is null)
                {
                    throw;
                }
            }
        }

        row.NoteSm3(staged.Sm3);
        return row;
    }

    /// <summary>Puts the staged file in place after the step's save; true when this request placed it (so <see cref="Undo"/> removes it).</summary>
    public bool Place(StagedFile? staged) => staged is not null && store.Place(staged);

    /// <summary>After a failure: what this request placed goes again, and what it staged too.</summary>
    public void Undo(StagedFile? staged, bool placed)
    {
        if (staged is null)
        {
            return;
        }

        if (placed)
        {
            store.Remove(staged.Sha256);
        }

        Discard(staged);
    }

    /// <summary>
    /// The stored upload <paramref name="file"/>, opened for a download that the caller may make (the caller found it
    /// through what they see): checked against its recorded SHA-256 first, then the download audited with
    /// <paramref name="downloadRecord"/>. One edited, damaged or gone is recorded against <paramref name="objectType"/>
    /// <paramref name="objectId"/> (against a measure, the office's 待办 shows it) with what
    /// <paramref name="integrityRecord"/> makes of the digest found ("missing" when the file is gone), and refused, never
    /// served. Every download of an upload passes here.
    /// </summary>
    /// <param name="file">The file as its step recorded it.</param>
    /// <param name="what">What the file is called in the refusal (佐证材料, 附件).</param>
    /// <param name="objectType">What a failed check is recorded against.</param>
    /// <param name="objectId">Its id.</param>
    /// <param name="integrityRecord">The failed check's audit details, given the digest found.</param>
    /// <param name="downloadRecord">The download's audit details.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<OpenedFile> OpenAsync(AttachedFile file, string what, string objectType, string objectId, Func<string, object> integrityRecord, object downloadRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(integrityRecord);
        var path = store.PathOf(file.Sha256);
        var found = await EvidenceStore.Sha256OfAsync(path, cancellationToken);
        if (found != file.Sha256)
        {
            await audit.RecordAsync(
                new AuditEvent(AuditActions.EvidenceIntegrityFailed, Succeeded: false, ObjectType: objectType, ObjectId: objectId, After: integrityRecord(found ?? "missing")),
                cancellationToken: cancellationToken);
            throw BusinessRules.Refuse(new AStoredFileIsAsRecorded(what, file.Name));
        }

        await audit.RecordAsync(
            new AuditEvent(AuditActions.EvidenceDownloaded, ObjectType: "EvidenceFile", ObjectId: file.FileId?.ToString(CultureInfo.InvariantCulture), After: downloadRecord),
            cancellationToken: cancellationToken);
        return new OpenedFile(path, FileTypes.Known[file.Type].ContentType, file.Name, file.SentAtUtc);
    }

    /// <summary>
    /// An uploaded file as every download serves it: an attachment under its uploaded name (encoded by
    /// <c>filename*</c>), its recorded type, sandboxed so that it runs nothing in the browser, kept in no cache, and with
    /// the step's time (never the stored file's, which would tell when anyone, of any organization, first sent the same
    /// bytes) as its Last-Modified.
    /// </summary>
    public static IResult Serve(HttpContext http, OpenedFile file)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(file);
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(file.Path, file.ContentType, file.FileName, new DateTimeOffset(file.SentAtUtc, TimeSpan.Zero));
    }

    /// <summary>The audit record's words for a file taken with a step.</summary>
    public static object? Described(StagedFile? staged) => staged is null ? null : new { staged.OriginalName, staged.Sha256 };

    private static void Discard(StagedFile? staged)
    {
        if (staged is not null && File.Exists(staged.TempPath))
        {
            EvidenceStore.Discard([staged]);
        }
    }

    /// <summary>The object an infected file is recorded against, in the audit record's form.</summary>
    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class TheFileIsRefused(string message) : Refused(message, Refusal.Invalid);

    /// <summary>A stored file is served only while its SHA-256 is the one recorded when it was uploaded.</summary>
    private sealed class AStoredFileIsAsRecorded(string what, string name) : Refused(
        $"{what}“{name}”的存储文件与上传时记录的 SHA-256 不符（已被改动、损坏或丢失），已拒绝下载。此事已记入审计日志并提示整改办；请联系系统管理员从备份恢复，或由上传单位重新上传。",
        Refusal.Conflict);

    private sealed class TheScannerAnswers(string message, string what) : Refused($"{message} {what}暂时无法上传，请稍后再试或联系系统管理员。", Refusal.Unavailable);
}

/// <summary>A stored upload as the step that took it recorded it: its row's id, digest and type, its name as uploaded, and the step's time.</summary>
public sealed record AttachedFile(int? FileId, string Sha256, EvidenceType Type, string Name, DateTime SentAtUtc);

/// <summary>A stored upload checked and ready to send (<see cref="AttachmentIntake.Serve"/>).</summary>
public sealed record OpenedFile(string Path, string ContentType, string FileName, DateTime SentAtUtc);
