using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Rectify.Features.Common;

/// <summary>
/// What a request's <c>Accept-Encoding</c> says of gzip (RFC 9110 §12.5.3): accepted when <c>gzip</c> (or its alias
/// <c>x-gzip</c>) is listed with a weight above 0, or, not listed, when <c>*</c> is. <c>q=0</c> refuses it; an item whose
/// weight cannot be read is left out, as if not sent. A request without the header gets no gzip: RFC 9110 would allow
/// any coding then, but a client that names none may well not read one (curl without <c>--compressed</c>). Read without
/// allocating: it runs on every kept answer (ADR 0038).
/// </summary>
public static class ContentCoding
{
    /// <summary>Whether a response may be sent with <c>Content-Encoding: gzip</c> to a request with these <c>Accept-Encoding</c> values.</summary>
    public static bool AcceptsGzip(StringValues acceptEncoding)
    {
        double? gzip = null;
        double? any = null;
        for (var i = 0; i < acceptEncoding.Count; i++)
        {
            var rest = acceptEncoding[i].AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var item = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? default : rest[(comma + 1)..];
                var semicolon = item.IndexOf(';');
                var name = (semicolon < 0 ? item : item[..semicolon]).Trim(" \t");
                if (name.IsEmpty || Weight(semicolon < 0 ? default : item[(semicolon + 1)..]) is not { } weight)
                {
                    continue;
                }

                if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
                {
                    gzip = Math.Max(gzip ?? 0, weight);
                }
                else if (name is "*")
                {
                    any = Math.Max(any ?? 0, weight);
                }
            }
        }

        return (gzip ?? any ?? 0) > 0;
    }

    // The item's weight from its parameters (";q=0.5"; others ignored): 1 when it has none, null when it cannot be read
    // (not a number, or outside 0 … 1).
    private static double? Weight(ReadOnlySpan<char> parameters)
    {
        double weight = 1;
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf(';');
            var parameter = (semicolon < 0 ? parameters : parameters[..semicolon]).Trim(" \t");
            parameters = semicolon < 0 ? default : parameters[(semicolon + 1)..];
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter[..equals].Trim(" \t").Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // TryParse takes "NaN" and "Infinity" whatever the styles: only a number from 0 to 1 is a weight.
            if (!double.TryParse(parameter[(equals + 1)..].Trim(" \t"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out weight) || weight is not (>= 0 and <= 1))
            {
                return null;
            }
        }

        return weight;
    }
}
