using Microsoft.Extensions.Primitives;
using Rectify.Features.Common;

namespace Rectify.UnitTests;

/// <summary>Accept-Encoding as kept answers read it (RFC 9110 §12.5.3; ADR 0038).</summary>
public sealed class ContentCodingTests
{
    [Theory]
    [InlineData("gzip")]
    [InlineData("GZIP")]
    [InlineData("x-gzip")]
    [InlineData("gzip, deflate, br, zstd")] // Chromium
    [InlineData("gzip, deflate")] // Python requests
    [InlineData("deflate, gzip, br, zstd")] // curl --compressed
    [InlineData("br;q=1.0, gzip;q=0.8, *;q=0.1")]
    [InlineData("  gzip ; q=0.001 ")]
    [InlineData("*")]
    [InlineData("identity, *;q=0.5")]
    [InlineData("gzip;q=0, gzip;q=0.5")] // listed twice: the higher weight
    [InlineData("gzip;level=9")] // a parameter that is not a weight
    [InlineData(",,gzip,,")]
    [InlineData("gzip;q=NaN, gzip")] // the unreadable item is left out, the other stands
    public void Accepted(string header) => Assert.True(ContentCoding.AcceptsGzip(new StringValues(header)));

    [Theory]
    [InlineData("")]
    [InlineData("identity")]
    [InlineData("br, deflate")]
    [InlineData("gzip;q=0")]
    [InlineData("gzip;q=0.000")]
    [InlineData("GZIP; Q=0")]
    [InlineData("*, gzip;q=0")] // listed and refused: * does not bring it back
    [InlineData("*;q=0")]
    [InlineData("gzip;q=2")] // a weight out of range: the item is left out
    [InlineData("gzip;q=-1")]
    [InlineData("gzip;q=abc")]
    [InlineData("gzip;q=")]
    [InlineData("gzip;q=NaN")]
    [InlineData("gzip;q=Infinity")]
    [InlineData("gzip;q=-Infinity")]
    [InlineData("gzipx")]
    [InlineData("xgzip, gzi")]
    public void NotAccepted(string header) => Assert.False(ContentCoding.AcceptsGzip(new StringValues(header)));

    [Fact]
    public void AbsentIsNotAccepted() => Assert.False(ContentCoding.AcceptsGzip(StringValues.Empty));

    [Fact]
    public void SeveralHeaderLinesAreOneList()
    {
        Assert.True(ContentCoding.AcceptsGzip(new StringValues(["br", "gzip;q=0.3"])));
        Assert.False(ContentCoding.AcceptsGzip(new StringValues(["gzip;q=0", "*"])));
    }
}
