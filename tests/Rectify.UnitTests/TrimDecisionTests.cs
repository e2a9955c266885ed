using Rectify.Hosting;

namespace Rectify.UnitTests;

public sealed class TrimDecisionTests
{
    private const long Mb = 1024 * 1024;

    private static TrimDecision Start() => new(quietAllocatedBytes: 8 * Mb, trimAboveBytes: 32 * Mb, committedAtStart: 60 * Mb);

    [Fact]
    public void A_quiet_spell_after_a_busy_one_trims_when_the_committed_memory_grew_enough()
    {
        var decision = Start();
        Assert.False(decision.Next(allocatedBytes: 500 * Mb, committedBytes: 150 * Mb));
        Assert.True(decision.Next(allocatedBytes: 1 * Mb, committedBytes: 150 * Mb));
    }

    [Fact]
    public void A_server_that_was_never_busy_is_not_trimmed()
    {
        var decision = Start();
        Assert.False(decision.Next(allocatedBytes: 0, committedBytes: 150 * Mb));
        Assert.False(decision.Next(allocatedBytes: 2 * Mb, committedBytes: 150 * Mb));
    }

    [Fact]
    public void A_busy_spell_that_left_little_behind_is_not_worth_a_trim()
    {
        var decision = Start();
        Assert.False(decision.Next(allocatedBytes: 100 * Mb, committedBytes: 80 * Mb));
        Assert.False(decision.Next(allocatedBytes: 0, committedBytes: 80 * Mb));
    }

    [Fact]
    public void While_the_load_goes_on_nothing_is_trimmed()
    {
        var decision = Start();
        for (var i = 0; i < 10; i++)
        {
            Assert.False(decision.Next(allocatedBytes: 8 * Mb, committedBytes: 400 * Mb));
        }
    }

    [Fact]
    public void After_a_trim_the_next_needs_a_new_busy_spell_and_new_growth()
    {
        var decision = Start();
        decision.Next(allocatedBytes: 500 * Mb, committedBytes: 150 * Mb);
        Assert.True(decision.Next(allocatedBytes: 0, committedBytes: 150 * Mb));
        decision.Trimmed(committedBytes: 45 * Mb);

        // Still quiet: nothing more to do, however long it stays so.
        Assert.False(decision.Next(allocatedBytes: 0, committedBytes: 50 * Mb));
        Assert.False(decision.Next(allocatedBytes: 0, committedBytes: 90 * Mb));

        // Busy again; growth is measured from what the trim left, not from the start.
        Assert.False(decision.Next(allocatedBytes: 50 * Mb, committedBytes: 70 * Mb));
        Assert.False(decision.Next(allocatedBytes: 0, committedBytes: 70 * Mb));
        Assert.False(decision.Next(allocatedBytes: 50 * Mb, committedBytes: 80 * Mb));
        Assert.True(decision.Next(allocatedBytes: 0, committedBytes: 80 * Mb));
    }
}

public sealed class NativeHeapTests
{
    [Fact]
    public void On_glibc_the_c_library_is_asked_to_give_its_free_pages_back()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal))
        {
            Assert.Skip("not a glibc system: malloc_trim does not exist here");
        }

        Assert.True(NativeHeap.Trim());
    }
}
