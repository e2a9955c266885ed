using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rectify.Access;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The crawl's own application: it submits every form it finds, so it changes the demo data, and no other test shares it.
/// The crawl runs once; each test of <see cref="CrawlTests"/> reads its own part of the one report.
/// </summary>
public sealed class CrawlApp() : AppFixture(Provider.Sqlite, kestrel: true)
{
    private readonly SemaphoreSlim once = new(1, 1);
    private Task<CrawlReport>? crawl;

    internal async Task<CrawlReport> CrawlOnceAsync(Func<Task<CrawlReport>> run)
    {
        await once.WaitAsync();
        try
        {
            crawl ??= run();
        }
        finally
        {
            once.Release();
        }

        return await crawl;
    }
}

internal sealed record CrawlPage(string Role, string Url, string Pattern, int Status);

internal sealed record CrawlRole(string Role, TimeSpan Took);

internal sealed record CrawlForm(string Role, string Page, string Key, bool HasToken, string? Skipped, int? Status, string? Heading, string Html);

internal sealed record CrawlWidth(string Role, string Url, int ScrollWidth, int Viewport, string Widest, int WidestRight, string FirstOutside);

internal sealed record CrawlDownload(string Role, string Url, int Status);

internal sealed class CrawlReport
{
    public List<CrawlPage> Pages { get; } = [];

    public List<CrawlForm> Forms { get; } = [];

    public List<CrawlWidth> Widths { get; } = [];

    public List<CrawlDownload> Downloads { get; } = [];

    public List<string> Screenshots { get; } = [];

    public List<CrawlRole> Roles { get; } = [];

    public string Summary()
    {
        var s = new StringBuilder();
        foreach (var role in Pages.Select(p => p.Role).Distinct())
        {
            var pages = Pages.Where(p => p.Role == role).ToList();
            var forms = Forms.Where(f => f.Role == role).ToList();
            var took = Roles.FirstOrDefault(r => r.Role == role)?.Took.TotalSeconds ?? 0;
            s.Append(CultureInfo.InvariantCulture, $"{role} ({took:0.0} s): {pages.Count} pages ({pages.Select(p => p.Pattern).Distinct().Count()} patterns), ")
                .Append(CultureInfo.InvariantCulture, $"{forms.Count} distinct POST forms ({forms.Count(f => f.Skipped is null)} submitted, {forms.Count(f => f.Skipped is not null)} only checked), ")
                .Append(CultureInfo.InvariantCulture, $"{Downloads.Count(d => d.Role == role)} downloads\n");
            foreach (var p in pages)
            {
                s.Append(CultureInfo.InvariantCulture, $"    GET {p.Status} {p.Url}\n");
            }

            foreach (var f in forms)
            {
                var answer = f.Skipped is { } why ? $"not submitted: {why}" : $"answered {f.Status} «{f.Heading}»";
                s.Append(CultureInfo.InvariantCulture, $"    POST {f.Key} (on {f.Page}) token={(f.HasToken ? "yes" : "NO")}; {answer}\n");
            }

            foreach (var d in Downloads.Where(d => d.Role == role))
            {
                s.Append(CultureInfo.InvariantCulture, $"    download {d.Status} {d.Url}\n");
            }
        }

        return s.ToString();
    }
}

/// <summary>
/// Every role signs in on a 390 px phone and follows every link it is shown: no page may scroll sideways, and every
/// POST form must carry its anti-forgery token and be accepted when it is submitted (a form that misses the token
/// answers 400 “请求无效”, which is what a person sees).
/// </summary>
public sealed class CrawlTests(CrawlApp app) : IClassFixture<CrawlApp>
{
    private const int PhoneWidth = 390;
    private const int PhoneHeight = 844;
    private const int MaxPagesPerRole = 60;
    private const int SamplesPerPattern = 2;
    private const string Auditor = "crawl-auditor";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

    /// <summary>
    /// The demo's people, an audit administrator this test adds (the demo has none), and nobody signed in. The unit goes
    /// first: the report it submits then waits in the office's 待办, so the office's crawl reaches the review form.
    /// </summary>
    private static readonly string?[] Roles = ["unit", "office", "leader", "inspector", "admin", Auditor, null];

    /// <summary>
    /// Forms the crawl checks for the token but does not submit, each with the reason. The key is the form's action with
    /// numbers collapsed, plus its handler. Everything else is submitted once per role.
    /// </summary>
    private static readonly Dictionary<string, string> NotSubmitted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/Account/SignOut"] = "signs the crawling person out",
        ["/Account/ChangePassword"] = "changes the signed-in person's own password",
        ["/Account/TwoFactor"] = "sets up the signed-in person's second factor",
        ["/Account/TwoFactor?handler=Key"] = "makes a new second-factor key for the signed-in person",
        ["/admin/users/{n}?handler=ResetPassword"] = "replaces an account's password (it may be one the crawl signs in with next)",
        ["/admin/users/{n}?handler=Disable"] = "disables an account (it may be one the crawl signs in with next)",
    };

    /// <summary>
    /// Pages photographed at phone width for a person to look at: (role, pattern) → name. A page that scrolls sideways is
    /// photographed too, whoever sees it.
    /// </summary>
    private static readonly Dictionary<(string Role, string Pattern), string> Photographed = new()
    {
        [("office", "/")] = "inspections",
        [("office", "/work")] = "work",
        [("office", "/inspections/{n}/overview")] = "overview",
        [("office", "/measures/{n}")] = "measure",
        [("unit", "/work")] = "work",
        [("unit", "/measures/{n}")] = "measure",
        [(Auditor, "/audit")] = "audit",
        [("office", "/inspections/{n}/plan")] = "plan",
        [("office", "/inspections/{n}/publication")] = "publication",
        [("office", "/Account/Notifications")] = "account",
        [("admin", "/")] = "home",
        [("admin", "/admin/users")] = "users",
    };

    private static readonly string[] ErrorHeadings = ["请求无效", "Bad request"];

    [Fact]
    public async Task Every_post_form_on_every_page_of_every_role_carries_its_token_and_is_not_refused_for_it()
    {
        app.RequireAvailable();
        var report = await app.CrawlOnceAsync(CrawlAsync);
        var problems = new List<string>();
        foreach (var f in report.Forms)
        {
            if (!f.HasToken)
            {
                problems.Add($"[{f.Role}] the form {f.Key} on {f.Page} has no __RequestVerificationToken: {f.Html}");
            }

            if (f.Status == 400 && ErrorHeadings.Contains(f.Heading))
            {
                problems.Add($"[{f.Role}] the form {f.Key} on {f.Page} was refused with 400 «{f.Heading}» (the anti-forgery check)");
            }
            else if (f.Status >= 500)
            {
                problems.Add($"[{f.Role}] the form {f.Key} on {f.Page} answered {f.Status} «{f.Heading}»");
            }
        }

        problems.AddRange(report.Pages.Where(p => p.Status == 400 || p.Status >= 500).Select(p => $"[{p.Role}] GET {p.Url} answered {p.Status}"));
        problems.AddRange(report.Downloads.Where(d => d.Status == 400 || d.Status >= 500).Select(d => $"[{d.Role}] download {d.Url} answered {d.Status}"));

        // The crawl must reach the forms it is meant to check, or it proves nothing.
        (string Role, string Form)[] expected =
        [
            ("office", "/inspections/{n}/overview?handler=Cadence"), ("office", "/inspections/{n}/overview?handler=SignalRules"), ("office", "/inspections/{n}/registers?handler=Institution"),
            ("office", "/inspections/{n}/lookbacks?handler=Schedule"), ("office", "/Account/Language"), ("office", "/measures/{n}?handler=Review"),
            ("office", "/measures/{n}?handler=Act"), ("unit", "/measures/{n}?handler=Report"), ("unit", "/measures/{n}?handler=Act"),
            ("admin", "/admin/users/new"), ("admin", "/organizations?handler=Add"), (Auditor, "/audit?handler=Export"), ("anonymous", "/Account/SignIn"),
        ];
        foreach (var (role, form) in expected.Where(e => !report.Forms.Any(f => f.Role == e.Role && f.Key == e.Form)))
        {
            problems.Add($"[{role}] the crawl did not find the form {form}");
        }

        Assert.True(problems.Count == 0, "Forms, pages and downloads that fail:\n" + string.Join('\n', problems) + "\n\nThe crawl:\n" + report.Summary());
    }

    [Fact]
    public async Task No_page_of_any_role_scrolls_sideways_on_a_390_px_phone()
    {
        app.RequireAvailable();
        var report = await app.CrawlOnceAsync(CrawlAsync);
        Assert.True(report.Widths.Count > 20, $"the crawl measured only {report.Widths.Count} pages");
        var wide = report.Widths.Where(w => w.ScrollWidth > w.Viewport).ToList();
        Assert.True(wide.Count == 0, $"{wide.Count} pages scroll sideways at {PhoneWidth} px:\n" + string.Join('\n', wide.Select(w =>
            $"[{w.Role}] {w.Url}: scrollWidth {w.ScrollWidth}; widest element {w.Widest} (right edge {w.WidestRight} px); first to overflow {w.FirstOutside}")));
    }

    private async Task<CrawlReport> CrawlAsync()
    {
        if (!File.Exists(Requirements.ChromiumPath))
        {
            Requirements.Unavailable($"Chromium is not installed at {Requirements.ChromiumPath} (apt-get install chromium)");
        }

        // A measure's forms depend on its state and kind (and on whether the unit leads it), which its address does not
        // show: besides the two it samples, the crawl opens one measure of each, as the seed left them.
        // One of the unit's measures has a report the office accepted, so that its 申请销号 form is there to be found.
        var withEvidence = app.UnitMeasuresInProgress[0];
        List<string> measures;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            var measure = await data.Measures.Include(m => m.Inspection).SingleAsync(m => m.Id == withEvidence);
            var filed = Rectify.Domain.ProgressReport.File(measure, null, "制度已印发。", 100, Rectify.Domain.ChinaTime.Today(TimeProvider.System), new("crawl-unit", "联络员"), TimeProvider.System);
            data.ProgressReports.Add(filed);
            filed.Accept(measure, new("crawl-office", "整改办"), TimeProvider.System);
            await data.SaveChangesAsync();

            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(Auditor, "审计管理员（爬取）", null, [Rectify.Access.Roles.AuditAdministrator], app.Password, CancellationToken.None, initialPassword: false);
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            var ids = await db.Measures.Where(m => m.InspectionId == app.InspectionId)
                .GroupBy(m => new { m.State, m.Kind, Unit = m.LeadUnit!.Name == "纪检监察办" })
                .Select(g => g.Min(m => m.Id)).ToListAsync();
            measures = ids.Append(withEvidence).Distinct().Order().Select(id => "/measures/" + id.ToString(CultureInfo.InvariantCulture)).ToList();
        }

        var report = new CrawlReport();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Requirements.ChromiumPath, Headless = true, Args = ChromiumArgs });
        Directory.CreateDirectory(BrowserTests.ScreenshotFolder);
        foreach (var role in Roles)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await CrawlAsRoleAsync(browser, role, role is null ? [] : measures, report);
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
            {
                var last = report.Pages.LastOrDefault(p => p.Role == (role ?? "anonymous"));
                throw new Xunit.Sdk.XunitException($"The crawl as {role ?? "anonymous"} stopped after {clock.Elapsed.TotalSeconds:0} s ({(last is null ? "before its first page" : "last page " + last.Url)}): {e.Message}", e);
            }

            report.Roles.Add(new CrawlRole(role ?? "anonymous", clock.Elapsed));
        }

        var summary = report.Summary();
        await File.WriteAllTextAsync(Path.Combine(BrowserTests.ScreenshotFolder, "crawl-summary.txt"), summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        return report;
    }

    private async Task CrawlAsRoleAsync(IBrowser browser, string? user, IReadOnlyList<string> seeds, CrawlReport report)
    {
        var role = user ?? "anonymous";
        var origin = app.ServerAddress!.GetLeftPart(UriPartial.Authority);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = PhoneWidth, Height = PhoneHeight },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        string start;
        if (user is null)
        {
            start = "/Account/SignIn";
        }
        else
        {
            await page.GotoAsync(origin + "/Account/SignIn");
            await page.FillAsync("#userName", user);
            await page.FillAsync("#password", app.Password);
            await page.ClickAsync("button[type=submit]:has-text('登录')");
            try
            {
                // Only that the sign-in answered with the home page: the crawl opens it itself next. (Waiting for its
                // load event too once timed out under load, after the home page had loaded.)
                await page.AddressedAsync(origin + "/");
            }
            catch (TimeoutException e)
            {
                var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
                throw new Xunit.Sdk.XunitException($"{user} did not get past signing in: the page is {page.Url} «{await page.Locator("h1").First.InnerTextAsync()}», alerts [{string.Join(" | ", alerts)}]", e);
            }

            start = "/";
        }

        var queue = new Queue<string>([start]);
        var seen = new HashSet<string>([start], StringComparer.Ordinal);
        var seeded = false;
        var samples = new Dictionary<string, int>(StringComparer.Ordinal);
        var downloads = new HashSet<string>(StringComparer.Ordinal);
        var forms = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var photographed = new HashSet<string>(StringComparer.Ordinal);
        var visited = 0;
        void Enqueue(string link)
        {
            var linkPattern = Pattern(link);
            if (linkPattern == "/measures/{n}" && !seeded)
            {
                // Someone who is shown measures opens one of each state and kind too.
                seeded = true;
                foreach (var seed in seeds.Where(seen.Add))
                {
                    queue.Enqueue(seed);
                }
            }

            if (!link.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
                && !link.StartsWith("/Account/SignOut", StringComparison.OrdinalIgnoreCase)
                && !link.StartsWith("/Account/Language", StringComparison.OrdinalIgnoreCase)
                && seen.Add(link) && samples.GetValueOrDefault(linkPattern) < SamplesPerPattern)
            {
                samples[linkPattern] = samples.GetValueOrDefault(linkPattern) + 1;
                queue.Enqueue(link);
            }
        }

        if (user is not null)
        {
            // The account's own pages, which no menu links to.
            Enqueue("/Account/ChangePassword");
            Enqueue("/Account/TwoFactor");
        }

        while (queue.Count > 0 && visited < MaxPagesPerRole)
        {
            var path = queue.Dequeue();
            var pattern = Pattern(path);
            visited++;
            var response = await page.GotoAsync(origin + path);
            var status = response?.Status ?? 0;
            report.Pages.Add(new CrawlPage(role, path, pattern, status));

            // (a) The page fits a phone: nothing outside a scrolling box reaches past the viewport.
            var measured = await MeasureAsync(page, role, path);
            report.Widths.Add(measured);
            var slug = Photographed.GetValueOrDefault((role, pattern));
            if (((slug is not null && status == 200) || measured.ScrollWidth > measured.Viewport) && photographed.Add(pattern))
            {
                // The context is phone-sized from the start: no live resize before the picture (see BrowserTests' phone step).
                var file = Path.Combine(BrowserTests.ScreenshotFolder, $"phone-{role}-{slug ?? "wide-" + string.Concat(pattern.Where(char.IsAsciiLetterOrDigit))}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                report.Screenshots.Add(file);
            }

            // The links it shows: pages to visit (a few of each kind), downloads to request once.
            foreach (var href in await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"))
            {
                if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var link = href.Split('#')[0];
                var linkPattern = Pattern(link);
                if (IsDownload(link))
                {
                    if (downloads.Add(linkPattern))
                    {
                        var got = await context.APIRequest.GetAsync(origin + link);
                        report.Downloads.Add(new CrawlDownload(role, link, got.Status));
                        await got.DisposeAsync();
                    }
                }
                else
                {
                    Enqueue(link);
                }
            }

            // (b) Its POST forms: each must carry the token, and each kind is submitted once per role.
            var changed = false;
            var found = await page.EvaluateAsync<JsonElement>(FormsScript);
            foreach (var form in found.EnumerateArray())
            {
                if (!form.GetProperty("post").GetBoolean())
                {
                    // A filter form leads to a page like a link does.
                    Enqueue(form.GetProperty("action").GetString()!);
                    continue;
                }

                var action = new Uri(form.GetProperty("action").GetString()!);
                var key = FormKey(action);
                if (!forms.Add(key))
                {
                    continue;
                }

                var hasToken = form.GetProperty("hasToken").GetBoolean();
                var html = form.GetProperty("html").GetString()!;
                if (NotSubmitted.TryGetValue(key, out var reason))
                {
                    report.Forms.Add(new CrawlForm(role, path, key, hasToken, reason, null, null, html));
                    continue;
                }

                // The language switch is submitted as it is, but asking for the language already shown, so the crawl stays in Chinese.
                var overrides = key.StartsWith("/Account/Language", StringComparison.OrdinalIgnoreCase) ? new Dictionary<string, string> { ["culture"] = "zh-CN" } : [];
                var answer = await page.EvaluateAsync<JsonElement>(SubmitScript, new object[] { form.GetProperty("index").GetInt32(), overrides });
                report.Forms.Add(new CrawlForm(role, path, key, hasToken, null, answer.GetProperty("status").GetInt32(), answer.GetProperty("heading").GetString(), html));
                changed |= !key.StartsWith("/Account/", StringComparison.OrdinalIgnoreCase);
            }

            if (changed)
            {
                // What the forms added (a report, a register row, a notice) must fit the phone too.
                await page.GotoAsync(origin + path);
                report.Widths.Add(await MeasureAsync(page, role, path + " (after its forms were submitted)"));
            }
        }
    }

    private static async Task<CrawlWidth> MeasureAsync(IPage page, string role, string url)
    {
        var width = await page.EvaluateAsync<JsonElement>(MeasureScript);
        return new CrawlWidth(role, url, width.GetProperty("scrollWidth").GetInt32(), width.GetProperty("viewport").GetInt32(),
            width.GetProperty("widest").GetString()!, width.GetProperty("right").GetInt32(), width.GetProperty("first").GetString()!);
    }

    /// <summary>/measures/12 and /measures/13 are one kind of page; query strings count by their names only.</summary>
    internal static string Pattern(string pathAndQuery)
    {
        var parts = pathAndQuery.Split('?', 2);
        var path = string.Join('/', parts[0].Split('/').Select(s => s.Any(char.IsAsciiDigit) ? "{n}" : s));
        if (parts.Length == 1 || parts[1].Length == 0)
        {
            return path;
        }

        return path + "?" + string.Join('&', parts[1].Split('&').Select(p => p.Split('=')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    private static string FormKey(Uri action)
    {
        var path = Pattern(action.AbsolutePath);
        var handler = action.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Equals("handler", StringComparison.OrdinalIgnoreCase))?[1];
        return handler is null ? path : $"{path}?handler={Uri.UnescapeDataString(handler)}";
    }

    internal static bool IsDownload(string link)
    {
        var path = link.Split('?')[0];

        // The progress notice's versions as .txt, .docx and the CMS fragment are page handlers that answer with a file.
        if (path.EndsWith("/publication", StringComparison.OrdinalIgnoreCase) && new[] { "handler=Txt", "handler=Docx", "handler=Fragment" }.Any(h => link.Contains(h, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // So is the audit page's checkpoints file.
        if (path.Equals("/audit", StringComparison.OrdinalIgnoreCase) && link.Contains("handler=Checkpoints", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return path.StartsWith("/evidence/", StringComparison.OrdinalIgnoreCase)
            || new[] { ".xlsx", ".csv", ".json", ".pdf", ".ofd", ".docx", ".zip" }.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// How wide the document is, and which element sticks out furthest: the one with the largest right edge outside any
    /// box that scrolls or clips, and the first (outermost) one that reaches past the viewport.
    /// </summary>
    private const string MeasureScript = """
        () => {
          const viewport = window.innerWidth;
          const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + Array.from(el.classList, c => '.' + c).join('')
            + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '');
          const path = el => {
            const parts = [];
            for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) parts.unshift(name(e));
            return parts.join(' > ');
          };
          let widest = null, right = 0, first = null;
          const walk = (el, clipped) => {
            for (const c of el.children) {
              const r = c.getBoundingClientRect();
              if (!clipped && r.width > 0) {
                if (r.right > right) { right = r.right; widest = c; }
                if (first === null && r.right > viewport + 0.5) first = c;
              }
              walk(c, clipped || getComputedStyle(c).overflowX !== 'visible');
            }
          };
          walk(document.body, false);
          return {
            scrollWidth: document.documentElement.scrollWidth, viewport,
            widest: widest ? path(widest) : '', right: Math.round(right),
            first: first ? `${path(first)} (${Math.round(first.getBoundingClientRect().width)} px wide)` : ''
          };
        }
        """;

    /// <summary>
    /// The page's forms as the browser would submit them: POST forms with their resolved action, GET forms (filters) as the
    /// address they lead to. The prototype's getters are used because a field named “action” or “method” hides the form's own.
    /// </summary>
    private const string FormsScript = """
        () => {
          const get = name => Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, name).get;
          const [action, method] = [get('action'), get('method')];
          return Array.from(document.forms, (f, index) => {
            const post = method.call(f) === 'post';
            let target = action.call(f);
            if (!post) {
              const url = new URL(target);
              url.search = '';
              for (const [k, v] of new FormData(f)) if (typeof v === 'string') url.searchParams.append(k, v);
              target = url.pathname + url.search;
            }
            return {
              index, post, action: target,
              hasToken: !!f.querySelector('input[name="__RequestVerificationToken"]'),
              html: f.outerHTML.replace(/\s+/g, ' ').slice(0, 160),
            };
          });
        }
        """;

    /// <summary>
    /// Submits one form as its first submit button would, with plausible values in its empty fields, and answers the
    /// status and the page's heading (the error page's heading says why a request was refused).
    /// </summary>
    private const string SubmitScript = """
        async ([index, overrides]) => {
          const f = document.forms[index];
          const get = name => Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, name).get.call(f);
          const today = new Date().toISOString().slice(0, 10);
          let n = 0;
          for (const el of f.querySelectorAll('input, textarea, select')) {
            if (el.disabled) continue;
            if (el.type === 'file') {
              const dt = new DataTransfer();
              dt.items.add(new File(['%PDF-1.4\n% crawl\ntrailer << >>\n%%EOF\n'], '爬取佐证.pdf', { type: 'application/pdf' }));
              el.files = dt.files;
              continue;
            }
            if (el.type === 'hidden' || el.type === 'password') continue;
            if (el.tagName === 'SELECT') {
              if (!el.value) { const o = Array.from(el.options).find(o => o.value); if (o) el.value = o.value; }
            } else if (el.type === 'checkbox' || el.type === 'radio') {
              if (el.required) el.checked = true;
            } else if (!el.value) {
              n++;
              el.value = el.type === 'date' ? today
                : el.type === 'number' ? String(Math.min(Number(el.max || 50), Math.max(Number(el.min || 1), 3)))
                : el.type === 'email' ? `crawl${n}@example.org`
                : /findings/i.test(el.name) ? '1'
                : /userName/i.test(el.name) ? `crawl${Date.now() % 100000}`
                : el.tagName === 'TEXTAREA' ? '爬取检查：自动填写的较长说明文字，用来看窄屏上是否换行。'
                : `爬取检查${n}`;
            }
          }
          const submitter = Array.from(get('elements')).find(e => (e.tagName === 'BUTTON' || e.tagName === 'INPUT') && (e.type === 'submit' || e.type === 'image')) || null;
          const data = submitter ? new FormData(f, submitter) : new FormData(f);
          for (const [k, v] of Object.entries(overrides)) data.set(k, v);
          const action = submitter && submitter.hasAttribute('formaction') ? submitter.formAction : get('action');
          const body = get('enctype') === 'multipart/form-data' ? data : new URLSearchParams(data);
          const r = await fetch(action, { method: 'POST', body, credentials: 'same-origin' });
          const text = await r.text();
          const doc = new DOMParser().parseFromString(text, 'text/html');
          const h1 = doc.querySelector('main h1') || doc.querySelector('h1');
          return { status: r.status, heading: h1 ? h1.textContent.trim() : '' };
        }
        """;
}
