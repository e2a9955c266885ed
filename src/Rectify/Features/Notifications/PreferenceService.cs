using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Notifications;

/// <summary>A person's notification settings as the account page shows them (defaults filled in).</summary>
public sealed record PreferenceView(bool EmailEnabled, string? EmailAddress, string? AccountEmail, bool Digest, TimeOnly QuietFrom, TimeOnly QuietUntil, bool EmailChannelOn);

/// <summary>Each person keeps their own 通知设置: email on or off and where to, each reminder or a daily digest, quiet hours.</summary>
public sealed class PreferenceService(RectifyDbContext db, Caller caller, AuditLog audit, IOptions<NotificationOptions> options)
{
    public async Task<PreferenceView> GetAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var userId = caller.Scope.UserId;
        var p = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(x => x.UserId == userId, cancellationToken);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        return new PreferenceView(p?.EmailEnabled ?? true, p?.EmailAddress, email, p?.Digest ?? false, p?.QuietFrom ?? o.DefaultQuietFrom, p?.QuietUntil ?? o.DefaultQuietUntil, o.Smtp.Enabled);
    }

    public async Task SetAsync(bool emailEnabled, string? emailAddress, bool digest, string? quietFrom, string? quietUntil, CancellationToken cancellationToken)
    {
        var userId = caller.Scope.UserId;
        BusinessRules.Check(new AnEmailAddressIsAnAddress(emailAddress));
        BusinessRules.Check(new QuietHoursAreTimes(quietFrom, quietUntil));
        var address = string.IsNullOrWhiteSpace(emailAddress) ? null : emailAddress.Trim();
        var from = TimeOnly.ParseExact(quietFrom!.Trim(), "HH:mm", CultureInfo.InvariantCulture);
        var until = TimeOnly.ParseExact(quietUntil!.Trim(), "HH:mm", CultureInfo.InvariantCulture);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var p = await db.NotificationPreferences.SingleOrDefaultAsync(x => x.UserId == userId, cancellationToken);
        if (p is null)
        {
            p = new NotificationPreference { UserId = userId };
            db.NotificationPreferences.Add(p);
        }

        var before = new { p.EmailEnabled, HasAddress = p.EmailAddress is not null, p.Digest, QuietFrom = p.QuietFrom?.ToString("HH:mm", CultureInfo.InvariantCulture), QuietUntil = p.QuietUntil?.ToString("HH:mm", CultureInfo.InvariantCulture) };
        p.EmailEnabled = emailEnabled;
        p.EmailAddress = address;
        p.Digest = digest;
        p.QuietFrom = from;
        p.QuietUntil = until;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.NotificationPreferencesSet, ObjectType: "User", ObjectId: userId, Before: before,
                After: new { EmailEnabled = emailEnabled, HasAddress = address is not null, Digest = digest, QuietFrom = quietFrom.Trim(), QuietUntil = quietUntil.Trim() }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class AnEmailAddressIsAnAddress(string? address) : IBusinessRule
    {
        public bool IsBroken() => !string.IsNullOrWhiteSpace(address)
            && (address.Trim().Length > 256 || !MimeKit.MailboxAddress.TryParse(address.Trim(), out var m) || m.Address.IndexOf('@', StringComparison.Ordinal) <= 0);

        public string Message => "邮箱地址的格式不对，例如 zhangsan@example.gov.cn。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class QuietHoursAreTimes(string? from, string? until) : IBusinessRule
    {
        public bool IsBroken() => !Parses(from) || !Parses(until);

        public string Message => "免打扰时段请填写开始和结束时间（时:分，例如 22:00 和 07:00）；两者相同表示不设免打扰。";

        public Refusal Refusal => Refusal.Invalid;

        private static bool Parses(string? t) => t is not null && TimeOnly.TryParseExact(t.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }
}
