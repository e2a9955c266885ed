using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>An uploaded file waiting for its confirmation: where it lies on the server, what the user called it, and the preview's edits so far.</summary>
public sealed record StoredUpload(string Token, string Path, string FileName, int InspectionId, DateTime UploadedAtUtc)
{
    /// <summary>The edits made in the preview, in order; applied to the file's draft each time it is read.</summary>
    public IReadOnlyList<IntakeEdit> Edits { get; init; } = [];
}

/// <summary>
/// Uploaded files (a ledger, a notice, a plan) between the preview and the confirmation, under the data folder
/// (imports/&lt;user&gt;/&lt;token&gt;.upload, with its file name, inspection and the preview's edits beside it in
/// &lt;token&gt;.json). The page and the browser only ever hold the token,
/// 32 random hex digits, which is looked up in the caller's own folder: a path from the client is never used, and
/// another user's token finds nothing. A file is deleted once its import is confirmed, and any file older than
/// <see cref="Lifetime"/> is deleted the next time anyone uploads or opens one.
/// </summary>
public sealed class ImportUploads(string folder, TimeProvider clock)
{
    /// <summary>The largest ledger taken (the pages' and the API's request limits are set a little above it).</summary>
    public const long MaxBytes = 20L * 1024 * 1024;

    /// <summary>How long an upload waits for its confirmation.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Every upload is kept under this extension, whatever it is (its kind is read from its content).</summary>
    private const string Extension = ".upload";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Folder { get; } = folder;

    /// <summary>Stores <paramref name="content"/> for <paramref name="userId"/>; refused (400) when it is empty or larger than <see cref="MaxBytes"/>.</summary>
    public async Task<StoredUpload> SaveAsync(string userId, int inspectionId, string? fileName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        Sweep();
        var directory = UserFolder(userId);
        Directory.CreateDirectory(directory);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(directory, token + Extension);
        long length = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    BusinessRules.Check(new AnUploadIsAtMost20Megabytes(length));
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var name = CleanName(fileName);
            BusinessRules.Check(new AnUploadIsNotEmpty(length, string.IsNullOrWhiteSpace(fileName) ? null : name));
            var upload = new StoredUpload(token, path, name, inspectionId, clock.GetUtcNow().UtcDateTime);
            await File.WriteAllTextAsync(MetadataPath(path), JsonSerializer.Serialize(new Metadata(name, inspectionId, upload.UploadedAtUtc), Json), cancellationToken);
            return upload;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The caller's upload of that token for that inspection; null when the token is malformed, unknown, another inspection's, or expired.</summary>
    public StoredUpload? Open(string userId, int inspectionId, string? token)
    {
        Sweep();
        if (!IsToken(token))
        {
            return null;
        }

        var path = System.IO.Path.Combine(UserFolder(userId), token + Extension);
        var metadata = ReadMetadata(path);
        return metadata is null || metadata.InspectionId != inspectionId || !File.Exists(path)
            ? null
            : new StoredUpload(token!, path, metadata.FileName, metadata.InspectionId, metadata.UploadedAtUtc) { Edits = metadata.Edits ?? [] };
    }

    /// <summary>Keeps the preview's edits with the upload, so that a refresh or the confirmation sees them (the file itself is never changed).</summary>
    public async Task<StoredUpload> SaveEditsAsync(StoredUpload upload, IReadOnlyList<IntakeEdit> edits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(edits);
        var metadata = new Metadata(upload.FileName, upload.InspectionId, upload.UploadedAtUtc) { Edits = [.. edits] };
        await File.WriteAllTextAsync(MetadataPath(upload.Path), JsonSerializer.Serialize(metadata, Json), cancellationToken);
        return upload with { Edits = metadata.Edits };
    }

    public void Delete(StoredUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        File.Delete(upload.Path);
        File.Delete(MetadataPath(upload.Path));
    }

    /// <summary>Deletes every upload older than <see cref="Lifetime"/>, and files without their metadata that are as old.</summary>
    public void Sweep()
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var file in Directory.EnumerateFiles(Folder, "*" + Extension, SearchOption.AllDirectories))
        {
            try
            {
                var uploadedAt = ReadMetadata(file)?.UploadedAtUtc ?? File.GetLastWriteTimeUtc(file);
                if (now - uploadedAt > Lifetime)
                {
                    File.Delete(file);
                    File.Delete(MetadataPath(file));
                }
            }
            catch (IOException)
            {
                // Being written or read right now: the next sweep takes it.
            }
        }
    }

    private static bool IsToken(string? token) => token is { Length: 32 } && token.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>One folder per user, named by a hash of the user's id (whatever characters the id holds).</summary>
    private string UserFolder(string userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            throw new InvalidOperationException("An upload belongs to a signed-in user.");
        }

        return System.IO.Path.Combine(Folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32]);
    }

    private static string MetadataPath(string path) => System.IO.Path.ChangeExtension(path, ".json");

    private static Metadata? ReadMetadata(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Metadata>(File.ReadAllText(MetadataPath(path)), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The name as the user's computer gave it, without any folder part, for display and the audit record.</summary>
    private static string CleanName(string? fileName)
    {
        var name = (fileName ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        // Controls and format characters (direction overrides such as U+202E, invisible joiners) would make the name
        // read otherwise on the page and in the audit record than it is.
        name = new string([.. name.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)]);
        return name.Length == 0 ? "上传的文件" : name.Length > 200 ? name[..200] : name;
    }

    private sealed record Metadata(string FileName, int InspectionId, DateTime UploadedAtUtc)
    {
        public List<IntakeEdit>? Edits { get; init; }
    }

    private sealed class AnUploadIsAtMost20Megabytes(long length) : IBusinessRule
    {
        public bool IsBroken() => length > MaxBytes;

        public string Message => string.Create(CultureInfo.InvariantCulture, $"文件超过 {MaxBytes / 1024 / 1024} MB，不能导入。请删除无关的工作表、图片后再上传，或拆分为多个文件。");

        public Refusal Refusal => Refusal.Invalid;
    }

    /// <summary>A file is chosen, and it has something in it (a chosen file of 0 bytes is named as such, not taken for none).</summary>
    private sealed class AnUploadIsNotEmpty(long length, string? chosen) : IBusinessRule
    {
        public bool IsBroken() => length == 0;

        public string Message => chosen is null
            ? "请选择要导入的文件：Excel 台账（.xlsx），或整改进展情况公布、整改方案（.docx 或 .txt）。"
            : $"“{chosen}”是空文件（0 字节），没有可导入的内容。请确认选择的文件是否正确，或重新保存后再上传。";

        public Refusal Refusal => Refusal.Invalid;
    }
}
