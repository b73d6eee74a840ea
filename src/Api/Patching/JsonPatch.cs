using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiniKube.Api.Patching;

/// <summary>
/// RFC 6902 JSON patch (Content-Type application/json-patch+json). Operations apply in order to a copy of
/// the target; the first one that fails stops the patch with a <see cref="PatchException"/>, so the
/// target is changed by all operations or by none.
/// </summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        var doc = target?.DeepClone();
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op)
            {
                throw new PatchException($"invalid JSON patch operation: {opNode?.ToJsonString() ?? "null"}");
            }
            var kind = StringMember(op, "op") ?? throw new PatchException($"operation missing \"op\" field: {op.ToJsonString()}");
            var path = StringMember(op, "path") ?? throw new PatchException($"operation missing \"path\" field: {op.ToJsonString()}");
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, ValueMember(op));
                    break;
                case "remove":
                    doc = Remove(doc, path, out _);
                    break;
                case "replace":
                    doc = Replace(doc, path, ValueMember(op));
                    break;
                case "move":
                    {
                        var from = FromMember(op);
                        if (path.StartsWith(from + "/", StringComparison.Ordinal))
                        {
                            throw new PatchException($"cannot move {QuotePath(from)} into its own child {QuotePath(path)}");
                        }
                        doc = Remove(doc, from, out var moved);
                        doc = Add(doc, path, moved);
                        break;
                    }
                case "copy":
                    {
                        var from = FromMember(op);
                        doc = Add(doc, path, Get(doc, from)?.DeepClone());
                        break;
                    }
                case "test":
                    {
                        var expected = ValueMember(op);
                        var actual = Resolve(doc, path, out var found);
                        if (!found || !JsonNode.DeepEquals(actual, expected))
                        {
                            throw new PatchException($"testing value {path} failed");
                        }
                        break;
                    }
                default:
                    throw new PatchException($"Unexpected kind: {kind}");
            }
        }
        return doc;
    }

    /// <summary>The JSON pointer's tokens, with ~1 and ~0 decoded ("" is the whole document).</summary>
    public static IReadOnlyList<string> ParsePointer(string jsonPointer)
    {
        if (jsonPointer.Length == 0)
        {
            return [];
        }
        if (jsonPointer[0] != '/')
        {
            throw new PatchException($"JSON pointer must be empty or start with '/': {QuotePath(jsonPointer)}");
        }
        return [.. jsonPointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value)
    {
        var tokens = ParsePointer(path);
        if (tokens.Count == 0)
        {
            return value;
        }
        var parent = Parent(doc, path, tokens);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var index = last == "-" ? a.Count : Index(last, path, a.Count, allowEnd: true);
                a.Insert(index, value);
                break;
            default:
                throw new PatchException($"doc is missing path: {QuotePath(path)}");
        }
        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, string path, out JsonNode? removed)
    {
        var tokens = ParsePointer(path);
        if (tokens.Count == 0)
        {
            removed = doc;
            return null;
        }
        var parent = Parent(doc, path, tokens);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                return doc;
            case JsonArray a:
                var index = Index(last, path, a.Count, allowEnd: false);
                removed = a[index];
                // Detach before returning so the node can be added elsewhere.
                a.RemoveAt(index);
                return doc;
            default:
                throw new PatchException($"doc is missing path: {QuotePath(path)}");
        }
    }

    private static JsonNode? Replace(JsonNode? doc, string path, JsonNode? value)
    {
        var tokens = ParsePointer(path);
        if (tokens.Count == 0)
        {
            return value;
        }
        var parent = Parent(doc, path, tokens);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o[last] = value;
                return doc;
            case JsonArray a:
                a[Index(last, path, a.Count, allowEnd: false)] = value;
                return doc;
            default:
                throw new PatchException($"doc is missing path: {QuotePath(path)}");
        }
    }

    private static JsonNode? Get(JsonNode? doc, string path)
    {
        var node = Resolve(doc, path, out var found);
        return found ? node : throw new PatchException($"doc is missing path: {QuotePath(path)}");
    }

    private static JsonNode? Resolve(JsonNode? doc, string path, out bool found)
    {
        var node = doc;
        foreach (var token in ParsePointer(path))
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var child):
                    node = child;
                    break;
                case JsonArray a when TryIndex(token, out var i) && i < a.Count:
                    node = a[i];
                    break;
                default:
                    found = false;
                    return null;
            }
        }
        found = true;
        return node;
    }

    private static JsonNode? Parent(JsonNode? doc, string path, IReadOnlyList<string> tokens)
    {
        var node = doc;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(tokens[i], out var child) => child,
                JsonArray a when TryIndex(tokens[i], out var idx) && idx < a.Count => a[idx],
                _ => throw new PatchException($"doc is missing path: {QuotePath(path)}"),
            };
        }
        return node;
    }

    private static int Index(string token, string path, int count, bool allowEnd)
    {
        if (!TryIndex(token, out var index))
        {
            throw new PatchException($"invalid array index {QuotePath(token)} in path {QuotePath(path)}");
        }
        if (index > count || (index == count && !allowEnd))
        {
            throw new PatchException($"array index {index} out of bounds in path {QuotePath(path)}");
        }
        return index;
    }

    // RFC 6901: decimal digits without leading zeros.
    private static bool TryIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static string? StringMember(JsonObject op, string name) =>
        op.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : null;

    private static JsonNode? ValueMember(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new PatchException($"operation missing \"value\" field: {op.ToJsonString()}");

    private static string FromMember(JsonObject op) =>
        StringMember(op, "from") ?? throw new PatchException($"operation missing \"from\" field: {op.ToJsonString()}");

    private static string QuotePath(string path) => "\"" + path + "\"";
}
