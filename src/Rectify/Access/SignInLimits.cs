using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Rectify.Access;

/// <summary>
/// The sign-in steps' rate limits, on .NET's rate limiter (System.Threading.RateLimiting, what ASP.NET Core's rate
/// limiting middleware runs): a fixed window per remote address and one per account (the normalized user name,
/// shared by the password step and the second-factor step, known or not). The sign-in pages ask before they hash a
/// password or check a code; an attempt over either limit is answered 429 with Retry-After. The middleware's
/// partitioner cannot be used for the account half: it is synchronous, and the account is known only from the posted
/// form or the two-factor cookie. Interactive limits never touch the API's personal tokens.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> perAddress;
    private readonly PartitionedRateLimiter<string> perAccount;

    public SignInLimits(IOptions<SecurityPolicyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.SignInLimits;
        perAddress = Partitioned(limits.PerAddress);
        perAccount = Partitioned(limits.PerAccount);
    }

    /// <summary>Takes one attempt from the address and one from the account; null when both allow it, else how long to wait.</summary>
    public TimeSpan? TryAttempt(string? address, string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        foreach (var (limiter, key) in new[] { (perAddress, address ?? "unknown"), (perAccount, account.ToUpperInvariant()) })
        {
            using var lease = limiter.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) && retry > TimeSpan.Zero ? retry : TimeSpan.FromSeconds(1);
            }
        }

        return null;
    }

    /// <summary>
    /// Takes one attempt for the request's remote address and <paramref name="account"/>: null when both allow it; else
    /// the answer is made 429 with Retry-After and the refusal in words is returned, for the page to show.
    /// </summary>
    /// <remarks><paramref name="signIn"/> is false where a signed-in account confirms its password or code (修改密码, 接口令牌, 恢复码): the refusal then speaks of checks, not of signing in.</remarks>
    public string? Refusal(Microsoft.AspNetCore.Http.HttpContext context, string account, Microsoft.Extensions.Localization.IStringLocalizer l, bool signIn = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TryAttempt(context.Connection.RemoteIpAddress?.ToString(), account) is not { } wait)
        {
            return null;
        }

        context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status429TooManyRequests;
        return Refuse(context.Response, wait, l, signIn);
    }

    /// <summary>The Retry-After header's value: whole seconds, at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The refusal on a sign-in page: status 429, Retry-After, and the wait in words.</summary>
    private static string Refuse(Microsoft.AspNetCore.Http.HttpResponse response, TimeSpan wait, Microsoft.Extensions.Localization.IStringLocalizer l, bool signIn)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(l);
        response.Headers.RetryAfter = RetryAfterSeconds(wait);
        if (!signIn)
        {
            // The account's checks share one budget with its sign-ins (a password is a password wherever it is tried).
            return wait.TotalSeconds > 90
                ? l["密码或验证码的验证过于频繁（与登录共用次数），请 {0} 分钟后再试。", Math.Ceiling(wait.TotalMinutes)]
                : l["密码或验证码的验证过于频繁（与登录共用次数），请 {0} 秒后再试。", RetryAfterSeconds(wait)];
        }

        return wait.TotalSeconds > 90
            ? l["登录尝试过于频繁，请 {0} 分钟后再试。", Math.Ceiling(wait.TotalMinutes)]
            : l["登录尝试过于频繁，请 {0} 秒后再试。", RetryAfterSeconds(wait)];
    }

    public void Dispose()
    {
        perAddress.Dispose();
        perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Partitioned(WindowLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}
