using MiniKube.Api.Core;
using MiniKube.NodeAgent.Logs;

namespace MiniKube.NodeAgent.Runtime;

/// <summary>What a runtime needs to start one container: its spec, the environment already resolved, and where its log goes.</summary>
public sealed record ContainerStartRequest(
    string PodNamespace,
    string PodName,
    Container Container,
    IReadOnlyDictionary<string, string> Environment,
    ContainerLog Log);
