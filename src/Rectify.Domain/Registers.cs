namespace Rectify.Domain;

public enum OutcomeKind
{
    /// <summary>挽回经济损失（万元）.</summary>
    MoneyRecovered = 0,

    /// <summary>处理人数.</summary>
    PeopleHandled = 1,

    /// <summary>召开会议（次）.</summary>
    MeetingsHeld = 2,
}

public enum LeadStatus
{
    /// <summary>已移交.</summary>
    HandedOver = 0,

    /// <summary>核查中.</summary>
    UnderReview = 1,

    /// <summary>已办结.</summary>
    Closed = 2,
}

/// <summary>建章立制: a rule or mechanism made as a result of the rectification.</summary>
public sealed class Institution
{
    private readonly List<RegisterFinding> findings = [];

    private Institution()
    {
        Name = string.Empty;
        Issuer = string.Empty;
    }

    public Institution(int inspectionId, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, IEnumerable<int> findingIds)
        : this()
    {
        BusinessRules.Check(new AnInstitutionHasNameIssuerAndDate(name, issuer, issuedOn));
        InspectionId = inspectionId;
        Name = name!.Trim();
        Issuer = issuer!.Trim();
        DocumentNumber = Registers.Clean(documentNumber);
        IssuedOn = issuedOn!.Value;
        findings.AddRange(Registers.Links(findingIds));
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public string Name { get; private set; }

    public string Issuer { get; private set; }

    /// <summary>文号, e.g. 万江党工委〔2025〕12号.</summary>
    public string? DocumentNumber { get; private set; }

    public DateOnly IssuedOn { get; private set; }

    /// <summary>The findings it answers.</summary>
    public IReadOnlyList<RegisterFinding> Findings => findings;
}

/// <summary>整改成效: a quantified result of the rectification (money recovered, people handled, meetings held…).</summary>
public sealed class RectificationOutcome
{
    private readonly List<RegisterFinding> findings = [];

    private RectificationOutcome()
    {
    }

    public RectificationOutcome(int inspectionId, OutcomeKind? kind, decimal? amount, string? note, IEnumerable<int> findingIds)
    {
        BusinessRules.Check(new AnOutcomeHasKindAndAmount(kind, amount));
        InspectionId = inspectionId;
        Kind = kind!.Value;
        Amount = amount!.Value;
        Note = Registers.Clean(note);
        findings.AddRange(Registers.Links(findingIds));
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public OutcomeKind Kind { get; private set; }

    public decimal Amount { get; private set; }

    public string? Note { get; private set; }

    public IReadOnlyList<RegisterFinding> Findings => findings;
}

/// <summary>问题线索: a case clue handed over. Restricted to the discipline officer.</summary>
public sealed class Lead
{
    private readonly List<RegisterFinding> findings = [];

    private Lead()
    {
        Summary = string.Empty;
    }

    public Lead(int inspectionId, string? summary, LeadStatus? status, string? disposition, IEnumerable<int> findingIds)
        : this()
    {
        BusinessRules.Check(new ALeadHasSummaryAndStatus(summary, status));
        InspectionId = inspectionId;
        Summary = summary!.Trim();
        Status = status!.Value;
        Disposition = Registers.Clean(disposition);
        findings.AddRange(Registers.Links(findingIds));
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    public string Summary { get; private set; }

    public LeadStatus Status { get; private set; }

    /// <summary>处分 / 诫勉 / 谈话提醒… as text, as the discipline office records them.</summary>
    public string? Disposition { get; private set; }

    public IReadOnlyList<RegisterFinding> Findings => findings;
}

/// <summary>Which findings a register entry answers; one table for the three registers.</summary>
public sealed class RegisterFinding
{
    private RegisterFinding()
    {
    }

    internal RegisterFinding(int findingId)
    {
        FindingId = findingId;
    }

    public int Id { get; private set; }

    public int FindingId { get; private set; }

    public int? InstitutionId { get; private set; }

    public int? OutcomeId { get; private set; }

    public int? LeadId { get; private set; }
}

internal static class Registers
{
    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static IEnumerable<RegisterFinding> Links(IEnumerable<int> findingIds)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        return findingIds.Distinct().Select(id => new RegisterFinding(id));
    }
}

public sealed class AnInstitutionHasNameIssuerAndDate(string? name, string? issuer, DateOnly? issuedOn) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(issuer) || issuedOn is null;

    public string Message => "请填写制度名称、制定单位和印发日期。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnOutcomeHasKindAndAmount(OutcomeKind? kind, decimal? amount) : IBusinessRule
{
    public bool IsBroken() => kind is not { } k || !Enum.IsDefined(k) || amount is not { } a || a < 0 || (k != OutcomeKind.MoneyRecovered && a != decimal.Truncate(a));

    public string Message => kind is OutcomeKind.PeopleHandled or OutcomeKind.MeetingsHeld && amount is { } a && a >= 0 && a != decimal.Truncate(a)
        ? $"“{Terms.Of(kind.Value)}”是整数（填写了 {a}）。"
        : "请选择成效类型并填写不小于 0 的数量。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class ALeadHasSummaryAndStatus(string? summary, LeadStatus? status) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(summary) || status is not { } s || !Enum.IsDefined(s);

    public string Message => "请填写线索摘要并选择办理状态。";

    public Refusal Refusal => Refusal.Invalid;
}
