using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Tools;

/// <summary>
/// The generator's Chinese: the clauses of the seed notice (split at its commas and full stops, numbering taken off),
/// put together again a few at a time to the length asked for, and names made from short lists. Deterministic for a
/// given <see cref="Random"/>.
/// </summary>
public sealed partial class BenchVocabulary
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高", "梁", "郑", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曹"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "文", "斌", "立新", "永红", "国庆", "红梅", "少华", "家豪", "嘉欣", "振宇", "子涵", "婷", "浩", "宇", "健"];
    private static readonly string[] PlaceSyllables = ["东", "西", "南", "北", "新", "城", "江", "河", "湖", "山", "石", "桥", "沙", "塘", "岭", "坪", "园", "安", "和", "平", "兴", "宁", "丰", "华", "明", "阳", "泉", "林", "溪", "洲", "龙", "凤", "金", "银", "白", "青", "长", "永", "富", "乐"];
    private static readonly string[] ProblemEndings = ["不到位", "有差距", "不够扎实", "落实不力", "存在短板", "不够规范", "流于形式", "推进缓慢"];

    private readonly Random random;
    private readonly string[] clauses;
    private readonly string[] places;
    private int nextPlace;

    public BenchVocabulary(string seedNotice, Random random)
    {
        ArgumentNullException.ThrowIfNull(seedNotice);
        this.random = random;
        clauses = [.. Separators().Split(seedNotice)
            .Select(c => Numbering().Replace(c.Trim(), string.Empty).Trim())
            .Where(c => c.Length is >= 5 and <= 32 && !c.Any(char.IsAsciiLetterOrDigit) && !c.StartsWith("关于", StringComparison.Ordinal) && !c.StartsWith("根据", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
        if (clauses.Length < 50)
        {
            throw new InvalidOperationException("The seed notice gave too few clauses to compose texts from.");
        }

        // The seed's own place names first, then two-syllable names in a shuffled but fixed order.
        var seedPlaces = new[] { "万江", "滘联", "大汾", "流涌尾", "谷涌", "石美", "坝头", "官桥滘", "胜利", "金泰", "拔蛟窝" };
        var made = PlaceSyllables.SelectMany(a => PlaceSyllables.Where(b => b != a).Select(b => a + b)).ToArray();
        random.Shuffle(made);
        places = [.. seedPlaces, .. made.Except(seedPlaces, StringComparer.Ordinal)];
    }

    /// <summary>How many distinct clauses the seed gave.</summary>
    public int ClauseCount => clauses.Length;

    /// <summary>A place name not given before (for the organization tree; wraps with a number after about 1,500).</summary>
    public string Place()
    {
        var i = nextPlace++;
        return i < places.Length ? places[i] : places[i % places.Length] + (i / places.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string PersonName() => Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)];

    public string Clause() => clauses[random.Next(clauses.Length)];

    /// <summary>Clauses joined with "，" until the text is at least a length drawn from [min, max], ended with "。".</summary>
    public string Compose(int min, int max)
    {
        var target = random.Next(min, max + 1);
        var text = new StringBuilder(target + 40);
        text.Append(Clause());
        while (text.Length < target)
        {
            text.Append('，').Append(Clause());
        }

        return text.Append('。').ToString();
    }

    /// <summary>A finding's title: a clause and how it falls short.</summary>
    public string ProblemTitle() => Clause() + ProblemEndings[random.Next(ProblemEndings.Length)];

    /// <summary>A category heading as notices write it: 关于…方面.</summary>
    public string CategoryTitle() => "关于" + Clause() + "方面";

    [GeneratedRegex("[，。；！？：,;\\n\\r]")]
    private static partial Regex Separators();

    [GeneratedRegex("^(（[一二三四五六七八九十]+）|\\([一二三四五六七八九十]+\\)|[一二三四五六七八九十]+[、是]|\\d+[.、．])+")]
    private static partial Regex Numbering();
}
