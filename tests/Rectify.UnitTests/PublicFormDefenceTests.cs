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
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 10, WindowSeconds = 600, DailyPerAddress = 3 }), TimeProvider.System);
        var one = IPAddress.Parse("10.1.2.3");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new PublicOpinionTake(true, TimeSpan.Zero, false, i < 2), limit.Take(one));
        }

        var (allowed, wait, daily, _, _) = limit.Take(one);
        Assert.False(allowed);
        Assert.True(daily);
        Assert.InRange(wait, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.Equal(3, limit.DailyLimit);
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.4")).Allowed);
    }

    [Fact]
    public void The_window_refuses_first_and_says_so()
    {
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 2, WindowSeconds = 600, DailyPerAddress = 50 }), TimeProvider.System);
        var one = IPAddress.Parse("10.1.2.3");
        Assert.True(limit.Take(one).Allowed);
        Assert.True(limit.Take(one).Allowed);
        var (allowed, wait, daily, _, _) = limit.Take(one);
        Assert.False(allowed);
        Assert.False(daily);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600));
    }

    [Fact]
    public void An_ipv6_machine_is_one_sender_by_its_64_and_its_first_two_posts_of_the_day_are_a_new_senders()
    {
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 3, WindowSeconds = 600, DailyPerAddress = 50, NewSenderShare = 2 }), TimeProvider.System);

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
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 10, WindowSeconds = 600, DailyPerAddress = 50, NewSenderShare = 2, NewSendersPerNetwork = 3 }), TimeProvider.System);

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

    [Fact]
    public void A_day_runs_from_the_senders_first_post_and_the_window_from_its_own()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 2, WindowSeconds = 600, DailyPerAddress = 3 }), clock);
        var one = IPAddress.Parse("10.1.2.3");
        Assert.True(limit.Take(one).Allowed);
        Assert.True(limit.Take(one).Allowed);
        Assert.Equal((false, false, TimeSpan.FromMinutes(10)), limit.Take(one) is var refused ? (refused.Allowed, refused.Daily, refused.RetryAfter) : default);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(limit.Take(one).Allowed);
        var spent = limit.Take(one);
        Assert.Equal((false, true, TimeSpan.FromHours(23) + TimeSpan.FromMinutes(50)), (spent.Allowed, spent.Daily, spent.RetryAfter));

        clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(50));
        Assert.Equal(new PublicOpinionTake(true, TimeSpan.Zero, false, true), limit.Take(one));
    }

    [Fact]
    public void A_sprayer_of_addresses_is_followed_up_to_the_bound_and_then_refused_while_known_senders_still_post()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { MostSendersTracked = 100 }), clock);
        var sprayed = Enumerable.Range(0, 150).Select(i => limit.Take(IPAddress.Parse($"2001:db8:{i / 256:x}:{i % 256:x}::1"))).ToList();
        Assert.All(sprayed.Take(100), t => Assert.True(t.Allowed));
        Assert.All(sprayed.Skip(100), t => Assert.Equal((false, true, false), (t.Allowed, t.Crowded, t.Daily)));
        Assert.Equal(100, limit.SendersTracked);

        // A sender already followed is not crowded out; another address of its /64 is the same sender.
        Assert.True(limit.Take(IPAddress.Parse("2001:db8:0:5::77")).Allowed);

        // A day after the first posts, their senders are forgotten and new ones are heard again.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(limit.Take(IPAddress.Parse("2001:db8:ff::1")).Allowed);
        Assert.Equal(1, limit.SendersTracked);
    }

    [Fact]
    public void An_ipv4_address_and_an_ipv6_block_with_the_same_bits_are_different_senders()
    {
        var limit = new PublicOpinionRateLimit(Options.Create(new PublicOpinionOptions { PermitLimit = 1 }), TimeProvider.System);
        Assert.True(limit.Take(IPAddress.Parse("10.1.2.3")).Allowed);
        Assert.True(limit.Take(IPAddress.Parse("0:0:a01:203::1")).Allowed);
        Assert.True(limit.Take(IPAddress.Parse("::a01:203")).Allowed);
        Assert.False(limit.Take(IPAddress.Parse("::ffff:10.1.2.3")).Allowed);
    }
}
