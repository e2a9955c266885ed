using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The test harness itself: a server that refuses to start is reported with its reason, not as a database left unmigrated.</summary>
public sealed class HarnessTests
{
    [Fact]
    public async Task A_fixture_whose_server_refuses_to_start_says_what_serve_printed()
    {
        var fixture = new UnreachableDatabaseApp();
        try
        {
            var refusal = await Assert.ThrowsAsync<InvalidOperationException>(async () => await fixture.InitializeAsync());
            Assert.Contains("serve 未启动服务器（第 2 次）", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("无法连接", refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    /// <summary>A PostgreSQL server on a port nothing listens on: serve prints that it cannot connect and ends.</summary>
    private sealed class UnreachableDatabaseApp() : AppFixture(Provider.Sqlite, seedDemo: false, extraSettings: new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Rectify"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing;Timeout=2",
    });
}
