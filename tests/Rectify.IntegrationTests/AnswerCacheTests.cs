using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rectify.Access;
using Rectify.Data;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// Issue #12, ADR 0031: on SQLite the ledger and the overview are kept per question and content version. A save of
/// content through the product sets a new version in its transaction, so the next read is computed again; a write
/// around the product is seen only once the version is set. On PostgreSQL the version moves after the commit, and an
/// answer is kept a minute at most. On both the version and a token's row are read again only when the database's mark
/// (DatabaseChanges) has moved.
/// </summary>
public abstract class AnswerCacheTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_save_of_content_makes_the_next_ledger_and_overview_read_the_database_again_and_nothing_else_does()
    {
        app.RequireAvailable();
        using var client = await app.Client().WithTokenAsync(app.Factory.Services, "office", "缓存");
        var ledgerUri = new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", UriKind.Relative);
        var overviewUri = new Uri($"/api/v1/inspections/{app.InspectionId}/overview", UriKind.Relative);
        var before = await client.GetFromJsonAsync<LedgerPage>(ledgerUri, Http.Json, Ct);
        Assert.NotNull(before);
        var row = before.Rows.First(r => r.State != Domain.MeasureState.SignedOff);
        var signedOff = before.Totals.CompletedMeasures;
        await client.GetFromJsonAsync<InspectionOverview>(overviewUri, Http.Json, Ct);

        // Around the product (raw SQL, as a person at a database console would): the kept answers do not know of it …
        var marked = "（直接写入）" + Guid.NewGuid().ToString("N")[..6];
        await WithDbAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "Measures" SET "Text" = {marked} WHERE "Id" = {row.MeasureId}""", Ct));
        var kept = await client.GetFromJsonAsync<LedgerPage>(ledgerUri, Http.Json, Ct);
        Assert.Equal(row.Text, kept!.Rows.Single(r => r.MeasureId == row.MeasureId).Text);

        // … until the version is set, as every save of the product does.
        await WithDbAsync(db => ContentVersion.BumpAsync(db, Ct));

        Assert.Equal(marked, (await client.GetFromJsonAsync<LedgerPage>(ledgerUri, Http.Json, Ct))!.Rows.Single(r => r.MeasureId == row.MeasureId).Text);

        // A save through the context (what every page, API call, import and command does) is seen at once, the figures too.
        var version = await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct));
        await WithDbAsync(async db =>
        {
            var measure = await db.Measures.SingleAsync(m => m.Id == row.MeasureId, Ct);
            // Set as the domain's own methods leave them (the domain keeps its setters to itself).
            db.Entry(measure).Property(m => m.Text).CurrentValue = row.Text;
            db.Entry(measure).Property(m => m.State).CurrentValue = Domain.MeasureState.SignedOff;
            await db.SaveChangesAsync(Ct);
        });
        var after = await client.GetFromJsonAsync<LedgerPage>(ledgerUri, Http.Json, Ct);
        Assert.Equal(row.Text, after!.Rows.Single(r => r.MeasureId == row.MeasureId).Text);
        Assert.Equal(signedOff + 1, after.Totals.CompletedMeasures);
        Assert.Equal(signedOff + 1, (await client.GetFromJsonAsync<InspectionOverview>(overviewUri, Http.Json, Ct))!.Totals.CompletedMeasures);
        Assert.NotEqual(version, await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct)));

        // Not content: a token's use and its record in the audit trail leave the version as it is.
        var now = await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct));
        await client.GetAsync(ledgerUri, Ct);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TokenUseRecorder>().FlushAsync(Ct);
        }

        Assert.Equal(now, await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct)));

        // Put back for the other tests of the fixture.
        await WithDbAsync(async db =>
        {
            var measure = await db.Measures.SingleAsync(m => m.Id == row.MeasureId, Ct);
            db.Entry(measure).Property(m => m.State).CurrentValue = row.State;
            await db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task A_kept_answer_goes_gzipped_to_a_client_that_accepts_gzip_and_as_it_is_to_any_other()
    {
        app.RequireAvailable();
        using var client = await app.Client().WithTokenAsync(app.Factory.Services, "office", "压缩");
        foreach (var path in new[] { $"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", $"/api/v1/inspections/{app.InspectionId}/overview" })
        {
            var uri = new Uri(path, UriKind.Relative);
            byte[] json;
            using (var plain = await GetAsync(uri, acceptEncoding: null))
            {
                Assert.Empty(plain.Content.Headers.ContentEncoding);
                Assert.Contains("Accept-Encoding", plain.Headers.Vary);
                json = await plain.Content.ReadAsByteArrayAsync(Ct);
                Assert.Equal(json.Length, plain.Content.Headers.ContentLength);
                Assert.True(json.Length >= KeptBytes.GzipFrom, $"{path}: {json.Length} B");
            }

            // Browsers, curl --compressed, one that prefers another coding but takes gzip, one that takes anything.
            foreach (var accepts in new[] { "gzip, deflate, br, zstd", "deflate, gzip", "br;q=1.0, gzip;q=0.5", "*" })
            {
                using var zipped = await GetAsync(uri, accepts);
                Assert.Equal(System.Net.HttpStatusCode.OK, zipped.StatusCode);
                Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
                Assert.Contains("Accept-Encoding", zipped.Headers.Vary);
                Assert.Equal("application/json; charset=utf-8", zipped.Content.Headers.ContentType?.ToString());
                var packed = await zipped.Content.ReadAsByteArrayAsync(Ct);
                Assert.Equal(packed.Length, zipped.Content.Headers.ContentLength);
                Assert.True(packed.Length < json.Length / 2, $"{path}: {packed.Length} of {json.Length} B");
                Assert.Equal(json, Gunzip(packed));
            }

            // Refused, or not named: the JSON as it is.
            foreach (var accepts in new[] { "gzip;q=0", "identity", "br, zstd", "*, gzip;q=0" })
            {
                using var plain = await GetAsync(uri, accepts);
                Assert.Empty(plain.Content.Headers.ContentEncoding);
                Assert.Equal(json, await plain.Content.ReadAsByteArrayAsync(Ct));
            }
        }

        // After a save the gzip form is the new answer's, not the one kept before.
        var ledger = new Uri($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", UriKind.Relative);
        var measureId = await WithDbAsync(db => db.Measures.Where(m => m.InspectionId == app.InspectionId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        var text = await WithDbAsync(db => db.Measures.Where(m => m.Id == measureId).Select(m => m.Text).SingleAsync(Ct));
        var marked = text + "（压缩后改）";
        await SetTextAsync(marked);
        try
        {
            using var zipped = await GetAsync(ledger, "gzip");
            var page = System.Text.Json.JsonSerializer.Deserialize<LedgerPage>(Gunzip(await zipped.Content.ReadAsByteArrayAsync(Ct)), Http.Json);
            Assert.Equal(marked, page!.Rows.Single(r => r.MeasureId == measureId).Text);
        }
        finally
        {
            await SetTextAsync(text);
        }

        async Task<HttpResponseMessage> GetAsync(Uri uri, string? acceptEncoding)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }

            return await client.SendAsync(request, Ct);
        }

        Task SetTextAsync(string value) => WithDbAsync(async db =>
        {
            var measure = await db.Measures.SingleAsync(m => m.Id == measureId, Ct);
            db.Entry(measure).Property(m => m.Text).CurrentValue = value;
            await db.SaveChangesAsync(Ct);
        });

        static byte[] Gunzip(byte[] packed)
        {
            using var unpacked = new MemoryStream();
            using (var zip = new System.IO.Compression.GZipStream(new MemoryStream(packed), System.IO.Compression.CompressionMode.Decompress))
            {
                zip.CopyTo(unpacked);
            }

            return unpacked.ToArray();
        }
    }

    [Fact]
    public async Task The_version_moves_when_a_transaction_that_wrote_content_commits_and_not_when_it_is_rolled_back()
    {
        app.RequireAvailable();
        var measureId = await WithDbAsync(db => db.Measures.Where(m => m.InspectionId == app.InspectionId).Select(m => m.Id).FirstAsync(Ct));
        foreach (var commit in new[] { false, true })
        {
            var before = await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct));
            await WithDbAsync(async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Ct);
                var measure = await db.Measures.SingleAsync(m => m.Id == measureId, Ct);
                db.Entry(measure).Property(m => m.Text).CurrentValue = measure.Text + "。";
                await db.SaveChangesAsync(Ct);

                // Saved but not committed: a reader elsewhere still finds the state (and version) before it.
                Assert.Equal(before, await WithDbAsync(other => ContentVersion.ReadAsync(other, Ct)));
                if (commit)
                {
                    await transaction.CommitAsync(Ct);
                }
                else
                {
                    await transaction.RollbackAsync(Ct);
                }
            });

            var after = await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct));
            if (commit)
            {
                Assert.NotEqual(before, after);
            }
            else
            {
                Assert.Equal(before, after);
            }
        }

        await WithDbAsync(async db =>
        {
            var measure = await db.Measures.SingleAsync(m => m.Id == measureId, Ct);
            db.Entry(measure).Property(m => m.Text).CurrentValue = measure.Text.TrimEnd('。');
            await db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task A_question_asked_by_many_at_once_is_computed_once_and_a_cancelled_or_failed_computation_is_not_kept()
    {
        app.RequireAvailable();
        var answers = app.Factory.Services.GetRequiredService<AnswerCache>();
        var question = ("single-flight", Guid.NewGuid());
        var computed = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<string?> Slow(CancellationToken ct)
        {
            Interlocked.Increment(ref computed);
            await gate.Task.WaitAsync(ct);
            return "答案";
        }

        // Twenty asking at once while the first computes: one computation, one answer for all.
        var asking = Enumerable.Range(0, 20).Select(_ => WithDbAsync(db => answers.KeptAsync(db, question, (_, _) => Slow(Ct), a => 1, Ct))).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref computed) == 1);
        await Task.Delay(200, Ct);
        Assert.Equal(1, Volatile.Read(ref computed));
        gate.SetResult();
        var kept = await Task.WhenAll(asking);
        Assert.Equal(1, computed);
        Assert.All(kept, k => Assert.Same(kept[0], k));
        Assert.Equal("答案", kept[0]!.Value);

        // The one computing is cancelled (its client went away): one of those waiting computes instead, and they get it.
        var other = ("single-flight", Guid.NewGuid());
        computed = 0;
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gone = new CancellationTokenSource();
        var first = WithDbAsync(db => answers.KeptAsync(db, other, (_, _) => Slow(gone.Token), a => 1, gone.Token));
        await WaitUntilAsync(() => Volatile.Read(ref computed) == 1);
        var waiting = Enumerable.Range(0, 5).Select(_ => WithDbAsync(db => answers.KeptAsync(db, other, (_, _) => Slow(Ct), a => 1, Ct))).ToList();
        await Task.Delay(100, Ct);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await WaitUntilAsync(() => Volatile.Read(ref computed) == 2);
        gate.SetResult();
        Assert.All(await Task.WhenAll(waiting), k => Assert.Equal("答案", k!.Value));
        Assert.Equal(2, computed);

        // A computation that fails fails for those waiting on it, and is not kept: the next ask computes again.
        var failing = ("single-flight", Guid.NewGuid());
        var fail = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        async Task<string?> Failing()
        {
            Interlocked.Increment(ref attempts);
            await fail.Task;
            throw new InvalidOperationException("数据库不可用");
        }

        var failed = Enumerable.Range(0, 3).Select(_ => WithDbAsync(db => answers.KeptAsync(db, failing, (_, _) => Failing(), a => 1, Ct))).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref attempts) == 1);
        await Task.Delay(100, Ct);
        fail.SetResult();
        foreach (var each in failed)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => each);
        }

        Assert.Equal(1, attempts);
        Assert.Equal("再算", (await WithDbAsync(db => answers.KeptAsync(db, failing, (_, _) => Task.FromResult<string?>("再算"), a => 1, Ct)))!.Value);
    }

    [Fact]
    public async Task On_PostgreSQL_an_answer_in_its_last_quarter_is_given_while_its_successor_is_computed_off_the_request_and_none_past_its_minute()
    {
        app.RequireAvailable();
        var services = app.Factory.Services;
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        using var answers = new AnswerCache(
            services.GetRequiredService<IConfiguration>(),
            services.GetRequiredService<DatabaseInfo>(),
            services.GetRequiredService<DatabaseChanges>(),
            services.GetRequiredService<IServiceScopeFactory>(),
            clock,
            NullLogger<AnswerCache>.Instance);
        var question = ("renewal", Guid.NewGuid());
        var computed = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        async Task<string?> Count(RectifyDbContext db, CancellationToken ct)
        {
            var mine = gate; // the gate set before this computation was counted (the test moves on once it is counted)
            var n = Interlocked.Increment(ref computed);
            await mine.Task.WaitAsync(ct);
            _ = await db.Inspections.CountAsync(ct); // reads through the context it is given, which must be open
            return $"第{n}次";
        }

        Task<string> AskAsync() => WithDbAsync(async db => (await answers.KeptAsync(db, question, Count, a => 1, Ct))!.Value);

        Assert.Equal("第1次", await AskAsync());
        var keptFor = ContentVersion.KeptFor(services.GetRequiredService<DatabaseInfo>().Kind);
        if (keptFor is null)
        {
            // SQLite: the version is set in the writing transaction itself, and an answer is kept for as long as it holds.
            clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal("第1次", await AskAsync());
            Assert.Equal(1, computed);
            return;
        }

        // Before its last quarter: given as it is.
        clock.Advance(AnswerCache.RenewedAfter(keptFor.Value) - TimeSpan.FromSeconds(1));
        Assert.Equal("第1次", await AskAsync());
        Assert.Equal(1, computed);

        // In it: the first to find it starts one successor (held at the gate here) and, with every other, gets the kept one.
        clock.Advance(TimeSpan.FromSeconds(2));
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AskAsync()));
        Assert.All(asking, a => Assert.Equal("第1次", a));
        await WaitUntilAsync(() => Volatile.Read(ref computed) == 2);
        Assert.Equal("第1次", await AskAsync());
        Assert.Equal(2, computed);
        gate.SetResult();
        await AskUntilAsync("第2次", "第1次");
        Assert.Equal(2, computed);

        // The successor's minute counts from when its computation began; past it, no one is given it: the next computes.
        clock.Advance(keptFor.Value);
        Assert.Equal("第3次", await AskAsync());

        // A successor that fails leaves the kept one given until its time, and the next to find it tries again.
        clock.Advance(AnswerCache.RenewedAfter(keptFor.Value));
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetException(new InvalidOperationException("数据库不可用"));
        Assert.Equal("第3次", await AskAsync());
        await WaitUntilAsync(() => Volatile.Read(ref computed) == 4);
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        await AskUntilAsync("第5次", "第3次");

        // A successor that finds nothing to answer (the inspection gone) takes the kept answer away with it.
        var vanishing = ("renewal-gone", Guid.NewGuid());
        var looked = 0;
        Task<string?> Vanishing(RectifyDbContext db, CancellationToken ct) => Task.FromResult(Interlocked.Increment(ref looked) == 1 ? "在" : null);
        Task<string?> AskVanishingAsync() => WithDbAsync(async db => (await answers.KeptAsync(db, vanishing, Vanishing, a => 1, Ct))?.Value);
        Assert.Equal("在", await AskVanishingAsync());
        clock.Advance(AnswerCache.RenewedAfter(keptFor.Value));
        Assert.Equal("在", await AskVanishingAsync());
        await WaitUntilAsync(() => Volatile.Read(ref looked) == 2);
        for (var i = 0; i < 500 && await AskVanishingAsync() is not null; i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.Null(await AskVanishingAsync());

        // Asked until the answer is the successor's, every answer before it the kept one's.
        async Task AskUntilAsync(string successor, string kept)
        {
            for (var i = 0; i < 500; i++)
            {
                var answer = await AskAsync();
                if (answer == successor)
                {
                    return;
                }

                Assert.Equal(kept, answer);
                await Task.Delay(10, Ct);
            }

            Assert.Fail($"“{successor}” was never given");
        }
    }

    [Fact]
    public async Task A_value_read_under_a_mark_is_read_again_only_after_a_commit_by_any_connection_and_always_inside_a_transaction()
    {
        app.RequireAvailable();
        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();
        var key = ("mark-test", Guid.NewGuid());
        var reads = 0;
        Task<string> Read()
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult("值" + reads);
        }

        // Asked twice with no commit between (a background service's commit in that moment moves the mark; then twice is right).
        var before = await changes.MarkAsync();

        // On SQLite the mark is read from the WAL index's header (ADR 0039) from the first read on: what follows tests it.
        Assert.Equal(app.Provider == Provider.Sqlite, changes.WatchesWalIndex);
        var first = await WithDbAsync(db => changes.ReadAsync(db, key, Read));
        var second = await WithDbAsync(db => changes.ReadAsync(db, key, Read));
        var after = await changes.MarkAsync();
        Assert.NotNull(before);
        if (before == after)
        {
            Assert.Equal(1, reads);
            Assert.Equal(first, second);
        }

        // A commit on a connection of its own, outside the product's pool (as the command line would write): read again.
        Assert.Equal(1, await OtherProcess.WriteAsync(
            app.Factory.Services.GetRequiredService<DatabaseInfo>(),
            """INSERT INTO "AppSettings" ("Key", "Value") VALUES ('mark-test', 'x') ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value" || 'x'"""));

        Assert.NotEqual(after, await changes.MarkAsync());
        var readsBefore = reads;
        Assert.Equal("值" + (readsBefore + 1), await WithDbAsync(db => changes.ReadAsync(db, key, Read)));

        // Inside a transaction of the context's own (whose writes are not yet a commit): read each time.
        await WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var inside = reads;
            await changes.ReadAsync(db, key, Read);
            await changes.ReadAsync(db, key, Read);
            Assert.Equal(inside + 2, reads);
        });
    }

    [Fact]
    public async Task The_content_version_remembered_under_the_mark_is_read_again_once_it_moves()
    {
        app.RequireAvailable();
        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();

        // Five times: on PostgreSQL any transaction ending elsewhere on the server between the two reads also moves the
        // mark, which would let one round pass by chance; five in a row do not.
        for (var round = 0; round < 5; round++)
        {
            // Remembered under the mark as a kept answer's request remembers it …
            var before = await WithDbAsync(db => changes.ReadAsync(db, ContentVersion.Key, () => ContentVersion.ReadAsync(db, Ct)));

            // … then moved outside any transaction of the caller's, as PostgreSQL's is right after a commit (a nextval
            // that ended no transaction with an id would leave the snapshot, and so the remembered version, as they were).
            await WithDbAsync(db => ContentVersion.BumpAsync(db, Ct));
            var after = await WithDbAsync(db => changes.ReadAsync(db, ContentVersion.Key, () => ContentVersion.ReadAsync(db, Ct)));
            Assert.NotEqual(before, after);
            Assert.Equal(await WithDbAsync(db => ContentVersion.ReadAsync(db, Ct)), after);
        }
    }

    [Fact]
    public async Task On_PostgreSQL_a_lost_mark_connection_is_read_around_and_opened_again_and_what_was_remembered_is_read_again()
    {
        app.RequireAvailable();
        if (app.Provider != Provider.Postgres)
        {
            return; // SQLite's mark is a file's, on a connection nothing outside the process can end.
        }

        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();
        var key = ("mark-lost", Guid.NewGuid());
        var reads = 0;
        Task<string> Read() => Task.FromResult("值" + Interlocked.Increment(ref reads));
        var before = await changes.MarkAsync();
        Assert.NotNull(before);
        await WithDbAsync(db => changes.ReadAsync(db, key, Read));

        // The watching connection ended from outside (a PostgreSQL restart, an operator's pg_terminate_backend; the
        // timeout waits until it has gone).
        await using (var admin = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var terminate = new Npgsql.NpgsqlCommand(
                $"SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = '{DatabaseChanges.MarkApplicationName}' AND datname = current_database()", admin);
            Assert.Equal(1L, await terminate.ExecuteScalarAsync(Ct));
        }

        // The next asks read around it (no mark: the value is read), then a new connection is opened, and a mark read on
        // it is a new one: whatever was committed while there was none, nothing remembered before is used.
        long? after = null;
        for (var i = 0; i < 3 && after is null; i++)
        {
            after = await changes.MarkAsync();
        }

        Assert.NotNull(after);
        Assert.NotEqual(before, after);
        var readsBefore = reads;
        Assert.Equal("值" + (readsBefore + 1), await WithDbAsync(db => changes.ReadAsync(db, key, Read)));
    }

    [Fact]
    public async Task A_context_reads_under_the_mark_it_read_first_until_it_writes_and_the_next_request_reads_a_new_one()
    {
        app.RequireAvailable();
        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();
        var info = app.Factory.Services.GetRequiredService<DatabaseInfo>();
        var key = ("lease-mark", Guid.NewGuid());
        var reads = 0;
        Task<string> Read() => Task.FromResult("值" + Interlocked.Increment(ref reads));
        var outside = 0;

        // A commit by another process, with a new value each time (SQLite leaves the file as it was when a write changes nothing).
        Task CommitElsewhereAsync() => OtherProcess.WriteAsync(info, $"""INSERT INTO "AppSettings" ("Key", "Value") VALUES ('lease-mark', '{++outside}') ON CONFLICT ("Key") DO UPDATE SET "Value" = '{outside}'""");

        Guid instance;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            instance = db.ContextId.InstanceId;
            Assert.Equal("值1", await changes.ReadAsync(db, key, Read));

            // Within one request (the context's lease) the mark read first stands: a request's token and content version
            // are read under one mark, read after the request began.
            await CommitElsewhereAsync();
            Assert.Equal("值1", await changes.ReadAsync(db, key, Read));

            // The context's own writes end it, whichever way they are sent.
            var writes = new (string How, Func<Task> Write)[]
            {
                ("a save", async () =>
                {
                    db.AppSettings.Add(new AppSetting { Key = "lease-mark-" + Guid.NewGuid().ToString("N"), Value = "1" });
                    await db.SaveChangesAsync(Ct);
                }),
                ("a statement", () => db.Database.ExecuteSqlAsync($"""UPDATE "AppSettings" SET "Value" = 'own' WHERE "Key" = 'lease-mark'""", Ct)),
                ("a transaction", async () =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(Ct);
                    await transaction.CommitAsync(Ct);
                }),
            };
            foreach (var (how, write) in writes)
            {
                var before = reads;
                await CommitElsewhereAsync();
                await write();
                Assert.True("值" + (before + 1) == await changes.ReadAsync(db, key, Read), $"after {how} the value was not read again");

                // … and the mark read then stands again until the next.
                await CommitElsewhereAsync();
                Assert.Equal("值" + (before + 1), await changes.ReadAsync(db, key, Read));
            }
        }

        // The next request reads the mark again, even on the same context instance leased anew (the pool hands its
        // contexts round in turn: ask until that one comes back), whose kept mark would otherwise still match.
        await CommitElsewhereAsync();
        var readsBefore = reads;
        var leasedAgain = false;
        for (var i = 0; i < 2_000 && !leasedAgain; i++)
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            if (db.ContextId.InstanceId == instance)
            {
                leasedAgain = true;
                Assert.True(db.ContextId.Lease > 1);
                Assert.Equal("值" + (readsBefore + 1), await changes.ReadAsync(db, key, Read));
            }
        }

        Assert.True(leasedAgain, "the pool never handed the first context out again");
    }

    [Fact]
    public async Task A_mark_read_on_a_connection_opened_again_never_matches_one_read_before_so_what_was_remembered_is_read_again()
    {
        app.RequireAvailable();
        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();
        var key = ("reopened", Guid.NewGuid());
        var reads = 0;
        Task<string> Read() => Task.FromResult("值" + Interlocked.Increment(ref reads));
        var seen = new HashSet<long>();
        for (var round = 1; round <= 3; round++)
        {
            // The watching connection closed (as an error reading the mark closes it) and opened again by the next read:
            // its first mark is none seen before, though nothing was committed between (on SQLite each connection
            // counts data_version from its own start).
            changes.Reconnect();
            var mark = await changes.MarkAsync();
            Assert.NotNull(mark);
            Assert.True(seen.Add(mark.Value), $"round {round}: mark {mark} was read before the connection was opened again");

            // What was remembered under an earlier mark is read again. (A second read may read again too: on PostgreSQL
            // any commit in the database, the fixture's own background writes included, moves the mark.)
            var before = Volatile.Read(ref reads);
            var value = await WithDbAsync(db => changes.ReadAsync(db, key, Read));
            Assert.True(Volatile.Read(ref reads) > before, $"round {round}: the value remembered before the connection was opened again was used");
            Assert.Equal("值" + Volatile.Read(ref reads), value);
        }
    }

    [Fact]
    public async Task Callers_sharing_one_read_of_the_mark_never_get_one_older_than_their_own_arrival()
    {
        app.RequireAvailable();
        // Eight threads ask for the mark without pause while commits land from outside the pool, each noting the phase
        // when its call began and ended (even: between commits; odd: a commit under way). A call that began after a commit
        // returned must find a newer mark than every call that ended before that commit began: the shared read it waits
        // for must itself have begun after it arrived.
        var changes = app.Factory.Services.GetRequiredService<DatabaseChanges>();
        var info = app.Factory.Services.GetRequiredService<DatabaseInfo>();
        const int Commits = 30;
        var phase = 0;
        using var stop = new CancellationTokenSource();
        var askers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var seen = new List<(int Began, int Ended, long Mark)>();
            while (!stop.IsCancellationRequested)
            {
                var began = Volatile.Read(ref phase);
                var mark = await changes.MarkAsync();
                seen.Add((began, Volatile.Read(ref phase), mark ?? throw new InvalidOperationException("no mark")));
            }

            return seen;
        })).ToArray();

        for (var i = 0; i < Commits; i++)
        {
            await Task.Delay(5, Ct);
            Volatile.Write(ref phase, (2 * i) + 1);
            // A new value each time: SQLite leaves the file (and so the mark) as it was when a write changes nothing.
            await OtherProcess.WriteAsync(info, $"""INSERT INTO "AppSettings" ("Key", "Value") VALUES ('mark-race', '{i}') ON CONFLICT ("Key") DO UPDATE SET "Value" = '{i}'""");
            Volatile.Write(ref phase, (2 * i) + 2);
        }

        await Task.Delay(5, Ct);
        await stop.CancelAsync();
        var calls = (await Task.WhenAll(askers)).SelectMany(c => c).ToList();
        var newestEnded = calls.Where(c => c.Ended % 2 == 0).GroupBy(c => c.Ended).ToDictionary(g => g.Key, g => g.Max(c => c.Mark));
        var checkedCalls = 0;
        foreach (var call in calls.Where(c => c.Began > 0 && c.Began % 2 == 0))
        {
            // Began after commit (Began / 2) returned: newer than anything that ended before it began.
            if (newestEnded.TryGetValue(call.Began - 2, out var before))
            {
                checkedCalls++;
                Assert.True(call.Mark > before, $"a call begun after commit {call.Began / 2} found mark {call.Mark}, no newer than {before} seen before that commit");
            }
        }

        Assert.True(checkedCalls > 100, $"only {checkedCalls} calls were checked");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }

    private async Task<T> WithDbAsync<T>(Func<RectifyDbContext, Task<T>> work)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private async Task WithDbAsync(Func<RectifyDbContext, Task> work)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }
}

public sealed class AnswerCacheTestsOnSqlite(SqliteApp app) : AnswerCacheTests(app), IClassFixture<SqliteApp>;

public sealed class AnswerCacheTestsOnPostgres(PostgresApp app) : AnswerCacheTests(app), IClassFixture<PostgresApp>;
