using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Intake;
using Rectify.Features.Plans;
using Rectify.IntegrationTests.Infrastructure;
using Rectify.UnitTests.Intake;

namespace Rectify.IntegrationTests;

/// <summary>
/// Every 台账 shape issue #10 lists as tolerated, and every file it lists as refused, through the real import endpoint
/// into a database: a tolerated file is previewed and imported and the plan read back through the API holds what
/// the office typed; a refused file answers 400 with what to do and leaves the plan's tables byte for byte as they
/// were. The reader's own tests (tests/Rectify.UnitTests/Intake) go through each shape cell by cell; these show
/// that the same shapes survive the whole way in, on SQLite and on PostgreSQL.
/// </summary>
public abstract class ImportVariantTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tolerated shape: the workbook, the sheet the office chooses (null: the first that looks like a ledger), the plan it gives and a warning the preview must show.</summary>
    internal sealed record Tolerated(string Name, Func<TestWorkbook> Book, string? Sheet, string[] Plan, string? Warning = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<string> ToleratedNames => [.. Variants().Select(v => v.Name)];

    public static TheoryData<string> RefusedNames => [.. Refusals().Select(r => r.Name)];

    /// <summary>
    /// Each shape in words of our own, as an office would type it; the plan as "类别 | 问题 | 措施 | 类型 | 时限 | 责任领导 |
    /// 牵头单位 | 配合单位", the supporting units in the order of their names (a measure holds a set of them, not a list).
    /// </summary>
    internal static IEnumerable<Tolerated> Variants()
    {
        yield return new("表头不在第一行且用了别名", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("Sheet1")
                .Row(1, "某镇巡察反馈问题整改台账")
                .Row(2, null, "填报单位：镇整改办")
                .Row(4, "编号", "方面", "存在问题", "整改任务", "整改类别", "分管领导", "责任单位", "协办单位", "完成时间")
                .Row(5, "1", "党的建设方面", "学习制度落实不到位", "建立学习台账", "限期整改", "变体领导甲", "变体党建办", "变体组织办、变体宣传办", DateSerial.Of(2027, 12, 31))
                .Row(6, "2", "财务管理方面", "报销审核不严", "修订报销制度", "立行立改", "变体领导乙", "变体财政办", null, null);
            return book;
        }, null,
        [
            "1 党的建设方面 | 1 学习制度落实不到位 | 1 建立学习台账 | 限期整改 | 2027-12-31 | 变体领导甲 | 变体党建办 | 变体宣传办/变体组织办",
            "2 财务管理方面 | 2 报销审核不严 | 1 修订报销制度 | 立行立改 | - | 变体领导乙 | 变体财政办 | -",
        ]);

        yield return new("整改时限、牵头单位、责任领导的另一组名称", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "完成时限", "牵头部门", "牵头领导", "配合单位", "问题类别", "反馈问题", "整改措施", "整改类型")
                .Row(2, "2027年6月30日", "变体纪工委", "变体领导丙", "变体党政办/变体财政办", "作风建设方面", "会议费管理不规范", "开展专项检查", "限期整改");
            return book;
        }, null, ["1 作风建设方面 | 1 会议费管理不规范 | 1 开展专项检查 | 限期整改 | 2027-06-30 | 变体领导丙 | 变体纪工委 | 变体党政办/变体财政办"]);

        yield return new("类别和问题的单元格合并", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "序号", "问题类别", "反馈问题", "整改措施", "完成时限")
                .Row(2, "1", "一、政治建设方面", "理论学习不深入", "一是完善学习制度", "2027-12-31")
                .Row(3, "2", null, null, "二是开展专题研讨", "2028-03-31")
                .Row(4, "3", null, "意识形态责任制落实不到位", "压实工作责任", "2028-06-30")
                .Row(5, "4", "二、组织建设方面", "支部活动不规范", "规范三会一课", "2027年12月底")
                .Merge("B2:B4").Merge("C2:C3");
            return book;
        }, null,
        [
            "1 政治建设方面 | 1 理论学习不深入 | 1 一是完善学习制度 | 限期整改 | 2027-12-31 | - | - | -",
            "1 政治建设方面 | 1 理论学习不深入 | 2 二是开展专题研讨 | 限期整改 | 2028-03-31 | - | - | -",
            "1 政治建设方面 | 2 意识形态责任制落实不到位 | 1 压实工作责任 | 限期整改 | 2028-06-30 | - | - | -",
            "2 组织建设方面 | 3 支部活动不规范 | 1 规范三会一课 | 限期整改 | 2027-12-31 | - | - | -",
        ]);

        yield return new("类别单独占一行", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "序号", "反馈问题", "整改措施", "整改时限")
                .Row(2, "一、党的政治建设方面的问题")
                .Row(3, "1", "政治理论学习流于形式", "制定年度学习计划", "2027-09-30")
                .Row(4, null, "（二）全面从严治党方面的问题")
                .Row(5, "2", "廉政风险排查不到位", "开展廉政风险排查", "2027-10-31")
                .Merge("A2:D2");
            return book;
        }, null,
        [
            "1 党的政治建设方面的问题 | 1 政治理论学习流于形式 | 1 制定年度学习计划 | 限期整改 | 2027-09-30 | - | - | -",
            "2 全面从严治党方面的问题 | 2 廉政风险排查不到位 | 1 开展廉政风险排查 | 限期整改 | 2027-10-31 | - | - | -",
        ]);

        yield return new("日期写法各不相同", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "问题类别", "反馈问题", "整改措施", "整改时限")
                .Row(2, "方面", "问题", "措施一", DateSerial.Of(2027, 12, 31))
                .Row(3, null, null, "措施二", DateSerial.Of(2028, 1, 2, custom: true))
                .Row(4, null, null, "措施三", "2027年11月30日")
                .Row(5, null, null, "措施四", "2027.10.31")
                .Row(6, null, null, "措施五", "2027/9/30")
                .Row(7, null, null, "措施六", "长期坚持")
                .Row(8, null, null, "措施七", "立行立改")
                .Merge("A2:A8").Merge("B2:B8");
            return book;
        }, null,
        [
            "1 方面 | 1 问题 | 1 措施一 | 限期整改 | 2027-12-31 | - | - | -",
            "1 方面 | 1 问题 | 2 措施二 | 限期整改 | 2028-01-02 | - | - | -",
            "1 方面 | 1 问题 | 3 措施三 | 限期整改 | 2027-11-30 | - | - | -",
            "1 方面 | 1 问题 | 4 措施四 | 限期整改 | 2027-10-31 | - | - | -",
            "1 方面 | 1 问题 | 5 措施五 | 限期整改 | 2027-09-30 | - | - | -",
            "1 方面 | 1 问题 | 6 措施六 | 长期坚持 | - | - | - | -",
            "1 方面 | 1 问题 | 7 措施七 | 立行立改 | - | - | - | -",
        ]);

        yield return new("全角数字和空格", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "序　号", "问题类别", "反馈问题", "整改措施", "整改类型", "牵头单位", "整改时限")
                .Row(2, "１", "　纪律建设方面　", "　问题甲　", "　措施一　", "　限期整改　", "　变体党政办　", "２０２７年１２月３１日")
                .Row(3, "２", null, null, "措施二", "限期整改", "变体党政办", "２０２８．３．３１")
                .Merge("B2:B3").Merge("C2:C3");
            return book;
        }, null,
        [
            "1 纪律建设方面 | 1 问题甲 | 1 措施一 | 限期整改 | 2027-12-31 | - | 变体党政办 | -",
            "1 纪律建设方面 | 1 问题甲 | 2 措施二 | 限期整改 | 2028-03-31 | - | 变体党政办 | -",
        ]);

        yield return new("配合单位用各种分隔符", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "反馈问题", "整改措施", "牵头单位", "配合单位", "整改时限")
                .Row(2, "问题乙", "措施一", "变体党政办", "变体组织办、变体宣传办，变体财政办,变体纪工委", "2027-12-31")
                .Row(3, null, "措施二", "变体党政办", "变体组织办/变体宣传办；变体财政办;变体纪工委", "2027-12-31")
                .Row(4, null, "措施三", "变体党政办", "变体组织办\n变体宣传办\r\n变体财政办／变体纪工委", "2027-12-31")
                .Merge("A2:A4");
            return book;
        }, null,
        [
            "1 未分类 | 1 问题乙 | 1 措施一 | 限期整改 | 2027-12-31 | - | 变体党政办 | 变体宣传办/变体纪工委/变体组织办/变体财政办",
            "1 未分类 | 1 问题乙 | 2 措施二 | 限期整改 | 2027-12-31 | - | 变体党政办 | 变体宣传办/变体纪工委/变体组织办/变体财政办",
            "1 未分类 | 1 问题乙 | 3 措施三 | 限期整改 | 2027-12-31 | - | 变体党政办 | 变体宣传办/变体纪工委/变体组织办/变体财政办",
        ]);

        yield return new("隐藏的行和列", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "问题类别", "反馈问题", "整改措施", "备注", "整改时限")
                .Row(2, "方面", "问题", "措施一", "内部备注", "2027-01-31")
                .Row(3, null, null, "已删除的措施", null, "2027-02-28")
                .Row(4, null, null, "措施二", null, "2027-03-31")
                .HideRow(3)
                .HideColumn("D")
                .Merge("A2:A4").Merge("B2:B4");
            return book;
        }, null,
        [
            "1 方面 | 1 问题 | 1 措施一 | 限期整改 | 2027-01-31 | - | - | -",
            "1 方面 | 1 问题 | 2 措施二 | 限期整改 | 2027-03-31 | - | - | -",
        ], "第 3 行是隐藏行，已跳过");

        yield return new("表尾有空行和预先编好的序号", () =>
        {
            var book = new TestWorkbook();
            var sheet = book.Sheet("台账").Row(1, "序号", "反馈问题", "整改措施", "整改时限").Row(2, "1", "问题丙", "措施", "2027-05-31");
            for (var r = 3; r <= 60; r++)
            {
                sheet.Row(r, r % 2 == 0 ? (r - 1).ToString(CultureInfo.InvariantCulture) : null, null, r % 3 == 0 ? " " : null);
            }

            sheet.Row(300, null, null, "　");
            return book;
        }, null, ["1 未分类 | 1 问题丙 | 1 措施 | 限期整改 | 2027-05-31 | - | - | -"]);

        yield return new("问题类别分两级（大类之下再分方面）", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("清单")
                .Row(1, "序号", "存在问题", "整改措施", "整改时限")
                .Row(2, "一、", "思想建设方面")
                .Row(3, "（一）", "理论武装方面")
                .Row(4, "1", "专题学习次数不足", "制定年度学习计划", "2027-09-30")
                .Row(5, "（二）", "宣传阵地方面")
                .Row(6, "2", "宣传栏内容长期未更新", "每月更新宣传栏", "2027-10-31")
                .Row(7, "二、", "作风建设方面")
                .Row(8, "3", "公车使用登记不全", "完善公车登记制度", "2027-11-30");
            return book;
        }, null,
        [
            "1 理论武装方面 | 1 专题学习次数不足 | 1 制定年度学习计划 | 限期整改 | 2027-09-30 | - | - | -",
            "2 宣传阵地方面 | 2 宣传栏内容长期未更新 | 1 每月更新宣传栏 | 限期整改 | 2027-10-31 | - | - | -",
            "3 作风建设方面 | 3 公车使用登记不全 | 1 完善公车登记制度 | 限期整改 | 2027-11-30 | - | - | -",
        ], "文件的问题类别分两级（“思想建设方面” 1 个大类之下又分（一）（二）……）。整改方案的问题类别只有一级：已以下一级（和直接列有问题的大类）为问题类别，按文件中的顺序编为第 1 至第 3 个；以上 1 个大类的标题未导入。");

        yield return new("问题序号在各大类内从 1 起编、跨其下的方面连续", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("清单")
                .Row(1, "序号", "存在问题", "整改措施", "整改时限")
                .Row(2, "一、", "制度建设方面")
                .Row(3, "（一）", "议事规则方面")
                .Row(4, "1.", "议事规则未及时修订", "修订议事规则", "2027-06-30")
                .Row(5, "（二）", "财务制度方面")
                .Row(6, "2.", "报销制度执行不严", "开展报销专项检查", "2027-07-31")
                .Row(7, "二、", "队伍建设方面")
                .Row(8, "（一）", "干部培训方面")
                .Row(9, "1.", "培训计划落实不到位", "制定年度培训计划", "2027-08-31")
                .Row(10, "（二）", "考核评价方面")
                .Row(11, "2.", "考核结果运用不充分", "完善考核结果运用办法", "2027-09-30");
            return book;
        }, null,
        [
            "1 议事规则方面 | 1 议事规则未及时修订 | 1 修订议事规则 | 限期整改 | 2027-06-30 | - | - | -",
            "2 财务制度方面 | 2 报销制度执行不严 | 1 开展报销专项检查 | 限期整改 | 2027-07-31 | - | - | -",
            "3 干部培训方面 | 3 培训计划落实不到位 | 1 制定年度培训计划 | 限期整改 | 2027-08-31 | - | - | -",
            "4 考核评价方面 | 4 考核结果运用不充分 | 1 完善考核结果运用办法 | 限期整改 | 2027-09-30 | - | - | -",
        ], "已按文件中的顺序编为 1 至 4");

        yield return new("问题序号在各类别内从 1 起编", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("台账")
                .Row(1, "序号", "问题类别", "反馈问题", "整改措施", "整改时限")
                .Row(2, "1", "组织建设方面", "发展党员程序不规范", "开展发展党员专项检查", "2027-08-31")
                .Row(3, "2", "组织建设方面", "支部换届不及时", "按期完成支部换届", "2027-09-30")
                .Row(4, "1", "纪律建设方面", "公务接待超出标准", "修订公务接待办法", "2027-10-31");
            return book;
        }, null,
        [
            "1 组织建设方面 | 1 发展党员程序不规范 | 1 开展发展党员专项检查 | 限期整改 | 2027-08-31 | - | - | -",
            "1 组织建设方面 | 2 支部换届不及时 | 1 按期完成支部换届 | 限期整改 | 2027-09-30 | - | - | -",
            "2 纪律建设方面 | 3 公务接待超出标准 | 1 修订公务接待办法 | 限期整改 | 2027-10-31 | - | - | -",
        ], "问题序号在每个问题类别内都从 1 起编。整改方案中的问题按全文统一编号，已按文件中的顺序编为 1 至 3");

        yield return new("几张工作表由整改办选择", () =>
        {
            var book = new TestWorkbook();
            book.Sheet("说明").Row(1, "本台账由整改办维护");
            book.Sheet("2026年台账").Row(1, "反馈问题", "整改措施", "整改时限").Row(2, "旧问题", "旧措施", "2026-12-31");
            book.Sheet("2027年台账").Row(2, "反馈问题", "整改措施", "整改时限").Row(3, "新问题", "新措施一", "2027-06-30").Row(4, null, "新措施二", "2027-07-31").Merge("A3:A4");
            return book;
        }, "2027年台账",
        [
            "1 未分类 | 1 新问题 | 1 新措施一 | 限期整改 | 2027-06-30 | - | - | -",
            "1 未分类 | 1 新问题 | 2 新措施二 | 限期整改 | 2027-07-31 | - | - | -",
        ]);
    }

    /// <summary>Each file refused whole, with words the refusal must contain.</summary>
    internal static IEnumerable<(string Name, Func<byte[]> Bytes, string FileName, string Says)> Refusals()
    {
        yield return ("xls", () => TestFiles.CompoundFile("Workbook", "\u0005SummaryInformation"), "旧台账.xls", "另存为");
        yield return ("password", () => TestFiles.CompoundFile("EncryptionInfo", "EncryptedPackage", "\u0006DataSpaces"), "加密台账.xlsx", "密码");
        yield return ("corrupt", () => SmallLedger(3).ToBytes()[..1500], "损坏.xlsx", "损坏");
        yield return ("zipbomb", () => TestFiles.AddEntry(SmallLedger(3).ToBytes(), "xl/media/image1.bin", new byte[5 * 1024 * 1024]), "炸弹.xlsx", "压缩比");
        yield return ("rows", () => SmallLedger(20_001).ToBytes(), "太大.xlsx", "20,000");
        yield return ("formula", () =>
        {
            var book = SmallLedger(3);
            book.Sheet("台账").At("D3", new FormulaCell("DATE(2027,6,30)", null));
            return book.ToBytes();
        }, "公式.xlsx", "D3");
    }

    private static TestWorkbook SmallLedger(int rows)
    {
        var book = new TestWorkbook();
        var sheet = book.Sheet("台账").Row(1, "序号", "反馈问题", "整改措施", "整改时限");
        for (var r = 2; r <= rows + 1; r++)
        {
            sheet.Row(r, (r - 1).ToString(CultureInfo.InvariantCulture), $"拒收问题{r}", $"拒收措施{r}", "2027-06-30");
        }

        return book;
    }

    private async Task<HttpClient> OfficeAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("office", "变体测试", 1, Ct);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private async Task<int> NewInspectionAsync(HttpClient office, string name)
    {
        var created = await office.PostAsJsonAsync(
            new Uri("/api/v1/inspections", UriKind.Relative),
            new NewInspectionRequest(name + app.Provider, InspectionKind.Xuncha, null, "变体巡察组", int.Parse(app.InspectedOrganization, CultureInfo.InvariantCulture), null, null, null, null),
            Http.Json,
            Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<Features.Common.WriteResult>(Http.Json, Ct))!.Id!.Value;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, int inspection, byte[] bytes, bool preview, string fileName, string? sheet = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(LedgerTemplate.ContentType);
        form.Add(file, "file", fileName);
        if (sheet is not null)
        {
            form.Add(new StringContent(sheet), "sheet");
        }

        return client.PostAsync(new Uri($"/api/v1/inspections/{inspection}/import?preview={(preview ? "true" : "false")}", UriKind.Relative), form, Ct);
    }

    /// <summary>The plan as the API gives it back, in the same words as the expected lines.</summary>
    private static async Task<List<string>> PlanAsync(HttpClient client, int inspection)
    {
        var page = (await client.GetFromJsonAsync<PlanApiPage>(new Uri($"/api/v1/inspections/{inspection}/plan?pageSize=500", UriKind.Relative), Http.Json, Ct))!;
        return
        [
            .. page.Categories.SelectMany(c => c.Findings.SelectMany(f => f.Measures.Select(m => string.Join(
                " | ",
                $"{c.Number} {c.Title}",
                $"{f.Number} {f.Title}",
                $"{m.Number} {m.Text}",
                Terms.Of(m.Kind),
                m.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                m.Leader ?? "-",
                m.LeadUnit ?? "-",
                m.SupportingUnits.Count == 0 ? "-" : string.Join("/", m.SupportingUnits.Select(u => u.Name).Order(StringComparer.Ordinal)))))),
        ];
    }

    private async Task<IReadOnlyDictionary<string, string>> ChecksumAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        return await TableChecksum.OfAsync(db, TableChecksum.PlanTables.Except([typeof(AuditEntry), typeof(AuditHead)]), Ct);
    }

    [Theory]
    [MemberData(nameof(ToleratedNames))]
    public async Task A_tolerated_shape_is_previewed_then_imported_and_the_plan_holds_what_the_office_typed(string name)
    {
        app.RequireAvailable();
        var variant = Variants().Single(v => v.Name == name);
        using var office = await OfficeAsync();
        var id = await NewInspectionAsync(office, "变体：" + name);
        var bytes = variant.Book().ToBytes();

        var previewResponse = await ImportAsync(office, id, bytes, preview: true, "变体台账.xlsx", variant.Sheet);
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        var preview = (await previewResponse.Content.ReadFromJsonAsync<ImportPreviewView>(Http.Json, Ct))!;
        Assert.True(preview.CanConfirm, string.Join("；", preview.Problems.Select(p => p.Cell + " " + p.Message)));
        Assert.DoesNotContain(preview.Problems, p => p.Severity == IntakeSeverity.Error);
        Assert.Equal(new ImportCounts(variant.Plan.Length, 0, 0), preview.Counts.Measures);
        if (variant.Warning is { } warning)
        {
            Assert.Contains(preview.Problems, p => p.Severity == IntakeSeverity.Warning && p.Message.Contains(warning, StringComparison.Ordinal));
        }

        if (variant.Sheet is { } chosen)
        {
            Assert.Equal(chosen, preview.Sheet);
            Assert.True(preview.Sheets.Count > 1);
        }

        Assert.Empty(await PlanAsync(office, id));

        var done = await ImportAsync(office, id, bytes, preview: false, "变体台账.xlsx", variant.Sheet);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(variant.Plan, await PlanAsync(office, id));

        // The same file again updates by 序号: nothing is added a second time.
        var again = (await (await ImportAsync(office, id, bytes, preview: false, "变体台账.xlsx", variant.Sheet)).Content.ReadFromJsonAsync<ImportResultView>(Http.Json, Ct))!;
        Assert.Equal(new ImportCounts(0, 0, variant.Plan.Length), again.Counts.Measures);
        Assert.Equal(variant.Plan, await PlanAsync(office, id));
    }

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task A_refused_file_answers_what_to_do_and_leaves_the_database_byte_for_byte_unchanged(string name)
    {
        app.RequireAvailable();
        var (_, bytes, fileName, says) = Refusals().Single(r => r.Name == name);
        using var office = await OfficeAsync();
        var id = await NewInspectionAsync(office, "拒收：" + name);
        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(office, id, SmallLedger(2).ToBytes(), preview: false, "先导入的台账.xlsx")).StatusCode);
        var plan = await PlanAsync(office, id);
        var before = await ChecksumAsync();
        var file = bytes();

        foreach (var preview in new[] { true, false })
        {
            var refused = await ImportAsync(office, id, file, preview, fileName);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Contains(says, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await ChecksumAsync());
        Assert.Equal(plan, await PlanAsync(office, id));
    }
}

public sealed class ImportVariantTestsOnSqlite(SqliteApp app) : ImportVariantTests(app), IClassFixture<SqliteApp>;

public sealed class ImportVariantTestsOnPostgres(PostgresApp app) : ImportVariantTests(app), IClassFixture<PostgresApp>;
