using System.IO.Compression;
using Rectify.Domain;

namespace Rectify.Features.Reports;

public static class FileTypes
{
    public static readonly IReadOnlyDictionary<EvidenceType, (string Extension, string ContentType)> Known = new Dictionary<EvidenceType, (string, string)>
    {
        [EvidenceType.Pdf] = (".pdf", "application/pdf"),
        [EvidenceType.Ofd] = (".ofd", "application/ofd"),
        [EvidenceType.Docx] = (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        [EvidenceType.Xlsx] = (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        [EvidenceType.Jpeg] = (".jpg", "image/jpeg"),
        [EvidenceType.Png] = (".png", "image/png"),
    };

    /// <summary>What the file is by its bytes; null when it is none of the accepted kinds (an executable, a script, an old .doc…).</summary>
    public static EvidenceType? Detect(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        if (read >= 5 && head[..5].SequenceEqual("%PDF-"u8))
        {
            return EvidenceType.Pdf;
        }

        if (read >= 8 && head.SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return EvidenceType.Png;
        }

        if (read >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return EvidenceType.Jpeg;
        }

        if (read >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8))
        {
            return DetectZip(content);
        }

        return null;
    }

    /// <summary>Whether the content is an OLE2 compound file: the old binary Office formats (.doc, .xls, .ppt) and WPS's (.wps, .et).</summary>
    public static bool IsLegacyOffice(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        return read == 8 && head.SequenceEqual(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 });
    }

    /// <summary>Whether a file's name agrees with what its content is (.jpeg and .jpg both fit a JPEG).</summary>
    public static bool NameFits(string fileName, EvidenceType type)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension == Known[type].Extension || (type == EvidenceType.Jpeg && extension == ".jpeg");
    }

    /// <summary>Extensions of things that run: a name that carries one before its last dot ("报告.exe.pdf") is refused.</summary>
    private static readonly HashSet<string> Executable = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "jar", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta",
        "ps1", "psm1", "sh", "bash", "lnk", "reg", "inf", "apk", "app", "elf", "bin", "run", "py", "pl", "php", "asp", "aspx", "jsp", "html", "htm", "svg", "chm", "iso", "img",
    };

    /// <summary>
    /// Why a file's name hides what it is, or null: an executable's extension before the last one (a.exe.pdf), or a
    /// character that reorders or hides text (U+202E turns "txt.exe" round on screen; control characters).
    /// </summary>
    public static string? MisleadingName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        // Every format character (Unicode Cf: the direction marks and overrides U+200E/F, U+061C, U+202A–E, U+2066–9, the
        // invisible U+200B, U+2060–4, U+FEFF…) but the joiners U+200C/D, which emoji and some scripts need.
        if (fileName.Any(c => char.IsControl(c) || (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format && c is not ('\u200C' or '\u200D'))))
        {
            return "文件名含有控制字符或改变文字方向的字符";
        }

        var parts = fileName.Split('.');
        return parts.Length > 2 && parts[1..^1].Any(p => Executable.Contains(p.Trim()))
            ? "文件名带有双重扩展名，可能把可执行文件伪装成文档"
            : null;
    }

    /// <summary>A zip-based file (.docx, .xlsx, .ofd) over the limits on entries and unpacked size, in words; null otherwise.</summary>
    public static string? ZipOverLimits(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            content.Position = 0;
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            return Documents.ZipLimits.Exceeded(zip);
        }
        catch (InvalidDataException)
        {
            return "无法作为压缩包读取";
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static EvidenceType? DetectZip(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return names.Contains("word/document.xml") ? EvidenceType.Docx
                : names.Contains("xl/workbook.xml") ? EvidenceType.Xlsx
                : names.Contains("OFD.xml") ? EvidenceType.Ofd
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            content.Position = 0;
        }
    }
}
