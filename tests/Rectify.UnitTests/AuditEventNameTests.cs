using Microsoft.Extensions.Localization;
using Rectify.Features.Audit;

namespace Rectify.UnitTests;

/// <summary>The audit log names every event it records in words, never by its code (inspection.create, …).</summary>
public sealed class AuditEventNameTests
{
    [Fact]
    public void Every_recorded_event_code_has_a_name()
    {
        var unnamed = AuditPresentation.Codes.Where(code => AuditPresentation.EventName(new Keys(), code) == code).ToList();
        Assert.True(unnamed.Count == 0, "events without a name: " + string.Join(", ", unnamed));
    }

    // Answers each key with itself, as the Chinese page does (its keys are its words).
    private sealed class Keys : IStringLocalizer
    {
        public LocalizedString this[string name] => new(name, name);

        public LocalizedString this[string name, params object[] arguments] => new(name, string.Format(System.Globalization.CultureInfo.InvariantCulture, name, arguments));

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
