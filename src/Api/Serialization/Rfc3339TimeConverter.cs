using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MiniKube.Api.Serialization;

/// <summary>metav1.Time: RFC 3339 in UTC with whole seconds ("2006-01-02T15:04:05Z"). Any RFC 3339 text is
/// accepted on read; the fraction of a second is dropped on write, as k8s does.</summary>
public sealed partial class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    private const string SecondsFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && TryParseUtcSeconds(reader.ValueSpan, out var value)
            ? value
            : ParseRfc3339(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[32];
        if (value.UtcDateTime.TryFormat(text, out var written, SecondsFormat, CultureInfo.InvariantCulture))
            writer.WriteStringValue(text[..written]);
        else
            writer.WriteStringValue(FormatSeconds(value));
    }

    /// <summary>The form k8s writes every metav1.Time in ("2006-01-02T15:04:05Z"), read straight from UTF-8: objects
    /// carry several, and the regex and format parse of <see cref="ParseRfc3339"/> showed in the apiserver's profile.
    /// False for anything else (fractions, offsets, out-of-range fields), which <see cref="ParseRfc3339"/> decides.</summary>
    public static bool TryParseUtcSeconds(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':'
            || (text[19] | 0x20) != 'z')
            return false;
        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int number)
    {
        number = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
                return false;
            number = number * 10 + (digit - '0');
        }
        return true;
    }

    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString(SecondsFormat, CultureInfo.InvariantCulture);

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
