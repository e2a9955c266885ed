using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Notifications;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>
/// The application with its clock in the test's hand (Monday 7 December 2026, 10:00 in China), an SMTP server and
/// webhook receivers in the test process, small batches (5 reminders a transaction) and three attempts before a dead
/// letter. <paramref name="failingHooks"/> adds a receiver that fails twice and one that fails until told otherwise.
/// </summary>
public abstract class NotifyApp(Provider provider, bool failingHooks, int digestListsAtMost = 200) : AppFixture(provider, clock: new FakeClock(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero)))
{
    public SmtpSink Smtp { get; } = new();

    public HookReceiver Hooks { get; } = new();

    public FakeClock FakeClock => Clock!;

    protected override async ValueTask<IReadOnlyDictionary<string, string?>> PrepareAsync()
    {
        await Smtp.StartAsync();
        await Hooks.StartAsync();
        var settings = Hooks.Settings();
        settings["Notifications:Smtp:Host"] = "127.0.0.1";
        settings["Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:Smtp:Security"] = "None";
        settings["Notifications:Smtp:From"] = "zhenggai@example.gov.cn";
        settings["Notifications:BatchSize"] = "5";
        settings["Notifications:DigestListsAtMost"] = digestListsAtMost.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:MaxAttempts"] = "3";
        settings["Notifications:RetryBaseSeconds"] = "60";
        settings["Notifications:BaseUrl"] = "https://zhenggai.example.gov.cn";
        if (failingHooks)
        {
            foreach (var (i, name) in new[] { (3, "flaky"), (4, "down") })
            {
                settings[$"Notifications:Webhooks:{i}:Name"] = name;
                settings[$"Notifications:Webhooks:{i}:Kind"] = "Generic";
                settings[$"Notifications:Webhooks:{i}:Url"] = new Uri(Hooks.Address, "/" + name).ToString();
                settings[$"Notifications:Webhooks:{i}:Secret"] = HookReceiver.GenericSecret;
            }
        }

        return settings;
    }

    protected override async ValueTask CleanUpAsync()
    {
        await Smtp.DisposeAsync();
        await Hooks.DisposeAsync();
    }

    public DateOnly Today => ChinaTime.Today(FakeClock);

    /// <summary>Runs the day's reminder scan as the background service would.</summary>
    public Task<ScanResult> ScanAsync() => ScanAsync(null, TestContext.Current.CancellationToken);

    public async Task<ScanResult> ScanAsync(IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(progress, cancellationToken);
    }

    public async Task<DispatchResult> DispatchAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchAsync(CancellationToken.None);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<T> WithDbAsync<T>(Func<RectifyDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    /// <summary>
    /// Quiets every other source of reminders (deadlines moved far ahead, 长期坚持 measures reported, open look-backs due
    /// later) and gives <paramref name="count"/> of 纪检监察办's open measures (the demo unit reporter's) deadlines of
    /// their own: the i-th gets <paramref name="deadline"/>(i). Returns their ids (at least <paramref name="least"/>).
    /// </summary>
    public async Task<IReadOnlyList<int>> ArrangeDeadlinesAsync(int count, Func<int, DateOnly> deadline, int? least = null)
    {
        var now = FakeClock.GetUtcNow().UtcDateTime;
        var far = Today.AddDays(200);
        return await WithDbAsync(async db =>
        {
            await db.Measures.Where(m => m.Deadline != null).ExecuteUpdateAsync(s => s.SetProperty(m => m.Deadline, far));
            await db.Measures.Where(m => m.State == MeasureState.Ongoing).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReportAtUtc, now));
            await db.LookBacks.Where(l => l.Result == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.DueDate, far));
            var ids = await db.Measures.Where(m => m.InspectionId == InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.WithdrawnAtUtc == null
                    && m.Kind != MeasureKind.Ongoing && m.State != MeasureState.SignedOff && m.State != MeasureState.Ongoing)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(count).ToListAsync();
            Assert.True(ids.Count >= (least ?? count), $"the demo has only {ids.Count} open measures of 纪检监察办");
            for (var i = 0; i < ids.Count; i++)
            {
                var id = ids[i];
                var d = deadline(i);
                await db.Measures.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Deadline, d));
            }

            await ContentVersion.BumpAsync(db, CancellationToken.None);
            return (IReadOnlyList<int>)ids;
        });
    }

    /// <summary>The demo unit reporter asks for email at an address, each reminder on its own (or a digest), quiet from … until ….</summary>
    public async Task SetUnitPreferencesAsync(string quietFrom = "22:00", string quietUntil = "07:00", bool digest = false)
    {
        using var unit = await this.SignedInAsync("unit");
        var response = await unit.PostFromPageAsync("/Account/Notifications", "/Account/Notifications", new Dictionary<string, string>
        {
            ["emailEnabled"] = "true",
            ["emailAddress"] = "unit@example.gov.cn",
            ["mode"] = digest ? "digest" : "each",
            ["quietFrom"] = quietFrom,
            ["quietUntil"] = quietUntil,
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
    }
}

public sealed class NotifySqliteApp() : NotifyApp(Provider.Sqlite, failingHooks: false);

public sealed class NotifyPostgresApp() : NotifyApp(Provider.Postgres, failingHooks: false);

public sealed class CatchUpSqliteApp() : NotifyApp(Provider.Sqlite, failingHooks: false, digestListsAtMost: 2);

public sealed class CatchUpPostgresApp() : NotifyApp(Provider.Postgres, failingHooks: false, digestListsAtMost: 2);

public sealed class DeliverySqliteApp() : NotifyApp(Provider.Sqlite, failingHooks: true);

public sealed class DeliveryPostgresApp() : NotifyApp(Provider.Postgres, failingHooks: true);
