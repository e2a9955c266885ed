using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Audit;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The hosted service that anchors the trail: a checkpoint when the server starts and another at shutdown, each
/// appended to the checkpoints file and posted, signed, to the webhook — which here fails twice before it answers.
/// </summary>
public sealed class AuditCheckpointServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Checkpoints_go_to_the_file_and_the_webhook_at_start_and_at_shutdown_and_a_failing_webhook_is_retried()
    {
        await using var hooks = new HookReceiver { FlakyFailures = 2 };
        await hooks.StartAsync();
        var app = new CheckpointApp(new Uri(hooks.Address, "/flaky"));
        try
        {
            await app.InitializeAsync();

            // At start: the empty trail's head, in the file and (on the third try) at the webhook, signed with its secret.
            var delivered = await UntilAsync(() => hooks.Calls.FirstOrDefault(c => c.Status == 200));
            Assert.Equal(3, hooks.Calls.Count(c => c.Path == "flaky"));
            Assert.All(hooks.Calls, c => Assert.True(c.SignatureValid));
            Assert.Equal("audit.checkpoint", delivered.Headers["X-Rectify-Event"]);
            var first = Assert.Single(await File.ReadAllLinesAsync(app.CheckpointsFile, Ct));
            Assert.Equal(first, delivered.Body);
            var key = app.Factory.Services.GetRequiredService<AuditKey>();
            var (checkpoints, problems) = AuditCheckpoint.ReadFile(app.CheckpointsFile);
            Assert.Empty(problems);
            Assert.True(checkpoints[0].IsSignedBy(key));
            Assert.Equal(0, checkpoints[0].Sequence);

            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
                for (var i = 0; i < 3; i++)
                {
                    await audit.RecordAsync(new AuditEvent("test.checkpoint"), AuditActor.CommandLine, Ct);
                }
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        // At shutdown: the head as it was left, appended after the first.
        Assert.Equal(2, app.LinesAtShutdown.Length);
        using var last = JsonDocument.Parse(app.LinesAtShutdown[^1]);
        Assert.Equal(3, last.RootElement.GetProperty("sequence").GetInt64());
        Assert.Contains(hooks.Calls, c => c.Status == 200 && c.Body == app.LinesAtShutdown[^1]);
    }

    private static async Task<T> UntilAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("not within 20 seconds");
        return null!;
    }

    private sealed class CheckpointApp(Uri webhook) : AppFixture(Provider.Sqlite, seedDemo: false, extraSettings: new Dictionary<string, string?>
    {
        ["Audit:Checkpoints:WebhookUrl"] = webhook.ToString(),
        ["Audit:Checkpoints:WebhookSecret"] = HookReceiver.GenericSecret,
    })
    {
        public string[] LinesAtShutdown { get; private set; } = [];

        protected override ValueTask CleanUpAsync()
        {
            // After the application stopped, before its folders are removed.
            LinesAtShutdown = File.Exists(CheckpointsFile) ? File.ReadAllLines(CheckpointsFile, Encoding.UTF8) : [];
            return ValueTask.CompletedTask;
        }
    }
}
