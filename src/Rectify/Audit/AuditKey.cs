using System.Security.Cryptography;
using Rectify.Data;

namespace Rectify.Audit;

/// <summary>
/// The audit MAC key, kept outside the database: <c>Audit:Key</c> (base64, e.g. from an environment variable or a
/// secrets store) or the file <c>Audit:KeyFile</c> (default: audit.key in the data folder, created on first use,
/// readable by the service account only). Whoever can read both the key and the database can rewrite history,
/// so production keeps the key on another volume or in a KMS.
/// </summary>
public sealed class AuditKey
{
    private readonly Lazy<byte[]> key;

    public AuditKey(IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Algorithm = AuditChain.Normalize(configuration["Audit:Algorithm"]);
        var configured = configuration["Audit:Key"];
        var file = configuration["Audit:KeyFile"] is { Length: > 0 } f ? Path.GetFullPath(f) : Path.Combine(dataFolder, "audit.key");
        KeyFile = string.IsNullOrEmpty(configured) ? file : null;
        key = new Lazy<byte[]>(() => Load(configured, file));
    }

    public string Algorithm { get; }

    /// <summary>Where the key lives, when it is a file.</summary>
    public string? KeyFile { get; }

    public byte[] Value => key.Value;

    /// <summary>Reads the key without creating it: verifying with a missing key is an error, not a fresh start.</summary>
    public byte[] ValueForVerification()
    {
        if (KeyFile is not null && !File.Exists(KeyFile))
        {
            throw new RectifyConfigurationException($"找不到审计密钥文件 {KeyFile}。没有密钥就无法校验审计日志；请配置 Audit:KeyFile 或 Audit:Key。");
        }

        return Value;
    }

    private static byte[] Load(string? configured, string file)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            try
            {
                var bytes = Convert.FromBase64String(configured);
                return bytes.Length >= 32 ? bytes : throw new RectifyConfigurationException("审计密钥 Audit:Key 太短：至少需要 32 字节（base64 编码）。");
            }
            catch (FormatException)
            {
                throw new RectifyConfigurationException("审计密钥 Audit:Key 不是有效的 base64。");
            }
        }

        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var writer = new StreamWriter(file, System.Text.Encoding.ASCII, options);
                writer.Write(Convert.ToBase64String(fresh));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made it first: use theirs.
            }
        }

        var text = File.ReadAllText(file).Trim();
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new RectifyConfigurationException($"审计密钥文件 {file} 的内容不是有效的 base64。");
        }
    }
}
