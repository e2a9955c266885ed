namespace Rectify.Documents;

/// <summary>
/// The strict reading of a notice, for callers that import it as it is (the demo, the bench): the tolerant
/// <see cref="NoticeReader"/>, refused when the reader could not find the structure or noted an error in it.
/// </summary>
public static class NoticeParser
{
    public static NoticeDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new NoticeParseException("文件不是 UTF-8 编码的文本。请提供 .txt 格式（UTF-8）的整改进展情况公布全文。");
        }

        return Strict(NoticeReader.Read(text));
    }

    /// <summary>The reading's document when it has findings and no error; otherwise its first error as an exception.</summary>
    public static NoticeDocument Strict(NoticeReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var error = reading.Notes.FirstOrDefault(n => n.Severity == NoteSeverity.Error);
        if (error is not null)
        {
            throw error.Paragraph is { } p ? new NoticeParseException(error.Message, p) : new NoticeParseException(error.Message);
        }

        if (reading.Kind == NoticeKind.RoundSummary)
        {
            throw new NoticeParseException("这是一轮巡察的综合情况通报，只有统计数字，没有可导入的问题。");
        }

        if (!reading.HasStructure)
        {
            throw new NoticeParseException("未找到整改任务：应有“(一)关于…方面”这样的问题类别，其下是“1.…”编号的问题和“一是…二是…”的整改措施。");
        }

        return reading.Document;
    }
}
