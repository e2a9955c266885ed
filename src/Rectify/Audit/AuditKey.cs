using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Rectify.Data;

namespace Rectify.Audit;

/// <summary>One audit key: its id (null for the unnamed key of a log begun before rotation existed) and its bytes.</summary>
public sealed record AuditKeyVersion(string? Id, byte[] Value);

/// <summary>
/// The audit MAC keys, kept away from the database and its folder (ADR 0020). Where they come from, in order:
/// <c>Audit:Key</c> (base64, e.g. the environment variable <c>Audit__Key</c>); the key file <c>Audit:KeyFile</c>; a
/// systemd credential <c>$CREDENTIALS_DIRECTORY/rectify-audit-key</c>; in demo mode only, <c>audit.key</c> in the
/// secrets folder (<c>Audit:SecretsFolder</c>, by default <c>secrets</c> beside the data folder), made on first use.
/// Anything else refuses: a production server does not start without a key the operator placed. A key file must be
/// readable by its owner only (0400 or 0600) and may not sit in the data folder.
/// A key file holds one key per line, <c>id base64</c> (a bare base64 line is the unnamed first key); the last line
/// is the one that signs, the earlier ones still verify what they signed (<see cref="Rotate"/>).
/// </summary>
public sealed partial class AuditKey
{
    public const string KeySetting = "Audit:Key";
    public const string KeyFileSetting = "Audit:KeyFile";
    public const string SecretsFolderSetting = "Audit:SecretsFolder";
    public const string CredentialName = "rectify-audit-key";

    private readonly string? configured;
    private readonly string dataFolder;
    private readonly bool demo;
    private readonly Lock gate = new();
    private IReadOnlyList<AuditKeyVersion>? keys;

    public AuditKey(IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Algorithm = AuditChain.Normalize(configuration["Audit:Algorithm"]);
        this.dataFolder = Path.GetFullPath(dataFolder);
        demo = Data.DemoMode.IsOn(configuration);
        configured = configuration[KeySetting] is { Length: > 0 } k ? k : null;
        if (configured is null)
        {
            if (configuration[KeyFileSetting] is { Length: > 0 } file)
            {
                KeyFile = Path.GetFullPath(file);
            }
            else if (Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } credentials && File.Exists(Path.Combine(credentials, CredentialName)))
            {
                KeyFile = Path.Combine(credentials, CredentialName);
            }
            else if (demo)
            {
                var secrets = configuration[SecretsFolderSetting] is { Length: > 0 } s ? Path.GetFullPath(s) : Path.Combine(Path.GetDirectoryName(this.dataFolder) ?? this.dataFolder, "secrets");
                KeyFile = Path.Combine(secrets, "audit.key");
                GeneratedForDemo = true;
            }
        }
    }

    public string Algorithm { get; }

    /// <summary>Where the keys live, when in a file (null when given by <c>Audit:Key</c> or not configured).</summary>
    public string? KeyFile { get; }

    /// <summary>True when demo mode chose (and may create) the key file itself.</summary>
    public bool GeneratedForDemo { get; }

    /// <summary>What the log says at start about where the key came from.</summary>
    public string Describe() => configured is not null
        ? $"审计密钥来自配置 {KeySetting}（环境变量或密钥库）。"
        : GeneratedForDemo
            ? $"演示模式：审计密钥保存在 {KeyFile}（数据目录之外，首次启动时生成）。正式部署请用 Audit:KeyFile 指定由审计管理员保管的密钥文件。"
            : $"审计密钥文件：{KeyFile}。";

    /// <summary>The key that signs new records and checkpoints.</summary>
    public AuditKeyVersion Current => Keys[^1];

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<AuditKeyVersion> Keys
    {
        get
        {
            lock (gate)
            {
                return keys ??= Load();
            }
        }
    }

    /// <summary>The current key's bytes.</summary>
    public byte[] Value => Current.Value;

    /// <summary>The key a record or checkpoint names, or null when this ring does not hold it.</summary>
    public byte[]? Find(string? id) => Keys.FirstOrDefault(k => string.Equals(k.Id, string.IsNullOrEmpty(id) ? null : id, StringComparison.Ordinal))?.Value;

    /// <summary>Loads the keys now (a server refuses to start without them).</summary>
    public void EnsureUsable() => _ = Keys;

    /// <summary>Reads the keys without creating any: verifying with a missing key is an error, not a fresh start.</summary>
    public IReadOnlyList<AuditKeyVersion> ForVerification()
    {
        if (KeyFile is not null && !File.Exists(KeyFile))
        {
            throw new RectifyConfigurationException($"找不到审计密钥文件 {KeyFile}。没有密钥就无法校验审计日志；请配置 Audit:KeyFile 或 Audit:Key。");
        }

        return Keys;
    }

    /// <summary>
    /// Adds a new key as the last line of the key file (written beside it and moved over it, keeping its mode) and
    /// makes it the signing key; the old keys stay to verify what they signed. Returns the new key's id.
    /// </summary>
    public string Rotate()
    {
        if (KeyFile is null)
        {
            throw new RectifyConfigurationException($"密钥由 {KeySetting} 直接给出时无法在此轮换：请改用密钥文件（Audit:KeyFile），或在密钥库中轮换后重启。");
        }

        lock (gate)
        {
            var existing = keys ?? Load();
            var number = existing.Count + 1;
            while (existing.Any(k => k.Id == "k" + number.ToString(CultureInfo.InvariantCulture)))
            {
                number++;
            }

            var id = "k" + number.ToString(CultureInfo.InvariantCulture);
            var text = File.ReadAllText(KeyFile).TrimEnd('\n', '\r') + "\n" + id + " " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n";
            var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(KeyFile);
            var temporary = KeyFile + ".new";
            WriteSecret(temporary, text);
            File.Move(temporary, KeyFile, overwrite: true);
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(KeyFile, m);
            }

            keys = Load();
            return id;
        }
    }

    /// <summary>Creates a new key file (id k1) readable by its owner only (0400); refuses to overwrite one.</summary>
    public static void Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (File.Exists(path))
        {
            throw new RectifyConfigurationException($"审计密钥文件 {path} 已存在，不会覆盖。");
        }

        Data.OwnersFolder.Create(Path.GetDirectoryName(path)!);
        WriteSecret(path, "k1 " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
    }

    private IReadOnlyList<AuditKeyVersion> Load()
    {
        if (configured is not null)
        {
            try
            {
                var bytes = Convert.FromBase64String(configured);
                return bytes.Length >= 32 ? [new AuditKeyVersion(null, bytes)] : throw new RectifyConfigurationException("审计密钥 Audit:Key 太短：至少需要 32 字节（base64 编码）。");
            }
            catch (FormatException)
            {
                throw new RectifyConfigurationException("审计密钥 Audit:Key 不是有效的 base64。");
            }
        }

        if (KeyFile is null)
        {
            throw new RectifyConfigurationException(
                "未配置审计密钥。正式部署须由审计管理员保管密钥，放在数据目录之外：运行 rectify audit init-key --key-file /etc/rectify/audit.key 创建，"
                + "再设置 Audit:KeyFile（或环境变量 Audit__Key，或 systemd 凭据 rectify-audit-key）。只有演示模式（serve --demo）会自动生成。");
        }

        if (IsInside(KeyFile, dataFolder) && !GeneratedForDemo)
        {
            throw new RectifyConfigurationException(
                $"审计密钥文件 {KeyFile} 在数据目录 {dataFolder} 里：能读取数据库的人不应能读取密钥。请把它移到数据目录之外（如 /etc/rectify/audit.key，由审计管理员保管），并设置 Audit:KeyFile。");
        }

        if (GeneratedForDemo && !File.Exists(KeyFile))
        {
            Data.OwnersFolder.Create(Path.GetDirectoryName(KeyFile)!);
            var legacy = Path.Combine(dataFolder, "audit.key");
            if (File.Exists(legacy))
            {
                // A demo database made before the key left the data folder: its chain was signed with that key.
                File.Move(legacy, KeyFile);
            }
            else
            {
                try
                {
                    WriteSecret(KeyFile, "k1 " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
                }
                catch (IOException) when (File.Exists(KeyFile))
                {
                    // Another process made it first: use theirs.
                }
            }
        }

        if (!File.Exists(KeyFile))
        {
            throw new RectifyConfigurationException($"找不到审计密钥文件 {KeyFile}。新安装请运行 rectify audit init-key --key-file {KeyFile} 创建（由审计管理员保管）。");
        }

        CheckPermissions(KeyFile);
        return Parse(File.ReadAllText(KeyFile), KeyFile);
    }

    /// <summary>Refuses a key file that anyone but its owner can read or write, or that is executable (only 0400 and 0600 pass).</summary>
    public static void CheckPermissions(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(file);
        if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0 || !mode.HasFlag(UnixFileMode.UserRead))
        {
            var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
            throw new RectifyConfigurationException($"审计密钥文件 {file} 的权限是 {octal}，只允许 0400 或 0600（只有属主可读）。请运行 chmod 400 {file}，并确认属主是运行本服务的账号。");
        }
    }

    internal static IReadOnlyList<AuditKeyVersion> Parse(string text, string file)
    {
        var result = new List<AuditKeyVersion>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var (id, value) = parts.Length == 2 ? (parts[0], parts[1]) : ((string?)null, parts[0]);
            if (id is not null && !KeyIdPattern().IsMatch(id))
            {
                throw new RectifyConfigurationException($"审计密钥文件 {file} 中的密钥编号“{id}”无效（字母、数字、. _ -，至多 32 个字符）。");
            }

            if (result.Any(k => k.Id == id))
            {
                throw new RectifyConfigurationException($"审计密钥文件 {file} 中的密钥编号“{id ?? "（无编号）"}”重复。");
            }

            try
            {
                var bytes = Convert.FromBase64String(value);
                result.Add(bytes.Length >= 32 ? new AuditKeyVersion(id, bytes) : throw new RectifyConfigurationException($"审计密钥文件 {file} 中的密钥太短：至少需要 32 字节。"));
            }
            catch (FormatException)
            {
                throw new RectifyConfigurationException($"审计密钥文件 {file} 的内容不是有效的 base64。");
            }
        }

        return result.Count > 0 ? result : throw new RectifyConfigurationException($"审计密钥文件 {file} 是空的。");
    }

    private static void WriteSecret(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, Encoding.ASCII, options);
        writer.Write(text);
    }

    private static bool IsInside(string file, string folder)
    {
        var relative = Path.GetRelativePath(folder, file);
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}
