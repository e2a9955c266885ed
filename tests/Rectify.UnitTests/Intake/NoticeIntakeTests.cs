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

    /// <summary>A short notice of our own, stating its totals in the genre's words before listing its findings.</summary>
    private static string Stating(int problems, int measures) => $"""
        中共某某镇委员会关于巡察整改进展情况的通报

        根据县委统一部署，2025年3月至5月，县委第二巡察组对镇党委开展了巡察，并于2025年7月反馈了巡察意见。镇党委针对反馈的{problems}个问题，制定{measures}条整改措施，现将整改进展情况通报如下。

        一、学习贯彻方面
        （一）理论学习不够深入
        一是建立中心组月学制度。二是开展学习情况专项检查。
        （二）政策宣讲覆盖不全
        一是每季度开展政策宣讲进村活动。

        中共某某镇委员会
        2025年12月1日
        """;

    [Fact]
    public void Totals_the_notice_states_are_compared_with_what_was_read_and_a_difference_is_a_warning()
    {
        var agree = NoticeIntake.ToDraft(NoticeReader.Read(Stating(2, 3)));
        Assert.Equal((2, 3), (agree.FindingCount, agree.MeasureCount));
        Assert.DoesNotContain(agree.Problems, p => p.Message.Contains("通报写明", StringComparison.Ordinal));

        var differ = NoticeIntake.ToDraft(NoticeReader.Read(Stating(38, 226)));
        var warning = Assert.Single(differ.Problems, p => p.Message.Contains("通报写明", StringComparison.Ordinal));
        Assert.StartsWith("通报写明 38 个问题（读取到 2 个）、226 条整改措施（读取到 3 条），与读取的不一致。", warning.Message, StringComparison.Ordinal);
        Assert.Equal(IntakeSeverity.Warning, warning.Severity);
        Assert.True(differ.CanConfirm);
    }
}
