using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Audit;

/// <summary>The audit trail, for the audit administrator only (others get 404): filters, paging, CSV export. Reading it is itself audited.</summary>
[Authorize(Policy = nameof(Permission.ReadAuditLog))]
public sealed class IndexModel(RectifyDbContext db, AuditLog audit, TimeProvider clock, IStringLocalizer<SharedResource> l, Caller caller, AuditCheckpointWriter checkpoints) : PageModel
{
    private const int PageSize = 100;

    /// <summary>Every event code, for the event filter (shown by name).</summary>
    public static IReadOnlyList<string> Actions => AuditPresentation.Codes;

    public sealed record AuditFilter(string? Action, string? Actor, DateOnly? From, DateOnly? To, bool Failures);

    public AuditFilter Filter { get; private set; } = new(null, null, null, null, false);

    /// <summary>The page of records shown, newest first.</summary>
    public ListPage<AuditRow> Records { get; private set; } = new([], 0, 1, PageSize);

    /// <summary>What was typed as the range's start or end when it could not be read (the export form sends it back as typed).</summary>
    public string? TypedFrom { get; private set; }

    /// <inheritdoc cref="TypedFrom"/>
    public string? TypedTo { get; private set; }

    /// <summary>Why a filter given was set aside (a date that is not one), or null.</summary>
    public string? FilterMessage { get; private set; }

    public async Task OnGetAsync(string? action, string? actor, DateOnly? from, DateOnly? to, bool? failures, int? page, CancellationToken cancellationToken)
    {
        Filter = new AuditFilter(string.IsNullOrWhiteSpace(action) ? null : action, string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(), Usable(from), Usable(to), failures ?? false);
        if (new[] { nameof(from), nameof(to) }.Any(k => ModelState.TryGetValue(k, out var state) && state.Errors.Count > 0) || Filter.From != from || Filter.To != to)
        {
            FilterMessage = l["日期无效，已忽略。"];

            // The export form carries what was typed, so that exporting from here is refused again rather than
            // exporting a wider range than the one asked for.
            (TypedFrom, TypedTo) = (TypedDateBinderProvider.Refused(ModelState, nameof(from)), TypedDateBinderProvider.Refused(ModelState, nameof(to)));
        }
        else if (Filter is { From: { } start, To: { } end } && start > end)
        {
            FilterMessage = l["起始日期晚于截止日期，请检查。"];
        }

        var entries = await Query(Filter).OrderByDescending(e => e.Sequence).ToListPageAsync(Paging.Clamped(page), PageSize, cancellationToken);
        Records = new(await AuditPresentation.DescribeAsync(db, AccessScope.From(User), l, entries.Rows, cancellationToken), entries.Total, entries.Page, entries.PageSize);
        await audit.RecordAsync(new AuditEvent(AuditActions.AuditViewed, After: Filter), cancellationToken: cancellationToken);
    }

    /// <summary>Streams the filtered records as UTF-8 CSV (with BOM, so Excel reads the Chinese), oldest first.</summary>
    public async Task<IActionResult> OnPostExportAsync(string? action, string? actor, DateOnly? from, DateOnly? to, bool? failures, CancellationToken cancellationToken)
    {
        var problem = TypedDateBinderProvider.Unreadable(ModelState)
            ?? (Usable(from) is { } start && Usable(to) is { } end && start > end ? l["起始日期晚于截止日期，请检查。"].Value : null);
        if (problem is not null)
        {
            // Never the whole trail for a range that could not be read, nor an empty file for one reversed: the page again,
            // what is wrong named, nothing exported.
            await OnGetAsync(action, actor, from, to, failures, 1, cancellationToken);
            FilterMessage = l["日期无效，未导出：{0}", problem];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var filter = new AuditFilter(string.IsNullOrWhiteSpace(action) ? null : action, string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(), Usable(from), Usable(to), failures ?? false);
        await audit.RecordAsync(new AuditEvent(AuditActions.AuditExported, After: filter), cancellationToken: cancellationToken);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await writer.WriteLineAsync("序号,时间(北京时间),事件,结果,操作人,操作人编号,角色,单位编号,来源地址,对象类型,对象编号,变更前,变更后,关联编号,算法,校验码");

        // A reader of no rectification content (the audit administrator) gets a business object's texts as 〔业务内容〕.
        var hide = !AccessScope.From(User).ReadsRectification;
        string Shown(AuditEntry e, string? json) => (hide ? AuditContent.ForAdministrators(e, json) : json) ?? string.Empty;
        await foreach (var e in Query(filter).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            string[] cells =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), Fmt.Time(e.AtUtc), e.Action, e.Succeeded ? "成功" : "失败", e.ActorName ?? string.Empty, e.ActorUserId ?? string.Empty,
                e.ActorRoles ?? string.Empty, e.ActorOrganizationId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, e.SourceAddress ?? string.Empty,
                e.ObjectType ?? string.Empty, e.ObjectId ?? string.Empty, Shown(e, e.Before), Shown(e, e.After), e.CorrelationId ?? string.Empty, e.Algorithm, e.Mac,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Csv)));
        }

        return new EmptyResult();
    }

    /// <summary>True when checkpoints go to a file the audit administrator can download here.</summary>
    public bool CheckpointsFileConfigured => checkpoints.FilePath is not null;

    /// <summary>The append-only checkpoints file as it stands (JSON lines), for `rectify audit verify --checkpoints` on another machine. Audited.</summary>
    public async Task<IActionResult> OnGetCheckpointsAsync(CancellationToken cancellationToken)
    {
        caller.Require(Permission.DownloadAuditCheckpoints);
        if (checkpoints.FilePath is not { } path)
        {
            return NotFound();
        }

        if (!System.IO.File.Exists(path))
        {
            // Configured, and the first checkpoint not yet written: an empty file says exactly that.
            await checkpoints.WriteAsync(always: false, cancellationToken);
        }

        await audit.RecordAsync(new AuditEvent(AuditActions.AuditCheckpointsDownloaded, ObjectType: "AuditCheckpoints", ObjectId: AuditCheckpointOptions.FileName), cancellationToken: cancellationToken);
        Response.Headers.CacheControl = "no-store";
        var name = $"audit-checkpoints-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.jsonl";
        return System.IO.File.Exists(path)
            ? PhysicalFile(path, "application/x-ndjson; charset=utf-8", name)
            : File(Array.Empty<byte>(), "application/x-ndjson; charset=utf-8", name);
    }

    public string PageUrl(int page) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/audit", new Dictionary<string, string?>
    {
        ["action"] = Filter.Action,
        ["actor"] = Filter.Actor,
        ["from"] = Filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = Filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["failures"] = Filter.Failures ? "true" : null,
        ["page"] = page.ToString(CultureInfo.InvariantCulture),
    }.Where(kv => kv.Value is not null));

    private IQueryable<AuditEntry> Query(AuditFilter f)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (f.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        // A person by a part of their display name (as recorded), or of their user name, or by their user id.
        if (f.Actor is { } actor)
        {
            var byUserName = db.Users.Where(u => u.UserName != null && u.UserName.Contains(actor)).Select(u => u.Id);
            query = query.Where(e => (e.ActorName != null && e.ActorName.Contains(actor)) || e.ActorUserId == actor || byUserName.Contains(e.ActorUserId!));
        }

        // Dates are Beijing days: [from 00:00, to+1 00:00) in UTC+8.
        if (f.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset;
            query = query.Where(e => e.AtUtc >= start);
        }

        if (f.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset;
            query = query.Where(e => e.AtUtc < end);
        }

        if (f.Failures)
        {
            query = query.Where(e => !e.Succeeded);
        }

        return query;
    }

    /// <summary>A day the filter can use; one at the ends of the calendar (0001-01-01, 9999-12-31) cannot be turned into a Beijing day in UTC, and is set aside.</summary>
    private static DateOnly? Usable(DateOnly? date) => date is { Year: > 1 and < 9999 } ? date : null;

    /// <summary>Quotes a CSV cell, and neutralizes a leading = + - @ so that a spreadsheet never runs it as a formula.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
