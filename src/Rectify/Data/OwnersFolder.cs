namespace Rectify.Data;

/// <summary>Folders for secrets and records, the owner's alone where they are made (as the server's umask 077 makes them).</summary>
public static class OwnersFolder
{
    /// <summary>
    /// Makes a folder for secrets or records (the audit key's, the column key's, the checkpoints'), 0700 where it is made:
    /// the command-line tools that make keys run without the server's umask. A folder that exists is left as it is.
    /// </summary>
    public static void Create(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
