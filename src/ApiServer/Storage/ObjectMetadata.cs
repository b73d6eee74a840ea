using System.Globalization;
using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>Reads and writes the few metadata fields storage and the REST layer need, on an object kept as JSON.</summary>
public static class ObjectMetadata
{
    /// <summary>The object's metadata, created empty if missing.</summary>
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? GetString(JsonObject obj, string field)
        => obj["metadata"] is JsonObject metadata && metadata[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static void SetString(JsonObject obj, string field, string? value)
    {
        var metadata = Of(obj);
        if (value is null)
        {
            metadata.Remove(field);
        }
        else
        {
            metadata[field] = value;
        }
    }

    public static string? Name(JsonObject obj) => GetString(obj, "name");

    public static string? Namespace(JsonObject obj) => GetString(obj, "namespace");

    public static string? Uid(JsonObject obj) => GetString(obj, "uid");

    public static string? ResourceVersion(JsonObject obj) => GetString(obj, "resourceVersion");

    public static void SetResourceVersion(JsonObject obj, long revision)
        => SetString(obj, "resourceVersion", revision.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses a resourceVersion: null for unset or empty, else a non-negative revision.</summary>
    public static bool TryParseResourceVersion(string? text, out long revision)
    {
        revision = 0;
        return !string.IsNullOrEmpty(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out revision);
    }

    /// <summary>The labels as a dictionary (empty when there are none; non-string values are skipped).</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    labels[key] = text;
                }
            }
        }

        return labels;
    }
}
