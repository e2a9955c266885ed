namespace Rectify.Domain;

/// <summary>The parts of what the plan says about a measure that a version keeps, as flags: which of them differ.</summary>
[Flags]
public enum PlanFields
{
    None = 0,
    Text = 1,
    Kind = 2,
    Deadline = 4,
    Leader = 8,
    LeadUnit = 16,
    SupportingUnits = 32,
}

/// <summary>What the plan says about a measure (整改措施, 类型, 时限, 责任领导, 牵头单位, 配合单位), by name.</summary>
public sealed record MeasureContent(string Text, MeasureKind Kind, DateOnly? Deadline, string? Leader, string? LeadUnit, IReadOnlyList<string> SupportingUnits)
{
    /// <summary>How <see cref="MeasureRevision.SupportingUnits"/> joins the names.</summary>
    public const string UnitSeparator = "、";

    /// <summary>The names of a version's supporting units, in the order it keeps them.</summary>
    public static IReadOnlyList<string> SplitUnits(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : joined.Split(UnitSeparator, StringSplitOptions.RemoveEmptyEntries);

    public static MeasureContent Of(MeasureRevision version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new MeasureContent(version.Text, version.MeasureKind, version.Deadline, version.ResponsibleLeaderName, version.LeadUnitName, SplitUnits(version.SupportingUnits));
    }

    /// <summary>The fields in which <paramref name="other"/> says something else; supporting units are a set (their order is not news).</summary>
    public PlanFields DiffersFrom(MeasureContent other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var changed = PlanFields.None;
        changed |= Text == other.Text ? PlanFields.None : PlanFields.Text;
        changed |= Kind == other.Kind ? PlanFields.None : PlanFields.Kind;
        changed |= Deadline == other.Deadline ? PlanFields.None : PlanFields.Deadline;
        changed |= Leader == other.Leader ? PlanFields.None : PlanFields.Leader;
        changed |= LeadUnit == other.LeadUnit ? PlanFields.None : PlanFields.LeadUnit;
        changed |= SupportingUnits.Order(StringComparer.Ordinal).SequenceEqual(other.SupportingUnits.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            ? PlanFields.None
            : PlanFields.SupportingUnits;
        return changed;
    }
}

/// <summary>
/// The adopted plan as it stood on a day: per measure, the latest version made on or before the end of that day in
/// China time. A measure whose first version came later was not in the plan yet; one whose latest version by then is
/// its withdrawal (撤销) was no longer in it. The database reads the same rule (LedgerQueries' plan on a day, held to
/// this by the ledger's tests).
/// </summary>
public static class PlanOnADay
{
    /// <summary>The first instant after <paramref name="day"/> in China time, in UTC: a version made before it counts on that day.</summary>
    public static DateTime EndUtc(DateOnly day) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;

    /// <summary>The latest version made on or before the end of <paramref name="day"/>, withdrawals included; null when there is none yet.</summary>
    public static MeasureRevision? LatestVersionOn(IEnumerable<MeasureRevision> versions, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var end = EndUtc(day);
        return versions.Where(v => v.AtUtc < end).MaxBy(v => v.Number);
    }

    /// <summary>The version of the measure that was in the plan on <paramref name="day"/>; null when it was not in the plan that day.</summary>
    public static MeasureRevision? VersionInForceOn(IEnumerable<MeasureRevision> versions, DateOnly day) =>
        LatestVersionOn(versions, day) is { Kind: not MeasureRevisionKind.Withdrawn } version ? version : null;
}

/// <summary>
/// The plan is read as it stood on a day only for days it was in force: from the day it was adopted (审定) to today.
/// Before adoption there is no adopted plan to read, and tomorrow's plan is not known.
/// </summary>
public sealed class ThePlanIsReadOnADayItWasInForce(PlanState state, DateOnly? adoptedOn, DateOnly day, DateOnly today) : IBusinessRule
{
    public bool IsBroken() => state != PlanState.InForce || adoptedOn is not { } adopted || day < adopted || day > today;

    public string Message => state != PlanState.InForce || adoptedOn is null
        ? "整改方案尚未审定实施，还没有审定的方案可查。"
        : day < adoptedOn
            ? $"整改方案于 {adoptedOn:yyyy-MM-dd} 审定实施，{day:yyyy-MM-dd} 时还没有审定的方案；请选择审定之后的日期。"
            : $"方案截至日期（{day:yyyy-MM-dd}）不能晚于今天（{today:yyyy-MM-dd}）。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>The adopted plan stands beside the current one only once there is an adopted plan.</summary>
public sealed class TheAdoptedPlanIsComparedOnceAdopted(PlanState state) : IBusinessRule
{
    public bool IsBroken() => state != PlanState.InForce;

    public string Message => "整改方案尚未审定实施，还没有审定方案可以对照。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>A day asked for is a calendar date written as 2025-03-01.</summary>
public sealed class APlanDayIsADate(string? text) : IBusinessRule
{
    public bool IsBroken() => Parse(text) is null;

    public string Message => $"方案截至日期“{text}”不是有效的日期，请写成 2025-03-01 的格式。";

    public Refusal Refusal => Refusal.Invalid;

    /// <summary>The date, or null when <paramref name="text"/> is not one.</summary>
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-MM-dd", "yyyy-M-d"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;
}

/// <summary>The ledger compares with one thing: the plan as adopted.</summary>
public sealed class TheComparisonIsWithTheAdoptedPlan(string? compare) : IBusinessRule
{
    /// <summary>The one value of compare: 审定方案.</summary>
    public const string Approved = "approved";

    public bool IsBroken() => !string.Equals(compare?.Trim(), Approved, StringComparison.OrdinalIgnoreCase);

    public string Message => $"对照方式“{compare}”无效：只能与审定方案对照（compare=approved）。";

    public Refusal Refusal => Refusal.Invalid;
}
