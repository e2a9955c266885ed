using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Rectify.UnitTests.Intake;

/// <summary>Files that are not what they claim: zips with extra or misdeclared entries, compound (OLE2) files, forward-only streams.</summary>
internal static class TestFiles
{
    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return stream.ToArray();
    }

    public static byte[] AddEntry(byte[] xlsx, string name, byte[] content)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            s.Write(content);
        }

        return stream.ToArray();
    }

    /// <summary>The zip with one entry's text rewritten.</summary>
    public static byte[] ReplaceEntry(byte[] zip, string name, Func<string, string> rewrite)
    {
        using var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry(name) ?? throw new ArgumentException($"{name} is not in the zip.", nameof(name));
            string text;
            using (var reader = new StreamReader(entry.Open(), Encoding.UTF8))
            {
                text = reader.ReadToEnd();
            }

            entry.Delete();
            using var s = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            s.Write(Encoding.UTF8.GetBytes(rewrite(text)));
        }

        return stream.ToArray();
    }

    /// <summary>Rewrites the uncompressed size an entry declares, in its local header and in the central directory.</summary>
    public static byte[] DeclareSize(byte[] zip, string name, uint size)
    {
        var bytes = (byte[])zip.Clone();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 26)) == nameBytes.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28)) == nameBytes.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
                patched++;
            }
        }

        Assert.Equal(2, patched);
        return bytes;
    }

    /// <summary>A stream that reads forward only, like an upload's body.</summary>
    public sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>
    /// The smallest OLE2 compound file (MS-CFB, version 3, 512-byte sectors) with a root entry and streams of the
    /// given names: sector 0 holds the allocation table, sector 1 the directory. Enough for a reader that looks at
    /// the signature and the directory's names, which is all the refusal needs.
    /// </summary>
    public static byte[] CompoundFile(params string[] streams)
    {
        var file = new byte[512 * 3];
        var header = file.AsSpan(0, 512);
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x18..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1A..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1C..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1E..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x20..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x30..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x38..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x3C..], 0xFFFFFFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x44..], 0xFFFFFFFE);
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(0x4C + (4 * i))..], i == 0 ? 0u : 0xFFFFFFFF);
        }

        var fat = file.AsSpan(512, 512);
        fat.Fill(0xFF);
        BinaryPrimitives.WriteUInt32LittleEndian(fat, 0xFFFFFFFD);
        BinaryPrimitives.WriteUInt32LittleEndian(fat[4..], 0xFFFFFFFE);

        var names = new[] { "Root Entry" }.Concat(streams).ToArray();
        Assert.True(names.Length <= 4);
        for (var i = 0; i < names.Length; i++)
        {
            var entry = file.AsSpan(1024 + (128 * i), 128);
            var name = Encoding.Unicode.GetBytes(names[i] + "\0");
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)name.Length);
            entry[66] = (byte)(i == 0 ? 5 : 2);
            entry[67] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(entry[68..], i > 1 ? (uint)(i - 1) : 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[72..], 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], i == 0 ? 1u : 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], 0xFFFFFFFE);
        }

        return file;
    }
}
