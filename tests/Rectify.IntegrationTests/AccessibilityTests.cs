using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>The accessibility checks' own application: the keyboard walk moves a measure to 已销号, which no other test expects.</summary>
public sealed class AccessibilityApp() : AppFixture(Provider.Sqlite, kestrel: true);

/// <summary>
/// axe-core (WCAG 2.0 and 2.1, levels A and AA) on every kind of page each role can reach, and on the public pages with
/// nobody signed in, at a desk's 1366 px and a phone's 390 px: no violation of impact serious or critical may remain
/// (GB/T 37668-2019 follows WCAG 2.x AA). The pages are found as <see cref="CrawlTests"/> finds them, by following links,
/// but one page of each kind, and nothing is submitted.
/// </summary>
public sealed class AccessibilityTests(AccessibilityApp app) : IClassFixture<AccessibilityApp>
{
    internal const int DeskWidth = 1366;
    internal const int PhoneWidth = 390;
    private const int MaxPagesPerRole = 45;

    private static readonly string[] DemoRoles = ["office", "unit", "leader", "secretary", "discipline", "inspector", "admin", "secadmin", "auditadmin"];

    private static readonly string[] Impacts = ["serious", "critical"];

    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>By kind of page (its path's pattern, without the query), the make-up of each one checked (<see cref="ShapeScript"/>).</summary>
    private readonly Dictionary<string, List<HashSet<string>>> checkedShapes = new(StringComparer.Ordinal);

    /// <summary>What was checked and found, written as it goes, for whoever watches a long run.</summary>
    private static string Log => Path.Combine(BrowserTests.ScreenshotFolder, "axe-progress.txt");

    /// <summary>The page's make-up without its text: every element's tag, classes, role, name and type, and whether it has the focus order.</summary>
    private const string ShapeScript = """
        () => Array.from(new Set(Array.from(document.querySelectorAll('body *'), e =>
          [e.tagName, e.className, e.getAttribute('role'), e.getAttribute('name'), e.getAttribute('type'), e.getAttribute('tabindex')].join('|')))).sort().join('\n')
        """;

    private sealed record Finding(string Who, string Url, int Width, string Rule, string Impact, string Targets);

    [Fact]
    public async Task No_page_of_any_role_nor_any_public_page_has_a_serious_or_critical_axe_violation_at_1366_or_390_px()
    {
        app.RequireAvailable();
        var ct = TestContext.Current.CancellationToken;

        // The pages a measure shows depend on its state: one of each state the demo has, the one with the most reports,
        // and one with evidence (a report with a file), if the demo has them.
        List<string> measures;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            var ids = await db.Measures.Where(m => m.InspectionId == app.InspectionId).GroupBy(m => m.State).Select(g => g.Min(m => m.Id)).ToListAsync(ct);
            var reported = await db.ProgressReports.GroupBy(r => r.MeasureId).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(1).ToListAsync(ct);
            var withEvidence = await db.ProgressReportEvidence.Join(db.ProgressReports, e => e.ProgressReportId, r => r.Id, (e, r) => r.MeasureId).Take(1).ToListAsync(ct);
            measures = ids.Concat(reported).Concat(withEvidence).Distinct().Order().Select(id => "/measures/" + id.ToString(CultureInfo.InvariantCulture)).ToList();
        }

        // A published progress notice, for the public pages.
        var (_, key) = await app.PublishedAsync();

        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var origin = app.ServerAddress!.GetLeftPart(UriPartial.Authority);
        await AxeSeesAFaultAsync(browser, origin);
        var findings = new List<Finding>();
        var visited = new StringBuilder();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var role in DemoRoles.Append(null))
        {
            var checkedPages = await CheckRoleAsync(browser, origin, role, role is null ? ["/Account/SignIn", "/notices/" + key] : measures, findings);
            visited.Append(CultureInfo.InvariantCulture, $"{role ?? "anonymous"}: {checkedPages.Count} pages ({string.Join(", ", checkedPages)})\n");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"axe checked in {clock.Elapsed.TotalSeconds:0} s:\n{visited}");
        Assert.True(visited.Length > 0);
        Assert.True(findings.Count == 0, $"{findings.Count} serious or critical axe violations:\n"
            + string.Join('\n', findings.Select(f => $"[{f.Who}] {f.Url} at {f.Width} px: {f.Rule} ({f.Impact}) on {f.Targets}"))
            + "\n\nPages checked:\n" + visited);
    }

    private async Task<List<string>> CheckRoleAsync(IBrowser browser, string origin, string? user, IReadOnlyList<string> seeds, List<Finding> findings)
    {
        if (checkedShapes.Count == 0)
        {
            Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
            await File.WriteAllTextAsync(Log, string.Empty);
        }

        var who = user ?? "anonymous";
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = DeskWidth, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var queue = new Queue<string>();
        var patterns = new HashSet<string>(StringComparer.Ordinal);
        void Enqueue(string link)
        {
            if (!link.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
                && !link.StartsWith("/Account/SignOut", StringComparison.OrdinalIgnoreCase)
                && !link.StartsWith("/Account/Language", StringComparison.OrdinalIgnoreCase)
                && !CrawlTests.IsDownload(link)
                && patterns.Add(CrawlTests.Pattern(link)))
            {
                queue.Enqueue(link);
            }
        }

        if (user is null)
        {
            // Nobody signed in: the sign-in page and the public notice with its opinion form, and what they link to.
            foreach (var seed in seeds)
            {
                queue.Enqueue(seed);
            }
        }
        else
        {
            await SignInAsync(page, origin, user, app.Password);
            Enqueue("/");
            Enqueue("/Account/ChangePassword");
            Enqueue("/Account/TwoFactor");
            Enqueue("/Account/Notifications");
        }

        var checkedPages = new List<string>();
        var seeded = false;
        while (queue.Count > 0 && checkedPages.Count < MaxPagesPerRole)
        {
            var path = queue.Dequeue();
            await page.SetViewportSizeAsync(DeskWidth, 900);
            var response = await page.GotoAsync(origin + path);
            if (response is null || response.Status >= 400)
            {
                continue;
            }

            // This kind of page may have been checked already with every kind of element it has now (by another role,
            // which may do more on it, or unfiltered, or on its first page): only other text, which axe would find the
            // same, so it is not checked again. A page with any element, class or role not checked on its kind is.
            var shape = (await page.EvaluateAsync<string>(ShapeScript)).Split('\n').ToHashSet(StringComparer.Ordinal);
            var kind = CrawlTests.Pattern(path).Split('?')[0];
            if (!checkedShapes.TryGetValue(kind, out var shapes))
            {
                checkedShapes[kind] = shapes = [];
            }

            if (shapes.Any(shape.IsSubsetOf))
            {
                checkedPages.Add(path + " (as checked before)");
            }
            else
            {
                shapes.Add(shape);
                checkedPages.Add(path);
                var started = System.Diagnostics.Stopwatch.StartNew();
                foreach (var width in new[] { DeskWidth, PhoneWidth })
                {
                    await page.SetViewportSizeAsync(width, width == DeskWidth ? 900 : 844);
                    var result = await page.RunAxe(Options);
                    foreach (var v in result.Violations.Where(v => Impacts.Contains(v.Impact)))
                    {
                        var finding = new Finding(who, path, width, v.Id, v.Impact, string.Join(" | ", v.Nodes.Take(6).Select(n => n.Target?.ToString())) + (v.Nodes.Length > 6 ? $" (+{v.Nodes.Length - 6} more)" : string.Empty));
                        findings.Add(finding);
                        await File.AppendAllTextAsync(Log, $"  VIOLATION {finding}\n");
                    }
                }

                await File.AppendAllTextAsync(Log, $"[{who}] {path}: {started.Elapsed.TotalSeconds:0.0} s\n");
            }

            foreach (var href in await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"))
            {
                if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var link = href.Split('#')[0];
                if (!seeded && CrawlTests.Pattern(link) == "/measures/{n}")
                {
                    // Besides the first measure it is shown, whoever sees measures opens the representative ones.
                    seeded = true;
                    foreach (var seed in seeds)
                    {
                        queue.Enqueue(seed);
                    }
                }

                Enqueue(link);
            }

            // A filter form leads to a page as a link does (the audit page's search, the ledger's filters).
            foreach (var action in await page.EvaluateAsync<string[]>("""
                () => {
                  // The prototype's getters: a field named "action" or "method" hides the form's own.
                  const get = name => Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, name).get;
                  const [action, method] = [get('action'), get('method')];
                  return Array.from(document.forms).filter(f => method.call(f) === 'get').map(f => {
                  const url = new URL(action.call(f));
                  url.search = '';
                  for (const [k, v] of new FormData(f)) if (typeof v === 'string') url.searchParams.append(k, v);
                  return url.pathname + url.search;
                  });
                }
                """))
            {
                Enqueue(action);
            }
        }

        return checkedPages;
    }

    /// <summary>The check can fail: grey text on white put into the sign-in page is reported as a serious color-contrast violation.</summary>
    private static async Task AxeSeesAFaultAsync(IBrowser browser, string origin)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(origin + "/Account/SignIn");
        await page.EvaluateAsync("() => { const p = document.createElement('p'); p.id = 'faint'; p.textContent = '浅灰色的说明文字'; p.style.color = '#bbb'; p.style.background = '#fff'; document.querySelector('main').append(p); }");
        var result = await page.RunAxe(Options);
        Assert.Contains(result.Violations, v => v.Id == "color-contrast" && v.Impact == "serious" && v.Nodes.Any(n => n.Target!.ToString().Contains("#faint", StringComparison.Ordinal)));
    }

    internal static async Task SignInAsync(IPage page, string origin, string user, string password)
    {
        await page.GotoAsync(origin + "/Account/SignIn");
        await page.FillAsync("#userName", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]:has-text('登录')");
        await page.AddressedAsync(origin + "/");
    }
}
