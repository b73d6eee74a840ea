using System.Text.Json.Nodes;
using static MiniKube.Api.Patching.StrategicMergePatch;

namespace MiniKube.Api.Patching;

/// <summary>The diffing half of <see cref="StrategicMergePatch"/> (diffMaps/diffLists of k8s). Never modifies its inputs.</summary>
internal sealed class StrategicDiffer(PatchSchema schema)
{
    public JsonObject DiffMaps(JsonObject original, JsonObject modified, string path, DiffOptions options)
    {
        var patch = new JsonObject();
        var retainKeys = new List<string>();
        foreach (var (key, modifiedValue) in modified)
        {
            if (options.BuildRetainKeys && modifiedValue is not null)
            {
                retainKeys.Add(key);
            }
            if (!original.TryGetPropertyValue(key, out var originalValue))
            {
                if (!options.IgnoreChangesAndAdditions)
                {
                    patch[key] = modifiedValue?.DeepClone();
                }
                continue;
            }
            var childPath = Child(path, key);
            switch (originalValue, modifiedValue)
            {
                case (JsonObject o, JsonObject m):
                    DiffMapField(key, o, m, childPath, patch, options);
                    break;
                case (JsonArray o, JsonArray m):
                    DiffListField(key, o, m, childPath, patch, options);
                    break;
                default:
                    if (!options.IgnoreChangesAndAdditions && !JsonNode.DeepEquals(originalValue, modifiedValue))
                    {
                        patch[key] = modifiedValue?.DeepClone();
                    }
                    break;
            }
        }
        if (!options.IgnoreDeletions)
        {
            foreach (var (key, _) in original)
            {
                if (!modified.ContainsKey(key))
                {
                    patch[key] = null;
                }
            }
        }
        var hasAdditionalField = original.Any(kv => kv.Value is not null && !modified.ContainsKey(kv.Key));
        if (retainKeys.Count > 0 && (patch.Count > 0 || hasAdditionalField))
        {
            retainKeys.Sort(StringComparer.Ordinal);
            patch[RetainKeysDirective] = new JsonArray([.. retainKeys.Select(k => (JsonNode)k)]);
        }
        return patch;
    }

    private void DiffMapField(string key, JsonObject original, JsonObject modified, string path, JsonObject patch, DiffOptions options)
    {
        var info = schema.Lookup(path);
        if (info is { Strategy: PatchStrategy.Replace })
        {
            if (!options.IgnoreChangesAndAdditions && !JsonNode.DeepEquals(original, modified))
            {
                patch[key] = modified.DeepClone();
            }
            return;
        }
        var child = DiffMaps(original, modified, path, options with { BuildRetainKeys = info?.RetainKeys ?? false });
        if (child.Count > 0)
        {
            patch[key] = child;
        }
    }

    private void DiffListField(string key, JsonArray original, JsonArray modified, string path, JsonObject patch, DiffOptions options)
    {
        var info = schema.Lookup(path);
        if (info is not { Strategy: PatchStrategy.Merge })
        {
            if (!options.IgnoreChangesAndAdditions && !JsonNode.DeepEquals(original, modified))
            {
                patch[key] = modified.DeepClone();
            }
            return;
        }
        var elementsAreMaps = original.Concat(modified).FirstOrDefault(n => n is not null) is JsonObject;
        if (elementsAreMaps)
        {
            var mergeKey = info.MergeKey ?? throw new PatchException($"cannot merge lists without merge key for {path}");
            var itemOptions = options with { BuildRetainKeys = info.RetainKeys };
            var changes = new JsonArray();
            foreach (var m in modified)
            {
                var mo = m as JsonObject ?? throw new PatchException($"all elements of the list {path} must be maps");
                var key0 = Key(mo, mergeKey, path);
                var o = original.OfType<JsonObject>().FirstOrDefault(x => JsonNode.DeepEquals(x[mergeKey], key0));
                if (o is null)
                {
                    if (!options.IgnoreChangesAndAdditions)
                    {
                        changes.Add(mo.DeepClone());
                    }
                    continue;
                }
                var diff = DiffMaps(o, mo, path, itemOptions);
                if (diff.Count > 0)
                {
                    // The merge key goes first, as a reader of the patch looks for it first.
                    var withKey = new JsonObject { [mergeKey] = key0?.DeepClone() };
                    foreach (var (k, v) in diff.ToList())
                    {
                        if (k != mergeKey)
                        {
                            diff.Remove(k);
                            withKey[k] = v;
                        }
                    }
                    changes.Add(withKey);
                }
            }
            if (!options.IgnoreDeletions)
            {
                var deleted = original.OfType<JsonObject>()
                    .Where(o => !modified.OfType<JsonObject>().Any(m => JsonNode.DeepEquals(m[mergeKey], o[mergeKey])))
                    .Select(o => o[mergeKey])
                    .OrderBy(k => k?.ToJsonString(), StringComparer.Ordinal);
                foreach (var k in deleted)
                {
                    changes.Add(new JsonObject { [mergeKey] = k?.DeepClone(), [PatchDirective] = "delete" });
                }
            }
            var orderSame = original.Count == modified.Count
                && original.Zip(modified).All(p => JsonNode.DeepEquals(p.First?[mergeKey], p.Second?[mergeKey]));
            if (changes.Count > 0)
            {
                patch[key] = changes;
            }
            if ((!options.IgnoreChangesAndAdditions && (changes.Count > 0 || !orderSame))
                || (!options.IgnoreDeletions && changes.Count > 0))
            {
                patch[SetElementOrderPrefix + key] = new JsonArray([.. modified.Select(m => (JsonNode)new JsonObject { [mergeKey] = m?[mergeKey]?.DeepClone() })]);
            }
            return;
        }

        var additions = modified.Where(m => !original.Any(o => JsonNode.DeepEquals(o, m))).Select(m => m?.DeepClone()).ToList();
        var deletions = original.Where(o => !modified.Any(m => JsonNode.DeepEquals(o, m)))
            .Select(o => o?.DeepClone()).OrderBy(o => o?.ToJsonString(), StringComparer.Ordinal).ToList();
        if (!options.IgnoreChangesAndAdditions && additions.Count > 0)
        {
            patch[key] = new JsonArray([.. additions]);
        }
        if (!options.IgnoreDeletions && deletions.Count > 0)
        {
            patch[DeleteFromPrimitiveListPrefix + key] = new JsonArray([.. deletions]);
        }
        if ((!options.IgnoreDeletions && deletions.Count > 0)
            || (!options.IgnoreChangesAndAdditions && !JsonNode.DeepEquals(original, modified)))
        {
            patch[SetElementOrderPrefix + key] = modified.DeepClone();
        }
    }

    /// <summary>
    /// Combines the deletions patch and the changes patch of a three-way diff. They never disagree on a
    /// value (one holds only removals, the other only what the new configuration sets), so this is a union
    /// that merges maps, and lists element by element where the schema says they merge.
    /// </summary>
    public JsonObject MergePatches(JsonObject deletions, JsonObject delta, string path)
    {
        var result = (JsonObject)deletions.DeepClone();
        foreach (var (key, value) in delta)
        {
            if (!result.TryGetPropertyValue(key, out var existing) || existing is null || value is null)
            {
                result[key] = value?.DeepClone();
                continue;
            }
            var childPath = Child(path, key);
            switch (existing, value)
            {
                case (JsonObject e, JsonObject v):
                    result[key] = MergePatches(e, v, childPath);
                    break;
                case (JsonArray e, JsonArray v) when key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) || key == RetainKeysDirective:
                    result[key] = Union(e, v);
                    break;
                case (JsonArray e, JsonArray v) when !key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
                                                     && schema.Lookup(childPath) is { Strategy: PatchStrategy.Merge } info:
                    result[key] = info.MergeKey is { } mk ? MergeKeyed(e, v, mk, childPath) : Union(e, v);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }
        return result;
    }

    private JsonArray MergeKeyed(JsonArray deletions, JsonArray delta, string mergeKey, string path)
    {
        var result = (JsonArray)deletions.DeepClone();
        foreach (var item in delta)
        {
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (item is JsonObject io && result[i] is JsonObject ro && JsonNode.DeepEquals(io[mergeKey], ro[mergeKey]) && !ro.ContainsKey(PatchDirective))
                {
                    index = i;
                    break;
                }
            }
            if (index >= 0)
            {
                result[index] = MergePatches((JsonObject)result[index]!, (JsonObject)item!, path);
            }
            else
            {
                result.Add(item?.DeepClone());
            }
        }
        return result;
    }

    private static JsonArray Union(JsonArray a, JsonArray b)
    {
        var result = (JsonArray)a.DeepClone();
        foreach (var item in b)
        {
            if (!result.Any(r => JsonNode.DeepEquals(r, item)))
            {
                result.Add(item?.DeepClone());
            }
        }
        return result;
    }

    private static JsonNode? Key(JsonObject item, string mergeKey, string path) =>
        item.TryGetPropertyValue(mergeKey, out var k) ? k : throw new PatchException($"map: {item.ToJsonString()} does not contain declared merge key: {mergeKey} (in {path})");
}
