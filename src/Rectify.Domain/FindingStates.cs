namespace Rectify.Domain;

/// <summary>A finding's state, as the notices and ledgers name it.</summary>
public enum FindingState
{
    /// <summary>整改中.</summary>
    Rectifying = 0,

    /// <summary>已完成: every measure signed off.</summary>
    Completed = 1,

    /// <summary>长期坚持: every measure signed off or ongoing, at least one ongoing.</summary>
    Ongoing = 2,
}

public static class FindingStates
{
    /// <summary>The one derivation of a finding's state from its measures; statistics use it too.</summary>
    public static FindingState Derive(IEnumerable<MeasureState> measureStates)
    {
        ArgumentNullException.ThrowIfNull(measureStates);
        var any = false;
        var anyOngoing = false;
        foreach (var state in measureStates)
        {
            any = true;
            switch (state)
            {
                case MeasureState.SignedOff:
                    break;
                case MeasureState.Ongoing:
                    anyOngoing = true;
                    break;
                default:
                    return FindingState.Rectifying;
            }
        }

        if (!any)
        {
            return FindingState.Rectifying;
        }

        return anyOngoing ? FindingState.Ongoing : FindingState.Completed;
    }

    /// <summary>The same derivation from counts, for queries that aggregate in the database.</summary>
    public static FindingState Derive(int total, int signedOff, int ongoing) =>
        total == 0 || signedOff + ongoing < total ? FindingState.Rectifying
        : ongoing > 0 ? FindingState.Ongoing
        : FindingState.Completed;
}
