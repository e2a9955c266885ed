using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rectify.Demo;
using Rectify.Documents;

namespace Rectify.UnitTests.Notices;

/// <summary>
/// A generated inspection rendered as a notice in each layout (a)–(d) reads back to the same tree; mutated
/// fixtures never make the reader throw, and every reading without a structure says why.
/// </summary>
public sealed class NoticeRoundTripTests
{
    private const string Verbs = "健全完善落实规范强化压实加强深化推进建立";
    private const string Nouns = "制度机制台账责任监督管理清单流程考核审核培训检查资金工程项目";

    private sealed record Inspection(List<(string Title, List<(string Title, List<string> Measures)> Findings)> Categories);

    private static Gen<string> Phrase(int min, int max) =>
        from count in Gen.Choose(min, max)
        from parts in Gen.ArrayOf(Gen.Elements(Verbs.Chunk(2).Select(c => new string(c)).ToArray()).Zip(Gen.Elements(Nouns.Chunk(2).Select(c => new string(c)).ToArray())), count)
        select string.Concat(parts.Select(p => p.Item1 + p.Item2));

    private static readonly Gen<Inspection> Inspections =
        from categories in Gen.Choose(1, 4)
        from tree in Gen.ArrayOf(
            from title in Phrase(2, 4)
            from findings in Gen.Choose(1, 4)
            from fs in Gen.ArrayOf(
                from ft in Phrase(1, 3)
                from measures in Gen.Choose(1, 4)
                from ms in Gen.ArrayOf(Phrase(2, 5).Select(m => m + "，" + "逐项对账销号。"), measures)
                select (ft, ms.ToList()),
                findings)
            select (title, fs.ToList()),
            categories)
        select new Inspection([.. tree]);

    private const string Intro = "根据区委统一部署，2024年3月1日至4月15日，区委第四巡察组对区某某局党组开展了巡察。5月20日，区委巡察组向区某某局党组反馈了巡察意见。现将巡察整改进展情况予以公布。";
    private const string Closing = "欢迎广大干部群众监督。公开期限：2024年9月1日至9月10日。联系电话：12345678。\n中共区某某局党组\n2024年9月1日";

    private static string Render(Inspection i, char layout)
    {
        var s = new StringBuilder(Intro).Append('\n');
        var n = 0;
        switch (layout)
        {
            case 'a':
                s.Append("一、党组履行巡察整改主体责任情况\n（一）提高思想认识。党组召开专题会议。\n二、巡察整改任务落实情况\n");
                for (var c = 0; c < i.Categories.Count; c++)
                {
                    s.Append(CultureInfo.InvariantCulture, $"（{ChineseNumerals.Format(c + 1)}）关于{i.Categories[c].Title}方面\n");
                    foreach (var (title, measures) in i.Categories[c].Findings)
                    {
                        s.Append(CultureInfo.InvariantCulture, $"{++n}.{title}\n");
                        s.Append(string.Concat(measures.Select((m, k) => $"{ChineseNumerals.Format(k + 1)}是{m}\n")));
                    }
                }

                s.Append("三、下一步工作打算\n（一）巩固整改成果。持续跟踪。\n");
                break;
            case 'b':
                s.Append("一、组织领导情况\n（一）加强组织领导。成立领导小组。\n二、整改进展情况及成效\n");
                foreach (var (title, measures) in i.Categories.SelectMany(c => c.Findings))
                {
                    s.Append(CultureInfo.InvariantCulture, $"{++n}．关于“{title}”问题的整改。\n");
                    s.Append(string.Concat(measures.Select((m, k) => $"{ChineseNumerals.Format(k + 1)}是{m}\n")));
                }

                s.Append("三、下一步工作打算\n（一）巩固整改成果。持续跟踪。\n");
                break;
            case 'c':
                for (var c = 0; c < i.Categories.Count; c++)
                {
                    s.Append(CultureInfo.InvariantCulture, $"{ChineseNumerals.Format(c + 1)}、在{i.Categories[c].Title}方面\n");
                    for (var f = 0; f < i.Categories[c].Findings.Count; f++)
                    {
                        var (title, measures) = i.Categories[c].Findings[f];
                        s.Append(CultureInfo.InvariantCulture, $"（{ChineseNumerals.Format(f + 1)}）关于{title}的问题。");
                        s.Append(string.Concat(measures.Select((m, k) => $"{ChineseNumerals.Format(k + 1)}是{m}"))).Append('\n');
                    }
                }

                break;
            default:
                s.Append("局党组高度重视巡察整改。一是成立整改工作专班。二是建立整改台账。\n");
                for (var c = 0; c < i.Categories.Count; c++)
                {
                    s.Append(CultureInfo.InvariantCulture, $"({ChineseNumerals.Format(c + 1)})关于{i.Categories[c].Title}方面\n");
                    foreach (var (title, measures) in i.Categories[c].Findings)
                    {
                        s.Append(CultureInfo.InvariantCulture, $"{++n}、{title}\n");
                        s.Append(string.Concat(measures.Select((m, k) => $"{ChineseNumerals.Format(k + 1)}是{m}"))).Append('\n');
                    }
                }

                s.Append("下一步，局党组将持续抓好整改。\n");
                break;
        }

        return s.Append(Closing).ToString();
    }

    private static string Expected(Inspection i, char layout)
    {
        var n = 0;
        IEnumerable<(string Title, bool Implicit, IEnumerable<(string Title, List<string> Measures)> Findings)> categories = layout switch
        {
            'a' => i.Categories.Select(c => ($"关于{c.Title}方面", false, c.Findings.AsEnumerable())),
            'b' => [("整改进展情况及成效", true, i.Categories.SelectMany(c => c.Findings).Select(f => ($"关于“{f.Title}”问题的整改", f.Measures)))],
            'c' => i.Categories.Select(c => ($"在{c.Title}方面", false, c.Findings.Select(f => ($"关于{f.Title}的问题", f.Measures)))),
            _ => i.Categories.Select(c => ($"关于{c.Title}方面", false, c.Findings.AsEnumerable())),
        };
        var tree = categories.Select((c, k) => new NoticeCategory(k + 1, c.Title, [.. c.Findings.Select(f => new NoticeFinding(++n, f.Title, [.. f.Measures.Select((m, j) => new NoticeMeasure(j + 1, m))]))]) { IsImplicit = c.Implicit });
        return NoticeGenreTests.Tree(new NoticeDocument(null!, [], [.. tree], [], null, null, null));
    }

    [Fact]
    public void A_generated_inspection_reads_back_to_the_same_tree_in_each_layout()
    {
        var property = Prop.ForAll(Arb.From(Inspections), inspection =>
        {
            foreach (var layout in "abcd")
            {
                var text = Render(inspection, layout);
                var r = NoticeReader.Read(text);
                Assert.True(Expected(inspection, layout) == NoticeGenreTests.Tree(r.Document), $"layout ({layout}):\n{text}\n{string.Join("\n", r.Notes)}");
                Assert.Equal("区委第四巡察组", r.Document.Inspection.Team);
                Assert.Equal(new DateOnly(2024, 9, 10), r.Document.Disclosure?.To);
                Assert.DoesNotContain(r.Notes, x => x.Severity == NoteSeverity.Error);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void A_thousand_mutated_fixtures_never_throw_and_a_reading_without_structure_says_why()
    {
        string[] fixtures = [DemoSeeder.ReadSeedNotice(), GenreFixtures.LayoutB, GenreFixtures.LayoutC, GenreFixtures.LayoutD, GenreFixtures.RoundSummary];
        var random = new Random(11);
        string[] encodings = ["UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", "UTF-16BE", "UTF-16LE no BOM"];
        for (var i = 0; i < 1000; i++)
        {
            var lines = fixtures[random.Next(fixtures.Length)].Split('\n').ToList();
            byte[] bytes;
            switch (i % 6)
            {
                case 0:
                    lines = [.. lines.OrderBy(_ => random.Next())];
                    bytes = NoticeGenreTests.Encode(string.Join("\n", lines), encodings[random.Next(encodings.Length)]);
                    break;
                case 1:
                    lines = [.. lines.Select(l => random.Next(3) == 0 ? System.Text.RegularExpressions.Regex.Replace(l, @"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）]?[、.．]?)", string.Empty) : l)];
                    bytes = NoticeGenreTests.Encode(string.Join("\n", lines), encodings[random.Next(encodings.Length)]);
                    break;
                case 2:
                    var text = string.Join("\n", lines);
                    bytes = NoticeGenreTests.Encode(text[..random.Next(text.Length + 1)], encodings[random.Next(encodings.Length)]);
                    break;
                case 3:
                    var half = lines.Count / 2;
                    bytes = [.. NoticeGenreTests.Encode(string.Join("\n", lines.Take(half)), "UTF-8"), .. NoticeGenreTests.Encode(string.Join("\n", lines.Skip(half)), encodings[random.Next(encodings.Length)])];
                    break;
                case 4:
                    bytes = NoticeGenreTests.Encode(string.Join("\n", lines), encodings[random.Next(encodings.Length)]);
                    for (var k = 0; k < 20 && bytes.Length > 0; k++)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    break;
                default:
                    for (var k = 0; k < 10 && lines.Count > 1; k++)
                    {
                        var at = random.Next(lines.Count);
                        lines.Insert(random.Next(lines.Count), lines[at]);
                        lines.RemoveAt(random.Next(lines.Count));
                    }

                    bytes = NoticeGenreTests.Encode(string.Join("\n", lines), encodings[random.Next(encodings.Length)]);
                    break;
            }

            if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF]) || bytes.AsSpan().StartsWith("PK"u8) || bytes.AsSpan().StartsWith("%PDF"u8))
            {
                continue;
            }

            var r = NoticeFile.Read(bytes, "mutated.txt");
            if (!r.HasStructure)
            {
                Assert.Contains(r.Notes, n => n.Severity == NoteSeverity.Error);
            }

            Assert.All(r.Notes, n => Assert.False(string.IsNullOrWhiteSpace(n.Message)));
        }
    }
}
