using Rectify.Features.Plans;

namespace Rectify.UnitTests.Intake;

/// <summary>A unit name typed in a plan that the tree lacks: the tree's names it may be a slip of, for the preview's 提示.</summary>
public sealed class NearNamesTests
{
    private static readonly string[] Tree = ["公路建设管理股", "财务审计股", "局办公室", "执法大队", "县交通运输综合行政执法大队", "党建办"];

    [Theory]
    [InlineData("公路建设管里股", "公路建设管理股")] // one character wrong
    [InlineData("公路建设管股", "公路建设管理股")] // one missing
    [InlineData("财务审计股室", "财务审计股")] // one extra
    [InlineData("县交通运输综合执法大队", "县交通运输综合行政执法大队")] // two missing in a long name
    public void A_slip_of_a_units_name_is_pointed_to_the_unit(string typed, string meant) =>
        Assert.Equal([meant], IntakeCommitService.NearNames(typed, Tree));

    [Theory]
    [InlineData("组织办")] // a short name two characters from 党建办 is another unit
    [InlineData("县公路养护中心")]
    [InlineData("办公")] // too short to guess from
    [InlineData("公路建设管理股")] // the name itself is no slip
    public void Another_unit_or_the_same_is_no_slip(string typed) =>
        Assert.Empty(IntakeCommitService.NearNames(typed, Tree));
}
