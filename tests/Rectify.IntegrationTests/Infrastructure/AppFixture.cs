using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.IntegrationTests.Infrastructure;

public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One running application per provider and test class: a fresh database (a SQLite file in a temporary data
/// folder, or a new PostgreSQL database), migrated and loaded with the seed inspection through the demo path —
/// or, with <c>seedDemo: false</c>, left as a clean install leaves it: no organization, no account, no inspection.
/// </summary>
public abstract class AppFixture(Provider provider, bool kestrel = false, FakeClock? clock = null, bool demoMode = true, bool seedDemo = true, IReadOnlyDictionary<string, string?>? extraSettings = null) : IAsyncLifetime
{
    private string? postgresDatabase;

    public Provider Provider { get; } = provider;

    /// <summary>The application's clock when the fixture set one; tests move it forward.</summary>
    public FakeClock? Clock { get; } = clock;

    public string? UnavailableReason { get; private set; }

    public RectifyFactory Factory { get; private set; } = null!;

    /// <summary>The host's settings, for a second server process on the same database and data folder.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Outside the data folder, as production keeps it: the audit key (0400, made before the application starts, as
    /// `rectify audit init-key` makes it) and the append-only checkpoints folder.
    /// </summary>
    public string SecretsFolder { get; } = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + "-secrets");

    public string AuditKeyFile => Path.Combine(SecretsFolder, "audit.key");

    /// <summary>The column key that encrypts the 问题线索 at rest (0400, made as `rectify keys init-column-key` makes it), beside the audit key.</summary>
    public string ColumnKeyFile => Path.Combine(SecretsFolder, "column.key");

    public string CheckpointsFolder => Path.Combine(SecretsFolder, "checkpoints");

    public string CheckpointsFile => Path.Combine(CheckpointsFolder, Rectify.Audit.AuditCheckpointOptions.FileName);

    /// <summary>The PostgreSQL connection string of this fixture's database, or null on SQLite.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>The host options that point a verb of the command line at this fixture's database, key and checkpoints.</summary>
    public string[] CliArguments() =>
    [
        "--data", DataFolder, $"--Database:Provider={Provider}", $"--Audit:KeyFile={AuditKeyFile}", $"--AtRest:ColumnKeyFile={ColumnKeyFile}", $"--Audit:Checkpoints:Folder={CheckpointsFolder}",
        .. ConnectionString is null ? Array.Empty<string>() : [$"--ConnectionStrings:Rectify={ConnectionString}"],
    ];

    public string Password { get; } = DemoSeeder.NewPassword();

    public int InspectionId { get; private set; }

    /// <summary>The seed's inspected organization (中共万江街道工作委员会), as a string for --org.</summary>
    public string InspectedOrganization { get; private set; } = string.Empty;

    /// <summary>The same notice imported for another city: an inspection of an organization outside every demo user's scope.</summary>
    public int OtherInspectionId { get; private set; }

    public Uri? ServerAddress { get; private set; }

    /// <summary>
    /// The measures 纪检监察办 leads that were 整改中 when the seed was loaded, by id: a test takes its own by
    /// position here, whatever the other tests of its class have done to theirs before it.
    /// </summary>
    public IReadOnlyList<int> UnitMeasuresInProgress { get; private set; } = [];

    public void RequireAvailable()
    {
        if (UnavailableReason is not null)
        {
            Requirements.Unavailable(UnavailableReason);
        }
    }

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Rectify:DataFolder"] = DataFolder,
            ["Database:Provider"] = Provider.ToString(),

            // The host is started by Program itself, as in production; it migrates the new database on the way.
            ["Database:MigrateOnStart"] = "true",

            // Demo mode as `serve --demo` runs it (second factor relaxed), unless the fixture tests the real policy.
            ["Rectify:Demo"] = demoMode ? "true" : "false",

            // Small enough that a test can go over it cheaply.
            ["Evidence:MaxFileBytes"] = "1048576",

            // PostgreSQL runs record SM3 digests of evidence beside SHA-256, SQLite runs only SHA-256: both paths are exercised.
            ["Evidence:Digest"] = Provider == Provider.Postgres ? "SM3" : "SHA256",

            // The public opinion form's defences are tested by fixtures of their own (PublicLimitsApp); elsewhere they stay out of the way.
            ["PublicOpinions:PermitLimit"] = "1000",
            ["PublicOpinions:MinimumFillSeconds"] = "0",

            // The suite signs in hundreds of times from 127.0.0.1 as a handful of accounts; the sign-in limits are tested
            // with low limits by fixtures of their own (SignInLimitsTests), and stay out of the way elsewhere.
            ["Security:SignInLimits:PerAddress:PermitLimit"] = "100000",
            ["Security:SignInLimits:PerAccount:PermitLimit"] = "100000",

            // Reminders and notifications are driven by hand in the tests that test them (ReminderScan, OutboxDispatcher), never by a timer.
            ["Notifications:Background"] = "false",

            // Token use is written when a test asks (TokenUseRecorder.FlushAsync), never in the middle of another test's table checksum.
            ["ApiTokens:Background"] = "false",

            // The test hosts share one process and one GC: a host's full collection when it turns quiet would pause the others' tests.
            ["Memory:IdleTrim"] = "false",

            ["Audit:KeyFile"] = AuditKeyFile,
            ["Audit:Checkpoints:Folder"] = CheckpointsFolder,
            ["AtRest:ColumnKeyFile"] = ColumnKeyFile,
        };
        Rectify.Audit.AuditKey.Create(AuditKeyFile);
        ColumnKey.Create(ColumnKeyFile);
        foreach (var (key, value) in (extraSettings ?? new Dictionary<string, string?>()).Concat(await PrepareAsync()))
        {
            settings[key] = value;
        }

        if (Provider == Provider.Postgres)
        {
            var admin = Requirements.PostgresAdminConnectionString;
            if (admin is null)
            {
                UnavailableReason = $"PostgreSQL is not configured (set {Requirements.PostgresVariable} to an admin connection string)";
                return;
            }

            postgresDatabase = "rectify_test_" + Guid.NewGuid().ToString("N");
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{postgresDatabase}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException e)
            {
                UnavailableReason = $"PostgreSQL is not reachable ({e.Message})";
                postgresDatabase = null;
                return;
            }

            ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = postgresDatabase }.ToString();
            settings["ConnectionStrings:Rectify"] = ConnectionString;
        }

        Settings = settings;
        await StartAsync(settings);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        if (!seedDemo)
        {
            await StartedAsync(scope.ServiceProvider);
            return;
        }

        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(Password, CancellationToken.None);
        InspectionId = await db.Inspections.Select(i => i.Id).SingleAsync();
        UnitMeasuresInProgress = await db.Measures
            .Where(m => m.InspectionId == InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
            .OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        InspectedOrganization = (await db.Inspections.Where(i => i.Id == InspectionId).Select(i => i.InspectedOrganizationId).SingleAsync())
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var otherCity = new Organization("中共另一市委员会", OrganizationKind.PartyCommittee);
            db.Organizations.Add(otherCity);
            await db.SaveChangesAsync();
            otherCity.AssignPath();
            var other = await new NoticeImporter(db).ImportAsync(NoticeParser.Parse(DemoSeeder.ReadSeedNotice()), otherCity, CancellationToken.None);
            await transaction.CommitAsync();
            OtherInspectionId = other.Inspection.Id;
        }
    }

    /// <summary>
    /// Starts the application as Program starts it. When Program ends without starting the server (serve refused: the
    /// database did not answer in time, a key could not be read), the test server would stand over an unmigrated
    /// database; that is said with what serve printed, and on a database that did not answer the start is tried once
    /// more, since a loaded machine (CI's two cores, dozens of fixtures starting at once) can keep a new connection
    /// waiting past its timeout.
    /// </summary>
    private async Task StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var capture = ConsoleCapture.Begin();
            Factory = new RectifyFactory(settings, Clock, ConfigureTestServices);
            if (kestrel)
            {
                Factory.UseKestrel(0);
                Factory.StartServer();
            }

            var services = Factory.Services;
            if (services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested)
            {
                break;
            }

            var refusal = $"serve 未启动服务器（第 {attempt} 次），它输出：{capture.Text.Trim()}";
            ServerErrorLog.Append(refusal);
            TestContext.Current.SendDiagnosticMessage(refusal);
            await Factory.DisposeAsync();
            if (attempt == 2 || !capture.Text.Contains("无法连接", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(refusal);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        if (kestrel)
        {
            var address = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            ServerAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>Settings of a fixture's own (and whatever it starts before the application, such as a mail server); none by default.</summary>
    protected virtual ValueTask<IReadOnlyDictionary<string, string?>> PrepareAsync() => ValueTask.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>Services of a fixture's own, over the application's (such as a fault to inject); none by default.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>Runs once the application is up over a database the fixture did not seed with the demo (accounts of its own, say); nothing by default.</summary>
    protected virtual ValueTask StartedAsync(IServiceProvider services) => ValueTask.CompletedTask;

    /// <summary>Stops what <see cref="PrepareAsync"/> started, after the application.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await CleanUpAsync();

        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Requirements.PostgresAdminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await DeleteFolderAsync(DataFolder);
        await DeleteFolderAsync(SecretsFolder);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Removes a temporary folder of the fixture. A file still being closed as the host stops (a fixture on a real port
    /// once failed its clean-up this way in CI, after every test of the class had passed) gets a few tries; a folder
    /// that still will not go is left in the temporary directory rather than failing the run.
    /// </summary>
    private static async Task DeleteFolderAsync(string folder)
    {
        for (var attempt = 1; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 10)
                {
                    await Console.Error.WriteLineAsync($"测试夹具的临时目录未能删除（{folder}）：{e.Message}");
                    return;
                }

                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs <paramref name="act"/> in a scope of its own as <paramref name="userName"/> would in a request.</summary>
    public async Task<T> AsAsync<T>(string userName, Func<IServiceProvider, Task<T>> act)
    {
        ArgumentNullException.ThrowIfNull(act);
        await using var scope = Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<RectifyUser>>().FindByNameAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");
        var principal = await services.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<RectifyUser>>().CreateAsync(user);
        services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal, RequestServices = services };
        return await act(services);
    }

    /// <summary>A client of the application that keeps its cookies and follows no redirect; of a fixture on a real port, one that talks to that port.</summary>
    public HttpClient Client() => ServerAddress is { } address
        ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = address }
        : Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}

public sealed class SqliteApp() : AppFixture(Provider.Sqlite);

/// <summary>
/// Not in demo mode: the full sign-in policy, with the per-role setting relaxing the second factor for 整改办 (the sessions'
/// tests sign in as the office with a password alone; the administrators still must enrol).
/// </summary>
public sealed class ClockApp() : AppFixture(Provider.Sqlite, clock: new FakeClock(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)), demoMode: false, extraSettings: new Dictionary<string, string?>
{
    ["Security:SecondFactor:NotRequiredFor:0"] = "RectificationOffice",
});

public sealed class PostgresApp() : AppFixture(Provider.Postgres);
