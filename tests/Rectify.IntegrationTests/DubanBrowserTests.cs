using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The 督办 ladder in Chromium: the office issues a 督办单 on the page, downloads it as .docx (which opens), the unit finds
/// it in 待办 and replies, the office closes it, and the overview's count follows; the pages at desktop and phone width.
/// </summary>
public sealed class DubanBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_office_issues_a_duban_the_unit_replies_in_its_work_list_the_office_closes_it_and_the_overview_counts_it()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        int measure;
        string unitName;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            (measure, unitName) = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == MeasureState.InProgress)
                .OrderBy(m => m.Id).Select(m => new ValueTuple<int, string>(m.Id, m.LeadUnit!.Name)).FirstAsync(Ct);
        }

        async Task<IPage> SignInAsync(string user, int width)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, Locale = "zh-CN", AcceptDownloads = true });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(60_000);
            await page.SignInAsync(baseUrl, user, app.Password);
            return page;
        }

        async Task<int> OpenDubanOnOverviewAsync(IPage page)
        {
            await page.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/overview");
            return int.Parse(await page.Locator(".supervision-counts [data-count=OpenDuban]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        static async Task NoSidewaysScrollAsync(IPage page, string what) =>
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{what} scrolls sideways at phone width");

        var office = await SignInAsync("office", 1366);
        var before = await OpenDubanOnOverviewAsync(office);

        // From the measure page's 督办 link the form comes with the unit and the measure chosen.
        await office.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/supervision?measure={measure}");
        await office.SelectOptionAsync("form.supervision-form select[name=kind]", "Duban");
        Assert.Equal($"责任单位：{unitName} 更换单位", (await office.Locator("form.supervision-form [data-chosen-unit]").InnerTextAsync()).Trim());
        await office.SelectOptionAsync("form.supervision-form select[name=measureIds]", measure.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await office.FillAsync("form.supervision-form input[name=title]", "整改进度滞后");
        await office.FillAsync("form.supervision-form textarea[name=content]", "该项措施进度明显滞后于整改方案的要求。\n请对照方案逐项梳理。");
        await office.FillAsync("form.supervision-form textarea[name=requirement]", "书面说明滞后原因，提出下一步措施和完成时间。");
        var due = ChinaTime.Today(TimeProvider.System).AddDays(7);
        await office.FillAsync("form.supervision-form input[name=replyDue]", due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await office.ClickAsync("form.supervision-form button[type=submit]");
        await office.ArrivedAtAsync(new System.Text.RegularExpressions.Regex("/supervision/\\d+$"));
        var notice = new Uri(office.Url).AbsolutePath;
        Assert.Contains("督办〔", await office.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "duban-issued.png"), FullPage = true });
        Assert.Equal(before + 1, await OpenDubanOnOverviewAsync(office));

        // The 督办单 downloads as .docx and opens: its number, title and addressee as the page shows them.
        await office.GotoAsync(baseUrl + notice);
        var download = await office.RunAndWaitForDownloadAsync(() => office.ClickAsync("#download-duban"));
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var file = Path.Combine(BrowserTests.ScreenshotFolder, "duban.docx");
        await download.SaveAsAsync(file);
        using (var doc = WordprocessingDocument.Open(file, false))
        {
            var lines = doc.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
            Assert.StartsWith("督办〔", lines[0], StringComparison.Ordinal);
            Assert.Equal("关于整改进度滞后的督办单", lines[1]);
            Assert.Equal(unitName + "：", lines[2]);
            Assert.Contains("请对照方案逐项梳理。", lines);
        }

        // The unit finds it in 待办, at phone size, and replies.
        var unit = await SignInAsync("unit", 390);
        await unit.GotoAsync(baseUrl + "/work");
        await NoSidewaysScrollAsync(unit, "待办");
        await unit.ClickAsync($"table[data-section=duban-reply] a[href='{notice}']");
        await unit.ArrivedAtAsync(baseUrl + notice);
        await NoSidewaysScrollAsync(unit, "the 督办单");
        await unit.FillAsync("textarea[name=reply]", "已召开专题会议研究，明确专人负责，本月底前完成。");
        await unit.SetInputFilesAsync("input[name=replyFile]", new FilePayload { Name = "整改情况报告.pdf", MimeType = "application/pdf", Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% reply\n%%EOF\n") });
        await unit.ClickAsync("button[type=submit]:has-text('回复督办单')");
        await unit.WaitForSelectorAsync(".notice-reply");
        Assert.Equal("整改情况报告.pdf", await unit.Locator(".notice-reply .reply-file a").InnerTextAsync());
        await unit.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "phone-duban-replied.png"), FullPage = true });
        Assert.Equal(0, await unit.Locator("button[value=close]").CountAsync());

        // The office finds the reply in 待办 and closes the 督办单; the overview no longer counts it as open.
        await office.GotoAsync(baseUrl + "/work");
        await office.ClickAsync($"table[data-section=duban-close] a[href='{notice}']");
        Assert.Equal($"{notice}/reply-file", await office.Locator(".notice-reply .reply-file a").GetAttributeAsync("href"));
        await office.FillAsync("input[name=note]", "同意办结");
        await office.ClickAsync("button[value=close]");
        await office.WaitForSelectorAsync("#notice-state:has-text('已办结')");
        Assert.Equal(before, await OpenDubanOnOverviewAsync(office));
        await office.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/supervision");
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "duban-list.png"), FullPage = true });

        // The 机关代字: typed, saved, and the next number shown with it.
        await office.FillAsync("form.document-code input[name=code]", "万江整改督");
        await office.ClickAsync("form.document-code button[type=submit]");
        await office.WaitForSelectorAsync($"form.document-code p:has-text('万江整改督〔{ChinaTime.Today(TimeProvider.System).Year}〕')");
        await office.Locator("#numbering").ScrollIntoViewIfNeededAsync();
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "duban-numbering.png") });

        // The ledger, with its 延期次数 column, at phone width: nothing but its own table scrolls sideways.
        var phoneOffice = await SignInAsync("office", 390);
        await phoneOffice.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/supervision");
        await NoSidewaysScrollAsync(phoneOffice, "the 督办 list");
        await phoneOffice.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "phone-duban-list.png"), FullPage = true });
        await phoneOffice.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}");
        await NoSidewaysScrollAsync(phoneOffice, "the ledger");
    }
}
