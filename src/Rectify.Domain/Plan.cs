namespace Rectify.Domain;

/// <summary>Where the inspection's 整改方案 is: drafted by the office, submitted, adopted (审定) and in force (实施).</summary>
public enum PlanState
{
    /// <summary>草拟: the office enters and edits the plan; units do not see it yet.</summary>
    Drafting = 0,

    /// <summary>报审: submitted to the first responsible person; not editable until approved or returned.</summary>
    Submitted = 1,

    /// <summary>审定 · 实施: adopted at a 党委会 and in force; units see their measures, every change is a version.</summary>
    InForce = 2,
}

public enum PlanAction
{
    /// <summary>报审.</summary>
    Submit = 0,

    /// <summary>退回修改.</summary>
    Return = 1,

    /// <summary>审定.</summary>
    Approve = 2,
}

/// <summary>One step of the plan's life: who, when, why (and, for 审定, at which meeting).</summary>
public sealed class PlanTransition
{
    private PlanTransition()
    {
        ActorUserId = string.Empty;
        ActorName = string.Empty;
    }

    internal PlanTransition(Inspection inspection, PlanAction action, PlanState from, PlanState to, Actor actor, DateTime atUtc, string? reason)
    {
        Inspection = inspection;
        Action = action;
        FromState = from;
        ToState = to;
        ActorUserId = actor.UserId;
        ActorName = actor.DisplayName;
        AtUtc = atUtc;
        Reason = PlainText.Clean(reason);
    }

    public long Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public PlanAction Action { get; private set; }

    public PlanState FromState { get; private set; }

    public PlanState ToState { get; private set; }

    public string ActorUserId { get; private set; }

    public string ActorName { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? Reason { get; private set; }
}

/// <summary>How a version of a measure came about.</summary>
public enum MeasureRevisionKind
{
    /// <summary>The measure as the plan was adopted (审定).</summary>
    Approved = 0,

    /// <summary>Changed after adoption (调整), with a reason.</summary>
    Amended = 1,

    /// <summary>Added after adoption (新增), with a reason.</summary>
    Added = 2,

    /// <summary>Withdrawn after adoption (撤销), with a reason.</summary>
    Withdrawn = 3,

    /// <summary>The deadline moved by an approved extension (延期), with the request's reason.</summary>
    Extended = 4,
}

/// <summary>
/// One version of a measure in the adopted plan: the whole of what the plan says about it (text, kind, deadline,
/// leader, units, by name as they were then), who made it, when and why. The first is written when the plan is
/// adopted; every later change writes the next. The plan "as approved on a day" is, per measure, the latest version
/// made on or before that day.
/// </summary>
public sealed class MeasureRevision
{
    private MeasureRevision()
    {
        Text = string.Empty;
        ActorUserId = string.Empty;
        ActorName = string.Empty;
        SupportingUnits = string.Empty;
    }

    internal MeasureRevision(Measure measure, int number, MeasureRevisionKind kind, Actor actor, DateTime atUtc, string? reason)
    {
        Measure = measure;
        Number = number;
        Kind = kind;
        ActorUserId = actor.UserId;
        ActorName = actor.DisplayName;
        AtUtc = atUtc;
        Reason = PlainText.Clean(reason);
        Text = measure.Text;
        MeasureKind = measure.Kind;
        Deadline = measure.Deadline;
        ResponsibleLeader = measure.ResponsibleLeader;
        ResponsibleLeaderId = measure.ResponsibleLeader is { Id: > 0 } leader ? leader.Id : measure.ResponsibleLeader is null ? measure.ResponsibleLeaderId : null;
        ResponsibleLeaderName = measure.ResponsibleLeader?.Name;
        LeadUnit = measure.LeadUnit;
        LeadUnitId = measure.LeadUnit is { Id: > 0 } unit ? unit.Id : measure.LeadUnit is null ? measure.LeadUnitId : null;
        LeadUnitName = measure.LeadUnit?.Name;
        SupportingUnits = string.Join("、", measure.SupportingUnits.Select(s => s.Organization?.Name).Where(n => n is not null).Order(StringComparer.Ordinal));
    }

    public long Id { get; private set; }

    public int MeasureId { get; private set; }

    public Measure Measure { get; private set; } = null!;

    /// <summary>1, 2, 3… per measure.</summary>
    public int Number { get; private set; }

    public MeasureRevisionKind Kind { get; private set; }

    public string ActorUserId { get; private set; }

    public string ActorName { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? Reason { get; private set; }

    public string Text { get; private set; }

    public MeasureKind MeasureKind { get; private set; }

    public DateOnly? Deadline { get; private set; }

    public int? ResponsibleLeaderId { get; private set; }

    public Person? ResponsibleLeader { get; private set; }

    public string? ResponsibleLeaderName { get; private set; }

    public int? LeadUnitId { get; private set; }

    public Organization? LeadUnit { get; private set; }

    public string? LeadUnitName { get; private set; }

    /// <summary>The supporting units' names, in order, joined by 、.</summary>
    public string SupportingUnits { get; private set; }
}

/// <summary>
/// A change to what the plan says about a measure. Only the parts that are set change; a value a person sets
/// clears that field's 演示假设 mark.
/// </summary>
public sealed record MeasureChange
{
    public string? Text { get; init; }

    public MeasureKind? Kind { get; init; }

    public bool SetsDeadline { get; init; }

    public DateOnly? Deadline { get; init; }

    public bool SetsLeader { get; init; }

    public Person? Leader { get; init; }

    public bool SetsLeadUnit { get; init; }

    public Organization? LeadUnit { get; init; }

    /// <summary>The supporting units, replacing those before; null leaves them as they are.</summary>
    public IReadOnlyList<Organization>? SupportingUnits { get; init; }

    public bool IsEmpty => Text is null && Kind is null && !SetsDeadline && !SetsLeader && !SetsLeadUnit && SupportingUnits is null;
}

public sealed class ThePlanIsInState(PlanAction action, PlanState current, params PlanState[] allowed) : IBusinessRule
{
    public bool IsBroken() => !allowed.Contains(current);

    public string Message => $"整改方案当前为“{Terms.Of(current)}”，不能{Terms.Of(action)}。";
}

/// <summary>While the plan waits for adoption nobody edits it: it is returned first.</summary>
public sealed class ASubmittedPlanIsNotEdited(PlanState state) : IBusinessRule
{
    public bool IsBroken() => state == PlanState.Submitted;

    public string Message => "整改方案已报审，审定或退回前不能修改。";
}

/// <summary>A plan is submitted only when every measure says who does what by when.</summary>
public sealed class APlanIsCompleteWhenSubmitted(int measures, IReadOnlyList<string> incomplete) : IBusinessRule
{
    public bool IsBroken() => measures == 0 || incomplete.Count > 0;

    public string Message => measures == 0
        ? "整改方案还没有任何整改措施，不能报审。"
        : $"以下 {incomplete.Count} 条措施还缺少牵头单位、责任领导或整改时限，不能报审：{string.Join("；", incomplete.Take(10))}{(incomplete.Count > 10 ? "……" : string.Empty)}";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class NobodyAdoptsAPlanTheySubmitted(string? submitterId, Actor actor) : IBusinessRule
{
    public bool IsBroken() => submitterId is not null && string.Equals(submitterId, actor.UserId, StringComparison.Ordinal);

    public string Message => "不能审定自己报审的整改方案。";
}

/// <summary>审定 names the meeting that adopted the plan, on a day that has happened and not before the feedback.</summary>
public sealed class AnAdoptionNamesItsMeeting(string? meetingName, DateOnly? meetingDate, DateOnly? feedbackDate, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(meetingName) || meetingDate is not { } d || d > today || (feedbackDate is { } f && d < f);

    public string Message => PlainText.IsBlank(meetingName) || meetingDate is null
        ? "审定整改方案须填写审定会议（如党委会）名称和日期。"
        : meetingDate > today
            ? $"审定会议日期（{meetingDate:yyyy-MM-dd}）不能晚于今天。"
            : $"审定会议日期（{meetingDate:yyyy-MM-dd}）不能早于巡察反馈日期（{feedbackDate:yyyy-MM-dd}）。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>After adoption a change is a version of the plan, and says why.</summary>
public sealed class AChangeToTheAdoptedPlanSaysWhy(PlanState state, string? reason) : IBusinessRule
{
    public bool IsBroken() => state == PlanState.InForce && PlainText.IsBlank(reason);

    public string Message => "整改方案已审定实施，调整须说明理由。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>Before adoption a measure is deleted (it was never in force); after it, it is withdrawn (撤销) with a reason.</summary>
public sealed class OnlyAnAdoptedPlanWithdrawsMeasures(PlanState state) : IBusinessRule
{
    public bool IsBroken() => state != PlanState.InForce;

    public string Message => state == PlanState.Submitted
        ? "整改方案已报审，审定或退回前不能修改。"
        : "整改方案尚未审定，措施不需要撤销，可以直接删除。";
}

/// <summary>A measure is withdrawn once; after that it is changed no more.</summary>
public sealed class AWithdrawnMeasureIsChangedNoMore(DateTime? withdrawnAtUtc) : IBusinessRule
{
    public bool IsBroken() => withdrawnAtUtc is not null;

    public string Message => "这条措施已撤销，不能再修改或办理。";
}

/// <summary>A signed-off measure is done: it stays in the plan and in the figures (a look-back may reopen it).</summary>
public sealed class ASignedOffMeasureIsNotWithdrawn(MeasureState state) : IBusinessRule
{
    public bool IsBroken() => state == MeasureState.SignedOff;

    public string Message => "这条措施已销号，整改已完成，不能撤销。";
}

public sealed class AWithdrawalSaysWhy(string? reason) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(reason);

    public string Message => "撤销措施须说明理由。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>
/// Only a measure of a plan still in draft is deleted, and only while nothing has happened to it (no step, no report,
/// no look-back); once the plan is in force it is withdrawn instead, so that its history stays.
/// </summary>
public sealed class OnlyAnUntouchedDraftMeasureIsDeleted(PlanState state, bool touched) : IBusinessRule
{
    public bool IsBroken() => state != PlanState.Drafting || touched;

    public string Message => state switch
    {
        PlanState.InForce => "整改方案已审定实施，措施不能删除，只能撤销（须说明理由）。",
        PlanState.Submitted => "整改方案已报审，审定或退回前不能修改。",
        _ => "这条措施已有办理记录、进展报送或回头看，不能删除。",
    };
}

/// <summary>A measure moves (a step, a report, a 督办 naming it) only once its plan is adopted and in force (审定实施).</summary>
public sealed class AMeasureActsUnderAPlanInForce(PlanState plan) : IBusinessRule
{
    public bool IsBroken() => plan != PlanState.InForce;

    public string Message => "整改方案尚未审定实施，措施还不能启动、报送、申请销号或督办。请先将整改方案报审并审定。";

    public Refusal Refusal => Refusal.Conflict;
}
