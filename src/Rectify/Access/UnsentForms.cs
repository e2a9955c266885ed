using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Rectify.Access;

/// <summary>
/// What a person typed into a form that reached the server after their session had ended (idle too long, signed out
/// elsewhere): the sign-in page takes the browser there and the form's body would be gone with the redirect. A progress
/// report written over twenty minutes is worth keeping, so the words (never files, never the form's own tokens) are held
/// here for the person the expired cookie names, and shown to that person, once, on the first page after they sign in
/// again, to copy back. Held in this process's memory for an hour at most, at most <see cref="MostCharacters"/> a form,
/// one form a person; nothing is written to the database, since nothing was done.
/// </summary>
public sealed partial class UnsentForms(TimeProvider clock)
{
    /// <summary>The most characters kept of one form (beyond them a text is cut, and says so).</summary>
    public const int MostCharacters = 20_000;

    /// <summary>The most people whose forms are held at once (each is a signed-in person's, so this is not reached in use).</summary>
    public const int MostPeople = 2_000;

    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    /// <summary>Form fields that carry the form's own workings, not what was typed.</summary>
    private static readonly HashSet<string> Workings = new(StringComparer.OrdinalIgnoreCase) { "__RequestVerificationToken", "version", "stamp", "handler", "returnUrl", "website" };

    private readonly ConcurrentDictionary<string, Unsent> byPerson = new(StringComparer.Ordinal);

    /// <summary>What was typed, where, and when.</summary>
    public sealed record Unsent(string Path, IReadOnlyList<string> Texts, DateTimeOffset At);

    /// <summary>Keeps the texts of a form the person could not send; none kept when nothing was typed.</summary>
    public void Keep(string personId, string path, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (id, unsent) in byPerson)
        {
            if (now - unsent.At >= KeptFor)
            {
                byPerson.TryRemove(id, out _);
            }
        }

        if (byPerson.Count < MostPeople || byPerson.ContainsKey(personId))
        {
            byPerson[personId] = new Unsent(path, texts, now);
        }
    }

    /// <summary>The person's unsent form, taken: it is shown once.</summary>
    public Unsent? Take(string personId) =>
        byPerson.TryRemove(personId, out var unsent) && clock.GetUtcNow() - unsent.At < KeptFor ? unsent : null;

    /// <summary>
    /// The words typed into the request's form: every field that is not the form's workings and holds more than a number or
    /// a date, in the order sent, at most <see cref="MostCharacters"/> in all. A multipart form is read up to its first
    /// file, never into it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TextsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return Worded(await FieldsAsync(request, cancellationToken));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException or FormatException)
        {
            // Malformed, or over the form's or the body's limits: nothing is kept, and the sign-in goes ahead.
            return [];
        }
    }

    private static async Task<List<(string Name, string Value)>> FieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new List<(string Name, string Value)>();
        if (request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary)
        {
            // The text fields before the first file (a form's words come before its files), each read up to 256 KB: a
            // longer one ends the reading with what was read before it kept, and files are never read at all.
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = 256 * 1024 };
            var read = 0;
            try
            {
                while (read < MostCharacters * 4 && await reader.ReadNextSectionAsync(cancellationToken) is { } section
                    && section.AsFormDataSection() is { } field)
                {
                    var value = await field.GetValueAsync(cancellationToken);
                    read += value.Length;
                    fields.Add((field.Name, value));
                }
            }
            catch (InvalidDataException)
            {
                // A section over its limit, or the body malformed past this point.
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            fields.AddRange(form.SelectMany(f => f.Value.Select(v => (f.Key, v ?? string.Empty))));
        }

        return fields;
    }

    private static List<string> Worded(List<(string Name, string Value)> fields)
    {
        var texts = new List<string>();
        var left = MostCharacters;
        foreach (var (name, value) in fields)
        {
            var text = value.Trim();
            if (left <= 0 || Workings.Contains(name) || name.StartsWith("__", StringComparison.Ordinal) || !WordedRegex().IsMatch(text))
            {
                continue;
            }

            texts.Add(text.Length <= left ? text : new StringBuilder(text, 0, left, left + 8).Append("……（以下未保留）").ToString());
            left -= text.Length;
        }

        return texts;
    }

    /// <summary>
    /// Words: a Chinese character, or a sentence of letters with a space in it; not a number, a date, an id, a yes/no or a
    /// choice's value (TimeBound).
    /// </summary>
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}|^(?=.{20,})(?=.*\p{L}{2}).*\s", RegexOptions.Singleline)]
    private static partial Regex WordedRegex();
}
