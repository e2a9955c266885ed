using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Rectify.Access;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Data;

namespace Rectify.Cli;

/// <summary>
/// The verbs of the one executable, composed on System.CommandLine (one file per verb beside this one). Exit codes:
/// 0 done, 2 bad input or configuration (with a message saying what was expected), 1 anything unexpected.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>Exit code of `audit verify` when the chain is broken: distinct from bad input (2).</summary>
    public const int AuditBroken = 3;

    internal const string Usage = """
        rectify — 巡察整改管理系统

        用法：
          rectify serve [--demo] [--data 目录] [--urls http://127.0.0.1:5080]
              启动网站。--demo：在空数据库上导入种子公告作为演示巡察，并创建演示账号。
          rectify migrate [--data 目录]
              创建或升级数据库结构。
          rectify notice parse 文件.txt [--json]
              解析一份整改进展情况公布，输出其结构。
          rectify user add 用户名 [--display-name 姓名] [--org 单位] [--role 角色[,角色]]
              创建用户，密码从标准输入读取。角色：RectificationOffice（整改办）、UnitReporter（责任单位联络员）、
              ResponsibleLeader（责任领导）、FirstResponsible（第一责任人）、InspectionBody（巡察机构）、
              DisciplineOfficer（纪检监察）、SystemAdministrator / SecurityAdministrator / AuditAdministrator（三员）。
          rectify token create --user 用户名 [--name 用途] [--days 90]
              为用户创建个人 API 令牌（只显示一次；以 Authorization: Bearer 使用）。
          rectify token list --user 用户名 | rectify token revoke 编号
          rectify inspection import 文件（台账 .xlsx，或通报、整改方案 .txt/.docx） --user 用户名 (--inspection 编号 | --org 单位 --title 巡察名称 [--team 巡察组])
                  [--sheet 工作表] [--preview] [--reason 理由] [--data 目录]
              以该账号的身份导入 Excel 整改台账：先列出读取的措施和发现的问题（按工作表、单元格），没有错误才导入，
              按序号新增或更新，全部成功或全部不写入。--preview 只预览。--org 先登记新的巡察。方案已审定时须 --reason。
              文件有错误或被拒绝时以退出码 2 结束。
          rectify calendar list | rectify calendar import 文件.json [--data 目录]
              工作日日历（法定节假日与调休）：列出各年份的数据来源；导入 holiday-cn 格式的文件，文件中的每一年整年替换原有数据。
              文件有误时不写入任何内容，以退出码 2 结束。导入记入审计日志。
          rectify audit verify [--checkpoints 文件] [--data 目录]
              校验审计日志的完整性：记录链、链尾的密钥认证码，以及（指定或已配置时）日志之外的检查点。发现记录被修改、
              插入或删除，链尾被移动，尾部被截断，日志被清空或用密钥改写时逐条指出，以退出码 3 结束。
          rectify audit init-key --key-file 文件
              创建审计密钥文件（权限 0400，放在数据目录之外，由审计管理员保管），再以 Audit:KeyFile 指定。
          rectify audit rotate-key | rectify audit checkpoint
              轮换审计密钥（旧密钥保留以校验旧记录）；立即写一个检查点。
          rectify keys init-column-key --key-file 文件
              创建字段加密密钥文件（问题线索等敏感字段加密保存所用；权限 0400，放在数据目录之外），再以 AtRest:ColumnKeyFile 指定。
          rectify keys rotate-columns [--data 目录]
              在一个事务中把全部加密字段（及升级前的明文）用当前字段加密密钥重新加密；旧密钥须仍在 AtRest:PreviousColumnKeys 中。记入审计日志。
          rectify backup [--to 文件.tar] [--data 目录]
              在服务运行时备份：数据库的一致副本（SQLite 用 VACUUM INTO，PostgreSQL 用 pg_dump -Fc）、佐证材料、
              数据目录中的密钥和审计检查点文件，连同记录每个文件 SHA-256 的清单，写成一个 .tar（以 .gz 结尾时压缩）。
              默认写到数据目录下的 backups/。
          rectify restore 备份文件.tar [--force] [--data 目录]
              先停止服务。核对清单中每个文件的 SHA-256，再恢复数据库（PostgreSQL 用 pg_restore）和文件，最后校验审计日志。
              目标已有数据时拒绝，除非加 --force（替换全部现有数据）。
          rectify user disable 用户名
          rectify user reset-password 用户名   （新密码从标准输入读取）
          rectify bench seed --scale small|city|province [--seed 12] --database SQLite文件|PostgreSQL连接字符串
              为负载测试生成一套逼真的数据（组织树、巡察、措施及其流转、进展报送、回头看、延期、督办等），写入新建的空数据库；
              数据库已有数据时拒绝。相同种子生成相同数据。结束时列出各表行数和用时。

        配置（appsettings.json、环境变量或 --键=值）：
          Database:Provider        Sqlite（默认）| Postgres
          ConnectionStrings:Rectify  数据库连接字符串（PostgreSQL 必填）
          Rectify:DataFolder       数据目录（默认 ./data）
          Database:MigrateOnStart  true 时 serve 启动时自动迁移
          Audit:KeyFile            审计密钥文件（正式部署必填；或 Audit:Key 以 base64 直接给出）
          Audit:Checkpoints:Folder 审计检查点文件所在目录（只可追加）；Audit:Checkpoints:WebhookUrl 检查点 webhook
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(clock);

        // No verb (or only host options, as the test host passes them): serve.
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h")))
        {
            args = ["serve", .. args];
        }

        var cli = new CliContext(stdin, stdout, stderr, clock);
        var root = Root(cli);
        var verb = root.Subcommands.FirstOrDefault(c => c.Name == args[0]);
        if (verb is null && args[0] is not ("--help" or "-h"))
        {
            // Said here rather than by the parser, which would take a first "[word]" for a directive and skip it.
            return Print(stderr, $"未知命令“{args[0]}”。\n\n{Usage}", BadInput);
        }

        // The host's own options (--urls URL, --Key:Sub=value) are not ours: they go to the host as they were typed.
        var (ours, host) = verb is Verb { PassesHostOptions: true } ? HostArguments.Split(args, verb, root) : (args, []);
        cli.HostArguments.AddRange(host);

        var result = root.Parse(ours, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is ParseErrorAction)
        {
            return Print(stderr, $"{Misuse(result, args[0])}\n\n{Usage}", BadInput);
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Exceptions are ours to map (below) or to let through; Ctrl+C is the host's (serve) to handle.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            return Print(stderr, $"{e.Message}\n\n{Usage}", BadInput);
        }
        catch (Exception e) when (e is RectifyConfigurationException or NoticeParseException or DemoRefusedException or UserAdministrationException or FileNotFoundException or DirectoryNotFoundException)
        {
            return Print(stderr, "错误：" + e.Message, BadInput);
        }
        catch (BackupException e)
        {
            return Print(stderr, "错误：" + e.Message, BadInput);
        }
        catch (DatabaseUnavailableException e)
        {
            return Print(stderr, "错误：" + e.Message, BadInput);
        }
    }

    private static Command Root(CliContext cli)
    {
        // A plain Command, not a RootCommand: only our own help (the usage above, on stdout, exit 0), no --version,
        // no /? aliases, and no [directives] (a RootCommand reads a first argument in brackets as one).
        var root = new Command("rectify") { new HelpOption("--help", "-h") { Action = new UsageAction(cli.Out) } };

        var help = new Command("help") { TreatUnmatchedTokensAsErrors = false };
        help.SetAction(_ => Print(cli.Out, Usage, Ok));

        root.Subcommands.Add(ServeCommand.Create(cli));
        root.Subcommands.Add(MigrateCommand.Create(cli));
        root.Subcommands.Add(NoticeCommand.Create(cli));
        root.Subcommands.Add(UserCommand.Create(cli));
        root.Subcommands.Add(AuditCommand.Create(cli));
        root.Subcommands.Add(TokenCommand.Create(cli));
        root.Subcommands.Add(InspectionCommand.Create(cli));
        root.Subcommands.Add(CalendarCommand.Create(cli));
        root.Subcommands.Add(KeysCommand.Create(cli));
        root.Subcommands.Add(BackupCommand.CreateBackup(cli));
        root.Subcommands.Add(BackupCommand.CreateRestore(cli));
        root.Subcommands.Add(BenchCommand.Create(cli));
        root.Subcommands.Add(help);
        return root;
    }

    /// <summary>System.CommandLine's parse errors, said as the hand-written parser said them before.</summary>
    private static string Misuse(ParseResult result, string verbToken)
    {
        var verb = result.CommandResult;
        while (verb.Parent is CommandResult parent && parent.Parent is not null)
        {
            verb = parent;
        }

        if (verb.Command is not Verb v)
        {
            return $"未知命令“{verbToken}”。";
        }

        // An option typed without its value.
        if (result.Errors.Select(e => e.SymbolResult).OfType<OptionResult>().FirstOrDefault(o => o.IdentifierToken is not null && o.Tokens.Count == 0) is { } bare)
        {
            return $"选项 {bare.IdentifierToken!.Value} 需要一个值。";
        }

        // A wrong shape (a missing or extra argument, an unknown subcommand, a required option left out), else a value an option refused, in its own words.
        return result.Errors.All(e => e.SymbolResult is OptionResult { Tokens.Count: > 0 })
            ? result.Errors[0].Message
            : v.Misuse(result);
    }

    internal static int Print(TextWriter writer, string text, int code)
    {
        writer.WriteLine(text);
        return code;
    }

    /// <summary>--help and -h, at any level: the one usage text.</summary>
    private sealed class UsageAction(TextWriter stdout) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult) => Print(stdout, Usage, Ok);
    }
}

internal sealed class UsageException(string message) : Exception(message);

internal sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
