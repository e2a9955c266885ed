using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

public sealed class BrowserApp() : AppFixture(Provider.Sqlite, kestrel: true);

/// <summary>What a person sees, in Debian's Chromium driven by Playwright, against the app on a real port.</summary>
public sealed class BrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

    /// <summary>Where screenshots go, so that a person can look at them after a run.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("RECTIFY_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots");

    internal static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Requirements.ChromiumPath))
        {
            Requirements.Unavailable($"Chromium is not installed at {Requirements.ChromiumPath} (apt-get install chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Requirements.ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        return (playwright, browser);
    }

    /// <summary>Signs <paramref name="user"/> in with the demo password on the sign-in page and waits for the home page.</summary>
    private async Task SignInAsync(IPage page, string user)
    {
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        await page.SignInAsync(baseUrl, user, app.Password);
    }

    /// <summary>Chromium with a page at phone size signed in as <paramref name="user"/> (the screenshot folder made); disposed as one.</summary>
    private async Task<PhoneSession> PhoneAsync(string user)
    {
        var (playwright, browser) = await LaunchAsync();
        var session = new PhoneSession(playwright, browser, await PhonePageAsync(browser), app.ServerAddress!.ToString().TrimEnd('/'));
        try
        {
            Directory.CreateDirectory(ScreenshotFolder);
            await SignInAsync(session.Page, user);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private sealed record PhoneSession(IPlaywright Playwright, IBrowser Browser, IPage Page, string BaseUrl) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    /// <summary>A new page in a context of its own at phone size (390 × 844, Chinese), with the tests' 60 s timeout.</summary>
    private static async Task<IPage> PhonePageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    [Fact]
    public async Task A_measure_walks_from_report_to_sign_off_and_back_through_a_look_back_as_three_people_in_the_browser()
    {
        app.RequireAvailable();
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        try
        {
            await WalkOneMeasureAsync(browser);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            // Leave a picture of every person's page and say where each stood, in the failure itself, for whoever reads the CI log.
            Directory.CreateDirectory(ScreenshotFolder);
            var where = new System.Text.StringBuilder("The browser walk failed: ").Append(e.Message);
            var n = 0;
            foreach (var page in browser.Contexts.SelectMany(c => c.Pages))
            {
                var file = Path.Combine(ScreenshotFolder, $"walk-failure-{++n}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
                where.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  page {n} at {page.Url}; alerts: [{string.Join(" | ", alerts)}]; screenshot {file}");
            }

            throw new Xunit.Sdk.XunitException(where.ToString(), e);
        }
    }

    private async Task WalkOneMeasureAsync(IBrowser browser)
    {
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');
        Directory.CreateDirectory(ScreenshotFolder);
        int measure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            measure = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == Rectify.Domain.MeasureState.InProgress)
                .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        async Task<IPage> OnTheMeasureAsync(string user)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(60_000);
            await SignInAsync(page, user);
            await page.GotoAsync($"{baseUrl}/measures/{measure}");
            return page;
        }

        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% browser walk\ntrailer << >>\n%%EOF\n");
        async Task ReportAsync(IPage page, string text)
        {
            await page.FillAsync("form.report-form textarea[name=narrative]", text);
            await page.FillAsync("form.report-form input[name=percent]", "100");
            await page.FillAsync("form.report-form input[name=effectiveDate]", "2025-09-30");
            await page.SetInputFilesAsync("form.report-form input[type=file]", new FilePayload { Name = "整改佐证.pdf", MimeType = "application/pdf", Buffer = pdf });
            await page.ClickAsync("form.report-form button[type=submit]");
            await page.WaitForSelectorAsync(".notice-box:has-text('已报送进展')");
        }

        var unit = await OnTheMeasureAsync("unit");
        var office = await OnTheMeasureAsync("office");
        var leader = await OnTheMeasureAsync("leader");
        var admin = await OnTheMeasureAsync("admin");

        // Someone outside the business (the system administrator) cannot open the measure at all.
        Assert.Equal("找不到页面", await admin.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await admin.Locator("form").Filter(new LocatorFilterOptions { Has = admin.Locator("button[value=ApplyForSignOff]") }).CountAsync());

        // The office and the leader have no report form; the unit has. The office may file for the unit (代报), folded
        // away while the unit has a reporter of its own.
        Assert.Equal(0, await office.Locator("form.report-form:not(.on-behalf-form)").CountAsync());
        Assert.False(await office.Locator("details#report-on-behalf form.on-behalf-form").IsVisibleAsync());
        Assert.Equal(0, await leader.Locator("form.report-form").CountAsync());
        await ReportAsync(unit, "已修订制度并印发。");

        // The report waits in the office's 待办; only the office gets the review buttons.
        await office.GotoAsync($"{baseUrl}/work");
        Assert.Equal(1, await office.Locator($"table[data-section=reports] a[href='/measures/{measure}']").CountAsync());
        await office.GotoAsync($"{baseUrl}/measures/{measure}");
        await leader.ReloadAsync();
        await unit.ReloadAsync();
        Assert.Equal(1, await leader.Locator(".progress-report").CountAsync());
        Assert.Equal(0, await leader.Locator(".progress-report button[value=accept]").CountAsync());
        Assert.Equal(0, await unit.Locator(".progress-report button[value=accept]").CountAsync());
        await office.FillAsync(".progress-report input[name=reason]", "请附印发文件首页");
        await office.ClickAsync(".progress-report button[value=return]");
        await office.WaitForSelectorAsync(".notice-box:has-text('已退回这份报送')");

        await unit.GotoAsync($"{baseUrl}/work");
        Assert.Equal(1, await unit.Locator($"table[data-section=returned] a[href='/measures/{measure}']").CountAsync());
        await unit.GotoAsync($"{baseUrl}/measures/{measure}");
        Assert.Contains("请附印发文件首页", await unit.Locator(".progress-report").First.InnerTextAsync(), StringComparison.Ordinal);
        await ReportAsync(unit, "已附印发文件首页。");

        await office.ReloadAsync();
        await office.ClickAsync(".progress-report button[value=accept]");
        await office.WaitForSelectorAsync(".notice-box:has-text('已采纳这份报送')");

        await unit.ReloadAsync();
        await unit.ClickAsync("form.workflow button[value=ApplyForSignOff]");
        await unit.WaitForSelectorAsync(".notice-box:has-text('已申请销号')");
        Assert.Equal(0, await unit.Locator("form.workflow").CountAsync());

        // The leader cannot approve before the office has reviewed: the button is not there.
        await leader.ReloadAsync();
        Assert.Equal(0, await leader.Locator("form.workflow button[value=Approve]").CountAsync());

        await office.ReloadAsync();
        await office.ClickAsync("form.workflow button[value=AcceptApplication]");
        await office.WaitForSelectorAsync(".notice-box:has-text('已审核通过销号申请')");

        await leader.GotoAsync($"{baseUrl}/work");
        Assert.Equal(1, await leader.Locator($"table[data-section=approve] a[href='/measures/{measure}']").CountAsync());
        await leader.GotoAsync($"{baseUrl}/measures/{measure}");
        await leader.ClickAsync("form.workflow button[value=Approve]");
        await leader.WaitForSelectorAsync(".notice-box:has-text('已审批同意销号')");
        Assert.Contains("已销号", await leader.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await leader.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "measure-signed-off.png"), FullPage = true });

        // Each report version and the whole history are there for the office.
        await office.ReloadAsync();
        Assert.Equal(2, await office.Locator(".progress-report").CountAsync());
        await office.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/overview");
        Assert.True(await office.Locator("tr.finding-signal").CountAsync() == 27);
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "overview.png"), FullPage = false });
        await office.GotoAsync($"{baseUrl}/measures/{measure}");
        var evidence = await office.RunAndWaitForDownloadAsync(() => office.Locator(".progress-report a:has-text('整改佐证.pdf')").First.ClickAsync());
        Assert.Equal("整改佐证.pdf", evidence.SuggestedFilename);

        // Look-back: the office schedules one for today, nobody else can; it finds a rebound and the measure is open again.
        await unit.ReloadAsync();
        Assert.Equal(0, await unit.Locator("form:has(button:has-text('安排回头看'))").CountAsync());
        Assert.Equal(0, await unit.Locator("form.report-form").CountAsync());
        var today = Rectify.Domain.ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await office.FillAsync("form:has(button:has-text('安排回头看')) input[name=dueDate]", today);
        await office.ClickAsync("button:has-text('安排回头看')");
        await office.WaitForSelectorAsync($".notice-box:has-text('已安排回头看（{today}）')");
        await office.GotoAsync($"{baseUrl}/work");
        Assert.Equal(1, await office.Locator($"table[data-section=lookbacks] a[href='/measures/{measure}']").CountAsync());
        await office.GotoAsync($"{baseUrl}/measures/{measure}");

        await leader.ReloadAsync();
        Assert.Equal(1, await leader.Locator(".look-back").CountAsync());
        Assert.Equal(0, await leader.Locator(".look-back button[value=Rebound]").CountAsync());

        await office.FillAsync(".look-back input[name=finding]", "抽查发现 2 个项目仍未公开招标");
        await office.ClickAsync(".look-back button[value=Rebound]");
        await office.WaitForSelectorAsync(".notice-box:has-text('已记录反弹，措施已重新打开')");
        Assert.Contains("整改中", await office.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("发现反弹", await office.Locator("table.history").InnerTextAsync(), StringComparison.Ordinal);

        // The unit sees the measure open again, with the look-back's reason, and may report on it again.
        await unit.ReloadAsync();
        Assert.Contains("整改中", await unit.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("抽查发现 2 个项目仍未公开招标", await unit.Locator(".look-back").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await unit.Locator("form.report-form").CountAsync());
        await unit.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "measure-rebound.png"), FullPage = true });

        await office.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/lookbacks");
        Assert.Contains("反弹", await office.Locator($"tr:has(a[href='/measures/{measure}'])").InnerTextAsync(), StringComparison.Ordinal);
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "lookbacks.png"), FullPage = true });
    }

    [Fact]
    public async Task On_a_phone_the_overviews_figure_tables_give_the_names_a_readable_width_and_break_headings_only_between_words()
    {
        app.RequireAvailable();
        await using var phone = await PhoneAsync("office");
        var (page, baseUrl) = (phone.Page, phone.BaseUrl);
        await page.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/overview");

        // Each table: the narrowest first-column (name) cell, and the tallest heading in lines of the table's text.
        var tables = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            () => Array.from(document.querySelectorAll('table.rates, table.finding-signals'), t => {
                const name = t.classList.contains('rates') ? 'td:first-child' : 'td.finding-title';
                const line = parseFloat(getComputedStyle(t.querySelector('td')).lineHeight);
                const pad = th => parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom);
                const chars = c => { const s = getComputedStyle(c); return (c.getBoundingClientRect().width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - parseFloat(s.borderLeftWidth) - parseFloat(s.borderRightWidth)) / parseFloat(s.fontSize); };
                return {
                    table: t.dataset.rates || 'finding-signals',
                    nameChars: Math.min(...Array.from(t.querySelectorAll(name), chars)),
                    headingLines: Math.max(...Array.from(t.querySelectorAll('th'), th => Math.round((th.getBoundingClientRect().height - pad(th)) / line))),
                    right: t.getBoundingClientRect().right,
                };
            })
            """);
        Assert.Equal(4, tables.GetArrayLength());
        foreach (var table in tables.EnumerateArray())
        {
            var which = table.GetProperty("table").GetString();
            // 持续整改 as 持续/整改: two lines at most (one character a line made four).
            Assert.True(table.GetProperty("headingLines").GetDouble() <= 2, $"{which}: a heading takes {table.GetProperty("headingLines")} lines");
            // A name of at least six characters a line (the findings' titles had four).
            Assert.True(table.GetProperty("nameChars").GetDouble() >= 6, $"{which}: the names are {table.GetProperty("nameChars")} characters wide");
            Assert.True(table.GetProperty("right").GetDouble() <= 390, $"{which}: the table reaches {table.GetProperty("right")} px on a 390 px phone");
        }
    }

    /// <summary>
    /// The first responsible person reads the plan on a phone before adopting it, the office its inspections, findings
    /// and 督办: every row is a card, its 责任领导, 牵头单位 and 整改时限 on the screen, not off its right edge.
    /// </summary>
    [Fact]
    public async Task On_a_phone_the_plan_inspections_finding_and_supervision_lists_are_cards_with_every_column_on_screen()
    {
        app.RequireAvailable();
        await using var phone = await PhoneAsync("secretary");
        var (page, baseUrl) = (phone.Page, phone.BaseUrl);
        var findingId = await app.ReadAsync(db => db.Findings.Where(f => f.InspectionId == app.InspectionId).OrderBy(f => f.Number).Select(f => f.Id).FirstAsync(TestContext.Current.CancellationToken));
        foreach (var (path, table, shot) in new[]
        {
            ($"/inspections/{app.InspectionId}/plan", "table.plan-measures", "phone-plan.png"),
            ("/", "table.inspections", "phone-inspections.png"),
            ($"/findings/{findingId}", "table.cards", "phone-finding.png"),
            ($"/inspections/{app.InspectionId}/supervision", "table.notices", "phone-supervision.png"),
        })
        {
            await page.GotoAsync(baseUrl + path);
            var cells = await page.EvaluateAsync<System.Text.Json.JsonElement>($$"""
                () => Array.from(document.querySelectorAll('{{table}} tbody td[data-label]'))
                    .filter(td => td.offsetParent !== null)
                    .map(td => ({ label: td.dataset.label, right: td.getBoundingClientRect().right, scrolls: td.closest('.table-wrap') ? td.closest('.table-wrap').scrollWidth > td.closest('.table-wrap').clientWidth + 1 : false }))
                """);
            if (cells.GetArrayLength() == 0 && table == "table.notices")
            {
                continue;
            }

            Assert.True(cells.GetArrayLength() > 0, $"{path}: no labelled cells in {table}");
            foreach (var cell in cells.EnumerateArray())
            {
                Assert.True(cell.GetProperty("right").GetDouble() <= 390, $"{path}: {cell.GetProperty("label")} reaches {cell.GetProperty("right")} px on a 390 px phone");
                Assert.False(cell.GetProperty("scrolls").GetBoolean(), $"{path}: {table} scrolls sideways in its box");
            }

            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, $"{path}: the page scrolls sideways");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, shot), FullPage = false });
        }
    }

    [Fact]
    public async Task A_refused_register_entry_or_look_back_keeps_what_was_typed_with_the_message_inside_its_form_on_a_phone()
    {
        app.RequireAvailable();
        await using var phone = await PhoneAsync("office");
        var (page, baseUrl) = (phone.Page, phone.BaseUrl);
        async Task FitsAsync(string what)
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{what}: the page is {width} px wide on a 390 px phone");
        }

        try
        {
            // A number of people that is not whole: refused inside the outcome form, everything typed still there.
            await page.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/registers");
            await page.SelectOptionAsync("#new-outcome select[name=kind]", "PeopleHandled");
            await page.FillAsync("#new-outcome input[name=amount]", "2.5");
            await page.FillAsync("#new-outcome input[name=note]", "给予党纪处分（浏览器测试）");
            await page.FillAsync("#new-outcome input[name=findings]", "13、22");
            await page.ClickAsync("#new-outcome button[type=submit]");
            await page.WaitForSelectorAsync("#new-outcome [role=alert]");
            Assert.Contains("“处理人数”是整数（填写了 2.5）", await page.Locator("#new-outcome [role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator("[role=alert]").CountAsync());
            Assert.Equal("PeopleHandled", await page.InputValueAsync("#new-outcome select[name=kind]"));
            Assert.Equal("2.5", await page.InputValueAsync("#new-outcome input[name=amount]"));
            Assert.Equal("给予党纪处分（浏览器测试）", await page.InputValueAsync("#new-outcome input[name=note]"));
            Assert.Equal("13、22", await page.InputValueAsync("#new-outcome input[name=findings]"));
            await FitsAsync("the registers page after a refusal");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "phone-register-refused.png"), FullPage = true });

            // Put right and registered; then corrected through the entry's own form, its earlier version shown beside it, all on the phone.
            await page.FillAsync("#new-outcome input[name=amount]", "2");
            await page.ClickAsync("#new-outcome button[type=submit]");
            await page.WaitForSelectorAsync(".notice-box:has-text('已登记整改成效')");
            var entry = page.Locator(".register-entry:has-text('给予党纪处分（浏览器测试）')");
            await entry.Locator("details.correct > summary").ClickAsync();
            await entry.Locator("form[id^=correct-outcome] input[name=amount]").FillAsync("3");
            await entry.Locator("form[id^=correct-outcome] input[name=reason]").FillAsync("漏计一人");
            await entry.Locator("form[id^=correct-outcome] button[type=submit]").ClickAsync();
            await page.WaitForSelectorAsync(".notice-box:has-text('现为第 2 版')");
            await entry.Locator("details.versions > summary").ClickAsync();
            await entry.Locator("details.correct > summary").ClickAsync();
            Assert.Contains("处理人数 2", await entry.Locator("ol.versions").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("漏计一人", await entry.Locator(".entry-version").InnerTextAsync(), StringComparison.Ordinal);
            await FitsAsync("the registers page with an entry's versions and forms open");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "phone-register-corrected.png"), FullPage = true });

            // A finding number the inspection does not have: refused inside the institution form, the rule's facts kept.
            await page.FillAsync("#new-institution input[name=name]", "工程建设项目招投标管理办法（浏览器测试）");
            await page.FillAsync("#new-institution input[name=issuer]", "万江街道党工委");
            await page.FillAsync("#new-institution input[name=documentNumber]", "万江党工委〔2025〕12号");
            await page.FillAsync("#new-institution input[name=issuedOn]", "2025-03-01");
            await page.FillAsync("#new-institution input[name=findings]", "13、99");
            await page.ClickAsync("#new-institution button[type=submit]");
            await page.WaitForSelectorAsync("#new-institution [role=alert]");
            Assert.Contains("没有序号为 99 的问题", await page.Locator("#new-institution [role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#new-outcome [role=alert]").CountAsync());
            Assert.Equal("工程建设项目招投标管理办法（浏览器测试）", await page.InputValueAsync("#new-institution input[name=name]"));
            Assert.Equal("万江街道党工委", await page.InputValueAsync("#new-institution input[name=issuer]"));
            Assert.Equal("万江党工委〔2025〕12号", await page.InputValueAsync("#new-institution input[name=documentNumber]"));
            Assert.Equal("2025-03-01", await page.InputValueAsync("#new-institution input[name=issuedOn]"));
            Assert.Equal("13、99", await page.InputValueAsync("#new-institution input[name=findings]"));

            // A look-back date in the past: refused inside the scheduling form, the sample size, unit and date kept.
            await page.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}/lookbacks");
            var unit = await page.Locator("#schedule-lookbacks select[name=unit] option:nth-child(2)").GetAttributeAsync("value");
            await page.CheckAsync("#schedule-lookbacks input[name=scope][value=sample]");
            await page.FillAsync("#schedule-lookbacks input[name=count]", "2");
            await page.SelectOptionAsync("#schedule-lookbacks select[name=unit]", unit!);
            await page.FillAsync("#schedule-lookbacks input[name=dueDate]", "2020-01-01");
            await page.ClickAsync("#schedule-lookbacks button[type=submit]");
            await page.WaitForSelectorAsync("#schedule-lookbacks [role=alert]");
            Assert.Contains("不能早于今天", await page.Locator("#schedule-lookbacks [role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator("[role=alert]").CountAsync());
            Assert.True(await page.IsCheckedAsync("#schedule-lookbacks input[name=scope][value=sample]"));
            Assert.Equal("2", await page.InputValueAsync("#schedule-lookbacks input[name=count]"));
            Assert.Equal(unit, await page.InputValueAsync("#schedule-lookbacks select[name=unit]"));
            Assert.Equal("2020-01-01", await page.InputValueAsync("#schedule-lookbacks input[name=dueDate]"));
            await FitsAsync("the look-backs page after a refusal");

            // The other choice is kept too (on the page the second refusal answers with, not the one before it).
            await page.EvaluateAsync("() => { window.beforeSecondTry = true; }");
            await page.CheckAsync("#schedule-lookbacks input[name=scope][value=all]");
            await page.ClickAsync("#schedule-lookbacks button[type=submit]");
            await page.WaitForFunctionAsync("() => !window.beforeSecondTry && document.readyState === 'complete' && document.querySelector('#schedule-lookbacks [role=alert]') !== null");
            Assert.True(await page.IsCheckedAsync("#schedule-lookbacks input[name=scope][value=all]"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "phone-lookbacks-refused.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "refusal-failure.png"), FullPage = true });
            Console.Error.WriteLine($"Browser refusal test failed at {page.Url}; screenshot in {ScreenshotFolder}/refusal-failure.png");
            throw;
        }
    }

    [Fact]
    public async Task An_office_worker_signs_in_opens_the_seed_ledger_and_filters_it_by_a_unit()
    {
        app.RequireAvailable();
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
        page.SetDefaultTimeout(60_000);
        Directory.CreateDirectory(ScreenshotFolder);
        try
        {
            await WalkThroughAsync(page);
        }
        catch
        {
            // Leave a picture of where it stopped for whoever reads the CI log.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "failure.png"), FullPage = true });
            Console.Error.WriteLine($"Browser test failed at {page.Url}; screenshot in {ScreenshotFolder}/failure.png");
            throw;
        }
    }

    private async Task WalkThroughAsync(IPage page)
    {
        var baseUrl = app.ServerAddress!.ToString().TrimEnd('/');

        // A stranger lands on the sign-in page.
        await page.GotoAsync(baseUrl + "/");
        Assert.EndsWith("/Account/SignIn?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        Assert.Equal("登录", await page.Locator("h1").InnerTextAsync());

        // A wrong password is refused in plain words.
        await page.FillAsync("#userName", "office");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        Assert.Contains("用户名或密码错误", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);

        await page.FillAsync("#password", app.Password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.ArrivedAtAsync(baseUrl + "/");
        var inspectionLink = page.Locator("a", new PageLocatorOptions { HasText = "市委第七巡察组对万江街道党工委的巡察" });
        await inspectionLink.ClickAsync();

        // The whole ledger: 72 measures, the first page of 50 shown, the categories as the notice words them.
        await page.ArrivedAtAsync($"{baseUrl}/inspections/{app.InspectionId}");
        Assert.Equal("共 72 条整改措施", await page.Locator("#result-count").InnerTextAsync());
        Assert.Equal(50, await page.Locator("tr.measure").CountAsync());
        Assert.Contains("(一)关于对学习习近平新时代中国特色社会主义思想,贯彻落实“百千万工程”决策部署方面", await page.Locator("tr.category").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator(".badge.assume").CountAsync() > 0, "demo assumptions are marked");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "ledger.png"), FullPage = false });

        // Filter by a unit the notice names: only its measures remain.
        await page.SelectOptionAsync("select[name=unit]", new SelectOptionValue { Label = "工程建设中心" });
        await page.ClickAsync("form.filters button[type=submit]");
        await page.ArrivedAtAsync(url => url.Contains("unit=", StringComparison.Ordinal));
        var rows = page.Locator("tr.measure");
        var count = await rows.CountAsync();
        Assert.True(count > 0);
        Assert.Equal($"共 {count} 条整改措施", await page.Locator("#result-count").InnerTextAsync());
        for (var i = 0; i < count; i++)
        {
            var row = rows.Nth(i);
            var units = await row.Locator("td.lead-unit").InnerTextAsync() + await row.Locator("td.supporting-units").InnerTextAsync();
            Assert.Contains("工程建设中心", units, StringComparison.Ordinal);
        }

        Assert.Contains("推动审计整改成果转化", await page.Locator("tr.finding").Last.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("工程建设中心", await page.Locator("select[name=unit] option:checked").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "ledger-filtered.png"), FullPage = true });

        // Printed, the ledger drops the navigation and the filters.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.Locator("form.filters").IsVisibleAsync());
        Assert.False(await page.Locator("header.top").IsVisibleAsync());
        Assert.True(await page.Locator("table.ledger").IsVisibleAsync());
        await page.PdfAsync(new PagePdfOptions { Path = Path.Combine(ScreenshotFolder, "ledger-filtered.pdf"), Format = "A4", Landscape = true });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // The measure's page shows its history.
        await rows.Last.Locator("a.measure-link").ClickAsync();
        await page.ArrivedAtAsync(url => url.Contains("/measures/", StringComparison.Ordinal));
        Assert.Contains("办理记录", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "measure.png"), FullPage = true });

        await page.GotoAsync(baseUrl + "/organizations");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "organizations.png"), FullPage = true });

        // Signing out from the header works, and the system administrator manages accounts but sees no ledger.
        await page.ClickAsync("header.top button.linklike:has-text('退出')");
        await page.ArrivedAtAsync(url => url.Contains("/Account/SignIn", StringComparison.Ordinal));
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", app.Password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.ArrivedAtAsync(baseUrl + "/");
        Assert.Equal(0, await page.Locator("a", new PageLocatorOptions { HasText = "市委第七巡察组对万江街道党工委的巡察" }).CountAsync());
        await page.ClickAsync("header.top a:has-text('用户管理')");
        await page.ArrivedAtAsync(baseUrl + "/admin/users");
        Assert.True(await page.Locator("tr.user-row").CountAsync() >= 5);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "admin-users.png"), FullPage = true });
        await page.ClickAsync("tr.user-row a:has-text('unit')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "admin-user.png"), FullPage = true });

        // On a phone the ledger still reads (as the office again).
        await page.ClickAsync("header.top button.linklike:has-text('退出')");
        await page.ArrivedAtAsync(url => url.Contains("/Account/SignIn", StringComparison.Ordinal));
        await page.FillAsync("#userName", "office");
        await page.FillAsync("#password", app.Password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.ArrivedAtAsync(baseUrl + "/");

        // A new context that is phone-sized from the start, with the same sign-in: resizing the live page before the
        // screenshot sometimes failed in Chromium ("Unable to capture screenshot").
        await using var phoneContext = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "zh-CN",
            StorageState = await page.Context.StorageStateAsync(),
        });
        var phone = await phoneContext.NewPageAsync();
        phone.SetDefaultTimeout(60_000);
        await phone.GotoAsync($"{baseUrl}/inspections/{app.InspectionId}?kind=Immediate");
        Assert.True(await phone.Locator("table.ledger").IsVisibleAsync(), $"the phone shows the ledger, signed in (it is at {phone.Url})");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "ledger-phone.png") });
    }
}
