using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Rectify.Data;

namespace Rectify.Hosting;

/// <summary>
/// The key that encrypts Data Protection's key ring (data/keys, which signs the sign-in cookies and anti-forgery
/// tokens) at rest with AES-256-GCM. It comes from outside the keys folder: <c>DataProtection:Key</c> (base64, 32
/// bytes, e.g. the environment variable DataProtection__Key from a secrets store or a systemd credential) or the file
/// <c>DataProtection:KeyFile</c>. With neither (the README's zero-configuration run) it is the file keyring.key in the
/// data folder, made 0600 on first use: the keys folder copied on its own is then unreadable, the whole data folder
/// is not — production configures the key elsewhere. <c>DataProtection:PreviousKeys</c> (base64, comma-separated)
/// still decrypts the ring after a rotation.
/// </summary>
public sealed class KeyRingKey
{
    public const string KeyName = "DataProtection:Key";
    public const string KeyFileName = "DataProtection:KeyFile";
    public const string PreviousKeysName = "DataProtection:PreviousKeys";
    public const string DefaultFile = "keyring.key";

    private KeyRingKey(byte[] current, IReadOnlyList<byte[]> previous, string source)
    {
        Current = current;
        Previous = previous;
        Source = source;
    }

    public byte[] Current { get; }

    public IReadOnlyList<byte[]> Previous { get; }

    /// <summary>Where the key came from, for the operator: the setting's name or the file's path.</summary>
    public string Source { get; }

    /// <summary>A key's public name: the first 8 bytes of its SHA-256, so an encrypted key says which key opens it.</summary>
    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    public byte[]? Find(string id) => new[] { Current }.Concat(Previous).FirstOrDefault(k => IdOf(k) == id);

    public static KeyRingKey Load(IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var previous = (configuration[PreviousKeysName] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Decode(k, PreviousKeysName)).ToList();
        if (configuration[KeyName] is { Length: > 0 } configured)
        {
            return new KeyRingKey(Decode(configured, KeyName), previous, KeyName);
        }

        if (configuration[KeyFileName] is { Length: > 0 } named)
        {
            var path = Path.GetFullPath(named);
            if (!File.Exists(path))
            {
                throw new RectifyConfigurationException($"找不到 {KeyFileName} 指定的密钥文件 {path}。");
            }

            return new KeyRingKey(Decode(File.ReadAllText(path).Trim(), path), previous, path);
        }

        var file = Path.Combine(dataFolder, DefaultFile);
        if (!File.Exists(file))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(file, Encoding.ASCII, options);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made it first: use theirs.
            }
        }

        return new KeyRingKey(Decode(File.ReadAllText(file).Trim(), file), previous, file);
    }

    private static byte[] Decode(string value, string where)
    {
        try
        {
            var bytes = Convert.FromBase64String(value);
            return bytes.Length == 32 ? bytes : throw new RectifyConfigurationException($"{where} 中的密钥应为 32 字节（base64 编码，例如 openssl rand -base64 32 的输出）。");
        }
        catch (FormatException)
        {
            throw new RectifyConfigurationException($"{where} 中的密钥不是有效的 base64。");
        }
    }
}

/// <summary>Encrypts each new key of the ring with AES-256-GCM before it is written to the keys folder.</summary>
public sealed class KeyRingEncryptor(KeyRingKey key) : IXmlEncryptor
{
    public const string Element = "rectifyEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(key.Current, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        var element = new XElement(Element,
            new XAttribute("algorithm", "AES-256-GCM"),
            new XAttribute("keyId", KeyRingKey.IdOf(key.Current)),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. cipher])));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Opens a key of the ring with the current key or one of the previous ones (made by Data Protection with its service provider).</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<KeyRingKey>();
        var id = (string?)encryptedElement.Attribute("keyId") ?? string.Empty;
        var secret = key.Find(id) ?? throw new CryptographicException(
            $"Data Protection 的密钥由另一把密钥（编号 {id}）加密，当前配置的密钥（{key.Source}，编号 {KeyRingKey.IdOf(key.Current)}）打不开它。轮换后请把旧密钥放进 {KeyRingKey.PreviousKeysName}。");
        var bytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? string.Empty);
        var nonce = bytes.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = bytes.AsSpan(AesGcm.NonceByteSizes.MaxSize, AesGcm.TagByteSizes.MaxSize);
        var cipher = bytes.AsSpan(AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(secret, tag.Length))
        {
            aes.Decrypt(nonce, cipher, tag, plain);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

public static class KeyRingProtection
{
    /// <summary>Every key Data Protection writes from now on is encrypted (<see cref="KeyRingKey"/>); keys written in clear before stay readable until they expire.</summary>
    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder builder, IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var key = KeyRingKey.Load(configuration, dataFolder);
        builder.Services.AddSingleton(key);
        builder.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyRingEncryptor(key));
        return builder;
    }
}
