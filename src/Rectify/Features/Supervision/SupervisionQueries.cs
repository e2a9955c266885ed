using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

// EF Core translates string.StartsWith(string) to a prefix match on the organization path (see AccessQueries).
#pragma warning disable CA1310

namespace Rectify.Features.Supervision;

/// <summary>A step of the ladder as a list shows it.</summary>
public sealed record NoticeRow(int Id, int InspectionId, SupervisionKind Kind, string? DocumentNumber, string Title, string Unit, SupervisionState State, DateOnly? ReplyDue, DateOnly? HeldOn, DateTime CreatedAtUtc, string CreatedByName, int Measures)
{
    /// <summary>The organization that signed and numbered a 督办单 (its office, or the 巡察办 or 巡察组): two issuers' numbers may read alike.</summary>
    public string? Issuer { get; init; }

    public bool ReplyOverdue(DateOnly today) => SupervisionNotice.IsReplyOverdue(Kind, State, ReplyDue, today);
}

/// <summary>A measure a step is about, as the step was written with it (<see cref="SupervisionNoticeMeasure.IssuedNumber"/>).</summary>
public sealed record NoticeMeasure(int MeasureId, int FindingNumber, int Number, string Text, DateOnly? Deadline);

/// <summary>One step of the ladder in full, as its page and the API show it.</summary>
public sealed record NoticeDetail(
    int Id,
    int InspectionId,
    string InspectionTitle,
    SupervisionKind Kind,
    string? DocumentNumber,
    string Title,
    string Content,
    int UnitId,
    string Unit,
    string? Requirement,
    DateOnly? ReplyDue,
    DateOnly? HeldOn,
    string? ByWhom,
    string? People,
    string? Outcome,
    int? LeadId,
    int? OutcomeEntryId,
    SupervisionState State,
    string CreatedByName,
    DateTime CreatedAtUtc,
    string? Reply,
    string? RepliedByName,
    DateTime? RepliedAtUtc,
    string? CloseNote,
    string? ClosedByName,
    DateTime? ClosedAtUtc,
    IReadOnlyList<NoticeMeasure> Measures)
{
    public bool ReplyOverdue(DateOnly today) => SupervisionNotice.IsReplyOverdue(Kind, State, ReplyDue, today);

    /// <summary>The unit's path, for the permission question "is this the caller's unit"; not part of the API's answer.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string UnitPath { get; init; } = string.Empty;

    /// <summary>The organization that issued a 督办单 (its number is theirs); null for the other steps.</summary>
    public string? Issuer { get; init; }

    /// <summary>
    /// The reply's attachment as uploaded (回复附件), null without one; it is downloaded at
    /// <c>/api/v1/supervision/{id}/reply-file</c> (the page: <c>/supervision/{id}/reply-file</c>).
    /// </summary>
    public string? ReplyFileName { get; init; }
}

/// <summary>The ladder's counts for an inspection's overview: open 督办, replies overdue, 约谈 held, 通报 and 问责 recorded.</summary>
public sealed record SupervisionCounts(int OpenDuban, int RepliesOverdue, int AwaitingClose, int TalksHeld, int Circulars, int Accountabilities);

/// <summary>Who sees which step: the whole of an inspection they see whole, and a unit reporter the steps addressed to its unit.</summary>
public static class SupervisionQueries
{
    public static IQueryable<SupervisionNotice> VisibleNotices(this RectifyDbContext db, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.ReadsRectification)
        {
            return db.SupervisionNotices.Where(_ => false);
        }

        var whole = db.Inspections.Where(AccessQueries.SeesWholeInspection(scope));
        if (!scope.IsUnitReporter)
        {
            return db.SupervisionNotices.Where(n => whole.Any(i => i.Id == n.InspectionId));
        }

        var path = scope.OrganizationPath!;
        return db.SupervisionNotices.Where(n => whole.Any(i => i.Id == n.InspectionId)
            || (n.Inspection.PlanState == PlanState.InForce && n.Unit.Path.StartsWith(path)));
    }

    public static Expression<Func<SupervisionNotice, NoticeRow>> AsRow(RectifyDbContext db) => n => new NoticeRow(
        n.Id, n.InspectionId, n.Kind, n.DocumentNumber, n.Title, n.Unit.Name, n.State, n.ReplyDue, n.HeldOn, n.CreatedAtUtc, n.CreatedByName, n.Measures.Count)
    {
        Issuer = db.Organizations.Where(o => o.Id == n.IssuerId).Select(o => o.Name).FirstOrDefault(),
    };

    public static Task<List<NoticeRow>> ListAsync(RectifyDbContext db, IQueryable<SupervisionNotice> notices, int take, CancellationToken cancellationToken) =>
        notices.AsNoTracking().OrderByDescending(n => n.CreatedAtUtc).ThenByDescending(n => n.Id).Take(take).Select(AsRow(db)).ToListAsync(cancellationToken);

    public static async Task<SupervisionCounts> CountsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        var counts = await db.VisibleNotices(scope).AsNoTracking().Where(n => n.InspectionId == inspectionId)
            .GroupBy(n => 1)
            .Select(g => new SupervisionCounts(
                g.Count(n => n.Kind == SupervisionKind.Duban && n.State != SupervisionState.Closed),
                g.Count(n => n.Kind == SupervisionKind.Duban && n.State == SupervisionState.Open && n.ReplyDue != null && n.ReplyDue < today),
                g.Count(n => n.Kind == SupervisionKind.Duban && n.State == SupervisionState.Replied),
                g.Count(n => n.Kind == SupervisionKind.Talk),
                g.Count(n => n.Kind == SupervisionKind.Circular),
                g.Count(n => n.Kind == SupervisionKind.Accountability)))
            .SingleOrDefaultAsync(cancellationToken);
        return counts ?? new SupervisionCounts(0, 0, 0, 0, 0, 0);
    }

    public static async Task<NoticeDetail?> LoadAsync(RectifyDbContext db, AccessScope scope, int id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var measures = db.VisibleMeasuresIncludingWithdrawn(scope);
        return await db.VisibleNotices(scope).AsNoTracking().Where(n => n.Id == id)
            .Select(n => new NoticeDetail(
                n.Id, n.InspectionId, n.Inspection.Title, n.Kind, n.DocumentNumber, n.Title, n.Content, n.UnitId, n.Unit.Name, n.Requirement, n.ReplyDue, n.HeldOn,
                n.ByWhom, n.People, n.Outcome, n.LeadId, n.OutcomeEntryId, n.State, n.CreatedByName, n.CreatedAtUtc, n.Reply, n.RepliedByName, n.RepliedAtUtc,
                n.CloseNote, n.ClosedByName, n.ClosedAtUtc,
                n.Measures.Where(x => measures.Any(m => m.Id == x.MeasureId))
                    .OrderBy(x => x.IssuedFindingNumber ?? x.Measure.Finding.Number).ThenBy(x => x.IssuedNumber ?? x.Measure.Number)
                    .Select(x => x.IssuedNumber != null
                        ? new NoticeMeasure(x.MeasureId, x.IssuedFindingNumber!.Value, x.IssuedNumber.Value, x.IssuedText!, x.IssuedDeadline)
                        : new NoticeMeasure(x.MeasureId, x.Measure.Finding.Number, x.Measure.Number, x.Measure.Text, x.Measure.Deadline)).ToList())
            {
                UnitPath = n.Unit.Path,
                Issuer = db.Organizations.Where(o => o.Id == n.IssuerId).Select(o => o.Name).FirstOrDefault(),
                ReplyFileName = n.ReplyFileName,
            })
            .SingleOrDefaultAsync(cancellationToken);
    }
}
