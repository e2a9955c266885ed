using Microsoft.EntityFrameworkCore;
using Rectify.Domain;

namespace Rectify.Features.Common;

/// <summary>
/// Page numbers within range: the row a page starts at, (page − 1) × size, must fit a 32-bit integer, or
/// page=2147483647 wraps round to a negative offset and answers page 1 (or a database error). The API refuses a page
/// beyond <see cref="MaxPage"/> (400, saying so); pages and queries clamp to it.
/// </summary>
public static class Paging
{
    /// <summary>The last page anyone may ask for: at the largest page size (500) it starts at row 499,999,500.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>A page number from the request, refused (400) when it is not between 1 and <see cref="MaxPage"/>.</summary>
    public static int Checked(int? page)
    {
        BusinessRules.Check(new APageNumberIsInRange(page));
        return page ?? 1;
    }

    /// <summary>A page size from the request: <paramref name="defaultSize"/> when absent, refused (400) when not between 1 and <paramref name="maxSize"/>.</summary>
    public static int CheckedSize(int? pageSize, int defaultSize, int maxSize)
    {
        BusinessRules.Check(new APageSizeIsInRange(pageSize, maxSize));
        return pageSize ?? defaultSize;
    }

    /// <summary>A page number clamped to 1 … <see cref="MaxPage"/> (for pages, which show the nearest page instead of refusing).</summary>
    public static int Clamped(int? page) => Math.Clamp(page ?? 1, 1, MaxPage);

    /// <summary>How many pages <paramref name="total"/> rows fill, <paramref name="pageSize"/> a page: at least 1, so an empty list shows its page 1.</summary>
    public static int PageCount(int total, int pageSize) =>
        (int)Math.Max(1, (Math.Max(0L, total) + Math.Max(1, pageSize) - 1) / Math.Max(1, pageSize));

    /// <summary>
    /// The page to show of <paramref name="total"/> rows: the one asked for, or the last when asked past the end (a stale
    /// link, or the last row of the last page just handled away), so a list never shows "page 9 of 3" and nothing.
    /// Count first, then read the page this gives.
    /// </summary>
    public static int Within(int page, int total, int pageSize) => Math.Clamp(page, 1, PageCount(total, pageSize));

    /// <summary>The rows before the page, computed without wrapping.</summary>
    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, (Math.Clamp((long)page, 1, MaxPage) - 1) * Math.Max(0, (long)pageSize));

    /// <summary>
    /// The page of an ordered query a list shows: counted first, the page asked for or its last (<see cref="Within"/>),
    /// then that page's rows (no second query when there are none). Every list of the pages reads its rows this way.
    /// </summary>
    public static Task<ListPage<T>> ToListPageAsync<T>(this IQueryable<T> ordered, int page, int pageSize, CancellationToken cancellationToken) =>
        ordered.ToListPageAsync(page, pageSize, rows => rows, cancellationToken);

    /// <summary>
    /// As <see cref="ToListPageAsync{T}(IQueryable{T}, int, int, CancellationToken)"/>, with <paramref name="project"/>
    /// applied to the page's rows after they are chosen (a projection into a record cannot be sorted or paged in SQL, and
    /// its correlated counts are then made for the page's rows only).
    /// </summary>
    public static async Task<ListPage<T>> ToListPageAsync<TSource, T>(this IQueryable<TSource> ordered, int page, int pageSize, Func<IQueryable<TSource>, IQueryable<T>> project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(project);
        return await ordered.ToListPageAsync(await ordered.CountAsync(cancellationToken), page, pageSize, project, cancellationToken);
    }

    /// <summary>
    /// The page of an ordered query the API answers (<see cref="PagedResult{T}"/>): counted, then the page asked for,
    /// empty past the end (no second query then). <paramref name="page"/> and <paramref name="pageSize"/> are checked
    /// by the caller (<see cref="Checked"/>, <see cref="CheckedSize"/>).
    /// </summary>
    public static async Task<PagedResult<T>> ToPagedResultAsync<TSource, T>(this IQueryable<TSource> ordered, int page, int pageSize, Func<IQueryable<TSource>, IQueryable<T>> project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(project);
        var total = await ordered.CountAsync(cancellationToken);
        var skip = Skip(page, pageSize);
        IReadOnlyList<T> rows = skip >= total ? [] : await project(ordered.Skip(skip).Take(pageSize)).ToListAsync(cancellationToken);
        return new(rows, total, page, pageSize);
    }

    /// <summary>As above, for a list whose <paramref name="total"/> is already known (from the figures shown above it).</summary>
    public static async Task<ListPage<T>> ToListPageAsync<TSource, T>(this IQueryable<TSource> ordered, int total, int page, int pageSize, Func<IQueryable<TSource>, IQueryable<T>> project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(project);
        var shown = Within(page, total, pageSize);
        IReadOnlyList<T> rows = total <= 0 ? [] : await project(ordered.Skip(Skip(shown, pageSize)).Take(pageSize)).ToListAsync(cancellationToken);
        return new(rows, Math.Max(0, total), shown, pageSize);
    }
}

/// <summary>
/// One page of a list as the API answers it: the page asked for, its rows (none past the end: that is how a client
/// knows it has read everything), the rows in all and the page size.
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>One page of a list: its rows, the rows in all, and the page shown (<see cref="Paging.Within"/>).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Paging.PageCount(Total, PageSize);

    /// <summary>The pager under this list: <paramref name="url"/> links to another page of it; an optional tally (共 N 条).</summary>
    public Pager Pager(Func<int, string> url, string? tally = null) => new(Page, PageCount, url, tally);

    /// <summary>The same page with each row turned into what the page shows (for what SQL cannot compute).</summary>
    public ListPage<TShown> Select<TShown>(Func<T, TShown> show)
    {
        ArgumentNullException.ThrowIfNull(show);
        return new([.. Rows.Select(show)], Total, Page, PageSize);
    }
}

/// <summary>The pager under a list (the shared partial <c>_Pager</c>): the page shown of how many, the link to another page, and an optional tally (共 N 条).</summary>
public sealed record Pager(int Page, int PageCount, Func<int, string> Url, string? Tally = null);

/// <summary>A page number is 1 or more and at most <see cref="Paging.MaxPage"/>.</summary>
public sealed class APageNumberIsInRange(int? page) : IBusinessRule
{
    public bool IsBroken() => page is < 1 or > Paging.MaxPage;

    public string Message => $"页码 page 应在 1 到 {Paging.MaxPage:N0} 之间（收到 {page}）。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>A page size is 1 or more and at most the endpoint's maximum (silently using the default instead hid the mistake).</summary>
public sealed class APageSizeIsInRange(int? pageSize, int maxSize) : IBusinessRule
{
    public bool IsBroken() => pageSize is { } size && (size < 1 || size > maxSize);

    public string Message => $"每页条数 pageSize 应在 1 到 {maxSize} 之间（收到 {pageSize}）。";

    public Refusal Refusal => Refusal.Invalid;
}
