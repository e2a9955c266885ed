using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Publications;

/// <summary>办理情况: what the unit an opinion was handed to reported it did, by whom and when.</summary>
public sealed record UnitAnswer(string Text, string ByName, DateTime AtUtc);

/// <summary>
/// One line of the triage inbox. <see cref="Contact"/> is masked unless the reader may read contacts. With the 来信摘要
/// shown above a published reply, the 办理情况 of the unit it was handed to, and what units it was handed to before said
/// (for the office only).
/// </summary>
public sealed record OpinionRow(
    int Id,
    string ReceiptCode,
    DateTime ReceivedAtUtc,
    string Text,
    string? Contact,
    int? AboutFindingNumber,
    string? AboutFindingTitle,
    OpinionState State,
    int? AssignedFindingId,
    int? AssignedUnitId,
    string? Reply,
    bool ReplyIsPublishable,
    string? ReplyApprovedByName,
    string? PublicSummary,
    UnitAnswer? UnitAnswer,
    string? EarlierUnitResponses,
    int Version)
{
    /// <summary>The version of the notice the sender read, whose numbering <see cref="AboutFindingNumber"/> follows (for the office's page; not in the API).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int PublicationId { get; init; }
}

/// <summary>
/// An opinion as the unit it was handed to (交办) reads it: the sender's words and the problem, never the contact or the
/// receipt code, which stay with the office.
/// </summary>
public sealed record AssignedOpinion(
    int Id,
    int InspectionId,
    string InspectionTitle,
    string Unit,
    DateTime ReceivedAtUtc,
    DateTime? AssignedAtUtc,
    string Text,
    int? AboutFindingNumber,
    string? AboutFindingTitle,
    int? AssignedFindingNumber,
    string? AssignedFindingTitle,
    OpinionState State,
    UnitAnswer? UnitAnswer,
    int Version)
{
    /// <summary>Still waits for the unit's 办理情况 (open, and not answered yet).</summary>
    public bool AwaitsUnit => State != OpinionState.Closed && UnitAnswer is null;
}

public sealed record OpinionCounts(int Total, int Open, int Replied, int Closed, int RepliesAwaitingApproval);

/// <summary>The office's triage of public opinions: assign to a finding or unit, reply (publishable or not), close; the first responsible person approves a publishable reply.</summary>
public sealed class OpinionService(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    public const int PageSize = 50;
    private const string LostRace = "这条意见建议刚刚已被他人处理，请刷新页面后再操作。";

    /// <summary>The hand-off notice of the step being taken, written after its save and before its commit.</summary>
    private Func<CancellationToken, Task>? afterSave;

    public bool MayTriage => caller.May(Permission.TriageOpinions);

    public bool MayReadContacts => caller.May(Permission.ReadOpinionContacts);

    public bool MayApproveReplies => caller.May(Permission.ApprovePublication);

    /// <summary>Whether the caller sees the inbox at all (it triages, or approves replies).</summary>
    public bool MaySeeInbox => MaySeeInboxFor(caller);

    /// <summary>Whether <paramref name="who"/> may open an inspection's inbox of opinions (triage them, or approve replies).</summary>
    public static bool MaySeeInboxFor(Caller who)
    {
        ArgumentNullException.ThrowIfNull(who);
        return who.May(Permission.TriageOpinions) || who.May(Permission.ApprovePublication);
    }

    public static async Task<OpinionCounts> CountAsync(RectifyDbContext db, int inspectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var byState = await db.PublicOpinions.Where(o => o.InspectionId == inspectionId).GroupBy(o => o.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var waiting = await db.PublicOpinions.CountAsync(o => o.InspectionId == inspectionId && o.ReplyIsPublishable && o.Reply != null && o.ReplyApprovedByName == null, cancellationToken);
        int Of(params OpinionState[] states) => byState.Where(s => states.Contains(s.Key)).Sum(s => s.Count);
        return new OpinionCounts(Of(OpinionState.Received, OpinionState.Assigned, OpinionState.Replied, OpinionState.Closed), Of(OpinionState.Received, OpinionState.Assigned), Of(OpinionState.Replied), Of(OpinionState.Closed), waiting);
    }

    /// <summary>A page of the inbox, newest first; null when the caller does not see the inspection or the inbox.</summary>
    public async Task<ListPage<OpinionRow>?> InboxAsync(int inspectionId, OpinionState? state, int page, CancellationToken cancellationToken, int? only = null)
    {
        if (await InboxOfAsync(inspectionId, state, only, cancellationToken) is not { } inbox)
        {
            return null;
        }

        var shown = await inbox.ToListPageAsync(page, PageSize, AsRows, cancellationToken);
        return MayReadContacts ? shown : shown.Select(Masked);
    }

    /// <summary>
    /// The inbox as the API answers it: the page asked for (empty past the end), newest first; null when the caller does
    /// not see the inspection or the inbox. Contacts masked as on the page.
    /// </summary>
    public async Task<PagedResult<OpinionRow>?> InboxPageAsync(int inspectionId, OpinionState? state, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (await InboxOfAsync(inspectionId, state, null, cancellationToken) is not { } inbox)
        {
            return null;
        }

        var shown = await inbox.ToPagedResultAsync(page, pageSize, AsRows, cancellationToken);
        return MayReadContacts ? shown : shown with { Items = [.. shown.Items.Select(Masked)] };
    }

    /// <summary>An inspection's opinions, newest first, of one state or all, or one of them; null when the caller may not see them.</summary>
    private async Task<IOrderedQueryable<PublicOpinion>?> InboxOfAsync(int inspectionId, OpinionState? state, int? only, CancellationToken cancellationToken)
    {
        if (!MaySeeInbox || !await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return null;
        }

        var query = db.PublicOpinions.AsNoTracking().Where(o => o.InspectionId == inspectionId);
        if (only is { } one)
        {
            query = query.Where(o => o.Id == one);
        }

        if (state is { } s)
        {
            query = query.Where(o => o.State == s);
        }

        return query.OrderByDescending(o => o.ReceivedAtUtc).ThenByDescending(o => o.Id);
    }

    private static IQueryable<OpinionRow> AsRows(IQueryable<PublicOpinion> opinions) => opinions
        .Select(o => new OpinionRow(o.Id, o.ReceiptCode, o.ReceivedAtUtc, o.Text, o.Contact, o.AboutFindingNumber, o.AboutFindingTitle, o.State, o.AssignedFindingId, o.AssignedUnitId, o.Reply, o.ReplyIsPublishable, o.ReplyApprovedByName,
            o.PublicSummary, o.UnitResponse == null ? null : new UnitAnswer(o.UnitResponse, o.UnitRespondedByName!, o.UnitRespondedAtUtc!.Value), o.EarlierUnitResponses, o.Version)
        { PublicationId = o.PublicationId });

    private static OpinionRow Masked(OpinionRow row) => row with { Contact = Mask(row.Contact) };

    /// <summary>
    /// The opinions handed to the caller's unit or a unit under it, those still open first (not yet answered by the unit
    /// first among them), then by the time they were handed over, newest first; empty for anyone but a unit's reporter.
    /// With the unit's figures (<see cref="AssignedCountsAsync"/>), which <paramref name="only"/> does not narrow.
    /// </summary>
    public async Task<(ListPage<AssignedOpinion> Page, int All, int Waiting)> AssignedToUnitAsync(int page, CancellationToken cancellationToken, int? only = null)
    {
        var (all, waiting) = await AssignedCountsAsync(cancellationToken);
        var query = AssignedToCaller();
        var total = all;
        if (only is { } one && all > 0)
        {
            query = query.Where(o => o.Id == one);
            total = await query.CountAsync(cancellationToken);
        }

        var shown = await AssignedRows(query).ToListPageAsync(total, page, PageSize, rows => rows, cancellationToken);
        return (shown, all, waiting);
    }

    /// <summary>
    /// The opinions handed to the caller's unit or a unit under it as the API answers them: the page asked for (empty past
    /// the end), in the page's order; none for anyone but a unit's reporter.
    /// </summary>
    public Task<PagedResult<AssignedOpinion>> AssignedPageAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        AssignedRows(AssignedToCaller()).ToPagedResultAsync(page, pageSize, rows => rows, cancellationToken);

    /// <summary>Opinions handed to units as their units read them: those still open first (not yet answered first among them), then newest handed over first.</summary>
    private IQueryable<AssignedOpinion> AssignedRows(IQueryable<PublicOpinion> assigned) =>
        (from o in assigned
            join i in db.Inspections on o.InspectionId equals i.Id
            join u in db.Organizations on o.AssignedUnitId equals u.Id
            join f in db.Findings on o.AssignedFindingId equals f.Id into found
            from f in found.DefaultIfEmpty()
            orderby o.State == OpinionState.Closed, o.UnitResponse != null, o.AssignedAtUtc descending, o.Id descending
            select new AssignedOpinion(o.Id, i.Id, i.Title, u.Name, o.ReceivedAtUtc, o.AssignedAtUtc, o.Text, o.AboutFindingNumber, o.AboutFindingTitle, f == null ? null : f.Number, f == null ? null : f.Title,
                o.State, o.UnitResponse == null ? null : new UnitAnswer(o.UnitResponse!, o.UnitRespondedByName!, o.UnitRespondedAtUtc!.Value), o.Version))
        .AsNoTracking();

    /// <summary>How many opinions were handed to the caller's unit, and how many still wait for its 办理情况 (for 待办); 0 and 0 for anyone else.</summary>
    public async Task<(int Total, int Waiting)> AssignedCountsAsync(CancellationToken cancellationToken)
    {
        var counts = await AssignedToCaller().GroupBy(o => o.State != OpinionState.Closed && o.UnitResponse == null)
            .Select(g => new { Waiting = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return (counts.Sum(c => c.Count), counts.Where(c => c.Waiting).Sum(c => c.Count));
    }

    /// <summary>The unit it was handed to reports what it did (办理情况); the office is told, to reply.</summary>
    public async Task<WorkflowResult> RespondAsUnitAsync(int opinionId, int? version, string? response, CancellationToken cancellationToken)
    {
        var found = await (
            from o in AssignedToCaller()
            where o.Id == opinionId
            join u in db.Organizations on o.AssignedUnitId equals u.Id
            select new { Opinion = o, UnitPath = u.Path }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.RespondToOpinion, new MeasureParties(found.UnitPath));
        return await CarryOutAsync(found.Opinion, version, AuditActions.OpinionUnitResponded, o =>
        {
            o.RespondAsUnit(response, caller.Actor, clock);
            afterSave = ct => handOffs.OpinionHandledAsync(o.Id, ct);

            // The record keeps the unit's words: they are the unit's, as a 督办 reply's are (never the sender's).
            return Task.FromResult(("已报送办理情况，整改办会据此答复。", (object)new { o.UnitResponse }));
        }, cancellationToken);
    }

    /// <summary>Opinions handed to a unit at or under the caller's, for a unit's reporter only (tracked: the respond step changes one).</summary>
    private IQueryable<PublicOpinion> AssignedToCaller()
    {
        var scope = caller.Scope;
        if (!scope.IsUnitReporter || scope.OrganizationPath is not { } path)
        {
            return db.PublicOpinions.Where(_ => false);
        }

        // The units first (a few hundred organizations at most), then their opinions by IX_PublicOpinions_AssignedUnitId:
        // a correlated test per opinion would read every assigned opinion of the installation.
        var units = db.Organizations.Where(u => u.Path.StartsWith(path)).Select(u => (int?)u.Id);
        return db.PublicOpinions.Where(o => o.AssignedUnitId != null && units.Contains(o.AssignedUnitId));
    }

    /// <summary>"13812345678" → "138****5678", "someone@example.cn" → "s***@example.cn": enough to tell two apart, not to call.</summary>
    public static string? Mask(string? contact)
    {
        if (contact is null)
        {
            return null;
        }

        var at = contact.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return contact[0] + "***" + contact[at..];
        }

        return contact.Length <= 4 ? new string('*', contact.Length) : contact[..Math.Min(3, contact.Length - 4)] + "****" + contact[^4..];
    }

    public Task<WorkflowResult> AssignAsync(int inspectionId, int opinionId, int? version, int? findingId, int? unitId, CancellationToken cancellationToken) =>
        ActAsync(inspectionId, opinionId, version, Permission.TriageOpinions, AuditActions.OpinionAssigned, async o =>
        {
            // Only a finding of this inspection, only a unit the caller sees: anything else is refused, not dropped.
            if (findingId is { } f && !await db.Findings.AnyAsync(x => x.Id == f && x.InspectionId == inspectionId, cancellationToken))
            {
                throw BusinessRules.Refuse(new NotOnOffer("所选的问题不属于这次巡察，请重新选择。"));
            }

            var unit = unitId is { } u
                ? await db.VisibleOrganizations(caller.Scope).Where(x => x.Id == u).Select(x => new { x.Name, x.Path }).SingleOrDefaultAsync(cancellationToken)
                    ?? throw BusinessRules.Refuse(new NotOnOffer("所选的单位不在您的管理范围内，请重新选择。"))
                : null;

            var newUnit = unit is not null && unitId != o.AssignedUnitId;
            var currentUnit = o.AssignedUnitId is { } current && unitId != current
                ? await db.Organizations.Where(x => x.Id == current).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken)
                : null;
            o.Assign(findingId, unitId, currentUnit, clock);
            if (!newUnit)
            {
                return ("已交办。", new { findingId, unitId });
            }

            // Saved first: the notice reads the opinion's unit from the database, in this transaction.
            afterSave = ct => handOffs.OpinionAssignedAsync(o.Id, ct);
            var heard = (await RoleHolders.AtOrAboveAsync(db, Roles.UnitReporter, [unit!.Path], cancellationToken)).Count > 0;
            return (heard
                ? $"已交办{unit.Name}；其联络员会收到通知，办理情况将显示在这里。"
                : $"已交办{unit.Name}，但{unit.Name}及其上级单位没有联络员账号，无人会收到通知：请联系系统管理员开设账号，或线下转交。", new { findingId, unitId });
        }, cancellationToken);

    public Task<WorkflowResult> ReplyAsync(int inspectionId, int opinionId, int? version, string? reply, bool publishable, string? publicSummary, CancellationToken cancellationToken) =>
        ActAsync(inspectionId, opinionId, version, Permission.TriageOpinions, AuditActions.OpinionReplied, o =>
        {
            o.Answer(reply, publishable, publicSummary, caller.Actor, clock);
            return Task.FromResult((publishable ? "已答复；答复经第一责任人同意后在公告下公开。" : "已答复。", (object)new { publishable }));
        }, cancellationToken);

    public Task<WorkflowResult> ApproveReplyAsync(int inspectionId, int opinionId, int? version, CancellationToken cancellationToken) =>
        ActAsync(inspectionId, opinionId, version, Permission.ApprovePublication, AuditActions.OpinionReplyApproved, o =>
        {
            o.ApproveReply(caller.Actor);
            return Task.FromResult(("已同意公开答复。", (object)new { }));
        }, cancellationToken);

    public Task<WorkflowResult> CloseAsync(int inspectionId, int opinionId, int? version, CancellationToken cancellationToken) =>
        ActAsync(inspectionId, opinionId, version, Permission.TriageOpinions, AuditActions.OpinionClosed, o =>
        {
            o.Close(clock);
            return Task.FromResult(("已办结。", (object)new { }));
        }, cancellationToken);

    private async Task<WorkflowResult> ActAsync(int inspectionId, int opinionId, int? version, Permission step, string action, Func<PublicOpinion, Task<(string Message, object After)>> act, CancellationToken cancellationToken)
    {
        // Who does not see the inbox is told nothing of which opinions exist: 404, as for its list, never 403.
        if (!MaySeeInbox || !await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        var opinion = await db.PublicOpinions.SingleOrDefaultAsync(o => o.Id == opinionId && o.InspectionId == inspectionId, cancellationToken);
        if (opinion is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(step);
        return await CarryOutAsync(opinion, version, action, act, cancellationToken);
    }

    /// <summary>One step on an opinion the caller may take it on: the version checked, the change saved with its notices and its audit record in one transaction.</summary>
    private async Task<WorkflowResult> CarryOutAsync(PublicOpinion opinion, int? version, string action, Func<PublicOpinion, Task<(string Message, object After)>> act, CancellationToken cancellationToken)
    {
        if (version != opinion.Version)
        {
            throw BusinessRules.Refuse(new Refusals.SomeoneElseWasFirst(LostRace));
        }

        afterSave = null;
        var (message, after) = await act(opinion);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken);
        if (afterSave is { } notify)
        {
            await notify(cancellationToken);
        }

        // The record names the opinion and the step, never the sender's text or contact.
        await audit.RecordAsync(new AuditEvent(action, ObjectType: "PublicOpinion", ObjectId: opinion.Id.ToString(CultureInfo.InvariantCulture), After: after), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(message, opinion.Id);
    }

    /// <summary>A finding or unit that was not on the form's list (another inspection's, outside the caller's scope).</summary>
    private sealed class NotOnOffer(string message) : Refused(message, Refusal.Invalid);
}
