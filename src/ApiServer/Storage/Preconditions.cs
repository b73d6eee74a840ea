namespace MiniKube.ApiServer.Storage;

/// <summary>What must hold of the stored object for a write to go ahead (metav1.Preconditions).</summary>
public sealed record Preconditions(string? Uid = null, string? ResourceVersion = null);
