using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Rectify.Access;

namespace Rectify.UnitTests;

/// <summary>Known answers for the one-time codes: RFC 6238 Appendix B (HMAC-SHA1) and HMAC-SM3 built by hand from the GB/T 32905 SM3 digest.</summary>
public sealed class OneTimeCodeTests
{
    private static readonly byte[] Rfc6238Secret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Sha1_codes_match_rfc_6238(long unixSeconds, string expected) =>
        Assert.Equal(expected, OneTimeCodeProvider.Code(Rfc6238Secret, unixSeconds / 30, OneTimeCodeProvider.HmacSha1));

    [Fact]
    public void Sm3_digest_matches_the_standards_example()
    {
        var digest = new SM3Digest();
        var abc = "abc"u8.ToArray();
        digest.BlockUpdate(abc, 0, abc.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(37037036L)]
    [InlineData(66666666L)]
    public void Sm3_codes_are_hmac_sm3_truncated_as_rfc_4226_says(long step)
    {
        // HMAC (RFC 2104) written out over the SM3 digest: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ counter)), 64-byte blocks.
        var counter = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var key = new byte[64];
        Rfc6238Secret.CopyTo(key, 0);
        var inner = Sm3([.. key.Select(b => (byte)(b ^ 0x36)), .. counter]);
        var mac = Sm3([.. key.Select(b => (byte)(b ^ 0x5c)), .. inner]);
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var expected = (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, OneTimeCodeProvider.Code(Rfc6238Secret, step, OneTimeCodeProvider.HmacSm3));
        Assert.NotEqual(OneTimeCodeProvider.Code(Rfc6238Secret, step, OneTimeCodeProvider.HmacSha1), expected);
    }

    [Fact]
    public void Base32_keys_decode_as_authenticator_apps_read_them() =>
        Assert.Equal(Rfc6238Secret, OneTimeCodeProvider.Base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));

    private static byte[] Sm3(byte[] data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
