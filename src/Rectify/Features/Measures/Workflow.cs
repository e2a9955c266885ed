using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Measures;

/// <summary>
/// The life of a measure through the web: the caller's permission for the step (<see cref="Permissions"/>), the
/// measure's own rules for its state (<see cref="Measure.CanTake(MeasureAction)"/>), on the current version only; each step a
/// transaction with its audit record.
/// </summary>
public sealed class MeasureWorkflow(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    /// <summary>The steps the caller may take on this measure now, the step forward first and a return or reopening last (the same order for everyone); the page shows exactly these.</summary>
    public static IReadOnlyList<MeasureAction> Allowed(AccessScope scope, MeasureState state, MeasureKind kind, bool hasAcceptedReport, MeasureParties parties) =>
        Enum.GetValues<MeasureAction>().Where(a => Permissions.May(scope, Permissions.Of(a), parties) && Measure.CanTake(a, state, kind, hasAcceptedReport))
            .OrderBy(a => a is MeasureAction.ReturnApplication or MeasureAction.Reopen).ToList();

    public async Task<WorkflowResult> ActAsync(int measureId, string? actionName, string? reason, int? expectedVersion, CancellationToken cancellationToken)
    {
        BusinessRules.Check(new AKnownAction(actionName));
        var action = Enum.Parse<MeasureAction>(actionName!);
        return await StepAsync(measureId, action, Permissions.Of(action), expectedVersion, (measure, actor) => measure.Take(action, actor, clock, reason), onBehalf: false, cancellationToken);
    }

    /// <summary>
    /// 代为申请销号: the office applies for sign-off on the lead unit's behalf, saying on what basis. The unit's reporters
    /// are told; the office is asked to review it, and its applicant may not accept it.
    /// </summary>
    public Task<WorkflowResult> ApplyOnBehalfAsync(int measureId, string? basis, int? expectedVersion, CancellationToken cancellationToken) =>
        StepAsync(measureId, MeasureAction.ApplyForSignOff, Permission.ApplyForSignOffOnBehalf, expectedVersion, (measure, actor) => measure.ApplyForSignOffOnBehalf(actor, clock, basis), onBehalf: true, cancellationToken);

    /// <summary>One step on the current version of a measure the caller sees: permission, the domain's rules, then the write, its notices and its audit record in one transaction.</summary>
    private async Task<WorkflowResult> StepAsync(int measureId, MeasureAction action, Permission permission, int? expectedVersion, Action<Measure, Actor> take, bool onBehalf, CancellationToken cancellationToken)
    {
        var measure = await db.VisibleMeasures(caller.Scope).Include(m => m.LeadUnit).Include(m => m.ResponsibleLeader).Include(m => m.Inspection).SingleOrDefaultAsync(m => m.Id == measureId, cancellationToken);
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(permission, new MeasureParties(measure.LeadUnit?.Path, measure.ResponsibleLeader?.UserId));
        BusinessRules.Check(new AMeasureActsUnderAPlanInForce(measure.Inspection.PlanState));
        BusinessRules.Check(new TheStepIsTakenOnTheVersionShown(expectedVersion, measure.Version));

        var before = measure.State;
        take(measure, caller.Actor);

        // Every step moves the measure and records one transition (Measure.Move); its reason is the text as kept (cleaned,
        // and for an application on the unit's behalf, its basis after the words saying so).
        var reason = measure.Transitions[^1].Reason;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync("这条措施刚刚已被他人处理，请刷新页面后再操作。", cancellationToken);
        await (onBehalf ? handOffs.SignOffAppliedOnBehalfAsync(measure.Id, cancellationToken) : handOffs.MeasureStepAsync(measure.Id, action, reason, cancellationToken));
        await audit.RecordAsync(
            new AuditEvent(
                AuditActions.Of(action),
                ObjectType: "Measure",
                ObjectId: measure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Before: new { State = before },
                After: onBehalf ? new { measure.State, Reason = reason, OnBehalf = true } : (object)new { measure.State, Reason = reason }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(onBehalf ? "已代为申请销号，待整改办其他人员审核。" : Said(action));
    }

    /// <summary>What the person who took a step is told: what happened, and whose step comes next.</summary>
    private static string Said(MeasureAction action) => action switch
    {
        MeasureAction.Start => "已启动整改。",
        MeasureAction.ApplyForSignOff => "已申请销号，待整改办审核。",
        MeasureAction.AcceptApplication => "已审核通过销号申请，待领导审批。",
        MeasureAction.ReturnApplication => "已退回销号申请。",
        MeasureAction.Approve => "已审批同意销号，措施已销号。",
        MeasureAction.Reopen => "已重新打开这条措施。",
        _ => $"已{Terms.Of(action)}。",
    };

    private sealed class AKnownAction(string? name) : IBusinessRule
    {
        public bool IsBroken() => !Enum.TryParse<MeasureAction>(name, ignoreCase: false, out var action) || !Enum.IsDefined(action);

        public string Message => $"未知的操作“{name}”。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class TheStepIsTakenOnTheVersionShown(int? expected, int current) : IBusinessRule
    {
        public bool IsBroken() => expected is { } v && v != current;

        public string Message => "这条措施在您打开之后已被他人处理，请刷新页面后再操作。";
    }
}
