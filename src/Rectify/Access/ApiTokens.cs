using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Access;

public sealed class ApiTokenService(RectifyDbContext db, UserManager<RectifyUser> users, AuditLog audit, TimeProvider clock)
{
    public const string Scheme = "Bearer";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public sealed record Created(int Id, string Token, DateTime ExpiresAtUtc);

    /// <summary>The longest a token may live, in days, however it is made (the command line or the 接口令牌 page).</summary>
    public const int MostDays = 365;

    public async Task<Created> CreateAsync(string userName, string? name, int days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MostDays)
        {
            throw new UserAdministrationException($"令牌有效期必须在 1 到 {MostDays} 天之间。");
        }

        var user = await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"用户“{userName}”不存在。");
        var prefix = Random(8);
        var token = $"rfy_{prefix}_{Random(32)}";
        var now = clock.GetUtcNow().UtcDateTime;
        var entity = new ApiToken
        {
            UserId = user.Id,
            Name = string.IsNullOrWhiteSpace(name) ? "API" : name.Trim(),
            Prefix = prefix,
            Hash = HashOf(token),
            CreatedAtUtc = now,
            ExpiresAtUtc = now.AddDays(days),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.TokenCreated, ObjectType: "ApiToken", ObjectId: entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { user.UserName, entity.Name, entity.ExpiresAtUtc }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Created(entity.Id, token, entity.ExpiresAtUtc);
    }

    public async Task RevokeAsync(int id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.ApiTokens.Where(t => t.Id == id && t.RevokedAtUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
        if (changed == 0)
        {
            throw new UserAdministrationException($"令牌 {id} 不存在或已撤销。");
        }

        await audit.RecordAsync(new AuditEvent(AuditActions.TokenRevoked, ObjectType: "ApiToken", ObjectId: id.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Revokes a token of the account <paramref name="userId"/> (the 接口令牌 page's own): false when it has no such token
    /// in force, so that an id of another account's token revokes nothing and says nothing about it.
    /// </summary>
    public async Task<bool> RevokeOwnAsync(string userId, int id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var own = db.ApiTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAtUtc == null);
        var name = await own.Select(t => t.Name).SingleOrDefaultAsync(cancellationToken);
        var changed = name is null ? 0 : await own.ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
        var objectId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A refusal is recorded too: an id that is not the account's own token in force (another's, or a guess).
        await audit.RecordAsync(
            changed == 0
                ? new AuditEvent(AuditActions.TokenRevoked, Succeeded: false, ObjectType: "ApiToken", ObjectId: objectId, After: new { Reason = "不是本账号有效的令牌" })
                : new AuditEvent(AuditActions.TokenRevoked, ObjectType: "ApiToken", ObjectId: objectId, After: new { Name = name }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public Task<List<ApiToken>> ListAsync(string userName, CancellationToken cancellationToken) =>
        db.ApiTokens.AsNoTracking().Where(t => db.Users.Any(u => u.Id == t.UserId && u.UserName == userName)).OrderBy(t => t.Id).ToListAsync(cancellationToken);

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Random(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}

/// <summary>
/// The claims a token's user signs in with, kept for a minute per user and dropped as soon as the user row changes
/// (a role, the organization, a password or a reset second factor changes its concurrency or security stamp): a request
/// then reads the token and its user in one statement instead of the seven the claims take. An organization moved in the
/// tree takes effect within the minute, as it does for the sign-in cookie (its security stamp is checked every minute).
/// </summary>
public sealed class TokenPrincipals(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private const int MaxUsers = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The user's claims, kept while <paramref name="stamp"/> (their concurrency and security stamps) stays the same and
    /// for at most <see cref="Lifetime"/>; on a miss the user is read and the claims made by the Identity services.
    /// </summary>
    public async Task<IReadOnlyList<Claim>> ClaimsOfAsync(string userId, string stamp, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(userId, out var entry) && entry.Stamp == stamp && entry.Until > now)
        {
            return entry.Claims;
        }

        var db = services.GetRequiredService<RectifyDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<RectifyUser>>().CreateAsync(user);
        // Shared by requests as they are: a ClaimsIdentity made from them clones each claim it is given.
        Claim[] claims = [.. principal.Claims, new Claim("amr", "token")];
        if (entries.Count >= MaxUsers)
        {
            entries.Clear();
        }

        // Kept under the stamp the user was read with (it may have changed since the token's statement).
        entries[userId] = new Entry((user.ConcurrencyStamp ?? string.Empty) + "|" + (user.SecurityStamp ?? string.Empty), now + Lifetime, claims);
        return claims;
    }

    private sealed record Entry(string Stamp, DateTimeOffset Until, Claim[] Claims);
}

/// <summary>
/// What a request's token check reads: the token row and the few fields of its user the check and the claims' freshness
/// need, in one statement compiled once (no LINQ translation per request) and without the Identity services, which only
/// a claims cache miss asks for (issue #12: resolving UserManager and translating the query were most of an API read).
/// </summary>
public sealed class ApiTokenCheck(RectifyDbContext db, DatabaseChanges changes, TimeProvider clock)
{
    /// <param name="TokenId">The token.</param>
    /// <param name="UserId">Its user.</param>
    /// <param name="Hash">The stored SHA-256 of the whole token.</param>
    /// <param name="ExpiresAtUtc">Expiry.</param>
    /// <param name="RevokedAtUtc">Revocation, if revoked.</param>
    /// <param name="Stamp">The user's concurrency and security stamps: the claims are kept while they stay the same.</param>
    /// <param name="LockoutEnd">The user's lockout end (the year 9999 when disabled).</param>
    /// <param name="DisplayName">The user's name, for the token-use record.</param>
    public sealed record Found(int TokenId, string UserId, string Hash, DateTime ExpiresAtUtc, DateTime? RevokedAtUtc, string Stamp, DateTimeOffset? LockoutEnd, string DisplayName);

    private static readonly CompiledPerModel<Func<RectifyDbContext, string, CancellationToken, Task<Found?>>> ByPrefix = new(() => EF.CompileAsyncQuery(
        (RectifyDbContext db, string prefix, CancellationToken _) => db.ApiTokens.AsNoTracking().Where(t => t.Prefix == prefix)
            .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new Found(
                t.Id, t.UserId, t.Hash, t.ExpiresAtUtc, t.RevokedAtUtc, (u.ConcurrencyStamp ?? string.Empty) + "|" + (u.SecurityStamp ?? string.Empty), u.LockoutEnd, u.DisplayName))
            .SingleOrDefault()));

    /// <summary>
    /// The token and its user when it is well formed, known, unexpired and unrevoked and the user is not disabled;
    /// otherwise why not, and which token it named (its id, never its secret) when it named one. One statement either way.
    /// </summary>
    /// <remarks>
    /// Decided on every request, so revocation, expiry and a disabled account act at once; the row is read from the
    /// database again whenever anything has been committed since it was last read (DatabaseChanges' mark).
    /// </remarks>
    public async Task<(Found? Accepted, int? TokenId, string Reason)> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        if (PrefixOf(presented) is not { } prefix)
        {
            return (null, null, "malformed");
        }

        // Read once per change of the database (DatabaseChanges): a revocation or a disabled account, committed by any
        // process, is a change, so it still acts on the next request.
        var found = await changes.ReadAsync(db, ("api-token", prefix), () => ByPrefix.For(db)(db, prefix, cancellationToken));
        var now = clock.GetUtcNow().UtcDateTime;
        var refused = found switch
        {
            null => "unknown",
            { RevokedAtUtc: not null } => "revoked",
            _ when found.ExpiresAtUtc <= now => "expired",
            _ when !SameHash(presented, found.Hash) => "wrong-secret",

            // A disabled account's tokens stop; a temporary lockout after wrong passwords at the sign-in page does not
            // (else anyone could switch off a user's integrations by typing their name five times).
            _ when UserAdministration.IsDisabled(found.LockoutEnd) => "account-disabled",
            _ => null,
        };
        return refused is null ? (found, found!.TokenId, "accepted") : (null, found?.TokenId, refused);
    }

    /// <summary>The public part of a well-formed <c>rfy_xxxxxxxx_…</c> token; null for anything else.</summary>
    private static string? PrefixOf(string presented)
    {
        var parts = presented.Split('_');
        return parts.Length == 3 && parts[0] == "rfy" && parts[1].Length == 8 ? parts[1] : null;
    }

    // The presented token's SHA-256, as lower-case hex, against the stored one, in constant time; without allocating
    // (it runs on every API request). A stored hash of another length matches nothing; a presented token too long for
    // the stack (none the product makes) is hashed on the heap. Neither length is a secret.
    private static bool SameHash(string presented, string stored)
    {
        const int HexLength = SHA256.HashSizeInBytes * 2;
        if (stored.Length != HexLength)
        {
            return false;
        }

        if (Encoding.UTF8.GetMaxByteCount(presented.Length) > 1024)
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ApiTokenService.HashOf(presented)), Encoding.ASCII.GetBytes(stored));
        }

        Span<byte> utf8 = stackalloc byte[1024];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<char> hex = stackalloc char[HexLength];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(presented, utf8)], hash);
        Convert.TryToHexStringLower(hash, hex, out _);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(hex), MemoryMarshal.AsBytes(stored.AsSpan()));
    }
}

/// <summary>Authenticates API requests that carry <c>Authorization: Bearer rfy_…</c>.</summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenCheck tokens,
    TokenUseLedger uses,
    TokenPrincipals claims,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = header["Bearer ".Length..].Trim();
        var (found, id, reason) = await tokens.CheckAsync(presented, Context.RequestAborted);
        if (found is null)
        {
            // Named by its id and why (never its secret), coalesced per source and minute, written when the request ends.
            DenialAudit.Mark(Context, new Denial(AuditActions.TokenRejected, reason, "ApiToken", id?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return AuthenticateResult.Fail("invalid token");
        }

        // Noted in memory: a read through the API writes nothing (TokenUseLedger); the use is written every minute.
        uses.Note(found.TokenId, found.UserId, found.DisplayName, Context.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        var identity = new ClaimsIdentity(await claims.ClaimsOfAsync(found.UserId, found.Stamp, Context.RequestServices, Context.RequestAborted), ApiTokenService.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokenService.Scheme));
    }
}
