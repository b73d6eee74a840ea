namespace MiniKube.Api.Patching;

/// <summary>How a strategic merge patch treats one field (the patchStrategy struct tag of the Go types).</summary>
public enum PatchStrategy
{
    /// <summary>No tag: maps merge key by key, lists are replaced whole.</summary>
    Default,

    /// <summary>Lists merge: by <see cref="FieldPatchInfo.MergeKey"/> for lists of maps, as a set for lists of primitives.</summary>
    Merge,

    /// <summary>The field's value is replaced whole, maps included.</summary>
    Replace,
}
