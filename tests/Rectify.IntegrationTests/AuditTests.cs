using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The audit trail: what is recorded, that it is append-only and fails closed, and that tampering is found.</summary>
public abstract class AuditTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await AuditVerifier.VerifyAsync(db, app.Factory.Services.GetRequiredService<AuditKey>().ValueForVerification(), Ct);
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
    }
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
        return await AuditVerifier.VerifyAsync(db, app.Factory.Services.GetRequiredService<AuditKey>().ValueForVerification(), Ct);
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
