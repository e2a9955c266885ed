using System.Globalization;
using Rectify.Domain;

namespace Rectify.Features.Registers;

/// <summary>
/// A register entry as a page shows it: its text, its details, the findings it answers, the version it is at (who
/// made it, when, why) and the versions before it. <see cref="Key"/> names it on the page ("institution-5").
/// </summary>
public sealed record RegisterCard(
    string Register,
    int Id,
    string Text,
    string Detail,
    IReadOnlyList<int> Findings,
    int Version,
    bool Withdrawn,
    string? RecordedByName,
    DateTime? RecordedAtUtc,
    string? Reason,
    IReadOnlyList<RegisterCard> EarlierVersions)
{
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Register}-{Id}");
}

/// <summary>The entries of <see cref="RegistersView"/> as cards; <c>term</c> puts a domain term into the reader's language.</summary>
public static class RegisterCards
{
    public const string Institution = "institution";
    public const string Outcome = "outcome";
    public const string Lead = "lead";

    public static RegisterCard Of(InstitutionView i, Func<string, string> term)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(Institution, i.Id, i.Name, $"{i.Issuer} · {i.DocumentNumber ?? "—"} · {i.IssuedOn:yyyy-MM-dd}", i.Findings, i.Version, i.Withdrawn, i.RecordedByName, i.RecordedAtUtc, i.Reason,
            [.. i.EarlierVersions.Select(e => Of(e, term))]);
    }

    public static RegisterCard Of(OutcomeView o, Func<string, string> term)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(term);
        return new(Outcome, o.Id, $"{term(Terms.Of(o.Kind))} {Amount(o.Amount)}", o.Note ?? string.Empty, o.Findings, o.Version, o.Withdrawn, o.RecordedByName, o.RecordedAtUtc, o.Reason,
            [.. o.EarlierVersions.Select(e => Of(e, term))]);
    }

    public static RegisterCard Of(LeadView l, Func<string, string> term)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(term);
        return new(Lead, l.Id, l.Summary, $"{term(Terms.Of(l.Status))}{(l.Disposition is null ? string.Empty : " · " + l.Disposition)}", l.Findings, l.Version, l.Withdrawn, l.RecordedByName, l.RecordedAtUtc, l.Reason,
            [.. l.EarlierVersions.Select(e => Of(e, term))]);
    }

    /// <summary>An amount as typed: 12.5, 3 (no trailing zeros, the invariant decimal point, as in a form's number field).</summary>
    public static string Amount(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);
}
