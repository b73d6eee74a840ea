namespace MiniKube.ApiServer.Registry;

/// <summary>metav1.DeleteOptions as a delete uses them.</summary>
public sealed record DeleteRequest(long? GracePeriodSeconds = null, string? PropagationPolicy = null,
    string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false)
{
    public static readonly DeleteRequest Default = new();
}
