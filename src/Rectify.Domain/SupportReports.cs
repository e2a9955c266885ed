namespace Rectify.Domain;

/// <summary>
/// 配合情况: what a supporting unit (配合单位) did for a measure another unit leads, handed to the lead unit (牵头单位 负总责，
/// 配合单位 按职责分工配合落实). It is not a progress report: the office does not review it and it settles no reporting
/// period; the lead unit draws on it for its own report, and the office sees who has handed in what. With one optional
/// file, kept in the evidence store as a report's are.
/// </summary>
public sealed class SupportReport
{
    /// <summary>The longest 配合情况.</summary>
    public const int MaxNarrative = 5000;

    private SupportReport()
    {
        Narrative = string.Empty;
        SubmittedByUserId = string.Empty;
        SubmittedByName = string.Empty;
    }

    private SupportReport(Measure measure, int organizationId, string narrative, Actor actor, DateTime atUtc)
    {
        MeasureId = measure.Id;
        OrganizationId = organizationId;
        Narrative = narrative;
        SubmittedByUserId = actor.UserId;
        SubmittedByName = actor.DisplayName;
        SubmittedAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int MeasureId { get; private set; }

    /// <summary>The supporting unit it speaks for (one of the measure's 配合单位).</summary>
    public int OrganizationId { get; private set; }

    public string Narrative { get; private set; }

    public string SubmittedByUserId { get; private set; }

    public string SubmittedByName { get; private set; }

    public DateTime SubmittedAtUtc { get; private set; }

    public int? EvidenceFileId { get; private set; }

    public EvidenceFile? AttachmentFile { get; private set; }

    public string? AttachmentName { get; private set; }

    /// <summary>When the unit took it back (撤回): kept and shown as taken back, no longer its part handed in; null while it stands.</summary>
    public DateTime? WithdrawnAtUtc { get; private set; }

    /// <summary>Who took it back.</summary>
    public string? WithdrawnByName { get; private set; }

    /// <summary>
    /// The rules a 配合情况 meets before anything (its file included) is stored: the measure is under way in a plan in
    /// force (the caller checks the plan), the unit is one of its supporting units, and it says what was done.
    /// </summary>
    public static void CheckFiling(MeasureState state, DateTime? withdrawnAtUtc, bool unitSupportsIt, string? narrative)
    {
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(withdrawnAtUtc));
        BusinessRules.Check(new SupportIsHandedInOnMeasuresUnderWay(state));
        BusinessRules.Check(new ASupportReportIsByASupportingUnit(unitSupportsIt));
        var text = PlainText.Clean(narrative);
        BusinessRules.Check(new ASupportReportSaysWhatWasDone(text));
        BusinessRules.Check(new ATextFitsItsField("配合情况", text, MaxNarrative));
    }

    /// <summary>Files the 配合情况 of the supporting unit <paramref name="organizationId"/> on <paramref name="measure"/>.</summary>
    public static SupportReport File(Measure measure, int organizationId, bool unitSupportsIt, string? narrative, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        CheckFiling(measure.State, measure.WithdrawnAtUtc, unitSupportsIt, narrative);
        return new SupportReport(measure, organizationId, PlainText.Clean(narrative)!, actor, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// From when a supporting unit's 配合情况 counts as its part for now: a 长期坚持 measure in its ongoing state is reported
    /// on every period (the inspection's 报送周期), so the lead unit needs its supporting units' part each period too — one
    /// handed in since the current period began; for any other measure under way, one handed in at any time (null).
    /// </summary>
    public static DateTime? PartCountsFromUtc(MeasureKind kind, MeasureState state, ReportingCadence? cadence, DateOnly today) =>
        kind == MeasureKind.Ongoing && state == MeasureState.Ongoing
            ? ReportingCadences.CurrentPeriodStartUtc(cadence ?? ReportingCadences.Default, today)
            : null;

    /// <summary>
    /// Takes the 配合情况 back (撤回): wrongly sent, or to be sent again corrected. The record stays, shown as taken back
    /// to all who see the measure, and no longer counts as the unit's part handed in. Only while the measure is under way:
    /// once it is signed off, what was handed in for it stands.
    /// </summary>
    public void Withdraw(MeasureState measureState, DateTime? measureWithdrawnAtUtc, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        foreach (var rule in TakeBackRules(WithdrawnAtUtc, measureState, measureWithdrawnAtUtc))
        {
            BusinessRules.Check(rule);
        }

        WithdrawnAtUtc = clock.GetUtcNow().UtcDateTime;
        WithdrawnByName = actor.DisplayName;
    }

    /// <summary>The rules a take-back (撤回) meets, in the order they are checked: the page offers the button when none is broken.</summary>
    public static IBusinessRule[] TakeBackRules(DateTime? withdrawnAtUtc, MeasureState measureState, DateTime? measureWithdrawnAtUtc) =>
    [
        new AWithdrawnMeasureIsChangedNoMore(measureWithdrawnAtUtc),
        new ASupportReportIsTakenBackOnce(withdrawnAtUtc),
        new ASupportReportIsTakenBackWhileTheMeasureIsUnderWay(measureState),
    ];

    public void Attach(EvidenceFile file, string originalName)
    {
        ArgumentNullException.ThrowIfNull(file);
        EvidenceFileId = file.Id == 0 ? null : file.Id;
        AttachmentFile = file;
        AttachmentName = originalName;
    }
}

/// <summary>The unit a 配合情况 is handed in for is one of the measure's supporting units, and the caller's (or under it).</summary>
public sealed class ASupportReportIsByASupportingUnit(bool unitSupportsIt) : IBusinessRule
{
    public bool IsBroken() => !unitSupportsIt;

    public string Message => "所选单位不是这条措施的配合单位，或不在您所在单位之下。";

    public Refusal Refusal => Refusal.NotPermitted;
}

public sealed class SupportIsHandedInOnMeasuresUnderWay(MeasureState state) : IBusinessRule
{
    public bool IsBroken() => state is not (MeasureState.InProgress or MeasureState.Ongoing);

    public string Message => $"措施当前状态为“{Terms.Of(state)}”，不能报送配合情况（整改中或长期坚持的措施才能报送）。";
}

/// <summary>
/// The same 配合情况 is not handed in twice: a form sent again (a page reloaded after sending, a replayed request) — the
/// same person, unit, words and file as the last one of that unit on the measure.
/// </summary>
public sealed class ASupportReportIsNotHandedInTwice(SupportReport? last, SupportReport report, string? lastSha256, string? sha256) : IBusinessRule
{
    public bool IsBroken() =>
        last is not null && last.SubmittedByUserId == report.SubmittedByUserId && last.OrganizationId == report.OrganizationId
        && last.Narrative == report.Narrative && lastSha256 == sha256;

    public string Message => "这份配合情况已经报送过了，请勿重复提交；如需补充，请修改内容或附件后再报送。";
}

/// <summary>A 配合情况 is taken back by a reporter of the unit it speaks for (or of one above it), as it was handed in.</summary>
public sealed class ASupportReportIsTakenBackByItsUnit(bool callerSpeaksForIt) : IBusinessRule
{
    public bool IsBroken() => !callerSpeaksForIt;

    public string Message => "只有报送这份配合情况的配合单位的联络员可以撤回它。";

    public Refusal Refusal => Refusal.NotPermitted;
}

public sealed class ASupportReportIsTakenBackOnce(DateTime? withdrawnAtUtc) : IBusinessRule
{
    public bool IsBroken() => withdrawnAtUtc is not null;

    public string Message => "这份配合情况已经撤回了。";
}

public sealed class ASupportReportIsTakenBackWhileTheMeasureIsUnderWay(MeasureState state) : IBusinessRule
{
    public bool IsBroken() => state is not (MeasureState.InProgress or MeasureState.Ongoing);

    public string Message => $"措施当前状态为“{Terms.Of(state)}”，已报送的配合情况不能再撤回（措施处于整改中或长期坚持时，才能撤回配合情况）。";
}

public sealed class ASupportReportSaysWhatWasDone(string? narrative) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(narrative);

    public string Message => "请填写配合情况：本单位按分工做了哪些工作。";

    public Refusal Refusal => Refusal.Invalid;
}
