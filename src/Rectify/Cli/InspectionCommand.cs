using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features;
using Rectify.Features.Intake;
using Rectify.Features.Plans;

namespace Rectify.Cli;

/// <summary>
/// `inspection import 文件 --user 用户名 (--inspection 编号 | --org 单位 --title 名称 [--team 巡察组]) [--sheet 工作表]
/// [--preview] [--reason 理由]`: the import of the pages and the API (an Excel 台账, or a notice or plan as .txt/.docx,
/// told apart by content), done as the named account (its scope, its
/// permission, its name in the audit trail). The preview is printed as a table; exit 2 on any error in the file or refusal.
/// </summary>
internal static class InspectionCommand
{
    private const string UsageLine = "用法：rectify inspection import 文件（台账 .xlsx，或通报、整改方案 .txt/.docx） --user 用户名 (--inspection 编号 | --org 单位 --title 巡察名称 [--team 巡察组]) [--sheet 工作表] [--preview] [--reason 理由] [--data 目录]";

    /// <summary>How wide the measure text may be in the printed table (in columns of a terminal; a Chinese character takes two).</summary>
    private const int TextWidth = 40;

    public static Verb Create(CliContext cli)
    {
        var data = Verb.DataOption();
        var file = new Argument<string>("文件");
        file.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: ['-', ..] }])
            {
                result.AddError(UsageLine);
            }
        });
        var user = new Option<string>("--user") { Required = true };
        var inspection = new Option<int?>("--inspection") { CustomParser = Digits };
        var organization = new Option<string>("--org");
        var title = new Option<string>("--title");
        var team = new Option<string>("--team");
        var sheet = new Option<string>("--sheet");
        var preview = Verb.Flag("--preview");
        var reason = new Option<string>("--reason");
        var import = new Command("import") { file, user, inspection, organization, title, team, sheet, preview, reason };
        import.Validators.Add(result =>
        {
            var hasInspection = result.GetResult(inspection) is not null;
            var hasOrg = result.GetResult(organization) is not null;
            if (hasInspection == hasOrg)
            {
                result.AddError("请用 --inspection 编号 指定导入到哪次巡察，或用 --org 单位 --title 巡察名称 登记一次新的巡察（二者取其一）。");
            }
            else if (hasOrg && result.GetResult(title) is null)
            {
                result.AddError("登记新的巡察须写明 --title 巡察名称。");
            }
        });
        import.SetAction((result, _) => RunAsync(cli, new Request(
            result.GetRequiredValue(file),
            result.GetRequiredValue(user),
            result.GetValue(inspection),
            result.GetValue(organization),
            result.GetValue(title),
            result.GetValue(team),
            result.GetValue(sheet),
            result.GetValue(preview),
            result.GetValue(reason),
            cli.VerbArguments(result.GetValue(data)))));
        return new Verb("inspection", _ => UsageLine) { data, import };
    }

    private sealed record Request(string File, string User, int? Inspection, string? Organization, string? Title, string? Team, string? Sheet, bool Preview, string? Reason, string[] HostArgs);

    private static async Task<int> RunAsync(CliContext cli, Request request)
    {
        if (!File.Exists(request.File))
        {
            throw new FileNotFoundException($"找不到文件“{request.File}”。");
        }

        await using var session = await CliSession.OpenMigratedAsync(request.HostArgs);
        var services = session.Scope.ServiceProvider;
        var principal = await PrincipalOfAsync(services, request.User);
        session.ActAs(principal);
        var imports = services.GetRequiredService<IntakeCommitService>();
        var fileName = Path.GetFileName(request.File);
        try
        {
            await using var stream = File.OpenRead(request.File);
            if (request.Inspection is { } id)
            {
                var read = await imports.PreviewAsync(id, stream, fileName, request.Sheet, CancellationToken.None)
                    ?? throw new RectifyConfigurationException($"找不到编号为 {id} 的巡察，或账号 {request.User} 无权查看。");
                Print(cli.Out, read);
                if (read.ErrorCount > 0 || request.Preview)
                {
                    return Done(cli, read);
                }

                var result = await imports.CommitAsync(id, read.Draft, request.Reason, read.SourceName, CancellationToken.None);
                cli.Out.WriteLine(result!.Message);
                return CommandLine.Ok;
            }

            return await NewInspectionAsync(cli, services, imports, request, stream, fileName);
        }
        catch (BusinessRuleViolationException e)
        {
            cli.Error.WriteLine("错误：" + e.Message);
            return CommandLine.BadInput;
        }
    }

    /// <summary>--org: the file is read first; only a file without errors registers the inspection, and is then imported into it.</summary>
    private static async Task<int> NewInspectionAsync(CliContext cli, IServiceProvider services, IntakeCommitService imports, Request request, Stream stream, string fileName)
    {
        var plans = services.GetRequiredService<PlanService>();
        var organization = await FindOrganizationAsync(plans, request.Organization!, request.User);
        var (sheets, sheet, draft) = IntakeSources.Read(stream, fileName, request.Sheet);
        var preview = new ImportPreview(fileName, sheets, sheet, draft, IntakeCommitService.AgainstANewPlan(draft, request.Title!));
        Print(cli.Out, preview);
        if (preview.ErrorCount > 0 || request.Preview)
        {
            return Done(cli, preview);
        }

        var team = request.Team ?? draft.Inspection.Team ?? throw new RectifyConfigurationException("登记新的巡察须写明 --team 巡察组（文件中没有写明）。没有写入任何内容。");
        var created = await plans.CreateInspectionAsync(new InspectionInput(request.Title, InspectionKind.Xuncha, null, team, organization, null, null, null, null), CancellationToken.None);
        var id = created.Id!.Value;
        cli.Out.WriteLine($"已登记巡察“{request.Title}”（编号 {id.ToString(CultureInfo.InvariantCulture)}）。");
        try
        {
            var result = await imports.CommitAsync(id, draft, request.Reason, preview.SourceName, CancellationToken.None);
            cli.Out.WriteLine(result!.Message);
            return CommandLine.Ok;
        }
        catch (BusinessRuleViolationException e)
        {
            throw BusinessRules.Refuse(new ImportFailedAfterRegistration(e, id));
        }
    }

    private static int Done(CliContext cli, ImportPreview preview)
    {
        if (preview.ErrorCount > 0)
        {
            cli.Error.WriteLine($"未导入：文件中有 {preview.ErrorCount} 处错误（见上表），改正后再导入。");
            return CommandLine.BadInput;
        }

        if (preview.Draft.ReadsNothing)
        {
            cli.Error.WriteLine("未导入：" + IntakeCommitService.NothingToImport);
            return CommandLine.BadInput;
        }

        cli.Out.WriteLine(preview.CanConfirm ? "以上是预览，没有写入任何内容。去掉 --preview 即导入。" : "以上是预览，没有写入任何内容。");
        return preview.CanConfirm ? CommandLine.Ok : CommandLine.BadInput;
    }

    /// <summary>The preview as a few tables of plain text: counts, problems by cell, then every measure with what the import does to it.</summary>
    private static void Print(TextWriter output, ImportPreview preview)
    {
        var c = preview.Comparison;
        output.WriteLine(preview.Sheet is null
            ? $"文件：{preview.FileName}　{(preview.Draft.Kind == IntakeKind.RoundSummary ? "综合情况通报（只有统计数字，不导入问题）" : "整改进展情况公布或整改方案")}{(preview.Draft.Reading is { } reading ? "（" + reading + "）" : string.Empty)}"
            : $"文件：{preview.FileName}　工作表：{preview.Sheet}（共 {preview.Sheets.Count} 个：{string.Join("、", preview.Sheets.Select(s => s.Name))}）");
        if (preview.Draft.Statistics is { } statistics)
        {
            output.WriteLine("文中的统计数字：" + string.Join("；", statistics.Figures.Select(f => $"{f.Label} {f.Value.ToString("0.##", CultureInfo.InvariantCulture)}{f.Unit}")));
        }

        if (preview.Draft.Categories.FirstOrDefault(x => x.IsImplicit) is { } implicitCategory)
        {
            output.WriteLine($"原文没有问题类别：问题归入默认类别“{implicitCategory.Title}”。");
        }

        output.WriteLine($"巡察：{c.InspectionTitle}（整改方案：{Terms.Of(c.PlanState)}）");
        output.WriteLine();
        Table(output, ["", "新增", "更新", "不变"],
        [
            ["问题类别", .. Counts(c.CategoryCounts)],
            ["反馈问题", .. Counts(c.FindingCounts)],
            ["整改措施", .. Counts(c.MeasureCounts)],
        ]);
        if (c.UntouchedNote is { } untouched)
        {
            output.WriteLine(untouched);
        }

        output.WriteLine();
        var problems = preview.Problems;
        output.WriteLine($"问题：错误 {preview.ErrorCount} 处，提示 {problems.Count - preview.ErrorCount} 处");
        if (problems.Count > 0)
        {
            Table(output, ["类型", "工作表", "位置", "问题"], [.. problems.Select(p => new[] { p.Severity == IntakeSeverity.Error ? "错误" : "提示", p.Sheet ?? "—", p.Where.Length == 0 ? "—" : p.Where, p.Message })]);
        }

        output.WriteLine();
        var rows = new List<string[]>();
        foreach (var category in preview.Draft.Categories)
        {
            foreach (var f in category.Findings)
            {
                foreach (var m in f.Measures)
                {
                    var change = c.Measures[(f.Number, m.Number)];
                    rows.Add(
                    [
                        $"{f.Number}.{m.Number}",
                        Word(change.Change),
                        m.Kind is { } k ? Terms.Of(k) : "—",
                        m.Kind == MeasureKind.Ongoing ? "长期坚持" : Fmt.Date(m.Deadline),
                        m.ResponsibleLeader ?? "—",
                        m.LeadUnit ?? "—",
                        Cut(m.Text, TextWidth) + (change.Fields.Count > 0 ? "（" + string.Join("；", change.Fields) + "）" : string.Empty),
                    ]);
                }
            }
        }

        Table(output, ["序号", "导入", "整改类型", "整改时限", "责任领导", "牵头单位", "整改措施"], rows);
    }

    private static string Word(ImportChange change) => change switch
    {
        ImportChange.Added => "新增",
        ImportChange.Updated => "更新",
        _ => "不变",
    };

    private static string[] Counts(ImportCounts counts) =>
        [counts.Added.ToString(CultureInfo.InvariantCulture), counts.Updated.ToString(CultureInfo.InvariantCulture), counts.Unchanged.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Columns padded to the widest cell as a terminal shows it (a Chinese character is two columns wide); the last column is not padded.</summary>
    private static void Table(TextWriter output, string[] header, IReadOnlyList<string[]> rows)
    {
        var all = rows.Prepend(header).Select(r => r.Select(Flat).ToArray()).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => Width(r[i]))).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i]);
                if (i < row.Length - 1)
                {
                    line.Append(' ', widths[i] - Width(row[i]) + 2);
                }
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    private static string Flat(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    private static string Cut(string text, int width)
    {
        var flat = Flat(text);
        if (Width(flat) <= width)
        {
            return flat;
        }

        var cut = new StringBuilder();
        foreach (var ch in flat)
        {
            if (Width(cut.ToString()) + Width(ch.ToString()) > width - 1)
            {
                break;
            }

            cut.Append(ch);
        }

        return cut.Append('…').ToString();
    }

    private static int Width(string text) => text.Sum(ch => IsWide(ch) ? 2 : 1);

    private static bool IsWide(char ch) =>
        ch is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6');

    /// <summary>The account the import is done as, with the claims a sign-in would give it; a disabled or unknown account is refused.</summary>
    private static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalOfAsync(IServiceProvider services, string userName)
    {
        var users = services.GetRequiredService<UserManager<RectifyUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new RectifyConfigurationException($"没有用户名为“{userName}”的账号。");
        if (await users.IsLockedOutAsync(user))
        {
            throw new RectifyConfigurationException($"账号“{userName}”已停用或被锁定，不能以它导入。");
        }

        return await services.GetRequiredService<IUserClaimsPrincipalFactory<RectifyUser>>().CreateAsync(user);
    }

    /// <summary>--org as an id or a name, among the organizations the account may register an inspection of.</summary>
    private static async Task<int> FindOrganizationAsync(PlanService plans, string organization, string userName)
    {
        var candidates = plans.InspectableOrganizations();
        var matches = int.TryParse(organization, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await candidates.Where(o => o.Id == id).Select(o => o.Id).ToListAsync()
            : await candidates.Where(o => o.Name == organization || o.ShortName == organization).OrderBy(o => o.Id).Select(o => o.Id).Take(3).ToListAsync();
        return matches switch
        {
            [var one] => one,
            [] => throw new RectifyConfigurationException($"账号 {userName} 可登记巡察的党组织中没有“{organization}”。"),
            _ => throw new RectifyConfigurationException($"有多个名为“{organization}”的党组织，请改用编号：{string.Join("、", matches)}。"),
        };
    }

    private static int? Digits(ArgumentResult result)
    {
        if (int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"--inspection 需要巡察的编号，而不是“{result.Tokens[0].Value}”。");
        return null;
    }

    private sealed class ImportFailedAfterRegistration(BusinessRuleViolationException e, int id) : Refused(
        $"{e.Message}　巡察已登记（编号 {id.ToString(CultureInfo.InvariantCulture)}），其中还没有任何措施；改正后用 --inspection {id.ToString(CultureInfo.InvariantCulture)} 再导入。",
        e.Refusal);
}
