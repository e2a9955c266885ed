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

/// <summary>
/// An entry of a register (建章立制, 整改成效, 问题线索). It is never edited in place nor deleted: a correction or a
/// withdrawal (撤销) needs a reason and makes a new version, and every earlier version is kept with who made it, when
/// and why (<see cref="Revisions"/>). A withdrawn entry stays, marked, and is no longer counted. <see cref="Version"/>
/// is the optimistic concurrency token: a change is taken on the version the person saw, or refused.
/// </summary>
public abstract class RegisterEntry
{
    private readonly List<RegisterFinding> findings = [];
    private readonly List<RegisterRevision> revisions = [];

    private protected RegisterEntry()
    {
    }

    private protected RegisterEntry(int inspectionId, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        InspectionId = inspectionId;
        findings.AddRange(Registers.Links(findingIds));
        Version = 1;
        RecordedByName = actor.DisplayName;
        RecordedAtUtc = clock.GetUtcNow().UtcDateTime;
    }

    public int Id { get; private set; }

    public int InspectionId { get; private set; }

    /// <summary>1 when registered, one more with each correction or withdrawal.</summary>
    public int Version { get; private set; }

    /// <summary>撤销: kept for the record, counted nowhere, changed no more.</summary>
    public bool Withdrawn { get; private set; }

    /// <summary>Who made the current version (null for an entry registered before versions were kept).</summary>
    public string? RecordedByName { get; private set; }

    public DateTime? RecordedAtUtc { get; private set; }

    /// <summary>Why the current version was made: the reason of the correction or withdrawal (null for the first version).</summary>
    public string? ChangeReason { get; private set; }

    /// <summary>The findings it answers.</summary>
    public IReadOnlyList<RegisterFinding> Findings => findings;

    /// <summary>Every earlier version, as it stood.</summary>
    public IReadOnlyList<RegisterRevision> Revisions => revisions;

    /// <summary>Withdraws the entry (撤销) on the version the person saw, with a reason; its values stay as they were.</summary>
    public void Withdraw(int? version, string? reason, Actor actor, TimeProvider clock) =>
        Change(version, reason, actor, clock, () => Withdrawn = true);

    /// <summary>The finding ids it answers now.</summary>
    private protected IReadOnlyList<int> FindingIds => [.. findings.Select(f => f.FindingId).Order()];

    /// <summary>The current values as JSON (the shape of the register's <c>…Facts</c> record), to be kept when a change supersedes them.</summary>
    private protected abstract string Snapshot();

    /// <summary>
    /// Makes the next version: the rules that hold for every change (not withdrawn, the version shown, a reason), then
    /// <paramref name="check"/> (the register's own rules on the new values), the current version kept, then <paramref name="apply"/>.
    /// </summary>
    private protected void Change(int? version, string? reason, Actor actor, TimeProvider clock, Action apply, Action? check = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        reason = PlainText.Clean(reason);
        BusinessRules.Check(new AWithdrawnEntryIsNotChanged(Withdrawn));
        BusinessRules.Check(new ARegisterEntryIsChangedOnTheVersionShown(version, Version));
        BusinessRules.Check(new ARegisterChangeHasAReason(reason));
        check?.Invoke();
        revisions.Add(new RegisterRevision(Version, Snapshot(), RecordedByName, RecordedAtUtc, ChangeReason));
        apply();
        Version++;
        RecordedByName = actor.DisplayName;
        RecordedAtUtc = clock.GetUtcNow().UtcDateTime;
        ChangeReason = reason!;
    }

    /// <summary>Links the entry to exactly these findings (the ones no longer answered leave <see cref="Findings"/>; the caller deletes their rows).</summary>
    private protected void LinkFindings(IEnumerable<int> findingIds)
    {
        var wanted = findingIds.Distinct().ToList();
        findings.RemoveAll(f => !wanted.Contains(f.FindingId));
        findings.AddRange(Registers.Links(wanted.Where(id => findings.All(f => f.FindingId != id))));
    }

    private protected static bool SameFindings(IReadOnlyList<int> current, IEnumerable<int> wanted) =>
        current.SequenceEqual(wanted.Distinct().Order());
}

/// <summary>The values of an institution's version, as kept in <see cref="RegisterRevision.Values"/>.</summary>
public sealed record InstitutionFacts(string Name, string Issuer, string? DocumentNumber, DateOnly IssuedOn, IReadOnlyList<int> FindingIds);

/// <summary>The values of an outcome's version, as kept in <see cref="RegisterRevision.Values"/>.</summary>
public sealed record OutcomeFacts(OutcomeKind Kind, decimal Amount, string? Note, IReadOnlyList<int> FindingIds);

/// <summary>The values of a lead's version, as kept in <see cref="RegisterRevision.Values"/>.</summary>
public sealed record LeadFacts(string Summary, LeadStatus Status, string? Disposition, IReadOnlyList<int> FindingIds);

/// <summary>建章立制: a rule or mechanism made as a result of the rectification.</summary>
public sealed class Institution : RegisterEntry
{
    private Institution()
    {
        Name = string.Empty;
        Issuer = string.Empty;
    }

    public Institution(int inspectionId, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
        : base(inspectionId, Registers.Checked(findingIds, new AnInstitutionHasNameIssuerAndDate(name, issuer, issuedOn)), actor, clock)
    {
        Name = PlainText.Line(name)!;
        Issuer = PlainText.Line(issuer)!;
        DocumentNumber = PlainText.Line(documentNumber);
        IssuedOn = issuedOn!.Value;
    }

    public string Name { get; private set; }

    public string Issuer { get; private set; }

    /// <summary>文号, e.g. 万江党工委〔2025〕12号.</summary>
    public string? DocumentNumber { get; private set; }

    public DateOnly IssuedOn { get; private set; }

    public InstitutionFacts Facts => new(Name, Issuer, DocumentNumber, IssuedOn, FindingIds);

    /// <summary>Corrects the entry on the version the person saw: the new values in full, and why.</summary>
    public void Correct(int? version, string? reason, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        (name, issuer, documentNumber) = (PlainText.Line(name), PlainText.Line(issuer), PlainText.Line(documentNumber));
        var ids = findingIds.ToList();
        Change(version, reason, actor, clock,
            check: () =>
            {
                BusinessRules.Check(new AnInstitutionHasNameIssuerAndDate(name, issuer, issuedOn));
                BusinessRules.Check(new ACorrectionChangesSomething(Version,
                    Name == name && Issuer == issuer && DocumentNumber == documentNumber && IssuedOn == issuedOn && SameFindings(FindingIds, ids)));
            },
            apply: () =>
            {
                Name = name!;
                Issuer = issuer!;
                DocumentNumber = documentNumber;
                IssuedOn = issuedOn!.Value;
                LinkFindings(ids);
            });
    }

    private protected override string Snapshot() => Registers.Json(Facts);
}

/// <summary>整改成效: a quantified result of the rectification (money recovered, people handled, meetings held…).</summary>
public sealed class RectificationOutcome : RegisterEntry
{
    private RectificationOutcome()
    {
    }

    public RectificationOutcome(int inspectionId, OutcomeKind? kind, decimal? amount, string? note, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
        : base(inspectionId, Registers.Checked(findingIds, new AnOutcomeHasKindAndAmount(kind, amount)), actor, clock)
    {
        Kind = kind!.Value;
        Amount = amount!.Value;
        Note = PlainText.Clean(note);
    }

    public OutcomeKind Kind { get; private set; }

    public decimal Amount { get; private set; }

    public string? Note { get; private set; }

    public OutcomeFacts Facts => new(Kind, Amount, Note, FindingIds);

    /// <summary>Corrects the entry on the version the person saw: the new values in full, and why.</summary>
    public void Correct(int? version, string? reason, OutcomeKind? kind, decimal? amount, string? note, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        var ids = findingIds.ToList();
        Change(version, reason, actor, clock,
            check: () =>
            {
                BusinessRules.Check(new AnOutcomeHasKindAndAmount(kind, amount));
                BusinessRules.Check(new ACorrectionChangesSomething(Version,
                    Kind == kind && Amount == amount && Note == PlainText.Clean(note) && SameFindings(FindingIds, ids)));
            },
            apply: () =>
            {
                Kind = kind!.Value;
                Amount = amount!.Value;
                Note = PlainText.Clean(note);
                LinkFindings(ids);
            });
    }

    private protected override string Snapshot() => Registers.Json(Facts);
}

/// <summary>问题线索: a case clue handed over. Restricted to the discipline officer.</summary>
public sealed class Lead : RegisterEntry
{
    private Lead()
    {
        Summary = string.Empty;
    }

    public Lead(int inspectionId, string? summary, LeadStatus? status, string? disposition, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
        : base(inspectionId, Registers.Checked(findingIds, new ALeadHasSummaryAndStatus(summary, status)), actor, clock)
    {
        Summary = PlainText.Clean(summary)!;
        Status = status!.Value;
        Disposition = PlainText.Clean(disposition);
    }

    public string Summary { get; private set; }

    public LeadStatus Status { get; private set; }

    /// <summary>处分 / 诫勉 / 谈话提醒… as text, as the discipline office records them.</summary>
    public string? Disposition { get; private set; }

    public LeadFacts Facts => new(Summary, Status, Disposition, FindingIds);

    /// <summary>Corrects the entry on the version the person saw: the new values in full, and why.</summary>
    public void Correct(int? version, string? reason, string? summary, LeadStatus? status, string? disposition, IEnumerable<int> findingIds, Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        summary = PlainText.Clean(summary);
        var ids = findingIds.ToList();
        Change(version, reason, actor, clock,
            check: () =>
            {
                BusinessRules.Check(new ALeadHasSummaryAndStatus(summary, status));
                BusinessRules.Check(new ACorrectionChangesSomething(Version,
                    Summary == summary && Status == status && Disposition == PlainText.Clean(disposition) && SameFindings(FindingIds, ids)));
            },
            apply: () =>
            {
                Summary = summary!;
                Status = status!.Value;
                Disposition = PlainText.Clean(disposition);
                LinkFindings(ids);
            });
    }

    private protected override string Snapshot() => Registers.Json(Facts);
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

/// <summary>
/// An earlier version of a register entry, kept when a correction or withdrawal superseded it: its number, its values
/// (the register's <c>…Facts</c> as JSON) and who made it, when and why. One table for the three registers.
/// </summary>
public sealed class RegisterRevision
{
    private RegisterRevision()
    {
        Values = string.Empty;
    }

    internal RegisterRevision(int version, string values, string? recordedByName, DateTime? recordedAtUtc, string? changeReason)
    {
        Version = version;
        Values = values;
        RecordedByName = recordedByName;
        RecordedAtUtc = recordedAtUtc;
        ChangeReason = changeReason;
    }

    public int Id { get; private set; }

    public int? InstitutionId { get; private set; }

    public int? OutcomeId { get; private set; }

    public int? LeadId { get; private set; }

    public int Version { get; private set; }

    /// <summary>The version's values: <see cref="InstitutionFacts"/>, <see cref="OutcomeFacts"/> or <see cref="LeadFacts"/> as JSON (read them with <see cref="Read{T}"/>).</summary>
    public string Values { get; private set; }

    public string? RecordedByName { get; private set; }

    public DateTime? RecordedAtUtc { get; private set; }

    public string? ChangeReason { get; private set; }

    /// <summary>Reads kept values back as the register's facts.</summary>
    public static T Read<T>(string values)
        where T : class => System.Text.Json.JsonSerializer.Deserialize<T>(values, Registers.JsonOptions) ?? throw new InvalidOperationException("A register revision holds no values.");
}

internal static class Registers
{
    /// <summary>Kept values stay readable in the database: CJK as it is, names as in the records.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };


    public static string Json<T>(T facts) => System.Text.Json.JsonSerializer.Serialize(facts, JsonOptions);

    /// <summary>Checks a rule before a constructor's base call takes the finding ids.</summary>
    public static IEnumerable<int> Checked(IEnumerable<int> findingIds, IBusinessRule rule)
    {
        BusinessRules.Check(rule);
        return findingIds;
    }

    public static IEnumerable<RegisterFinding> Links(IEnumerable<int> findingIds)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        return findingIds.Distinct().Select(id => new RegisterFinding(id));
    }
}

public sealed class AnInstitutionHasNameIssuerAndDate(string? name, string? issuer, DateOnly? issuedOn) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(name) || PlainText.IsBlank(issuer) || issuedOn is null;

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
    public bool IsBroken() => PlainText.IsBlank(summary) || status is not { } s || !Enum.IsDefined(s);

    public string Message => "请填写线索摘要并选择办理状态。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AWithdrawnEntryIsNotChanged(bool withdrawn) : IBusinessRule
{
    public bool IsBroken() => withdrawn;

    public string Message => "这条登记已撤销，不能再更正或撤销。";
}

/// <summary>A change names the version it corrects (400 when it does not), and that version is still the current one (409).</summary>
public sealed class ARegisterEntryIsChangedOnTheVersionShown(int? shown, int current) : IBusinessRule
{
    public bool IsBroken() => shown != current;

    public string Message => shown is null
        ? "请注明要更正或撤销的是第几版（version）。"
        : $"这条登记在您打开之后已被他人更正或撤销（现为第 {current} 版，您看到的是第 {shown} 版），请刷新页面后再操作。";

    public Refusal Refusal => shown is null ? Refusal.Invalid : Refusal.Conflict;
}

public sealed class ARegisterChangeHasAReason(string? reason) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(reason);

    public string Message => "更正或撤销登记必须说明理由。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>A correction that changes nothing would only add a version identical to the last one.</summary>
public sealed class ACorrectionChangesSomething(int version, bool unchanged) : IBusinessRule
{
    public bool IsBroken() => unchanged;

    public string Message => $"更正后的内容与第 {version} 版相同，没有需要更正的地方。";

    public Refusal Refusal => Refusal.Invalid;
}
