using Rectify.Domain;
using Rectify.Features.Deadlines;

namespace Rectify.UnitTests;

/// <summary>工作日 on the shipped calendar: the 2026 Spring Festival and National Day holidays with their 调休 weekends, and a year without data.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = new(HolidayFile.Shipped.SelectMany(y => y.Days), HolidayFile.Shipped.Select(y => y.Year));

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void The_shipped_calendar_covers_2023_to_2026()
    {
        Assert.Equal([2023, 2024, 2025, 2026], HolidayFile.Shipped.Select(y => y.Year));
        Assert.True(Calendar.HasDataFor(2026));
        Assert.False(Calendar.HasDataFor(2027));
    }

    [Fact]
    public void Spring_festival_2026_holidays_are_off_and_the_saturday_make_up_days_are_working()
    {
        // 2026-02-14 (Saturday) and 2026-02-28 (Saturday) are 调休上班; 2026-02-15 to 2026-02-23 are off.
        Assert.True(Calendar.IsWorkingDay(D(2026, 2, 14)));
        Assert.True(Calendar.IsWorkingDay(D(2026, 2, 28)));
        for (var d = D(2026, 2, 15); d <= D(2026, 2, 23); d = d.AddDays(1))
        {
            Assert.False(Calendar.IsWorkingDay(d), $"{d} is a holiday");
        }

        // Three working days from Friday 13 February: Saturday 14 (make-up), then the holiday, then 24 and 25 February.
        Assert.Equal(D(2026, 2, 25), Calendar.AddWorkingDays(D(2026, 2, 13), 3));

        // Without the data, Monday–Friday would give 18 February (in the middle of the holiday).
        Assert.Equal(D(2026, 2, 18), WorkingCalendar.WeekdaysOnly.AddWorkingDays(D(2026, 2, 13), 3));
        Assert.Equal(3, Calendar.WorkingDaysBetween(D(2026, 2, 13), D(2026, 2, 25)));
    }

    [Fact]
    public void National_day_2026_with_its_make_up_days_on_20_september_and_10_october()
    {
        Assert.True(Calendar.IsWorkingDay(D(2026, 9, 20)));   // Sunday, 调休上班
        Assert.True(Calendar.IsWorkingDay(D(2026, 10, 10)));  // Saturday, 调休上班
        Assert.False(Calendar.IsWorkingDay(D(2026, 10, 1)));
        Assert.False(Calendar.IsWorkingDay(D(2026, 10, 7)));
        Assert.False(Calendar.IsWorkingDay(D(2026, 9, 25)));  // 中秋节 (Friday)

        // 5 working days from Wednesday 30 September: 8, 9, 10 (Saturday, make-up), 12, 13 October.
        Assert.Equal(D(2026, 10, 13), Calendar.AddWorkingDays(D(2026, 9, 30), 5));
        Assert.Equal(D(2026, 10, 7), WorkingCalendar.WeekdaysOnly.AddWorkingDays(D(2026, 9, 30), 5));
        Assert.Equal(-5, Calendar.WorkingDaysBetween(D(2026, 10, 13), D(2026, 9, 30)));
    }

    [Fact]
    public void A_year_without_data_counts_monday_to_friday_and_says_so()
    {
        // 2027-01-01 is a Friday: without data it is a working day.
        Assert.True(Calendar.IsWorkingDay(D(2027, 1, 1)));
        Assert.Equal(D(2027, 1, 5), Calendar.AddWorkingDays(D(2026, 12, 31), 3));
        Assert.Equal([2027], Calendar.YearsWithoutData([D(2026, 12, 31), D(2027, 1, 5)]));
    }

    [Fact]
    public void The_policy_gives_immediate_measures_working_days_and_time_bound_ones_months_after_the_feedback()
    {
        var policy = new DeadlinePolicy(10, 6);
        Assert.Equal(D(2026, 3, 2), policy.DeadlineFor(MeasureKind.Immediate, D(2026, 2, 10), Calendar));
        Assert.Equal(D(2026, 8, 10), policy.DeadlineFor(MeasureKind.TimeBound, D(2026, 2, 10), Calendar));
        Assert.Null(policy.DeadlineFor(MeasureKind.Ongoing, D(2026, 2, 10), Calendar));
        Assert.Null(policy.DeadlineFor(MeasureKind.Immediate, null, Calendar));
    }

    [Theory]
    [InlineData("not json", "不是有效的 JSON")]
    [InlineData("""{"year": 2027}""", "缺少 days")]
    [InlineData("""{"year": 2027, "days": [{"name": "元旦", "date": "2025-12-31", "isOffDay": true}]}""", "不在 2027 年")]
    [InlineData("""{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": "yes"}]}""", "isOffDay")]
    [InlineData("""{"year": 2027, "days": [{"name": "春节", "date": "2027-02-03", "isOffDay": false}]}""", "调休上班日应是周六或周日")]
    [InlineData("""{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}""", "重复")]
    public void A_bad_file_is_refused_whole_with_where_it_is_wrong(string json, string expected)
    {
        var refused = Assert.Throws<BusinessRuleViolationException>(() => HolidayFile.Read(json));
        Assert.Contains("没有导入任何内容", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(Refusal.Invalid, refused.Refusal);
    }
}
