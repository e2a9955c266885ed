using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>
/// What an import read, before anything is written: the inspection's particulars where the source states them,
/// categories → findings → measures with their fields, and every problem found on the way. One shape for every
/// source (an Excel ledger, a parsed notice), so that the preview, the confirmation and the commit need not know
/// where it came from. Nothing here touches the database.
/// </summary>
/// <param name="Inspection">What the source says about the inspection itself (often nothing, for a ledger).</param>
/// <param name="Categories">问题类别 in the order of the source, each with its findings and their measures.</param>
/// <param name="Problems">Every problem, ordered by where it was found. Any <see cref="IntakeSeverity.Error"/> blocks the import.</param>
public sealed record IntakeDraft(IntakeInspection Inspection, IReadOnlyList<IntakeCategory> Categories, IReadOnlyList<IntakeProblem> Problems)
{
    public int FindingCount => Categories.Sum(c => c.Findings.Count);

    public int MeasureCount => Categories.Sum(c => c.Findings.Sum(f => f.Measures.Count));

    public IEnumerable<IntakeProblem> Errors => Problems.Where(p => p.Severity == IntakeSeverity.Error);

    /// <summary>Whether the import may be confirmed: it holds at least one measure and no problem is an error.</summary>
    public bool CanConfirm => Kind != IntakeKind.RoundSummary && MeasureCount > 0 && !Errors.Any();

    /// <summary>
    /// Whether the source, read without an error, yielded no measure to import: a wrong sheet, a header too low, a sheet
    /// merged into one cell. A round summary imports no measures by design and is never this.
    /// </summary>
    public bool ReadsNothing => Kind != IntakeKind.RoundSummary && MeasureCount == 0 && !Errors.Any();

    /// <summary>What the source is: a ledger, a notice or plan, or a round summary (whose figures are recorded, never imported).</summary>
    public IntakeKind Kind { get; init; } = IntakeKind.Ledger;

    /// <summary>The figures the source states (a notice's "针对反馈的38个问题，制定226条整改举措"…); empty for a ledger.</summary>
    public IntakeStatistics? Statistics { get; init; }

    /// <summary>How the source was read ("GB18030", "docx", "xlsx"), for the preview.</summary>
    public string? Reading { get; init; }

    /// <summary>The preview edits applied to what the source said (see <see cref="IntakeEdits"/>).</summary>
    public int EditCount { get; init; }
}

/// <summary>What kind of source a draft was read from.</summary>
public enum IntakeKind
{
    /// <summary>An Excel 台账 (.xlsx).</summary>
    Ledger = 0,

    /// <summary>A feedback notice or a 整改方案 (.txt or .docx).</summary>
    Notice = 1,

    /// <summary>A round summary covering many units: figures only, recorded against the round, never imported as findings.</summary>
    RoundSummary = 2,
}

/// <summary>The figures a notice states, as numbers, with each figure as written.</summary>
public sealed record IntakeStatistics(
    int? Problems,
    int? Measures,
    int? Completed,
    int? InProgress,
    decimal? CompletionRate,
    decimal? AmountYuan,
    int? PeopleHandled,
    int? RulesMade,
    int? UnitsCovered,
    IReadOnlyList<IntakeFigure> Figures);

/// <summary>One figure: "已完成整改19个" → (已完成整改, 19, 个), at its paragraph.</summary>
public sealed record IntakeFigure(string Label, decimal Value, string Unit, int Paragraph, string Text);

/// <summary>
/// The inspection as the source describes it; every field is empty when the source does not say (an Excel ledger
/// usually gives only its title row).
/// </summary>
/// <param name="Title">The title the source gives itself, e.g. a ledger's "XX巡察反馈问题整改台账" row.</param>
/// <param name="Team">The inspecting body or team (市委第七巡察组).</param>
/// <param name="Target">The inspected organization's full name.</param>
/// <param name="TargetShortName">Its short name (万江街道党工委).</param>
/// <param name="AlsoInspected">Organizations inspected alongside the target.</param>
/// <param name="ExtendedScope">延伸巡察 units.</param>
/// <param name="OnSiteFrom">First day of the on-site period.</param>
/// <param name="OnSiteTo">Last day of the on-site period.</param>
/// <param name="FeedbackDate">The day the feedback was given.</param>
/// <param name="IsXunshi">巡视 rather than 巡察; null when the source does not say.</param>
public sealed record IntakeInspection(
    string? Title,
    string? Team,
    string? Target,
    string? TargetShortName,
    IReadOnlyList<string> AlsoInspected,
    IReadOnlyList<string> ExtendedScope,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate,
    bool? IsXunshi)
{
    public static IntakeInspection Unknown { get; } = new(null, null, null, null, [], [], null, null, null, null);
}

/// <summary>问题类别 (方面). <paramref name="Number"/> is unique in the draft.</summary>
public sealed record IntakeCategory(int Number, string Title, IReadOnlyList<IntakeFinding> Findings, IntakeLocation? Source)
{
    /// <summary>The source has no categories: its findings were put under this one, which the preview says and the office may name.</summary>
    public bool IsImplicit { get; init; }
}

/// <summary>反馈问题. <paramref name="Number"/> is unique in the draft (findings are numbered across categories, as feedback numbers them).</summary>
public sealed record IntakeFinding(int Number, string Title, IReadOnlyList<IntakeMeasure> Measures, IntakeLocation? Source);

/// <summary>
/// 整改措施. <paramref name="Number"/> is unique within its finding; (finding number, measure number) is what a
/// second import of a corrected file updates by. The planning fields are null (or empty) when the source does not
/// state them: a notice states none, a ledger whatever its columns hold.
/// </summary>
/// <param name="Number">Unique within the finding.</param>
/// <param name="Text">The measure as written.</param>
/// <param name="Kind">整改类型 as stated (the kind column, or 立行立改 / 长期坚持 written as the deadline); null when not stated.</param>
/// <param name="Deadline">整改时限; a month without a day means its last day.</param>
/// <param name="ResponsibleLeader">责任领导 as written (one or more names).</param>
/// <param name="LeadUnit">牵头单位 as written.</param>
/// <param name="SupportingUnits">配合单位, one name each, in the order written, without repeats or the lead unit.</param>
/// <param name="Source">Where it was read; null for a source without rows.</param>
public sealed record IntakeMeasure(
    int Number,
    string Text,
    MeasureKind? Kind,
    DateOnly? Deadline,
    string? ResponsibleLeader,
    string? LeadUnit,
    IReadOnlyList<string> SupportingUnits,
    IntakeLocation? Source)
{
    /// <summary>原台账状态 as the ledger's 状态 column states it; null when it says nothing (or 未启动), or the source has no such column.</summary>
    public LedgerStanding? Standing { get; init; }

    /// <summary>
    /// 原台账进展: what the ledger's 整改进展 column says of the work; null when it says nothing or has no such column, and
    /// empty when it says there is none (无, /, —), which takes back an account an earlier file gave.
    /// </summary>
    public string? Progress { get; init; }
}

/// <summary>Where an item was read: a sheet's row for a ledger (1-based, as Excel numbers rows).</summary>
public sealed record IntakeLocation(string Sheet, int Row)
{
    public override string ToString() => $"工作表“{Sheet}”第 {Row} 行";
}

public enum IntakeSeverity
{
    /// <summary>Read, but worth a look (a hidden row skipped, two columns for one field…); does not block the import.</summary>
    Warning = 0,

    /// <summary>Cannot be imported as it stands; the import cannot be confirmed until the file is corrected.</summary>
    Error = 1,
}

/// <summary>One problem found while reading, in Chinese, with where it is.</summary>
/// <param name="Sheet">The sheet's name; null for a source without sheets.</param>
/// <param name="Row">The row (1-based); null when the problem concerns the whole sheet or column.</param>
/// <param name="Column">The column letter ("F"); null when the problem concerns a whole row or sheet.</param>
/// <param name="Message">What is wrong and, where it helps, what to write instead.</param>
/// <param name="Severity">Whether it blocks the import.</param>
public sealed record IntakeProblem(string? Sheet, int? Row, string? Column, string Message, IntakeSeverity Severity)
{
    /// <summary>The row is a paragraph of a text (a notice, 1-based, blank lines not counted), said as "第 12 段".</summary>
    public bool IsParagraph { get; init; }

    /// <summary>The cell or row named the way Excel users name it: "F12", "第 12 行", a notice's "第 12 段", or nothing.</summary>
    public string Where => (Row, Column) switch
    {
        ({ } r, null) when IsParagraph => $"第 {r} 段",
        ({ } r, { } c) => c + r.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ({ } r, null) => $"第 {r} 行",
        (null, { } c) => $"{c} 列",
        _ => string.Empty,
    };
}
