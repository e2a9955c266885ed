using System.Text.RegularExpressions;
using Rectify.Domain;
using Rectify.Features.Notifications;

namespace Rectify.UnitTests;

/// <summary>
/// The system administrator's list of failed notices names each notice by its kind in words, never by its subject (which
/// carries a measure's wording). Every kind a sender writes therefore needs words, or the 三员 would read "【PlanSubmitted】".
/// </summary>
public sealed partial class NotificationKindTests
{
    [Fact]
    public void Every_kind_a_sender_writes_has_words()
    {
        var handOffs = Sources.Files("src/Rectify/Features/HandOffs").Single(f => f.Relative.EndsWith("/HandOffNotices.cs", StringComparison.Ordinal));
        var written = KindLiteral().Matches(Sources.Code(handOffs)).Select(m => m.Groups[1].Value)
            .Concat(Enum.GetNames<ReminderKind>()).Append("Digest").Distinct().ToList();

        Assert.True(written.Count >= 25, $"the scan found only {written.Count} kinds");
        Assert.Empty(written.Except(NotificationKinds.Known));
        Assert.All(written, k => Assert.DoesNotMatch("[A-Za-z]", NotificationKinds.Heading(k)));
    }

    [Fact]
    public void A_kind_is_put_in_brackets_and_an_unknown_one_keeps_its_name()
    {
        Assert.Equal("【超期提醒】", NotificationKinds.Heading(nameof(ReminderKind.Overdue)));
        Assert.Equal("【公布稿送审】", NotificationKinds.Heading("PublicationSubmitted"));
        Assert.Equal("【SomethingNewer】", NotificationKinds.Heading("SomethingNewer"));
    }

    [GeneratedRegex("\"([A-Z][A-Za-z]+)\"")]
    private static partial Regex KindLiteral();
}
