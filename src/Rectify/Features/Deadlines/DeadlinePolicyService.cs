using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Deadlines;

/// <summary>The office sets an inspection's 整改时限政策 (立行立改 within N working days, 集中整改 N months after the feedback).</summary>
public sealed class DeadlinePolicyService(RectifyDbContext db, Caller caller, AuditLog audit)
{
    /// <summary>
    /// Sets the policy (null: not set). <paramref name="unreadable"/>, a field the form sent that is not a whole number, is
    /// refused after the caller's permission is checked, so that one who may not set the policy learns only that.
    /// </summary>
    public async Task<WorkflowResult> SetAsync(int inspectionId, int? immediateWorkingDays, int? timeBoundMonths, CancellationToken cancellationToken, NotAWholeNumber? unreadable = null)
    {
        var inspection = await db.VisibleInspections(caller.Scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.SetDeadlinePolicy);
        if (unreadable is not null)
        {
            throw BusinessRules.Refuse(unreadable);
        }

        var before = inspection.DeadlinePolicy;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        inspection.SetDeadlinePolicy(immediateWorkingDays, timeBoundMonths);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.DeadlinePolicySet, ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture), Before: before, After: inspection.DeadlinePolicy),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done("已保存整改时限政策。");
    }
}

/// <summary>"N 个工作日" from a date (today when none is given), as forms and the API take a deadline.</summary>
public static class WorkingDayDeadline
{
    /// <summary>
    /// The deadline asked for: the date as given, or the <paramref name="workingDays"/>-th working day after
    /// <paramref name="from"/> (today when not given). Both a date and a count is refused: one of them would be ignored.
    /// </summary>
    public static async Task<DateOnly?> ResolveAsync(CalendarStore calendars, DateOnly? deadline, int? workingDays, DateOnly? from, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendars);
        if (workingDays is null)
        {
            return deadline;
        }

        BusinessRules.Check(new OneWayOfGivingADeadline(deadline, workingDays));
        BusinessRules.Check(new AWorkingDayCountIsInRange(workingDays));
        BusinessRules.Check(new AStartIsWithinTheCalendar(from));
        var calendar = await calendars.LoadAsync(cancellationToken);
        return calendar.AddWorkingDays(from ?? today, workingDays.Value);
    }

    private sealed class AStartIsWithinTheCalendar(DateOnly? from) : IBusinessRule
    {
        public bool IsBroken() => from is { Year: < Common.TypedDateBinder.FirstYear or > Common.TypedDateBinder.LastYear - 10 };

        public string Message => $"起算日期（{from:yyyy-MM-dd}）的年份应在 {Common.TypedDateBinder.FirstYear} 至 {Common.TypedDateBinder.LastYear - 10} 之间。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class OneWayOfGivingADeadline(DateOnly? deadline, int? workingDays) : IBusinessRule
    {
        public bool IsBroken() => deadline is not null && workingDays is not null;

        public string Message => "整改时限请填写日期或“N 个工作日”，二者取其一。";

        public Refusal Refusal => Refusal.Invalid;
    }
}

/// <summary>A policy field sent as something other than a whole number ("abc"): named, with what was typed.</summary>
public sealed class NotAWholeNumber(string what, string? typed) : Refused($"{what}应为整数，收到“{typed}”。", Refusal.Invalid);
