namespace Rectify.Data;

/// <summary>
/// Whether this is the demo (<c>serve --demo</c>, setting Rectify:Demo), read here and nowhere by hand. The demo relaxes
/// the administrators' second factor and keeps its own keys (ADR 0004); pages mark a value no source stated as the
/// demo's assumption (演示假设) where a real installation marks it 待核实 (see <c>Features.Common.AssumedMarks</c>).
/// </summary>
public static class DemoMode
{
    public const string Setting = "Rectify:Demo";

    public static bool IsOn(IConfiguration configuration) => configuration.GetValue<bool>(Setting);
}
