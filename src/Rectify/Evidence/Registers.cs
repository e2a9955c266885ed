namespace Rectify.Evidence;

/// <summary>建章立制: a rule or mechanism made as a result of the rectification.</summary>
public sealed class Institution
{
    public int Id { get; set; }

    public int InspectionId { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Issuer { get; set; } = string.Empty;

    /// <summary>文号, e.g. 万江党工委〔2025〕12号.</summary>
    public string? DocumentNumber { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>The findings it answers, by id (a small set; kept as a join table).</summary>
    public List<RegisterFinding> Findings { get; set; } = [];
}

/// <summary>整改成效: a quantified result (money recovered, people handled, meetings held…).</summary>
public sealed class Outcome
{
    public int Id { get; set; }

    public int InspectionId { get; set; }

    public OutcomeKind Kind { get; set; }

    public decimal Amount { get; set; }

    public string? Note { get; set; }

    public List<RegisterFinding> Findings { get; set; } = [];
}

public enum OutcomeKind
{
    /// <summary>挽回经济损失（万元）.</summary>
    MoneyRecovered = 0,

    /// <summary>处理人数.</summary>
    PeopleHandled = 1,

    /// <summary>召开会议（次）.</summary>
    MeetingsHeld = 2,
}

/// <summary>问题线索: a case clue handed over. Restricted to the discipline officer.</summary>
public sealed class Lead
{
    public int Id { get; set; }

    public int InspectionId { get; set; }

    public string Summary { get; set; } = string.Empty;

    public LeadStatus Status { get; set; }

    /// <summary>处分 / 诫勉 / 谈话提醒… counts as text, as the discipline office records them.</summary>
    public string? Disposition { get; set; }

    public List<RegisterFinding> Findings { get; set; } = [];
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

/// <summary>Which findings a register entry answers; one table for the three registers.</summary>
public sealed class RegisterFinding
{
    public int Id { get; set; }

    public int FindingId { get; set; }

    public int? InstitutionId { get; set; }

    public int? OutcomeId { get; set; }

    public int? LeadId { get; set; }
}
