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
    string Text);

public sealed record NoticeParagraph(string Heading, string Text);

public sealed record NoticeCategory(int Number, string Title, IReadOnlyList<NoticeFinding> Findings);

public sealed record NoticeFinding(int Number, string Title, IReadOnlyList<NoticeMeasure> Measures);

public sealed record NoticeMeasure(int Number, string Text);

public sealed record NoticeDisclosure(
    DateOnly? From,
    DateOnly? To,
    string? Phone,
    string? Email,
    string? PostalAddress,
    string? Postcode,
    string Text);

/// <summary>The text is not a notice of this genre, or breaks its numbering. The message names what was expected.</summary>
public sealed class NoticeParseException : Exception
{
    public NoticeParseException(string message)
        : base(message)
    {
    }

    public NoticeParseException(string message, int lineNumber)
        : base($"第 {lineNumber} 行：{message}")
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
