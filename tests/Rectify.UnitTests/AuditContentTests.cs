using Rectify.Audit;
using Rectify.Data;
using Rectify.Features.Audit;

namespace Rectify.UnitTests;

/// <summary>
/// What the audit administrator (三员) reads of a business record: codes, numbers and an inspection's own name, never the
/// words of the rectification — a category's title recorded against its inspection, or an imported file's name.
/// </summary>
public sealed class AuditContentTests
{
    private static string? Read(string action, string json) =>
        AuditContent.ForAdministrators(new AuditEntry { Action = action, ObjectType = "Inspection", ObjectId = "7" }, json);

    [Fact]
    public void An_inspections_own_records_name_it_and_its_categories_do_not()
    {
        Assert.Contains("某街道巡察", Read(AuditActions.InspectionDescribed, """{"title":"某街道巡察","kind":1}"""), StringComparison.Ordinal);
        var category = Read(AuditActions.CategoryEdited, """{"title":"关于书记违规收受礼金方面","number":2}""");
        Assert.DoesNotContain("礼金", category, StringComparison.Ordinal);
        Assert.Contains(AuditContent.Hidden, category, StringComparison.Ordinal);
        Assert.Contains("\"number\":2", category, StringComparison.Ordinal);
    }

    [Fact]
    public void An_imported_files_name_is_hidden()
    {
        var imported = Read(AuditActions.NoticeImported, """{"title":"某街道巡察","source":"关于某书记问题线索台账.xlsx / 台账"}""");
        Assert.DoesNotContain("问题线索", imported, StringComparison.Ordinal);
        Assert.Contains("某街道巡察", imported, StringComparison.Ordinal);
    }
}
