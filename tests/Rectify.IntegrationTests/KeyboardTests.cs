using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// A person without a mouse: the unit reports with a file, the office accepts, the unit applies for 销号, the office accepts
/// the application, the leader approves. Every field and button is reached with Tab and used with typing, Enter or Space
/// (only the file itself is handed to the focused file input, as the system's file dialog would), and every element the
/// keyboard stops on shows that it has the focus.
/// </summary>
public sealed class KeyboardTests(AccessibilityApp app) : IClassFixture<AccessibilityApp>
{
    private const int MaxStops = 250;

    private readonly List<string> unmarked = [];

    [Fact]
    public async Task The_report_form_and_the_sign_off_are_done_with_the_keyboard_alone_and_every_focus_stop_is_visible()
    {
        app.RequireAvailable();
        int measure;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            measure = await db.Measures.Where(m => m.InspectionId == app.InspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == Rectify.Domain.MeasureState.InProgress)
                .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(TestContext.Current.CancellationToken);
        }

        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var origin = app.ServerAddress!.GetLeftPart(UriPartial.Authority);
        var url = $"{origin}/measures/{measure}";
        IPage? current = null;
        try
        {
            // The unit: the report form, field by field.
            var unit = current = await SignInAsync(browser, origin, "unit");
            await unit.GotoAsync(url);
            await TabToAsync(unit, "form.report-form textarea[name=narrative]");
            await unit.Keyboard.TypeAsync("已修订制度并印发（键盘操作）。");
            await TabToAsync(unit, "form.report-form input[name=percent]");
            await unit.Keyboard.PressAsync("Control+A");
            await unit.Keyboard.TypeAsync("100");
            await TabToAsync(unit, "form.report-form input[name=effectiveDate]");
            await TypeDateAsync(unit, "form.report-form input[name=effectiveDate]", "2025", "09", "30");
            await TabToAsync(unit, "form.report-form input[type=file]");
            await unit.Locator(":focus").SetInputFilesAsync(new FilePayload
            {
                Name = "整改佐证.pdf",
                MimeType = "application/pdf",
                Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% keyboard walk\ntrailer << >>\n%%EOF\n"),
            });
            await TabToAsync(unit, "form.report-form button[type=submit]");
            await unit.Keyboard.PressAsync("Enter");
            await unit.WaitForSelectorAsync(".notice-box:has-text('已报送进展')");

            // The office accepts the report.
            var office = current = await SignInAsync(browser, origin, "office");
            await office.GotoAsync(url);
            await TabToAsync(office, ".progress-report button[value=accept]");
            await office.Keyboard.PressAsync("Space");
            await office.WaitForSelectorAsync(".notice-box:has-text('已采纳这份报送')");

            // The unit applies for 销号.
            current = unit;
            await unit.GotoAsync(url);
            await TabToAsync(unit, "form.workflow button[value=ApplyForSignOff]");
            await unit.Keyboard.PressAsync("Enter");
            await unit.WaitForSelectorAsync(".notice-box:has-text('已申请销号')");

            // The office accepts the application.
            current = office;
            await office.GotoAsync(url);
            await TabToAsync(office, "form.workflow button[value=AcceptApplication]");
            await office.Keyboard.PressAsync("Enter");
            await office.WaitForSelectorAsync(".notice-box:has-text('已审核通过销号申请')");

            // The leader approves.
            var leader = current = await SignInAsync(browser, origin, "leader");
            await leader.GotoAsync(url);
            await TabToAsync(leader, "form.workflow button[value=Approve]");
            await leader.Keyboard.PressAsync("Enter");
            await leader.WaitForSelectorAsync(".notice-box:has-text('已审批同意销号')");
            Assert.Contains("已销号", await leader.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var file = Path.Combine(BrowserTests.ScreenshotFolder, "keyboard-failure.png");
            if (current is not null)
            {
                Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
                await current.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            }

            throw new Xunit.Sdk.XunitException($"The keyboard walk failed at {current?.Url}: {e.Message} (screenshot {file})", e);
        }

        Assert.True(unmarked.Count == 0, "Focus stops without a visible focus indicator (no outline, no box-shadow):\n" + string.Join('\n', unmarked.Distinct()));
    }

    /// <summary>
    /// Types a day into the focused date field as a person would, in the order its segments are shown, which follows the
    /// browser's language (month/day/year, day/month/year or year/month/day): the first that gives the day is the one shown.
    /// Shift+Tab goes back over the two segments typed past.
    /// </summary>
    private static async Task TypeDateAsync(IPage page, string selector, string year, string month, string day)
    {
        var expected = $"{year}-{month}-{day}";
        string[] orders = [month + day + year, day + month + year, year + month + day];
        var got = new List<string>();
        foreach (var typed in orders)
        {
            await page.Keyboard.TypeAsync(typed);
            var value = await page.InputValueAsync(selector);
            if (value == expected)
            {
                return;
            }

            got.Add($"{typed} → «{value}»");
            await page.Keyboard.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Shift+Tab");
        }

        throw new Xunit.Sdk.XunitException($"typing the day {expected} into {selector} gave: {string.Join("; ", got)}");
    }

    /// <summary>Signs in with the keyboard: Tab to each field, type, Enter.</summary>
    private async Task<IPage> SignInAsync(IBrowser browser, string origin, string user)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(origin + "/Account/SignIn");
        await TabToAsync(page, "#userName");
        await page.Keyboard.TypeAsync(user);
        await TabToAsync(page, "#password");
        await page.Keyboard.TypeAsync(app.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.AddressedAsync(origin + "/");
        return page;
    }

    /// <summary>Presses Tab until the element <paramref name="selector"/> has the focus, checking the focus indicator of every stop on the way.</summary>
    private async Task TabToAsync(IPage page, string selector)
    {
        var path = new List<string>();
        for (var stop = 0; stop < MaxStops; stop++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<JsonElement>(FocusScript, selector);
            var what = focus.GetProperty("what").GetString()!;
            path.Add(what);
            if (!focus.GetProperty("visible").GetBoolean())
            {
                unmarked.Add($"{new Uri(page.Url).AbsolutePath}: {what} (outline {focus.GetProperty("outline").GetString()}, box-shadow {focus.GetProperty("shadow").GetString()})");
            }

            if (focus.GetProperty("matches").GetBoolean())
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"Tab did not reach {selector} on {page.Url} in {MaxStops} stops; it went through: {string.Join(" → ", path.Take(60))}");
    }

    /// <summary>The focused element, whether it is the one sought, and whether it shows the focus (an outline or a box-shadow).</summary>
    private const string FocusScript = """
        async selector => {
          // After the next frame, when the browser has drawn the focus where it moved.
          await new Promise(resolve => requestAnimationFrame(() => resolve()));
          const el = document.activeElement;
          if (!el || el === document.body) return { what: 'body (past the last stop)', matches: false, visible: true, outline: '', shadow: '' };
          // Focus inside the browser's own part of a control (a date field's calendar button) leaves the field the active
          // element without matching :focus; the browser draws that ring itself and no page style can reach it.
          if (!el.matches(':focus')) return { what: el.tagName.toLowerCase() + ' (the browser\'s own part of it)', matches: false, visible: true, outline: '', shadow: '' };
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const shadow = s.boxShadow && s.boxShadow !== 'none';
          const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '')
            + (el.getAttribute('value') && el.tagName === 'BUTTON' ? `[value=${el.getAttribute('value')}]` : '')
            + ' «' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 20) + '»';
          return { what, matches: el.matches(selector), visible: outline || shadow, outline: `${s.outlineStyle} ${s.outlineWidth}`, shadow: s.boxShadow };
        }
        """;
}
