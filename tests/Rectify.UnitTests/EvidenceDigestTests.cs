using System.Text;
using Rectify.Features.Reports;

namespace Rectify.UnitTests;

public sealed class EvidenceDigestTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rectify-digest-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_SM3_digest_is_recorded_beside_the_SHA256_when_configured_and_matches_the_standards_vector()
    {
        // The digest is checked against the standard's example (GB/T 32905-2016: SM3 of "abc"); the staged file's SM3 is that digest over the whole file.
        var store = new EvidenceStore(root);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\nabc\n%%EOF\n");
        var staged = await store.StageAsync(new MemoryStream(pdf), "a.pdf", 1024, TestContext.Current.CancellationToken, sm3: true);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), staged.Sha256);
        Assert.Equal(Sm3Hex(pdf), staged.Sm3);
        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Sm3Hex(Encoding.ASCII.GetBytes("abc")));

        var plain = await store.StageAsync(new MemoryStream(pdf), "a.pdf", 1024, TestContext.Current.CancellationToken);
        Assert.Null(plain.Sm3);
        EvidenceStore.Discard([staged, plain]);
    }

    [Theory]
    [InlineData("SHA256", true, false)]
    [InlineData("sm3", true, true)]
    [InlineData("MD5", false, false)]
    public void Only_the_known_digests_are_accepted(string digest, bool known, bool sm3)
    {
        var options = new EvidenceOptions { Digest = digest };
        Assert.Equal(known, options.DigestIsKnown);
        Assert.Equal(sm3, options.RecordsSm3);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Sm3Hex(byte[] data)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return Convert.ToHexStringLower(output);
    }
}
