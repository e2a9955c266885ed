namespace Rectify.Domain;

/// <summary>Where a request for more time (申请延期) is.</summary>
public enum ExtensionState
{
    /// <summary>待整改办审核: the unit asked.</summary>
    Requested = 0,

    /// <summary>待领导审批: the office reviewed it and sent it on.</summary>
    Forwarded = 1,

    /// <summary>已退回: the office sent it back to the unit.</summary>
    Returned = 2,

    /// <summary>已批准: the deadline moved (a new version of the measure).</summary>
    Approved = 3,

    /// <summary>未批准: the leader refused.</summary>
    Refused = 4,

    /// <summary>撤回: the unit took it back before the office reviewed it.</summary>
    Withdrawn = 5,
}

/// <summary>
/// 申请延期: the lead unit asks for a new deadline with a reason (and a file, kept in the evidence store), the office
/// reviews it (转呈 or 退回), the measure's responsible leader or the first responsible person approves or refuses.
/// Nobody approves a request they made or reviewed. Approval moves the measure's deadline (<see cref="Measure.ExtendDeadline"/>).
/// </summary>
public sealed class DeadlineExtension
{
    private DeadlineExtension()
    {
        Reason = string.Empty;
        RequestedByUserId = string.Empty;
        RequestedByName = string.Empty;
    }

    private DeadlineExtension(Measure measure, int number, DateOnly requested, string reason, Actor actor, DateTime atUtc)
    {
        Measure = measure;
        MeasureId = measure.Id;
        Number = number;
        CurrentDeadline = measure.Deadline;
        RequestedDeadline = requested;
        Reason = PlainText.Clean(reason)!;
        RequestedByUserId = actor.UserId;
        RequestedByName = actor.DisplayName;
        RequestedAtUtc = atUtc;
        State = ExtensionState.Requested;
    }

    public int Id { get; private set; }

    public int MeasureId { get; private set; }

    public Measure Measure { get; private set; } = null!;

    /// <summary>1, 2, 3… per measure.</summary>
    public int Number { get; private set; }

    /// <summary>The deadline in force when the unit asked.</summary>
    public DateOnly? CurrentDeadline { get; private set; }

    public DateOnly RequestedDeadline { get; private set; }

    public string Reason { get; private set; }

    /// <summary>The attachment, in the evidence store (optional).</summary>
    public int? EvidenceFileId { get; private set; }

    public string? AttachmentName { get; private set; }

    public string RequestedByUserId { get; private set; }

    public string RequestedByName { get; private set; }

    public DateTime RequestedAtUtc { get; private set; }

    /// <summary>The state is the concurrency token: two reviewers give one success.</summary>
    public ExtensionState State { get; private set; }

    public string? ReviewedByUserId { get; private set; }

    public string? ReviewedByName { get; private set; }

    public DateTime? ReviewedAtUtc { get; private set; }

    public string? ReviewNote { get; private set; }

    public string? DecidedByUserId { get; private set; }

    public string? DecidedByName { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public string? DecisionNote { get; private set; }

    public bool IsOpen => IsOpenAt(State);

    /// <summary>A request still waiting for the office's review or the leader's decision: one at a time per measure.</summary>
    public static bool IsOpenAt(ExtensionState state) => state is ExtensionState.Requested or ExtensionState.Forwarded;

    /// <summary>The unit asks: a measure with a deadline, not done, no other request open, a later date, a reason.</summary>
    public static DeadlineExtension Request(Measure measure, int number, bool anotherIsOpen, DateOnly? requested, string? reason, DateOnly today, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(measure.WithdrawnAtUtc));
        BusinessRules.Check(new AnExtensionIsForAMeasureWithADeadline(measure.Kind, measure.State, measure.Deadline));
        BusinessRules.Check(new OneExtensionRequestAtATime(anotherIsOpen));
        BusinessRules.Check(new AnExtensionAsksForADate(requested));
        BusinessRules.Check(new AnExtensionMovesTheDeadlineLater(measure.Deadline, requested!.Value));
        BusinessRules.Check(new AnExtensionAsksForAFutureDate(requested.Value, today));
        BusinessRules.Check(new AnExtensionIsWithinReach(requested.Value, today));
        BusinessRules.Check(new AReasonIsRequired("申请延期", reason));
        return new DeadlineExtension(measure, number, requested.Value, reason!, actor, clock.GetUtcNow().UtcDateTime);
    }

    public void Attach(EvidenceFile file, string originalName)
    {
        ArgumentNullException.ThrowIfNull(file);
        EvidenceFileId = file.Id == 0 ? null : file.Id;
        AttachmentFile = file;
        AttachmentName = originalName;
    }

    /// <summary>The attachment as set on a new request (the key follows when saved).</summary>
    public EvidenceFile? AttachmentFile { get; private set; }

    /// <summary>The office sends the request on to the leader (转呈), or back to the unit with a reason (退回).</summary>
    public void Review(bool forward, string? note, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new TheExtensionIsAt(State, ExtensionState.Requested, forward ? "转呈领导审批" : "退回"));
        BusinessRules.Check(new NobodyReviewsTheirOwnExtension(RequestedByUserId, null, actor));
        if (!forward)
        {
            BusinessRules.Check(new AReasonIsRequired("退回延期申请", note));
        }

        State = forward ? ExtensionState.Forwarded : ExtensionState.Returned;
        (ReviewedByUserId, ReviewedByName, ReviewedAtUtc, ReviewNote) = (actor.UserId, actor.DisplayName, clock.GetUtcNow().UtcDateTime, PlainText.Clean(note));
    }

    /// <summary>
    /// 撤回: the unit takes its request back while it waits for the office (asked for the wrong date, or no longer needed);
    /// once the office has forwarded it, it is the leader's to decide. Recorded as who took it back, and when.
    /// </summary>
    public void Withdraw(Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new TheExtensionIsAt(State, ExtensionState.Requested, "撤回"));
        State = ExtensionState.Withdrawn;
        (DecidedByUserId, DecidedByName, DecidedAtUtc, DecisionNote) = (actor.UserId, actor.DisplayName, clock.GetUtcNow().UtcDateTime, null);
    }

    /// <summary>The leader approves (the measure's deadline moves) or refuses with a reason; never one who asked or reviewed.</summary>
    public void Decide(Measure measure, bool approve, string? note, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new TheExtensionIsAt(State, ExtensionState.Forwarded, approve ? "批准" : "不予批准"));
        BusinessRules.Check(new NobodyReviewsTheirOwnExtension(RequestedByUserId, ReviewedByUserId, actor));
        if (!approve)
        {
            BusinessRules.Check(new AReasonIsRequired("不予批准延期", note));
        }

        if (approve)
        {
            measure.ExtendDeadline(RequestedDeadline, actor, clock, $"延期申请第 {Number} 号：{Reason}");
        }

        State = approve ? ExtensionState.Approved : ExtensionState.Refused;
        (DecidedByUserId, DecidedByName, DecidedAtUtc, DecisionNote) = (actor.UserId, actor.DisplayName, clock.GetUtcNow().UtcDateTime, PlainText.Clean(note));
    }

}

/// <summary>Only a 立行立改 or 限期整改 measure with a deadline, not yet signed off (or awaiting sign-off), is extended.</summary>
public sealed class AnExtensionIsForAMeasureWithADeadline(MeasureKind kind, MeasureState state, DateOnly? deadline) : IBusinessRule
{
    public bool IsBroken() => kind == MeasureKind.Ongoing || deadline is null || state is MeasureState.SignedOff or MeasureState.Ongoing;

    public string Message => kind == MeasureKind.Ongoing || deadline is null
        ? "这条措施没有整改时限（长期坚持或尚未确定），不需要申请延期。"
        : "这条措施已销号，不能申请延期。";
}

public sealed class OneExtensionRequestAtATime(bool anotherIsOpen) : IBusinessRule
{
    public bool IsBroken() => anotherIsOpen;

    public string Message => "这条措施已有一份延期申请正在办理，办结后才能再次申请。";
}

public sealed class AnExtensionAsksForADate(DateOnly? requested) : IBusinessRule
{
    public bool IsBroken() => requested is null;

    public string Message => "请填写申请延期到的日期。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnExtensionMovesTheDeadlineLater(DateOnly? current, DateOnly requested) : IBusinessRule
{
    public bool IsBroken() => current is { } c && requested <= c;

    public string Message => $"申请的新时限（{requested:yyyy-MM-dd}）须晚于现在的整改时限（{current:yyyy-MM-dd}）。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnExtensionAsksForAFutureDate(DateOnly requested, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => requested <= today;

    public string Message => $"申请的新时限（{requested:yyyy-MM-dd}）须晚于今天。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>
/// An extension asks for a date at most <see cref="Years"/> years from today: a later one is a typo of the year (2099 for a
/// placeholder), and a longer delay is asked for in steps, each decided on what was done by then.
/// </summary>
public sealed class AnExtensionIsWithinReach(DateOnly requested, DateOnly today) : IBusinessRule
{
    public const int Years = 3;

    public bool IsBroken() => requested > today.AddYears(Years);

    public string Message => $"申请的新时限（{requested:yyyy-MM-dd}）在 {Years} 年以后，请核对年份；确需更长时间的，请到期前再次申请延期。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class TheExtensionIsAt(ExtensionState current, ExtensionState expected, string step) : IBusinessRule
{
    public bool IsBroken() => current != expected;

    public string Message => $"这份延期申请当前为“{Terms.Of(current)}”，不能{step}。";
}

/// <summary>No self-approval: whoever asked for the extension, or reviewed it, does not review or decide it.</summary>
public sealed class NobodyReviewsTheirOwnExtension(string requesterId, string? reviewerId, Actor actor) : IBusinessRule
{
    public bool IsBroken() => string.Equals(requesterId, actor.UserId, StringComparison.Ordinal) || string.Equals(reviewerId, actor.UserId, StringComparison.Ordinal);

    public string Message => string.Equals(requesterId, actor.UserId, StringComparison.Ordinal)
        ? "不能审核或审批自己提出的延期申请。"
        : "已审核这份延期申请的人不能再审批它。";

    public Refusal Refusal => Refusal.NotPermitted;
}
