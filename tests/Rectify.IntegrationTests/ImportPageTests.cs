using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Features.Intake;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>导入 Excel 台账 through the pages: upload → preview (nothing written) → confirm, as the office does it in a browser without JavaScript.</summary>
public abstract partial class ImportPageTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync() => ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables, Ct));

    internal static byte[] Workbook(IEnumerable<LedgerRow> rows)
    {
        using var stream = new MemoryStream();
        LedgerTemplate.Write(stream, "测试巡察反馈问题整改台账", rows);
        return stream.ToArray();
    }

    /// <summary>The workbook with its first sheet merged into one cell from A1 to Excel's last cell.</summary>
    internal static byte[] MergedWhole(byte[] workbook)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }

            // The one range in place of the sheet's own merges, or after its data when it has none.
            const string Whole = "<mergeCells xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\"><mergeCell ref=\"A1:XFD1048576\"/></mergeCells>";
            var own = System.Text.RegularExpressions.Regex.Match(xml, "<(x:)?mergeCells[^>]*>.*?</(x:)?mergeCells>", System.Text.RegularExpressions.RegexOptions.Singleline);
            var end = xml.Contains("</x:sheetData>", StringComparison.Ordinal) ? "</x:sheetData>" : "</sheetData>";
            Assert.Contains(end, xml, StringComparison.Ordinal);
            xml = own.Success ? xml.Remove(own.Index, own.Length).Insert(own.Index, Whole) : xml.Replace(end, end + Whole, StringComparison.Ordinal);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(xml);
        }

        return stream.ToArray();
    }

    private async Task<int> NewInspectionAsync(HttpClient office, string title, string team = "页面导入巡察组", string? feedbackDate = "2026-06-01")
    {
        var form = new Dictionary<string, string>
        {
            ["Title"] = title + app.Provider,
            ["Kind"] = "Xuncha",
            ["Team"] = team,
            ["InspectedOrganizationId"] = app.InspectedOrganization,
        };
        if (feedbackDate is not null)
        {
            form["FeedbackDate"] = feedbackDate;
        }

        var created = await office.PostFromPageAsync("/inspections/new", "/inspections/new", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return int.Parse(PlanPathRegex().Match(created.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Posts the upload form of the import page as a browser does: its anti-forgery token and the file.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, int inspection, byte[] bytes, string fileName = "台账.xlsx")
    {
        var page = await client.GetStringAsync(new Uri($"/inspections/{inspection}/import", UriKind.Relative), Ct);
        Assert.Contains("enctype=\"multipart/form-data\"", page, StringComparison.Ordinal);
        using var form = new MultipartFormDataContent { { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(LedgerTemplate.ContentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri($"/inspections/{inspection}/import?handler=Upload", UriKind.Relative), form, Ct);
    }

    private static string Token(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var match = TokenRegex().Match(redirect.Headers.Location!.OriginalString);
        Assert.True(match.Success, $"no upload token in {redirect.Headers.Location}");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task The_office_uploads_a_ledger_sees_its_problem_by_sheet_row_and_column_uploads_it_corrected_and_confirms()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "页面导入");

        // The plan page links to the import, which offers the template.
        Assert.Contains($"href=\"/inspections/{id}/import\"", await office.GetStringAsync(new Uri($"/inspections/{id}/plan", UriKind.Relative), Ct), StringComparison.Ordinal);
        var importPage = await office.GetStringAsync(new Uri($"/inspections/{id}/import", UriKind.Relative), Ct);
        Assert.Contains("href=\"/inspections/template.xlsx\"", importPage, StringComparison.Ordinal);
        var template = await office.GetAsync(new Uri("/inspections/template.xlsx", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal(LedgerTemplate.ContentType, template.Content.Headers.ContentType!.MediaType);
        using (var templateStream = new MemoryStream(await template.Content.ReadAsByteArrayAsync(Ct)))
        {
            Assert.Equal([LedgerTemplate.LedgerSheetName, LedgerTemplate.GuideSheetName], LedgerWorkbookReader.ListSheets(templateStream).Select(s => s.Name));
        }

        // A file with one row wrong: the preview names the sheet, the cell and the problem, offers no confirmation, and writes nothing.
        var rows = ImportCommitTests.Ledger("页");
        var wrong = rows.ToList();
        wrong[3] = wrong[3] with { Deadline = null };
        var before = await ChecksumAsync();
        var token = Token(await UploadAsync(office, id, Workbook(wrong), "反馈问题整改台账.xlsx"));
        var previewResponse = await office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        var preview = await BodyAsync(previewResponse);
        var wrongRow = ImportCommitTests.Draft(wrong).Categories[1].Findings[0].Measures[0].Source!.Row;
        var problems = preview[preview.IndexOf("id=\"problems\"", StringComparison.Ordinal)..];
        Assert.Contains(LedgerTemplate.LedgerSheetName, problems, StringComparison.Ordinal);
        Assert.Contains($">I{wrongRow}<", problems, StringComparison.Ordinal);
        Assert.Contains("限期整改的措施必须有整改时限", problems, StringComparison.Ordinal);
        Assert.Contains("反馈问题整改台账.xlsx", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Confirm", preview, StringComparison.Ordinal);

        // The workbook has a second sheet (the template's guide): it can be chosen, and says why it cannot be read.
        Assert.Contains("name=\"sheet\"", preview, StringComparison.Ordinal);
        var guide = await office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}&sheet={Uri.EscapeDataString(LedgerTemplate.GuideSheetName)}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, guide.StatusCode);
        Assert.Contains("找不到表头", await BodyAsync(guide), StringComparison.Ordinal);

        // A confirmation posted anyway is refused, and nothing is written.
        var forced = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, new Dictionary<string, string> { ["upload"] = token, ["sheet"] = LedgerTemplate.LedgerSheetName });
        Assert.Equal(HttpStatusCode.BadRequest, forced.StatusCode);
        Assert.Contains("改正后才能导入", await BodyAsync(forced), StringComparison.Ordinal);
        Assert.Equal(before, await ChecksumAsync());

        // The corrected file: everything new, confirmed in one step.
        var good = Token(await UploadAsync(office, id, Workbook(rows)));
        var goodPreview = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={good}", UriKind.Relative), Ct));
        Assert.Contains("data-count=\"measures-added\">5<", goodPreview, StringComparison.Ordinal);
        Assert.Contains("handler=Confirm", goodPreview, StringComparison.Ordinal);
        Assert.Contains("data-measure=\"1.1\" data-change=\"Added\"", goodPreview, StringComparison.Ordinal);
        Assert.Equal(before, await ChecksumAsync());
        var confirmed = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", goodPreview, new Dictionary<string, string> { ["upload"] = good, ["sheet"] = LedgerTemplate.LedgerSheetName });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal($"/inspections/{id}/plan", confirmed.Headers.Location!.OriginalString);
        Assert.Contains("已导入：新增措施 5 条", await BodyAsync(await office.GetAsync(confirmed.Headers.Location, Ct)), StringComparison.Ordinal);
        Assert.Equal(5, await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct)));

        // The upload is gone once imported: its token finds nothing, and a second confirmation is refused.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.DataFolder, "imports"), good + ".*", SearchOption.AllDirectories));
        var twice = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", goodPreview, new Dictionary<string, string> { ["upload"] = good });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("上传的文件已不存在", await BodyAsync(twice), StringComparison.Ordinal);
        Assert.Equal(5, await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct)));

        // The same file again, corrected once more: an update, with its change shown before it is confirmed.
        var corrected = rows.ToList();
        corrected[0] = corrected[0] with { Deadline = new DateOnly(2027, 2, 28) };
        var third = Token(await UploadAsync(office, id, Workbook(corrected)));
        var thirdPreview = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={third}", UriKind.Relative), Ct));
        Assert.Contains("data-count=\"measures-updated\">1<", thirdPreview, StringComparison.Ordinal);
        Assert.Contains("整改时限：2026-12-31 → 2027-02-28", thirdPreview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", thirdPreview, new Dictionary<string, string> { ["upload"] = third, ["sheet"] = LedgerTemplate.LedgerSheetName })).StatusCode);
        Assert.Equal(5, await ReadAsync(db => db.Measures.CountAsync(m => m.InspectionId == id, Ct)));
        Assert.Equal(new DateOnly(2027, 2, 28), await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Finding.Number == 1 && m.Number == 1).Select(m => m.Deadline).SingleAsync(Ct)));
    }

    /// <summary>A notice, in our own words, of another round: another team, another year.</summary>
    private const string NoticeOfAnotherRound = """
        根据市委统一安排，2025年3月10日至5月9日，市委第五巡察组对某街道党工委进行了巡察。2025年7月2日，市委巡察组向街道党工委反馈了巡察意见。现将整改情况报告如下。
        （一）关于“基层党建工作不够扎实”方面
        1.关于“组织生活会质量不高”问题的整改
        (1)制定组织生活会会前谈心谈话清单。
        (2)对会议记录开展逐本检查。
        （二）关于“资产管理不够规范”方面
        2.关于“闲置资产长期未处置”问题的整改
        (1)建立闲置资产台账并按季度清理。
        中共某街道工作委员会
        2025年11月20日
        """;

    [Fact]
    public async Task A_notice_of_another_inspection_is_flagged_before_it_renumbers_this_ones_plan()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "另一轮通报");

        var token = Token(await UploadAsync(office, id, System.Text.Encoding.UTF8.GetBytes(NoticeOfAnotherRound.Replace("\n", "\r\n", StringComparison.Ordinal)), "整改情况通报.txt"));
        var preview = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct));
        var problems = preview[preview.IndexOf("id=\"problems\"", StringComparison.Ordinal)..];
        Assert.Contains("文件所述巡察与本巡察不一致：巡察组为“市委第五巡察组”（本巡察为“页面导入巡察组”）；反馈日期为 2025-07-02（本巡察为 2026-06-01）", problems, StringComparison.Ordinal);

        // A warning, not a refusal: the office that means it may still confirm. The empty 进驻时间 is not filled from a
        // file that may be another inspection's.
        Assert.Contains("?handler=Confirm", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("确认导入时将按文件填入", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dates_a_registration_left_empty_are_filled_from_the_notice_imported_into_it()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "登记时未填日期", team: "市委第五巡察组", feedbackDate: null);

        // The preview says what will be filled, before anything is.
        var token = Token(await UploadAsync(office, id, System.Text.Encoding.UTF8.GetBytes(NoticeOfAnotherRound), "整改情况通报.txt"));
        var preview = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct));
        Assert.Contains("本巡察登记时没有填写进驻时间和反馈日期，确认导入时将按文件填入（进驻时间 2025-03-10 — 2025-05-09，反馈日期 2025-07-02）", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("不一致", preview, StringComparison.Ordinal);
        Assert.Null(await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.FeedbackDate).SingleAsync(Ct)));

        var confirmed = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, new Dictionary<string, string> { ["upload"] = token });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var dates = await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => new { i.OnSiteFrom, i.OnSiteTo, i.FeedbackDate }).SingleAsync(Ct));
        Assert.Equal((new DateOnly(2025, 3, 10), new DateOnly(2025, 5, 9), new DateOnly(2025, 7, 2)), (dates.OnSiteFrom!.Value, dates.OnSiteTo!.Value, dates.FeedbackDate!.Value));
        var plan = await office.GetStringAsync(new Uri($"/inspections/{id}/plan", UriKind.Relative), Ct);
        Assert.Contains("巡察信息中空缺的进驻时间和反馈日期已按文件填入。", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_is_the_uploaders_own_refused_whole_when_it_is_not_a_ledger_and_never_found_by_a_path()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = await NewInspectionAsync(office, "页面导入拒绝");

        var imports = Path.Combine(app.DataFolder, "imports");
        int Kept() => Directory.Exists(imports) ? Directory.EnumerateFiles(imports, "*", SearchOption.AllDirectories).Count() : 0;
        var kept = Kept();

        // An old .xls is refused at once, beside the upload form, and not kept.
        var xls = await UploadAsync(office, id, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0], "旧台账.xls");
        Assert.Equal(HttpStatusCode.BadRequest, xls.StatusCode);
        var xlsPage = await BodyAsync(xls);
        Assert.Contains("另存为", xlsPage, StringComparison.Ordinal);
        Assert.Contains("enctype=\"multipart/form-data\"", xlsPage, StringComparison.Ordinal);

        // A chosen file of 0 bytes is named as empty, not taken for no file at all.
        var empty = await UploadAsync(office, id, [], "通报.txt");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("“通报.txt”是空文件（0 字节）", await BodyAsync(empty), StringComparison.Ordinal);

        // Over 20 MB is refused.
        var huge = await UploadAsync(office, id, new byte[ImportUploads.MaxBytes + 1], "大.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("超过 20 MB", await BodyAsync(huge), StringComparison.Ordinal);
        Assert.Equal(kept, Kept());

        // A ledger merged into one cell over the whole sheet reads as no measures: the preview says that and why it may be,
        // not that the file has errors (it lists none), and offers no confirmation.
        var merged = Token(await UploadAsync(office, id, MergedWhole(Workbook(ImportCommitTests.Ledger("并")))));
        var mergedPage = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={merged}", UriKind.Relative), Ct));
        Assert.Contains("id=\"nothing-to-import\"", mergedPage, StringComparison.Ordinal);
        Assert.Contains("整片合并", mergedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("文件中有错误", mergedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Confirm", mergedPage, StringComparison.Ordinal);

        // A token is looked up in the uploader's own folder only: a path or another user's token finds nothing.
        var token = Token(await UploadAsync(office, id, Workbook(ImportCommitTests.Ledger("拒"))));
        foreach (var probe in new[] { "../../rectify.db", "..%2F..%2Frectify", new string('0', 32) })
        {
            var page = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={probe}", UriKind.Relative), Ct));
            Assert.Contains("上传的文件已不存在", page, StringComparison.Ordinal);
        }

        using var other = await app.SignedInAsync(await OtherOfficeAsync());
        var stolen = await BodyAsync(await other.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct));
        Assert.Contains("上传的文件已不存在", stolen, StringComparison.Ordinal);
        Assert.DoesNotContain("data-count", stolen, StringComparison.Ordinal);

        // Another inspection's import page does not take this one's upload either.
        var elsewhere = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{app.InspectionId}/import?upload={token}", UriKind.Relative), Ct));
        Assert.Contains("上传的文件已不存在", elsewhere, StringComparison.Ordinal);

        // Who may not keep the plan is told so; another organization's inspection is not there.
        using var unit = await app.SignedInAsync("unit");
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync(new Uri($"/inspections/{app.InspectionId}/import", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri($"/inspections/{app.OtherInspectionId}/import", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task In_a_plan_in_force_the_confirmation_asks_for_a_reason_and_what_it_adds_is_a_version_with_it()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var id = app.InspectionId;
        var row = new LedgerRow(60, "页面新增类别", 960, "页面新增问题", 1, "页面新增的措施", Domain.MeasureKind.TimeBound, new DateOnly(2027, 6, 30), "页面领导", "纪检监察办");
        var token = Token(await UploadAsync(office, id, Workbook([row])));
        var preview = await BodyAsync(await office.GetAsync(new Uri($"/inspections/{id}/import?upload={token}", UriKind.Relative), Ct));
        Assert.Contains("须说明理由", preview, StringComparison.Ordinal);
        Assert.Contains("name=\"reason\"", preview, StringComparison.Ordinal);
        Assert.Contains("data-count=\"measures-added\">1<", preview, StringComparison.Ordinal);

        var fields = new Dictionary<string, string> { ["upload"] = token, ["sheet"] = LedgerTemplate.LedgerSheetName, ["reason"] = string.Empty };
        var noReason = await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, fields);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var refusedPage = await BodyAsync(noReason);
        Assert.Contains("调整须说明理由", refusedPage, StringComparison.Ordinal);
        Assert.Contains("data-count=\"measures-added\">1<", refusedPage, StringComparison.Ordinal);

        fields["reason"] = "巡察组反馈后补充";
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFormAsync($"/inspections/{id}/import?handler=Confirm", preview, fields)).StatusCode);
        var version = await ReadAsync(db => db.MeasureRevisions.Where(r => r.Measure.InspectionId == id && r.Measure.Finding.Number == 960).Select(r => new { r.Kind, r.Reason, r.Number }).SingleAsync(Ct));
        Assert.Equal((Domain.MeasureRevisionKind.Added, "巡察组反馈后补充", 1), (version.Kind, version.Reason, version.Number));
    }

    /// <summary>A second office account of the same organization.</summary>
    private async Task<string> OtherOfficeAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        const string name = "import-office-2";
        if (!await db.Users.AnyAsync(u => u.UserName == name, Ct))
        {
            await scope.ServiceProvider.GetRequiredService<Access.UserAdministration>().CreateAsync(name, "第二位整改办", app.InspectedOrganization, [Access.Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        }

        return name;
    }

    [GeneratedRegex(@"/inspections/(\d+)/plan")]
    private static partial Regex PlanPathRegex();

    [GeneratedRegex(@"[?&]upload=([0-9a-f]{32})")]
    private static partial Regex TokenRegex();
}

public sealed class ImportPageTestsOnSqlite(SqliteApp app) : ImportPageTests(app), IClassFixture<SqliteApp>;

public sealed class ImportPageTestsOnPostgres(PostgresApp app) : ImportPageTests(app), IClassFixture<PostgresApp>;

/// <summary>The upload store on its own: a token, the uploader's folder, an hour's life.</summary>
public sealed class ImportUploadsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rectify-tests", "imports-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_upload_is_found_by_its_token_by_its_uploader_for_its_inspection_and_deleted_after_an_hour()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var uploads = new ImportUploads(folder, clock);
        using var content = new MemoryStream([1, 2, 3]);
        var stored = await uploads.SaveAsync("user-a", 7, @"C:\Users\x\Desktop\台账.xlsx", content, TestContext.Current.CancellationToken);
        Assert.Matches("^[0-9a-f]{32}$", stored.Token);
        Assert.Equal("台账.xlsx", stored.FileName);
        Assert.StartsWith(folder, stored.Path, StringComparison.Ordinal);

        Assert.NotNull(uploads.Open("user-a", 7, stored.Token));
        Assert.Null(uploads.Open("user-b", 7, stored.Token));
        Assert.Null(uploads.Open("user-a", 8, stored.Token));
        Assert.Null(uploads.Open("user-a", 7, stored.Token.ToUpperInvariant()));
        Assert.Null(uploads.Open("user-a", 7, "../" + stored.Token[3..]));

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(uploads.Open("user-a", 7, stored.Token));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(uploads.Open("user-a", 7, stored.Token));
        Assert.False(File.Exists(stored.Path));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
