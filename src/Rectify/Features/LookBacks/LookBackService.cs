using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.LookBacks;

/// <summary>Which signed-off measures a bulk scheduling takes: all of them, or a random sample of <see cref="Size"/>.</summary>
public sealed record LookBackSample(bool All, int? Size)
{
    public static readonly LookBackSample Everything = new(true, null);

    public static LookBackSample Of(int? size) => new(false, size);
}

/// <summary>
/// Scheduling look-backs (by default six months after sign-off), one by one or in bulk, and recording what they
/// found; a rebound reopens the measure. Scope (404), permission (403), the look-back's rules (409/400).
/// </summary>
public sealed class LookBackService(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    private const string LostRace = "这条措施刚刚已被他人处理，请刷新页面后再操作。";

    public async Task<WorkflowResult> ScheduleAsync(int measureId, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        var measure = await db.VisibleMeasures(caller.Scope).Where(m => m.Id == measureId)
            .Select(m => new { m.Id, m.State, SignedOffAt = m.Transitions.Where(t => t.ToState == MeasureState.SignedOff).Max(t => (DateTime?)t.AtUtc) })
            .SingleOrDefaultAsync(cancellationToken);
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ScheduleLookBack);
        var open = await db.LookBacks.AnyAsync(l => l.MeasureId == measureId && l.Result == null, cancellationToken);
        var byDefault = LookBack.DefaultDueDate(measure.SignedOffAt ?? clock.GetUtcNow().UtcDateTime, ChinaTime.Today(clock));
        var due = dueDate ?? byDefault.Date;
        var lookBack = LookBack.Schedule(measureId, measure.State, open, due, caller.Actor, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.LookBacks.Add(lookBack);
        await db.SaveOrRefuseAsync("这条措施刚刚已被安排了回头看。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(new AuditEvent(AuditActions.LookBackScheduled, ObjectType: "LookBack", ObjectId: Id(lookBack.Id), After: new { measureId, due }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(dueDate is null ? $"已安排回头看（{due:yyyy-MM-dd}，{byDefault.Explanation}）。" : $"已安排回头看（{due:yyyy-MM-dd}）。", lookBack.Id);
    }

    /// <summary>
    /// Schedules look-backs for many signed-off measures of one inspection at once: all of them, or a random sample
    /// the office chooses the size of (drawn with a cryptographic generator, so nobody can steer which measures are
    /// checked), optionally of one lead unit. Measures with a look-back already open are left out. Each due date is
    /// the one given, or six months after that measure's sign-off. All or nothing: one transaction, one audit record
    /// naming every measure drawn.
    /// </summary>
    /// <param name="inspectionId">The inspection.</param>
    /// <param name="sample">All (<see cref="LookBackSample.Everything"/>) or a sample of a size; null when the caller chose neither.</param>
    /// <param name="unitId">Only measures this unit leads, when given.</param>
    /// <param name="dueDate">The date for all of them; none for six months after each sign-off.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<WorkflowResult> ScheduleManyAsync(int inspectionId, LookBackSample? sample, int? unitId, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        if (!await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == inspectionId, cancellationToken))
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ScheduleLookBack);
        BusinessRules.Check(new ASampleIsChosen(sample));
        var sampleSize = sample!.All ? null : sample.Size;
        var today = ChinaTime.Today(clock);
        if (dueDate is { } given)
        {
            BusinessRules.Check(new ALookBackIsNotDueInThePast(given, today));
        }

        var open = db.LookBacks.Where(l => l.Result == null);
        var candidates = db.VisibleMeasures(caller.Scope)
            .Where(m => m.InspectionId == inspectionId && m.State == MeasureState.SignedOff && !open.Any(l => l.MeasureId == m.Id));
        if (unitId is { } unit)
        {
            candidates = candidates.Where(m => m.LeadUnitId == unit);
        }

        var pool = await candidates
            .Select(m => new { m.Id, SignedOffAt = m.Transitions.Where(t => t.ToState == MeasureState.SignedOff).Max(t => (DateTime?)t.AtUtc) })
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        BusinessRules.Check(new ThereIsSomethingToLookBackAt(pool.Count));

        var chosen = pool;
        if (sampleSize is { } n && n < pool.Count)
        {
            var shuffled = pool.ToArray();
            System.Security.Cryptography.RandomNumberGenerator.Shuffle(shuffled.AsSpan());
            chosen = [.. shuffled.Take(n).OrderBy(m => m.Id)];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var defaults = chosen.ToDictionary(m => m.Id, m => LookBack.DefaultDueDate(m.SignedOffAt ?? now, today));
        var rows = chosen.Select(m => LookBack.Schedule(m.Id, MeasureState.SignedOff, openLookBack: false, dueDate ?? defaults[m.Id].Date, caller.Actor, clock)).ToList();
        db.LookBacks.AddRange(rows);
        await db.SaveOrRefuseAsync("其中有措施刚刚已被他人安排了回头看，本次没有安排任何回头看，请刷新后重试。", cancellationToken, uniqueIndexDecides: true);

        var method = sampleSize is { } s && s < pool.Count ? $"随机抽取 {chosen.Count} / {pool.Count}" : $"全部 {pool.Count}";
        await audit.RecordAsync(
            new AuditEvent(AuditActions.LookBacksScheduled, ObjectType: "Inspection", ObjectId: Id(inspectionId),
                After: new { Method = method, UnitId = unitId, DueDate = dueDate, Measures = chosen.Select(m => m.Id), LookBacks = rows.Select(r => r.Id) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var dates = dueDate is { } d ? $"日期 {d:yyyy-MM-dd}" : string.Join("；", defaults.Values.GroupBy(v => v.Rule).OrderBy(g => g.Key).Select(g => $"{g.Count()} 条{g.First().Explanation}"));
        return WorkflowResult.Done($"已为 {rows.Count} 条已销号措施安排回头看（{method}；{dates}）。", rows.Count);
    }

    public async Task<WorkflowResult> RecordAsync(int lookBackId, LookBackResult result, string? observation, CancellationToken cancellationToken)
    {
        var visible = db.VisibleMeasures(caller.Scope);
        var lookBack = await db.LookBacks.SingleOrDefaultAsync(l => l.Id == lookBackId && visible.Any(m => m.Id == l.MeasureId), cancellationToken);
        if (lookBack is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.RecordLookBack);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var measure = await db.Measures.SingleAsync(m => m.Id == lookBack.MeasureId, cancellationToken);
        lookBack.Record(result, observation, measure, caller.Actor, clock);
        await db.SaveOrRefuseAsync(LostRace, cancellationToken);
        if (result == LookBackResult.Rebound)
        {
            await handOffs.ReboundAsync(measure.Id, cancellationToken);
        }

        await audit.RecordAsync(
            new AuditEvent(result == LookBackResult.Rebound ? AuditActions.LookBackRebound : AuditActions.LookBackConsolidated, ObjectType: "LookBack", ObjectId: Id(lookBack.Id), After: new { lookBack.MeasureId, Finding = lookBack.Observation }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(result == LookBackResult.Rebound ? "已记录反弹，措施已重新打开。" : "已记录：整改成果巩固。");
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class ASampleIsChosen(LookBackSample? sample) : IBusinessRule
    {
        public bool IsBroken() => sample is null or { All: false, Size: null or <= 0 };

        public string Message => sample switch
        {
            null => "请选择范围：全部已销号措施，或随机抽取。",
            { Size: null } => "请填写要随机抽取的措施数量。",
            _ => "抽取数量必须是大于 0 的整数；要安排全部已销号措施，请不填数量。",
        };

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class ThereIsSomethingToLookBackAt(int candidates) : IBusinessRule
    {
        public bool IsBroken() => candidates == 0;

        public string Message => "没有可以安排回头看的措施：所选范围内的已销号措施都已有待进行的回头看，或还没有已销号的措施。";
    }
}
