using System.Diagnostics;
using System.Globalization;
using Rectify.Domain;
using Rectify.Features.Intake;

namespace Rectify.Bench;

/// <summary>
/// The Excel intake at the size issue #10 names: a 10,000-measure ledger written with the template, then read back
/// into a draft; time and bytes allocated for each, three runs. Issue #10's target for reading is 3 s and 200 MB.
/// </summary>
internal static class IntakeBench
{
    public static void Run(string folder, int findings = 1000, int measuresEach = 10)
    {
        var rows = Rows(findings, measuresEach);
        var path = Path.Combine(folder, "ledger.xlsx");
        for (var run = 1; run <= 3; run++)
        {
            var before = GC.GetTotalAllocatedBytes(true);
            var write = Stopwatch.StartNew();
            using (var file = File.Create(path))
            {
                LedgerTemplate.Write(file, "某某区委巡察反馈问题整改台账", rows);
            }

            write.Stop();
            var written = GC.GetTotalAllocatedBytes(true) - before;

            before = GC.GetTotalAllocatedBytes(true);
            var read = Stopwatch.StartNew();
            IntakeDraft draft;
            using (var file = File.OpenRead(path))
            {
                draft = LedgerWorkbookReader.Read(file);
            }

            read.Stop();
            var readBytes = GC.GetTotalAllocatedBytes(true) - before;
            var back = LedgerTemplate.RowsOf(draft).Select(Key).ToList();
            var mismatch = rows.Select(Key).Zip(back).FirstOrDefault(p => p.First != p.Second);
            if (draft.MeasureCount != rows.Count || draft.Problems.Count != 0 || mismatch != default)
            {
                throw new InvalidOperationException($"the ledger did not read back as written: {draft.MeasureCount} measures, {draft.Problems.Count} problems; {mismatch.First} ≠ {mismatch.Second}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ledger template, {rows.Count:N0} rows: write {write.Elapsed.TotalMilliseconds:F0} ms, allocated {written / 1048576.0:F1} MiB, file {new FileInfo(path).Length / 1024.0:F0} KiB; read back {read.Elapsed.TotalMilliseconds:F0} ms, allocated {readBytes / 1048576.0:F1} MiB (run {run})"));
        }
    }

    /// <summary>What an import reads of a row (the planning fields, not the progress columns).</summary>
    private static string Key(LedgerRow r) => string.Join(
        " | ", r.CategoryNumber, r.CategoryTitle, r.FindingNumber, r.FindingTitle, r.MeasureNumber, r.MeasureText, r.Kind, r.Deadline, r.ResponsibleLeader, r.LeadUnit, string.Join("/", r.SupportingUnits ?? []));

    /// <summary>Findings of ten measures in ten categories, with every field filled the way a planned ledger has it.</summary>
    internal static List<LedgerRow> Rows(int findings, int measuresEach)
    {
        var rows = new List<LedgerRow>(findings * measuresEach);
        MeasureKind[] kinds = [MeasureKind.TimeBound, MeasureKind.TimeBound, MeasureKind.Immediate, MeasureKind.Ongoing];
        for (var f = 1; f <= findings; f++)
        {
            var category = ((f - 1) * 10 / findings) + 1;
            for (var m = 1; m <= measuresEach; m++)
            {
                var kind = kinds[(f + m) % kinds.Length];
                rows.Add(new LedgerRow(
                    category,
                    $"关于落实第{category}方面巡察反馈意见的问题",
                    f,
                    $"第{f}个问题：制度执行不严格，监督检查不到位，相关台账资料不完整",
                    m,
                    $"落实第{f}项问题的第{m}条措施：建立工作台账，明确责任分工，逐项对账销号，定期向整改办报送进展情况。",
                    kind,
                    kind == MeasureKind.Ongoing ? null : new DateOnly(2025, 1, 1).AddDays((f * 7 + m) % 700),
                    $"副书记{f % 7}",
                    $"部门{f % 40:D2}",
                    [$"部门{(f + 1) % 40:D2}", $"部门{(f + 2) % 40:D2}"],
                    Progress: "已完成阶段性工作",
                    State: "整改中"));
            }
        }

        return rows;
    }
}
