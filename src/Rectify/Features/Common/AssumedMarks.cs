using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.Features.Common;

/// <summary>
/// The mark after a value no source stated (ADR 0004): 演示假设 in the demo, whose seed assumed it where the notice is
/// silent; 待核实 on an installation of real data, where nothing is assumed for show and someone must check the value.
/// One service, so that the ledger, the plan and the measure page say it the same way.
/// </summary>
public sealed class AssumedMarks(IConfiguration configuration, IStringLocalizer<SharedResource> l)
{
    public bool Demo { get; } = DemoMode.IsOn(configuration);

    /// <summary>"演示假设" or "待核实".</summary>
    public string Label => Demo ? l["演示假设"] : l["待核实"];

    /// <summary>The mark after <paramref name="field"/> when <paramref name="assumed"/> holds it, with its explanation as a tooltip; nothing otherwise.</summary>
    public IHtmlContent Of(AssumedFields assumed, AssumedFields field) => Demo
        ? Fmt.Assumed(assumed, field, l["演示假设"], l["公告未载明，演示数据假设"])
        : Fmt.Assumed(assumed, field, l["待核实"], l["来源未载明，由系统推定，请核实后修改"]);
}
