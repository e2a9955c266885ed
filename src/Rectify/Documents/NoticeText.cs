using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Documents;

/// <summary>
/// The text side of reading a notice: bytes to text (UTF-8 with or without BOM, UTF-16 with or without BOM,
/// GB18030/GBK), the refusal of formats we cannot read (.doc/.wps, PDF, RTF), pinyin glosses and page noise,
/// and the matching key of a line. The key has the same length as the line, so that a match found in the key
/// is cut from the line itself and texts stay verbatim (traditional stays traditional).
/// </summary>
public static partial class NoticeText
{
    /// <summary>
    /// Traditional → simplified for the characters the genre's keywords use (intro formula, section names,
    /// statistics, disclosure block). Only for matching; a text is never rewritten. Pairs: traditional, simplified.
    /// </summary>
    private const string TraditionalPairs =
        "巡巡視视組组對对開开進进專专項项饋馈見见據据統统區区縣县黨党責责領领導导況况務务實实體体頭头問问題题關关於于類类個个條条"
        + "舉举萬万億亿員员處处誡诫織织訂订單单時时間间電电話话郵邮編编碼码聯联繫系係系歡欢監监佈布報报後后將将現现們们達达為为"
        + "與与紀纪檢检財财經经濟济損损繳缴歸归還还幹干談谈轉转線线辦办會会議议習习學学鎮镇鄉乡機机構构門门輪轮長长堅坚續续發发"
        + "階阶針针並并點点號号稱称簡简內内設设計计劃划規规範范標标準准陳陈風风潔洁種种選选團团隊队顯显層层嚴严權权廳厅級级屆届"
        + "餘余約约質质證证態态總总結结書书記记際际傳传貫贯徹彻優优積积極极複复盤盘衛卫廠厂築筑責责幾几爭争參参產产業业農农"
        + "貿贸歷历認认識识準准則则衆众眾众廣广強强於于節节勵励懲惩戰战營营歲岁務务訴诉訪访來来頁页閉闭壓压鞏巩懷怀";

    private static readonly Dictionary<char, char> Simplified = BuildSimplified();

    static NoticeText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The result of decoding a file's bytes: its text and the name of the encoding it was read in.</summary>
    public sealed record Decoded(string Text, string Encoding, IReadOnlyList<NoticeNote> Notes);

    /// <summary>Refuses what is not a text or .docx file, with a message that says how to convert it; null when the bytes may be read.</summary>
    public static string? Refusal(ReadOnlySpan<byte> bytes, string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? string.Empty).ToUpperInvariant();
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) || extension is ".DOC" or ".WPS")
        {
            return "这是 Word 97-2003（.doc）或 WPS（.wps）格式的文件，无法直接读取。请用 Word 或 WPS 打开它，“另存为” Word 文档（.docx）或纯文本（.txt，UTF-8 编码）后再试。";
        }

        if (bytes.StartsWith("%PDF"u8))
        {
            return "这是 PDF 文件，无法读取其中的结构。请提供原始的 Word 文档（.docx）或纯文本（.txt）。";
        }

        if (bytes.StartsWith(@"{\rtf"u8))
        {
            return "这是 RTF 格式的文件。请用 Word 或 WPS 打开它，“另存为” Word 文档（.docx）后再试。";
        }

        return null;
    }

    /// <summary>True when the bytes are a zip package (a .docx).</summary>
    public static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.StartsWith("PK\u0003\u0004"u8);

    /// <summary>
    /// Decodes a text file: a BOM decides (UTF-8, UTF-16 LE/BE); without one, strict UTF-8 when the bytes are valid
    /// UTF-8, UTF-16 when the bytes read as such (most characters Chinese, ASCII or punctuation), GB18030 otherwise.
    /// </summary>
    public static Decoded Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var notes = new List<NoticeNote>();
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new Decoded(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3), "UTF-8 (BOM)", notes);
        }

        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new Decoded(Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "UTF-16LE", notes);
        }

        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new Decoded(Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "UTF-16BE", notes);
        }

        try
        {
            return new Decoded(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes), "UTF-8", notes);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8, or UTF-8 with a few bytes damaged: one of the other encodings below, or the latter.
        }

        // A UTF-8 text with a few damaged bytes (a copy cut mid-character, a bad sector) reads as UTF-8 with those few
        // replaced: GB18030 reads any bytes without complaint and would turn every character of it into another.
        var lenient = new UTF8Encoding(false).GetString(bytes);
        var damaged = lenient.Count(c => c == '\uFFFD');
        if (damaged * 20 <= lenient.Count(c => c > '\u007F' && c != '\uFFFD'))
        {
            var line = lenient.AsSpan(0, lenient.IndexOf('\uFFFD', StringComparison.Ordinal)).Count('\n') + 1;
            notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"文件是 UTF-8 编码，但有 {damaged} 处字节无法识别（第一处在第 {line} 行），已替换为“\uFFFD”。请核对这些位置的文字，或从原文件重新复制保存。"));
            return new Decoded(lenient, "UTF-8", notes);
        }

        if (bytes.Length % 2 == 0 && bytes.Length >= 4)
        {
            foreach (var (encoding, name) in new[] { (Encoding.Unicode, "UTF-16LE"), (Encoding.BigEndianUnicode, "UTF-16BE") })
            {
                var text = encoding.GetString(bytes);
                if (LooksLikeText(text))
                {
                    notes.Add(new NoticeNote(null, NoteSeverity.Info, $"文件没有字节顺序标记，按 {name} 编码读取。"));
                    return new Decoded(text, name, notes);
                }
            }
        }

        var gb = Encoding.GetEncoding("GB18030").GetString(bytes);
        var bad = gb.Count(c => c == '\uFFFD');
        if (bad > 0)
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"文件既不是 UTF-8 也不是 UTF-16；按 GB18030 读取时有 {bad} 处无法识别的字节，已替换为“\uFFFD”。"));
        }
        else
        {
            notes.Add(new NoticeNote(null, NoteSeverity.Info, "文件不是 UTF-8 编码，按 GB18030（GBK）读取。"));
        }

        return new Decoded(gb, "GB18030", notes);
    }

    /// <summary>Mostly Chinese, ASCII and punctuation: UTF-16 read the right way round. GBK or UTF-8 read as UTF-16 scatters over the whole plane.</summary>
    private static bool LooksLikeText(string text)
    {
        var sample = text.Length > 4000 ? text[..4000] : text;
        var good = sample.Count(c => c is >= '\u4E00' and <= '\u9FFF' or >= ' ' and <= '~' or '\r' or '\n' or '\t' or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or >= '\u2000' and <= '\u206F');
        return good >= sample.Length * 0.9;
    }

    /// <summary>A line as read: glosses stripped, trimmed of spaces of every width. Null when nothing is left.</summary>
    public static string? Clean(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // A damaged byte read as U+FFFD at a paragraph's start would hide its number ("\uFFFD问题3：…"): it goes with the spaces.
        var cleaned = GlossRegex().Replace(line, string.Empty).Trim().Trim('\uFEFF', '\u3000', '\u00A0', '\u200B', '\uFFFD').Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>
    /// The matching key of a line, as long as the line: traditional → simplified (the table above), full-width
    /// ASCII → half-width (（）．，：；０-９％ and the like), the ideographic space → a space.
    /// </summary>
    public static string Key(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return string.Create(line.Length, line, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                    '\u3000' => ' ',
                    _ => Simplified.TryGetValue(c, out var s) ? s : c,
                };
            }
        });
    }

    /// <summary>
    /// Lines of a web page around a notice: source, time, font size, related news, print this page. Narrow on purpose:
    /// a line taken for noise is dropped, so a paragraph of the notice must never look like one.
    /// </summary>
    public static bool IsPageNoise(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return NoiseRegex().IsMatch(key);
    }

    private static Dictionary<char, char> BuildSimplified()
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < TraditionalPairs.Length; i += 2)
        {
            if (TraditionalPairs[i] != TraditionalPairs[i + 1])
            {
                map[TraditionalPairs[i]] = TraditionalPairs[i + 1];
            }
        }

        return map;
    }

    // "衛（wèi）": a pinyin gloss after a character, lower-case Latin with tone marks.
    [GeneratedRegex(@"(?<=[\u4E00-\u9FFF])\s*[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+(?:\s+[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+)*\s*[)）]")]
    private static partial Regex GlossRegex();

    // Page clutter only, never a notice's own words: a byline label with its colon (来源：, 索引号：), a dateline whose
    // label is followed by a date (时间：2024-01-10), an editor's byline with a short name (编辑：张三), navigation
    // (上一篇, 当前位置), and a line of nothing but buttons (【打印】【关闭】). Content that merely begins with such a
    // word (编辑印发《…》) or with a bracketed label (【整改措施】…) is no clutter.
    [GeneratedRegex(@"^(?:-\s*)?(?:(?:来源|文章来源|信息来源|发布机构|字号|浏览次数|点击数|阅读次数|信息索引号|索引号|文件名称|公开方式|SOURCE)\s*:|(?:发布时间|发布日期|成文日期|日期|时间)\s*:\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:\s|$)|(?:作者|编辑|责任编辑)\s*:\s*[^\s,。;:]{1,8}(?:\s|$)|分享到|相关新闻|相关链接|上一篇|下一篇|首页\s*>|当前位置|\[TRUNCATED)|^(?:[【\[]\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|加入收藏|收藏|分享|纠错|字体\s*:?\s*大\s*中\s*小|大\s*中\s*小|大|中|小)\s*[】\]]\s*)+$|打印本页|关闭窗口|【\s*大\s*】|\[\s*大\s*中\s*小\s*\]|字体[:：]?\s*大\s*中\s*小")]
    private static partial Regex NoiseRegex();
}
