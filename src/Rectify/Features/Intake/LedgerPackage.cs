using System.IO.Compression;
using System.Text;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>
/// The checks made on the bytes before any spreadsheet library sees them: what the file is (an .xlsx zip, or an
/// OLE2 compound file — an .xls, or an encrypted .xlsx), and whether its zip stays within the limits by what its
/// directory declares. The zip reader inflates an entry no further than its declared length (the rest is cut off),
/// so checking the directory bounds what reading can ever unpack.
/// </summary>
internal static class LedgerPackage
{
    private static readonly byte[] Ole2Signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>A seekable stream over the file's bytes: the caller's own when it can seek, else a copy (at most the size limit).</summary>
    public static Stream Seekable(Stream file, LedgerReadLimits limits)
    {
        if (file.CanSeek)
        {
            if (file.Length > limits.MaxFileBytes)
            {
                throw BusinessRules.Refuse(new LedgerFileMustStayWithinSizeLimits($"大于 {Megabytes(limits.MaxFileBytes)}"));
            }

            file.Position = 0;
            return file;
        }

        var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (copy.Length + read > limits.MaxFileBytes)
            {
                throw BusinessRules.Refuse(new LedgerFileMustStayWithinSizeLimits($"大于 {Megabytes(limits.MaxFileBytes)}"));
            }

            copy.Write(buffer, 0, read);
        }

        copy.Position = 0;
        return copy;
    }

    /// <summary>Refuses what is not an .xlsx zip within the limits, saying what it is instead. Leaves the stream at 0.</summary>
    public static void Check(Stream file, LedgerReadLimits limits)
    {
        Span<byte> head = stackalloc byte[8];
        file.Position = 0;
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 8 && head.SequenceEqual(Ole2Signature))
        {
            throw BusinessRules.Refuse(IsEncryptedPackage(file) ? new PasswordProtectedFilesAreNotRead() : new LegacyExcelFilesAreNotRead());
        }

        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            if (Documents.ZipLimits.Exceeded(zip, limits.MaxUncompressedBytes, limits.MaxCompressionRatio) is { } over)
            {
                throw BusinessRules.Refuse(new LedgerFileMustStayWithinSizeLimits(over));
            }

            // Checked after the sizes, which bound what this reads.
            if (Documents.ZipLimits.TooDeep(zip) is { } deep)
            {
                throw BusinessRules.Refuse(new LedgerFileMustStayWithinSizeLimits(deep));
            }
        }
        catch (InvalidDataException)
        {
            throw BusinessRules.Refuse(new LedgerFileMustBeAnXlsxWorkbook());
        }
        finally
        {
            file.Position = 0;
        }
    }

    /// <summary>
    /// Whether an OLE2 file is an encrypted OOXML package (ECMA-376 agile or standard encryption): its directory
    /// names the streams "EncryptionInfo" and "EncryptedPackage". Directory entries are 128-byte records starting
    /// with the name in UTF-16; they sit at 128-byte boundaries of the file, so each boundary is checked for the name.
    /// </summary>
    private static bool IsEncryptedPackage(Stream file)
    {
        var name = Encoding.Unicode.GetBytes("EncryptionInfo\0");
        var record = new byte[128];
        file.Position = 0;
        try
        {
            while (file.ReadAtLeast(record, record.Length, throwOnEndOfStream: false) == record.Length)
            {
                if (record.AsSpan(0, name.Length).SequenceEqual(name))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            file.Position = 0;
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024 * 1024)} MB";
}
