using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Demo;
using Rectify.Documents;
using Rectify.Domain;
using Rectify.Features.Publications;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// The public progress notice through the real pipeline: the demo's notice rendered as the seed, an inspection of one's
/// own composed by the same path, the life of versions, the public's opinions and their triage, and the boundary — no
/// internal field in any public output.
/// </summary>
public abstract class PublicationTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- the seed -------------------------------------------------------------------------------------------------

    /// <summary>Full-width to half-width (NFKC), no whitespace, no byte order mark: the texts compared are the characters in order.</summary>
    internal static string Normalize(string text) =>
        string.Concat(text.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c != '\uFEFF'));

    /// <summary>The length of the longest common subsequence (two rows of the table at a time).</summary>
    internal static int CommonSubsequence(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var x in a)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = x == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// Every difference between the demo's notice as Rectify writes it and the seed as published, each with its reason:
    /// (what Rectify writes, what the seed has, why). Applied to Rectify's text, they must give the seed exactly.
    /// </summary>
    internal static readonly (string Ours, string Seed, string Why)[] ExplainedDifferences =
    [
        ("中共万江街道工作委员会关于巡察整改进展情况的通报根据市委", "根据市委",
            "The seed is the web page's text, whose title is the page's and not in the text; a notice needs its title (GB/T 9704 标题), Rectify writes the default one."),
        ("3.推动“百千万工程”重点任务落实一是多项", "3.推动“百千万工程”重点任务落实。一是多项",
            "The seed closes this one finding heading with 。; the reader keeps a heading without its closing stop, and a heading line needs none."),
        ("25.提升居民代表中党员比例对金泰", "25.提升居民代表中党员比例。对金泰",
            "The seed runs finding 25's heading and its only measure on one line, joined by 。; Rectify sets the heading on its own line as for every other finding."),
        ("联系电话:22282228", "联系电话22282228",
            "Rectify writes every contact as label：value (联系电话：, 电子邮箱：, 邮政信箱：); the seed leaves out the colon after 联系电话 alone."),
    ];

    /// <summary>The seed's text after its last paragraph: the web page's "相关新闻" link, which the notice reader also drops.</summary>
    private const string SeedPageLeftover = "-相关新闻";

    [Fact]
    public async Task The_demo_notice_as_text_is_the_seed_notice_character_for_character_but_for_explained_differences()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var bytes = await office.GetByteArrayAsync(new Uri($"/inspections/{app.InspectionId}/publication?handler=Txt", UriKind.Relative), Ct);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var ours = Normalize(Encoding.UTF8.GetString(bytes));
        var seed = Normalize(DemoSeeder.ReadSeedNotice());

        // Normalised similarity: the characters of each in order that the other has too.
        var common = CommonSubsequence(ours, seed);
        var ofSeed = (double)common / seed.Length;
        var ofOurs = (double)common / ours.Length;
        TestContext.Current.SendDiagnosticMessage($"common subsequence {common}: {ofSeed:P2} of the seed's {seed.Length} characters, {ofOurs:P2} of Rectify's {ours.Length}");
        Assert.True(ofSeed >= 0.99, $"only {ofSeed:P2} of the seed's characters in order");
        Assert.True(ofOurs >= 0.99, $"only {ofOurs:P2} of Rectify's characters in order");

        // Each difference is explained: applied one by one (each exactly once), Rectify's text is the seed's.
        Assert.EndsWith(SeedPageLeftover, seed, StringComparison.Ordinal);
        seed = seed[..^SeedPageLeftover.Length];
        foreach (var (o, s, why) in ExplainedDifferences)
        {
            var at = ours.IndexOf(o, StringComparison.Ordinal);
            Assert.True(at >= 0 && ours.IndexOf(o, at + 1, StringComparison.Ordinal) < 0, $"the difference “{why}” is not in Rectify's text exactly once");
            ours = string.Concat(ours.AsSpan(0, at), s, ours.AsSpan(at + o.Length));
        }

        var first = Enumerable.Range(0, Math.Min(ours.Length, seed.Length)).FirstOrDefault(i => ours[i] != seed[i], -1);
        Assert.True(ours == seed, first < 0
            ? $"one text ends early: Rectify {ours.Length}, seed {seed.Length} characters"
            : $"an unexplained difference at {first}: Rectify “…{ours.Substring(Math.Max(0, first - 30), Math.Min(80, ours.Length - Math.Max(0, first - 30)))}…” seed “…{seed.Substring(Math.Max(0, first - 30), Math.Min(80, seed.Length - Math.Max(0, first - 30)))}…”");
    }

    // ---- an inspection of one's own -------------------------------------------------------------------------------

    [Fact]
    public async Task An_inspection_without_a_notice_gets_one_composed_from_its_metadata_and_its_ledger()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        using var office = await app.SignedInAsync("office");
        var page = await office.GetStringAsync(new Uri($"/inspections/{id}/publication", UriKind.Relative), Ct);
        Assert.Contains("start-publication", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);

        await app.SaveAsync(office, id, d => d with { Statistics = new StatisticsChoice(Problems: true, Completed: true, Rate: true, RulesMade: true), StatisticsAsOf = new DateOnly(2026, 1, 31) });
        var text = await NoticeSteps.TextAsync(office, id);

        // The intro formula from the inspection's metadata, the headings numbered by the parts present, the ledger's 二、.
        Assert.Contains("根据市委巡察工作统一安排，2024年3月25日至5月10日，市委第七巡察组对中共万江街道工作委员会（以下简称“万江街道党工委”）开展了巡察。8月15日，市委第七巡察组向万江街道党工委反馈了巡察意见。根据巡察工作有关要求，现将巡察整改进展情况予以公布。", text, StringComparison.Ordinal);
        Assert.StartsWith("中共万江街道工作委员会关于巡察整改进展情况的通报", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("一、巡察整改任务落实情况\r\n（一）关于对学习习近平新时代中国特色社会主义思想", text, StringComparison.Ordinal);
        Assert.Contains("1.全面深入开展学习调研\r\n一是严格执行“第一议题”制度。", text, StringComparison.Ordinal);
        Assert.DoesNotContain("三、", text, StringComparison.Ordinal);

        // Only the ticked figures, worded as offices word them (nothing is signed off in a fresh import).
        Assert.Contains("截至2026年1月31日，27个问题正在整改，完成率0%，建立完善制度0项。", text, StringComparison.Ordinal);
        Assert.DoesNotContain("挽回经济损失", text, StringComparison.Ordinal);
    }

    // ---- the life of a notice -------------------------------------------------------------------------------------

    [Fact]
    public async Task A_notice_is_approved_by_the_first_responsible_person_published_frozen_and_corrected_by_new_versions()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        var today = await app.TodayAsync();
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        using var visitor = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today.AddDays(-1), DisclosureTo = today.AddDays(30) });

        // A refused save shows the draft as typed, not as last saved (a long form is not typed twice).
        var typed = PublicationDraft.FromJson(await app.ReadAsync(db => db.Publications.Where(p => p.InspectionId == id).OrderByDescending(p => p.Number).Select(p => p.Content).FirstAsync(Ct)))
            with { Title = "改过但未保存的标题", Email = "不是邮箱" };
        var refusedSave = await NoticeSteps.PostAsync(office, id, "Save", await app.VersionAsync(id), NoticeSteps.Fields(typed));
        Assert.Equal(HttpStatusCode.BadRequest, refusedSave.StatusCode);
        var refusedForm = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refusedSave.Content.ReadAsStringAsync(Ct));
        Assert.Equal("改过但未保存的标题", refusedForm.QuerySelector("input[name='form.Title']")?.GetAttribute("value"));
        Assert.Equal("不是邮箱", refusedForm.QuerySelector("input[name='form.Email']")?.GetAttribute("value"));

        // A 公开期限 end that does not exist comes back as typed (a date field would show it empty, and saving again would
        // save the notice without its end); the draft is not saved.
        var impossibleEnd = NoticeSteps.Fields(typed with { Email = null }).Select(f => f.Key == "form.To" ? new KeyValuePair<string, string>(f.Key, "2027-02-30") : f).ToList();
        var refusedEnd = await NoticeSteps.PostAsync(office, id, "Save", await app.VersionAsync(id), impossibleEnd);
        Assert.Equal(HttpStatusCode.BadRequest, refusedEnd.StatusCode);
        var endForm = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refusedEnd.Content.ReadAsStringAsync(Ct));
        var end = endForm.QuerySelector("input[name='form.To']");
        Assert.Equal(("2027-02-30", "text", "true"), (end?.GetAttribute("value"), end?.GetAttribute("type"), end?.GetAttribute("aria-invalid")));
        Assert.Equal("date", endForm.QuerySelector("input[name='form.From']")?.GetAttribute("type"));
        Assert.Equal("改过但未保存的标题", endForm.QuerySelector("input[name='form.Title']")?.GetAttribute("value"));
        var key = await app.KeyAsync(id);

        // The progress form's redirect lands at the form (#public-progress): its news is shown there, not at the top.
        var first = await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        var progressed = await NoticeSteps.PostAsync(office, id, "Progress", null, [new("measureId", first.ToString(CultureInfo.InvariantCulture)), new("progress", "草稿阶段写下的公开进展")]);
        var landed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await progressed.Content.ReadAsStringAsync(Ct));
        Assert.Contains("已保存 1 条措施的公开进展", landed.QuerySelector("#public-progress [role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Single(landed.QuerySelectorAll("[role=status]"), e => e.TextContent.Contains("公开进展。", StringComparison.Ordinal));

        // A draft is not public; only the office submits; only the first responsible person approves.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NoticeSteps.PostAsync(secretary, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NoticeSteps.PostAsync(office, id, "Approve", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await NoticeSteps.PostAsync(secretary, id, "Approve", (await app.VersionAsync(id)) - 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);

        var page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        Assert.Contains("中共万江街道工作委员会关于巡察整改进展情况的通报", page, StringComparison.Ordinal);
        Assert.Contains("id=\"opinion\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/Account/", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"correction\"", page, StringComparison.Ordinal);

        // A heading runs straight on into its paragraph, as the notice is written (no space after its 。).
        Assert.Contains("<span class=\"l2\">", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("<span class=\"l[12]\">[^<]*</span>\\s", page);

        // Approved is frozen: a later change of a measure's public progress does not reach the published version.
        var measureId = await app.ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct));
        Assert.Equal(HttpStatusCode.Conflict, (await NoticeSteps.PostAsync(office, id, "Save", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Progress", null, [new("measureId", measureId.ToString(CultureInfo.InvariantCulture)), new("progress", "后来改写的公开进展")])).StatusCode);
        Assert.DoesNotContain("后来改写的公开进展", await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), StringComparison.Ordinal);

        // A correction is a new version with its note; once approved it replaces the first, which is kept.
        Assert.Equal(HttpStatusCode.BadRequest, (await NoticeSteps.PostAsync(office, id, "Correct", null, [new("note", " ")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Correct", null, [new("note", "第1项问题第一条措施的进展表述有误，予以更正。")])).StatusCode);
        Assert.DoesNotContain("予以更正", await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        Assert.Contains("第1项问题第一条措施的进展表述有误，予以更正。", page, StringComparison.Ordinal);
        Assert.Contains("后来改写的公开进展", page, StringComparison.Ordinal);
        var versions = await app.ReadAsync(db => db.Publications.Where(p => p.InspectionId == id).OrderBy(p => p.Number).Select(p => new { p.Number, p.State, p.Snapshot }).ToListAsync(Ct));
        Assert.Equal(new[] { (1, PublicationState.Superseded), (2, PublicationState.Approved) }, versions.Select(v => (v.Number, v.State)));
        Assert.DoesNotContain("后来改写的公开进展", versions[0].Snapshot!, StringComparison.Ordinal);

        // A version whose period has ended is still readable, takes no opinions, and says so.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Correct", null, [new("note", "公开期限调整。")])).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today.AddDays(-40), DisclosureTo = today.AddDays(-1) }, note: "公开期限调整。");
        Assert.Contains("id=\"disclosure-over\"", await office.GetStringAsync(new Uri($"/inspections/{id}/publication", UriKind.Relative), Ct), StringComparison.Ordinal); // said, not refused
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        Assert.Contains("公开期已结束", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"opinion\"", page, StringComparison.Ordinal);
        var refused = await visitor.PostFromPageAsync("/Account/SignIn", $"/notices/{key}?handler=Opinion", [new("text", "还能提意见吗？"), new("stamp", "x")]);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(3, await app.ReadAsync(db => db.Publications.CountAsync(p => p.InspectionId == id, Ct)));
    }

    // ---- the public's opinions ------------------------------------------------------------------------------------

    [Fact]
    public async Task The_public_leaves_opinions_that_the_office_triages_and_a_reply_appears_once_approved()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();
        using var visitor = app.Client();
        const string Payload = "<script>alert('x')</script>第3项的进展与实际不符。";

        var (response, html) = await NoticeSteps.SendOpinionAsync(visitor, key, Payload, contact: "13812345678", finding: "3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = NoticeSteps.ReceiptRegex().Match(html).Groups[1].Value;
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$", receipt);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);

        // The honeypot, a missing stamp and an over-long text are refused, and nothing is stored.
        var before = await app.ReadAsync(db => db.PublicOpinions.CountAsync(o => o.InspectionId == id, Ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await NoticeSteps.SendOpinionAsync(visitor, key, "自动提交", honeypot: "http://spam.example")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NoticeSteps.SendOpinionAsync(visitor, key, "没有时间戳", stamp: string.Empty)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NoticeSteps.SendOpinionAsync(visitor, key, new string('长', 2001))).Response.StatusCode);
        Assert.Equal(before, await app.ReadAsync(db => db.PublicOpinions.CountAsync(o => o.InspectionId == id, Ct)));
        var stored = await app.ReadAsync(db => db.PublicOpinions.SingleAsync(o => o.InspectionId == id, Ct));
        Assert.Equal(Payload, stored.Text);
        Assert.Equal(3, stored.AboutFindingNumber);

        // The sender checks the receipt code (typed in lower case without dashes).
        var status = await NoticeSteps.CheckReceiptAsync(visitor, key, receipt.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
        Assert.Contains("已收到", NoticeSteps.Between(status, "id=\"receipt-status\"", "</div>\n"), StringComparison.Ordinal);

        // A check sent with no code says what to type; a page without a check says nothing, and a code in the address
        // (as links of earlier versions sent it) is not looked up: the code never travels in an address.
        Assert.Contains("请输入提交意见时得到的回执码", await NoticeSteps.CheckReceiptAsync(visitor, key, " "), StringComparison.Ordinal);
        Assert.DoesNotContain("receipt-status", await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), StringComparison.Ordinal);
        var linked = await visitor.GetStringAsync(new Uri($"/notices/{key}?receipt={receipt}", UriKind.Relative), Ct);
        Assert.Contains("请输入提交意见时得到的回执码", linked, StringComparison.Ordinal);
        Assert.DoesNotContain("已收到", NoticeSteps.Between(linked, "id=\"receipt-check\"", "</section>"), StringComparison.Ordinal);

        // The office reads it as text, with the contact; the first responsible person sees the contact masked; a unit not at all.
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        using var unit = await app.SignedInAsync("unit");
        var inbox = await office.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct);
        Assert.Contains("&lt;script&gt;", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", inbox, StringComparison.Ordinal);
        Assert.Contains("13812345678", inbox, StringComparison.Ordinal);
        var masked = await secretary.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct);
        Assert.Contains("138****5678", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", masked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct)).StatusCode);

        // The plan renumbered after the opinion came in (its first category moved down): the inbox still names, and offers
        // for 交办, the problem the sender read as number 3, not the one numbered 3 now.
        var finding = await app.ReadAsync(db => db.Findings.Where(f => f.InspectionId == id && f.Number == 3).Select(f => f.Id).SingleAsync(Ct));
        var title = await app.ReadAsync(db => db.Findings.Where(f => f.Id == finding).Select(f => f.Title).SingleAsync(Ct));
        var firstCategory = await app.ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync(Ct));
        var plan = $"/inspections/{id}/plan";
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(plan, plan + "?handler=Move", new Dictionary<string, string> { ["what"] = "category", ["itemId"] = firstCategory.ToString(CultureInfo.InvariantCulture), ["direction"] = "Down" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostFromPageAsync(plan, plan + "?handler=Renumber", new Dictionary<string, string> { ["reason"] = "类别调整后按顺序编号" })).StatusCode);
        Assert.NotEqual(3, await app.ReadAsync(db => db.Findings.Where(f => f.Id == finding).Select(f => f.Number).SingleAsync(Ct)));
        var renumbered = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct));
        var card = renumbered.QuerySelector($"[data-opinion='{stored.Id}']");
        Assert.Contains($"来信所选：第 3 项（{Rectify.Features.Fmt.Clip(title, 40)}）", card?.TextContent, StringComparison.Ordinal);
        Assert.Equal(title, await app.ReadAsync(db => db.PublicOpinions.Where(o => o.Id == stored.Id).Select(o => o.AboutFindingTitle).SingleAsync(Ct)));
        Assert.Equal(finding.ToString(CultureInfo.InvariantCulture), card?.QuerySelector("select[name=finding] option[selected]")?.GetAttribute("value"));

        // Assign, reply for publication: not public until approved.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "Assign", [new("finding", finding.ToString(CultureInfo.InvariantCulture))])).StatusCode);
        // What was assigned stays chosen on the form.
        var assigned = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await office.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct));
        Assert.Equal(finding.ToString(CultureInfo.InvariantCulture), assigned.QuerySelector($"[data-opinion='{stored.Id}'] select[name=finding] option[selected]")?.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Forbidden, (await NoticeSteps.ActOnOpinionAsync(secretary, id, stored.Id, "Reply", [new("reply", "第一责任人不答复")])).StatusCode);
        // A reply for the notice needs the office's own summary of the question: refused without one, and nothing changes.
        var refused = await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "Reply", [new("reply", "已交相关部门核实，感谢您的监督。"), new("publishable", "true")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Contains("来信摘要", refusedPage.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);

        // What was typed is in the form again, not lost.
        Assert.Equal("已交相关部门核实，感谢您的监督。", refusedPage.QuerySelector($"[data-opinion='{stored.Id}'] textarea[name=reply]")?.TextContent);
        Assert.NotNull(refusedPage.QuerySelector($"[data-opinion='{stored.Id}'] input[name=publishable][checked]"));
        Assert.Null(await app.ReadAsync(db => db.PublicOpinions.Where(o => o.Id == stored.Id).Select(o => o.Reply).SingleAsync(Ct)));
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "Reply", [new("reply", "已交相关部门核实，感谢您的监督。"), new("publishable", "true"), new("summary", "反映第三项问题的整改进度。")])).StatusCode);
        Assert.DoesNotContain("感谢您的监督", await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "ApproveReply", [])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(secretary, id, stored.Id, "ApproveReply", [])).StatusCode);
        var page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        var replies = NoticeSteps.Between(page, "id=\"replies\"", "</section>");
        Assert.Contains("已交相关部门核实，感谢您的监督。", replies, StringComparison.Ordinal);

        // When the question came in: the day, never the minute, which could point to who sent it.
        var received = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector("#replies .muted")?.TextContent;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}\s*(·|$)", received);

        // Above the reply: the office's summary, never the sender's words.
        Assert.Contains("反映第三项问题的整改进度。", replies, StringComparison.Ordinal);
        Assert.DoesNotContain("进展与实际不符", replies, StringComparison.Ordinal);

        // The problem by its number in the version shown: 3 in the one the sender read; once the renumbered plan is
        // published, its new number.
        Assert.Contains("关于第 3 项", replies, StringComparison.Ordinal);
        var stale = (await NoticeSteps.StampsAsync(visitor, key, 1))[0]; // a form left open while the renumbered version is published
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Correct", null, [new("note", "按类别顺序重新编号后更新。")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        var now = await app.ReadAsync(db => db.Findings.Where(f => f.Id == finding).Select(f => f.Number).SingleAsync(Ct));
        replies = NoticeSteps.Between(await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct), "id=\"replies\"", "</section>");
        Assert.Contains($"关于第 {now} 项", replies, StringComparison.Ordinal);
        Assert.DoesNotContain("关于第 3 项", replies, StringComparison.Ordinal);

        // The form shown before lists the problems as that version numbered them: its "3" is the problem read as 3 there.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(visitor, key, "表单打开期间通知更新了。", finding: "3", stamp: stale)).Response.StatusCode);
        var late = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id && o.Text == "表单打开期间通知更新了。").Select(o => new { o.AboutFindingNumber, o.AboutFindingTitle, o.PublicationId }).SingleAsync(Ct));
        Assert.Equal((3, title, stored.PublicationId), (late.AboutFindingNumber!.Value, late.AboutFindingTitle!, late.PublicationId));
        status = await NoticeSteps.CheckReceiptAsync(visitor, key, receipt);
        Assert.Contains("已答复", NoticeSteps.Between(status, "id=\"receipt-status\"", "</div>\n"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "Close", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await NoticeSteps.ActOnOpinionAsync(office, id, stored.Id, "Close", [])).StatusCode);

        // The overview counts them.
        var overview = await office.GetStringAsync(new Uri($"/inspections/{id}/overview", UriKind.Relative), Ct);
        Assert.Contains("共 2 条，待处理 1 条", overview, StringComparison.Ordinal); // and the one sent on the older form
    }

    [Fact]
    public async Task The_inbox_and_a_units_list_page_past_fifty_and_a_notices_link_opens_its_one_opinion()
    {
        app.RequireAvailable();
        var (id, _) = await app.PublishedAsync();
        var unitOrg = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "unit").Select(u => u.OrganizationId!.Value).SingleAsync(Ct));

        // 55 opinions, the oldest first, each handed to the unit (written straight to the database: the public form's limits are tested elsewhere).
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var publication = await db.Publications.Where(p => p.InspectionId == id).Select(p => p.Id).FirstAsync(Ct);
            for (var n = 1; n <= 55; n++)
            {
                var opinion = new PublicOpinion(id, publication, "PG" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(), $"分页第{n:00}条意见", null, null, clock);
                opinion.Assign(null, unitOrg, null, clock);
                db.PublicOpinions.Add(opinion);
                await db.SaveChangesAsync(Ct);
            }
        }

        var ids = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id).OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(Ct));
        using var office = await app.SignedInAsync("office");
        using var unit = await app.SignedInAsync("unit");
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        async Task<List<string>> CardsAsync(HttpClient client, string path) =>
            [.. parser.ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct)).QuerySelectorAll("[data-opinion]").Select(e => e.GetAttribute("data-opinion")!)];

        // Newest first, fifty a page: the second page holds the five oldest, and a page past the end shows the last.
        Assert.Equal(50, (await CardsAsync(office, $"/inspections/{id}/opinions")).Count);
        var oldest = ids.Take(5).Select(i => i.ToString(CultureInfo.InvariantCulture)).Reverse().ToList();
        Assert.Equal(oldest, await CardsAsync(office, $"/inspections/{id}/opinions?page=2"));
        Assert.Equal(oldest, await CardsAsync(office, $"/inspections/{id}/opinions?state=Assigned&page=9"));
        Assert.Equal(oldest, await CardsAsync(unit, "/opinions/assigned?page=2"));

        // A notice's link names one opinion, and the page shows only it.
        var first = ids[0].ToString(CultureInfo.InvariantCulture);
        Assert.Equal([first], await CardsAsync(office, $"/inspections/{id}/opinions?only={first}"));
        Assert.Equal([first], await CardsAsync(unit, $"/opinions/assigned?only={first}"));

        // An action on the second page comes back to the second page.
        var version = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.Id == ids[0]).Select(o => o.Version).SingleAsync(Ct));
        var answer = await office.PostFromPageAsync($"/inspections/{id}/opinions?page=2", $"/inspections/{id}/opinions?handler=Close", new Dictionary<string, string>
        {
            ["opinion"] = first, ["version"] = version.ToString(CultureInfo.InvariantCulture), ["page"] = "2",
        });
        Assert.Equal($"/inspections/{id}/opinions?page=2", answer.Headers.Location?.OriginalString);
        var closed = await office.FollowedAsync(answer);
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(oldest, [.. parser.ParseDocument(await closed.Content.ReadAsStringAsync(Ct)).QuerySelectorAll("[data-opinion]").Select(e => e.GetAttribute("data-opinion")!)]);
    }

    // ---- the boundary ---------------------------------------------------------------------------------------------

    /// <summary>Internal fields, each filled with a marker that must never reach a public output.</summary>
    private static readonly string[] Markers =
    [
        "MARKER-NARRATIVE", "MARKER-REASON", "MARKER-LEAD", "MARKER-PERSON", "MARKER-POSITION", "MARKER-EVIDENCE",
        "MARKER-PROBLEM", "MARKER-AUDIT", "MARKER-OUTCOME", "MARKER-CONTACT", "MARKER-OPINION", "MARKER-PRIVATE-REPLY",
        "MARKER-RETURN", "整改办（演示）", "第一责任人（演示）",
    ];

    [Fact]
    public async Task No_internal_field_reaches_the_public_page_the_text_the_fragment_the_docx_or_the_receipt_check()
    {
        app.RequireAvailable();
        var id = await app.NewInspectionAsync();
        await FillInternalFieldsAsync(id);
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        var today = await app.TodayAsync();
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Start")).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today, DisclosureTo = today.AddDays(30), Statistics = new StatisticsChoice(true, true, true, true, true, true) });

        // Returned once with a reason, then approved.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Return", await app.VersionAsync(id), [new("reason", "MARKER-RETURN")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        var key = await app.KeyAsync(id);

        // An opinion with a contact and a reply not for publication.
        using var visitor = app.Client();
        var (_, sent) = await NoticeSteps.SendOpinionAsync(visitor, key, "MARKER-OPINION 请核实", contact: "MARKER-CONTACT");
        var receipt = NoticeSteps.ReceiptRegex().Match(sent).Groups[1].Value;
        var opinion = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id).Select(o => o.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, opinion, "Reply", [new("reply", "已收悉。"), new("publishable", "false")])).StatusCode);
        var other = await NoticeSteps.SendOpinionAsync(visitor, key, "另一条意见");
        var otherId = await app.ReadAsync(db => db.PublicOpinions.Where(o => o.InspectionId == id && o.Id != opinion).Select(o => o.Id).SingleAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.ActOnOpinionAsync(office, id, otherId, "Reply", [new("reply", "MARKER-PRIVATE-REPLY"), new("publishable", "false")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.Response.StatusCode);

        // The markers are in the database (the test would prove nothing otherwise) …
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            Assert.True(await db.ProgressReports.AnyAsync(r => r.Narrative.Contains("MARKER-NARRATIVE"), Ct));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.After!.Contains("MARKER-AUDIT"), Ct));
            Assert.True(await db.Findings.AnyAsync(f => f.InspectionId == id && f.ProblemStatement == "MARKER-PROBLEM", Ct));
        }

        // … and in none of the public outputs, which do carry the public text.
        var outputs = new Dictionary<string, string>
        {
            ["public page"] = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct),
            ["receipt check"] = await NoticeSteps.CheckReceiptAsync(visitor, key, receipt),
            [".txt"] = await NoticeSteps.TextAsync(office, id),
            ["HTML fragment"] = await office.GetStringAsync(new Uri($"/inspections/{id}/publication?handler=Fragment", UriKind.Relative), Ct),
            [".docx"] = DocxText(await office.GetByteArrayAsync(new Uri($"/inspections/{id}/publication?handler=Docx", UriKind.Relative), Ct)),
        };
        foreach (var (name, text) in outputs)
        {
            Assert.Contains("严格执行“第一议题”制度", text, StringComparison.Ordinal);
            var leaked = Markers.Where(m => text.Contains(m, StringComparison.Ordinal)).ToList();
            Assert.True(leaked.Count == 0, $"{name} shows {string.Join(", ", leaked)}");
        }
    }

    private async Task FillInternalFieldsAsync(int inspectionId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<RectifyDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var actor = new Actor("marker-user", "MARKER-PERSON");
        var reviewer = new Actor("marker-reviewer", "MARKER-PERSON 审核");
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var measures = await db.Measures.Include(m => m.Inspection).Include(m => m.Finding).Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Id).Take(3).ToListAsync(Ct);
        var organizationId = await db.Inspections.Where(i => i.Id == inspectionId).Select(i => i.InspectedOrganizationId).SingleAsync(Ct);
        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        var person = new Person("MARKER-PERSON", "MARKER-POSITION", organization);
        db.People.Add(person);
        foreach (var m in measures)
        {
            m.Plan(MeasureKind.TimeBound, new DateOnly(2027, 6, 30), person, organization);
            m.Start(actor, clock);
            m.Finding.RestateProblem("MARKER-PROBLEM");
        }

        var report = ProgressReport.File(measures[0], null, "MARKER-NARRATIVE 内部进展", 60, ChinaTime.Today(clock), actor, clock);
        report.Attach(new EvidenceFile(new string('a', 64), null, 10, EvidenceType.Pdf, clock.GetUtcNow().UtcDateTime), "MARKER-EVIDENCE.pdf", actor);
        db.ProgressReports.Add(report);
        report.Accept(measures[0], reviewer, clock);
        measures[0].ApplyForSignOff(actor, clock, "MARKER-REASON");
        measures[0].ReturnApplication(reviewer, clock, "MARKER-REASON");
        var findingIds = new[] { measures[0].FindingId };
        db.Leads.Add(new Lead(inspectionId, "MARKER-LEAD 线索", LeadStatus.UnderReview, "MARKER-LEAD 处置", findingIds, actor, clock));
        db.Outcomes.Add(new RectificationOutcome(inspectionId, OutcomeKind.MoneyRecovered, 12.5m, "MARKER-OUTCOME", findingIds, actor, clock));
        await db.SaveChangesAsync(Ct);
        await services.GetRequiredService<AuditLog>().RecordAsync(new AuditEvent("test.marker", ObjectType: "Inspection", After: new { Note = "MARKER-AUDIT" }), AuditActor.CommandLine, Ct);
        await transaction.CommitAsync(Ct);
    }

    internal static string DocxText(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return string.Join("\n", doc.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }
}

/// <summary>The steps the notice's tests take through the real pipeline: an inspection of one's own, the office's and the first responsible person's posts, a visitor's opinion.</summary>
internal static partial class NoticeSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"name=""stamp"" value=""([^""]+)""")]
    private static partial Regex StampRegex();

    [GeneratedRegex(@"<span class=""receipt"">([A-Z0-9-]+)</span>")]
    internal static partial Regex ReceiptRegex();

    internal static async Task<T> ReadAsync<T>(this AppFixture app, Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    /// <summary>A change made straight in the database, as a step of a test's arrangement (the same scope as <see cref="ReadAsync"/>; the name says it writes).</summary>
    internal static Task<T> WriteAsync<T>(this AppFixture app, Func<RectifyDbContext, Task<T>> write) => app.ReadAsync(write);

    internal static async Task<DateOnly> TodayAsync(this AppFixture app)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return ChinaTime.Today(scope.ServiceProvider.GetRequiredService<TimeProvider>());
    }

    /// <summary>A fresh copy of the seed notice in a new unit of the office's own organization: an inspection each test has to itself, without a notice yet.</summary>
    internal static async Task<int> NewInspectionAsync(this AppFixture app)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var home = await db.Organizations.SingleAsync(o => o.Id == int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture), Ct);
        var parent = new Organization("测试片区" + Guid.NewGuid().ToString("N")[..8], OrganizationKind.Department, home);
        db.Organizations.Add(parent);
        await db.SaveChangesAsync(Ct);
        parent.AssignPath();
        var imported = await new NoticeImporter(db).ImportAsync(NoticeParser.Parse(DemoSeeder.ReadSeedNotice()), parent, Ct);
        await transaction.CommitAsync(Ct);
        return imported.Inspection.Id;
    }

    /// <summary><paramref name="count"/> forms of the notice shown, as their signed stamps (each sends one opinion).</summary>
    internal static async Task<List<string>> StampsAsync(HttpClient client, string key, int count)
    {
        var stamps = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var page = await client.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
            stamps.Add(WebUtility.HtmlDecode(Regex.Match(page, @"name=""stamp"" value=""([^""]+)""").Groups[1].Value));
        }

        return stamps;
    }

    /// <summary>A visitor at <paramref name="address"/>, as a known proxy (connecting from 127.0.0.1) forwards it.</summary>
    internal static HttpClient VisitorAt(this AppFixture app, string address)
    {
        var fromTheProxy = app.Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Loopback);
        var client = new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(new CookieContainer()) { InnerHandler = fromTheProxy }) { BaseAddress = app.Factory.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>The receipt check as the public page's form posts it; the page answered.</summary>
    internal static async Task<string> CheckReceiptAsync(HttpClient visitor, string key, string receipt)
    {
        var response = await visitor.PostFromPageAsync($"/notices/{key}", $"/notices/{key}?handler=Receipt", new Dictionary<string, string> { ["receipt"] = receipt });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    internal static Task<int> VersionAsync(this AppFixture app, int id) =>
        app.ReadAsync(db => db.Publications.Where(p => p.InspectionId == id).OrderByDescending(p => p.Number).Select(p => p.Version).FirstAsync(Ct));

    internal static Task<string> KeyAsync(this AppFixture app, int id) =>
        app.ReadAsync(db => db.Publications.Where(p => p.InspectionId == id).Select(p => p.PublicKey).FirstAsync(Ct));

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, int id, string handler, int? version = null, IEnumerable<KeyValuePair<string, string>>? fields = null)
    {
        var all = (fields ?? []).ToList();
        if (version is { } v)
        {
            all.Add(new("version", v.ToString(CultureInfo.InvariantCulture)));
        }

        return await client.FollowedAsync(await client.PostFromPageAsync("/Account/SignIn", $"/inspections/{id}/publication?handler={handler}", all));
    }

    /// <summary>Saves the latest draft as the office's form would, changed by <paramref name="change"/>.</summary>
    internal static async Task SaveAsync(this AppFixture app, HttpClient office, int id, Func<PublicationDraft, PublicationDraft> change, string? note = null)
    {
        var draft = change(await app.ReadAsync(async db => PublicationDraft.FromJson(await db.Publications.Where(p => p.InspectionId == id).OrderByDescending(p => p.Number).Select(p => p.Content).FirstAsync(Ct))));
        var fields = Fields(draft);
        if (note is not null)
        {
            fields.Add(new("correctionNote", note));
        }

        var response = await PostAsync(office, id, "Save", await app.VersionAsync(id), fields);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"saving the draft: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>The office's draft form, filled with <paramref name="draft"/>.</summary>
    internal static List<KeyValuePair<string, string>> Fields(PublicationDraft draft)
    {
        static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        var s = draft.Statistics;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("form.Title", draft.Title), new("form.Intro", draft.Intro),
            new("form.ResponsibilityHeading", draft.ResponsibilityHeading), new("form.Responsibility", IndexModel.Lines(draft.Responsibility)),
            new("form.TasksHeading", draft.TasksHeading), new("form.StatisticsAsOf", Date(draft.StatisticsAsOf)),
            new("form.NextStepsHeading", draft.NextStepsHeading), new("form.NextSteps", IndexModel.Lines(draft.NextSteps)),
            new("form.Invitation", draft.Invitation), new("form.From", Date(draft.DisclosureFrom)), new("form.To", Date(draft.DisclosureTo)),
            new("form.Phone", draft.Phone ?? string.Empty), new("form.Email", draft.Email ?? string.Empty),
            new("form.PostalAddress", draft.PostalAddress ?? string.Empty), new("form.Postcode", draft.Postcode ?? string.Empty),
            new("form.Issuer", draft.Issuer), new("form.Date", Date(draft.Date)),
        };
        foreach (var (name, on) in new[] { ("StatProblems", s.Problems), ("StatCompleted", s.Completed), ("StatRate", s.Rate), ("StatRules", s.RulesMade), ("StatMoney", s.MoneyRecovered), ("StatPeople", s.PeopleHandled) })
        {
            if (on)
            {
                fields.Add(new("form." + name, "true"));
            }
        }

        return fields;
    }

    internal static async Task<string> TextAsync(HttpClient office, int id) =>
        Encoding.UTF8.GetString(await office.GetByteArrayAsync(new Uri($"/inspections/{id}/publication?handler=Txt", UriKind.Relative), Ct));

    /// <summary>A new inspection's notice, published today for a month.</summary>
    internal static async Task<(int Id, string Key)> PublishedAsync(this AppFixture app)
    {
        var id = await app.NewInspectionAsync();
        var today = await app.TodayAsync();
        using var office = await app.SignedInAsync("office");
        using var secretary = await app.SignedInAsync("secretary");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(office, id, "Start")).StatusCode);
        await app.SaveAsync(office, id, d => d with { DisclosureFrom = today, DisclosureTo = today.AddDays(30) });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(office, id, "Submit", await app.VersionAsync(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(secretary, id, "Approve", await app.VersionAsync(id))).StatusCode);
        return (id, await app.KeyAsync(id));
    }

    /// <summary>Opens the public page and sends its form, as a browser would (the stamp and the anti-forgery token from the page).</summary>
    internal static async Task<(HttpResponseMessage Response, string Html)> SendOpinionAsync(HttpClient visitor, string key, string text, string? contact = null, string? finding = null, string? honeypot = null, string? stamp = null)
    {
        var page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("text", text),
            new("stamp", stamp ?? WebUtility.HtmlDecode(StampRegex().Match(page).Groups[1].Value)),
            new("website", honeypot ?? string.Empty),
            new("contact", contact ?? string.Empty),
            new("finding", finding ?? string.Empty),
        };
        var response = await visitor.PostFormAsync($"/notices/{key}?handler=Opinion", page, fields);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    internal static async Task<HttpResponseMessage> ActOnOpinionAsync(HttpClient client, int id, int opinion, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var version = await client.GetStringAsync(new Uri($"/inspections/{id}/opinions", UriKind.Relative), Ct) is var html
            ? Regex.Match(html, $@"name=""opinion"" value=""{opinion}"" /><input type=""hidden"" name=""version"" value=""(\d+)""").Groups[1].Value
            : string.Empty;
        return await client.FollowedAsync(await client.PostFromPageAsync("/Account/SignIn", $"/inspections/{id}/opinions?handler={handler}", [.. fields, new("opinion", opinion.ToString(CultureInfo.InvariantCulture)), new("version", version.Length > 0 ? version : "0")]));
    }

    internal static string Between(string html, string start, string end)
    {
        var at = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the page has no {start}");
        var stop = html.IndexOf(end, at, StringComparison.Ordinal);
        return stop < 0 ? html[at..] : html[at..stop];
    }
}

public sealed class PublicationTestsOnSqlite(SqliteApp app) : PublicationTests(app), IClassFixture<SqliteApp>;

public sealed class PublicationTestsOnPostgres(PostgresApp app) : PublicationTests(app), IClassFixture<PostgresApp>;
