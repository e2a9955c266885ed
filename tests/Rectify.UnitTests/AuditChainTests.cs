using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.UnitTests;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static AuditEntry Entry() => new()
    {
        Sequence = 7,
        AtUtc = AuditChain.ToStoredPrecision(new DateTime(2026, 11, 26, 8, 30, 15, 123, 456, DateTimeKind.Utc).AddTicks(7)),
        Action = "user.create",
        Succeeded = true,
        ActorName = "命令行",
        After = "{\"userName\":\"张三\"}",
        Algorithm = AuditChain.HmacSha256,
    };

    [Fact]
    public void Sm3_is_the_national_standard_digest()
    {
        // GB/T 32905-2016, example 1.
        var digest = new SM3Digest();
        var input = Encoding.ASCII.GetBytes("abc");
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(AuditChain.HmacSha256)]
    [InlineData(AuditChain.HmacSm3)]
    public void A_mac_depends_on_every_field_the_previous_mac_and_the_key(string algorithm)
    {
        var entry = Entry();
        var mac = AuditChain.Mac(Key, algorithm, "prev", entry);
        Assert.Equal(64, mac.Length);
        Assert.Equal(mac, AuditChain.Mac(Key, algorithm, "prev", Entry()));
        Assert.NotEqual(mac, AuditChain.Mac(Key, algorithm, "prev2", entry));
        Assert.NotEqual(mac, AuditChain.Mac([.. Key.Reverse()], algorithm, "prev", entry));

        var changed = Entry();
        changed.ActorName = "系统管理员";
        Assert.NotEqual(mac, AuditChain.Mac(Key, algorithm, "prev", changed));
        changed = Entry();
        changed.Succeeded = false;
        Assert.NotEqual(mac, AuditChain.Mac(Key, algorithm, "prev", changed));
        changed = Entry();
        changed.ObjectId = string.Empty;
        Assert.NotEqual(mac, AuditChain.Mac(Key, algorithm, "prev", changed));
    }

    [Fact]
    public void The_two_algorithms_give_different_macs_and_a_separator_in_a_field_cannot_shift_fields()
    {
        Assert.NotEqual(AuditChain.Mac(Key, AuditChain.HmacSha256, string.Empty, Entry()), AuditChain.Mac(Key, AuditChain.HmacSm3, string.Empty, Entry()));

        var a = Entry();
        a.ActorName = "甲\u001f乙";
        var b = Entry();
        b.ActorName = "甲";
        b.ActorRoles = "乙";
        Assert.NotEqual(AuditChain.Canonical(a), AuditChain.Canonical(b));
    }

    [Fact]
    public void Times_are_kept_to_the_microsecond_that_both_databases_store()
    {
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        Assert.Equal(1_234_560, AuditChain.ToStoredPrecision(t).Ticks - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks);
    }

    [Theory]
    [InlineData(null, AuditChain.HmacSha256)]
    [InlineData("sm3", AuditChain.HmacSm3)]
    [InlineData("HMAC-SM3", AuditChain.HmacSm3)]
    [InlineData("SHA-256", AuditChain.HmacSha256)]
    public void The_configured_algorithm_is_read_leniently(string? configured, string expected) =>
        Assert.Equal(expected, AuditChain.Normalize(configured));

    [Fact]
    public void An_unknown_algorithm_is_a_configuration_error() =>
        Assert.Contains("SM3", Assert.Throws<Rectify.Data.RectifyConfigurationException>(() => AuditChain.Normalize("MD5")).Message, StringComparison.Ordinal);
}
