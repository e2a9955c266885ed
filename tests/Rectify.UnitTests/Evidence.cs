using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>What an application for 销号 stands on: a report the office accepted, given through the entities' own methods.</summary>
internal static class Evidence
{
    public static Measure WithAcceptedReport(this Measure measure, TimeProvider clock)
    {
        var report = ProgressReport.File(measure, null, "制度已印发，附印发文件。", 100, ChinaTime.Today(clock), new Actor("u-evidence-unit", "联络员"), clock);
        report.Accept(measure, new Actor("u-evidence-office", "整改办"), clock);
        return measure;
    }
}
