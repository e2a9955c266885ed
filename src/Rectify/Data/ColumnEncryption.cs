using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rectify.Domain;

namespace Rectify.Data;

/// <summary>
/// The columns kept encrypted at rest (docs/adr/0025): the 问题线索's texts (摘要, 处置情况 and the reason of its latest
/// correction or withdrawal) and every earlier version of a register entry with its reason (one table for the three
/// registers, so 建章立制 and 整改成效 revisions are encrypted too). One list: the
/// model applies <see cref="EncryptedColumnConverter"/> to each, <c>keys rotate-columns</c> re-encrypts each. No query
/// filters, orders or searches by them in SQL (ciphertext cannot be compared); they are only read and written.
/// </summary>
public static class SensitiveColumns
{
    public static readonly IReadOnlyList<SensitiveColumn> All =
    [
        new(typeof(Lead), nameof(Lead.Summary), "Leads"),
        new(typeof(Lead), nameof(Lead.Disposition), "Leads"),
        new(typeof(Lead), nameof(Lead.ChangeReason), "Leads"),
        new(typeof(RegisterRevision), nameof(RegisterRevision.Values), "RegisterRevision"),
        new(typeof(RegisterRevision), nameof(RegisterRevision.ChangeReason), "RegisterRevision"),
    ];

    /// <summary>Puts the converter on every designated column; <paramref name="cipher"/> is null only for design-time models (migrations, and the compiled model's generation, ADR 0037), which never convert a value.</summary>
    public static void Apply(ModelBuilder builder, ColumnCipher? cipher)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var column in All)
        {
            builder.Entity(column.Entity).Property(column.Property).HasConversion(new EncryptedColumnConverter(cipher, column.AssociatedData));
        }
    }
}

/// <summary>A designated column: its entity and property, and its table (with the column, the associated data that binds a ciphertext to its place).</summary>
public sealed record SensitiveColumn(Type Entity, string Property, string Table)
{
    /// <summary>"Leads|Summary": a ciphertext moved to another column (or table) does not decrypt. The row id is not part of it: it is not known before the insert.</summary>
    public string AssociatedData => Table + "|" + Property;
}

/// <summary>A stored value could not be decrypted: the key is not configured, not the one that encrypted it, or the value was altered or moved.</summary>
public sealed class ColumnDecryptionException : Exception
{
    public ColumnDecryptionException(string message)
        : base(message)
    {
    }

    public ColumnDecryptionException()
    {
    }

    public ColumnDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What a person is told (the page and the API): no key id, no value, no stack.</summary>
    public const string ForThePerson = "部分加密保存的内容无法解密（字段加密密钥与数据不符，或数据已被改动）。请联系系统管理员。";

    /// <summary>The exception itself or the one EF wrapped it in while reading a value.</summary>
    public static ColumnDecryptionException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ColumnDecryptionException found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>
/// The column key: AES-256, kept outside the database and its folder. Where it comes from, in order:
/// <c>AtRest:ColumnKey</c> (base64, 32 bytes; e.g. the environment variable AtRest__ColumnKey from a secrets store);
/// the file <c>AtRest:ColumnKeyFile</c> (0400 or 0600, not in the data folder); in demo mode only, <c>column.key</c> in
/// the secrets folder beside the audit key, made on first use. A server does not start without one (serve checks it).
/// <c>AtRest:PreviousColumnKeys</c> (base64, comma-separated) still decrypts what an earlier key encrypted, until
/// <c>rectify keys rotate-columns</c> has re-encrypted it. A key's id is derived from the key, so a value names the key that opens it.
/// </summary>
public sealed class ColumnKey
{
    public const string KeySetting = "AtRest:ColumnKey";
    public const string KeyFileSetting = "AtRest:ColumnKeyFile";
    public const string PreviousKeysSetting = "AtRest:PreviousColumnKeys";
    public const string DemoFileName = "column.key";

    /// <summary>The demo's secrets folder, the audit key's (Audit.AuditKey.SecretsFolderSetting; Data does not reach into Audit).</summary>
    public const string SecretsFolderSetting = "Audit:SecretsFolder";

    private readonly string? configured;
    private readonly string? previousSetting;
    private readonly string dataFolder;
    private readonly Lock gate = new();
    private (byte[] Current, string CurrentId, IReadOnlyDictionary<string, byte[]> All)? loaded;

    public ColumnKey(IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.dataFolder = Path.GetFullPath(dataFolder);
        configured = configuration[KeySetting] is { Length: > 0 } k ? k : null;
        previousSetting = configuration[PreviousKeysSetting];
        if (configured is null)
        {
            if (configuration[KeyFileSetting] is { Length: > 0 } file)
            {
                KeyFile = Path.GetFullPath(file);
            }
            else if (DemoMode.IsOn(configuration))
            {
                var secrets = configuration[SecretsFolderSetting] is { Length: > 0 } s ? Path.GetFullPath(s) : Path.Combine(Path.GetDirectoryName(this.dataFolder) ?? this.dataFolder, "secrets");
                KeyFile = Path.Combine(secrets, DemoFileName);
                GeneratedForDemo = true;
            }
        }

        // Which configuration this is, without reading a key: models are cached by it (one model per key configuration in a process).
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', configured ?? string.Empty, KeyFile ?? string.Empty, previousSetting ?? string.Empty))));
    }

    public string? KeyFile { get; }

    public bool GeneratedForDemo { get; }

    public string Fingerprint { get; }

    /// <summary>The id of the key that encrypts from now on.</summary>
    public string CurrentId => Load().CurrentId;

    public byte[] Current => Load().Current;

    /// <summary>What the log says at start about where the key came from.</summary>
    public string Describe() => configured is not null
        ? $"字段加密密钥来自配置 {KeySetting}（编号 {CurrentId}）。"
        : GeneratedForDemo
            ? $"演示模式：字段加密密钥保存在 {KeyFile}（数据目录之外，首次启动时生成，编号 {CurrentId}）。正式部署请用 {KeyFileSetting} 指定密钥文件。"
            : $"字段加密密钥文件：{KeyFile}（编号 {CurrentId}）。";

    /// <summary>Loads the key now (a server refuses to start without it).</summary>
    public void EnsureUsable() => _ = Load();

    /// <summary>The key with this id (the current one or a previous one), or null.</summary>
    public byte[]? Find(string id) => Load().All.GetValueOrDefault(id);

    /// <summary>A key's public name: 16 hex digits of a hash of it (domain-separated from the Data Protection key ring's ids).</summary>
    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData([.. "Rectify.ColumnKey|"u8, .. key]).AsSpan(0, 8));

    /// <summary>Writes a new random key file readable by its owner only (0400); refuses to overwrite one. Returns the key's id.</summary>
    public static string Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (File.Exists(path))
        {
            throw new RectifyConfigurationException($"字段加密密钥文件 {path} 已存在，不会覆盖。");
        }

        OwnersFolder.Create(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        WriteSecret(path, Convert.ToBase64String(key) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }

        return IdOf(key);
    }

    private (byte[] Current, string CurrentId, IReadOnlyDictionary<string, byte[]> All) Load()
    {
        lock (gate)
        {
            return loaded ??= Read();
        }
    }

    private (byte[] Current, string CurrentId, IReadOnlyDictionary<string, byte[]> All) Read()
    {
        byte[] current;
        if (configured is not null)
        {
            current = Decode(configured, KeySetting);
        }
        else if (KeyFile is null)
        {
            throw new RectifyConfigurationException(
                $"未配置字段加密密钥（问题线索等敏感字段加密保存所用）。请运行 rectify keys init-column-key --key-file /etc/rectify/column.key 创建，"
                + $"再设置 {KeyFileSetting}（或环境变量 AtRest__ColumnKey，base64 编码的 32 字节）；密钥放在数据目录之外，另行备份。只有演示模式会自动生成。");
        }
        else
        {
            if (IsInside(KeyFile, dataFolder))
            {
                throw new RectifyConfigurationException($"字段加密密钥文件 {KeyFile} 在数据目录 {dataFolder} 里：能读取数据库的人不应能读取密钥。请把它移到数据目录之外，并设置 {KeyFileSetting}。");
            }

            if (GeneratedForDemo && !File.Exists(KeyFile))
            {
                OwnersFolder.Create(Path.GetDirectoryName(KeyFile)!);
                try
                {
                    WriteSecret(KeyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
                }
                catch (IOException) when (File.Exists(KeyFile))
                {
                    // Another process made it first: use theirs.
                }
            }

            if (!File.Exists(KeyFile))
            {
                throw new RectifyConfigurationException($"找不到 {KeyFileSetting} 指定的字段加密密钥文件 {KeyFile}。");
            }

            CheckPermissions(KeyFile);
            current = Decode(File.ReadAllText(KeyFile).Trim(), KeyFile);
        }

        var all = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [IdOf(current)] = current };
        foreach (var value in (previousSetting ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var previous = Decode(value, PreviousKeysSetting);
            all.TryAdd(IdOf(previous), previous);
        }

        return (current, IdOf(current), all);
    }

    private static bool IsInside(string file, string folder)
    {
        var relative = Path.GetRelativePath(folder, file);
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static void CheckPermissions(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(file);
        if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0 || !mode.HasFlag(UnixFileMode.UserRead))
        {
            var octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
            throw new RectifyConfigurationException($"字段加密密钥文件 {file} 的权限是 {octal}，只允许 0400 或 0600（只有属主可读）。请运行 chmod 400 {file}。");
        }
    }

    private static byte[] Decode(string value, string where)
    {
        try
        {
            var bytes = Convert.FromBase64String(value);
            return bytes.Length == 32 ? bytes : throw new RectifyConfigurationException($"{where} 中的字段加密密钥应为 32 字节（base64 编码，例如 openssl rand -base64 32 的输出）。");
        }
        catch (FormatException)
        {
            throw new RectifyConfigurationException($"{where} 中的字段加密密钥不是有效的 base64。");
        }
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
}

/// <summary>
/// AES-256-GCM over one column value: a random 96-bit nonce per value, the associated data "table|column", stored as
/// <c>enc:v1:{keyId}:{base64(nonce | ciphertext | tag)}</c>. A value without the prefix (written before encryption
/// came) is read as it is, until <c>keys rotate-columns</c> encrypts it.
/// </summary>
public sealed class ColumnCipher(ColumnKey key)
{
    public const string Prefix = "enc:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public ColumnKey Key { get; } = key;

    public static bool IsEncrypted(string stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The id of the key a stored value is under (null for a value in clear).</summary>
    public static string? KeyIdOf(string stored)
    {
        if (!IsEncrypted(stored))
        {
            return null;
        }

        var end = stored.IndexOf(':', Prefix.Length);
        return end < 0 ? null : stored[Prefix.Length..end];
    }

    public string Encrypt(string plain, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var bytes = Encoding.UTF8.GetBytes(plain);
        var output = new byte[NonceSize + bytes.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(Key.Current, TagSize))
        {
            aes.Encrypt(nonce, bytes, output.AsSpan(NonceSize, bytes.Length), output.AsSpan(NonceSize + bytes.Length), Encoding.UTF8.GetBytes(associatedData));
        }

        return Prefix + Key.CurrentId + ":" + Convert.ToBase64String(output);
    }

    public string Decrypt(string stored, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsEncrypted(stored))
        {
            return stored;
        }

        var id = KeyIdOf(stored) ?? throw new ColumnDecryptionException($"字段 {associatedData} 中的加密值格式不正确。");
        byte[] secret;
        try
        {
            secret = Key.Find(id) ?? throw new ColumnDecryptionException(
                $"字段 {associatedData} 中的值由编号 {id} 的字段加密密钥加密，当前配置的密钥（编号 {Key.CurrentId}）打不开它。密钥轮换后请把旧密钥放进 {ColumnKey.PreviousKeysSetting}，直到 rectify keys rotate-columns 完成。");
        }
        catch (RectifyConfigurationException e)
        {
            throw new ColumnDecryptionException(e.Message, e);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(stored[(Prefix.Length + id.Length + 1)..]);
        }
        catch (FormatException e)
        {
            throw new ColumnDecryptionException($"字段 {associatedData} 中的加密值格式不正确。", e);
        }

        if (bytes.Length < NonceSize + TagSize)
        {
            throw new ColumnDecryptionException($"字段 {associatedData} 中的加密值格式不正确。");
        }

        var plain = new byte[bytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(secret, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ColumnDecryptionException($"字段 {associatedData} 中的加密值未通过认证：它被改动过，或原本属于另一个字段。", e);
        }

        return Encoding.UTF8.GetString(plain);
    }
}

/// <summary>
/// The value converter on a designated column (<see cref="SensitiveColumns"/>): plaintext in the model, ciphertext in the
/// database. Without a cipher (a design-time model, or the compiled model's own form before a server's cipher is put in,
/// <c>CompiledModels</c>) it refuses to write and reads only what is not encrypted; that form captures nothing,
/// so the compiled model's generator can write it as code.
/// </summary>
public sealed class EncryptedColumnConverter(ColumnCipher? cipher, string associatedData) : ValueConverter<string, string>(
    ToStore(cipher, associatedData),
    FromStore(cipher, associatedData))
{
    /// <summary>The keyless form's write: never in clear.</summary>
    public static string RefuseWithoutKey(string plain) =>
        throw new ColumnDecryptionException("这个数据库上下文没有配置字段加密密钥，不能写入加密字段。");

    /// <summary>The keyless form's read: a value that was never encrypted passes, an encrypted one is refused.</summary>
    public static string ReadWithoutKey(string stored) =>
        ColumnCipher.IsEncrypted(stored) ? throw new ColumnDecryptionException("这个数据库上下文没有配置字段加密密钥，不能读取加密字段。") : stored;

    private static System.Linq.Expressions.Expression<Func<string, string>> ToStore(ColumnCipher? cipher, string associatedData) =>
        cipher is null ? plain => RefuseWithoutKey(plain) : plain => cipher.Encrypt(plain, associatedData);

    private static System.Linq.Expressions.Expression<Func<string, string>> FromStore(ColumnCipher? cipher, string associatedData) =>
        cipher is null ? stored => ReadWithoutKey(stored) : stored => cipher.Decrypt(stored, associatedData);
}

/// <summary>Carries the application's <see cref="ColumnCipher"/> into the context's options, for the model.</summary>
public sealed class ColumnEncryptionExtension(ColumnCipher cipher) : IDbContextOptionsExtension
{
    public ColumnCipher Cipher { get; } = cipher;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "ColumnEncryption ";

        // No services of its own: every key configuration shares EF's internal services; the model each context is given
        // (the compiled model's instance for its cipher, ADR 0037) or the model cache key (models built from the
        // configurations) tells them apart.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["ColumnEncryption"] = "1";
    }
}

/// <summary>One model per context type and key configuration: the converters hold the configuration's cipher.</summary>
public sealed class ColumnKeyModelCacheKeyFactory : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.GetType(), designTime, ColumnEncryption.CipherOf(context)?.Key.Fingerprint);
    }
}

public static class ColumnEncryption
{
    /// <param name="options">The context's options.</param>
    /// <param name="cipher">The key configuration's cipher.</param>
    /// <param name="compiledModel">
    /// The compiled model for a context type and cipher, or null for a type that has none (the host passes
    /// <c>CompiledModel.CompiledModels.For</c>, ADR 0037); without it, or for another context type, the model is built
    /// from the entity configurations, one per key configuration.
    /// </param>
    public static DbContextOptionsBuilder UseColumnEncryption(this DbContextOptionsBuilder options, ColumnCipher cipher, Func<Type, ColumnCipher, IModel?>? compiledModel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new ColumnEncryptionExtension(cipher));

        // Models built from the configurations are cached per key configuration, the compiled one included: a migration
        // still builds the design-time model (to compare it with the last migration's), and EF's cache for it is shared by
        // every host in the process (the internal services are), so without the key in its cache key one server's
        // design-time model would hold another's cipher (and keep it alive).
        options.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, ColumnKeyModelCacheKeyFactory>();
        return compiledModel?.Invoke(options.Options.ContextType, cipher) is { } compiled ? options.UseModel(compiled) : options;
    }

    /// <summary>The cipher a context was configured with, or null (design time, or a context made by hand).</summary>
    public static ColumnCipher? CipherOf(DbContext context) =>
        context.GetService<IDbContextOptions>().FindExtension<ColumnEncryptionExtension>()?.Cipher;
}
