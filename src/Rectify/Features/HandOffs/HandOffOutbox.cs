using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

// EF Core translates string.StartsWith(string) to a prefix match on the organization path (see AccessQueries).
#pragma warning disable CA1310

namespace Rectify.Features.HandOffs;

/// <summary>
/// Who hears of a hand-off: holders of a role over an organization (those at that organization, or at the nearest one above
/// it that has any — among whom the role's scope shows the object to), and people by account. Built with <see cref="And"/>.
/// </summary>
public sealed record Recipients(IReadOnlyList<(string Role, string Path)> ByRole, IReadOnlyList<string> People)
{
    public static readonly Recipients None = new([], []);

    /// <summary>The 整改办 that keeps the inspection of the organization at <paramref name="inspectedPath"/>.</summary>
    public static Recipients OfficeOf(string inspectedPath) => new([(Roles.RectificationOffice, inspectedPath)], []);

    /// <summary>The 第一责任人 of the organization at <paramref name="inspectedPath"/>.</summary>
    public static Recipients FirstResponsibleOf(string inspectedPath) => new([(Roles.FirstResponsible, inspectedPath)], []);

    /// <summary>The 联络员 who report for the unit at <paramref name="unitPath"/> (or a unit above it).</summary>
    public static Recipients ReportersOf(string? unitPath) => unitPath is null ? None : new([(Roles.UnitReporter, unitPath)], []);

    /// <summary>One account (a leader's linked account, the issuer of a 督办单); nobody when null.</summary>
    public static Recipients Person(string? userId) => string.IsNullOrEmpty(userId) ? None : new([], [userId]);

    /// <summary>The measure's next approver: its 责任领导's account, or — when the leader has none — the 第一责任人.</summary>
    public static Recipients ApproverOf(string? leaderUserId, string inspectedPath) =>
        string.IsNullOrEmpty(leaderUserId) ? FirstResponsibleOf(inspectedPath) : Person(leaderUserId);

    public Recipients And(Recipients other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. ByRole, .. other.ByRole], [.. People, .. other.People]);
    }
}

/// <summary>
/// One hand-off in words. <paramref name="Key"/> names the event (the same for every recipient and channel);
/// <paramref name="Detail"/> is what only the in-app message carries (a reason, a title): email gets the same facts as a
/// reminder's and is told to sign in for the rest (docs/adr/0040). <paramref name="Link"/> is a local path.
/// </summary>
public sealed record HandOff(string Kind, string Key, string Subject, string Body, string? Detail, int? MeasureId, string? Link, Recipients To);

/// <summary>Whether email deliveries are written at all (the SMTP server is configured); set from the notification settings.</summary>
public sealed class HandOffOptions
{
    public bool EmailEnabled { get; set; }
}

/// <summary>
/// Writes hand-offs into the notification outbox inside the caller's transaction, so the change and its notices commit
/// or roll back together. Per call: one query for the recipients with their preferences, one batch of inserts — however
/// many recipients. Each recipient gets an in-app message and, when email is on for them, an email; a person who asked
/// for a digest has both held for the day's digest, as reminders are. The person who caused the event is left out.
/// </summary>
public sealed class HandOffOutbox(RectifyDbContext db, Caller caller, Microsoft.Extensions.Options.IOptions<HandOffOptions> options, TimeProvider clock)
{
    public async Task WriteAsync(IReadOnlyList<HandOff> handOffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handOffs);
        if (db.Database.CurrentTransaction is null)
        {
            // A notice written outside the change's transaction could outlive a change that failed, or be lost with one that held.
            throw new InvalidOperationException("Hand-offs are written in the transaction of the change that causes them.");
        }

        var audience = await ResolveAsync(handOffs.Select(h => h.To).ToList(), cancellationToken);
        if (audience.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.Today(clock);
        var actor = caller.Scope.UserId;
        foreach (var h in handOffs)
        {
            var to = h.To.People.Where(audience.ContainsKey)
                .Concat(h.To.ByRole.SelectMany(r => Nearest(audience.Values, r.Role, r.Path)).Select(a => a.UserId))
                .Where(id => id != actor).Distinct(StringComparer.Ordinal);
            foreach (var userId in to)
            {
                var a = audience[userId];
                db.Notifications.Add(Row(h, NotificationChannel.InApp, userId, a.Digest, now, today));
                if (options.Value.EmailEnabled && a.EmailEnabled && a.HasAddress)
                {
                    db.Notifications.Add(Row(h, NotificationChannel.Email, userId, a.Digest, now, today));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The holders of <paramref name="role"/> nearest to <paramref name="path"/>: at that organization, or — when it has
    /// none — at the closest one above it. A city's 整改办 sees every street's inspection, but the street's own office is
    /// the one a hand-off is for; the city's hears of it only where the street has no office of its own.
    /// </summary>
    private static IEnumerable<Account> Nearest(IEnumerable<Account> audience, string role, string path)
    {
        var holders = audience.Where(a => a.Holds(role, path)).ToList();
        var nearest = holders.Count == 0 ? 0 : holders.Max(a => a.Path.Length);
        return holders.Where(a => a.Path.Length == nearest);
    }

    private static Notification Row(HandOff h, NotificationChannel channel, string userId, bool held, DateTime now, DateOnly today) => new()
    {
        DedupKey = $"{h.Key}|{channel}|{userId}",
        ReminderKey = h.Key,
        Kind = h.Kind,
        Channel = channel,
        RecipientUserId = userId,
        Recipient = userId,
        Subject = h.Subject.Length > 300 ? h.Subject[..299] + "…" : h.Subject,
        Body = channel == NotificationChannel.InApp && h.Detail is { } detail ? h.Body + "\n" + detail : h.Body,
        MeasureId = h.MeasureId,
        Link = h.Link,
        ReminderDay = today,
        State = held ? NotificationState.Held : channel == NotificationChannel.InApp ? NotificationState.Sent : NotificationState.Pending,
        SentAtUtc = !held && channel == NotificationChannel.InApp ? now : null,
        NextAttemptAtUtc = now,
        CreatedAtUtc = now,
    };

    private sealed record Account(string UserId, string Path, HashSet<string> Roles, bool EmailEnabled, bool HasAddress, bool Digest)
    {
        public bool Holds(string role, string path) => Roles.Contains(role) && path.StartsWith(Path, StringComparison.Ordinal);
    }

    /// <summary>Every account any of the hand-offs may go to, with its roles and preferences, in one query.</summary>
    private async Task<Dictionary<string, Account>> ResolveAsync(List<Recipients> all, CancellationToken cancellationToken)
    {
        var roles = all.SelectMany(r => r.ByRole).Select(r => r.Role).Distinct().ToList();
        var paths = all.SelectMany(r => r.ByRole).SelectMany(r => AncestorsOf(r.Path)).Distinct().ToList();
        var people = all.SelectMany(r => r.People).Distinct().ToList();
        if (paths.Count == 0 && people.Count == 0)
        {
            return [];
        }

        var rows = await (
            from u in db.Users
            join o in db.Organizations on u.OrganizationId equals o.Id
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where (roles.Contains(r.Name!) && paths.Contains(o.Path)) || people.Contains(u.Id)
            select new
            {
                u.Id,
                Role = r.Name!,
                o.Path,
                u.LockoutEnd,
                u.Email,
                Preference = db.NotificationPreferences.Where(p => p.UserId == u.Id).Select(p => new { p.EmailEnabled, p.EmailAddress, p.Digest }).FirstOrDefault(),
            }).AsNoTracking().ToListAsync(cancellationToken);

        // A disabled account (locked out into the future) hears nothing; SQLite cannot compare the offset, so this is read here.
        var now = clock.GetUtcNow();
        return rows.Where(r => r.LockoutEnd is null || r.LockoutEnd < now).GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var first = g.First();
                var p = first.Preference;
                return new Account(g.Key, first.Path, g.Select(r => r.Role).ToHashSet(StringComparer.Ordinal), p?.EmailEnabled ?? true,
                    !string.IsNullOrWhiteSpace(p?.EmailAddress) || !string.IsNullOrWhiteSpace(first.Email), p?.Digest ?? false);
            },
            StringComparer.Ordinal);
    }

    /// <summary>"/1/5/9/" → "/", "/1/", "/1/5/", "/1/5/9/": the organizations whose holders see one at that path.</summary>
    internal static IEnumerable<string> AncestorsOf(string path)
    {
        yield return "/";
        for (var i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..(i + 1)];
        }
    }

    internal static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
