using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #12: the ledger, its Excel export, the measure page and the overview read only what belongs to the inspection or the measure
/// asked for, and the root office's 待办 reads its lists (超期 across the installation among them) by index. Every SQL statement a request runs is caught (EF Core's diagnostic events) and asked for its plan
/// (<c>EXPLAIN QUERY PLAN</c>, SQLite); no plan may scan one of the tables that grow with the whole installation.
/// The data is the load suite's generator at small scale (<see cref="GeneratedApp"/>): twelve inspections with
/// supporting units, transitions, ~10 reports a measure, evidence, look-backs, extensions and 督办, so that a plan
/// that scans a table scans rows that belong to other inspections.
/// </summary>
public sealed class QueryPlanTests(GeneratedApp app) : IClassFixture<GeneratedApp>
{
    /// <summary>The tables that grow with every inspection of the installation: a scan of one costs the whole database.</summary>
    private static readonly string[] Large = ["MeasureSupportingUnits", "MeasureTransitions", "MeasureRevisions", "ProgressReports", "ProgressReportEvidence", "LookBacks", "Measures", "Findings", "AuditEntries", "Notifications", "SupervisionNoticeMeasures", "DeadlineExtensions"];

    /// <summary>
    /// Partial indexes each of whose rows is an item of one of 待办's lists (a measure with a report waiting for review,
    /// ADR 0035): walking one reads that list, as long as the list is, not the table it indexes.
    /// </summary>
    private static readonly string[] ListIndexes = ["IX_Measures_ReportsAwaitingReview_Deadline_Id"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Catches the statements run against this fixture's database from now on: <see cref="Caught.Take"/> hands over those caught
    /// since the last call. EF Core caches for a second whether anyone listens (its logging cache time), and a pooled
    /// context keeps that answer: the catcher waits that second out before the first request.
    /// </summary>
    private async Task<Caught> CatchAsync()
    {
        var file = Path.GetFullPath(Path.Combine(app.DataFolder, "rectify.db"));
        var caught = new Caught();
        var observer = new Catcher(command =>
        {
            if (command.Connection?.DataSource is { } source && Path.GetFullPath(source) == file && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                caught.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
            }
        });
        caught.Subscription = DiagnosticListener.AllListeners.Subscribe(observer);
        caught.Observer = observer;
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        return caught;
    }

    private sealed class Caught : IDisposable
    {
        private readonly List<(string Sql, List<(string Name, object? Value)> Parameters)> statements = [];

        public IDisposable? Subscription { get; set; }

        public Catcher? Observer { get; set; }

        public void Add((string Sql, List<(string Name, object? Value)> Parameters) statement)
        {
            lock (statements)
            {
                statements.Add(statement);
            }
        }

        /// <summary>The statements caught since the last call.</summary>
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Take()
        {
            lock (statements)
            {
                var taken = statements.ToList();
                statements.Clear();
                return taken;
            }
        }

        public void Dispose()
        {
            Subscription?.Dispose();
            Observer?.Dispose();
        }
    }

    private async Task<List<string>> ScansAsync(IEnumerable<(string Sql, List<(string Name, object? Value)> Parameters)> statements)
    {
        var scans = new List<string>();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(app.DataFolder, "rectify.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(Ct);
        foreach (var (sql, parameters) in statements)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await explain.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                var detail = reader.GetString(3);
                if (ListIndexes.Any(i => detail.EndsWith($" INDEX {i}", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (detail.StartsWith("SCAN ", StringComparison.Ordinal) && Large.Any(t => detail.StartsWith($"SCAN {t}", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(sql, $"FROM \"{t}\" AS \"{System.Text.RegularExpressions.Regex.Escape(detail.Split(' ')[1])}\"")))
                {
                    scans.Add($"{detail}\n    in: {sql}");
                }
            }
        }

        return scans;
    }

    [Fact]
    public async Task The_ledger_the_measure_page_the_overview_and_the_work_list_scan_no_table_that_grows_with_the_installation()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        string[] paths =
        [
            .. new[] { app.TypicalInspectionId, app.BigInspectionId }.SelectMany(inspection => new[]
            {
                $"/inspections/{inspection}",
                $"/api/v1/inspections/{inspection}/ledger?pageSize=50",
                $"/api/v1/inspections/{inspection}/ledger.xlsx",
                $"/inspections/{inspection}/overview",
                $"/api/v1/inspections/{inspection}/overview",
            }),
            .. new[] { app.MeasureInProgress, app.MeasureSignedOff }.SelectMany(measure => new[] { $"/measures/{measure}", $"/api/v1/measures/{measure}" }),
            $"/api/v1/inspections/{app.BigInspectionId}/ledger?overdue=true",
            "/work",
        ];
        var problems = new List<string>();
        using var caught = await CatchAsync();
        foreach (var path in paths)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await office.GetAsync(new Uri(path, UriKind.Relative), Ct)).StatusCode);
            var statements = caught.Take();
            Assert.True(statements.Count > 0, $"{path}: no statement was caught");
            problems.AddRange((await ScansAsync(statements)).Select(s => $"{path}: {s}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    private sealed class Catcher(Action<DbCommand> onCommand) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> subscriptions = [];

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is CommandEventData data && value.Key == RelationalEventId.CommandExecuting.Name)
            {
                onCommand(data.Command);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
