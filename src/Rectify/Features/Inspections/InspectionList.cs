using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

/// <summary>
/// Which inspections the list shows: those whose title, round, 被巡察党组织 or 巡察机构 contains <paramref name="Query"/>,
/// fed back in <paramref name="Year"/>. An inspection office oversees hundreds of organizations over many rounds: it
/// looks for one by name, or at one year's rounds.
/// </summary>
public sealed record InspectionListFilter(string? Query = null, int? Year = null)
{
    /// <summary>The longest search text read; a longer one is cut (nothing longer names an organization).</summary>
    public const int MaxQueryLength = 50;

    /// <summary>The years a feedback date may have (as any date a request gives: 1900 to 2199).</summary>
    public const int FirstYear = 1900;

    public const int LastYear = 2199;

    public bool IsUnfiltered => Query is null && Year is null;

    /// <summary>As the API takes it: a search text over <see cref="MaxQueryLength"/> characters or a year no feedback date may have is refused (400).</summary>
    public InspectionListFilter Checked()
    {
        BusinessRules.Check(new AnInspectionSearchIsReadable(PlainText.Line(Query)?.Trim().Length > MaxQueryLength, Year is { } y && (y < FirstYear || y > LastYear)));
        return Normalized();
    }

    /// <summary>As a page takes it (a typed address): the search text trimmed (blank is none, a long one cut), a year no feedback date may have is none.</summary>
    public InspectionListFilter Normalized()
    {
        var query = PlainText.Line(Query)?.Trim();
        return new(
            string.IsNullOrEmpty(query) ? null : query.Length > MaxQueryLength ? query[..MaxQueryLength] : query,
            Year is >= FirstYear and <= LastYear ? Year : null);
    }

    /// <summary>The inspections that match, newest feedback first.</summary>
    public IOrderedQueryable<Inspection> Apply(IQueryable<Inspection> inspections)
    {
        ArgumentNullException.ThrowIfNull(inspections);
        if (Query is { } query)
        {
            inspections = inspections.Where(i => i.Title.Contains(query)
                || (i.Round != null && i.Round.Contains(query))
                || i.InspectedOrganization.Name.Contains(query)
                || i.InspectingBody.Name.Contains(query));
        }

        if (Year is { } year)
        {
            var from = new DateOnly(year, 1, 1);
            var to = new DateOnly(year, 12, 31);
            inspections = inspections.Where(i => i.FeedbackDate >= from && i.FeedbackDate <= to);
        }

        return LedgerQueries.InOrder(inspections);
    }
}

/// <summary>The list's search text is a name, not a document; its year one a feedback date may have.</summary>
public sealed class AnInspectionSearchIsReadable(bool queryTooLong, bool yearOutOfRange) : IBusinessRule
{
    public bool IsBroken() => queryTooLong || yearOutOfRange;

    public string Message => queryTooLong
        ? $"q（关键词）至多 {InspectionListFilter.MaxQueryLength} 个字。"
        : $"year（反馈年度）应为 {InspectionListFilter.FirstYear} 到 {InspectionListFilter.LastYear} 之间的年份。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>An inspection in the list with its figures, counted as its own overview counts them (docs/rules.md).</summary>
/// <param name="Inspection">The round (title, bodies, dates, plan state).</param>
/// <param name="Totals">Its figures: 完成率, 未完成, 超期, 逾期未报, 红黄绿.</param>
public sealed record InspectionFigures(InspectionSummary Inspection, LedgerTotals Totals);

/// <summary>A page of the list, and the feedback years there are to choose from.</summary>
public sealed record InspectionFiguresPage(ListPage<InspectionFigures> Page, IReadOnlyList<int> Years);

public static class InspectionList
{
    /// <summary>Inspections a page of the list shows.</summary>
    public const int PageSize = 50;

    /// <summary>How many inspections match: the page is clamped to it before anything is computed or kept.</summary>
    public static Task<int> CountAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Apply(db.VisibleInspections(scope).AsNoTracking()).CountAsync(cancellationToken);
    }

    /// <summary>
    /// Page <paramref name="page"/> of <paramref name="total"/> (<see cref="CountAsync"/>: the caller counts and clamps) of the inspections the caller sees that match
    /// <paramref name="filter"/>, each with its figures (<see cref="LedgerQueries.TotalsByInspectionAsync"/>: a few
    /// statements for the page, not a few an inspection), and the feedback years of all they see.
    /// </summary>
    public static async Task<InspectionFiguresPage> PageAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, int page, int total, int pageSize, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        await using var held = await db.HoldConnectionAsync(cancellationToken);
        var summaries = await filter.Apply(db.VisibleInspections(scope).AsNoTracking())
            .ToListPageAsync(total, page, pageSize, inspections => LedgerQueries.Summaries(db, scope, inspections), cancellationToken);
        var rows = await WithFiguresAsync(db, scope, summaries.Rows, today, cancellationToken);
        var years = await db.VisibleInspections(scope).AsNoTracking()
            .Where(i => i.FeedbackDate != null)
            .Select(i => i.FeedbackDate!.Value.Year)
            .Distinct()
            .OrderByDescending(y => y)
            .ToListAsync(cancellationToken);
        return new InspectionFiguresPage(new ListPage<InspectionFigures>(rows, summaries.Total, summaries.Page, summaries.PageSize), years);
    }

    /// <summary>
    /// Every inspection the caller sees that matches, with its figures, in the list's order (for the export): the matching
    /// ids read once, in order, then <see cref="PageSize"/> at a time with their figures, so that an inspection registered
    /// meanwhile neither shifts nor repeats a row.
    /// </summary>
    public static async IAsyncEnumerable<InspectionFigures> AllAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, DateOnly today, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var ids = await filter.Apply(db.VisibleInspections(scope).AsNoTracking()).Select(i => i.Id).ToListAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(PageSize))
        {
            var summaries = await LedgerQueries.Summaries(db, scope, db.Inspections.AsNoTracking().Where(i => chunk.Contains(i.Id))).ToListAsync(cancellationToken);
            var byId = summaries.ToDictionary(s => s.Id);
            foreach (var row in await WithFiguresAsync(db, scope, [.. chunk.Where(byId.ContainsKey).Select(id => byId[id])], today, cancellationToken))
            {
                yield return row;
            }
        }
    }

    private static async Task<List<InspectionFigures>> WithFiguresAsync(RectifyDbContext db, AccessScope scope, IReadOnlyList<InspectionSummary> summaries, DateOnly today, CancellationToken cancellationToken)
    {
        var totals = await LedgerQueries.TotalsByInspectionAsync(db, scope, [.. summaries.Select(s => s.Id)], today, cancellationToken);
        return [.. summaries.Select(s => new InspectionFigures(s, totals[s.Id]))];
    }
}
