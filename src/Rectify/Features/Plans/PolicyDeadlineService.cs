using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;

namespace Rectify.Features.Plans;

/// <summary>
/// Fills the deadline of every 立行立改 and 限期整改 measure that has none from the inspection's 整改时限政策 (N working
/// days, N months after the feedback): in a draft as plain editing, once the plan is in force as a version of each
/// measure with the reason given. All in one transaction with one audit record.
/// </summary>
public sealed class PolicyDeadlineService(RectifyDbContext db, Caller caller, AuditLog audit, CalendarStore calendars, TimeProvider clock)
{
    public async Task<WorkflowResult> FillAsync(int inspectionId, string? reason, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).AsNoTracking().SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new APolicyIsSet(inspection.DeadlinePolicy.IsSet, inspection.FeedbackDate is not null));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(inspection.PlanState, reason));
        var calendar = await calendars.LoadAsync(cancellationToken);
        var policy = inspection.DeadlinePolicy;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var measures = await PlanService.LoadForChangeAsync(
            db.Measures.Where(m => m.InspectionId == inspectionId && m.WithdrawnAtUtc == null && m.Deadline == null && m.Kind != MeasureKind.Ongoing), cancellationToken);
        var filled = new List<object>();
        foreach (var measure in measures.OrderBy(m => m.Finding.Number).ThenBy(m => m.Number))
        {
            if (policy.DeadlineFor(measure.Kind, inspection.FeedbackDate, calendar) is { } deadline)
            {
                measure.Amend(new MeasureChange { SetsDeadline = true, Deadline = deadline }, caller.Actor, clock, reason ?? "按整改时限政策填写");
                filled.Add(new { measure.Id, Deadline = deadline });
            }
        }

        await db.SaveOrRefuseAsync("措施刚刚已被他人修改，请刷新页面后再试。", cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.DeadlinesFilledByPolicy, ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture), After: new { Policy = policy, Reason = reason, Measures = filled }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(filled.Count == 0 ? "没有需要按政策填写整改时限的措施。" : $"已按整改时限政策为 {filled.Count} 条措施填写整改时限。");
    }

    private sealed class APolicyIsSet(bool set, bool hasFeedbackDate) : IBusinessRule
    {
        public bool IsBroken() => !set || !hasFeedbackDate;

        public string Message => !set ? "这次巡察还没有设置整改时限政策（在整改概况页设置）。" : "这次巡察没有反馈日期，无法按政策计算整改时限。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
