using Rectify.Domain;

namespace Rectify.Features.Common;

/// <summary>
/// A two-way decision posted as a word (a form's button, an API body's field): one of the two words, in any case and
/// with spaces around it, or nothing. Anything else is never read as either word: a typo must not return a report or
/// close a 督办单.
/// </summary>
public static class Decision
{
    /// <summary>True for <paramref name="yes"/>, false for <paramref name="no"/>, null for anything else.</summary>
    public static bool? Read(string? decision, string yes, string no)
    {
        var word = decision?.Trim();
        return string.Equals(word, yes, StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(word, no, StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }

    /// <summary>
    /// A decision read by <see cref="Read"/>, refused (400) with <paramref name="ask"/>, which says what to choose, when
    /// it was neither word. A service asks this after finding the object and checking the caller may decide on it, so
    /// that nothing to decide on is still a 404 and a step the caller may not take still a 403.
    /// </summary>
    public static bool Chosen(bool? decision, string ask) => decision ?? throw BusinessRules.Refuse(new ADecisionIsChosen(ask));

    private sealed class ADecisionIsChosen(string ask) : Refused(ask, Refusal.Invalid);
}
