namespace Rectify.Documents;

/// <summary>The structure of a rectification progress notice (整改进展情况公布), as read from its text.</summary>
public sealed record NoticeDocument(
    NoticeInspection Inspection,
    IReadOnlyList<NoticeParagraph> Responsibility,
    IReadOnlyList<NoticeCategory> Categories,
    IReadOnlyList<NoticeParagraph> NextSteps,
    NoticeDisclosure? Disclosure,
    string? Issuer,
    DateOnly? Date)
{
    public int FindingCount => Categories.Sum(c => c.Findings.Count);

    public int MeasureCount => Categories.Sum(c => c.Findings.Sum(f => f.Measures.Count));
}

public sealed record NoticeInspection(
    string Team,
    string Target,
    string? TargetShortName,
    IReadOnlyList<string> AlsoInspected,
    IReadOnlyList<string> ExtendedScope,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate,
    bool IsXunshi,
    string Text)
{
    /// <summary>巡视“回头看” or 巡察“回头看”.</summary>
    public bool IsLookBack { get; init; }

    /// <summary>专项巡察 / 机动巡视.</summary>
    public bool IsSpecial { get; init; }

    /// <summary>The on-site period was given as 下旬/底 or in months only; the dates are the reader's estimate.</summary>
    public bool OnSitePeriodIsApproximate { get; init; }
}

public sealed record NoticeParagraph(string Heading, string Text);

public sealed record NoticeCategory(int Number, string Title, IReadOnlyList<NoticeFinding> Findings)
{
    /// <summary>The text has no categories: its findings were put under this one, which the preview shows as such.</summary>
    public bool IsImplicit { get; init; }
}

public sealed record NoticeFinding(int Number, string Title, IReadOnlyList<NoticeMeasure> Measures);

public sealed record NoticeMeasure(int Number, string Text)
{
    /// <summary>责任领导, as a plan table names it.</summary>
    public string? Leader { get; init; }

    /// <summary>责任单位, as a plan table names it.</summary>
    public string? Unit { get; init; }

    /// <summary>完成时限, verbatim ("2024年12月底前", "长期坚持").</summary>
    public string? Deadline { get; init; }

    /// <summary>配合单位, as a plan table names them (verbatim, one cell).</summary>
    public string? SupportingUnits { get; init; }

    /// <summary>整改类型, as a plan table states it ("立行立改").</summary>
    public string? Kind { get; init; }
}

public sealed record NoticeDisclosure(
    DateOnly? From,
    DateOnly? To,
    string? Phone,
    string? Email,
    string? PostalAddress,
    string? Postcode,
    string Text);

/// <summary>What the tolerant reader (<see cref="NoticeReader"/>) found: the notice as far as it goes, the statistics, a confidence per part and located notes.</summary>
public sealed record NoticeReading(
    NoticeKind Kind,
    string? Title,
    NoticeDocument Document,
    NoticeStatistics Statistics,
    NoticeConfidence Confidence,
    IReadOnlyList<NoticeNote> Notes)
{
    /// <summary>The encoding a text file was read in, or "docx".</summary>
    public string? Source { get; init; }

    /// <summary>A structure was found: findings, or the figures of a round summary.</summary>
    public bool HasStructure => Kind == NoticeKind.RoundSummary ? !Statistics.IsEmpty : Document.FindingCount > 0;

    public bool HasIntro => Document.Inspection.Team.Length > 0 || Document.Inspection.Target.Length > 0;
}

public enum NoticeKind
{
    /// <summary>No introduction and no findings: not a notice of this genre.</summary>
    NotANotice,

    /// <summary>One inspected organization's notice or plan.</summary>
    Notice,

    /// <summary>A round summary covering many units (totals and rates, never findings).</summary>
    RoundSummary,
}

public enum NoteSeverity
{
    /// <summary>Noise removed, an encoding guessed: nothing to check.</summary>
    Info,

    /// <summary>Something guessed that the office should look at (an implicit category, an estimated date).</summary>
    Warning,

    /// <summary>A part that could not be read, or a structure that contradicts itself.</summary>
    Error,
}

/// <summary>A note about the reading, located at a paragraph (1-based, blank lines not counted) where it has one.</summary>
public sealed record NoticeNote(int? Paragraph, NoteSeverity Severity, string Message)
{
    public override string ToString() => Paragraph is { } p ? $"第 {p} 段：{Message}" : Message;
}

/// <summary>The figures of a notice (e): problems, measures, completed, rates, money recovered, people handled, rules made.</summary>
public sealed record NoticeStatistics(
    int? Problems,
    int? Measures,
    int? Completed,
    int? InProgress,
    decimal? CompletionRate,
    decimal? AmountYuan,
    int? PeopleHandled,
    int? RulesMade,
    int? UnitsCovered,
    IReadOnlyList<NoticeFigure> Figures)
{
    public static readonly NoticeStatistics None = new(null, null, null, null, null, null, null, null, null, []);

    public bool IsEmpty => Figures.Count == 0;
}

/// <summary>One figure as the text states it: "已完成整改19个" → (已完成整改, 19, 个).</summary>
public sealed record NoticeFigure(string Label, decimal Value, string Unit, int Paragraph, string Text);

/// <summary>How sure the reader is of each part, 0 (not found) to 1.</summary>
public sealed record NoticeConfidence(
    double Overall,
    double Intro,
    double Responsibility,
    double Structure,
    double Statistics,
    double NextSteps,
    double Disclosure,
    double Closing);

/// <summary>The text is not a notice of this genre, or breaks its numbering. The message names what was expected.</summary>
public sealed class NoticeParseException : Exception
{
    public NoticeParseException(string message)
        : base(message)
    {
    }

    public NoticeParseException(string message, int lineNumber)
        : base($"第 {lineNumber} 段：{message}")
    {
        LineNumber = lineNumber;
    }

    public NoticeParseException()
    {
    }

    public NoticeParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int? LineNumber { get; }
}
