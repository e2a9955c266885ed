using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The rules of docs/rules.md — 已完成, 持续整改, 超期, 逾期未报 — one test each: the test sets up an inspection of its
/// own with the case, and the overview page, the ledger page, the .xlsx export and the JSON API (ledger and overview)
/// must each say the same of it: every measure's flag, every finding's 红黄绿, the totals and the 完成率 lines.
/// The tests read the surfaces as text (HTML, the workbook, JSON by property name), not through the application's types.
/// </summary>
public abstract partial class FigureRulesTests(AppFixture app)
{
    private static readonly DateTime LongAgo = new(2024, 1, 2, 2, 0, 0, DateTimeKind.Utc);

    private static readonly string[] TotalNames =
    [
        "Findings", "Measures", "CompletedMeasures", "SustainedMeasures", "PastDeadlineMeasures", "MissingReportMeasures",
        "CompletedFindings", "SustainedFindings", "RedFindings", "YellowFindings", "GreenFindings", "FindingCompletionRate", "MeasureCompletionRate",
    ];

    private static readonly string[] LineNames = ["Total", "Completed", "Sustained", "PastDeadline", "MissingReport", "Rate"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => ChinaTime.Today(TimeProvider.System);

    /// <summary>How a measure of a case got where it is.</summary>
    private enum Walk
    {
        /// <summary>Started, applied for, accepted and approved: 已销号.</summary>
        SignedOff,

        /// <summary>Started: 整改中.</summary>
        InProgress,

        /// <summary>长期坚持 since long ago, reported this period.</summary>
        ReportedThisPeriod,

        /// <summary>长期坚持 since long ago, never reported.</summary>
        NeverReported,

        /// <summary>长期坚持 since long ago, last reported long ago.</summary>
        ReportedLongAgo,

        /// <summary>长期坚持 since today, nothing reported yet.</summary>
        StartedToday,
    }

    /// <summary>One measure of a case: its number ("1.2": finding 1, measure 2), kind, deadline, walk and lead unit.</summary>
    private sealed record Planned(string Number, MeasureKind Kind, DateOnly? Deadline, Walk Walk, string Unit = "纪检监察办");

    /// <summary>What every surface must say: totals by name, each measure's completion and overdue flag, each finding's signal, 完成率 lines ("kind:长期坚持").</summary>
    private sealed record Expected(
        Dictionary<string, decimal> Totals,
        Dictionary<string, (string Completion, string Overdue)> Measures,
        Dictionary<int, string> Signals,
        Dictionary<string, Dictionary<string, decimal>> Lines);

    /// <summary>What one surface says; a part it does not show is null.</summary>
    private sealed record Reading(
        string Surface,
        Dictionary<string, decimal> Totals,
        Dictionary<string, (string Completion, string Overdue)>? Measures,
        Dictionary<int, string> Signals,
        Dictionary<string, Dictionary<string, decimal>>? Lines);

    [Fact]
    public async Task Completed_is_signed_off_and_counts_alike_everywhere()
    {
        app.RequireAvailable();
        var id = await CreateAsync(
            "口径核对：已完成",
            new("1.1", MeasureKind.TimeBound, Today.AddDays(-10), Walk.SignedOff),
            new("1.2", MeasureKind.Immediate, Today.AddDays(20), Walk.InProgress),
            new("2.1", MeasureKind.Immediate, Today.AddDays(-40), Walk.SignedOff, "财审中心"));

        await AssertEverySurfaceSaysAsync(id, new Expected(
            Totals: new()
            {
                ["Findings"] = 2, ["Measures"] = 3, ["CompletedMeasures"] = 2, ["SustainedMeasures"] = 0, ["PastDeadlineMeasures"] = 0, ["MissingReportMeasures"] = 0,
                ["CompletedFindings"] = 1, ["SustainedFindings"] = 0, ["RedFindings"] = 0, ["YellowFindings"] = 1, ["GreenFindings"] = 1,
                ["FindingCompletionRate"] = 50.0m, ["MeasureCompletionRate"] = 66.7m,
            },
            Measures: new() { ["1.1"] = ("Completed", "None"), ["1.2"] = ("Open", "None"), ["2.1"] = ("Completed", "None") },
            Signals: new() { [1] = "Yellow", [2] = "Green" },
            Lines: new()
            {
                ["kind:限期整改"] = Line(1, 1, 0, 0, 0, 100.0m),
                ["kind:立行立改"] = Line(2, 1, 0, 0, 0, 50.0m),
                ["unit:纪检监察办"] = Line(2, 1, 0, 0, 0, 50.0m),
                ["unit:财审中心"] = Line(1, 1, 0, 0, 0, 100.0m),
                ["category:(一)关于整改口径的问题"] = Line(2, 1, 0, 0, 0, 50.0m),
            }));
    }

    /// <summary>The issue's 长期坚持 row (24 measures, 24 overdue, 100 %) and its unit's rate: only a 长期坚持 measure that is not 逾期未报 counts as done.</summary>
    [Fact]
    public async Task Sustained_is_an_ongoing_measure_not_missing_a_report_and_counts_alike_everywhere()
    {
        app.RequireAvailable();
        var id = await CreateAsync(
            "口径核对：持续整改",
            new("1.1", MeasureKind.Ongoing, null, Walk.ReportedThisPeriod),
            new("1.2", MeasureKind.Ongoing, null, Walk.NeverReported),
            new("2.1", MeasureKind.Ongoing, null, Walk.ReportedThisPeriod),
            new("2.2", MeasureKind.TimeBound, Today.AddDays(-5), Walk.SignedOff));

        await AssertEverySurfaceSaysAsync(id, new Expected(
            Totals: new()
            {
                ["Findings"] = 2, ["Measures"] = 4, ["CompletedMeasures"] = 1, ["SustainedMeasures"] = 2, ["PastDeadlineMeasures"] = 0, ["MissingReportMeasures"] = 1,
                ["CompletedFindings"] = 0, ["SustainedFindings"] = 1, ["RedFindings"] = 1, ["YellowFindings"] = 0, ["GreenFindings"] = 1,
                ["FindingCompletionRate"] = 50.0m, ["MeasureCompletionRate"] = 75.0m,
            },
            Measures: new() { ["1.1"] = ("Sustained", "None"), ["1.2"] = ("Open", "MissingCadenceReport"), ["2.1"] = ("Sustained", "None"), ["2.2"] = ("Completed", "None") },
            Signals: new() { [1] = "Red", [2] = "Green" },
            Lines: new()
            {
                ["kind:长期坚持"] = Line(3, 0, 2, 0, 1, 66.7m),
                ["kind:限期整改"] = Line(1, 1, 0, 0, 0, 100.0m),
                ["unit:纪检监察办"] = Line(4, 1, 2, 0, 1, 75.0m),
                ["category:(一)关于整改口径的问题"] = Line(2, 0, 1, 0, 1, 50.0m),
            }));

        // The finding's own page agrees: 长期坚持 by its measures' states, but red, and its measures counted the same way.
        using var office = await app.SignedInAsync("office");
        var finding = await FindingIdAsync(id, 1);
        var page = await office.GetStringAsync(new Uri($"/findings/{finding}", UriKind.Relative), Ct);
        Assert.Contains("data-signal=\"Red\"", page, StringComparison.Ordinal);
        Assert.Contains("2 条：已完成 0 条，持续整改 1 条，超期 0 条，逾期未报 1 条", page, StringComparison.Ordinal);
        Assert.Contains("data-note=\"sustained\">持续整改：已启动、没有逾期未报的长期坚持措施，计入完成率；逾期未报的不计。", page, StringComparison.Ordinal);
    }

    /// <summary>超期 is late to finish, and is counted apart from 逾期未报 (late to report) on every surface.</summary>
    [Fact]
    public async Task Past_deadline_is_late_to_finish_counted_apart_from_a_missing_report_everywhere()
    {
        app.RequireAvailable();
        var id = await CreateAsync(
            "口径核对：超期",
            new("1.1", MeasureKind.TimeBound, Today.AddDays(-1), Walk.InProgress),
            new("1.2", MeasureKind.TimeBound, Today.AddDays(-1), Walk.SignedOff),
            new("1.3", MeasureKind.Immediate, Today, Walk.InProgress),
            new("2.1", MeasureKind.Ongoing, null, Walk.NeverReported, "财审中心"));

        await AssertEverySurfaceSaysAsync(id, new Expected(
            Totals: new()
            {
                ["Findings"] = 2, ["Measures"] = 4, ["CompletedMeasures"] = 1, ["SustainedMeasures"] = 0, ["PastDeadlineMeasures"] = 1, ["MissingReportMeasures"] = 1,
                ["CompletedFindings"] = 0, ["SustainedFindings"] = 0, ["RedFindings"] = 2, ["YellowFindings"] = 0, ["GreenFindings"] = 0,
                ["FindingCompletionRate"] = 0.0m, ["MeasureCompletionRate"] = 25.0m,
            },
            Measures: new() { ["1.1"] = ("Open", "PastDeadline"), ["1.2"] = ("Completed", "None"), ["1.3"] = ("Open", "None"), ["2.1"] = ("Open", "MissingCadenceReport") },
            Signals: new() { [1] = "Red", [2] = "Red" },
            Lines: new()
            {
                ["kind:限期整改"] = Line(2, 1, 0, 1, 0, 50.0m),
                ["kind:立行立改"] = Line(1, 0, 0, 0, 0, 0.0m),
                ["kind:长期坚持"] = Line(1, 0, 0, 0, 1, 0.0m),
                ["unit:纪检监察办"] = Line(3, 1, 0, 1, 0, 33.3m),
                ["unit:财审中心"] = Line(1, 0, 0, 0, 1, 0.0m),
                ["category:(一)关于整改口径的问题"] = Line(2, 0, 0, 1, 1, 0.0m),
            }));
    }

    /// <summary>逾期未报: under way at the start of the last closed period and nothing filed since; one that started this period is not late yet.</summary>
    [Fact]
    public async Task Missing_report_is_a_closed_period_without_a_report_and_counts_alike_everywhere()
    {
        app.RequireAvailable();
        var id = await CreateAsync(
            "口径核对：逾期未报",
            new("1.1", MeasureKind.Ongoing, null, Walk.NeverReported),
            new("1.2", MeasureKind.Ongoing, null, Walk.StartedToday),
            new("2.1", MeasureKind.Ongoing, null, Walk.ReportedLongAgo),
            new("2.2", MeasureKind.TimeBound, Today.AddDays(30), Walk.InProgress));

        await AssertEverySurfaceSaysAsync(id, new Expected(
            Totals: new()
            {
                ["Findings"] = 2, ["Measures"] = 4, ["CompletedMeasures"] = 0, ["SustainedMeasures"] = 1, ["PastDeadlineMeasures"] = 0, ["MissingReportMeasures"] = 2,
                ["CompletedFindings"] = 0, ["SustainedFindings"] = 0, ["RedFindings"] = 2, ["YellowFindings"] = 0, ["GreenFindings"] = 0,
                ["FindingCompletionRate"] = 0.0m, ["MeasureCompletionRate"] = 25.0m,
            },
            Measures: new() { ["1.1"] = ("Open", "MissingCadenceReport"), ["1.2"] = ("Sustained", "None"), ["2.1"] = ("Open", "MissingCadenceReport"), ["2.2"] = ("Open", "None") },
            Signals: new() { [1] = "Red", [2] = "Red" },
            Lines: new()
            {
                ["kind:长期坚持"] = Line(3, 0, 1, 0, 2, 33.3m),
                ["kind:限期整改"] = Line(1, 0, 0, 0, 0, 0.0m),
                ["unit:纪检监察办"] = Line(4, 0, 1, 0, 2, 25.0m),
                ["category:(一)关于整改口径的问题"] = Line(2, 0, 0, 0, 2, 0.0m),
            }));
    }

    /// <summary>
    /// 待办: the deadline column holds a date (a 长期坚持 measure without one: its 报送周期, as the ledger says), 报送情况 has
    /// its own column, and 超期 and 逾期未报 are listed apart.
    /// </summary>
    [Fact]
    public async Task Work_shows_the_deadline_as_a_date_the_reporting_state_in_its_own_column_and_late_and_unreported_apart()
    {
        app.RequireAvailable();
        var deadline = Today.AddDays(-3);
        var id = await CreateAsync(
            "口径核对：待办",
            new("1.1", MeasureKind.TimeBound, deadline, Walk.InProgress),
            new("1.2", MeasureKind.Ongoing, null, Walk.NeverReported),
            new("1.3", MeasureKind.Ongoing, null, Walk.StartedToday));
        var ids = await MeasureIdsAsync(id);

        using var unit = await app.SignedInAsync("unit");
        var html = await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);

        (string Date, string Cadence)? Row(string section, string number)
        {
            var table = SectionTables().Matches(html).SingleOrDefault(m => m.Groups["section"].Value == section);
            Assert.NotNull(table);
            var row = WorkRows().Matches(table.Value).SingleOrDefault(r => r.Groups["id"].Value == ids[number].ToString(CultureInfo.InvariantCulture));
            return row is null ? null : (WebUtility.HtmlDecode(row.Groups["date"].Value).Trim(), row.Groups["cadence"].Value);
        }

        // 超期: in its own section, with its deadline as a date, and no reporting state.
        Assert.Equal((deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "None"), Row("overdue", "1.1"));
        Assert.Null(Row("unreported", "1.1"));

        // 逾期未报: in its own section, not among the 超期 ones; no deadline, so its 报送周期 (the default, 每月) as in the
        // ledger; the reporting state says 逾期未报.
        Assert.Equal(("每月报送", "Missing"), Row("unreported", "1.2"));
        Assert.Null(Row("overdue", "1.2"));
        Assert.Equal(("每月报送", "Missing"), Row("cadence", "1.2"));

        // Started today: its report is due this period, not late.
        Assert.Equal(("每月报送", "Due"), Row("cadence", "1.3"));
        Assert.Null(Row("unreported", "1.3"));
        Assert.Contains(">本期待报送<", html, StringComparison.Ordinal);
        Assert.Contains(">逾期未报的长期坚持措施 <", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, decimal> Line(int total, int completed, int sustained, int pastDeadline, int missingReport, decimal rate) => new()
    {
        ["Total"] = total, ["Completed"] = completed, ["Sustained"] = sustained, ["PastDeadline"] = pastDeadline, ["MissingReport"] = missingReport, ["Rate"] = rate,
    };

    /// <summary>Reads the inspection on the four surfaces (the API twice: its ledger and its overview) and compares each with what is expected.</summary>
    private async Task AssertEverySurfaceSaysAsync(int inspection, Expected expected)
    {
        using var office = await app.SignedInAsync("office");
        var ids = await MeasureIdsAsync(inspection);
        Reading[] readings =
        [
            await OverviewPageAsync(office, inspection),
            await LedgerPageAsync(office, inspection, ids),
            await ExportAsync(office, inspection),
            await LedgerApiAsync(office, inspection, ids),
            await OverviewApiAsync(office, inspection),
        ];

        var wrong = new List<string>();
        foreach (var r in readings)
        {
            foreach (var (name, value) in expected.Totals)
            {
                if (!r.Totals.TryGetValue(name, out var read) || read != value)
                {
                    wrong.Add($"{r.Surface}: {name} is {(r.Totals.TryGetValue(name, out var v) ? v.ToString(CultureInfo.InvariantCulture) : "missing")}, expected {value}");
                }
            }

            foreach (var (number, signal) in expected.Signals)
            {
                if (r.Signals.GetValueOrDefault(number) != signal)
                {
                    wrong.Add($"{r.Surface}: finding {number} is {r.Signals.GetValueOrDefault(number) ?? "missing"}, expected {signal}");
                }
            }

            if (r.Measures is not null)
            {
                if (r.Measures.Count != expected.Measures.Count)
                {
                    wrong.Add($"{r.Surface}: {r.Measures.Count} measures read, expected {expected.Measures.Count}");
                }

                foreach (var (number, flags) in expected.Measures)
                {
                    if (r.Measures.GetValueOrDefault(number) != flags)
                    {
                        wrong.Add($"{r.Surface}: measure {number} is {r.Measures.GetValueOrDefault(number)}, expected {flags}");
                    }
                }
            }

            if (r.Lines is not null)
            {
                foreach (var (line, figures) in expected.Lines)
                {
                    foreach (var (name, value) in figures)
                    {
                        decimal? read = r.Lines.GetValueOrDefault(line)?.TryGetValue(name, out var v) == true ? v : null;
                        if (read != value)
                        {
                            wrong.Add($"{r.Surface}: {line} {name} is {read?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, expected {value}");
                        }
                    }
                }
            }
        }

        // Each surface shows each part at least once: the overview page its lines, the ledger page its measures.
        Assert.All(new[] { "overview page", "API overview", "export" }, s => Assert.NotNull(readings.Single(r => r.Surface == s).Lines));
        Assert.All(new[] { "ledger page", "API ledger", "export" }, s => Assert.NotNull(readings.Single(r => r.Surface == s).Measures));
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private async Task<int> FindingIdAsync(int inspection, int number)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Findings
            .Where(f => f.InspectionId == inspection && f.Number == number).Select(f => f.Id).SingleAsync(Ct);
    }

    private async Task<Dictionary<string, int>> MeasureIdsAsync(int inspection)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await db.Measures.Where(m => m.InspectionId == inspection)
            .Select(m => new { m.Id, Finding = m.Finding.Number, m.Number })
            .ToDictionaryAsync(m => $"{m.Finding}.{m.Number}", m => m.Id, Ct);
    }

    private static async Task<Reading> OverviewPageAsync(HttpClient client, int inspection)
    {
        var html = await client.GetStringAsync(new Uri($"/inspections/{inspection}/overview", UriKind.Relative), Ct);
        var lines = new Dictionary<string, Dictionary<string, decimal>>();
        foreach (Match table in RateTables().Matches(html))
        {
            foreach (Match row in RateRows().Matches(table.Groups["rows"].Value))
            {
                lines[$"{table.Groups["key"].Value}:{WebUtility.HtmlDecode(row.Groups["name"].Value)}"] = Figures(row.Value, LineNames);
            }
        }

        return new Reading(
            "overview page",
            Figures(html, TotalNames),
            null,
            OverviewSignals().Matches(html).ToDictionary(m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture), m => m.Groups["signal"].Value),
            lines);
    }

    private static async Task<Reading> LedgerPageAsync(HttpClient client, int inspection, Dictionary<string, int> ids)
    {
        var html = await client.GetStringAsync(new Uri($"/inspections/{inspection}", UriKind.Relative), Ct);
        var numbers = ids.ToDictionary(kv => kv.Value.ToString(CultureInfo.InvariantCulture), kv => kv.Key);
        return new Reading(
            "ledger page",
            Figures(html, TotalNames),
            LedgerMeasures().Matches(html).ToDictionary(m => numbers[m.Groups["id"].Value], m => (m.Groups["completion"].Value, m.Groups["overdue"].Value)),
            LedgerSignals().Matches(html).ToDictionary(m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture), m => m.Groups["signal"].Value),
            null);
    }

    private static async Task<Reading> ExportAsync(HttpClient client, int inspection)
    {
        var response = await client.GetAsync(new Uri($"/api/v1/inspections/{inspection}/ledger.xlsx", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sheet = Xlsx.ReadFirstSheet(await response.Content.ReadAsByteArrayAsync(Ct), fillMerged: true);
        var header = sheet.FindIndex(r => r.Contains("整改措施") && r.Contains("序号"));
        Assert.True(header >= 0, "the export has no header row");
        var rows = sheet.Skip(header + 1)
            .Select(cells => sheet[header].Select((name, i) => (name, value: i < cells.Count ? cells[i] : string.Empty)).ToDictionary(c => c.name, c => c.value))
            .ToList();

        // 序号 is 问题序号.措施序号; the category cell "一、…" is named "(一)…" on the overview.
        foreach (var r in rows)
        {
            r["问题序号"] = r["序号"].Split('.')[0];
            r["问题类别"] = ExportTests.OverviewCategory(r["问题类别"]);
        }

        // A column the workbook lacks reads as "(no column)", so that the comparison below names every difference.
        static string Cell(Dictionary<string, string> r, string column) => r.GetValueOrDefault(column) ?? "(no column)";
        static string Completion(Dictionary<string, string> r) => Cell(r, "完成情况") switch { "已完成" => "Completed", "持续整改" => "Sustained", "未完成" => "Open", var other => other };
        static string Overdue(Dictionary<string, string> r) => (Cell(r, "超期"), Cell(r, "逾期未报")) switch { ("是", "") => "PastDeadline", ("", "是") => "MissingCadenceReport", ("", "") => "None", var other => other.ToString() };
        static string Signal(string s) => s switch { "红" => "Red", "黄" => "Yellow", "绿" => "Green", _ => s };

        // The figures are counted from the rows, as someone with the workbook would.
        var findings = rows.GroupBy(r => r["问题序号"]).Select(g => (
            Number: int.Parse(g.Key, CultureInfo.InvariantCulture),
            Category: g.First()["问题类别"],
            Signal: Signal(Cell(g.First(), "问题红黄绿")),
            Completion: g.All(r => Completion(r) == "Completed") ? "Completed" : g.All(r => Completion(r) != "Open") ? "Sustained" : "Open",
            Late: g.Any(r => Overdue(r) == "PastDeadline"),
            Unreported: g.Any(r => Overdue(r) == "MissingCadenceReport"))).ToList();
        static decimal Rate(int done, int total) => total == 0 ? 0 : Math.Round(100m * done / total, 1);
        static Dictionary<string, decimal> MeasureLine(IEnumerable<Dictionary<string, string>> measures)
        {
            var list = measures.ToList();
            int completed = list.Count(r => Completion(r) == "Completed"), sustained = list.Count(r => Completion(r) == "Sustained");
            return Line(list.Count, completed, sustained, list.Count(r => Overdue(r) == "PastDeadline"), list.Count(r => Overdue(r) == "MissingCadenceReport"), Rate(completed + sustained, list.Count));
        }

        var lines = new Dictionary<string, Dictionary<string, decimal>>();
        foreach (var g in rows.GroupBy(r => r["整改类型"]))
        {
            lines[$"kind:{g.Key}"] = MeasureLine(g);
        }

        foreach (var g in rows.GroupBy(r => r["牵头单位"]))
        {
            lines[$"unit:{g.Key}"] = MeasureLine(g);
        }

        foreach (var g in findings.GroupBy(f => f.Category))
        {
            int completed = g.Count(f => f.Completion == "Completed"), sustained = g.Count(f => f.Completion == "Sustained");
            lines[$"category:{g.Key}"] = Line(g.Count(), completed, sustained, g.Count(f => f.Late), g.Count(f => f.Unreported), Rate(completed + sustained, g.Count()));
        }

        var all = MeasureLine(rows);
        int completedFindings = findings.Count(f => f.Completion == "Completed"), sustainedFindings = findings.Count(f => f.Completion == "Sustained");
        var totals = new Dictionary<string, decimal>
        {
            ["Findings"] = findings.Count,
            ["Measures"] = rows.Count,
            ["CompletedMeasures"] = all["Completed"],
            ["SustainedMeasures"] = all["Sustained"],
            ["PastDeadlineMeasures"] = all["PastDeadline"],
            ["MissingReportMeasures"] = all["MissingReport"],
            ["CompletedFindings"] = completedFindings,
            ["SustainedFindings"] = sustainedFindings,
            ["RedFindings"] = findings.Count(f => f.Signal == "Red"),
            ["YellowFindings"] = findings.Count(f => f.Signal == "Yellow"),
            ["GreenFindings"] = findings.Count(f => f.Signal == "Green"),
            ["FindingCompletionRate"] = Rate(completedFindings + sustainedFindings, findings.Count),
            ["MeasureCompletionRate"] = all["Rate"],
        };
        return new Reading(
            "export",
            totals,
            rows.ToDictionary(r => r["序号"], r => (Completion(r), Overdue(r))),
            findings.ToDictionary(f => f.Number, f => f.Signal),
            lines);
    }

    private static async Task<Reading> LedgerApiAsync(HttpClient client, int inspection, Dictionary<string, int> ids)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/inspections/{inspection}/ledger?pageSize=500", UriKind.Relative), Ct));
        var numbers = ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        return new Reading(
            "API ledger",
            JsonFigures(json.RootElement.GetProperty("totals"), TotalNames),
            rows.ToDictionary(r => numbers[r.GetProperty("measureId").GetInt32()], r => (Text(r, "completion"), Text(r, "overdueReason"))),
            rows.GroupBy(r => r.GetProperty("findingNumber").GetInt32()).ToDictionary(g => g.Key, g => Text(g.First(), "findingSignal")),
            null);
    }

    private static async Task<Reading> OverviewApiAsync(HttpClient client, int inspection)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/inspections/{inspection}/overview", UriKind.Relative), Ct));
        var root = json.RootElement;
        var lines = new Dictionary<string, Dictionary<string, decimal>>();
        foreach (var (key, property) in new[] { ("kind", "byKind"), ("unit", "byUnit"), ("category", "byCategory") })
        {
            foreach (var line in root.GetProperty(property).EnumerateArray())
            {
                lines[$"{key}:{line.GetProperty("name").GetString()}"] = JsonFigures(line, LineNames);
            }
        }

        return new Reading(
            "API overview",
            JsonFigures(root.GetProperty("totals"), TotalNames),
            null,
            root.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("number").GetInt32(), f => Text(f, "signal")),
            lines);
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p.ToString() : "missing";

    /// <summary>The named figures of a JSON object (camelCase properties); a figure it lacks is left out.</summary>
    private static Dictionary<string, decimal> JsonFigures(JsonElement e, IEnumerable<string> names) =>
        names.Select(n => (n, ok: e.TryGetProperty(char.ToLowerInvariant(n[0]) + n[1..], out var p), p))
            .Where(x => x.ok && x.p.ValueKind == JsonValueKind.Number)
            .ToDictionary(x => x.n, x => x.p.GetDecimal());

    /// <summary>The named figures of an HTML fragment: elements marked data-figure="Name", their text a number (a rate ends in %).</summary>
    private static Dictionary<string, decimal> Figures(string html, IEnumerable<string> names)
    {
        var wanted = names.ToHashSet();
        var found = new Dictionary<string, decimal>();
        foreach (Match m in FigureCells().Matches(html))
        {
            if (wanted.Contains(m.Groups["name"].Value))
            {
                found[m.Groups["name"].Value] = decimal.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return found;
    }

    /// <summary>Sets up an inspection of the demo's inspected organization, by the demo's inspection body, with one category and these measures.</summary>
    private async Task<int> CreateAsync(string title, params Planned[] planned)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var inspectedId = int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture);
        var inspected = await db.Organizations.SingleAsync(o => o.Id == inspectedId, Ct);
        var body = await db.Inspections.Where(i => i.Id == app.InspectionId).Select(i => i.InspectingBody).SingleAsync(Ct);
        var units = await db.Organizations.Where(o => o.ParentId == inspectedId).ToDictionaryAsync(o => o.Name, Ct);
        var inspection = new Inspection(title, InspectionKind.Xuncha, body, inspected, null, null, null);
        var category = new FindingCategory(inspection, 1, "关于整改口径的问题");
        var findings = new Dictionary<int, Finding>();
        Actor unit = new("figures-unit", "单位"), office = new("figures-office", "整改办"), leader = new("figures-leader", "领导");
        var longAgo = new FakeClock(new DateTimeOffset(LongAgo, TimeSpan.Zero));
        var walks = new List<(Measure Measure, Planned Planned)>();
        foreach (var p in planned)
        {
            var (f, n) = (int.Parse(p.Number.Split('.')[0], CultureInfo.InvariantCulture), int.Parse(p.Number.Split('.')[1], CultureInfo.InvariantCulture));
            var finding = findings.TryGetValue(f, out var existing) ? existing : findings[f] = new Finding(category, f, $"问题{f}");
            var m = finding.AddMeasure(n, $"措施{p.Number}", p.Kind);
            m.Plan(p.Kind, p.Deadline, null, units[p.Unit]);
            walks.Add((m, p));
        }

        // The plan is in force (units see it), adopted long ago.
        inspection.SubmitPlan(walks.Count, [], office, longAgo);
        inspection.ApprovePlan("测试：党委会", DateOnly.FromDateTime(LongAgo), walks.Select(w => w.Measure), leader, longAgo);
        foreach (var (m, p) in walks)
        {
            m.Start(unit, p.Walk == Walk.StartedToday ? TimeProvider.System : longAgo);
            switch (p.Walk)
            {
                case Walk.SignedOff:
                    m.NoteReportAccepted(LongAgo);
                    m.ApplyForSignOff(unit, longAgo);
                    m.AcceptApplication(office, longAgo);
                    m.Approve(leader, longAgo);
                    break;
                case Walk.ReportedThisPeriod:
                    m.NoteReportFiled(DateTime.UtcNow);
                    break;
                case Walk.ReportedLongAgo:
                    m.NoteReportFiled(LongAgo.AddDays(30));
                    break;
            }
        }

        db.AddRange(findings.Values);
        await db.SaveChangesAsync(Ct);
        return inspection.Id;
    }

    [GeneratedRegex("""data-figure="(?<name>\w+)">(?<value>-?[\d.]+)%?<""")]
    private static partial Regex FigureCells();

    [GeneratedRegex("""<table class="rates" data-rates="(?<key>\w+)">(?<rows>.*?)</table>""", RegexOptions.Singleline)]
    private static partial Regex RateTables();

    [GeneratedRegex("""<tr data-name="(?<name>[^"]+)">.*?</tr>""", RegexOptions.Singleline)]
    private static partial Regex RateRows();

    [GeneratedRegex("""<tr class="finding-signal" data-signal="(?<signal>\w+)" data-completion="\w+" data-finding-number="(?<number>\d+)">""")]
    private static partial Regex OverviewSignals();

    [GeneratedRegex("""<tr class="finding" data-finding-number="(?<number>\d+)" data-signal="(?<signal>\w+)">""")]
    private static partial Regex LedgerSignals();

    [GeneratedRegex("""<tr class="measure" data-measure-id="(?<id>\d+)" data-completion="(?<completion>\w+)" data-overdue="(?<overdue>\w+)">""")]
    private static partial Regex LedgerMeasures();

    [GeneratedRegex("""<table class="work-list[^"]*" data-section="(?<section>[\w-]+)">.*?</table>""", RegexOptions.Singleline)]
    private static partial Regex SectionTables();

    [GeneratedRegex("""href="/measures/(?<id>\d+)".*?data-column="date">(?<date>[^<]*)</td>\s*<td[^>]*data-cadence="(?<cadence>\w+)">""", RegexOptions.Singleline)]
    private static partial Regex WorkRows();
}

public sealed class FigureRulesTestsOnSqlite(SqliteApp app) : FigureRulesTests(app), IClassFixture<SqliteApp>;

public sealed class FigureRulesTestsOnPostgres(PostgresApp app) : FigureRulesTests(app), IClassFixture<PostgresApp>;
