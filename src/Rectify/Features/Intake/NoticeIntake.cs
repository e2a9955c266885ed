using Rectify.Documents;

namespace Rectify.Features.Intake;

/// <summary>A parsed notice (<see cref="NoticeParser"/>) as an import draft, so that a notice goes through the same preview as a ledger.</summary>
public static class NoticeIntake
{
    /// <summary>
    /// The notice's inspection particulars, categories, findings and measures with their numbers and texts as
    /// parsed. A notice states no kind, deadline, leader or unit, so those are left empty for the office to plan;
    /// a notice has no rows, so items carry no location, and a notice that parsed has no problems.
    /// </summary>
    public static IntakeDraft ToDraft(NoticeDocument notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var i = notice.Inspection;
        var inspection = new IntakeInspection(
            Title: null,
            Team: i.Team,
            Target: i.Target,
            TargetShortName: i.TargetShortName,
            AlsoInspected: i.AlsoInspected,
            ExtendedScope: i.ExtendedScope,
            OnSiteFrom: i.OnSiteFrom,
            OnSiteTo: i.OnSiteTo,
            FeedbackDate: i.FeedbackDate,
            IsXunshi: i.IsXunshi);
        var categories = notice.Categories
            .Select(c => new IntakeCategory(
                c.Number,
                c.Title,
                [.. c.Findings.Select(f => new IntakeFinding(
                    f.Number,
                    f.Title,
                    [.. f.Measures.Select(m => new IntakeMeasure(m.Number, m.Text, null, null, null, null, [], null))],
                    null))],
                null))
            .ToList();
        return new IntakeDraft(inspection, categories, []);
    }
}
