namespace Rectify.Domain;

/// <summary>What kind of "no" a broken rule is: the one place that decides how a refusal is answered (409, 400, 403, 413 or 503).</summary>
public enum Refusal
{
    /// <summary>The state of things forbids the step now (409): already reviewed, not yet signed off…</summary>
    Conflict = 0,

    /// <summary>What was sent is incomplete or out of range (400).</summary>
    Invalid = 1,

    /// <summary>The caller may see the object but may not take this step on it (403).</summary>
    NotPermitted = 2,

    /// <summary>What was sent is more than the caller may send (413): today's upload quota, for instance.</summary>
    TooLarge = 3,

    /// <summary>A service the step depends on cannot answer now, so the step is not taken (503): the virus scanner, for instance.</summary>
    Unavailable = 4,
}

/// <summary>A named business rule guarding an entity method. Its name is the rule; its message says why in the user's language.</summary>
public interface IBusinessRule
{
    bool IsBroken();

    string Message { get; }

    /// <summary>How the refusal is answered; most rules are about state.</summary>
    Refusal Refusal => Refusal.Conflict;
}

/// <summary>
/// Thrown when someone asks for what a rule forbids. It is the only way anything in Rectify refuses; the web layer
/// turns it into a 409 / 400 / 403 answer or a form error, in one place (Features/Shared/Refusals).
/// </summary>
public sealed class BusinessRuleViolationException : Exception
{
    public BusinessRuleViolationException(IBusinessRule rule)
        : base(rule?.Message)
    {
        ArgumentNullException.ThrowIfNull(rule);
        RuleName = rule.GetType().Name;
        Refusal = rule.Refusal;
    }

    public BusinessRuleViolationException()
    {
        RuleName = string.Empty;
    }

    public BusinessRuleViolationException(string message)
        : base(message)
    {
        RuleName = string.Empty;
    }

    public BusinessRuleViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        RuleName = string.Empty;
    }

    public string RuleName { get; }

    public Refusal Refusal { get; }
}

public static class BusinessRules
{
    public static void Check(IBusinessRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.IsBroken())
        {
            throw new BusinessRuleViolationException(rule);
        }
    }

    /// <summary>Refuses unconditionally: for a rule already known to be broken (a lost race, a step the caller may not take).</summary>
    public static BusinessRuleViolationException Refuse(IBusinessRule rule) => new(rule);
}

/// <summary>A rule that is broken by construction, with its message and kind: for refusals that need no facts to decide.</summary>
public abstract class Refused(string message, Refusal refusal = Refusal.Conflict) : IBusinessRule
{
    public bool IsBroken() => true;

    public string Message => message;

    public Refusal Refusal => refusal;
}

/// <summary>
/// A text holds at most so many characters (its column's length, counted as the database counts: by character, so an
/// emoji is one). Stated to the person with the field's name, the limit and what they sent.
/// </summary>
public sealed class ATextFitsItsField(string what, string? value, int most) : IBusinessRule
{
    public bool IsBroken() => Length(value) > most;

    public string Message => $"{what}不能超过 {most} 个字（现有 {Length(value)} 个）。";

    public Refusal Refusal => Refusal.Invalid;

    /// <summary>Characters as the database counts them (Unicode scalar values), not UTF-16 units.</summary>
    public static int Length(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        var n = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}
