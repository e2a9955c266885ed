using System.Globalization;
using System.Text.Json;
using Rectify.Domain;

namespace Rectify.Features.Deadlines;

/// <summary>One year of the official calendar as read from a file: its days and where it came from (the State Council notice).</summary>
public sealed record HolidayYear(int Year, IReadOnlyList<CalendarDay> Days, IReadOnlyList<string> Papers);

/// <summary>
/// Reads the holiday-cn format (one JSON object a year: <c>year</c>, <c>papers</c>, <c>days</c> of
/// <c>{name, date, isOffDay}</c>), or a JSON array of such years. Everything is checked before anything is used: a bad
/// file is refused whole with the place of the first fault.
/// </summary>
public static class HolidayFile
{
    public static IReadOnlyList<HolidayYear> Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"不是有效的 JSON（第 {e.LineNumber + 1} 行）：{e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            var years = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select(ReadYear)] : new List<HolidayYear> { ReadYear(root) };
            if (years.Count == 0)
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed("文件中没有任何年份。"));
            }

            var twice = years.GroupBy(y => y.Year).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{twice.Key} 年在文件中出现了不止一次。"));
            }

            return years;
        }
    }

    private static HolidayYear ReadYear(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw BusinessRules.Refuse(new ACalendarFileIsWellFormed("每一年应是一个对象：{\"year\": 2027, \"days\": [...]}。"));
        }

        if (!element.TryGetProperty("year", out var y) || y.ValueKind != JsonValueKind.Number || !y.TryGetInt32(out var year) || year is < 2000 or > 2100)
        {
            throw BusinessRules.Refuse(new ACalendarFileIsWellFormed("缺少 year（2000 到 2100 之间的年份）。"));
        }

        if (!element.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array || daysElement.GetArrayLength() == 0)
        {
            throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{year} 年缺少 days（节假日和调休上班日的列表）。"));
        }

        var days = new List<CalendarDay>();
        var index = 0;
        foreach (var d in daysElement.EnumerateArray())
        {
            index++;
            var where = $"{year} 年 days 第 {index} 项";
            if (d.ValueKind != JsonValueKind.Object
                || !d.TryGetProperty("date", out var date) || date.ValueKind != JsonValueKind.String
                || !DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}：date 应为 yyyy-MM-dd 格式的日期。"));
            }

            // A holiday may run over the turn of the year (元旦 2023 began on 2022-12-31): the month either side is allowed.
            if (day < new DateOnly(year - 1, 12, 1) || day > new DateOnly(year + 1, 1, 31))
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}：日期 {day:yyyy-MM-dd} 不在 {year} 年。"));
            }

            if (!d.TryGetProperty("isOffDay", out var off) || off.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}（{day:yyyy-MM-dd}）：isOffDay 应为 true（放假）或 false（调休上班）。"));
            }

            var name = d.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(name) || name.Length > 50)
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}（{day:yyyy-MM-dd}）：name 应为节日名称（不超过 50 字）。"));
            }

            var isOff = off.ValueKind == JsonValueKind.True;
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (!isOff && !weekend)
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}（{day:yyyy-MM-dd}）：调休上班日应是周六或周日，这一天本来就是工作日。"));
            }

            if (days.Any(x => x.Date == day))
            {
                throw BusinessRules.Refuse(new ACalendarFileIsWellFormed($"{where}：{day:yyyy-MM-dd} 重复出现。"));
            }

            days.Add(new CalendarDay(day, isOff, name));
        }

        var papers = element.TryGetProperty("papers", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
        return new HolidayYear(year, [.. days.OrderBy(x => x.Date)], papers);
    }

    /// <summary>The years shipped with Rectify (holiday-cn, MIT licence), read once.</summary>
    public static IReadOnlyList<HolidayYear> Shipped => ShippedYears.Value;

    private static readonly Lazy<IReadOnlyList<HolidayYear>> ShippedYears = new(() =>
    {
        var assembly = typeof(HolidayFile).Assembly;
        var years = new List<HolidayYear>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Rectify.holidays-cn.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            years.AddRange(Read(reader.ReadToEnd()));
        }

        return years;
    });

    private sealed class ACalendarFileIsWellFormed(string problem) : Refused("节假日文件有误，没有导入任何内容：" + problem, Refusal.Invalid);
}
