using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using MeasureNotice = (string Kind, System.Func<Rectify.Features.Common.MeasureFacts, (string Subject, string Line, string? Detail, Rectify.Features.HandOffs.Recipients To)> Words);

namespace Rectify.Features.HandOffs;

/// <summary>
/// 交接通知: at each hand-off between people, the next person (and whoever waits on the answer) is told, in the outbox,
/// in the transaction of the change (docs/adr/0040). The services call one method per event after their save and before
/// their commit; each method reads the object's facts in one query and writes through <see cref="HandOffOutbox"/>.
/// What a message says is the facts a deadline reminder already says (inspection, finding's public title, measure,
/// deadline, lead unit); a reason, a reply or a title stays in the in-app message. Nothing of the 问题线索, the internal
/// problem statement, narratives, evidence or the public's own words is ever put in one.
/// </summary>
public sealed class HandOffNotices(RectifyDbContext db, HandOffOutbox outbox, TimeProvider clock)
{
    private const string SignInForMore = "详情请登录系统查看。";

    // ——— 整改方案 ———

    /// <summary>报审 → the 第一责任人, who adopts it.</summary>
    public async Task PlanSubmittedAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var i = await InspectionAsync(inspectionId, cancellationToken);
        await WriteAsync(new HandOff("PlanSubmitted", Key("PlanSubmitted", "i", inspectionId), $"【待审定】整改方案“{Short(i.Title)}”已报审", Lines(i, "整改办已将整改方案报审，请审定或退回修改。"), null, null,
            PlanLink(inspectionId), Recipients.FirstResponsibleOf(i.InspectedPath)), cancellationToken);
    }

    /// <summary>退回修改 → the office, with the reason in the inbox.</summary>
    public async Task PlanReturnedAsync(int inspectionId, string? reason, CancellationToken cancellationToken)
    {
        var i = await InspectionAsync(inspectionId, cancellationToken);
        await WriteAsync(new HandOff("PlanReturned", Key("PlanReturned", "i", inspectionId), $"【退回】整改方案“{Short(i.Title)}”被退回修改", Lines(i, "第一责任人退回了整改方案，请修改后重新报审。" + SignInForMore), Reason(reason), null,
            PlanLink(inspectionId), Recipients.OfficeOf(i.InspectedPath)), cancellationToken);
    }

    /// <summary>审定 → the office; and the reporters of each lead unit, that their measures are now in 待办.</summary>
    public async Task PlanAdoptedAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var i = await InspectionAsync(inspectionId, cancellationToken);
        var units = await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId && m.WithdrawnAtUtc == null && m.LeadUnit != null)
            .GroupBy(m => new { m.LeadUnit!.Id, m.LeadUnit.Name, m.LeadUnit.Path }).Select(g => new { g.Key.Id, g.Key.Name, g.Key.Path, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var key = Key("PlanAdopted", "i", inspectionId);
        List<HandOff> all =
        [
            new("PlanAdopted", key, $"【已审定】整改方案“{Short(i.Title)}”已审定实施", Lines(i, "第一责任人已审定整改方案，开始实施。"), null, null, PlanLink(inspectionId), Recipients.OfficeOf(i.InspectedPath)),
            .. units.Select(u => new HandOff("MeasuresAssigned", $"{key}:u{Id(u.Id)}", $"【新任务】{u.Name}有 {u.Count} 条整改措施进入待办",
                Lines(i, $"整改方案已审定实施，{u.Name}牵头的 {u.Count} 条整改措施已进入待办，请按时限推进并报送进展。"), null, null, "/work", Recipients.ReportersOf(u.Path))),
        ];
        await outbox.WriteAsync(all, cancellationToken);
    }

    // ——— 进展报送 ———

    /// <summary>A unit filed a report → the office, to review it; a report the office filed for the unit (代报) → the office, and the unit's reporters too.</summary>
    public Task ReportFiledAsync(int measureId, bool onBehalf, CancellationToken cancellationToken)
    {
        MeasureNotice toReview = ("ReportFiled", m => ($"【待审核】措施“{Short(m.Text)}”有新的进展报送",
            onBehalf ? "整改办代牵头单位报送了进展（代报），请由代报人以外的人员审核（采纳或退回）。" : "牵头单位报送了进展，请审核（采纳或退回）。", null, Recipients.OfficeOf(m.InspectedPath)));
        return AboutMeasureAsync(measureId, onBehalf ? [toReview, ActedForTheUnit("ReportFiledOnBehalf", "代报", "代为报送", "进展", "报送")] : [toReview], cancellationToken);
    }

    /// <summary>
    /// A report taken back before review (撤回) → the office, which was told to review it: the notice it holds is answered.
    /// A 代报 taken back → the unit's reporters too, who were told of it.
    /// </summary>
    public Task ReportWithdrawnAsync(int measureId, int number, bool onBehalf, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, "ReportWithdrawn", m => ($"【已撤回】措施“{Short(m.Text)}”的第 {number} 次进展报送已撤回",
            (onBehalf ? "整改办撤回了代报的进展" : "牵头单位撤回了报送的进展") + "，无需再审核；修改后的报送将另行通知。",
            null, onBehalf ? Recipients.OfficeOf(m.InspectedPath).And(Recipients.ReportersOf(m.LeadUnitPath)) : Recipients.OfficeOf(m.InspectedPath)), cancellationToken);

    /// <summary>A supporting unit handed in its 配合情况 → the lead unit's reporters, who report on the measure.</summary>
    public Task SupportReportedAsync(int measureId, string unit, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, "SupportReported", m => ($"【配合情况】{unit}报送了措施“{Short(m.Text)}”的配合情况",
            $"配合单位{unit}报送了配合情况，请在报送进展时一并反映。" + SignInForMore, null, Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken);

    /// <summary>A supporting unit took its 配合情况 back (撤回) → the lead unit's reporters, who were told of it.</summary>
    public Task SupportWithdrawnAsync(int measureId, string unit, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, "SupportWithdrawn", m => ($"【已撤回】{unit}撤回了措施“{Short(m.Text)}”的配合情况",
            $"配合单位{unit}撤回了已报送的配合情况，汇总报送进展时请勿再引用；如重新报送，将另行通知。" + SignInForMore, null, Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken);

    /// <summary>采纳 or 退回 (with the reason, in the inbox) → the unit's reporters.</summary>
    public Task ReportReviewedAsync(int measureId, bool accepted, string? reason, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, accepted ? "ReportAccepted" : "ReportReturned", m => accepted
            ? ($"【已采纳】措施“{Short(m.Text)}”的进展报送已采纳", "整改办已采纳您单位报送的进展。", null, Recipients.ReportersOf(m.LeadUnitPath))
            : ($"【退回】措施“{Short(m.Text)}”的进展报送被退回", "整改办退回了您单位报送的进展，请修改后重新报送。" + SignInForMore, Reason(reason), Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken);

    // ——— 销号 ———

    /// <summary>
    /// A step of the sign-off: applied → the office; accepted by the office → the next approver (the measure's 责任领导's
    /// account, or the 第一责任人); approved or returned → the unit and the office; reopened → the unit.
    /// </summary>
    public Task MeasureStepAsync(int measureId, MeasureAction action, string? reason, CancellationToken cancellationToken) => action switch
    {
        MeasureAction.ApplyForSignOff => AboutMeasureAsync(measureId, "SignOffRequested", m => ($"【待审核】措施“{Short(m.Text)}”申请销号", "牵头单位申请销号，请审核。", null, Recipients.OfficeOf(m.InspectedPath)), cancellationToken),
        MeasureAction.AcceptApplication => AboutMeasureAsync(measureId, "SignOffToApprove", m => ($"【待审批】措施“{Short(m.Text)}”销号待审批", "整改办已审核通过销号申请，请审批。", null, Recipients.ApproverOf(m.LeaderUserId, m.InspectedPath)), cancellationToken),
        MeasureAction.Approve => AboutMeasureAsync(measureId, "SignedOff", m => ($"【已销号】措施“{Short(m.Text)}”已销号", "销号申请已审批通过，措施已销号。", null, Recipients.ReportersOf(m.LeadUnitPath).And(Recipients.OfficeOf(m.InspectedPath))), cancellationToken),
        MeasureAction.ReturnApplication => AboutMeasureAsync(measureId, "SignOffReturned", m => ($"【退回】措施“{Short(m.Text)}”的销号申请被退回", "销号申请未获通过，已退回继续整改。" + SignInForMore, Reason(reason), Recipients.ReportersOf(m.LeadUnitPath).And(Recipients.OfficeOf(m.InspectedPath))), cancellationToken),
        MeasureAction.Reopen => AboutMeasureAsync(measureId, "MeasureReopened", m => ($"【重新打开】措施“{Short(m.Text)}”已重新打开", "整改办重新打开了这条措施，请继续整改。" + SignInForMore, Reason(reason), Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// 代为申请销号 → the office (someone other than the applicant reviews it) and the lead unit's reporters, who learn that
    /// the office applied for them and can check it.
    /// </summary>
    public Task SignOffAppliedOnBehalfAsync(int measureId, CancellationToken cancellationToken)
    {
        MeasureNotice toReview = ("SignOffRequested", m => ($"【待审核】措施“{Short(m.Text)}”申请销号（整改办代为申请）",
            "整改办代牵头单位申请销号，请由代为申请人以外的人员审核。", null, Recipients.OfficeOf(m.InspectedPath)));
        return AboutMeasureAsync(measureId, [toReview, ActedForTheUnit("SignOffAppliedOnBehalf", "代为申请", "代为申请", "销号", "提交")], cancellationToken);
    }

    /// <summary>
    /// The office acted for the lead unit (代报, 代为申请销号) → the unit's reporters, who learn what the office did for
    /// them and can check it says what they handed in: "【tag】整改办did了措施“…”的what".
    /// </summary>
    private static MeasureNotice ActedForTheUnit(string kind, string tag, string did, string what, string handedIn) =>
        (kind, m => ($"【{tag}】整改办{did}了措施“{Short(m.Text)}”的{what}",
            $"整改办根据您单位在系统外{handedIn}的材料，{did}了这条措施的{what}。请登录核对，如有出入请联系整改办。", null, Recipients.ReportersOf(m.LeadUnitPath)));

    // ——— 方案调整 ———

    /// <summary>
    /// A measure withdrawn from the plan in force (撤销) → its lead unit's reporters, who would otherwise go on reporting
    /// on it; the reason stays in the inbox.
    /// </summary>
    public Task MeasureWithdrawnAsync(int measureId, string? reason, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, "MeasureWithdrawn", m => ($"【撤销】措施“{Short(m.Text)}”已从整改方案中撤销",
            "整改办撤销了这条措施，不再需要报送进展或申请销号。" + SignInForMore, Reason(reason), Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken);

    // ——— 回头看 ———

    /// <summary>A look-back found a rebound and reopened the measure → the unit's reporters.</summary>
    public Task ReboundAsync(int measureId, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, "Rebound", m => ($"【反弹】措施“{Short(m.Text)}”回头看发现反弹，已重新打开", "回头看发现问题反弹，措施已重新打开，请重新整改并报送进展。" + SignInForMore, null, Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken);

    // ——— 督办 ———

    /// <summary>A 督办单 issued → the unit's reporters, and the office (when the inspection body issued it).</summary>
    public async Task DubanIssuedAsync(int noticeId, CancellationToken cancellationToken)
    {
        var n = await NoticeAsync(noticeId, cancellationToken);
        await WriteAsync(new HandOff("DubanIssued", Key("DubanIssued", "s", noticeId), $"【督办】{n.DocumentNumber}：请{n.Unit}于{Day(n.ReplyDue)}前回复",
            $"巡察：{n.Inspection}\n督办单：{n.DocumentNumber}\n被督办单位：{n.Unit}\n回复期限：{Day(n.ReplyDue)}\n" + SignInForMore, $"标题：{n.Title}", null,
            SupervisionLink(noticeId), Recipients.ReportersOf(n.UnitPath).And(Recipients.OfficeOf(n.InspectedPath))), cancellationToken);
    }

    /// <summary>The unit replied → whoever issued the 督办单, and the office.</summary>
    public async Task DubanRepliedAsync(int noticeId, CancellationToken cancellationToken)
    {
        var n = await NoticeAsync(noticeId, cancellationToken);
        await WriteAsync(new HandOff("DubanReplied", Key("DubanReplied", "s", noticeId), $"【督办回复】{n.Unit}已回复{n.DocumentNumber}",
            $"巡察：{n.Inspection}\n督办单：{n.DocumentNumber}\n被督办单位：{n.Unit}\n请审阅回复并办结或退回。" + SignInForMore, null, null,
            SupervisionLink(noticeId), Recipients.Person(n.IssuerUserId).And(Recipients.OfficeOf(n.InspectedPath))), cancellationToken);
    }

    /// <summary>The reply was sent back → the unit's reporters.</summary>
    public async Task DubanReplyReturnedAsync(int noticeId, string? note, CancellationToken cancellationToken)
    {
        var n = await NoticeAsync(noticeId, cancellationToken);
        await WriteAsync(new HandOff("DubanReplyReturned", Key("DubanReplyReturned", "s", noticeId), $"【督办】{n.DocumentNumber}的回复被退回",
            $"巡察：{n.Inspection}\n督办单：{n.DocumentNumber}\n回复期限：{Day(n.ReplyDue)}\n请重新回复。" + SignInForMore, Reason(note), null,
            SupervisionLink(noticeId), Recipients.ReportersOf(n.UnitPath)), cancellationToken);
    }

    // ——— 公布稿与意见建议 ———

    /// <summary>送审 → the 第一责任人; 退回 (with the reason) and 审定 → the office.</summary>
    public async Task PublicationStepAsync(int inspectionId, PublicationState state, string? reason, CancellationToken cancellationToken)
    {
        var i = await InspectionAsync(inspectionId, cancellationToken);
        var link = $"/inspections/{Id(inspectionId)}/publication";
        var handOff = state switch
        {
            PublicationState.Submitted => new HandOff("PublicationSubmitted", Key("PublicationSubmitted", "i", inspectionId), $"【待审定】“{Short(i.Title)}”的整改进展公布稿已送审", Lines(i, "整改办已将公布稿送审，请审定或退回。"), null, null, link, Recipients.FirstResponsibleOf(i.InspectedPath)),
            PublicationState.Approved => new HandOff("PublicationApproved", Key("PublicationApproved", "i", inspectionId), $"【已审定】“{Short(i.Title)}”的整改进展公布稿已审定", Lines(i, "第一责任人已审定公布稿，将按公开期限公布。"), null, null, link, Recipients.OfficeOf(i.InspectedPath)),
            _ => new HandOff("PublicationReturned", Key("PublicationReturned", "i", inspectionId), $"【退回】“{Short(i.Title)}”的整改进展公布稿被退回", Lines(i, "第一责任人退回了公布稿，请修改后重新送审。" + SignInForMore), Reason(reason), null, link, Recipients.OfficeOf(i.InspectedPath)),
        };
        await WriteAsync(handOff, cancellationToken);
    }

    /// <summary>
    /// A member of the public left an opinion → the office, aggregated: one message per inspection and China day, whose
    /// count the later opinions of the day update (and mark unread again). So an office gets at most one email a day per
    /// inspection however many opinions arrive; the opinion's text is never in it.
    /// </summary>
    public async Task OpinionReceivedAsync(int inspectionId, int countToday, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var key = string.Create(CultureInfo.InvariantCulture, $"OpinionsReceived:i{inspectionId}:{today:yyyy-MM-dd}");
        var subject = string.Create(CultureInfo.InvariantCulture, $"【意见建议】今日收到公众意见建议 {countToday} 条");
        var i = await InspectionAsync(inspectionId, cancellationToken);
        var body = Lines(i, string.Create(CultureInfo.InvariantCulture, $"公布期间今日（{Day(today)}）已收到公众意见建议 {countToday} 条，请及时交办、答复。"));
        var updated = await db.Notifications.Where(n => n.ReminderKey == key && n.Channel == NotificationChannel.InApp)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Subject, subject).SetProperty(n => n.Body, body).SetProperty(n => n.ReadAtUtc, (DateTime?)null), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        // Two first opinions of a day at once: the second's notice clashes on the dedup key; the opinion itself must still be kept.
        var transaction = db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync("handoff", cancellationToken);
        try
        {
            await WriteAsync(new HandOff("OpinionsReceived", key, subject, body, null, null, $"/inspections/{Id(inspectionId)}/opinions", Recipients.OfficeOf(i.InspectedPath)), cancellationToken);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackToSavepointAsync("handoff", cancellationToken);
            db.ChangeTracker.Entries<Notification>().Where(e => e.State == EntityState.Added).ToList().ForEach(e => e.State = EntityState.Detached);
        }
    }

    /// <summary>交办 to a unit → the unit's reporters: one was handed to them (the sender's words stay in the system).</summary>
    public async Task OpinionAssignedAsync(int opinionId, CancellationToken cancellationToken)
    {
        var o = await OpinionAsync(opinionId, cancellationToken);
        await WriteAsync(new HandOff("OpinionAssigned", Key("OpinionAssigned", "o", opinionId), $"【交办】整改办向{o.Unit}交办了一条群众意见建议",
            Lines(o.Inspection, $"整改办将一条公众对整改进展公布的意见建议交由{o.Unit}办理，请核实办理后在系统中报送办理情况。" + SignInForMore), null, null,
            $"{AssignedOpinionsLink}?only={Id(opinionId)}", Recipients.ReportersOf(o.UnitPath)), cancellationToken);
    }

    /// <summary>The unit reported its 办理情况 → the office, to reply to the public.</summary>
    public async Task OpinionHandledAsync(int opinionId, CancellationToken cancellationToken)
    {
        var o = await OpinionAsync(opinionId, cancellationToken);
        await WriteAsync(new HandOff("OpinionHandled", Key("OpinionHandled", "o", opinionId), $"【办理情况】{o.Unit}报送了 {Day(o.ReceivedOn)} 收到的一条意见建议的办理情况",
            Lines(o.Inspection, $"{o.Unit}报送了交办的意见建议的办理情况，请据此答复或办结。" + SignInForMore), null, null,
            $"/inspections/{Id(o.InspectionId)}/opinions?only={Id(opinionId)}", Recipients.OfficeOf(o.Inspection.InspectedPath)), cancellationToken);
    }

    // ——— 申请延期 ———

    /// <summary>
    /// A deadline extension: requested → the office (which reviews it first); forwarded → the approver (the measure's
    /// 责任领导's account, or the 第一责任人); returned by the office, approved or refused → the unit (and the office);
    /// withdrawn by the unit → the office, which was told to review it.
    /// </summary>
    public Task ExtensionStepAsync(int measureId, ExtensionState state, string? note, CancellationToken cancellationToken) => state switch
    {
        ExtensionState.Requested => AboutMeasureAsync(measureId, "ExtensionRequested", m => ($"【待审核】措施“{Short(m.Text)}”申请延期", "牵头单位申请延长整改时限，请审核。", null, Recipients.OfficeOf(m.InspectedPath)), cancellationToken),
        ExtensionState.Forwarded => AboutMeasureAsync(measureId, "ExtensionForwarded", m => ($"【待审批】措施“{Short(m.Text)}”的延期申请待审批", "整改办已审核延期申请并转呈，请审批。", null, Recipients.ApproverOf(m.LeaderUserId, m.InspectedPath)), cancellationToken),
        ExtensionState.Approved => AboutMeasureAsync(measureId, "ExtensionApproved", m => ($"【已批准】措施“{Short(m.Text)}”的延期申请已批准", "延期申请已批准，整改时限已调整（见上）。", null, Recipients.ReportersOf(m.LeadUnitPath).And(Recipients.OfficeOf(m.InspectedPath))), cancellationToken),
        ExtensionState.Withdrawn => AboutMeasureAsync(measureId, "ExtensionWithdrawn", m => ($"【已撤回】措施“{Short(m.Text)}”的延期申请已撤回", "牵头单位撤回了延期申请，无需再审核；整改时限不变。", null, Recipients.OfficeOf(m.InspectedPath)), cancellationToken),
        ExtensionState.Returned => AboutMeasureAsync(measureId, "ExtensionReturned", m => ($"【退回】措施“{Short(m.Text)}”的延期申请被整改办退回", "整改办退回了延期申请。" + SignInForMore, Reason(note), Recipients.ReportersOf(m.LeadUnitPath)), cancellationToken),
        _ => AboutMeasureAsync(measureId, "ExtensionRefused", m => ($"【未批准】措施“{Short(m.Text)}”的延期申请未获批准", "延期申请未获批准，请按原整改时限推进。" + SignInForMore, Reason(note), Recipients.ReportersOf(m.LeadUnitPath).And(Recipients.OfficeOf(m.InspectedPath))), cancellationToken),
    };

    // ——— the facts, one query each ———

    private sealed record InspectionFacts(string Title, string InspectedPath, string Inspected);

    private sealed record NoticeFacts(string? DocumentNumber, string Title, DateOnly? ReplyDue, string Unit, string UnitPath, string Inspection, string InspectedPath, string IssuerUserId);

    private sealed record OpinionFacts(int InspectionId, InspectionFacts Inspection, string Unit, string UnitPath, DateTime ReceivedAtUtc)
    {
        public DateOnly ReceivedOn => ChinaTime.DayOf(ReceivedAtUtc);
    }

    /// <summary>Where a unit finds the opinions handed to it.</summary>
    public const string AssignedOpinionsLink = "/opinions/assigned";

    private Task<OpinionFacts> OpinionAsync(int opinionId, CancellationToken cancellationToken) =>
        (from o in db.PublicOpinions.AsNoTracking()
         where o.Id == opinionId
         join i in db.Inspections on o.InspectionId equals i.Id
         join u in db.Organizations on o.AssignedUnitId equals u.Id
         select new OpinionFacts(i.Id, new InspectionFacts(i.Title, i.InspectedOrganization.Path, i.InspectedOrganization.Name), u.Name, u.Path, o.ReceivedAtUtc)).SingleAsync(cancellationToken);

    private Task<InspectionFacts> InspectionAsync(int inspectionId, CancellationToken cancellationToken) =>
        db.Inspections.AsNoTracking().Where(i => i.Id == inspectionId)
            .Select(i => new InspectionFacts(i.Title, i.InspectedOrganization.Path, i.InspectedOrganization.Name)).SingleAsync(cancellationToken);

    private Task<NoticeFacts> NoticeAsync(int noticeId, CancellationToken cancellationToken) =>
        db.SupervisionNotices.AsNoTracking().Where(n => n.Id == noticeId)
            .Select(n => new NoticeFacts(n.DocumentNumber, n.Title, n.ReplyDue, n.Unit.Name, n.Unit.Path, n.Inspection.Title, n.Inspection.InspectedOrganization.Path, n.CreatedByUserId))
            .SingleAsync(cancellationToken);

    private Task AboutMeasureAsync(int measureId, string kind, Func<MeasureFacts, (string Subject, string Line, string? Detail, Recipients To)> words, CancellationToken cancellationToken) =>
        AboutMeasureAsync(measureId, [(kind, words)], cancellationToken);

    /// <summary>Notices about one measure, its facts read once for all of them.</summary>
    private async Task AboutMeasureAsync(int measureId, IReadOnlyList<MeasureNotice> notices, CancellationToken cancellationToken)
    {
        var m = (await MeasureText.LoadAsync(db, [measureId], cancellationToken))[measureId];
        await outbox.WriteAsync([.. notices.Select(n =>
        {
            var (subject, line, detail, to) = n.Words(m);
            return new HandOff(n.Kind, Key(n.Kind, "m", measureId), subject, MeasureText.Lines(m, line), detail, measureId, null, to);
        })], cancellationToken);
    }

    private Task WriteAsync(HandOff handOff, CancellationToken cancellationToken) => outbox.WriteAsync([handOff], cancellationToken);

    /// <summary>The event's identity: kind, object and a random part (two returns of one report in the same instant are two events).</summary>
    private static string Key(string kind, string letter, int id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:{letter}{id}:{Guid.NewGuid():N}");

    private static string Lines(InspectionFacts i, string line) => $"巡察：{i.Title}\n被巡察党组织：{i.Inspected}\n{line}";

    /// <summary>The reason as the record keeps it (<see cref="PlainText.Clean"/>: no direction-changing or invisible character), for the inbox only.</summary>
    private static string? Reason(string? reason) => PlainText.Clean(reason) is { } kept ? $"理由：{kept}" : null;

    private static string PlanLink(int inspectionId) => $"/inspections/{Id(inspectionId)}/plan";

    private static string SupervisionLink(int noticeId) => $"/supervision/{Id(noticeId)}";

    private static string Short(string text) => MeasureText.Short(text);

    private static string Day(DateOnly? d) => d is { } day ? MeasureText.Day(day) : "—";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
