using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Rectify.Audit;

/// <summary>A request that was refused: what kind of refusal, why (never a secret), and what it was aimed at.</summary>
public sealed record Denial(string Action, string Reason, string? ObjectType = null, string? ObjectId = null);

/// <summary>
/// Keeps a scanner from turning refusals into an audit storm: per source (address and account) and kind of refusal, the first one in
/// each minute is recorded and the rest are counted; the next record of that kind from that source says how many were
/// left out (<c>repeats</c>). Memory is bounded: past <see cref="MaxKeys"/> live keys, new sources share one key per kind.
/// </summary>
public sealed class DenialThrottle(TimeProvider clock)
{
    public const int MaxKeys = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (DateTimeOffset Start, int Suppressed)> windows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Null when this refusal is only counted; otherwise how many of its kind from its source were counted and not recorded since the last record.</summary>
    public int? Admit(string action, string source)
    {
        var now = clock.GetUtcNow();
        var key = action + "|" + source;
        lock (gate)
        {
            if (!windows.ContainsKey(key) && windows.Count >= MaxKeys)
            {
                foreach (var stale in windows.Where(w => now - w.Value.Start >= Window && w.Value.Suppressed == 0).Select(w => w.Key).ToList())
                {
                    windows.Remove(stale);
                }

                if (windows.Count >= MaxKeys)
                {
                    key = action + "|*";
                }
            }

            if (windows.TryGetValue(key, out var window) && now - window.Start < Window)
            {
                windows[key] = (window.Start, window.Suppressed + 1);
                return null;
            }

            windows[key] = (now, 0);
            return window.Suppressed;
        }
    }
}

/// <summary>
/// Records refusals in the audit trail: authorization failures (a page's 404 and the API's 403), anti-forgery
/// failures, refused role changes and rejected API tokens. A refusal found during a request is marked on it and written
/// when the request has finished — in a transaction of its own, after the request's own one is gone — so that a
/// refused change that rolls back does not take its record with it.
/// </summary>
public sealed class DenialAudit(IServiceScopeFactory scopes, DenialThrottle throttle, ILogger<DenialAudit> logger)
{
    public const string PendingItem = "rectify.audit.denial";

    private const int MaxPathLength = 200;

    /// <summary>Marks the request as refused; the middleware (<see cref="DenialAuditExtensions.UseDenialAudit"/>) writes it when the request ends.</summary>
    public static void Mark(HttpContext context, Denial denial)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[PendingItem] = denial;
    }

    /// <summary>Writes a refusal now, in a scope and transaction of its own (coalesced per source and minute).</summary>
    public async Task WriteAsync(HttpContext? context, Denial denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var source = context?.Connection.RemoteIpAddress?.ToString() ?? (context is null ? "cli" : "local");

        // Per source and account: one scanner (signed in or not) is one key; two people behind one NAT are two.
        var who = context?.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        if (throttle.Admit(denial.Action, source + "|" + who) is not { } repeats)
        {
            return;
        }

        var path = context?.Request.Path.Value;
        var details = new
        {
            Method = context?.Request.Method,
            Path = path is { Length: > MaxPathLength } ? path[..MaxPathLength] + "…" : path,
            // A refusal is never a 200: a page that refuses in words sets its status after the record is written.
            Status = context?.Response.StatusCode is { } status and not StatusCodes.Status200OK ? status : (int?)null,
            denial.Reason,
            Repeats = repeats > 0 ? repeats : (int?)null,
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
                new AuditEvent(denial.Action, Succeeded: false, denial.ObjectType, denial.ObjectId, After: details),
                cancellationToken: CancellationToken.None);
        }
#pragma warning disable CA1031 // The refusal stands whatever happens to its record; a failed record is logged, never turned into a 500.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "拒绝访问的审计记录未能写入（{Action}，{Source}）。", denial.Action, source);
        }
    }
}

/// <summary>Marks a request that authorization refused (the caller was signed in but not allowed): a page's 404, the API's 403.</summary>
public sealed class DenialAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler inner = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden)
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.Select(r => r is RolesAuthorizationRequirement roles ? "roles:" + string.Join(",", roles.AllowedRoles) : r.GetType().Name);
            DenialAudit.Mark(context, new Denial(AuditActions.AccessDenied, "authorization" + (failed is null ? string.Empty : " " + string.Join(";", failed))));
        }

        return inner.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>Marks a form post refused for a missing or wrong anti-forgery token.</summary>
public sealed class AntiforgeryDenialFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            DenialAudit.Mark(context.HttpContext, new Denial(AuditActions.AntiforgeryRejected, "antiforgery"));
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}

public static class DenialAuditExtensions
{
    /// <summary>
    /// First in the pipeline: when the request is over, writes the refusal it was marked with — or, for any other 403
    /// (a step the caller's role may not take), an access refusal.
    /// </summary>
    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next();
        var denial = context.Items[DenialAudit.PendingItem] as Denial
            ?? (context.Response.StatusCode == StatusCodes.Status403Forbidden ? new Denial(AuditActions.AccessDenied, "forbidden") : null);
        if (denial is not null)
        {
            await context.RequestServices.GetRequiredService<DenialAudit>().WriteAsync(context, denial);
        }
    });
}
