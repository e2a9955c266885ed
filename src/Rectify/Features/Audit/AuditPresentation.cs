using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Audit;

/// <summary>One line of the audit table as a person reads it: the event's name, the object's name, the change in words.</summary>
public sealed record AuditRow(AuditEntry Entry, string EventName, AuditObject? Target, IReadOnlyList<AuditChange> Changes);

/// <summary>The object of an event: its readable name, and a link only where the reader may open the page.</summary>
public sealed record AuditObject(string Text, string? Title, string? Link);

/// <summary>"字段: 旧 → 新" (Old is null for an event that carries values only); Full is the untruncated text when a value was cut.</summary>
public sealed record AuditChange(string Field, string? Old, string New, string? Full);

/// <summary>
/// Turns the stored audit records (codes, ids, camelCase JSON with enums as numbers) into words. Nothing here
/// changes what is recorded: the chain's MACs cover the stored JSON, and the CSV export keeps it raw.
/// </summary>
/// <remarks>
/// What the audit administrator may see: the audit administrator holds no business role (三员分立) and so has no
/// rectification scope; the measure and inspection pages answer them 404. Reading the log is their job: who did what to
/// which object, when and with what result. So objects are named ("措施 3.2", the inspection's title, users,
/// organizations), but a business object's recorded texts — a measure's wording, a reason, a note, a file's name, a
/// 制度's title — read 〔业务内容〕 for a reader of no rectification content (<see cref="AuditContent"/>), on the page
/// and in the CSV. A lead's summary is not: leads are the discipline officer's alone, so a lead is named only
/// "问题线索". Links are rendered only to pages the reader can open (checked with the same scoped queries the pages
/// use); for the audit administrator that is none, so they read plain text and never follow a link into a 404.
/// </remarks>
public static class AuditPresentation
{
    private const int ShortText = 40;

    /// <summary>The recorded fields that hold an organization's id, shown by its name.</summary>
    private static readonly HashSet<string> OrganizationFields = new(StringComparer.Ordinal) { "organizationId", "unitId", "unit", "parentId" };

    /// <summary>Every event code that is recorded, in the order the catalogue gives them, the measure steps last.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        .. typeof(AuditActions).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!),
        .. Enum.GetValues<MeasureAction>().Select(AuditActions.Of),
    ];

    /// <summary>The event's name in the reader's language; an unknown code is shown as it is.</summary>
    public static string EventName(IStringLocalizer l, string code)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(code);
        foreach (var action in Enum.GetValues<MeasureAction>())
        {
            if (code == AuditActions.Of(action))
            {
                return l[Terms.Of(action)];
            }
        }

        if (code == AuditActions.Of(PlanAction.Submit))
        {
            return l["整改方案报审"];
        }

        if (code == AuditActions.Of(PlanAction.Return))
        {
            return l["退回整改方案"];
        }

        if (code == AuditActions.Of(PlanAction.Approve))
        {
            return l["审定整改方案"];
        }

        LocalizedString? name = code switch
        {
            AuditActions.SignInSucceeded => l["登录成功"],
            AuditActions.SignInFailed => l["登录失败"],
            AuditActions.LockedOut => l["账号被锁定"],
            AuditActions.SignedOut => l["退出登录"],
            AuditActions.UserCreated => l["新建用户"],
            AuditActions.UserDisabled => l["停用用户"],
            AuditActions.UserEnabled => l["启用用户"],
            AuditActions.UserRolesChanged => l["变更角色"],
            AuditActions.PasswordReset => l["重置密码"],
            AuditActions.PasswordChanged => l["修改密码"],
            AuditActions.SecondFactorEnabled => l["启用双因素认证"],
            AuditActions.SecondFactorReset => l["重置第二因素"],
            AuditActions.RecoveryCodesRenewed => l["重新生成恢复码"],
            AuditActions.PasswordLinkIssued => l["签发设置密码链接"],
            AuditActions.PasswordSetByLink => l["通过链接设置密码"],
            AuditActions.TokenCreated => l["创建接口令牌"],
            AuditActions.TokenRevoked => l["撤销接口令牌"],
            AuditActions.TokenUsed => l["使用接口令牌"],
            AuditActions.TokenRejected => l["拒绝无效令牌"],
            AuditActions.UserOrganizationChanged => l["变更所属单位"],
            AuditActions.NoticeImported => l["导入巡察反馈意见"],
            AuditActions.OrganizationCreated => l["新增单位"],
            AuditActions.OrganizationRenamed => l["修改单位"],
            AuditActions.OrganizationMoved => l["移动单位"],
            AuditActions.OrganizationDeleted => l["删除单位"],
            AuditActions.DemoSeeded => l["载入演示数据"],
            AuditActions.AuditViewed => l["查询审计日志"],
            AuditActions.AuditExported => l["导出审计日志"],
            AuditActions.AuditKeyRotated => l["轮换审计密钥"],
            AuditActions.ColumnsReencrypted => l["轮换字段加密密钥"],
            AuditActions.AuditCheckpointsDownloaded => l["下载审计检查点"],
            AuditActions.AccessDenied => l["拒绝访问"],
            AuditActions.AntiforgeryRejected => l["拒绝无效的表单令牌"],
            AuditActions.UserRolesRefused => l["拒绝角色变更"],
            AuditActions.UserDisableRefused => l["拒绝停用用户"],
            AuditActions.ReportSubmitted => l["报送进展"],
            AuditActions.ReportAccepted => l["采纳进展报送"],
            AuditActions.ReportReturned => l["退回进展报送"],
            AuditActions.ReportWithdrawn => l["撤回进展报送"],
            AuditActions.SupportReported => l["报送配合情况"],
            AuditActions.SupportWithdrawn => l["撤回配合情况"],
            AuditActions.EvidenceDownloaded => l["下载佐证材料"],
            AuditActions.EvidenceIntegrityFailed => l["佐证材料校验不符"],
            AuditActions.EvidenceInfected => l["拒绝带病毒的佐证材料"],
            AuditActions.LookBackScheduled => l["安排回头看"],
            AuditActions.LookBacksScheduled => l["批量安排回头看"],
            AuditActions.LookBackConsolidated => l["回头看：巩固"],
            AuditActions.LookBackRebound => l["回头看：反弹"],
            AuditActions.InstitutionRegistered => l["登记制度"],
            AuditActions.OutcomeRegistered => l["登记整改成效"],
            AuditActions.LeadRegistered => l["登记问题线索"],
            AuditActions.RegisterEntryCorrected => l["更正登记"],
            AuditActions.RegisterEntryWithdrawn => l["撤销登记"],
            AuditActions.CadenceSet => l["设置报送周期"],
            AuditActions.SignalRulesSet => l["设置红黄绿规则"],
            AuditActions.LedgerExported => l["导出整改台账"],
            AuditActions.InspectionListExported => l["导出巡察整改情况汇总表"],
            AuditActions.LedgerImported => l["导入整改台账"],
            AuditActions.RoundStatisticsRecorded => l["记录本轮巡察统计"],
            AuditActions.UserPersonLinked => l["关联人员"],
            AuditActions.NotificationsResent => l["重新发送通知"],
            AuditActions.NotificationPreferencesSet => l["修改通知设置"],
            AuditActions.InspectionCreated => l["登记巡察"],
            AuditActions.InspectionDescribed => l["修改巡察信息"],
            AuditActions.InspectionDeleted => l["删除巡察登记"],
            AuditActions.CategoryAdded => l["新增问题类别"],
            AuditActions.CategoryEdited => l["修改问题类别"],
            AuditActions.FindingAdded => l["新增问题"],
            AuditActions.FindingEdited => l["修改问题"],
            AuditActions.MeasureAdded => l["新增整改措施"],
            AuditActions.MeasureAmended => l["调整整改措施"],
            AuditActions.MeasuresAmended => l["批量调整整改措施"],
            AuditActions.PersonCreated => l["新增人员"],
            AuditActions.PersonUpdated => l["补充人员职务"],
            AuditActions.CategoryMoved => l["调整问题类别次序"],
            AuditActions.FindingMoved => l["调整问题次序"],
            AuditActions.PlanRenumbered => l["按类别顺序重新编号"],
            AuditActions.MeasureMoved => l["调整整改措施次序"],
            AuditActions.MeasureDeleted => l["删除整改措施"],
            AuditActions.MeasureWithdrawn => l["撤销整改措施"],
            AuditActions.PublicationStarted => l["起草整改进展公布"],
            AuditActions.PublicationEdited => l["修改整改进展公布"],
            AuditActions.PublicationSubmitted => l["报审整改进展公布"],
            AuditActions.PublicationReturned => l["退回整改进展公布"],
            AuditActions.PublicationApproved => l["审定整改进展公布"],
            AuditActions.PublicationCorrected => l["更正整改进展公布"],
            AuditActions.PublicProgressWritten => l["填写公开的整改进展"],
            AuditActions.OpinionAssigned => l["交办意见建议"],
            AuditActions.OpinionReplied => l["答复意见建议"],
            AuditActions.OpinionUnitResponded => l["报送意见建议办理情况"],
            AuditActions.OpinionReplyApproved => l["同意公开答复"],
            AuditActions.OpinionClosed => l["办结意见建议"],
            AuditActions.CalendarImported => l["导入节假日日历"],
            AuditActions.DeadlinePolicySet => l["设置整改时限政策"],
            AuditActions.DeadlinesFilledByPolicy => l["按政策填写整改时限"],
            AuditActions.ExtensionRequested => l["申请延期"],
            AuditActions.ExtensionWithdrawn => l["撤回延期申请"],
            AuditActions.ExtensionForwarded => l["延期申请报批"],
            AuditActions.ExtensionReturned => l["退回延期申请"],
            AuditActions.ExtensionApproved => l["批准延期"],
            AuditActions.ExtensionRefused => l["不予延期"],
            AuditActions.SupervisionIssued => l["登记督办、约谈、通报或问责"],
            AuditActions.SupervisionReplied => l["督办回复"],
            AuditActions.SupervisionClosed => l["督办办结"],
            AuditActions.SupervisionReplyReturned => l["退回督办回复"],
            AuditActions.DocumentCodeSet => l["设置督办单机关代字"],
            _ => null,
        };
        return name?.Value ?? code;
    }

    /// <summary>Names the objects of a page of records in one query per kind of object, and puts the changes into words.</summary>
    public static async Task<IReadOnlyList<AuditRow>> DescribeAsync(RectifyDbContext db, AccessScope scope, IStringLocalizer l, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(entries);
        var names = await Names.LoadAsync(db, scope, entries, cancellationToken);
        var hide = !scope.ReadsRectification;
        return [.. entries.Select(e => new AuditRow(e, EventName(l, e.Action), names.Of(l, e), Changes(l, e, names.Organizations, hide)))];
    }

    /// <summary>The changes of one record: "字段: 旧 → 新" for the fields of Before and After, "字段: 值" for what the event only carries.</summary>
    /// <param name="l">The reader's language.</param>
    /// <param name="entry">The record.</param>
    /// <param name="organizations">The names of the organizations the record's fields name.</param>
    /// <param name="hideContent">The reader reads no rectification content: a business object's texts read 〔业务内容〕 (<see cref="AuditContent"/>).</param>
    public static IReadOnlyList<AuditChange> Changes(IStringLocalizer l, AuditEntry entry, IReadOnlyDictionary<int, string>? organizations = null, bool hideContent = false)
    {
        organizations ??= new Dictionary<int, string>();
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(entry);
        var (beforeJson, afterJson) = hideContent ? (AuditContent.ForAdministrators(entry, entry.Before), AuditContent.ForAdministrators(entry, entry.After)) : (entry.Before, entry.After);
        var before = Parse(beforeJson);
        var after = Parse(afterJson);
        if (before is null && after is null)
        {
            var raw = afterJson ?? beforeJson;
            return raw is null ? [] : [Cut(l["内容"], null, raw)];
        }

        var changes = new List<AuditChange>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in after ?? [])
        {
            seen.Add(field);
            var label = FieldName(l, field, entry.Action);
            if (before is not null && before.TryGetValue(field, out var old))
            {
                changes.Add(Cut(label, Value(l, entry, field, old, organizations), Value(l, entry, field, value, organizations)));
            }
            else if (value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                changes.Add(Cut(label, null, Value(l, entry, field, value, organizations)));
            }
        }

        foreach (var (field, old) in before ?? [])
        {
            if (!seen.Contains(field))
            {
                changes.Add(Cut(FieldName(l, field, entry.Action), Value(l, entry, field, old, organizations), "—"));
            }
        }

        return changes;
    }

    private static List<KeyValuePair<string, JsonElement>>? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone()))]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static AuditChange Cut(string field, string? old, string value)
    {
        var full = (old is null ? string.Empty : old + " → ") + value;
        var cut = old is not null && old.Length > ShortText || value.Length > ShortText;
        return new AuditChange(field, old is null ? null : Short(old), Short(value), cut ? full : null);
    }

    private static string Short(string text) => text.Length > ShortText ? string.Concat(text.AsSpan(0, ShortText), "…") : text;

    private static bool TryGetValue(this List<KeyValuePair<string, JsonElement>> fields, string name, out JsonElement value)
    {
        foreach (var (field, v) in fields)
        {
            if (field == name)
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The recorded fields (camelCase) in words; an unknown field keeps its name.</summary>
    private static string FieldName(IStringLocalizer l, string field, string action)
    {
        LocalizedString? name = field switch
        {
            // A plan's 序号 (a category, finding or measure moved or corrected); elsewhere "number" is a report's 报送次序.
            "number" when action.StartsWith("plan.", StringComparison.Ordinal) => l["序号"],

            // A token's use over an interval: its first and last request (elsewhere from/to are dates), how many, from where.
            "from" when action == AuditActions.TokenUsed => l["首次使用"],
            "to" when action == AuditActions.TokenUsed => l["最近使用"],
            "requests" => l["请求次数"],
            "sources" => l["来源地址"],
            "state" => l["状态"],
            "reason" => l["理由"],
            "cadence" => l["报送周期"],
            "dueDate" or "due" => l["计划日期"],
            "measureId" => l["措施（系统编号）"],
            "findingId" => l["问题（系统编号）"],
            "inspectionId" => l["巡察（系统编号）"],
            "publishable" => l["同意公开"],
            "disclosureFrom" => l["公开起始日期"],
            "disclosureTo" => l["公开截止日期"],
            "recoveryCodes" => l["恢复码"],
            "extension" => l["延期申请"],
            "deadline" => l["整改时限"],
            "originalDeadline" => l["原整改时限"],
            "extensionCount" => l["延期次数"],
            "measures" => l["措施"],
            "number" => l["报送次序"],
            "onBehalfBasis" => l["代报依据"],
            "percentComplete" => l["完成进度"],
            "files" => l["附件"],
            "finding" => l["回头看情况"],
            "name" => l["名称"],
            "issuer" => l["发文单位"],
            "documentNumber" => l["文号"],
            "issuedOn" => l["印发日期"],
            "kind" => l["类型"],
            "amount" => l["数量"],
            "note" => l["备注"],
            "status" => l["状态"],
            "result" => l["结果"],
            "userName" => l["用户名"],
            "displayName" => l["姓名"],
            "organizationId" or "unitId" or "unit" => l["单位"],
            "roles" => l["角色"],
            "people" or "personId" => l["人员编号"],
            "secondFactor" => l["双因素认证"],
            "known" => l["账号存在"],
            "title" => l["标题"],
            "findings" => l["问题数"],
            "method" => l["方式"],
            "lookBacks" => l["回头看编号"],
            "reportId" => l["报送编号"],
            "originalName" => l["文件名"],
            "overdue" => l["只看逾期"],
            "ledgerDone" => l["只看原台账已完成、未销号"],
            "asOf" => l["方案截至日期"],
            "query" => l["关键词"],
            "year" => l["反馈年度"],
            "shortName" => l["简称"],
            "parentId" or "parent" => l["上级单位"],
            "unitsBelow" => l["随之移动的下属单位"],
            "accounts" => l["账号"],
            "expiresAtUtc" => l["到期时间"],
            "action" => l["事件"],
            "actor" => l["操作人"],
            "from" => l["起始日期"],
            "to" => l["截止日期"],
            "failures" => l["只看失败"],
            "version" => l["版本"],
            "withdrawn" => l["已撤销"],
            "findingNumbers" => l["对应问题"],
            "categories" => l["问题类别"],
            "categoryNumbers" => l["类别序号"],
            "planState" => l["方案状态"],
            "meetingName" => l["审定会议"],
            "meetingDate" => l["会议日期"],
            "round" => l["届次轮次"],
            "team" => l["巡察组"],
            "inspected" => l["被巡察党组织"],
            "onSiteFrom" => l["进驻日期"],
            "onSiteTo" => l["撤离日期"],
            "feedbackDate" => l["反馈日期"],
            "extendedScope" or "addedScope" => l["下延单位"],
            "removedScope" => l["移除的下延单位"],
            "position" => l["职务"],
            "renumberedFindings" => l["问题序号"],
            "source" => l["文件"],
            "untouched" => l["未改动的措施"],
            "addedMeasures" => l["新增的措施"],
            "updatedMeasures" => l["更新的措施"],
            "startedAsLedgerSays" => l["据原台账记为整改中的措施"],
            "path" => l["访问地址"],
            "repeats" => l["此前未逐条记录的同类拒绝"],
            "replyDue" => l["回复期限"],
            "requirement" => l["办理要求"],
            "content" or "text" => l["内容"],
            "reply" => l["回复"],
            "leader" => l["责任领导"],
            "leadUnit" => l["牵头单位"],
            "supportingUnits" => l["配合单位"],
            "supersedes" => l["所替代的版本"],
            "unitResponse" => l["办理情况"],
            _ => null,
        };
        return name?.Value ?? field;
    }

    /// <summary>
    /// Why a request was refused (Denial.Reason, recorded in the service's own words) in the reader's: the roles an
    /// authorization asked for by their names; a reason not known here is shown as recorded.
    /// </summary>
    private static string DenialReason(IStringLocalizer l, string reason)
    {
        if (reason == "authorization" || reason.StartsWith("authorization ", StringComparison.Ordinal))
        {
            // "authorization roles:A,B;OtherRequirement": the role lists in words, a sign-in asked for as such; any
            // other requirement is the service's own type, which says nothing to the reader.
            var required = reason["authorization".Length..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => r.StartsWith("roles:", StringComparison.Ordinal)
                    ? r["roles:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } roles
                        ? l["角色为{0}之一", string.Join("、", roles.Select(role => l[Roles.Label(role)].Value))].Value
                        : null
                    : r == "DenyAnonymousAuthorizationRequirement" ? l["需要登录"].Value : null)
                .OfType<string>()
                .ToList();
            return required.Count == 0 ? l["权限不足"] : l["权限不足（要求：{0}）", string.Join("；", required)];
        }

        LocalizedString? words = reason switch
        {
            "forbidden" => l["权限不足"],
            "antiforgery" => l["表单校验码缺失或不符（页面过期或跨站提交）"],
            "outside the management networks" => l["不在管理网段内"],
            "malformed" => l["令牌格式不对"],
            "unknown" => l["令牌不存在"],
            "revoked" => l["令牌已撤销"],
            "expired" => l["令牌已过期"],
            "wrong-secret" => l["令牌密钥不符"],
            "account-disabled" => l["账号已停用"],
            _ => null,
        };
        return words?.Value ?? reason;
    }

    /// <summary>A recorded value in words: enums by their labels (which enum depends on the field and the object), booleans as 是/否, lists joined.</summary>
    /// <summary>A UTC moment as JSON writes one ("2026-12-07T18:08:51.17Z"); null for any other text, a date alone included.</summary>
    private static DateTime? UtcInstant(string text) =>
        text.Length is >= 17 and <= 33 && text[^1] == 'Z' && text[10] == 'T'
        && DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;

    private static string Value(IStringLocalizer l, AuditEntry entry, string field, JsonElement value, IReadOnlyDictionary<int, string> organizations)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return "—";
            case JsonValueKind.True:
                return l["是"];
            case JsonValueKind.False:
                return l["否"];
            case JsonValueKind.String when field == "reason" && entry.Action is AuditActions.AccessDenied or AuditActions.TokenRejected or AuditActions.AntiforgeryRejected:
                return DenialReason(l, value.GetString()!);
            case JsonValueKind.String when UtcInstant(value.GetString()!) is { } instant:
                // A moment recorded in UTC (an expiry, a token's first and last use) reads in China time, as the entry's own time does.
                return Fmt.Time(instant);
            case JsonValueKind.String:
                return field == "roles" ? l[Roles.Label(value.GetString()!)] : value.GetString()!;
            case JsonValueKind.Array:
                return value.GetArrayLength() == 0 ? "—" : string.Join("、", value.EnumerateArray().Select(v => Value(l, entry, field, v, organizations)));
            case JsonValueKind.Number when value.TryGetInt32(out var n) && EnumLabel(entry, field, n) is { } label:
                return l[label];
            case JsonValueKind.Number when OrganizationFields.Contains(field) && value.TryGetInt32(out var o) && organizations.TryGetValue(o, out var unit):
                return unit;
            case JsonValueKind.Object when value.TryGetProperty("added", out var added) && value.TryGetProperty("updated", out var updated) && value.TryGetProperty("unchanged", out var unchanged):
                // An import's counts.
                return l["新增 {0}，更新 {1}，不变 {2}", added.GetRawText(), updated.GetRawText(), unchanged.GetRawText()];
            case JsonValueKind.Object:
                // A file of a report and the like: named by its name, the rest (digests, sizes) stays in the CSV.
                foreach (var name in (ReadOnlySpan<string>)["originalName", "name", "title"])
                {
                    if (value.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        return text.GetString()!;
                    }
                }

                return value.GetRawText();
            default:
                return value.GetRawText();
        }
    }

    /// <summary>The kind of an audited object in words (the object's number follows it), for the kinds named by number.</summary>
    private static string? KindName(IStringLocalizer l, string type) => (type switch
    {
        "PublicOpinion" => l["意见建议"],
        "Publication" => l["整改进展公布"],
        "SupervisionNotice" => l["督办单"],
        "DeadlineExtension" => l["延期申请"],
        "Finding" => l["问题"],
        "Measure" => l["措施"],
        "Inspection" => l["巡察"],
        "ApiToken" => l["接口令牌"],
        "Person" => l["人员"],
        "EvidenceFile" => l["佐证材料"],
        "Notification" => l["消息"],
        "Organization" => l["单位"],
        _ => (LocalizedString?)null,
    })?.Value;

    private static string? EnumLabel(AuditEntry entry, string field, int n)
    {
        var ledger = entry.Action == AuditActions.LedgerExported;
        return field switch
        {
            "state" when entry.ObjectType == "Measure" || ledger => Terms.Of((MeasureState)n),
            "state" when entry.ObjectType == "ProgressReport" => Terms.Of((ProgressReportState)n),
            "kind" when entry.ObjectType == "Outcome" => Terms.Of((OutcomeKind)n),
            "kind" when entry.ObjectType == "Organization" => Terms.Of((OrganizationKind)n),
            "kind" when entry.ObjectType == "SupervisionNotice" => Terms.Of((SupervisionKind)n),
            "kind" when entry.ObjectType == "Measure" => Terms.Of((MeasureKind)n),
            "planState" => Terms.Of((PlanState)n),
            "kind" when ledger => Terms.Of((MeasureKind)n),
            "cadence" => Terms.Of((ReportingCadence)n),
            "status" when entry.ObjectType == "Lead" => Terms.Of((LeadStatus)n),
            "state" when entry.ObjectType == "SupervisionNotice" => Terms.Of((SupervisionState)n),
            "state" when entry.ObjectType == "DeadlineExtension" => Terms.Of((ExtensionState)n),
            "state" when entry.ObjectType == "Publication" => Terms.Of((PublicationState)n),
            "state" when entry.ObjectType == "PublicOpinion" => Terms.Of((OpinionState)n),
            "result" => Terms.Of((LookBackResult)n),
            _ => null,
        };
    }

    /// <summary>The readable names of one page's objects, loaded per kind of object, and which of them the reader may open.</summary>
    private sealed class Names
    {
        private readonly Dictionary<int, (int FindingNumber, int Number, string Text, string Inspection)> measures = [];
        private readonly Dictionary<int, (int MeasureId, int Number)> reports = [];
        private readonly Dictionary<int, int> lookBacks = [];
        private readonly Dictionary<int, string> inspections = [];
        private readonly Dictionary<int, (int InspectionId, string Name)> institutions = [];
        private readonly Dictionary<int, (int InspectionId, OutcomeKind Kind)> outcomes = [];
        private readonly Dictionary<int, int> leads = [];
        private readonly Dictionary<string, (string UserName, string DisplayName)> users = new(StringComparer.Ordinal);
        private readonly Dictionary<int, string> organizations = [];

        /// <summary>The names of the organizations the page mentions, as objects or in the recorded fields.</summary>
        public IReadOnlyDictionary<int, string> Organizations => organizations;
        private HashSet<int> openMeasures = [];
        private HashSet<int> openInspections = [];
        private bool readsLeads;
        private bool viewsAccounts;
        private bool managesOrganizations;
        private bool readsRectification;

        public static async Task<Names> LoadAsync(RectifyDbContext db, AccessScope scope, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
        {
            var names = new Names
            {
                readsLeads = Permissions.HoldsRoleFor(scope, Permission.ReadLeads),
                viewsAccounts = Permissions.HoldsRoleFor(scope, Permission.ViewAccounts),
                managesOrganizations = scope.ManagesOrganizations,
                readsRectification = scope.ReadsRectification,
            };
            List<int> Ids(string type) => [.. entries.Where(e => e.ObjectType == type).Select(e => Number(e.ObjectId)).OfType<int>().Distinct()];

            var reportIds = Ids("ProgressReport");
            if (reportIds.Count > 0)
            {
                foreach (var r in await db.ProgressReports.AsNoTracking().Where(r => reportIds.Contains(r.Id)).Select(r => new { r.Id, r.MeasureId, r.Number }).ToListAsync(ct))
                {
                    names.reports[r.Id] = (r.MeasureId, r.Number);
                }
            }

            var lookBackIds = Ids("LookBack");
            if (lookBackIds.Count > 0)
            {
                foreach (var b in await db.LookBacks.AsNoTracking().Where(b => lookBackIds.Contains(b.Id)).Select(b => new { b.Id, b.MeasureId }).ToListAsync(ct))
                {
                    names.lookBacks[b.Id] = b.MeasureId;
                }
            }

            List<int> measureIds = [.. Ids("Measure").Concat(names.reports.Values.Select(r => r.MeasureId)).Concat(names.lookBacks.Values).Distinct()];
            if (measureIds.Count > 0)
            {
                foreach (var m in await db.Measures.AsNoTracking().Where(m => measureIds.Contains(m.Id))
                    .Select(m => new { m.Id, FindingNumber = m.Finding.Number, m.Number, m.Text, Inspection = m.Inspection.Title }).ToListAsync(ct))
                {
                    names.measures[m.Id] = (m.FindingNumber, m.Number, m.Text, m.Inspection);
                }
            }

            var institutionIds = Ids("Institution");
            if (institutionIds.Count > 0)
            {
                foreach (var i in await db.Institutions.AsNoTracking().Where(i => institutionIds.Contains(i.Id)).Select(i => new { i.Id, i.InspectionId, i.Name }).ToListAsync(ct))
                {
                    names.institutions[i.Id] = (i.InspectionId, i.Name);
                }
            }

            var outcomeIds = Ids("Outcome");
            if (outcomeIds.Count > 0)
            {
                foreach (var o in await db.Outcomes.AsNoTracking().Where(o => outcomeIds.Contains(o.Id)).Select(o => new { o.Id, o.InspectionId, o.Kind }).ToListAsync(ct))
                {
                    names.outcomes[o.Id] = (o.InspectionId, o.Kind);
                }
            }

            var leadIds = Ids("Lead");
            if (leadIds.Count > 0)
            {
                foreach (var d in await db.Leads.AsNoTracking().Where(d => leadIds.Contains(d.Id)).Select(d => new { d.Id, d.InspectionId }).ToListAsync(ct))
                {
                    names.leads[d.Id] = d.InspectionId;
                }
            }

            List<int> inspectionIds = [.. Ids("Inspection").Concat(names.institutions.Values.Select(i => i.InspectionId)).Concat(names.outcomes.Values.Select(o => o.InspectionId)).Concat(names.leads.Values).Distinct()];
            if (inspectionIds.Count > 0)
            {
                foreach (var i in await db.Inspections.AsNoTracking().Where(i => inspectionIds.Contains(i.Id)).Select(i => new { i.Id, i.Title }).ToListAsync(ct))
                {
                    names.inspections[i.Id] = i.Title;
                }
            }

            List<string> userIds = [.. entries.Where(e => e.ObjectType == "User" && e.ObjectId is not null).Select(e => e.ObjectId!).Distinct()];
            if (userIds.Count > 0)
            {
                foreach (var u in await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct))
                {
                    names.users[u.Id] = (u.UserName ?? string.Empty, u.DisplayName);
                }
            }

            List<int> organizationIds = [.. Ids("Organization").Concat(entries.SelectMany(e => OrganizationIds(e.Before).Concat(OrganizationIds(e.After)))).Distinct()];
            if (organizationIds.Count > 0)
            {
                foreach (var o in await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                {
                    names.organizations[o.Id] = o.Name;
                }
            }

            // Links only to what the reader's own scope opens: none at all for a reader of no rectification (the audit administrator).
            if (scope.ReadsRectification && measureIds.Count > 0)
            {
                names.openMeasures = [.. await db.VisibleMeasures(scope).Where(m => measureIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct)];
            }

            if (scope.ReadsRectification && inspectionIds.Count > 0)
            {
                names.openInspections = [.. await db.VisibleInspections(scope).Where(i => inspectionIds.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct)];
            }

            return names;
        }

        public AuditObject? Of(IStringLocalizer l, AuditEntry e)
        {
            if (e.ObjectType is null)
            {
                return null;
            }

            var id = Number(e.ObjectId);
            switch (e.ObjectType)
            {
                case "Measure" when id is { } m && measures.ContainsKey(m):
                    return Measure(l, m, string.Empty);
                case "ProgressReport" when id is { } r && reports.TryGetValue(r, out var report) && measures.ContainsKey(report.MeasureId):
                    return Measure(l, report.MeasureId, " " + string.Format(CultureInfo.CurrentCulture, l["第 {0} 次报送"].Value, report.Number));
                case "LookBack" when id is { } b && lookBacks.TryGetValue(b, out var measure) && measures.ContainsKey(measure):
                    return Measure(l, measure, " " + l["回头看"].Value);
                case "Inspection" when id is { } i && inspections.TryGetValue(i, out var title):
                    return new AuditObject(title, null, openInspections.Contains(i) ? $"/inspections/{i}" : null);
                case "Institution" when id is { } i && institutions.TryGetValue(i, out var institution):
                    return Register(readsRectification ? $"{l["制度"].Value}：{institution.Name}" : l["制度"].Value, institution.InspectionId, true);
                case "Outcome" when id is { } o && outcomes.TryGetValue(o, out var outcome):
                    return Register($"{l["整改成效"].Value}：{l[Terms.Of(outcome.Kind)].Value}", outcome.InspectionId, true);
                case "Lead" when id is { } d && leads.TryGetValue(d, out var inspection):
                    return Register(l["问题线索"].Value, inspection, readsLeads);
                case "User" when e.ObjectId is { } u && users.TryGetValue(u, out var user):
                    return new AuditObject($"{user.DisplayName}（{user.UserName}）", e.ObjectId, viewsAccounts ? $"/admin/users/{Uri.EscapeDataString(u)}" : null);
                case "Organization" when id is { } o && organizations.TryGetValue(o, out var name):
                    return new AuditObject(name, null, managesOrganizations ? "/organizations" : null);
                default:
                    // An object this page does not name by its content: its kind in words and its number in the system.
                    return new AuditObject($"{(KindName(l, e.ObjectType) is { } kind ? kind : e.ObjectType)} {e.ObjectId}".Trim(), null, null);
            }
        }

        private AuditObject Measure(IStringLocalizer l, int id, string suffix)
        {
            var m = measures[id];
            return new AuditObject(
                string.Format(CultureInfo.CurrentCulture, l["措施 {0}.{1}"].Value, m.FindingNumber, m.Number) + suffix,
                readsRectification ? $"{m.Inspection}\n{Short(m.Text)}" : m.Inspection,
                openMeasures.Contains(id) ? $"/measures/{id}" : null);
        }

        private AuditObject Register(string text, int inspection, bool may) =>
            new(text, inspections.GetValueOrDefault(inspection), may && openInspections.Contains(inspection) ? $"/inspections/{inspection}/registers" : null);

        /// <summary>The organization ids in one record's JSON (top-level fields only, as the services write them).</summary>
        private static IEnumerable<int> OrganizationIds(string? json) =>
            Parse(json)?.Where(f => OrganizationFields.Contains(f.Key) && f.Value.ValueKind == JsonValueKind.Number && f.Value.TryGetInt32(out _)).Select(f => f.Value.GetInt32()) ?? [];

        private static int? Number(string? id) => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
