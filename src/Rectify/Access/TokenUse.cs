using Microsoft.EntityFrameworkCore;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>Where token use goes: <c>ApiTokens:UseFlushSeconds</c> (60) between writes; <c>ApiTokens:Background</c> false leaves the writing to whoever calls <see cref="TokenUseRecorder.FlushAsync"/>.</summary>
public sealed class TokenUseOptions
{
    public const string Section = "ApiTokens";

    public int UseFlushSeconds { get; set; } = 60;

    public bool Background { get; set; } = true;
}

public static class TokenUseServices
{
    /// <summary>The ledger, the recorder and (unless <c>ApiTokens:Background</c> is false) the service that flushes it.</summary>
    public static IServiceCollection AddTokenUse(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<TokenUseOptions>(configuration.GetSection(TokenUseOptions.Section));
        services.AddSingleton<TokenUseLedger>();
        services.AddSingleton<TokenUseRecorder>();
        if (configuration.GetValue(TokenUseOptions.Section + ":Background", true))
        {
            services.AddHostedService<TokenUseService>();
        }

        return services;
    }
}

/// <summary>One token's use since the last write: how many requests, the first and the last, and from where (at most five addresses).</summary>
public sealed record TokenUse(int TokenId, string UserId, string UserName, DateTime FirstUtc, DateTime LastUtc, int Requests, IReadOnlyList<string> Sources);

/// <summary>
/// Token use noted in memory on the request path, so that a read through the API writes nothing (issue #12): the token
/// row's last use and one aggregated audit record per token (requests, first and last, addresses) are written by
/// <see cref="TokenUseRecorder"/> every minute and when the server stops. Revocation, expiry and a disabled account still
/// take effect at once: every request reads the token row. A crash loses at most the last interval's counts, never a
/// write (each write is audited in its own transaction).
/// </summary>
public sealed class TokenUseLedger
{
    private const int MaxSources = 5;

    private readonly Lock gate = new();
    private Dictionary<int, TokenUse> pending = [];

    public void Note(int tokenId, string userId, string userName, string? source, DateTime atUtc)
    {
        lock (gate)
        {
            if (pending.TryGetValue(tokenId, out var use))
            {
                var sources = source is null || use.Sources.Contains(source) || use.Sources.Count >= MaxSources ? use.Sources : [.. use.Sources, source];
                pending[tokenId] = use with { LastUtc = atUtc > use.LastUtc ? atUtc : use.LastUtc, Requests = use.Requests + 1, Sources = sources };
            }
            else
            {
                pending[tokenId] = new TokenUse(tokenId, userId, userName, atUtc, atUtc, 1, source is null ? [] : [source]);
            }
        }
    }

    /// <summary>Everything noted since the last drain; the ledger starts empty again.</summary>
    public IReadOnlyList<TokenUse> Drain()
    {
        lock (gate)
        {
            var drained = pending.Values.ToList();
            pending = [];
            return drained;
        }
    }

    /// <summary>Puts back what could not be written, merged with what was noted meanwhile.</summary>
    public void Restore(IEnumerable<TokenUse> uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        lock (gate)
        {
            foreach (var use in uses)
            {
                pending[use.TokenId] = pending.TryGetValue(use.TokenId, out var newer)
                    ? newer with { FirstUtc = use.FirstUtc, Requests = use.Requests + newer.Requests, Sources = [.. use.Sources.Union(newer.Sources).Take(MaxSources)] }
                    : use;
            }
        }
    }
}

/// <summary>Writes the token use the ledger holds: each token's last use, and one audit record per token, in one transaction.</summary>
public sealed class TokenUseRecorder(TokenUseLedger ledger, IServiceScopeFactory scopes, ILogger<TokenUseRecorder> logger)
{
    /// <summary>Writes what the ledger holds; on failure it goes back to the ledger for the next round, and the failure is thrown.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var uses = ledger.Drain();
        if (uses.Count == 0)
        {
            return 0;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var use in uses.OrderBy(u => u.TokenId))
            {
                await db.ApiTokens.Where(t => t.Id == use.TokenId && (t.LastUsedAtUtc == null || t.LastUsedAtUtc < use.LastUtc))
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAtUtc, use.LastUtc), cancellationToken);
                await audit.RecordAsync(
                    new AuditEvent(AuditActions.TokenUsed, ObjectType: "ApiToken", ObjectId: use.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        After: new { use.Requests, From = use.FirstUtc, To = use.LastUtc, Sources = use.Sources }),
                    new AuditActor(use.UserId, use.UserName, Source: use.Sources.Count > 0 ? string.Join(",", use.Sources) : "api"),
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return uses.Count;
        }
        catch
        {
            ledger.Restore(uses);
            logger.LogWarning("接口令牌的使用记录未能写入，将在下一轮重试（{Count} 个令牌）。", uses.Count);
            throw;
        }
    }
}

/// <summary>Flushes token use every <see cref="TokenUseOptions.UseFlushSeconds"/> and when the server stops.</summary>
public sealed class TokenUseService(TokenUseRecorder recorder, Microsoft.Extensions.Options.IOptions<TokenUseOptions> options, TimeProvider clock, ILogger<TokenUseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.UseFlushSeconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await RoundAsync(cancellationToken);
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await recorder.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed round (the database briefly away) must not stop the service; the use stays in the ledger for the next.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "写接口令牌使用记录失败，将在下一轮重试。");
        }
    }
}
