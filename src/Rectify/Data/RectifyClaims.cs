namespace Rectify.Data;

/// <summary>The names of the claims a signed-in user carries beyond ASP.NET's own (id, name, roles): written at sign-in, read by Access and Audit.</summary>
public static class RectifyClaims
{
    /// <summary>The user's organization id.</summary>
    public const string Organization = "org";

    /// <summary>The organization's materialized path, "/1/4/9/", for subtree scoping.</summary>
    public const string OrganizationPath = "org_path";

    /// <summary>The name shown in history and the audit trail.</summary>
    public const string DisplayName = "display_name";

    /// <summary>Present while the password must be changed ("initial" or "expired").</summary>
    public const string PasswordChange = "pwd_change";

    /// <summary>Present while the user must enrol a second factor.</summary>
    public const string SecondFactorEnrolment = "mfa_enrol";

    /// <summary>The server-side session (<see cref="UserSession"/>) a sign-in cookie belongs to.</summary>
    public const string Session = "sid";
}
