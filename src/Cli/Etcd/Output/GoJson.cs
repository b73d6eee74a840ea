using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MiniKube.Cli.Etcd.Output;

/// <summary>
/// A response as etcdctl -w json prints it: Go's encoding/json applied to etcd's generated
/// structs, whose JSON names are the .proto field names, every field omitempty, 64-bit integers
/// as numbers, enums as numbers, and bytes in base64.
/// </summary>
public static class GoJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(IMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            Write(writer, message);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <paramref name="message"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, IMessage message)
    {
        writer.WriteStartObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (IsEmpty(field, value))
            {
                continue;
            }

            writer.WritePropertyName(field.Name);
            if (field.IsRepeated)
            {
                writer.WriteStartArray();
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    WriteSingle(writer, field, item);
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteSingle(writer, field, value);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteSingle(Utf8JsonWriter writer, FieldDescriptor field, object value)
    {
        switch (value)
        {
            case IMessage nested:
                Write(writer, nested);
                break;
            case ByteString bytes:
                writer.WriteBase64StringValue(bytes.Span);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case uint number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                writer.WriteNumberValue(number);
                break;
            case Enum:
                writer.WriteNumberValue(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new NotSupportedException($"field {field.FullName} of type {value.GetType()}");
        }
    }

    /// <summary>Go's omitempty: zero numbers, false, empty strings, bytes and lists, and nil messages are left out.</summary>
    private static bool IsEmpty(FieldDescriptor field, object? value) => value switch
    {
        null => true,
        System.Collections.ICollection { Count: 0 } => true,
        ByteString bytes => bytes.IsEmpty,
        string text => text.Length == 0,
        bool flag => !flag,
        long number => number == 0,
        ulong number => number == 0,
        int number => number == 0,
        uint number => number == 0,
        double number => number == 0,
        float number => number == 0,
        Enum => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0,
        _ => false,
    };
}
