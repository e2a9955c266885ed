using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Rectify.Data;
using Rectify.Features.Admin;

namespace Rectify.UnitTests;

/// <summary>
/// A password link starts with the configured address; only where nothing configured vouches for the host the request
/// named (AllowedHosts "*", no Notifications:BaseUrl) does it say so, for the administrator to check before handing it over.
/// </summary>
public sealed class PasswordLinkTests
{
    private static PasswordLink Link(string host, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        return PasswordLink.For(context.Request, configuration, new RectifyUser { Id = "u1", UserName = "zhangsan" }, "token", 24);
    }

    [Fact]
    public void Behind_a_configured_address_the_link_uses_it_whatever_host_the_request_named()
    {
        var link = Link("evil.example", ("AllowedHosts", "*"), ("Notifications:BaseUrl", "https://zhenggai.example.gov.cn/"));
        Assert.StartsWith("https://zhenggai.example.gov.cn/Account/SetPassword?", link.Url, StringComparison.Ordinal);
        Assert.Null(link.UnvouchedHost);
    }

    [Fact]
    public void With_allowed_hosts_set_the_request_host_is_vouched_for_by_host_filtering()
    {
        var link = Link("zhenggai.example.gov.cn", ("AllowedHosts", "zhenggai.example.gov.cn"));
        Assert.StartsWith("https://zhenggai.example.gov.cn/", link.Url, StringComparison.Ordinal);
        Assert.Null(link.UnvouchedHost);
    }

    [Fact]
    public void With_nothing_configured_the_link_names_the_request_host_as_unvouched()
    {
        var link = Link("evil.example", ("AllowedHosts", "*"));
        Assert.StartsWith("https://evil.example/", link.Url, StringComparison.Ordinal);
        Assert.Equal("evil.example", link.UnvouchedHost);
    }
}
