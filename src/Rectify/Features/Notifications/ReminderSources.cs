using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;
using Rectify.Features.Inspections;

namespace Rectify.Features.Notifications;

/// <summary>A reminder that has fallen due: its kind, what it is about, and the day. <see cref="Key"/> is its identity.</summary>
public sealed record DueReminder(ReminderKind Kind, string Subject, DateOnly Day, int Id)
{
    /// <summary>"Overdue:m123:2026-12-01": the same reminder on every scan, so it is written once.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Subject}{Id}:{Day:yyyy-MM-dd}");
}

/// <summary>A due reminder in words, with the accounts it goes to.</summary>
public sealed record ReminderMessage(DueReminder Due, int? MeasureId, string Subject, string Body, IReadOnlyCollection<string> Recipients);

/// <summary>
/// One kind of "what is due for whom". The scan asks each source what has fallen due on a day (cheap: keys only), drops
/// what it has written before, and asks the source to put only the new ones into words with their recipients. Sources
/// are registered as <c>IReminderSource</c>; the 督办 ladder (a 督办单's reply deadline) adds its own the same way.
/// </summary>
public interface IReminderSource
{
    Task<IReadOnlyList<DueReminder>> FindDueAsync(DateOnly today, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderMessage>> DescribeAsync(IReadOnlyList<DueReminder> due, DateOnly today, CancellationToken cancellationToken);
}

/// <summary>The accounts that hear about a measure: the unit reporters of its lead unit (or a unit above it), the offices above the inspected organization, a leader by their person.</summary>
public sealed class ReminderRecipients(RectifyDbContext db)
{
    private IReadOnlyList<RoleHolder>? accounts;

    private async Task<IReadOnlyList<RoleHolder>> AccountsAsync(CancellationToken cancellationToken) =>
        accounts ??= await RoleHolders.InAsync(db, [Roles.UnitReporter, Roles.RectificationOffice], null, cancellationToken);

    /// <summary>Unit reporters who see a measure led by the unit at <paramref name="leadUnitPath"/>.</summary>
    public async Task<IEnumerable<string>> UnitReportersAsync(string? leadUnitPath, CancellationToken cancellationToken) =>
        leadUnitPath is null ? [] : (await AccountsAsync(cancellationToken)).Where(a => a.Role == Roles.UnitReporter && RoleHolders.AtOrAbove(a.Path, leadUnitPath)).Select(a => a.UserId);

    /// <summary>Offices that keep the inspection of the organization at <paramref name="inspectedPath"/>.</summary>
    public async Task<IEnumerable<string>> OfficesAsync(string inspectedPath, CancellationToken cancellationToken) =>
        (await AccountsAsync(cancellationToken)).Where(a => a.Role == Roles.RectificationOffice && RoleHolders.AtOrAbove(a.Path, inspectedPath)).Select(a => a.UserId);
}

/// <summary>Deadlines of 立行立改 and 限期整改 measures: N working days before, on the day, and while overdue.</summary>
public sealed class DeadlineReminderSource(RectifyDbContext db, CalendarStore calendars, IOptions<NotificationOptions> options, ReminderRecipients recipients) : IReminderSource
{
    public async Task<IReadOnlyList<DueReminder>> FindDueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        IWorkingDays workingDays = await calendars.LoadAsync(cancellationToken);
        var o = options.Value;
        var offsets = o.Offsets();
        var horizon = workingDays.AddWorkingDays(today, offsets.Count == 0 ? 0 : offsets.Max());
        var rows = await db.Measures.AsNoTracking().Where(AccessQueries.Stands)
            .Where(m => m.Inspection.PlanState == PlanState.InForce && m.Kind != MeasureKind.Ongoing && m.Deadline != null && m.Deadline <= horizon
                && m.State != MeasureState.SignedOff && m.State != MeasureState.Ongoing)
            .Select(m => new { m.Id, Deadline = m.Deadline!.Value })
            .ToListAsync(cancellationToken);

        // Deadlines gather on a few hundred days; each day's stage is worked out once.
        var stages = new Dictionary<DateOnly, DeadlineStage?>();
        var due = new List<DueReminder>(rows.Count);
        foreach (var row in rows)
        {
            if (!stages.TryGetValue(row.Deadline, out var stage))
            {
                stage = DeadlineSchedule.StageOn(row.Deadline, today, offsets, o.OverdueRepeatWorkingDays, workingDays);
                stages[row.Deadline] = stage;
            }

            if (stage is { } s)
            {
                due.Add(new DueReminder(s.Kind, "m", s.TriggerDay, row.Id));
            }
        }

        return due;
    }

    public async Task<IReadOnlyList<ReminderMessage>> DescribeAsync(IReadOnlyList<DueReminder> due, DateOnly today, CancellationToken cancellationToken)
    {
        IWorkingDays workingDays = await calendars.LoadAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(due);
        var facts = await MeasureText.LoadAsync(db, due.Select(d => d.Id), cancellationToken);
        var messages = new List<ReminderMessage>(due.Count);
        foreach (var d in due)
        {
            if (!facts.TryGetValue(d.Id, out var m) || m.Deadline is not { } deadline)
            {
                continue;
            }

            var to = (await recipients.UnitReportersAsync(m.LeadUnitPath, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            string subject;
            string extra;
            switch (d.Kind)
            {
                case ReminderKind.DeadlineAhead:
                    var left = DeadlineSchedule.WorkingDaysLeft(today, deadline, workingDays);
                    subject = $"【整改提醒】措施“{MeasureText.Short(m.Text)}”距整改时限还有 {left} 个工作日";
                    extra = $"距整改时限还有 {left} 个工作日，请抓紧推进并及时报送进展。";
                    break;
                case ReminderKind.DeadlineToday:
                    subject = $"【整改提醒】措施“{MeasureText.Short(m.Text)}”今天到期";
                    extra = "今天是整改时限，请完成整改并申请销号。";
                    if (m.LeaderUserId is { } leader)
                    {
                        to.Add(leader);
                    }

                    break;
                default:
                    var days = today.DayNumber - deadline.DayNumber;
                    subject = $"【超期提醒】措施“{MeasureText.Short(m.Text)}”已超期 {days} 天";
                    extra = $"已超过整改时限 {days} 天，尚未销号，请说明情况、加快整改。";
                    if (m.LeaderUserId is { } l)
                    {
                        to.Add(l);
                    }

                    break;
            }

            messages.Add(new ReminderMessage(d, m.Id, subject, MeasureText.Lines(m, extra), to));
        }

        return messages;
    }
}

/// <summary>逾期未报: a 长期坚持 measure without a report for the last closed period of its inspection's cadence.</summary>
public sealed class ReportMissingReminderSource(RectifyDbContext db, ReminderRecipients recipients) : IReminderSource
{
    public async Task<IReadOnlyList<DueReminder>> FindDueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await db.Measures.AsNoTracking().Where(AccessQueries.Stands).Where(m => m.Inspection.PlanState == PlanState.InForce)
            .Where(LedgerQueries.IsMissingCadenceReportOn(today))
            .Select(m => new { m.Id, m.Inspection.ReportingCadence })
            .ToListAsync(cancellationToken);

        // It fell due when the period closed: the first day of the current one.
        return [.. rows.Select(r => new DueReminder(ReminderKind.ReportMissing, "m", ReportingCadences.PeriodStart(r.ReportingCadence ?? ReportingCadences.Default, today), r.Id))];
    }

    public async Task<IReadOnlyList<ReminderMessage>> DescribeAsync(IReadOnlyList<DueReminder> due, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var facts = await MeasureText.LoadAsync(db, due.Select(d => d.Id), cancellationToken);
        var messages = new List<ReminderMessage>(due.Count);
        foreach (var d in due)
        {
            if (!facts.TryGetValue(d.Id, out var m))
            {
                continue;
            }

            var to = (await recipients.UnitReportersAsync(m.LeadUnitPath, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var subject = $"【逾期未报】长期坚持措施“{MeasureText.Short(m.Text)}”上一报送周期未报送进展";
            var body = MeasureText.Lines(m, $"上一报送周期（{MeasureText.Day(d.Day.AddDays(-1))}结束）没有报送进展，请尽快报送。");
            messages.Add(new ReminderMessage(d, m.Id, subject, body, to));
        }

        return messages;
    }
}

/// <summary>回头看 coming due: the office hears a few working days before a look-back's date.</summary>
public sealed class LookBackReminderSource(RectifyDbContext db, CalendarStore calendars, IOptions<NotificationOptions> options, ReminderRecipients recipients) : IReminderSource
{
    public async Task<IReadOnlyList<DueReminder>> FindDueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        IWorkingDays workingDays = await calendars.LoadAsync(cancellationToken);
        var ahead = options.Value.LookBackAheadWorkingDays;
        var horizon = workingDays.AddWorkingDays(today, ahead);
        var measures = db.Measures.Where(AccessQueries.Stands).Where(m => m.Inspection.PlanState == PlanState.InForce);
        var rows = await db.LookBacks.AsNoTracking()
            .Where(l => l.Result == null && l.DueDate >= today && l.DueDate <= horizon && measures.Any(m => m.Id == l.MeasureId))
            .Select(l => new { l.Id, l.DueDate })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueReminder(ReminderKind.LookBackDue, "l", Min(workingDays.AddWorkingDays(r.DueDate, -ahead), today), r.Id))];

        static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    }

    public async Task<IReadOnlyList<ReminderMessage>> DescribeAsync(IReadOnlyList<DueReminder> due, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var ids = due.Select(d => d.Id).ToList();
        var lookBacks = new Dictionary<int, (int MeasureId, DateOnly DueDate, string InspectedPath)>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var rows = await db.LookBacks.AsNoTracking().Where(l => chunk.Contains(l.Id))
                .Join(db.Measures, l => l.MeasureId, m => m.Id, (l, m) => new { l.Id, l.MeasureId, l.DueDate, m.Inspection.InspectedOrganization.Path })
                .ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                lookBacks[r.Id] = (r.MeasureId, r.DueDate, r.Path);
            }
        }

        var facts = await MeasureText.LoadAsync(db, lookBacks.Values.Select(l => l.MeasureId), cancellationToken);
        var messages = new List<ReminderMessage>(due.Count);
        foreach (var d in due)
        {
            if (!lookBacks.TryGetValue(d.Id, out var l) || !facts.TryGetValue(l.MeasureId, out var m))
            {
                continue;
            }

            var to = (await recipients.OfficesAsync(l.InspectedPath, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var subject = $"【回头看提醒】措施“{MeasureText.Short(m.Text)}”的回头看将于{MeasureText.Day(l.DueDate)}到期";
            var body = MeasureText.Lines(m, $"回头看到期日：{MeasureText.Day(l.DueDate)}，请按期开展并记录结果。");
            messages.Add(new ReminderMessage(d, m.Id, subject, body, to));
        }

        return messages;
    }
}
