using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Hosting;

namespace Rectify.Cli;

/// <summary>
/// The verbs of the one executable. Exit codes: 0 done, 2 bad input or configuration (with a message saying
/// what was expected), 1 anything unexpected.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    private const string Usage = """
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
          rectify audit verify [--data 目录]
              校验审计日志的完整性；发现被修改、插入或删除的记录时指出第一条并以退出码 3 结束。
          rectify user disable 用户名
          rectify user reset-password 用户名   （新密码从标准输入读取）

        配置（appsettings.json、环境变量或 --键=值）：
          Database:Provider        Sqlite（默认）| Postgres
          ConnectionStrings:Rectify  数据库连接字符串（PostgreSQL 必填）
          Rectify:DataFolder       数据目录（默认 ./data）
          Database:MigrateOnStart  true 时 serve 启动时自动迁移
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // No verb (or only host options, as the test host passes them): serve.
        var verb = args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h")) ? "serve" : args[0];
        var rest = verb == "serve" && (args.Length == 0 || args[0] != "serve") ? args : args[1..];
        try
        {
            return verb switch
            {
                "serve" => await ServeAsync(rest, stdout),
                "migrate" => await MigrateAsync(rest, stdout),
                "notice" => await NoticeAsync(rest, stdout),
                "user" => await UserAsync(rest, stdin, stdout),
                "audit" => await AuditAsync(rest, stdout, stderr),
                "token" => await TokenAsync(rest, stdout),
                "help" or "--help" or "-h" => Print(stdout, Usage, Ok),
                _ => Print(stderr, $"未知命令“{verb}”。\n\n{Usage}", BadInput),
            };
        }
        catch (UsageException e)
        {
            return Print(stderr, $"{e.Message}\n\n{Usage}", BadInput);
        }
        catch (Exception e) when (e is RectifyConfigurationException or NoticeParseException or DemoRefusedException or UserAdministrationException or FileNotFoundException or DirectoryNotFoundException)
        {
            return Print(stderr, "错误：" + e.Message, BadInput);
        }
        catch (DatabaseUnavailableException e)
        {
            return Print(stderr, "错误：" + e.Message, BadInput);
        }
    }

    private static int Print(TextWriter writer, string text, int code)
    {
        writer.WriteLine(text);
        return code;
    }

    /// <summary>Splits our own flags from the options the host understands (--urls, --Key=Value…).</summary>
    private static (HashSet<string> Flags, Dictionary<string, string> Values, List<string> Positional, List<string> HostArgs) Split(string[] args, string[] flags, string[] valued)
    {
        var f = new HashSet<string>(StringComparer.Ordinal);
        var v = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var host = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (flags.Contains(a))
            {
                f.Add(a);
            }
            else if (valued.Contains(a))
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"选项 {a} 需要一个值。");
                }

                v[a] = args[++i];
            }
            else if (a.StartsWith('-'))
            {
                host.Add(a);
                if (!a.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                {
                    host.Add(args[++i]);
                }
            }
            else
            {
                positional.Add(a);
            }
        }

        if (v.TryGetValue("--data", out var data))
        {
            host.Add($"--{RectifyApp.DataFolderKey}={data}");
        }

        return (f, v, positional, host);
    }

    private static async Task<int> ServeAsync(string[] args, TextWriter stdout)
    {
        var (flags, _, positional, hostArgs) = Split(args, ["--demo"], ["--data"]);
        if (positional.Count > 0)
        {
            throw new UsageException($"serve 不接受参数“{positional[0]}”。");
        }

        var demo = flags.Contains("--demo");
        if (demo)
        {
            hostArgs.Add("--Rectify:Demo=true");
        }

        var app = RectifyApp.Build([.. hostArgs]);
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        var migrateOnStart = demo || app.Configuration.GetValue<bool>("Database:MigrateOnStart");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await EnsureReachableAsync(db, info);
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                if (!migrateOnStart)
                {
                    throw new RectifyConfigurationException(
                        $"数据库（{DatabaseProvider.Describe(info)}）需要迁移（{pending.Count} 项）。请先运行 rectify migrate，或设置 Database:MigrateOnStart=true。");
                }

                await db.Database.MigrateAsync();
                stdout.WriteLine($"已应用数据库迁移 {pending.Count} 项：{DatabaseProvider.Describe(info)}");
            }

            if (demo)
            {
                await SeedDemoAsync(scope.ServiceProvider, app.Configuration, stdout);
            }
        }

        try
        {
            await app.StartAsync();
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new RectifyConfigurationException($"无法监听地址（{e.Message}）：端口可能已被另一个程序（或另一个 Rectify）占用。请停止它，或用 --urls 指定其他地址，例如 --urls http://127.0.0.1:5081。");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        stdout.WriteLine($"Rectify 已启动（{DatabaseProvider.Describe(info)}）。打开：{string.Join("  ", addresses)}");
        stdout.WriteLine("按 Ctrl+C 停止。");
        await app.WaitForShutdownAsync();
        return Ok;
    }

    private static async Task SeedDemoAsync(IServiceProvider services, IConfiguration configuration, TextWriter stdout)
    {
        var credentialsPath = Path.Combine(RectifyApp.DataFolder(configuration), DemoSeeder.CredentialsFileName);
        var seeder = services.GetRequiredService<DemoSeeder>();
        var password = DemoSeeder.NewPassword();
        var outcome = await seeder.SeedAsync(password, CancellationToken.None);
        if (outcome.Imported)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(credentialsPath)!);
            await File.WriteAllTextAsync(credentialsPath, password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(credentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stdout.WriteLine($"演示模式：已导入种子公告——{outcome.Inspections} 个巡察、{outcome.Findings} 个问题、{outcome.Measures} 条整改措施。");
        }
        else
        {
            password = File.Exists(credentialsPath) ? (await File.ReadAllTextAsync(credentialsPath)).Trim() : "（见首次启动时的输出）";
            stdout.WriteLine($"演示模式：数据库已有演示数据（{outcome.Findings} 个问题、{outcome.Measures} 条整改措施），未重复导入。");
        }

        stdout.WriteLine("演示账号（仅演示模式）：" + string.Join("、", outcome.Accounts.Select(a => $"{a.UserName}（{a.DisplayName}）")));
        stdout.WriteLine($"密码：{password}（保存在 {credentialsPath}）");
    }

    private static async Task EnsureReachableAsync(RectifyDbContext db, DatabaseInfo info)
    {
        if (info.Kind == DatabaseProviderKind.Sqlite)
        {
            DatabaseProvider.EnsureSqliteFolder(info.ConnectionString);
        }

        try
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception e) when (DatabaseProvider.DescribeConnectionFailure(info, e) is { } message)
        {
            throw new DatabaseUnavailableException(message, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new DatabaseUnavailableException($"无法连接 {DatabaseProvider.Describe(info)}：{e.Message}", e);
        }
    }

    /// <summary>The application's services over a reachable, fully migrated database, for the verbs that work on data.</summary>
    private sealed class CliSession(WebApplication app, AsyncServiceScope scope) : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public AsyncServiceScope Scope { get; } = scope;

        public RectifyDbContext Db => Scope.ServiceProvider.GetRequiredService<RectifyDbContext>();

        public async ValueTask DisposeAsync()
        {
            await Scope.DisposeAsync();
            await App.DisposeAsync();
        }
    }

    private static async Task<CliSession> OpenMigratedAsync(List<string> hostArgs)
    {
        var app = RectifyApp.Build([.. hostArgs]);
        var session = new CliSession(app, app.Services.CreateAsyncScope());
        try
        {
            await EnsureReachableAsync(session.Db, app.Services.GetRequiredService<DatabaseInfo>());
            if ((await session.Db.Database.GetPendingMigrationsAsync()).Any())
            {
                throw new RectifyConfigurationException("数据库尚未迁移。请先运行 rectify migrate。");
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static async Task<int> MigrateAsync(string[] args, TextWriter stdout)
    {
        var (_, _, positional, hostArgs) = Split(args, [], ["--data"]);
        if (positional.Count > 0)
        {
            throw new UsageException($"migrate 不接受参数“{positional[0]}”。");
        }

        var app = RectifyApp.Build([.. hostArgs]);
        var info = app.Services.GetRequiredService<DatabaseInfo>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await EnsureReachableAsync(db, info);
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        stdout.WriteLine(pending.Count == 0
            ? $"数据库已是最新（{DatabaseProvider.Describe(info)}）。"
            : $"已应用数据库迁移 {pending.Count} 项（{DatabaseProvider.Describe(info)}）：{string.Join("，", pending)}");
        return Ok;
    }

    private static readonly JsonSerializerOptions NoticeJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static async Task<int> NoticeAsync(string[] args, TextWriter stdout)
    {
        var (flags, _, positional, host) = Split(args, ["--json"], []);
        if (positional.Count != 2 || positional[0] != "parse" || host.Count > 0)
        {
            throw new UsageException("用法：rectify notice parse 文件.txt [--json]");
        }

        var path = positional[1];
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"找不到文件“{path}”。");
        }

        var text = await ReadUtf8Async(path);
        var notice = NoticeParser.Parse(text);
        if (flags.Contains("--json"))
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

        return Ok;
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

    /// <summary>Exit code of `audit verify` when the chain is broken: distinct from bad input (2).</summary>
    public const int AuditBroken = 3;

    private static async Task<int> AuditAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (_, _, positional, hostArgs) = Split(args, [], ["--data"]);
        if (positional.Count != 1 || positional[0] != "verify")
        {
            throw new UsageException("用法：rectify audit verify [--data 目录]");
        }

        await using var session = await OpenMigratedAsync(hostArgs);
        var (app, scope, db) = (session.App, session.Scope, session.Db);

        var key = app.Services.GetRequiredService<Audit.AuditKey>().ValueForVerification();
        var result = await Audit.AuditVerifier.VerifyAsync(db, key, CancellationToken.None);
        if (result.Intact)
        {
            stdout.WriteLine(result.Message);
            return Ok;
        }

        stderr.WriteLine("审计日志校验失败：" + result.Message);
        return AuditBroken;
    }

    private static async Task<int> TokenAsync(string[] args, TextWriter stdout)
    {
        var (_, values, positional, hostArgs) = Split(args, [], ["--user", "--name", "--days", "--data"]);
        var action = positional.Count > 0 ? positional[0] : string.Empty;
        var valid = action switch
        {
            "create" or "list" => positional.Count == 1 && values.ContainsKey("--user"),
            "revoke" => positional.Count == 2 && int.TryParse(positional[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _),
            _ => false,
        };
        if (!valid)
        {
            throw new UsageException("用法：rectify token create --user 用户名 [--name 用途] [--days 90] | token list --user 用户名 | token revoke 编号");
        }

        var days = 90;
        if (values.TryGetValue("--days", out var d) && !int.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days))
        {
            throw new UsageException($"--days 需要一个天数，而不是“{d}”。");
        }

        await using var session = await OpenMigratedAsync(hostArgs);
        var (app, scope, db) = (session.App, session.Scope, session.Db);

        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        switch (action)
        {
            case "create":
                var created = await tokens.CreateAsync(values["--user"], values.GetValueOrDefault("--name"), days, CancellationToken.None);
                stdout.WriteLine($"已创建令牌 {created.Id}（有效期至 {Features.Fmt.Time(created.ExpiresAtUtc)}）。它只显示这一次，请妥善保存：");
                stdout.WriteLine(created.Token);
                break;
            case "list":
                foreach (var t in await tokens.ListAsync(values["--user"], CancellationToken.None))
                {
                    var state = t.RevokedAtUtc is not null ? "已撤销" : t.ExpiresAtUtc <= DateTime.UtcNow ? "已过期" : "有效";
                    stdout.WriteLine($"{t.Id}\t{t.Name}\trfy_{t.Prefix}_…\t{state}\t到期 {Features.Fmt.Time(t.ExpiresAtUtc)}\t最近使用 {(t.LastUsedAtUtc is { } u ? Features.Fmt.Time(u) : "—")}");
                }

                break;
            default:
                await tokens.RevokeAsync(int.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
                stdout.WriteLine($"已撤销令牌 {positional[1]}。");
                break;
        }

        return Ok;
    }

    private static async Task<int> UserAsync(string[] args, TextReader stdin, TextWriter stdout)
    {
        var (_, values, positional, hostArgs) = Split(args, [], ["--display-name", "--data", "--org", "--role"]);
        var action = positional.Count > 0 ? positional[0] : string.Empty;
        if (positional.Count != 2 || action is not ("add" or "disable" or "reset-password"))
        {
            throw new UsageException("用法：rectify user add 用户名 [--display-name 姓名] [--org 单位] [--role 角色[,角色]] | user disable 用户名 | user reset-password 用户名（密码从标准输入读取）");
        }

        string? password = null;
        if (action != "disable")
        {
            password = (await stdin.ReadLineAsync())?.Trim();
            if (string.IsNullOrEmpty(password))
            {
                throw new UsageException("没有从标准输入读到密码。例如：echo '密码' | rectify user " + action + " 用户名");
            }
        }

        await using var session = await OpenMigratedAsync(hostArgs);
        var (app, scope, db) = (session.App, session.Scope, session.Db);

        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var userName = positional[1];
        switch (action)
        {
            case "add":
                var roles = (values.GetValueOrDefault("--role") ?? string.Empty).Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var user = await administration.CreateAsync(userName, values.GetValueOrDefault("--display-name"), values.GetValueOrDefault("--org"), roles, password!, CancellationToken.None);
                stdout.WriteLine($"已创建用户 {userName}（{user.DisplayName}）{(roles.Length > 0 ? "，角色：" + string.Join("、", roles.Select(r => Roles.Label(Roles.Parse(r)!))) : string.Empty)}。");
                break;
            case "disable":
                await administration.DisableAsync(userName);
                stdout.WriteLine($"已停用用户 {userName}；其已登录的会话将在一分钟内失效。");
                break;
            default:
                await administration.ResetPasswordAsync(userName, password!);
                stdout.WriteLine($"已重置用户 {userName} 的密码；其已登录的会话将在一分钟内失效。");
                break;
        }

        return Ok;
    }
}

internal sealed class UsageException(string message) : Exception(message);

internal sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
