using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.HandOffs;

namespace Rectify.Features.Plans;

/// <summary>上移 or 下移: one place towards the start or the end of its parent.</summary>
public enum MoveDirection
{
    Up = 0,
    Down = 1,
}

/// <summary>What the office types about an inspection.</summary>
public sealed record InspectionInput(
    string? Title,
    InspectionKind? Kind,
    string? Round,
    string? Team,
    int? InspectedOrganizationId,
    string? ExtendedScope,
    DateOnly? OnSiteFrom,
    DateOnly? OnSiteTo,
    DateOnly? FeedbackDate)
{
    /// <summary>下延单位 to take off the inspection, by name (the units themselves stay in the tree).</summary>
    public IReadOnlyList<string> RemovedScope { get; init; } = [];
}

/// <summary>
/// What the office sets on a measure. Units and the leader are chosen from the organization's tree and people by id,
/// or typed as a new name (a new unit is added under the inspected organization, a new person there too).
/// </summary>
public sealed record MeasureInput(
    string? Text,
    MeasureKind? Kind,
    DateOnly? Deadline,
    int? LeaderId = null,
    string? NewLeader = null,
    int? LeadUnitId = null,
    string? NewLeadUnit = null,
    IReadOnlyList<int>? SupportingUnitIds = null,
    string? NewSupportingUnits = null);

/// <summary>A change to several measures at once: only what is set changes.</summary>
public sealed record BulkChange(
    int? LeaderId = null,
    string? NewLeader = null,
    int? LeadUnitId = null,
    string? NewLeadUnit = null,
    DateOnly? Deadline = null,
    MeasureKind? Kind = null)
{
    public bool IsEmpty => LeaderId is null && string.IsNullOrWhiteSpace(NewLeader) && LeadUnitId is null && string.IsNullOrWhiteSpace(NewLeadUnit) && Deadline is null && Kind is null;
}

/// <summary>
/// The office brings its own inspection in and keeps its plan: the inspection, its categories, findings and
/// measures, and the plan's life (报审 → 审定 → 实施). Every write is one transaction with its audit record; once the
/// plan is in force, each change to a measure is a version with its reason.
/// </summary>
public sealed class PlanService(RectifyDbContext db, Caller caller, AuditLog audit, HandOffNotices handOffs, TimeProvider clock)
{
    /// <summary>
    /// The organizations (党组织) an inspection can be of. The office registers its own organization's (its subtree). The
    /// inspection body registers those it oversees: the party organizations under the committee that set it up (its
    /// parent's subtree, without that committee itself; its own subtree when it has no parent).
    /// </summary>
    public IQueryable<Organization> InspectableOrganizations()
    {
        var scope = caller.Scope;
        if (NamesAsAnOffice)
        {
            return db.VisibleOrganizations(scope).Where(o => o.Kind == OrganizationKind.PartyCommittee);
        }

        var overseen = OverseenPath(scope.OrganizationPath!);
        return db.Organizations.Where(o => o.Kind == OrganizationKind.PartyCommittee && o.Path.StartsWith(overseen) && o.Path != overseen);
    }

    /// <summary>"/1/5/" → "/1/": the subtree of the committee an inspection body belongs to (its own, at the root).</summary>
    internal static string OverseenPath(string bodyPath)
    {
        ArgumentNullException.ThrowIfNull(bodyPath);
        var trimmed = bodyPath.TrimEnd('/');
        var cut = trimmed.LastIndexOf('/');
        return cut <= 0 ? bodyPath : trimmed[..(cut + 1)];
    }

    public async Task<WorkflowResult> CreateInspectionAsync(InspectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        caller.Require(Permission.RegisterInspection);

        // Every field left empty is named at once, not one a round trip.
        BusinessRules.Check(new AllRequired([("巡察名称", input.Title), ("巡察组", input.Team), ("被巡察党组织", input.InspectedOrganizationId?.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        CheckLengths(("巡察名称", input.Title, 300), ("届次轮次", input.Round, 200), ("下延单位", input.ExtendedScope, 4000));
        BusinessRules.Check(new FeedbackIsNotAhead(input.FeedbackDate, ChinaTime.Today(clock)));
        var inspected = input.InspectedOrganizationId is { } orgId ? await InspectableOrganizations().SingleOrDefaultAsync(o => o.Id == orgId, cancellationToken) : null;
        BusinessRules.Check(new AKnownChoice("被巡察党组织", inspected is not null));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (team, teamAdded) = await NamedTeamAsync(input.Team!, inspected!, cancellationToken);
        var inspection = new Inspection(input.Title!, input.Kind ?? InspectionKind.Xuncha, team, inspected!, null, null, null);
        inspection.Describe(input.Title!, input.Kind ?? InspectionKind.Xuncha, input.Round, input.OnSiteFrom, input.OnSiteTo, input.FeedbackDate);

        // The same inspection registered twice (a second click, a colleague who did it first): the same 党组织, name and
        // round, as Describe keeps them. A team named here for the first time goes with the refused transaction.
        var twin = await db.Inspections.Where(i => i.InspectedOrganizationId == inspected!.Id && i.Title == inspection.Title && i.Round == inspection.Round)
            .Select(i => (int?)i.Id).FirstOrDefaultAsync(cancellationToken);
        BusinessRules.Check(new NotRegisteredTwice(inspected!.Name, inspection.Title, inspection.Round, twin));
        db.Inspections.Add(inspection);
        var scopeAdded = new List<string>();
        foreach (var unit in await UnitsAsync(input.ExtendedScope, inspected!, OrganizationKind.Community, cancellationToken, scopeAdded))
        {
            inspection.AddScope(unit, InspectionScopeKind.Extended);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.InspectionCreated, ObjectType: "Inspection", ObjectId: Id(inspection.Id),
                After: new { inspection.Title, inspection.Kind, inspection.Round, Team = team.Name, Inspected = inspected!.Name, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate, ExtendedScope = input.ExtendedScope }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(
            (caller.May(Permission.ManagePlan)
                ? $"已登记巡察“{inspection.Title}”。请录入或导入反馈问题和整改措施。"
                : $"已登记巡察“{inspection.Title}”。被巡察党组织的整改办可以录入或导入反馈问题和整改措施。")
            + (teamAdded ? TeamAddedNote(team, inspected!) : string.Empty) + ScopeUnitsAddedNote(scopeAdded, inspected!),
            inspection.Id);
    }

    /// <summary>
    /// What the office is told of the 下延单位 it typed that the tree did not have (by name or 简称): they were added under
    /// the inspected organization, as 社区/村 党组织, and the system administrator corrects or removes one added by mistake.
    /// Empty when every one was known.
    /// </summary>
    private static string ScopeUnitsAddedNote(List<string> added, Organization inspected) =>
        added.Count == 0
            ? string.Empty
            : $"组织机构中没有的下延单位已新增在“{inspected.Name}”之下（类型：{Terms.Of(OrganizationKind.Community)}）：{string.Join("、", added)}。如果名称写错或指的是已有单位，请系统管理员在组织机构中修改或删除。";

    public async Task<WorkflowResult> DescribeAsync(int inspectionId, InspectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        CheckLengths(("巡察名称", input.Title, 300), ("届次轮次", input.Round, 200), ("下延单位", input.ExtendedScope, 4000));
        BusinessRules.Check(new FeedbackIsNotAhead(input.FeedbackDate, ChinaTime.Today(clock)));
        var team = await db.Organizations.Where(o => o.Id == inspection.InspectingBodyId).Select(o => o.Name).SingleAsync(cancellationToken);
        var before = new { inspection.Title, inspection.Kind, inspection.Round, Team = team, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate };
        var addedNote = string.Empty;
        inspection.Describe(input.Title ?? string.Empty, input.Kind ?? inspection.Kind, input.Round, input.OnSiteFrom, input.OnSiteTo, input.FeedbackDate);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // A 巡察组 typed wrongly at registration is corrected here, by the same rule as there (it decides which inspection
        // body reads the inspection, so the change is in the audit record with the other fields).
        if (!string.IsNullOrWhiteSpace(input.Team) && input.Team.Trim() != team)
        {
            // Once an inspection body's account reads the inspection (one in the team or a body above it), the office may
            // not take it away by renaming the team: the body that oversees it, or the administrator, corrects it then.
            if (!caller.Scope.IsInspectionBody)
            {
                var teamPath = await db.Organizations.Where(o => o.Id == inspection.InspectingBodyId).Select(o => o.Path).SingleAsync(cancellationToken);
                var read = (await RoleHolders.AtOrAboveAsync(db, Roles.InspectionBody, [teamPath], cancellationToken)).Count > 0;
                BusinessRules.Check(new SomethingIsChosen(!read, $"巡察机构“{team}”已有账号查看本次巡察，巡察组不能由整改办更改；如确有错误，请由该巡察机构或系统管理员更正。"));
            }

            var inspected = await db.Organizations.SingleAsync(o => o.Id == inspection.InspectedOrganizationId, cancellationToken);
            var (corrected, teamAdded) = await NamedTeamAsync(input.Team, inspected, cancellationToken);
            inspection.CorrectInspectingBody(corrected);
            team = corrected.Name;
            addedNote = teamAdded ? TeamAddedNote(corrected, inspected) : string.Empty;
        }

        if (!string.IsNullOrWhiteSpace(input.ExtendedScope))
        {
            var inspected = await db.Organizations.SingleAsync(o => o.Id == inspection.InspectedOrganizationId, cancellationToken);
            var have = await db.InspectionScopes.Where(s => s.InspectionId == inspectionId).Select(s => s.OrganizationId).ToListAsync(cancellationToken);
            var scopeAdded = new List<string>();
            foreach (var unit in await UnitsAsync(input.ExtendedScope, inspected, OrganizationKind.Community, cancellationToken, scopeAdded))
            {
                if (unit.Id == 0 || !have.Contains(unit.Id))
                {
                    inspection.AddScope(unit, InspectionScopeKind.Extended);
                }
            }

            addedNote += ScopeUnitsAddedNote(scopeAdded, inspected);
        }

        var removed = new List<string>();
        if (input.RemovedScope.Count > 0)
        {
            var names = input.RemovedScope.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Take(500).ToList();
            var rows = await db.InspectionScopes.Include(x => x.Organization)
                .Where(x => x.InspectionId == inspectionId && x.Kind == InspectionScopeKind.Extended && names.Contains(x.Organization.Name)).ToListAsync(cancellationToken);
            db.InspectionScopes.RemoveRange(rows);
            removed.AddRange(rows.Select(x => x.Organization.Name));
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.InspectionDescribed, ObjectType: "Inspection", ObjectId: Id(inspectionId), Before: before,
                After: new { inspection.Title, inspection.Kind, inspection.Round, Team = team, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate, AddedScope = input.ExtendedScope, RemovedScope = removed }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done("已保存巡察信息。" + addedNote, inspectionId);
    }

    /// <summary>
    /// Removes a registration made by mistake (a duplicate, a wrong 党组织): only while it is empty — a plan still being
    /// drafted, with no category, finding or measure, no notice or 意见建议, no 督办 and no register entry — so that
    /// nothing of a rectification is ever lost with it. Its scope and plan history go with it; the audit log keeps what it was.
    /// </summary>
    public async Task<WorkflowResult> DeleteEmptyAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // What it holds, asked in one statement (an EXISTS per table whose rows would go with it).
        var held = await db.Inspections.Where(i => i.Id == inspectionId).Select(i => new
        {
            Categories = db.FindingCategories.Any(c => c.InspectionId == inspectionId),
            Findings = db.Findings.Any(f => f.InspectionId == inspectionId),
            Measures = db.Measures.Any(m => m.InspectionId == inspectionId),
            Publications = db.Publications.Any(p => p.InspectionId == inspectionId),
            Opinions = db.PublicOpinions.Any(o => o.InspectionId == inspectionId),
            Supervision = db.SupervisionNotices.Any(n => n.InspectionId == inspectionId),
            Register = db.Institutions.Any(x => x.InspectionId == inspectionId) || db.Outcomes.Any(x => x.InspectionId == inspectionId) || db.Leads.Any(x => x.InspectionId == inspectionId),
            Figures = db.Set<Intake.RoundStatisticsRecord>().Any(x => x.InspectionId == inspectionId),
        }).SingleAsync(cancellationToken);
        var holds = new (string What, bool Any)[]
        {
            ("问题类别", held.Categories),
            ("反馈问题", held.Findings),
            ("整改措施", held.Measures),
            ("公布稿", held.Publications),
            ("意见建议", held.Opinions),
            ("督办记录", held.Supervision),
            ("台账登记", held.Register),
            ("统计数字", held.Figures),
        };
        BusinessRules.Check(new OnlyAnEmptyRegistrationIsDeleted(inspection.PlanState, [.. holds.Where(h => h.Any).Select(h => h.What)]));
        var team = await db.Organizations.Where(o => o.Id == inspection.InspectingBodyId).Select(o => o.Name).SingleAsync(cancellationToken);
        var inspected = await db.Organizations.Where(o => o.Id == inspection.InspectedOrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        db.Inspections.Remove(inspection);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.InspectionDeleted, ObjectType: "Inspection", ObjectId: Id(inspectionId),
                Before: new { inspection.Title, inspection.Kind, inspection.Round, Team = team, Inspected = inspected, inspection.OnSiteFrom, inspection.OnSiteTo, inspection.FeedbackDate }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已删除巡察登记“{inspection.Title}”。", inspectionId);
    }

    public async Task<WorkflowResult> AddCategoryAsync(int inspectionId, int? number, string? title, CancellationToken cancellationToken)
    {
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        BusinessRules.Check(new Required("问题类别", title));
        CheckLengths(("问题类别", title, PlanLimits.CategoryTitle));
        (var typedNumber, title) = WithoutLeadingNumber(title!);
        number ??= typedNumber is { } n && !await db.FindingCategories.AnyAsync(c => c.InspectionId == inspectionId && c.Number == n, cancellationToken) ? n : null;
        var next = number ?? (await db.FindingCategories.Where(c => c.InspectionId == inspectionId).MaxAsync(c => (int?)c.Number, cancellationToken) ?? 0) + 1;
        BusinessRules.Check(new APositiveNumber("类别序号", next));
        BusinessRules.Check(new NumberIsFree("问题类别", next, await db.FindingCategories.AnyAsync(c => c.InspectionId == inspectionId && c.Number == next, cancellationToken)));
        var category = new FindingCategory(inspection, next, title!.Trim());
        db.FindingCategories.Add(category);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync($"序号为 {next} 的问题类别刚刚已被他人添加，请刷新后再试。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(new AuditEvent(AuditActions.CategoryAdded, ObjectType: "Inspection", ObjectId: Id(inspectionId), After: new { Number = next, Title = category.Title }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已添加问题类别“{category.Title}”。", category.Id);
    }

    public async Task<WorkflowResult> AddFindingAsync(int inspectionId, int? categoryId, int? number, string? title, string? problemStatement, CancellationToken cancellationToken)
    {
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        var category = categoryId is { } cid ? await db.FindingCategories.SingleOrDefaultAsync(c => c.Id == cid && c.InspectionId == inspectionId, cancellationToken) : null;
        BusinessRules.Check(new AKnownChoice("问题类别", category is not null));
        BusinessRules.Check(new Required("问题", title));
        CheckLengths(("问题", title, PlanLimits.FindingTitle), ("反馈原文", problemStatement, PlanLimits.ProblemStatement));
        (var typedNumber, title) = WithoutLeadingNumber(title!);
        number ??= typedNumber is { } n && !await db.Findings.AnyAsync(f => f.InspectionId == inspectionId && f.Number == n, cancellationToken) ? n : null;
        var next = number ?? (await db.Findings.Where(f => f.InspectionId == inspectionId).MaxAsync(f => (int?)f.Number, cancellationToken) ?? 0) + 1;
        BusinessRules.Check(new APositiveNumber("问题序号", next));
        BusinessRules.Check(new NumberIsFree("问题", next, await db.Findings.AnyAsync(f => f.InspectionId == inspectionId && f.Number == next, cancellationToken)));
        var finding = new Finding(category!, next, title!.Trim(), string.IsNullOrWhiteSpace(problemStatement) ? null : problemStatement.Trim());
        db.Findings.Add(finding);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync($"序号为 {next} 的问题刚刚已被他人添加，请刷新后再试。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(new AuditEvent(AuditActions.FindingAdded, ObjectType: "Finding", ObjectId: Id(finding.Id), After: new { Number = next, finding.Title, Category = category!.Number }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已添加问题 {next}。", finding.Id);
    }

    /// <summary>A new measure of a finding; once the plan is in force it is a version of the plan, with its reason.</summary>
    public async Task<WorkflowResult> AddMeasureAsync(int findingId, MeasureInput input, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var finding = await db.Findings.Include(f => f.Inspection).ThenInclude(i => i.InspectedOrganization)
            .SingleOrDefaultAsync(f => f.Id == findingId && db.VisibleInspections(caller.Scope).Any(i => i.Id == f.InspectionId), cancellationToken);
        if (finding is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        var inspection = finding.Inspection;
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(inspection.PlanState, reason));
        BusinessRules.Check(new AMeasureSaysWhatIsDone(input.Text));
        CheckLengths(("整改措施", input.Text, PlanLimits.MeasureText), ("理由", reason, 2000));
        var next = (await db.Measures.Where(m => m.FindingId == findingId).MaxAsync(m => (int?)m.Number, cancellationToken) ?? 0) + 1;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var measure = finding.AddMeasure(next, input.Text!.Trim(), input.Kind);
        var change = await ChangeOfAsync(input, inspection.InspectedOrganization, cancellationToken);
        measure.Amend(change with { Text = null }, caller.Actor, clock, reason);

        await db.SaveOrRefuseAsync("这条问题的措施刚刚已被他人修改，请刷新后再试。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.MeasureAdded, ObjectType: "Measure", ObjectId: Id(measure.Id), After: Snapshot(measure, reason)),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已添加措施 {finding.Number}.{next}。", measure.Id);
    }

    /// <summary>Changes one measure, on the version the page showed; after adoption with a reason (a new version of the plan).</summary>
    public async Task<WorkflowResult> AmendMeasureAsync(int measureId, MeasureInput input, int? expectedVersion, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var measure = (await LoadForChangeAsync(db.VisibleMeasures(caller.Scope).Where(m => m.Id == measureId), cancellationToken)).SingleOrDefault();
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new TheMeasureIsChangedOnTheVersionShown(expectedVersion, measure.Version));
        CheckLengths(("整改措施", input.Text, PlanLimits.MeasureText), ("理由", reason, 2000));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(measure.Inspection.PlanState));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(measure.Inspection.PlanState, reason));
        var before = Snapshot(measure, null);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = await ChangeOfAsync(input, measure.Inspection.InspectedOrganization, cancellationToken);
        measure.Amend(change, caller.Actor, clock, reason);
        await db.SaveOrRefuseAsync("这条措施刚刚已被他人修改，请刷新页面后再改。", cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.MeasureAmended, ObjectType: "Measure", ObjectId: Id(measure.Id), Before: before, After: Snapshot(measure, reason)), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done("已保存措施。", measure.Id);
    }

    /// <summary>Sets the same leader, unit, deadline or kind on several measures of one inspection, in one transaction.</summary>
    public async Task<WorkflowResult> AmendManyAsync(int inspectionId, IReadOnlyList<int> measureIds, BulkChange change, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(measureIds);
        ArgumentNullException.ThrowIfNull(change);
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        BusinessRules.Check(new SomethingIsChosen(measureIds.Count > 0, "请先勾选要修改的措施。"));
        BusinessRules.Check(new SomethingIsChosen(!change.IsEmpty, "请至少选择一项要统一设置的内容（责任领导、牵头单位、整改时限或整改类型）。"));
        BusinessRules.Check(new SomethingIsChosen(measureIds.Count <= 2000, "一次最多修改 2000 条措施。"));
        CheckLengths(("理由", reason, 2000));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(inspection.PlanState, reason));
        var ids = measureIds.Distinct().ToList();
        var measures = await LoadForChangeAsync(db.Measures.Where(m => m.InspectionId == inspectionId && ids.Contains(m.Id)), cancellationToken);
        BusinessRules.Check(new SomethingIsChosen(measures.Count == ids.Count, "所选措施中有的不属于本次巡察，或已不存在，请刷新后再试。"));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inspected = await db.Organizations.SingleAsync(o => o.Id == inspection.InspectedOrganizationId, cancellationToken);
        var one = await ChangeOfAsync(
            new MeasureInput(null, change.Kind, change.Deadline, change.LeaderId, change.NewLeader, change.LeadUnitId, change.NewLeadUnit),
            inspected,
            cancellationToken);
        one = one with
        {
            SetsDeadline = change.Deadline is not null,
            SetsLeader = change.LeaderId is not null || !string.IsNullOrWhiteSpace(change.NewLeader),
            SetsLeadUnit = change.LeadUnitId is not null || !string.IsNullOrWhiteSpace(change.NewLeadUnit),
        };
        foreach (var measure in measures.OrderBy(m => m.Finding.Number).ThenBy(m => m.Number))
        {
            try
            {
                measure.Amend(one, caller.Actor, clock, reason);
            }
            catch (BusinessRuleViolationException e)
            {
                // Which measure could not take the change, so the office knows what to fix; nothing was changed.
                throw BusinessRules.Refuse(new RefusedFor($"措施 {measure.Finding.Number}.{measure.Number}：{e.Message}（未作任何修改）", e.Refusal));
            }
        }

        await db.SaveOrRefuseAsync("所选措施中有的刚刚已被他人修改，请刷新后再试。", cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.MeasuresAmended, ObjectType: "Inspection", ObjectId: Id(inspectionId),
                After: new { Measures = measures.Select(m => $"{m.Finding.Number}.{m.Number}").ToList(), change.Kind, change.Deadline, Leader = one.Leader?.Name, LeadUnit = one.LeadUnit?.Name, Reason = reason }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已修改 {measures.Count} 条措施。", inspectionId);
    }

    /// <summary>报审 (the office), 退回修改 or 审定 (the first responsible person, naming the meeting).</summary>
    public async Task<WorkflowResult> ActOnPlanAsync(int inspectionId, PlanAction? step, string? reason, string? meetingName, DateOnly? meetingDate, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        if (step is not { } action || !Enum.IsDefined(action))
        {
            // Who may move the plan at all learns that the step is unknown; anyone else that they may not.
            caller.Require(caller.May(Permission.ManagePlan) ? Permission.ManagePlan : Permission.AdoptPlan);
            throw BusinessRules.Refuse(new RefusedFor("请选择要进行的操作（报审、审定或退回修改）。", Refusal.Invalid));
        }

        caller.Require(action == PlanAction.Submit ? Permission.ManagePlan : Permission.AdoptPlan);
        CheckLengths(("理由", reason, 2000), ("审定会议", meetingName, 200));
        var before = inspection.PlanState;
        var startedAsLedgerSays = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        switch (action)
        {
            case PlanAction.Submit:
                var incomplete = await db.Measures.Where(m => m.InspectionId == inspectionId
                        && (m.LeadUnitId == null || m.ResponsibleLeaderId == null || (m.Kind != MeasureKind.Ongoing && m.Deadline == null)))
                    .OrderBy(m => m.Finding.Number).ThenBy(m => m.Number)
                    .Select(m => new { Finding = m.Finding.Number, m.Number, NoUnit = m.LeadUnitId == null, NoLeader = m.ResponsibleLeaderId == null, NoDeadline = m.Kind != MeasureKind.Ongoing && m.Deadline == null })
                    .Take(50).ToListAsync(cancellationToken);
                var count = await db.Measures.CountAsync(m => m.InspectionId == inspectionId, cancellationToken);

                // Each named with what it lacks: "1.2（缺责任领导、整改时限）".
                static string Lacking(bool unit, bool leader, bool deadline) =>
                    "（缺" + string.Join("、", new[] { (unit, "牵头单位"), (leader, "责任领导"), (deadline, "整改时限") }.Where(x => x.Item1).Select(x => x.Item2)) + "）";
                inspection.SubmitPlan(count, [.. incomplete.Select(m => $"{m.Finding}.{m.Number}{Lacking(m.NoUnit, m.NoLeader, m.NoDeadline)}")], caller.Actor, clock);
                break;
            case PlanAction.Return:
                inspection.ReturnPlan(caller.Actor, clock, reason);
                break;
            case PlanAction.Approve:
                var measures = await LoadForChangeAsync(db.Measures.Where(m => m.InspectionId == inspectionId), cancellationToken);
                inspection.ApprovePlan(meetingName, meetingDate, measures, caller.Actor, clock);

                // The measures an imported ledger said were under way or done start now, each step saying so.
                startedAsLedgerSays = measures.Count(m => m.StartAsLedgerSays(caller.Actor, clock));
                break;
            default:
                throw new InvalidOperationException($"unhandled plan action {action}");
        }

        await db.SaveOrRefuseAsync("整改方案刚刚已被他人处理，请刷新页面后再操作。", cancellationToken);
        await (action switch
        {
            PlanAction.Submit => handOffs.PlanSubmittedAsync(inspectionId, cancellationToken),
            PlanAction.Return => handOffs.PlanReturnedAsync(inspectionId, reason, cancellationToken),
            _ => handOffs.PlanAdoptedAsync(inspectionId, cancellationToken),
        });
        await audit.RecordAsync(
            new AuditEvent(AuditActions.Of(action), ObjectType: "Inspection", ObjectId: Id(inspectionId), Before: new { PlanState = before },
                After: new
                {
                    inspection.PlanState,
                    Reason = reason,
                    MeetingName = action == PlanAction.Approve ? meetingName : null,
                    MeetingDate = action == PlanAction.Approve ? meetingDate : null,
                    StartedAsLedgerSays = startedAsLedgerSays == 0 ? (int?)null : startedAsLedgerSays,
                }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(action switch
        {
            PlanAction.Submit => "整改方案已报审，请第一责任人审定。",
            PlanAction.Return => "整改方案已退回修改。",
            _ => "整改方案已审定，开始实施：各责任单位现在可以看到自己的措施。" + (startedAsLedgerSays > 0 ? $"据原台账的状态，{startedAsLedgerSays} 条措施记为整改中。" : string.Empty),
        }, inspectionId);
    }

    /// <summary>
    /// Starts the measures of a plan in force that an imported ledger said were under way or done and that nobody has
    /// started (<see cref="Measure.StartAsLedgerSays"/>), in the caller's transaction; how many it started.
    /// </summary>
    public async Task<int> StartAsLedgersSayAsync(int inspectionId, Actor actor, CancellationToken cancellationToken)
    {
        var waiting = await db.Measures
            .Where(m => m.InspectionId == inspectionId && m.LedgerStanding != null && m.State == MeasureState.Planned && m.WithdrawnAtUtc == null)
            .ToListAsync(cancellationToken);
        var started = waiting.Count(m => m.StartAsLedgerSays(actor, clock));
        if (started > 0)
        {
            await db.SaveOrRefuseAsync("本次巡察的整改方案刚刚已被他人修改，请重新上传文件后再导入。", cancellationToken);
        }

        return started;
    }

    /// <summary>
    /// Moves a category one place up or down among the inspection's categories; the categories keep the numbers they
    /// had between them, in the new order. Finding numbers run across the inspection (the feedback's own numbers) and
    /// stay; the ledger follows the categories' order first.
    /// </summary>
    public async Task<WorkflowResult> MoveCategoryAsync(int categoryId, MoveDirection? direction, CancellationToken cancellationToken)
    {
        var category = await db.FindingCategories.Include(c => c.Inspection)
            .SingleOrDefaultAsync(c => c.Id == categoryId && db.VisibleInspections(caller.Scope).Any(i => i.Id == c.InspectionId), cancellationToken);
        if (category is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ADirectionIsChosen(direction));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(category.Inspection.PlanState));
        var siblings = await db.FindingCategories.Where(c => c.InspectionId == category.InspectionId).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var numbers = siblings.Select(c => c.Number).ToList();
        var from = category.Number;
        Move(siblings, category, direction!.Value, "问题类别");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RenumberAsync(siblings, numbers, c => c.Number, (c, n) => c.Renumber(n), cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.CategoryMoved, ObjectType: "Inspection", ObjectId: Id(category.InspectionId), Before: new { Number = from, category.Title }, After: new { category.Number, category.Title }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"问题类别“{category.Title}”已移到第 {category.Number} 位。", category.InspectionId);
    }

    /// <summary>Moves a finding one place up or down within its category: it and its neighbour swap numbers.</summary>
    public async Task<WorkflowResult> MoveFindingAsync(int findingId, MoveDirection? direction, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.Include(f => f.Inspection)
            .SingleOrDefaultAsync(f => f.Id == findingId && db.VisibleInspections(caller.Scope).Any(i => i.Id == f.InspectionId), cancellationToken);
        if (finding is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ADirectionIsChosen(direction));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(finding.Inspection.PlanState));
        var siblings = await db.Findings.Where(f => f.CategoryId == finding.CategoryId).OrderBy(f => f.Number).ToListAsync(cancellationToken);
        var numbers = siblings.Select(f => f.Number).ToList();
        var from = finding.Number;
        Move(siblings, finding, direction!.Value, "问题");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RenumberAsync(siblings, numbers, f => f.Number, (f, n) => f.Renumber(n), cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.FindingMoved, ObjectType: "Finding", ObjectId: Id(finding.Id), Before: new { Number = from }, After: new { finding.Number, finding.Title }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"问题“{finding.Title}”现为第 {finding.Number} 个问题。", finding.Id);
    }

    /// <summary>
    /// Moves a measure one place up or down within its finding: it and its neighbour swap numbers. After adoption this
    /// is not a change of what the plan says (no version; the move is audited).
    /// </summary>
    public async Task<WorkflowResult> MoveMeasureAsync(int measureId, MoveDirection? direction, CancellationToken cancellationToken)
    {
        var measure = await db.VisibleMeasuresIncludingWithdrawn(caller.Scope).Include(m => m.Inspection).Include(m => m.Finding)
            .SingleOrDefaultAsync(m => m.Id == measureId, cancellationToken);
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ADirectionIsChosen(direction));
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(measure.Inspection.PlanState));
        var siblings = await db.Measures.Where(m => m.FindingId == measure.FindingId).OrderBy(m => m.Number).ToListAsync(cancellationToken);
        var numbers = siblings.Select(m => m.Number).ToList();
        var from = measure.Number;
        Move(siblings, measure, direction!.Value, "措施");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RenumberAsync(siblings, numbers, m => m.Number, (m, n) => m.Renumber(n), cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.MeasureMoved, ObjectType: "Measure", ObjectId: Id(measure.Id), Before: new { Number = $"{measure.Finding.Number}.{from}" }, After: new { Number = $"{measure.Finding.Number}.{measure.Number}" }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"措施已移为 {measure.Finding.Number}.{measure.Number}。", measure.Id);
    }

    /// <summary>
    /// Deletes a measure of a plan in draft that nothing has happened to yet; the finding's other measures close up
    /// (1, 2, 3… again). After adoption a measure is withdrawn instead (<see cref="WithdrawMeasureAsync"/>).
    /// </summary>
    public async Task<WorkflowResult> DeleteMeasureAsync(int measureId, int? expectedVersion, CancellationToken cancellationToken)
    {
        var measure = (await LoadForChangeAsync(db.VisibleMeasuresIncludingWithdrawn(caller.Scope).Where(m => m.Id == measureId), cancellationToken)).SingleOrDefault();
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);

        // Deleting or withdrawing changes nothing a stale form could overwrite: the version is checked when given.
        BusinessRules.Check(new TheMeasureIsChangedOnTheVersionShown(expectedVersion ?? measure.Version, measure.Version));
        var touched = await db.Measures.Where(m => m.Id == measureId)
            .AnyAsync(m => m.State != MeasureState.Planned || m.Transitions.Any() || db.ProgressReports.Any(r => r.MeasureId == m.Id) || db.LookBacks.Any(l => l.MeasureId == m.Id), cancellationToken);
        BusinessRules.Check(new OnlyAnUntouchedDraftMeasureIsDeleted(measure.Inspection.PlanState, touched));
        var before = Snapshot(measure, null);
        var name = $"{measure.Finding.Number}.{measure.Number}";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Measures.Remove(measure);
        await db.SaveOrRefuseAsync("这条措施刚刚已被他人修改，请刷新页面后再操作。", cancellationToken);
        var rest = await db.Measures.Where(m => m.FindingId == measure.FindingId).OrderBy(m => m.Number).ToListAsync(cancellationToken);
        await RenumberAsync(rest, [.. Enumerable.Range(1, rest.Count)], m => m.Number, (m, n) => m.Renumber(n), cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.MeasureDeleted, ObjectType: "Measure", ObjectId: Id(measureId), Before: new { Number = name, Measure = before }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已删除措施 {name}。", measure.FindingId);
    }

    /// <summary>
    /// Withdraws a measure from the plan in force (撤销), saying why: its last version records it, and it leaves every
    /// working view and figure while its page keeps its history.
    /// </summary>
    public async Task<WorkflowResult> WithdrawMeasureAsync(int measureId, int? expectedVersion, string? reason, CancellationToken cancellationToken)
    {
        var measure = (await LoadForChangeAsync(db.VisibleMeasuresIncludingWithdrawn(caller.Scope).Where(m => m.Id == measureId), cancellationToken)).SingleOrDefault();
        if (measure is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);

        // Deleting or withdrawing changes nothing a stale form could overwrite: the version is checked when given.
        BusinessRules.Check(new TheMeasureIsChangedOnTheVersionShown(expectedVersion ?? measure.Version, measure.Version));
        CheckLengths(("理由", reason, 2000));
        var before = Snapshot(measure, null);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        measure.Withdraw(caller.Actor, clock, reason);
        await db.SaveOrRefuseAsync("这条措施刚刚已被他人修改，请刷新页面后再操作。", cancellationToken);
        var recorded = measure.Revisions.MaxBy(r => r.Number)?.Reason;
        await handOffs.MeasureWithdrawnAsync(measure.Id, recorded, cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.MeasureWithdrawn, ObjectType: "Measure", ObjectId: Id(measure.Id), Before: before, After: new { Withdrawn = measure.WithdrawnAtUtc, Reason = recorded }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已撤销措施 {measure.Finding.Number}.{measure.Number}。", measure.Id);
    }

    /// <summary>
    /// Corrects a category's number and heading. Categories have no versions: once the plan is in force a reason is
    /// asked, and the audit record keeps it with the old and new values.
    /// </summary>
    public async Task<WorkflowResult> EditCategoryAsync(int categoryId, int? number, string? title, string? reason, CancellationToken cancellationToken)
    {
        var category = await db.FindingCategories.Include(c => c.Inspection)
            .SingleOrDefaultAsync(c => c.Id == categoryId && db.VisibleInspections(caller.Scope).Any(i => i.Id == c.InspectionId), cancellationToken);
        if (category is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(category.Inspection.PlanState));
        BusinessRules.Check(new Required("问题类别", title));
        CheckLengths(("问题类别", title, PlanLimits.CategoryTitle), ("理由", reason, 2000));
        title = WithoutLeadingNumber(title!).Title;
        var next = number ?? category.Number;
        BusinessRules.Check(new APositiveNumber("类别序号", next));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(category.Inspection.PlanState, reason));
        BusinessRules.Check(new NumberIsFree("问题类别", next, await db.FindingCategories.AnyAsync(c => c.InspectionId == category.InspectionId && c.Number == next && c.Id != categoryId, cancellationToken)));
        var before = new { category.Number, category.Title };
        category.Renumber(next);
        category.Retitle(title!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync($"序号为 {next} 的问题类别刚刚已被他人使用，请刷新后再试。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.CategoryEdited, ObjectType: "Inspection", ObjectId: Id(category.InspectionId), Before: before, After: new { category.Number, category.Title, Reason = Trimmed(reason) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已保存问题类别“{category.Title}”。", category.Id);
    }

    /// <summary>
    /// Corrects a finding's number, public title, internal problem statement and category (another of the same
    /// inspection). Findings have no versions: once the plan is in force a reason is asked, and the audit record keeps
    /// it with the old and new values.
    /// </summary>
    public async Task<WorkflowResult> EditFindingAsync(int findingId, int? categoryId, int? number, string? title, string? problemStatement, string? reason, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.Include(f => f.Inspection).Include(f => f.Category)
            .SingleOrDefaultAsync(f => f.Id == findingId && db.VisibleInspections(caller.Scope).Any(i => i.Id == f.InspectionId), cancellationToken);
        if (finding is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.ManagePlan);
        BusinessRules.Check(new ASubmittedPlanIsNotEdited(finding.Inspection.PlanState));
        var category = categoryId is { } cid ? await db.FindingCategories.SingleOrDefaultAsync(c => c.Id == cid && c.InspectionId == finding.InspectionId, cancellationToken) : finding.Category;
        BusinessRules.Check(new AKnownChoice("问题类别", category is not null));
        BusinessRules.Check(new Required("问题", title));
        CheckLengths(("问题", title, PlanLimits.FindingTitle), ("反馈原文", problemStatement, PlanLimits.ProblemStatement), ("理由", reason, 2000));
        title = WithoutLeadingNumber(title!).Title;
        var next = number ?? finding.Number;
        BusinessRules.Check(new APositiveNumber("问题序号", next));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(finding.Inspection.PlanState, reason));
        BusinessRules.Check(new NumberIsFree("问题", next, await db.Findings.AnyAsync(f => f.InspectionId == finding.InspectionId && f.Number == next && f.Id != findingId, cancellationToken)));
        var before = new { finding.Number, finding.Title, finding.ProblemStatement, Category = finding.Category.Number };
        finding.Renumber(next);
        finding.Revise(category!, title!);
        finding.RestateProblem(problemStatement);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveOrRefuseAsync($"序号为 {next} 的问题刚刚已被他人使用，请刷新后再试。", cancellationToken, uniqueIndexDecides: true);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.FindingEdited, ObjectType: "Finding", ObjectId: Id(finding.Id), Before: before,
                After: new { finding.Number, finding.Title, finding.ProblemStatement, Category = category!.Number, Reason = Trimmed(reason) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done($"已保存问题 {finding.Number}。", finding.Id);
    }

    /// <summary>
    /// 按类别顺序重新编号: the categories become 1, 2, 3… in their order and the findings 1, 2, 3… across the inspection
    /// in the categories' order, so that the ledger and the public notice read in sequence after a category was moved or
    /// a corrected ledger added a finding under an earlier category. Measures keep their numbers within their finding.
    /// Like any correction of the plan in force it says why; the audit record keeps every number that changed.
    /// </summary>
    public async Task<WorkflowResult> RenumberInOrderAsync(int inspectionId, string? reason, CancellationToken cancellationToken)
    {
        var inspection = await ManagedAsync(inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        BusinessRules.Check(new ASubmittedPlanIsNotEdited(inspection.PlanState));
        CheckLengths(("理由", reason, 2000));
        BusinessRules.Check(new AChangeToTheAdoptedPlanSaysWhy(inspection.PlanState, reason));
        var categories = await db.FindingCategories.Where(c => c.InspectionId == inspectionId).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var place = categories.Select((c, i) => (c.Id, i)).ToDictionary(c => c.Id, c => c.i);
        var findings = (await db.Findings.Where(f => f.InspectionId == inspectionId).ToListAsync(cancellationToken))
            .OrderBy(f => place[f.CategoryId]).ThenBy(f => f.Number).ToList();
        var categoryChanges = Changes(categories.Select(c => c.Number));
        var findingChanges = Changes(findings.Select(f => f.Number));
        BusinessRules.Check(new NumbersAreOutOfOrder(categoryChanges.Count + findingChanges.Count > 0));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RenumberAsync(categories, [.. Enumerable.Range(1, categories.Count)], c => c.Number, (c, n) => c.Renumber(n), cancellationToken);
        await RenumberAsync(findings, [.. Enumerable.Range(1, findings.Count)], f => f.Number, (f, n) => f.Renumber(n), cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.PlanRenumbered, ObjectType: "Inspection", ObjectId: Id(inspectionId),
                After: new { CategoryNumbers = categoryChanges.Count == 0 ? null : string.Join("、", categoryChanges), RenumberedFindings = findingChanges.Count == 0 ? null : string.Join("、", findingChanges), Reason = Trimmed(reason) }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var said = findingChanges.Count == 0 ? $"问题类别 {Some(categoryChanges)}" : $"问题 {Some(findingChanges)}";
        return WorkflowResult.Done($"已按类别顺序重新编号：{said}。此前导出的台账序号已不再对应，修改后导入请先导出最新台账。", inspectionId);

        static List<string> Changes(IEnumerable<int> numbers) =>
            [.. numbers.Select((n, i) => (From: n, To: i + 1)).Where(c => c.From != c.To).Select(c => $"{c.From}→{c.To}")];

        static string Some(List<string> changes) =>
            changes.Count <= 8 ? string.Join("、", changes) : $"{string.Join("、", changes.Take(8))} 等 {changes.Count} 处";
    }

    /// <summary>Swaps <paramref name="item"/> with its neighbour above or below, or refuses at the edge.</summary>
    private static void Move<T>(List<T> inOrder, T item, MoveDirection direction, string what)
    {
        var i = inOrder.IndexOf(item);
        var j = direction == MoveDirection.Up ? i - 1 : i + 1;
        BusinessRules.Check(new AnEdgeStaysPut(j < 0 || j >= inOrder.Count, direction == MoveDirection.Up ? $"这个{what}已经排在最前。" : $"这个{what}已经排在最后。"));
        (inOrder[i], inOrder[j]) = (inOrder[j], inOrder[i]);
    }

    /// <summary>
    /// Gives <paramref name="inOrder"/> the <paramref name="numbers"/> in order, inside the caller's transaction. Numbers are
    /// unique within their parent, so the rows that change first step aside to numbers no row can hold (above the
    /// largest a person may type), then take their places: two statements per row, never a clash in between.
    /// </summary>
    private async Task RenumberAsync<T>(List<T> inOrder, List<int> numbers, Func<T, int> numberOf, Action<T, int> renumber, CancellationToken cancellationToken)
    {
        var changes = inOrder.Select((item, i) => (Item: item, Number: numbers[i])).Where(c => numberOf(c.Item) != c.Number).ToList();
        if (changes.Count == 0)
        {
            return;
        }

        const string lostRace = "整改方案刚刚已被他人调整，请刷新页面后再操作。";
        foreach (var (item, number) in changes)
        {
            renumber(item, AsideOffset + number);
        }

        await db.SaveOrRefuseAsync(lostRace, cancellationToken, uniqueIndexDecides: true);
        foreach (var (item, number) in changes)
        {
            renumber(item, number);
        }

        await db.SaveOrRefuseAsync(lostRace, cancellationToken, uniqueIndexDecides: true);
    }

    /// <summary>Where a row steps aside while its parent is renumbered: above every number a person may give (<see cref="APositiveNumber"/>).</summary>
    private const int AsideOffset = 1_000_000;

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The inspection, when the caller sees it and may keep its plan (404 and 403 otherwise).</summary>
    private async Task<Inspection?> ManagedAsync(int inspectionId, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is not null)
        {
            caller.Require(Permission.ManagePlan);
        }

        return inspection;
    }

    internal static Task<List<Measure>> LoadForChangeAsync(IQueryable<Measure> measures, CancellationToken cancellationToken) =>
        measures.Include(m => m.Inspection).ThenInclude(i => i.InspectedOrganization).Include(m => m.Finding).Include(m => m.LeadUnit).Include(m => m.ResponsibleLeader)
            .Include(m => m.SupportingUnits).ThenInclude(s => s.Organization).Include(m => m.Revisions).AsSplitQuery().ToListAsync(cancellationToken);

    /// <summary>Turns what was typed into a change: chosen units and people must be in the inspected organization's tree; new names are added to it.</summary>
    private async Task<MeasureChange> ChangeOfAsync(MeasureInput input, Organization inspected, CancellationToken cancellationToken)
    {
        var tree = db.Organizations.Where(o => o.Path.StartsWith(inspected.Path));
        Person? leader = null;
        if (input.LeaderId is { } leaderId)
        {
            leader = await db.People.SingleOrDefaultAsync(p => p.Id == leaderId && tree.Any(o => o.Id == p.OrganizationId), cancellationToken);
            BusinessRules.Check(new AKnownChoice("责任领导", leader is not null));
        }
        else if (!string.IsNullOrWhiteSpace(input.NewLeader))
        {
            leader = await PersonAsync(input.NewLeader, inspected, cancellationToken);
        }

        Organization? lead = null;
        if (input.LeadUnitId is { } leadId)
        {
            lead = await tree.SingleOrDefaultAsync(o => o.Id == leadId, cancellationToken);
            BusinessRules.Check(new AKnownChoice("牵头单位", lead is not null));
        }
        else if (!string.IsNullOrWhiteSpace(input.NewLeadUnit))
        {
            // One lead unit: "党政办、财政分局" typed there would add both and lead with the first, the second linked to nothing.
            BusinessRules.Check(new SomethingIsChosen(TypedNames(input.NewLeadUnit).Count <= 1, "牵头单位只填一个；其他单位请填在配合单位中。"));
            lead = (await UnitsAsync(input.NewLeadUnit, inspected, OrganizationKind.Department, cancellationToken)).FirstOrDefault();
        }

        List<Organization>? supporting = null;
        if (input.SupportingUnitIds is not null || input.NewSupportingUnits is not null)
        {
            var ids = (input.SupportingUnitIds ?? []).Distinct().ToList();
            BusinessRules.Check(new SomethingIsChosen(ids.Count <= 200, "配合单位最多 200 个。"));
            supporting = await tree.Where(o => ids.Contains(o.Id)).ToListAsync(cancellationToken);
            BusinessRules.Check(new AKnownChoice("配合单位", supporting.Count == ids.Count));
            supporting.AddRange(await UnitsAsync(input.NewSupportingUnits, inspected, OrganizationKind.Department, cancellationToken));
            supporting = [.. supporting.DistinctBy(o => o.Id == 0 ? o.Name : o.Id.ToString(CultureInfo.InvariantCulture))];
            if (lead is not null)
            {
                supporting.RemoveAll(o => ReferenceEquals(o, lead) || (o.Id != 0 && o.Id == lead.Id));
            }
        }

        return new MeasureChange
        {
            Text = input.Text,
            Kind = input.Kind,
            SetsDeadline = true,
            Deadline = input.Deadline,
            SetsLeader = true,
            Leader = leader,
            SetsLeadUnit = true,
            LeadUnit = lead,
            SupportingUnits = supporting,
        };
    }

    /// <summary>"张三（副书记）" or "张三": the person of that name in the organization's tree, or a new one under the organization.</summary>
    internal async Task<Person> PersonAsync(string typed, Organization inspected, CancellationToken cancellationToken)
    {
        var (name, position) = TypedPeople.Read(typed);
        BusinessRules.Check(new Required("责任领导姓名", name));
        BusinessRules.Check(new SomethingIsChosen(name.Length <= PlanLimits.PersonName && position.Length <= PlanLimits.Position, $"姓名不超过 {PlanLimits.PersonName} 字，职务不超过 {PlanLimits.Position} 字。"));
        var existing = await db.People.Where(p => p.Name == name && db.Organizations.Any(o => o.Id == p.OrganizationId && o.Path.StartsWith(inspected.Path)))
            .OrderBy(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            // Kept without a position, and now typed with one: it is filled in (and audited), never replaced.
            if (existing.FillPosition(position))
            {
                // Marked, not detected: an import resolves its names with the tracker's detection off.
                db.Entry(existing).Property(p => p.Position).IsModified = true;
                await db.SaveChangesAsync(cancellationToken);
                await audit.RecordAsync(new AuditEvent(AuditActions.PersonUpdated, ObjectType: "Person", ObjectId: Id(existing.Id), After: new { existing.Name, existing.Position }), cancellationToken: cancellationToken);
            }

            return existing;
        }

        var person = new Person(name, position, inspected);
        db.People.Add(person);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.PersonCreated, ObjectType: "Person", ObjectId: Id(person.Id), After: new { person.Name, person.Position, Organization = inspected.Name }), cancellationToken: cancellationToken);
        return person;
    }

    /// <summary>The unit names typed in one field ("党政办、财政分局"), cleaned, each once, in the order typed.</summary>
    internal static List<string> TypedNames(string? typed) =>
        (PlainText.Clean(typed) ?? string.Empty).Split(TypedPeople.Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Units typed as names ("党政办、财政分局"): those of that name in the tree, the others added under the inspected organization.</summary>
    internal async Task<List<Organization>> UnitsAsync(string? typed, Organization inspected, OrganizationKind kind, CancellationToken cancellationToken, List<string>? added = null)
    {
        var names = TypedNames(typed);
        var units = await UnitsByNameAsync(names, inspected, kind, cancellationToken, added);
        return [.. names.Select(n => units[n])];
    }

    /// <summary>
    /// Each of <paramref name="names"/> as a unit of the inspected organization's tree: the one of that full name, or else
    /// of that short name (简称: a ledger writes 党政办 for 党政综合办公室, and must not make a second unit of it), the
    /// nearest the inspected organization first; a name the tree has neither way is added under the inspected organization.
    /// </summary>
    internal async Task<Dictionary<string, Organization>> UnitsByNameAsync(IReadOnlyList<string> names, Organization inspected, OrganizationKind kind, CancellationToken cancellationToken, List<string>? addedNames = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(inspected);
        BusinessRules.Check(new SomethingIsChosen(names.Count <= PlanLimits.UnitsPerField, $"一次最多填写 {PlanLimits.UnitsPerField} 个单位。"));
        BusinessRules.Check(new SomethingIsChosen(names.All(n => n.Length <= PlanLimits.UnitName), $"单位名称不超过 {PlanLimits.UnitName} 字。"));
        var found = await ExistingUnitsAsync(names, inspected.Path, cancellationToken);
        var units = new Dictionary<string, Organization>(StringComparer.Ordinal);
        var added = new List<Organization>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!found.TryGetValue(name, out var unit))
            {
                unit = new Organization(name, kind, inspected);
                db.Organizations.Add(unit);
                added.Add(unit);
            }

            units[name] = unit;
        }

        addedNames?.AddRange(added.Select(u => u.Name));
        if (added.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var unit in added)
            {
                unit.AssignPath();
                db.Entry(unit).DetectChanges();
                await audit.RecordAsync(new AuditEvent(AuditActions.OrganizationCreated, ObjectType: "Organization", ObjectId: Id(unit.Id), After: new { unit.Name, unit.Kind, unit.ParentId }), cancellationToken: cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return units;
    }

    /// <summary>
    /// What each of <paramref name="names"/> means in the tree under <paramref name="inspectedPath"/>, for the names it
    /// has: the unit of that full name, or else the unit of that 简称, the nearest the inspected organization first. The
    /// one rule for a typed unit name; the plan page and the import (its preview and its commit) both resolve through it.
    /// </summary>
    internal async Task<Dictionary<string, Organization>> ExistingUnitsAsync(IEnumerable<string> names, string inspectedPath, CancellationToken cancellationToken)
    {
        var units = new Dictionary<string, Organization>(StringComparer.Ordinal);
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var found = await db.Organizations.Where(o => (chunk.Contains(o.Name) || (o.ShortName != null && chunk.Contains(o.ShortName))) && o.Path.StartsWith(inspectedPath))
                .ToListAsync(cancellationToken);
            foreach (var name in chunk)
            {
                var unit = found.Where(o => o.Name == name).OrderBy(o => o.Path.Length).FirstOrDefault()
                    ?? found.Where(o => o.ShortName == name).OrderBy(o => o.Path.Length).FirstOrDefault();
                if (unit is not null)
                {
                    units[name] = unit;
                }
            }
        }

        return units;
    }

    /// <summary>
    /// Whether the caller registers and names teams as an office (any organization it may see; a team that oversees it) or
    /// as an inspection body (the committees it oversees; its own teams): the one role test the three of them share.
    /// </summary>
    private bool NamesAsAnOffice => caller.Scope.Roles.Contains(Roles.RectificationOffice) || !caller.Scope.IsInspectionBody;

    /// <summary>
    /// The team typed on registering or describing an inspection, as the caller's role reads it (an office's, or an
    /// inspection body's own), and whether it was added.
    /// </summary>
    private async Task<(Organization Team, bool Added)> NamedTeamAsync(string typed, Organization inspected, CancellationToken cancellationToken) =>
        NamesAsAnOffice
            ? await TeamAsync(typed, inspected, cancellationToken)
            : (await OwnTeamAsync(typed, cancellationToken), false);

    /// <summary>
    /// The inspection team an office names, by name: an existing team or inspection office of that name that oversees the
    /// inspected organization (it hangs from a party committee above it, so it could have registered the inspection
    /// itself), or else a new team beside the inspected organization. An office thus never hands its inspection to a body
    /// of another tree by typing that body's name: the team decides which inspection body reads the whole inspection.
    /// </summary>
    private async Task<(Organization Team, bool Added)> TeamAsync(string typed, Organization inspected, CancellationToken cancellationToken)
    {
        var name = typed.Trim();
        BusinessRules.Check(new SomethingIsChosen(name.Length <= 100, "巡察组名称不超过 100 字。"));
        BusinessRules.Check(new SomethingIsChosen(!HasInvisibleCharacters(name), "巡察组名称含有不可见的控制字符（如文字方向控制符），请重新输入。"));
        // By its full name or its 简称 (an office types "县委第三巡察组" for 中共某县委第三巡察组), the full name first.
        var named = await db.Organizations.Where(o => (o.Name == name || o.ShortName == name) && (o.Kind == OrganizationKind.InspectionTeam || o.Kind == OrganizationKind.InspectionOffice))
            .OrderBy(o => o.Name == name ? 0 : 1).ThenBy(o => o.Id).Take(50).ToListAsync(cancellationToken);
        if (named.Count > 0)
        {
            var above = named.SelectMany(o => Organization.AncestorIds(o.Path)).Distinct().ToList();
            var committees = await db.Organizations.Where(o => above.Contains(o.Id) && o.Kind == OrganizationKind.PartyCommittee).Select(o => o.Path).ToListAsync(cancellationToken);
            // Or the team of that name added beside the inspected organization before (where this would add it again), or
            // one that already inspects it (an earlier registration added it beside a tree's root): the same team, not a
            // second of the same name each time. Neither reaches into another tree.
            var namedIds = named.Select(o => o.Id).ToList();
            var inspectsIt = await db.Inspections.Where(i => i.InspectedOrganizationId == inspected.Id && namedIds.Contains(i.InspectingBodyId))
                .Select(i => i.InspectingBodyId).Distinct().ToListAsync(cancellationToken);
            var overseeing = named.Where(o => Oversees(o.Path, committees, inspected.Path)
                || (o.Kind == OrganizationKind.InspectionTeam && inspected.ParentId is { } beside && o.ParentId == beside)
                || inspectsIt.Contains(o.Id)).ToList();
            if (overseeing.Count > 0)
            {
                // A body that someone reads through (an inspection body's account in it or in a body above it) before one
                // nobody does: a team of the same name that an office added earlier, with no account, does not capture
                // the inspection from the real one. Among equals, the oldest.
                var watched = (await RoleHolders.AtOrAboveAsync(db, Roles.InspectionBody, overseeing.Select(o => o.Path), cancellationToken))
                    .Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
                return (overseeing.FirstOrDefault(o => RoleHolders.PathsDownTo(o.Path).Any(watched.Contains)) ?? overseeing[0], false);
            }
        }

        var parent = inspected.ParentId is { } parentId ? await db.Organizations.SingleAsync(o => o.Id == parentId, cancellationToken) : null;
        var team = new Organization(name, OrganizationKind.InspectionTeam, parent);
        db.Organizations.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        team.AssignPath();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.OrganizationCreated, ObjectType: "Organization", ObjectId: Id(team.Id), After: new { team.Name, team.Kind, team.ParentId }), cancellationToken: cancellationToken);
        return (team, true);
    }

    /// <summary>
    /// What the office is told when the team it typed was added (no team of that name oversees the inspected organization):
    /// nothing of any other tree, only what was done and what the system administrator does when the team already exists.
    /// </summary>
    private static string TeamAddedNote(Organization team, Organization inspected) =>
        $"组织机构中没有管辖“{inspected.Name}”、名称或简称为“{team.Name}”的巡察组，已新增这个巡察组。如果指的是已有的巡察组：名称写法不同的，请在“修改巡察信息”中改填它在组织机构中的名称；它不管辖“{inspected.Name}”的，请系统管理员在组织机构中把“{inspected.Name}”移到该巡察组所属的党委之下，再把巡察组改回。巡察机构的账号这样才能看到本次巡察；新增的巡察组不再使用时可由系统管理员删除。";

    /// <summary>
    /// The inspection teams and offices the caller may name on 登记巡察, for the form's suggestions: an office's, those
    /// that oversee an organization it may register (a team of the committee above it; nothing of another tree); an
    /// inspection body's, those of its own subtree. At most <see cref="PlanQueries.MaxChoices"/>, by place in the tree.
    /// </summary>
    public async Task<IReadOnlyList<string>> KnownTeamsAsync(CancellationToken cancellationToken)
    {
        var bodies = db.Organizations.Where(o => o.Kind == OrganizationKind.InspectionTeam || o.Kind == OrganizationKind.InspectionOffice);
        if (!NamesAsAnOffice)
        {
            var path = caller.Scope.OrganizationPath!;
            return await bodies.Where(o => o.Path.StartsWith(path)).OrderBy(o => o.Path).Take(PlanQueries.MaxChoices).Select(o => o.Name).ToListAsync(cancellationToken);
        }

        var inspectable = await InspectableOrganizations().OrderBy(o => o.Path).Take(PlanQueries.MaxChoices).Select(o => o.Path).ToListAsync(cancellationToken);
        var above = inspectable.SelectMany(Organization.AncestorIds).Distinct().ToList();
        var committees = await db.Organizations.Where(o => above.Contains(o.Id) && o.Kind == OrganizationKind.PartyCommittee).Select(o => o.Path).ToListAsync(cancellationToken);
        var found = new List<(string Path, string Name)>();
        foreach (var committee in committees)
        {
            found.AddRange((await bodies.Where(o => o.Path.StartsWith(committee)).OrderBy(o => o.Path).Take(PlanQueries.MaxChoices).Select(o => new { o.Path, o.Name }).ToListAsync(cancellationToken))
                .Select(o => (o.Path, o.Name)));
        }

        return found.Where(o => inspectable.Any(i => Oversees(o.Path, committees, i))).DistinctBy(o => o.Path).OrderBy(o => o.Path, StringComparer.Ordinal)
            .Select(o => o.Name).Distinct(StringComparer.Ordinal).Take(PlanQueries.MaxChoices).ToList();
    }

    /// <summary>
    /// A category's or problem's title typed with its number in front, as text copied from a Word document often is
    /// ("一、…", "（一）…", "1.…", "（1）…"): the number, and the title without it, as the import reads them. The plan, the
    /// ledger and the notice number each item themselves, so a title kept with its number would read "（一）一、…".
    /// </summary>
    internal static (int? Number, string Title) WithoutLeadingNumber(string title)
    {
        var number = Intake.LedgerValues.LeadingNumber(title.Trim(), chinese: true, out var rest);
        return (number, number is null ? title.Trim() : rest);
    }

    /// <summary>A control or format character (a bidi override, a zero-width space): a name that reads as another.</summary>
    internal static bool HasInvisibleCharacters(string name) =>
        name.Any(c => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format);

    /// <summary>
    /// Whether the inspection body at <paramref name="bodyPath"/> oversees the organization at <paramref name="inspectedPath"/>:
    /// the party committee nearest above the body (of <paramref name="committeePaths"/>) holds it; a body with no committee
    /// above it oversees what <see cref="OverseenPath"/> gives.
    /// </summary>
    internal static bool Oversees(string bodyPath, IEnumerable<string> committeePaths, string inspectedPath)
    {
        var committee = committeePaths.Where(p => p.Length < bodyPath.Length && bodyPath.StartsWith(p, StringComparison.Ordinal)).MaxBy(p => p.Length)
            ?? OverseenPath(bodyPath);
        return inspectedPath.StartsWith(committee, StringComparison.Ordinal);
    }

    /// <summary>
    /// The team an inspection body registers an inspection for: its own organization or a team or office in its subtree,
    /// by name; a new name is added as a team under the body (audited). An inspection body never names another's team.
    /// </summary>
    private async Task<Organization> OwnTeamAsync(string typed, CancellationToken cancellationToken)
    {
        var name = typed.Trim();
        BusinessRules.Check(new SomethingIsChosen(name.Length <= 100, "巡察组名称不超过 100 字。"));
        BusinessRules.Check(new SomethingIsChosen(!HasInvisibleCharacters(name), "巡察组名称含有不可见的控制字符（如文字方向控制符），请重新输入。"));
        var path = caller.Scope.OrganizationPath!;
        var own = await db.Organizations.Where(o => o.Path.StartsWith(path) && (o.Name == name || o.ShortName == name))
            .OrderBy(o => o.Name == name ? 0 : 1).ThenBy(o => o.Path.Length).FirstOrDefaultAsync(cancellationToken);
        if (own is not null)
        {
            return own;
        }

        var body = await db.Organizations.SingleAsync(o => o.Id == caller.Scope.OrganizationId, cancellationToken);
        var team = new Organization(name, OrganizationKind.InspectionTeam, body);
        db.Organizations.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        team.AssignPath();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEvent(AuditActions.OrganizationCreated, ObjectType: "Organization", ObjectId: Id(team.Id), After: new { team.Name, team.Kind, team.ParentId }), cancellationToken: cancellationToken);
        return team;
    }

    private static object Snapshot(Measure m, string? reason) => new
    {
        m.Text,
        m.Kind,
        m.Deadline,
        Leader = m.ResponsibleLeader?.Name,
        LeadUnit = m.LeadUnit?.Name,
        SupportingUnits = string.Join("、", m.SupportingUnits.Select(s => s.Organization?.Name).Order(StringComparer.Ordinal)),
        Reason = reason,
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class RefusedFor(string message, Refusal refusal) : Refused(message, refusal);

    private static void CheckLengths(params (string What, string? Value, int Most)[] fields)
    {
        foreach (var (what, value, most) in fields)
        {
            BusinessRules.Check(new ATextFitsItsField(what, value?.Trim(), most));
        }
    }

    /// <summary>The same 党组织, name and round registered again.</summary>
    private sealed class NotRegisteredTwice(string inspected, string title, string? round, int? twin) : IBusinessRule
    {
        public bool IsBroken() => twin is not null;

        public string Message => $"“{inspected}”已登记过巡察“{title}”{(round is null ? string.Empty : "（" + round + "）")}，在“巡察”列表中可以找到它。如是另一轮巡察，请填写不同的届次轮次。";
    }

    /// <summary>A registration is deleted only while nothing of a rectification hangs on it.</summary>
    private sealed class OnlyAnEmptyRegistrationIsDeleted(PlanState state, IReadOnlyList<string> holds) : IBusinessRule
    {
        public bool IsBroken() => state != PlanState.Drafting || holds.Count > 0;

        public string Message => state != PlanState.Drafting
            ? "整改方案已报审或已审定，巡察登记不能删除。"
            : $"这次巡察已有{string.Join("、", holds)}，不能删除；只有还没有任何内容的巡察登记可以删除。";
    }

    /// <summary>
    /// The feedback (反馈) comes before the rectification is registered: a date after today is a slip of the keyboard
    /// (2099 for 2025), which would then make every deadline of the import "a year before the feedback".
    /// </summary>
    private sealed class FeedbackIsNotAhead(DateOnly? feedback, DateOnly today) : IBusinessRule
    {
        public bool IsBroken() => feedback > today;

        public string Message => $"反馈日期（{feedback:yyyy-MM-dd}）不能晚于今天（{today:yyyy-MM-dd}）。尚未反馈的巡察，反馈日期可以先不填。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class Required(string what, string? value) : IBusinessRule
    {
        public bool IsBroken() => PlainText.IsBlank(value);

        public string Message => $"请填写{what}。";

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>Every required field is filled; the refusal names all that are empty ("请填写巡察名称、巡察组、被巡察党组织。").</summary>
    private sealed class AllRequired(IReadOnlyList<(string What, string? Value)> fields) : IBusinessRule
    {
        private IEnumerable<string> Missing => fields.Where(f => PlainText.IsBlank(f.Value)).Select(f => f.What);

        public bool IsBroken() => Missing.Any();

        public string Message => $"请填写{string.Join("、", Missing)}。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class AKnownChoice(string what, bool known) : IBusinessRule
    {
        public bool IsBroken() => !known;

        public string Message => $"请从列表中选择{what}（所选的不存在，或不在本单位范围内）。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class APositiveNumber(string what, int number) : IBusinessRule
    {
        public bool IsBroken() => number is < 1 or > 100000;

        public string Message => $"{what}应为 1 到 100000 之间的整数。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class NumbersAreOutOfOrder(bool outOfOrder) : IBusinessRule
    {
        public bool IsBroken() => !outOfOrder;

        public string Message => "问题类别和问题的序号已按顺序连续编号，无需重新编号。";
    }

    private sealed class NumberIsFree(string what, int number, bool taken) : IBusinessRule
    {
        public bool IsBroken() => taken;

        public string Message => $"序号为 {number} 的{what}已存在。";
    }

    private sealed class SomethingIsChosen(bool ok, string message) : IBusinessRule
    {
        public bool IsBroken() => !ok;

        public string Message => message;

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class ADirectionIsChosen(MoveDirection? direction) : IBusinessRule
    {
        public bool IsBroken() => direction is not { } d || !Enum.IsDefined(d);

        public string Message => "请选择上移或下移。";

        public Refusal Refusal => Refusal.Invalid;
    }

    private sealed class AnEdgeStaysPut(bool atEdge, string message) : IBusinessRule
    {
        public bool IsBroken() => atEdge;

        public string Message => message;
    }

    /// <summary>A change names the version it was made on (the page's hidden field, the API's <c>version</c>), so that it never overwrites one made meanwhile.</summary>
    private sealed class TheMeasureIsChangedOnTheVersionShown(int? expected, int current) : IBusinessRule
    {
        public bool IsBroken() => expected != current;

        public string Message => expected is null ? "请注明修改的是措施的第几版（version，读取措施时得到）。" : "这条措施在您打开之后已被他人修改，请刷新页面后再改。";

        public Refusal Refusal => expected is null ? Refusal.Invalid : Refusal.Conflict;
    }
}
