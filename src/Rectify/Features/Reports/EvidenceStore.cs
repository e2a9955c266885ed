using System.Security.Cryptography;
using Rectify.Domain;

namespace Rectify.Features.Reports;

/// <summary>Limits from configuration (<c>Evidence</c> section).</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    public int MaxFilesPerReport { get; set; } = 10;

    /// <summary>"SHA256" (the default) or "SM3": with SM3 each file's SM3 digest (GB/T 32905) is recorded beside its SHA-256, which stays the storage address.</summary>
    public string Digest { get; set; } = "SHA256";

    public bool RecordsSm3 => Digest.Equals("SM3", StringComparison.OrdinalIgnoreCase);

    /// <summary>ClamAV's daemon, when there is one: tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl. Empty: uploads are not scanned (the form says so).</summary>
    public string? Clamd { get; set; }

    /// <summary>How long clamd may take over one file before the upload is refused (fail closed), in seconds.</summary>
    public int ClamdTimeoutSeconds { get; set; } = 60;

    /// <summary>How much evidence one person may upload per China day, in MB (counted from the files attached to their reports that day); 0 turns the quota off.</summary>
    public int DailyQuotaMegabytes { get; set; } = 500;

    public bool DigestIsKnown => Digest.Equals("SHA256", StringComparison.OrdinalIgnoreCase) || RecordsSm3;
}

/// <summary>An upload written to a temporary file while it was hashed and measured; not yet evidence.</summary>
public sealed record StagedFile(string TempPath, string Sha256, long Length, EvidenceType Type, string OriginalName, string? Sm3 = null);

/// <summary>
/// Evidence files outside the web root, named by their SHA-256 (data/evidence/ab/cd/abcd…), so the same file is
/// stored once. Files are staged first and put in place only inside the database transaction that records them;
/// whoever put a file in place removes it again if that transaction fails.
/// </summary>
public sealed class EvidenceStore(string root)
{
    public string Root { get; } = root;

    /// <summary>
    /// Where the file of this SHA-256 lives. The path is built from the digest alone (64 lower-case hex digits, checked),
    /// never from anything a person typed, and is checked to resolve under <see cref="Root"/>.
    /// </summary>
    public string PathOf(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64 || !sha256.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            throw new ArgumentException("不是 SHA-256 摘要（64 位小写十六进制）。", nameof(sha256));
        }

        var root = Path.GetFullPath(Root);
        var path = Path.GetFullPath(Path.Combine(root, sha256[..2], sha256[2..4], sha256));
        return path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("佐证材料的存储路径不在存储目录之下。", nameof(sha256));
    }

    /// <summary>
    /// The name a file is shown and downloaded under: what the uploader's system called it, without any folder part
    /// ("../../x.pdf" and "..\\..\\x.pdf" are "x.pdf"), trimmed, and at most <see cref="MaxDisplayName"/> characters with
    /// its extension kept. Never part of a stored path. Control and direction characters are refused before (<see cref="FileTypes.MisleadingName"/>).
    /// </summary>
    public static string DisplayName(string? uploaded)
    {
        var name = (uploaded ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        if (name.Length > MaxDisplayName)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length is > 0 and <= 10 ? extension : string.Empty;
            var stem = name[..^extension.Length];
            var keep = MaxDisplayName - extension.Length;
            if (char.IsHighSurrogate(stem[keep - 1]))
            {
                keep--;
            }

            name = stem[..keep] + extension;
        }

        return name;
    }

    /// <summary>The longest name kept for display (the column holds 255).</summary>
    public const int MaxDisplayName = 120;

    /// <summary>Copies the upload to a temporary file, hashing as it goes, and stops as soon as it passes the limit.</summary>
    public async Task<StagedFile> StageAsync(Stream input, string originalName, long maxBytes, CancellationToken cancellationToken, bool sm3 = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(originalName);
        if (FileTypes.MisleadingName(originalName) is { } misleading)
        {
            throw new EvidenceRejectedException($"“{Printable(originalName)}”{misleading}，已拒绝。请改用普通的文件名（如“整改报告.pdf”）后再上传。");
        }

        var tmp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(tmp);
        var path = Path.Combine(tmp, Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sm3Digest = sm3 ? new Org.BouncyCastle.Crypto.Digests.SM3Digest() : null;
            long length = 0;
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        throw new EvidenceRejectedException($"“{originalName}”超过了单个文件 {maxBytes / 1024 / 1024} MB 的上限。");
                    }

                    hash.AppendData(buffer, 0, read);
                    sm3Digest?.BlockUpdate(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if (length == 0)
                {
                    throw new EvidenceRejectedException($"“{originalName}”是空文件。");
                }

                // On the disk before its row can commit: a crash never leaves a committed row over an empty file.
                output.Flush(flushToDisk: true);
                if (FileTypes.IsLegacyOffice(output))
                {
                    throw new EvidenceRejectedException($"“{originalName}”是旧版 Office 或 WPS 文件（.doc、.xls、.wps 等）：请在 Word、Excel 或 WPS 中另存为 .docx、.xlsx 或 PDF 后再上传。");
                }

                var type = FileTypes.Detect(output)
                    ?? throw new EvidenceRejectedException($"“{originalName}”不是可接受的佐证材料：只接受 PDF、OFD、Word（.docx）、Excel（.xlsx）、JPG、PNG 文件，按文件内容判断。");
                if (type is EvidenceType.Docx or EvidenceType.Xlsx or EvidenceType.Ofd && FileTypes.ZipOverLimits(output) is { } over)
                {
                    throw new EvidenceRejectedException($"“{originalName}”{over}，不能作为佐证材料。");
                }

                if (!FileTypes.NameFits(originalName, type))
                {
                    throw new EvidenceRejectedException($"“{originalName}”的扩展名与内容不符：内容是 {FileTypes.Known[type].Extension[1..].ToUpperInvariant()} 文件。");
                }

                string? sm3Hex = null;
                if (sm3Digest is not null)
                {
                    var sm3Bytes = new byte[sm3Digest.GetDigestSize()];
                    sm3Digest.DoFinal(sm3Bytes, 0);
                    sm3Hex = Convert.ToHexStringLower(sm3Bytes);
                }

                return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length, type, originalName, sm3Hex);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static string Printable(string name) => new([.. name.Where(c => !char.IsControl(c) && c is not ((>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))]);

    /// <summary>Puts a staged file in place; true when this call created the stored file (and so must remove it if the transaction fails).</summary>
    public bool Place(StagedFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var target = PathOf(staged.Sha256);
        if (File.Exists(target))
        {
            File.Delete(staged.TempPath);
            return false;
        }

        var folder = Path.GetDirectoryName(target)!;
        var made = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        File.Move(staged.TempPath, target);

        // The rename itself is durable before the row commits (and the folders it made, when it made them).
        Data.Durable.SyncFolder(folder);
        if (made)
        {
            Data.Durable.SyncFolder(Path.GetDirectoryName(folder)!);
            Data.Durable.SyncFolder(Root);
        }

        return true;
    }

    public static void Discard(IEnumerable<StagedFile> staged)
    {
        foreach (var s in staged ?? [])
        {
            File.Delete(s.TempPath);
        }
    }

    public void Remove(string sha256) => File.Delete(PathOf(sha256));

    /// <summary>The SHA-256 of a stored file as it is now on disk (lower-case hex), or null when it is not there.</summary>
    public static async Task<string?> Sha256OfAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}

public sealed class EvidenceRejectedException : Exception
{
    public EvidenceRejectedException(string message)
        : base(message)
    {
    }

    public EvidenceRejectedException()
    {
    }

    public EvidenceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
