using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

public sealed class LedgerModel(RectifyDbContext db, Caller caller, TimeProvider clock) : PageModel
{
    public LedgerPage? Ledger { get; private set; }

    public bool HasAssumptions => Ledger?.Rows.Any(r => r.Assumed != AssumedFields.None) == true;

    public async Task<IActionResult> OnGetAsync(int id, int? unit, MeasureState? state, MeasureKind? kind, bool? overdue, int? page, CancellationToken cancellationToken)
    {
        Ledger = await LedgerQueries.LoadAsync(db, caller.Scope, id, new LedgerFilter(unit, state, kind, overdue ?? false, page ?? 1), ChinaTime.Today(clock), cancellationToken);
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

            return string.Join("、", parts);
        }
    }

    public string PageUrl(int page) => LinkWithFilters($"/inspections/{Ledger!.Inspection.Id}", page);

    /// <summary>The Excel export of what the page shows: the same filters, every page.</summary>
    public string ExportUrl => LinkWithFilters($"/api/v1/inspections/{Ledger!.Inspection.Id}/ledger.xlsx", page: null);

    private string LinkWithFilters(string path, int? page)
    {
        var f = Ledger!.Filter;
        var query = new Dictionary<string, string?>
        {
            ["unit"] = f.Unit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["state"] = f.State?.ToString(),
            ["kind"] = f.Kind?.ToString(),
            ["overdue"] = f.Overdue ? "true" : null,
            ["page"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, query.Where(kv => kv.Value is not null));
    }
}
