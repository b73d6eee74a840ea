using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MiniKube.Api.Serialization;

/// <summary>The JSON form of API objects, as k8s writes it: camelCase field names from the property names, nulls
/// omitted, metav1.Time as RFC 3339 seconds. Unknown fields are ignored on read (k8s's non-strict decoding).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Values land in etcd and in kubectl's output; keep '<', '&', '+' and non-ASCII readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = indented,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new Rfc3339TimeConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, Options) ?? throw new JsonException("the JSON is null, an object was expected");

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the JSON is null, an object was expected");

    public static object Deserialize(ReadOnlySpan<byte> utf8Json, Type type) =>
        JsonSerializer.Deserialize(utf8Json, type, Options) ?? throw new JsonException("the JSON is null, an object was expected");

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Options);

    public static string Serialize(object value, Type type, bool indented = false) =>
        JsonSerializer.Serialize(value, type, indented ? Indented : Options);

    public static JsonNode ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) ?? throw new JsonException("the value serialized to null");

    public static T FromNode<T>(JsonNode node) =>
        node.Deserialize<T>(Options) ?? throw new JsonException("the JSON is null, an object was expected");

    public static object FromNode(JsonNode node, Type type) =>
        node.Deserialize(type, Options) ?? throw new JsonException("the JSON is null, an object was expected");
}
