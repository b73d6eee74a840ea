using System.Text.Json.Nodes;

namespace MiniKube.Api.Patching;

/// <summary>
/// Kubernetes strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), on JSON nodes with a
/// <see cref="PatchSchema"/> in place of Go struct tags. Lists with a merge key merge element by element,
/// other lists are replaced; the directives $patch (replace, delete, merge), $retainKeys,
/// $deleteFromPrimitiveList/&lt;field&gt; and $setElementOrder/&lt;field&gt; are understood. Inputs are never modified.
/// </summary>
public static class StrategicMergePatch
{
    internal const string PatchDirective = "$patch";
    internal const string RetainKeysDirective = "$retainKeys";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";
    internal const string SetElementOrderPrefix = "$setElementOrder/";

    /// <summary>The original with the patch applied (StrategicMergePatch in k8s, with its IgnoreUnmatchedNulls).</summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode patch, PatchSchema schema)
    {
        if (patch is not JsonObject p)
        {
            throw new PatchException($"a strategic merge patch must be a JSON object, not {patch.GetValueKind()}");
        }
        var target = original switch
        {
            null => [],
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new PatchException("a strategic merge patch applies only to a JSON object"),
        };
        return new StrategicMerger(schema).MergeMap(target, (JsonObject)p.DeepClone(), "");
    }

    /// <summary>
    /// The patch that turns <paramref name="original"/> into <paramref name="modified"/> (CreateTwoWayMergePatch):
    /// changed and added fields, removed ones as null, list elements removed by "$patch: delete" or
    /// $deleteFromPrimitiveList, and $setElementOrder for merged lists that changed.
    /// </summary>
    public static JsonObject CreateTwoWay(JsonNode? original, JsonNode? modified, PatchSchema schema) =>
        new StrategicDiffer(schema).DiffMaps(AsObject(original), AsObject(modified), "", new DiffOptions(false, false, false));

    /// <summary>
    /// The patch `kubectl apply` sends (CreateThreeWayMergePatch with overwrite): every change from
    /// <paramref name="current"/> (the live object) to <paramref name="modified"/> (the new configuration)
    /// except deletions, plus the deletions from <paramref name="original"/> (the last applied
    /// configuration) to <paramref name="modified"/>. Fields that others set on the live object and that
    /// were never in the applied configuration are left alone.
    /// </summary>
    public static JsonObject CreateThreeWay(JsonNode? original, JsonNode? modified, JsonNode? current, PatchSchema schema)
    {
        var differ = new StrategicDiffer(schema);
        var delta = differ.DiffMaps(AsObject(current), AsObject(modified), "", new DiffOptions(IgnoreDeletions: true, IgnoreChangesAndAdditions: false, BuildRetainKeys: false));
        var deletions = differ.DiffMaps(AsObject(original), AsObject(modified), "", new DiffOptions(IgnoreDeletions: false, IgnoreChangesAndAdditions: true, BuildRetainKeys: false));
        return differ.MergePatches(deletions, delta, "");
    }

    private static JsonObject AsObject(JsonNode? node) => node switch
    {
        null => [],
        JsonObject o => o,
        _ => throw new PatchException("a strategic merge patch can only be computed between JSON objects"),
    };

    internal static bool IsDirectiveKey(string key) =>
        key is PatchDirective or RetainKeysDirective
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal);

    internal static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    internal readonly record struct DiffOptions(bool IgnoreDeletions, bool IgnoreChangesAndAdditions, bool BuildRetainKeys);
}
