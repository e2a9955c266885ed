using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Plans;

/// <summary>
/// The 整改方案 of one inspection: the inspection's facts, its categories → findings → measures with kind, deadline,
/// leader and units, bulk setting, and the plan's life (报审 → 审定 → 实施). The rules are <see cref="PlanService"/>'s,
/// shared with the API; a refusal comes back here beside the form it came from, with what was typed.
/// </summary>
public sealed class PlanModel(RectifyDbContext db, Caller caller, PlanService plans, PolicyDeadlineService policyDeadlines) : PageModel, IShowsRefusals
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public PlanView? Plan { get; private set; }

    /// <summary>How many measures adoption starts as the imported ledger says (shown beside 审定).</summary>
    public int StartingAsLedgerSays => Plan?.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).Count(m => m.LedgerStanding is not null && !m.Withdrawn) ?? 0;

    /// <summary>The plan's lead units that have no reporter account, for the office (none for others).</summary>
    public IReadOnlyList<PlanUnit> UnitsWithoutReporter { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>The part of the page a done form landed at (an element's id), where its news is shown.</summary>
    public string? MessageAt { get; private set; }

    public string? Error { get; private set; }

    /// <summary>
    /// Which form a refusal belongs to ("describe", "category", "finding", "measure-{findingId}", "bulk", "plan", "move",
    /// "category-{id}" and "finding-{id}" (their edit forms), "withdraw-{measureId}", "renumber").
    /// </summary>
    public string? ErrorFor { get; private set; }

    public bool CanManage => caller.May(Permission.ManagePlan);

    public bool CanAdopt => caller.May(Permission.AdoptPlan);

    /// <summary>What was typed into the form that was refused, by field name, to show it again.</summary>
    public Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<int> Selected { get; private set; } = new HashSet<int>();

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        MessageAt = this.TakeMessageAt();
        return ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostDescribeAsync(string? title, InspectionKind? kind, string? round, string? team, DateOnly? onSiteFrom, DateOnly? onSiteTo, DateOnly? feedbackDate, string? extendedScope, string[]? removeScope, CancellationToken cancellationToken)
    {
        Keep("describe", ("title", title), ("round", round), ("team", team), ("extendedScope", extendedScope), ("onSiteFrom", Date(nameof(onSiteFrom), onSiteFrom)), ("onSiteTo", Date(nameof(onSiteTo), onSiteTo)), ("feedbackDate", Date(nameof(feedbackDate), feedbackDate)));
        return this.Done(await plans.DescribeAsync(Id, new InspectionInput(title, kind, round, team, null, extendedScope, onSiteFrom, onSiteTo, feedbackDate) { RemovedScope = removeScope ?? [] }, cancellationToken), "#inspection");
    }

    public async Task<IActionResult> OnPostDeleteRegistrationAsync(CancellationToken cancellationToken)
    {
        Keep("delete-registration");
        var result = await plans.DeleteEmptyAsync(Id, cancellationToken);
        return result.Found ? this.DoneAt(result.Message, "/#news") : NotFound();
    }

    public async Task<IActionResult> OnPostCategoryAsync(int? number, string? title, CancellationToken cancellationToken)
    {
        Keep("category", ("categoryNumber", number?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("categoryTitle", title));
        return this.Done(await plans.AddCategoryAsync(Id, number, title, cancellationToken), "#categories");
    }

    public async Task<IActionResult> OnPostFindingAsync(int? categoryId, int? number, string? title, string? problemStatement, CancellationToken cancellationToken)
    {
        Keep("finding", ("findingCategory", categoryId?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("findingNumber", number?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("findingTitle", title), ("problemStatement", problemStatement));
        return this.Done(await plans.AddFindingAsync(Id, categoryId, number, title, problemStatement, cancellationToken), "#categories");
    }

    public async Task<IActionResult> OnPostMeasureAsync(int findingId, string? text, MeasureKind? kind, DateOnly? deadline, int? leaderId, string? newLeader, int? leadUnitId, string? newLeadUnit, List<int>? supportingUnitIds, string? newSupportingUnits, string? reason, CancellationToken cancellationToken)
    {
        Keep($"measure-{findingId}", ("text", text), ("kind", kind?.ToString()), ("deadline", Date(nameof(deadline), deadline)), ("leaderId", leaderId?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("newLeader", newLeader),
            ("leadUnitId", leadUnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("newLeadUnit", newLeadUnit), ("newSupportingUnits", newSupportingUnits), ("reason", reason));
        if (!await HereAsync("finding", findingId, cancellationToken))
        {
            return NotFound();
        }

        var input = new MeasureInput(text, kind, deadline, leaderId, newLeader, leadUnitId, newLeadUnit, supportingUnitIds ?? [], newSupportingUnits);
        return this.Done(await plans.AddMeasureAsync(findingId, input, reason, cancellationToken), $"#finding-{findingId}");
    }

    public async Task<IActionResult> OnPostBulkAsync(List<int>? measureIds, int? leaderId, string? newLeader, int? leadUnitId, string? newLeadUnit, DateOnly? deadline, MeasureKind? kind, string? reason, CancellationToken cancellationToken)
    {
        Keep("bulk", ("bulkLeaderId", leaderId?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("bulkNewLeader", newLeader), ("bulkLeadUnitId", leadUnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("bulkNewLeadUnit", newLeadUnit), ("bulkDeadline", Date(nameof(deadline), deadline)), ("bulkKind", kind?.ToString()), ("bulkReason", reason));
        Selected = (measureIds ?? []).ToHashSet();
        return this.Done(await plans.AmendManyAsync(Id, measureIds ?? [], new BulkChange(leaderId, newLeader, leadUnitId, newLeadUnit, deadline, kind), reason, cancellationToken), "#measures");
    }

    /// <summary>上移 / 下移 a category ("category"), a finding within its category ("finding") or a measure within its finding ("measure").</summary>
    /// <summary>Fills the deadlines the plan lacks from the inspection's 整改时限政策.</summary>
    public async Task<IActionResult> OnPostPolicyDeadlinesAsync(string? reason, CancellationToken cancellationToken)
    {
        // A refusal is shown at the top of the measures' part, where the form is.
        Keep("bulk", ("policyReason", reason));
        return this.Done(await policyDeadlines.FillAsync(Id, reason, cancellationToken), "#measures");
    }

    public async Task<IActionResult> OnPostMoveAsync(string? what, int itemId, MoveDirection? direction, CancellationToken cancellationToken)
    {
        Keep("move");
        if (!await HereAsync(what, itemId, cancellationToken))
        {
            return NotFound();
        }

        return what switch
        {
            "category" => this.Done(await plans.MoveCategoryAsync(itemId, direction, cancellationToken), "#categories"),
            "finding" => this.Done(await plans.MoveFindingAsync(itemId, direction, cancellationToken), $"#finding-{itemId}"),
            "measure" => this.Done(await plans.MoveMeasureAsync(itemId, direction, cancellationToken), "#measures"),
            _ => NotFound(),
        };
    }

    public async Task<IActionResult> OnPostEditCategoryAsync(int categoryId, int? number, string? title, string? reason, CancellationToken cancellationToken)
    {
        Keep($"category-{categoryId}", ("number", number?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("title", title), ("reason", reason));
        if (!await HereAsync("category", categoryId, cancellationToken))
        {
            return NotFound();
        }

        return this.Done(await plans.EditCategoryAsync(categoryId, number, title, reason, cancellationToken), "#categories");
    }

    public async Task<IActionResult> OnPostEditFindingAsync(int findingId, int? categoryId, int? number, string? title, string? problemStatement, string? reason, CancellationToken cancellationToken)
    {
        Keep($"finding-{findingId}", ("categoryId", categoryId?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("number", number?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("title", title), ("problemStatement", problemStatement), ("reason", reason));
        if (!await HereAsync("finding", findingId, cancellationToken))
        {
            return NotFound();
        }

        return this.Done(await plans.EditFindingAsync(findingId, categoryId, number, title, problemStatement, reason, cancellationToken), $"#finding-{findingId}");
    }

    /// <summary>按类别顺序重新编号: categories and findings numbered 1, 2, 3… in the plan's order.</summary>
    public async Task<IActionResult> OnPostRenumberAsync(string? reason, CancellationToken cancellationToken)
    {
        Keep("renumber", ("renumberReason", reason));
        return this.Done(await plans.RenumberInOrderAsync(Id, reason, cancellationToken), "#categories");
    }

    /// <summary>删除 (plan in draft) a measure nothing has happened to.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(int measureId, int? version, CancellationToken cancellationToken)
    {
        Keep($"withdraw-{measureId}");
        if (!await HereAsync("measure", measureId, cancellationToken))
        {
            return NotFound();
        }

        return this.Done(await plans.DeleteMeasureAsync(measureId, version, cancellationToken), "#measures");
    }

    /// <summary>撤销 (plan in force) a measure, with a reason.</summary>
    public async Task<IActionResult> OnPostWithdrawAsync(int measureId, int? version, string? reason, CancellationToken cancellationToken)
    {
        Keep($"withdraw-{measureId}", ("reason", reason));
        if (!await HereAsync("measure", measureId, cancellationToken))
        {
            return NotFound();
        }

        return this.Done(await plans.WithdrawMeasureAsync(measureId, version, reason, cancellationToken), "#measures");
    }

    public async Task<IActionResult> OnPostPlanAsync(PlanAction? planAction, string? reason, string? meetingName, DateOnly? meetingDate, CancellationToken cancellationToken)
    {
        Keep("plan", ("planReason", reason), ("meetingName", meetingName), ("meetingDate", Date(nameof(meetingDate), meetingDate)));
        return this.Done(await plans.ActOnPlanAsync(Id, planAction, reason, meetingName, meetingDate, cancellationToken), "#plan");
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    public string? Value(string field) => Typed.TryGetValue(field, out var v) ? v : null;

    /// <summary>A date as the form keeps it: as typed when it could not be read (shown again as typed, ADR 0041), else yyyy-MM-dd.</summary>
    private string? Date(string key, DateOnly? value) => TypedDateBinderProvider.Refused(ModelState, key) ?? Fmt.InputDate(value);

    private void Keep(string form, params (string Field, string? Value)[] fields)
    {
        ErrorFor = form;
        foreach (var (field, value) in fields)
        {
            Typed[field] = value;
        }
    }

    /// <summary>
    /// Whether the category, finding or measure a form names is of this page's inspection. A form is answered on its own
    /// page only: an id of another inspection's item is not acted on from here (404), even where the caller may act on it
    /// from that inspection's plan, so that the news and the page it lands on are always about the same plan.
    /// </summary>
    private Task<bool> HereAsync(string? what, int itemId, CancellationToken cancellationToken) => what switch
    {
        "category" => db.FindingCategories.AnyAsync(c => c.Id == itemId && c.InspectionId == Id, cancellationToken),
        "finding" => db.Findings.AnyAsync(f => f.Id == itemId && f.InspectionId == Id, cancellationToken),
        "measure" => db.Measures.AnyAsync(m => m.Id == itemId && m.InspectionId == Id, cancellationToken),
        _ => Task.FromResult(false),
    };

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Plan = await PlanQueries.LoadAsync(db, caller.Scope, Id, cancellationToken, withChoices: CanManage);
        if (Plan is null)
        {
            return NotFound();
        }

        if (CanManage)
        {
            // The lead units of the measures that stand, whether the plan is drafted or in force: accounts take a while to set up.
            var leads = await db.Measures.AsNoTracking().Where(m => m.InspectionId == Id && m.WithdrawnAtUtc == null && m.LeadUnit != null)
                .Select(m => new { m.LeadUnit!.Name, m.LeadUnit.Path }).Distinct().ToListAsync(cancellationToken);
            UnitsWithoutReporter = await ReporterAccounts.WithoutReporterAsync(db, leads.OrderBy(u => u.Path, StringComparer.Ordinal).Select(u => new PlanUnit(u.Name, u.Path)), cancellationToken);
        }

        return Page();
    }
}
