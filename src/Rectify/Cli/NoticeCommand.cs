using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rectify.Documents;

namespace Rectify.Cli;

/// <summary>`notice parse 文件.txt [--json]`: reads a rectification notice and prints its structure. Takes no host options.</summary>
internal static class NoticeCommand
{
    private const string UsageLine = "用法：rectify notice parse 文件.txt [--json]";

    private static readonly JsonSerializerOptions NoticeJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Verb Create(CliContext cli)
    {
        var file = new Argument<string>("文件.txt");

        // An option this verb does not know is a misuse, not a file name.
        file.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: ['-', ..] }])
            {
                result.AddError(UsageLine);
            }
        });
        var json = Verb.Flag("--json");
        var parse = new Command("parse") { file, json };
        parse.SetAction((result, _) => RunAsync(cli.Out, result.GetRequiredValue(file), result.GetValue(json)));
        return new Verb("notice", _ => UsageLine) { PassesHostOptions = false, Subcommands = { parse } };
    }

    private static async Task<int> RunAsync(TextWriter stdout, string path, bool asJson)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"找不到文件“{path}”。");
        }

        var text = await ReadUtf8Async(path);
        var notice = NoticeParser.Parse(text);
        if (asJson)
        {
            stdout.WriteLine(JsonSerializer.Serialize(NoticeJsonShape.From(notice), NoticeJson));
        }
        else
        {
            stdout.WriteLine($"{notice.Inspection.Team} → {notice.Inspection.Target}");
            stdout.WriteLine($"主体责任 {notice.Responsibility.Count} 段；问题类别 {notice.Categories.Count} 个；问题 {notice.FindingCount} 个；整改措施 {notice.MeasureCount} 条；下一步工作 {notice.NextSteps.Count} 项。");
            foreach (var c in notice.Categories)
            {
                stdout.WriteLine($"（{ChineseNumerals.Format(c.Number)}）{c.Title}");
                foreach (var f in c.Findings)
                {
                    stdout.WriteLine($"  {f.Number}. {f.Title}（{f.Measures.Count} 条措施）");
                }
            }
        }

        return CommandLine.Ok;
    }

    /// <summary>Reads a file as strict UTF-8, so that a GBK file or a binary gets a clear error instead of mojibake.</summary>
    private static async Task<string> ReadUtf8Async(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new NoticeParseException($"“{path}”不是 UTF-8 编码的文本文件。请另存为 UTF-8 编码的 .txt 后再试。");
        }
    }
}
