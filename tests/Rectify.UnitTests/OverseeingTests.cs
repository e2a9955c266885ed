using Rectify.Domain;
using Rectify.Features.Plans;

namespace Rectify.UnitTests;

/// <summary>Which inspection body an office's typed 巡察组 may resolve to: one that oversees the inspected organization.</summary>
public sealed class OverseeingTests
{
    [Fact]
    public void The_ids_above_an_organization_are_read_from_its_path_nearest_last()
    {
        Assert.Equal([1, 4], Organization.AncestorIds("/1/4/9/"));
        Assert.Empty(Organization.AncestorIds("/7/"));
    }

    [Theory]
    // A team under the city's inspection office (/1/5/9/), the city committee /1/: it oversees the street /1/3/.
    [InlineData("/1/5/9/", "/1/3/", true)]
    // The same team does not oversee another city's street.
    [InlineData("/1/5/9/", "/2/3/", false)]
    // A team under a district committee's office (/1/3/8/12/, the district /1/3/) oversees the district's streets, not the city's others.
    [InlineData("/1/3/8/12/", "/1/3/20/", true)]
    [InlineData("/1/3/8/12/", "/1/4/", false)]
    public void A_body_oversees_what_hangs_from_the_party_committee_nearest_above_it(string body, string inspected, bool oversees)
    {
        string[] committees = ["/1/", "/2/", "/1/3/", "/1/4/"];
        Assert.Equal(oversees, PlanService.Oversees(body, committees, inspected));
    }

    [Fact]
    public void A_body_with_no_committee_above_it_oversees_its_parents_subtree()
    {
        Assert.True(PlanService.Oversees("/1/5/", [], "/1/3/"));
        Assert.False(PlanService.Oversees("/1/5/", [], "/2/3/"));
    }
}

/// <summary>The units whose reporter accounts report for a lead unit: the unit and every unit above it.</summary>
public sealed class ReporterAccountPathTests
{
    [Fact]
    public void A_path_is_read_down_to_the_unit()
    {
        Assert.Equal(["/1/", "/1/4/", "/1/4/9/"], Rectify.Access.RoleHolders.PathsDownTo("/1/4/9/"));
        Assert.Equal(["/7/"], Rectify.Access.RoleHolders.PathsDownTo("/7/"));
    }
}
