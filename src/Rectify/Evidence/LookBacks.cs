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

/// <summary>Which signed-off measures a bulk scheduling takes: all of them, or a random sample of <see cref="Size"/>.</summary>
public sealed record LookBackSample(bool All, int? Size)
{
    public static readonly LookBackSample Everything = new(true, null);

    public static LookBackSample Of(int? size) => new(false, size);
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

        var due = dueDate ?? DefaultDueDate(measure.SignedOffAt ?? clock.GetUtcNow().UtcDateTime);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lookBack = new LookBack { MeasureId = measureId, DueDate = due, ScheduledByName = actor.DisplayName, ScheduledAtUtc = clock.GetUtcNow().UtcDateTime };
        db.LookBacks.Add(lookBack);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseProvider.IsUniqueViolation(e))
        {
            return new(WorkflowOutcome.Conflict, "这条措施刚刚已被安排了回头看。");
        }

        await audit.RecordAsync(new AuditEvent("lookback.schedule", ObjectType: "LookBack", ObjectId: lookBack.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { measureId, due }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, $"已安排回头看（{due:yyyy-MM-dd}）。", lookBack.Id);
    }

    /// <summary>
    /// Schedules look-backs for many signed-off measures of one inspection at once: all of them, or a random sample
    /// the office chooses the size of (drawn with a cryptographic generator, so nobody can steer which measures are
    /// checked), optionally of one lead unit. Measures with a look-back already open are left out. Each due date is
    /// the one given, or six months after that measure's sign-off. All or nothing: one transaction, one audit record
    /// naming every measure drawn.
    /// </summary>
    /// <param name="scope">The caller's scope.</param>
    /// <param name="actor">Who schedules.</param>
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="sample">All (<see cref="LookBackSample.Everything"/>) or a sample of a size; null when the caller chose neither.</param>
    /// <param name="unitId">Only measures this unit leads, when given.</param>
    /// <param name="dueDate">The date for all of them; none for six months after each sign-off.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<WorkflowResult> ScheduleManyAsync(AccessScope scope, Actor actor, int inspectionId, LookBackSample? sample, int? unitId, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(actor);
        if (!await db.VisibleInspections(scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.RectificationOffice))
        {
            return new(WorkflowOutcome.Forbidden, "只有整改办可以安排回头看。");
        }

        if (sample is null)
        {
            return new(WorkflowOutcome.BadRequest, "请选择范围：全部已销号措施，或随机抽取。");
        }

        if (sample is { All: false, Size: null })
        {
            return new(WorkflowOutcome.BadRequest, "请填写要随机抽取的措施数量。");
        }

        if (sample is { All: false, Size: <= 0 })
        {
            return new(WorkflowOutcome.BadRequest, "抽取数量必须是大于 0 的整数；要安排全部已销号措施，请不填数量。");
        }

        var sampleSize = sample.All ? null : sample.Size;

        var today = ChinaTime.Today(clock);
        if (dueDate is { } d && d < today)
        {
            return new(WorkflowOutcome.BadRequest, $"回头看日期（{d:yyyy-MM-dd}）不能早于今天。");
        }

        var open = db.LookBacks.Where(l => l.Result == null);
        var candidates = db.VisibleMeasures(scope)
            .Where(m => m.InspectionId == inspectionId && m.State == MeasureState.SignedOff && !open.Any(l => l.MeasureId == m.Id));
        if (unitId is { } unit)
        {
            candidates = candidates.Where(m => m.LeadUnitId == unit);
        }

        var pool = await candidates
            .Select(m => new { m.Id, SignedOffAt = m.Transitions.Where(t => t.ToState == MeasureState.SignedOff).Max(t => (DateTime?)t.AtUtc) })
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        if (pool.Count == 0)
        {
            return new(WorkflowOutcome.Conflict, "没有可以安排回头看的措施：所选范围内的已销号措施都已有待进行的回头看，或还没有已销号的措施。");
        }

        var chosen = pool;
        if (sampleSize is { } n && n < pool.Count)
        {
            var shuffled = pool.ToArray();
            System.Security.Cryptography.RandomNumberGenerator.Shuffle(shuffled.AsSpan());
            chosen = [.. shuffled.Take(n).OrderBy(m => m.Id)];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = chosen.Select(m => new LookBack
        {
            MeasureId = m.Id,
            DueDate = dueDate ?? DefaultDueDate(m.SignedOffAt ?? now),
            ScheduledByName = actor.DisplayName,
            ScheduledAtUtc = now,
        }).ToList();
        db.LookBacks.AddRange(rows);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseProvider.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return new(WorkflowOutcome.Conflict, "其中有措施刚刚已被他人安排了回头看，本次没有安排任何回头看，请刷新后重试。");
        }

        var method = sampleSize is { } s && s < pool.Count ? $"随机抽取 {chosen.Count} / {pool.Count}" : $"全部 {pool.Count}";
        await audit.RecordAsync(
            new AuditEvent("lookback.schedule.bulk", ObjectType: "Inspection", ObjectId: inspectionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                After: new { Method = method, UnitId = unitId, DueDate = dueDate, Measures = chosen.Select(m => m.Id), LookBacks = rows.Select(r => r.Id) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, $"已为 {rows.Count} 条已销号措施安排回头看（{method}）。", rows.Count);
    }

    /// <summary>Six months after the sign-off, by the date in China.</summary>
    private static DateOnly DefaultDueDate(DateTime signedOffUtc) =>
        DateOnly.FromDateTime(ChinaTime.ToChina(signedOffUtc).DateTime).AddMonths(DefaultMonthsAfterSignOff);

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
