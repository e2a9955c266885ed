using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using SpreadCheetah;

// The load suite's yardsticks (bench/load.sh, docs/adr/0030), run beside the product in the same wrk run:
//   GET /bare[?bytes=N]            a fixed body (of N bytes): what Kestrel alone costs on this machine;
//   GET /sql/ledger/{inspection}   the hand-written SQL of each measured path, over the same SQLite file, read-only,
//   GET /sql/overview/{inspection} without the product's access scoping, auditing or rendering: the floor the
//   GET /sql/work                  product's figure is compared with;
//   GET /sql/measure/{measure}
//   GET /sql/export/{inspection}   a raw reader streamed into SpreadCheetah (.xlsx);
//   GET /ids                       which inspections and measure the suite measures (typical ≈ 109 measures, the biggest, a measure in progress).
// Usage: Rectify.LoadBaseline --database 文件.db --urls http://127.0.0.1:5231
//        Rectify.LoadBaseline --postgres "Host=…;Database=…" --urls http://127.0.0.1:5231   (the same statements on PostgreSQL)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var postgres = builder.Configuration["postgres"];
var file = builder.Configuration["database"];
if (postgres is null == (file is null))
{
    throw new InvalidOperationException("Name one database: --database 文件.db (SQLite) or --postgres 连接字符串.");
}

await using var dataSource = postgres is null ? null : new NpgsqlDataSourceBuilder(postgres).Build();
var sqliteConnection = file is null ? null : new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Cache = SqliteCacheMode.Private }.ToString();

// The one aggregate the two dialects spell differently: a list of names joined with 、.
string Joined(string expression) => dataSource is null ? $"group_concat({expression}, '、')" : $"string_agg({expression}, '、')";
var app = builder.Build();
var bare = "{\"status\":\"ok\",\"service\":\"bare kestrel\"}"u8.ToArray();
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
var sized = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>();
var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

app.MapGet("/bare", (HttpContext context, int? bytes) =>
{
    context.Response.ContentType = "application/json";
    if (bytes is not > 0)
    {
        return context.Response.Body.WriteAsync(bare).AsTask();
    }

    // As long as a product answer (?bytes=47810: the ledger API's page): what sending that many bytes costs alone.
    var body = sized.GetOrAdd(Math.Min(bytes.Value, 16 * 1024 * 1024), static n => Enumerable.Repeat((byte)' ', n).ToArray());
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});

app.MapGet("/ids", async () =>
{
    await using var db = await OpenAsync();
    var typical = await ScalarAsync(db, """
        SELECT m."InspectionId" FROM "Measures" m JOIN "Inspections" i ON i."Id" = m."InspectionId" WHERE i."PlanState" = 2
        GROUP BY m."InspectionId" ORDER BY ABS(COUNT(*) - 109), m."InspectionId" LIMIT 1
        """);
    var big = await ScalarAsync(db, """SELECT "InspectionId" FROM "Measures" GROUP BY "InspectionId" ORDER BY COUNT(*) DESC, "InspectionId" LIMIT 1""");
    var measure = await ScalarAsync(db, $"""
        SELECT m."Id" FROM "Measures" m WHERE m."InspectionId" = {typical} AND m."State" = 1
        AND EXISTS (SELECT 1 FROM "MeasureSupportingUnits" s WHERE s."MeasureId" = m."Id") ORDER BY m."Id" LIMIT 1
        """);
    return Results.Text(string.Create(CultureInfo.InvariantCulture, $"typical={typical} big={big} measure={measure}\n"));
});

// The ledger's first page of 50 with the totals the page shows (by state, overdue) and each row's 配合单位.
app.MapGet("/sql/ledger/{inspection:int}", async (int inspection) =>
{
    await using var db = await OpenAsync();
    var totals = await RowsAsync(db, """
        SELECT COUNT(*) AS total,
               SUM(CASE WHEN "State" = 4 THEN 1 ELSE 0 END) AS signedOff,
               SUM(CASE WHEN "State" IN (1, 2, 3) THEN 1 ELSE 0 END) AS inProgress,
               SUM(CASE WHEN "State" NOT IN (4, 5) AND "Deadline" < @today THEN 1 ELSE 0 END) AS overdue
        FROM "Measures" WHERE "InspectionId" = @id AND "WithdrawnAtUtc" IS NULL
        """, ("@id", inspection), ("@today", today));
    var rows = await RowsAsync(db, $"""
        SELECT f."Number" AS finding, f."Title" AS findingTitle, m."Id" AS id, m."Number" AS number, m."Text" AS text, m."Kind" AS kind,
               m."Deadline" AS deadline, m."State" AS state, m."LastReportAtUtc" AS lastReport, lu."Name" AS leadUnit, p."Name" AS leader,
               (SELECT {Joined("o.\"Name\"")} FROM "MeasureSupportingUnits" s JOIN "Organizations" o ON o."Id" = s."OrganizationId" WHERE s."MeasureId" = m."Id") AS supporting
        FROM "Measures" m JOIN "Findings" f ON f."Id" = m."FindingId"
        LEFT JOIN "Organizations" lu ON lu."Id" = m."LeadUnitId" LEFT JOIN "People" p ON p."Id" = m."ResponsibleLeaderId"
        WHERE m."InspectionId" = @id AND m."WithdrawnAtUtc" IS NULL
        ORDER BY f."Number", m."Number" LIMIT 50
        """, ("@id", inspection));
    return Results.Json(new { totals = totals[0], rows }, json);
});

// The overview's figures: by state and kind, by lead unit, overdue.
app.MapGet("/sql/overview/{inspection:int}", async (int inspection) =>
{
    await using var db = await OpenAsync();
    var byState = await RowsAsync(db, """SELECT "State" AS state, "Kind" AS kind, COUNT(*) AS count FROM "Measures" WHERE "InspectionId" = @id AND "WithdrawnAtUtc" IS NULL GROUP BY "State", "Kind" """, ("@id", inspection));
    var byUnit = await RowsAsync(db, """
        SELECT o."Name" AS unit, COUNT(*) AS total, SUM(CASE WHEN m."State" = 4 THEN 1 ELSE 0 END) AS signedOff,
               SUM(CASE WHEN m."State" NOT IN (4, 5) AND m."Deadline" < @today THEN 1 ELSE 0 END) AS overdue
        FROM "Measures" m LEFT JOIN "Organizations" o ON o."Id" = m."LeadUnitId"
        WHERE m."InspectionId" = @id AND m."WithdrawnAtUtc" IS NULL GROUP BY m."LeadUnitId", o."Name" ORDER BY total DESC
        """, ("@id", inspection), ("@today", today));
    return Results.Json(new { byState, byUnit }, json);
});

// 待办 of the rectification office at the root: each section's count (to 1,000, as the product counts: ADR 0035) and its
// first 50, as the page lists them.
app.MapGet("/sql/work", async () =>
{
    await using var db = await OpenAsync();
    var sections = new Dictionary<string, object>();
    foreach (var (key, where) in new[]
    {
        // The measures with a report waiting for review by their mark; the waiting requests as a set (an EXISTS per measure
        // lets SQLite walk the State index once per measure).
        ("reports", """m."ReportsAwaitingReview" > 0"""),
        ("review", """m."State" = 2"""),
        ("approve", """m."State" = 3"""),
        ("extensions", """m."Id" IN (SELECT e."MeasureId" FROM "DeadlineExtensions" e WHERE e."State" = 0)"""),
        ("overdue", """m."State" IN (0, 1, 2, 3) AND m."Deadline" < @today"""),
    })
    {
        var count = await ScalarAsync(db, $"""SELECT COUNT(*) FROM (SELECT 1 FROM "Measures" m WHERE m."WithdrawnAtUtc" IS NULL AND {where} LIMIT 1001) s""", ("@today", today));
        var rows = await RowsAsync(db, $"""
            SELECT m."Id" AS id, m."Text" AS text, m."Deadline" AS deadline, m."State" AS state, o."Name" AS leadUnit, i."Title" AS inspection
            FROM "Measures" m JOIN "Inspections" i ON i."Id" = m."InspectionId" LEFT JOIN "Organizations" o ON o."Id" = m."LeadUnitId"
            WHERE m."WithdrawnAtUtc" IS NULL AND {where} ORDER BY m."Deadline", m."Id" LIMIT 50
            """, ("@today", today));
        sections[key] = new { count, rows };
    }

    var lookBacks = await RowsAsync(db, """
        SELECT l."Id" AS id, l."MeasureId" AS measure, l."DueDate" AS due FROM "LookBacks" l WHERE l."Result" IS NULL AND l."DueDate" <= @soon
        ORDER BY l."DueDate", l."Id" LIMIT 50
        """, ("@soon", today.AddDays(30)));
    sections["lookbacks"] = lookBacks;
    var duban = await RowsAsync(db, """SELECT "Id" AS id, "DocumentNumber" AS number, "ReplyDue" AS due FROM "SupervisionNotices" WHERE "Kind" = 0 AND "State" = 1 ORDER BY "ReplyDue", "Id" LIMIT 50""");
    sections["duban"] = duban;
    return Results.Json(sections, json);
});

// The measure page: the measure, its finding and inspection, 配合单位, history, reports with evidence, look-backs and extensions.
app.MapGet("/sql/measure/{measure:int}", async (int measure) =>
{
    await using var db = await OpenAsync();
    var head = await RowsAsync(db, """
        SELECT m.*, f."Title" AS findingTitle, i."Title" AS inspectionTitle, lu."Name" AS leadUnit, p."Name" AS leader
        FROM "Measures" m JOIN "Findings" f ON f."Id" = m."FindingId" JOIN "Inspections" i ON i."Id" = m."InspectionId"
        LEFT JOIN "Organizations" lu ON lu."Id" = m."LeadUnitId" LEFT JOIN "People" p ON p."Id" = m."ResponsibleLeaderId" WHERE m."Id" = @id
        """, ("@id", measure));
    if (head.Count == 0)
    {
        return Results.NotFound();
    }

    return Results.Json(new
    {
        measure = head[0],
        supporting = await RowsAsync(db, """SELECT o."Id" AS id, o."Name" AS name FROM "MeasureSupportingUnits" s JOIN "Organizations" o ON o."Id" = s."OrganizationId" WHERE s."MeasureId" = @id""", ("@id", measure)),
        transitions = await RowsAsync(db, """SELECT "Action", "FromState", "ToState", "ActorName", "AtUtc", "Reason" FROM "MeasureTransitions" WHERE "MeasureId" = @id ORDER BY "AtUtc", "Id" """, ("@id", measure)),
        reports = await RowsAsync(db, $"""
            SELECT r."Id", r."Number", r."RevisionOfId", r."Narrative", r."PercentComplete", r."EffectiveDate", r."State", r."SubmittedByName", r."SubmittedAtUtc",
                   r."ReviewedByName", r."ReviewedAtUtc", r."ReturnReason",
                   (SELECT {Joined("e.\"OriginalName\"")} FROM "ProgressReportEvidence" e WHERE e."ProgressReportId" = r."Id") AS evidence
            FROM "ProgressReports" r WHERE r."MeasureId" = @id ORDER BY r."Number" DESC
            """, ("@id", measure)),
        lookBacks = await RowsAsync(db, """SELECT * FROM "LookBacks" WHERE "MeasureId" = @id ORDER BY "DueDate" """, ("@id", measure)),
        extensions = await RowsAsync(db, """SELECT * FROM "DeadlineExtensions" WHERE "MeasureId" = @id ORDER BY "Number" """, ("@id", measure)),
    }, json);
});

// The ledger as .xlsx: one reader over the inspection's measures, each row written as it is read.
app.MapGet("/sql/export/{inspection:int}", async (int inspection, HttpContext context) =>
{
    await using var db = await OpenAsync();
    await using var command = db.CreateCommand();
    command.CommandText = $"""
        SELECT f."Number", f."Title", m."Number", m."Text", m."Kind", m."Deadline", lu."Name", p."Name", m."State",
               (SELECT {Joined("o.\"Name\"")} FROM "MeasureSupportingUnits" s JOIN "Organizations" o ON o."Id" = s."OrganizationId" WHERE s."MeasureId" = m."Id")
        FROM "Measures" m JOIN "Findings" f ON f."Id" = m."FindingId"
        LEFT JOIN "Organizations" lu ON lu."Id" = m."LeadUnitId" LEFT JOIN "People" p ON p."Id" = m."ResponsibleLeaderId"
        WHERE m."InspectionId" = @id AND m."WithdrawnAtUtc" IS NULL ORDER BY f."Number", m."Number"
        """;
    Bind(command, "@id", inspection);
    context.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // The zip writer under SpreadCheetah writes each entry's small data descriptor synchronously when the entry closes.
    context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
    await using var spreadsheet = await Spreadsheet.CreateNewAsync(context.Response.Body, cancellationToken: context.RequestAborted);
    await spreadsheet.StartWorksheetAsync("整改台账", token: context.RequestAborted);
    var cells = new Cell[10];
    string[] headings = ["问题序号", "反馈问题", "措施序号", "整改措施", "整改类型", "整改时限", "牵头单位", "责任领导", "状态", "配合单位"];
    await spreadsheet.AddRowAsync([.. headings.Select(h => new Cell(h))], context.RequestAborted);
    await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
    while (await reader.ReadAsync(context.RequestAborted))
    {
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = reader.IsDBNull(i) ? new Cell(string.Empty) : reader.GetValue(i) switch
            {
                long number => new Cell(number),
                int number => new Cell(number),
                string text => new Cell(text),
                var other => new Cell(Convert.ToString(other, CultureInfo.InvariantCulture)),
            };
        }

        await spreadsheet.AddRowAsync(cells, context.RequestAborted);
    }

    await spreadsheet.FinishAsync(context.RequestAborted);
});

app.Run();

async Task<DbConnection> OpenAsync()
{
    if (dataSource is not null)
    {
        return await dataSource.OpenConnectionAsync();
    }

    var connection = new SqliteConnection(sqliteConnection);
    await connection.OpenAsync();
    return connection;
}

static void Bind(DbCommand command, string name, object value)
{
    var parameter = command.CreateParameter();
    parameter.ParameterName = name;
    parameter.Value = value;
    command.Parameters.Add(parameter);
}

static async Task<long> ScalarAsync(DbConnection db, string sql, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in parameters)
    {
        Bind(command, name, value);
    }

    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

static async Task<List<Dictionary<string, object?>>> RowsAsync(DbConnection db, string sql, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in parameters)
    {
        Bind(command, name, value);
    }

    await using var reader = await command.ExecuteReaderAsync();
    var rows = new List<Dictionary<string, object?>>();
    while (await reader.ReadAsync())
    {
        var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        rows.Add(row);
    }

    return rows;
}
