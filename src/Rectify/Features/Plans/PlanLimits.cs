namespace Rectify.Features.Plans;

/// <summary>
/// How long each text of a plan may be: the plan page and the API refuse longer ones as they save, and an import's
/// preview names each one too long by its sheet and row before anything is written (an import does not pass its preview
/// only to be refused at 确认导入).
/// </summary>
public static class PlanLimits
{
    /// <summary>问题类别.</summary>
    public const int CategoryTitle = 1000;

    /// <summary>问题 (a finding's title).</summary>
    public const int FindingTitle = 1000;

    /// <summary>反馈原文.</summary>
    public const int ProblemStatement = 20000;

    /// <summary>整改措施.</summary>
    public const int MeasureText = 20000;

    /// <summary>A 责任领导's name.</summary>
    public const int PersonName = 50;

    /// <summary>A 责任领导's position (职务).</summary>
    public const int Position = 100;

    /// <summary>A unit's name.</summary>
    public const int UnitName = 100;

    /// <summary>Units typed in one field.</summary>
    public const int UnitsPerField = 200;
}
