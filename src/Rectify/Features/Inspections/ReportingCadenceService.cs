using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Measures;

namespace Rectify.Features.Inspections;

/// <summary>The office sets an inspection's 报送周期, for the page and the API alike: scope (404), role (403), value (400); the change and its audit record in one transaction.</summary>
public sealed class ReportingCadenceService(RectifyDbContext db, AuditLog audit)
{
    public async Task<WorkflowResult> SetAsync(AccessScope scope, int inspectionId, ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var inspection = await db.VisibleInspections(scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return new(WorkflowOutcome.NotFound);
        }

        if (!scope.Roles.Contains(Roles.RectificationOffice))
        {
            return new(WorkflowOutcome.Forbidden, "只有整改办可以设置报送周期。");
        }

        if (cadence is not { } c || !Enum.IsDefined(c))
        {
            return new(WorkflowOutcome.BadRequest, "请选择报送周期：每周、每月或每季度。");
        }

        var message = $"报送周期已设为“{Terms.Of(c)}”。长期坚持的措施按此判断是否逾期未报。";
        if (inspection.ReportingCadence == c)
        {
            return new(WorkflowOutcome.Done, message);
        }

        var before = inspection.ReportingCadence;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        inspection.SetReportingCadence(c);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent("inspection.cadence", ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture), Before: new { Cadence = before }, After: new { Cadence = c }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(WorkflowOutcome.Done, message);
    }
}
