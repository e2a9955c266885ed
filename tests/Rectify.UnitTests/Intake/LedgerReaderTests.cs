using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.UnitTests.Intake;

/// <summary>The 台账 shapes offices keep, each read into the same draft (issue #10, item 3).</summary>
public sealed class LedgerReaderTests
{
    [Fact]
    public void A_header_under_a_title_and_blank_rows_with_other_names_for_the_columns_is_found()
    {
        var book = new TestWorkbook();
        book.Sheet("Sheet1")
            .Row(1, "某某街道巡察反馈问题整改台账")
            .Row(2, null, "填报单位：街道整改办")
            .Row(4, "编号", "方面", "存在问题", "整改任务", "整改类别", "分管领导", "责任单位", "协办单位", "完成时间")
            .Row(5, "1", "党的建设方面", "学习制度落实不到位", "建立学习台账", "限期整改", "王某", "党建办", "组织办、宣传办", DateSerial.Of(2024, 12, 31))
            .Row(6, "2", "财务管理方面", "报销审核不严", "修订报销制度", "立行立改", "李某", "财政办", null, null);

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal("某某街道巡察反馈问题整改台账", draft.Inspection.Title);
        Assert.Equal(
            [
                "1 党的建设方面 | 1 学习制度落实不到位 | 1 建立学习台账 | 限期整改 | 2024-12-31 | 王某 | 党建办 | 组织办/宣传办",
                "2 财务管理方面 | 2 报销审核不严 | 1 修订报销制度 | 立行立改 | - | 李某 | 财政办 | -",
            ],
            Drafts.Lines(draft));
        Assert.Empty(draft.Problems);
        Assert.True(draft.CanConfirm);
        Assert.Equal(new IntakeLocation("Sheet1", 5), draft.Categories[0].Findings[0].Measures[0].Source);
    }

    [Theory]
    [InlineData("整改时限", "牵头单位", "责任领导", "配合单位", "问题类别", "反馈问题", "整改措施", "整改类型")]
    [InlineData("完成时限", "牵头部门", "牵头领导", "协办单位", "类别", "问题", "整改措施", "整改类型")]
    [InlineData("完成时间", "责任单位", "分管领导", "配合单位", "方面", "存在问题", "整改任务", "整改类别")]
    [InlineData("整改时限（年月日）", "牵头单位\n（盖章）", "责任 领导", "配合单位", "问题类别", "反馈问题", "*整改措施", "整改类型")]
    public void Every_name_offices_use_for_a_column_is_understood(string deadline, string lead, string leader, string supporting, string category, string finding, string measure, string kind)
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, deadline, lead, leader, supporting, category, finding, measure, kind)
            .Row(2, "2025年6月30日", "纪工委", "张某", "党政办/财政办", "作风建设方面", "会议费管理不规范", "开展专项检查", "限期整改");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(["1 作风建设方面 | 1 会议费管理不规范 | 1 开展专项检查 | 限期整改 | 2025-06-30 | 张某 | 纪工委 | 党政办/财政办"], Drafts.Lines(draft));
    }

    [Fact]
    public void Merged_category_and_problem_cells_apply_to_every_row_of_the_range()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施", "完成时限")
            .Row(2, "1", "一、政治建设方面", "理论学习不深入", "一是完善学习制度", "2024-12-31")
            .Row(3, "2", null, null, "二是开展专题研讨", "2025-03-31")
            .Row(4, "3", null, "意识形态责任制落实不到位", "压实工作责任", "2025-06-30")
            .Row(5, "4", "二、组织建设方面", "支部活动不规范", "规范三会一课", "2024年12月底")
            .Row(6, "5", null, null, "开展支部评星", "2025年3月")
            .Merge("B2:B4")
            .Merge("C2:C3")
            .Merge("B5:B6")
            .Merge("C5:C6");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(
            [
                "1 政治建设方面 | 1 理论学习不深入 | 1 一是完善学习制度 | - | 2024-12-31 | - | - | -",
                "1 政治建设方面 | 1 理论学习不深入 | 2 二是开展专题研讨 | - | 2025-03-31 | - | - | -",
                "1 政治建设方面 | 2 意识形态责任制落实不到位 | 1 压实工作责任 | - | 2025-06-30 | - | - | -",
                "2 组织建设方面 | 3 支部活动不规范 | 1 规范三会一课 | - | 2024-12-31 | - | - | -",
                "2 组织建设方面 | 3 支部活动不规范 | 2 开展支部评星 | - | 2025-03-31 | - | - | -",
            ],
            Drafts.Lines(draft));
        Assert.Empty(draft.Problems);
    }

    [Fact]
    public void Two_problems_with_the_same_words_in_two_merged_ranges_stay_two_problems()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施")
            .Row(2, "党建方面", "制度执行不严", "措施甲")
            .Row(3, null, null, "措施乙")
            .Row(4, null, "制度执行不严", "措施丙")
            .Row(5, null, null, "措施丁")
            .Merge("A2:A5")
            .Merge("B2:B3")
            .Merge("B4:B5");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal([2, 2], draft.Categories.Single().Findings.Select(f => f.Measures.Count));
        Assert.Equal([1, 2], draft.Categories.Single().Findings.Select(f => f.Number));
    }

    [Fact]
    public void A_category_on_a_row_of_its_own_heads_the_rows_below_it()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施", "牵头单位")
            .Row(2, "一、党的政治建设方面的问题")
            .Row(3, "1", "政治理论学习流于形式", "制定年度学习计划", "党政办")
            .Row(4, "2", "落实上级决策部署有差距", "建立督办台账", "督查室")
            .Row(5, null, "（二）全面从严治党方面的问题")
            .Row(6, "3", "廉政风险排查不到位", "开展廉政风险排查", "纪工委")
            .Row(7, "（三）", "基层组织建设")
            .Row(8, "4", "发展党员程序不规范", "开展发展党员专项检查", "组织办")
            .Merge("A2:D2");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(
            [
                "1 党的政治建设方面的问题 | 1 政治理论学习流于形式 | 1 制定年度学习计划 | - | - | - | 党政办 | -",
                "1 党的政治建设方面的问题 | 2 落实上级决策部署有差距 | 1 建立督办台账 | - | - | - | 督查室 | -",
                "2 全面从严治党方面的问题 | 3 廉政风险排查不到位 | 1 开展廉政风险排查 | - | - | - | 纪工委 | -",
                "3 基层组织建设 | 4 发展党员程序不规范 | 1 开展发展党员专项检查 | - | - | - | 组织办 | -",
            ],
            Drafts.Lines(draft));
        Assert.Empty(draft.Problems);
        Assert.Equal([2, 5, 7], draft.Categories.Select(c => c.Source!.Row));
    }

    [Fact]
    public void A_problem_on_a_row_of_its_own_takes_the_measures_on_the_rows_below()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施", "整改时限")
            .Row(2, "作风方面", "1.文山会海问题突出", null, null)
            .Row(3, null, null, "精简会议文件", "2024.12.31")
            .Row(4, null, null, "建立发文审核制度", "2025.1.15")
            .Row(5, null, "2.调查研究不深入", null, null)
            .Row(6, null, null, "制定调研计划", "2025/2/28");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(
            [
                "1 作风方面 | 1 文山会海问题突出 | 1 精简会议文件 | - | 2024-12-31 | - | - | -",
                "1 作风方面 | 1 文山会海问题突出 | 2 建立发文审核制度 | - | 2025-01-15 | - | - | -",
                "1 作风方面 | 2 调查研究不深入 | 1 制定调研计划 | - | 2025-02-28 | - | - | -",
            ],
            Drafts.Lines(draft));
        Assert.Empty(draft.Problems);
    }

    [Fact]
    public void Deadlines_are_read_from_date_cells_and_from_the_ways_people_type_them()
    {
        var book = new TestWorkbook();
        var sheet = book.Sheet("台账").Row(1, "问题类别", "反馈问题", "整改措施", "整改时限");
        object[] deadlines =
        [
            DateSerial.Of(2024, 12, 31), DateSerial.Of(2025, 1, 2, custom: true), 45688.0, "2024年12月31日", "2024.12.31",
            "2024/12/31", "2024-12-31", "2024年12月底", "2024年12月底前", "2025年2月", "2024年底", "20250315", 20250316,
            new InlineText("2025年3月1日前"), new FormulaCell("DATE(2025,4,1)", "2025-04-01"),
        ];
        for (var i = 0; i < deadlines.Length; i++)
        {
            sheet.Row(i + 2, "方面", "问题", $"措施{i + 1}", deadlines[i]);
        }

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Empty(draft.Problems);
        Assert.Equal(
            ["2024-12-31", "2025-01-02", "2025-01-31", "2024-12-31", "2024-12-31", "2024-12-31", "2024-12-31", "2024-12-31", "2024-12-31", "2025-02-28", "2024-12-31", "2025-03-15", "2025-03-16", "2025-03-01", "2025-04-01"],
            draft.Categories.Single().Findings.Single().Measures.Select(m => m.Deadline?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_kind_comes_from_its_column_or_from_the_words_in_the_deadline_and_the_column_wins()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "反馈问题", "整改措施", "整改类型", "完成时限")
            .Row(2, "问题甲", "措施一", null, "长期坚持")
            .Row(3, null, "措施二", null, "立行立改")
            .Row(4, null, "措施三", "限期整改", "2025-06-30")
            .Row(5, null, "措施四", "限期整改", "长期坚持")
            .Row(6, null, "措施五", "长期坚持", null)
            .Row(7, null, "措施六", null, "2025-06-30")
            .Row(8, null, "措施七", "立行立改", "立行立改，2024年9月底前");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        var measures = draft.Categories.Single().Findings.Single().Measures;
        Assert.Equal([MeasureKind.Ongoing, MeasureKind.Immediate, MeasureKind.TimeBound, MeasureKind.TimeBound, MeasureKind.Ongoing, null, MeasureKind.Immediate], measures.Select(m => m.Kind));
        Assert.Equal([null, null, new DateOnly(2025, 6, 30), null, null, new DateOnly(2025, 6, 30), new DateOnly(2024, 9, 30)], measures.Select(m => m.Deadline));

        // Row 5: the column says 限期整改 and the deadline 长期坚持 — the column wins, and 限期整改 then lacks its date.
        Assert.Equal(
            [
                "Warning D5: 整改类型为“限期整改”，整改时限却写着“长期坚持”，按整改类型列读取。",
                "Error D5: 限期整改的措施必须有整改时限。",
            ],
            Drafts.Problems(draft).Where(p => p.Contains("D5", StringComparison.Ordinal)));
        Assert.Equal(2, draft.Problems.Count(p => p.Row != 2));
        Assert.False(draft.CanConfirm);
    }

    [Fact]
    public void Full_width_digits_and_spaces_and_every_unit_separator_are_read()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序　号", "反馈问题", "整改措施", "整改类型", "牵头单位", "配合单位", "整改时限")
            .Row(2, "１．１", "　问题甲　", "　措施一　", "　立行立改　", "　党政办　", "组织办、宣传办，财政办,纪工委", "２０２４年１２月３１日")
            .Row(3, "１－２", null, "措施二", "限期整改", "党政办", "组织办/宣传办；财政办;纪工委", "２０２５．３．３１")
            .Row(4, "１.３", null, "措施三", "限期整改", "党政办", "组织办\n宣传办\r\n财政办／纪工委、组织办", "2025 年 6 月 30 日");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Empty(draft.Errors);
        Assert.Equal(
            [
                "1 未分类 | 1 问题甲 | 1 措施一 | 立行立改 | 2024-12-31 | - | 党政办 | 组织办/宣传办/财政办/纪工委",
                "1 未分类 | 1 问题甲 | 2 措施二 | 限期整改 | 2025-03-31 | - | 党政办 | 组织办/宣传办/财政办/纪工委",
                "1 未分类 | 1 问题甲 | 3 措施三 | 限期整改 | 2025-06-30 | - | 党政办 | 组织办/宣传办/财政办/纪工委",
            ],
            Drafts.Lines(draft));
    }

    [Fact]
    public void Several_lead_units_make_the_first_the_lead_and_the_others_supporting()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施", "牵头单位", "配合单位")
            .Row(2, "方面", "问题", "措施", "党政办、组织办", "宣传办、组织办、党政办");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        var measure = draft.Categories.Single().Findings.Single().Measures.Single();
        Assert.Equal("党政办", measure.LeadUnit);
        Assert.Equal(["组织办", "宣传办"], measure.SupportingUnits);
        Assert.Equal(["Warning D2: 牵头单位填写了 2 个单位，“党政办”作为牵头单位，其余作为配合单位。"], Drafts.Problems(draft));
    }

    [Fact]
    public void Hidden_rows_and_columns_are_skipped_and_the_preview_says_so()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施", "备注", "整改时限")
            .Row(2, "方面", "问题", "措施一", "内部备注", "2025-01-31")
            .Row(3, null, null, "已删除的措施", null, "2025-02-28")
            .Row(4, null, null, "措施二", null, "2025-03-31")
            .HideRow(3)
            .HideRow(9)
            .HideColumn("D")
            .Merge("A2:A4")
            .Merge("B2:B4");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(["措施一", "措施二"], draft.Categories.Single().Findings.Single().Measures.Select(m => m.Text));
        Assert.Equal([1, 2], draft.Categories.Single().Findings.Single().Measures.Select(m => m.Number));
        Assert.Equal(
            [
                "Warning D1: D 列（“备注”）是隐藏列，已跳过，其内容没有导入。",
                "Warning 第 3 行: 第 3 行是隐藏行，已跳过，其内容没有导入。",
            ],
            Drafts.Problems(draft));
        Assert.True(draft.CanConfirm);
    }

    [Fact]
    public void A_column_called_责任人_is_read_as_the_leader_and_said_so()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "问题类别", "反馈问题", "整改措施", "责任单位", "责任人", "完成时限")
            .Row(2, "1.1", "一、作风方面", "问题甲", "措施一", "办公室", "张某", "2026-01-31");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal("张某", draft.Categories.Single().Findings.Single().Measures.Single().ResponsibleLeader);
        var said = Assert.Single(Drafts.Problems(draft));
        Assert.StartsWith("Warning F1: “责任人”列按责任领导读取", said, StringComparison.Ordinal);
        Assert.True(draft.CanConfirm);
    }

    [Fact]
    public void Named_columns_that_no_field_reads_are_named_once_as_not_imported_and_a_column_without_a_name_is_none()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施", "具体责任人", null, "备注", " 完成情况\n说明 ", "状态", "整改时限")
            .Row(2, "1.1", "问题甲", "措施一", "张某", "无名列的内容", "内部备注", "已完成一半", "整改中", "2025-01-31")
            .Row(3, "1.2", "问题甲", "措施二", "李某", null, null, null, null, "2025-02-28")
            .Row(4, "2.1", "问题乙", "措施三", "王某", null, null, null, null, "2025-03-31");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(3, draft.Categories.Single().Findings.Sum(f => f.Measures.Count));
        Assert.Equal(
            [
                "Warning 第 1 行: 以下列不会导入：具体责任人（D 列）、备注（F 列）。",
                "Warning 第 2 行: 没有找到问题类别（既没有“问题类别”列，也没有单独成行的类别），问题归入“未分类”。",
            ],
            Drafts.Problems(draft));
        Assert.True(draft.CanConfirm);

        // The 状态 and 完成情况说明 columns are read: the ledger's standing of each measure and its account of the work.
        var measures = draft.Categories.Single().Findings.SelectMany(f => f.Measures).ToList();
        Assert.Equal([LedgerStanding.InProgress, null, null], measures.Select(m => m.Standing));
        Assert.Equal(["已完成一半", null, null], measures.Select(m => m.Progress));
    }

    [Fact]
    public void A_second_column_of_how_the_work_went_is_named_as_not_imported_with_where_to_write_it()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施", "整改时限", "整改进展", "阶段进展")
            .Row(2, "方面", "问题", "措施", "2025-01-31", "已修订制度", "另一段说明");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal("已修订制度", draft.Categories.Single().Findings.Single().Measures.Single().Progress);
        Assert.Contains(
            "Warning 第 1 行: “阶段进展”列不会导入。原台账各措施完成与否请写在“状态”列（未启动、整改中或已完成），进展说明写在“整改进展”列：这两列都会导入，整改进展作为责任单位第一次报送的底稿，由责任单位核对、附上佐证材料后报送；已完成的措施报送后申请销号。",
            Drafts.Problems(draft));
    }

    [Fact]
    public void An_export_with_some_of_its_own_columns_deleted_is_still_the_systems_file_and_its_states_are_not_read()
    {
        var columns = LedgerTemplate.ExportColumns.Where(c => c != "状态").ToList();
        var values = columns.Select(c => (object?)(c switch
        {
            "序号" => "1.1", "问题类别" => "方面", "反馈问题" => "问题甲", "整改措施" => "措施一", "完成时限" => "2025-01-31",
            "完成情况" => "未完成", "整改进展" => "（待审核）已开展自查", "问题整改状态" => "整改中", _ => null,
        })).ToArray();
        var book = new TestWorkbook();
        book.Sheet("台账").Row(1, [.. columns]).Row(2, values);

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        var measure = draft.Categories.Single().Findings.Single().Measures.Single();
        Assert.Equal((null, null), (measure.Standing, measure.Progress));
        var said = Assert.Single(Drafts.Problems(draft), p => p.Contains("本系统导出时才有的列", StringComparison.Ordinal));
        Assert.Contains("“销号日期”、“回头看结果”", said, StringComparison.Ordinal);
        Assert.DoesNotContain(Drafts.Problems(draft), p => p.Contains("不会导入", StringComparison.Ordinal));
    }

    [Fact]
    public void Excels_escapes_in_a_cell_are_undone_so_a_text_pasted_from_Word_keeps_its_lines_and_nothing_shows_as_x000D()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "反馈问题", "整改措施", "整改时限", "整改进展")
            .Row(2, "问题_x000D_\n甲", "一是召开会议。_x000D_\n二是印发制度。", "2025-01-31", "已办_x0009_结，编号_x005F_x000D_保留");

        var measure = LedgerWorkbookReader.Read(book.ToStream()).Categories.Single().Findings.Single().Measures.Single();

        Assert.Equal("一是召开会议。\n二是印发制度。", measure.Text);
        Assert.Equal("已办\t结，编号_x000D_保留", measure.Progress);
    }

    [Fact]
    public void An_offices_own_status_column_gives_each_measure_the_standing_its_words_name_and_says_which_rows_name_none()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施", "整改时限", "完成情况")
            .Row(2, "1.1", "问题甲", "措施一", "2025-01-31", "已完成")
            .Row(3, "1.2", "问题甲", "措施二", "2025-02-28", "已完成（2025年1月）")
            .Row(4, "1.3", "问题甲", "措施三", "2025-02-28", "正在整改")
            .Row(5, "1.4", "问题甲", "措施四", "2025-02-28", "未启动")
            .Row(6, "1.5", "问题甲", "措施五", "2025-02-28", "基本完成，持续推进")
            .Row(7, "1.6", "问题甲", "措施六", "2025-02-28", "绿")
            .Row(8, "1.7", "问题甲", "措施七", "2025-02-28", "制定了制度并印发执行")
            .Row(9, "1.8", "问题甲", "措施八", "2025-02-28", "已 销 号")
            .Row(10, "1.9", "问题甲", "措施九", "2025-02-28", null)
            .Row(11, "1.10", "问题甲", "措施十", "2025-02-28", "已完成 2025年3月")
            .Row(12, "1.11", "问题甲", "措施十一", "2025-02-28", "已完成/已销号")
            .Row(13, "1.12", "问题甲", "措施十二", "2025-02-28", "已完成2025年3月")
            .Row(14, "1.13", "问题甲", "措施十三", "2025-02-28", "未完成2025年底前")
            .Row(15, "1.14", "问题甲", "措施十四", "2025-02-28", "已完成60%")
            .Row(16, "1.15", "问题甲", "措施十五", "2025-02-28", "完成 50%")
            .Row(17, "1.16", "问题甲", "措施十六", "2025-02-28", "已完成 3 项，剩余 2 项")
            .Row(18, "1.17", "问题甲", "措施十七", "2025-02-28", "已完成/未完成")
            .Row(19, "1.18", "问题甲", "措施十八", "2025-02-28", "已销号 待审批")
            .Row(20, "1.19", "问题甲", "措施十九", "2025-02-28", "已完成/已销号（2025.3）");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(
            [
                LedgerStanding.Completed, LedgerStanding.Completed, LedgerStanding.InProgress, LedgerStanding.NotStarted, LedgerStanding.InProgress, null, null, LedgerStanding.Completed, null,
                LedgerStanding.Completed, LedgerStanding.Completed, LedgerStanding.Completed, LedgerStanding.InProgress,
                null, null, null, null, null, LedgerStanding.Completed,
            ],
            draft.Categories.Single().Findings.Single().Measures.Select(m => m.Standing));
        var problem = Assert.Single(Drafts.Problems(draft), p => p.Contains("不是措施的状态", StringComparison.Ordinal));
        Assert.Equal(
            "Warning E7: E 列第 7、8、15、16、17、18、19 行写的不是措施的状态，这些措施按“未启动”导入。可写：未启动、整改中（正在整改、基本完成、长期坚持）、已完成（已整改、已销号）。"
            + "这一列如果写的是进展说明，请把列名改为“整改进展”，它会随措施保存，作为责任单位第一次报送的底稿。",
            problem);
        Assert.True(draft.CanConfirm);
    }

    [Fact]
    public void The_status_of_a_file_this_system_wrote_is_its_own_and_is_not_read()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, [.. LedgerTemplate.Columns])
            .Row(2, "1.1", "方面", "问题甲", "措施一", "限期整改", "王某", "党政办", null, "2025-01-31", null, null, null, "已销号");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Null(draft.Categories.Single().Findings.Single().Measures.Single().Standing);
        Assert.DoesNotContain(Drafts.Problems(draft), p => p.Contains("状态", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ledger_whose_columns_are_all_read_hears_nothing_of_columns()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "问题类别", "反馈问题", "整改措施", "整改时限", null)
            .Row(2, "方面", "问题", "措施", "2025-01-31", "表外的批注");

        Assert.Empty(Drafts.Problems(LedgerWorkbookReader.Read(book.ToStream())));
    }

    [Fact]
    public void Many_unread_columns_with_long_names_make_one_short_line_not_megabytes()
    {
        // 300 extra columns, each headed by the same 30,000-character text (a shared string costs the file nothing).
        var longName = new string('长', 30_000);
        object?[] header = [.. new object?[] { "序号", "反馈问题", "整改措施", "整改时限" }, .. Enumerable.Repeat<object?>(longName, 300)];
        var book = new TestWorkbook();
        book.Sheet("台账").Row(1, header).Row(2, "1.1", "问题甲", "措施一", "2025-01-31");

        var problem = Assert.Single(Drafts.Problems(LedgerWorkbookReader.Read(book.ToStream())), p => p.Contains("以下列不会导入", StringComparison.Ordinal));

        Assert.EndsWith(" 等 300 列。", problem, StringComparison.Ordinal);
        Assert.Contains(new string('长', 30) + "…（E 列）", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 2_000, $"{problem.Length} characters");
    }

    [Fact]
    public void An_exports_own_columns_go_unsaid_under_todays_names_and_an_older_exports_and_only_an_added_column_is_named()
    {
        foreach (var header in new IReadOnlyList<string>[]
        {
            LedgerTemplate.ExportColumns,
            [.. LedgerTemplate.ExportColumns.Select(c => c == LedgerColumns.Unverified ? "演示假设" : c)],
        })
        {
            object?[] named = [.. header, "备注"];
            object?[] values = ["1.1", "一、方面", "问题", "措施", "限期整改", "王某", "党政办", null, "2025-06-30"];
            var book = new TestWorkbook();
            book.Sheet("台账").Row(3, named).Row(4, values);

            var draft = LedgerWorkbookReader.Read(book.ToStream());

            Assert.Equal([$"Warning 第 3 行: 以下列不会导入：备注（{LedgerColumns.Letter(header.Count)} 列）。"], Drafts.Problems(draft));
        }
    }

    [Fact]
    public void A_hidden_column_is_not_read_even_when_it_has_a_column_name()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "反馈问题", "整改措施", "整改时限", "整改时限")
            .Row(2, "问题", "措施", "2025-01-31", "旧的时限")
            .HideColumn("D");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(new DateOnly(2025, 1, 31), draft.Categories.Single().Findings.Single().Measures.Single().Deadline);
        Assert.Contains("Warning D1: D 列（“整改时限”）是隐藏列，已跳过，其内容没有导入。", Drafts.Problems(draft));
    }

    [Fact]
    public void Empty_trailing_rows_and_rows_numbered_in_advance_are_ignored()
    {
        var book = new TestWorkbook();
        var sheet = book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施")
            .Row(2, "1", "问题", "措施");
        for (var r = 3; r <= 40; r++)
        {
            sheet.Row(r, r % 2 == 0 ? (r - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null, null, r % 3 == 0 ? " " : null);
        }

        sheet.Row(200, null, null, "　");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(1, draft.MeasureCount);
        Assert.DoesNotContain(draft.Problems, p => p.Severity == IntakeSeverity.Error);
    }

    [Fact]
    public void Several_sheets_are_listed_and_the_office_chooses_one_by_name_or_position()
    {
        var book = new TestWorkbook();
        book.Sheet("说明").Row(1, "本台账由整改办维护").Row(2, "请勿修改表头");
        book.Sheet("2024年台账").Row(1, "反馈问题", "整改措施").Row(2, "旧问题", "旧措施");
        book.Sheet("2025年台账").Row(2, "反馈问题", "整改措施").Row(3, "新问题", "新措施一").Row(4, null, "新措施二");
        book.Sheet("草稿", hidden: true).Row(1, "反馈问题", "整改措施").Row(2, "草稿问题", "草稿措施");

        var sheets = LedgerWorkbookReader.ListSheets(book.ToStream());

        Assert.Equal(
            [
                new LedgerSheet(0, "说明", 2, false, false),
                new LedgerSheet(1, "2024年台账", 2, false, true),
                new LedgerSheet(2, "2025年台账", 3, false, true),
                new LedgerSheet(3, "草稿", 2, true, true),
            ],
            sheets);
        Assert.Equal(["旧措施"], Texts(LedgerWorkbookReader.Read(book.ToStream())));
        Assert.Equal(["新措施一", "新措施二"], Texts(LedgerWorkbookReader.Read(book.ToStream(), "2025年台账")));
        Assert.Equal(["新措施一", "新措施二"], Texts(LedgerWorkbookReader.Read(book.ToStream(), 2)));
        Assert.Equal(["草稿措施"], Texts(LedgerWorkbookReader.Read(book.ToStream(), "草稿")));

        static IEnumerable<string> Texts(IntakeDraft d) => d.Categories.SelectMany(c => c.Findings).SelectMany(f => f.Measures).Select(m => m.Text);
    }

    [Fact]
    public void A_two_row_header_adds_the_names_under_a_group_heading()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "序号", "反馈问题", "整改措施", "责任分工", null, "整改时限")
            .Row(2, null, null, null, "责任领导", "牵头单位", null)
            .Row(3, "1", "问题", "措施", "王某", "党政办", "2025-05-31")
            .Merge("A1:A2").Merge("B1:B2").Merge("C1:C2").Merge("D1:E1").Merge("F1:F2");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal(["1 未分类 | 1 问题 | 1 措施 | - | 2025-05-31 | 王某 | 党政办 | -"], Drafts.Lines(draft));
    }

    [Fact]
    public void Two_columns_for_one_field_read_the_better_named_one_and_say_so()
    {
        var book = new TestWorkbook();
        book.Sheet("台账")
            .Row(1, "反馈问题", "整改措施", "责任单位", "牵头单位")
            .Row(2, "问题", "措施", "区纪委", "党政办");

        var draft = LedgerWorkbookReader.Read(book.ToStream());

        Assert.Equal("党政办", draft.Categories.Single().Findings.Single().Measures.Single().LeadUnit);
        Assert.Contains("Warning C1: “责任单位”列与“牵头单位”列（D 列）都是牵头单位，只读取“牵头单位”列。", Drafts.Problems(draft));
    }
}
