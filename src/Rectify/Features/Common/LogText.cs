using System.Globalization;
using System.Text;

namespace Rectify.Features.Common;

/// <summary>
/// What a person typed, made safe to put in a log message: control characters (CR, LF, tab, NUL, ESC…), the line and
/// paragraph separators and the characters that reorder text are written as escapes (<c>\r</c>, <c>\n</c>,
/// <c>\u001b</c>), so that one input is one log line and cannot forge another ("\r\nINFO fake"); long input is cut.
/// </summary>
public static class LogText
{
    public const int MostCharacters = 200;

    public static string Escape(string? typed)
    {
        if (string.IsNullOrEmpty(typed))
        {
            return string.Empty;
        }

        var text = new StringBuilder(Math.Min(typed.Length, MostCharacters) + 8);
        foreach (var c in typed.Length > MostCharacters ? typed[..MostCharacters] : typed)
        {
            _ = c switch
            {
                '\r' => text.Append("\\r"),
                '\n' => text.Append("\\n"),
                '\t' => text.Append("\\t"),
                '\\' => text.Append("\\\\"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
                    => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return typed.Length > MostCharacters ? text.Append('…').ToString() : text.ToString();
    }
}
