namespace MiniKube.Api.Patching;

/// <summary>A patch that cannot be applied to its target; the apiserver answers it with 422 (or 400 for a malformed patch).</summary>
public sealed class PatchException(string message) : InvalidOperationException(message);
