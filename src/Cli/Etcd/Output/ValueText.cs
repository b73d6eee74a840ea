using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Google.Protobuf;

namespace MiniKube.Cli.Etcd.Output;

/// <summary>Keys and values made readable: JSON pretty-printed, text as is, anything else escaped.</summary>
public static class ValueText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A key as text when it is printable, else quoted with escapes.</summary>
    public static string Key(ByteString key) => IsText(key.Span, allowNewlines: false) ? key.ToStringUtf8() : Quote(key.Span);

    /// <summary>
    /// A value for a person to read, possibly over several lines: JSON indented, printable
    /// UTF-8 text verbatim, binary (such as Kubernetes' protobuf encoding) quoted with escapes.
    /// </summary>
    public static string Value(ByteString value)
    {
        var bytes = value.Span;
        if (bytes.IsEmpty)
        {
            return "(empty)";
        }

        if (!IsText(bytes, allowNewlines: true))
        {
            return $"{Quote(bytes)}  (binary, {bytes.Length} bytes)";
        }

        return TryIndentJson(value.Memory) ?? value.ToStringUtf8();
    }

    /// <summary>A value on one line, cut to <paramref name="max"/> characters: for tables.</summary>
    public static string OneLine(ByteString value, int max = 60)
    {
        var text = IsText(value.Span, allowNewlines: false) ? value.ToStringUtf8() : Quote(value.Span);
        if (IsText(value.Span, allowNewlines: true) && value.Span.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            text = Quote(value.Span);
        }

        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }

    /// <summary>Go's %q for bytes: printable ASCII kept, the rest as \n, \t, \xNN.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            _ = b switch
            {
                (byte)'"' => text.Append("\\\""),
                (byte)'\\' => text.Append(@"\\"),
                (byte)'\n' => text.Append(@"\n"),
                (byte)'\r' => text.Append(@"\r"),
                (byte)'\t' => text.Append(@"\t"),
                >= 0x20 and < 0x7f => text.Append((char)b),
                _ => text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            };
        }

        return text.Append('"').ToString();
    }

    private static bool IsText(ReadOnlySpan<byte> bytes, bool allowNewlines)
    {
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (b < 0x20 && !(allowNewlines && b is (byte)'\n' or (byte)'\r' or (byte)'\t') || b == 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private static string? TryIndentJson(ReadOnlyMemory<byte> value)
    {
        var first = value.Span.TrimStart(" \t\r\n"u8);
        if (first.IsEmpty || first[0] is not ((byte)'{' or (byte)'['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
