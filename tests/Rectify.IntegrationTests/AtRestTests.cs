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
}
