using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rectify.Cli;
using Rectify.Features.Intake;
using Rectify.IntegrationTests.Infrastructure;
using Rectify.UnitTests.Intake;

namespace Rectify.IntegrationTests;

/// <summary>A clean install as an office meets it on its first day: no demo, no organization, no account, no inspection.</summary>
public sealed class CleanInstallApp() : AppFixture(Provider.Sqlite, kestrel: true, demoMode: false, seedDemo: false);

/// <summary>
/// The whole intake of an office's own inspection on a clean install, in the browser: the system administrator
/// builds the organization tree, accounts are made as docs/operations.md says (<c>rectify user add</c>), and the
/// office registers the inspection, imports its Excel ledger (merged cells, dates written three ways), sees the one
/// row that is wrong, uploads the corrected file, confirms, sets a leader and deadlines in bulk and submits; the
/// 第一责任人 adopts the plan; the unit finds its measures in 待办; a later change is a version beside the approved one.
/// </summary>
public sealed partial class CleanInstallTests(CleanInstallApp app) : IClassFixture<CleanInstallApp>
{
    private const string Committee = "中共清水街道工作委员会";
    private const string InitialPassword = "Initial-Passw0rd-Qs26";
    private const string OwnPassword = "Own-Passw0rd-Changed-26";

    [GeneratedRegex(@"/inspections/(\d+)/plan(#[-\w]*)?$")]
    private static partial Regex PlanUrl();

    [GeneratedRegex(@"/inspections/\d+/import$")]
    private static partial Regex ImportUrl();

    /// <summary>The office's ledger: a title row, synonyms in the header, category and problem cells merged down, dates as a serial, as 年月日 text and as dotted text; <paramref name="wrongDate"/> puts an impossible date in one row.</summary>
    private static byte[] Ledger(bool wrongDate)
    {
        var book = new TestWorkbook();
        book.Sheet("说明").Row(1, "本表由党政办维护。");
        book.Sheet("反馈问题整改台账")
            .Row(1, "清水街道党工委巡察反馈问题整改台账")
            .Row(2, "序号", "问题类别", "反馈问题", "整改措施", "整改类型", "责任单位", "配合单位", "完成时限")
            .Row(3, "1.1", "（一）落实全面从严治党主体责任方面", "党工委理论学习中心组学习流于形式", "制定年度学习计划，每季度开展一次专题研讨", "限期整改", "党政办", "纪工委、组织办", DateSerial.Of(2025, 6, 30))
            .Row(4, "1.2", null, null, "建立学习情况通报制度", null, "党政办", null, null)
            .Row(5, "2.1", null, "基层党组织“三会一课”记录不规范", "开展“三会一课”专项检查", "立行立改", "组织办", null, "2025.3.31")
            .Row(6, "3.1", "（二）作风建设方面", "违规发放津补贴", "全面清理津补贴发放情况，违规部分全部追缴", null, "纪工委", "财政所", wrongDate ? "2025年13月1日" : null)
            .Row(7, "3.2", null, null, "健全津补贴审批制度", "长期坚持", "纪工委", "财政所", "长期坚持")
            .Row(8, "4.1", null, "公务接待管理不严", "修订公务接待管理办法", "限期整改", "党政办", null, "2025年8月31日")
            .Merge("B3:B5").Merge("C3:C4").Merge("B6:B8").Merge("C6:C7");
        return book.ToBytes();
    }

    [Fact]
    public async Task An_office_brings_its_own_inspection_in_from_Excel_to_an_adopted_plan_its_units_work_on()
    {
        app.RequireAvailable();
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        try
        {
            // The first administrator, made on the command line (docs/operations.md), builds the tree on 组织机构.
            await CliAsync(InitialPassword, "user", "add", "sysadmin", "--display-name", "系统管理员", "--role", "SystemAdministrator");
            var admin = await SignInFirstTimeAsync(browser, baseUrl, "sysadmin");
            await AddOrganizationAsync(admin, baseUrl, Committee, parent: null, "PartyCommittee");
            foreach (var department in new[] { "党政办", "纪工委", "组织办", "财政所" })
            {
                await AddOrganizationAsync(admin, baseUrl, department, Committee, "Department");
            }

            await admin.Context.CloseAsync();

            // The office, the 第一责任人 and one unit's reporter get their accounts the same way.
            await CliAsync(InitialPassword, "user", "add", "qs-office", "--display-name", "党政办张某", "--org", Committee, "--role", "RectificationOffice");
            await CliAsync(InitialPassword, "user", "add", "qs-secretary", "--display-name", "党工委书记李某", "--org", Committee, "--role", "FirstResponsible");
            await CliAsync(InitialPassword, "user", "add", "qs-unit", "--display-name", "纪工委王某", "--org", "纪工委", "--role", "UnitReporter");

            // 登记巡察.
            var office = await SignInFirstTimeAsync(browser, baseUrl, "qs-office");
            await office.GotoAsync(baseUrl + "/");
            await office.ClickAsync("a[href='/inspections/new']");
            await office.FillAsync("input[name=Title]", "区委第三巡察组对清水街道党工委的巡察");
            await office.FillAsync("input[name=Round]", "十二届区委第五轮巡察");
            await office.FillAsync("input[name=Team]", "区委第三巡察组");
            await office.FillAsync("textarea[name=ExtendedScope]", "清水社区、河东社区");
            await office.FillAsync("input[name=OnSiteFrom]", "2024-10-08");
            await office.FillAsync("input[name=OnSiteTo]", "2024-11-29");
            await office.FillAsync("input[name=FeedbackDate]", "2025-01-10");
            await office.ClickAsync("form button[type=submit]:has-text('登记')");
            await office.ArrivedAtAsync(PlanUrl());
            var inspectionId = int.Parse(PlanUrl().Match(office.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var facts = await office.Locator("#inspection").InnerTextAsync();
            Assert.Contains("十二届区委第五轮巡察", facts, StringComparison.Ordinal);
            Assert.Contains("河东社区", facts, StringComparison.Ordinal);

            // The ledger with one impossible date: the preview names the sheet, row and column, and offers nothing to confirm.
            await office.ClickAsync("#import-link");
            await office.ArrivedAtAsync(ImportUrl());
            await office.SetInputFilesAsync("input[type=file][name=file]", new FilePayload { Name = "整改台账.xlsx", MimeType = LedgerTemplate.ContentType, Buffer = Ledger(wrongDate: true) });
            await office.ClickAsync("button[type=submit]:has-text('上传并预览')");
            if (await office.Locator("select[name=sheet]").CountAsync() > 0 && await office.Locator("#problems").CountAsync() == 0)
            {
                // Two sheets: the office chooses the ledger.
                await office.SelectOptionAsync("select[name=sheet]", "反馈问题整改台账");
                await office.ClickAsync("button[type=submit]:has-text('预览')");
            }

            await office.WaitForSelectorAsync("#problems tr[data-severity=Error]");
            Assert.Equal(1, await office.Locator("#problems tr[data-severity=Error]").CountAsync());
            var problem = await office.Locator("#problems tr[data-severity=Error]").InnerTextAsync();
            Assert.Contains("2025年13月1日", problem, StringComparison.Ordinal);
            Assert.Contains("6", problem, StringComparison.Ordinal);
            Assert.Equal(0, await office.Locator("button:has-text('确认导入')").CountAsync());
            await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "clean-install-problem.png"), FullPage = true });

            // Fixed and uploaded again; confirmed.
            await office.ClickAsync("button:has-text('放弃，重新上传')");
            await office.SetInputFilesAsync("input[type=file][name=file]", new FilePayload { Name = "整改台账（改）.xlsx", MimeType = LedgerTemplate.ContentType, Buffer = Ledger(wrongDate: false) });
            await office.ClickAsync("button[type=submit]:has-text('上传并预览')");
            if (await office.Locator("button:has-text('确认导入')").CountAsync() == 0 && await office.Locator("select[name=sheet]").CountAsync() > 0)
            {
                await office.SelectOptionAsync("select[name=sheet]", "反馈问题整改台账");
                await office.ClickAsync("button[type=submit]:has-text('预览')");
            }

            await office.WaitForSelectorAsync("button:has-text('确认导入')");
            Assert.Equal("6", await office.Locator("[data-count=measures-added]").InnerTextAsync());
            Assert.Equal(0, await office.Locator("#problems tr[data-severity=Error]").CountAsync());
            await office.ClickAsync("button:has-text('确认导入')");
            await office.ArrivedAtAsync(PlanUrl());
            Assert.Equal(6, await office.Locator("tr[data-measure-id]").CountAsync());
            var plan = await office.Locator("#measures").InnerTextAsync();
            Assert.Contains("2025-06-30", plan, StringComparison.Ordinal);
            Assert.Contains("2025-03-31", plan, StringComparison.Ordinal);
            Assert.Contains("2025-08-31", plan, StringComparison.Ordinal);

            // 报审 before the plan is whole is refused, naming what is missing.
            await office.ClickAsync("button[name=planAction][value=Submit]");
            await office.WaitForSelectorAsync("[role=alert]");
            Assert.Contains("责任领导", await office.Locator("[role=alert]").First.InnerTextAsync(), StringComparison.Ordinal);

            // A leader for every measure, then a deadline for the two without one, in bulk.
            foreach (var box in await office.Locator("input[name=measureIds]").AllAsync())
            {
                await box.CheckAsync();
            }

            await office.FillAsync("#bulk input[name=newLeader]", "赵某（党工委副书记）");
            await office.ClickAsync("#bulk button[type=submit]");
            await office.ArrivedAtAsync(PlanUrl());
            Assert.Equal(6, await office.Locator("tr[data-measure-id]", new() { HasText = "赵某" }).CountAsync());

            foreach (var text in new[] { "建立学习情况通报制度", "全面清理津补贴发放情况" })
            {
                await office.Locator("tr[data-measure-id]", new() { HasText = text }).Locator("input[name=measureIds]").CheckAsync();
            }

            await office.FillAsync("#bulk input[name=deadline]", "2025-09-30");
            await office.SelectOptionAsync("#bulk select[name=kind]", "TimeBound");
            await office.ClickAsync("#bulk button[type=submit]");
            await office.ArrivedAtAsync(PlanUrl());
            Assert.Equal(2, await office.Locator("tr[data-measure-id]", new() { HasText = "2025-09-30" }).CountAsync());

            await office.ClickAsync("button[name=planAction][value=Submit]");
            await office.ArrivedAtAsync(PlanUrl());
            Assert.Equal(0, await office.Locator("[role=alert]").CountAsync());
            Assert.Contains("已报审", await office.Locator("#plan").InnerTextAsync(), StringComparison.Ordinal);

            // The 第一责任人 adopts it, naming the meeting.
            var secretary = await SignInFirstTimeAsync(browser, baseUrl, "qs-secretary");
            await secretary.GotoAsync($"{baseUrl}/inspections/{inspectionId}/plan");
            await secretary.FillAsync("input[name=meetingName]", "党工委会议（2025年第3次）");
            await secretary.FillAsync("input[name=meetingDate]", "2025-02-20");
            await secretary.ClickAsync("button[name=planAction][value=Approve]");
            await secretary.ArrivedAtAsync(PlanUrl());
            Assert.Equal(0, await secretary.Locator("[role=alert]").CountAsync());
            Assert.Contains("党工委会议（2025年第3次）", await secretary.Locator("#plan").InnerTextAsync(), StringComparison.Ordinal);

            // The unit's reporter finds its two measures in 待办, and no one else's.
            var unit = await SignInFirstTimeAsync(browser, baseUrl, "qs-unit");
            await unit.GotoAsync(baseUrl + "/work");
            var toStart = await unit.Locator("table[data-section=planned]").InnerTextAsync();
            Assert.Contains("全面清理津补贴发放情况", toStart, StringComparison.Ordinal);
            Assert.Contains("健全津补贴审批制度", toStart, StringComparison.Ordinal);
            Assert.DoesNotContain("制定年度学习计划", await unit.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await unit.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "clean-install-unit-work.png"), FullPage = true });

            // The office extends a deadline after adoption, with a reason: the measure page shows version 2 beside the approved version 1.
            await office.GotoAsync($"{baseUrl}/inspections/{inspectionId}/plan");
            var measureId = await office.Locator("tr[data-measure-id]", new() { HasText = "修订公务接待管理办法" }).GetAttributeAsync("data-measure-id");
            await office.GotoAsync($"{baseUrl}/measures/{measureId}/edit");
            await office.FillAsync("input[name=deadline]", "2025-12-31");
            await office.FillAsync("input[name=reason]", "办法需待上级新规出台后修订，经党工委会议同意延期");
            await office.ClickAsync("form button[type=submit]:has-text('保存')");
            await office.ArrivedAtAsync(new Regex($@"/measures/{measureId}$"));
            var versions = office.Locator("table.plan-versions");
            Assert.Equal(2, await versions.Locator("tr[data-version]").CountAsync());
            Assert.Contains("2025-08-31", await versions.Locator("tr[data-version='1']").InnerTextAsync(), StringComparison.Ordinal);
            var second = versions.Locator("tr[data-version='2']");
            Assert.Contains("2025-12-31", await second.Locator("td.changed").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("经党工委会议同意延期", await second.InnerTextAsync(), StringComparison.Ordinal);
            await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotFolder, "clean-install-versions.png"), FullPage = true });

            // Its progress notice by the demo's path: drafted from the inspection's metadata and the ledger, approved, public.
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await office.GotoAsync($"{baseUrl}/inspections/{inspectionId}/publication");
            await office.ClickAsync("#start-publication");
            await office.WaitForSelectorAsync("#publication-draft");
            var preview = await office.Locator("#publication-preview").InnerTextAsync();
            Assert.Contains("根据区委巡察工作统一安排，2024年10月8日至11月29日，区委第三巡察组对", preview, StringComparison.Ordinal);
            Assert.Contains("1.党工委理论学习中心组学习流于形式", preview, StringComparison.Ordinal);
            Assert.Contains("一是制定年度学习计划，每季度开展一次专题研讨", preview, StringComparison.Ordinal);
            await office.FillAsync("#disclosure-from", today);
            await office.FillAsync("#disclosure-to", today);
            await office.FillAsync("input[name='form.Phone']", "0755-12345678");
            await office.ClickAsync("#save-publication");
            await office.WaitForSelectorAsync("[role=status]");
            await office.ClickAsync("#submit-publication");
            await office.WaitForSelectorAsync("#publication-state-label:has-text('送审')");
            await secretary.GotoAsync($"{baseUrl}/inspections/{inspectionId}/publication");
            await secretary.ClickAsync("#approve-publication");
            await secretary.WaitForSelectorAsync("#public-link");
            var visitor = await browser.NewPageAsync();
            await visitor.GotoAsync(baseUrl + await secretary.Locator("#public-link").GetAttributeAsync("href"));
            Assert.Contains("联系电话：0755-12345678", await visitor.Locator("#notice").InnerTextAsync(), StringComparison.Ordinal);
            await visitor.CloseAsync();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var where = new System.Text.StringBuilder("The clean-install intake failed: ").Append(e.Message);
            var n = 0;
            foreach (var page in browser.Contexts.SelectMany(c => c.Pages))
            {
                var file = Path.Combine(BrowserTests.ScreenshotFolder, $"clean-install-failure-{++n}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
                where.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  page {n} at {page.Url}; alerts: [{string.Join(" | ", alerts)}]; screenshot {file}");
            }

            throw new Xunit.Sdk.XunitException(where.ToString(), e);
        }
    }

    /// <summary>Runs a verb of the installed command line against the running server's data folder, the password on standard input.</summary>
    private async Task CliAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin + "\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. app.CliArguments()], input, output, error, TimeProvider.System);
        Assert.True(code == 0, $"rectify {string.Join(' ', args)} exited {code}: {error}{output}");
    }

    /// <summary>A first sign-in with the initial password: the password is changed, and (outside demo mode, every role) an authenticator is enrolled and the recovery codes are shown once.</summary>
    private static async Task<IPage> SignInFirstTimeAsync(IBrowser browser, string baseUrl, string userName)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(baseUrl + "/Account/SignIn");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", InitialPassword);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        for (var step = 0; step < 6; step++)
        {
            await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
            var path = new Uri(page.Url).AbsolutePath;
            if (path.StartsWith("/Account/ChangePassword", StringComparison.OrdinalIgnoreCase))
            {
                await page.FillAsync("#currentPassword", InitialPassword);
                await page.FillAsync("#newPassword", OwnPassword);
                await page.FillAsync("#confirmPassword", OwnPassword);
                await page.ClickAsync("button[type=submit]:has-text('修改密码')");
            }
            else if (path.StartsWith("/Account/TwoFactor", StringComparison.OrdinalIgnoreCase) && await page.Locator("#recovery-codes li").CountAsync() > 0)
            {
                Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());
                await page.ClickAsync("#continue");
            }
            else if (path.StartsWith("/Account/TwoFactor", StringComparison.OrdinalIgnoreCase))
            {
                if (await page.Locator("#shared-key").CountAsync() == 0)
                {
                    await page.ClickAsync("button[type=submit]:has-text('生成密钥和二维码')");
                }

                var key = await page.Locator("#shared-key").InnerTextAsync();
                await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
                await page.ClickAsync("button[type=submit]:has-text('启用')");
            }
            else if (path.StartsWith("/Account/SignIn", StringComparison.OrdinalIgnoreCase))
            {
                var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
                throw new Xunit.Sdk.XunitException($"{userName} could not sign in: {string.Join(" | ", alerts)}");
            }
            else
            {
                return page;
            }
        }

        throw new Xunit.Sdk.XunitException($"{userName}'s first sign-in did not end on a page of the application: {page.Url}");
    }

    private static async Task AddOrganizationAsync(IPage page, string baseUrl, string name, string? parent, string kind)
    {
        await page.GotoAsync(baseUrl + "/organizations");
        if (parent is not null)
        {
            var value = await page.Locator("select[name=parentId] option", new() { HasText = parent }).First.GetAttributeAsync("value");
            await page.SelectOptionAsync("select[name=parentId]", value!);
        }

        await page.FillAsync("input[name=name]", name);
        await page.SelectOptionAsync("select[name=kind]", kind);
        await page.ClickAsync("button[type=submit]:has-text('新增单位')");
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        Assert.Equal(0, await page.Locator(".error-box").CountAsync());
        Assert.Contains(name, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }
}
