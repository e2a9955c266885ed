using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

/// <summary>
/// The ledger and the overview as last computed, for the same question asked again of the same content: the same
/// inspection, filter and page, the same day (China time), the same scope (organization path and roles), and the same
/// <see cref="ContentVersion"/>. The version is read before an answer is computed, so a kept answer is never older than
/// the state it is kept for; any write of content sets a new version and the next read computes again. Both providers;
/// <c>Caching:Answers</c> false turns it off, <c>Caching:AnswerRows</c> (20,000) bounds the rows kept (the least recently
/// used go first). A question is computed once at a time: requests asking it while it is being computed wait for that
/// answer (their own cancellation still ends their wait; one whose computing request was cancelled asks again).
/// On PostgreSQL an answer is given for a minute at most from the moment its computation began
/// (<see cref="ContentVersion.KeptFor(DatabaseProviderKind)"/>); in its last quarter the first request to find it starts its successor off
/// the request, on a context of its own, and it and the others are answered from the kept one until the successor is
/// kept, so that the minute running out does not make every request asking a 10,000-measure question wait for it.
/// ADR 0031, issue #12.
/// </summary>
public sealed partial class AnswerCache : IDisposable
{
    private readonly MemoryCache? cache;

    // The computations under way, by question and version (ValueTuple keys compare by value).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, Task<object?>> computing = new();

    private readonly DatabaseChanges changes;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger<AnswerCache> logger;

    // How long an answer is given at most (ContentVersion.KeptFor): the server's database's, read once.
    private readonly TimeSpan? keptFor;

    // Ends the renewals under way when the server stops.
    private readonly CancellationTokenSource stopping = new();

    public AnswerCache(IConfiguration configuration, DatabaseInfo database, DatabaseChanges changes, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AnswerCache> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        this.changes = changes;
        this.scopes = scopes;
        this.clock = clock;
        this.logger = logger;
        keptFor = ContentVersion.KeptFor(database.Kind);
        if (configuration.GetValue("Caching:Answers", true))
        {
            var rows = configuration.GetValue<long?>("Caching:AnswerRows") ?? 20_000;
            cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, rows), CompactionPercentage = 0.25 });
        }
    }

    /// <summary>How old a kept answer is when the next request to find it starts its successor: the last quarter of <see cref="ContentVersion.KeptFor(DatabaseProviderKind)"/>.</summary>
    public static TimeSpan RenewedAfter(TimeSpan keptFor) => keptFor * 0.75;

    /// <summary>The ledger page, kept or computed.</summary>
    public async Task<LedgerPage?> LedgerAsync(RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken) =>
        (await KeptLedgerAsync(db, scope, inspectionId, filter, today, cancellationToken))?.Value;

    /// <summary>The overview, kept or computed.</summary>
    public async Task<InspectionOverview?> OverviewAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken) =>
        (await KeptOverviewAsync(db, scope, inspectionId, today, cancellationToken))?.Value;

    /// <summary>The ledger page with its JSON, kept or computed (the API answers the JSON as it was written the first time).</summary>
    public Task<Kept<LedgerPage>?> KeptLedgerAsync(RectifyDbContext db, AccessScope scope, int inspectionId, LedgerFilter filter, DateOnly today, CancellationToken cancellationToken) =>
        KeptAsync(
            db,
            ("ledger", inspectionId, filter, today, ScopeKey(scope)),
            (d, ct) => LedgerQueries.LoadAsync(d, scope, inspectionId, filter, today, ct),
            (LedgerPage page) => page.Rows.Count + page.Units.Count + 1,
            cancellationToken);

    /// <summary>The overview with its JSON, kept or computed.</summary>
    public Task<Kept<InspectionOverview>?> KeptOverviewAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken) =>
        KeptOverviewAsync(db, scope, inspectionId, today, renewable: true, cancellationToken);

    private Task<Kept<InspectionOverview>?> KeptOverviewAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, bool renewable, CancellationToken cancellationToken) =>
        GetAsync(
            db,
            ("overview", inspectionId, today, ScopeKey(scope)),
            Began<InspectionOverview>((d, ct) => OverviewQueries.LoadAsync(d, scope, inspectionId, today, ct)),
            OverviewRows,
            cancellationToken,
            renewable);

    /// <summary>The overview with one page of its findings (of one signal, or all), with its JSON, kept or computed from the kept overview.</summary>
    /// <remarks>
    /// The page is as old as the overview it was cut from: it is given no longer than that overview would be. It is cut
    /// from an overview not yet in its last quarter (one that is waits for, or computes, its successor), so that a page
    /// renewed is renewed once, not by every request until the overview's own successor is kept.
    /// </remarks>
    public Task<Kept<InspectionOverview>?> KeptOverviewPageAsync(RectifyDbContext db, AccessScope scope, int inspectionId, Signal? signal, int page, int pageSize, DateOnly today, CancellationToken cancellationToken) =>
        GetAsync(
            db,
            ("overview-page", inspectionId, signal, page, pageSize, today, ScopeKey(scope)),
            async (d, ct) =>
            {
                var overview = await KeptOverviewAsync(d, scope, inspectionId, today, renewable: false, ct);
                return overview is null ? new Computed<InspectionOverview>(null, clock.GetUtcNow()) : new(overview.Value.PageOfFindings(signal, page, pageSize), overview.Made);
            },
            OverviewRows,
            cancellationToken);

    /// <summary>The other rounds of the inspection's 被巡察党组织 with their figures (a statement over each round), kept or computed.</summary>
    public Task<Kept<OtherRoundList>?> KeptOtherRoundsAsync(RectifyDbContext db, AccessScope scope, int inspectionId, DateOnly today, CancellationToken cancellationToken) =>
        KeptAsync(db, ("other-rounds", inspectionId, today, ScopeKey(scope)), (d, ct) => OtherRounds.LoadAsync(d, scope, inspectionId, today, ct), (OtherRoundList list) => list.Rounds.Count + 1, cancellationToken);

    /// <summary>A page of the inspections the caller sees, each with its figures (a statement over each), kept or computed.</summary>
    public async Task<Kept<InspectionFiguresPage>> KeptInspectionListAsync(RectifyDbContext db, AccessScope scope, InspectionListFilter filter, int page, int total, int pageSize, DateOnly today, CancellationToken cancellationToken) =>
        (await KeptAsync(
            db,
            ("inspection-list", filter, page, pageSize, today, ScopeKey(scope)),
            async (d, ct) => await InspectionList.PageAsync(d, scope, filter, page, total, pageSize, today, ct),
            (InspectionFiguresPage list) => list.Page.Rows.Count + 1,
            cancellationToken))!;

    // What an overview (or a page of it) counts for against Caching:AnswerRows.
    private static int OverviewRows(InspectionOverview overview) => overview.Findings.Count + overview.ByUnit.Count + overview.ByCategory.Count + overview.ByKind.Count + 1;

    /// <summary>
    /// Any other answer that depends only on rectification content, the day and who asks (<paramref name="question"/> must
    /// name all of them, as the ledger's and overview's do), kept or computed. <paramref name="compute"/> reads through the
    /// context and stops on the token it is given, not the caller's: a kept answer's successor is computed off the request.
    /// </summary>
    public Task<Kept<T>?> KeptAsync<T>(RectifyDbContext db, object question, Func<RectifyDbContext, CancellationToken, Task<T?>> compute, Func<T, int> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        return GetAsync(db, question, Began(compute), rows, cancellationToken);
    }

    // A computation whose answer is dated from when it began.
    private Func<RectifyDbContext, CancellationToken, Task<Computed<T>>> Began<T>(Func<RectifyDbContext, CancellationToken, Task<T?>> compute)
        where T : class =>
        async (d, ct) =>
        {
            var began = clock.GetUtcNow();
            return new Computed<T>(await compute(d, ct), began);
        };

    /// <summary>What a scope sees and may do: its organization path and roles (the user too where an answer names their own items).</summary>
    public static string ScopeKey(AccessScope scope, bool withUser = false)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var key = scope.OrganizationPath + "|" + string.Join(",", scope.Roles.Order(StringComparer.Ordinal));
        return withUser ? key + "|" + scope.UserId : key;
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a renewal still starting reads its token (a source with no timer holds nothing to free).
        stopping.Cancel();
        cache?.Dispose();
    }

    // renewable: whether one in its last quarter may be given (false: wait for, or compute, its successor).
    private async Task<Kept<T>?> GetAsync<T>(RectifyDbContext db, object question, Func<RectifyDbContext, CancellationToken, Task<Computed<T>>> compute, Func<T, int> rows, CancellationToken cancellationToken, bool renewable = true)
        where T : class
    {
        if (cache is null)
        {
            return Kept<T>.Of(await compute(db, cancellationToken), stored: false);
        }

        // Read first: whatever is computed after it holds at least this state.
        // Read again only when something was committed since it was last read (DatabaseChanges' mark).
        var version = await changes.ReadAsync(db, ContentVersion.Key, () => ContentVersion.ReadAsync(db, cancellationToken));
        var key = (question, version);
        while (true)
        {
            // One in its last quarter is given while its successor is computed; one past its time is given to no one.
            Kept<T>? old = null;
            if (cache.TryGetValue(key, out Kept<T>? kept))
            {
                switch (AgeOf(kept!))
                {
                    case Age.Fresh:
                        return kept;
                    case Age.Renewable when renewable:
                        old = kept;
                        break;
                }
            }

            // One computation per question and version at a time; the others asking meanwhile wait for its answer
            // (200 clients finding a 4-second 待办 gone with a write would otherwise compute it 200 times at once).
            var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = computing.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                if (old is not null)
                {
                    return old; // its successor is under way
                }

                try
                {
                    return (Kept<T>?)await running.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Its client went away before the answer was made (its token stopped it): ask again, computing
                    // ourselves if no one else has started.
                    continue;
                }
            }

            if (old is not null)
            {
                // The first to find it in its last quarter: its successor is computed off this request, on a context of its
                // own (this request's goes back to the pool when it ends), and not in this request's execution context
                // (the unsafe queue is the one that does not carry it).
                try
                {
                    ThreadPool.UnsafeQueueUserWorkItem(_ => _ = RenewAsync(key, mine, compute, rows), null);
                }
                catch
                {
                    // Not started: let the question go, so that no one waits for a successor that will never come.
                    computing.TryRemove(new KeyValuePair<object, Task<object?>>(key, mine.Task));
                    mine.TrySetCanceled(CancellationToken.None);
                    throw;
                }

                return old;
            }

            try
            {
                // Kept by one that finished between the look above and taking the question.
                if (cache.TryGetValue(key, out kept) && Givable(kept!, renewable))
                {
                    mine.SetResult(kept);
                    return kept;
                }

                kept = Keep(key, Kept<T>.Of(await compute(db, cancellationToken), stored: true), rows);
                mine.SetResult(kept);
                return kept;
            }
            catch (OperationCanceledException)
            {
                mine.SetCanceled(CancellationToken.None);
                throw;
            }
            catch (Exception failure)
            {
                mine.SetException(failure);
                _ = mine.Task.Exception; // observed here: with no one waiting it is this request's error alone
                throw;
            }
            finally
            {
                // Kept (or failed) first, then let go: one asking after this finds the answer or starts anew.
                computing.TryRemove(new KeyValuePair<object, Task<object?>>(key, mine.Task));
            }
        }
    }

    private async Task RenewAsync<T>(object key, TaskCompletionSource<object?> mine, Func<RectifyDbContext, CancellationToken, Task<Computed<T>>> compute, Func<T, int> rows)
        where T : class
    {
        Kept<T>? kept;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            kept = Keep(key, Kept<T>.Of(await compute(db, stopping.Token), stored: true), rows);
            if (kept is null)
            {
                // Nothing to answer any more (the inspection is gone, or out of the scope): nor is the kept one given.
                cache!.Remove(key);
            }
        }
        catch (Exception failure)
        {
            // The kept answer is given until its time is up; the next request to find it in its last quarter tries again.
            // Those who came after its time and wait for this one ask again (let go of first, so that they do not find it
            // again), and compute it themselves. A server stopping (the cache disposed) ends it quietly.
            computing.TryRemove(new KeyValuePair<object, Task<object?>>(key, mine.Task));
            mine.TrySetCanceled(CancellationToken.None);
            if (!stopping.IsCancellationRequested)
            {
                RenewalFailed(logger, failure);
            }

            return;
        }

        // Kept first, then let go: one asking after this finds the successor or starts anew.
        mine.SetResult(kept);
        computing.TryRemove(new KeyValuePair<object, Task<object?>>(key, mine.Task));
    }

    private Kept<T>? Keep<T>(object key, Kept<T>? kept, Func<T, int> rows)
        where T : class
    {
        if (kept is not null)
        {
            cache!.Set(key, kept, new MemoryCacheEntryOptions
            {
                Size = rows(kept.Value),
                SlidingExpiration = TimeSpan.FromMinutes(10),
                AbsoluteExpirationRelativeToNow = keptFor, // the memory back sooner; AgeOf decides what is given
            });
        }

        return kept;
    }

    private Age AgeOf<T>(Kept<T> kept)
        where T : class
    {
        if (keptFor is not { } bound)
        {
            return Age.Fresh;
        }

        var age = clock.GetUtcNow() - kept.Made;
        return age >= bound ? Age.Past : age >= RenewedAfter(bound) ? Age.Renewable : Age.Fresh;
    }

    // Whether a kept answer may be given: within its time, and in its last quarter only where the caller allows it.
    private bool Givable<T>(Kept<T> kept, bool renewable)
        where T : class => AgeOf(kept) switch
        {
            Age.Fresh => true,
            Age.Renewable => renewable,
            _ => false,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A kept answer could not be computed again off the request; it is given until its time is up, and tried again")]
    private static partial void RenewalFailed(ILogger logger, Exception failure);

    private enum Age
    {
        Fresh,
        Renewable,
        Past,
    }
}

/// <summary>An answer and when the computation it comes from began (for an answer cut from a kept one, when that one's did).</summary>
internal readonly record struct Computed<T>(T? Value, DateTimeOffset Made)
    where T : class;

/// <summary>
/// An answer as computed, and its JSON as the API first wrote it: a kept answer asked again through the API is sent as
/// those bytes, not serialized again (a 10,000-measure overview is 600 KB of JSON; issue #12), or as their gzip form,
/// also made once (ADR 0038).
/// </summary>
public sealed class Kept<T>
    where T : class
{
    private KeptBytes? bytes;

    private Kept(T value, bool stored, DateTimeOffset made)
    {
        Value = value;
        Stored = stored;
        Made = made;
    }

    /// <summary>The answer.</summary>
    public T Value { get; }

    /// <summary>When the computation it comes from began: what it says holds at least from then (<see cref="AnswerCache"/>).</summary>
    public DateTimeOffset Made { get; }

    /// <summary>Whether it is kept for the next request (else it is this request's alone, and its JSON need not be kept either).</summary>
    public bool Stored { get; }

    /// <summary>The answer as UTF-8 JSON in <paramref name="options"/> (the API's) and its gzip form, each made once.</summary>
    /// <remarks>Two requests may both write it the first time; they write the same bytes, and either is kept.</remarks>
    public KeptBytes Bytes(JsonSerializerOptions options) => bytes ??= new KeptBytes(JsonSerializer.SerializeToUtf8Bytes(Value, options));

    internal static Kept<T>? Of(Computed<T> computed, bool stored) => computed.Value is null ? null : new Kept<T>(computed.Value, stored, computed.Made);
}

/// <summary>
/// A kept answer's JSON, and the same JSON gzipped, made the first time a client that accepts gzip asks for it. An answer
/// under <see cref="GzipFrom"/> bytes, or one that gzip does not make smaller, has no gzip form. ADR 0038.
/// </summary>
public sealed class KeptBytes(byte[] json)
{
    /// <summary>Answers smaller than this are sent as they are: gzip's header and the client's work would outweigh the saving.</summary>
    public const int GzipFrom = 1024;

    // The gzip form once made; Json itself where it has none (a reference that says "made, and not smaller").
    private byte[]? gzip;

    /// <summary>The JSON, UTF-8.</summary>
    public byte[] Json { get; } = json ?? throw new ArgumentNullException(nameof(json));

    /// <summary>The JSON gzipped (at the optimal level: it is made once and sent many times), or null where there is none worth sending.</summary>
    /// <remarks>Two requests may both make it the first time; they make the same bytes, and either is kept.</remarks>
    public byte[]? Gzip
    {
        get
        {
            var made = gzip ??= Json.Length < GzipFrom ? Json : Compress(Json);
            return ReferenceEquals(made, Json) ? null : made;
        }
    }

    private static byte[] Compress(byte[] json)
    {
        using var packed = new MemoryStream(json.Length / 4);
        using (var zip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zip.Write(json);
        }

        return packed.Length < json.Length ? packed.ToArray() : json;
    }
}

/// <summary>
/// JSON already written (<see cref="Kept{T}.Bytes"/>), sent as <c>application/json; charset=utf-8</c> with status 200, as
/// <c>TypedResults.Ok</c> would send the same answer; the endpoint's <c>Ok&lt;T&gt;</c> in its result type describes it.
/// To a client whose <c>Accept-Encoding</c> accepts gzip (browsers, most HTTP libraries) the kept gzip form is sent with
/// <c>Content-Encoding: gzip</c>; to any other the JSON itself; either way with <c>Vary: Accept-Encoding</c> (ADR 0038).
/// Sent in slices, each flushed: one write of the whole would copy it into the connection's pinned buffers at once, and
/// 200 clients reading a 600 KB overview held 123 MB of them (issue #12); a slice at a time waits for the client instead.
/// </summary>
public sealed class KeptJson(KeptBytes bytes) : IResult
{
    private const int Slice = 16 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Accept-Encoding");
        var body = bytes.Json;
        if (ContentCoding.AcceptsGzip(httpContext.Request.Headers.AcceptEncoding) && bytes.Gzip is { } gzip)
        {
            response.Headers.ContentEncoding = "gzip";
            body = gzip;
        }

        response.ContentLength = body.Length;
        for (var offset = 0; offset < body.Length; offset += Slice)
        {
            await response.Body.WriteAsync(body.AsMemory(offset, Math.Min(Slice, body.Length - offset)), httpContext.RequestAborted);
        }
    }
}
