using System.Runtime.InteropServices;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Quantities;
using MiniKube.Api.Serialization;
using MiniKube.Client;

namespace MiniKube.NodeAgent.Nodes;

/// <summary>
/// One node's registration and heartbeats (the kubelet's kubelet_node_status.go and its node lease controller): creates
/// the Node, renews its Lease in kube-node-lease every leaseDuration/4, computes the node status every
/// nodeStatusUpdateFrequency and writes it when it changed or nodeStatusReportFrequency has passed, and registers
/// the node again when it was deleted. Its two loops run concurrently; each touches only its own fields.
/// </summary>
public sealed class NodeHeartbeat(KubeClient client, NodeAgentOptions options, string nodeName, string podCidr, int port, string runtimeName, Action<string> log,
    SemaphoreSlim? registrationGate = null) : IDisposable
{
    public const string LeaseNamespace = "kube-node-lease";
    public const string HostIP = "127.0.0.1";

    private readonly TimeProvider _time = options.TimeProvider;
    private readonly string _bootId = Guid.NewGuid().ToString();
    private readonly SemaphoreSlim _registerGate = new(1, 1);
    private volatile string? _nodeUid;
    private Lease? _lease;
    private NodeStatus? _lastStatus;
    private string? _lastStatusKey;
    private DateTimeOffset _lastStatusWrite;

    public string NodeName => nodeName;

    /// <summary>Registers the node (retrying until it works), then heartbeats until <paramref name="cancellationToken"/> fires.
    /// With a registration gate shared by an agent's nodes, only as many nodes as it allows register at once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (registrationGate is not null)
        {
            await registrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await RegisterAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    log($"Unable to register node \"{nodeName}\" with API server: {e.Message}");
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            registrationGate?.Release();
        }

        await Task.WhenAll(
            LoopAsync(TimeSpan.FromSeconds(options.NodeLeaseDurationSeconds) / 4, RenewLeaseAsync, "failed to update lease", cancellationToken),
            LoopAsync(options.NodeStatusUpdateFrequency, UpdateStatusAsync, "Error updating node status, will retry", cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The informer saw the Node go: register it again now rather than at the next status write.</summary>
    public async Task NodeDeletedAsync(CancellationToken cancellationToken)
    {
        _nodeUid = null;
        await RegisterAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the Node, or adopts the one that exists (after a restart of the agent), and writes its status.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await _registerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_nodeUid is not null)
            {
                return;
            }

            Node node;
            try
            {
                node = await client.CreateAsync(InitialNode(), cancellationToken).ConfigureAwait(false);
                log($"Successfully registered node {nodeName}");
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                node = await client.GetAsync<Node>(null, nodeName, cancellationToken).ConfigureAwait(false);
            }

            _nodeUid = node.Metadata?.Uid;
            _lastStatusKey = null;
            _lease = null;
            await WriteStatusAsync(node, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _registerGate.Release();
        }
    }

    public Node InitialNode() => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new ObjectMeta
        {
            Name = nodeName,
            Labels = new Dictionary<string, string>
            {
                ["beta.kubernetes.io/arch"] = Architecture,
                ["beta.kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = Architecture,
                ["kubernetes.io/hostname"] = nodeName,
                ["kubernetes.io/os"] = "linux",
            },
            Annotations = new Dictionary<string, string>
            {
                ["node.alpha.kubernetes.io/ttl"] = "0",
                ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
            },
        },
        Spec = new NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        Status = DesiredStatus(null),
    };

    /// <summary>
    /// The node status the kubelet's setters produce: capacity and allocatable, the four conditions (heartbeat now,
    /// transition kept while unchanged), addresses, the daemon endpoint and the system info.
    /// </summary>
    public NodeStatus DesiredStatus(NodeStatus? previous)
    {
        var now = _time.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var resources = new Dictionary<string, Quantity>
        {
            ["cpu"] = options.Cpu,
            ["memory"] = options.Memory,
            ["pods"] = Quantity.FromInt64(options.MaxPods),
        };
        return new NodeStatus
        {
            Capacity = resources,
            Allocatable = new Dictionary<string, Quantity>(resources),
            Conditions =
            [
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            Addresses =
            [
                new NodeAddress { Type = "InternalIP", Address = HostIP },
                new NodeAddress { Type = "Hostname", Address = nodeName },
            ],
            DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = port } },
            NodeInfo = new NodeSystemInfo
            {
                MachineID = Hex(nodeName),
                SystemUUID = DeterministicGuid(nodeName),
                BootID = _bootId,
                KernelVersion = Environment.OSVersion.Version.ToString(),
                OsImage = "MiniKube node agent",
                ContainerRuntimeVersion = $"{runtimeName}://1.0.0",
                KubeletVersion = "v1.32.0-minikube",
                KubeProxyVersion = "",
                OperatingSystem = "linux",
                Architecture = Architecture,
            },
        };

        NodeCondition Condition(string type, string status, string reason, string message)
        {
            var old = previous?.Conditions?.FirstOrDefault(c => c.Type == type);
            return new NodeCondition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                LastHeartbeatTime = now,
                LastTransitionTime = old?.Status == status && old.LastTransitionTime is { } t ? t : now,
            };
        }
    }

    /// <summary>
    /// Someone else changed the node's conditions (the node lifecycle controller sets Ready=Unknown
    /// when the lease looked stale): the next status update writes the agent's view back at once,
    /// as the kubelet does by comparing with the node it reads, instead of after the report frequency.
    /// </summary>
    public void ObserveNode(Node node)
    {
        if (_lastStatus is { } last && ConditionsOf(node.Status) != ConditionsOf(last))
        {
            _lastStatusKey = null;
        }
    }

    private static string ConditionsOf(NodeStatus? status) =>
        string.Join(",", (status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}").Order(StringComparer.Ordinal));

    /// <summary>Computes the status; writes it when it changed (heartbeat times aside) or the report frequency passed.</summary>
    public async Task UpdateStatusAsync(CancellationToken cancellationToken)
    {
        if (_nodeUid is null)
        {
            await RegisterAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var desired = DesiredStatus(_lastStatus);
        if (KeyOf(desired) == _lastStatusKey && _time.GetUtcNow() - _lastStatusWrite < options.NodeStatusReportFrequency)
        {
            return;
        }

        Node node;
        try
        {
            node = await client.GetAsync<Node>(null, nodeName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            log($"node \"{nodeName}\" not found, registering it again");
            _nodeUid = null;
            await RegisterAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteStatusAsync(node, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(Node node, CancellationToken cancellationToken)
    {
        node.Status = DesiredStatus(node.Status);
        var written = await client.UpdateStatusAsync(node, cancellationToken).ConfigureAwait(false);
        _lastStatus = written.Status ?? node.Status;
        _lastStatusKey = KeyOf(node.Status);
        _lastStatusWrite = _time.GetUtcNow();
    }

    /// <summary>Renews the node's Lease (creating it, owned by the Node, when missing), as the kubelet's lease controller does.</summary>
    public async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        if (_nodeUid is not { } uid)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_lease is { } cached)
        {
            cached.Spec!.RenewTime = now;
            cached.Spec.HolderIdentity = nodeName;
            cached.Spec.LeaseDurationSeconds = options.NodeLeaseDurationSeconds;
            try
            {
                _lease = await client.UpdateAsync(cached, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
            {
                _lease = null;
            }
        }

        Lease lease;
        try
        {
            lease = await client.GetAsync<Lease>(LeaseNamespace, nodeName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            _lease = await client.CreateAsync(new Lease
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                Metadata = new ObjectMeta
                {
                    Name = nodeName,
                    Namespace = LeaseNamespace,
                    OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = uid }],
                },
                Spec = new LeaseSpec { HolderIdentity = nodeName, LeaseDurationSeconds = options.NodeLeaseDurationSeconds, RenewTime = now },
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        lease.Spec ??= new LeaseSpec();
        lease.Spec.HolderIdentity = nodeName;
        lease.Spec.LeaseDurationSeconds = options.NodeLeaseDurationSeconds;
        lease.Spec.RenewTime = now;
        lease.Metadata!.OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = uid }];
        _lease = await client.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    private async Task LoopAsync(TimeSpan interval, Func<CancellationToken, Task> step, string what, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await step(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                log($"{what} for node \"{nodeName}\": {e.Message}");
            }

            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose() => _registerGate.Dispose();

    private static string KeyOf(NodeStatus status)
    {
        var copy = ApiJson.Deserialize<NodeStatus>(ApiJson.Serialize(status));
        foreach (var c in copy.Conditions ?? [])
        {
            c.LastHeartbeatTime = null;
        }

        return ApiJson.Serialize(copy);
    }

    private static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        _ => "amd64",
    };

    private static string Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..32];

    private static string DeterministicGuid(string text) => new Guid(Convert.FromHexString(Hex(text))).ToString();
}
