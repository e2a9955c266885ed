using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Audit;

/// <summary>What happened, to what; the actor and the source come from the request (or are given, on the command line).</summary>
public sealed record AuditEvent(string Action, bool Succeeded = true, string? ObjectType = null, string? ObjectId = null, object? Before = null, object? After = null);

/// <summary>Who acted, when there is no signed-in request to read it from.</summary>
public sealed record AuditActor(string? UserId, string Name, string? Roles = null, int? OrganizationId = null, string Source = "cli")
{
    public static readonly AuditActor CommandLine = new(null, "命令行", Source: "cli");
}

/// <summary>
/// Appends to the audit trail inside the caller's transaction, so that the change and its record commit
/// together or not at all; with no transaction open it makes one. There is no update or delete.
/// </summary>
public sealed class AuditLog(RectifyDbContext db, AuditKey key, TimeProvider clock, IHttpContextAccessor http)
{
    /// <summary>Where a signed-in actor acts from when there is no network peer (the command line acting as an account): an item of the context.</summary>
    public const string SourceItem = "rectify.audit.source";

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public async Task RecordAsync(AuditEvent auditEvent, AuditActor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

        // Taking the head row first serializes appenders: SQLite takes its write lock, PostgreSQL locks the row.
        var moved = await db.AuditHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, h => h.Sequence + 1), cancellationToken);
        if (moved != 1)
        {
            throw new InvalidOperationException("The audit head row is missing; the audit trail cannot be appended to.");
        }

        var head = await db.AuditHeads.AsNoTracking().SingleAsync(h => h.Id == 1, cancellationToken);
        var entry = Describe(auditEvent, actor);
        var signing = key.Current;
        entry.Sequence = head.Sequence;
        entry.Algorithm = key.Algorithm;
        entry.KeyId = signing.Id;
        entry.Mac = AuditChain.Mac(signing.Value, entry.Algorithm, head.Mac, entry);
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);

        // Written is written: stop tracking it, so that a long transaction of many records stays linear.
        db.Entry(entry).State = EntityState.Detached;

        // The head names the newest record and is sealed with the key: moving it back to hide a cut tail breaks the seal.
        var headMac = AuditChain.HeadMac(signing.Value, entry.Algorithm, entry.Sequence, entry.Mac, entry.AtUtc, signing.Id);
        await db.AuditHeads.Where(h => h.Id == 1).ExecuteUpdateAsync(
            s => s.SetProperty(h => h.Mac, entry.Mac).SetProperty(h => h.AtUtc, entry.AtUtc).SetProperty(h => h.KeyId, signing.Id).SetProperty(h => h.HeadMac, headMac),
            cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
    }

    private AuditEntry Describe(AuditEvent e, AuditActor? actor)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var entry = new AuditEntry
        {
            AtUtc = AuditChain.ToStoredPrecision(clock.GetUtcNow().UtcDateTime),
            Action = e.Action,
            Succeeded = e.Succeeded,
            ObjectType = e.ObjectType,
            ObjectId = e.ObjectId,
            Before = e.Before is null ? null : JsonSerializer.Serialize(e.Before, Json),
            After = e.After is null ? null : JsonSerializer.Serialize(e.After, Json),
            CorrelationId = Activity.Current?.TraceId.ToString() ?? context?.TraceIdentifier,
        };

        if (actor is not null)
        {
            entry.ActorUserId = actor.UserId;
            entry.ActorName = actor.Name;
            entry.ActorRoles = actor.Roles;
            entry.ActorOrganizationId = actor.OrganizationId;
            entry.SourceAddress = context?.Connection.RemoteIpAddress?.ToString() ?? actor.Source;
        }
        else if (user?.Identity?.IsAuthenticated == true)
        {
            entry.ActorUserId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            entry.ActorName = user.FindFirstValue(RectifyClaims.DisplayName) ?? user.Identity.Name;
            entry.ActorRoles = string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
            entry.ActorOrganizationId = int.TryParse(user.FindFirstValue(RectifyClaims.Organization), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var org) ? org : null;
            entry.SourceAddress = context?.Connection.RemoteIpAddress?.ToString() ?? context?.Items[SourceItem] as string;
        }
        else if (context is null)
        {
            // No request: the command line, run by someone on the server.
            entry.ActorName = AuditActor.CommandLine.Name;
            entry.SourceAddress = "cli:" + Environment.UserName;
        }
        else
        {
            entry.SourceAddress = context.Connection.RemoteIpAddress?.ToString();
        }

        return entry;
    }

}
