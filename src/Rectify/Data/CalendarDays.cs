namespace Rectify.Data;

/// <summary>
/// A day of the official calendar an operator imported (<c>rectify calendar import</c>): a year imported here replaces
/// that year of the calendar shipped with Rectify, whole.
/// </summary>
public sealed class ImportedCalendarDay
{
    public DateOnly Date { get; set; }

    public int Year { get; set; }

    public bool IsOffDay { get; set; }

    public string Name { get; set; } = string.Empty;

    public DateTime ImportedAtUtc { get; set; }
}
