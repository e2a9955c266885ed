using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.Features.Common;

/// <summary>The facts of a measure that a message about it (a reminder, a hand-off notice) puts into words.</summary>
internal sealed record MeasureFacts(int Id, string Text, DateOnly? Deadline, int FindingNumber, string FindingTitle, string Inspection, string InspectedPath, string? LeadUnit, string? LeadUnitPath, string? LeaderUserId);

/// <summary>
/// A measure in a message's words, written once for every sender: a reminder and a hand-off notice say the same six
/// lines, so an email never tells more about a measure than another email does.
/// </summary>
internal static class MeasureText
{
    /// <summary>The facts of the given measures, read 1,000 at a time; a measure that no longer exists is left out.</summary>
    public static async Task<Dictionary<int, MeasureFacts>> LoadAsync(RectifyDbContext db, IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, MeasureFacts>();
        foreach (var chunk in ids.Distinct().Chunk(1000))
        {
            var rows = await db.Measures.AsNoTracking().Where(m => chunk.Contains(m.Id))
                .Select(m => new MeasureFacts(m.Id, m.Text, m.Deadline, m.Finding.Number, m.Finding.Title, m.Inspection.Title, m.Inspection.InspectedOrganization.Path,
                    m.LeadUnit != null ? m.LeadUnit.Name : null, m.LeadUnit != null ? m.LeadUnit.Path : null, m.ResponsibleLeader != null ? m.ResponsibleLeader.UserId : null))
                .ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                result[r.Id] = r;
            }
        }

        return result;
    }

    /// <summary>The first 30 characters, for a subject line.</summary>
    public static string Short(string text) => Fmt.Clip(text, 30);

    public static string Day(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>巡察, 问题, 措施, 整改时限 (when it has one), 牵头单位, then the message's own line.</summary>
    public static string Lines(MeasureFacts m, string? extra = null) =>
        string.Join('\n', new[]
        {
            $"巡察：{m.Inspection}",
            $"问题：{m.FindingNumber}.{m.FindingTitle}",
            $"措施：{m.Text}",
            m.Deadline is { } d ? $"整改时限：{Day(d)}" : null,
            $"牵头单位：{m.LeadUnit ?? "未指定"}",
            extra,
        }.Where(l => l is not null));
}
