namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that need PostgreSQL or Chromium skip with a reason on a plain machine; in CI
/// (RECTIFY_REQUIRE_ALL=1) a missing requirement fails the test instead.
/// </summary>
public static class Requirements
{
    public const string PostgresVariable = "RECTIFY_TEST_POSTGRES";
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool RequireAll => Environment.GetEnvironmentVariable("RECTIFY_REQUIRE_ALL") == "1";

    public static void Unavailable(string reason)
    {
        if (RequireAll)
        {
            Assert.Fail($"RECTIFY_REQUIRE_ALL=1 but {reason}");
        }

        Assert.Skip(reason);
    }

    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;
}
