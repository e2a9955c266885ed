using Microsoft.Playwright;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests.Notices;

/// <summary>A Word 整改方案 uploaded in a browser, previewed (at 1366 px and on a 390 px phone), edited once and confirmed.</summary>
public sealed class NoticeBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task The_office_uploads_a_docx_plan_splits_a_measure_in_the_preview_and_confirms()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        try
        {
            await page.SignInAsync(baseUrl, "office", app.Password);

            await page.GotoAsync(baseUrl + "/inspections/new");
            await page.FillAsync("input[name=Title]", "区委第二巡察组对区市场监管局党组的巡察");
            await page.FillAsync("input[name=Team]", "区委第二巡察组");
            await page.SelectOptionAsync("select[name=InspectedOrganizationId]", app.InspectedOrganization);
            await page.ClickAsync("form button[type=submit]:has-text('登记')");
            await page.ArrivedAtAsync(new System.Text.RegularExpressions.Regex(@"/inspections/\d+/plan$"));
            Assert.Contains("整改方案", await page.Locator("#import-link").InnerTextAsync(), StringComparison.Ordinal);
            await page.GotoAsync(page.Url.Replace("/plan", "/import", StringComparison.Ordinal));

            await page.SetInputFilesAsync("input[type=file][name=file]", new FilePayload { Name = "整改方案.docx", MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Buffer = NoticeFiles.BureauPlan() });
            await page.ClickAsync("button[type=submit]:has-text('上传并预览')");
            await page.WaitForSelectorAsync("button:has-text('确认导入')");
            Assert.Equal("5", await page.Locator("[data-count=measures-added]").InnerTextAsync());
            Assert.Contains("政治处、各市场监管所", await page.Locator("tr[data-measure='2.1']").InnerTextAsync(), StringComparison.Ordinal);

            // Split 2.2 at its second sentence, as the office chooses it from the measure's list.
            await page.SelectOptionAsync("tr[data-measure='2.2'] select[name=split]", new SelectOptionValue { Index = 1 });
            await page.ClickAsync("tr[data-measure='2.2'] button:has-text('拆分')");
            await page.WaitForSelectorAsync("tr[data-measure='2.3']");
            Assert.Equal("将抽查结果纳入年度考核。", await page.Locator("tr[data-measure='2.3'] td.measure-text").InnerTextAsync());
            Assert.Equal("6", await page.Locator("[data-count=measures-added]").InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "notice-preview.png"), FullPage = true });

            // The same preview on a phone fits the screen (wide tables scroll in their own box).
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"the preview is {width} px wide on a 390 px phone");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "notice-preview-phone.png"), FullPage = true });
            await page.SetViewportSizeAsync(1366, 900);

            await page.ClickAsync("button:has-text('确认导入')");
            await page.ArrivedAtAsync(new System.Text.RegularExpressions.Regex(@"/inspections/\d+/plan$"));
            Assert.Contains("已导入：新增措施 6 条", await page.Locator(".notice-box").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(6, await page.Locator("tr[data-measure-id]").CountAsync());
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var file = Path.Combine(BrowserTests.ScreenshotFolder, "notice-failure.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            throw new Xunit.Sdk.XunitException($"The notice import walk failed at {page.Url} (screenshot {file}): {e.Message}", e);
        }
    }
}
