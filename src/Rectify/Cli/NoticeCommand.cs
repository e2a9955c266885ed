using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rectify.Documents;

namespace Rectify.Cli;

/// <summary>`notice parse 文件.txt|文件.docx [--json]`: reads a rectification notice or plan and prints what it found, with notes. Exit 0 when a structure was found without an error note, 2 otherwise. Takes no host options.</summary>
internal static class NoticeCommand
{
    private const string UsageLine = "用法：rectify notice parse 文件.txt|文件.docx [--json]";

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
        parse.SetAction((result, _) => RunAsync(cli.Out, cli.Error, result.GetRequiredValue(file), result.GetValue(json)));
        return new Verb("notice", _ => UsageLine) { PassesHostOptions = false, Subcommands = { parse } };
    }

    private static async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, string path, bool asJson)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"找不到文件“{path}”。");
        }

        var reading = NoticeFile.Read(await File.ReadAllBytesAsync(path), path);
        var notice = reading.Document;
        if (asJson)
        {
            stdout.WriteLine(JsonSerializer.Serialize(NoticeJsonShape.From(reading), NoticeJson));
        }
        else
        {
            if (reading.HasIntro)
            {
                stdout.WriteLine($"{notice.Inspection.Team} → {notice.Inspection.Target}");
            }

            if (reading.Kind == NoticeKind.RoundSummary)
            {
                stdout.WriteLine($"一轮巡察的综合情况通报：{string.Join("；", reading.Statistics.Figures.Select(f => f.Text).Where(t => t.Length > 0))}");
            }
            else
            {
                stdout.WriteLine($"主体责任 {notice.Responsibility.Count} 段；问题类别 {notice.Categories.Count} 个；问题 {notice.FindingCount} 个；整改措施 {notice.MeasureCount} 条；下一步工作 {notice.NextSteps.Count} 项。");
            }

            foreach (var c in notice.Categories)
            {
                stdout.WriteLine(c.IsImplicit ? $"（未分类）{c.Title}" : $"（{ChineseNumerals.Format(Math.Clamp(c.Number, 1, 99))}）{c.Title}");
                foreach (var f in c.Findings)
                {
                    stdout.WriteLine($"  {f.Number}. {f.Title}（{f.Measures.Count} 条措施）");
                }
            }

            stdout.WriteLine($"可信度 {reading.Confidence.Overall:0.00}");
            foreach (var note in reading.Notes)
            {
                stdout.WriteLine($"{note.Severity switch { NoteSeverity.Error => "错误", NoteSeverity.Warning => "提示", _ => "说明" }}：{note}");
            }
        }

        var errors = reading.Notes.Where(n => n.Severity == NoteSeverity.Error).Select(n => n.ToString()).ToList();
        if (reading.HasStructure && errors.Count == 0)
        {
            return CommandLine.Ok;
        }

        // What was read (the introduction, the figures, the tree) is printed above; the reasons go to stderr. A structure
        // with an error (a problem without measures, a number used twice) is not a clean reading either: the import's
        // preview shows the same notes, to be corrected there or in the file.
        var reasons = errors.DefaultIfEmpty("未找到整改任务。");
        stderr.WriteLine((reading.HasStructure ? $"错误：读出了结构，但有 {errors.Count} 处错误，请在文件中或导入预览中更正：\n" : "错误：") + string.Join("\n", reasons));
        return CommandLine.BadInput;
    }
}
