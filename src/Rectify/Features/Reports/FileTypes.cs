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
