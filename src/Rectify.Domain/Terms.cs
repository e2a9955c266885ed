namespace Rectify.Domain;

/// <summary>The words of the seed notice and the ledgers for the domain's values (Simplified Chinese).</summary>
public static class Terms
{
    public static string Of(MeasureKind kind) => kind switch
    {
        MeasureKind.Immediate => "立行立改",
        MeasureKind.TimeBound => "限期整改",
        MeasureKind.Ongoing => "长期坚持",
        _ => kind.ToString(),
    };

    public static string Of(MeasureState state) => state switch
    {
        MeasureState.Planned => "未启动",
        MeasureState.InProgress => "整改中",
        MeasureState.AwaitingReview => "待整改办审核",
        MeasureState.AwaitingApproval => "待领导审批",
        MeasureState.SignedOff => "已销号",
        MeasureState.Ongoing => "长期坚持",
        _ => state.ToString(),
    };

    public static string Of(LedgerStanding standing) => standing switch
    {
        LedgerStanding.NotStarted => "未启动",
        LedgerStanding.InProgress => "整改中",
        LedgerStanding.Completed => "已完成",
        _ => standing.ToString(),
    };

    public static string Of(MeasureAction action) => action switch
    {
        MeasureAction.Start => "启动整改",
        MeasureAction.ApplyForSignOff => "申请销号",
        MeasureAction.AcceptApplication => "整改办审核通过",
        MeasureAction.ReturnApplication => "退回",
        MeasureAction.Approve => "领导审批销号",
        MeasureAction.Reopen => "重新打开",
        _ => action.ToString(),
    };

    public static string Of(ReportingCadence cadence) => cadence switch
    {
        ReportingCadence.Weekly => "每周",
        ReportingCadence.Monthly => "每月",
        ReportingCadence.Quarterly => "每季度",
        _ => cadence.ToString(),
    };

    public static string Of(OverdueReason reason) => reason switch
    {
        OverdueReason.PastDeadline => "超期",
        OverdueReason.MissingCadenceReport => "逾期未报",
        _ => string.Empty,
    };

    public static string Of(Completion completion) => completion switch
    {
        Completion.Open => "未完成",
        Completion.Completed => "已完成",
        Completion.Sustained => "持续整改",
        _ => completion.ToString(),
    };

    public static string Of(Signal signal) => signal switch
    {
        Signal.Red => "红",
        Signal.Yellow => "黄",
        Signal.Green => "绿",
        _ => signal.ToString(),
    };

    public static string Of(CadenceStanding standing) => standing switch
    {
        CadenceStanding.Reported => "本期已报送",
        CadenceStanding.Due => "本期待报送",
        CadenceStanding.Missing => "逾期未报",
        _ => string.Empty,
    };

    public static string Of(FindingState state) => state switch
    {
        FindingState.Rectifying => "整改中",
        FindingState.Completed => "已完成",
        FindingState.Ongoing => "长期坚持",
        _ => state.ToString(),
    };

    public static string Of(OrganizationKind kind) => kind switch
    {
        OrganizationKind.PartyCommittee => "党组织",
        OrganizationKind.InspectionOffice => "巡察机构",
        OrganizationKind.InspectionTeam => "巡察组",
        OrganizationKind.Department => "部门",
        OrganizationKind.Community => "社区",
        OrganizationKind.Group => "小组",
        _ => kind.ToString(),
    };

    public static string Of(OutcomeKind kind) => kind switch
    {
        OutcomeKind.MoneyRecovered => "挽回经济损失（万元）",
        OutcomeKind.PeopleHandled => "处理人数",
        OutcomeKind.MeetingsHeld => "召开会议（次）",
        _ => kind.ToString(),
    };

    public static string Of(LeadStatus status) => status switch
    {
        LeadStatus.HandedOver => "已移交",
        LeadStatus.UnderReview => "核查中",
        LeadStatus.Closed => "已办结",
        _ => status.ToString(),
    };

    public static string Of(LookBackResult result) => result switch
    {
        LookBackResult.Consolidated => "巩固",
        LookBackResult.Rebound => "反弹",
        _ => result.ToString(),
    };

    public static string Of(ProgressReportState state) => state switch
    {
        ProgressReportState.Submitted => "待审核",
        ProgressReportState.Accepted => "已采纳",
        ProgressReportState.Returned => "已退回",
        ProgressReportState.Withdrawn => "已撤回",
        _ => state.ToString(),
    };

    public static string Of(PlanState state) => state switch
    {
        PlanState.Drafting => "草拟中",
        PlanState.Submitted => "已报审",
        PlanState.InForce => "已审定实施",
        _ => state.ToString(),
    };

    public static string Of(PlanAction action) => action switch
    {
        PlanAction.Submit => "报审",
        PlanAction.Return => "退回修改",
        PlanAction.Approve => "审定",
        _ => action.ToString(),
    };

    public static string Of(MeasureRevisionKind kind) => kind switch
    {
        MeasureRevisionKind.Approved => "审定通过",
        MeasureRevisionKind.Amended => "调整",
        MeasureRevisionKind.Added => "新增",
        MeasureRevisionKind.Withdrawn => "已撤销",
        MeasureRevisionKind.Extended => "延期",
        _ => kind.ToString(),
    };
    public static string Of(ExtensionState state) => state switch
    {
        ExtensionState.Requested => "待整改办审核",
        ExtensionState.Forwarded => "待领导审批",
        ExtensionState.Returned => "已退回",
        ExtensionState.Approved => "已批准",
        ExtensionState.Refused => "未批准",
        ExtensionState.Withdrawn => "已撤回",
        _ => state.ToString(),
    };

    public static string Of(SupervisionKind kind) => kind switch
    {
        SupervisionKind.Duban => "督办",
        SupervisionKind.Talk => "约谈",
        SupervisionKind.Circular => "通报",
        SupervisionKind.Accountability => "问责",
        _ => kind.ToString(),
    };

    public static string Of(SupervisionState state) => state switch
    {
        SupervisionState.Open => "督办中",
        SupervisionState.Replied => "已回复",
        SupervisionState.Closed => "已办结",
        _ => state.ToString(),
    };

    public static string Of(PublicationState state) => state switch
    {
        PublicationState.Draft => "草稿",
        PublicationState.Submitted => "送审",
        PublicationState.Approved => "审定",
        _ => "已被更正",
    };

    public static string Of(OpinionState state) => state switch
    {
        OpinionState.Received => "已收到",
        OpinionState.Assigned => "办理中",
        OpinionState.Replied => "已答复",
        _ => "已办结",
    };
}
