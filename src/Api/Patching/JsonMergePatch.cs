using System.Text.Json.Nodes;

namespace MiniKube.Api.Patching;

/// <summary>RFC 7386 JSON merge patch (Content-Type application/merge-patch+json). Inputs are never modified.</summary>
public static class JsonMergePatch
{
    /// <summary>The target with the patch applied: objects merge key by key, a null value removes its key, anything else replaces.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result.TryGetPropertyValue(name, out var current);
                result[name] = Apply(current, value);
            }
        }
        return result;
    }

    /// <summary>
    /// A merge patch that turns <paramref name="original"/> into <paramref name="modified"/>: removed keys as null,
    /// changed objects as nested patches, everything else (lists included) whole. Equal documents give {}.
    /// </summary>
    public static JsonNode? Create(JsonNode? original, JsonNode? modified)
    {
        if (original is not JsonObject o || modified is not JsonObject m)
        {
            return JsonNode.DeepEquals(original, modified) ? new JsonObject() : modified?.DeepClone();
        }
        var patch = new JsonObject();
        foreach (var (name, _) in o)
        {
            if (!m.ContainsKey(name))
            {
                patch[name] = null;
            }
        }
        foreach (var (name, value) in m)
        {
            if (!o.TryGetPropertyValue(name, out var before))
            {
                patch[name] = value?.DeepClone();
            }
            else if (!JsonNode.DeepEquals(before, value))
            {
                patch[name] = before is JsonObject && value is JsonObject ? Create(before, value) : value?.DeepClone();
            }
        }
        return patch;
    }
}
