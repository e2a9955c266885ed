namespace Rectify.Documents;

/// <summary>
/// The JSON that `rectify notice parse --json` prints; its field names are a published contract. Since #11 it
/// adds kind, title, statistics, confidence and notes, and per category `implicit`, per measure the plan
/// table's leader, unit and deadline; no field was renamed or removed.
/// </summary>
internal static class NoticeJsonShape
{
    public static object From(NoticeReading r)
    {
        var n = r.Document;
        return new
        {
            kind = r.Kind switch { NoticeKind.Notice => "notice", NoticeKind.RoundSummary => "roundSummary", _ => "notANotice" },
            title = r.Title,
            source = r.Source,
            inspection = new
            {
                team = Null(n.Inspection.Team),
                target = Null(n.Inspection.Target),
                targetShortName = n.Inspection.TargetShortName,
                alsoInspected = n.Inspection.AlsoInspected,
                extendedScope = n.Inspection.ExtendedScope,
                onSiteFrom = n.Inspection.OnSiteFrom,
                onSiteTo = n.Inspection.OnSiteTo,
                onSitePeriodIsApproximate = n.Inspection.OnSitePeriodIsApproximate,
                feedbackDate = n.Inspection.FeedbackDate,
                isXunshi = n.Inspection.IsXunshi,
                isLookBack = n.Inspection.IsLookBack,
                isSpecial = n.Inspection.IsSpecial,
            },
            responsibility = n.Responsibility.Select(p => new { heading = p.Heading, text = p.Text }),
            categories = n.Categories.Select(c => new
            {
                number = c.Number,
                title = c.Title,
                @implicit = c.IsImplicit,
                findings = c.Findings.Select(f => new
                {
                    number = f.Number,
                    title = f.Title,
                    measures = f.Measures.Select(m => new { number = m.Number, text = m.Text, leader = m.Leader, unit = m.Unit, deadline = m.Deadline }),
                }),
            }),
            nextSteps = n.NextSteps.Select(p => new { heading = p.Heading, text = p.Text }),
            disclosure = n.Disclosure is null ? null : new
            {
                from = n.Disclosure.From,
                to = n.Disclosure.To,
                phone = n.Disclosure.Phone,
                email = n.Disclosure.Email,
                postalAddress = n.Disclosure.PostalAddress,
                postcode = n.Disclosure.Postcode,
            },
            issuer = n.Issuer,
            date = n.Date,
            statistics = new
            {
                problems = r.Statistics.Problems,
                measures = r.Statistics.Measures,
                completed = r.Statistics.Completed,
                inProgress = r.Statistics.InProgress,
                completionRate = r.Statistics.CompletionRate,
                amountYuan = r.Statistics.AmountYuan,
                peopleHandled = r.Statistics.PeopleHandled,
                rulesMade = r.Statistics.RulesMade,
                unitsCovered = r.Statistics.UnitsCovered,
                figures = r.Statistics.Figures.Select(f => new { label = f.Label, value = f.Value, unit = f.Unit, paragraph = f.Paragraph, text = f.Text }),
            },
            confidence = new
            {
                overall = r.Confidence.Overall,
                intro = r.Confidence.Intro,
                responsibility = r.Confidence.Responsibility,
                structure = r.Confidence.Structure,
                statistics = r.Confidence.Statistics,
                nextSteps = r.Confidence.NextSteps,
                disclosure = r.Confidence.Disclosure,
                closing = r.Confidence.Closing,
            },
            notes = r.Notes.Select(x => new
            {
                paragraph = x.Paragraph,
                severity = x.Severity switch { NoteSeverity.Error => "error", NoteSeverity.Warning => "warning", _ => "info" },
                message = x.Message,
                text = x.ToString(),
            }),
        };
    }

    private static string? Null(string s) => s.Length == 0 ? null : s;
}
