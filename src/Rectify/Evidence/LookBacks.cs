using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Measures;

namespace Rectify.Evidence;

public enum LookBackResult
{
    /// <summary>巩固: the rectification holds.</summary>
    Consolidated = 0,

    /// <summary>反弹: the problem came back; the measure is reopened.</summary>
    Rebound = 1,
}

/// <summary>回头看: a later review of a signed-off measure.</summary>
public sealed class LookBack
{
    public int Id { get; set; }

    public int MeasureId { get; set; }

    public DateOnly DueDate { get; set; }

    public string ScheduledByName { get; set; } = string.Empty;

    public DateTime ScheduledAtUtc { get; set; }

    public LookBackResult? Result { get; set; }

    public string? Finding { get; set; }

    public string? ReviewedByName { get; set; }

    public DateTime? ReviewedAtUtc { get; set; }
}

/// <summary>Scheduling look-backs (by default six months after sign-off) and recording what they found; a rebound reopens the measure.</summary>
public sealed class LookBackService(RectifyDbContext db, AuditLog audit, TimeProvider clock)
{
    public const int DefaultMonthsAfterSignOff = 6;

    public async Task<WorkflowResult> ScheduleAsync(AccessScope scope, Actor actor, int measureId, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        var measure = await db.VisibleMeasures(scope).Where(m => m.Id == measureId)
            .Select(m => new { m.Id, m.State, SignedOffAt = m.Transitions.Where(t => t.ToState == MeasureState.SignedOff).Max(t => (DateTime?)t.AtUtc) })
            .SingleOrDefaultAsync(cancellationToken);
        if (measure is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.RectificationOffice))
        {
            return new(WorkflowOutcome.Forbidden, "只有整改办可以安排回头看。");
        }

        if (measure.State != MeasureState.SignedOff)
        {
            return new(WorkflowOutcome.Conflict, "只有已销号的措施才能安排回头看。");
        }

        if (await db.LookBacks.AnyAsync(l => l.MeasureId == measureId && l.Result == null, cancellationToken))
        {
            return new(WorkflowOutcome.Conflict, "这条措施已有待进行的回头看。");
        }

        var due = dueDate ?? DateOnly.FromDateTime(ChinaTime.ToChina(measure.SignedOffAt ?? clock.GetUtcNow().UtcDateTime).DateTime).AddMonths(DefaultMonthsAfterSignOff);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lookBack = new LookBack { MeasureId = measureId, DueDate = due, ScheduledByName = actor.DisplayName, ScheduledAtUtc = clock.GetUtcNow().UtcDateTime };
        db.LookBacks.Add(lookBack);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEvent("lookback.schedule", ObjectType: "LookBack", ObjectId: lookBack.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { measureId, due }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, $"已安排回头看（{due:yyyy-MM-dd}）。", lookBack.Id);
    }

    public async Task<WorkflowResult> RecordAsync(AccessScope scope, Actor actor, int lookBackId, LookBackResult result, string? finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        var visible = db.VisibleMeasures(scope);
        var lookBack = await db.LookBacks.SingleOrDefaultAsync(l => l.Id == lookBackId && visible.Any(m => m.Id == l.MeasureId), cancellationToken);
        if (lookBack is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.RectificationOffice))
        {
            return new(WorkflowOutcome.Forbidden, "只有整改办可以记录回头看结果。");
        }

        if (lookBack.Result is not null)
        {
            return new(WorkflowOutcome.Conflict, "这次回头看已经有结果了。");
        }

        if (result == LookBackResult.Rebound && string.IsNullOrWhiteSpace(finding))
        {
            return new(WorkflowOutcome.Conflict, "发现反弹时必须说明情况。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        lookBack.Result = result;
        lookBack.Finding = string.IsNullOrWhiteSpace(finding) ? null : finding.Trim();
        lookBack.ReviewedByName = actor.DisplayName;
        lookBack.ReviewedAtUtc = clock.GetUtcNow().UtcDateTime;
        if (result == LookBackResult.Rebound)
        {
            var measure = await db.Measures.SingleAsync(m => m.Id == lookBack.MeasureId, cancellationToken);
            try
            {
                measure.Reopen(actor, clock, $"回头看（第 {lookBack.Id} 号）发现反弹：{lookBack.Finding}");
            }
            catch (BusinessRuleViolationException e)
            {
                return new(WorkflowOutcome.Conflict, e.Message);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(WorkflowOutcome.Conflict, "这条措施刚刚已被他人处理，请刷新页面后再操作。");
        }

        await audit.RecordAsync(
            new AuditEvent(result == LookBackResult.Rebound ? "lookback.rebound" : "lookback.consolidated", ObjectType: "LookBack", ObjectId: lookBack.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { lookBack.MeasureId, lookBack.Finding }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, result == LookBackResult.Rebound ? "已记录反弹，措施已重新打开。" : "已记录：整改成果巩固。");
    }
}
