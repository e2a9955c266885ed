using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rectify.Cli;
using Rectify.Demo;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

[CollectionDefinition(nameof(CommandLineTests), DisableParallelization = true)]
public sealed class CommandLineCollection;

/// <summary>The verbs of the executable, run in-process with their real arguments, output and exit codes.</summary>
[Collection(nameof(CommandLineTests))]
public sealed class CommandLineTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rectify-cli-tests", Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(folder);

    private string KeyFile => KeyFileFor(folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        DeleteSecrets(folder);
    }

    /// <summary>The audit key of a data folder's installation: outside it, as production keeps it, made as `audit init-key` makes it.</summary>
    internal static string KeyFileFor(string dataFolder) => Path.Combine(dataFolder + ".secrets", "audit.key");

    internal static void DeleteSecrets(string dataFolder)
    {
        if (Directory.Exists(dataFolder + ".secrets"))
        {
            Directory.Delete(dataFolder + ".secrets", recursive: true);
        }
    }

    /// <summary>A verb that works on a data folder is given that installation's audit key file, as its configuration would give it.</summary>
    internal static string[] WithAuditKey(string[] args)
    {
        var at = Array.IndexOf(args, "--data");
        if (at < 0 || at + 1 >= args.Length || args.Any(a => a.StartsWith("--Audit:KeyFile=", StringComparison.Ordinal)))
        {
            return args;
        }

        var key = KeyFileFor(args[at + 1]);
        if (!File.Exists(key))
        {
            Rectify.Audit.AuditKey.Create(key);
        }

        // And the column key, beside it (the 问题线索 are encrypted at rest with it; serve refuses to start without one).
        var columnKey = Path.Combine(Path.GetDirectoryName(key)!, "column.key");
        if (!File.Exists(columnKey))
        {
            Rectify.Data.ColumnKey.Create(columnKey);
        }

        return [.. args, $"--Audit:KeyFile={key}", $"--AtRest:ColumnKeyFile={columnKey}"];
    }

    private static Task<(int Code, string Out, string Err)> Run(string stdin, params string[] args) => RunBare(stdin, WithAuditKey(args));

    /// <summary>Runs a verb with exactly these arguments (no audit key added).</summary>
    private static async Task<(int Code, string Out, string Err)> RunBare(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, input, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    private string SeedFile()
    {
        var path = Path.Combine(folder, "seed.txt");
        File.WriteAllText(path, DemoSeeder.ReadSeedNotice());
        return path;
    }

    [Fact]
    public async Task Notice_parse_prints_the_seed_structure_as_json()
    {
        var (code, output, _) = await Run(string.Empty, "notice", "parse", SeedFile(), "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var inspection = root.GetProperty("inspection");
        Assert.Equal("市委第七巡察组", inspection.GetProperty("team").GetString());
        Assert.Equal("中共万江街道工作委员会", inspection.GetProperty("target").GetString());
        Assert.Equal(["石美社区石美小组", "坝头社区下坝小组"], inspection.GetProperty("extendedScope").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2024-03-25", inspection.GetProperty("onSiteFrom").GetString());
        Assert.Equal("2024-05-10", inspection.GetProperty("onSiteTo").GetString());
        Assert.Equal("2024-08-15", inspection.GetProperty("feedbackDate").GetString());
        Assert.Equal(4, root.GetProperty("responsibility").GetArrayLength());
        var categories = root.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(6, categories.Count);
        var findings = categories.SelectMany(c => c.GetProperty("findings").EnumerateArray()).ToList();
        Assert.Equal(27, findings.Count);
        Assert.Equal(72, findings.Sum(f => f.GetProperty("measures").GetArrayLength()));
        Assert.Equal(3, root.GetProperty("nextSteps").GetArrayLength());
        var disclosure = root.GetProperty("disclosure");
        Assert.Equal("2025-10-16", disclosure.GetProperty("from").GetString());
        Assert.Equal("2025-11-16", disclosure.GetProperty("to").GetString());
        Assert.Equal("22282228", disclosure.GetProperty("phone").GetString());
        Assert.Equal("wjjddzzhb@dg.gov.cn", disclosure.GetProperty("email").GetString());
        Assert.Equal("广东省东莞市万江街道万福路83号", disclosure.GetProperty("postalAddress").GetString());
        Assert.Equal("523000", disclosure.GetProperty("postcode").GetString());
        Assert.Equal("中共万江街道工作委员会", root.GetProperty("issuer").GetString());
        Assert.Equal("2025-10-16", root.GetProperty("date").GetString());

        // Chinese is printed as text, not escaped.
        Assert.Contains("筑牢工程廉政防线", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notice_parse_json_adds_statistics_confidence_and_notes()
    {
        var (code, output, _) = await Run(string.Empty, "notice", "parse", SeedFile(), "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("notice", root.GetProperty("kind").GetString());
        Assert.True(root.GetProperty("confidence").GetProperty("overall").GetDouble() > 0.8);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("statistics").ValueKind);
        Assert.DoesNotContain(root.GetProperty("notes").EnumerateArray(), n => n.GetProperty("severity").GetString() == "error");
        Assert.All(root.GetProperty("categories").EnumerateArray(), c => Assert.False(c.GetProperty("implicit").GetBoolean()));
    }

    [Fact]
    public async Task Notice_parse_of_a_file_that_is_not_a_notice_exits_2_and_says_what_was_expected()
    {
        var path = Path.Combine(folder, "minutes.txt");
        await File.WriteAllTextAsync(path, "会议纪要\n一、会议议题\n研究年度工作。", TestContext.Current.CancellationToken);
        var (code, output, error) = await Run(string.Empty, "notice", "parse", path, "--json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("notANotice", doc.RootElement.GetProperty("kind").GetString());
        Assert.Contains(doc.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetProperty("message").GetString()!.StartsWith("未找到巡察基本情况段落", StringComparison.Ordinal));
        Assert.Contains("未找到巡察基本情况段落", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notice_parse_without_a_structure_exits_2_still_printing_the_intro_it_read()
    {
        var path = Path.Combine(folder, "intro-only.txt");
        await File.WriteAllTextAsync(path, "根据区委统一部署，2024年3月1日至4月15日，区委第一巡察组对区教育局党委开展了巡察。5月20日，区委巡察组向区教育局党委反馈了巡察意见。\n局党委高度重视，召开专题会议部署整改。", TestContext.Current.CancellationToken);
        var (code, output, error) = await Run(string.Empty, "notice", "parse", path, "--json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("区委第一巡察组", doc.RootElement.GetProperty("inspection").GetProperty("team").GetString());
        Assert.Equal("2024-05-20", doc.RootElement.GetProperty("inspection").GetProperty("feedbackDate").GetString());
        Assert.Contains("未找到整改任务", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notice_parse_of_a_structure_with_an_error_exits_2_printing_the_tree_and_every_note()
    {
        var path = Path.Combine(folder, "no-measures.txt");
        await File.WriteAllTextAsync(path, "根据区委统一部署，2024年3月1日至4月15日，区委第一巡察组对区教育局党委开展了巡察。5月20日，区委巡察组向区教育局党委反馈了巡察意见。现予以公布。\n一、整改任务落实情况\n（一）关于教育收费方面\n1.代收费项目公示不全\n一是全面公示代收费项目。\n2.食堂账目不清", TestContext.Current.CancellationToken);
        var (code, output, error) = await Run(string.Empty, "notice", "parse", path);
        Assert.Equal(2, code);
        Assert.Contains("1. 代收费项目公示不全（1 条措施）", output, StringComparison.Ordinal);
        Assert.Contains("错误：第 6 段：问题“食堂账目不清”下没有整改措施。", output, StringComparison.Ordinal);
        Assert.Contains("说明：", output, StringComparison.Ordinal);
        Assert.Contains("1 处错误，请在文件中或导入预览中更正", error, StringComparison.Ordinal);
        Assert.Contains("食堂账目不清", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notice_parse_reads_a_gbk_file_and_refuses_a_doc_or_a_missing_file_with_exit_2()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = Path.Combine(folder, "gbk.txt");
        await File.WriteAllBytesAsync(gbk, System.Text.Encoding.GetEncoding("GB18030").GetBytes(DemoSeeder.ReadSeedNotice()), TestContext.Current.CancellationToken);
        var (code, output, _) = await Run(string.Empty, "notice", "parse", gbk, "--json");
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal("GB18030", doc.RootElement.GetProperty("source").GetString());
            Assert.Equal(27, doc.RootElement.GetProperty("categories").EnumerateArray().Sum(c => c.GetProperty("findings").GetArrayLength()));
        }

        var word97 = Path.Combine(folder, "old.doc");
        await File.WriteAllBytesAsync(word97, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], TestContext.Current.CancellationToken);
        (code, _, var error) = await Run(string.Empty, "notice", "parse", word97);
        Assert.Equal(2, code);
        Assert.Contains("另存为", error, StringComparison.Ordinal);

        (code, _, error) = await Run(string.Empty, "notice", "parse", Path.Combine(folder, "nothing.txt"));
        Assert.Equal(2, code);
        Assert.Contains("找不到文件", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_database_provider_exits_2_naming_the_allowed_values()
    {
        var (code, _, error) = await Run(string.Empty, "migrate", "--data", folder, "--Database:Provider=Oracle");
        Assert.Equal(2, code);
        Assert.Contains("Oracle", error, StringComparison.Ordinal);
        Assert.Contains("Sqlite", error, StringComparison.Ordinal);
        Assert.Contains("Postgres", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task An_unreachable_postgres_exits_2_with_the_host_it_tried()
    {
        var (code, _, error) = await Run(
            string.Empty,
            "serve",
            "--data",
            folder,
            "--Database:Provider=Postgres",
            "--ConnectionStrings:Rectify=Host=127.0.0.1;Port=1;Database=rectify;Username=rectify;Password=x;Timeout=3");
        Assert.Equal(2, code);
        Assert.Contains("无法连接 PostgreSQL 127.0.0.1:1/rectify", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_connection_string_the_provider_cannot_read_exits_2_saying_so_without_the_password()
    {
        foreach (var command in new[] { "serve", "migrate" })
        {
            var (code, output, error) = await Run(
                string.Empty,
                command,
                "--data",
                folder,
                "--Database:Provider=Postgres",
                "--ConnectionStrings:Rectify=Host=127.0.0.1;Port=1;Database=rectify;Username=rectify;Password=s3cret-x;Maximum_Pool_Size=40");
            Assert.True(code == 2, $"{command}: {code} {output}{error}");
            Assert.Contains("无法解析", error, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-x", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Migrate_then_user_add_then_demo_is_refused_on_a_database_that_is_not_empty_and_nothing_changes()
    {
        var (code, output, error) = await Run(string.Empty, "migrate", "--data", folder);
        Assert.True(code == 0, error);
        Assert.Contains("已应用数据库迁移", output, StringComparison.Ordinal);

        (code, _, error) = await Run("short\n", "user", "add", "admin", "--data", folder);
        Assert.Equal(2, code);
        Assert.Contains("密码至少需要 12 个字符", error, StringComparison.Ordinal);

        (code, output, error) = await Run("Strong-Passw0rd-2026\n", "user", "add", "admin", "--display-name", "系统管理员", "--data", folder);
        Assert.True(code == 0, error);
        Assert.Contains("已创建用户 admin", output, StringComparison.Ordinal);

        var db = Path.Combine(folder, "rectify.db");
        SqliteConnection.ClearAllPools();
        var before = await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken);

        (code, _, error) = await Run(string.Empty, "serve", "--demo", "--data", folder);
        Assert.Equal(2, code);
        Assert.Contains("数据库不是空的", error, StringComparison.Ordinal);
        Assert.Contains("没有做任何修改", error, StringComparison.Ordinal);

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={db}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM Inspections) + (SELECT COUNT(*) FROM Organizations), (SELECT COUNT(*) FROM AspNetUsers)";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0L, reader.GetInt64(0));
        Assert.Equal(1L, reader.GetInt64(1));
        Assert.False(File.Exists(Path.Combine(folder, DemoSeeder.CredentialsFileName)));
        Assert.NotEmpty(before);
    }

    [Fact]
    public async Task Audit_verify_passes_on_an_untouched_log_and_exits_3_naming_an_edited_entry()
    {
        Assert.Equal(0, (await Run(string.Empty, "migrate", "--data", folder)).Code);
        for (var i = 0; i < 3; i++)
        {
            var (added, _, addError) = await Run("Admin-password-2026\n", "user", "add", $"user{i}", "--data", folder);
            Assert.True(added == 0, addError);
        }

        var (code, output, error) = await Run(string.Empty, "audit", "verify", "--data", folder);
        Assert.True(code == 0, error);
        Assert.Contains("审计日志完整：共 3 条记录", output, StringComparison.Ordinal);

        // Someone with the database file but not the key edits the second record.
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "rectify.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER \"AuditEntries_no_update\"; UPDATE \"AuditEntries\" SET \"ActorName\" = '系统管理员' WHERE \"Sequence\" = 2;";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        (code, _, error) = await Run(string.Empty, "audit", "verify", "--data", folder);
        Assert.Equal(3, code);
        Assert.Contains("第 2 条审计记录", error, StringComparison.Ordinal);

        // Without the key file there is nothing to verify against: a clear error, not a fresh key.
        File.Move(KeyFile, KeyFile + ".bak");
        (code, _, error) = await RunBare(string.Empty, "audit", "verify", "--data", folder, $"--Audit:KeyFile={KeyFile}");
        Assert.Equal(2, code);
        Assert.Contains("找不到审计密钥文件", error, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
        Assert.False(File.Exists(Path.Combine(folder, "audit.key")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_without_a_configured_audit_key_refuses_to_start_and_says_how_to_make_one()
    {
        var (code, _, error) = await RunBare(string.Empty, "serve", "--data", folder, "--urls", "http://127.0.0.1:5219");
        Assert.Equal(2, code);
        Assert.Contains("未配置审计密钥", error, StringComparison.Ordinal);
        Assert.Contains("rectify audit init-key --key-file", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "audit.key")));

        // init-key makes one outside the data folder (0400, in a folder it makes 0700) that the installation then names.
        var key = Path.Combine(folder + ".secrets", "made-by-init", "audit.key");
        var (made, output, madeError) = await RunBare(string.Empty, "audit", "init-key", "--key-file", key);
        Assert.True(made == 0, madeError);
        Assert.Contains("已创建审计密钥文件", output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(key)!));
        Assert.Equal(0, (await RunBare(string.Empty, "migrate", "--data", folder)).Code);
        var (verified, _, verifyError) = await RunBare(string.Empty, "audit", "verify", "--data", folder, $"--Audit:KeyFile={key}");
        Assert.True(verified == 0, verifyError);
    }

    [Fact]
    public async Task An_unknown_verb_or_a_missing_argument_exits_2_with_usage()
    {
        var (code, _, error) = await Run(string.Empty, "frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("未知命令", error, StringComparison.Ordinal);
        Assert.Contains("rectify serve", error, StringComparison.Ordinal);

        (code, _, error) = await Run(string.Empty, "notice", "parse");
        Assert.Equal(2, code);
        Assert.Contains("用法", error, StringComparison.Ordinal);

        (code, _, error) = await Run(string.Empty, "user", "add", "someone", "--data", folder);
        Assert.Equal(2, code);
        Assert.Contains("标准输入", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_add_with_an_organization_and_token_create_print_only_their_own_lines()
    {
        Assert.Equal(0, (await Run(string.Empty, "migrate", "--data", folder)).Code);
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "rectify.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO \"Organizations\" (\"Name\", \"ShortName\", \"Kind\", \"ParentId\", \"Path\", \"IsAssumption\") VALUES ('中共万江街道工作委员会', '万江街道党工委', 0, NULL, '/1/', 0);";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        var (code, output, error) = await RunWatchingTheConsole("Strong-Passw0rd-2026\n", "user", "add", "liaison", "--org", "万江街道党工委", "--role", "UnitReporter", "--data", folder);
        Assert.True(code == 0, error);
        Assert.Equal(["已创建用户 liaison（liaison），角色：责任单位联络员。"], Lines(output));
        Assert.Empty(error);

        (code, output, error) = await RunWatchingTheConsole(string.Empty, "token", "create", "--user", "liaison", "--name", "报表", "--days", "30", "--data", folder);
        Assert.True(code == 0, error);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("已创建令牌 1（有效期至 ", lines[0], StringComparison.Ordinal);
        Assert.Matches("^rfy_[a-z2-7]{8}_[a-z2-7]{32}$", lines[1]);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Migrate_on_a_new_postgres_database_prints_only_its_own_lines()
    {
        if (Requirements.PostgresAdminConnectionString is not { } admin)
        {
            Requirements.Unavailable($"PostgreSQL is not configured (set {Requirements.PostgresVariable} to an admin connection string)");
            return;
        }

        var database = "rectify_cli_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        try
        {
            // EF looks for its history table before it exists and logs the failed query: the verb must not show that.
            var target = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString();
            var (code, output, error) = await RunWatchingTheConsole(string.Empty, "migrate", "--data", folder, "--Database:Provider=Postgres", "--ConnectionStrings:Rectify=" + target);
            Assert.True(code == 0, error);
            Assert.Matches("^已应用数据库迁移 [0-9]+ 项（PostgreSQL ", Assert.Single(Lines(output)));
            Assert.Empty(error);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Runs a verb with the process's console pointed at the same writers, so that a log line (EF's, the host's) shows up beside the verb's own.</summary>
    internal static async Task<(int Code, string Out, string Err)> RunWatchingTheConsole(string stdin, params string[] args)
    {
        args = WithAuditKey(args);
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await CommandLine.RunAsync(args, input, output, error, TimeProvider.System);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Demo_passwords_meet_the_password_policy() =>
        Assert.Matches("^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^a-zA-Z0-9]).{12,}$", DemoSeeder.NewPassword());
}
