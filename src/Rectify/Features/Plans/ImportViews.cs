using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

// The import's preview and result as the API (and the command line's --json) give them: plain values, every problem by
// sheet, row and column, the structure with what the import does to each item.

public sealed record ImportCountsView(ImportCounts Categories, ImportCounts Findings, ImportCounts Measures);

/// <summary>One problem of an import, where it is and whether it blocks the import.</summary>
/// <param name="Sheet">The sheet's name; null when the source has none.</param>
/// <param name="Row">The row (1-based), or null for the whole sheet.</param>
/// <param name="Column">The column letter, or null for a whole row.</param>
/// <param name="Cell">The cell or row as Excel users name it ("I5", "第 5 行"); empty for the whole sheet.</param>
/// <param name="Message">What is wrong, in Chinese.</param>
/// <param name="Severity">Error blocks the import; Warning does not.</param>
public sealed record ImportProblemView(string? Sheet, int? Row, string? Column, string Cell, string Message, IntakeSeverity Severity)
{
    /// <summary>The paragraph of a notice (1-based) the problem is at; null for a ledger's problems.</summary>
    public int? Paragraph { get; init; }

    public static ImportProblemView Of(IntakeProblem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Sheet, p.Row, p.Column, p.Where, p.Message, p.Severity) { Paragraph = p.IsParagraph ? p.Row : null };
    }
}

public sealed record ImportMeasureView(int Number, string Text, MeasureKind? Kind, DateOnly? Deadline, string? ResponsibleLeader, string? LeadUnit, IReadOnlyList<string> SupportingUnits, int? Row, ImportChange Change, IReadOnlyList<string> Fields)
{
    /// <summary>原台账状态 as the office's own ledger's 状态 column says (null when it says nothing or 未启动): the plan's adoption, or an import into a plan in force, starts the measure with it.</summary>
    public LedgerStanding? Standing { get; init; }

    /// <summary>原台账进展 as the ledger's 整改进展 column says (null when it says nothing): the unit's first progress report starts from it.</summary>
    public string? Progress { get; init; }
}

public sealed record ImportFindingView(int Number, string Title, int? Row, ImportChange Change, IReadOnlyList<string> Fields, IReadOnlyList<ImportMeasureView> Measures);

public sealed record ImportCategoryView(int Number, string Title, ImportChange Change, IReadOnlyList<string> Fields, IReadOnlyList<ImportFindingView> Findings)
{
    /// <summary>The source had no categories: its findings were put under this one (name it with a RenameCategory edit).</summary>
    public bool IsImplicit { get; init; }
}

/// <summary>The preview: nothing has been written. <paramref name="CanConfirm"/> says whether the same request with preview=false would import.</summary>
public sealed record ImportPreviewView(
    int InspectionId,
    string FileName,
    IReadOnlyList<LedgerSheet> Sheets,
    string? Sheet,
    PlanState PlanState,
    bool NeedsReason,
    bool CanConfirm,
    ImportCountsView Counts,
    int Untouched,
    IReadOnlyList<ImportProblemView> Problems,
    IReadOnlyList<ImportCategoryView> Categories)
{
    /// <summary>Ledger, Notice, or RoundSummary (whose figures can be recorded with round=record, never imported).</summary>
    public IntakeKind Kind { get; init; }

    /// <summary>The figures the notice states; null for a ledger.</summary>
    public IntakeStatistics? Statistics { get; init; }

    /// <summary>The edits applied, in order.</summary>
    public IReadOnlyList<IntakeEdit> Edits { get; init; } = [];

    /// <summary>What the source says about the inspection (a notice's intro: team, target, dates).</summary>
    public IntakeInspection? Inspection { get; init; }

    public static ImportPreviewView Of(ImportPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var c = preview.Comparison;
        return new ImportPreviewView(
            c.InspectionId,
            preview.FileName,
            preview.Sheets,
            preview.Sheet,
            c.PlanState,
            c.NeedsReason,
            preview.CanConfirm,
            new ImportCountsView(c.CategoryCounts, c.FindingCounts, c.MeasureCounts),
            c.Untouched,
            [.. preview.Problems.Select(ImportProblemView.Of)],
            [.. preview.Draft.Categories.Select(category => new ImportCategoryView(
                category.Number,
                category.Title,
                c.Categories[category.Number].Change,
                c.Categories[category.Number].Fields,
                [.. category.Findings.Select(f => new ImportFindingView(
                    f.Number,
                    f.Title,
                    f.Source?.Row,
                    c.Findings[f.Number].Change,
                    c.Findings[f.Number].Fields,
                    [.. f.Measures.Select(m => new ImportMeasureView(
                        m.Number, m.Text, m.Kind, m.Deadline, m.ResponsibleLeader, m.LeadUnit, m.SupportingUnits, m.Source?.Row,
                        c.Measures[(f.Number, m.Number)].Change, c.Measures[(f.Number, m.Number)].Fields) { Standing = c.LedgerNotes.GetValueOrDefault((f.Number, m.Number))?.Standing, Progress = c.LedgerNotes.GetValueOrDefault((f.Number, m.Number))?.Progress })]))]) { IsImplicit = category.IsImplicit })])
        {
            Kind = preview.Draft.Kind,
            Statistics = preview.Draft.Statistics,
            Edits = preview.Edits,
            Inspection = preview.Draft.Inspection,
        };
    }
}

/// <summary>What a confirmed import did.</summary>
public sealed record ImportResultView(int InspectionId, string Message, ImportCountsView Counts, int Untouched)
{
    public static ImportResultView Of(IntakeCommitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.InspectionId, result.Message, new ImportCountsView(result.Categories, result.Findings, result.Measures), result.Untouched);
    }
}
