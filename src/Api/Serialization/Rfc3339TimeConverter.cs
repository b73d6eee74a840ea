using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MiniKube.Api.Serialization;

/// <summary>metav1.Time: RFC 3339 in UTC with whole seconds ("2006-01-02T15:04:05Z"). Any RFC 3339 text is
/// accepted on read; the fraction of a second is dropped on write, as k8s does.</summary>
public sealed partial class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ParseRfc3339(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(FormatSeconds(value));

    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatMicroseconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses RFC 3339 ("2006-01-02T15:04:05Z", with any fraction and a Z or ±hh:mm offset); digits past
    /// the 100 ns that DateTimeOffset holds (Go's RFC3339Nano has nine) are dropped.</summary>
    public static DateTimeOffset ParseRfc3339(string? text)
    {
        var match = text is null ? null : Rfc3339Regex().Match(text);
        if (match is { Success: true })
        {
            var fraction = match.Groups[2].Value;
            if (fraction.Length > 8)
                fraction = fraction[..8];
            var zone = match.Groups[3].Value is "Z" or "z" ? "+00:00" : match.Groups[3].Value;
            var normalized = match.Groups[1].Value.Replace('t', 'T') + fraction + zone;
            var format = fraction.Length == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss." + new string('F', fraction.Length - 1) + "zzz";
            if (DateTimeOffset.TryParseExact(normalized, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
                return value.ToUniversalTime();
        }
        throw new JsonException($"parsing time \"{text}\" as RFC 3339 failed");
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339Regex();
}
