namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// Where one container's log is, as the kubelet's validateContainerLogStatus decides it: a file and whether the
/// container still writes to it, or the error to answer with (400, as the kubelet does).
/// </summary>
public sealed record LogLookup(string? Path, Func<bool> StillRunning, string? Error)
{
    public static LogLookup Failed(string error) => new(null, () => false, error);
}
