namespace Rectify.Access;

/// <summary>
/// The roles of DESIGN.md. A user belongs to one organization; each role holds within that organization's
/// subtree. The three administrators (三员) exclude each other and every business role.
/// </summary>
public static class Roles
{
    public const string RectificationOffice = "RectificationOffice";
    public const string UnitReporter = "UnitReporter";
    public const string ResponsibleLeader = "ResponsibleLeader";
    public const string FirstResponsible = "FirstResponsible";
    public const string InspectionBody = "InspectionBody";
    public const string DisciplineOfficer = "DisciplineOfficer";
    public const string SystemAdministrator = "SystemAdministrator";
    public const string SecurityAdministrator = "SecurityAdministrator";
    public const string AuditAdministrator = "AuditAdministrator";

    public static readonly IReadOnlyList<string> Business =
        [RectificationOffice, UnitReporter, ResponsibleLeader, FirstResponsible, InspectionBody, DisciplineOfficer];

    public static readonly IReadOnlyList<string> Administrators = [SystemAdministrator, SecurityAdministrator, AuditAdministrator];

    public static readonly IReadOnlyList<string> All = [.. Business, .. Administrators];

    public static string Label(string role) => role switch
    {
        RectificationOffice => "整改办",
        UnitReporter => "责任单位联络员",
        ResponsibleLeader => "责任领导",
        FirstResponsible => "第一责任人",
        InspectionBody => "巡察机构",
        DisciplineOfficer => "纪检监察",
        SystemAdministrator => "系统管理员",
        SecurityAdministrator => "安全管理员",
        AuditAdministrator => "审计管理员",
        _ => role,
    };

    /// <summary>Reads a role from its code name or its Chinese label; null when it is neither.</summary>
    public static string? Parse(string text) =>
        All.FirstOrDefault(r => string.Equals(r, text, StringComparison.OrdinalIgnoreCase) || Label(r) == text);

    /// <summary>Why this set of roles may not be held together, or null when it may.</summary>
    public static string? CombinationProblem(IReadOnlyCollection<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var admins = roles.Where(Administrators.Contains).ToList();
        if (admins.Count > 1)
        {
            return $"{string.Join("、", admins.Select(Label))}必须由不同的人担任（三员分立）。";
        }

        if (admins.Count == 1 && roles.Count > 1)
        {
            return $"{Label(admins[0])}不能同时担任业务角色（{string.Join("、", roles.Where(r => r != admins[0]).Select(Label))}）。";
        }

        return null;
    }
}
