namespace Rectify.Access;

/// <summary>
/// The security policy in one place (configuration section <c>Security</c>). Defaults follow the 等保 2.0 level-3
/// profile that evaluators expect (shared/reference/security.md §0 and A2–A6); where that profile differs from
/// OWASP ASVS (composition rules, periodic change) the deviation is deliberate and written down in docs/operations.md.
/// </summary>
public sealed class SecurityPolicyOptions
{
    public const string Section = "Security";

    /// <summary>Marks a request refused because an administrator sent it from outside <see cref="AdminNetworks"/>, so that the error page can say why.</summary>
    public const string OutsideManagementNetworksItem = "rectify.outside-management-networks";

    public PasswordPolicy Password { get; set; } = new();

    public SessionPolicy Session { get; set; } = new();

    public LockoutPolicy Lockout { get; set; } = new();

    public SecondFactorPolicy SecondFactor { get; set; } = new();

    public SignInLimitPolicy SignInLimits { get; set; } = new();

    /// <summary>
    /// The addresses of the reverse proxies (TLS terminators) whose X-Forwarded-For and X-Forwarded-Proto are believed;
    /// empty (the default) believes no forwarded header at all. Section <c>Security:KnownProxies</c>, a list of IP addresses.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>
    /// The management networks (CIDR, or single addresses) from which alone the 三员 (system, security and audit
    /// administrators) may use the system; empty (the default) restricts nothing. Section <c>Security:AdminNetworks</c>.
    /// </summary>
    public string[] AdminNetworks { get; set; } = [];

    /// <summary>Max-age of Strict-Transport-Security, sent on every HTTPS response (0 sends none).</summary>
    public int HstsDays { get; set; } = 365;

    /// <summary>A network in CIDR notation, or one address (a network of that address alone); null when it is neither.</summary>
    public static System.Net.IPNetwork? TryParseNetwork(string text) =>
        System.Net.IPNetwork.TryParse(text, out var network) ? network
        : System.Net.IPAddress.TryParse(text, out var address) ? new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : null;

    /// <summary>Reports the first setting that makes no sense, in the operator's language.</summary>
    public string? Problem() =>
        Password.MinimumLength < 8 ? "Security:Password:MinimumLength 不能小于 8。"
        : Password.MaximumLength < Password.MinimumLength || Password.MaximumLength > 1024 ? "Security:Password:MaximumLength 必须在最小长度与 1024 之间。"
        : Password.RequiredCharacterClasses is < 1 or > 4 ? "Security:Password:RequiredCharacterClasses 必须在 1 到 4 之间。"
        : Password.History is < 0 or > 24 ? "Security:Password:History 必须在 0 到 24 之间。"
        : Password.ExpiryDays < 0 ? "Security:Password:ExpiryDays 不能为负（0 表示不过期）。"
        : Password.InitialPasswordHours is < 1 or > 720 ? "Security:Password:InitialPasswordHours 必须在 1 到 720 之间。"
        : Session.IdleTimeoutMinutes is < 1 or > 480 ? "Security:Session:IdleTimeoutMinutes 必须在 1 到 480 之间。"
        : Session.AbsoluteLifetimeHours is < 1 or > 24 ? "Security:Session:AbsoluteLifetimeHours 必须在 1 到 24 之间。"
        : Lockout.MaxFailedAttempts is < 1 or > 20 ? "Security:Lockout:MaxFailedAttempts 必须在 1 到 20 之间。"
        : Lockout.Minutes is < 1 or > 1440 ? "Security:Lockout:Minutes 必须在 1 到 1440 之间。"
        : SecondFactor.Algorithm is not (OneTimeCodeProvider.HmacSha1 or OneTimeCodeProvider.HmacSm3) ? "Security:SecondFactor:Algorithm 只能是 SHA1 或 SM3。"
        : SecondFactor.NotRequiredFor.FirstOrDefault(r => Roles.Parse(r) is null) is { } unknown ? $"Security:SecondFactor:NotRequiredFor 中的“{unknown}”不是角色。"
        : SecondFactor.NotRequiredFor.Any(r => Roles.Administrators.Contains(Roles.Parse(r)!)) ? "Security:SecondFactor:NotRequiredFor 不能包含三员（系统管理员、安全管理员、审计管理员）：他们始终需要第二因素。"
        : SignInLimits.PerAddress.Problem("PerAddress") ?? SignInLimits.PerAccount.Problem("PerAccount")
        ?? (KnownProxies.FirstOrDefault(p => !System.Net.IPAddress.TryParse(p, out _)) is { } proxy ? $"Security:KnownProxies 中的“{proxy}”不是 IP 地址。" : null)
        ?? (AdminNetworks.FirstOrDefault(n => TryParseNetwork(n) is null) is { } network ? $"Security:AdminNetworks 中的“{network}”不是网络（CIDR）或 IP 地址。" : null)
        ?? (HstsDays is < 0 or > 730 ? "Security:HstsDays 必须在 0 到 730 之间。" : null);
}

public sealed class PasswordPolicy
{
    /// <summary>At least this many characters (等保: 8; 12 recommended).</summary>
    public int MinimumLength { get; set; } = 12;

    /// <summary>Long passphrases are welcome and never truncated (ASVS 6.2.9).</summary>
    public int MaximumLength { get; set; } = 128;

    /// <summary>How many of the four classes (lower case, upper case, digits, other characters) must appear.</summary>
    public int RequiredCharacterClasses { get; set; } = 3;

    /// <summary>A new password may not repeat the current one or this many before it.</summary>
    public int History { get; set; } = 5;

    /// <summary>After this many days the password must be changed (等保 "定期更换"); 0 turns expiry off.</summary>
    public int ExpiryDays { get; set; } = 90;

    /// <summary>A password set by an administrator (create, reset) is an initial password: it must be changed at the first sign-in and stops working after this many hours.</summary>
    public int InitialPasswordHours { get; set; } = 24;
}

public sealed class SessionPolicy
{
    /// <summary>Signed out after this long without a request.</summary>
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>Signed out this long after signing in, however active.</summary>
    public int AbsoluteLifetimeHours { get; set; } = 8;
}

public sealed class SecondFactorPolicy
{
    /// <summary>
    /// Everybody needs a second factor outside demo mode, unless every role they hold is listed here (role code names,
    /// e.g. <c>InspectionBody</c>). The three administrators can never be listed. An account without any role (it sees
    /// nothing) is asked at its first sign-in after a role is granted.
    /// </summary>
    public string[] NotRequiredFor { get; set; } = [];

    /// <summary>Recovery codes made at enrolment (each used once, in place of an authenticator code).</summary>
    public int RecoveryCodes { get; set; } = 10;

    /// <summary>Whether a user holding these roles must have a second factor.</summary>
    public bool RequiredFor(IEnumerable<string> roles)
    {
        var held = roles.ToList();
        var exempt = NotRequiredFor.Select(Roles.Parse).OfType<string>().ToHashSet();
        // An account without a role reaches nothing but its own account pages; once granted one, its sessions end and the next sign-in enrols.
        return held.Any(r => Roles.Administrators.Contains(r) || !exempt.Contains(r));
    }

    /// <summary>The one-time code's MAC: SHA1 (RFC 6238, what authenticator apps compute) or SM3 (HMAC-SM3, for 密评 with a token that supports it).</summary>
    public string Algorithm { get; set; } = Access.OneTimeCodeProvider.HmacSha1;
}

/// <summary>
/// The sign-in steps' rate limits (the password form, the second-factor form): each attempt takes a permit from the
/// caller's address and one from the account named; an attempt over either limit is answered 429 with Retry-After.
/// </summary>
public sealed class SignInLimitPolicy
{
    /// <summary>Attempts from one address (behind a proxy: the visitor's, from a known proxy's X-Forwarded-For).</summary>
    public WindowLimit PerAddress { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary>Attempts at one account, from wherever (with the lockout after five wrong passwords, guessing stays slow).</summary>
    public WindowLimit PerAccount { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };
}

public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; }

    internal string? Problem(string name) =>
        PermitLimit is < 1 or > 100_000 ? $"Security:SignInLimits:{name}:PermitLimit 必须在 1 到 100000 之间。"
        : WindowSeconds is < 1 or > 86_400 ? $"Security:SignInLimits:{name}:WindowSeconds 必须在 1 到 86400 之间。"
        : null;
}

public sealed class LockoutPolicy
{
    public int MaxFailedAttempts { get; set; } = 5;

    public int Minutes { get; set; } = 15;
}
