using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>The column cipher (ADR 0025): AES-256-GCM with a fresh nonce per value, bound to its column, keys by id, and a production start that needs a key.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ColumnCipherTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rectify-column-key-tests", Guid.NewGuid().ToString("N"));

    private string Data => Path.Combine(root, "data");

    public ColumnCipherTests() => Directory.CreateDirectory(Data);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private ColumnKey Key(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(), Data);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_value_round_trips_with_a_fresh_nonce_each_time_and_opens_only_in_its_own_column()
    {
        var cipher = new ColumnCipher(Key((ColumnKey.KeySetting, NewKey())));
        var first = cipher.Encrypt("反映某社区工程款支付问题", "Leads|Summary");
        var second = cipher.Encrypt("反映某社区工程款支付问题", "Leads|Summary");
        Assert.NotEqual(first, second);
        Assert.StartsWith($"enc:v1:{cipher.Key.CurrentId}:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("工程款", first, StringComparison.Ordinal);
        Assert.Equal("反映某社区工程款支付问题", cipher.Decrypt(first, "Leads|Summary"));
        var moved = Assert.Throws<ColumnDecryptionException>(() => cipher.Decrypt(first, "Leads|Disposition"));
        Assert.Contains("另一个字段", moved.Message, StringComparison.Ordinal);

        // A value from before encryption came reads as it is.
        Assert.Equal("升级前的明文", cipher.Decrypt("升级前的明文", "Leads|Summary"));
    }

    [Fact]
    public void A_previous_key_still_opens_its_values_and_an_unknown_key_is_named()
    {
        var (old, current) = (NewKey(), NewKey());
        var stored = new ColumnCipher(Key((ColumnKey.KeySetting, old))).Encrypt("线索", "Leads|Summary");
        Assert.Equal("线索", new ColumnCipher(Key((ColumnKey.KeySetting, current), (ColumnKey.PreviousKeysSetting, old))).Decrypt(stored, "Leads|Summary"));
        var refused = Assert.Throws<ColumnDecryptionException>(() => new ColumnCipher(Key((ColumnKey.KeySetting, current))).Decrypt(stored, "Leads|Summary"));
        Assert.Contains(ColumnCipher.KeyIdOf(stored)!, refused.Message, StringComparison.Ordinal);
        Assert.Contains(ColumnKey.PreviousKeysSetting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_without_a_key_refuses_a_key_file_in_the_data_folder_or_readable_by_others_is_refused_and_demo_makes_one_outside()
    {
        var missing = Assert.Throws<RectifyConfigurationException>(() => Key().EnsureUsable());
        Assert.Contains("rectify keys init-column-key", missing.Message, StringComparison.Ordinal);

        var inside = Path.Combine(Data, "column.key");
        ColumnKey.Create(inside);
        Assert.Contains("数据目录", Assert.Throws<RectifyConfigurationException>(() => Key((ColumnKey.KeyFileSetting, inside)).EnsureUsable()).Message, StringComparison.Ordinal);

        var outside = Path.Combine(root, "etc", "column.key");
        var id = ColumnKey.Create(outside);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(outside));
        Assert.Equal(id, Key((ColumnKey.KeyFileSetting, outside)).CurrentId);
        File.SetUnixFileMode(outside, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        Assert.Contains("0400", Assert.Throws<RectifyConfigurationException>(() => Key((ColumnKey.KeyFileSetting, outside)).EnsureUsable()).Message, StringComparison.Ordinal);

        var demo = Key(("Rectify:Demo", "true"));
        demo.EnsureUsable();
        Assert.Equal(Path.Combine(root, "secrets", ColumnKey.DemoFileName), demo.KeyFile);
        Assert.True(File.Exists(demo.KeyFile));
    }

    [Fact]
    public void A_converter_without_a_key_never_writes_in_clear()
    {
        var converter = new EncryptedColumnConverter(null, "Leads|Summary");
        Assert.Throws<ColumnDecryptionException>(() => converter.ConvertToProvider("线索"));
        Assert.Equal("明文", converter.ConvertFromProvider("明文"));
    }
}
