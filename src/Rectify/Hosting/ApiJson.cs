using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rectify.Hosting;

/// <summary>
/// How the API reads JSON: unknown members are refused (a misspelt "deadine" would otherwise be dropped silently and the
/// deadline cleared), numbers are numbers, enums by name, and dates are real calendar days of an office's work.
/// </summary>
public static class ApiJson
{
    /// <summary>The first and last year a date in a request may have: 0001-01-01 and 9999-12-31 overflow the day arithmetic.</summary>
    public const int FirstYear = 1900;

    public const int LastYear = 2199;

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new AssumedFieldsConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new BoundedDates());

        // Numbers are numbers: "1" for an id is refused (400), and the OpenAPI document says integer, not integer-or-string.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    }

    /// <summary>
    /// The assumed fields as a list of their names (["Kind","Deadline"]; [] when none), not the flags' comma-joined string:
    /// a client reads a list without splitting words (since 2026-12, issue #17; README “接口”).
    /// </summary>
    public sealed class AssumedFieldsConverter : JsonConverter<Domain.AssumedFields>
    {
        private static readonly Domain.AssumedFields[] Each = [.. Enum.GetValues<Domain.AssumedFields>().Where(f => f != Domain.AssumedFields.None)];

        public override Domain.AssumedFields Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new RequestValueException("assumed 应为字段名的数组，例如 [\"Kind\", \"Deadline\"]。");
            }

            var assumed = Domain.AssumedFields.None;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                assumed |= Each.FirstOrDefault(f => f.ToString() == name) is var field && field != Domain.AssumedFields.None
                    ? field
                    : throw new RequestValueException($"assumed 中的“{name}”不是可推定的字段（可选：{string.Join("、", Each)}）。");
            }

            return assumed;
        }

        public override void Write(Utf8JsonWriter writer, Domain.AssumedFields value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStartArray();
            foreach (var field in Each.Where(f => value.HasFlag(f)))
            {
                writer.WriteStringValue(field.ToString());
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>yyyy-MM-dd between <see cref="FirstYear"/> and <see cref="LastYear"/>; anything else is a 400 that says so.</summary>
    private sealed class BoundedDates : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String
                || !DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new RequestValueException("日期应写作 yyyy-MM-dd，例如 2025-03-01。");
            }

            return date.Year is >= FirstYear and <= LastYear
                ? date
                : throw new RequestValueException($"日期应在 {FirstYear} 年到 {LastYear} 年之间（收到 {date:yyyy-MM-dd}）。");
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>A value in a request body the API reads but will not take, with words the person can act on.</summary>
public sealed class RequestValueException : JsonException
{
    public RequestValueException()
    {
    }

    public RequestValueException(string message)
        : base(message)
    {
    }

    public RequestValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
