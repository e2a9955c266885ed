using Microsoft.Playwright;
using Rectify.Features.Intake;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The import as the office does it on a phone, with JavaScript off: every step a plain form, nothing wider than the screen.</summary>
public sealed class ImportBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task The_office_registers_an_inspection_and_imports_its_ledger_on_a_phone_without_javascript()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "zh-CN", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        async Task FitsAsync(string what)
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{what}: the page is {width} px wide on a 390 px phone");
        }

        try
        {
            await page.SignInAsync(baseUrl, "office", app.Password);

            await page.GotoAsync(baseUrl + "/inspections/new");
            await page.FillAsync("input[name=Title]", "手机导入巡察");
            await page.FillAsync("input[name=Team]", "手机导入巡察组");
            await page.SelectOptionAsync("select[name=InspectedOrganizationId]", app.InspectedOrganization);
            await page.ClickAsync("form button[type=submit]:has-text('登记')");
            await page.ArrivedAtAsync(new System.Text.RegularExpressions.Regex(@"/inspections/\d+/plan$"));
            await page.ClickAsync("#import-link");
            await page.ArrivedAtAsync(new System.Text.RegularExpressions.Regex(@"/inspections/\d+/import$"));
            await FitsAsync("the upload form");

            // A ledger with one row wrong: its problem is shown by cell, and there is nothing to confirm.
            var rows = ImportCommitTests.Ledger("机");
            var wrong = rows.ToList();
            wrong[2] = wrong[2] with { Kind = Domain.MeasureKind.TimeBound, Deadline = null };
            await page.SetInputFilesAsync("input[type=file][name=file]", new FilePayload { Name = "台账（有错）.xlsx", MimeType = LedgerTemplate.ContentType, Buffer = ImportPageTests.Workbook(wrong) });
            await page.ClickAsync("button[type=submit]:has-text('上传并预览')");
            await page.WaitForSelectorAsync("#problems tr[data-severity=Error]");
            Assert.Contains("限期整改的措施必须有整改时限", await page.Locator("#problems").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("button:has-text('确认导入')").CountAsync());
            await FitsAsync("the preview with a problem");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "import-problem-phone.png"), FullPage = true });

            // Discarded, uploaded again corrected, confirmed.
            await page.ClickAsync("button:has-text('放弃，重新上传')");
            await page.SetInputFilesAsync("input[type=file][name=file]", new FilePayload { Name = "台账.xlsx", MimeType = LedgerTemplate.ContentType, Buffer = ImportPageTests.Workbook(rows) });
            await page.ClickAsync("button[type=submit]:has-text('上传并预览')");
            await page.WaitForSelectorAsync("button:has-text('确认导入')");
            Assert.Equal("5", await page.Locator("[data-count=measures-added]").InnerTextAsync());
            await FitsAsync("the preview");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "import-preview-phone.png"), FullPage = true });
            await page.ClickAsync("button:has-text('确认导入')");
            await page.ArrivedAtAsync(new System.Text.RegularExpressions.Regex(@"/inspections/\d+/plan$"));
            Assert.Contains("已导入：新增措施 5 条", await page.Locator(".notice-box").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(5, await page.Locator("tr[data-measure-id]").CountAsync());
            await FitsAsync("the plan after the import");
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var file = Path.Combine(BrowserTests.ScreenshotFolder, "import-failure.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            throw new Xunit.Sdk.XunitException($"The import walk failed at {page.Url} (screenshot {file}): {e.Message}", e);
        }
    }
}
