using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Quantities;

/// <summary>resource.Quantity: an exact decimal amount with nano precision and the format it prints in.
/// Values are held as a count of nano-units, so arithmetic is exact; like k8s, parsing rounds anything
/// finer than 1n up to 1n and caps the magnitude at 2^63-1.</summary>
[JsonConverter(typeof(QuantityJsonConverter))]
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    public const string FormatErrorMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    public const string NumericErrorMessage = "unable to parse numeric part of quantity";
    public const string SuffixErrorMessage = "unable to parse quantity's suffix";

    private static readonly BigInteger NanosPerUnit = BigInteger.Pow(10, 9);
    private static readonly BigInteger MaxNanos = new BigInteger(long.MaxValue) * NanosPerUnit;

    private readonly BigInteger nanos;

    private Quantity(BigInteger nanos, QuantityFormat format)
    {
        this.nanos = nanos;
        Format = format;
    }

    public QuantityFormat Format { get; }

    public bool IsZero => nanos.IsZero;

    public int Sign => nanos.Sign;

    /// <summary>The value in whole units, rounded away from zero (k8s's Value()).</summary>
    public long Value => ScaledRoundedUp(NanosPerUnit);

    /// <summary>The value in thousandths, rounded away from zero (k8s's MilliValue()).</summary>
    public long MilliValue => ScaledRoundedUp(1_000_000);

    /// <summary>The exact value (throws OverflowException beyond decimal's range, about 7.9e28).</summary>
    public decimal ToDecimal() => (decimal)nanos / 1_000_000_000m;

    public double ToDouble() => (double)nanos / 1e9;

    public static Quantity FromInt64(long value, QuantityFormat format = QuantityFormat.DecimalSI) => new(value * NanosPerUnit, format);

    public static Quantity FromMilli(long milli, QuantityFormat format = QuantityFormat.DecimalSI) => new(milli * new BigInteger(1_000_000), format);

    public static Quantity Parse(string text) =>
        TryParse(text, out var quantity, out var error) ? quantity : throw new FormatException(error);

    public static bool TryParse(string? text, out Quantity quantity) => TryParse(text, out quantity, out _);

    public static bool TryParse(string? text, out Quantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = FormatErrorMessage;
            return false;
        }
        if (!Split(text, out var negative, out var integer, out var fraction, out var suffix))
        {
            error = FormatErrorMessage;
            return false;
        }
        if (!InterpretSuffix(suffix, out var base2, out var exponent, out var format))
        {
            error = SuffixErrorMessage;
            return false;
        }
        if (integer.Length + fraction.Length > 4000 || Math.Abs(exponent) > 4000)
        {
            error = NumericErrorMessage;
            return false;
        }
        // The amount is digits / 10^fraction.Length, times the suffix's multiplier; kept as a fraction until
        // it is rounded up to whole nanos.
        var digits = BigInteger.Parse(integer + fraction, CultureInfo.InvariantCulture);
        var numerator = digits * NanosPerUnit;
        var denominator = BigInteger.Pow(10, fraction.Length);
        if (base2)
            numerator <<= exponent;
        else if (exponent >= 0)
            numerator *= BigInteger.Pow(10, exponent);
        else
            denominator *= BigInteger.Pow(10, -exponent);
        var value = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero)
            value += 1;
        if (value > MaxNanos)
            value = MaxNanos;
        if (format == QuantityFormat.BinarySI && value > 0 && value < NanosPerUnit)
            format = QuantityFormat.DecimalSI;
        quantity = new Quantity(negative ? -value : value, format);
        return true;
    }

    // parseQuantityString of k8s: sign, digits, optional '.' and digits, then a suffix of suffix letters and an
    // optional signed exponent.
    private static bool Split(string text, out bool negative, out string integer, out string fraction, out string suffix)
    {
        negative = false;
        integer = "0";
        fraction = "";
        suffix = "";
        var pos = 0;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            pos++;
        }
        while (pos < text.Length && text[pos] == '0')
            pos++;
        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            pos++;
        if (pos > start)
            integer = text[start..pos];
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            start = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
                pos++;
            fraction = text[start..pos];
        }
        var suffixStart = pos;
        while (pos < text.Length && "eEinumkKMGTP".Contains(text[pos], StringComparison.Ordinal))
            pos++;
        if (pos < text.Length && text[pos] is '-' or '+')
            pos++;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            pos++;
        suffix = text[suffixStart..];
        return pos == text.Length;
    }

    private static bool InterpretSuffix(string suffix, out bool base2, out int exponent, out QuantityFormat format)
    {
        base2 = false;
        exponent = 0;
        format = QuantityFormat.DecimalSI;
        switch (suffix)
        {
            case "": return true;
            case "n": exponent = -9; return true;
            case "u": exponent = -6; return true;
            case "m": exponent = -3; return true;
            case "k": exponent = 3; return true;
            case "M": exponent = 6; return true;
            case "G": exponent = 9; return true;
            case "T": exponent = 12; return true;
            case "P": exponent = 15; return true;
            case "E": exponent = 18; return true;
        }
        var binary = Array.IndexOf(BinarySuffixes, suffix);
        if (binary > 0)
        {
            base2 = true;
            exponent = binary * 10;
            format = QuantityFormat.BinarySI;
            return true;
        }
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            format = QuantityFormat.DecimalExponent;
            return true;
        }
        return false;
    }

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    private long ScaledRoundedUp(BigInteger nanosPerStep)
    {
        var scaled = BigInteger.DivRem(nanos, nanosPerStep, out var remainder);
        if (!remainder.IsZero)
            scaled += nanos.Sign;
        return scaled > long.MaxValue ? long.MaxValue : scaled < long.MinValue ? long.MinValue : (long)scaled;
    }

    /// <summary>The sum, in this quantity's format (or the other's when this one is zero), as k8s's Add.</summary>
    public Quantity Add(Quantity other) => new(nanos + other.nanos, IsZero ? other.Format : Format);

    public Quantity Subtract(Quantity other) => new(nanos - other.nanos, IsZero ? other.Format : Format);

    public Quantity Negate() => new(-nanos, Format);

    public static Quantity operator +(Quantity left, Quantity right) => left.Add(right);

    public static Quantity operator -(Quantity left, Quantity right) => left.Subtract(right);

    public static Quantity operator -(Quantity value) => value.Negate();

    public int CompareTo(Quantity other) => nanos.CompareTo(other.nanos);

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;

    /// <summary>Equal amounts are equal whatever their formats (k8s's Equal/Cmp).</summary>
    public bool Equals(Quantity other) => nanos == other.nanos;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode() => nanos.GetHashCode();

    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    /// <summary>k8s's canonical form (CanonicalizeBytes): the smallest integer mantissa with a suffix of the
    /// quantity's format; binary quantities under 1024 or not whole print as decimal SI.</summary>
    public override string ToString()
    {
        if (nanos.IsZero)
            return "0";
        var format = Format;
        if (format == QuantityFormat.BinarySI)
        {
            var whole = BigInteger.DivRem(nanos, NanosPerUnit, out var rem);
            if (BigInteger.Abs(whole) < 1024 || !rem.IsZero)
                format = QuantityFormat.DecimalSI;
            else
            {
                var times = 0;
                while (BigInteger.Abs(whole) >= 1024 && (whole % 1024).IsZero && times < 6)
                {
                    whole /= 1024;
                    times++;
                }
                return whole.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[times];
            }
        }
        var mantissa = nanos;
        var exponent = -9;
        while (BigInteger.Abs(mantissa) >= 10 && (mantissa % 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }
        switch (exponent % 3)
        {
            case 1 or -2:
                mantissa *= 10;
                exponent -= 1;
                break;
            case 2 or -1:
                mantissa *= 100;
                exponent -= 2;
                break;
        }
        var builder = new StringBuilder(mantissa.ToString(CultureInfo.InvariantCulture));
        if (format == QuantityFormat.DecimalExponent)
        {
            if (exponent != 0)
                builder.Append('e').Append(exponent.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(exponent switch
            {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                0 => "",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                18 => "E",
                _ => "e" + exponent.ToString(CultureInfo.InvariantCulture),
            });
        }
        return builder.ToString();
    }
}
