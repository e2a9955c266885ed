using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rectify.Cli;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The restore drill (issue #16): the demo, some activity (a report with its evidence file, the office's review, a
/// 问题线索), `rectify backup` while the server runs, then `rectify restore` into an empty installation — a new data
/// folder and a new database — and everything is as it was: every table row for row, every file byte for byte, the
/// audit chain verified, and the office signs in and downloads the evidence. A target that holds data is refused
/// without --force; with --force a wiped target is restored again.
/// </summary>
public abstract class BackupRestoreTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_activity_backup_wipe_restore_gives_identical_tables_files_and_audit_chain_and_the_office_signs_in()
    {
        app.RequireAvailable();
        var measure = app.UnitMeasuresInProgress[^1];
        await app.AcceptedReportAsync(measure);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var token = await scope.ServiceProvider.GetRequiredService<Access.ApiTokenService>().CreateAsync("discipline", "恢复演练", 1, Ct);
            using var discipline = app.Client();
            discipline.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
            var lead = await discipline.PostAsJsonAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/registers/leads", UriKind.Relative),
                new { summary = "恢复演练：反映某社区工程款支付问题的线索", status = "UnderReview", disposition = (string?)null, findings = Array.Empty<int>() }, Ct);
            Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
        }

        var source = app.Factory.Services.GetRequiredService<DatabaseInfo>();
        var work = Path.Combine(Path.GetTempPath(), "rectify-restore-drill", Guid.NewGuid().ToString("N"));
        var archive = Path.Combine(work, "rectify.tar");
        Directory.CreateDirectory(work);
        var target = await Target.CreateAsync(app.Provider, Path.Combine(work, "restored"), app.AuditKeyFile, Path.Combine(work, "checkpoints"));
        try
        {
            var (code, output, error) = await RunAsync(["backup", "--to", archive, .. Settings(app.DataFolder, source, app.AuditKeyFile, app.CheckpointsFolder)]);
            Assert.True(code == 0, $"backup exit {code}: {output}{error}");
            Assert.Contains("清单 manifest.json", output, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
            }

            (code, output, error) = await RunAsync(["restore", archive, .. target.Settings]);
            Assert.True(code == 0, $"restore exit {code}: {output}{error}");
            Assert.Contains("校验通过", output, StringComparison.Ordinal);

            await AssertSameAsync(target);

            // A target that holds data is refused and left as it was.
            var before = await ChecksumsAsync(target.Info);
            (code, _, error) = await RunAsync(["restore", archive, .. target.Settings]);
            Assert.Equal(CommandLine.BadInput, code);
            Assert.Contains("--force", error, StringComparison.Ordinal);
            Assert.Equal(before, await ChecksumsAsync(target.Info));

            // Wipe what can be lost (the evidence files, a table's rows) and restore over it with --force.
            Directory.Delete(Path.Combine(target.DataFolder, "evidence"), recursive: true);
            await using (var db = target.Open())
            {
                await db.Notifications.ExecuteDeleteAsync(Ct);
                await db.Sessions.ExecuteDeleteAsync(Ct);
            }

            (code, output, error) = await RunAsync(["restore", archive, "--force", .. target.Settings]);
            Assert.True(code == 0, $"restore --force exit {code}: {output}{error}");
            await AssertSameAsync(target);

            // The restored installation serves: the office signs in, opens the ledger and downloads the evidence, checked against its SHA-256.
            await using var restored = new RectifyFactory(target.FactorySettings);
            using var office = restored.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.Redirect, (await office.SignInAsync("office", app.Password)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);
            await using var restoredDb = target.Open();
            var evidence = await restoredDb.ProgressReportEvidence.Where(e => e.ProgressReport.MeasureId == measure)
                .Select(e => new { e.ProgressReportId, e.EvidenceFileId, e.EvidenceFile.Sha256 }).FirstAsync(Ct);
            var names = await restoredDb.ProgressReportEvidence.Where(e => e.ProgressReportId == evidence.ProgressReportId).OrderBy(e => e.OriginalName).ThenBy(e => e.EvidenceFileId).Select(e => e.EvidenceFileId).ToListAsync(Ct);
            var place = names.IndexOf(evidence.EvidenceFileId) + 1;
            var download = await office.GetAsync(new Uri($"/evidence/{evidence.ProgressReportId}/{place}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(evidence.Sha256, Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync(Ct))));

            // The 问题线索, encrypted at rest, read back by the restored server with the same column key.
            using var discipline = restored.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            Assert.Equal(HttpStatusCode.Redirect, (await discipline.SignInAsync("discipline", app.Password)).StatusCode);
            Assert.Contains("恢复演练：反映某社区工程款支付问题的线索", await discipline.GetStringAsync(new Uri($"/inspections/{app.InspectionId}/registers", UriKind.Relative), Ct), StringComparison.Ordinal);
        }
        finally
        {
            await target.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task An_archive_with_one_byte_changed_is_refused_before_anything_is_restored()
    {
        app.RequireAvailable();
        var source = app.Factory.Services.GetRequiredService<DatabaseInfo>();
        var work = Path.Combine(Path.GetTempPath(), "rectify-restore-drill", Guid.NewGuid().ToString("N"));
        var archive = Path.Combine(work, "rectify.tar");
        Directory.CreateDirectory(work);
        var target = await Target.CreateAsync(app.Provider, Path.Combine(work, "restored"), app.AuditKeyFile, Path.Combine(work, "checkpoints"));
        try
        {
            var (code, output, error) = await RunAsync(["backup", "--to", archive, .. Settings(app.DataFolder, source, app.AuditKeyFile, app.CheckpointsFolder)]);
            Assert.True(code == 0, $"backup exit {code}: {output}{error}");

            // One byte of the database copy, well inside the first entry's data (after its 512-byte header and the PAX header).
            await using (var file = new FileStream(archive, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = 4096;
                var b = file.ReadByte();
                file.Position = 4096;
                file.WriteByte((byte)(b ^ 0x5a));
            }

            (code, _, error) = await RunAsync(["restore", archive, .. target.Settings]);
            Assert.Equal(CommandLine.BadInput, code);
            Assert.Contains("SHA-256 与清单不符", error, StringComparison.Ordinal);
            Assert.True(await DatabaseSnapshot.IsEmptyAsync(target.Info, Ct));
            Assert.False(Directory.Exists(Path.Combine(target.DataFolder, "evidence")));
            Assert.Empty(Directory.EnumerateDirectories(target.DataFolder, ".restore-*"));
        }
        finally
        {
            await target.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task AssertSameAsync(Target target)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.Equal(
                await TableChecksum.OfEveryTableAsync(scope.ServiceProvider.GetRequiredService<RectifyDbContext>(), Ct),
                await ChecksumsAsync(target.Info));
        }

        Assert.Equal(FileHashes(Path.Combine(app.DataFolder, "evidence")), FileHashes(Path.Combine(target.DataFolder, "evidence")));
        Assert.NotEmpty(FileHashes(Path.Combine(target.DataFolder, "evidence")));
        Assert.Equal(FileHashes(Path.Combine(app.DataFolder, "keys")), FileHashes(Path.Combine(target.DataFolder, "keys")));

        var (code, output, error) = await RunAsync(["audit", "verify", .. target.Settings]);
        Assert.True(code == 0, $"audit verify exit {code}: {output}{error}");
    }

    private static async Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(DatabaseInfo info)
    {
        await using var db = Target.Open(info);
        return await TableChecksum.OfEveryTableAsync(db, Ct);
    }

    /// <summary>Each file under the folder (staged uploads aside) by its path and SHA-256.</summary>
    private static SortedDictionary<string, string> FileHashes(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(folder, f).StartsWith("tmp", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
            : [], StringComparer.Ordinal);

    /// <summary>
    /// The installation's settings for the command line: its data, its database, and the audit key (the custodian's, the
    /// same for the source and the restored copy) with the folder its checkpoints go to.
    /// </summary>
    private static string[] Settings(string dataFolder, DatabaseInfo info, string keyFile, string checkpointsFolder) =>
        [$"--Rectify:DataFolder={dataFolder}", $"--Database:Provider={info.Kind}", $"--ConnectionStrings:Rectify={info.ConnectionString}", "--Rectify:Demo=true",
            $"--Audit:KeyFile={keyFile}", $"--Audit:Checkpoints:Folder={checkpointsFolder}", $"--AtRest:ColumnKeyFile={ColumnKeyBeside(keyFile)}"];

    /// <summary>The column key kept beside the audit key (as AppFixture keeps it): the restored installation needs the same one to read its 问题线索.</summary>
    private static string ColumnKeyBeside(string auditKeyFile) => Path.Combine(Path.GetDirectoryName(auditKeyFile)!, "column.key");

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        using var input = new StringReader(string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, input, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>An empty installation to restore into: a new data folder, and for PostgreSQL a new database.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private string? postgresDatabase;

        private Target(string dataFolder, DatabaseInfo info, string keyFile, string checkpointsFolder)
        {
            DataFolder = dataFolder;
            Info = info;
            KeyFile = keyFile;
            CheckpointsFolder = checkpointsFolder;
        }

        public string KeyFile { get; }

        public string CheckpointsFolder { get; }

        public string DataFolder { get; }

        public DatabaseInfo Info { get; }

        public string[] Settings => BackupRestoreTests.Settings(DataFolder, Info, KeyFile, CheckpointsFolder);

        public IReadOnlyDictionary<string, string?> FactorySettings => new Dictionary<string, string?>
        {
            ["Rectify:DataFolder"] = DataFolder,
            ["Database:Provider"] = Info.Kind.ToString(),
            ["ConnectionStrings:Rectify"] = Info.ConnectionString,
            ["Rectify:Demo"] = "true",
            ["Audit:KeyFile"] = KeyFile,
            ["Audit:Checkpoints:Folder"] = CheckpointsFolder,
            ["AtRest:ColumnKeyFile"] = ColumnKeyBeside(KeyFile),
            ["Notifications:Background"] = "false",
        };

        public static async Task<Target> CreateAsync(Provider provider, string dataFolder, string keyFile, string checkpointsFolder)
        {
            Directory.CreateDirectory(dataFolder);
            if (provider == Provider.Sqlite)
            {
                return new Target(dataFolder, new DatabaseInfo(DatabaseProviderKind.Sqlite, $"Data Source={Path.Combine(dataFolder, "rectify.db")}"), keyFile, checkpointsFolder);
            }

            var name = "rectify_restore_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(Requirements.PostgresAdminConnectionString))
            {
                await connection.OpenAsync(Ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(Ct);
            }

            var info = new DatabaseInfo(DatabaseProviderKind.Postgres, new NpgsqlConnectionStringBuilder(Requirements.PostgresAdminConnectionString) { Database = name }.ToString());
            return new Target(dataFolder, info, keyFile, checkpointsFolder) { postgresDatabase = name };
        }

        public RectifyDbContext Open() => Open(Info);

        public static RectifyDbContext Open(DatabaseInfo info)
        {
            if (info.Kind == DatabaseProviderKind.Sqlite)
            {
                var sqlite = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
                DatabaseProvider.ConfigureSqlite(sqlite, info.ConnectionString);
                return new SqliteRectifyDbContext(sqlite.Options);
            }

            var postgres = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
            DatabaseProvider.ConfigurePostgres(postgres, info.ConnectionString);
            return new PostgresRectifyDbContext(postgres.Options);
        }

        public async ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (postgresDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(Requirements.PostgresAdminConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
}

public sealed class BackupRestoreTestsOnSqlite(SqliteApp app) : BackupRestoreTests(app), IClassFixture<SqliteApp>;

public sealed class BackupRestoreTestsOnPostgres(PostgresApp app) : BackupRestoreTests(app), IClassFixture<PostgresApp>;
