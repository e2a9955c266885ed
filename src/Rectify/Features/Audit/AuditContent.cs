using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Features.Audit;

/// <summary>
/// What of a record's recorded values a reader of no rectification content (the audit administrator, one of the 三员) is
/// shown. The audit log must say who did what to which object, when, from where and with what result; it must not become
/// a way round 三员分立 into the content itself. So for a business object (a measure, a report, a register's entry, a
/// 督办单…) every recorded text — a measure's wording, a reason, a note, a file's name — reads <see cref="Hidden"/>,
/// while its fields, states, kinds, numbers and dates stay. The records of accounts, organizations, tokens and keys,
/// and of sign-ins and refusals, are the administrators' own business and are shown whole. What is stored, and what
/// the chain's MACs cover, is unchanged.
/// </summary>
public static partial class AuditContent
{
    public const string Hidden = "〔业务内容〕";

    /// <summary>The objects whose records are administration, not rectification content (and the records of no object).</summary>
    private static readonly HashSet<string> Administrative = new(StringComparer.Ordinal)
    {
        "User", "Person", "Organization", "ApiToken", "Notification", "ColumnKey", "Calendar", "AuditKey", "AuditCheckpoints",
    };

    /// <summary>Fields whose text is a code or a digest, never someone's words.</summary>
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "state", "kind", "decision", "cadence", "result", "status", "signal", "roles", "format", "channel", "algorithm", "sha256", "contentType", "mediaType",

        // 按类别顺序重新编号: only numbers ("6→5、5→6"), no wording.
        "categoryNumbers", "renumberedFindings",
    };

    /// <summary>Whether the record is of a business object, whose texts a reader of no rectification content does not read.</summary>
    public static bool IsBusiness(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ObjectType is { } type && !Administrative.Contains(type);
    }

    /// <summary>The recorded JSON with its texts hidden when <paramref name="entry"/> is of a business object; as recorded otherwise.</summary>
    public static string? ForAdministrators(AuditEntry entry, string? json)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(json) || !IsBusiness(entry))
        {
            return json;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Hidden;
        }

        // An inspection's title names the object, as the log's object column does, in the records of the inspection
        // itself; every other text is hidden, a category's or a finding's title (recorded against the inspection) and an
        // imported file's name (source) among them.
        var names = entry.ObjectType == "Inspection" && entry.Action is AuditActions.InspectionCreated or AuditActions.InspectionDescribed or AuditActions.NoticeImported
            ? InspectionNames
            : Codes;
        return node is null ? json : Hide(node, null, names)?.ToJsonString(Options) ?? "null";
    }

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> InspectionNames = new([.. Codes, "title"], StringComparer.Ordinal);

    private static JsonNode? Hide(JsonNode? node, string? field, HashSet<string> shown)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (name, value) in o)
                {
                    copy[name] = Hide(value, name, shown);
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(v => Hide(v, field, shown))]);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                return field is not null && shown.Contains(field) || IsoDate().IsMatch(text) ? JsonValue.Create(text) : JsonValue.Create(Hidden);
            default:
                return node?.DeepClone();
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoDate();
}
