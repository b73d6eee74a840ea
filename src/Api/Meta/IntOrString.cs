using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Meta;

/// <summary>intstr.IntOrString: a JSON number or a JSON string ("http", "25%").</summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    private readonly string? stringValue;

    public IntOrString(int value)
    {
        IntValue = value;
        stringValue = null;
    }

    public IntOrString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        IntValue = 0;
        stringValue = value;
    }

    public bool IsString => stringValue is not null;

    /// <summary>The number; 0 when this holds a string.</summary>
    public int IntValue { get; }

    /// <summary>The string; null when this holds a number.</summary>
    public string? StringValue => stringValue;

    public static implicit operator IntOrString(int value) => new(value);

    public static implicit operator IntOrString(string value) => new(value);

    public static IntOrString FromInt32(int value) => new(value);

    public static IntOrString FromString(string value) => new(value);

    /// <summary>k8s's GetScaledValueFromIntOrPercent: a number is returned as is, "N%" is N% of
    /// <paramref name="total"/>, rounded up or down. Any other string is an error.</summary>
    public int GetScaledValue(int total, bool roundUp) =>
        TryGetScaledValue(total, roundUp, out var value, out var error) ? value : throw new FormatException(error);

    public bool TryGetScaledValue(int total, bool roundUp, out int value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        error = null;
        if (stringValue is null)
        {
            value = IntValue;
            return true;
        }
        if (!stringValue.EndsWith('%'))
        {
            error = "invalid value for IntOrString: invalid type: string is not a percentage";
            return false;
        }
        if (!int.TryParse(stringValue.AsSpan(0, stringValue.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            error = $"invalid value for IntOrString: invalid value \"{stringValue}\": strconv.Atoi: parsing \"{stringValue[..^1]}\": invalid syntax";
            return false;
        }
        // Exact integer arithmetic where k8s goes through float64; the results agree for int-sized inputs.
        var product = (long)percent * total;
        var quotient = Math.DivRem(product, 100, out var remainder);
        if (remainder != 0 && roundUp && product > 0)
            quotient++;
        else if (remainder != 0 && !roundUp && product < 0)
            quotient--;
        value = (int)quotient;
        return true;
    }

    public bool Equals(IntOrString other) => IntValue == other.IntValue && stringValue == other.stringValue;

    public override bool Equals(object? obj) => obj is IntOrString other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(IntValue, stringValue);

    public static bool operator ==(IntOrString left, IntOrString right) => left.Equals(right);

    public static bool operator !=(IntOrString left, IntOrString right) => !left.Equals(right);

    public override string ToString() => stringValue ?? IntValue.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads a JSON number or string, writes back the same form.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new IntOrString(reader.GetInt32()),
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            _ => throw new JsonException($"json: cannot unmarshal {reader.TokenType} into an int or a string"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IsString)
            writer.WriteStringValue(value.StringValue);
        else
            writer.WriteNumberValue(value.IntValue);
    }
}
