using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Publications;

/// <summary>The public form's limits (configuration section <c>PublicOpinions</c>).</summary>
public sealed class PublicOpinionOptions
{
    public const string Section = "PublicOpinions";

    /// <summary>
    /// Submissions one address may make per window. A community meeting or a service hall's kiosk sends from one address:
    /// ten in ten minutes lets a room take turns, while the daily cap and the form's checks hold back a script.
    /// </summary>
    public int PermitLimit { get; set; } = 10;

    public int WindowSeconds { get; set; } = 600;

    /// <summary>
    /// Opinions one notice takes per China day from anyone; beyond it only senders new that day (<see cref="NewSenderShare"/>)
    /// are heard, up to <see cref="DailyCeiling"/>, so that a few addresses filling the day do not close it for everyone.
    /// </summary>
    public int DailyCap { get; set; } = 200;

    /// <summary>
    /// Past <see cref="DailyCap"/>, an address (an IPv6 /64) that has sent fewer than this many opinions that day is still
    /// heard: the people the cap would otherwise turn away are the ones who have not written yet.
    /// </summary>
    public int NewSenderShare { get; set; } = 2;

    /// <summary>
    /// Past <see cref="DailyCap"/>, the new senders of one network (an IPv4 /24, an IPv6 /48) heard that day at most: one
    /// holder of a /48 has 65,536 /64s, each a new sender, and could otherwise fill <see cref="DailyCeiling"/> alone. A
    /// campus or a company behind one network still has this many new voices a day past the cap. 0: no network limit.
    /// </summary>
    public int NewSendersPerNetwork { get; set; } = 20;

    /// <summary>Opinions one notice takes per China day at most; beyond it the form asks people to phone or write.</summary>
    public int DailyCeiling { get; set; } = 1000;

    /// <summary>A person needs at least this long to read and fill in the form; a faster post is a script.</summary>
    public int MinimumFillSeconds { get; set; } = 5;

    /// <summary>
    /// Submissions one address may make in a day, over all notices: a quarter of a notice's <see cref="DailyCap"/>, so that
    /// one address (a script behind it) cannot use up a notice's day for everyone else.
    /// </summary>
    public int DailyPerAddress { get; set; } = 50;

    /// <summary>
    /// Senders (an IPv4 address, an IPv6 /64) the per-address limits follow at once, over the last day. Each costs about
    /// 110 bytes (measured); a script spraying new /64s past this many is answered as a full day (429) until the oldest day ends,
    /// instead of holding memory without bound.
    /// </summary>
    public int MostSendersTracked { get; set; } = 200_000;
}

/// <summary>What the public reads: the approved version in force, and the replies approved for it. Built from the snapshot and the public reply fields only.</summary>
public sealed record PublicNoticeView(
    string PublicKey,
    int Number,
    PublicNotice Notice,
    string? CorrectionNote,
    DateTime ApprovedAtUtc,
    PublicationStanding Standing,
    IReadOnlyList<PublicReply> Replies);

/// <summary>
/// A published reply under the notice: the office's 来信摘要 of the question (null for replies published before it was
/// asked for), never the sender's words; the day it came in, never the minute, which could point to who sent it.
/// <see cref="AboutFindingNumber"/> is the problem's number in the notice shown now (found by the title the sender
/// chose); when that notice no longer has the problem, only <see cref="AboutFindingTitle"/> names it.
/// </summary>
public sealed record PublicReply(int? AboutFindingNumber, string? AboutFindingTitle, DateOnly ReceivedOn, string? Summary, string Reply, DateTime RepliedAtUtc);

/// <summary>What a sender sees with their receipt code.</summary>
public sealed record OpinionStatus(string ReceiptCode, DateTime ReceivedAtUtc, OpinionState State, string? Reply, DateTime? RepliedAtUtc);

/// <summary>
/// The public side's only queries. They read <see cref="Publication.Snapshot"/> and the opinions' public fields, and
/// never an internal entity, so nothing internal can reach a public page by a later change to the ledger's pages.
/// </summary>
public static class PublicNoticeQueries
{
    public static async Task<PublicNoticeView?> FindAsync(RectifyDbContext db, string? key, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrEmpty(key) || key.Length > 32)
        {
            return null;
        }

        var current = await db.Publications.AsNoTracking()
            .Where(p => p.PublicKey == key && p.State == PublicationState.Approved && p.Snapshot != null)
            .OrderByDescending(p => p.Number)
            .Select(p => new { p.InspectionId, p.Number, p.Snapshot, p.CorrectionNote, p.ApprovedAtUtc, p.DisclosureFrom, p.DisclosureTo })
            .FirstOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return null;
        }

        var standing = Publication.StandingOn(current.DisclosureFrom, current.DisclosureTo, today);
        if (standing == PublicationStanding.Scheduled)
        {
            return null;
        }

        var replies = await db.PublicOpinions.AsNoTracking()
            .Where(o => o.InspectionId == current.InspectionId && o.ReplyIsPublishable && o.ReplyApprovedByName != null && o.Reply != null)
            .OrderBy(o => o.RepliedAtUtc).Take(200)
            .Select(o => new { o.AboutFindingNumber, o.AboutFindingTitle, o.ReceivedAtUtc, o.PublicSummary, o.Reply, o.RepliedAtUtc })
            .ToListAsync(cancellationToken);
        var notice = PublicNotice.FromJson(current.Snapshot!);
        var numberOf = notice.Findings.GroupBy(f => f.Title, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Number, StringComparer.Ordinal);

        // The sender chose a problem of the version they read; the page names it by its number in the version shown now.
        PublicReply Shown(int? number, string? title, DateTime receivedAtUtc, string? summary, string reply, DateTime repliedAtUtc) => title is null
            ? new PublicReply(number, null, ChinaTime.DayOf(receivedAtUtc), summary, reply, repliedAtUtc)
            : new PublicReply(numberOf.TryGetValue(title, out var now) ? now : null, title, ChinaTime.DayOf(receivedAtUtc), summary, reply, repliedAtUtc);
        return new PublicNoticeView(key, current.Number, notice, current.CorrectionNote, current.ApprovedAtUtc ?? DateTime.MinValue, standing,
            [.. replies.Select(o => Shown(o.AboutFindingNumber, o.AboutFindingTitle, o.ReceivedAtUtc, o.PublicSummary, o.Reply!, o.RepliedAtUtc!.Value))]);
    }

    public static async Task<OpinionStatus?> StatusAsync(RectifyDbContext db, string key, string? receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var code = ReceiptCodes.Normalize(receipt);
        if (code is null)
        {
            return null;
        }

        var inspectionId = db.Publications.Where(p => p.PublicKey == key).Select(p => p.InspectionId);
        return await db.PublicOpinions.AsNoTracking()
            .Where(o => o.ReceiptCode == code && inspectionId.Contains(o.InspectionId))
            .Select(o => new OpinionStatus(o.ReceiptCode, o.ReceivedAtUtc, o.State, o.Reply, o.RepliedAtUtc))
            .SingleOrDefaultAsync(cancellationToken);
    }
}

/// <summary>Receipt codes: 12 characters without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX-XXXX.</summary>
public static class ReceiptCodes
{
    /// <summary>The characters a code is made of: no look-alikes (0/O, 1/I/L).</summary>
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>How many characters a code has.</summary>
    public const int Length = 12;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static string Show(string code) => code.Length == Length ? $"{code[..4]}-{code[4..8]}-{code[8..]}" : code;

    /// <summary>What a person typed, as stored: upper case, without dashes and spaces; null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 30)
        {
            return null;
        }

        var code = new string([.. typed.ToUpperInvariant().Where(c => c is not ('-' or ' '))]);
        return code.Length == Length && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? code : null;
    }
}

/// <summary>
/// The public form's defences without outside services: a honeypot field a person does not see, a signed time stamp
/// that refuses a post made too soon after the form was shown (or with a forged stamp), the size limits of the entity,
/// and a daily cap per notice. The per-address limit is the rate-limiting policy <see cref="PublicOpinionRateLimit"/>.
/// </summary>
public sealed class OpinionIntake(RectifyDbContext db, HandOffNotices handOffs, IDataProtectionProvider protection, IOptions<PublicOpinionOptions> options, TimeProvider clock)
{
    private readonly IDataProtector protector = protection.CreateProtector("Rectify.PublicOpinion.Form");

    /// <summary>
    /// The stamp the form carries: when it was shown, for which notice, a random part that makes it single-use, and the
    /// version (<paramref name="version"/>, its number) whose problems the form lists.
    /// </summary>
    public string FormStamp(string key, int version) =>
        protector.Protect(clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + key + "|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))
            + "|" + version.ToString(CultureInfo.InvariantCulture));

    /// <summary>Takes an opinion for the notice <paramref name="key"/>; returns its receipt code, or null when there is no open notice.</summary>
    /// <param name="key">The notice's public key.</param>
    /// <param name="text">The opinion.</param>
    /// <param name="contact">The sender's contact, if given.</param>
    /// <param name="findingNumber">The problem it is about, if chosen.</param>
    /// <param name="honeypot">The field a person does not see.</param>
    /// <param name="stamp">The form's signed stamp.</param>
    /// <param name="newSender">The sending address has sent fewer than <see cref="PublicOpinionOptions.NewSenderShare"/> opinions today (<see cref="PublicOpinionRateLimit.Take"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<string?> SubmitAsync(string key, string? text, string? contact, int? findingNumber, string? honeypot, string? stamp, bool newSender, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var view = await PublicNoticeQueries.FindAsync(db, key, today, cancellationToken);
        if (view is null)
        {
            return null;
        }

        BusinessRules.Check(new OpinionsAreTakenDuringTheDisclosurePeriod(view.Standing));
        var (shownAt, once, shownVersion) = Read(stamp, key);
        var now = clock.GetUtcNow().UtcDateTime;
        BusinessRules.Check(new AFormIsFilledByAPerson(honeypot, shownAt, now, options.Value.MinimumFillSeconds));

        // The problem is kept by its number and its title in the version the sender read (a version published while the
        // form stood open may have renumbered them): a later renumbering moves the number, never the problem.
        // The live version's snapshot is parsed already (view.Notice); only an older one is read again.
        var read = shownVersion ?? view.Number;
        var older = read == view.Number ? null
            : await db.Publications.Where(p => p.PublicKey == key && p.Number == read && p.Snapshot != null).Select(p => new { p.Id, p.InspectionId, p.Snapshot }).SingleOrDefaultAsync(cancellationToken);
        var publicationId = older is not null ? new { older.Id, older.InspectionId }
            : await db.Publications.Where(p => p.PublicKey == key && p.Number == view.Number).Select(p => new { p.Id, p.InspectionId }).SingleAsync(cancellationToken);
        var readNotice = older is not null ? PublicNotice.FromJson(older.Snapshot!) : view.Notice;
        var about = findingNumber is { } n ? readNotice.Findings.FirstOrDefault(f => f.Number == n) : null;
        findingNumber = about?.Number;

        var dayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One opinion per form shown: the stamp's single-use part is stored with the opinion, under a unique index, so
        // that a form posted again is taken by no process; if the opinion is not stored, neither is it. The same words
        // sent again on the same form (the browser's reload of the answer, a second press) get the same receipt code back,
        // so that the sender does not lose it; anything else on a form already sent (other words, another contact or
        // problem) is refused, the first opinion standing as it was.
        if (await SentWithAsync(once!, text, contact, findingNumber, cancellationToken) is { } again)
        {
            return again;
        }

        var todays = await db.PublicOpinions.CountAsync(o => o.InspectionId == publicationId.InspectionId && o.ReceivedAtUtc >= dayStart, cancellationToken);
        BusinessRules.Check(new ANoticeTakesADailyNumberOfOpinions(todays, newSender ? Math.Max(options.Value.DailyCap, options.Value.DailyCeiling) : options.Value.DailyCap));
        var opinion = new PublicOpinion(publicationId.InspectionId, publicationId.Id, ReceiptCodes.New(), text, contact, findingNumber, clock, once, about?.Title);
        db.PublicOpinions.Add(opinion);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (Data.DatabaseProvider.IsUniqueViolation(e))
        {
            // The same form posted twice at once (a double press): the other post stored it first, and this one gets its
            // receipt code when it says the same.
            db.ChangeTracker.Clear();
            await transaction.RollbackAsync(cancellationToken);
            return await SentWithAsync(once!, text, contact, findingNumber, cancellationToken) ?? throw BusinessRules.Refuse(new AFormIsSentOnce(false));
        }

        await handOffs.OpinionReceivedAsync(publicationId.InspectionId, todays + 1, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return opinion.ReceiptCode;
    }

    /// <summary>
    /// The receipt code of the opinion already sent on the form <paramref name="once"/> when this post says exactly the
    /// same (words, contact and problem, as they are kept); null when none was sent on it; refused when one was and this
    /// post differs.
    /// </summary>
    private async Task<string?> SentWithAsync(string once, string? text, string? contact, int? findingNumber, CancellationToken cancellationToken)
    {
        var sent = await db.PublicOpinions.Where(o => o.FormStamp == once)
            .Select(o => new { o.ReceiptCode, o.Text, o.Contact, o.AboutFindingNumber })
            .SingleOrDefaultAsync(cancellationToken);
        if (sent is null)
        {
            return null;
        }

        BusinessRules.Check(new AFormIsSentOnce(
            string.Equals(sent.Text, PlainText.Clean(text), StringComparison.Ordinal)
            && string.Equals(sent.Contact, PlainText.Line(contact), StringComparison.Ordinal)
            && sent.AboutFindingNumber == findingNumber));
        return sent.ReceiptCode;
    }

    /// <summary>When the form was shown and its single-use part, when the stamp is ours and for this notice; nothing otherwise.</summary>
    private (DateTime? ShownAt, string? Once, int? Version) Read(string? stamp, string key)
    {
        if (string.IsNullOrEmpty(stamp) || stamp.Length > 1000)
        {
            return (null, null, null);
        }

        try
        {
            // A stamp of a form shown before the version was carried (three parts) is read as of the version live now.
            var parts = protector.Unprotect(stamp).Split('|');
            int? version = parts.Length == 4 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
            return parts.Length is 3 or 4 && (parts.Length == 3 || version is not null) && parts[1] == key && parts[2].Length == 24
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? (new DateTime(ticks, DateTimeKind.Utc), parts[2], version)
                : (null, null, null);
        }
        catch (CryptographicException)
        {
            return (null, null, null);
        }
    }

    /// <summary>A form sends one opinion: the same stamp posted again with other words (a script replaying one page) is refused.</summary>
    public sealed class AFormIsSentOnce(bool sameOpinion) : IBusinessRule
    {
        public bool IsBroken() => !sameOpinion;

        public string Message => "提交未成功：这份表单已经提交过。如需再提一条意见建议，请刷新页面后填写。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class OpinionsAreTakenDuringTheDisclosurePeriod(PublicationStanding standing) : IBusinessRule
    {
        public bool IsBroken() => standing != PublicationStanding.Open;

        public string Message => "公开期限已结束，不再在线受理意见建议。";
    }

    /// <summary>The honeypot stays empty, the stamp is ours and not too fresh: a person filled the form in.</summary>
    public sealed class AFormIsFilledByAPerson(string? honeypot, DateTime? shownAt, DateTime now, int minimumSeconds) : IBusinessRule
    {
        public bool IsBroken() => !string.IsNullOrEmpty(honeypot) || shownAt is null || (now - shownAt.Value).TotalSeconds < minimumSeconds || (now - shownAt.Value).TotalDays > 1;

        public string Message => "提交未成功：表单已失效或填写过快，请刷新页面、确认内容后再提交。";

        public Refusal Refusal => Refusal.Invalid;
    }

    public sealed class ANoticeTakesADailyNumberOfOpinions(int today, int cap) : IBusinessRule
    {
        public bool IsBroken() => today >= cap;

        public string Message => "今日在线意见建议已达上限，请明日再提交，或通过公告所列电话、邮箱、信箱反映。";
    }
}

/// <summary>
/// Per-address limit on posting public opinions: a fixed window per remote address (behind a proxy, configure forwarded
/// headers so that this is the visitor's address) and a share per day, each day running from the sender's first post.
/// Reading the page is not limited. The page asks it before it reads the opinion (<see cref="NoticeModel"/>), so that a
/// refusal is the notice itself — 429 with Retry-After, the reason in words, and what the visitor typed still in the
/// form — rather than a bare answer that loses their words.
/// </summary>
/// <remarks>
/// The counts are two small tables (a sender's window and day; a network's new senders of the day), about 110 bytes a
/// sender, swept of what has run out every few minutes and bounded by <see cref="PublicOpinionOptions.MostSendersTracked"/>:
/// an anonymous form must not let a sprayer of addresses (65,536 /64s in one /48) hold memory for a day per address, as
/// a rate limiter's partition each (about 350 bytes, three of them a sender) did.
/// </remarks>
public sealed class PublicOpinionRateLimit
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(5);

    private readonly TimeProvider clock;

    private readonly Lock gate = new();

    private readonly Dictionary<UInt128, SenderCounts> senders = [];

    private readonly Dictionary<UInt128, Counted> networks = [];

    private readonly int newSenderShare;

    private readonly int newSendersPerNetwork;

    private readonly int mostSenders;

    private long sweptAt;

    public PublicOpinionRateLimit(IOptions<PublicOpinionOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var o = options.Value;
        this.clock = clock;
        (PermitLimit, Window, DailyLimit) = (Math.Max(1, o.PermitLimit), TimeSpan.FromSeconds(Math.Max(1, o.WindowSeconds)), Math.Max(1, o.DailyPerAddress));
        (newSenderShare, newSendersPerNetwork, mostSenders) = (Math.Max(0, o.NewSenderShare), Math.Max(0, o.NewSendersPerNetwork), Math.Max(1, o.MostSendersTracked));
        sweptAt = clock.GetUtcNow().UtcTicks;
    }

    /// <summary>Senders followed now, for the tests of the bound.</summary>
    internal int SendersTracked
    {
        get
        {
            lock (gate)
            {
                return senders.Count;
            }
        }
    }

    /// <summary>
    /// The network an address belongs to, for <see cref="PublicOpinionOptions.NewSendersPerNetwork"/>: an IPv4 /24 or an
    /// IPv6 /48, the blocks one holder commonly gets (a hosting provider's, a tunnel broker's, a campus's).
    /// </summary>
    public static string NetworkOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var kept = v6 ? 6 : 3;
        Array.Clear(bytes, kept, bytes.Length - kept);
        return new IPAddress(bytes) + (v6 ? "/48" : "/24");
    }

    /// <summary>
    /// Whose share an address uses: an IPv4 address is one sender (a kiosk or a household behind it), an IPv6 address is
    /// counted by its /64, the block one household or one machine is given, so that a machine cannot take a new share by
    /// taking another of its own addresses.
    /// </summary>
    public static string SenderOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Submissions an address may make in a day (<see cref="PublicOpinionOptions.DailyPerAddress"/>).</summary>
    public int DailyLimit { get; }

    public int PermitLimit { get; }

    public TimeSpan Window { get; }

    /// <summary>
    /// Takes one submission of the address's window and of its day: none when either is spent, with how long until the
    /// next and whether it was the day's share (then the wait is up to a day).
    /// </summary>
    /// <remarks>
    /// <c>NewSender</c> says whether the address had sent fewer than <see cref="PublicOpinionOptions.NewSenderShare"/>
    /// today, and its network fewer than <see cref="PublicOpinionOptions.NewSendersPerNetwork"/> new senders' opinions: past a
    /// notice's daily cap only such senders are heard (<see cref="OpinionIntake.SubmitAsync"/>). <c>Crowded</c>: the
    /// address is new and <see cref="PublicOpinionOptions.MostSendersTracked"/> others are followed already.
    /// </remarks>
    public PublicOpinionTake Take(IPAddress? address)
    {
        address ??= IPAddress.None;
        var now = clock.GetUtcNow().UtcTicks;
        lock (gate)
        {
            if (now - sweptAt >= SweepEvery.Ticks || (senders.Count >= mostSenders && now - sweptAt >= TimeSpan.TicksPerSecond))
            {
                Sweep(now);
            }

            var key = Key(address, network: false);
            if (!senders.TryGetValue(key, out var counts))
            {
                if (senders.Count >= mostSenders)
                {
                    return new(false, TimeSpan.FromHours(1), false, false, Crowded: true);
                }

                counts = new SenderCounts(new Counted(now, 0), new Counted(now, 0));
            }

            // The window first, as a rate limiter's would be: a refusal by the window takes nothing of the day.
            var window = counts.Window.At(now, Window);
            if (window.Count >= PermitLimit)
            {
                senders[key] = counts with { Window = window };
                return new(false, window.Left(now, Window), false, false);
            }

            window = window with { Count = window.Count + 1 };
            var day = counts.Day.At(now, Day);
            if (day.Count >= DailyLimit)
            {
                senders[key] = new SenderCounts(window, day);
                return new(false, day.Left(now, Day), true, false);
            }

            var newSender = day.Count < newSenderShare;
            senders[key] = new SenderCounts(window, day with { Count = day.Count + 1 });
            if (!newSender || newSendersPerNetwork == 0)
            {
                return new(true, TimeSpan.Zero, false, newSender);
            }

            // Only a new sender's post takes from its network's share: an old sender's posts leave it to the others.
            var net = Key(address, network: true);
            var counted = (networks.TryGetValue(net, out var n) ? n : new Counted(now, 0)).At(now, Day);
            networks[net] = counted.Count < newSendersPerNetwork ? counted with { Count = counted.Count + 1 } : counted;
            return new(true, TimeSpan.Zero, false, counted.Count < newSendersPerNetwork);
        }
    }

    /// <summary>Forgets what has run out: a sender whose window and day are both over, a network whose day is.</summary>
    private void Sweep(long now)
    {
        sweptAt = now;
        foreach (var (key, counts) in senders)
        {
            if (now - counts.Day.Start >= Day.Ticks && now - counts.Window.Start >= Window.Ticks)
            {
                senders.Remove(key);
            }
        }

        foreach (var (key, counted) in networks)
        {
            if (now - counted.Start >= Day.Ticks)
            {
                networks.Remove(key);
            }
        }
    }

    /// <summary>
    /// A sender (<see cref="SenderOf"/>) or a network (<see cref="NetworkOf"/>) as one number: the address's kept bits
    /// above, what they are below, so that an IPv4 address and an IPv6 block never meet.
    /// </summary>
    private static UInt128 Key(IPAddress address, bool network)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var v6 = written == 16;
        var kept = (v6, network) switch { (true, false) => 8, (true, true) => 6, (false, false) => 4, (false, true) => 3 };
        ulong bits = 0;
        for (var i = 0; i < kept; i++)
        {
            bits = (bits << 8) | bytes[i];
        }

        return new UInt128(bits, (ulong)((v6 ? 2 : 0) + (network ? 1 : 0)));
    }

    /// <summary>A count within a window that began at <paramref name="Start"/> (UTC ticks).</summary>
    private readonly record struct Counted(long Start, int Count)
    {
        /// <summary>This count, or a fresh one when its window of <paramref name="length"/> is over.</summary>
        public Counted At(long now, TimeSpan length) => now - Start >= length.Ticks ? new Counted(now, 0) : this;

        public TimeSpan Left(long now, TimeSpan length) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Start + length.Ticks - now));
    }

    private readonly record struct SenderCounts(Counted Window, Counted Day);
}

/// <summary>
/// What <see cref="PublicOpinionRateLimit.Take"/> answered. <paramref name="Daily"/>: the address's day is spent;
/// <paramref name="Crowded"/>: too many senders are followed already to follow another.
/// </summary>
public readonly record struct PublicOpinionTake(bool Allowed, TimeSpan RetryAfter, bool Daily, bool NewSender, bool Crowded = false);
