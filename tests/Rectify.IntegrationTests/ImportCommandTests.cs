using Microsoft.Data.Sqlite;
using Rectify.Features.Intake;

namespace Rectify.IntegrationTests;

/// <summary>`rectify inspection import`: the Excel import on the command line, as an office account, on a fresh SQLite database.</summary>
[Collection(nameof(CommandLineTests))]
public sealed class ImportCommandTests : IDisposable
{
    private const string Password = "Strong-Passw0rd-2026";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "rectify-cli-tests", Guid.NewGuid().ToString("N"));

    public ImportCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        CommandLineTests.DeleteSecrets(folder);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => CommandLineTests.RunWatchingTheConsole(string.Empty, [.. args, "--data", folder]);

    private string Save(string name, IEnumerable<LedgerRow> rows)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, ImportPageTests.Workbook(rows));
        return path;
    }

    private async Task<List<string>> QueryAsync(string sql)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "rectify.db")}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    [Fact]
    public async Task An_office_account_previews_a_ledger_with_a_problem_registers_an_inspection_with_the_corrected_one_and_imports_a_correction_into_it()
    {
        Assert.Equal(0, (await Run("migrate")).Code);
        await QueryAsync("INSERT INTO \"Organizations\" (\"Name\", \"ShortName\", \"Kind\", \"ParentId\", \"Path\", \"IsAssumption\") VALUES ('中共万江街道工作委员会', '万江街道党工委', 0, NULL, '/1/', 0);");
        foreach (var (user, role) in new[] { ("office1", "RectificationOffice"), ("liaison1", "UnitReporter") })
        {
            var added = await CommandLineTests.RunWatchingTheConsole(Password + "\n", "user", "add", user, "--org", "万江街道党工委", "--role", role, "--data", folder);
            Assert.True(added.Code == 0, added.Err);
        }

        var rows = ImportCommitTests.Ledger("令");
        var wrong = rows.ToList();
        wrong[3] = wrong[3] with { Deadline = null };
        var wrongRow = ImportCommitTests.Draft(wrong).Categories[1].Findings[0].Measures[0].Source!.Row;

        // A file with a problem: the preview is printed as a table with the cell, exit 2, nothing registered or written.
        var (code, output, error) = await Run("inspection", "import", Save("有错.xlsx", wrong), "--user", "office1", "--org", "万江街道党工委", "--title", "命令行巡察", "--team", "市委第一巡察组");
        Assert.Equal(2, code);
        Assert.Contains("问题：错误 1 处，提示 0 处", output, StringComparison.Ordinal);
        Assert.Matches($@"错误\s+整改台账\s+I{wrongRow}\s+限期整改的措施必须有整改时限", output);
        Assert.Matches(@"1\.1\s+新增\s+限期整改\s+2026-12-31\s+导入领导甲（副书记）\s+纪检监察办\s+修订议事规则令", output);
        Assert.Matches(@"整改措施\s+5\s+0\s+0", output);
        Assert.Contains("未导入：文件中有 1 处错误", error, StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT COUNT(*) FROM \"Inspections\""));

        // The corrected file registers the inspection and goes into it; only the verb's own lines are printed.
        (code, output, error) = await Run("inspection", "import", Save("台账.xlsx", rows), "--user", "office1", "--org", "万江街道党工委", "--title", "命令行巡察", "--team", "市委第一巡察组");
        Assert.True(code == 0, error);
        Assert.Empty(error);
        var lines = CommandLineTests.Lines(output);
        Assert.Contains("已登记巡察“命令行巡察”（编号 1）。", lines);
        Assert.Equal("已导入：新增措施 5 条，更新 0 条，0 条未变；新增问题 3 个，更新 0 个。", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains("info:", StringComparison.Ordinal) || l.Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Equal(["5"], await QueryAsync("SELECT COUNT(*) FROM \"Measures\""));

        // The import is the account's: its name and the command line in the audit trail.
        Assert.Equal(["office1|cli:" + Environment.UserName], await QueryAsync("SELECT \"ActorName\", \"SourceAddress\" FROM \"AuditEntries\" WHERE \"Action\" = 'ledger.import'"));

        // A correction, previewed then imported by number into the same inspection.
        var corrected = rows.ToList();
        corrected[4] = corrected[4] with { Deadline = new DateOnly(2027, 9, 30) };
        var file = Save("改正.xlsx", corrected.Take(4).Append(corrected[4]));
        (code, output, _) = await Run("inspection", "import", file, "--user", "office1", "--inspection", "1", "--preview");
        Assert.Equal(0, code);
        Assert.Matches(@"3\.1\s+更新\s+限期整改\s+2027-09-30", output);
        Assert.Contains("整改时限：2027-06-30 → 2027-09-30", output, StringComparison.Ordinal);
        Assert.Contains("没有写入任何内容", output, StringComparison.Ordinal);
        Assert.Equal(["2027-06-30"], await QueryAsync("SELECT \"Deadline\" FROM \"Measures\" m JOIN \"Findings\" f ON f.\"Id\" = m.\"FindingId\" WHERE f.\"Number\" = 3"));
        (code, output, error) = await Run("inspection", "import", file, "--user", "office1", "--inspection", "1");
        Assert.True(code == 0, error);
        Assert.Equal("已导入：新增措施 0 条，更新 1 条，4 条未变。", CommandLineTests.Lines(output)[^1]);
        Assert.Equal(["2027-09-30"], await QueryAsync("SELECT \"Deadline\" FROM \"Measures\" m JOIN \"Findings\" f ON f.\"Id\" = m.\"FindingId\" WHERE f.\"Number\" = 3"));

        // A ledger merged into one cell reads as no measures: the preview says so and fails, as the import would.
        var merged = Path.Combine(folder, "合并.xlsx");
        File.WriteAllBytes(merged, ImportPageTests.MergedWhole(ImportPageTests.Workbook(rows)));
        (code, _, error) = await Run("inspection", "import", merged, "--user", "office1", "--inspection", "1", "--preview");
        Assert.Equal(2, code);
        Assert.Contains("没有读到可导入的整改措施", error, StringComparison.Ordinal);

        // Refused: an account that may not keep the plan, an unknown account, a missing target.
        (code, _, error) = await Run("inspection", "import", file, "--user", "liaison1", "--inspection", "1");
        Assert.Equal(2, code);
        Assert.StartsWith("错误：", error, StringComparison.Ordinal);
        (code, _, error) = await Run("inspection", "import", file, "--user", "nobody", "--inspection", "1");
        Assert.Equal(2, code);
        Assert.Contains("没有用户名为“nobody”的账号", error, StringComparison.Ordinal);
        (code, _, error) = await Run("inspection", "import", file, "--user", "office1");
        Assert.Equal(2, code);
        Assert.Contains("--inspection", error, StringComparison.Ordinal);
        Assert.Equal(["5"], await QueryAsync("SELECT COUNT(*) FROM \"Measures\""));
    }

    [Fact]
    public async Task A_progress_notice_as_text_registers_its_inspection_with_the_team_it_names_and_brings_in_its_plan()
    {
        Assert.Equal(0, (await Run("migrate")).Code);
        await QueryAsync("INSERT INTO \"Organizations\" (\"Name\", \"ShortName\", \"Kind\", \"ParentId\", \"Path\", \"IsAssumption\") VALUES ('中共万江街道工作委员会', '万江街道党工委', 0, NULL, '/1/', 0);");
        var added = await CommandLineTests.RunWatchingTheConsole(Password + "\n", "user", "add", "office1", "--org", "万江街道党工委", "--role", "RectificationOffice", "--data", folder);
        Assert.True(added.Code == 0, added.Err);
        var notice = Path.Combine(folder, "通报.txt");
        await File.WriteAllTextAsync(notice, Rectify.Demo.DemoSeeder.ReadSeedNotice(), Ct);

        // --preview prints the tree read from the notice and writes nothing.
        var (code, output, error) = await Run("inspection", "import", notice, "--user", "office1", "--org", "万江街道党工委", "--title", "命令行巡察", "--preview");
        Assert.True(code == 0, error);
        Assert.Contains("整改进展情况公布", output, StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT COUNT(*) FROM \"Inspections\""));

        // Without --team: the team is the one the notice names.
        (code, output, error) = await Run("inspection", "import", notice, "--user", "office1", "--org", "万江街道党工委", "--title", "命令行巡察");
        Assert.True(code == 0, error);
        Assert.Contains("新增措施 72 条", output, StringComparison.Ordinal);
        Assert.Equal(["命令行巡察|市委第七巡察组"], await QueryAsync("SELECT i.\"Title\", o.\"Name\" FROM \"Inspections\" i JOIN \"Organizations\" o ON o.\"Id\" = i.\"InspectingBodyId\""));
        Assert.Equal(["6|27|72"], await QueryAsync("SELECT (SELECT COUNT(*) FROM \"FindingCategories\"), (SELECT COUNT(*) FROM \"Findings\"), (SELECT COUNT(*) FROM \"Measures\")"));

        // The same notice again changes nothing.
        (code, output, error) = await Run("inspection", "import", notice, "--user", "office1", "--inspection", "1");
        Assert.True(code == 0, error);
        Assert.Equal(["6|27|72"], await QueryAsync("SELECT (SELECT COUNT(*) FROM \"FindingCategories\"), (SELECT COUNT(*) FROM \"Findings\"), (SELECT COUNT(*) FROM \"Measures\")"));
    }
}
