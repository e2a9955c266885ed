namespace Rectify.Domain;

/// <summary>A named business rule guarding an entity method. Its name is the rule; its message says why in the user's language.</summary>
public interface IBusinessRule
{
    bool IsBroken();

    string Message { get; }
}

/// <summary>Thrown when an entity method is asked to do what a rule forbids; the web layer turns it into a 409 or a form error.</summary>
public sealed class BusinessRuleViolationException : Exception
{
    public BusinessRuleViolationException(IBusinessRule rule)
        : base(rule?.Message)
    {
        ArgumentNullException.ThrowIfNull(rule);
        RuleName = rule.GetType().Name;
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
}
