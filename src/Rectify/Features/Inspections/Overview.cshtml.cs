using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

public sealed class OverviewModel(RectifyDbContext db, AuditLog audit, TimeProvider clock) : PageModel
{
    public InspectionOverview? Overview { get; private set; }

    /// <summary>The office sets the inspection's 报送周期.</summary>
    public bool CanSetCadence => User.IsInRole(Roles.RectificationOffice);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Overview = await OverviewQueries.LoadAsync(db, AccessScope.From(User), id, ChinaTime.Today(clock), cancellationToken);
        return Overview is null ? NotFound() : Page();
    }

    /// <summary>Scope (404), role (403), value (400); the change and its audit record in one transaction.</summary>
    public async Task<IActionResult> OnPostCadenceAsync(int id, ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        var inspection = await db.VisibleInspections(scope).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (inspection is null)
        {
            return NotFound();
        }

        if (!CanSetCadence)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = "只有整改办可以设置报送周期。";
        }
        else if (cadence is not { } c || !Enum.IsDefined(c))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = "请选择报送周期：每周、每月或每季度。";
        }
        else if (inspection.ReportingCadence != c)
        {
            var before = inspection.ReportingCadence;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            inspection.SetReportingCadence(c);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(
                new AuditEvent("inspection.cadence", ObjectType: "Inspection", ObjectId: id.ToString(CultureInfo.InvariantCulture), Before: new { Cadence = before }, After: new { Cadence = c }),
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Message = $"报送周期已设为“{Terms.Of(c)}”。长期坚持的措施自下一个周期起按此判断是否逾期未报。";
        }

        Overview = await OverviewQueries.LoadAsync(db, scope, id, ChinaTime.Today(clock), cancellationToken);
        return Page();
    }
}
