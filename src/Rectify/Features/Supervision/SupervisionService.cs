using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;
using Rectify.Features.Reports;

// EF Core translates string.StartsWith(string) to a prefix match on the organization path (see AccessQueries).
#pragma warning disable CA1310

namespace Rectify.Features.Supervision;

/// <summary>
/// A step of the ladder as a form or the API gives it. 督办: title, content (督办事项), requirement (办理要求), replyDue. 约谈:
/// title, content (谈话要点), heldOn, byWhom (约谈人), people (被约谈人), outcome (表态承诺). 通报 / 问责: title, content,
/// byWhom (决定机关), people (处理对象), outcome (处理方式), leadId / outcomeId (the registers' entries).
/// </summary>
public sealed record NoticeInput(
    SupervisionKind? Kind,
    int? UnitId,
    IReadOnlyList<int>? MeasureIds,
    string? Title,
    string? Content,
    string? Requirement = null,
    DateOnly? ReplyDue = null,
    DateOnly? HeldOn = null,
    string? ByWhom = null,
    string? People = null,
    string? Outcome = null,
    int? LeadId = null,
    int? OutcomeId = null);

/// <summary>
/// The 督办 ladder: the office — or the inspection body, for the inspections it oversees — issues a 督办单 or records a
/// 约谈, 通报 or 问责 on a unit and its measures; the unit replies to a 督办单; the office closes it or sends the reply
/// back. Scoped (404), permitted (403), guarded by the notice's rules; each step one transaction with its audit record.
/// </summary>
public sealed class SupervisionService(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, AttachmentIntake attachments, TimeProvider clock)
{
    public async Task<WorkflowResult> IssueAsync(int inspectionId, NoticeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inspection = await db.VisibleInspections(caller.Scope).Include(i => i.InspectedOrganization)
            .SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.Supervise);
        BusinessRules.Check(new AKindIsChosen(input.Kind));
        CheckLengths(input);
        var kind = input.Kind!.Value;
        var inspected = inspection.InspectedOrganization.Path;
        var unit = input.UnitId is { } unitId
            ? await db.Organizations.SingleOrDefaultAsync(o => o.Id == unitId && o.Path.StartsWith(inspected), cancellationToken)
            : null;
        BusinessRules.Check(new AUnitIsChosen(unit is not null));
        var ids = (input.MeasureIds ?? []).Distinct().ToList();
        var measures = await db.VisibleMeasures(caller.Scope).Where(m => m.InspectionId == inspectionId && ids.Contains(m.Id) && m.LeadUnit != null && m.LeadUnit.Path.StartsWith(unit!.Path))
            .Include(m => m.Finding).ToListAsync(cancellationToken);
        BusinessRules.Check(new TheMeasuresAreTheUnits(measures.Count == ids.Count));
        if (ids.Count > 0)
        {
            BusinessRules.Check(new AMeasureActsUnderAPlanInForce(inspection.PlanState));
        }

        if (input.LeadId is { } lead)
        {
            BusinessRules.Check(new TheRegisterEntryIsTheInspections(await db.Leads.AnyAsync(l => l.Id == lead && l.InspectionId == inspectionId, cancellationToken), "问题线索"));
        }

        if (input.OutcomeId is { } outcome)
        {
            BusinessRules.Check(new TheRegisterEntryIsTheInspections(await db.Outcomes.AnyAsync(o => o.Id == outcome && o.InspectionId == inspectionId, cancellationToken), "整改成效"));
        }

        var today = ChinaTime.Today(clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        SupervisionNotice notice;
        if (kind == SupervisionKind.Duban)
        {
            // The 督办单 takes its number from whoever issues it: the inspected organization's office, or the inspection body.
            var issuer = IssuerOf(inspection);
            var sequence = (await db.SupervisionNotices.Where(n => n.IssuerId == issuer && n.Year == today.Year).MaxAsync(n => n.Sequence, cancellationToken) ?? 0) + 1;
            var code = await db.Organizations.Where(o => o.Id == issuer).Select(o => o.DocumentCode).SingleOrDefaultAsync(cancellationToken);
            notice = SupervisionNotice.IssueDuban(inspection, unit!, measures, issuer, today.Year, sequence, input.Title, input.Content, input.Requirement, input.ReplyDue, today, caller.Actor, clock, code);
        }
        else if (kind == SupervisionKind.Talk)
        {
            notice = SupervisionNotice.RecordTalk(inspection, unit!, measures, input.Title, input.Content, input.HeldOn, input.ByWhom, input.People, input.Outcome, today, caller.Actor, clock);
        }
        else
        {
            notice = SupervisionNotice.RecordOutcome(inspection, kind, unit!, measures, input.Title, input.Content, input.ByWhom, input.People, input.Outcome, input.LeadId, input.OutcomeId, caller.Actor, clock);
        }

        db.SupervisionNotices.Add(notice);
        await db.SaveOrRefuseAsync("刚刚已有一份督办单使用了这个编号，请再提交一次。", cancellationToken, uniqueIndexDecides: true);
        if (kind == SupervisionKind.Duban)
        {
            // Only a 督办单 asks the unit for something; a 约谈, 通报 or 问责 is recorded, and may name a 问题线索.
            await handOffs.DubanIssuedAsync(notice.Id, cancellationToken);
        }

        await audit.RecordAsync(
            new AuditEvent(AuditActions.SupervisionIssued, ObjectType: "SupervisionNotice", ObjectId: Id(notice.Id),
                After: new { notice.InspectionId, notice.Kind, notice.DocumentNumber, Unit = unit!.Name, notice.Title, Measures = measures.Select(m => m.Id), notice.ReplyDue, notice.HeldOn, notice.LeadId, notice.OutcomeEntryId }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(kind == SupervisionKind.Duban ? $"已下发{notice.DocumentNumber}，待{unit.Name}于 {notice.ReplyDue:yyyy-MM-dd} 前回复。" : $"已记录{Terms.Of(kind)}。", notice.Id);
    }

    /// <summary>
    /// The organization whose 督办单 the caller issues on <paramref name="inspection"/>: the inspected organization's office
    /// (it sees the whole organization and reviews its reports); else an inspection-body account's own organization — the
    /// 巡察办 above the team, which numbers and signs its own 督办单, or the team itself — so that the number the page
    /// predicts, the number given and the document's signature name the same issuer.
    /// </summary>
    private int IssuerOf(Inspection inspection) =>
        caller.Scope.SeesWholeOrganization && caller.HoldsRoleFor(Permission.ReviewReport) ? inspection.InspectedOrganizationId
        : caller.Scope.IsInspectionBody && caller.Scope.OrganizationId is { } own ? own
        : inspection.InspectingBodyId;

    /// <summary>
    /// The 发文字号 the caller's next 督办单 on this inspection takes (机关代字〔年份〕序号) and the 机关代字 it is made of; null
    /// when the caller does not see the inspection or may not issue 督办单.
    /// </summary>
    public async Task<(string Next, string? Code, string Issuer)?> NextNumberAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).AsNoTracking().SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null || !caller.May(Permission.Supervise))
        {
            return null;
        }

        var issuer = IssuerOf(inspection);
        var year = ChinaTime.Today(clock).Year;
        var sequence = (await db.SupervisionNotices.Where(n => n.IssuerId == issuer && n.Year == year).MaxAsync(n => n.Sequence, cancellationToken) ?? 0) + 1;
        var organization = await db.Organizations.Where(o => o.Id == issuer).Select(o => new { o.Name, o.DocumentCode }).SingleAsync(cancellationToken);
        return (Organization.DocumentNumber(organization.DocumentCode, year, sequence), organization.DocumentCode, organization.Name);
    }

    /// <summary>
    /// Sets the 机关代字 of the organization whose 督办单 the caller issues on this inspection (nothing typed: back to 督办):
    /// the numbers to come take it; those already issued keep theirs.
    /// </summary>
    public async Task<WorkflowResult> SetDocumentCodeAsync(int inspectionId, string? code, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).AsNoTracking().SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.Supervise);
        var issuer = IssuerOf(inspection);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organization = await db.Organizations.SingleAsync(o => o.Id == issuer, cancellationToken);
        var before = organization.DocumentCode;
        organization.SetDocumentCode(code);
        await db.SaveOrRefuseAsync("刚刚已有人修改了机关代字，请刷新页面。", cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.DocumentCodeSet, ObjectType: "Organization", ObjectId: Id(issuer), Before: new { DocumentCode = before }, After: new { organization.DocumentCode }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(organization.DocumentCode is { } set
            ? $"已设置机关代字：{organization.Name}今后的督办单编号为“{Organization.DocumentNumber(set, ChinaTime.Today(clock).Year, 1)}”式样。"
            : $"已清除机关代字：{organization.Name}今后的督办单编号为“督办〔年份〕序号”。");
    }

    /// <summary>The unit replies to a 督办单 addressed to it.</summary>
    public async Task<WorkflowResult> ReplyAsync(int id, string? reply, CancellationToken cancellationToken, IncomingFile? file = null)
    {
        var notice = await db.VisibleNotices(caller.Scope).Include(n => n.Unit).SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ReplyToSupervision, new MeasureParties(notice.Unit.Path));
        BusinessRules.Check(new TheTextIsNotTooLong("回复", reply, 10000));

        // The attachment is scanned like evidence before anything is written; an infected one is recorded against the notice.
        var staged = await attachments.StageAsync(file, "SupervisionNotice", Id(id), cancellationToken);
        var placed = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var row = staged is null ? null : await AttachmentIntake.RowAsync(db, staged, clock.GetUtcNow().UtcDateTime, cancellationToken);
            notice.ReplyWith(reply, caller.Actor, clock, row, staged?.OriginalName);
            await db.SaveOrRefuseAsync("这份督办单刚刚已被他人处理，请刷新页面。", cancellationToken);
            await handOffs.DubanRepliedAsync(id, cancellationToken);
            placed = attachments.Place(staged);
            await audit.RecordAsync(
                new AuditEvent(AuditActions.SupervisionReplied, ObjectType: "SupervisionNotice", ObjectId: Id(id), After: new { notice.State, notice.Reply, File = AttachmentIntake.Described(staged) }),
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return WorkflowResult.Done(staged is null ? "已回复督办单，待发出督办单的单位审核办结。" : $"已回复督办单（附件“{notice.ReplyFileName}”），待发出督办单的单位审核办结。");
        }
        catch
        {
            attachments.Undo(staged, placed);
            throw;
        }
    }

    /// <summary>
    /// The reply's attachment, for whoever sees the notice; the download is audited. Its time is the reply's, never the
    /// stored file's (which another organization may have sent first).
    /// </summary>
    public async Task<OpenedFile?> OpenReplyFileAsync(int id, CancellationToken cancellationToken)
    {
        var file = await db.VisibleNotices(caller.Scope).AsNoTracking()
            .Where(n => n.Id == id && n.ReplyFile != null)
            .Select(n => new { n.ReplyFileName, n.ReplyFile!.Sha256, n.ReplyFile.Type, n.ReplyFileId, n.RepliedAtUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (file is null)
        {
            return null;
        }

        return await attachments.OpenAsync(
            new AttachedFile(file.ReplyFileId, file.Sha256, file.Type, file.ReplyFileName ?? "附件", file.RepliedAtUtc ?? DateTime.UnixEpoch), "附件", "SupervisionNotice", Id(id),
            found => new { NoticeId = id, file.ReplyFileName, Expected = file.Sha256, Found = found },
            new { NoticeId = id, file.ReplyFileName, file.Sha256 },
            cancellationToken);
    }

    /// <summary>The office (or the inspection body) closes a replied 督办单, or sends the reply back with a reason.</summary>
    public async Task<WorkflowResult> CloseAsync(int id, bool? decision, string? note, CancellationToken cancellationToken)
    {
        var notice = await db.SupervisionNotices.Where(n => db.Inspections.Where(AccessQueries.SeesWholeInspection(caller.Scope)).Any(i => i.Id == n.InspectionId))
            .SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return await db.VisibleNotices(caller.Scope).AnyAsync(n => n.Id == id, cancellationToken)
                ? throw BusinessRules.Refuse(new OnlyTheIssuerCloses())
                : WorkflowResult.NotFound;
        }

        caller.Require(Permission.Supervise);
        var accept = Decision.Chosen(decision, "请选择办结（close）或退回回复（return，须说明理由）。");
        BusinessRules.Check(new TheTextIsNotTooLong("说明", note, 2000));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        notice.Close(accept, note, caller.Actor, clock);
        await db.SaveOrRefuseAsync("这份督办单刚刚已被他人处理，请刷新页面。", cancellationToken);
        if (!accept)
        {
            await handOffs.DubanReplyReturnedAsync(id, note, cancellationToken);
        }

        await audit.RecordAsync(
            new AuditEvent(accept ? AuditActions.SupervisionClosed : AuditActions.SupervisionReplyReturned, ObjectType: "SupervisionNotice", ObjectId: Id(id), After: new { notice.State, Note = note }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(accept ? "已办结督办单。" : "已退回回复，督办单重新处于督办中。");
    }

    private static void CheckLengths(NoticeInput input)
    {
        BusinessRules.Check(new TheTextIsNotTooLong("事由", input.Title, 200));
        BusinessRules.Check(new TheTextIsNotTooLong("内容", input.Content, 10000));
        BusinessRules.Check(new TheTextIsNotTooLong("办理要求", input.Requirement, 4000));
        BusinessRules.Check(new TheTextIsNotTooLong("约谈人或决定机关", input.ByWhom, 500));
        BusinessRules.Check(new TheTextIsNotTooLong("被约谈人或处理对象", input.People, 2000));
        BusinessRules.Check(new TheTextIsNotTooLong("表态承诺或处理方式", input.Outcome, 4000));
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class AKindIsChosen(SupervisionKind? kind) : IBusinessRule
    {
        public bool IsBroken() => kind is not { } k || !Enum.IsDefined(k);

        public string Message => "请选择督办、约谈、通报或问责。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class AUnitIsChosen(bool found) : IBusinessRule
    {
        public bool IsBroken() => !found;

        public string Message => "请选择被督办的单位（被巡察党组织或其下属单位）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class TheMeasuresAreTheUnits(bool all) : IBusinessRule
    {
        public bool IsBroken() => !all;

        public string Message => "所选措施须是这次巡察中由该单位牵头的措施。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class TheRegisterEntryIsTheInspections(bool found, string register) : IBusinessRule
    {
        public bool IsBroken() => !found;

        public string Message => $"找不到这次巡察的这条{register}登记。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class TheTextIsNotTooLong(string name, string? text, int most) : IBusinessRule
    {
        public bool IsBroken() => text is not null && text.Length > most;

        public string Message => $"“{name}”不能超过 {most} 字。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class OnlyTheIssuerCloses() : Refused("只有整改办或巡察机构可以办结或退回督办单。", Refusal.NotPermitted);
}
