namespace Rectify.Documents;

/// <summary>The JSON that `rectify notice parse --json` prints; its field names are a published contract.</summary>
internal static class NoticeJsonShape
{
    public static object From(NoticeDocument n) => new
    {
        inspection = new
        {
            team = n.Inspection.Team,
            target = n.Inspection.Target,
            targetShortName = n.Inspection.TargetShortName,
            alsoInspected = n.Inspection.AlsoInspected,
            extendedScope = n.Inspection.ExtendedScope,
            onSiteFrom = n.Inspection.OnSiteFrom,
            onSiteTo = n.Inspection.OnSiteTo,
            feedbackDate = n.Inspection.FeedbackDate,
        },
        responsibility = n.Responsibility.Select(p => new { heading = p.Heading, text = p.Text }),
        categories = n.Categories.Select(c => new
        {
            number = c.Number,
            title = c.Title,
            findings = c.Findings.Select(f => new
            {
                number = f.Number,
                title = f.Title,
                measures = f.Measures.Select(m => new { number = m.Number, text = m.Text }),
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
    };
}
