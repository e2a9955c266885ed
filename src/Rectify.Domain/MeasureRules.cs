namespace Rectify.Domain;

public sealed class TransitionMustStartFromAllowedState(MeasureAction action, MeasureState current, params MeasureState[] allowed) : IBusinessRule
{
    public bool IsBroken() => !allowed.Contains(current);

    public string Message =>
        $"措施当前状态为“{Terms.Of(current)}”，不能“{Terms.Of(action)}”（只能在“{string.Join("”或“", allowed.Select(Terms.Of))}”时进行）。";
}

public sealed class OngoingMeasuresAreNeverSignedOff(MeasureKind kind) : IBusinessRule
{
    public bool IsBroken() => kind == MeasureKind.Ongoing;

    public string Message => "长期坚持类措施按周期报送进展，不申请销号。";
}

/// <summary>销号 stands on evidence: at least one progress report the office has accepted since the measure was (re)opened.</summary>
public sealed class SignOffNeedsAnAcceptedReport(bool hasAcceptedReport) : IBusinessRule
{
    public bool IsBroken() => !hasAcceptedReport;

    public string Message => "申请销号前，需要至少一份已被整改办采纳的进展报送（附佐证材料）。请先报送进展，待整改办采纳后再申请。";
}

public sealed class NobodyReviewsTheirOwnApplication(string? applicantId, Actor actor) : IBusinessRule
{
    public bool IsBroken() => applicantId is not null && string.Equals(applicantId, actor.UserId, StringComparison.Ordinal);

    public string Message => "不能审核或审批自己提交的销号申请。";
}

/// <summary>
/// Separated duties: the two sign-off levels (整改办 accepts, the leader approves) are two different people, whatever
/// roles one person holds; a person holding both may give one level, never both.
/// </summary>
public sealed class TheTwoSignOffLevelsAreTwoPeople(string? acceptedById, Actor actor) : IBusinessRule
{
    public bool IsBroken() => acceptedById is not null && string.Equals(acceptedById, actor.UserId, StringComparison.Ordinal);

    public string Message => "销号的两级审核须由两个人分别完成：您已审核通过这项销号申请，审批须由另一人进行。";

    public Refusal Refusal => Refusal.NotPermitted;
}

/// <summary>Separated duties: who reviewed and accepted the evidence (the progress report) does not also approve the sign-off that stands on it.</summary>
public sealed class WhoAcceptedTheEvidenceDoesNotApproveTheSignOff(string? evidenceAcceptedById, Actor actor) : IBusinessRule
{
    public bool IsBroken() => evidenceAcceptedById is not null && string.Equals(evidenceAcceptedById, actor.UserId, StringComparison.Ordinal);

    public string Message => "进展报送的审核与销号审批须由两个人分别完成：您已采纳这项措施的佐证材料，销号须由另一人审批。";

    public Refusal Refusal => Refusal.NotPermitted;
}

/// <summary>Returning, reopening and refusing need a reason that the person on the other side can read.</summary>
public sealed class AReasonIsRequired(string step, string? reason) : IBusinessRule
{
    public AReasonIsRequired(MeasureAction action, string? reason)
        : this(Terms.Of(action), reason)
    {
    }

    public bool IsBroken() => PlainText.IsBlank(reason);

    public string Message => $"“{step}”必须说明理由。";

    /// <summary>Something the person must type is missing: their input, not the measure's state (400, not 409).</summary>
    public Refusal Refusal => Refusal.Invalid;
}

public sealed class UnknownAction(MeasureAction action) : IBusinessRule
{
    public bool IsBroken() => !Enum.IsDefined(action);

    public string Message => $"未知的操作“{action}”。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class MeasureCanOnlyBeReplannedBeforeItStarts(MeasureState current) : IBusinessRule
{
    public bool IsBroken() => current != MeasureState.Planned;

    public string Message => $"措施已启动（当前状态“{Terms.Of(current)}”），类型、时限和责任不能直接修改。";
}

public sealed class TimeBoundMeasureNeedsADeadline(MeasureKind kind, DateOnly? deadline) : IBusinessRule
{
    public bool IsBroken() => kind == MeasureKind.TimeBound && deadline is null;

    public string Message => "限期整改类措施必须有整改时限。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>
/// A deadline is not set before the inspection began: before its 进驻 (or, without that date, more than a year before its
/// feedback — an on-site period is weeks, and 边巡边改 measures may be done before the feedback). Such a date is a typo of
/// the year (2019 for 2026), and it would make the measure 超期 from its first day.
/// </summary>
public sealed class ADeadlineIsNotBeforeTheInspection(DateOnly? deadline, DateOnly? onSiteFrom, DateOnly? feedbackDate) : IBusinessRule
{
    private DateOnly? Earliest => onSiteFrom ?? feedbackDate?.AddYears(-1);

    public bool IsBroken() => deadline is { } d && Earliest is { } e && d < e;

    public string Message => onSiteFrom is { } from
        ? $"整改时限 {Day(deadline)} 早于本次巡察进驻（{Day(from)}），请核对年份。"
        : $"整改时限 {Day(deadline)} 比本次巡察的反馈日期（{Day(feedbackDate)}）早一年以上，请核对年份。";

    public Refusal Refusal => Refusal.Invalid;

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>
/// A deadline is not set more than <see cref="Years"/> years after the inspection's feedback (or its 进驻, without a feedback
/// date): a rectification runs months, a hard case a year or two, and 长期坚持 measures have no deadline at all. Such a date
/// is a typo of the year (2062 for 2026, 2099 for a placeholder).
/// </summary>
public sealed class ADeadlineIsNotYearsAfterTheInspection(DateOnly? deadline, DateOnly? onSiteFrom, DateOnly? feedbackDate) : IBusinessRule
{
    public const int Years = 5;

    private DateOnly? From => feedbackDate ?? onSiteFrom;

    public bool IsBroken() => deadline is { } d && From is { } f && d > f.AddYears(Years);

    public string Message => $"整改时限 {Day(deadline)} 在本次巡察{(feedbackDate is null ? "进驻" : "反馈")}（{Day(From)}）{Years} 年以后，请核对年份。";

    public Refusal Refusal => Refusal.Invalid;

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}

public sealed class AMeasureSaysWhatIsDone(string? text) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(text);

    public string Message => "请填写整改措施的内容。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>A started measure is either signed off or reported on a cadence; it cannot switch between the two.</summary>
public sealed class AStartedMeasureKeepsItsWayOfReporting(MeasureState state, MeasureKind from, MeasureKind to) : IBusinessRule
{
    public bool IsBroken() => state != MeasureState.Planned && (from == MeasureKind.Ongoing) != (to == MeasureKind.Ongoing);

    public string Message => $"措施已启动，不能在“{Terms.Of(from)}”和“{Terms.Of(to)}”之间改换（长期坚持按周期报送、不销号）。";
}
