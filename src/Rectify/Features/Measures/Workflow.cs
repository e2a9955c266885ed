using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

public enum WorkflowOutcome
{
    Done,
    NotFound,
    Forbidden,
    Conflict,
    BadRequest,
}

/// <summary>What a workflow step came to: the outcome, a message in the user's language, and the id of what it made.</summary>
public sealed record WorkflowResult(WorkflowOutcome Outcome, string? Message = null, int? Id = null)
{
    /// <summary>The HTTP status a page or the API answers with, the same everywhere.</summary>
    public int StatusCode => Outcome switch
    {
        WorkflowOutcome.Done => StatusCodes.Status200OK,
        WorkflowOutcome.NotFound => StatusCodes.Status404NotFound,
        WorkflowOutcome.Forbidden => StatusCodes.Status403Forbidden,
        WorkflowOutcome.BadRequest => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The message to show as news when the step was taken.</summary>
    public string? Notice => Outcome == WorkflowOutcome.Done ? Message : null;

    /// <summary>The message to show as an error when it was not.</summary>
    public string? Problem => Outcome == WorkflowOutcome.Done ? null : Message;
}

/// <summary>
/// The life of a measure through the web: who may take which step (by role and organization), on the current
/// version only, each step a transaction with its audit record. The rules about states live in the domain.
/// </summary>
public sealed class MeasureWorkflow(RectifyDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>The steps the caller may take on this measure now; the page shows exactly these.</summary>
    public static IReadOnlyList<MeasureAction> Allowed(AccessScope scope, MeasureState state, MeasureKind kind, bool leadUnitIsCallers) =>
        Enum.GetValues<MeasureAction>().Where(a => MayTake(scope, a, leadUnitIsCallers) && Fits(a, state, kind)).ToList();

    public static bool MayTake(AccessScope scope, MeasureAction action, bool leadUnitIsCallers)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var office = scope.Roles.Contains(Roles.RectificationOffice);
        var reporter = scope.Roles.Contains(Roles.UnitReporter) && leadUnitIsCallers;
        var leader = scope.Roles.Contains(Roles.ResponsibleLeader) || scope.Roles.Contains(Roles.FirstResponsible);
        return action switch
        {
            MeasureAction.Start => reporter || office,
            MeasureAction.ApplyForSignOff => reporter,
            MeasureAction.AcceptApplication => office,
            MeasureAction.ReturnApplication => office || leader,
            MeasureAction.Approve => leader,
            MeasureAction.Reopen => office,
            _ => false,
        };
    }

    private static bool Fits(MeasureAction action, MeasureState state, MeasureKind kind) => action switch
    {
        MeasureAction.Start => state == MeasureState.Planned,
        MeasureAction.ApplyForSignOff => state == MeasureState.InProgress && kind != MeasureKind.Ongoing,
        MeasureAction.AcceptApplication => state == MeasureState.AwaitingReview,
        MeasureAction.ReturnApplication => state is MeasureState.AwaitingReview or MeasureState.AwaitingApproval,
        MeasureAction.Approve => state == MeasureState.AwaitingApproval,
        MeasureAction.Reopen => state == MeasureState.SignedOff,
        _ => false,
    };

    /// <summary>Whether the measure's lead unit is in the caller's organization subtree (the unit reporter's own measures).</summary>
    public static bool LeadUnitIsCallers(AccessScope scope, string? leadUnitPath) =>
        scope?.OrganizationPath is { } path && leadUnitPath is not null && leadUnitPath.StartsWith(path, StringComparison.Ordinal);

    public async Task<WorkflowResult> ActAsync(AccessScope scope, Actor actor, int measureId, string? actionName, string? reason, int? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var measure = await db.VisibleMeasures(scope).Include(m => m.LeadUnit).SingleOrDefaultAsync(m => m.Id == measureId, cancellationToken);
        if (measure is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!Enum.TryParse<MeasureAction>(actionName, ignoreCase: false, out var action) || !Enum.IsDefined(action))
        {
            return new(WorkflowOutcome.BadRequest, $"未知的操作“{actionName}”。");
        }

        if (!MayTake(scope, action, LeadUnitIsCallers(scope, measure.LeadUnit?.Path)))
        {
            return new(WorkflowOutcome.Forbidden, $"您的角色不能对这条措施进行“{Terms.Of(action)}”。");
        }

        if (expectedVersion is { } version && version != measure.Version)
        {
            return new(WorkflowOutcome.Conflict, "这条措施在您打开之后已被他人处理，请刷新页面后再操作。");
        }

        var before = measure.State;
        try
        {
            switch (action)
            {
                case MeasureAction.Start: measure.Start(actor, clock); break;
                case MeasureAction.ApplyForSignOff: measure.ApplyForSignOff(actor, clock, reason); break;
                case MeasureAction.AcceptApplication: measure.AcceptApplication(actor, clock, reason); break;
                case MeasureAction.ReturnApplication: measure.ReturnApplication(actor, clock, reason ?? string.Empty); break;
                case MeasureAction.Approve: measure.Approve(actor, clock, reason); break;
                case MeasureAction.Reopen: measure.Reopen(actor, clock, reason ?? string.Empty); break;
            }
        }
        catch (BusinessRuleViolationException e)
        {
            return new(WorkflowOutcome.Conflict, e.Message);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(WorkflowOutcome.Conflict, "这条措施刚刚已被他人处理，请刷新页面后再操作。");
        }

        await audit.RecordAsync(
            new AuditEvent(
                "measure." + action.ToString().ToLowerInvariant(),
                ObjectType: "Measure",
                ObjectId: measure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Before: new { State = before },
                After: new { measure.State, Reason = reason }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, $"已{Terms.Of(action)}。");
    }
}
