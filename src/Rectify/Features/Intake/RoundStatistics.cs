using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>
/// The figures of a round summary (综合情况通报: a round of inspections covering many units, with totals and rates but
/// no findings), recorded against the round of the inspection it was uploaded for. Never findings: a round summary is
/// not imported into any plan. Who recorded it and when is kept here and in the audit trail.
/// </summary>
public sealed class RoundStatisticsRecord
{
    public int Id { get; set; }

    /// <summary>The inspection whose import page it was recorded from (its round is <see cref="Round"/>).</summary>
    public int InspectionId { get; set; }

    /// <summary>届次/轮次 as the inspection names it when recorded; null when the inspection names none.</summary>
    public string? Round { get; set; }

    /// <summary>The uploaded file's name.</summary>
    public string SourceFile { get; set; } = string.Empty;

    public int? Problems { get; set; }

    public int? Measures { get; set; }

    public int? Completed { get; set; }

    public int? InProgress { get; set; }

    /// <summary>完成率 in percent (92.5 for 92.5%).</summary>
    public decimal? CompletionRate { get; set; }

    public decimal? AmountYuan { get; set; }

    public int? PeopleHandled { get; set; }

    public int? RulesMade { get; set; }

    public int? UnitsCovered { get; set; }

    /// <summary>Every figure as the summary states it, one a line ("已完成整改19个").</summary>
    public string Figures { get; set; } = string.Empty;

    public string RecordedByUserId { get; set; } = string.Empty;

    public string RecordedByName { get; set; } = string.Empty;

    public DateTime RecordedAtUtc { get; set; }
}

internal sealed class RoundStatisticsRecordConfiguration : IEntityTypeConfiguration<RoundStatisticsRecord>
{
    public void Configure(EntityTypeBuilder<RoundStatisticsRecord> r)
    {
        r.ToTable("RoundStatistics");
        r.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        r.HasIndex(x => new { x.InspectionId, x.RecordedAtUtc });
        r.HasIndex(x => x.Round);
        r.Property(x => x.Round).HasMaxLength(200);
        r.Property(x => x.SourceFile).HasMaxLength(200).IsRequired();
        r.Property(x => x.Figures).HasMaxLength(8000).IsRequired();
        r.Property(x => x.RecordedByUserId).HasMaxLength(450).IsRequired();
        r.Property(x => x.RecordedByName).HasMaxLength(200).IsRequired();
        r.Property(x => x.CompletionRate).HasPrecision(7, 2);
        r.Property(x => x.AmountYuan).HasPrecision(18, 2);
    }
}

/// <summary>A round's recorded figures as the inspection page shows them.</summary>
public sealed record RoundStatisticsView(int Id, int InspectionId, string? Round, string SourceFile, int? Problems, int? Measures, int? Completed, int? InProgress, decimal? CompletionRate, decimal? AmountYuan, int? PeopleHandled, int? RulesMade, int? UnitsCovered, IReadOnlyList<string> Figures, string RecordedBy, DateTime RecordedAtUtc);

/// <summary>Records a round summary's figures (one transaction with its audit record) and reads them back for a round.</summary>
public sealed class RoundStatisticsService(RectifyDbContext db, Caller caller, AuditLog audit, TimeProvider clock)
{
    /// <summary>How many records of a round the inspection page lists (newest first).</summary>
    public const int Shown = 20;

    /// <summary>
    /// Records the figures of <paramref name="draft"/> against the round of <paramref name="inspectionId"/>: null when the
    /// caller does not see the inspection (404); refused when they may not keep its plan (403), or the draft is not a
    /// round summary with figures (400).
    /// </summary>
    public async Task<RoundStatisticsView?> RecordAsync(int inspectionId, IntakeDraft draft, string sourceFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var inspection = await db.VisibleInspections(caller.Scope).Where(i => i.Id == inspectionId).Select(i => new { i.Id, i.Round }).SingleOrDefaultAsync(cancellationToken);
        if (inspection is null)
        {
            return null;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new OnlyARoundSummaryIsRecorded(draft.Kind == IntakeKind.RoundSummary && draft.Statistics is { Figures.Count: > 0 }));
        var s = draft.Statistics!;
        var record = new RoundStatisticsRecord
        {
            InspectionId = inspection.Id,
            Round = inspection.Round,
            SourceFile = sourceFile.Length > 200 ? sourceFile[..200] : sourceFile,
            Problems = s.Problems,
            Measures = s.Measures,
            Completed = s.Completed,
            InProgress = s.InProgress,
            CompletionRate = s.CompletionRate,
            AmountYuan = s.AmountYuan,
            PeopleHandled = s.PeopleHandled,
            RulesMade = s.RulesMade,
            UnitsCovered = s.UnitsCovered,
            Figures = Cap(string.Join('\n', s.Figures.Select(f => f.Text.Trim().Length > 0 ? f.Text.Trim() : f.Label + f.Value.ToString("0.##", CultureInfo.InvariantCulture) + f.Unit).Distinct(StringComparer.Ordinal)), 8000),
            RecordedByUserId = caller.Actor.UserId,
            RecordedByName = caller.Actor.DisplayName,
            RecordedAtUtc = clock.GetUtcNow().UtcDateTime,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.RoundStatisticsRecorded, ObjectType: "Inspection", ObjectId: inspection.Id.ToString(CultureInfo.InvariantCulture),
                After: new { record.Id, record.Round, Source = record.SourceFile, record.Problems, record.Measures, record.Completed, record.InProgress, record.CompletionRate, record.AmountYuan, record.PeopleHandled, record.RulesMade, record.UnitsCovered }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(record);
    }

    /// <summary>
    /// The figures recorded for the round of <paramref name="inspectionId"/>, newest first, at most <see cref="Shown"/>:
    /// recorded from any inspection of the same round that the caller sees (or from this one, when it names no round).
    /// </summary>
    public async Task<IReadOnlyList<RoundStatisticsView>> OfRoundAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var visible = db.VisibleInspections(caller.Scope);
        var round = await visible.Where(i => i.Id == inspectionId).Select(i => new { i.Round }).SingleOrDefaultAsync(cancellationToken);
        if (round is null)
        {
            return [];
        }

        var records = round.Round is null
            ? db.Set<RoundStatisticsRecord>().Where(r => r.InspectionId == inspectionId)
            : db.Set<RoundStatisticsRecord>().Where(r => r.Round == round.Round && visible.Any(i => i.Id == r.InspectionId));
        var list = await records.OrderByDescending(r => r.Id).Take(Shown).AsNoTracking().ToListAsync(cancellationToken);
        return [.. list.Select(View)];
    }

    private static RoundStatisticsView View(RoundStatisticsRecord r) => new(
        r.Id, r.InspectionId, r.Round, r.SourceFile, r.Problems, r.Measures, r.Completed, r.InProgress, r.CompletionRate, r.AmountYuan, r.PeopleHandled, r.RulesMade, r.UnitsCovered,
        r.Figures.Split('\n', StringSplitOptions.RemoveEmptyEntries), r.RecordedByName, r.RecordedAtUtc);

    private static string Cap(string text, int length) => text.Length <= length ? text : text[..length];

    private sealed class OnlyARoundSummaryIsRecorded(bool isOne) : IBusinessRule
    {
        public bool IsBroken() => !isOne;

        public string Message => "只有一轮巡察的综合情况通报（有统计数字、没有具体问题）才能记录为本轮统计。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
