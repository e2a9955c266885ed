using FsCheck;
using FsCheck.Fluent;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests;

/// <summary>
/// A bounded fuzz run over the two readers of what people upload (issue #16): the notice reader and the Excel ledger
/// reader get mangled versions of real inputs — bytes flipped, cut short, lines dropped or repeated, random text — and
/// must either read something or refuse with a broken rule (the 400 a person sees), never throw anything else (a 500).
/// </summary>
public sealed class ReaderFuzzTests
{
    private static readonly string Seed = DemoSeeder.ReadSeedNotice();

    private static Gen<byte[]> Mangled(byte[] original) =>
        from kind in Gen.Choose(0, 3)
        from at in Gen.Choose(0, original.Length - 1)
        from count in Gen.Choose(1, 64)
        from values in Gen.ArrayOf(Gen.Choose(0, 255), count)
        select kind switch
        {
            0 => original[..at],
            1 => [.. original[..at], .. values.Select(v => (byte)v), .. original[Math.Min(original.Length, at + count)..]],
            2 => [.. original[..at], .. values.Select(v => (byte)v), .. original[at..]],
            _ => [.. original.Select((b, i) => i % Math.Max(1, original.Length / count) == 0 ? (byte)(b ^ values[i % count]) : b)],
        };

    private static Gen<string> MangledText(string text)
    {
        var lines = text.Split('\n');
        return from kind in Gen.Choose(0, 3)
               from a in Gen.Choose(0, lines.Length - 1)
               from b in Gen.Choose(0, lines.Length - 1)
               from noise in Gen.ArrayOf(Gen.Elements("一、", "（一）", "1.", "①", "整改", "\u0000", "\uFFFD", "😀", "\r", "　", "第", "问题", "措施"), 20)
               select kind switch
               {
                   0 => string.Join('\n', lines.Where((_, i) => i < Math.Min(a, b) || i > Math.Max(a, b))),
                   1 => string.Join('\n', lines.Take(a).Concat(Enumerable.Repeat(lines[b], 50)).Concat(lines.Skip(a))),
                   2 => string.Join('\n', lines.Select((l, i) => i % 7 == a % 7 ? string.Concat(noise) + l : l)),
                   _ => string.Concat(noise) + text[..(text.Length * a / lines.Length)],
               };
    }

    private static void ReadsOrRefuses(Action read, string what)
    {
        try
        {
            read();
        }
        catch (BusinessRuleViolationException)
        {
            // A refusal with its words: what a person sees as 400.
        }
        catch (NoticeParseException)
        {
            // The strict parser's refusal of a text that is not a notice.
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}");
        }
    }

    [Fact]
    public void The_notice_reader_reads_or_refuses_mangled_notices()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(Seed);
        var config = Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll(Arb.From(MangledText(Seed)), text => ReadsOrRefuses(
            () =>
            {
                NoticeReader.Read(text);
                NoticeParser.Parse(text);
            },
            "text")));
        Check.One(config, Prop.ForAll(Arb.From(Mangled(bytes)), b => ReadsOrRefuses(() => NoticeFile.Read(b, "notice.txt"), "bytes")));
    }

    [Fact]
    public void The_excel_reader_reads_or_refuses_mangled_workbooks()
    {
        using var stream = new MemoryStream();
        LedgerTemplate.Write(stream, null, []);
        var workbook = stream.ToArray();
        var property = Prop.ForAll(
            Arb.From(Mangled(workbook)),
            bytes => ReadsOrRefuses(() => LedgerWorkbookReader.Read(new MemoryStream(bytes)), "workbook"));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }
}
