using System.Runtime.InteropServices;

namespace Rectify.Data;

/// <summary>
/// Making a file's bytes and a folder's entries durable before the database row that names them commits: a crash
/// (power loss, SIGKILL of the machine's kernel aside) must never leave a committed row whose file is empty or gone.
/// </summary>
public static class Durable
{
    /// <summary>Flushes a written file's contents to the disk (fsync).</summary>
    public static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a folder's entries (a file created, renamed or removed in it) to the disk; nothing on Windows, where NTFS journals them.</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = NativeMethods.open(folder, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                throw new IOException($"cannot flush folder {folder} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        // open(2), fsync(2) and close(2) of the C library: .NET flushes files but has no way to flush a folder's entries.
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code allowed for the whole project, for three plain calls.
#pragma warning disable CA5392
#pragma warning disable CA2101 // The path is marshalled as UTF-8 explicitly (LPUTF8Str), which is what the C library takes on Linux.
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int close(int fd);
#pragma warning restore CA2101
#pragma warning restore CA5392
#pragma warning restore SYSLIB1054
    }
}
