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

    public async Task<Created> CreateAsync(string userName, string? name, int days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 365)
        {
            throw new UserAdministrationException("令牌有效期必须在 1 到 365 天之间。");
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

    public Task<List<ApiToken>> ListAsync(string userName, CancellationToken cancellationToken) =>
        db.ApiTokens.AsNoTracking().Where(t => db.Users.Any(u => u.Id == t.UserId && u.UserName == userName)).OrderBy(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>The token's user when it is well formed, known, unexpired and unrevoked; null otherwise.</summary>
    /// <remarks>The token row and its user in one statement: every request reads both, so revocation, expiry and a disabled account act at once.</remarks>
    public async Task<(ApiToken Token, RectifyUser User)?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != "rfy" || parts[1].Length != 8)
        {
            return null;
        }

        var prefix = parts[1];
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.Prefix == prefix)
            .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (found is null || found.Token.RevokedAtUtc is not null || found.Token.ExpiresAtUtc <= now
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(found.Token.Hash)))
        {
            return null;
        }

        // A disabled account's tokens stop; a temporary lockout after wrong passwords at the sign-in page does not
        // (else anyone could switch off a user's integrations by typing their name five times).
        return UserAdministration.IsDisabled(found.User) ? null : (found.Token, found.User);
    }

    /// <summary>Why a presented token was refused, and which token it named (its id, never its secret) when it named one.</summary>
    public async Task<(int? TokenId, string Reason)> RejectionAsync(string presented, CancellationToken cancellationToken)
    {
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != "rfy" || parts[1].Length != 8)
        {
            return (null, "malformed");
        }

        var prefix = parts[1];
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Prefix == prefix, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return token switch
        {
            null => (null, "unknown"),
            { RevokedAtUtc: not null } => (token.Id, "revoked"),
            _ when token.ExpiresAtUtc <= now => (token.Id, "expired"),
            _ when !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(token.Hash)) => (token.Id, "wrong-secret"),
            _ => (token.Id, "account-disabled"),
        };
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

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

    public async Task<IReadOnlyList<Claim>> ClaimsOfAsync(RectifyUser user, IUserClaimsPrincipalFactory<RectifyUser> principals)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(principals);
        var now = clock.GetUtcNow();
        var stamp = user.ConcurrencyStamp + "|" + user.SecurityStamp;
        if (entries.TryGetValue(user.Id, out var entry) && entry.Stamp == stamp && entry.Until > now)
        {
            return entry.Claims;
        }

        var principal = await principals.CreateAsync(user);
        // Shared by requests as they are: a ClaimsIdentity made from them clones each claim it is given.
        Claim[] claims = [.. principal.Claims, new Claim("amr", "token")];
        if (entries.Count >= MaxUsers)
        {
            entries.Clear();
        }

        entries[user.Id] = new Entry(stamp, now + Lifetime, claims);
        return claims;
    }

    private sealed record Entry(string Stamp, DateTimeOffset Until, Claim[] Claims);
}

/// <summary>Authenticates API requests that carry <c>Authorization: Bearer rfy_…</c>.</summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    TokenUseLedger uses,
    TokenPrincipals claims,
    TimeProvider clock,
    IUserClaimsPrincipalFactory<RectifyUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var found = await tokens.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (found is not { } f)
        {
            // Named by its id and why (never its secret), coalesced per source and minute, written when the request ends.
            var (id, reason) = await tokens.RejectionAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
            DenialAudit.Mark(Context, new Denial(AuditActions.TokenRejected, reason, "ApiToken", id?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return AuthenticateResult.Fail("invalid token");
        }

        // Noted in memory: a read through the API writes nothing (TokenUseLedger); the use is written every minute.
        uses.Note(f.Token.Id, f.User.Id, f.User.DisplayName, Context.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        var identity = new ClaimsIdentity(await claims.ClaimsOfAsync(f.User, principals), ApiTokenService.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokenService.Scheme));
    }
}
