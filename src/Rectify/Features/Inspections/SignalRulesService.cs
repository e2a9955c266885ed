using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

/// <summary>
/// 红黄绿规则 as asked for by a form or the API: red also when a 督办单 is open; yellow (预警) when a deadline falls within
/// warnWithinWorkingDays working days (0 or none: no deadline warning) and/or when the last report was returned; and the
/// colour of a finding on track (greenWhenOnTrack: 绿, else 黄 as by default). A field left out is off.
/// </summary>
public sealed record SignalRulesRequest(bool? RedWhenUnderDuban, int? WarnWithinWorkingDays, bool? WarnWhenReportReturned, bool? GreenWhenOnTrack);

/// <summary>
/// The office (or the inspection body, for an inspection it oversees) sets an inspection's 红黄绿规则, for the page and
/// the API alike: scope (404), permission (403), values (400, nothing written); the change and its audit record in one
/// transaction.
/// </summary>
public sealed class SignalRulesService(RectifyDbContext db, Caller caller, AuditLog audit)
{
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="request">The rules asked for.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="unreadableWorkingDays">What a form sent for the working days when it was not a whole number (refused after scope and permission).</param>
    public async Task<WorkflowResult> SetAsync(int inspectionId, SignalRulesRequest? request, CancellationToken cancellationToken, string? unreadableWorkingDays = null)
    {
        var inspection = await db.VisibleInspections(caller.Scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.SetSignalRules);
        BusinessRules.Check(new TheWarningDaysAreAWholeNumber(unreadableWorkingDays));
        var rules = SignalRules.Checked(
            request?.RedWhenUnderDuban ?? false,
            request?.WarnWithinWorkingDays,
            request?.WarnWhenReportReturned ?? false,
            request?.GreenWhenOnTrack ?? false);
        var message = rules.IsDefault ? "红黄绿规则已设为默认规则。" : "已保存红黄绿规则。";
        var before = inspection.SignalRules;
        if (before == rules)
        {
            return WorkflowResult.Done(message);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        inspection.SetSignalRules(rules);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.SignalRulesSet, ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture), Before: before, After: rules),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(message);
    }

    /// <summary>The working days as a form typed them: blank is none (0), a whole number is itself, anything else is unreadable.</summary>
    public static (int? Days, string? Unreadable) ReadWorkingDays(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? (null, null)
        : int.TryParse(typed.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) ? (days, null)
        : (null, typed.Trim() is { Length: > 20 } longer ? longer[..20] + "…" : typed.Trim());

    private sealed class TheWarningDaysAreAWholeNumber(string? unreadable) : IBusinessRule
    {
        public bool IsBroken() => unreadable is not null;

        public string Message => $"临期预警的工作日数须是 0 到 {SignalRules.MaxWarnWorkingDays} 之间的整数（0 表示不按时限预警），收到“{unreadable}”。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
