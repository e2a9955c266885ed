namespace Rectify.Domain;

/// <summary>The rungs of the 督办 ladder, mildest first.</summary>
public enum SupervisionKind
{
    /// <summary>督办: a 督办单 with a number, the items, the reply required and its deadline; the unit replies, the office closes it.</summary>
    Duban = 0,

    /// <summary>约谈: who talked with whom, when, the points made and the commitments.</summary>
    Talk = 1,

    /// <summary>通报: made known, with the people concerned and how they were handled.</summary>
    Circular = 2,

    /// <summary>问责: the people held to account and how, linked to the 问题线索 / 整改成效 registers.</summary>
    Accountability = 3,
}

public enum SupervisionState
{
    /// <summary>督办中: waiting for the unit's reply.</summary>
    Open = 0,

    /// <summary>已回复: the unit replied; the office closes it or sends it back.</summary>
    Replied = 1,

    /// <summary>已办结 (a 督办 closed by the office; a 约谈, 通报 or 问责 is recorded as done).</summary>
    Closed = 2,
}

/// <summary>
/// One step of the 督办 ladder (督办 · 约谈 · 通报 · 问责) on a unit and its measures, by the rectification office or the
/// inspection body. A 督办 has a life (督办中 → 已回复 → 已办结, or back to 督办中 with the office's reason); the other
/// steps are records of what happened, closed when written.
/// </summary>
public sealed class SupervisionNotice
{
    private readonly List<SupervisionNoticeMeasure> measures = [];

    private SupervisionNotice()
    {
        Title = string.Empty;
        Content = string.Empty;
        CreatedByUserId = string.Empty;
        CreatedByName = string.Empty;
    }

    private SupervisionNotice(Inspection inspection, SupervisionKind kind, Organization unit, string title, string content, Actor actor, DateTime atUtc)
    {
        Inspection = inspection;
        InspectionId = inspection.Id;
        Kind = kind;
        Unit = unit;
        UnitId = unit.Id;
        Title = PlainText.Line(title)!;
        Content = PlainText.Clean(content)!;
        CreatedByUserId = actor.UserId;
        CreatedByName = actor.DisplayName;
        CreatedAtUtc = atUtc;
        State = kind == SupervisionKind.Duban ? SupervisionState.Open : SupervisionState.Closed;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public Inspection Inspection { get; private set; } = null!;

    public SupervisionKind Kind { get; private set; }

    /// <summary>The unit escalated (责任单位).</summary>
    public int UnitId { get; private set; }

    public Organization Unit { get; private set; } = null!;

    /// <summary>
    /// 督办单 number as written when issued: 督办〔2026〕3号, or with the issuing organization's 机关代字 万江整改督〔2026〕3号
    /// (the year and its sequence within the issuing organization; a number once written is not changed by a later 代字).
    /// </summary>
    public string? DocumentNumber { get; private set; }

    public int? Year { get; private set; }

    public int? Sequence { get; private set; }

    /// <summary>The issuing organization whose sequence the number takes (the inspected organization's office, or the inspection body).</summary>
    public int? IssuerId { get; private set; }

    /// <summary>事由: a short title.</summary>
    public string Title { get; private set; }

    /// <summary>督办事项 (督办) · 谈话要点 (约谈) · 通报内容 (通报) · 问责情况 (问责).</summary>
    public string Content { get; private set; }

    /// <summary>办理要求 of a 督办: what the reply must say.</summary>
    public string? Requirement { get; private set; }

    /// <summary>回复期限 of a 督办.</summary>
    public DateOnly? ReplyDue { get; private set; }

    /// <summary>约谈: when it was held.</summary>
    public DateOnly? HeldOn { get; private set; }

    /// <summary>约谈: who talked (约谈人); 通报/问责: the body that decided.</summary>
    public string? ByWhom { get; private set; }

    /// <summary>约谈: with whom (被约谈人); 通报/问责: the people handled (处理对象).</summary>
    public string? People { get; private set; }

    /// <summary>约谈: the commitments (表态承诺); 通报/问责: how they were handled (处理方式).</summary>
    public string? Outcome { get; private set; }

    /// <summary>问责/通报: the 问题线索 this outcome is linked to, if any.</summary>
    public int? LeadId { get; private set; }

    /// <summary>问责/通报: the 整改成效 entry this outcome is linked to, if any.</summary>
    public int? OutcomeEntryId { get; private set; }

    public SupervisionState State { get; private set; }

    public string CreatedByUserId { get; private set; }

    public string CreatedByName { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>The unit's reply (回复) to a 督办.</summary>
    public string? Reply { get; private set; }

    public string? RepliedByName { get; private set; }

    public DateTime? RepliedAtUtc { get; private set; }

    /// <summary>
    /// The reply's attachment (回复附件: the unit's 整改情况报告, a scan of its 情况说明), kept in the evidence store as
    /// evidence is; null without one. A reply made again after a return carries its own, or none.
    /// </summary>
    public int? ReplyFileId { get; private set; }

    public EvidenceFile? ReplyFile { get; private set; }

    /// <summary>The attachment's name as uploaded (shown and offered on download).</summary>
    public string? ReplyFileName { get; private set; }

    /// <summary>The office's note when closing, or its reason when sending a reply back.</summary>
    public string? CloseNote { get; private set; }

    public string? ClosedByName { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    public IReadOnlyList<SupervisionNoticeMeasure> Measures => measures;

    /// <summary>A 督办 waiting for its reply past the reply deadline.</summary>
    public static bool IsReplyOverdue(SupervisionKind kind, SupervisionState state, DateOnly? replyDue, DateOnly today) =>
        kind == SupervisionKind.Duban && state == SupervisionState.Open && replyDue is { } due && due < today;

    /// <summary>督办: issues a 督办单 (numbered) on the unit's measures, with the reply required by a date.</summary>
    public static SupervisionNotice IssueDuban(Inspection inspection, Organization unit, IReadOnlyList<Measure> items, int issuerId, int year, int sequence, string? title, string? content, string? requirement, DateOnly? replyDue, DateOnly today, Actor actor, TimeProvider clock, string? documentCode = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        CheckCommon(inspection, unit, items, title, content, actor);
        BusinessRules.Check(new ADubanSaysWhatReplyIsRequired(requirement));
        BusinessRules.Check(new ADubanHasAReplyDeadline(replyDue, today));
        var s = new SupervisionNotice(inspection, SupervisionKind.Duban, unit, title!, content!, actor, clock.GetUtcNow().UtcDateTime)
        {
            Requirement = PlainText.Clean(requirement)!,
            ReplyDue = replyDue,
            IssuerId = issuerId,
            Year = year,
            Sequence = sequence,
            DocumentNumber = Organization.DocumentNumber(documentCode, year, sequence),
        };
        s.Link(items);
        return s;
    }

    /// <summary>约谈: the record of a talk held.</summary>
    public static SupervisionNotice RecordTalk(Inspection inspection, Organization unit, IReadOnlyList<Measure> items, string? title, string? points, DateOnly? heldOn, string? byWhom, string? withWhom, string? commitments, DateOnly today, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        CheckCommon(inspection, unit, items, title, points, actor);
        BusinessRules.Check(new ATalkSaysWhenAndWithWhom(heldOn, byWhom, withWhom, today));
        var s = new SupervisionNotice(inspection, SupervisionKind.Talk, unit, title!, points!, actor, clock.GetUtcNow().UtcDateTime)
        {
            HeldOn = heldOn,
            ByWhom = PlainText.Line(byWhom)!,
            People = PlainText.Clean(withWhom)!,
            Outcome = PlainText.Clean(commitments),
        };
        s.Link(items);
        return s;
    }

    /// <summary>通报 or 问责: who was handled and how, by whom, optionally linked to a 问题线索 or 整改成效 entry.</summary>
    public static SupervisionNotice RecordOutcome(Inspection inspection, SupervisionKind kind, Organization unit, IReadOnlyList<Measure> items, string? title, string? content, string? decidedBy, string? people, string? how, int? leadId, int? outcomeEntryId, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AnOutcomeIsACircularOrAccountability(kind));
        CheckCommon(inspection, unit, items, title, content, actor);
        BusinessRules.Check(new AnOutcomeNamesPeopleAndHow(kind, people, how));
        var s = new SupervisionNotice(inspection, kind, unit, title!, content!, actor, clock.GetUtcNow().UtcDateTime)
        {
            ByWhom = PlainText.Clean(decidedBy),
            People = PlainText.Clean(people)!,
            Outcome = PlainText.Clean(how)!,
            LeadId = leadId,
            OutcomeEntryId = outcomeEntryId,
        };
        s.Link(items);
        return s;
    }

    /// <summary>
    /// The unit replies to a 督办 (or replies again after the office sent the reply back), with an attachment or none:
    /// a reply made again replaces the last one whole, its attachment too (the audit trail keeps both).
    /// </summary>
    public void ReplyWith(string? reply, Actor actor, TimeProvider clock, EvidenceFile? file = null, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new TheSupervisionIsAt(Kind, State, SupervisionState.Open, "回复"));
        BusinessRules.Check(new AReplySaysSomething(reply));
        Reply = PlainText.Clean(reply)!;
        ReplyFile = file;
        ReplyFileId = file is { Id: > 0 } saved ? saved.Id : null;
        ReplyFileName = file is null ? null : PlainText.Line(fileName) ?? "附件";
        RepliedByName = actor.DisplayName;
        RepliedAtUtc = clock.GetUtcNow().UtcDateTime;
        State = SupervisionState.Replied;
    }

    /// <summary>The office closes a replied 督办 (办结), or sends the reply back with a reason (the 督办 is open again).</summary>
    public void Close(bool accept, string? note, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new TheSupervisionIsAt(Kind, State, SupervisionState.Replied, accept ? "办结" : "退回回复"));
        if (!accept)
        {
            BusinessRules.Check(new AReasonIsRequired("退回回复", note));
        }

        CloseNote = PlainText.Clean(note);
        if (accept)
        {
            ClosedByName = actor.DisplayName;
            ClosedAtUtc = clock.GetUtcNow().UtcDateTime;
            State = SupervisionState.Closed;
        }
        else
        {
            State = SupervisionState.Open;
        }
    }

    private void Link(IEnumerable<Measure> items)
    {
        foreach (var m in items.DistinctBy(m => m.Id))
        {
            measures.Add(new SupervisionNoticeMeasure(this, m));
        }
    }

    private static void CheckCommon(Inspection inspection, Organization unit, IReadOnlyList<Measure> items, string? title, string? content, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(actor);
        BusinessRules.Check(new ASupervisionNamesItsMatter(title, content));
        BusinessRules.Check(new ASupervisionConcernsTheUnitsMeasures(items.Where(m => m.InspectionId != inspection.Id).Select(m => m.Id).ToList()));
    }
}

/// <summary>A measure a supervision step is about.</summary>
public sealed class SupervisionNoticeMeasure
{
    private SupervisionNoticeMeasure()
    {
    }

    /// <summary>A measure as the step names it when written; <paramref name="measure"/> comes with its finding.</summary>
    internal SupervisionNoticeMeasure(SupervisionNotice notice, Measure measure)
    {
        Notice = notice;
        Measure = measure;
        MeasureId = measure.Id;
        IssuedFindingNumber = (measure.Finding ?? throw new ArgumentException("措施须连同其问题一并读取。", nameof(measure))).Number;
        IssuedNumber = measure.Number;
        IssuedText = measure.Text;
        IssuedDeadline = measure.Deadline;
    }

    public int NoticeId { get; private set; }

    public SupervisionNotice Notice { get; private set; } = null!;

    public int MeasureId { get; private set; }

    public Measure Measure { get; private set; } = null!;

    /// <summary>
    /// The measure's number (its finding's, then its own), words and 整改时限 as the step was written with them: a 督办单
    /// once issued reads as it was issued, whatever renumbering, rewording or extension comes later. Null on steps
    /// written before they were kept, which show the measure as it is now.
    /// </summary>
    public int? IssuedFindingNumber { get; private set; }

    /// <inheritdoc cref="IssuedFindingNumber"/>
    public int? IssuedNumber { get; private set; }

    /// <inheritdoc cref="IssuedFindingNumber"/>
    public string? IssuedText { get; private set; }

    /// <inheritdoc cref="IssuedFindingNumber"/>
    public DateOnly? IssuedDeadline { get; private set; }
}

public sealed class ASupervisionNamesItsMatter(string? title, string? content) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(title) || PlainText.IsBlank(content);

    public string Message => "请填写事由和内容。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class ASupervisionConcernsTheUnitsMeasures(IReadOnlyList<int> strangers) : IBusinessRule
{
    public bool IsBroken() => strangers.Count > 0;

    public string Message => "所选措施不属于这次巡察。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class ADubanSaysWhatReplyIsRequired(string? requirement) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(requirement);

    public string Message => "请填写督办的办理要求（需要回复什么）。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class ADubanHasAReplyDeadline(DateOnly? due, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => due is not { } d || d < today;

    public string Message => due is null ? "请填写回复期限。" : $"回复期限（{due:yyyy-MM-dd}）不能早于今天。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class ATalkSaysWhenAndWithWhom(DateOnly? heldOn, string? byWhom, string? withWhom, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => heldOn is not { } d || d > today || PlainText.IsBlank(byWhom) || PlainText.IsBlank(withWhom);

    public string Message => heldOn is { } d && d > today
        ? $"约谈日期（{d:yyyy-MM-dd}）不能晚于今天：约谈举行后再记录。"
        : "请填写约谈日期、约谈人和被约谈人。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnOutcomeIsACircularOrAccountability(SupervisionKind kind) : IBusinessRule
{
    public bool IsBroken() => kind is not (SupervisionKind.Circular or SupervisionKind.Accountability);

    public string Message => "只能登记通报或问责。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnOutcomeNamesPeopleAndHow(SupervisionKind kind, string? people, string? how) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(people) || PlainText.IsBlank(how);

    public string Message => $"请填写{Terms.Of(kind)}的处理对象和处理方式。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class TheSupervisionIsAt(SupervisionKind kind, SupervisionState current, SupervisionState expected, string step) : IBusinessRule
{
    public bool IsBroken() => kind != SupervisionKind.Duban || current != expected;

    public string Message => kind != SupervisionKind.Duban
        ? $"{Terms.Of(kind)}是记录，不需要{step}。"
        : $"这份督办单当前为“{Terms.Of(current)}”，不能{step}。";
}

public sealed class AReplySaysSomething(string? reply) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(reply);

    public string Message => "请填写回复内容。";

    public Refusal Refusal => Refusal.Invalid;
}
