using Rectify.Documents;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

public sealed class NoticeIntakeTests
{
    /// <summary>The seed notice of shared/seed, as the repository ships it for the demo.</summary>
    private static readonly string Seed = Rectify.Demo.DemoSeeder.ReadSeedNotice();

    [Fact]
    public void The_seed_notice_becomes_a_draft_with_its_whole_structure_and_no_planning_fields()
    {
        var notice = NoticeParser.Parse(Seed);

        var draft = NoticeIntake.ToDraft(notice);

        Assert.Equal(6, draft.Categories.Count);
        Assert.Equal(27, draft.FindingCount);
        Assert.Equal(72, draft.MeasureCount);
        Assert.Equal(Enumerable.Range(1, 6), draft.Categories.Select(c => c.Number));
        Assert.Equal(Enumerable.Range(1, 27), draft.Categories.SelectMany(c => c.Findings).Select(f => f.Number));
        Assert.Equal(
            notice.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).Select(m => (m.Number, m.Text)),
            draft.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).Select(m => (m.Number, m.Text)));
        Assert.Equal(notice.Categories.Select(c => c.Title), draft.Categories.Select(c => c.Title));
        Assert.All(draft.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures), m =>
        {
            Assert.Null(m.Kind);
            Assert.Null(m.Deadline);
            Assert.Null(m.ResponsibleLeader);
            Assert.Null(m.LeadUnit);
            Assert.Empty(m.SupportingUnits);
            Assert.Null(m.Source);
        });
        Assert.Empty(draft.Problems);
        Assert.True(draft.CanConfirm);
    }

    [Fact]
    public void The_notices_introduction_fills_the_inspection()
    {
        var i = NoticeIntake.ToDraft(NoticeParser.Parse(Seed)).Inspection;

        Assert.Equal("市委第七巡察组", i.Team);
        Assert.Equal("中共万江街道工作委员会", i.Target);
        Assert.Equal("万江街道党工委", i.TargetShortName);
        Assert.Equal(10, i.AlsoInspected.Count);
        Assert.Equal(["石美社区石美小组", "坝头社区下坝小组"], i.ExtendedScope);
        Assert.Equal(new DateOnly(2024, 3, 25), i.OnSiteFrom);
        Assert.Equal(new DateOnly(2024, 5, 10), i.OnSiteTo);
        Assert.Equal(new DateOnly(2024, 8, 15), i.FeedbackDate);
        Assert.False(i.IsXunshi);
    }

    /// <summary>SHA-256 of shared/seed/000_153311861bd1e931.txt, the published notice, as it was given to the project.</summary>
    private const string SharedSeedSha256 = "bed59f590074cc6c7768ca99dcb616a25c521d95b4e6ff107e91bcbe0028d6a0";

    [Fact]
    public void The_seed_the_demo_ships_is_the_seed_of_shared()
    {
        // The shipped copy is the published text byte for byte (line endings aside): checked against the recorded digest
        // everywhere, and against shared/seed itself where it sits beside the repository.
        var shipped = System.Text.Encoding.UTF8.GetBytes(Seed.ReplaceLineEndings("\n"));
        Assert.Equal(SharedSeedSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(shipped)));
        var shared = Path.Combine(Sources.Root, "..", "shared", "seed", "000_153311861bd1e931.txt");
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllText(shared).ReplaceLineEndings(), Seed.ReplaceLineEndings());
        }
    }
}
