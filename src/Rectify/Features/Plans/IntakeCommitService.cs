using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>What an import does to one category, finding or measure of the plan.</summary>
public enum ImportChange
{
    /// <summary>新增: the plan has nothing of that number yet.</summary>
    Added = 0,

    /// <summary>更新: the plan has it, and the file says something else about it.</summary>
    Updated = 1,

    /// <summary>不变: the plan already says what the file says.</summary>
    Unchanged = 2,
}

public sealed record ImportCounts(int Added, int Updated, int Unchanged)
{
    public static ImportCounts Of(IEnumerable<ImportItemChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var list = changes.ToList();
        return new ImportCounts(list.Count(c => c.Change == ImportChange.Added), list.Count(c => c.Change == ImportChange.Updated), list.Count(c => c.Change == ImportChange.Unchanged));
    }
}

/// <summary>What an import does to one item, and for an update which fields change ("整改时限：2026-12-31 → 2027-03-31").</summary>
public sealed record ImportItemChange(ImportChange Change, IReadOnlyList<string> Fields)
{
    public static readonly ImportItemChange Added = new(ImportChange.Added, []);

    public static readonly ImportItemChange Unchanged = new(ImportChange.Unchanged, []);
}

/// <summary>
/// A draft held against the plan it would go into, before anything is written: for each category, finding and measure
/// of the draft (by 序号) whether it is added, updated or unchanged, how many of the plan's measures the file does not
/// mention (they are left alone), and the problems that only the plan reveals (a finding number used for another
/// finding, a change a started measure cannot take…), by sheet and row like the draft's own.
/// </summary>
public sealed record ImportComparison(
    int InspectionId,
    string InspectionTitle,
    PlanState PlanState,
    IReadOnlyDictionary<int, ImportItemChange> Categories,
    IReadOnlyDictionary<int, ImportItemChange> Findings,
    IReadOnlyDictionary<(int Finding, int Measure), ImportItemChange> Measures,
    int Untouched,
    IReadOnlyList<IntakeProblem> Problems)
{
    public ImportCounts CategoryCounts => ImportCounts.Of(Categories.Values);

    public ImportCounts FindingCounts => ImportCounts.Of(Findings.Values);

    public ImportCounts MeasureCounts => ImportCounts.Of(Measures.Values);

    /// <summary>Whether the file adds or changes anything (a file the plan already holds word for word changes nothing).</summary>
    public bool ChangesAnything => Categories.Values.Concat(Findings.Values).Concat(Measures.Values).Any(c => c.Change != ImportChange.Unchanged);

    /// <summary>The plan is in force and the file changes it: what the import changes is a version of it, and says why.</summary>
    public bool NeedsReason => PlanState == PlanState.InForce && ChangesAnything;

    public bool HasErrors => Problems.Any(p => p.Severity == IntakeSeverity.Error);

    /// <summary>
    /// What the file's 状态 and 整改进展 columns give each measure that takes them (a new one, or one not started nor
    /// withdrawn), by finding and measure number; a measure that goes its own way has none, whatever the file says.
    /// </summary>
    public IReadOnlyDictionary<(int Finding, int Measure), LedgerNote> LedgerNotes { get; init; } = new Dictionary<(int, int), LedgerNote>();

    /// <summary>The measures of the plan that the file does not mention, said as the result says it; null when there are none.</summary>
    public string? UntouchedNote => Untouched == 0 ? null : $"文件中没有的 {Untouched} 条措施未改动。";
}

/// <summary>
/// What the office sees before confirming an Excel import: the workbook's sheets, the one read, what was read from it
/// with its problems, and what it would do to the plan. Nothing has been written.
/// </summary>
public sealed record ImportPreview(string FileName, IReadOnlyList<LedgerSheet> Sheets, string? Sheet, IntakeDraft Draft, ImportComparison Comparison)
{
    /// <summary>The edits made in the preview, in order (already applied to <see cref="Draft"/>).</summary>
    public IReadOnlyList<IntakeEdit> Edits { get; init; } = [];

    /// <summary>What the audit record and the result call the source: the file, and the sheet for a ledger.</summary>
    public string SourceName => Sheet is null ? FileName : $"{FileName}（{Sheet}）";

    /// <summary>The reader's problems and the plan's, by sheet row.</summary>
    public IReadOnlyList<IntakeProblem> Problems => [.. Draft.Problems.Concat(Comparison.Problems).OrderBy(p => p.Row ?? 0)];

    public int ErrorCount => Problems.Count(p => p.Severity == IntakeSeverity.Error);

    /// <summary>Whether a confirmation can succeed: measures and no error, in a plan that is not waiting for adoption (never for a round summary).</summary>
    public bool CanConfirm => Draft.CanConfirm && !Comparison.HasErrors && Comparison.PlanState != PlanState.Submitted;
}

/// <summary>What an office's ledger says of a measure that takes it: where it stands (null: 未启动) and its account of the work.</summary>
public sealed record LedgerNote(LedgerStanding? Standing, string? Progress)
{
    /// <summary>The file says nothing that takes effect.</summary>
    public static readonly LedgerNote None = new(null, null);
}

/// <summary>The inspection an import goes into, as the import page shows it.</summary>
public sealed record ImportTarget(int Id, string Title, PlanState PlanState);

/// <summary>What a confirmed import did.</summary>
public sealed record IntakeCommitResult(int InspectionId, ImportCounts Categories, ImportCounts Findings, ImportCounts Measures, int Untouched, string Message);

/// <summary>
/// Writes an <see cref="IntakeDraft"/> into an inspection's plan, all or nothing, in one transaction with its audit
/// record. Items are matched by 序号: a category by its number, a finding by its number (numbers run across the
/// inspection), a measure by its finding's number and its own. What the plan lacks is added; what it has is updated
/// through <see cref="Measure.Amend"/>, so that after adoption each changed measure becomes a version with the
/// import's reason; measures the file does not mention are left as they are. A field the file leaves empty (a
/// deadline, a leader, units) changes nothing. Leaders and units are resolved by name the way the plan page resolves
/// typed names (<see cref="PlanService"/>): those of that name in the inspected organization's tree, else added to it.
/// </summary>
public sealed class IntakeCommitService(RectifyDbContext db, Caller caller, AuditLog audit, TimeProvider clock, PlanService plans)
{
    /// <summary>
    /// A file read as no measures and no errors: refused by the import, told so by the preview (the page and the command
    /// line) with what to check.
    /// </summary>
    public const string NothingToImport = "文件中没有读到可导入的整改措施。请确认所选工作表是整改台账、表头（序号、问题类别、反馈问题、整改措施等）在前几行，且内容没有被整片合并在一个单元格里。";

    /// <summary>How many measure numbers the audit record lists by name for each of added and updated; the counts are always whole.</summary>
    private const int AuditedNumbers = 500;

    /// <summary>
    /// The inspection an import would go into: null when the caller does not see it (404); refused when they may not
    /// keep its plan (403). Asked before anything of an upload is kept or read.
    /// </summary>
    public async Task<ImportTarget?> TargetAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var target = await db.VisibleInspections(caller.Scope).Where(i => i.Id == inspectionId)
            .Select(i => new ImportTarget(i.Id, i.Title, i.PlanState)).SingleOrDefaultAsync(cancellationToken);
        if (target is not null)
        {
            caller.Require(Permission.ManagePlan);
        }

        return target;
    }

    /// <summary>
    /// Reads an import file (seekable: an Excel ledger, or a notice or plan as .docx or .txt, told apart by what it
    /// holds — <see cref="IntakeSources"/>), applies the preview's <paramref name="edits"/> and holds the result against
    /// the plan of <paramref name="inspectionId"/>, writing nothing: null when the caller does not see the inspection
    /// (404); refused when they may not keep its plan (403) — both before the file is read — or when the file itself,
    /// or an edit, is refused (400). <paramref name="sheet"/> null reads a ledger's first visible sheet with a header.
    /// </summary>
    public async Task<ImportPreview?> PreviewAsync(int inspectionId, Stream file, string fileName, string? sheet, CancellationToken cancellationToken, IReadOnlyList<IntakeEdit>? edits = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (await TargetAsync(inspectionId, cancellationToken) is null)
        {
            return null;
        }

        var read = IntakeSources.Read(file, fileName, sheet);
        var draft = edits is { Count: > 0 } ? IntakeEdits.Apply(read.Draft, edits) : read.Draft;
        var comparison = await CompareAsync(inspectionId, draft, cancellationToken);
        return comparison is null ? null : new ImportPreview(fileName, read.Sheets, read.Sheet, draft, comparison) { Edits = edits ?? [] };
    }

    /// <summary>
    /// The draft against the plan of <paramref name="inspectionId"/>, reading only: null when the caller does not see the
    /// inspection (404); refused when they may not keep its plan (403).
    /// </summary>
    public async Task<ImportComparison?> CompareAsync(int inspectionId, IntakeDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var inspection = await db.VisibleInspections(caller.Scope).Where(i => i.Id == inspectionId)
            .Select(i => new { i.Id, i.Title, i.PlanState, i.InspectedOrganization.Path, Team = i.InspectingBody.Name, i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (inspection is null)
        {
            return null;
        }

        caller.Require(Permission.ManagePlan);
        var categories = await db.FindingCategories.Where(c => c.InspectionId == inspectionId).Select(c => new { c.Number, c.Title }).ToListAsync(cancellationToken);
        var findings = await db.Findings.Where(f => f.InspectionId == inspectionId).Select(f => new { f.Number, f.Title, Category = f.Category.Number }).ToListAsync(cancellationToken);
        var plan = new PlanSnapshot(
            categories.ToDictionary(c => c.Number, c => c.Title),
            findings.ToDictionary(f => f.Number, f => (f.Category, f.Title)),
            await MeasuresOfAsync(inspectionId, cancellationToken),
            await UnitNamesAsync(draft, inspection.Path, cancellationToken))
        {
            Registered = new RegisteredInspection(inspection.Team, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate, ChinaTime.Today(clock)),
        };
        return Compare(inspection.Id, inspection.Title, inspection.PlanState, plan, draft);
    }

    /// <summary>
    /// Writes the draft into the plan: null when the caller does not see the inspection (404). Refused, writing
    /// nothing, when the caller may not keep the plan, the plan is submitted, the draft has errors (its own or
    /// against the plan), the plan is in force and no reason is given, or any measure deep in the file cannot take
    /// its change.
    /// </summary>
    public async Task<IntakeCommitResult?> CommitAsync(int inspectionId, IntakeDraft draft, string? reason, string? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var inspection = await db.VisibleInspections(caller.Scope).Include(i => i.InspectedOrganization).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return null;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        BusinessRules.Check(new ARoundSummaryIsNeverImported(draft.Kind));
        BusinessRules.Check(new ADraftWithErrorsIsNotImported(draft.Errors.FirstOrDefault(), draft.Errors.Count(), draft.MeasureCount));
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var categories = await db.FindingCategories.Where(c => c.InspectionId == inspectionId).ToDictionaryAsync(c => c.Number, cancellationToken);
        var findings = await db.Findings.Where(f => f.InspectionId == inspectionId).Include(f => f.Category).ToDictionaryAsync(f => f.Number, cancellationToken);
        var plan = new PlanSnapshot(
            categories.ToDictionary(c => c.Key, c => c.Value.Title),
            findings.ToDictionary(f => f.Key, f => (f.Value.Category.Number, f.Value.Title)),
            await MeasuresOfAsync(inspectionId, cancellationToken),
            await UnitNamesAsync(draft, inspection.InspectedOrganization.Path, cancellationToken))
        {
            Registered = new RegisteredInspection(
                await db.Organizations.Where(o => o.Id == inspection.InspectingBodyId).Select(o => o.Name).SingleAsync(cancellationToken),
                inspection.OnSiteFrom,
                inspection.OnSiteTo,
                inspection.FeedbackDate,
                ChinaTime.Today(clock)),
        };
        var comparison = Compare(inspection.Id, inspection.Title, inspection.PlanState, plan, draft);
        BusinessRules.Check(new ADraftMustFitThePlan(comparison.Problems.FirstOrDefault(p => p.Severity == IntakeSeverity.Error), comparison.Problems.Count(p => p.Severity == IntakeSeverity.Error)));
        // A change to the plan in force says why; a file that changes nothing (an export imported back) needs no reason.
        if (comparison.ChangesAnything)
        {
            BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(inspection.PlanState, reason));
        }

        // Only the measures the file changes are loaded to be changed (the others are not touched).
        var changing = comparison.Measures.Where(p => p.Value.Change == ImportChange.Updated).Select(p => plan.Measures[p.Key].Id).ToList();
        var measures = changing.Count == 0 ? []
            : (await PlanService.LoadForChangeAsync(db.Measures.Where(m => m.InspectionId == inspectionId && changing.Contains(m.Id)), cancellationToken))
                .ToDictionary(m => (m.Finding.Number, m.Number));

        // The plan must still be in the state the import was checked against when it is saved (PlanState is a concurrency token).
        db.Entry(inspection).Property(i => i.PlanState).IsModified = true;

        // The dates the registration left empty, as the file states them (said in the preview): saved with the plan.
        var filled = plan.Registered!.Fill(draft.Inspection);
        if (filled is { } dates)
        {
            inspection.Describe(inspection.Title, inspection.Kind, inspection.Round, dates.OnSiteFrom, dates.OnSiteTo, dates.FeedbackDate);
        }

        foreach (var c in draft.Categories)
        {
            if (!categories.TryGetValue(c.Number, out var category))
            {
                category = new FindingCategory(inspection, c.Number, c.Title.Trim());
                db.FindingCategories.Add(category);
                categories[c.Number] = category;
            }
            else if (comparison.Categories[c.Number].Change == ImportChange.Updated)
            {
                category.Retitle(c.Title);
            }

            var keepsCategories = KeepsCategories(c, plan);
            foreach (var f in c.Findings)
            {
                if (!findings.TryGetValue(f.Number, out var finding))
                {
                    finding = new Finding(category, f.Number, f.Title.Trim());
                    db.Findings.Add(finding);
                    findings[f.Number] = finding;
                }
                else if (comparison.Findings[f.Number].Change == ImportChange.Updated)
                {
                    finding.Revise(keepsCategories ? finding.Category : category, f.Title);
                }
            }
        }

        await db.SaveOrRefuseAsync("本次巡察的整改方案刚刚已被他人修改，请重新上传文件后再导入。", cancellationToken, uniqueIndexDecides: true);

        var names = new NameCache(plans, inspection.InspectedOrganization);
        var inForce = inspection.PlanState == PlanState.InForce;
        var added = new List<string>();
        var updated = new List<string>();

        // Every name the file sets is resolved first (new people and units added and audited as the plan page adds
        // them), while no new measure hangs off a tracked finding for their saves to pick up.
        // Their saves do not look for changes in the rest of the tracker: the findings just saved are unchanged, and
        // scanning them on each of the many saves a first import's new names make cost more than all the rest of the
        // commit (docs/benchmarks.md).
        var changes = new List<(IntakeFinding F, IntakeMeasure M, Measure? Current, MeasureChange Change)>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var (f, m) in draft.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures.Select(m => (f, m))))
            {
                if (comparison.Measures[(f.Number, m.Number)].Change == ImportChange.Unchanged)
                {
                    continue;
                }

                measures.TryGetValue((f.Number, m.Number), out var current);
                try
                {
                    changes.Add((f, m, current, await ChangeOfAsync(m, current, plan.Units ?? NoUnits, names, cancellationToken)));
                }
                catch (BusinessRuleViolationException e)
                {
                    throw RowRefused(f, m, e);
                }
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }

        // Then the domain makes every change (a version with the reason once the plan is in force). A measure that
        // changes is saved through the change tracker; the new ones, thousands in a first import, are written as rows
        // (NewRowWriter) — the tracker would cost about 17 KB for each of them and their units.
        var created = new List<Measure>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var (f, m, current, change) in changes)
            {
                try
                {
                    if (current is null)
                    {
                        // A row that states no kind (nor a deadline that implies one) is 限期整改, marked 待核实.
                        var measure = findings[f.Number].AddMeasure(m.Number, m.Text.Trim(), m.Kind);
                        measure.NoteLedger(m.Standing, m.Progress);

                        // After adoption a new measure is a version of the plan, with a deadline unless it is 长期坚持.
                        if (inForce || !change.IsEmpty)
                        {
                            measure.Amend(inForce ? change with { SetsDeadline = true } : change, caller.Actor, clock, reason);
                        }

                        created.Add(measure);
                        added.Add($"{f.Number}.{m.Number}");
                    }
                    else
                    {
                        // (Only what the plan says is a version: the ledger's 状态 of a measure not started is a note.)
                        if (!change.IsEmpty)
                        {
                            current.Amend(change, caller.Actor, clock, reason);
                        }

                        current.NoteLedger(m.Standing, m.Progress);

                        db.Entry(current).DetectChanges();
                        updated.Add($"{f.Number}.{m.Number}");
                    }
                }
                catch (BusinessRuleViolationException e)
                {
                    throw RowRefused(f, m, e);
                }
            }

            await db.SaveOrRefuseAsync("本次巡察的整改方案刚刚已被他人修改，请重新上传文件后再导入。", cancellationToken, uniqueIndexDecides: true);
        }
        catch
        {
            // Nothing of a refused import stays tracked for a later save to pick up.
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }

        // The new measures hang off tracked findings; untracked now, so that no later save writes them twice.
        db.ChangeTracker.Clear();
        await WriteNewAsync(inspectionId, created, cancellationToken);

        // In a plan in force the ledger's 状态 takes effect at once (in a draft, when the plan is adopted).
        var started = inForce ? await plans.StartAsLedgersSayAsync(inspectionId, caller.Actor, cancellationToken) : 0;
        var message = Message(comparison) + (started > 0 ? $"据原台账的状态，{started} 条措施记为整改中。" : string.Empty)
            + (filled is null ? string.Empty : $"巡察信息中空缺的{filled.Named}已按文件填入。");
        var result = new IntakeCommitResult(inspectionId, comparison.CategoryCounts, comparison.FindingCounts, comparison.MeasureCounts, comparison.Untouched, message);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.LedgerImported, ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture),
                After: new
                {
                    Source = source,
                    Categories = result.Categories,
                    Findings = result.Findings,
                    Measures = result.Measures,
                    result.Untouched,
                    AddedMeasures = added.Take(AuditedNumbers).ToList(),
                    UpdatedMeasures = updated.Take(AuditedNumbers).ToList(),
                    StartedAsLedgerSays = started == 0 ? (int?)null : started,
                    FilledDates = filled,
                    Reason = reason,
                }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The plan's measures as the comparison reads them, by finding and measure number, read without tracking.</summary>
    private async Task<Dictionary<(int Finding, int Measure), MeasureSnapshot>> MeasuresOfAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var measures = await db.Measures.Where(m => m.InspectionId == inspectionId)
            .Select(m => new
            {
                m.Id,
                Finding = m.Finding.Number,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                m.State,
                Leader = m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name,
                Lead = m.LeadUnit == null ? null : m.LeadUnit.Name,
                Supporting = m.SupportingUnits.Select(s => s.Organization.Name).ToList(),
                m.LedgerStanding,
                m.LedgerProgress,
                Withdrawn = m.WithdrawnAtUtc != null,
            })
            .AsNoTracking().AsSplitQuery().ToListAsync(cancellationToken);
        return measures.ToDictionary(m => (m.Finding, m.Number), m => new MeasureSnapshot(
            m.Id, m.Text, m.Kind, m.Deadline, m.State, m.Leader, m.Lead, m.Supporting.ToHashSet(StringComparer.Ordinal), m.LedgerStanding, m.LedgerProgress, m.Withdrawn));
    }

    /// <summary>Which row could not be imported, so that the office knows what to fix; nothing was written.</summary>
    private static BusinessRuleViolationException RowRefused(IntakeFinding f, IntakeMeasure m, BusinessRuleViolationException e) =>
        BusinessRules.Refuse(new ARowThatCannotBeImported($"{Where(m.Source)}措施 {f.Number}.{m.Number}：{e.Message}（未导入任何内容）", e.Refusal));

    /// <summary>
    /// Writes the new measures, built by the domain, with their supporting units and versions, as rows in the
    /// import's transaction; a measure number taken by someone else meanwhile refuses the whole import.
    /// </summary>
    private async Task WriteNewAsync(int inspectionId, List<Measure> created, CancellationToken cancellationToken)
    {
        if (created.Count == 0)
        {
            return;
        }

        if (created.Any(m => m.Transitions.Count > 0))
        {
            throw new InvalidOperationException("A measure added by an import has no history yet.");
        }

        var rows = new NewRowWriter(db);
        try
        {
            await rows.InsertAsync(created, cancellationToken);

            // The keys the database gave, by the measure's unique (finding, number), for the rows that point to them.
            var byNumber = created.ToDictionary(m => (m.Finding.Id, m.Number));
            foreach (var saved in await db.Measures.Where(m => m.InspectionId == inspectionId).Select(m => new { m.Id, m.FindingId, m.Number }).AsNoTracking().ToListAsync(cancellationToken))
            {
                if (byNumber.TryGetValue((saved.FindingId, saved.Number), out var measure))
                {
                    rows.Keys[measure] = saved.Id;
                }
            }

            await rows.InsertAsync(created.SelectMany(m => m.SupportingUnits).ToList(), cancellationToken);
            await rows.InsertAsync(created.SelectMany(m => m.Revisions).ToList(), cancellationToken);
        }
        catch (DbUpdateException e) when (Data.DatabaseProvider.IsUniqueViolation(e))
        {
            throw BusinessRules.Refuse(new Refusals.SomeoneElseWasFirst("本次巡察的整改方案刚刚已被他人修改，请重新上传文件后再导入。"));
        }
    }

    /// <summary>The draft as it would go into a new inspection's empty plan (everything added), for a preview before the inspection is registered.</summary>
    public static ImportComparison AgainstANewPlan(IntakeDraft draft, string title)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return Compare(0, title, PlanState.Drafting, new PlanSnapshot(new Dictionary<int, string>(), new Dictionary<int, (int, string)>(), new Dictionary<(int, int), MeasureSnapshot>(), null), draft);
    }

    private static string Message(ImportComparison c)
    {
        var m = c.MeasureCounts;
        var text = $"已导入：新增措施 {m.Added} 条，更新 {m.Updated} 条，{m.Unchanged} 条未变";
        var f = c.FindingCounts;
        if (f.Added + f.Updated > 0)
        {
            text += $"；新增问题 {f.Added} 个，更新 {f.Updated} 个";
        }

        return text + "。" + (c.UntouchedNote ?? string.Empty);
    }

    private static string Where(IntakeLocation? source) => source is null ? string.Empty : source + "，";

    /// <summary>The change the file makes to a measure (all it states, for a new one): names resolved, only what differs set.</summary>
    private static async Task<MeasureChange> ChangeOfAsync(IntakeMeasure m, Measure? current, IReadOnlyDictionary<string, string> unitNames, NameCache names, CancellationToken cancellationToken)
    {
        var was = current is null ? null : MeasureSnapshot.Of(current);
        var target = Target(m, was, unitNames);
        var change = new MeasureChange
        {
            Text = was is not null && target.Text != was.Text ? target.Text : null,
            Kind = was is null ? m.Kind : target.Kind != was.Kind ? target.Kind : null,
            SetsDeadline = was is null ? m.Deadline is not null : target.Deadline != was.Deadline,
            Deadline = target.Deadline,
        };
        if (target.Leader is { } leader && (was is null || leader.Name != was.Leader))
        {
            change = change with { SetsLeader = true, Leader = await names.PersonAsync(leader.Typed, cancellationToken) };
        }

        Organization? lead = null;
        if (target.LeadUnit is { } leadName && (was is null || leadName != was.LeadUnit))
        {
            lead = (await names.UnitsAsync([leadName], cancellationToken))[0];
            change = change with { SetsLeadUnit = true, LeadUnit = lead };
        }

        if (target.Supporting is { } supporting && (was is null || !supporting.SetEquals(was.Supporting)))
        {
            var units = await names.UnitsAsync([.. supporting.Order(StringComparer.Ordinal)], cancellationToken);
            change = change with { SupportingUnits = units };
        }

        return change;
    }

    /// <summary>The draft against the plan (see <see cref="ImportComparison"/>).</summary>
    private static ImportComparison Compare(int inspectionId, string title, PlanState planState, PlanSnapshot plan, IntakeDraft draft)
    {
        var problems = new List<IntakeProblem>();
        var categories = new Dictionary<int, ImportItemChange>();
        var findings = new Dictionary<int, ImportItemChange>();
        var measures = new Dictionary<(int, int), ImportItemChange>();
        void Problem(IntakeLocation? at, string message, IntakeSeverity severity = IntakeSeverity.Error) =>
            problems.Add(new IntakeProblem(at?.Sheet, at?.Row, null, message, severity));
        var created = new HashSet<string>(StringComparer.Ordinal);
        var standings = new Dictionary<LedgerStanding, int>();
        var notes = new Dictionary<(int, int), LedgerNote>();
        IntakeLocation? standingFrom = null;

        // The units the tree has, by their full names: a measure's units are compared by full name (a 简称 in the file is
        // read as the unit of that full name), so a unit the file names by its 简称 is one the tree has, not a new one.
        var existing = plan.Units?.Values.ToHashSet(StringComparer.Ordinal);
        if (plan.Registered is { } registered && Contradictions(draft.Inspection, registered) is { Count: > 0 } contradictions)
        {
            Problem(null, $"文件所述巡察与本巡察不一致：{string.Join("；", contradictions)}。导入会按序号更新本巡察的问题和措施；如这份文件属于另一次巡察，请先登记那次巡察，再导入到那里。", IntakeSeverity.Warning);
        }

        if (plan.Registered?.Fill(draft.Inspection) is { } filled)
        {
            Problem(null, $"本巡察登记时没有填写{filled.Named}，确认导入时将按文件填入（进驻时间 {Day(filled.OnSiteFrom)} — {Day(filled.OnSiteTo)}，反馈日期 {Day(filled.FeedbackDate)}），之后可在巡察信息中修改。", IntakeSeverity.Warning);
        }

        // A text longer than the plan keeps is named here, by its row, not first at 确认导入 (PlanLimits).
        void Fits(IntakeLocation? at, string where, string what, string? value, int most)
        {
            var rule = new ATextFitsItsField(what, value?.Trim(), most);
            if (rule.IsBroken())
            {
                Problem(at, $"{where}：{rule.Message}");
            }
        }

        // A file whose numbers are shifted against the plan's (a ledger exported before 按类别顺序重新编号 or before a
        // category moved) names, under a number, what the plan holds under another: it would overwrite one problem's
        // measures with another's. The titles give it away, so such a file is refused, not applied.
        var findingByTitle = plan.Findings.GroupBy(p => p.Value.Title, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(p => p.Key), StringComparer.Ordinal);
        var categoryByTitle = plan.Categories.GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(p => p.Key), StringComparer.Ordinal);
        const string Shifted = "文件的序号与系统中的不一致，可能是重新编号或调整类别次序之前导出的台账。请先导出最新台账，在其上修改后再导入。";

        foreach (var c in draft.Categories)
        {
            Fits(c.Source, $"类别{Numeral(c.Number)}", "问题类别", c.Title, PlanLimits.CategoryTitle);
            if (plan.Categories.TryGetValue(c.Number, out var held) && held != c.Title.Trim() && categoryByTitle.TryGetValue(c.Title.Trim(), out var elsewhere) && elsewhere != c.Number)
            {
                Problem(c.Source, $"文件中类别{Numeral(c.Number)}“{Abbreviate(c.Title)}”在本次巡察中是类别{Numeral(elsewhere)}。{Shifted}");
            }

            // A file that names no category (its findings under a default one) leaves the plan's categories as they are:
            // a finding the plan has keeps its own, a new one goes under the plan's category of that number, said below.
            var keepsCategories = KeepsCategories(c, plan);
            categories[c.Number] = !plan.Categories.TryGetValue(c.Number, out var had) ? ImportItemChange.Added
                : had == c.Title.Trim() || keepsCategories ? ImportItemChange.Unchanged
                : new ImportItemChange(ImportChange.Updated, [$"类别：{had} → {c.Title.Trim()}"]);
            if (keepsCategories && had is not null && c.Findings.Count(f => !plan.Findings.ContainsKey(f.Number)) is > 0 and var filed)
            {
                Problem(c.Source, $"文件没有问题类别：已有的问题保留原来的类别，新增的 {filed} 个问题归入类别{Numeral(c.Number)}“{Abbreviate(had)}”，可在整改方案中调整。", IntakeSeverity.Warning);
            }

            foreach (var f in c.Findings)
            {
                Fits(f.Source, $"问题 {f.Number}", "问题", f.Title, PlanLimits.FindingTitle);
                if (!plan.Findings.TryGetValue(f.Number, out var was))
                {
                    findings[f.Number] = ImportItemChange.Added;
                }
                else
                {
                    var fields = new List<string>();
                    var sameTitle = was.Title == f.Title.Trim();
                    var categoryNumber = keepsCategories ? was.Category : c.Number;
                    if (was.Category != categoryNumber && !sameTitle)
                    {
                        // The number is the finding's identity; another category and another title make it another finding.
                        Problem(f.Source, $"问题序号 {f.Number} 在本次巡察中已是类别{Numeral(was.Category)}下的“{Abbreviate(was.Title)}”，文件中却是类别{Numeral(c.Number)}下的“{Abbreviate(f.Title)}”。导入按序号更新问题，请核对文件中的序号。");
                    }

                    if (!sameTitle && findingByTitle.TryGetValue(f.Title.Trim(), out var other) && other != f.Number)
                    {
                        Problem(f.Source, $"文件中问题 {f.Number}“{Abbreviate(f.Title)}”在本次巡察中是问题 {other}。{Shifted}");
                    }

                    if (!sameTitle)
                    {
                        fields.Add($"问题：{Abbreviate(was.Title)} → {Abbreviate(f.Title)}");
                    }

                    if (was.Category != categoryNumber)
                    {
                        fields.Add($"问题类别：{Numeral(was.Category)} → {Numeral(c.Number)}");
                    }

                    findings[f.Number] = fields.Count == 0 ? ImportItemChange.Unchanged : new ImportItemChange(ImportChange.Updated, fields);
                }

                foreach (var m in f.Measures)
                {
                    var number = $"措施 {f.Number}.{m.Number}";
                    plan.Measures.TryGetValue((f.Number, m.Number), out var current);
                    var target = Target(m, current, plan.Units ?? NoUnits);
                    Fits(m.Source, number, "整改措施", m.Text, PlanLimits.MeasureText);
                    Fits(m.Source, number, "原台账进展", target.Progress, Measure.MaxLedgerProgress);
                    if (target.Leader is { } typed)
                    {
                        var (name, position) = TypedPeople.Read(typed.Typed);
                        Fits(m.Source, number, "责任领导姓名", name, PlanLimits.PersonName);
                        Fits(m.Source, number, "责任领导职务", position, PlanLimits.Position);
                    }

                    var tooMany = target.Supporting is { Count: > PlanLimits.UnitsPerField };
                    if (tooMany)
                    {
                        Problem(m.Source, $"{number}：一次最多填写 {PlanLimits.UnitsPerField} 个单位（现有 {target.Supporting!.Count} 个）。");
                    }

                    foreach (var unit in (target.LeadUnit is { } l ? [l] : Array.Empty<string>()).Concat(target.Supporting ?? []))
                    {
                        var fits = new ATextFitsItsField("单位名称", unit, PlanLimits.UnitName);
                        if (fits.IsBroken())
                        {
                            Problem(m.Source, $"{number}：{fits.Message}");
                        }
                        else if (!tooMany && existing is not null && !existing.Contains(unit) && created.Add(unit))
                        {
                            // (Not for a name refused as too long or as one of too many: the error says it.)
                            var near = NearNames(unit, existing);
                            var typo = near.Count == 0 ? string.Empty : $"组织机构中有相近的{string.Join("、", near.Select(n => $"“{n}”"))}，如是笔误，请在文件中改正后重新上传。";
                            Problem(m.Source, $"{number}：将新增单位“{unit}”，组织机构中没有这个名称或简称。{typo}如果它是已有单位的简称，请先由系统管理员在组织机构中为该单位填写简称，再导入。", IntakeSeverity.Warning);
                        }
                    }

                    if (target.LeaderCount > 1)
                    {
                        Problem(m.Source, $"{number}的责任领导填写了 {target.LeaderCount} 人，以“{target.Leader!.Value.Name}”为责任领导（一条措施只有一位责任领导）。", IntakeSeverity.Warning);
                    }

                    // A position with no name after it ("区委常委") would become a person of that name: said, so the cell is mended.
                    if (target.Leader is { } typedLeader && TypedPeople.IsPositionOnly(typedLeader.Name))
                    {
                        Problem(m.Source, $"{number}的责任领导“{typedLeader.Name}”像是职务而不是姓名，将以它为责任领导；请填写姓名，如“{typedLeader.Name} 张三”或“张三（{typedLeader.Name}）”。", IntakeSeverity.Warning);
                    }

                    // A deadline before the inspection began, or years after it, is a typo of the year; one the plan already has is left alone.
                    var early = new ADeadlineIsNotBeforeTheInspection(target.Deadline, plan.Registered?.OnSiteFrom, plan.Registered?.FeedbackDate);
                    if (target.Deadline != current?.Deadline && early.IsBroken())
                    {
                        Problem(m.Source, $"{number}：{early.Message}");
                    }

                    var late = new ADeadlineIsNotYearsAfterTheInspection(target.Deadline, plan.Registered?.OnSiteFrom, plan.Registered?.FeedbackDate);
                    if (target.Deadline != current?.Deadline && late.IsBroken())
                    {
                        Problem(m.Source, $"{number}：{late.Message}");
                    }

                    // What takes effect: a standing kept (未启动 is none) and an account with words (an empty one takes back).
                    var note = new LedgerNote(Kept(target.Standing), target.Progress is { Length: > 0 } progress ? progress : null);
                    if (note.Standing is { } standing)
                    {
                        standings[standing] = standings.GetValueOrDefault(standing) + 1;
                        standingFrom ??= m.Source;
                    }

                    if (note != LedgerNote.None)
                    {
                        notes[(f.Number, m.Number)] = note;
                    }

                    if (current is null)
                    {
                        measures[(f.Number, m.Number)] = ImportItemChange.Added;
                        if (planState == PlanState.InForce && new TimeBoundMeasureNeedsADeadline(target.Kind, target.Deadline).IsBroken())
                        {
                            Problem(m.Source, $"{number}：整改方案已审定实施，新增的措施须写明整改时限（或整改类型为长期坚持、立行立改）。");
                        }

                        continue;
                    }

                    var changed = Fields(current, target);
                    measures[(f.Number, m.Number)] = changed.Count == 0 ? ImportItemChange.Unchanged : new ImportItemChange(ImportChange.Updated, changed);
                    var started = new AStartedMeasureKeepsItsWayOfReporting(current.State, current.Kind, target.Kind);
                    if (started.IsBroken())
                    {
                        Problem(m.Source, $"{number}：{started.Message}");
                    }
                }
            }
        }

        // What the ledger's 状态 does, said once: when it takes effect, and that 已完成 is not 销号.
        if (standings.Count > 0)
        {
            var counts = string.Join("、", standings.OrderBy(p => p.Key).Select(p => $"{Terms.Of(p.Key)} {p.Value} 条"));
            var when = planState == PlanState.InForce ? "确认导入时" : "整改方案审定时";
            var completed = standings.ContainsKey(LedgerStanding.Completed)
                ? "原台账已完成的，仍须由责任单位报送佐证材料、申请销号，经整改办审核、领导审批后销号，销号之前过了整改时限的仍显示为超期。"
                : string.Empty;
            Problem(standingFrom, $"按原台账的状态：{counts}。{when}，这些措施记为“整改中”（长期坚持的措施记为“长期坚持”），措施的历史中注明据原台账；"
                + completed + "其余措施从“未启动”开始。", IntakeSeverity.Warning);
        }

        var untouched = plan.Measures.Keys.Count(k => !measures.ContainsKey(k));
        return new ImportComparison(inspectionId, title, planState, categories, findings, measures, untouched, [.. problems.OrderBy(p => p.Row ?? 0)]) { LedgerNotes = notes };
    }

    /// <summary>What a measure is after the file is applied: the file's values where it states them, the plan's elsewhere.</summary>
    private static MeasureTarget Target(IntakeMeasure m, MeasureSnapshot? current, IReadOnlyDictionary<string, string> units)
    {
        // A unit by its 简称 is the unit of that full name: compared, shown and kept as such.
        string Unit(string typed) => units.GetValueOrDefault(typed, typed);
        // A date where the plan has 长期坚持, with no kind stated, makes it 限期整改: the file gives it an end.
        var kind = m.Kind ?? (current is { Kind: MeasureKind.Ongoing } && m.Deadline is not null ? MeasureKind.TimeBound : current?.Kind ?? MeasureKind.TimeBound);
        var deadline = kind == MeasureKind.Ongoing ? null : m.Deadline ?? current?.Deadline;
        // "区委常委、组织部部长 张三" is one person, 张三; "张三、李四" two, of whom the first leads (TypedPeople).
        // A cell that is word for word the name the plan already holds is that person (an export imported back, whatever
        // the name looks like to the reading of positions: a person kept under "副区长 郑晓梅" stays the same person).
        var kept = current?.Leader is { } name && PlainText.Line(m.ResponsibleLeader) == name ? name : null;
        IReadOnlyList<string> leaders = kept is not null ? [kept] : TypedPeople.Split(m.ResponsibleLeader);
        (string Typed, string Name)? leader = leaders.Count == 0 ? null : (leaders[0], kept ?? TypedPeople.Read(leaders[0]).Name);
        var lead = string.IsNullOrWhiteSpace(m.LeadUnit) ? null : Unit(m.LeadUnit.Trim());
        HashSet<string>? supporting = null;
        if (m.SupportingUnits.Count > 0)
        {
            supporting = m.SupportingUnits.Select(u => u.Trim()).Where(u => u.Length > 0).Select(Unit).ToHashSet(StringComparer.Ordinal);
            supporting.Remove(lead ?? current?.LeadUnit ?? string.Empty);
        }

        // (A withdrawn measure changes no more; a started one goes its own way.)
        var notStarted = current is null or { State: MeasureState.Planned, Withdrawn: false };
        return new MeasureTarget(m.Text.Trim(), kind, deadline, leader, leaders.Count, lead, supporting, notStarted ? m.Standing : null, notStarted ? (m.Progress is "" ? "" : PlainText.Clean(m.Progress)) : null);
    }

    /// <summary>A category the source did not name, going into a plan that has categories: the plan's are kept (see <see cref="Compare"/>).</summary>
    private static bool KeepsCategories(IntakeCategory category, PlanSnapshot plan) => category.IsImplicit && plan.Categories.Count > 0;

    /// <summary>A standing as the measure keeps it: 未启动 is none.</summary>
    private static LedgerStanding? Kept(LedgerStanding? standing) => standing == LedgerStanding.NotStarted ? null : standing;

    /// <summary>The fields a measure's target changes, in words ("整改时限：2026-12-31 → 2027-03-31").</summary>
    private static List<string> Fields(MeasureSnapshot was, MeasureTarget target)
    {
        var fields = new List<string>();
        if (target.Text != was.Text)
        {
            fields.Add("措施内容");
        }

        if (target.Kind != was.Kind)
        {
            fields.Add($"整改类型：{Terms.Of(was.Kind)} → {Terms.Of(target.Kind)}");
        }

        if (target.Deadline != was.Deadline)
        {
            fields.Add($"整改时限：{Date(was.Deadline)} → {Date(target.Deadline)}");
        }

        if (target.Leader is { } leader && leader.Name != was.Leader)
        {
            fields.Add($"责任领导：{was.Leader ?? "—"} → {leader.Name}");
        }

        if (target.LeadUnit is { } lead && lead != was.LeadUnit)
        {
            fields.Add($"牵头单位：{was.LeadUnit ?? "—"} → {lead}");
        }

        if (target.Supporting is { } supporting && !supporting.SetEquals(was.Supporting))
        {
            fields.Add($"配合单位：{Join(was.Supporting)} → {Join(supporting)}");
        }

        if (target.Standing is { } standing && Kept(standing) != was.Standing)
        {
            fields.Add($"原台账状态：{(was.Standing is { } s ? Terms.Of(s) : "—")} → {Terms.Of(standing)}");
        }

        if (target.Progress is { } progress && progress != (was.Progress ?? string.Empty))
        {
            fields.Add(was.Progress is null ? "原台账进展：新增" : progress.Length == 0 ? "原台账进展：删除" : "原台账进展：修改");
        }

        return fields;
    }

    private static string Join(IEnumerable<string> names)
    {
        var text = string.Join("、", names.Order(StringComparer.Ordinal));
        return text.Length == 0 ? "—" : text;
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    private static string Numeral(int number) => "（" + (number is >= 1 and <= 99 ? ChineseNumerals.Format(number) : number.ToString(CultureInfo.InvariantCulture)) + "）";

    private static string Abbreviate(string text)
    {
        var t = text.Trim();
        return t.Length <= 30 ? t : t[..30] + "…";
    }

    /// <summary>The plan as it stands, as the import compares a file with it.</summary>
    /// <param name="Categories">The categories' titles by number.</param>
    /// <param name="Findings">The findings' categories and titles by number.</param>
    /// <param name="Measures">The measures by their finding's number and their own.</param>
    /// <param name="Units">
    /// The names the file gives units (a full name or a 简称) that the inspected organization's tree has, to the unit's full
    /// name; null when the organization is not known yet (a new inspection's preview).
    /// </param>
    private sealed record PlanSnapshot(
        IReadOnlyDictionary<int, string> Categories,
        IReadOnlyDictionary<int, (int Category, string Title)> Findings,
        IReadOnlyDictionary<(int Finding, int Measure), MeasureSnapshot> Measures,
        IReadOnlyDictionary<string, string>? Units)
    {
        /// <summary>The inspection as registered, for a notice that describes another one; none for a new inspection's preview.</summary>
        public RegisteredInspection? Registered { get; init; }
    }

    /// <summary>What the inspection was registered with: its team and its dates; and today, which a feedback date may not pass.</summary>
    private sealed record RegisteredInspection(string Team, DateOnly? OnSiteFrom, DateOnly? OnSiteTo, DateOnly? FeedbackDate, DateOnly Today)
    {
        /// <summary>
        /// The dates the registration left empty, taken from the file's own introduction, with the ones it has: null when
        /// the file fills none, when it contradicts the registration (another team or dates: perhaps another inspection's file),
        /// or when the dates together would break the registration's rules (an on-site period ending before it starts, a
        /// feedback before the visit or after today) — then nothing is filled and the office enters them.
        /// </summary>
        public FilledDates? Fill(IntakeInspection said)
        {
            var from = OnSiteFrom ?? said.OnSiteFrom;
            var to = OnSiteTo ?? said.OnSiteTo;
            var feedback = FeedbackDate ?? said.FeedbackDate;
            if ((from, to, feedback) == (OnSiteFrom, OnSiteTo, FeedbackDate) || Contradictions(said, this).Count > 0
                || (from is { } f && to is { } t && t < f) || (from is { } v && feedback is { } d && d < v) || feedback > Today)
            {
                return null;
            }

            var named = new[] { (OnSiteFrom is null && from is not null) || (OnSiteTo is null && to is not null) ? "进驻时间" : null, FeedbackDate is null && feedback is not null ? "反馈日期" : null };
            return new FilledDates(from, to, feedback, string.Join("和", named.OfType<string>()));
        }
    }

    /// <summary>The inspection's dates after an import filled the empty ones, and which it filled (进驻时间, 反馈日期).</summary>
    private sealed record FilledDates(DateOnly? OnSiteFrom, DateOnly? OnSiteTo, DateOnly? FeedbackDate, string Named);

    /// <summary>
    /// The ways a notice's own words (its team, its on-site and feedback dates) contradict the inspection it is being
    /// imported into: a 2025 notice of 市委第五巡察组 brought into the 2026 inspection of 市委第三巡察组 would renumber the
    /// office's ledger by 序号. A team written longer or shorter (第三巡察组 for 市委第三巡察组) is the same team.
    /// </summary>
    private static List<string> Contradictions(IntakeInspection said, RegisteredInspection registered)
    {
        static string Plain(string s) => new([.. s.Where(c => !char.IsWhiteSpace(c))]);
        var found = new List<string>();
        if (said.Team is { Length: > 0 } team && Plain(team) is var t && Plain(registered.Team) is var r
            && !t.Contains(r, StringComparison.Ordinal) && !r.Contains(t, StringComparison.Ordinal))
        {
            found.Add($"巡察组为“{(team.Length <= 50 ? team : team[..50] + "…")}”（本巡察为“{registered.Team}”）");
        }

        if (said.OnSiteFrom is { } from && registered.OnSiteFrom is { } was && from != was)
        {
            found.Add($"进驻日期为 {Day(from)}（本巡察为 {Day(was)}）");
        }

        if (said.FeedbackDate is { } feedback && registered.FeedbackDate is { } given && feedback != given)
        {
            found.Add($"反馈日期为 {Day(feedback)}（本巡察为 {Day(given)}）");
        }

        return found;
    }

    /// <summary>A day as the import's messages write it; "—" when there is none.</summary>
    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    private static readonly IReadOnlyDictionary<string, string> NoUnits = new Dictionary<string, string>();

    /// <summary>
    /// The tree's unit names a typed one may be a slip of (one character wrong, missing or extra; two in a name of eight or
    /// more), at most three, nearest first: "公路建设管里股" for 公路建设管理股. The office corrects its file rather than
    /// adding a unit that the system administrator must then delete.
    /// </summary>
    internal static IReadOnlyList<string> NearNames(string typed, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(names);
        var most = typed.Length >= 8 ? 2 : typed.Length >= 3 ? 1 : 0;
        return most == 0
            ? []
            : [.. names.Where(n => Math.Abs(n.Length - typed.Length) <= most)
                .Select(n => (Name: n, Distance: EditDistance(typed, n, most)))
                .Where(x => x.Distance is > 0 && x.Distance <= most)
                .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Take(3)
                .Select(x => x.Name)];
    }

    /// <summary>The characters to change, add or remove to make one text the other (Levenshtein), or more than <paramref name="most"/> once past it.</summary>
    private static int EditDistance(string a, string b, int most)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                best = Math.Min(best, current[j]);
            }

            if (best > most)
            {
                return most + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The units the draft names, as the tree under <paramref name="inspectedPath"/> resolves them (see
    /// <see cref="PlanService.ExistingUnitsAsync"/>): only the names in the file are read, so a city's tree of thousands
    /// of units costs what the file mentions.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> UnitNamesAsync(IntakeDraft draft, string inspectedPath, CancellationToken cancellationToken)
    {
        var typed = draft.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures)
            .SelectMany(m => m.SupportingUnits.Append(m.LeadUnit ?? string.Empty))
            .Select(u => u.Trim()).Where(u => u.Length > 0);
        var units = await plans.ExistingUnitsAsync(typed, inspectedPath, cancellationToken);
        return units.ToDictionary(u => u.Key, u => u.Value.Name, StringComparer.Ordinal);
    }

    private sealed record MeasureSnapshot(int Id, string Text, MeasureKind Kind, DateOnly? Deadline, MeasureState State, string? Leader, string? LeadUnit, IReadOnlySet<string> Supporting, LedgerStanding? Standing, string? Progress, bool Withdrawn)
    {
        public static MeasureSnapshot Of(Measure m) => new(
            m.Id, m.Text, m.Kind, m.Deadline, m.State, m.ResponsibleLeader?.Name, m.LeadUnit?.Name,
            m.SupportingUnits.Select(s => s.Organization.Name).ToHashSet(StringComparer.Ordinal), m.LedgerStanding, m.LedgerProgress, m.IsWithdrawn);
    }

    /// <summary>
    /// A measure as the file would leave it; null for what the file does not state. Its 原台账状态 and 原台账进展
    /// (Standing, Progress) are the file's for a measure not started yet, and null for a started one, which goes its own way.
    /// </summary>
    private sealed record MeasureTarget(string Text, MeasureKind Kind, DateOnly? Deadline, (string Typed, string Name)? Leader, int LeaderCount, string? LeadUnit, HashSet<string>? Supporting, LedgerStanding? Standing, string? Progress);

    /// <summary>Each name resolved once per import, through the plan's own resolution (new ones added and audited there).</summary>
    private sealed class NameCache(PlanService plans, Organization inspected)
    {
        private readonly Dictionary<string, Person> people = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Organization> units = new(StringComparer.Ordinal);

        public async Task<Person> PersonAsync(string typed, CancellationToken cancellationToken)
        {
            var (name, position) = TypedPeople.Read(typed);
            // Again when a position comes with a name first met without one: the plan's resolution fills it in.
            if (!people.TryGetValue(name, out var person) || (person.Position.Length == 0 && position.Length > 0))
            {
                person = await plans.PersonAsync(typed, inspected, cancellationToken);
                people[name] = person;
            }

            return person;
        }

        public async Task<List<Organization>> UnitsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
        {
            var missing = names.Where(n => !units.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                // By the names as the file gives them (a full name or a 简称), not joined and split again.
                foreach (var (name, unit) in await plans.UnitsByNameAsync(missing, inspected, OrganizationKind.Department, cancellationToken))
                {
                    units[name] = unit;
                }
            }

            return [.. names.Select(n => units[n])];
        }
    }

    /// <summary>A file with errors is corrected first: the import is all or nothing.</summary>
    private sealed class ADraftWithErrorsIsNotImported(IntakeProblem? first, int errors, int measures) : IBusinessRule
    {
        public bool IsBroken() => first is not null || measures == 0;

        public string Message => first is null
            ? NothingToImport
            : $"文件中有 {errors} 处错误，改正后才能导入（未导入任何内容）。第一处：{Place(first)}{first.Message}";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>A round summary has figures for many units and no findings of this inspection: its figures are recorded, never imported.</summary>
    private sealed class ARoundSummaryIsNeverImported(IntakeKind kind) : IBusinessRule
    {
        public bool IsBroken() => kind == IntakeKind.RoundSummary;

        public string Message => "这是一轮巡察的综合情况通报，只有统计数字，没有本次巡察的具体问题，不能导入为问题和措施（未导入任何内容）。可以把其中的统计数字记录为本轮巡察统计。";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>The file says something the plan cannot take (a finding number already used for another finding…).</summary>
    private sealed class ADraftMustFitThePlan(IntakeProblem? first, int errors) : IBusinessRule
    {
        public bool IsBroken() => first is not null;

        public string Message => first is null ? string.Empty : $"文件有 {errors} 处问题（与现有整改方案不符，或内容超出长度），改正后才能导入（未导入任何内容）。第一处：{Place(first)}{first.Message}";
    }

    private sealed class ARowThatCannotBeImported(string message, Refusal refusal) : Refused(message, refusal);

    private static string Place(IntakeProblem p) =>
        p.Sheet is null ? (p.IsParagraph && p.Where.Length > 0 ? p.Where + "：" : string.Empty) : $"工作表“{p.Sheet}”{(p.Where.Length == 0 ? string.Empty : " " + p.Where)}：";
}
