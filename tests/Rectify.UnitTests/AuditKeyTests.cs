using Microsoft.Extensions.Configuration;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>The audit key's custody (#13): never in the data folder by default, owner-only permissions, rotation that keeps old keys.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditKeyTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rectify-key-tests", Guid.NewGuid().ToString("N"));

    private string Data => Path.Combine(root, "data");

    public AuditKeyTests() => Directory.CreateDirectory(Data);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private AuditKey Key(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(), Data);

    [Fact]
    public void Without_a_configured_key_production_refuses_and_says_how_to_make_one()
    {
        var e = Assert.Throws<RectifyConfigurationException>(() => Key().EnsureUsable());
        Assert.Contains("未配置审计密钥", e.Message, StringComparison.Ordinal);
        Assert.Contains("rectify audit init-key", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Data, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Demo_mode_makes_the_key_in_the_secrets_folder_beside_the_data_folder_never_inside_it()
    {
        var key = Key(("Rectify:Demo", "true"));
        key.EnsureUsable();

        Assert.Equal(Path.Combine(root, "secrets", "audit.key"), key.KeyFile);
        Assert.True(File.Exists(key.KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.KeyFile!));
        Assert.Empty(Directory.GetFiles(Data, "*", SearchOption.AllDirectories));
        Assert.Contains("演示模式", key.Describe(), StringComparison.Ordinal);
        Assert.Contains(key.KeyFile!, key.Describe(), StringComparison.Ordinal);

        // The next start uses the same key.
        Assert.Equal(key.Value, Key(("Rectify:Demo", "true")).Value);
    }

    [Fact]
    public void A_demo_made_before_the_key_left_the_data_folder_keeps_its_key()
    {
        var legacy = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        File.WriteAllText(Path.Combine(Data, "audit.key"), legacy);
        File.SetUnixFileMode(Path.Combine(Data, "audit.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var key = Key(("Rectify:Demo", "true"));

        Assert.Equal(Convert.FromBase64String(legacy), key.Value);
        Assert.Null(key.Current.Id);
        Assert.False(File.Exists(Path.Combine(Data, "audit.key")));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "0700")]
    public void A_key_file_others_can_read_is_refused_with_its_mode_and_the_fix(UnixFileMode mode, string octal)
    {
        var file = Path.Combine(root, "etc", "audit.key");
        AuditKey.Create(file);
        File.SetUnixFileMode(file, mode);

        var e = Assert.Throws<RectifyConfigurationException>(() => Key(("Audit:KeyFile", file)).EnsureUsable());
        Assert.Contains($"权限是 {octal}，只允许 0400 或 0600", e.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 400 {file}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_made_by_init_key_is_0400_and_accepted_and_one_in_the_data_folder_is_refused()
    {
        var file = Path.Combine(root, "etc", "audit.key");
        AuditKey.Create(file);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(file));
        Assert.Equal("k1", Key(("Audit:KeyFile", file)).Current.Id);
        Assert.Throws<RectifyConfigurationException>(() => AuditKey.Create(file));

        var inside = Path.Combine(Data, "audit.key");
        AuditKey.Create(inside);
        var e = Assert.Throws<RectifyConfigurationException>(() => Key(("Audit:KeyFile", inside)).EnsureUsable());
        Assert.Contains("在数据目录", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_appends_a_new_signing_key_and_keeps_the_old_ones_for_verification()
    {
        var file = Path.Combine(root, "etc", "audit.key");
        AuditKey.Create(file);
        var key = Key(("Audit:KeyFile", file));
        var old = key.Current;

        var id = key.Rotate();

        Assert.Equal("k2", id);
        Assert.Equal("k2", key.Current.Id);
        Assert.NotEqual(old.Value, key.Current.Value);
        Assert.Equal(old.Value, key.Find("k1"));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(file));
        Assert.Equal(["k1", "k2"], Key(("Audit:KeyFile", file)).Keys.Select(k => k.Id));
    }

    [Fact]
    public void A_key_given_in_configuration_is_used_as_it_is_and_cannot_be_rotated_here()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();
        var key = Key(("Audit:Key", Convert.ToBase64String(bytes)));
        Assert.Equal(bytes, key.Value);
        Assert.Null(key.KeyFile);
        Assert.Throws<RectifyConfigurationException>(key.Rotate);
        Assert.Throws<RectifyConfigurationException>(() => Key(("Audit:Key", Convert.ToBase64String(bytes[..16]))).EnsureUsable());
    }

    [Fact]
    public void A_checkpoint_is_signed_by_the_key_and_any_change_to_it_breaks_the_signature()
    {
        var file = Path.Combine(root, "etc", "audit.key");
        AuditKey.Create(file);
        var key = Key(("Audit:KeyFile", file));
        var checkpoint = AuditCheckpoint.Sign(key, 42, new string('a', 64), new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc));

        Assert.True(checkpoint.IsSignedBy(key));
        Assert.False((checkpoint with { Sequence = 41 }).IsSignedBy(key));
        Assert.False((checkpoint with { Mac = new string('b', 64) }).IsSignedBy(key));
        Assert.False((checkpoint with { AtUtcText = "2026-12-03T08:00:00.000000Z" }).IsSignedBy(key));
        Assert.False((checkpoint with { KeyId = "k9" }).IsSignedBy(key));

        // A checkpoint's MAC is not a head's MAC over the same values.
        Assert.NotEqual(checkpoint.Signature, AuditChain.HeadMac(key.Value, key.Algorithm, 42, new string('a', 64), checkpoint.AtUtc, "k1"));
    }
}
