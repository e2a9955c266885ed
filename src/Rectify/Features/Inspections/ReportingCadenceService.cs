using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Inspections;

/// <summary>The office sets an inspection's 报送周期, for the page and the API alike: scope (404), permission (403), value (400); the change and its audit record in one transaction.</summary>
public sealed class ReportingCadenceService(RectifyDbContext db, Caller caller, AuditLog audit)
{
    public async Task<WorkflowResult> SetAsync(int inspectionId, ReportingCadence? cadence, CancellationToken cancellationToken)
    {
        var inspection = await db.VisibleInspections(caller.Scope).SingleOrDefaultAsync(i => i.Id == inspectionId, cancellationToken);
        if (inspection is null)
        {
            return WorkflowResult.NotFound;
        }

        caller.Require(Permission.SetReportingCadence);
        BusinessRules.Check(new ACadenceIsChosen(cadence));
        var c = cadence!.Value;
        var message = $"报送周期已设为“{Terms.Of(c)}”。长期坚持的措施按此判断是否逾期未报。";
        if (inspection.ReportingCadence == c)
        {
            return WorkflowResult.Done(message);
        }

        var before = inspection.ReportingCadence;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        inspection.SetReportingCadence(c);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(AuditActions.CadenceSet, ObjectType: "Inspection", ObjectId: inspectionId.ToString(CultureInfo.InvariantCulture), Before: new { Cadence = before }, After: new { Cadence = c }),
            cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WorkflowResult.Done(message);
    }

    private sealed class ACadenceIsChosen(ReportingCadence? cadence) : IBusinessRule
    {
        public bool IsBroken() => cadence is not { } c || !Enum.IsDefined(c);

        public string Message => "请选择报送周期：每周、每月或每季度。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
