using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Serialization;

/// <summary>metav1.MicroTime ("2006-01-02T15:04:05.000000Z"), put on the fields that are MicroTime in k8s
/// (Event.eventTime, Lease.spec.acquireTime/renewTime, EventSeries.lastObservedTime).</summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Rfc3339TimeConverter.ParseRfc3339(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
            writer.WriteStringValue(Rfc3339TimeConverter.FormatMicroseconds(time));
        else
            writer.WriteNullValue();
    }
}
