using System.Globalization;
using Microsoft.Extensions.Localization;
using Rectify.Domain;

namespace Rectify.Features.Inspections;

/// <summary>The 红黄绿规则 of an inspection in words, for the legend of the overview and the ledger and for the settings card.</summary>
public static class SignalLegend
{
    /// <summary>"红：…；黄：…；绿：…。" — the rule in force, in the reader's language.</summary>
    public static string Describe(SignalRules rules, IStringLocalizer l)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(l);
        var red = rules.RedWhenUnderDuban ? l["红：有措施超期、逾期未报或督办未办结"] : l["红：有措施超期或逾期未报"];
        var days = rules.WarnWithinWorkingDays.ToString(CultureInfo.InvariantCulture);
        LocalizedString? warned = (rules.WarnsOfDeadlines, rules.WarnWhenReportReturned) switch
        {
            (true, true) => l["有措施 {0} 个工作日内到期或最近一次报送被退回", days],
            (true, false) => l["有措施 {0} 个工作日内到期", days],
            (false, true) => l["有措施最近一次报送被退回"],
            _ => null,
        };
        var yellow = (warned, rules.GreenWhenOnTrack) switch
        {
            (null, false) => l["黄：其余整改中的问题"],
            (null, true) => l["黄：不使用"],
            (_, false) => l["黄：{0}，或其余整改中的问题", warned.Value],
            _ => l["黄：{0}", warned.Value],
        };
        var green = rules.GreenWhenOnTrack ? l["绿：已完成、持续整改，或整改中且无上述情形（正常推进）"] : l["绿：已完成或持续整改"];
        return l["{0}；{1}；{2}。", red, yellow, green];
    }

    /// <summary>The order the colours are given in when several apply (shown with rules other than the default).</summary>
    public static string Precedence(IStringLocalizer l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return l["一个问题同时符合几种情形时，红先于黄，黄先于绿。"];
    }
}
