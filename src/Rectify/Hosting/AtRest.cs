using System.Runtime.InteropServices;

namespace Rectify.Hosting;

/// <summary>
/// Files at rest are the owner's alone: the process creates files 0600 and folders 0700 (umask 077) — the SQLite
/// database with its WAL and shared-memory files, evidence, staged uploads, imports, the Data Protection keys, the
/// audit key, backups — and the data folder and what is already in it are tightened to the same on start (an
/// installation made before this kept them 0644/0755, readable by every account on the machine).
/// </summary>
public static class AtRest
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Sets the process's umask to 077 and makes or tightens the data folder and everything in it.</summary>
    public static void Apply(string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _ = NativeMethods.umask(0b000_111_111);
        Directory.CreateDirectory(dataFolder, FolderMode);
        Tighten(dataFolder, FolderMode);
        foreach (var entry in new DirectoryInfo(dataFolder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
        {
            Tighten(entry.FullName, entry is DirectoryInfo ? FolderMode : FileMode);
        }
    }

    private static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var now = File.GetUnixFileMode(path);
        if ((now & Others) != 0)
        {
            File.SetUnixFileMode(path, now & ~Others & (mode | UnixFileMode.UserExecute));
        }
    }

    private static class NativeMethods
    {
        // umask(2) of the C library: no .NET API sets the mode new files are created with.
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code allowed for the whole project, for one call taking and returning an integer.
#pragma warning disable CA5392
        internal static extern uint umask(uint mask);
#pragma warning restore CA5392
#pragma warning restore SYSLIB1054
    }
}
