using System.IO.Compression;
using System.Text;
using Rectify.Documents;

namespace Rectify.UnitTests.Notices;

/// <summary>
/// A .docx notice is bounded before it is read: a small file whose document part unpacks to hundreds of megabytes (a zip
/// bomb, which took 4.4 GB of the server's memory for one 400 KB upload) is refused by its directory, and a part of more
/// characters than <see cref="NoticeDocx.MostCharactersInPart"/>, however honestly packed, by the reader's own limit.
/// Either refusal is a sentence the office reads, never an exception that escapes.
/// </summary>
public sealed class NoticeDocxLimitsTests
{
    private const string Main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    [Fact]
    public void A_docx_whose_document_unpacks_far_beyond_its_size_is_refused_before_it_is_opened()
    {
        // 300 MB of one letter, packed about 1,000 to 1.
        var bytes = Docx(w =>
        {
            var block = Encoding.ASCII.GetBytes(new string('A', 1024 * 1024));
            for (var i = 0; i < 300; i++)
            {
                w.Write(block);
            }
        });
        Assert.InRange(bytes.Length, 1, 2 * 1024 * 1024);

        var refused = Assert.Throws<NoticeParseException>(() => NoticeFile.Read(bytes, "bomb.docx"));
        Assert.StartsWith("这个 Word 文档", refused.Message, StringComparison.Ordinal);
        Assert.Contains("不能导入", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_part_of_more_characters_than_the_bound_is_refused_however_it_is_packed()
    {
        // Letters drawn at random pack no better than about 1.6 to 1: the directory's ratio check lets them through, the
        // characters do not.
        var random = new Random(7);
        var bytes = Docx(w =>
        {
            var line = new byte[64 * 1024];
            for (long written = 0; written <= NoticeDocx.MostCharactersInPart; written += line.Length)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    line[i] = (byte)('a' + random.Next(26));
                }

                w.Write(line);
            }
        });

        var refused = Assert.Throws<NoticeParseException>(() => NoticeFile.Read(bytes, "long.docx"));
        Assert.Equal("这个 Word 文档的一个部件超过 1677 万字符，不能导入。请删除文档中无关的内容后重新保存为 .docx，或拆分为多个文件。", refused.Message);
    }

    [Fact]
    public void A_document_nesting_thousands_deep_is_refused_before_the_sdk_builds_its_tree()
    {
        // 50,000 runs within runs: a few kilobytes packed, and a stack overflow (the end of the server process) if the
        // SDK were let to build the tree.
        var bytes = Docx(w => w.Write(Encoding.ASCII.GetBytes("</w:t>" + string.Concat(Enumerable.Repeat("<w:r>", 50_000)) + string.Concat(Enumerable.Repeat("</w:r>", 50_000)) + "<w:t>")));
        Assert.InRange(bytes.Length, 1, 64 * 1024);

        var refused = Assert.Throws<NoticeParseException>(() => NoticeFile.Read(bytes, "deep.docx"));
        Assert.Equal($"这个 Word 文档中的“word/document.xml”嵌套超过 {ZipLimits.MostXmlDepth} 层，不像正常的文档，不能导入。请用 Word 或 WPS 打开后重新“另存为” .docx。", refused.Message);

        // Nesting a real document has (tables within tables) is read.
        var nested = Docx(w => w.Write(Encoding.ASCII.GetBytes("</w:t>" + string.Concat(Enumerable.Repeat("<w:r>", 60)) + string.Concat(Enumerable.Repeat("</w:r>", 60)) + "<w:t>")));
        Assert.Equal("docx", NoticeFile.Read(nested, "nested.docx").Source);
    }

    [Fact]
    public void A_document_within_the_bounds_is_read()
    {
        var bytes = Docx(w => w.Write(Encoding.UTF8.GetBytes("一、关于学习贯彻不够深入的问题")));
        var reading = NoticeFile.Read(bytes, "ok.docx");
        Assert.Equal("docx", reading.Source);
    }

    /// <summary>A minimal .docx whose only paragraph's text <paramref name="text"/> writes.</summary>
    private static byte[] Docx(Action<Stream> text)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
            Write(zip, "_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
            using var part = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            part.Write(Encoding.UTF8.GetBytes($"<w:document xmlns:w=\"{Main}\"><w:body><w:p><w:r><w:t>"));
            text(part);
            part.Write(Encoding.UTF8.GetBytes("</w:t></w:r></w:p></w:body></w:document>"));
        }

        return memory.ToArray();
    }

    private static void Write(ZipArchive zip, string name, string content)
    {
        using var entry = zip.CreateEntry(name).Open();
        entry.Write(Encoding.UTF8.GetBytes(content));
    }
}
