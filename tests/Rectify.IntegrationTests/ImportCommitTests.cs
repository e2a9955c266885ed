using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Intake;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;
using Rectify.UnitTests.Intake;

namespace Rectify.IntegrationTests;

/// <summary>
/// An Excel ledger's draft committed into an inspection's plan (<see cref="IntakeCommitService"/>): added the first time,
/// updated by 序号 the second, versions once the plan is in force, and nothing at all written when anything is refused.
/// </summary>
public abstract class ImportCommitTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<T> AsAsync<T>(string userName, Func<IServiceProvider, Task<T>> act) => app.AsAsync(userName, act);

    private Task<ImportComparison?> CompareAsync(int inspection, IntakeDraft draft) =>
        AsAsync("office", s => s.GetRequiredService<IntakeCommitService>().CompareAsync(inspection, draft, Ct));

    private Task<IntakeCommitResult?> CommitAsync(int inspection, IntakeDraft draft, string? reason = null, string user = "office") =>
        AsAsync(user, s => s.GetRequiredService<IntakeCommitService>().CommitAsync(inspection, draft, reason, "测试台账.xlsx", Ct));

    private async Task<T> ReadAsync<T>(Func<RectifyDbContext, Task<T>> read)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RectifyDbContext>());
    }

    private Task<IReadOnlyDictionary<string, string>> ChecksumAsync() => ReadAsync(db => TableChecksum.OfAsync(db, TableChecksum.PlanTables, Ct));

    /// <summary>A ledger written with the template and read back: the draft a user's upload gives.</summary>
    internal static IntakeDraft Draft(IEnumerable<LedgerRow> rows)
    {
        using var stream = new MemoryStream();
        LedgerTemplate.Write(stream, "测试巡察反馈问题整改台账", rows);
        stream.Position = 0;
        return LedgerWorkbookReader.Read(stream);
    }

    private async Task<int> NewInspectionAsync(string name) =>
        (await AsAsync("office", s => s.GetRequiredService<PlanService>().CreateInspectionAsync(
            new InspectionInput(name + app.Provider, InspectionKind.Xuncha, "十五届第八轮", "导入测试巡察组", int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture), null, null, null, new DateOnly(2026, 6, 1)),
            Ct))).Id!.Value;

    /// <summary>Two categories, three findings, five measures: every field filled, new and existing units, one 长期坚持.</summary>
    internal static List<LedgerRow> Ledger(string tag) =>
    [
        new(1, "落实主体责任方面", 1, "议事规则执行不严", 1, "修订议事规则" + tag, MeasureKind.TimeBound, new DateOnly(2026, 12, 31), "导入领导甲（副书记）", "纪检监察办", ["导入配合办" + tag]),
        new(1, "落实主体责任方面", 1, "议事规则执行不严", 2, "定期开展学习" + tag, MeasureKind.Ongoing, null, "导入领导甲", "导入牵头办" + tag),
        new(1, "落实主体责任方面", 1, "议事规则执行不严", 3, "建立台账" + tag, MeasureKind.Immediate, new DateOnly(2026, 9, 30), "导入领导乙", "导入牵头办" + tag),
        new(2, "工程廉政方面", 2, "工程监管薄弱", 1, "开展专项检查" + tag, MeasureKind.TimeBound, new DateOnly(2027, 3, 31), "导入领导乙", "纪检监察办", ["导入配合办" + tag, "导入另一配合办" + tag]),
        new(2, "工程廉政方面", 3, "廉政风险排查不够", 1, "排查廉政风险点" + tag, MeasureKind.TimeBound, new DateOnly(2027, 6, 30), "导入领导甲", "导入牵头办" + tag),
    ];

    [Fact]
    public async Task A_unit_written_by_its_short_name_is_that_unit_and_a_name_the_tree_lacks_is_named_before_it_is_added()
    {
        app.RequireAvailable();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (full, shortName) = ($"综合协调办公室{tag}", $"综协办{tag}");
        var (other, otherShort) = ($"综合行政执法队{tag}", $"执法队{tag}");
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            var inspected = await db.Organizations.SingleAsync(o => o.Id == int.Parse(app.InspectedOrganization, System.Globalization.CultureInfo.InvariantCulture), Ct);
            var units = new[] { new Organization(full, OrganizationKind.Department, inspected, shortName), new Organization(other, OrganizationKind.Department, inspected, otherShort) };
            db.AddRange(units);
            await db.SaveChangesAsync(Ct);
            foreach (var unit in units)
            {
                unit.AssignPath();
            }

            await db.SaveChangesAsync(Ct);
        }

        var id = await NewInspectionAsync("简称导入" + tag);
        var draft = Draft(
        [
            new(1, "方面", 1, "问题", 1, "措施一" + tag, MeasureKind.TimeBound, new DateOnly(2026, 12, 31), null, shortName, [$"新配合办{tag}"]),
            new(1, "方面", 1, "问题", 2, "措施二" + tag, MeasureKind.TimeBound, new DateOnly(2026, 12, 31), null, full, [otherShort]),
        ]);

        // The preview names the one unit the import would add, and says nothing of the short name.
        var comparison = await CompareAsync(id, draft);
        var warnings = comparison!.Problems.Where(p => p.Severity == IntakeSeverity.Warning).Select(p => p.Message).ToList();
        var added = Assert.Single(warnings, w => w.Contains("将新增单位", StringComparison.Ordinal));
        Assert.Contains($"“新配合办{tag}”", added, StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Contains(shortName, StringComparison.Ordinal));

        // Nor of a unit the file names only by its 简称 (as 配合单位 here): it is the tree's unit, not a new one.
        Assert.DoesNotContain(warnings, w => w.Contains(otherShort, StringComparison.Ordinal) || w.Contains(other, StringComparison.Ordinal));

        // Committed: both measures are led by the one unit; no unit is named by the short name; the new one is added once.
        await CommitAsync(id, draft);
        var leads = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Number).Select(m => m.LeadUnit!.Name).ToListAsync(Ct));
        Assert.Equal([full, full], leads);
        Assert.Equal(0, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == shortName, Ct)));
        Assert.Equal(1, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == $"新配合办{tag}", Ct)));

        // The same file again changes nothing: the short name is the unit the measure already has.
        var again = await CompareAsync(id, draft);
        Assert.All(again!.Measures.Values, m => Assert.Equal(ImportChange.Unchanged, m.Change));
    }

    /// <summary>An office's own ledger (not the template's shape) with 状态 and 整改进展 columns: (序号, 措施, 状态) for each row.</summary>
    private static IntakeDraft WithStatus(string tag, params (string Number, string Measure, string? Status)[] rows)
    {
        var book = new TestWorkbook();
        var sheet = book.Sheet("台账").Row(1, "序号", "问题类别", "反馈问题", "整改措施", "责任领导", "牵头单位", "整改时限", "状态", "整改进展");
        for (var i = 0; i < rows.Length; i++)
        {
            var (number, measure, status) = rows[i];
            sheet.Row(i + 2, number, "状态方面", "状态问题" + number[..number.IndexOf('.', StringComparison.Ordinal)], measure + tag, "状态领导" + tag, "状态牵头办" + tag, "2027-06-30", status,
                status is null ? null : $"{measure}：原台账说{status}");
        }

        return LedgerWorkbookReader.Read(book.ToStream());
    }

    [Fact]
    public async Task An_offices_own_status_column_starts_its_measures_when_the_plan_is_adopted_and_at_once_in_a_plan_in_force()
    {
        app.RequireAvailable();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await NewInspectionAsync("原台账状态" + tag);
        var draft = WithStatus(tag, ("1.1", "措施一", "已完成"), ("1.2", "措施二", "正在整改"), ("1.3", "措施三", "未启动"), ("2.1", "措施四", null));
        Assert.True(draft.CanConfirm, string.Join("; ", draft.Problems.Select(p => p.Message)));

        // The preview says what the 状态 does and when, once.
        var said = Assert.Single((await CompareAsync(id, draft))!.Problems, p => p.Message.StartsWith("按原台账的状态", StringComparison.Ordinal));
        Assert.Equal(IntakeSeverity.Warning, said.Severity);
        Assert.Contains("整改中 1 条、已完成 1 条。整改方案审定时", said.Message, StringComparison.Ordinal);

        // In a draft plan nothing starts; the standing waits for adoption, and the same file again changes nothing.
        await CommitAsync(id, draft);
        Task<List<(string Number, MeasureState State, LedgerStanding? Standing)>> MeasuresAsync() => ReadAsync(async db =>
            (await db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Finding.Number).ThenBy(m => m.Number)
                .Select(m => new { F = m.Finding.Number, m.Number, m.State, m.LedgerStanding }).ToListAsync(Ct))
            .Select(m => ($"{m.F}.{m.Number}", m.State, m.LedgerStanding)).ToList());
        Assert.Equal(
            [("1.1", MeasureState.Planned, LedgerStanding.Completed), ("1.2", MeasureState.Planned, LedgerStanding.InProgress), ("1.3", MeasureState.Planned, null), ("2.1", MeasureState.Planned, null)],
            await MeasuresAsync());
        Assert.Equal("措施一：原台账说已完成", await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Number == 1 && m.Finding.Number == 1).Select(m => m.LedgerProgress).SingleAsync(Ct)));
        Assert.All((await CompareAsync(id, draft))!.Measures.Values, m => Assert.Equal(ImportChange.Unchanged, m.Change));

        // A corrected draft file that says 未启动 takes the standing back; the first file gives it again.
        var corrected = WithStatus(tag, ("1.1", "措施一", "未启动"));
        Assert.Equal(["原台账状态：已完成 → 未启动", "原台账进展：修改"], (await CompareAsync(id, corrected))!.Measures[(1, 1)].Fields);
        await CommitAsync(id, corrected);
        Assert.Null((await MeasuresAsync())[0].Standing);
        await CommitAsync(id, draft);
        Assert.Equal(LedgerStanding.Completed, (await MeasuresAsync())[0].Standing);

        // Adoption starts the two, by the person adopting, each step saying it was the ledger; 已完成 is not 销号.
        Assert.NotNull(await AsAsync("office", s => s.GetRequiredService<PlanService>().ActOnPlanAsync(id, PlanAction.Submit, null, null, null, Ct)));
        var adopted = await AsAsync("secretary", s => s.GetRequiredService<PlanService>().ActOnPlanAsync(id, PlanAction.Approve, null, "党委会（原台账状态）", new DateOnly(2026, 7, 1), Ct));
        Assert.Contains("据原台账的状态，2 条措施记为整改中。", adopted.Message, StringComparison.Ordinal);
        Assert.Equal(
            [MeasureState.InProgress, MeasureState.InProgress, MeasureState.Planned, MeasureState.Planned],
            (await MeasuresAsync()).Select(m => m.State));
        var steps = await ReadAsync(db => db.MeasureTransitions.Where(t => t.Measure.InspectionId == id).OrderBy(t => t.Measure.Number)
            .Select(t => new { t.Action, t.ActorName, t.Reason }).ToListAsync(Ct));
        Assert.Equal(2, steps.Count);
        Assert.All(steps, t => Assert.Equal(MeasureAction.Start, t.Action));
        Assert.Contains("原台账（状态：已完成）", steps[0].Reason, StringComparison.Ordinal);
        Assert.Contains("原台账（状态：整改中）", steps[1].Reason, StringComparison.Ordinal);

        // The measure's page says what the ledger said, and the first report (here the office's 代报, the unit having no
        // account) starts from the ledger's account of the work.
        var first = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Finding.Number == 1 && m.Number == 1).Select(m => m.Id).SingleAsync(Ct));
        using (var officeClient = await app.SignedInAsync("office"))
        {
            var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await officeClient.GetStringAsync(new Uri($"/measures/{first}", UriKind.Relative), Ct));
            Assert.StartsWith("已完成", page.QuerySelector("#ledger-standing")!.TextContent.Trim(), StringComparison.Ordinal);
            Assert.Equal("措施一：原台账说已完成", page.QuerySelector("#ledger-progress p")!.TextContent.Trim());
            Assert.NotNull(page.QuerySelector("#on-behalf-report-form #from-ledger"));
            Assert.Equal("措施一：原台账说已完成", page.QuerySelector("#on-behalf-report-form textarea[name=narrative]")!.TextContent);

            // The ledger, its API and the 待办 name a measure the ledger called done and not yet signed off, so that
            // a passed deadline reads as paperwork owed, not work undone; a measure the ledger called 整改中 is not named.
            var parser = new AngleSharp.Html.Parser.HtmlParser();
            var ledger = parser.ParseDocument(await officeClient.GetStringAsync(new Uri($"/inspections/{id}", UriKind.Relative), Ct));
            var noted = ledger.QuerySelectorAll("tr.measure").Where(r => r.QuerySelector(".ledger-standing") is not null).Select(r => r.GetAttribute("data-measure-id")).ToList();
            Assert.Equal([first.ToString(CultureInfo.InvariantCulture)], noted);
            Assert.Equal("原台账状态：已完成", ledger.QuerySelector(".ledger-standing")!.TextContent.Trim());
            var api = await officeClient.GetFromJsonAsync<JsonElement>($"/api/v1/inspections/{id}/ledger", Http.Json, Ct);
            var standings = api.GetProperty("rows").EnumerateArray()
                .Select(r => r.TryGetProperty("ledgerStanding", out var v) ? v.GetString() : null).ToList();
            Assert.Equal(["Completed", "InProgress", null, null], standings);

            // The office lists them to chase their reports and 销号: a filter offered with their count, on the page and the API.
            Assert.Equal(1, api.GetProperty("ledgerSaysDone").GetInt32());
            Assert.Contains("（1 条）", ledger.QuerySelector("input[name=ledgerDone]")!.ParentElement!.TextContent, StringComparison.Ordinal);
            var onlyDone = parser.ParseDocument(await officeClient.GetStringAsync(new Uri($"/inspections/{id}?ledgerDone=true", UriKind.Relative), Ct));
            Assert.Equal([first.ToString(CultureInfo.InvariantCulture)], onlyDone.QuerySelectorAll("tr.measure").Select(r => r.GetAttribute("data-measure-id")));
            Assert.True(onlyDone.QuerySelector("input[name=ledgerDone]")!.HasAttribute("checked"));
            Assert.Contains("ledgerDone=true", onlyDone.QuerySelector("#export-ledger")!.GetAttribute("href"), StringComparison.Ordinal);
            var filtered = await officeClient.GetFromJsonAsync<JsonElement>($"/api/v1/inspections/{id}/ledger?ledgerDone=true", Http.Json, Ct);
            Assert.Equal([first], filtered.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("measureId").GetInt32()));
            Assert.Equal(1, filtered.GetProperty("totalRows").GetInt32());

            Task<int> DeadlineAsync(DateOnly deadline) => ReadAsync(async db =>
            {
                var changed = await db.Measures.Where(m => m.InspectionId == id && m.Finding.Number == 1 && m.Number <= 2)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.Deadline, deadline), Ct);
                await ContentVersion.BumpAsync(db, Ct);
                return changed;
            });
            Assert.Equal(2, await DeadlineAsync(new DateOnly(2020, 1, 31)));
            var work = parser.ParseDocument(await officeClient.GetStringAsync(new Uri("/work", UriKind.Relative), Ct));
            var overdue = work.QuerySelectorAll("table[data-section=overdue] tbody tr")
                .ToDictionary(r => r.QuerySelector("a.row-link")!.GetAttribute("href")!, r => r.QuerySelector(".ledger-standing")?.TextContent.Trim());
            var second = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Finding.Number == 1 && m.Number == 2).Select(m => m.Id).SingleAsync(Ct));
            Assert.Equal("原台账状态：已完成", overdue[$"/measures/{first}"]);
            Assert.Null(overdue[$"/measures/{second}"]);
            Assert.Equal(2, await DeadlineAsync(new DateOnly(2027, 6, 30)));
        }

        // In force: a later file that says 1.3 is done and adds 2.2 under way starts both at once, with the reason the
        // change needs; what the file says of a started measure (1.1 未启动) or a withdrawn one (2.1) changes nothing.
        var withdrawn = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id && m.Finding.Number == 2).Select(m => new { m.Id, m.Version }).SingleAsync(Ct));
        Assert.True((await AsAsync("office", s => s.GetRequiredService<PlanService>().WithdrawMeasureAsync(withdrawn.Id, withdrawn.Version, "合并到措施一", Ct))).Found);
        var later = WithStatus(tag, ("1.1", "措施一", "未启动"), ("1.2", "措施二", "整改中"), ("1.3", "措施三", "已完成"), ("2.1", "措施四", "已完成"), ("2.2", "措施五", "整改中"));
        var comparison = (await CompareAsync(id, later))!;
        Assert.True(comparison.NeedsReason);
        Assert.Equal(["原台账状态：— → 已完成", "原台账进展：修改"], comparison.Measures[(1, 3)].Fields);
        Assert.Equal(ImportChange.Unchanged, comparison.Measures[(1, 1)].Change);
        Assert.Equal(ImportChange.Unchanged, comparison.Measures[(2, 1)].Change);
        Assert.Equal([(1, 3), (2, 2)], comparison.LedgerNotes.Keys.Order());
        Assert.Contains(comparison.Problems, p => p.Message.StartsWith("按原台账的状态：整改中 1 条、已完成 1 条。确认导入时", StringComparison.Ordinal));
        var result = await CommitAsync(id, later, "按原台账补记");
        Assert.Contains("据原台账的状态，2 条措施记为整改中。", result!.Message, StringComparison.Ordinal);
        Assert.Equal(
            [("1.1", MeasureState.InProgress, LedgerStanding.Completed), ("1.2", MeasureState.InProgress, LedgerStanding.InProgress), ("1.3", MeasureState.InProgress, LedgerStanding.Completed), ("2.1", MeasureState.Planned, null), ("2.2", MeasureState.InProgress, LedgerStanding.InProgress)],
            await MeasuresAsync());
        var office = await ReadAsync(db => db.Users.Where(u => u.UserName == "office").Select(u => u.Id).SingleAsync(Ct));
        Assert.Equal(2, await ReadAsync(db => db.MeasureTransitions.CountAsync(t => t.Measure.InspectionId == id && t.ActorUserId == office, Ct)));
    }

    [Fact]
    public async Task A_file_without_categories_leaves_the_plans_categories_and_each_findings_own_as_they_are()
    {
        app.RequireAvailable();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await NewInspectionAsync("无类别更新" + tag);
        await CommitAsync(id, Draft(Ledger(tag)));

        // A one-row correction of finding 2 (category 二) and a new finding 4, with no 问题类别 column.
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施", "整改时限")
            .Row(2, "2.1", "工程监管薄弱", "开展专项检查" + tag, "2027-04-30")
            .Row(3, "4.1", "新发现的问题" + tag, "新的措施" + tag, "2027-05-31");
        var draft = LedgerWorkbookReader.Read(book.ToStream());
        Assert.True(Assert.Single(draft.Categories).IsImplicit);

        var comparison = (await CompareAsync(id, draft))!;
        Assert.Equal(ImportChange.Unchanged, comparison.Categories[1].Change);
        Assert.Equal(ImportChange.Unchanged, comparison.Findings[2].Change);
        Assert.Equal(["整改时限：2027-03-31 → 2027-04-30"], comparison.Measures[(2, 1)].Fields);
        Assert.Contains(comparison.Problems, p => p.Message == "文件没有问题类别：已有的问题保留原来的类别，新增的 1 个问题归入类别（一）“落实主体责任方面”，可在整改方案中调整。");

        await CommitAsync(id, draft);
        var categories = await ReadAsync(db => db.FindingCategories.Where(c => c.InspectionId == id).OrderBy(c => c.Number).Select(c => c.Title).ToListAsync(Ct));
        Assert.Equal(["落实主体责任方面", "工程廉政方面"], categories);
        var findings = await ReadAsync(db => db.Findings.Where(f => f.InspectionId == id).OrderBy(f => f.Number).Select(f => new { f.Number, Category = f.Category.Number }).ToListAsync(Ct));
        Assert.Equal([(1, 1), (2, 2), (3, 2), (4, 1)], findings.Select(f => (f.Number, f.Category)));
    }

    [Fact]
    public async Task A_ledger_goes_into_a_new_inspection_and_a_corrected_file_updates_it_instead_of_duplicating()
    {
        app.RequireAvailable();
        var id = await NewInspectionAsync("导入新巡察");
        var rows = Ledger("甲");
        var draft = Draft(rows);
        Assert.True(draft.CanConfirm, string.Join("; ", draft.Problems.Select(p => p.Message)));

        // The preview writes nothing and says that everything is new.
        var before = await ChecksumAsync();
        var preview = await CompareAsync(id, draft);
        Assert.NotNull(preview);
        Assert.Equal(new ImportCounts(5, 0, 0), preview.MeasureCounts);
        Assert.Equal(new ImportCounts(3, 0, 0), preview.FindingCounts);
        Assert.Equal(new ImportCounts(2, 0, 0), preview.CategoryCounts);
        Assert.False(preview.HasErrors);
        Assert.Equal(before, await ChecksumAsync());

        var first = await CommitAsync(id, draft);
        Assert.NotNull(first);
        Assert.Equal(new ImportCounts(5, 0, 0), first.Measures);
        Assert.Equal(0, first.Untouched);
        Assert.NotEqual(before, await ChecksumAsync());
        var measures = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Finding.Number).ThenBy(m => m.Number)
            .Select(m => new { F = m.Finding.Number, m.Number, m.Text, m.Kind, m.Deadline, Leader = m.ResponsibleLeader!.Name, Position = m.ResponsibleLeader.Position, Lead = m.LeadUnit!.Name, Supporting = m.SupportingUnits.Select(s => s.Organization.Name).OrderBy(n => n).ToList() })
            .ToListAsync(Ct));
        Assert.Equal(5, measures.Count);
        Assert.Equal(["1.1", "1.2", "1.3", "2.1", "3.1"], measures.Select(m => $"{m.F}.{m.Number}"));
        Assert.Equal(("修订议事规则甲", MeasureKind.TimeBound, new DateOnly(2026, 12, 31), "导入领导甲", "副书记", "纪检监察办"), (measures[0].Text, measures[0].Kind, measures[0].Deadline, measures[0].Leader, measures[0].Position, measures[0].Lead));
        Assert.Equal(["导入配合办甲"], measures[0].Supporting);
        Assert.Equal((MeasureKind.Ongoing, (DateOnly?)null, "导入牵头办甲"), (measures[1].Kind, measures[1].Deadline, measures[1].Lead));
        Assert.Equal(["导入另一配合办甲", "导入配合办甲"], measures[3].Supporting);

        // Names resolve to one unit and one person each, under the inspected organization; the existing unit is reused.
        Assert.Equal(1, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == "导入牵头办甲", Ct)));
        Assert.Equal(1, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name == "纪检监察办", Ct)));
        var inspectedPath = await ReadAsync(db => db.Inspections.Where(i => i.Id == id).Select(i => i.InspectedOrganization.Path).SingleAsync(Ct));
        Assert.True(await ReadAsync(db => db.Organizations.Where(o => o.Name == "导入牵头办甲").AllAsync(o => o.Path.StartsWith(inspectedPath), Ct)));
        Assert.Equal(2, await ReadAsync(db => db.People.CountAsync(p => p.Name == "导入领导甲" || p.Name == "导入领导乙", Ct)));

        // The same file again changes nothing.
        var again = await CommitAsync(id, draft);
        Assert.Equal(new ImportCounts(0, 0, 5), again!.Measures);

        // A corrected file: one deadline moved, one text corrected, one measure added, one left out of the file.
        var corrected = rows.ToList();
        corrected[0] = corrected[0] with { Deadline = new DateOnly(2027, 1, 31) };
        corrected[3] = corrected[3] with { MeasureText = "开展工程项目专项检查甲" };
        corrected.RemoveAt(2);
        corrected.Add(new(2, "工程廉政方面", 3, "廉政风险排查不够", 2, "建立风险台账甲", MeasureKind.TimeBound, new DateOnly(2027, 6, 30), "导入领导乙", "导入牵头办甲"));
        var correctedDraft = Draft(corrected);
        var comparison = await CompareAsync(id, correctedDraft);
        Assert.Equal(new ImportCounts(1, 2, 2), comparison!.MeasureCounts);
        Assert.Equal(1, comparison.Untouched);
        Assert.Equal(["整改时限：2026-12-31 → 2027-01-31"], comparison.Measures[(1, 1)].Fields);
        Assert.Equal(["措施内容"], comparison.Measures[(2, 1)].Fields);

        var second = await CommitAsync(id, correctedDraft);
        Assert.Equal(new ImportCounts(1, 2, 2), second!.Measures);
        Assert.Contains("文件中没有的 1 条措施未改动", second.Message, StringComparison.Ordinal);
        var after = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).Select(m => new { F = m.Finding.Number, m.Number, m.Text, m.Deadline }).ToListAsync(Ct));
        Assert.Equal(6, after.Count);
        Assert.Equal(new DateOnly(2027, 1, 31), after.Single(m => m.F == 1 && m.Number == 1).Deadline);
        Assert.Equal("开展工程项目专项检查甲", after.Single(m => m.F == 2 && m.Number == 1).Text);
        Assert.Equal("建立台账甲", after.Single(m => m.F == 1 && m.Number == 3).Text);
        Assert.Equal(3, await ReadAsync(db => db.Findings.CountAsync(f => f.InspectionId == id, Ct)));
        Assert.Equal(2, await ReadAsync(db => db.FindingCategories.CountAsync(c => c.InspectionId == id, Ct)));

        // Each import is audited with its counts.
        var audited = await ReadAsync(db => db.AuditEntries.Where(e => e.Action == "ledger.import" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(e => e.Sequence).Select(e => e.After!).ToListAsync(Ct));
        Assert.Equal(3, audited.Count);
        Assert.Contains("\"measures\":{\"added\":1,\"updated\":2,\"unchanged\":2}", audited[2], StringComparison.Ordinal);
        Assert.Contains("测试台账.xlsx", audited[2], StringComparison.Ordinal);

        // The audit viewer says it in words.
        var entry = await ReadAsync(db => db.AuditEntries.Where(e => e.Action == "ledger.import" && e.ObjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(e => e.Sequence).LastAsync(Ct));
        var l = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        Assert.Equal("导入整改台账", Rectify.Features.Audit.AuditPresentation.EventName(l, entry.Action));
        var changes = Rectify.Features.Audit.AuditPresentation.Changes(l, entry);
        Assert.Contains(changes, c => c.Field == "措施" && c.New == "新增 1，更新 2，不变 2");
        Assert.Contains(changes, c => c.Field == "新增的措施" && c.New == "3.2");
    }

    [Fact]
    public async Task Once_the_plan_is_submitted_an_import_is_refused_and_once_it_is_in_force_it_needs_a_reason_and_makes_versions()
    {
        app.RequireAvailable();
        var id = await NewInspectionAsync("导入方案生效");
        var rows = Ledger("乙");
        Assert.NotNull(await CommitAsync(id, Draft(rows)));

        Assert.NotNull(await AsAsync("office", s => s.GetRequiredService<PlanService>().ActOnPlanAsync(id, PlanAction.Submit, null, null, null, Ct)));
        var changed = rows.ToList();
        changed[4] = changed[4] with { Deadline = new DateOnly(2027, 9, 30) };
        var submitted = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, Draft(changed)));
        Assert.Equal(Refusal.Conflict, submitted.Refusal);

        Assert.NotNull(await AsAsync("secretary", s => s.GetRequiredService<PlanService>().ActOnPlanAsync(id, PlanAction.Approve, null, "党委会（导入测试）", new DateOnly(2026, 7, 1), Ct)));
        changed.Add(new(2, "工程廉政方面", 3, "廉政风险排查不够", 2, "新增一条措施乙", MeasureKind.TimeBound, new DateOnly(2027, 12, 31), "导入领导乙", "导入牵头办乙"));
        var draft = Draft(changed);
        Assert.True((await CompareAsync(id, draft))!.NeedsReason);
        var noReason = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, draft, reason: " "));
        Assert.Equal(Refusal.Invalid, noReason.Refusal);

        // Only the first responsible person adopts; only the office imports.
        await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, draft, "理由", user: "secretary"));

        var result = await CommitAsync(id, draft, "党委会决定调整");
        Assert.Equal(new ImportCounts(1, 1, 4), result!.Measures);
        var versions = await ReadAsync(db => db.MeasureRevisions.Where(r => r.Measure.InspectionId == id && r.Measure.Finding.Number == 3)
            .OrderBy(r => r.Measure.Number).ThenBy(r => r.Number).Select(r => new { M = r.Measure.Number, r.Number, r.Kind, r.Deadline, r.Reason }).ToListAsync(Ct));
        Assert.Equal(
            [(1, 1, MeasureRevisionKind.Approved, (DateOnly?)new DateOnly(2027, 6, 30), (string?)null), (1, 2, MeasureRevisionKind.Amended, new DateOnly(2027, 9, 30), "党委会决定调整"), (2, 1, MeasureRevisionKind.Added, new DateOnly(2027, 12, 31), "党委会决定调整")],
            versions.Select(v => (v.M, v.Number, v.Kind, v.Deadline, v.Reason)));

        // Unchanged measures got no new version.
        Assert.Equal(4, await ReadAsync(db => db.MeasureRevisions.CountAsync(r => r.Measure.InspectionId == id && r.Measure.Finding.Number < 3, Ct)));

        // The same file again changes nothing: it needs no reason, and writes no version.
        var same = Draft(changed);
        Assert.False((await CompareAsync(id, same))!.NeedsReason);
        var unchangedAgain = await CommitAsync(id, same);
        Assert.Equal(new ImportCounts(0, 0, 6), unchangedAgain!.Measures);
        Assert.Equal(3, await ReadAsync(db => db.MeasureRevisions.CountAsync(r => r.Measure.InspectionId == id && r.Measure.Finding.Number == 3, Ct)));

        // A measure added after adoption needs a deadline: the preview says so by row, the commit refuses.
        var undated = changed.ToList();
        undated.Add(new(2, "工程廉政方面", 3, "廉政风险排查不够", 3, "没有时限的措施乙", null, null, "导入领导乙", "导入牵头办乙"));
        var undatedDraft = Draft(undated);
        Assert.True(undatedDraft.CanConfirm);
        var undatedPreview = await CompareAsync(id, undatedDraft);
        var problem = Assert.Single(undatedPreview!.Problems, p => p.Severity == IntakeSeverity.Error);
        Assert.Equal(undatedDraft.Categories[1].Findings[1].Measures[2].Source!.Row, problem.Row);
        Assert.Contains("须写明整改时限", problem.Message, StringComparison.Ordinal);
        var checksum = await ChecksumAsync();
        await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, undatedDraft, "理由"));
        Assert.Equal(checksum, await ChecksumAsync());
    }

    [Fact]
    public async Task A_draft_without_deadlines_goes_into_a_draft_plan_and_a_later_date_gives_a_measure_its_end()
    {
        app.RequireAvailable();
        var id = await NewInspectionAsync("导入无时限");
        static IntakeDraft Bare(params IntakeMeasure[] measures) =>
            new(IntakeInspection.Unknown, [new IntakeCategory(1, "未写时限的类别", [new IntakeFinding(1, "未写时限的问题", measures, null)], null)], []);

        // As a notice gives them: text only. Nothing asks for a deadline while the plan is drafted.
        var first = await CommitAsync(id, Bare(new IntakeMeasure(1, "措施一", null, null, null, null, [], null), new IntakeMeasure(2, "措施二", MeasureKind.Ongoing, null, null, null, [], null)));
        Assert.Equal(new ImportCounts(2, 0, 0), first!.Measures);

        // A later file names the leader of one, and gives the 长期坚持 one a date, which makes it 限期整改.
        var second = await CommitAsync(id, Bare(new IntakeMeasure(1, "措施一", null, null, "补填领导", null, [], null), new IntakeMeasure(2, "措施二", null, new DateOnly(2027, 1, 31), null, null, [], null)));
        Assert.Equal(new ImportCounts(0, 2, 0), second!.Measures);
        var measures = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Number).Select(m => new { m.Kind, m.Deadline, Leader = m.ResponsibleLeader!.Name }).ToListAsync(Ct));
        Assert.Equal((MeasureKind.TimeBound, (DateOnly?)null, "补填领导"), (measures[0].Kind, measures[0].Deadline, measures[0].Leader));
        Assert.Equal((MeasureKind.TimeBound, (DateOnly?)new DateOnly(2027, 1, 31)), (measures[1].Kind, measures[1].Deadline));

        // 报审 still asks for what is missing.
        var submit = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => AsAsync("office", s => s.GetRequiredService<PlanService>().ActOnPlanAsync(id, PlanAction.Submit, null, null, null, Ct)));
        Assert.Contains("1.1", submit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leader_typed_with_a_position_is_that_person_however_it_is_written_and_a_position_alone_is_named()
    {
        app.RequireAvailable();
        var id = await NewInspectionAsync("导入领导职务");
        var row = Ledger("丁")[0];
        var rows = new List<LedgerRow>
        {
            row with { MeasureNumber = 1, MeasureText = "措施一丁", ResponsibleLeader = "区委常委、组织部部长 吴海丁" },
            row with { MeasureNumber = 2, MeasureText = "措施二丁", ResponsibleLeader = "副区长 郑晓丁" },
            row with { MeasureNumber = 3, MeasureText = "措施三丁", ResponsibleLeader = "郑晓丁（副区长）" },
            row with { MeasureNumber = 4, MeasureText = "措施四丁", ResponsibleLeader = "副区长郑晓丁" },
            row with { MeasureNumber = 5, MeasureText = "措施五丁", ResponsibleLeader = "区委常委" },
            row with { MeasureNumber = 6, MeasureText = "措施六丁", ResponsibleLeader = "孙丽丁" },
            row with { MeasureNumber = 7, MeasureText = "措施七丁", ResponsibleLeader = "副区长 孙丽丁" },
        };
        var draft = Draft(rows);
        var preview = (await CompareAsync(id, draft))!;
        Assert.False(preview.HasErrors);
        Assert.Contains(preview.Problems, p => p.Severity == IntakeSeverity.Warning && p.Row == draft.Categories[0].Findings[0].Measures[4].Source!.Row
            && p.Message.StartsWith("措施 1.5的责任领导“区委常委”像是职务而不是姓名", StringComparison.Ordinal));
        Assert.DoesNotContain(preview.Problems, p => p.Message.Contains("吴海丁", StringComparison.Ordinal) || p.Message.Contains("郑晓丁", StringComparison.Ordinal));

        Assert.NotNull(await CommitAsync(id, draft));
        var leaders = await ReadAsync(db => db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Number)
            .Select(m => new { m.ResponsibleLeader!.Id, m.ResponsibleLeader.Name, m.ResponsibleLeader.Position }).ToListAsync(Ct));
        Assert.Equal(("吴海丁", "区委常委、组织部部长"), (leaders[0].Name, leaders[0].Position));
        Assert.Equal(("郑晓丁", "副区长"), (leaders[1].Name, leaders[1].Position));
        Assert.Single(leaders.Skip(1).Take(3).Select(l => l.Id).Distinct()); // one person, three ways of writing her
        Assert.Equal("区委常委", leaders[4].Name);
        Assert.Equal(1, await ReadAsync(db => db.People.CountAsync(p => p.Name == "郑晓丁", Ct)));

        // A person first written without a position, then with one, is one person, given that position.
        Assert.Equal(leaders[5].Id, leaders[6].Id);
        Assert.Equal("副区长", await ReadAsync(db => db.People.Where(p => p.Name == "孙丽丁").Select(p => p.Position).SingleAsync(Ct)));
    }

    [Fact]
    public async Task A_failing_import_leaves_the_database_byte_for_byte_unchanged()
    {
        app.RequireAvailable();
        var id = await NewInspectionAsync("导入失败");
        var rows = Ledger("丙");
        Assert.NotNull(await CommitAsync(id, Draft(rows)));
        var before = await ChecksumAsync();

        // A finding number already used for another finding of another category.
        var clash = rows.ToList();
        clash[4] = clash[4] with { CategoryNumber = 1, CategoryTitle = "落实主体责任方面", FindingTitle = "另一个问题" };
        var clashDraft = Draft(clash.OrderBy(r => r.CategoryNumber).ThenBy(r => r.FindingNumber).ToList());
        Assert.True(clashDraft.CanConfirm);
        var clashPreview = await CompareAsync(id, clashDraft);
        Assert.Contains(clashPreview!.Problems, p => p.Severity == IntakeSeverity.Error && p.Message.Contains("问题序号 3", StringComparison.Ordinal) && p.Row is not null);
        var refused = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, clashDraft));
        Assert.Contains("问题序号 3", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ChecksumAsync());

        // A measure deep in the file with a leader's name longer than the plan keeps: named by the preview, by its row (not
        // first at 确认导入), and refused by the import before anything is written.
        var deep = Enumerable.Range(1, 40).Select(n => new LedgerRow(3, "新类别丙", 10 + n, "新问题丙" + n, 1, "新措施丙" + n, MeasureKind.TimeBound, new DateOnly(2027, 1, 1), "新领导丙" + n, "新单位丙" + n, ["新配合丙" + n])).ToList();
        deep[^1] = deep[^1] with { ResponsibleLeader = new string('长', 60) };
        deep[^2] = deep[^2] with { SupportingUnits = [new string('单', 101)] };
        var deepDraft = Draft([.. rows, .. deep]);
        Assert.True(deepDraft.CanConfirm);
        var deepPreview = (await CompareAsync(id, deepDraft))!;
        var deepRow = deepDraft.Categories[2].Findings[^1].Measures[0].Source!.Row;
        Assert.Contains(deepPreview.Problems, p => p.Severity == IntakeSeverity.Error && p.Row == deepRow && p.Message == "措施 50.1：责任领导姓名不能超过 50 个字（现有 60 个）。");
        Assert.Contains(deepPreview.Problems, p => p.Severity == IntakeSeverity.Error && p.Row == deepRow - 1 && p.Message == "措施 49.1：单位名称不能超过 100 个字（现有 101 个）。");
        Assert.DoesNotContain(deepPreview.Problems, p => p.Severity == IntakeSeverity.Warning && p.Message.Contains(new string('单', 101), StringComparison.Ordinal));
        var deepRefusal = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, deepDraft));
        Assert.Contains("措施 49.1", deepRefusal.Message, StringComparison.Ordinal);
        Assert.Contains($"第 {deepRow - 1} 行", deepRefusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ChecksumAsync());
        Assert.Equal(0, await ReadAsync(db => db.Organizations.CountAsync(o => o.Name.StartsWith("新单位丙"), Ct)));

        // A file with an error of its own is not imported at all.
        var broken = rows.ToList();
        broken[4] = broken[4] with { Kind = MeasureKind.TimeBound, Deadline = null, MeasureText = "改了但没有时限" };
        var brokenDraft = Draft(broken);
        Assert.False(brokenDraft.CanConfirm);
        var invalid = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => CommitAsync(id, brokenDraft));
        Assert.Equal(Refusal.Invalid, invalid.Refusal);
        Assert.Equal(before, await ChecksumAsync());

        // Another organization's inspection is not there for this office (404), and nothing is written either.
        Assert.Null(await CommitAsync(app.OtherInspectionId, Draft(rows)));
        Assert.Null(await CompareAsync(app.OtherInspectionId, Draft(rows)));
        Assert.Equal(before, await ChecksumAsync());
    }
}

public sealed class ImportCommitTestsOnSqlite(SqliteApp app) : ImportCommitTests(app), IClassFixture<SqliteApp>;

public sealed class ImportCommitTestsOnPostgres(PostgresApp app) : ImportCommitTests(app), IClassFixture<PostgresApp>;
