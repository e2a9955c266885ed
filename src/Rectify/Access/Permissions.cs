using System.Linq.Expressions;
using Rectify.Domain;

namespace Rectify.Access;

/// <summary>Every step someone takes in Rectify, of the rectification's life or of its administration; who may take which is written once, in <see cref="Permissions"/>.</summary>
public enum Permission
{
    StartMeasure,
    ApplyForSignOff,
    AcceptApplication,
    ReturnApplication,
    ApproveSignOff,
    ReopenMeasure,
    FileReport,
    ReviewReport,
    ScheduleLookBack,
    RecordLookBack,
    SetReportingCadence,
    KeepRegisters,
    KeepLeads,
    ReadLeads,
    ViewAccounts,
    ManageAccounts,
    GrantRoles,
    ResetSecondFactor,
    ManageOrganizations,
    ReadAuditLog,
    DownloadAuditCheckpoints,
    ManagePlan,
    AdoptPlan,
    RegisterInspection,
    ManagePublication,
    ApprovePublication,
    TriageOpinions,
    ReadOpinionContacts,
    ManageNotifications,
    SetDeadlinePolicy,
    RequestExtension,
    ReviewExtension,
    DecideExtension,
    Supervise,
    ReplyToSupervision,
    SetSignalRules,
    RespondToOpinion,
    FileReportOnBehalf,

    /// <summary>代为申请销号: the office applies for sign-off on the lead unit's behalf, with a basis.</summary>
    ApplyForSignOffOnBehalf,

    /// <summary>报送配合情况: a supporting unit (配合单位) hands the lead unit what it did for the measure.</summary>
    ReportSupport,
}

/// <summary>On whose measures a role may take a step (always within what the caller sees).</summary>
public enum Whose
{
    /// <summary>Any measure (or inspection) the caller sees.</summary>
    AnyVisible,

    /// <summary>Only measures whose lead unit is the caller's unit or under it (the unit reporter).</summary>
    TheirUnitLeads,

    /// <summary>Only measures whose responsible leader is the person the caller's account belongs to.</summary>
    TheyAreResponsibleFor,

    /// <summary>Only measures one of whose supporting units (配合单位) is the caller's unit or under it.</summary>
    TheirUnitSupports,
}

/// <summary>
/// The facts about a measure that decide whose it is: its lead unit's path, the account of its responsible leader and,
/// where a step asks (<see cref="Whose.TheirUnitSupports"/>), its supporting units' paths.
/// </summary>
public sealed record MeasureParties(string? LeadUnitPath, string? ResponsibleLeaderUserId = null, IReadOnlyList<string>? SupportingUnitPaths = null)
{
    public static readonly MeasureParties None = new((string?)null);
}

/// <summary>
/// The one permission table: for each step, the roles that may take it, on whose measures, and the words of the
/// refusal. Services ask <see cref="Require"/> before they act; pages ask <see cref="May"/> to show only the buttons
/// that will work. Reading is a different question, answered by <see cref="AccessQueries"/> (404 outside scope).
/// </summary>
public static class Permissions
{
    private const string Office = Access.Roles.RectificationOffice;
    private const string Unit = Access.Roles.UnitReporter;
    private const string Leader = Access.Roles.ResponsibleLeader;
    private const string First = Access.Roles.FirstResponsible;

    private sealed record Grant(string Refusal, params (string Role, Whose Whose)[] Holders)
    {
        public string[] Roles => [.. Holders.Select(h => h.Role)];
    }

    private static readonly Dictionary<Permission, Grant> Table = new()
    {
        [Permission.StartMeasure] = new(ActionRefusal(MeasureAction.Start), (Office, Whose.AnyVisible), (Unit, Whose.TheirUnitLeads)),
        [Permission.ApplyForSignOff] = new(ActionRefusal(MeasureAction.ApplyForSignOff), (Unit, Whose.TheirUnitLeads)),
        [Permission.AcceptApplication] = new(ActionRefusal(MeasureAction.AcceptApplication), (Office, Whose.AnyVisible)),

        // The second level belongs to the measure's own responsible leader, or to the organization's first responsible person.
        [Permission.ReturnApplication] = new(ActionRefusal(MeasureAction.ReturnApplication), (Office, Whose.AnyVisible), (Leader, Whose.TheyAreResponsibleFor), (First, Whose.AnyVisible)),
        [Permission.ApproveSignOff] = new("只有这条措施的责任领导或第一责任人可以审批销号。", (Leader, Whose.TheyAreResponsibleFor), (First, Whose.AnyVisible)),
        [Permission.ReopenMeasure] = new(ActionRefusal(MeasureAction.Reopen), (Office, Whose.AnyVisible)),
        [Permission.FileReport] = new("只有牵头单位的联络员可以报送这条措施的进展。", (Unit, Whose.TheirUnitLeads)),
        [Permission.ReviewReport] = new("只有整改办可以审核进展报送。", (Office, Whose.AnyVisible)),
        [Permission.ScheduleLookBack] = new("只有整改办可以安排回头看。", (Office, Whose.AnyVisible)),
        [Permission.RecordLookBack] = new("只有整改办可以记录回头看结果。", (Office, Whose.AnyVisible)),
        [Permission.SetReportingCadence] = new("只有整改办可以设置报送周期。", (Office, Whose.AnyVisible)),
        [Permission.KeepRegisters] = new("您的角色不能登记、更正或撤销这一项。", (Office, Whose.AnyVisible)),
        [Permission.KeepLeads] = new("您的角色不能登记、更正或撤销这一项。", (Access.Roles.DisciplineOfficer, Whose.AnyVisible)),
        [Permission.ReadLeads] = new("您的角色不能查看问题线索。", (Access.Roles.DisciplineOfficer, Whose.AnyVisible)),
        [Permission.ViewAccounts] = new("只有系统管理员和安全管理员可以查看用户。", (Access.Roles.SystemAdministrator, Whose.AnyVisible), (Access.Roles.SecurityAdministrator, Whose.AnyVisible)),
        [Permission.ManageAccounts] = new("只有系统管理员可以管理用户账号。", (Access.Roles.SystemAdministrator, Whose.AnyVisible)),
        [Permission.GrantRoles] = new("只有安全管理员可以授予角色。", (Access.Roles.SecurityAdministrator, Whose.AnyVisible)),

        // 三员: the second factor is the security administrator's, the password (by one-time link) the system administrator's — neither alone becomes the user.
        [Permission.ResetSecondFactor] = new("只有安全管理员可以重置第二因素。", (Access.Roles.SecurityAdministrator, Whose.AnyVisible)),
        [Permission.ManageOrganizations] = new("只有系统管理员可以维护组织机构。", (Access.Roles.SystemAdministrator, Whose.AnyVisible)),
        [Permission.ReadAuditLog] = new("只有审计管理员可以查看审计日志。", (Access.Roles.AuditAdministrator, Whose.AnyVisible)),
        [Permission.DownloadAuditCheckpoints] = new("只有审计管理员可以下载审计检查点。", (Access.Roles.AuditAdministrator, Whose.AnyVisible)),

        // The office keeps the inspection and drafts the plan; the first responsible person adopts it (审定) or returns it.
        [Permission.ManagePlan] = new("只有整改办可以编制和调整整改方案。", (Office, Whose.AnyVisible)),
        [Permission.AdoptPlan] = new("只有第一责任人可以审定或退回整改方案。", (First, Whose.AnyVisible)),

        // The office registers an inspection of its own organization; the inspection body one it carried out (PlanService.InspectableOrganizations).
        [Permission.RegisterInspection] = new("只有整改办或巡察机构可以登记巡察。", (Office, Whose.AnyVisible), (Access.Roles.InspectionBody, Whose.AnyVisible)),

        // The public notice: the office drafts, submits and corrects it; the first responsible person approves it (审定)
        // and the replies published under it. Only the office triages opinions and reads their senders' contacts.
        [Permission.ManagePublication] = new("只有整改办可以编写、送审和更正整改进展公布稿。", (Office, Whose.AnyVisible)),
        [Permission.ApprovePublication] = new("只有第一责任人可以审定公布稿或同意公开答复。", (First, Whose.AnyVisible)),
        [Permission.TriageOpinions] = new("只有整改办可以交办、答复和办结意见建议。", (Office, Whose.AnyVisible)),
        [Permission.ReadOpinionContacts] = new("只有整改办可以查看意见建议人的联系方式。", (Office, Whose.AnyVisible)),
        // The system administrator keeps the channels running: sees their settings (never a secret) and re-sends dead letters.
        [Permission.ManageNotifications] = new("只有系统管理员可以查看通知渠道和重新发送失败的通知。", (Access.Roles.SystemAdministrator, Whose.AnyVisible)),
        // 督办: time is asked for by the lead unit, reviewed by the office, granted by the measure's own leader (or the first responsible person).
        [Permission.SetDeadlinePolicy] = new("只有整改办可以设置整改时限政策。", (Office, Whose.AnyVisible)),
        [Permission.RequestExtension] = new("只有牵头单位的联络员可以为这条措施申请延期。", (Unit, Whose.TheirUnitLeads)),
        [Permission.ReviewExtension] = new("只有整改办可以审核延期申请。", (Office, Whose.AnyVisible)),
        [Permission.DecideExtension] = new("只有这条措施的责任领导或第一责任人可以审批延期申请。", (Leader, Whose.TheyAreResponsibleFor), (First, Whose.AnyVisible)),

        // The ladder (督办 · 约谈 · 通报 · 问责): the office, or the inspection body for the inspections it oversees; the unit replies to a 督办单.
        [Permission.Supervise] = new("只有整改办或巡察机构可以督办、约谈、通报和问责。", (Office, Whose.AnyVisible), (Access.Roles.InspectionBody, Whose.AnyVisible)),
        [Permission.ReplyToSupervision] = new("只有被督办单位的联络员可以回复督办单。", (Unit, Whose.TheirUnitLeads)),

        // An opinion the office handed to a unit (交办): that unit's reporter says what was done (办理情况); the office replies to the public.
        [Permission.RespondToOpinion] = new("只有承办单位的联络员可以报送意见建议的办理情况。", (Unit, Whose.TheirUnitLeads)),

        // 代报: the office files a unit's progress from what the unit handed in outside the system (a unit without an
        // account, or whose reporter is away); reviewed like any report, by someone else in the office.
        [Permission.FileReportOnBehalf] = new("只有整改办可以代报进展。", (Office, Whose.AnyVisible)),
        [Permission.ApplyForSignOffOnBehalf] = new("只有整改办可以代为申请销号。", (Office, Whose.AnyVisible)),

        // 配合情况: the supporting unit's reporter hands the lead unit its part; nobody reviews it, the lead unit reports on it.
        [Permission.ReportSupport] = new("只有这条措施配合单位的联络员可以报送配合情况。", (Unit, Whose.TheirUnitSupports)),

        // 红黄绿规则: what counts as red, yellow and green for one inspection — the office, or the inspection body for the inspections it oversees.
        [Permission.SetSignalRules] = new("只有整改办或巡察机构可以设置红黄绿规则。", (Office, Whose.AnyVisible), (Access.Roles.InspectionBody, Whose.AnyVisible)),
    };

    /// <summary>The step that takes a measure action.</summary>
    public static Permission Of(MeasureAction action) => action switch
    {
        MeasureAction.Start => Permission.StartMeasure,
        MeasureAction.ApplyForSignOff => Permission.ApplyForSignOff,
        MeasureAction.AcceptApplication => Permission.AcceptApplication,
        MeasureAction.ReturnApplication => Permission.ReturnApplication,
        MeasureAction.Approve => Permission.ApproveSignOff,
        MeasureAction.Reopen => Permission.ReopenMeasure,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>The roles that may take <paramref name="step"/> (for documentation and the matrix test).</summary>
    public static IReadOnlyList<string> RolesFor(Permission step) => Table[step].Roles;

    /// <summary>Whether the caller holds a role that takes <paramref name="step"/> at all (on some measure: a unit reporter only on its own unit's).</summary>
    public static bool HoldsRoleFor(AccessScope scope, Permission step)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Table[step].Roles.Any(scope.Roles.Contains);
    }

    /// <summary>One authorization policy per permission, named after it, for pages that belong to one ([Authorize(Policy = nameof(Permission.ReadAuditLog))]).</summary>
    public static void AddPermissionPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (step, grant) in Table)
        {
            builder.AddPolicy(step.ToString(), p => p.RequireRole(grant.Roles));
        }
    }

    /// <summary>Whether the caller may take <paramref name="step"/> on a measure with these parties (or on an inspection, with none).</summary>
    public static bool May(AccessScope scope, Permission step, MeasureParties? measure = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Table[step].Holders.Any(h => scope.Roles.Contains(h.Role) && Covers(scope, h.Whose, measure ?? MeasureParties.None));
    }

    /// <summary>Refuses (403, with the step's own words) unless the caller may take the step.</summary>
    public static void Require(AccessScope scope, Permission step, MeasureParties? measure = null)
    {
        if (!May(scope, step, measure))
        {
            throw BusinessRules.Refuse(new NotPermitted(Table[step].Refusal));
        }
    }

    /// <summary>
    /// The measures among <paramref name="measures"/> (already what the caller sees) on which the caller may take one of
    /// <paramref name="steps"/>: the table's <see cref="Whose"/> as a query, the twin of <see cref="May"/> for lists
    /// (待办's "mine"), so that the rule is stated once. None when the caller holds no role for any of them.
    /// </summary>
    public static IQueryable<Measure> Actionable(IQueryable<Measure> measures, AccessScope scope, params Permission[] steps)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(steps);
        var whose = steps.SelectMany(step => Table[step].Holders).Where(h => scope.Roles.Contains(h.Role)).Select(h => h.Whose).ToHashSet();
        if (whose.Contains(Whose.AnyVisible))
        {
            return measures;
        }

        var path = scope.OrganizationPath;
        var leader = scope.UserId is { Length: > 0 } id ? id : null;
        var parts = new List<Expression<Func<Measure, bool>>>();
        if (whose.Contains(Whose.TheirUnitLeads) && path is not null)
        {
            parts.Add(m => m.LeadUnit != null && m.LeadUnit.Path.StartsWith(path));
        }

        if (whose.Contains(Whose.TheirUnitSupports) && path is not null)
        {
            // A query (EF Core translates StartsWith to a prefix match on the path, AccessQueries), never run in memory.
#pragma warning disable CA1310
            parts.Add(m => m.SupportingUnits.Any(s => s.Organization.Path.StartsWith(path)));
#pragma warning restore CA1310
        }

        if (whose.Contains(Whose.TheyAreResponsibleFor) && leader is not null)
        {
            parts.Add(m => m.ResponsibleLeader != null && m.ResponsibleLeader.UserId == leader);
        }

        if (parts.Count == 0)
        {
            return measures.Where(_ => false);
        }

        // One predicate, the parts joined by OR over one parameter (a query the database runs as one WHERE).
        var m = parts[0].Parameters[0];
        var body = parts.Skip(1).Aggregate(parts[0].Body, (joined, part) =>
            Expression.OrElse(joined, new ParameterSwap(part.Parameters[0], m).Visit(part.Body)));
        return measures.Where(Expression.Lambda<Func<Measure, bool>>(body, m));
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private static bool Covers(AccessScope scope, Whose whose, MeasureParties measure) => whose switch
    {
        Whose.TheirUnitLeads => UnitIsCallers(scope, measure.LeadUnitPath),
        Whose.TheyAreResponsibleFor => measure.ResponsibleLeaderUserId is { Length: > 0 } leader && string.Equals(leader, scope.UserId, StringComparison.Ordinal),
        Whose.TheirUnitSupports => measure.SupportingUnitPaths?.Any(p => UnitIsCallers(scope, p)) == true,
        _ => true,
    };

    /// <summary>
    /// Whether a unit is in the caller's organization subtree: one a unit reporter speaks for (as the lead unit of its
    /// own measures, or as a supporting unit). <see cref="UnitsOfCaller"/> is its query twin.
    /// </summary>
    public static bool UnitIsCallers(AccessScope scope, string? unitPath) =>
        scope?.OrganizationPath is { } path && unitPath is not null && unitPath.StartsWith(path, StringComparison.Ordinal);

    /// <summary>
    /// The units among <paramref name="organizations"/> the caller speaks for (their organization and those under it), as a
    /// query: the twin of <see cref="UnitIsCallers"/>. None for a caller without an organization.
    /// </summary>
    public static IQueryable<Organization> UnitsOfCaller(IQueryable<Organization> organizations, AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        ArgumentNullException.ThrowIfNull(scope);
        return scope.OrganizationPath is { } path ? organizations.Where(o => o.Path.StartsWith(path)) : organizations.Where(_ => false);
    }

    private static string ActionRefusal(MeasureAction action) => $"您的角色不能对这条措施进行“{Terms.Of(action)}”。";

    private sealed class NotPermitted(string message) : Refused(message, Domain.Refusal.NotPermitted);
}
