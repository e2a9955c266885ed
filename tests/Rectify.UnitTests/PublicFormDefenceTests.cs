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
            Assert.Equal((true, TimeSpan.Zero, false, i < 2), limit.Take(one));
        }

        var (allowed, wait, daily, _) = limit.Take(one);
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
        var (allowed, wait, daily, _) = limit.Take(one);
        Assert.False(allowed);
        Assert.False(daily);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600));
    }

    [Fact]
    public void An_ipv6_machine_is_one_sender_by_its_64_and_its_first_two_posts_of_the_day_are_a_new_senders()
    {
        using var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 3, WindowSeconds = 600, DailyPerAddress = 50, NewSenderShare = 2 }));

        // Three addresses of one /64 share one window: the fourth post is refused, whichever address sends it.
        var block = new[] { "2001:db8:1:2::1", "2001:db8:1:2:aaaa::7", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::99" }.Select(IPAddress.Parse).ToList();
        Assert.Equal([true, true, false], block.Take(3).Select(a => limit.Take(a).NewSender));
        Assert.False(limit.Take(block[3]).Allowed);

        // The next /64 is another sender, new today.
        Assert.Equal((true, true), (limit.Take(IPAddress.Parse("2001:db8:1:3::1")) is var next ? (next.Allowed, next.NewSender) : default));

        // An IPv4 address seen as IPv6 (a dual-stack socket) is the IPv4 sender.
        Assert.Equal("10.1.2.3", PublicOpinionRateLimit.SenderOf(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.Equal("2001:db8:1:2::/64", PublicOpinionRateLimit.SenderOf(block[1]));
    }

    [Fact]
    public void Past_the_cap_one_network_has_a_bounded_number_of_new_senders_however_many_64s_it_holds()
    {
        using var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 10, WindowSeconds = 600, DailyPerAddress = 50, NewSenderShare = 2, NewSendersPerNetwork = 3 }));

        // One /48, a new /64 for every post: each is heard, but only three count as a new sender's.
        var sprayed = Enumerable.Range(1, 6).Select(i => limit.Take(IPAddress.Parse($"2001:db8:77:{i:x}::1"))).ToList();
        Assert.All(sprayed, t => Assert.True(t.Allowed));
        Assert.Equal([true, true, true, false, false, false], sprayed.Select(t => t.NewSender));

        // Another /48, and an IPv4 address, are other networks, new today.
        Assert.True(limit.Take(IPAddress.Parse("2001:db8:78::1")).NewSender);
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.3")).NewSender);

        // An IPv4 /24 is one network as well; an old sender's posts take nothing of it.
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.3")).NewSender);
        Assert.False(limit.Take(IPAddress.Parse("10.1.2.3")).NewSender);
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.4")).NewSender);
        Assert.False(limit.Take(IPAddress.Parse("10.1.2.5")).NewSender);
        Assert.True(limit.Take(IPAddress.Parse("10.1.3.5")).NewSender);

        Assert.Equal("2001:db8:77::/48", PublicOpinionRateLimit.NetworkOf(IPAddress.Parse("2001:db8:77:ffff:1:2:3:4")));
        Assert.Equal("10.1.2.0/24", PublicOpinionRateLimit.NetworkOf(IPAddress.Parse("::ffff:10.1.2.200")));
    }
}
