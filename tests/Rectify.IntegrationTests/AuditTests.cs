using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Audit;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The audit trail: what is recorded, that it is append-only and fails closed, and that tampering is found.</summary>
public abstract partial class AuditTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await AuditVerifier.VerifyAsync(db, app.Factory.Services.GetRequiredService<AuditKey>(), null, Ct);
    }

    private async Task<List<AuditEntry>> EntriesAsync(string action)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().AuditEntries.Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync(Ct);
    }

    [Fact]
    public async Task Sign_in_failures_successes_and_sign_outs_are_recorded_with_actor_source_and_outcome()
    {
        app.RequireAvailable();
        using var client = app.Client();
        await client.SignInAsync("leader", "Not-the-password-1");
        var response = await client.SignInAsync("leader", app.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Account/SignOut", page, [])).StatusCode);

        var failure = (await EntriesAsync(AuditActions.SignInFailed)).Last();
        Assert.False(failure.Succeeded);
        Assert.Equal("责任领导（演示）", failure.ActorName);
        Assert.NotNull(failure.SourceAddress);
        var success = (await EntriesAsync(AuditActions.SignInSucceeded)).Last();
        Assert.True(success.Succeeded);
        Assert.Equal(failure.ActorUserId, success.ActorUserId);
        var signedOut = (await EntriesAsync(AuditActions.SignedOut)).Last();
        Assert.Equal(success.ActorUserId, signedOut.ActorUserId);
        Assert.Contains(Roles.ResponsibleLeader, signedOut.ActorRoles, StringComparison.Ordinal);
        Assert.True(signedOut.Sequence > success.Sequence && success.Sequence > failure.Sequence);

        // The demo's import is on record too, in the same chain.
        Assert.Single(await EntriesAsync(AuditActions.NoticeImported));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Audit_rows_cannot_be_updated_or_deleted_through_the_database()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Action\" = 'x'", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"", Ct));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task When_the_audit_write_fails_the_change_fails_and_nothing_is_committed()
    {
        app.RequireAvailable();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var name = "unaudited-" + app.Provider;
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            // Inside this transaction the chain's head is gone, so the audit append cannot happen.
            await db.AuditHeads.ExecuteDeleteAsync(Ct);
            await Assert.ThrowsAsync<InvalidOperationException>(() => admin.CreateAsync(name, null, app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct));
            await transaction.RollbackAsync(Ct);
        }

        await using var fresh = app.Factory.Services.CreateAsyncScope();
        var check = fresh.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.False(await check.Users.AnyAsync(u => u.UserName == name, Ct));
        Assert.True(await check.AuditHeads.AnyAsync(Ct));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Only_the_audit_administrator_reads_the_log_and_every_read_and_export_is_recorded()
    {
        app.RequireAvailable();
        var name = "auditor-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.CreateAsync(name, "审计管理员", null, [Roles.AuditAdministrator], app.Password, Ct, initialPassword: false);
        }

        foreach (var other in new[] { "office", "admin", "inspector" })
        {
            using var client = await app.SignedInAsync(other);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/audit", UriKind.Relative), Ct)).StatusCode);
        }

        using var auditor = await app.SignedInAsync(name);
        var html = await auditor.GetStringAsync(new Uri("/audit?action=signin.success", UriKind.Relative), Ct);
        Assert.Contains("signin.success", html, StringComparison.Ordinal);
        Assert.Contains("class=\"audit-entry\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("demo.seed</td>", html, StringComparison.Ordinal);

        // Dates in the filter typed by a full-width input method, or not dates at all, never fail the page.
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(new Uri("/audit?from=２０２６－０３－０１&to=٢٠٢٦-03-31", UriKind.Relative), Ct)).StatusCode);

        // The auditor reads no rectification content.
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(new Uri($"/inspections/{app.InspectionId}", UriKind.Relative), Ct)).StatusCode);

        var response = await auditor.PostFormAsync("/audit?handler=Export", html, new Dictionary<string, string> { ["action"] = "notice.import" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("序号,时间", csv[0], StringComparison.Ordinal);
        Assert.Equal(2, csv.Length);
        Assert.Contains("市委第七巡察组对万江街道党工委的巡察", csv[1], StringComparison.Ordinal);

        Assert.NotEmpty(await EntriesAsync(AuditActions.AuditViewed));
        Assert.Equal("审计管理员", (await EntriesAsync(AuditActions.AuditExported)).Last().ActorName);

        // An export for a range that cannot be read is no export of the whole trail: the page again, the date named.
        var exports = (await EntriesAsync(AuditActions.AuditExported)).Count;
        var unreadable = await auditor.PostFormAsync("/audit?handler=Export", html, new Dictionary<string, string> { ["action"] = "notice.import", ["from"] = "2026-02-30" });
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Equal("text/html", unreadable.Content.Headers.ContentType?.MediaType);
        var said = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await unreadable.Content.ReadAsStringAsync(Ct));
        Assert.Contains("未导出", said.QuerySelector("#filter-message")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-02-30", said.QuerySelector("#filter-message")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-02-30", said.QuerySelector("form.filters input[name=from]")?.GetAttribute("value"));
        Assert.Equal(exports, (await EntriesAsync(AuditActions.AuditExported)).Count);

        // The export form under a filter whose date was set aside carries what was typed: exporting from there is refused
        // again, never a wider range than the one asked for. A range reversed exports nothing either (not an empty file).
        var ignored = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await auditor.GetStringAsync(new Uri("/audit?from=2026-02-30&to=2026-12-31", UriKind.Relative), Ct));
        Assert.Equal("2026-02-30", ignored.QuerySelector("form[action*='handler=Export'] input[name=from]")?.GetAttribute("value"));
        var reversed = await auditor.PostFormAsync("/audit?handler=Export", html, new Dictionary<string, string> { ["from"] = "2026-12-31", ["to"] = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("起始日期晚于截止日期", await reversed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(exports, (await EntriesAsync(AuditActions.AuditExported)).Count);
    }

    /// <summary>Takes a step on a measure through its page, with the version the page shows.</summary>
    private static async Task ActAsync(HttpClient client, int measure, MeasureAction action, string reason = "")
    {
        var page = await client.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        var response = await client.PostFormAsync($"/measures/{measure}?handler=Act", page, new Dictionary<string, string>
        {
            ["action"] = action.ToString(),
            ["reason"] = reason,
            ["version"] = VersionRegex().Match(page).Groups[1].Value,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>The audit page as the demo's audit administrator reads it, HTML-decoded, with the event codes of its rows.</summary>
    private static async Task<(string Html, List<string> Codes)> ReadLogAsync(HttpClient auditor, string query)
    {
        var response = await auditor.GetAsync(new Uri("/audit" + query, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        return (html, [.. EventCodeRegex().Matches(html).Select(m => m.Groups[1].Value)]);
    }

    [Fact]
    public async Task The_log_names_events_objects_and_changes_in_words_and_filters_by_type_person_and_day()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[0];
        await app.AcceptedReportAsync(id);
        using (var unit = await app.SignedInAsync("unit"))
        {
            await ActAsync(unit, id, MeasureAction.ApplyForSignOff, "制度已印发");
        }

        using (var office = await app.SignedInAsync("office"))
        {
            await ActAsync(office, id, MeasureAction.AcceptApplication);
        }

        string number;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var m = await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().Measures.Where(m => m.Id == id)
                .Select(m => new { Finding = m.Finding.Number, m.Number }).SingleAsync(Ct);
            number = $"{m.Finding}.{m.Number}";
        }

        using var auditor = await app.SignedInAsync("auditadmin");
        var (html, codes) = await ReadLogAsync(auditor, "");
        Assert.Contains("整改办审核通过", html, StringComparison.Ordinal);
        Assert.Contains("申请销号", html, StringComparison.Ordinal);
        Assert.Contains("措施 " + number, html, StringComparison.Ordinal);
        Assert.Contains("状态: 待整改办审核 → 待领导审批", html, StringComparison.Ordinal);
        Assert.Contains("状态: 整改中 → 待整改办审核", html, StringComparison.Ordinal);
        Assert.Contains("理由: " + AuditContent.Hidden, html, StringComparison.Ordinal);
        Assert.DoesNotContain("制度已印发", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{\"state\"", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("登录成功", html, StringComparison.Ordinal);

        // The auditor cannot open the measure's page, so the log names it without a link into a 404.
        Assert.DoesNotContain($"href=\"/measures/{id}\"", html, StringComparison.Ordinal);
        Assert.Contains(AuditActions.Of(MeasureAction.AcceptApplication), codes);

        // By type: only that event; the select names it in Chinese.
        (html, codes) = await ReadLogAsync(auditor, "?action=" + AuditActions.Of(MeasureAction.ApplyForSignOff));
        Assert.NotEmpty(codes);
        Assert.All(codes, c => Assert.Equal("measure.applyforsignoff", c));
        Assert.Contains(">整改办审核通过</option>", html, StringComparison.Ordinal);

        // By person: a part of the display name, or of the user name.
        (_, codes) = await ReadLogAsync(auditor, "?actor=" + Uri.EscapeDataString("整改办"));
        Assert.Contains("measure.acceptapplication", codes);
        Assert.DoesNotContain("measure.applyforsignoff", codes);
        (_, codes) = await ReadLogAsync(auditor, "?actor=offi");
        Assert.Contains("measure.acceptapplication", codes);
        Assert.DoesNotContain("measure.applyforsignoff", codes);

        // By day (Beijing days): today has them, a range ending yesterday has none.
        var today = ChinaTime.Today(TimeProvider.System);
        (_, codes) = await ReadLogAsync(auditor, $"?action=measure.acceptapplication&from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        Assert.NotEmpty(codes);
        (html, codes) = await ReadLogAsync(auditor, $"?action=measure.acceptapplication&to={today.AddDays(-1):yyyy-MM-dd}");
        Assert.Empty(codes);
        Assert.Contains("共 0 条记录", html, StringComparison.Ordinal);

        // Dates at the ends of the calendar, or not dates at all, are set aside with a word, never a 500.
        (html, codes) = await ReadLogAsync(auditor, "?action=measure.acceptapplication&from=0001-01-01&to=9999-12-31");
        Assert.NotEmpty(codes);
        Assert.Contains("日期无效", html, StringComparison.Ordinal);
        (html, codes) = await ReadLogAsync(auditor, "?action=measure.acceptapplication&from=garbage");
        Assert.NotEmpty(codes);
        Assert.Contains("日期无效", html, StringComparison.Ordinal);

        // An organization in a change is named, not numbered.
        (html, codes) = await ReadLogAsync(auditor, "?action=" + AuditActions.UserOrganizationChanged);
        Assert.NotEmpty(codes);
        Assert.Contains("→ 纪检监察办", html, StringComparison.Ordinal);

        // In English, the same words in English.
        var home = await auditor.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, (await auditor.PostFormAsync("/Account/Language", home, new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/audit" })).StatusCode);
        (html, _) = await ReadLogAsync(auditor, "?action=measure.acceptapplication");
        Assert.Contains(">Office accepted</td>", html, StringComparison.Ordinal);
        Assert.Contains("State: Awaiting office review → Awaiting leader approval", html, StringComparison.Ordinal);
        Assert.Contains("Measure " + number, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_keeps_the_raw_record_and_neutralises_a_cell_that_a_spreadsheet_would_run()
    {
        app.RequireAvailable();
        var name = "formula-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await admin.CreateAsync(name, "=HYPERLINK(\"http://x.example\",\"点击\")", app.InspectedOrganization, [Roles.UnitReporter], app.Password, Ct, initialPassword: false);
        }

        // The user signs in: a record whose actor is a formula.
        (await app.SignedInAsync(name)).Dispose();

        using var auditor = await app.SignedInAsync("auditadmin");
        var page = await auditor.GetStringAsync(new Uri("/audit", UriKind.Relative), Ct);
        var response = await auditor.PostFormAsync("/audit?handler=Export", page, new Dictionary<string, string> { ["action"] = AuditActions.SignInSucceeded, ["actor"] = "HYPERLINK" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync(Ct))[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(csv[1..]);

        // Raw: the code and the ids as stored; the formula made inert by a leading apostrophe, and no cell begins with one.
        Assert.Contains("\"signin.success\"", row, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\"", row, StringComparison.Ordinal);
        Assert.DoesNotMatch("(^|,)\"[=+\\-@]", row);

        // The JSON of a change is kept as recorded, enums as numbers.
        response = await auditor.PostFormAsync("/audit?handler=Export", page, new Dictionary<string, string> { ["action"] = AuditActions.UserCreated, ["actor"] = "" });
        var created = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync(Ct))[3..]);
        Assert.Contains("\"user.create\"", created, StringComparison.Ordinal);
        Assert.Contains("\"\"displayName\"\":\"\"=HYPERLINK", created, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_administrator_reads_who_did_what_to_which_object_but_not_the_business_texts()
    {
        app.RequireAvailable();
        var mark = Guid.NewGuid().ToString("N")[..8];
        using (var office = await app.SignedInAsync("office"))
        {
            var path = $"/inspections/{app.InspectionId}/registers";
            var kept = await office.FollowedAsync(await office.PostFromPageAsync(path, $"{path}?handler=Outcome", new Dictionary<string, string> { ["kind"] = "PeopleHandled", ["amount"] = "2", ["note"] = $"处理王某{mark}", ["findings"] = "1" }));
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        using var auditor = await app.SignedInAsync("auditadmin");
        var page = await auditor.GetStringAsync(new Uri($"/audit?action={AuditActions.OutcomeRegistered}", UriKind.Relative), Ct);
        Assert.DoesNotContain(mark, page, StringComparison.Ordinal);
        Assert.Contains(AuditContent.Hidden, page, StringComparison.Ordinal);
        Assert.Contains("data-code=\"" + AuditActions.OutcomeRegistered + "\"", page, StringComparison.Ordinal);

        var response = await auditor.PostFormAsync("/audit?handler=Export", page, new Dictionary<string, string> { ["action"] = AuditActions.OutcomeRegistered, ["actor"] = "" });
        var csv = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync(Ct))[3..]);
        Assert.DoesNotContain(mark, csv, StringComparison.Ordinal);
        Assert.Contains(AuditContent.Hidden, csv, StringComparison.Ordinal);
        Assert.Contains("\"\"amount\"\":2", csv, StringComparison.Ordinal);

        // Stored as recorded: the chain covers the words, which the audit administrator does not read.
        Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.OutcomeRegistered && e.After!.Contains(mark), Ct)));
    }

    [GeneratedRegex(@"name=""version"" value=""(\d+)""")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"data-code=""([^""]+)""")]
    private static partial Regex EventCodeRegex();
}

public sealed class AuditTestsOnSqlite(SqliteApp app) : AuditTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTestsOnPostgres(PostgresApp app) : AuditTests(app), IClassFixture<PostgresApp>;

/// <summary>Tampering breaks the chain for good, so these tests have a database of their own.</summary>
public abstract class AuditTamperTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await AuditVerifier.VerifyAsync(db, app.Factory.Services.GetRequiredService<AuditKey>(), null, Ct);
    }

    [Fact]
    public async Task Ten_thousand_entries_verify_and_an_edited_deleted_or_forged_row_is_named()
    {
        app.RequireAvailable();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            var existing = await db.AuditEntries.CountAsync(Ct);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            for (var i = existing; i < 10_000; i++)
            {
                await audit.RecordAsync(new AuditEvent("test.bulk", ObjectType: "Probe", ObjectId: i.ToString(System.Globalization.CultureInfo.InvariantCulture), After: new { i, 文本 = "整改" }), AuditActor.CommandLine, Ct);
            }

            await transaction.CommitAsync(Ct);
        }

        var intact = await VerifyAsync();
        Assert.True(intact.Intact, intact.Message);
        Assert.True(intact.Entries >= 10_000);

        await WithoutTriggersAsync(async db =>
        {
            // Edited: one field of record 5,000.
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"After\" = '{{\"i\":1}}' WHERE \"Sequence\" = 5000", Ct);
            var edited = await VerifyAsync();
            Assert.False(edited.Intact);
            Assert.Equal(5000, edited.FirstBadSequence);
            Assert.Contains("第 5000 条", edited.Message, StringComparison.Ordinal);

            // Deleted: record 5,000 gone.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 5000", Ct);
            var deleted = await VerifyAsync();
            Assert.Equal(5000, deleted.FirstBadSequence);
            Assert.Contains("被删除", deleted.Message, StringComparison.Ordinal);

            // Forged: a row put back in its place with a made-up MAC.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"AuditEntries\" (\"Sequence\", \"AtUtc\", \"Action\", \"Succeeded\", \"Algorithm\", \"Mac\") SELECT 5000, \"AtUtc\", 'test.bulk', TRUE, \"Algorithm\", 'forged' FROM \"AuditEntries\" WHERE \"Sequence\" = 4999",
                Ct);
            var forged = await VerifyAsync();
            Assert.Equal(5000, forged.FirstBadSequence);
            Assert.Contains("被修改或伪造", forged.Message, StringComparison.Ordinal);

            // The last record deleted: the head knows how long the chain was.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 5000", Ct);
            var lastDeleted = await VerifyAsync();
            Assert.False(lastDeleted.Intact);
        });
    }

    private async Task WithoutTriggersAsync(Func<RectifyDbContext, Task> tamper)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        if (app.Provider == Provider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER", Ct);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER \"AuditEntries_no_update\"; DROP TRIGGER \"AuditEntries_no_delete\";", Ct);
        }

        await tamper(db);
    }
}

public sealed class AuditTamperTestsOnSqlite(SqliteApp app) : AuditTamperTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTamperTestsOnPostgres(PostgresApp app) : AuditTamperTests(app), IClassFixture<PostgresApp>;
