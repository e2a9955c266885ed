using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Measures;

/// <summary>One version of the measure in the adopted plan (审定, 调整, 新增): what the plan said, and who changed it, when and why.</summary>
public sealed record MeasureRevisionView(int Number, MeasureRevisionKind Kind, DateTime AtUtc, string ActorName, string? Reason, string Text, MeasureKind MeasureKind, DateOnly? Deadline, string? Leader, string? LeadUnit, string SupportingUnits);

public sealed record MeasureTransitionView(MeasureAction Action, MeasureState FromState, MeasureState ToState, string ActorName, DateTime AtUtc, string? Reason);

public sealed record MeasureDetail(
    int Id,
    int InspectionId,
    string InspectionTitle,
    int FindingId,
    int FindingNumber,
    string FindingTitle,
    int Number,
    string Text,
    MeasureKind Kind,
    DateOnly? Deadline,
    string? Leader,
    string? LeadUnit,
    IReadOnlyList<string> SupportingUnits,
    MeasureState State,
    OverdueReason OverdueReason,
    AssumedFields Assumed,
    int Version,
    IReadOnlyList<MeasureAction> AllowedActions,
    IReadOnlyList<MeasureTransitionView> History,
    ReportingCadence Cadence,
    DateTime? LastReportAtUtc,
    DateTime? EvidenceAcceptedAtUtc)
{
    public bool Overdue => OverdueReason != OverdueReason.None;

    /// <summary>Steps the caller's roles allow now that the separated duties bar this person from (docs/rules.md): named on the page, not offered.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<MeasureAction> BarredActions { get; init; } = [];

    /// <summary>Whose measure it is (lead unit, responsible leader's account), for the page's permission questions; not part of the API's answer.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public MeasureParties Parties { get; init; } = MeasureParties.None;

    /// <summary>The measure's versions in the adopted plan, the first being the plan as adopted (none while the plan is a draft).</summary>
    public IReadOnlyList<MeasureRevisionView> Revisions { get; init; } = [];

    /// <summary>When the measure was withdrawn (撤销) from the plan; null while it stands. A withdrawn measure takes no step.</summary>
    public DateTime? WithdrawnAtUtc { get; init; }

    /// <summary>Why it was withdrawn (its last version's reason).</summary>
    public string? WithdrawalReason { get; init; }

    /// <summary>原整改时限: the deadline before the first approved extension; null when never extended (<see cref="Deadline"/> is then the original too).</summary>
    public DateOnly? OriginalDeadline { get; init; }

    /// <summary>延期次数: approved extensions.</summary>
    public int ExtensionCount { get; init; }

    /// <summary>原台账状态, when an imported ledger said where the measure stood (its start says so too); the page's, not the API's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LedgerStanding? LedgerStanding { get; init; }

    /// <summary>原台账进展, what an imported ledger said of the work (the first report starts from it); the page's, not the API's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? LedgerProgress { get; init; }

    /// <summary>The inspection's plan is adopted and in force (审定实施): before that its measures take no step, are never late and are not supervised.</summary>
    public bool PlanInForce { get; init; } = true;

    /// <summary>The measure may still move: it stands in the plan (not withdrawn) and the plan is in force.</summary>
    public bool Moves => WithdrawnAtUtc is null && PlanInForce;
}

/// <summary>One measure with its history, as the caller may see it: the page and the API read the same thing.</summary>
public static class MeasureQueries
{
    /// <summary>A withdrawn (撤销) measure is read too: its page says so, with the reason and the versions, and offers no step.</summary>
    public static async Task<MeasureDetail?> LoadAsync(RectifyDbContext db, AccessScope scope, int id, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Split: each collection (supporting units, versions, history) is read by this measure's id; in one query each
        // was a join against a subquery over every measure's rows, a scan of the whole installation (issue #12).
        var m = await db.VisibleMeasuresIncludingWithdrawn(scope).AsNoTracking().AsSplitQuery().Where(m => m.Id == id)
            .Select(m => new
            {
                m.Id,
                m.InspectionId,
                InspectionTitle = m.Inspection.Title,
                m.Inspection.PlanState,
                m.FindingId,
                FindingNumber = m.Finding.Number,
                FindingTitle = m.Finding.Title,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                Leader = m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Position == string.Empty ? m.ResponsibleLeader.Name : m.ResponsibleLeader.Name + "（" + m.ResponsibleLeader.Position + "）",
                LeadUnit = m.LeadUnit == null ? null : m.LeadUnit.Name,
                Supporting = m.SupportingUnits.OrderBy(s => s.Organization.Name).Select(s => new { s.Organization.Name, s.Organization.Path }).ToList(),
                m.State,
                m.AssumedFields,
                m.Version,
                m.EvidenceAcceptedAtUtc,
                m.SignOffApplicantId,
                m.SignOffAcceptedById,
                m.EvidenceAcceptedById,
                m.WithdrawnAtUtc,
                m.OriginalDeadline,
                m.ExtensionCount,
                m.LedgerStanding,
                m.LedgerProgress,
                Facts = new OverdueFacts(m.Kind, m.State, m.Deadline, m.Inspection.ReportingCadence, m.OngoingSinceUtc, m.LastReportAtUtc),
                LeadUnitPath = m.LeadUnit == null ? null : m.LeadUnit.Path,
                LeaderUserId = m.ResponsibleLeader == null ? null : m.ResponsibleLeader.UserId,
                Revisions = m.Revisions.OrderBy(r => r.Number)
                    .Select(r => new MeasureRevisionView(r.Number, r.Kind, r.AtUtc, r.ActorName, r.Reason, r.Text, r.MeasureKind, r.Deadline, r.ResponsibleLeaderName, r.LeadUnitName, r.SupportingUnits)).ToList(),
                History = m.Transitions.OrderBy(t => t.AtUtc).ThenBy(t => t.Id)
                    .Select(t => new MeasureTransitionView(t.Action, t.FromState, t.ToState, t.ActorName, t.AtUtc, t.Reason)).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (m is null)
        {
            return null;
        }

        // The steps the caller's roles allow now, less those the separated duties bar this person from (their own
        // application, an application they accepted, the evidence they accepted): those are named, not offered.
        var inForce = m.PlanState == PlanState.InForce;
        IReadOnlyList<MeasureAction> allowed = m.WithdrawnAtUtc is null && inForce ? MeasureWorkflow.Allowed(scope, m.State, m.Kind, m.EvidenceAcceptedAtUtc is not null, new(m.LeadUnitPath, m.LeaderUserId)) : [];
        var barred = allowed.Where(a => Measure.BarsFromStep(a, scope.UserId, m.SignOffApplicantId, m.SignOffAcceptedById, m.EvidenceAcceptedById)).ToList();
        return new MeasureDetail(
            m.Id, m.InspectionId, m.InspectionTitle, m.FindingId, m.FindingNumber, m.FindingTitle, m.Number, m.Text, m.Kind, m.Deadline,
            m.Leader, m.LeadUnit, [.. m.Supporting.Select(s => s.Name)], m.State, inForce ? Measure.OverdueReasonAt(m.Facts, today) : OverdueReason.None, m.AssumedFields, m.Version,
            [.. allowed.Except(barred)], m.History,
            m.Facts.Cadence ?? ReportingCadences.Default, m.Facts.LastReportAtUtc, m.EvidenceAcceptedAtUtc)
        {
            Parties = new MeasureParties(m.LeadUnitPath, m.LeaderUserId, [.. m.Supporting.Select(s => s.Path)]),
            BarredActions = barred,
            Revisions = m.Revisions,
            WithdrawnAtUtc = m.WithdrawnAtUtc,
            OriginalDeadline = m.OriginalDeadline,
            ExtensionCount = m.ExtensionCount,
            LedgerStanding = m.LedgerStanding,
            LedgerProgress = m.LedgerProgress,
            PlanInForce = inForce,
            WithdrawalReason = m.WithdrawnAtUtc is null ? null : m.Revisions.LastOrDefault(r => r.Kind == MeasureRevisionKind.Withdrawn)?.Reason,
        };
    }
}
