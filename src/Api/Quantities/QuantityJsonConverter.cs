using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Quantities;

/// <summary>A quantity is a JSON string in canonical form; a JSON number is accepted on read, as k8s does.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => reader.TryGetInt64(out var whole)
                ? whole.ToString(CultureInfo.InvariantCulture)
                : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException(Quantity.FormatErrorMessage),
        };
        return Quantity.TryParse(text, out var quantity, out var error) ? quantity : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
