namespace Rectify.Domain;

public enum OrganizationKind
{
    /// <summary>党委 / 党工委 / 党组: an organization that can be inspected and rectifies.</summary>
    PartyCommittee = 0,

    /// <summary>巡察办 / 巡视办: the body that oversees inspections.</summary>
    InspectionOffice = 1,

    /// <summary>巡察组 / 巡视组: the team that inspects.</summary>
    InspectionTeam = 2,

    /// <summary>部门 / 中心 / 所: a unit that leads or supports measures.</summary>
    Department = 3,

    /// <summary>社区 / 村 党组织.</summary>
    Community = 4,

    /// <summary>小组 (村民/居民小组).</summary>
    Group = 5,
}

/// <summary>单位 / 党组织: a node of the organization tree.</summary>
public sealed class Organization
{
    private Organization()
    {
        Name = string.Empty;
        Path = "/";
    }

    public Organization(string name, OrganizationKind kind, Organization? parent = null, string? shortName = null, bool isAssumption = false)
    {
        Name = string.Empty;
        SetNames(name, shortName);
        Kind = kind;
        Parent = parent;
        IsAssumption = isAssumption;
        Path = "/";
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string? ShortName { get; private set; }

    public OrganizationKind Kind { get; private set; }

    public int? ParentId { get; private set; }

    public Organization? Parent { get; private set; }

    /// <summary>
    /// Materialized path of ids, "/1/4/9/", so that "this organization and everything under it" is one
    /// indexed prefix query. Set once the id is known (<see cref="AssignPath"/>).
    /// </summary>
    public string Path { get; private set; }

    /// <summary>True when the source document did not name this organization and a person (or the demo) assumed it.</summary>
    public bool IsAssumption { get; private set; }

    public string DisplayName => ShortName ?? Name;

    /// <summary>
    /// 机关代字 (GB/T 9704's 发文字号 = 机关代字〔年份〕序号) of the 督办单 this organization issues, e.g. "万江整改督" for
    /// 万江整改督〔2026〕3号; null: the default, "督办".
    /// </summary>
    public string? DocumentCode { get; private set; }

    /// <summary>The most characters a 机关代字 has.</summary>
    public const int MaxDocumentCode = 20;

    /// <summary>
    /// Corrects the name and short name (a typo, a renamed body). The person who does so has checked it: a unit the
    /// system had assumed is no longer marked as an assumption. Where it sits in the tree does not change.
    /// </summary>
    public void Rename(string name, string? shortName)
    {
        SetNames(name, shortName);
        IsAssumption = false;
    }

    /// <summary>
    /// Corrects the type (a 下延单位 added as 社区 that is a 部门, a 党委 first entered as a 部门). What an inspection
    /// needs of it — its inspecting body is a 巡察办 or 巡察组, its inspected organization a 党委 — is the caller's check.
    /// </summary>
    public void Reclassify(OrganizationKind kind) =>
        Kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind), "未知的单位类型。");

    /// <summary>The name and short name as kept: one line each, cleaned; a name is never empty.</summary>
    private void SetNames(string name, string? shortName)
    {
        var kept = PlainText.Line(name);
        if (string.IsNullOrWhiteSpace(kept))
        {
            throw new ArgumentException("单位名称不能为空。", nameof(name));
        }

        Name = kept.Trim();
        ShortName = PlainText.Clean(PlainText.Line(shortName));
    }

    /// <summary>Sets (or, with nothing typed, clears) the 机关代字 of the 督办单 this organization issues.</summary>
    public void SetDocumentCode(string? code)
    {
        var kept = PlainText.Line(code);
        BusinessRules.Check(new ADocumentCodeIsACode(kept));
        DocumentCode = kept;
    }

    /// <summary>A 发文字号 of this organization's: 机关代字〔年份〕序号 (督办〔2026〕3号 without a 机关代字 of its own).</summary>
    public static string DocumentNumber(string? code, int year, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{code ?? "督办"}〔{year}〕{sequence}号");

    public void AssignPath()
    {
        if (Id == 0)
        {
            throw new InvalidOperationException("The organization must be saved before its path is set.");
        }

        var parentPath = Parent?.Path ?? "/";
        if (Parent is not null && Parent.Path == "/")
        {
            throw new InvalidOperationException("The parent's path must be set before the child's.");
        }

        Path = $"{parentPath}{Id}/";
    }

    /// <summary>
    /// Moves the unit, with everything under it, under <paramref name="parent"/> (null: to the top of the tree): never
    /// under itself or a unit of its own. Sets its own path and answers the path it had, so that the caller rewrites the
    /// paths of the units under it (the prefix replaced) in the same transaction.
    /// </summary>
    public string MoveUnder(Organization? parent)
    {
        BusinessRules.Check(new AUnitIsNotMovedUnderItself(this, parent));
        var was = Path;
        Parent = parent;
        ParentId = parent?.Id;
        Path = $"{parent?.Path ?? "/"}{Id}/";
        return was;
    }

    /// <summary>The ids of the organizations above the one at <paramref name="path"/> ("/1/4/9/" → 1, 4), nearest last.</summary>
    public static IEnumerable<int> AncestorIds(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ids = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return ids.Take(ids.Length - 1).Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A person who answers for measures: 责任领导, 第一责任人.</summary>
public sealed class Person
{
    private Person()
    {
        Name = string.Empty;
        Position = string.Empty;
    }

    public Person(string name, string position, Organization organization, bool isAssumption = false)
    {
        (name, position) = (PlainText.Line(name) ?? string.Empty, PlainText.Line(position) ?? string.Empty);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("姓名不能为空。", nameof(name));
        }

        Name = name.Trim();
        Position = position?.Trim() ?? string.Empty;
        Organization = organization ?? throw new ArgumentNullException(nameof(organization));
        IsAssumption = isAssumption;
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>职务, e.g. 党工委书记, 分管领导.</summary>
    public string Position { get; private set; }

    public int OrganizationId { get; private set; }

    public Organization Organization { get; private set; } = null!;

    public bool IsAssumption { get; private set; }

    /// <summary>The account this person signs in with, when they have one: a responsible leader approves their own measures' sign-off with it.</summary>
    public string? UserId { get; private set; }

    /// <summary>Links the person to an account (or unlinks them, with null).</summary>
    public void LinkAccount(string? userId) => UserId = string.IsNullOrWhiteSpace(userId) ? null : userId;

    /// <summary>
    /// Gives a person kept without a position the one now typed with their name ("副区长 郑晓梅" for 郑晓梅); a position
    /// already kept stays (another spelling of it does not replace it). Whether it was given.
    /// </summary>
    public bool FillPosition(string? position)
    {
        var typed = PlainText.Line(position);
        if (Position.Length > 0 || string.IsNullOrEmpty(typed))
        {
            return false;
        }

        Position = typed;
        return true;
    }
}

/// <summary>A 机关代字 is a short line of text without the brackets and 号 the number adds (they would read as part of it).</summary>
public sealed class ADocumentCodeIsACode(string? code) : IBusinessRule
{
    public bool IsBroken() => code is { } c && (c.Length > Organization.MaxDocumentCode || c.IndexOfAny(['〔', '〕', '[', ']', '(', ')', '（', '）']) >= 0 || c.Any(char.IsWhiteSpace) || char.IsDigit(c[^1]));

    public string Message => $"机关代字应为不超过 {Organization.MaxDocumentCode} 个字、不含空格和括号、不以数字结尾的代字，例如“万江整改督”（文号为“万江整改督〔2026〕3号”），收到“{code}”。";

    public Refusal Refusal => Refusal.Invalid;
}

/// <summary>A unit is not moved under itself or under a unit of its own: the tree would have a loop.</summary>
public sealed class AUnitIsNotMovedUnderItself(Organization unit, Organization? parent) : IBusinessRule
{
    public bool IsBroken() => parent is not null && (parent.Id == unit.Id || parent.Path.StartsWith(unit.Path, StringComparison.Ordinal));

    public string Message => $"不能把“{unit.Name}”移到它自己或它下属的单位之下。";

    public Refusal Refusal => Refusal.Invalid;
}
