using System.Text.Json;
using System.Text.Json.Nodes;
using static MiniKube.Api.Patching.StrategicMergePatch;

namespace MiniKube.Api.Patching;

/// <summary>
/// The applying half of <see cref="StrategicMergePatch"/> (mergeMap/mergeSlice of k8s). Works in place on
/// its own copies of the original and the patch.
/// </summary>
internal sealed class StrategicMerger(PatchSchema schema)
{
    public JsonObject MergeMap(JsonObject original, JsonObject patch, string path)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            switch (DirectiveText(directive))
            {
                case "replace":
                    patch.Remove(PatchDirective);
                    return (JsonObject)Clean(patch)!;
                case "delete":
                    return [];
                case "merge":
                    patch.Remove(PatchDirective);
                    break;
                default:
                    throw new PatchException($"unknown patch type: {DirectiveText(directive)} in map: {patch.ToJsonString()}");
            }
        }

        if (patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            if (retain is not JsonArray retainList)
            {
                throw new PatchException($"{RetainKeysDirective} must be a list of field names at {DisplayPath(path)}");
            }
            var keep = retainList.Select(DirectiveText).ToHashSet(StringComparer.Ordinal);
            foreach (var key in original.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
            patch.Remove(RetainKeysDirective);
        }

        // Parallel lists first: deletions from primitive lists, then merged lists put into the order the patch asks for.
        foreach (var key in patch.Select(kv => kv.Key).Where(k => k.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)).ToList())
        {
            var field = key[DeleteFromPrimitiveListPrefix.Length..];
            if (patch[key] is not JsonArray toDelete)
            {
                throw new PatchException($"{key} must be a list at {DisplayPath(path)}");
            }
            if (original[field] is JsonArray list)
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (toDelete.Any(d => JsonNode.DeepEquals(d, list[i])))
                    {
                        list.RemoveAt(i);
                    }
                }
            }
            patch.Remove(key);
        }
        foreach (var key in patch.Select(kv => kv.Key).Where(k => k.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            var field = key[SetElementOrderPrefix.Length..];
            if (patch[key] is not JsonArray order)
            {
                throw new PatchException($"{key} must be a list at {DisplayPath(path)}");
            }
            patch.Remove(key);
            var fieldPath = Child(path, field);
            var info = schema.Lookup(fieldPath);
            var originalList = original[field] as JsonArray ?? [];
            JsonArray merged;
            if (patch.TryGetPropertyValue(field, out var patchValue))
            {
                patch.Remove(field);
                if (patchValue is null)
                {
                    original.Remove(field);
                    continue;
                }
                if (patchValue is not JsonArray patchList)
                {
                    original[field] = Clean(patchValue);
                    continue;
                }
                merged = MergeList(originalList, patchList, fieldPath);
            }
            else
            {
                merged = originalList;
            }
            if (info is { Strategy: PatchStrategy.Merge })
            {
                var mergeKey = info.MergeKey;
                var serverOrder = (original[field] as JsonArray ?? []).Select(n => KeyOf(n, mergeKey)).ToList();
                merged = Normalize(merged, [.. order.Select(n => KeyOf(n, mergeKey))], serverOrder, mergeKey);
            }
            original[field] = merged.Parent is null ? merged : merged.DeepClone();
        }

        foreach (var (key, patchValue) in patch.ToList())
        {
            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }
            // Detached from the patch, the value can be moved into the original without a copy.
            patch[key] = null;
            if (!original.TryGetPropertyValue(key, out var originalValue) || originalValue is null
                || originalValue.GetValueKind() != patchValue.GetValueKind() && !(IsValue(originalValue) && IsValue(patchValue)))
            {
                original[key] = Clean(patchValue);
                continue;
            }
            var childPath = Child(path, key);
            switch (patchValue)
            {
                case JsonObject patchObject:
                    if (schema.Lookup(childPath) is { Strategy: PatchStrategy.Replace })
                    {
                        original[key] = Clean(patchObject);
                    }
                    else
                    {
                        // MergeMap works in place, and returns another object only for $patch replace or delete.
                        var child = (JsonObject)originalValue;
                        var merged = MergeMap(child, patchObject, childPath);
                        if (!ReferenceEquals(merged, child))
                        {
                            original[key] = merged;
                        }
                    }
                    break;
                case JsonArray patchList:
                    original[key] = MergeList((JsonArray)originalValue, patchList, childPath);
                    break;
                default:
                    original[key] = patchValue;
                    break;
            }
        }
        return original;
    }

    private JsonArray MergeList(JsonArray original, JsonArray patch, string path)
    {
        var info = schema.Lookup(path);
        if (info is not { Strategy: PatchStrategy.Merge })
        {
            return (JsonArray)Clean(patch)!;
        }
        var elementsAreMaps = original.Concat(patch).FirstOrDefault(n => n is not null) is JsonObject;
        if (!elementsAreMaps)
        {
            var both = new JsonArray();
            foreach (var item in original.Concat(patch))
            {
                if (!both.Any(b => JsonNode.DeepEquals(b, item)))
                {
                    both.Add(item?.DeepClone());
                }
            }
            return Normalize(both, [.. patch], [.. original], null);
        }
        var mergeKey = info.MergeKey ?? throw new PatchException($"cannot merge lists without merge key for {DisplayPath(path)}");
        var serverOrder = original.Select(n => KeyOf(n, mergeKey)).ToList();
        var result = new List<JsonNode?>(original.Select(n => n?.DeepClone()));
        var plain = new List<JsonObject>();
        var replace = false;
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                throw new PatchException($"all elements of the list {DisplayPath(path)} must be maps");
            }
            if (!element.TryGetPropertyValue(PatchDirective, out var d))
            {
                plain.Add(element);
                continue;
            }
            switch (DirectiveText(d))
            {
                case "delete":
                    var key = element.TryGetPropertyValue(mergeKey, out var k) ? k : throw NoMergeKey(element, mergeKey);
                    result.RemoveAll(n => JsonNode.DeepEquals(KeyOf(n, mergeKey), key));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {DirectiveText(d)} in map: {element.ToJsonString()}");
            }
        }
        if (replace)
        {
            return [.. plain.Select(Clean)];
        }
        foreach (var element in plain)
        {
            var key = element.TryGetPropertyValue(mergeKey, out var k) ? k : throw NoMergeKey(element, mergeKey);
            var index = result.FindIndex(n => JsonNode.DeepEquals(KeyOf(n, mergeKey), key));
            if (index >= 0)
            {
                result[index] = MergeMap((JsonObject)result[index]!, (JsonObject)element.DeepClone(), path);
            }
            else
            {
                result.Add(Clean(element));
            }
        }
        return Normalize(new JsonArray([.. result.Select(n => n?.Parent is null ? n : n.DeepClone())]),
            [.. plain.Select(e => KeyOf(e, mergeKey))], serverOrder, mergeKey);
    }

    /// <summary>
    /// k8s normalizeElementOrder: the elements named by the patch in the patch's order, the others where they
    /// stood in the original, woven together by their original positions.
    /// </summary>
    private static JsonArray Normalize(JsonArray merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        static int IndexIn(List<JsonNode?> list, JsonNode? key) => list.FindIndex(x => JsonNode.DeepEquals(x, key));
        var items = merged.Select(n => n?.DeepClone()).ToList();
        var patchItems = items.Where(n => IndexIn(patchOrder, KeyOf(n, mergeKey)) >= 0)
            .OrderBy(n => IndexIn(patchOrder, KeyOf(n, mergeKey))).ToList();
        var serverOnly = items.Where(n => IndexIn(patchOrder, KeyOf(n, mergeKey)) < 0)
            .OrderBy(n => IndexIn(serverOrder, KeyOf(n, mergeKey))).ToList();
        var result = new JsonArray();
        int i = 0, j = 0;
        while (i < patchItems.Count && j < serverOnly.Count)
        {
            var left = IndexIn(serverOrder, KeyOf(patchItems[i], mergeKey));
            var right = IndexIn(serverOrder, KeyOf(serverOnly[j], mergeKey));
            result.Add(left >= 0 && left < right ? patchItems[i++] : serverOnly[j++]);
        }
        while (i < patchItems.Count)
        {
            result.Add(patchItems[i++]);
        }
        while (j < serverOnly.Count)
        {
            result.Add(serverOnly[j++]);
        }
        return result;
    }

    private static JsonNode? KeyOf(JsonNode? node, string? mergeKey) =>
        mergeKey is null ? node : node is JsonObject o && o.TryGetPropertyValue(mergeKey, out var k) ? k : null;

    /// <summary>A value taken from the patch as it is: nulls dropped and stray directives removed.</summary>
    internal static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (v is not null && !IsDirectiveKey(k))
                    {
                        copy[k] = Clean(v);
                    }
                }
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Where(e => e is not JsonObject eo || !eo.ContainsKey(PatchDirective)).Select(Clean)]);
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsValue(JsonNode n) => n is JsonValue;

    private static string DirectiveText(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "null";

    private static PatchException NoMergeKey(JsonObject element, string mergeKey) =>
        new($"map: {element.ToJsonString()} does not contain declared merge key: {mergeKey}");

    private static string DisplayPath(string path) => path.Length == 0 ? "<root>" : path;
}
