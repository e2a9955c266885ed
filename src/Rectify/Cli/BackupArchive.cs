using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Rectify.Data;

namespace Rectify.Cli;

/// <summary>One file of an archive as its manifest lists it.</summary>
internal sealed record BackupItem(string Path, string Sha256, long Length);

/// <summary>The archive's table of contents, written last: what it holds and each file's SHA-256.</summary>
internal sealed record BackupManifest(string Format, DateTime CreatedAtUtc, string Provider, string Database, string? LastMigration, IReadOnlyList<BackupItem> Files)
{
    public const string EntryName = "manifest.json";

    public const string CurrentFormat = "rectify-backup/1";
}

/// <summary>What the archive holds and where each part goes back to.</summary>
internal sealed record BackupSources(DatabaseInfo Database, string DataFolder, string? ToolsFolder, string? CheckpointsFile)
{
    /// <summary>Files of the data folder that are the database itself, staged work, or earlier backups: never archived.</summary>
    public bool Excluded(string fullPath)
    {
        var relative = Path.GetRelativePath(DataFolder, fullPath).Replace('\\', '/');
        if (Database.Kind == DatabaseProviderKind.Sqlite)
        {
            var db = Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Database.ConnectionString).DataSource);
            if (fullPath == db || fullPath.StartsWith(db + "-", StringComparison.Ordinal) || fullPath == db + ".restoring")
            {
                return true;
            }
        }

        string[] transient = ["evidence/tmp/", "imports/", "backups/", ".backup-", ".restore-"];
        return transient.Any(t => relative.StartsWith(t, StringComparison.Ordinal));
    }
}

/// <summary>
/// `rectify backup` and `rectify restore` as one streamed .tar (or .tar.gz): the database copy, the data folder's
/// files (evidence, Data Protection keys, the audit key when it lives there), the audit checkpoints file when one is
/// configured, and last the manifest of SHA-256 hashes. Files are streamed one by one from disk, never held in memory.
/// </summary>
internal static class BackupArchive
{
    private const string DataPrefix = "data/";
    private const string CheckpointsPrefix = "external/audit-checkpoints/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<BackupManifest> WriteAsync(BackupSources sources, string target, string? lastMigration, TimeProvider clock, CancellationToken cancellationToken)
    {
        var work = Path.Combine(sources.DataFolder, ".backup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var partial = target + ".partial";
        try
        {
            // The checkpoints are copied before the database: each names a record already committed, so every one in the
            // copy is in the snapshot taken after it (copied later, a checkpoint written meanwhile would name a record the
            // snapshot lacks, and the restored log would look cut short).
            string? checkpointsCopy = null;
            if (sources.CheckpointsFile is { } checkpointsFile && File.Exists(checkpointsFile))
            {
                checkpointsCopy = Path.Combine(work, Path.GetFileName(checkpointsFile));
                File.Copy(checkpointsFile, checkpointsCopy);
            }

            var dbCopy = Path.Combine(work, "database");
            await DatabaseSnapshot.WriteAsync(sources.Database, dbCopy, sources.ToolsFolder, cancellationToken);

            var items = new List<BackupItem>();
            BackupManifest manifest;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var gzip = target.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : null;
                Stream output = gzip is null ? file : gzip;
                try
                {
                    await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                    items.Add(await AddFileAsync(tar, dbCopy, DatabaseSnapshot.EntryName(sources.Database.Kind), cancellationToken));
                    File.Delete(dbCopy);

                    foreach (var path in DataFiles(sources))
                    {
                        var name = DataPrefix + Path.GetRelativePath(sources.DataFolder, path).Replace('\\', '/');
                        items.Add(await AddFileAsync(tar, path, name, cancellationToken));
                    }

                    if (checkpointsCopy is not null)
                    {
                        items.Add(await AddFileAsync(tar, checkpointsCopy, CheckpointsPrefix + Path.GetFileName(checkpointsCopy), cancellationToken));
                    }

                    manifest = new BackupManifest(BackupManifest.CurrentFormat, clock.GetUtcNow().UtcDateTime, sources.Database.Kind.ToString(),
                        DatabaseSnapshot.EntryName(sources.Database.Kind), lastMigration, items);
                    var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName)
                    {
                        DataStream = new MemoryStream(bytes),
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                        ModificationTime = manifest.CreatedAtUtc,
                    };
                    await tar.WriteEntryAsync(entry, cancellationToken);
                }
                finally
                {
                    if (gzip is not null)
                    {
                        await gzip.DisposeAsync();
                    }
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, target, overwrite: true);
            Durable.SyncFolder(Path.GetDirectoryName(Path.GetFullPath(target))!);
            return manifest;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The data folder's files to archive, in a stable order.</summary>
    private static IEnumerable<string> DataFiles(BackupSources sources) =>
        Directory.Exists(sources.DataFolder)
            ? Directory.EnumerateFiles(sources.DataFolder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Select(Path.GetFullPath)
                .Where(p => !sources.Excluded(p))
                .Order(StringComparer.Ordinal)
            : [];

    private static async Task<BackupItem> AddFileAsync(TarWriter tar, string path, string name, CancellationToken cancellationToken)
    {
        string sha;
        long length;
        await using (var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken));
            length = read.Length;
        }

        await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        if (data.Length != length)
        {
            throw new BackupException($"{path} 在备份过程中被改动，请重新备份。");
        }

        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = File.GetLastWriteTimeUtc(path),
        };
        await tar.WriteEntryAsync(entry, cancellationToken);
        return new BackupItem(name, sha, length);
    }

    /// <summary>
    /// Reads the archive into a staging folder, hashing each file on the way, and checks it against the manifest:
    /// every listed file present with its hash and length, nothing unlisted, no path leaving the folder.
    /// </summary>
    public static async Task<(BackupManifest Manifest, string Staging)> ExtractAsync(string archive, string dataFolder, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(dataFolder, ".restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var found = new Dictionary<string, BackupItem>(StringComparer.Ordinal);
            byte[]? manifestBytes = null;
            await using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var magic = new byte[2];
            var gz = await file.ReadAsync(magic, cancellationToken) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            Stream input = gz ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            await using (input.ConfigureAwait(false))
            {
                await using var tar = new TarReader(input, leaveOpen: true);
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !SafeName(entry.Name) || found.ContainsKey(entry.Name))
                    {
                        throw new BackupException($"备份文件中有不应出现的条目“{entry.Name}”：文件已损坏或不是 Rectify 的备份。");
                    }

                    if (entry.Name == BackupManifest.EntryName)
                    {
                        using var buffer = new MemoryStream();
                        if (entry.DataStream is { } manifestData)
                        {
                            await manifestData.CopyToAsync(buffer, cancellationToken);
                        }

                        manifestBytes = buffer.ToArray();
                        continue;
                    }

                    var path = Path.Combine(staging, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                    {
                        long length = 0;
                        if (entry.DataStream is { } data)
                        {
                            var buffer = new byte[1 << 16];
                            int read;
                            while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
                            {
                                hash.AppendData(buffer, 0, read);
                                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                                length += read;
                            }
                        }

                        output.Flush(flushToDisk: true);
                        found[entry.Name] = new BackupItem(entry.Name, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
                    }

                    File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                }
            }

            var manifest = (manifestBytes is null ? null : JsonSerializer.Deserialize<BackupManifest>(manifestBytes, Json))
                ?? throw new BackupException("备份文件没有清单（manifest.json）：文件不完整（备份可能被中断）或不是 Rectify 的备份。");
            if (manifest.Format != BackupManifest.CurrentFormat)
            {
                throw new BackupException($"不认识的备份格式“{manifest.Format}”（本程序读取 {BackupManifest.CurrentFormat}）。");
            }

            foreach (var item in manifest.Files)
            {
                if (!found.Remove(item.Path, out var actual))
                {
                    throw new BackupException($"备份文件缺少清单中的“{item.Path}”：文件不完整或被改动，未恢复任何内容。");
                }

                if (actual.Sha256 != item.Sha256 || actual.Length != item.Length)
                {
                    throw new BackupException($"“{item.Path}”的 SHA-256 与清单不符：备份文件已损坏或被改动，未恢复任何内容。");
                }
            }

            if (found.Count > 0)
            {
                throw new BackupException($"备份文件中有清单之外的“{found.Keys.First()}”：文件被改动，未恢复任何内容。");
            }

            return (manifest, staging);
        }
        catch (Exception e)
        {
            Directory.Delete(staging, recursive: true);
            if (e is InvalidDataException or EndOfStreamException or FormatException or JsonException)
            {
                throw new BackupException($"无法读取备份文件 {archive}：{e.Message}（文件已损坏或不是 Rectify 的备份）。", e);
            }

            throw;
        }
    }

    /// <summary>Names inside the archive: relative, forward slashes, no "..", under one of the three known roots.</summary>
    private static bool SafeName(string name) =>
        name.Length is > 0 and < 1024
        && !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal)
        && name.Split('/').All(part => part.Length > 0 && part is not ("." or ".."))
        && (name == BackupManifest.EntryName || name.StartsWith("database/", StringComparison.Ordinal) || name.StartsWith(DataPrefix, StringComparison.Ordinal) || name.StartsWith(CheckpointsPrefix, StringComparison.Ordinal));

    /// <summary>Files of the data folder that a restore would replace (evidence above all); empty on a fresh installation.</summary>
    public static IEnumerable<string> ExistingData(BackupSources sources) =>
        DataFiles(sources).Where(p => Path.GetRelativePath(sources.DataFolder, p).Replace('\\', '/').StartsWith("evidence/", StringComparison.Ordinal));

    /// <summary>
    /// Puts the staged files in place: each top-level folder or file of the archive's data folder replaces the
    /// target's (by rename, on the same disk), and the checkpoints file goes back to its configured path.
    /// </summary>
    public static void PlaceFiles(BackupSources sources, string staging)
    {
        var data = Path.Combine(staging, "data");
        if (Directory.Exists(data))
        {
            foreach (var entry in new DirectoryInfo(data).EnumerateFileSystemInfos())
            {
                var target = Path.Combine(sources.DataFolder, entry.Name);
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
                else
                {
                    File.Delete(target);
                }

                if (entry is DirectoryInfo d)
                {
                    d.MoveTo(target);
                }
                else
                {
                    ((FileInfo)entry).MoveTo(target);
                }
            }

            Durable.SyncFolder(sources.DataFolder);
        }

        var checkpoints = Path.Combine(staging, "external", "audit-checkpoints");
        if (Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints).FirstOrDefault() is { } saved)
        {
            if (sources.CheckpointsFile is not { } configured)
            {
                throw new BackupException("备份中有审计检查点文件，但本机没有配置检查点文件的位置（Audit:Checkpoints:Folder）：请先配置，再恢复。");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(configured)!);
            File.Copy(saved, configured, overwrite: true);
            Durable.SyncFile(configured);
        }
    }
}
