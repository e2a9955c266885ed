using System.IO.Compression;

namespace Rectify.Documents;

/// <summary>
/// The limits on a zip-based file (.xlsx, .docx, .ofd) judged from its directory, before anything is unpacked: how many
/// entries, how much they unpack to together, and how tightly one large entry is packed. The zip reader inflates an
/// entry no further than its declared length, so checking the directory bounds what reading can ever unpack. Used by
/// the ledger import and by evidence uploads alike.
/// </summary>
public static class ZipLimits
{
    public const int MostEntries = 10_000;

    public const long MostUnpackedBytes = 100L * 1024 * 1024;

    public const int MostCompressionRatio = 200;

    /// <summary>Entries this small may pack as tightly as they like: they cannot add up to a bomb under the total cap.</summary>
    private const long RatioCheckedFrom = 1024 * 1024;

    /// <summary>What is over a limit, in words that follow the file's name ("包含 20001 个部件"), or null when it is within them all.</summary>
    public static string? Exceeded(ZipArchive zip, long mostUnpackedBytes = MostUnpackedBytes, int mostCompressionRatio = MostCompressionRatio, int mostEntries = MostEntries)
    {
        ArgumentNullException.ThrowIfNull(zip);
        if (zip.Entries.Count > mostEntries)
        {
            return $"包含 {zip.Entries.Count} 个部件（最多 {mostEntries} 个）";
        }

        long total = 0;
        foreach (var entry in zip.Entries)
        {
            total += entry.Length;
            if (total > mostUnpackedBytes)
            {
                return $"解压后大于 {Megabytes(mostUnpackedBytes)}";
            }

            if (entry.Length >= RatioCheckedFrom && entry.Length > entry.CompressedLength * mostCompressionRatio)
            {
                return $"中的“{Shown(entry.FullName)}”压缩比超过 {mostCompressionRatio}:1";
            }

            // An Office or OFD package names its parts by relative paths of its own; a part that climbs out ("../"), starts
            // at a root or a drive, or is a program, is not one: it is there for whoever unpacks the file with another tool.
            if (EscapesThePackage(entry.FullName))
            {
                return $"中的“{Shown(entry.FullName)}”路径异常，正常的文档不会有";
            }

            if (Runs(entry.FullName))
            {
                return $"中夹带了程序文件“{Shown(entry.FullName)}”";
            }
        }

        return null;
    }

    /// <summary>
    /// How deeply the elements of a part may nest. Real documents stay far below it (a worksheet's cell sits 4 deep, a
    /// paragraph in a table in a table about 12); the Open XML SDK builds a part's tree by recursion, and a part a few
    /// kilobytes long nesting 50,000 deep overflows the thread's stack, which ends the whole server process.
    /// </summary>
    public const int MostXmlDepth = 256;

    /// <summary>
    /// The first part whose elements nest deeper than <paramref name="mostDepth"/>, in words that follow the file's name
    /// ("中的“xl/workbook.xml”嵌套超过 256 层"), or null. Every entry is read once with a streaming reader (which does not
    /// recurse), before the SDK opens any; an entry that is not well-formed XML is left to the SDK's own refusal.
    /// </summary>
    public static string? TooDeep(ZipArchive zip, int mostDepth = MostXmlDepth)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var settings = new System.Xml.XmlReaderSettings
        {
            DtdProcessing = System.Xml.DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        foreach (var entry in zip.Entries)
        {
            if (entry.Length == 0 || entry.FullName.EndsWith('/'))
            {
                continue;
            }

            try
            {
                using var reader = System.Xml.XmlReader.Create(entry.Open(), settings);
                while (reader.Read())
                {
                    if (reader.Depth > mostDepth)
                    {
                        return $"中的“{Shown(entry.FullName)}”嵌套超过 {mostDepth} 层";
                    }
                }
            }
            catch (System.Xml.XmlException)
            {
                // Not XML (a picture), or not well-formed: the SDK refuses the latter when it reads the part.
            }
        }

        return null;
    }

    private static readonly HashSet<string> Programs = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".dll", ".cpl", ".jar", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".hta", ".ps1", ".sh", ".lnk", ".reg", ".apk", ".elf",
    };

    private static bool EscapesThePackage(string name) =>
        name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)
        || name.Split('/').Any(segment => segment is ".." or ".");

    private static bool Runs(string name) => Programs.Contains(Path.GetExtension(name.TrimEnd(' ', '.')));

    /// <summary>An entry's name as a message shows it: without characters that hide or reorder text, at most 80 long.</summary>
    private static string Shown(string name)
    {
        var kept = new string([.. name.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)]);
        return kept.Length > 80 ? kept[..80] + "…" : kept;
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024 * 1024)} MB";
}
