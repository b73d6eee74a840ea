using MiniKube.NodeAgent.Runtime;

namespace MiniKube.NodeAgent.Pods;

/// <summary>What the pod workers of one node share: the node, its addresses, the runtime and clock, and whom to tell of a change.</summary>
public sealed record PodWorkerContext(
    string NodeName,
    string HostIP,
    PodIpAllocator Ips,
    IContainerRuntime Runtime,
    TimeProvider Time,
    TimeSpan StartupDelay,
    string LogDirectory,
    Action<PodWorker> Changed);
