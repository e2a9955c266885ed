using System.Net;
using Microsoft.Extensions.Options;
using Rectify.Features.Publications;

namespace Rectify.UnitTests;

/// <summary>
/// The public opinion form against one address that posts all day (attack L6): an address has a daily share, so that it
/// cannot use up a notice's daily cap for everyone else. (A stamp sends one opinion: PublicNoticeBrowserTests and
/// PublicOpinionStampTests.)
/// </summary>
public sealed class PublicFormDefenceTests
{
    [Fact]
    public void An_address_has_a_daily_share_beside_its_window_and_another_address_is_still_heard()
    {
        using var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 10, WindowSeconds = 600, DailyPerAddress = 3 }));
        var one = IPAddress.Parse("10.1.2.3");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((true, TimeSpan.Zero, false), limit.Take(one));
        }

        var (allowed, wait, daily) = limit.Take(one);
        Assert.False(allowed);
        Assert.True(daily);
        Assert.InRange(wait, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.Equal(3, limit.DailyLimit);
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.4")).Allowed);
    }

    [Fact]
    public void The_window_refuses_first_and_says_so()
    {
        using var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 2, WindowSeconds = 600, DailyPerAddress = 50 }));
        var one = IPAddress.Parse("10.1.2.3");
        Assert.True(limit.Take(one).Allowed);
        Assert.True(limit.Take(one).Allowed);
        var (allowed, wait, daily) = limit.Take(one);
        Assert.False(allowed);
        Assert.False(daily);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600));
    }
}
