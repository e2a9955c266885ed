using Microsoft.Extensions.Caching.Memory;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Inspections;

/// <summary>
/// The ledger and the overview as last computed, for the same question asked again of the same content: the same
/// inspection, filter and page, the same day (China time), the same scope (organization path and roles), and the same
/// <see cref="ContentVersion"/>. The version is read before an answer is computed, so a kept answer is never older than
/// the state it is kept for; any write of content sets a new version and the next read computes again. SQLite only (the
/// version is kept there); <c>Caching:Answers</c> false turns it off, <c>Caching:AnswerRows</c> (20,000) bounds the
/// rows kept (the least recently used go first). ADR 0031, issue #12.
/// </summary>
public sealed class AnswerCache : IDisposable
{
    private readonly MemoryCache? cache;

    public AnswerCache(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetValue("Caching:Answers", true))
        {
            var rows = configuration.GetValue<long?>("Caching:AnswerRows") ?? 20_000;
            cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, rows), CompactionPercentage = 0.25 });
        }
    }

    /// <summary>The ledger page, kept or computed.</summary>
    public Task<LedgerPage?> LedgerAsync(RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken) =>
        GetAsync(
            db,
            ("ledger", inspectionId, filter, today, ScopeKey(scope)),
            () => LedgerQueries.LoadAsync(db, scope, inspectionId, filter, today, cancellationToken),
            page => page.Rows.Count + page.Units.Count + 1,
            cancellationToken);

    /// <summary>The overview, kept or computed.</summary>
    public Task<InspectionOverview?> OverviewAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken) =>
        GetAsync(
            db,
            ("overview", inspectionId, today, ScopeKey(scope)),
            () => OverviewQueries.LoadAsync(db, scope, inspectionId, today, cancellationToken),
            overview => overview.Findings.Count + overview.ByUnit.Count + overview.ByCategory.Count + overview.ByKind.Count + 1,
            cancellationToken);

    public void Dispose() => cache?.Dispose();

    private static string ScopeKey(AccessScope scope) => scope.OrganizationPath + "|" + string.Join(",", scope.Roles.Order(StringComparer.Ordinal));

    private async Task<T?> GetAsync<T>(RectifyDbContext db, object question, Func<Task<T?>> compute, Func<T, int> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (cache is null)
        {
            return await compute();
        }

        // Read first: whatever is computed after it holds at least this state.
        var version = await ContentVersion.ReadAsync(db, cancellationToken);
        if (version is null)
        {
            return await compute();
        }

        var key = (question, version);
        if (cache.TryGetValue(key, out T? kept))
        {
            return kept;
        }

        var answer = await compute();
        if (answer is not null)
        {
            cache.Set(key, answer, new MemoryCacheEntryOptions { Size = rows(answer), SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        return answer;
    }
}
