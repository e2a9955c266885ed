namespace Rectify.Domain;

public enum InspectionKind
{
    /// <summary>巡察: by a city or county party committee.</summary>
    Xuncha = 0,

    /// <summary>巡视: by the central or a provincial party committee.</summary>
    Xunshi = 1,
}

public enum InspectionScopeKind
{
    /// <summary>Inspected alongside the main target (…等十个社区党组织).</summary>
    AlsoInspected = 0,

    /// <summary>延伸巡察.</summary>
    Extended = 1,
}

/// <summary>巡察 / 巡视 (轮次): one round of inspection of one organization.</summary>
public sealed class Inspection
{
    private readonly List<InspectionScope> scope = [];
    private readonly List<PlanTransition> planTransitions = [];

    private Inspection()
    {
        Title = string.Empty;
    }

    public Inspection(
        string title,
        InspectionKind kind,
        Organization inspectingBody,
        Organization inspectedOrganization,
        DateOnly? onSiteFrom,
        DateOnly? onSiteTo,
        DateOnly? feedbackDate)
    {
        title = PlainText.Line(title) ?? string.Empty;
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("巡察名称不能为空。", nameof(title));
        }

        if (onSiteFrom is { } from && onSiteTo is { } to && to < from)
        {
            throw new BusinessRuleViolationException(new OnSitePeriodMustNotEndBeforeItStarts(from, to));
        }

        Title = title.Trim();
        Kind = kind;
        InspectingBody = inspectingBody ?? throw new ArgumentNullException(nameof(inspectingBody));
        InspectedOrganization = inspectedOrganization ?? throw new ArgumentNullException(nameof(inspectedOrganization));
        OnSiteFrom = onSiteFrom;
        OnSiteTo = onSiteTo;
        FeedbackDate = feedbackDate;
    }

    public int Id { get; private set; }

    public string Title { get; private set; }

    public InspectionKind Kind { get; private set; }

    public int InspectingBodyId { get; private set; }

    public Organization InspectingBody { get; private set; } = null!;

    public int InspectedOrganizationId { get; private set; }

    public Organization InspectedOrganization { get; private set; } = null!;

    public DateOnly? OnSiteFrom { get; private set; }

    public DateOnly? OnSiteTo { get; private set; }

    public DateOnly? FeedbackDate { get; private set; }

    public IReadOnlyList<InspectionScope> Scope => scope;

    /// <summary>届次 / 轮次, as the office writes it (十五届市委第七轮巡察).</summary>
    public string? Round { get; private set; }

    /// <summary>Where the 整改方案 is; units see their measures once it is in force.</summary>
    public PlanState PlanState { get; private set; }

    /// <summary>Who submitted the plan (报审), so that they do not adopt it themselves.</summary>
    public string? PlanSubmittedByUserId { get; private set; }

    /// <summary>The meeting that adopted the plan (党委会 / 党工委会议 …) and its date.</summary>
    public string? PlanMeetingName { get; private set; }

    public DateOnly? PlanMeetingDate { get; private set; }

    public DateTime? PlanAdoptedAtUtc { get; private set; }

    public string? PlanAdoptedByName { get; private set; }

    public IReadOnlyList<PlanTransition> PlanTransitions => planTransitions;

    /// <summary>Corrects what the inspection is: its name, kind, round and dates.</summary>
    public void Describe(string title, InspectionKind kind, string? round, DateOnly? onSiteFrom, DateOnly? onSiteTo, DateOnly? feedbackDate)
    {
        (title, round) = (PlainText.Line(title) ?? string.Empty, PlainText.Line(round));
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new BusinessRuleViolationException(new AnInspectionHasAName());
        }

        if (onSiteFrom is { } from && onSiteTo is { } to && to < from)
        {
            throw new BusinessRuleViolationException(new OnSitePeriodMustNotEndBeforeItStarts(from, to));
        }

        BusinessRules.Check(new FeedbackFollowsTheVisit(onSiteFrom, feedbackDate));
        Title = title.Trim();
        Kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind));
        Round = PlainText.Clean(round);
        OnSiteFrom = onSiteFrom;
        OnSiteTo = onSiteTo;
        FeedbackDate = feedbackDate;
    }

    /// <summary>Corrects who carried out the inspection: a 巡察组 named wrongly at registration.</summary>
    public void CorrectInspectingBody(Organization body)
    {
        InspectingBody = body ?? throw new ArgumentNullException(nameof(body));
        InspectingBodyId = body.Id;
    }

    /// <summary>The office submits the plan for adoption (报审): every measure must say who does what by when.</summary>
    public void SubmitPlan(int measureCount, IReadOnlyList<string> incompleteMeasures, Actor actor, TimeProvider clock)
    {
        BusinessRules.Check(new ThePlanIsInState(PlanAction.Submit, PlanState, PlanState.Drafting));
        BusinessRules.Check(new APlanIsCompleteWhenSubmitted(measureCount, incompleteMeasures));
        MovePlan(PlanAction.Submit, PlanState.Submitted, actor, clock, reason: null);
        PlanSubmittedByUserId = actor.UserId;
    }

    /// <summary>The first responsible person sends the plan back for changes, saying what to change.</summary>
    public void ReturnPlan(Actor actor, TimeProvider clock, string? reason)
    {
        BusinessRules.Check(new ThePlanIsInState(PlanAction.Return, PlanState, PlanState.Submitted));
        BusinessRules.Check(new AReasonIsRequired(Terms.Of(PlanAction.Return), reason));
        MovePlan(PlanAction.Return, PlanState.Drafting, actor, clock, reason);
        PlanSubmittedByUserId = null;
    }

    /// <summary>
    /// The first responsible person records the plan's adoption (审定) at <paramref name="meetingName"/> on
    /// <paramref name="meetingDate"/>: the plan is in force, and each of its <paramref name="measures"/> gets its
    /// first version, the plan as adopted.
    /// </summary>
    public void ApprovePlan(string? meetingName, DateOnly? meetingDate, IEnumerable<Measure> measures, Actor actor, TimeProvider clock)
    {
        meetingName = PlainText.Line(meetingName);
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new ThePlanIsInState(PlanAction.Approve, PlanState, PlanState.Submitted));
        BusinessRules.Check(new NobodyAdoptsAPlanTheySubmitted(PlanSubmittedByUserId, actor));
        BusinessRules.Check(new AnAdoptionNamesItsMeeting(meetingName, meetingDate, FeedbackDate, ChinaTime.Today(clock)));
        var at = clock.GetUtcNow().UtcDateTime;
        MovePlan(PlanAction.Approve, PlanState.InForce, actor, clock, $"{meetingName!.Trim()}（{meetingDate:yyyy-MM-dd}）");
        PlanMeetingName = meetingName.Trim();
        PlanMeetingDate = meetingDate;
        PlanAdoptedAtUtc = at;
        PlanAdoptedByName = actor.DisplayName;
        foreach (var measure in measures)
        {
            measure.RecordVersion(MeasureRevisionKind.Approved, actor, at, reason: null);
        }
    }

    private void MovePlan(PlanAction action, PlanState to, Actor actor, TimeProvider clock, string? reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        var from = PlanState;
        PlanState = to;
        planTransitions.Add(new PlanTransition(this, action, from, to, actor, clock.GetUtcNow().UtcDateTime, reason));
    }

    public sealed class AnInspectionHasAName : IBusinessRule
    {
        public bool IsBroken() => true;

        public string Message => "请填写巡察名称。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class FeedbackFollowsTheVisit(DateOnly? onSiteFrom, DateOnly? feedbackDate) : IBusinessRule
    {
        public bool IsBroken() => onSiteFrom is { } f && feedbackDate is { } d && d < f;

        public string Message => $"反馈日期（{feedbackDate:yyyy-MM-dd}）早于进驻日期（{onSiteFrom:yyyy-MM-dd}）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>报送周期 for 长期坚持 measures; null until the office sets it (then <see cref="ReportingCadences.Default"/> applies).</summary>
    public ReportingCadence? ReportingCadence { get; private set; }

    public ReportingCadence EffectiveReportingCadence => ReportingCadence ?? ReportingCadences.Default;

    public void SetReportingCadence(ReportingCadence cadence)
    {
        if (!Enum.IsDefined(cadence))
        {
            throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "未知的报送周期。");
        }

        ReportingCadence = cadence;
    }

    /// <summary>整改时限政策: 立行立改 within this many working days of the feedback; null when the office has set none.</summary>
    public int? ImmediateWorkingDays { get; private set; }

    /// <summary>整改时限政策: 集中整改 (限期整改) ending this many months after the feedback; null when the office has set none.</summary>
    public int? TimeBoundMonths { get; private set; }

    public DeadlinePolicy DeadlinePolicy => new(ImmediateWorkingDays, TimeBoundMonths);

    /// <summary>Sets the 整改时限政策 (either part may be cleared).</summary>
    public void SetDeadlinePolicy(int? immediateWorkingDays, int? timeBoundMonths)
    {
        BusinessRules.Check(new ADeadlinePolicyIsInRange(immediateWorkingDays, timeBoundMonths));
        ImmediateWorkingDays = immediateWorkingDays;
        TimeBoundMonths = timeBoundMonths;
    }

    /// <summary>红黄绿规则: when a finding shows red, yellow or green; the default until the office (or the inspection body) sets them.</summary>
    public SignalRules SignalRules { get; private set; } = SignalRules.Default;

    /// <summary>Sets the 红黄绿规则 (checked by <see cref="SignalRules.Checked"/>).</summary>
    public void SetSignalRules(SignalRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        BusinessRules.Check(new AWarningLooksAheadZeroToSixtyWorkingDays(rules.WarnWithinWorkingDays));
        SignalRules = rules;
    }

    public void AddScope(Organization organization, InspectionScopeKind kind)
    {
        ArgumentNullException.ThrowIfNull(organization);
        scope.Add(new InspectionScope(this, organization, kind));
    }

    public sealed class OnSitePeriodMustNotEndBeforeItStarts(DateOnly from, DateOnly to) : IBusinessRule
    {
        public bool IsBroken() => to < from;

        public string Message => $"巡察进驻结束日期（{to:yyyy-MM-dd}）早于开始日期（{from:yyyy-MM-dd}）。";

        public Refusal Refusal => Refusal.Invalid;
    }
}

public sealed class InspectionScope
{
    private InspectionScope()
    {
    }

    internal InspectionScope(Inspection inspection, Organization organization, InspectionScopeKind kind)
    {
        Inspection = inspection;
        Organization = organization;
        Kind = kind;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public int OrganizationId { get; private set; }

    public Organization Organization { get; private set; } = null!;

    public InspectionScopeKind Kind { get; private set; }
}

/// <summary>问题类别 (方面): a heading of the feedback.</summary>
public sealed class FindingCategory
{
    private FindingCategory()
    {
        Title = string.Empty;
    }

    public FindingCategory(Inspection inspection, int number, string title)
    {
        title = PlainText.Line(title) ?? string.Empty;
        Inspection = inspection ?? throw new ArgumentNullException(nameof(inspection));
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "问题类别序号必须大于 0。");
        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException("问题类别标题不能为空。", nameof(title)) : title;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public int Number { get; private set; }

    public string Title { get; private set; }

    /// <summary>Its place among the inspection's categories (上移/下移, or a number the office corrects).</summary>
    public void Renumber(int number) =>
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "问题类别序号必须大于 0。");

    /// <summary>Corrects the heading's wording (a corrected ledger imported again).</summary>
    public void Retitle(string title) =>
        Title = PlainText.Line(title) ?? throw new ArgumentException("问题类别标题不能为空。", nameof(title));
}

/// <summary>The plan's numbers: categories and findings run 1, 2, 3… in the order they are listed (按类别顺序重新编号).</summary>
public static class Numbering
{
    /// <summary>Whether <paramref name="numbers"/>, in the order listed, are 1, 2, 3… with no gap.</summary>
    public static bool RunFromOne(this IEnumerable<int> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        return numbers.Select((n, i) => n == i + 1).All(x => x);
    }
}

/// <summary>反馈问题 / 整改任务: one numbered problem with its rectification task.</summary>
public sealed class Finding
{
    private readonly List<Measure> measures = [];

    private Finding()
    {
        Title = string.Empty;
    }

    public Finding(FindingCategory category, int number, string title, string? problemStatement = null)
    {
        (title, problemStatement) = (PlainText.Line(title) ?? string.Empty, PlainText.Clean(problemStatement));
        Category = category ?? throw new ArgumentNullException(nameof(category));
        Inspection = category.Inspection;
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "问题序号必须大于 0。");
        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException("问题标题不能为空。", nameof(title)) : title;
        ProblemStatement = problemStatement;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public int CategoryId { get; private set; }

    public FindingCategory Category { get; private set; } = null!;

    /// <summary>The number the feedback gives it (1, 2, … across the whole inspection).</summary>
    public int Number { get; private set; }

    /// <summary>The public title, as the notice prints it.</summary>
    public string Title { get; private set; }

    /// <summary>The internal problem statement from the feedback; never public.</summary>
    public string? ProblemStatement { get; private set; }

    public IReadOnlyList<Measure> Measures => measures;

    /// <summary>Corrects the finding's public title and the category it is filed under (another of the same inspection).</summary>
    public void Revise(FindingCategory category, string title)
    {
        title = PlainText.Line(title) ?? string.Empty;
        ArgumentNullException.ThrowIfNull(category);
        if (category.InspectionId != InspectionId && !ReferenceEquals(category.Inspection, Inspection))
        {
            throw new ArgumentException("问题只能归入本次巡察的问题类别。", nameof(category));
        }

        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException("问题标题不能为空。", nameof(title)) : title.Trim();
        Category = category;
        if (category.Id != 0)
        {
            CategoryId = category.Id;
        }
    }

    /// <summary>Its number in the inspection (上移/下移, or a number the office corrects).</summary>
    public void Renumber(int number) =>
        Number = number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "问题序号必须大于 0。");

    /// <summary>Corrects the internal problem statement (反馈原文); empty clears it.</summary>
    public void RestateProblem(string? problemStatement) => ProblemStatement = PlainText.Clean(problemStatement);

    /// <summary>
    /// A new measure. Without a kind (a notice or a 台账 that does not say it) it is 限期整改, the ledger's default, marked
    /// as assumed (待核实) until someone states it.
    /// </summary>
    public Measure AddMeasure(int number, string text, MeasureKind? kind)
    {
        var measure = new Measure(this, number, text, kind ?? MeasureKind.TimeBound, kind is null ? AssumedFields.Kind : AssumedFields.None);
        measures.Add(measure);
        return measure;
    }

    /// <summary>The finding's state, derived from its measures' states the same way everywhere.</summary>
    public FindingState State => FindingStates.Derive(measures.Select(m => m.State));
}
