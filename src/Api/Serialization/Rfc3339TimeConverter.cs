using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Serialization;

/// <summary>metav1.Time: RFC 3339 in UTC with whole seconds ("2006-01-02T15:04:05Z"). Any RFC 3339 text is
/// accepted on read; the fraction of a second is dropped on write, as k8s does.</summary>
public sealed class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ParseRfc3339(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(FormatSeconds(value));

    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatMicroseconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseRfc3339(string? text)
    {
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        throw new JsonException($"parsing time \"{text}\" as RFC 3339 failed");
    }
}
