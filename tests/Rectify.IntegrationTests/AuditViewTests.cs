using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The audit log as the audit administrator sees it in Chromium on a 1366 px screen.</summary>
public sealed class AuditViewTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_audit_table_fits_a_1366_px_screen_with_long_changes_wrapped()
    {
        app.RequireAvailable();
        if (!File.Exists(Requirements.ChromiumPath))
        {
            Requirements.Unavailable($"Chromium is not installed at {Requirements.ChromiumPath} (apt-get install chromium)");
        }

        // Records shaped as the services write them, with long values: a measure's step, a report with a file's digests, a look-back's finding.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            var measure = await db.Measures.Where(m => m.InspectionId == app.InspectionId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
            var actor = new AuditActor("x", "纪检监察办联络员（演示）", "UnitReporter", Source: "203.0.113.200");
            var id = measure.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await audit.RecordAsync(new AuditEvent(AuditActions.Of(MeasureAction.ApplyForSignOff), ObjectType: "Measure", ObjectId: id,
                Before: new { State = MeasureState.InProgress }, After: new { State = MeasureState.AwaitingReview, Reason = string.Concat(Enumerable.Repeat("已制定并印发相关制度，完成整改。", 8)) }), actor, Ct);
            await audit.RecordAsync(new AuditEvent("report.submit", ObjectType: "ProgressReport", ObjectId: "999999",
                After: new { MeasureId = measure, Number = 1, PercentComplete = 100, Files = new[] { new { OriginalName = "整改佐证材料（第一批）扫描件.pdf", Sha256 = new string('a', 64), Sm3 = (string?)null, Length = 123456 } } }), actor, Ct);
        }

        var playwright = await Playwright.CreateAsync();
        using var _ = playwright;
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Requirements.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.SignInAsync(baseUrl, "auditadmin", app.Password);
        await page.GotoAsync(baseUrl + "/audit");

        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "audit-log-1366.png"), FullPage = false });

        Assert.Contains("申请销号", await page.Locator("table.audit-table").InnerTextAsync(), StringComparison.Ordinal);
        var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var tableRight = await page.EvaluateAsync<double>("() => document.querySelector('table.audit-table').getBoundingClientRect().right");
        var wrapOverflow = await page.EvaluateAsync<int>("() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth; }");
        Assert.True(pageWidth <= 1366, $"the page is {pageWidth} px wide");
        Assert.True(tableRight <= 1366, $"the table ends at {tableRight} px");
        Assert.True(wrapOverflow <= 0, $"the table overflows its box by {wrapOverflow} px");
    }
}
