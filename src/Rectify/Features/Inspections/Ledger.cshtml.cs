using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

public sealed class LedgerModel(AnswerCache answers, RectifyDbContext db, Caller caller, TimeProvider clock, Intake.RoundStatisticsService rounds) : PageModel, IShowsRefusals
{
    /// <summary>Whether the caller reads the inspection as a whole (the progress notice and its opinions), not one unit's measures.</summary>
    public bool ReadsWholeInspection => caller.Scope.ReadsWholeInspection;

    private LedgerFilter filter = new();
    private int inspectionId;

    public LedgerPage? Ledger { get; private set; }

    public bool HasAssumptions => Ledger?.Rows.Any(r => r.Assumed != AssumedFields.None) == true;

    /// <summary>方案截至日期 as typed, shown again in its field when refused.</summary>
    public string? AsOfText { get; private set; }

    /// <summary>Why 方案截至日期 or the comparison could not be shown (the ledger below is today's).</summary>
    public string? Error { get; private set; }

    /// <summary>The plan on a day, or the comparison: the page says which version each row is.</summary>
    public bool ShowsVersions => Ledger!.Filter.AsOf is not null || Ledger.Filter.CompareApproved;

    public async Task<IActionResult> OnGetAsync(int id, int? unit, MeasureState? state, MeasureKind? kind, bool? overdue, bool? ledgerDone, int? page, string? asOf, string? compare, CancellationToken cancellationToken)
    {
        (inspectionId, AsOfText) = (id, asOf);
        filter = new LedgerFilter(unit, state, kind, overdue ?? false, page ?? 1) { LedgerDone = ledgerDone ?? false };
        Ledger = await answers.LedgerAsync(db, caller.Scope, id, filter.WithPlanView(asOf, compare), ChinaTime.Today(clock), cancellationToken);
        if (Ledger is null)
        {
            return NotFound();
        }

        // Asked past the last page (a stale link, a narrower filter): the last page, as every list shows. The API keeps
        // answering an empty page there, which is how a client knows it has read everything.
        if (Ledger.Filter.Page > Ledger.PageCount)
        {
            filter = filter with { Page = Ledger.PageCount };
            Ledger = await answers.LedgerAsync(db, caller.Scope, id, filter.WithPlanView(asOf, compare), ChinaTime.Today(clock), cancellationToken);
            if (Ledger is null)
            {
                return NotFound();
            }
        }

        RoundStatistics = await rounds.OfRoundAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>The figures recorded for this inspection's round from round summaries (综合情况通报), newest first.</summary>
    public IReadOnlyList<Intake.RoundStatisticsView> RoundStatistics { get; private set; } = [];

    /// <summary>A day or comparison the plan cannot answer: today's ledger with the same filters, the message beside the field.</summary>
    public async Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        Ledger = await answers.LedgerAsync(db, caller.Scope, inspectionId, filter, ChinaTime.Today(clock), cancellationToken);
        return Ledger is null ? NotFound() : Page();
    }

    /// <summary>The active filters in words, printed above the table so that a printout says what it shows.</summary>
    public string FilterDescription
    {
        get
        {
            var f = Ledger!.Filter;
            var parts = new List<string>();
            if (f.Unit is { } unit)
            {
                parts.Add(Ledger.Units.FirstOrDefault(u => u.Id == unit)?.Name ?? unit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (f.State is { } state)
            {
                parts.Add(Terms.Of(state));
            }

            if (f.Kind is { } kind)
            {
                parts.Add(Terms.Of(kind));
            }

            if (f.Overdue)
            {
                parts.Add("超期或逾期未报");
            }

            if (f.LedgerDone)
            {
                parts.Add("原台账已完成、未销号");
            }

            if (f.AsOf is { } asOf)
            {
                parts.Add($"方案截至 {Fmt.Date(asOf)}");
            }

            if (f.CompareApproved)
            {
                parts.Add("对照审定方案");
            }

            return string.Join("、", parts);
        }
    }

    public string PageUrl(int page) => LinkWithFilters($"/inspections/{Ledger!.Inspection.Id}", page);

    /// <summary>The Excel export of what the page shows: the same filters and plan day, every page (the comparison is the page's only).</summary>
    public string ExportUrl => LinkWithFilters($"/api/v1/inspections/{Ledger!.Inspection.Id}/ledger.xlsx", page: null, compare: false);

    private string LinkWithFilters(string path, int? page, bool compare = true)
    {
        var f = Ledger!.Filter;
        var query = new Dictionary<string, string?>
        {
            ["unit"] = f.Unit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["state"] = f.State?.ToString(),
            ["kind"] = f.Kind?.ToString(),
            ["overdue"] = f.Overdue ? "true" : null,
            ["ledgerDone"] = f.LedgerDone ? "true" : null,
            ["page"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["asOf"] = f.AsOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["compare"] = compare && f.CompareApproved ? TheComparisonIsWithTheAdoptedPlan.Approved : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, query.Where(kv => kv.Value is not null));
    }
}
