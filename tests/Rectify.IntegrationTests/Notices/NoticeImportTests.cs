using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Intake;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests.Notices;

/// <summary>
/// A notice or plan (.txt in GB18030 or UTF-16, .docx with list numbering and a plan table) through the import's own
/// upload → preview → edits → confirm, on the page and through the API; a round summary recorded and never imported;
/// a refused notice writing nothing.
/// </summary>
public abstract partial class NoticeImportTests(AppFixture app)
{
    private const string Round = "十五届县委第二轮";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync(bool withAudit = true) =>
        ReadAsync(db => TableChecksum.OfAsync(db, withAudit ? [.. TableChecksum.PlanTables, typeof(RoundStatisticsRecord)] : [.. TableChecksum.PlanTables.Except([typeof(AuditEntry), typeof(AuditHead)]), typeof(RoundStatisticsRecord)], Ct));

    private async Task<HttpClient> TokenClientAsync(string userName)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, "通报导入测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<int> NewInspectionAsync(HttpClient office, string title)
    {
        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", new Dictionary<string, string>
        {
            ["Title"] = title + app.Provider,
            ["Kind"] = "Xuncha",
            ["Round"] = Round,
            ["Team"] = "县委第四巡察组",
            ["InspectedOrganizationId"] = app.InspectedOrganization,
            ["FeedbackDate"] = "2024-06-18",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return int.Parse(PlanPathRegex().Match(created.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, int inspection, byte[] bytes, string fileName)
    {
        var page = await client.GetStringAsync(new Uri($"/inspections/{inspection}/import", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent { { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        return await client.PostAsync(new Uri($"/inspections/{inspection}/import?handler=Upload", UriKind.Relative), form, Ct);
    }

    private static Task<HttpResponseMessage> ApiImportAsync(HttpClient client, int inspection, byte[] bytes, string fileName, bool preview, string? edits = null, string? round = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        if (edits is not null)
        {
            form.Add(new StringContent(edits), "edits");
        }

        if (round is not null)
        {
            form.Add(new StringContent(round), "round");
        }

        return client.PostAsync(new Uri($"/api/v1/inspections/{inspection}/import?preview={(preview ? "true" : "false")}", UriKind.Relative), form, Ct);
    }

    private static string Token(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var match = TokenRegex().Match(redirect.Headers.Location!.OriginalString);
        Assert.True(match.Success, $"no upload token in {redirect.Headers.Location}");
        return match.Groups[1].Value;
    }

    private static Task<string> PreviewAsync(HttpClient office, int id, string token) =>
        BodyAsync(office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct).Result);

    private static async Task<HttpResponseMessage> EditAsync(HttpClient office, int id, string token, string preview, string op, int finding = 0, string? split = null, string? title = null)
    {
        var fields = new Dictionary<string, string> { ["upload"] = token, ["op"] = op, ["finding"] = finding.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (split is not null)
        {
            fields["split"] = split;
        }

        if (title is not null)
        {
            fields["title"] = title;
        }

        return await office.PostFormAsync($"/inspections/{id}/import?handler=Edit", preview, fields);
    }

    /// <summary>The measures of a finding in the preview, as the page lists them (data-measure="f.m" then the text cell).</summary>
    private static List<string> MeasuresIn(string preview, int finding) =>
        [.. MeasureRowRegex().Matches(preview).Where(m => m.Groups["f"].Value == finding.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(m => m.Groups["text"].Value)];

    private async Task<List<(int Category, string CategoryTitle, int Finding, string Title, int Number, string Text, MeasureKind Kind, DateOnly? Deadline, string? Leader, string? Lead, List<string> Supporting)>> LedgerAsync(int id) =>
        (await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id)
            .Select(m => new
            {
                Category = m.Finding.Category.Number,
                CategoryTitle = m.Finding.Category.Title,
                Finding = m.Finding.Number,
                m.Finding.Title,
                m.Number,
                m.Text,
                m.Kind,
                m.Deadline,
                Leader = m.ResponsibleLeader == null ? null : m.ResponsibleLeader.Name,
                Lead = m.LeadUnit == null ? null : m.LeadUnit.Name,
                Supporting = m.SupportingUnits.Select(s => s.Organization.Name).ToList(),
            })
            .ToListAsync(Ct)))
        .OrderBy(m => m.Finding).ThenBy(m => m.Number)
        .Select(m => (m.Category, m.CategoryTitle, m.Finding, m.Title, m.Number, m.Text, m.Kind, m.Deadline, m.Leader, m.Lead, m.Supporting.Order(StringComparer.Ordinal).ToList()))
        .ToList();

    [Fact]
    public async Task A_GB18030_notice_is_previewed_with_its_notes_statistics_and_implicit_category_edited_in_every_way_and_confirmed()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "通报导入GB18030");

        var token = Token(await UploadAsync(office, id, NoticeFiles.Gb18030(NoticeFiles.TownNotice), "某某镇整改通报.txt"));
        var preview = await PreviewAsync(office, id, token);
        Assert.Contains("整改进展情况公布或整改方案", preview, StringComparison.Ordinal);
        Assert.Contains("GB18030", preview, StringComparison.Ordinal);

        // The reader's notes, at their paragraph; the implicit category, said and nameable; the statistics as figures.
        Assert.Contains("第 13 段", preview, StringComparison.Ordinal);
        Assert.Contains("下没有整改措施", preview, StringComparison.Ordinal);
        Assert.Contains("data-implicit=\"true\"", preview, StringComparison.Ordinal);
        Assert.Contains("value=\"RenameCategory\"", preview, StringComparison.Ordinal);
        Assert.Contains("id=\"statistics\"", preview, StringComparison.Ordinal);
        Assert.Contains("66.7%", preview, StringComparison.Ordinal);
        Assert.Contains("县委第四巡察组", preview, StringComparison.Ordinal);
        Assert.Equal(["对全镇12个村近三年账目开展交叉检查。", "建立村级大额支出镇级备案制度。", "每半年公开一次村级收支明细。"], MeasuresIn(preview, 1));
        Assert.Empty(MeasuresIn(preview, 3));
        var before = await ChecksumAsync();

        // Demote: "3.制定保洁员考核办法…" is a measure of finding 2; finding 4 becomes 3.
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "Demote", finding: 3)).StatusCode);
        preview = await PreviewAsync(office, id, token);
        Assert.Equal(["组织开展房前屋后清理行动，清运垃圾300余吨。同步为各村配齐保洁员。", "制定保洁员考核办法，按月评分并与报酬挂钩"], MeasuresIn(preview, 2));
        Assert.Equal(["在各村设立调解室。", "聘请法律顾问每月到村坐班。"], MeasuresIn(preview, 3));

        // Split 2.1 at the sentence the office chooses (offered in the measure's list).
        var at = "组织开展房前屋后清理行动，清运垃圾300余吨。".Length;
        Assert.Contains($"value=\"1:{at}\"", preview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "Split:1", finding: 2, split: $"1:{at}")).StatusCode);
        preview = await PreviewAsync(office, id, token);
        Assert.Equal(["组织开展房前屋后清理行动，清运垃圾300余吨。", "同步为各村配齐保洁员。", "制定保洁员考核办法，按月评分并与报酬挂钩"], MeasuresIn(preview, 2));

        // Merge 3.1 with 3.2.
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "Merge:1", finding: 3)).StatusCode);
        preview = await PreviewAsync(office, id, token);
        Assert.Equal(["在各村设立调解室。聘请法律顾问每月到村坐班。"], MeasuresIn(preview, 3));

        // Promote 1.2: a finding after finding 1, taking 1.3 with it; the findings after it move down.
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "Promote:2", finding: 1)).StatusCode);
        preview = await PreviewAsync(office, id, token);
        Assert.Equal(["对全镇12个村近三年账目开展交叉检查。"], MeasuresIn(preview, 1));
        Assert.Equal(["每半年公开一次村级收支明细。"], MeasuresIn(preview, 2));
        Assert.Equal(3, MeasuresIn(preview, 3).Count);
        Assert.Single(MeasuresIn(preview, 4));

        // Name the implicit category, and renumber.
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "RenameCategory", finding: 1, title: "关于基层治理方面")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await EditAsync(office, id, token, preview, "Renumber")).StatusCode);

        // An edit that does not fit is refused beside the preview and not kept; a refresh keeps the others.
        var refused = await EditAsync(office, id, token, preview, "Merge:1", finding: 4);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("后面没有可以合并的措施", await BodyAsync(refused), StringComparison.Ordinal);
        preview = await PreviewAsync(office, id, token);
        Assert.Contains("预览中已修改 6 处", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-implicit=\"true\"", preview, StringComparison.Ordinal);
        Assert.Contains("关于基层治理方面", preview, StringComparison.Ordinal);

        // Undo takes back the last edit only.
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFormAsync($"/inspections/{id}/import?handler=Undo", preview, new Dictionary<string, string> { ["upload"] = token })).StatusCode);
        preview = await PreviewAsync(office, id, token);
        Assert.Contains("预览中已修改 5 处", preview, StringComparison.Ordinal);

        // Nothing was written by the preview or its edits.
        Assert.Equal(before, await ChecksumAsync());

        var confirmed = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, new Dictionary<string, string> { ["upload"] = token });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var ledger = await LedgerAsync(id);
        Assert.Equal(6, ledger.Count);
        Assert.All(ledger, m => Assert.Equal("关于基层治理方面", m.CategoryTitle));
        Assert.Equal(
            ["1.1 对全镇12个村近三年账目开展交叉检查。", "2.1 每半年公开一次村级收支明细。", "3.1 组织开展房前屋后清理行动，清运垃圾300余吨。", "3.2 同步为各村配齐保洁员。", "3.3 制定保洁员考核办法，按月评分并与报酬挂钩", "4.1 在各村设立调解室。聘请法律顾问每月到村坐班。"],
            ledger.Select(m => $"{m.Finding}.{m.Number} {m.Text}").ToList());
        Assert.Equal("建立村级大额支出镇级备案制度。", ledger.Single(m => m.Finding == 2).Title);

        // A notice states no deadline: the plan is a draft that 报审 later asks to complete.
        Assert.All(ledger, m => Assert.Null(m.Deadline));
        Assert.Equal(PlanState.Drafting, await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.PlanState).SingleAsync(Ct)));
    }

    [Fact]
    public async Task A_UTF16_notice_and_a_docx_plan_go_through_the_API_with_edits_and_the_plan_tables_fields()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        using var api = await TokenClientAsync("office");

        // UTF-16 notice: preview, then confirm with a demotion, in one request each.
        var id = await NewInspectionAsync(office, "通报导入UTF16");
        var previewed = await ApiImportAsync(api, id, NoticeFiles.Utf16(NoticeFiles.TownNotice), "通报.txt", preview: true);
        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        var view = (await previewed.Content.ReadFromJsonAsync<ImportPreviewView>(Http.Json, Ct))!;
        Assert.Equal(IntakeKind.Notice, view.Kind);
        Assert.True(view.Categories.Single().IsImplicit);
        Assert.Equal(66.7m, view.Statistics!.CompletionRate);
        Assert.Contains(view.Problems, p => p.Paragraph == 13 && p.Cell == "第 13 段");
        Assert.Equal(4, view.Categories.Single().Findings.Count);

        var created = await ApiImportAsync(api, id, NoticeFiles.Utf16(NoticeFiles.TownNotice), "通报.txt", preview: false, edits: """[{"kind":"Demote","finding":3}]""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ledger = await LedgerAsync(id);
        Assert.Equal([3, 2, 2], ledger.GroupBy(m => m.Finding).Select(g => g.Count()).ToList());
        Assert.Equal("制定保洁员考核办法，按月评分并与报酬挂钩", ledger.Single(m => m.Finding == 2 && m.Number == 2).Text);

        // A .docx plan: Word list numbering and a table; the table's leader, units, kind and deadline read as a ledger's.
        var plan = await NewInspectionAsync(office, "方案导入docx");
        var docPreview = (await (await ApiImportAsync(api, plan, NoticeFiles.BureauPlan(), "整改方案.docx", preview: true, edits: """[{"kind":"Split","finding":2,"measure":2,"at":18}]""")).Content.ReadFromJsonAsync<ImportPreviewView>(Http.Json, Ct))!;
        Assert.Equal(["关于食品安全监管方面", "关于队伍作风建设方面"], docPreview.Categories.Select(c => c.Title).ToList());
        Assert.Equal(["每月抽查执法音像记录，通报抽查结果。", "将抽查结果纳入年度考核。"], docPreview.Categories[1].Findings[0].Measures.Skip(1).Select(m => m.Text).ToList());
        var done = await ApiImportAsync(api, plan, NoticeFiles.BureauPlan(), "整改方案.docx", preview: false, edits: """[{"kind":"Split","finding":2,"measure":2,"at":18}]""");
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        var measures = await LedgerAsync(plan);
        Assert.Equal(6, measures.Count);
        var first = measures.Single(m => m.Finding == 1 && m.Number == 1);
        Assert.Equal((MeasureKind.TimeBound, new DateOnly(2024, 12, 31), "陈某某", "食品安全科"), (first.Kind, first.Deadline, first.Leader, first.Lead));
        Assert.Equal(["各市场监管所"], first.Supporting);
        Assert.Equal(MeasureKind.Ongoing, measures.Single(m => m.Finding == 1 && m.Number == 2).Kind);
        var training = measures.Single(m => m.Finding == 2 && m.Number == 1);
        Assert.Equal((MeasureKind.Immediate, new DateOnly(2024, 9, 30), "法规科"), (training.Kind, training.Deadline, training.Lead));
        Assert.Equal(["各市场监管所", "政治处"], training.Supporting);
        Assert.Equal(new DateOnly(2024, 10, 31), measures.Single(m => m.Finding == 3).Deadline);
        Assert.Equal("消费者权益保护科", measures.Single(m => m.Finding == 3).Lead);
    }

    [Fact]
    public async Task A_docx_plan_is_uploaded_on_the_page_previewed_with_its_table_and_confirmed()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "方案页面docx");
        var token = Token(await UploadAsync(office, id, NoticeFiles.BureauPlan(), "整改方案.docx"));
        var preview = await PreviewAsync(office, id, token);
        Assert.Contains("陈某某", preview, StringComparison.Ordinal);
        Assert.Contains("政治处、各市场监管所", preview, StringComparison.Ordinal);
        Assert.Contains("2024-09-30", preview, StringComparison.Ordinal);
        Assert.Contains("立行立改", preview, StringComparison.Ordinal);
        var confirmed = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, new Dictionary<string, string> { ["upload"] = token });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(5, (await LedgerAsync(id)).Count);
        Assert.Contains("整改方案.docx", await ReadAsync(db => db.AuditEntries.Where(e => e.Action == "ledger.import" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.After).SingleAsync(Ct)) ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_summary_is_recorded_against_the_round_shown_on_the_inspection_and_never_imported()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        using var api = await TokenClientAsync("office");
        var id = await NewInspectionAsync(office, "综合通报");
        var bytes = Encoding.UTF8.GetBytes(NoticeFiles.RoundSummary);

        var token = Token(await UploadAsync(office, id, bytes, "第二轮综合通报.txt"));
        var preview = await PreviewAsync(office, id, token);
        Assert.Contains("综合情况通报", preview, StringComparison.Ordinal);
        Assert.Contains("93.9%", preview, StringComparison.Ordinal);
        Assert.Contains("handler=RecordRound", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Confirm", preview, StringComparison.Ordinal);

        // Confirming it as findings is refused, through the page and the API, writing nothing.
        var before = await ChecksumAsync(withAudit: false);
        var refused = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, new Dictionary<string, string> { ["upload"] = token });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("综合情况通报", await BodyAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiImportAsync(api, id, bytes, "综合通报.txt", preview: false)).StatusCode);
        Assert.Equal(before, await ChecksumAsync(withAudit: false));

        var recorded = await office.PostFormAsync($"/inspections/{id}/import?handler=RecordRound", preview, new Dictionary<string, string> { ["upload"] = token });
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var record = await ReadAsync(db => db.Set<RoundStatisticsRecord>().SingleAsync(r => r.InspectionId == id, Ct));
        Assert.Equal((Round, 148, 139, 93.9m, 503, "第二轮综合通报.txt"), (record.Round, record.Problems, record.Completed, record.CompletionRate, record.Measures, record.SourceFile));
        Assert.Equal(0, await ReadAsync(db => db.Findings.CountAsync(f => f.InspectionId == id, Ct)));
        Assert.Equal(1, await ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == "round.statistics" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)));

        var page = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}", UriKind.Relative), Ct));
        Assert.Contains("id=\"round-statistics\"", page, StringComparison.Ordinal);
        Assert.Contains("反馈问题148个", page, StringComparison.Ordinal);
        Assert.Contains(Round, page, StringComparison.Ordinal);

        // Through the API as well, with round=record.
        Assert.Equal(HttpStatusCode.Created, (await ApiImportAsync(api, id, bytes, "综合通报.txt", preview: false, round: "record")).StatusCode);
        Assert.Equal(2, await ReadAsync(db => db.Set<RoundStatisticsRecord>().CountAsync(r => r.InspectionId == id, Ct)));
        Assert.Equal(0, await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct)));
    }

    [Fact]
    public async Task A_refused_or_failed_notice_import_leaves_the_database_unchanged()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        using var api = await TokenClientAsync("office");
        var id = await NewInspectionAsync(office, "通报拒绝");
        var before = await ChecksumAsync();

        // Word 97-2003 and WPS files are refused with how to convert them; so is a text that is not a notice.
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0];
        foreach (var name in new[] { "整改方案.doc", "整改方案.wps" })
        {
            var doc = await UploadAsync(office, id, ole, name);
            Assert.Equal(HttpStatusCode.BadRequest, doc.StatusCode);
            Assert.Contains("另存为", await BodyAsync(doc), StringComparison.Ordinal);
        }

        var prose = await UploadAsync(office, id, Encoding.UTF8.GetBytes("会议通知\n请各单位于周五下午三点到三楼会议室参加安全生产会议。\n"), "通知.txt");
        Assert.Equal(HttpStatusCode.BadRequest, prose.StatusCode);
        Assert.Contains("没有从文件中读出问题和整改措施", await BodyAsync(prose), StringComparison.Ordinal);
        Assert.Equal(before, await ChecksumAsync());

        // Through the API (each token request is audited, so the plan's tables are compared without the trail).
        before = await ChecksumAsync(withAudit: false);
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiImportAsync(api, id, ole, "整改方案.doc", preview: false)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiImportAsync(api, id, NoticeFiles.Gb18030(NoticeFiles.TownNotice), "通报.txt", preview: false, edits: """[{"kind":"Merge","finding":4,"measure":2}]""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiImportAsync(api, id, NoticeFiles.Gb18030(NoticeFiles.TownNotice), "通报.txt", preview: false, edits: "不是 JSON")).StatusCode);
        Assert.Equal(before, await ChecksumAsync(withAudit: false));

        // The leader may not import: refused before the file is read.
        using var leader = await TokenClientAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiImportAsync(leader, id, NoticeFiles.BureauPlan(), "整改方案.docx", preview: false)).StatusCode);
        Assert.Equal(before, await ChecksumAsync(withAudit: false));
    }

    [GeneratedRegex(@"/inspections/(\d+)/plan")]
    private static partial Regex PlanPathRegex();

    [GeneratedRegex(@"[?&]upload=([0-9a-f]{32})")]
    private static partial Regex TokenRegex();

    [GeneratedRegex("""data-measure="(?<f>\d+)\.(?<m>\d+)"[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td class="measure-text">(?<text>[^<]*)</td>""")]
    private static partial Regex MeasureRowRegex();
}

public sealed class NoticeImportTestsOnSqlite(SqliteApp app) : NoticeImportTests(app), IClassFixture<SqliteApp>;

public sealed class NoticeImportTestsOnPostgres(PostgresApp app) : NoticeImportTests(app), IClassFixture<PostgresApp>;
