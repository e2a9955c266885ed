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
        (name, shortName) = (PlainText.Line(name) ?? string.Empty, PlainText.Line(shortName));
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("单位名称不能为空。", nameof(name));
        }

        Name = name.Trim();
        Kind = kind;
        Parent = parent;
        ShortName = PlainText.Clean(shortName);
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
}
