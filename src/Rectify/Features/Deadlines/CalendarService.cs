using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Deadlines;

/// <summary>Where a year of the calendar comes from.</summary>
public enum CalendarSource
{
    /// <summary>Shipped with Rectify (holiday-cn).</summary>
    Shipped = 0,

    /// <summary>Imported by the operator.</summary>
    Imported = 1,
}

/// <summary>A year of the calendar in use: where it comes from, how many holidays and make-up days it lists.</summary>
public sealed record CalendarYearInfo(int Year, CalendarSource Source, int OffDays, int MakeUpDays, DateTime? ImportedAtUtc);

/// <summary>
/// The working-day calendar in use: the years shipped with Rectify, each replaced whole by a year the operator imported.
/// Read once per request (a few hundred rows at most).
/// </summary>
public sealed class CalendarStore(RectifyDbContext db)
{
    private WorkingCalendar? loaded;

    public async Task<WorkingCalendar> LoadAsync(CancellationToken cancellationToken)
    {
        if (loaded is not null)
        {
            return loaded;
        }

        var imported = await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken);
        var importedYears = imported.Select(d => d.Year).ToHashSet();
        var days = HolidayFile.Shipped.Where(y => !importedYears.Contains(y.Year)).SelectMany(y => y.Days)
            .Concat(imported.Select(d => new CalendarDay(d.Date, d.IsOffDay, d.Name)));
        var years = HolidayFile.Shipped.Select(y => y.Year).Union(importedYears);
        return loaded = new WorkingCalendar(days, years);
    }

    public async Task<IReadOnlyList<CalendarYearInfo>> YearsAsync(CancellationToken cancellationToken)
    {
        var imported = await db.CalendarDays.AsNoTracking()
            .GroupBy(d => d.Year)
            .Select(g => new { Year = g.Key, Off = g.Count(d => d.IsOffDay), MakeUp = g.Count(d => !d.IsOffDay), At = g.Max(d => d.ImportedAtUtc) })
            .ToListAsync(cancellationToken);
        return [.. HolidayFile.Shipped.Where(y => imported.All(i => i.Year != y.Year))
                .Select(y => new CalendarYearInfo(y.Year, CalendarSource.Shipped, y.Days.Count(d => d.IsOffDay), y.Days.Count(d => !d.IsOffDay), null))
            .Concat(imported.Select(i => new CalendarYearInfo(i.Year, CalendarSource.Imported, i.Off, i.MakeUp, i.At)))
            .OrderBy(y => y.Year)];
    }

    /// <summary>
    /// Imports a file in the holiday-cn format: each year in it replaces that year of the calendar, whole; checked first
    /// (<see cref="HolidayFile.Read"/>), so a bad file changes nothing. One transaction with its audit record.
    /// </summary>
    public async Task<IReadOnlyList<HolidayYear>> ImportAsync(string json, string fileName, AuditLog audit, TimeProvider clock, AuditActor? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(clock);
        var years = HolidayFile.Read(json);
        var numbers = years.Select(y => y.Year).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dates = years.SelectMany(y => y.Days).Select(d => d.Date).ToList();
        var before = await db.CalendarDays.Where(d => numbers.Contains(d.Year) || dates.Contains(d.Date)).ToListAsync(cancellationToken);
        db.CalendarDays.RemoveRange(before);
        await db.SaveChangesAsync(cancellationToken);
        db.CalendarDays.AddRange(years.SelectMany(y => y.Days.Select(d => new ImportedCalendarDay { Date = d.Date, Year = y.Year, IsOffDay = d.IsOffDay, Name = d.Name, ImportedAtUtc = now })));
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditEvent(
                AuditActions.CalendarImported,
                ObjectType: "Calendar",
                ObjectId: string.Join(",", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))),
                Before: new { ImportedDays = before.Count },
                After: new
                {
                    File = fileName,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))),
                    Years = years.Select(y => new { y.Year, OffDays = y.Days.Count(d => d.IsOffDay), MakeUpDays = y.Days.Count(d => !d.IsOffDay), y.Papers }),
                }),
            actor,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        loaded = null;
        return years;
    }
}
