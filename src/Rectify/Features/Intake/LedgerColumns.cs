namespace Rectify.Features.Intake;

/// <summary>The fields of a ledger row that an import reads. The template writes them in this order.</summary>
internal enum LedgerField
{
    Number,
    Category,
    Finding,
    Measure,
    Kind,
    Leader,
    LeadUnit,
    SupportingUnits,
    Deadline,

    /// <summary>原台账状态: where the office's own ledger says the measure stands (never read from this system's own files).</summary>
    Standing,

    /// <summary>原台账进展: what the office's own ledger says of the work (never read from this system's own files).</summary>
    Progress,
}

/// <summary>
/// The 台账 columns: the canonical header of each field (what the template writes) and the other headers offices use
/// for it (reference/ledger_formats.md). Headers are compared after folding (full-width to half-width, spaces, line
/// breaks and a leading * removed); a header may carry a note in brackets after the name ("整改时限（年月日）").
/// </summary>
internal static class LedgerColumns
{
    /// <summary>For each field, its headers, best first: when two columns name one field, the better name is read and the other is ignored with a warning.</summary>
    public static readonly IReadOnlyDictionary<LedgerField, string[]> Headers = new Dictionary<LedgerField, string[]>
    {
        [LedgerField.Number] = ["序号", "编号"],
        [LedgerField.Category] = ["问题类别", "类别", "方面", "问题方面", "问题分类", "问题类型"],
        [LedgerField.Finding] = ["反馈问题", "问题", "存在问题", "具体问题", "问题内容", "问题清单", "巡察反馈问题", "巡视反馈问题", "问题表现", "存在的问题", "巡察发现问题"],
        [LedgerField.Measure] = ["整改措施", "整改任务", "整改举措", "具体措施", "措施", "整改措施清单", "具体整改措施"],
        [LedgerField.Kind] = ["整改类型", "整改类别", "措施类型", "整改方式"],
        [LedgerField.Leader] = ["责任领导", "分管领导", "牵头领导", "责任市领导", "整改责任领导", "责任人"],
        [LedgerField.LeadUnit] = ["牵头单位", "责任单位", "牵头部门", "责任部门", "牵头科室", "责任科室", "责任处室", "牵头股室", "整改责任单位", "牵头责任单位"],
        [LedgerField.SupportingUnits] = ["配合单位", "协办单位", "配合部门", "协同单位", "参与单位"],
        [LedgerField.Deadline] = ["整改时限", "完成时限", "完成时间", "时限", "整改期限", "完成期限", "整改时间", "整改完成时限"],
        [LedgerField.Standing] = ["状态", "整改状态", "完成状态", "完成情况", "整改完成情况", "整改进度", "进度", "进展状态", "销号情况"],
        [LedgerField.Progress] = ["整改进展", "整改进展情况", "进展情况", "完成情况说明", "整改情况", "整改落实情况", "落实情况", "工作进展", "推进情况"],
    };

    /// <summary>What became of each measure: columns the template writes for reading only (an export fills them).</summary>
    public static readonly IReadOnlyList<string> Outcome = ["整改进展", "销号日期", "回头看结果", "状态"];

    /// <summary>
    /// The figures' facts that the ledger export adds after <see cref="Outcome"/> (docs/rules.md): the finding's state and
    /// 红黄绿 (merged down with the finding), the measure's 完成情况, 超期 and 逾期未报 apart, the last report, and the fields
    /// a source did not state (<see cref="Unverified"/>), and the deadline before any extension with the number of extensions (整改时限 is the revised one).
    /// </summary>
    public static readonly IReadOnlyList<string> Facts = ["问题整改状态", "问题红黄绿", "完成情况", "超期", "逾期未报", "最近报送", Unverified, "原整改时限", "延期次数"];

    /// <summary>
    /// The column naming the fields no source stated, which the system (or the demo's seed) filled: true of a real
    /// installation's data as of the demo's, so the export writes it whatever the mode.
    /// </summary>
    public const string Unverified = "待核实（来源未载明）";

    /// <summary>Every column written for reading only; an import ignores them (none is a name of a field).</summary>
    public static readonly IReadOnlyList<string> OutputOnly = [.. Outcome, .. Facts];

    /// <summary>Output-only columns that earlier exports wrote under another name (演示假设, before 2026-12): still known as the export's own.</summary>
    public static readonly IReadOnlyList<string> RetiredOutputOnly = ["演示假设"];

    /// <summary>
    /// The headers that are a file's own when this system wrote it (the template, an export): the output-only columns,
    /// under their names of today and of earlier exports, known only beside all of <see cref="Outcome"/>, which both write.
    /// An office's own ledger's 状态 or 完成情况 column is read (<see cref="LedgerField.Standing"/>); this system's are not.
    /// </summary>
    public static IReadOnlySet<string> OwnOutputOnly(IEnumerable<string> headers)
    {
        var keys = headers.Select(Key).ToHashSet(StringComparer.Ordinal);
        return Outcome.All(o => keys.Contains(Key(o)))
            ? OutputOnly.Concat(RetiredOutputOnly).Select(Key).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// The columns only this system's export writes (no office's own ledger has two of them): an export with some of its
    /// output-only columns deleted is still the system's own file, whose 状态, 完成情况 and 整改进展 are not an office's.
    /// </summary>
    private static readonly string[] ExportOnly = ["销号日期", "回头看结果", "问题整改状态", "问题红黄绿", "逾期未报", "最近报送", Unverified, "原整改时限", "延期次数"];

    /// <summary>The export-only columns among <paramref name="headers"/> when there are two or more of them (a file this system exported); else none.</summary>
    public static IReadOnlyList<string> ExportedBy(IEnumerable<string> headers)
    {
        var keys = headers.Select(Key).ToHashSet(StringComparer.Ordinal);
        var found = ExportOnly.Where(e => keys.Contains(Key(e))).ToList();
        return found.Count >= 2 ? found : [];
    }

    /// <summary>Whether a header is one only this system's export writes (销号日期, 回头看结果…): never an office's 状态 or 进展.</summary>
    public static bool IsExportOnly(string header) => ExportOnly.Any(e => Key(e) == Key(header));

    /// <summary>A header as headers are compared (folded, without spaces and a leading *).</summary>
    public static string Compared(string header) => Key(header);

    /// <summary>The canonical header of a field.</summary>
    public static string Canonical(LedgerField field) => Headers[field][0];

    /// <summary>The field a header names and how good a name it is (0 best); null when it names none.</summary>
    public static (LedgerField Field, int Rank)? Match(string header)
    {
        var key = Key(header);
        if (key.Length == 0)
        {
            return null;
        }

        foreach (var (field, names) in Headers)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (key == names[i] || (key.StartsWith(names[i], StringComparison.Ordinal) && key[names[i].Length] is '(' or '['))
                {
                    return (field, i);
                }
            }
        }

        return null;
    }

    private static string Key(string header)
    {
        var folded = LedgerValues.Fold(header);
        var chars = folded.Where(c => !char.IsWhiteSpace(c) && c != '*').ToArray();
        return new string(chars).Replace('【', '[');
    }

    /// <summary>"A", "B", … "Z", "AA", … for a 0-based column index.</summary>
    public static string Letter(int column)
    {
        var letters = string.Empty;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    /// <summary>The 0-based column of a cell reference ("AB12" → 27); -1 when it has no letters.</summary>
    public static int ColumnOf(ReadOnlySpan<char> reference)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        }

        return i == 0 ? -1 : column - 1;
    }

    /// <summary>The 1-based row of a cell reference ("AB12" → 12); 0 when it has none.</summary>
    public static int RowOf(ReadOnlySpan<char> reference)
    {
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            i++;
        }

        return int.TryParse(reference[i..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row) ? row : 0;
    }
}
