using System.IO.Compression;
using Rectify.Documents;
using Rectify.Domain;

namespace Rectify.Features.Intake;

/// <summary>What a file gave: its sheets (a ledger's, for choosing one; none for a notice), the sheet read, and the draft.</summary>
public sealed record IntakeRead(IReadOnlyList<LedgerSheet> Sheets, string? Sheet, IntakeDraft Draft);

/// <summary>
/// Every source the import takes, by what the file holds rather than what it is called: an Excel 台账 (.xlsx, read by
/// <see cref="LedgerWorkbookReader"/>), a notice or plan as Word (.docx) or text (.txt in UTF-8, GB18030/GBK or UTF-16,
/// read by the tolerant <see cref="NoticeReader"/> through <see cref="NoticeFile"/>). Word 97-2003 (.doc), WPS (.wps),
/// .xls and PDF are refused with how to convert them. Whatever the source, the result is an <see cref="IntakeDraft"/>
/// for the same preview, edits and commit.
/// </summary>
public static class IntakeSources
{
    /// <summary>The largest notice text read (a notice is a few hundred KB at most; a plan .docx with tables a few MB).</summary>
    public const int MaxNoticeBytes = 20 * 1024 * 1024;

    /// <summary>Reads <paramref name="file"/> (seekable); refused (400) when it is none of the sources, or one that cannot be read.</summary>
    public static IntakeRead Read(Stream file, string? fileName, string? sheet)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (IsWorkbook(file, fileName))
        {
            var sheets = LedgerWorkbookReader.ListSheets(file);
            file.Position = 0;
            sheet = string.IsNullOrWhiteSpace(sheet) ? (sheets.FirstOrDefault(s => !s.Hidden && s.HasHeader) ?? sheets.FirstOrDefault(s => !s.Hidden))?.Name : sheet;
            var draft = LedgerWorkbookReader.Read(file, sheet);
            return new IntakeRead(sheets, sheet, draft with { Reading = "xlsx" });
        }

        return new IntakeRead([], null, NoticeIntake.ToDraft(ReadNotice(file, fileName)));
    }

    /// <summary>The whole-file refusals (a ledger's .xls, encryption, damage; a notice's .doc/.wps, PDF, no structure), said at the upload.</summary>
    public static IReadOnlyList<LedgerSheet> Check(Stream file, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (IsWorkbook(file, fileName))
        {
            return LedgerWorkbookReader.ListSheets(file);
        }

        _ = ReadNotice(file, fileName);
        return [];
    }

    /// <summary>A notice's reading; refused when the file is not read at all or holds neither findings nor a round's figures.</summary>
    private static NoticeReading ReadNotice(Stream file, string? fileName)
    {
        if (file.Length > MaxNoticeBytes)
        {
            throw BusinessRules.Refuse(new NoticeFileIsRefused($"文件超过 {MaxNoticeBytes / 1024 / 1024} MB，不像整改进展情况公布或整改方案。"));
        }

        var bytes = new byte[file.Length];
        file.Position = 0;
        file.ReadExactly(bytes);
        NoticeReading reading;
        try
        {
            reading = NoticeFile.Read(bytes, fileName);
        }
        catch (NoticeParseException e)
        {
            throw BusinessRules.Refuse(new NoticeFileIsRefused(e.Message));
        }

        if (!reading.HasStructure)
        {
            var error = reading.Notes.FirstOrDefault(n => n.Severity == NoteSeverity.Error);
            throw BusinessRules.Refuse(new NoticeFileIsRefused(
                "没有从文件中读出问题和整改措施，也不是一轮巡察的综合情况通报，未导入任何内容。"
                + (error is null ? string.Empty : "读取时发现：" + error.ToString().TrimEnd('。') + "。")
                + "可导入的是 Excel 台账（.xlsx）、整改进展情况公布或整改方案（.docx 或 .txt）：其中应有“（一）…方面”的问题类别（可以没有）、“1.…”编号的问题和“一是…二是…”的整改措施，或一张列有问题和整改措施的表格。"));
        }

        return reading;
    }

    /// <summary>An Excel file: a zip holding a workbook part, an OLE2 file (old .xls, or an encrypted .xlsx) named as a workbook, or anything named .xlsx/.xls.</summary>
    private static bool IsWorkbook(Stream file, string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? string.Empty).ToUpperInvariant();
        Span<byte> head = stackalloc byte[8];
        file.Position = 0;
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        head = head[..read];
        if (NoticeText.IsZip(head))
        {
            try
            {
                using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
                if (zip.GetEntry("word/document.xml") is not null)
                {
                    return false;
                }

                if (zip.GetEntry("xl/workbook.xml") is not null)
                {
                    return true;
                }
            }
            catch (InvalidDataException)
            {
                // Damaged: the reader its name points at says so.
            }
            finally
            {
                file.Position = 0;
            }
        }

        return extension is ".XLSX" or ".XLS" or ".XLSM" or ".ET" || (extension.Length == 0 && NoticeText.IsZip(head))
            || (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]) && extension is not ".DOC" and not ".WPS");
    }

    private sealed class NoticeFileIsRefused(string message) : Refused(message, Refusal.Invalid);
}
