using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Files at rest are the owner's alone (issue #16): database, WAL, evidence, keys — 0600, their folders 0700.</summary>
public sealed class AtRestTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    [Fact]
    public async Task Every_file_and_folder_the_application_made_is_readable_by_its_owner_only()
    {
        app.RequireAvailable();
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only");
            return;
        }

        // Sign in (Data Protection keys), file a report with a file (evidence), so that every kind of file exists.
        using var unit = await app.SignedInAsync("unit");
        await app.FileReportAsync(unit, app.UnitMeasuresInProgress[0]);

        var entries = new DirectoryInfo(app.DataFolder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(app.DataFolder)).ToList();
        string[] expected = ["rectify.db", "rectify.db-wal", "keys", "evidence"];
        foreach (var name in expected)
        {
            Assert.Contains(entries, e => e.Name == name);
        }

        string Relative(FileSystemInfo e) => Path.GetRelativePath(app.DataFolder, e.FullName);
        Assert.Contains(entries, e => e is FileInfo && Relative(e).StartsWith("evidence/", StringComparison.Ordinal) && !Relative(e).StartsWith("evidence/tmp/", StringComparison.Ordinal));
        Assert.Contains(entries, e => e is FileInfo && Relative(e).StartsWith("keys/", StringComparison.Ordinal));
        var open = entries.Select(e => (e.FullName, Mode: ModeOf(e.FullName))).Where(e => (e.Mode & GroupOrOthers) != 0).Select(e => $"{Path.GetRelativePath(app.DataFolder, e.FullName)} {e.Mode}").ToList();
        Assert.True(open.Count == 0, "readable by others: " + string.Join(", ", open));
    }

    [Fact]
    public async Task The_data_protection_key_ring_is_encrypted_at_rest_and_another_key_cannot_open_it()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");

        // Every key file of the ring holds its master key encrypted (AES-256-GCM under keyring.key), never in clear.
        var files = Directory.GetFiles(Path.Combine(app.DataFolder, "keys"), "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.Contains("<" + Hosting.KeyRingEncryptor.Element, xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        // The same ring under another key (a data folder moved without its key, or a key rotated without PreviousKeys) does not open.
        var encrypted = System.Xml.Linq.XElement.Load(files[0]).Descendants(Hosting.KeyRingEncryptor.Element).Single();
        var folder = Path.Combine(Path.GetTempPath(), "rectify-keyring", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var other = Hosting.KeyRingKey.Load(new ConfigurationBuilder().Build(), folder);
            var services = new ServiceCollection().AddSingleton(other).BuildServiceProvider();
            var refused = Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => { _ = new Hosting.KeyRingDecryptor(services).Decrypt(encrypted); });
            Assert.Contains(Hosting.KeyRingKey.PreviousKeysName, refused.Message, StringComparison.Ordinal);
            Assert.Equal(Hosting.AtRest.FileMode, ModeOf(Path.Combine(folder, Hosting.KeyRingKey.DefaultFile)));

            // With the old key among the previous ones, the rotated installation still opens the ring.
            var own = Convert.ToBase64String(Convert.FromBase64String((await File.ReadAllTextAsync(Path.Combine(app.DataFolder, Hosting.KeyRingKey.DefaultFile), TestContext.Current.CancellationToken)).Trim()));
            var rotated = Hosting.KeyRingKey.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [Hosting.KeyRingKey.KeyName] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                [Hosting.KeyRingKey.PreviousKeysName] = own,
            }).Build(), folder);
            var opened = new Hosting.KeyRingDecryptor(new ServiceCollection().AddSingleton(rotated).BuildServiceProvider()).Decrypt(encrypted);
            Assert.Equal("masterKey", opened.Name.LocalName);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_sqlite_connection_runs_in_wal_with_synchronous_full_foreign_keys_and_a_busy_timeout()
    {
        app.RequireAvailable();

        // A fresh connection, the same one again from the pool (its settings are set once), and one opened after the pool was emptied.
        await PragmasHoldAsync();
        await PragmasHoldAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await PragmasHoldAsync();
    }

    private async Task PragmasHoldAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        try
        {
            async Task<string?> Pragma(string name)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA " + name;
                return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.Equal("wal", await Pragma("journal_mode"));
            Assert.Equal("2", await Pragma("synchronous"));
            Assert.Equal("1", await Pragma("foreign_keys"));
            Assert.Equal("5000", await Pragma("busy_timeout"));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
