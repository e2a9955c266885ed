using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Domain;

namespace Rectify.Data;

/// <summary>
/// Every text written to the database fits its column, on both providers: SQLite keeps whatever it is given (a
/// 1,000,000-character name was stored) and PostgreSQL refuses it with an error that reached the person as a 500.
/// Checked on every save, before anything is sent, against the model's lengths (<c>HasMaxLength</c>) — and for the few
/// long texts the model leaves unbounded, against <see cref="Unbounded"/>. A text over its length is a broken rule
/// (400 / the form's message) naming the field, the limit and what was sent. The services check the fields people type
/// first, where they can say it beside the form; this is the net under all of them (imports, pages, the API, the CLI).
/// </summary>
public static class FieldLengths
{
    /// <summary>The texts whose columns have no length (text / TEXT): the most a person may put in them.</summary>
    public static readonly FrozenDictionary<string, int> Unbounded = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Finding.ProblemStatement"] = 20_000,
        ["Measure.Text"] = 20_000,
        ["MeasureRevision.Text"] = 20_000,

        // Encrypted at rest (ColumnEncryption): the column holds the ciphertext; the limit is on what the person typed.
        ["Lead.Summary"] = 2000,
        ["Lead.Disposition"] = 1000,
        ["Lead.ChangeReason"] = 2000,
        ["RegisterRevision.ChangeReason"] = 2000,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What the person calls a field, for the message; by entity and property, else by property.</summary>
    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Inspection.Title"] = "巡察名称",
        ["Inspection.Round"] = "届次轮次",
        ["Inspection.PlanMeetingName"] = "审定会议",
        ["FindingCategory.Title"] = "问题类别",
        ["Finding.Title"] = "问题",
        ["Finding.ProblemStatement"] = "反馈原文",
        ["Measure.Text"] = "整改措施",
        ["MeasureRevision.Text"] = "整改措施",
        ["MeasureRevision.ResponsibleLeaderName"] = "责任领导",
        ["MeasureRevision.LeadUnitName"] = "牵头单位",
        ["MeasureRevision.SupportingUnits"] = "配合单位",
        ["Organization.Name"] = "单位名称",
        ["Organization.ShortName"] = "简称",
        ["Organization.Path"] = "组织层级",
        ["Person.Name"] = "姓名",
        ["Person.Position"] = "职务",
        ["ProgressReport.Narrative"] = "进展情况",
        ["ProgressReport.ReturnReason"] = "退回理由",
        ["EvidenceFile.OriginalName"] = "文件名",
        ["ProgressReportEvidence.OriginalName"] = "文件名",
        ["Institution.Name"] = "制度名称",
        ["Institution.Issuer"] = "制定单位",
        ["Institution.DocumentNumber"] = "文号",
        ["RectificationOutcome.Note"] = "说明",
        ["Lead.Summary"] = "线索摘要",
        ["Lead.Disposition"] = "处置情况",
        ["LookBack.Observation"] = "回头看发现",
        ["RectifyUser.DisplayName"] = "显示名称",
        ["RectifyUser.UserName"] = "用户名",
        ["ApiToken.Name"] = "令牌用途",
        ["Reason"] = "理由",
        ["ChangeReason"] = "理由",
        ["ActorName"] = "操作人姓名",
        ["RecordedByName"] = "登记人姓名",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Each entity type's bounded texts, worked out once per model: the property, its getter and its limit.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, BoundedText[]> Bounded = new();

    /// <summary>
    /// Refuses the save when a text added or changed is longer than its column allows. It runs before every save, so it
    /// reads an added entity's texts straight from the object (no property entry per value) and asks the tracker only
    /// about the texts of a changed one. It walks the tracker's own entries rather than <see cref="ChangeTracker.Entries()"/>,
    /// which makes a new <c>EntityEntry</c> for every tracked entity on every save: an import that saves each new unit and
    /// person while a thousand findings are tracked made millions of them (about 15 MiB of a first 10,000-row import).
    /// </summary>
    public static void Check(ChangeTracker changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.AutoDetectChangesEnabled)
        {
            changes.DetectChanges();
        }

#pragma warning disable EF1001 // The state manager is EF Core's internal API; it is read here only (state, entity, modified flags, values).
        foreach (var entry in changes.Context.GetService<IStateManager>().Entries)
        {
            if (entry.EntityState is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var text in Bounded.GetOrAdd(entry.EntityType, BoundedTexts))
            {
                if (entry.EntityState == EntityState.Modified && !entry.IsModified(text.Property))
                {
                    continue;
                }

                // A quick answer for the common case: a string no longer in UTF-16 units than the limit is within it in characters.
                var current = text.Getter is { } getter ? getter.GetClrValue(entry.Entity) : entry.GetCurrentValue(text.Property);
                if (current is string value && value.Length > text.Limit)
                {
                    BusinessRules.Check(new ATextFitsItsField(Label(entry.EntityType.ClrType.Name, text.Property.Name), value, text.Limit));
                }
            }
        }
#pragma warning restore EF1001
    }

    private static BoundedText[] BoundedTexts(IEntityType type)
    {
        var entity = type.ClrType.Name;
        return type.GetProperties()
            .Where(p => p.ClrType == typeof(string))
            .Select(p => (Property: p, Limit: p.GetMaxLength() ?? (Unbounded.TryGetValue(entity + "." + p.Name, out var m) ? m : (int?)null)))
            .Where(p => p.Limit is not null)
            .Select(p => new BoundedText(p.Property, p.Property.IsShadowProperty() ? null : p.Property.GetGetter(), p.Limit!.Value))
            .ToArray();
    }

    private sealed record BoundedText(IProperty Property, IClrPropertyGetter? Getter, int Limit);

    public static string Label(string entity, string property) =>
        Labels.TryGetValue(entity + "." + property, out var label) ? label
        : Labels.TryGetValue(property, out label) ? label
        : "填写的内容";
}
