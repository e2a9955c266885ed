using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Inspections;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// 督办 end to end on a fake clock: an extension asked for, reviewed and approved, with both dates on the measure page,
/// the ledger (page, API), the export and the overview; overdue judged against the revised date; the 督办 ladder —
/// a 督办单 issued, replied to and closed, a reply going overdue, a 约谈 recorded — counted on the overview.
/// </summary>
public abstract class DubanTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    /// <summary>The document's paragraphs as text, empty ones left out.</summary>
    private static List<string> DocxLines(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return [.. doc.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0)];
    }

    private async Task<(int LeadUnitId, DateOnly? Deadline, string Text)> MeasureAsync(int id)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await db.Measures.Where(m => m.Id == id).Select(m => new ValueTuple<int, DateOnly?, string>(m.LeadUnitId!.Value, m.Deadline, m.Text)).SingleAsync(Ct);
    }

    private async Task<int> ExtensionOfAsync(int measureId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await db.DeadlineExtensions.Where(e => e.MeasureId == measureId).OrderByDescending(e => e.Number).Select(e => e.Id).FirstAsync(Ct);
    }

    [Fact]
    public async Task An_extension_is_requested_reviewed_and_approved_and_both_dates_show_everywhere()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[0];
        var page = $"/measures/{id}";
        var (_, original, text) = await MeasureAsync(id);
        Assert.NotNull(original);
        var today = ChinaTime.Today(app.Clock!);
        var revised = (original > today ? original.Value : today).AddDays(45);

        using var unit = await app.SignedInAsync("unit");
        var before = await GetJsonAsync(unit, $"/api/v1/measures/{id}");
        var lateBefore = original < today;
        Assert.Equal(lateBefore ? "PastDeadline" : "None", before.GetProperty("overdueReason").GetString());

        // Not a later date: refused, nothing written.
        var refused = await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = Day(original.Value), ["extensionReason"] = "理由" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync(Ct));
        var said = Assert.Single(shown.QuerySelectorAll(".error-box"), e => e.TextContent.Contains("须晚于现在的整改时限", StringComparison.Ordinal));

        // Said once, beside the form, with what was typed kept.
        Assert.Equal("extensions", said.PreviousElementSibling?.Id);
        Assert.Equal(Day(original.Value), shown.QuerySelector(".extension-form input[name=requestedDeadline]")?.GetAttribute("value"));
        Assert.Equal("理由", shown.QuerySelector(".extension-form textarea[name=extensionReason]")?.TextContent);

        // A day that does not exist (typed where the browser has no date picker): refused beside the form, the reason kept.
        var noSuchDay = await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = "2027-02-30", ["extensionReason"] = "需协调市级部门" });
        Assert.Equal(HttpStatusCode.BadRequest, noSuchDay.StatusCode);
        var noSuchDayPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await noSuchDay.Content.ReadAsStringAsync(Ct));
        var dateSaid = Assert.Single(noSuchDayPage.QuerySelectorAll(".error-box"));
        Assert.Contains("日期“2027-02-30”不存在：2027 年 2 月只有 28 天。", dateSaid.TextContent, StringComparison.Ordinal);
        Assert.Equal("extensions", dateSaid.PreviousElementSibling?.Id);
        Assert.Equal("需协调市级部门", noSuchDayPage.QuerySelector(".extension-form textarea[name=extensionReason]")?.TextContent);
        Assert.Equal(("2027-02-30", "text"), (noSuchDayPage.QuerySelector(".extension-form input[name=requestedDeadline]")?.GetAttribute("value"), noSuchDayPage.QuerySelector(".extension-form input[name=requestedDeadline]")?.GetAttribute("type")));
        Assert.False(await app.ReadAsync(db => db.DeadlineExtensions.AnyAsync(e => e.MeasureId == id, Ct)));
        using (var notTheirs = await app.SignedInAsync("leader"))
        {
            // Who may not ask is told so first, whatever date they typed.
            Assert.Equal(HttpStatusCode.Forbidden, (await notTheirs.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = "2027-02-30", ["extensionReason"] = "理由" })).StatusCode);
        }

        // A request asked for the wrong date is taken back by the unit while it waits for the office (not by the office),
        // and the unit asks again.
        Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = Day(revised.AddDays(300)), ["extensionReason"] = "日期填错了" })).StatusCode);
        var wrong = new Dictionary<string, string> { ["extensionId"] = (await ExtensionOfAsync(id)).ToString(CultureInfo.InvariantCulture), ["decision"] = "withdraw" };
        Assert.Contains("撤回这次申请", await unit.GetStringAsync(new Uri(page, UriKind.Relative), Ct), StringComparison.Ordinal);
        using (var officeFirst = await app.SignedInAsync("office"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await officeFirst.PostFromPageAsync(page, page + "?handler=ExtensionStep", wrong)).StatusCode);
        }

        var withdrawn = await unit.FollowedAsync(await unit.PostFromPageAsync(page, page + "?handler=ExtensionStep", wrong));
        Assert.Contains("已撤回第 1 次延期申请。", await withdrawn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(ExtensionState.Withdrawn, await app.ReadAsync(db => db.DeadlineExtensions.Where(e => e.MeasureId == id && e.Number == 1).Select(e => e.State).SingleAsync(Ct)));
        Assert.Equal(HttpStatusCode.Conflict, (await unit.PostFromPageAsync(page, page + "?handler=ExtensionStep", wrong)).StatusCode);

        // The same through the API, with the unit's own token.
        Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = Day(revised.AddDays(200)), ["extensionReason"] = "又填错了" })).StatusCode);
        var second = await ExtensionOfAsync(id);
        using (var officeToken = await app.Client().WithTokenAsync(app.Factory.Services, "office", "撤回"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await officeToken.PostAsync(new Uri($"/api/v1/extensions/{second}/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
        }

        using (var unitToken = await app.Client().WithTokenAsync(app.Factory.Services, "unit", "撤回"))
        {
            Assert.Equal(HttpStatusCode.OK, (await unitToken.PostAsync(new Uri($"/api/v1/extensions/{second}/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await unitToken.PostAsync(new Uri($"/api/v1/extensions/{second}/withdrawal", UriKind.Relative), null, Ct)).StatusCode);
            Assert.Equal("Withdrawn", (await GetJsonAsync(unitToken, $"/api/v1/measures/{id}/extensions")).EnumerateArray().First().GetProperty("state").GetString());

            // A day that does not exist, sent to the API, is named as such (not "fill in the date"); nothing is written.
            using var impossible = new MultipartFormDataContent { { new StringContent("2027-02-30"), "requestedDeadline" }, { new StringContent("理由"), "reason" } };
            var notADay = await unitToken.PostAsync(new Uri($"/api/v1/measures/{id}/extensions", UriKind.Relative), impossible, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, notADay.StatusCode);
            Assert.Contains("2027 年 2 月只有 28 天", await notADay.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(2, await app.ReadAsync(db => db.DeadlineExtensions.CountAsync(e => e.MeasureId == id, Ct)));
        }

        var asked = await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = Day(revised), ["extensionReason"] = "需协调市级部门，时间不足" });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var extension = await ExtensionOfAsync(id);

        // A second request while one is open is refused.
        var twice = await unit.PostFromPageAsync(page, page + "?handler=Extension", new Dictionary<string, string> { ["requestedDeadline"] = Day(revised.AddDays(1)), ["extensionReason"] = "再次" });
        Assert.NotEqual(HttpStatusCode.Redirect, twice.StatusCode);

        // The unit cannot approve its own request; the leader cannot approve before the office has reviewed it.
        var step = new Dictionary<string, string> { ["extensionId"] = extension.ToString(CultureInfo.InvariantCulture), ["decision"] = "approve" };
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostFromPageAsync(page, page + "?handler=ExtensionStep", step)).StatusCode);
        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Conflict, (await leader.PostFromPageAsync(page, page + "?handler=ExtensionStep", step)).StatusCode);

        using var office = await app.SignedInAsync("office");
        Assert.Contains($"/measures/{id}", await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
        var forwarded = await office.PostFromPageAsync(page, page + "?handler=ExtensionStep", new Dictionary<string, string> { ["extensionId"] = step["extensionId"], ["decision"] = "forward" });
        Assert.Equal(HttpStatusCode.Redirect, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostFromPageAsync(page, page + "?handler=ExtensionStep", step)).StatusCode);
        Assert.Contains("待审批的延期申请", await leader.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await leader.PostFromPageAsync(page, page + "?handler=ExtensionStep", step)).StatusCode);

        // The measure: the revised deadline, the original kept, one extension, a new version, no longer late.
        var after = await GetJsonAsync(office, $"/api/v1/measures/{id}");
        Assert.Equal(Day(revised), after.GetProperty("deadline").GetString());
        Assert.Equal(Day(original.Value), after.GetProperty("originalDeadline").GetString());
        Assert.Equal(1, after.GetProperty("extensionCount").GetInt32());
        Assert.Equal("None", after.GetProperty("overdueReason").GetString());
        Assert.Equal("Extended", after.GetProperty("revisions").EnumerateArray().Last().GetProperty("kind").GetString());
        var html = await office.GetStringAsync(new Uri(page, UriKind.Relative), Ct);
        Assert.Contains("原整改时限", html, StringComparison.Ordinal);
        Assert.Contains(Day(original.Value), html, StringComparison.Ordinal);
        Assert.Contains(Day(revised), html, StringComparison.Ordinal);

        // The ledger: API and page.
        var ledger = (await office.GetFromJsonAsync<LedgerPage>($"/api/v1/inspections/{app.InspectionId}/ledger?pageSize=500", Http.Json, Ct))!;
        var row = ledger.Rows.Single(r => r.MeasureId == id);
        Assert.Equal((revised, original, 1), (row.Deadline!.Value, row.OriginalDeadline, row.ExtensionCount));
        Assert.Equal(1, ledger.Rows.Count(r => r.ExtensionCount > 0));
        var ledgerPage = await office.GetStringAsync(new Uri($"/inspections/{app.InspectionId}?unit={(await MeasureAsync(id)).LeadUnitId}", UriKind.Relative), Ct);
        var rowHtml = ledgerPage[ledgerPage.IndexOf($"data-measure-id=\"{id}\"", StringComparison.Ordinal)..];
        rowHtml = rowHtml[..rowHtml.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("data-extensions=\"1\"", rowHtml, StringComparison.Ordinal);
        Assert.Contains(Day(original.Value), rowHtml, StringComparison.Ordinal);
        Assert.Contains(Day(revised), rowHtml, StringComparison.Ordinal);

        // The export: 完成时限 is the revised date, 原整改时限 and 延期次数 beside it.
        var download = await office.GetAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/ledger.xlsx", UriKind.Relative), Ct);
        var sheet = Xlsx.ReadFirstSheet(await download.Content.ReadAsByteArrayAsync(Ct), fillMerged: true);
        var header = sheet[LedgerExport.HeaderRow - 1];
        var exported = sheet.Skip(LedgerExport.HeaderRow).Where(r => r.Count > header.IndexOf("延期次数") && r[header.IndexOf("延期次数")] == "1").ToList();
        var only = Assert.Single(exported);
        Assert.Equal(text, only[header.IndexOf("整改措施")]);
        Assert.Equal(Day(revised), only[header.IndexOf("完成时限")]);
        Assert.Equal(Day(original.Value), only[header.IndexOf("原整改时限")]);

        // The overview counts the extended measure; the audit trail has every step.
        var overview = await GetJsonAsync(office, $"/api/v1/inspections/{app.InspectionId}/overview");
        Assert.Equal(1, overview.GetProperty("extendedMeasures").GetInt32());
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var actions = await db.AuditEntries.Where(e => e.Action.StartsWith("extension.")).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(["extension.approve", "extension.forward", "extension.request", "extension.request", "extension.request", "extension.withdraw", "extension.withdraw"], actions.Order(StringComparer.Ordinal));
    }

    /// <summary>The option values of the form's select of that name, and which are selected.</summary>
    private static List<(int Value, bool Selected)> Options(string html, string select)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<select name=\"{select}\"[^>]*>(.*?)</select>", System.Text.RegularExpressions.RegexOptions.Singleline);
        return !match.Success ? [] : [.. System.Text.RegularExpressions.Regex.Matches(match.Groups[1].Value, "<option value=\"(\\d+)\"( selected=\"selected\")?")
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Success))];
    }

    [Fact]
    public async Task The_form_lists_only_the_chosen_units_measures_and_a_keyword_narrows_them()
    {
        app.RequireAvailable();
        var list = $"/inspections/{app.InspectionId}/supervision";
        using var office = await app.SignedInAsync("office");
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var byUnit = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnitId != null && m.WithdrawnAtUtc == null)
            .GroupBy(m => m.LeadUnitId!.Value).Select(g => new { Unit = g.Key, Ids = g.Select(m => m.Id).ToList() }).ToListAsync(Ct);
        var unit = byUnit.OrderByDescending(u => u.Ids.Count).First();

        // No unit chosen: the units with their counts, no measure listed.
        var plain = await office.GetStringAsync(new Uri(list, UriKind.Relative), Ct);
        Assert.Equal(byUnit.Select(u => u.Unit).Order(), Options(plain, "unit").Select(o => o.Value).Order());
        Assert.Empty(Options(plain, "measureIds"));
        Assert.Contains("先在上方选择责任单位", plain, StringComparison.Ordinal);

        // A unit chosen: its measures and no other.
        var ofUnit = await office.GetStringAsync(new Uri($"{list}?unit={unit.Unit}", UriKind.Relative), Ct);
        Assert.Equal(unit.Ids.Order(), Options(ofUnit, "measureIds").Select(o => o.Value).Order());
        // The form names the unit listed rather than asking for it again; it posts that unit.
        var ofUnitPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(ofUnit);
        Assert.Empty(ofUnitPage.QuerySelectorAll("form.supervision-form select[name=unitId]"));
        Assert.Equal(unit.Unit.ToString(CultureInfo.InvariantCulture), ofUnitPage.QuerySelector("form.supervision-form input[type=hidden][name=unitId]")?.GetAttribute("value"));
        Assert.NotNull(ofUnitPage.QuerySelector("form.supervision-form [data-chosen-unit]"));
        Assert.NotEmpty(Options(plain, "unitId"));

        // A keyword narrows them; one matching nothing says so.
        var one = unit.Ids[0];
        var text = await db.Measures.Where(m => m.Id == one).Select(m => m.Text).SingleAsync(Ct);
        var keyword = text.Substring(text.Length / 2, Math.Min(8, text.Length - (text.Length / 2)));
        var expected = await db.Measures.Where(m => unit.Ids.Contains(m.Id) && m.Text.Contains(keyword)).Select(m => m.Id).ToListAsync(Ct);
        var narrowed = await office.GetStringAsync(new Uri($"{list}?unit={unit.Unit}&q={Uri.EscapeDataString(keyword)}", UriKind.Relative), Ct);
        Assert.Equal(expected.Order(), Options(narrowed, "measureIds").Select(o => o.Value).Order());
        Assert.Contains("没有符合关键词的措施", await office.GetStringAsync(new Uri($"{list}?unit={unit.Unit}&q=%E2%80%BB%E2%80%BB%E2%80%BB", UriKind.Relative), Ct), StringComparison.Ordinal);

        // From a measure's page: its unit chosen and the measure selected.
        var preselected = await office.GetStringAsync(new Uri($"{list}?measure={one}", UriKind.Relative), Ct);
        Assert.Contains(Options(preselected, "measureIds"), o => o.Value == one && o.Selected);

        // Another organization's unit lists nothing.
        var other = await db.Inspections.Where(i => i.Id == app.OtherInspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct);
        Assert.Empty(Options(await office.GetStringAsync(new Uri($"{list}?unit={other}", UriKind.Relative), Ct), "measureIds"));
    }

    /// <summary>
    /// 机关代字: whoever issues 督办单 sets the code its numbers start with (GB/T 9704's 发文字号); the next number is shown
    /// before it is taken, a code that would misread is refused, and a unit may not set one.
    /// </summary>
    [Fact]
    public async Task The_issuer_sets_its_document_code_and_its_next_duban_is_numbered_with_it()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[2];
        var (unitId, _, _) = await MeasureAsync(id);
        var today = ChinaTime.Today(app.Clock!);
        var list = $"/inspections/{app.InspectionId}/supervision";
        using var inspector = await app.SignedInAsync("inspector");
        Task<HttpResponseMessage> SetAsync(HttpClient client, string code) =>
            client.PostFromPageAsync(list, list + "?handler=DocumentCode", new Dictionary<string, string> { ["code"] = code });

        // Refused: spaces, brackets, a trailing digit, too long; what was typed stays in the field.
        foreach (var bad in new[] { "市委 七巡督", "市委七巡督〔", "七巡督2", new string('督', Organization.MaxDocumentCode + 1) })
        {
            var refused = await SetAsync(inspector, bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Contains("机关代字应为", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{bad}\"", html, StringComparison.Ordinal);
        }

        using (var unit = await app.SignedInAsync("unit"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync(unit, "纪检督")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(inspector, " 市委七巡督 ")).StatusCode);
        var page = WebUtility.HtmlDecode(await inspector.GetStringAsync(new Uri(list, UriKind.Relative), Ct));
        Assert.Contains($"下一份督办单的编号：市委七巡督〔{today.Year}〕1号", page, StringComparison.Ordinal);

        var issued = await inspector.PostFromPageAsync(list, list, new Dictionary<string, string>
        {
            ["kind"] = "Duban", ["unitId"] = unitId.ToString(CultureInfo.InvariantCulture), ["measureIds"] = id.ToString(CultureInfo.InvariantCulture),
            ["title"] = "整改进度滞后", ["content"] = "该措施进度滞后于方案要求。", ["requirement"] = "说明原因", ["replyDue"] = Day(today.AddDays(5)),
        });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var notice = issued.Headers.Location!.OriginalString;
        Assert.Equal($"市委七巡督〔{today.Year}〕1号", (await GetJsonAsync(inspector, "/api/v1" + notice)).GetProperty("documentNumber").GetString());

        // Cleared: the next is 督办〔年〕2号 again; the one issued keeps its number. The change is audited.
        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(inspector, string.Empty)).StatusCode);
        Assert.Contains($"下一份督办单的编号：督办〔{today.Year}〕2号", WebUtility.HtmlDecode(await inspector.GetStringAsync(new Uri(list, UriKind.Relative), Ct)), StringComparison.Ordinal);
        Assert.Equal($"市委七巡督〔{today.Year}〕1号", (await GetJsonAsync(inspector, "/api/v1" + notice)).GetProperty("documentNumber").GetString());
        Assert.Equal(2, await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Audit.AuditActions.DocumentCodeSet, Ct)));

        // Replied and closed, so that the inspection's open 督办单 are as the other tests of the class expect, whichever runs first.
        using (var unit = await app.SignedInAsync("unit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync(notice, notice + "?handler=Reply", new Dictionary<string, string> { ["reply"] = "已说明原因。" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await inspector.PostFromPageAsync(notice, notice + "?handler=Close", new Dictionary<string, string> { ["decision"] = "close", ["note"] = "同意办结" })).StatusCode);
        Assert.Equal("Closed", (await GetJsonAsync(inspector, "/api/v1" + notice)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_office_issues_a_duban_the_unit_replies_the_office_closes_it_and_the_overview_counts_it()
    {
        app.RequireAvailable();
        var id = app.UnitMeasuresInProgress[1];
        var (unitId, _, _) = await MeasureAsync(id);
        var today = ChinaTime.Today(app.Clock!);
        var list = $"/inspections/{app.InspectionId}/supervision";
        using var office = await app.SignedInAsync("office");
        var fields = new Dictionary<string, string>
        {
            ["kind"] = "Duban",
            ["unitId"] = unitId.ToString(CultureInfo.InvariantCulture),
            ["measureIds"] = id.ToString(CultureInfo.InvariantCulture),
            ["title"] = "整改进度滞后",
            ["content"] = "该措施进度明显滞后于方案要求。",
            ["requirement"] = "说明滞后原因和下一步安排",
            ["replyDue"] = Day(today.AddDays(5)),
        };

        // Without a reply deadline: refused, nothing written.
        var refused = await office.PostFromPageAsync(list, list, fields.Where(f => f.Key != "replyDue"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("请填写回复期限", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var leader = await app.SignedInAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostFromPageAsync(list, list, fields)).StatusCode);

        var issued = await office.PostFromPageAsync(list, list, fields);
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var notice = issued.Headers.Location!.OriginalString;
        Assert.StartsWith("/supervision/", notice, StringComparison.Ordinal);
        var detail = await GetJsonAsync(office, "/api/v1" + notice);
        Assert.Equal($"督办〔{today.Year}〕1号", detail.GetProperty("documentNumber").GetString());
        Assert.Equal("Open", detail.GetProperty("state").GetString());
        Assert.Equal(id, detail.GetProperty("measures")[0].GetProperty("measureId").GetInt32());

        // The 督办单 as a 公文: its number, the title naming the matter, the unit as addressee, the four parts, the issuer and the day.
        var docx = await office.GetAsync(new Uri(notice + "?handler=Docx", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"督办〔{today.Year}〕1号.docx", docx.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        var lines = DocxLines(await docx.Content.ReadAsByteArrayAsync(Ct));
        var unitName = detail.GetProperty("unit").GetString()!;
        Assert.Equal($"督办〔{today.Year}〕1号", lines[0]);
        Assert.Equal("关于整改进度滞后的督办单", lines[1]);
        Assert.Equal(unitName + "：", lines[2]);
        var (finding, number) = (detail.GetProperty("measures")[0].GetProperty("findingNumber").GetInt32(), detail.GetProperty("measures")[0].GetProperty("number").GetInt32());
        var order = new[] { "一、督办事项", "该措施进度明显滞后于方案要求。", "二、涉及的整改措施", $"1.措施{finding}.{number}：", "三、办理要求", "说明滞后原因和下一步安排", "四、回复期限", $"请于{today.AddDays(5).Year}年{today.AddDays(5).Month}月{today.AddDays(5).Day}日前在巡察整改管理系统中回复办理情况" };
        var at = order.Select(o => lines.FindIndex(l => l.StartsWith(o, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, at);
        Assert.Equal(at.Order(), at);
        Assert.Equal([detail.GetProperty("issuer").GetString()!, $"{today.Year}年{today.Month}月{today.Day}日"], lines[^2..]);

        // Issued as it was: the measure renumbered, reworded and given a new 整改时限 afterwards changes neither the page,
        // the API nor the document.
        var issuedMeasure = detail.GetProperty("measures")[0];
        var (issuedText, issuedDeadline) = (issuedMeasure.GetProperty("text").GetString()!, issuedMeasure.GetProperty("deadline").GetString());
        async Task ChangeMeasureAsync(Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Measure>> change)
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await db.Measures.Where(m => m.Id == id).ExecuteUpdateAsync(change, Ct);
            await ContentVersion.BumpAsync(db, Ct);
        }

        var was = await app.ReadAsync(db => db.Measures.Where(m => m.Id == id).Select(m => new { m.Text, m.Deadline }).SingleAsync(Ct));
        await ChangeMeasureAsync(s => s.SetProperty(m => m.Number, m => m.Number + 50).SetProperty(m => m.Text, "督办后改写的措施表述").SetProperty(m => m.Deadline, today.AddYears(1)));
        var later = (await GetJsonAsync(office, "/api/v1" + notice)).GetProperty("measures")[0];
        Assert.Equal((finding, number, issuedText, issuedDeadline), (later.GetProperty("findingNumber").GetInt32(), later.GetProperty("number").GetInt32(), later.GetProperty("text").GetString()!, later.GetProperty("deadline").GetString()));
        var page = WebUtility.HtmlDecode(await office.GetStringAsync(new Uri(notice, UriKind.Relative), Ct));
        Assert.Contains($"{finding}.{number}</a> {issuedText}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("督办后改写的措施表述", page, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"issuer\">{detail.GetProperty("issuer").GetString()}</dd>", page, StringComparison.Ordinal); // whose sequence the number is in
        Assert.Contains(DocxLines(await office.GetByteArrayAsync(new Uri(notice + "?handler=Docx", UriKind.Relative), Ct)), l => l.StartsWith($"1.措施{finding}.{number}：{issuedText}", StringComparison.Ordinal));
        await ChangeMeasureAsync(s => s.SetProperty(m => m.Number, m => m.Number - 50).SetProperty(m => m.Text, was.Text).SetProperty(m => m.Deadline, was.Deadline));

        // The unit it is addressed to may download it too; the system administrator (who opens no ledger) may not.
        using (var addressee = await app.SignedInAsync("unit"))
        {
            Assert.Equal(HttpStatusCode.OK, (await addressee.GetAsync(new Uri(notice + "?handler=Docx", UriKind.Relative), Ct)).StatusCode);
        }

        using (var stranger = await app.SignedInAsync("admin"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri(notice + "?handler=Docx", UriKind.Relative), Ct)).StatusCode);
        }

        var second = await office.PostFromPageAsync(list, list, fields);
        var secondNotice = second.Headers.Location!.OriginalString;
        Assert.Equal($"督办〔{today.Year}〕2号", (await GetJsonAsync(office, "/api/v1" + secondNotice)).GetProperty("documentNumber").GetString());

        var counts = (await GetJsonAsync(office, $"/api/v1/inspections/{app.InspectionId}/overview")).GetProperty("supervision");
        Assert.Equal((2, 0), (counts.GetProperty("openDuban").GetInt32(), counts.GetProperty("repliesOverdue").GetInt32()));

        // The unit sees it in 待办 and replies; the office closes it.
        using var unit = await app.SignedInAsync("unit");
        var work = await unit.GetStringAsync(new Uri("/work", UriKind.Relative), Ct);
        Assert.Contains("待回复的督办单", work, StringComparison.Ordinal);
        Assert.Contains($"href=\"{notice}\"", work, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await unit.PostFromPageAsync(notice, notice + "?handler=Reply", new Dictionary<string, string> { ["reply"] = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await unit.PostFromPageAsync(notice, notice + "?handler=Reply", new Dictionary<string, string> { ["reply"] = "已召开专题会，本月底前完成。" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostFromPageAsync(notice, notice + "?handler=Close", new Dictionary<string, string> { ["decision"] = "close" })).StatusCode);
        Assert.Contains("已回复、待办结的督办单", await office.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);
        // Sent back for its report; the unit replies again with the report attached (the page's multipart form).
        // The reason reaches the unit's inbox as the record keeps it: without the direction-changing character typed into it.
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(notice, notice + "?handler=Close", new Dictionary<string, string> { ["decision"] = "return", ["note"] = "请附\u202E整改情况报告" })).StatusCode);
        var unitUser = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.Id).SingleAsync(Ct));
        var returned = await app.ReadAsync(db => db.Notifications.Where(n => n.RecipientUserId == unitUser && n.Kind == "DubanReplyReturned" && n.Channel == NotificationChannel.InApp).Select(n => n.Body).ToListAsync(Ct));
        Assert.Contains("理由：请附整改情况报告", Assert.Single(returned), StringComparison.Ordinal);
        var pdf = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% 督办回复 {Guid.NewGuid()}\n%%EOF\n");
        MultipartFormDataContent Reply(string page, byte[] file)
        {
            var form = new MultipartFormDataContent();
            form.Add(new StringContent("已召开专题会，本月底前完成，附整改情况报告。"), "reply");
            form.Add(new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken");
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(part, "replyFile", "整改情况报告.pdf");
            return form;
        }

        // An empty file is refused in words (not dropped), and the notice still waits for its reply.
        using (var empty = Reply(await unit.GetStringAsync(new Uri(notice, UriKind.Relative), Ct), []))
        {
            var refusedEmpty = await unit.PostAsync(new Uri(notice + "?handler=Reply", UriKind.Relative), empty, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refusedEmpty.StatusCode);
            Assert.Contains("空文件", await refusedEmpty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("Open", (await GetJsonAsync(office, "/api/v1" + notice)).GetProperty("state").GetString());
        }

        using (var form = Reply(await unit.GetStringAsync(new Uri(notice, UriKind.Relative), Ct), pdf))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await unit.PostAsync(new Uri(notice + "?handler=Reply", UriKind.Relative), form, Ct)).StatusCode);
        }

        // The office sees and downloads it (recorded); the API names it; someone who does not see the notice gets 404.
        Assert.Equal("整改情况报告.pdf", (await GetJsonAsync(office, "/api/v1" + notice)).GetProperty("replyFileName").GetString());
        Assert.Contains($"href=\"{notice}/reply-file\"", await office.GetStringAsync(new Uri(notice, UriKind.Relative), Ct), StringComparison.Ordinal);
        var download = await office.GetAsync(new Uri(notice + "/reply-file", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("sandbox; default-src 'none'", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(await app.ReadAsync(db => db.AuditEntries.AnyAsync(e => e.Action == Audit.AuditActions.EvidenceDownloaded && e.After!.Contains("整改情况报告.pdf"), Ct)));
        using (var stranger = await app.SignedInAsync("admin"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri(notice + "/reply-file", UriKind.Relative), Ct)).StatusCode);
        }

        // A decision that is neither word (or none) closes nothing: 400, the notice still waits.
        foreach (var decision in new[] { "closed", string.Empty })
        {
            var undecided = await office.PostFromPageAsync(notice, notice + "?handler=Close", new Dictionary<string, string> { ["decision"] = decision, ["note"] = "同意办结" });
            Assert.Equal(HttpStatusCode.BadRequest, undecided.StatusCode);
            Assert.Contains("请选择办结（close）或退回回复（return", await undecided.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal("Replied", (await GetJsonAsync(office, "/api/v1" + notice)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(notice, notice + "?handler=Close", new Dictionary<string, string> { ["decision"] = "Close", ["note"] = "同意办结" })).StatusCode);
        Assert.Equal("Closed", (await GetJsonAsync(office, "/api/v1" + notice)).GetProperty("state").GetString());

        // A 约谈 is a record; the other 督办单 goes past its reply deadline.
        fields["kind"] = "Talk";
        fields["heldOn"] = Day(today);
        fields["byWhom"] = "整改办主任";
        fields["people"] = "纪检监察办负责人";
        fields["outcome"] = "两周内完成";
        var talk = await office.PostFromPageAsync(list, list, fields);
        Assert.Equal(HttpStatusCode.Redirect, talk.StatusCode);

        // A 约谈 is a record, not a document: no .docx.
        var rows = (await GetJsonAsync(office, $"/api/v1/inspections/{app.InspectionId}/supervision")).EnumerateArray().ToList();
        var talkId = rows.Single(n => n.GetProperty("kind").GetString() == "Talk").GetProperty("id").GetInt32();

        // The list names whose number a 督办单 bears (the office's and a 巡察办's may read alike); a 约谈 has no issuer.
        Assert.Equal(detail.GetProperty("issuer").GetString(), rows.Single(n => n.GetProperty("documentNumber").GetString() == detail.GetProperty("documentNumber").GetString()).GetProperty("issuer").GetString());
        Assert.Equal(JsonValueKind.Null, rows.Single(n => n.GetProperty("id").GetInt32() == talkId).GetProperty("issuer").ValueKind);
        Assert.Contains($"<span class=\"muted issuer\">签发：{detail.GetProperty("issuer").GetString()}</span>", WebUtility.HtmlDecode(await office.GetStringAsync(new Uri(list, UriKind.Relative), Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/supervision/{talkId}?handler=Docx", UriKind.Relative), Ct)).StatusCode);
        app.Clock!.Advance(TimeSpan.FromDays(8));
        using var again = await app.SignedInAsync("office");
        counts = (await GetJsonAsync(again, $"/api/v1/inspections/{app.InspectionId}/overview")).GetProperty("supervision");
        Assert.Equal((1, 1, 1), (counts.GetProperty("openDuban").GetInt32(), counts.GetProperty("repliesOverdue").GetInt32(), counts.GetProperty("talksHeld").GetInt32()));
        Assert.Contains("逾期未回复的督办单", await again.GetStringAsync(new Uri("/work", UriKind.Relative), Ct), StringComparison.Ordinal);

        // Another organization's office sees none of it.
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync(new Uri($"/api/v1/inspections/{app.OtherInspectionId}/supervision", UriKind.Relative), Ct)).StatusCode);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Action == "supervision.issue", Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "supervision.close", Ct));
    }
}

public sealed class DubanSqliteApp() : AppFixture(Provider.Sqlite, clock: new FakeClock(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero)));

public sealed class DubanPostgresApp() : AppFixture(Provider.Postgres, clock: new FakeClock(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero)));

public sealed class DubanTestsOnSqlite(DubanSqliteApp app) : DubanTests(app), IClassFixture<DubanSqliteApp>;

public sealed class DubanTestsOnPostgres(DubanPostgresApp app) : DubanTests(app), IClassFixture<DubanPostgresApp>;
