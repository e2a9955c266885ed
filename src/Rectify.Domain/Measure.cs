namespace Rectify.Domain;

/// <summary>整改类型.</summary>
public enum MeasureKind
{
    /// <summary>立行立改.</summary>
    Immediate = 0,

    /// <summary>限期整改.</summary>
    TimeBound = 1,

    /// <summary>长期坚持.</summary>
    Ongoing = 2,
}

/// <summary>Where a measure is in its life (DESIGN.md, "The life of a measure").</summary>
public enum MeasureState
{
    /// <summary>未启动.</summary>
    Planned = 0,

    /// <summary>整改中.</summary>
    InProgress = 1,

    /// <summary>待整改办审核 (the unit applied for sign-off).</summary>
    AwaitingReview = 2,

    /// <summary>待领导审批.</summary>
    AwaitingApproval = 3,

    /// <summary>已销号.</summary>
    SignedOff = 4,

    /// <summary>长期坚持: reported on a cadence, never signed off.</summary>
    Ongoing = 5,
}

/// <summary>
/// 原台账状态: where the office's own ledger said a measure stood when it was imported (the ledger's 状态 column). A
/// measure not yet started is started with it, by whoever adopts the plan (or at once, in a plan in force), and the
/// step says so; 已完成 goes no further than that: 销号 still needs the unit's evidence, the office's review and the
/// leader's approval.
/// </summary>
public enum LedgerStanding
{
    /// <summary>未启动 (未开始…): said so in a later file, it takes back a standing an earlier one gave; never kept.</summary>
    NotStarted = 0,

    /// <summary>整改中 (正在整改, 基本完成, 长期坚持… in the ledger).</summary>
    InProgress = 1,

    /// <summary>已完成 (已整改, 已销号, 办结… in the ledger).</summary>
    Completed = 2,
}

public enum MeasureAction
{
    Start = 0,
    ApplyForSignOff = 1,
    AcceptApplication = 2,
    ReturnApplication = 3,
    Approve = 4,
    Reopen = 5,
}

/// <summary>Fields whose value the source document did not state, so someone (an import, the demo) assumed it.</summary>
[Flags]
public enum AssumedFields
{
    None = 0,
    Kind = 1,
    Deadline = 2,
    ResponsibleLeader = 4,
    LeadUnit = 8,
}

/// <summary>Who does something: the signed-in user's id and the name shown in history.</summary>
public sealed record Actor(string UserId, string DisplayName);

/// <summary>整改措施: one action of a finding's rectification ("一是…").</summary>
public sealed class Measure
{
    private readonly List<MeasureTransition> transitions = [];
    private readonly List<MeasureSupportingUnit> supportingUnits = [];
    private readonly List<MeasureRevision> revisions = [];

    private Measure()
    {
        Text = string.Empty;
    }

    internal Measure(Finding finding, int number, string text, MeasureKind kind, AssumedFields assumed = AssumedFields.None)
    {
        AssumedFields = assumed;
        Finding = finding;

        // A finding read without its inspection would give a measure that belongs to none.
        Inspection = finding.Inspection ?? throw new InvalidOperationException("问题的巡察未加载，不能添加措施（读取问题时请一并读取其巡察）。");
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "措施序号必须大于 0。");
        Text = PlainText.Clean(text) ?? throw new ArgumentException("措施内容不能为空。", nameof(text));
        Kind = kind;
        State = MeasureState.Planned;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public int FindingId { get; private set; }

    public Finding Finding { get; private set; } = null!;

    /// <summary>Its place in the finding: 1 for 一是, 2 for 二是…</summary>
    public int Number { get; private set; }

    public string Text { get; private set; }

    /// <summary>
    /// 公开进展: what the office writes about this measure for the public progress notice. It is separate from the
    /// units' report narratives, which stay internal; an imported notice fills it with the notice's own words.
    /// </summary>
    public string? PublicProgress { get; private set; }

    /// <summary>The office writes (or clears, with nothing) the measure's public progress text.</summary>
    public void WritePublicProgress(string? text)
    {
        var clean = PlainText.Clean(text);
        BusinessRules.Check(new APublicProgressTextIsShort(clean));
        PublicProgress = clean;
    }

    public sealed class APublicProgressTextIsShort(string? text) : IBusinessRule
    {
        public const int MaxLength = 4000;

        public bool IsBroken() => text is { Length: > MaxLength };

        public string Message => $"公开进展不能超过 {MaxLength} 个字符。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public MeasureKind Kind { get; private set; }

    /// <summary>整改时限. None for 长期坚持 measures that have no end.</summary>
    public DateOnly? Deadline { get; private set; }

    /// <summary>
    /// 原整改时限: the deadline before the first approved extension (申请延期); null while the measure was never extended.
    /// <see cref="Deadline"/> is then the revised one, which 超期 is judged against.
    /// </summary>
    public DateOnly? OriginalDeadline { get; private set; }

    /// <summary>延期次数: how many extensions were approved.</summary>
    public int ExtensionCount { get; private set; }

    public int? ResponsibleLeaderId { get; private set; }

    public Person? ResponsibleLeader { get; private set; }

    public int? LeadUnitId { get; private set; }

    public Organization? LeadUnit { get; private set; }

    public IReadOnlyList<MeasureSupportingUnit> SupportingUnits => supportingUnits;

    public MeasureState State { get; private set; }

    /// <summary>The user who applied for the sign-off now under way; nobody reviews or approves their own application.</summary>
    public string? SignOffApplicantId { get; private set; }

    /// <summary>The user who accepted the application now awaiting approval (first level); the second level must be somebody else.</summary>
    public string? SignOffAcceptedById { get; private set; }

    /// <summary>The user who accepted the evidence (the last accepted progress report); the approval of the sign-off must be somebody else.</summary>
    public string? EvidenceAcceptedById { get; private set; }

    public AssumedFields AssumedFields { get; private set; }

    /// <summary>Optimistic concurrency: two people acting on the same state cannot both win.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<MeasureTransition> Transitions => transitions;

    /// <summary>原台账状态 as the import read it (see <see cref="Rectify.Domain.LedgerStanding"/>); null when no ledger said.</summary>
    public LedgerStanding? LedgerStanding { get; private set; }

    /// <summary>
    /// 原台账进展: what the office's own ledger said of the work (its 整改进展 column) when it was imported; the unit's
    /// first progress report starts from it. Internal, like the reports: never the public progress text.
    /// </summary>
    public string? LedgerProgress { get; private set; }

    /// <summary>How long a ledger's account of the work may be: half a progress report's, which it starts (the unit adds to it).</summary>
    public const int MaxLedgerProgress = ProgressReport.MaxNarrative / 2;

    /// <summary>
    /// An import read what the office's ledger says of the measure: where it stands and how the work went. What the file
    /// leaves empty (null) changes nothing; an empty account ("", a cell saying 无) takes back the one kept.
    /// </summary>
    public void NoteLedger(LedgerStanding? standing, string? progress)
    {
        // A withdrawn measure changes no more; a started one goes its own way (the note would start nothing).
        if (IsWithdrawn || State != MeasureState.Planned)
        {
            return;
        }

        var account = PlainText.Clean(progress);
        BusinessRules.Check(new ATextFitsItsField("原台账进展", account, MaxLedgerProgress));
        if (standing is { } said && Enum.IsDefined(said))
        {
            LedgerStanding = said == Rectify.Domain.LedgerStanding.NotStarted ? null : said;
        }

        if (account is not null || progress is "")
        {
            LedgerProgress = account;
        }
    }

    /// <summary>
    /// 原台账已完成、未销号: an imported 台账 called the measure 已完成, and it is 整改中 — its report with evidence and its 销号
    /// still owed. Not a 长期坚持 measure (it is never signed off), nor one withdrawn (撤销), nor one whose sign-off is under
    /// way. The SQL twin is LedgerQueries.LedgerSaysDone.
    /// </summary>
    public static bool LedgerSaysDoneAndOwed(LedgerStanding? standing, MeasureState state, DateTime? withdrawnAtUtc) =>
        standing == Rectify.Domain.LedgerStanding.Completed && state == MeasureState.InProgress && withdrawnAtUtc is null;

    /// <summary>What the step that starts a measure as its ledger says records as its reason.</summary>
    public static string LedgerStandingBasis(LedgerStanding standing, MeasureKind kind) => (standing, kind) switch
    {
        (Rectify.Domain.LedgerStanding.Completed, MeasureKind.Ongoing) => "据导入的原台账（状态：已完成）启动；长期坚持的措施按报送周期报送进展，不销号。",
        (Rectify.Domain.LedgerStanding.Completed, _) => "据导入的原台账（状态：已完成）记为整改中；销号仍须责任单位报送佐证材料、申请销号，经整改办审核、领导审批。",
        _ => "据导入的原台账（状态：整改中）启动。",
    };

    /// <summary>
    /// Starts the measure as its ledger says (<see cref="LedgerStanding"/>), when the plan is adopted or an import reaches
    /// a plan in force; false, changing nothing, when the ledger said nothing or the measure is started already.
    /// </summary>
    public bool StartAsLedgerSays(Actor actor, TimeProvider clock)
    {
        if (LedgerStanding is not { } standing || State != MeasureState.Planned || IsWithdrawn)
        {
            return false;
        }

        Start(actor, clock, LedgerStandingBasis(standing, Kind));
        return true;
    }

    /// <summary>When the measure entered 长期坚持; its cadence reports are owed from then.</summary>
    public DateTime? OngoingSinceUtc { get; private set; }

    /// <summary>When the last progress report that was not returned was filed (kept by the report service).</summary>
    public DateTime? LastReportAtUtc { get; private set; }

    /// <summary>
    /// How many of its progress reports wait for the office's review (待审核). Kept by the report service in the transaction
    /// that files or reviews one, as an increment or decrement in the database (so that a filing and a review of another
    /// report at once both count), never set here: 待办 finds these measures by an index of their own (ADR 0035).
    /// </summary>
    public int ReportsAwaitingReview { get; private set; }

    /// <summary>
    /// When the office last accepted (采纳) a progress report on this measure since it was last opened: the evidence an
    /// application for 销号 stands on. A reopening clears it, so a rebound needs new evidence.
    /// </summary>
    public DateTime? EvidenceAcceptedAtUtc { get; private set; }

    /// <summary>
    /// When the measure was withdrawn (撤销) from the plan in force, with the reason in its last version; null while it
    /// stands. A withdrawn measure leaves every working view and figure (AccessQueries.VisibleMeasures) and changes no more.
    /// </summary>
    public DateTime? WithdrawnAtUtc { get; private set; }

    public bool IsWithdrawn => WithdrawnAtUtc is not null;

    /// <summary>The facts the overdue rule reads.</summary>
    public OverdueFacts OverdueFacts => new(Kind, State, Deadline, Inspection?.ReportingCadence, OngoingSinceUtc, LastReportAtUtc);

    /// <summary>Overdue is derived, never stored: 超期 or 逾期未报 (see <see cref="OverdueReasonAt"/>).</summary>
    public bool IsOverdue(DateOnly today) => OverdueReasonAt(OverdueFacts, today) != OverdueReason.None;

    /// <summary>The overdue rule on plain values, for rows read without the entity.</summary>
    public static bool IsOverdueAt(OverdueFacts facts, DateOnly today) => OverdueReasonAt(facts, today) != OverdueReason.None;

    /// <summary>
    /// 超期 (late to finish): a 立行立改 or 限期整改 measure past its deadline and not signed off. A 长期坚持 measure has
    /// no deadline to miss. Its SQL twin is <c>LedgerQueries.IsPastDeadlineOn</c> (docs/rules.md).
    /// </summary>
    public static bool IsPastDeadlineAt(OverdueFacts facts, DateOnly today) =>
        facts.Kind != MeasureKind.Ongoing
        && facts.Deadline is { } d && d < today
        && facts.State is not (MeasureState.SignedOff or MeasureState.Ongoing);

    /// <summary>
    /// 逾期未报 (late to report): a 长期坚持 measure that was under way at the start of the last closed reporting period
    /// and has had no report filed since (see <see cref="ReportingCadences"/>). Its SQL twin is
    /// <c>LedgerQueries.IsMissingCadenceReportOn</c> (docs/rules.md).
    /// </summary>
    public static bool IsMissingCadenceReportAt(OverdueFacts facts, DateOnly today)
    {
        if (facts.Kind != MeasureKind.Ongoing || facts.State != MeasureState.Ongoing || facts.OngoingSinceUtc is not { } since)
        {
            return false;
        }

        var owedFrom = ReportingCadences.LastClosedPeriodStartUtc(facts.Cadence ?? ReportingCadences.Default, today);
        return since <= owedFrom && !(facts.LastReportAtUtc >= owedFrom);
    }

    /// <summary>
    /// 本期待报送: a 长期坚持 measure under way with nothing filed yet in the current reporting period. Its SQL twin is
    /// <c>LedgerQueries.CadenceReportDueOn</c>.
    /// </summary>
    public static bool IsCadenceReportDueAt(OverdueFacts facts, DateOnly today) =>
        facts.Kind == MeasureKind.Ongoing && facts.State == MeasureState.Ongoing
        && !(facts.LastReportAtUtc >= ReportingCadences.CurrentPeriodStartUtc(facts.Cadence ?? ReportingCadences.Default, today));

    /// <summary>
    /// Why the measure is overdue on <paramref name="today"/>: 超期 (<see cref="IsPastDeadlineAt"/>) or 逾期未报
    /// (<see cref="IsMissingCadenceReportAt"/>). The two never hold together: one needs a measure that is not
    /// 长期坚持, the other one that is.
    /// </summary>
    public static OverdueReason OverdueReasonAt(OverdueFacts facts, DateOnly today) =>
        IsPastDeadlineAt(facts, today) ? OverdueReason.PastDeadline
        : IsMissingCadenceReportAt(facts, today) ? OverdueReason.MissingCadenceReport
        : OverdueReason.None;

    /// <summary>
    /// Whether the measure counts as done for 完成率: 已完成 when signed off (已销号); 持续整改 when it is a 长期坚持
    /// measure in its ongoing state and not 逾期未报; otherwise not done (docs/rules.md).
    /// </summary>
    public static Completion CompletionAt(OverdueFacts facts, DateOnly today) => facts.State switch
    {
        MeasureState.SignedOff => Completion.Completed,
        MeasureState.Ongoing when !IsMissingCadenceReportAt(facts, today) => Completion.Sustained,
        _ => Completion.Open,
    };

    /// <summary>报送情况 of a 长期坚持 measure under way: 逾期未报, else 本期待报送, else 本期已报送; none for any other measure.</summary>
    public static CadenceStanding CadenceStandingAt(OverdueFacts facts, DateOnly today) =>
        facts.Kind != MeasureKind.Ongoing || facts.State != MeasureState.Ongoing ? CadenceStanding.None
        : IsMissingCadenceReportAt(facts, today) ? CadenceStanding.Missing
        : IsCadenceReportDueAt(facts, today) ? CadenceStanding.Due
        : CadenceStanding.Reported;

    public void Plan(MeasureKind kind, DateOnly? deadline, Person? responsibleLeader, Organization? leadUnit, AssumedFields assumed = AssumedFields.None)
    {
        BusinessRules.Check(new MeasureCanOnlyBeReplannedBeforeItStarts(State));
        BusinessRules.Check(new TimeBoundMeasureNeedsADeadline(kind, deadline));
        Kind = kind;
        Deadline = deadline;
        ResponsibleLeader = responsibleLeader;
        LeadUnit = leadUnit;
        AssumedFields = assumed;
    }

    /// <summary>The measure's versions in the adopted plan (none while the plan is a draft).</summary>
    public IReadOnlyList<MeasureRevision> Revisions => revisions;

    /// <summary>
    /// Changes what the plan says about the measure. While the plan is a draft this is plain editing; once it is in
    /// force the change needs a reason and becomes the measure's next version; while it is submitted nothing changes.
    /// A field a person sets is no longer a 演示假设.
    /// </summary>
    public void Amend(MeasureChange change, Actor actor, TimeProvider clock, string? reason)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        var planState = Inspection?.PlanState ?? throw new InvalidOperationException("措施的巡察未加载，不能修改措施。");
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(WithdrawnAtUtc));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(planState));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(planState, reason));
        BusinessRules.Check(new AMeasureSaysWhatIsDone(change.Text ?? Text));
        var kind = change.Kind ?? Kind;
        var deadline = change.SetsDeadline ? change.Deadline : Deadline;
        if (kind == MeasureKind.Ongoing)
        {
            deadline = null;
        }

        if (change.Kind is not null || change.SetsDeadline)
        {
            // A change that touches neither kind nor deadline does not ask for a deadline: a measure read without one
            // (a notice, a ledger without that column) can get its leader and units first; 报审 asks for it.
            BusinessRules.Check(new TimeBoundMeasureNeedsADeadline(kind, deadline));
        }

        if (change.SetsDeadline && deadline != Deadline)
        {
            // Only a deadline being set: one the plan already has (an older plan's, or one before a 进驻 date corrected
            // later) does not stop a change of the measure's other fields.
            BusinessRules.Check(new ADeadlineIsNotBeforeTheInspection(deadline, Inspection.OnSiteFrom, Inspection.FeedbackDate));
            BusinessRules.Check(new ADeadlineIsNotYearsAfterTheInspection(deadline, Inspection.OnSiteFrom, Inspection.FeedbackDate));
        }

        BusinessRules.Check(new AStartedMeasureKeepsItsWayOfReporting(State, Kind, kind));

        var assumed = AssumedFields;
        if (change.Text is { } text)
        {
            Text = PlainText.Clean(text)!;
        }

        if (change.Kind is not null)
        {
            Kind = kind;
            assumed &= ~AssumedFields.Kind;
        }

        if (change.SetsDeadline || Deadline != deadline)
        {
            Deadline = deadline;
            assumed &= ~AssumedFields.Deadline;
        }

        // The key follows the reference at once (a new person or unit gets its key when saved), so the version
        // written below reads the leader and unit the change set.
        if (change.SetsLeader)
        {
            (ResponsibleLeader, ResponsibleLeaderId) = (change.Leader, change.Leader is { Id: > 0 } leader ? leader.Id : null);
            assumed &= ~AssumedFields.ResponsibleLeader;
        }

        if (change.SetsLeadUnit)
        {
            (LeadUnit, LeadUnitId) = (change.LeadUnit, change.LeadUnit is { Id: > 0 } unit ? unit.Id : null);
            assumed &= ~AssumedFields.LeadUnit;
        }

        if (change.SupportingUnits is { } units)
        {
            supportingUnits.RemoveAll(s => !units.Any(u => ReferenceEquals(u, s.Organization) || (u.Id != 0 && u.Id == s.OrganizationId)));
            foreach (var unit in units)
            {
                AddSupportingUnit(unit);
            }
        }

        AssumedFields = assumed;
        Version++;
        if (planState == PlanState.InForce)
        {
            // A measure's first version in a plan already in force is its addition (新增); every later one a change (调整).
            RecordVersion(revisions.Count == 0 ? MeasureRevisionKind.Added : MeasureRevisionKind.Amended, actor, clock.GetUtcNow().UtcDateTime, reason);
        }
    }

    /// <summary>
    /// Withdraws the measure from the plan in force (撤销), saying why: its last version records the withdrawal, and from
    /// then on it is out of every working view and figure, kept with its history. A signed-off measure is done and stays.
    /// </summary>
    public void Withdraw(Actor actor, TimeProvider clock, string? reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        var planState = Inspection?.PlanState ?? throw new InvalidOperationException("措施的巡察未加载，不能撤销措施。");
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(WithdrawnAtUtc));
        BusinessRules.Check(new OnlyAnAdoptedPlanWithdrawsMeasures(planState));
        BusinessRules.Check(new ASignedOffMeasureIsNotWithdrawn(State));
        BusinessRules.Check(new AWithdrawalSaysWhy(reason));
        var at = clock.GetUtcNow().UtcDateTime;
        WithdrawnAtUtc = at;
        Version++;
        RecordVersion(MeasureRevisionKind.Withdrawn, actor, at, reason);
    }

    /// <summary>
    /// An approved extension (申请延期) moves the deadline: the first keeps the original as <see cref="OriginalDeadline"/>,
    /// each one counts and writes the measure's next version, so both dates and every step stay readable.
    /// </summary>
    public void ExtendDeadline(DateOnly revised, Actor actor, TimeProvider clock, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(WithdrawnAtUtc));
        BusinessRules.Check(new AnExtensionIsForAMeasureWithADeadline(Kind, State, Deadline));
        BusinessRules.Check(new AnExtensionMovesTheDeadlineLater(Deadline, revised));
        OriginalDeadline ??= Deadline;
        Deadline = revised;
        AssumedFields &= ~AssumedFields.Deadline;
        ExtensionCount++;
        Version++;
        RecordVersion(MeasureRevisionKind.Extended, actor, clock.GetUtcNow().UtcDateTime, reason);
    }

    /// <summary>Its new place in the finding (上移/下移, renumbering after a deletion): not a change of what the plan says.</summary>
    public void Renumber(int number) =>
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "措施序号必须大于 0。");

    /// <summary>Writes the measure's next version in the adopted plan, as it stands now.</summary>
    internal void RecordVersion(MeasureRevisionKind kind, Actor actor, DateTime atUtc, string? reason) =>
        revisions.Add(new MeasureRevision(this, revisions.Count == 0 ? 1 : revisions.Max(r => r.Number) + 1, kind, actor, atUtc, reason));

    public void AddSupportingUnit(Organization unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (supportingUnits.Any(s => ReferenceEquals(s.Organization, unit) || (unit.Id != 0 && s.OrganizationId == unit.Id)))
        {
            return;
        }

        supportingUnits.Add(new MeasureSupportingUnit(this, unit));
    }

    /// <summary>
    /// Whether the measure's state and kind allow <paramref name="action"/> now (who may take it is Access's question).
    /// The same rules guard the methods below, so a page that offers only these steps never offers a refused one.
    /// </summary>
    public bool CanTake(MeasureAction action) => CanTake(action, State, Kind, EvidenceAcceptedAtUtc is not null);

    /// <summary>The same question for a measure read as plain values (a page's projection).</summary>
    public static bool CanTake(MeasureAction action, MeasureState state, MeasureKind kind, bool hasAcceptedReport) =>
        StateRules(action, state, kind, hasAcceptedReport).All(rule => !rule.IsBroken());

    /// <summary>Whether only the missing accepted report stands between this state and an application for 销号 (the page says so).</summary>
    public static bool WaitsForAcceptedReport(MeasureState state, MeasureKind kind, bool hasAcceptedReport) =>
        !hasAcceptedReport && CanTake(MeasureAction.ApplyForSignOff, state, kind, hasAcceptedReport: true);

    private static IBusinessRule[] StateRules(MeasureAction action, MeasureState state, MeasureKind kind, bool hasAcceptedReport) => action switch
    {
        MeasureAction.Start => [new TransitionMustStartFromAllowedState(action, state, MeasureState.Planned)],
        MeasureAction.ApplyForSignOff =>
        [
            new OngoingMeasuresAreNeverSignedOff(kind),
            new TransitionMustStartFromAllowedState(action, state, MeasureState.InProgress),
            new SignOffNeedsAnAcceptedReport(hasAcceptedReport),
        ],
        MeasureAction.AcceptApplication => [new TransitionMustStartFromAllowedState(action, state, MeasureState.AwaitingReview)],
        MeasureAction.ReturnApplication => [new TransitionMustStartFromAllowedState(action, state, MeasureState.AwaitingReview, MeasureState.AwaitingApproval)],
        MeasureAction.Approve => [new TransitionMustStartFromAllowedState(action, state, MeasureState.AwaitingApproval)],
        MeasureAction.Reopen => [new TransitionMustStartFromAllowedState(action, state, MeasureState.SignedOff)],
        _ => [new UnknownAction(action)],
    };

    private void CheckState(MeasureAction action)
    {
        foreach (var rule in StateRules(action, State, Kind, EvidenceAcceptedAtUtc is not null))
        {
            BusinessRules.Check(rule);
        }
    }

    public void Start(Actor actor, TimeProvider clock, string? basis = null)
    {
        CheckState(MeasureAction.Start);
        Move(MeasureAction.Start, Kind == MeasureKind.Ongoing ? MeasureState.Ongoing : MeasureState.InProgress, actor, clock, basis);
        if (State == MeasureState.Ongoing)
        {
            OngoingSinceUtc = clock.GetUtcNow().UtcDateTime;
        }
    }

    public void ApplyForSignOff(Actor actor, TimeProvider clock, string? note = null)
    {
        CheckState(MeasureAction.ApplyForSignOff);
        Move(MeasureAction.ApplyForSignOff, MeasureState.AwaitingReview, actor, clock, note);
        SignOffApplicantId = actor.UserId;
    }

    /// <summary>What an application made on the unit's behalf says it is, before its basis, in the measure's history.</summary>
    public const string OnBehalfApplicationPrefix = "整改办代为申请销号。依据：";

    /// <summary>
    /// 代为申请销号: the office applies for the unit (a unit without an account, or one that asked outside the system),
    /// saying on what basis (<see cref="ProgressReport.CheckOnBehalfBasis"/>); the step is the unit's own in every other
    /// way, and its applicant (the office worker) may not accept it (<see cref="NobodyReviewsTheirOwnApplication"/>).
    /// </summary>
    public void ApplyForSignOffOnBehalf(Actor actor, TimeProvider clock, string? basis)
    {
        CheckState(MeasureAction.ApplyForSignOff);
        ApplyForSignOff(actor, clock, OnBehalfApplicationPrefix + OnBehalf.Basis(basis, "代为申请依据", kept => new AnApplicationMadeOnBehalfSaysWhereItCameFrom(kept)));
    }

    /// <summary>
    /// Whether the separated duties bar <paramref name="userId"/> from <paramref name="action"/> on a measure whose
    /// application, first-level acceptance and evidence were given by these people — the same rules the steps check, so a
    /// page offers only the steps that will work for this person.
    /// </summary>
    public static bool BarsFromStep(MeasureAction action, string userId, string? applicantId, string? acceptedById, string? evidenceAcceptedById) => action switch
    {
        MeasureAction.AcceptApplication or MeasureAction.ReturnApplication => userId == applicantId,
        MeasureAction.Approve => userId == applicantId || userId == acceptedById || userId == evidenceAcceptedById,
        _ => false,
    };

    /// <summary>The rectification office accepts the application (first level).</summary>
    public void AcceptApplication(Actor actor, TimeProvider clock, string? note = null)
    {
        CheckState(MeasureAction.AcceptApplication);
        BusinessRules.Check(new NobodyReviewsTheirOwnApplication(SignOffApplicantId, actor));
        Move(MeasureAction.AcceptApplication, MeasureState.AwaitingApproval, actor, clock, note);
        SignOffAcceptedById = actor.UserId;
    }

    /// <summary>The office or the leader returns the application with a reason.</summary>
    public void ReturnApplication(Actor actor, TimeProvider clock, string reason)
    {
        CheckState(MeasureAction.ReturnApplication);
        BusinessRules.Check(new NobodyReviewsTheirOwnApplication(SignOffApplicantId, actor));
        BusinessRules.Check(new AReasonIsRequired(MeasureAction.ReturnApplication, reason));
        Move(MeasureAction.ReturnApplication, MeasureState.InProgress, actor, clock, reason);
        SignOffApplicantId = null;
        SignOffAcceptedById = null;
    }

    /// <summary>The responsible leader approves (second level): the measure is signed off (销号).</summary>
    public void Approve(Actor actor, TimeProvider clock, string? note = null)
    {
        CheckState(MeasureAction.Approve);
        BusinessRules.Check(new NobodyReviewsTheirOwnApplication(SignOffApplicantId, actor));
        BusinessRules.Check(new TheTwoSignOffLevelsAreTwoPeople(SignOffAcceptedById, actor));
        BusinessRules.Check(new WhoAcceptedTheEvidenceDoesNotApproveTheSignOff(EvidenceAcceptedById, actor));
        Move(MeasureAction.Approve, MeasureState.SignedOff, actor, clock, note);
        SignOffApplicantId = null;
        SignOffAcceptedById = null;
    }

    /// <summary>A look-back found a rebound, or a correction is needed: the signed-off measure is open again.</summary>
    public void Reopen(Actor actor, TimeProvider clock, string reason)
    {
        CheckState(MeasureAction.Reopen);
        BusinessRules.Check(new AReasonIsRequired(MeasureAction.Reopen, reason));
        Move(MeasureAction.Reopen, MeasureState.InProgress, actor, clock, reason);
        EvidenceAcceptedAtUtc = null;
        EvidenceAcceptedById = null;
    }

    /// <summary>Takes <paramref name="action"/>: one entry point for pages and the API, each step guarded as above.</summary>
    public void Take(MeasureAction action, Actor actor, TimeProvider clock, string? reason)
    {
        switch (action)
        {
            case MeasureAction.Start: Start(actor, clock); break;
            case MeasureAction.ApplyForSignOff: ApplyForSignOff(actor, clock, reason); break;
            case MeasureAction.AcceptApplication: AcceptApplication(actor, clock, reason); break;
            case MeasureAction.ReturnApplication: ReturnApplication(actor, clock, reason ?? string.Empty); break;
            case MeasureAction.Approve: Approve(actor, clock, reason); break;
            case MeasureAction.Reopen: Reopen(actor, clock, reason ?? string.Empty); break;
            default: BusinessRules.Check(new UnknownAction(action)); break;
        }
    }

    /// <summary>A progress report was filed: a 长期坚持 measure's cadence is settled up to now.</summary>
    public void NoteReportFiled(DateTime atUtc)
    {
        if (LastReportAtUtc is null || atUtc > LastReportAtUtc)
        {
            LastReportAtUtc = atUtc;
        }
    }

    /// <summary>The office accepted a report on this measure: the measure now has evidence to apply for 销号 on.</summary>
    /// <param name="atUtc">When the report was accepted.</param>
    /// <param name="reviewerId">Who accepted it: they may not also approve the sign-off that stands on it.</param>
    public void NoteReportAccepted(DateTime atUtc, string? reviewerId = null)
    {
        if (EvidenceAcceptedAtUtc is null || atUtc >= EvidenceAcceptedAtUtc)
        {
            EvidenceAcceptedAtUtc = atUtc;
            EvidenceAcceptedById = reviewerId;
        }
    }

    /// <summary>A report was returned or withdrawn: it no longer counts, so the last report is the latest one still standing (none, if none is).</summary>
    public void NoteReportSetAside(DateTime? latestStandingAtUtc) => LastReportAtUtc = latestStandingAtUtc;

    private void Move(MeasureAction action, MeasureState to, Actor actor, TimeProvider clock, string? reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AWithdrawnMeasureIsChangedNoMore(WithdrawnAtUtc));
        var from = State;
        State = to;
        Version++;
        transitions.Add(new MeasureTransition(this, action, from, to, actor, clock.GetUtcNow().UtcDateTime, reason));
    }
}

public sealed class MeasureSupportingUnit
{
    private MeasureSupportingUnit()
    {
    }

    internal MeasureSupportingUnit(Measure measure, Organization organization)
    {
        Measure = measure;
        Organization = organization;
    }

    public int MeasureId { get; private set; }

    public Measure Measure { get; private set; } = null!;

    public int OrganizationId { get; private set; }

    public Organization Organization { get; private set; } = null!;
}

/// <summary>One step in a measure's life: who, when, why.</summary>
public sealed class MeasureTransition
{
    private MeasureTransition()
    {
        ActorUserId = string.Empty;
        ActorName = string.Empty;
    }

    internal MeasureTransition(Measure measure, MeasureAction action, MeasureState from, MeasureState to, Actor actor, DateTime atUtc, string? reason)
    {
        Measure = measure;
        Action = action;
        FromState = from;
        ToState = to;
        ActorUserId = actor.UserId;
        ActorName = actor.DisplayName;
        AtUtc = atUtc;
        Reason = PlainText.Clean(reason);
    }

    public long Id { get; private set; }

    public int MeasureId { get; private set; }

    public Measure Measure { get; private set; } = null!;

    public MeasureAction Action { get; private set; }

    public MeasureState FromState { get; private set; }

    public MeasureState ToState { get; private set; }

    public string ActorUserId { get; private set; }

    public string ActorName { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? Reason { get; private set; }
}
