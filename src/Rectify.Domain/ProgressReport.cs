namespace Rectify.Domain;

public enum ProgressReportState
{
    /// <summary>已报送，待审核.</summary>
    Submitted = 0,

    /// <summary>已采纳.</summary>
    Accepted = 1,

    /// <summary>已退回.</summary>
    Returned = 2,

    /// <summary>已撤回: taken back by whoever may file it, before the office reviewed it.</summary>
    Withdrawn = 3,
}

/// <summary>The kinds of evidence file accepted; the application recognises them by their content, never by their name alone.</summary>
public enum EvidenceType
{
    Pdf,
    Ofd,
    Docx,
    Xlsx,
    Jpeg,
    Png,
}

/// <summary>
/// 进展报送: a unit's report on a measure. A returned or withdrawn report is revised by filing a new version; every
/// version is kept. The office accepts or returns it (<see cref="Accept"/>, <see cref="Return"/>), never its own; until
/// then it can be taken back (<see cref="Withdraw"/>).
/// </summary>
public sealed class ProgressReport
{
    private readonly List<ProgressReportEvidence> evidence = [];

    private ProgressReport()
    {
        Narrative = string.Empty;
        SubmittedByUserId = string.Empty;
        SubmittedByName = string.Empty;
    }

    private ProgressReport(Measure measure, ProgressReport? previous, string narrative, int percent, DateOnly effectiveDate, Actor actor, DateTime atUtc, string? onBehalfBasis)
    {
        OnBehalfBasis = onBehalfBasis;
        MeasureId = measure.Id;
        Number = (previous?.Number ?? 0) + 1;
        // A report sent back is answered by the next one, whoever files it; one taken back (撤回) is revised only by the same
        // side's next (the unit's by the unit's, a 代报 by a 代报): the unit's own report after the office took back its 代报
        // is the unit's first word, not a correction of the office's.
        RevisionOfId = previous is { State: ProgressReportState.Returned }
            || (previous is { State: ProgressReportState.Withdrawn } && (previous.OnBehalfBasis is null) == (onBehalfBasis is null))
            ? previous.Id : null;
        Narrative = PlainText.Clean(narrative) ?? string.Empty;
        PercentComplete = percent;
        EffectiveDate = effectiveDate;
        State = ProgressReportState.Submitted;
        SubmittedByUserId = actor.UserId;
        SubmittedByName = actor.DisplayName;
        SubmittedAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int MeasureId { get; private set; }

    /// <summary>1, 2, 3… per measure.</summary>
    public int Number { get; private set; }

    /// <summary>The report this one revises, when it does.</summary>
    public int? RevisionOfId { get; private set; }

    public string Narrative { get; private set; }

    public int PercentComplete { get; private set; }

    /// <summary>When the reported work took effect.</summary>
    public DateOnly EffectiveDate { get; private set; }

    /// <summary>Also the concurrency token: two reviewers of the same report cannot both win.</summary>
    public ProgressReportState State { get; private set; }

    public string SubmittedByUserId { get; private set; }

    public string SubmittedByName { get; private set; }

    public DateTime SubmittedAtUtc { get; private set; }

    /// <summary>Who accepted or returned it; for a withdrawn report, who took it back.</summary>
    public string? ReviewedByName { get; private set; }

    /// <summary>When it was accepted, returned or taken back.</summary>
    public DateTime? ReviewedAtUtc { get; private set; }

    public string? ReturnReason { get; private set; }

    public IReadOnlyList<ProgressReportEvidence> Evidence => evidence;

    /// <summary>
    /// 代报依据: set when the office filed the report for the lead unit (代报), from what the unit handed in outside the
    /// system ("据县教育局11月28日报送的书面材料"); null when the unit filed it itself.
    /// </summary>
    public string? OnBehalfBasis { get; private set; }

    /// <summary>The longest 代报依据.</summary>
    public const int MaxOnBehalfBasis = 500;

    /// <summary>The most a report's narrative holds (its column's length).</summary>
    public const int MaxNarrative = 10_000;

    /// <summary>The rules a report must meet before anything (its files included) is stored.</summary>
    /// <param name="measureState">The measure's state.</param>
    /// <param name="narrative">What was done.</param>
    /// <param name="percent">How much of it, 0–100.</param>
    /// <param name="effectiveDate">报送截至日期: the day the report speaks for.</param>
    /// <param name="inspectionStarted">When the inspection began (on site, else its feedback), if known: no report speaks for a day before it.</param>
    /// <param name="today">Today in China: no report speaks for a day that has not come.</param>
    public static void CheckFiling(MeasureState measureState, string? narrative, int percent, DateOnly? effectiveDate, DateOnly? inspectionStarted, DateOnly today)
    {
        BusinessRules.Check(new ReportsAreFiledOnMeasuresUnderWay(measureState));
        var text = PlainText.Clean(narrative);
        BusinessRules.Check(new AReportSaysWhatWasDone(text, percent, effectiveDate));
        BusinessRules.Check(new ATextFitsItsField("进展情况", text, MaxNarrative));
        BusinessRules.Check(new AReportSpeaksForADayOfTheRectification(effectiveDate!.Value, inspectionStarted, today));
    }

    /// <summary>
    /// Files a report on <paramref name="measure"/>, after <paramref name="previous"/> (its latest report, if any): a
    /// returned previous report is what this one revises. The measure's cadence is settled up to now. With a 代报依据
    /// (<see cref="OnBehalfBasis"/>) when the office files it for the lead unit; none when the unit files it.
    /// </summary>
    public static ProgressReport File(Measure measure, ProgressReport? previous, string? narrative, int percent, DateOnly? effectiveDate, Actor actor, TimeProvider clock, string? onBehalfBasis = null)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        CheckFiling(measure.State, narrative, percent, effectiveDate, measure.Inspection.OnSiteFrom ?? measure.Inspection.FeedbackDate, ChinaTime.Today(clock));
        var basis = onBehalfBasis is null ? null : CheckOnBehalfBasis(onBehalfBasis);
        var now = clock.GetUtcNow().UtcDateTime;
        var report = new ProgressReport(measure, previous, narrative!, percent, effectiveDate!.Value, actor, now, basis);
        measure.NoteReportFiled(now);
        return report;
    }

    /// <summary>A 代报依据 as it is kept (<see cref="OnBehalf.Basis"/>): a 代报 says where the unit's report came from.</summary>
    public static string CheckOnBehalfBasis(string? basis) =>
        OnBehalf.Basis(basis, "代报依据", kept => new AReportFiledOnBehalfSaysWhereItCameFrom(kept));

    /// <summary>Attaches a stored file under the name it was sent with.</summary>
    public void Attach(EvidenceFile file, string originalName, Actor uploader)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(uploader);
        if (evidence.Any(e => ReferenceEquals(e.EvidenceFile, file) || (file.Id != 0 && e.EvidenceFileId == file.Id)))
        {
            return;
        }

        evidence.Add(new ProgressReportEvidence(this, file, originalName, uploader.UserId));
    }

    /// <summary>The office takes the report as it stands (采纳): <paramref name="measure"/> (the report's own) now has evidence for 销号.</summary>
    public void Accept(Measure measure, Actor reviewer, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (measure.Id != MeasureId)
        {
            throw new ArgumentException("采纳报送时须给出该报送所属的措施。", nameof(measure));
        }

        Review(reviewer, clock, ProgressReportState.Accepted, reason: null);
        measure.NoteReportAccepted(ReviewedAtUtc!.Value, reviewer.UserId);
    }

    /// <summary>The office sends the report back with a reason (退回); it no longer counts as filed, see <see cref="Measure.NoteReportSetAside"/>.</summary>
    public void Return(Actor reviewer, TimeProvider clock, string? reason)
    {
        CheckReviewable(reviewer);
        BusinessRules.Check(new AReasonIsRequired("退回", reason));
        Review(reviewer, clock, ProgressReportState.Returned, PlainText.Clean(reason)!);
    }

    /// <summary>
    /// 撤回: taken back while it waits for review (the wrong file attached, a figure mistyped, sent on the wrong measure),
    /// by the one who may file such a report (<paramref name="actor"/>, checked by the caller). It no longer counts as
    /// filed; its text and files stay on record, and the next report filed revises it.
    /// </summary>
    public void Withdraw(Actor actor, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(clock);
        BusinessRules.Check(new AReportIsWithdrawnBeforeReview(State));
        State = ProgressReportState.Withdrawn;
        ReviewedByName = actor.DisplayName;
        ReviewedAtUtc = clock.GetUtcNow().UtcDateTime;
        ReturnReason = null;
    }

    private void CheckReviewable(Actor reviewer)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        BusinessRules.Check(new AReportIsReviewedOnce(State));
        BusinessRules.Check(new NobodyReviewsTheirOwnReport(SubmittedByUserId, reviewer));
    }

    private void Review(Actor reviewer, TimeProvider clock, ProgressReportState to, string? reason)
    {
        ArgumentNullException.ThrowIfNull(clock);
        CheckReviewable(reviewer);
        State = to;
        ReviewedByName = reviewer.DisplayName;
        ReviewedAtUtc = clock.GetUtcNow().UtcDateTime;
        ReturnReason = reason;
    }
}

/// <summary>佐证材料: one stored file, named by its SHA-256; the original name and the uploader are kept per report.</summary>
public sealed class EvidenceFile
{
    private EvidenceFile()
    {
        Sha256 = string.Empty;
    }

    public EvidenceFile(string sha256, string? sm3, long length, EvidenceType type, DateTime storedAtUtc)
    {
        Sha256 = string.IsNullOrEmpty(sha256) || sha256.Length != 64 ? throw new ArgumentException("SHA-256 摘要应为 64 位十六进制。", nameof(sha256)) : sha256;
        Sm3 = sm3;
        Length = length >= 0 ? length : throw new ArgumentOutOfRangeException(nameof(length));
        Type = type;
        StoredAtUtc = storedAtUtc;
    }

    public int Id { get; private set; }

    public string Sha256 { get; private set; }

    /// <summary>SM3 digest (hex), recorded when the installation asks for it.</summary>
    public string? Sm3 { get; private set; }

    public long Length { get; private set; }

    public EvidenceType Type { get; private set; }

    public DateTime StoredAtUtc { get; private set; }

    /// <summary>A file stored before SM3 was switched on gets its SM3 digest the next time it is sent.</summary>
    public void NoteSm3(string? sm3) => Sm3 ??= sm3;
}

/// <summary>One file of one report, under the name it was sent with.</summary>
public sealed class ProgressReportEvidence
{
    private ProgressReportEvidence()
    {
        OriginalName = string.Empty;
        UploadedByUserId = string.Empty;
    }

    internal ProgressReportEvidence(ProgressReport report, EvidenceFile file, string originalName, string uploadedByUserId)
    {
        ProgressReport = report;
        EvidenceFile = file;
        OriginalName = string.IsNullOrWhiteSpace(originalName) ? throw new ArgumentException("文件名不能为空。", nameof(originalName)) : originalName;
        UploadedByUserId = uploadedByUserId;
    }

    public int ProgressReportId { get; private set; }

    public ProgressReport ProgressReport { get; private set; } = null!;

    public int EvidenceFileId { get; private set; }

    public EvidenceFile EvidenceFile { get; private set; } = null!;

    public string OriginalName { get; private set; }

    public string UploadedByUserId { get; private set; }
}

public sealed class ReportsAreFiledOnMeasuresUnderWay(MeasureState state) : IBusinessRule
{
    public bool IsBroken() => state is not (MeasureState.InProgress or MeasureState.Ongoing);

    public string Message => $"措施当前状态为“{Terms.Of(state)}”，不能报送进展（整改中或长期坚持的措施才能报送）。";
}

/// <summary>
/// The same report is not filed twice: a form sent again (a double click, a page reloaded after sending, a replayed
/// request) while the first still waits for review — the same person, words, figure, day, 代报依据 and files. The same
/// words with another file (the one forgotten) are a new report.
/// </summary>
public sealed class AReportIsNotFiledTwice(ProgressReport? previous, ProgressReport report, bool sameFiles) : IBusinessRule
{
    public bool IsBroken() =>
        previous is { State: ProgressReportState.Submitted } p && sameFiles && p.SubmittedByUserId == report.SubmittedByUserId
        && p.Narrative == report.Narrative && p.PercentComplete == report.PercentComplete && p.EffectiveDate == report.EffectiveDate
        && p.OnBehalfBasis == report.OnBehalfBasis;

    public string Message => $"这份进展已报送（第 {previous?.Number} 次报送，待审核），请勿重复提交；如需补充，请修改内容或佐证材料后再报送。";
}

/// <summary>
/// What the office writes when it acts for a unit without an account of its own (代报, 代为申请销号): where the unit's
/// material came from. Both are kept alike, by one check.
/// </summary>
public static class OnBehalf
{
    /// <summary>
    /// The basis as it is kept: typed text cleaned (<see cref="PlainText.Clean"/>); refused when that leaves nothing
    /// (<paramref name="saysWhereItCameFrom"/>, the step's own rule and words) or more than
    /// <see cref="ProgressReport.MaxOnBehalfBasis"/> characters (named as <paramref name="field"/>).
    /// </summary>
    public static string Basis(string? basis, string field, Func<string?, IBusinessRule> saysWhereItCameFrom)
    {
        ArgumentNullException.ThrowIfNull(saysWhereItCameFrom);
        var kept = PlainText.Clean(basis);
        BusinessRules.Check(saysWhereItCameFrom(kept));
        BusinessRules.Check(new ATextFitsItsField(field, kept, ProgressReport.MaxOnBehalfBasis));
        return kept!;
    }
}

/// <summary>A report the office files for a unit (代报) says what the unit handed in, when, and how.</summary>
public sealed class AReportFiledOnBehalfSaysWhereItCameFrom(string? basis) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(basis);

    public string Message => "代报须写明代报依据：牵头单位以何种方式、何时报送了哪些材料（如“据县教育局11月28日报送的书面材料”）。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AnApplicationMadeOnBehalfSaysWhereItCameFrom(string? basis) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(basis);

    public string Message => "代为申请销号须写明依据：牵头单位以何种方式、何时提出了销号（如“据县教育局12月1日报送的销号申请表”）。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AReportSaysWhatWasDone(string? narrative, int percent, DateOnly? effectiveDate) : IBusinessRule
{
    public bool IsBroken() => PlainText.IsBlank(narrative) || percent is < 0 or > 100 || effectiveDate is null;

    /// <summary>Names what is missing or wrong, alone: the reporter sees at once which field to fill.</summary>
    public string Message
    {
        get
        {
            var missing = new[] { ("进展情况", PlainText.IsBlank(narrative)), ("完成百分比（0–100）", percent is < 0 or > 100), ("报送截至日期", effectiveDate is null) }
                .Where(f => f.Item2).Select(f => f.Item1).ToList();
            return $"请填写{string.Join("、", missing)}。";
        }
    }

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AReportSpeaksForADayOfTheRectification(DateOnly effectiveDate, DateOnly? inspectionStarted, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => effectiveDate > today || (inspectionStarted is { } start && effectiveDate < start);

    public string Message => effectiveDate > today
        ? $"报送截至日期（{effectiveDate:yyyy-MM-dd}）不能晚于今天。"
        : $"报送截至日期（{effectiveDate:yyyy-MM-dd}）早于本次巡察开始（{inspectionStarted:yyyy-MM-dd}），请检查。";

    public Refusal Refusal => Refusal.Invalid;
}

public sealed class AReportIsReviewedOnce(ProgressReportState state) : IBusinessRule
{
    public bool IsBroken() => state != ProgressReportState.Submitted;

    public string Message => state == ProgressReportState.Withdrawn ? "这份报送已被撤回，不再审核。" : "这份报送已经审核过了。";
}

/// <summary>Only a report waiting for review can be taken back: once accepted or returned, the office has answered it.</summary>
public sealed class AReportIsWithdrawnBeforeReview(ProgressReportState state) : IBusinessRule
{
    public bool IsBroken() => state != ProgressReportState.Submitted;

    public string Message => state == ProgressReportState.Withdrawn
        ? "这份报送已经撤回了。"
        : $"这份报送{Terms.Of(state)}，不能撤回；如需更正，请重新报送一份。";
}

public sealed class NobodyReviewsTheirOwnReport(string submittedByUserId, Actor reviewer) : IBusinessRule
{
    public bool IsBroken() => string.Equals(submittedByUserId, reviewer.UserId, StringComparison.Ordinal);

    public string Message => "不能审核自己报送的进展。";
}
