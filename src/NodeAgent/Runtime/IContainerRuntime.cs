namespace MiniKube.NodeAgent.Runtime;

/// <summary>
/// Starts containers (the CRI's RunPodSandbox/CreateContainer/StartContainer folded into one call). Implementations
/// are called from many pod workers at once and must be thread-safe.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>"simulated" or "process": the scheme of container IDs and the node's containerRuntimeVersion.</summary>
    string Name { get; }

    /// <summary>Starts one container; throws <see cref="ContainerStartException"/> when it cannot run at all.</summary>
    IRunningContainer Start(ContainerStartRequest request);
}
