using System.Globalization;
using System.Text.RegularExpressions;

namespace Rectify.Documents;

public static partial class NoticeReader
{
    private readonly record struct DateRange(DateOnly From, DateOnly To, bool Approximate);

    private static class Dates
    {
        public static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

        public static bool TryMake(int year, int month, int day, out DateOnly date)
        {
            date = default;
            if (year is < 1900 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            date = new DateOnly(year, month, day);
            return true;
        }

        /// <summary>"2024年3月25日至5月10日", also "8月下旬至9月底" and months only ("3月至4月": the first to the last day).</summary>
        public static DateRange? Range(Match m)
        {
            var y1 = Int(m, "y1");
            var y2 = m.Groups["y2"].Success ? Int(m, "y2") : y1;
            var m1 = Int(m, "m1");
            var m2 = Int(m, "m2");
            if (m1 is < 1 or > 12 || m2 is < 1 or > 12 || y1 is < 1900 or > 2200 || y2 is < 1900 or > 2200)
            {
                return null;
            }

            var approximate = !(m.Groups["d1"].Success && m.Groups["d2"].Success);
            var d1 = m.Groups["d1"].Success ? Int(m, "d1") : StartOf(m.Groups["p1"].Value);
            var d2 = m.Groups["d2"].Success ? Int(m, "d2") : EndOf(m.Groups["p2"].Value, y2, m2);
            if (!TryMake(y1, m1, d1, out var from) || !TryMake(y2, m2, Math.Min(d2, DateTime.DaysInMonth(y2, m2)), out var to))
            {
                return null;
            }

            if (!m.Groups["y2"].Success && to < from)
            {
                to = to.AddYears(1);
            }

            return new DateRange(from, to, approximate);
        }

        private static int StartOf(string part) => part switch
        {
            "中旬" or "中" => 11,
            "下旬" => 21,
            "底" or "末" => 25,
            _ => 1,
        };

        private static int EndOf(string part, int year, int month) => part switch
        {
            "上旬" or "初" => 10,
            "中旬" or "中" => 20,
            _ => DateTime.DaysInMonth(year, month),
        };
    }

    /// <summary>The statistics of a notice (e), read from every paragraph of the introduction and the body.</summary>
    private static partial class Figures
    {
        public static int? Number(string text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            return ChineseNumerals.TryParse(text, out n) ? n : null;
        }

        public static NoticeStatistics Read(IEnumerable<Line> lines, int? unitsCovered)
        {
            var figures = new List<NoticeFigure>();
            int? problems = null, measures = null, completed = null, inProgress = null, rules = null, people = null;
            decimal? rate = null, amount = null;
            foreach (var line in lines)
            {
                var key = line.Key;
                void Add(Match m, string label, decimal value, string unit) =>
                    figures.Add(new NoticeFigure(label, value, unit, line.Paragraph, line.Raw.Substring(m.Index, m.Length)));

                foreach (Match m in ProblemsRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    problems ??= n;
                    Add(m, "问题", n, "个");
                }

                foreach (Match m in MeasuresRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    measures ??= n;
                    Add(m, "整改措施", n, "条");
                }

                // "已完成41条" counts measures (条), "已完成12个" problems: each keeps the unit it was written with, and only
                // problems are the statistics' completed and in-progress counts.
                foreach (Match m in CompletedRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    var ofMeasures = m.Groups["u"].Value == "条";
                    completed ??= ofMeasures ? null : n;
                    Add(m, ofMeasures ? "已完成整改措施" : "已完成", n, m.Groups["u"].Value);
                }

                foreach (Match m in InProgressRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    var ofMeasures = m.Groups["u"].Value == "条";
                    inProgress ??= ofMeasures ? null : n;
                    Add(m, ofMeasures ? "正在推进的整改措施" : "正在整改", n, m.Groups["u"].Value);
                }

                foreach (Match m in RateRegex().Matches(key))
                {
                    var n = decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    rate ??= n;
                    Add(m, "完成率", n, "%");
                }

                foreach (Match m in MoneyRegex().Matches(key))
                {
                    var n = decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)
                        * (m.Groups["u"].Value == "亿" ? 100_000_000m : m.Groups["u"].Value == "万" ? 10_000m : 1m);
                    amount = (amount ?? 0) + n;
                    Add(m, m.Groups["k"].Value, n, "元");
                }

                foreach (Match m in PeopleRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    people = (people ?? 0) + n;
                    Add(m, m.Groups["k"].Value, n, "人");
                }

                foreach (Match m in RulesRegex().Matches(key))
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    rules = (rules ?? 0) + n;
                    Add(m, "建章立制", n, m.Groups["u"].Value);
                }
            }

            if (unitsCovered is { } units)
            {
                figures.Insert(0, new NoticeFigure("被巡察单位", units, "个", 0, string.Empty));
            }

            return new NoticeStatistics(problems, measures, completed, inProgress, rate, amount, people, rules, unitsCovered, figures);
        }

        [GeneratedRegex(@"(?:反馈|指出|发现|交办)(?:的|了)?(?:\d+个?(?:方面|类)(?:的)?)?(?:各类|具体|共性)?(?<n>\d+)(?:个|项|条)(?:具体|主要)?问题|(?:反馈|指出|发现|交办)问题(?<n>\d+)(?:个|项|条)")]
        private static partial Regex ProblemsRegex();

        [GeneratedRegex(@"(?<!(?:完成|办结|推进|落实|到位)\d*)(?<n>\d+)(?:条|项|个)(?:具体)?整改(?:举措|措施)|整改(?:举措|措施)(?<n>\d+)(?:条|项)")]
        private static partial Regex MeasuresRegex();

        [GeneratedRegex(@"(?:已|全部)(?:完成整改|整改完成|完成|办结)(?<n>\d+)(?<u>个|项|条)")]
        private static partial Regex CompletedRegex();

        [GeneratedRegex(@"(?:正在整改|整改中|正在推进|持续推进)(?<n>\d+)(?<u>个|项|条)")]
        private static partial Regex InProgressRegex();

        [GeneratedRegex(@"完成率(?:为|达|达到)?(?<n>\d+(?:\.\d+)?)%")]
        private static partial Regex RateRegex();

        [GeneratedRegex(@"(?<k>追缴|挽回|收回|追回|清退|退还|整改)(?:经济损失|资金|款项|违规资金|各类资金)?(?:共|合计)?(?<n>\d+(?:\.\d+)?)(?<u>万|亿)?元")]
        private static partial Regex MoneyRegex();

        [GeneratedRegex(@"(?<k>党纪政务处分|党纪处分|政务处分|组织处理|诫勉|问责|立案审查调查|立案)(?<n>\d+)人")]
        private static partial Regex PeopleRegex();

        [GeneratedRegex(@"(?:制定|修订|完善|出台|建立|新建)(?:及修改完善|和完善|修订)?(?:各类|相关)?(?:规章)?(?:制度|机制)(?<n>\d+)(?<u>项|个|件|份)|建章立制(?<n>\d+)(?<u>项|个|件)")]
        private static partial Regex RulesRegex();
    }

    /// <summary>The numbering of findings: restarts per category become one sequence; a number used twice is an error.</summary>
    private static class Numbering
    {
        public static List<NoticeCategory> Check(List<NoticeCategory> categories, List<NoticeNote> notes)
        {
            var findings = categories.SelectMany(c => c.Findings).ToList();
            var restarts = categories.Count(c => c.Findings.Count > 0 && c.Findings[0].Number == 1);
            if (restarts > 1 && findings.Select(f => f.Number).Distinct().Count() < findings.Count)
            {
                notes.Add(new NoticeNote(null, NoteSeverity.Warning, "问题在每个类别下都从 1 编号，已按出现顺序连续重新编号。"));
                var n = 0;
                return [.. categories.Select(c => c with { Findings = [.. c.Findings.Select(f => f with { Number = ++n })] })];
            }

            var seen = new HashSet<int>();
            foreach (var finding in findings)
            {
                if (!seen.Add(finding.Number))
                {
                    notes.Add(new NoticeNote(null, NoteSeverity.Error, $"问题序号 {finding.Number} 出现了不止一次（“{Abbreviate(finding.Title)}”）。"));
                }
            }

            for (var i = 1; i < findings.Count; i++)
            {
                if (findings[i].Number != findings[i - 1].Number + 1 && findings[i].Number > findings[i - 1].Number)
                {
                    notes.Add(new NoticeNote(null, NoteSeverity.Warning, $"问题序号从 {findings[i - 1].Number} 跳到 {findings[i].Number}（“{Abbreviate(findings[i].Title)}”），中间可能漏读或原文漏号。"));
                }
            }

            var categoryNumbers = new HashSet<int>();
            foreach (var category in categories.Where(c => !c.IsImplicit))
            {
                if (!categoryNumbers.Add(category.Number))
                {
                    notes.Add(new NoticeNote(null, NoteSeverity.Error, $"问题类别序号（{ChineseNumerals.Format(Math.Clamp(category.Number, 1, 99))}）出现了不止一次（“{Abbreviate(category.Title)}”）。"));
                }
            }

            return categories;
        }
    }
}
