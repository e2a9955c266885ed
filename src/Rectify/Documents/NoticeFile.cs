using DocumentFormat.OpenXml.Packaging;

namespace Rectify.Documents;

/// <summary>A notice or plan file as the office has it: a .txt in any of the usual encodings, or a .docx. Word 97-2003 and WPS files are refused with how to convert them.</summary>
public static class NoticeFile
{
    public static NoticeReading Read(byte[] bytes, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (NoticeText.Refusal(bytes, fileName) is { } refusal)
        {
            throw new NoticeParseException(refusal);
        }

        var notes = new List<NoticeNote>();
        if (NoticeText.IsZip(bytes))
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true))
                {
                    // A small .docx can declare parts that unpack to gigabytes: judged by its directory before it is opened,
                    // as the ledger's .xlsx and the evidence files are.
                    if (ZipLimits.Exceeded(zip) is { } over)
                    {
                        throw new NoticeParseException($"这个 Word 文档{over}，不能导入。请删除文档中无关的内容、图片后重新保存为 .docx，或拆分为多个文件。");
                    }

                    // The SDK builds a part's tree by recursion: a part nesting thousands deep would end the process.
                    if (ZipLimits.TooDeep(zip) is { } deep)
                    {
                        throw new NoticeParseException($"这个 Word 文档{deep}，不像正常的文档，不能导入。请用 Word 或 WPS 打开后重新“另存为” .docx。");
                    }
                }

                stream.Position = 0;
                var (blocks, plan) = NoticeDocx.Read(stream, notes);
                return NoticeReader.Read(blocks, plan, notes) with { Source = "docx" };
            }
            catch (System.Xml.XmlException e) when (e.Message.Contains("exceeded a limit", StringComparison.OrdinalIgnoreCase))
            {
                throw new NoticeParseException($"这个 Word 文档的一个部件超过 {NoticeDocx.MostCharactersInPart / 10_000} 万字符，不能导入。请删除文档中无关的内容后重新保存为 .docx，或拆分为多个文件。", e);
            }
            catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException)
            {
                throw new NoticeParseException("这个压缩包不是可读的 Word 文档（.docx），或文件已损坏。请用 Word 或 WPS 打开后重新“另存为” .docx。", e);
            }
        }

        var decoded = NoticeText.Decode(bytes);
        notes.AddRange(decoded.Notes);
        return NoticeReader.Read(decoded.Text, notes) with { Source = decoded.Encoding };
    }
}
