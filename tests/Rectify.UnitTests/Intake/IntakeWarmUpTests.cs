using Rectify.Features.Plans;

namespace Rectify.UnitTests.Intake;

public sealed class IntakeWarmUpTests
{
    [Fact]
    public void The_warm_up_ledger_reads_back_whole_without_a_problem() => Assert.Equal(IntakeWarmUp.Rows, IntakeWarmUp.Run());
}
