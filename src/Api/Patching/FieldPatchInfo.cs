namespace MiniKube.Api.Patching;

/// <summary>
/// The patch metadata of one field: its strategy, the merge key of a list of maps, and whether the
/// field's maps carry a $retainKeys directive (patchStrategy "retainKeys" in Go, e.g. a Deployment's
/// strategy or each volume's source).
/// </summary>
public sealed record FieldPatchInfo(PatchStrategy Strategy, string? MergeKey = null, bool RetainKeys = false)
{
    public static FieldPatchInfo MergeBy(string mergeKey) => new(PatchStrategy.Merge, mergeKey);

    public static FieldPatchInfo MergeSet { get; } = new(PatchStrategy.Merge);

    public static FieldPatchInfo ReplaceWhole { get; } = new(PatchStrategy.Replace);
}
