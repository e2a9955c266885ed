namespace Rectify.Features;

/// <summary>
/// Whether this is the demo (<c>serve --demo</c>, setting Rectify:Demo). Pages ask it to mark a value no source stated
/// (ADR 0004): the demo's seed assumed it where the notice is silent (演示假设); on an installation of real data nothing
/// is assumed for show, and such a value is 待核实 — no document stated it, someone must check it and set it.
/// </summary>
public static class DemoMode
{
    public const string Setting = "Rectify:Demo";

    public static bool IsOn(IConfiguration configuration) => configuration.GetValue<bool>(Setting);
}
