using System.Collections.Frozen;

namespace Rectify.Features.Notifications;

/// <summary>
/// A notice's kind (the <c>Kind</c> column: a <see cref="Domain.ReminderKind"/>, "Digest", or a hand-off's kind) in
/// words, for the people who may see that a notice exists but not what it says about a measure: the system
/// administrator's list of failed notices.
/// </summary>
public static class NotificationKinds
{
    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Domain.ReminderKind.DeadlineAhead)] = "整改提醒（时限将到）",
        [nameof(Domain.ReminderKind.DeadlineToday)] = "整改提醒（今天到期）",
        [nameof(Domain.ReminderKind.Overdue)] = "超期提醒",
        [nameof(Domain.ReminderKind.ReportMissing)] = "逾期未报提醒",
        [nameof(Domain.ReminderKind.LookBackDue)] = "回头看提醒",
        ["Digest"] = "整改提醒汇总",
        ["PlanSubmitted"] = "整改方案报审",
        ["PlanReturned"] = "整改方案退回",
        ["PlanAdopted"] = "整改方案审定",
        ["MeasuresAssigned"] = "新任务交办",
        ["ReportFiled"] = "进展报送",
        ["ReportFiledOnBehalf"] = "进展代报",
        ["ReportAccepted"] = "进展采纳",
        ["ReportReturned"] = "进展退回",
        ["ReportWithdrawn"] = "进展撤回",
        ["SupportReported"] = "配合情况",
        ["SupportWithdrawn"] = "配合情况撤回",
        ["SignOffRequested"] = "销号申请",
        ["SignOffAppliedOnBehalf"] = "代为申请销号",
        ["SignOffToApprove"] = "销号待审批",
        ["SignedOff"] = "已销号",
        ["SignOffReturned"] = "销号退回",
        ["MeasureReopened"] = "措施重新打开",
        ["MeasureWithdrawn"] = "措施撤销",
        ["Rebound"] = "回头看发现反弹",
        ["DubanIssued"] = "督办下发",
        ["DubanReplied"] = "督办回复",
        ["DubanReplyReturned"] = "督办回复退回",
        ["PublicationSubmitted"] = "公布稿送审",
        ["PublicationApproved"] = "公布稿审定",
        ["PublicationReturned"] = "公布稿退回",
        ["OpinionsReceived"] = "收到意见建议",
        ["OpinionAssigned"] = "意见建议交办",
        ["OpinionHandled"] = "意见建议办理情况",
        ["ExtensionRequested"] = "延期申请",
        ["ExtensionForwarded"] = "延期待审批",
        ["ExtensionApproved"] = "延期已批准",
        ["ExtensionReturned"] = "延期申请退回",
        ["ExtensionRefused"] = "延期未批准",
        ["ExtensionWithdrawn"] = "延期申请撤回",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The kind in words, in 【】; a kind this build does not know (written by a newer one) as its name.</summary>
    public static string Heading(string kind) => $"【{Words.GetValueOrDefault(kind, kind)}】";

    /// <summary>Every kind that has words, for the test that each kind a sender writes is among them.</summary>
    public static IEnumerable<string> Known => Words.Keys;
}
