using System.Text;

namespace MiniKube.Grpc.Protocol;

/// <summary>
/// grpc-message encoding: UTF-8 bytes outside printable ASCII, and '%' itself, become %XX, so any
/// detail text survives HTTP/2 header value rules.
/// </summary>
internal static class PercentEncoding
{
    public static string Encode(string value)
    {
        var clean = true;
        foreach (var c in value)
        {
            if (!IsUnreserved(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes %XX sequences as UTF-8; malformed sequences are kept literally, as grpc-go does.</summary>
    public static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        // '%' and hex digits are ASCII, so decoding over the UTF-8 form also keeps any raw non-ASCII text intact.
        var input = Encoding.UTF8.GetBytes(value);
        var output = new byte[input.Length];
        var length = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '%' && i + 2 < input.Length && HexValue(input[i + 1]) is var hi and >= 0 && HexValue(input[i + 2]) is var lo and >= 0)
            {
                output[length++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else
            {
                output[length++] = input[i];
            }
        }

        return Encoding.UTF8.GetString(output, 0, length);
    }

    private static bool IsUnreserved(char c) => c is >= ' ' and <= '~' and not '%';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
