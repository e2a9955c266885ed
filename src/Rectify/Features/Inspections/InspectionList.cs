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

        return inspections.OrderByDescending(i => i.FeedbackDate).ThenByDescending(i => i.Id);
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
/// <param name="Totals">Its figures: 完成率, 超期, 逾期未报, 红黄绿.</param>
public sealed record InspectionProgress(InspectionSummary Inspection, LedgerTotals Totals)
{
    /// <summary>Measures neither 已完成 nor 持续整改.</summary>
    public int UnfinishedMeasures => Totals.Measures - Totals.CompletedMeasures - Totals.SustainedMeasures;
}

/// <summary>A page of the list, and the feedback years there are to choose from.</summary>
public sealed record InspectionProgressPage(ListPage<InspectionProgress> Page, IReadOnlyList<int> Years);

public static class InspectionList
{
    /// <summary>Inspections a page of the list shows.</summary>
    public const int PageSize = 50;

    /// <summary>
    /// A page of the inspections the caller sees that match <paramref name="filter"/>, each with its figures (one aggregate
    /// statement an inspection, as its overview: each has its own 红黄绿规则), and the feedback years of all they see.
    /// </summary>
    public static async Task<InspectionProgressPage> PageAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, int page, int pageSize, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var summaries = await filter.Apply(db.VisibleInspections(scope).AsNoTracking())
            .ToListPageAsync(page, pageSize, inspections => LedgerQueries.Summaries(db, scope, inspections), cancellationToken);
        var rows = new List<InspectionProgress>(summaries.Rows.Count);
        foreach (var summary in summaries.Rows)
        {
            rows.Add(new InspectionProgress(summary, await LedgerQueries.TotalsAsync(db, scope, summary.Id, today, cancellationToken)));
        }

        var years = await db.VisibleInspections(scope).AsNoTracking()
            .Where(i => i.FeedbackDate != null)
            .Select(i => i.FeedbackDate!.Value.Year)
            .Distinct()
            .OrderByDescending(y => y)
            .ToListAsync(cancellationToken);
        return new InspectionProgressPage(new ListPage<InspectionProgress>(rows, summaries.Total, summaries.Page, summaries.PageSize), years);
    }

    /// <summary>Every inspection the caller sees that matches, with its figures, in the list's order (for the export): read a page at a time.</summary>
    public static async IAsyncEnumerable<InspectionProgress> AllAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, DateOnly today, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var ordered = filter.Apply(db.VisibleInspections(scope).AsNoTracking());
        for (var skip = 0; ; skip += PageSize)
        {
            var summaries = await LedgerQueries.Summaries(db, scope, ordered.Skip(skip).Take(PageSize)).ToListAsync(cancellationToken);
            foreach (var summary in summaries)
            {
                yield return new InspectionProgress(summary, await LedgerQueries.TotalsAsync(db, scope, summary.Id, today, cancellationToken));
            }

            if (summaries.Count < PageSize)
            {
                yield break;
            }
        }
    }
}
