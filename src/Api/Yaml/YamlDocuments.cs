using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MiniKube.Api.Yaml;

/// <summary>
/// Reads YAML (or JSON) manifests into JSON nodes the way kubectl does with sigs.k8s.io/yaml: several
/// documents separated by "---", empty ones skipped, YAML 1.1 scalar typing (see <see cref="YamlScalars"/>),
/// anchors, aliases and "&lt;&lt;" merge keys, and non-string keys turned into strings.
/// Duplicate keys are an error (kubectl's strict decoding refuses them too).
/// </summary>
public static class YamlDocuments
{
    private const string Prefix = "error converting YAML to JSON: ";

    public static IReadOnlyList<JsonNode> Parse(string yaml)
    {
        var trimmed = yaml.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            var json = TryParseJsonStream(yaml);
            if (json is not null)
            {
                return json;
            }
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(new StringReader(yaml)));
        }
        catch (YamlException e)
        {
            throw new YamlParseException($"{Prefix}yaml: line {e.Start.Line}: {GoStyle(e.Message)}", (int)e.Start.Line);
        }
        var result = new List<JsonNode>();
        foreach (var doc in stream.Documents)
        {
            var node = Convert(doc.RootNode);
            if (node is not null)
            {
                result.Add(node);
            }
        }
        return result;
    }

    /// <summary>The single document of <paramref name="yaml"/>; an error when there is none or more than one.</summary>
    public static JsonNode ParseSingle(string yaml)
    {
        var docs = Parse(yaml);
        return docs.Count == 1 ? docs[0] : throw new YamlParseException($"expected one document, found {docs.Count}", 0);
    }

    private static List<JsonNode>? TryParseJsonStream(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        var result = new List<JsonNode>();
        try
        {
            while (reader.Read())
            {
                var node = JsonNode.Parse(ref reader);
                if (node is not null)
                {
                    result.Add(node);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return result;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                return ConvertMapping(map);
            case YamlSequenceNode seq:
                return new JsonArray([.. seq.Children.Select(Convert)]);
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new YamlParseException($"{Prefix}yaml: line {node.Start.Line}: unsupported node", (int)node.Start.Line);
        }
    }

    // "<<" merges the keys of another mapping (or of a list of them, earlier ones winning) that the
    // mapping does not set itself, wherever they are written.
    private static JsonObject ConvertMapping(YamlMappingNode map)
    {
        var explicitKeys = map.Children.Keys.Where(k => !IsMergeKey(k)).Select(KeyText).ToHashSet(StringComparer.Ordinal);
        var obj = new JsonObject();
        foreach (var (k, v) in map.Children)
        {
            if (!IsMergeKey(k))
            {
                obj[KeyText(k)] = Convert(v);
                continue;
            }
            var sources = v switch
            {
                YamlMappingNode m => [m],
                YamlSequenceNode s when s.Children.All(c => c is YamlMappingNode) => s.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw new YamlParseException($"{Prefix}yaml: line {v.Start.Line}: map merge requires map or sequence of maps as the value", (int)v.Start.Line),
            };
            foreach (var source in sources)
            {
                foreach (var (mk, mv) in ConvertMapping(source))
                {
                    if (!explicitKeys.Contains(mk) && !obj.ContainsKey(mk))
                    {
                        obj[mk] = mv?.DeepClone();
                    }
                }
            }
        }
        return obj;
    }

    private static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain } s && (s.Tag.IsEmpty || s.Tag.Value == "tag:yaml.org,2002:merge");

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var line = (int)scalar.Start.Line;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str" or "!":
                return JsonValue.Create(text);
            case "tag:yaml.org,2002:null":
                return null;
            case "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float":
                if (YamlScalars.TryResolve(text, out var typed, out var special) && special is null && typed is not null)
                {
                    return typed;
                }
                throw new YamlParseException($"{Prefix}yaml: line {line}: cannot decode !!{tag[(tag.LastIndexOf(':') + 1)..]} `{text}`", line);
        }
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        if (YamlScalars.TryResolve(text, out var value, out var nonJson))
        {
            if (nonJson is not null)
            {
                throw new YamlParseException($"{Prefix}json: unsupported value: {nonJson}", line);
            }
            return value;
        }
        return JsonValue.Create(text);
    }

    // sigs.k8s.io/yaml turns the keys go-yaml typed back into text: true, 1, 1.5.
    private static string KeyText(YamlNode key)
    {
        if (key is not YamlScalarNode scalar)
        {
            throw new YamlParseException($"{Prefix}yaml: line {key.Start.Line}: unsupported map key: a {(key is YamlMappingNode ? "map" : "list")}", (int)key.Start.Line);
        }
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty || !YamlScalars.TryResolve(text, out var value, out var special))
        {
            return text;
        }
        if (special is not null)
        {
            return special switch { "NaN" => ".nan", "+Inf" => ".inf", _ => "-.inf" };
        }
        return value switch
        {
            null => throw new YamlParseException($"{Prefix}unsupported map key of type: <nil>, key: {text}", (int)key.Start.Line),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
            _ => value.ToJsonString(),
        };
    }

    // go-yaml words its messages in lower case without a final period.
    private static string GoStyle(string message)
    {
        var m = message.TrimEnd('.');
        return m.Length == 0 ? m : char.ToLower(m[0], CultureInfo.InvariantCulture) + m[1..];
    }
}
