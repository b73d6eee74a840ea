namespace MiniKube.Client;

/// <summary>The four patch content types the apiserver accepts.</summary>
public enum PatchType
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/strategic-merge-patch+json.</summary>
    StrategicMerge,

    /// <summary>application/apply-patch+yaml (server-side apply).</summary>
    Apply,
}
